package alerts

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"testing/quick"

	"github.com/kestrelcep/kestrel/expr"
)

func sample() *Record {
	r := &Record{
		Rule: "card_testing", Version: 3, Severity: "high", Mode: "live", Kind: KindMatch,
		Key: []byte(`"c-123"`), Time: 1795515300250, Start: 1795514942000, End: 1795515300250,
		Steps: []Step{
			{Name: "small", Events: []Event{{"t1", []byte(`{"id":"t1"}`)}, {"t2", []byte(`{"id":"t2"}`)}}},
			{Name: "big", Events: []Event{{"t3", []byte(`{"id":"t3"}`)}}},
		},
		Fields: []Field{{"small_count", []byte("2")}, {"total", []byte("512.5")}},
	}
	r.ID = ComputeID(r)
	return r
}

func TestRecordJSON(t *testing.T) {
	r := sample()
	got := string(r.AppendJSON(nil))
	want := `{"id":"` + r.ID + `","rule":"card_testing","version":3,"severity":"high","mode":"live","kind":"match","key":"c-123",` +
		`"time":"2026-11-24T10:15:00.250Z","start":"2026-11-24T10:09:02.000Z","end":"2026-11-24T10:15:00.250Z",` +
		`"events":{"small":[{"id":"t1"},{"id":"t2"}],"big":[{"id":"t3"}]},"fields":{"small_count":2,"total":512.5},"late":false}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(got), &m); err != nil {
		t.Fatal(err)
	}
}

func TestIDDependsOnIdentityOnly(t *testing.T) {
	a, b := sample(), sample()
	b.Time++
	b.Fields = nil
	b.Late = true
	if ComputeID(a) != ComputeID(b) {
		t.Fatal("id changed with time, fields or late flag")
	}
	for name, mutate := range map[string]func(*Record){
		"rule":    func(r *Record) { r.Rule = "x" },
		"version": func(r *Record) { r.Version = 4 },
		"kind":    func(r *Record) { r.Kind = KindTimeout },
		"key":     func(r *Record) { r.Key = []byte(`"c-124"`) },
		"step":    func(r *Record) { r.Steps[1].Name = "bigger" },
		"event":   func(r *Record) { r.Steps[0].Events[1].Identity = "t9" },
		"boundary": func(r *Record) {
			r.Steps[0].Events = r.Steps[0].Events[:1]
			r.Steps[1].Events = append([]Event{{Identity: "t2"}}, r.Steps[1].Events...)
		},
	} {
		c := sample()
		mutate(c)
		if ComputeID(c) == ComputeID(a) {
			t.Errorf("id did not change with %s", name)
		}
	}
	if len(a.ID) != 32 {
		t.Errorf("id %q: want 32 hex digits", a.ID)
	}
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	f := func(s string) bool {
		got := AppendString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			return false
		}
		want, _ := json.Marshal(s)
		var wantBack string
		json.Unmarshal(want, &wantBack)
		return back == wantBack
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 5000}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"a\"b\\c\n\t\x01", "\u2028", "\xff", "ünï"} {
		if !f(s) {
			t.Errorf("AppendString(%q) does not round-trip", s)
		}
	}
}

func TestAppendFloat(t *testing.T) {
	for _, f := range []float64{0, 1, -2.5, 1e21, 1e-7, 123456789.125, math.MaxFloat64, 5e-324} {
		got := string(AppendFloat(nil, f))
		want, _ := json.Marshal(f)
		if got != string(want) {
			t.Errorf("AppendFloat(%v) = %s, want %s", f, got, want)
		}
	}
	if got := string(AppendFloat(nil, math.NaN())); got != "null" {
		t.Errorf("NaN = %s", got)
	}
}

func TestAppendValue(t *testing.T) {
	cases := []struct {
		v    expr.Value
		want string
	}{
		{expr.Value{}, "null"},
		{expr.BoolValue(true), "true"},
		{expr.IntValue(-3), "-3"},
		{expr.FloatValue(2.5), "2.5"},
		{expr.StringValue(`a"b`), `"a\"b"`},
		{expr.TimeValue(0), `"1970-01-01T00:00:00.000Z"`},
		{expr.DurationValue(90000), "90000"},
	}
	for _, c := range cases {
		if got := string(AppendValue(nil, c.v)); got != c.want {
			t.Errorf("AppendValue(%+v) = %s, want %s", c.v, got, c.want)
		}
	}
}

func TestSideRecords(t *testing.T) {
	l := &Late{Stream: "txn", Event: []byte(`{"a":1}`), Watermark: 0, Reason: "late by 5s", Source: "txn.jsonl", Position: 7}
	d := &DeadLetter{Stream: "txn", Source: "txn.jsonl", Position: 3, Reason: "bad", Raw: []byte(`{"x":`)}
	for _, b := range [][]byte{l.AppendJSON(nil), d.AppendJSON(nil)} {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
	}
	if !strings.Contains(string(d.AppendJSON(nil)), `"raw":"{\"x\":"`) {
		t.Errorf("raw not a string: %s", d.AppendJSON(nil))
	}
}
