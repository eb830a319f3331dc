package engine_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/patterns"
)

const lookupKRL = `stream e (id string, k string, c string, v int, ts time)
  id id
  timestamp ts
  lateness 10ms
feature n    = count() of e by k over sliding 100ms
feature big  = sum(v) of e[v > 5] by k over sliding 100ms
feature nc   = count() of e by k, c over tumbling 50ms
feature last = last(v) of e by k
`

func compileKRL(t *testing.T, src string) *patterns.RuleSet {
	t.Helper()
	f, errs := patterns.Parse("l.krl", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	rs, errs := patterns.Compile([]*patterns.File{f}, patterns.Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return rs
}

// TestLookupFeatures reads features from a running runtime: values and
// stale flags at several times, composite keys, unknown features, the
// retention; and the write-through of changed keys.
func TestLookupFeatures(t *testing.T) {
	rs := compileKRL(t, lookupKRL)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := engine.NewRuntime(rs, engine.RuntimeOptions{Sink: &countSink{}, Shards: 1})
	if err != nil {
		t.Fatal(err)
	}
	r.Start(ctx)
	defer r.Stop(ctx)
	if err := r.TrackFeatureChanges(ctx); err != nil {
		t.Fatal(err)
	}
	p, _, _ := r.AddPartition(ctx, 0, "e", 0, engine.LocalGroup)
	dec := event.NewJSONDecoder(rs.Streams[0].Schema)
	push := func(js ...string) {
		var evs []*event.Event
		for _, j := range js {
			ev := rs.Streams[0].Schema.NewEvent()
			if err := dec.Decode([]byte(j), ev); err != nil {
				t.Fatal(err)
			}
			evs = append(evs, ev)
		}
		// Messages reach the front goroutine in order: the lookups that
		// follow see these events.
		if err := r.Push(ctx, &engine.Batch{Partition: p, Events: evs}); err != nil {
			t.Fatal(err)
		}
	}
	push(`{"id":"1","k":"a","c":"x","v":7,"ts":1000}`, `{"id":"2","k":"a","c":"y","v":1,"ts":1040}`,
		`{"id":"3","k":"b","c":"x","v":9,"ts":1060}`, `{"id":"4","k":"a","c":"x","v":8,"ts":1090}`)
	key := func(vals ...expr.Value) []byte { return engine.AppendKeyValues(nil, vals) }
	a, b, z := key(expr.StringValue("a")), key(expr.StringValue("b")), key(expr.StringValue("zz"))

	type want struct {
		at            int64
		n, big, last  string
		nStale, bStal bool
	}
	for _, w := range []want{
		{1090, "3", "15", "8", false, false},
		{1139, "2", "8", "8", false, false}, // (1039, 1139]: events at 1040 and 1090
		{1150, "1", "8", "8", false, false}, // (1050, 1150]: 1090
		{1190, "0", "0", "8", true, true},   // nothing in (1090, 1190]
		{5000, "0", "0", "8", true, true},   // the global window holds
		{1080, "2", "7", "1", false, false}, // within the lateness: 1000, 1040
		{1080, "2", "7", "1", false, false}, // again: nothing moved
	} {
		vals, err := r.LookupFeatures(ctx, []string{"n", "big", "last"}, [][]byte{a, b, z}, w.at)
		if err != nil {
			t.Fatalf("at %d: %v", w.at, err)
		}
		got := vals[0]
		s := func(v engine.FeatureValue) string { return fmt.Sprint(v.Value.I) }
		if s(got[0]) != w.n || s(got[1]) != w.big || s(got[2]) != w.last || got[0].Stale != w.nStale || got[1].Stale != w.bStal || got[2].Stale {
			t.Errorf("a at %d: %+v, want n %s big %s last %s", w.at, got, w.n, w.big, w.last)
		}
		if got[0].AsOf != min(w.at, 1090) {
			t.Errorf("a at %d: as of %d", w.at, got[0].AsOf)
		}
		if zz := vals[2]; zz[0].Value != expr.IntValue(0) || !zz[0].Stale || zz[2].Value.Type != expr.Null || !zz[2].Stale {
			t.Errorf("unknown key at %d: %+v", w.at, zz)
		}
	}
	vals, err := r.LookupFeatures(ctx, []string{"nc"}, [][]byte{key(expr.StringValue("a"), expr.StringValue("x")),
		key(expr.StringValue("a"), expr.StringValue("y"))}, 1090)
	if err != nil || vals[0][0].Value != expr.IntValue(1) || vals[1][0].Value != expr.IntValue(0) || !vals[1][0].Stale {
		t.Errorf("composite keys, tumbling [1050, 1100): %+v %v", vals, err) // a/y's event at 1040 is in [1000, 1050)
	}
	if _, err := r.LookupFeatures(ctx, []string{"n", "nope"}, [][]byte{a}, 1090); !errors.Is(err, engine.ErrUnknownFeature) {
		t.Errorf("unknown feature: %v", err)
	}
	var re *engine.RetentionError
	if _, err := r.LookupFeatures(ctx, []string{"n"}, [][]byte{a}, 1079); !errors.As(err, &re) || re.Earliest != 1080 || re.Feature != "n" {
		t.Errorf("before the retention (1090 − 10ms): %v", err)
	}

	// Write-through: every key of the features over the stream, once.
	var ups []engine.FeatureUpdate
	ups, more, err := r.ChangedFeatures(ctx, nil, 2)
	if err != nil || !more {
		t.Fatalf("first call: %d updates, more %v, %v", len(ups), more, err)
	}
	ups, more, err = r.ChangedFeatures(ctx, ups, 0)
	if err != nil || more {
		t.Fatalf("second call: more %v, %v", more, err)
	}
	var got []string
	for _, u := range ups {
		got = append(got, fmt.Sprintf("%s %s %d as of %d expires %d keep %v", u.Feature, u.Key, u.Value.I, u.AsOf, u.Expires, u.Keep))
	}
	slices.Sort(got)
	wantUps := []string{
		`big "a" 15 as of 1090 expires 1189 keep 110ms`,
		`big "b" 9 as of 1090 expires 1159 keep 110ms`,
		`last "a" 8 as of 1090 expires 9223372036854775807 keep -1ns`,
		`last "b" 9 as of 1090 expires 9223372036854775807 keep -1ns`,
		`n "a" 3 as of 1090 expires 1189 keep 110ms`,
		`n "b" 1 as of 1090 expires 1159 keep 110ms`,
		`nc ["a","x"] 1 as of 1090 expires 1099 keep 60ms`,
		`nc ["a","y"] 0 as of 1090 expires 1049 keep 60ms`,
		`nc ["b","x"] 1 as of 1090 expires 1099 keep 60ms`,
	}
	if !slices.Equal(got, wantUps) {
		t.Errorf("updates:\n%v\nwant\n%v", got, wantUps)
	}
	if ups, more, err := r.ChangedFeatures(ctx, nil, 0); len(ups) != 0 || more || err != nil {
		t.Errorf("nothing changed since: %d %v %v", len(ups), more, err)
	}
	push(`{"id":"5","k":"b","c":"x","v":2,"ts":1100}`)
	if ups, _, err := r.ChangedFeatures(ctx, nil, 0); len(ups) != 4 || err != nil || string(ups[0].Key) != `"b"` && string(ups[0].Key) != `["b","x"]` {
		t.Errorf("after an event of b: %+v %v", ups, err)
	}

	// A deploy that changes the features: they start empty, and so does
	// what was noted.
	push(`{"id":"6","k":"c","c":"x","v":2,"ts":1100}`)
	rs2 := compileKRL(t, lookupKRL+"feature m = max(v) of e by k over sliding 1s\n")
	if _, err := r.Swap(ctx, rs2, false); err != nil {
		t.Fatal(err)
	}
	if ups, _, err := r.ChangedFeatures(ctx, nil, 0); len(ups) != 0 || err != nil {
		t.Errorf("after the swap: %+v %v", ups, err)
	}
	push(`{"id":"7","k":"d","c":"x","v":2,"ts":1110}`)
	if ups, _, err := r.ChangedFeatures(ctx, nil, 0); len(ups) != 5 || err != nil {
		t.Errorf("after the swap and an event: %d updates %v", len(ups), err)
	}
	if vals, err := r.LookupFeatures(ctx, []string{"m", "n"}, [][]byte{key(expr.StringValue("d"))}, 1110); err != nil ||
		vals[0][0].Value != expr.IntValue(2) || vals[0][1].Value != expr.IntValue(1) {
		t.Errorf("the new features: %+v %v", vals, err)
	}
}

// TestAppendKeyValues: a lookup's key is encoded as the engine encodes an
// event's.
func TestAppendKeyValues(t *testing.T) {
	rs := compileKRL(t, `stream s (id string, a string, b int, c float, d bool, e time)
  id id
  timestamp e
`)
	st := rs.Streams[0]
	ev := st.Schema.NewEvent()
	if err := event.NewJSONDecoder(st.Schema).Decode([]byte(`{"id":"x","a":"q\"<&>\u00e9","b":-42,"c":2.50,"d":true,"e":"2026-03-01T10:00:00.5Z"}`), ev); err != nil {
		t.Fatal(err)
	}
	vals := []expr.Value{expr.StringValue("q\"<&>é"), expr.IntValue(-42), expr.FloatValue(2.5), expr.BoolValue(true),
		expr.TimeValue(time.Date(2026, 3, 1, 10, 0, 0, 5e8, time.UTC).UnixMilli())}
	for n := 1; n <= 5; n++ {
		slots := []int{1, 2, 3, 4, 5}[:n]
		want, ok := engine.AppendKey(nil, ev, slots, st.Types[1:1+n])
		if got := engine.AppendKeyValues(nil, vals[:n]); !ok || string(got) != string(want) {
			t.Errorf("%d fields: %s, the engine's %s", n, got, want)
		}
	}
	if k := engine.AppendKeyValues(nil, []expr.Value{expr.FloatValue(math.Inf(1))}); string(k) != "null" {
		t.Errorf("infinity: %s", k)
	}
}
