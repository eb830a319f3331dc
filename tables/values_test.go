package tables

import (
	"math"
	"strings"
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

// A CSV cell, or the text of a single-column key.
func TestParseText(t *testing.T) {
	S, I, F, B, T := expr.String, expr.Int, expr.Float, expr.Bool, expr.Time
	const ts = 1795774500250 // 2026-11-27T10:15:00.250Z
	tests := []struct {
		t    expr.Type
		cell string
		want expr.Value
		err  string // a substring of the error; "" for none
	}{
		{S, "abc", str("abc"), ""},
		{S, " a b ", str(" a b "), ""}, // strings keep their blanks
		{S, "", null, ""},              // an empty cell is null, strings too
		{I, "", null, ""},
		{I, "  ", null, ""},
		{I, "42", num(42), ""},
		{I, " -42 ", num(-42), ""},
		{I, "+7", num(7), ""},
		{I, "1e3", num(1000), ""},
		{I, "2.0", num(2), ""},
		{I, "2.50e1", num(25), ""},
		{I, "9223372036854775807", num(math.MaxInt64), ""},
		{I, "-9223372036854775808", num(math.MinInt64), ""},
		{I, "-9.223372036854775808e18", num(math.MinInt64), ""},
		{I, "0.000e5", num(0), ""},
		{I, "1.5", null, "expected an integer, got 1.5"},
		{I, "1e-1", null, "expected an integer"},
		{I, "9223372036854775808", null, "integer 9223372036854775808 out of range"},
		{I, "1e19", null, "out of range"},
		{I, "1e999999999999", null, "out of range"},
		{I, "abc", null, `expected an integer, got "abc"`},
		{I, "0x10", null, "expected an integer"},
		{I, "1_000", null, "expected an integer"},
		{F, "0.5", flt(0.5), ""},
		{F, ".5", flt(0.5), ""},
		{F, "5.", flt(5), ""},
		{F, "-1e-3", flt(-0.001), ""},
		{F, "42", flt(42), ""},
		{F, "1e400", null, "out of range"},
		{F, "NaN", null, "expected a number"},
		{F, "Inf", null, "expected a number"},
		{F, "1,5", null, "expected a number"},
		{B, "true", bl(true), ""},
		{B, "TRUE", bl(true), ""},
		{B, "False", bl(false), ""},
		{B, "1", bl(true), ""},
		{B, "0", bl(false), ""},
		{B, "yes", null, `expected true, false, 1 or 0, got "yes"`},
		{B, "2", null, "expected true, false, 1 or 0"},
		{T, "1795774500250", tm(ts), ""},
		{T, "2026-11-27T10:15:00.250Z", tm(ts), ""},
		{T, "2026-11-27T11:15:00.250999+01:00", tm(ts), ""}, // truncated to ms
		{T, "1.7957745002505e12", null, "expected an RFC 3339 time or epoch milliseconds"},
		{T, "2026-11-27", null, "expected an RFC 3339 time"},
		{T, "yesterday", null, "expected an RFC 3339 time"},
	}
	for _, tt := range tests {
		got, err := parseText(tt.t, tt.cell)
		checkValue(t, tt.t.String()+" "+quoteCut(tt.cell), got, err, tt.want, tt.err)
	}
}

// A JSON value in a JSONL row, a Redis hash value or a Kafka message.
func TestParseJSON(t *testing.T) {
	S, I, F, B, T := expr.String, expr.Int, expr.Float, expr.Bool, expr.Time
	const ts = 1795774500250
	tests := []struct {
		t    expr.Type
		raw  string
		want expr.Value
		err  string
	}{
		{S, `"abc"`, str("abc"), ""},
		{S, `"a\"\u00e9\n"`, str("a\"é\n"), ""},
		{S, `""`, str(""), ""}, // in JSON an empty string is a string
		{S, `null`, null, ""},
		{S, `42`, null, "expected a string, got a number"},
		{S, `true`, null, "expected a string, got a bool"},
		{S, `{}`, null, "expected a string, got an object"},
		{I, `42`, num(42), ""},
		{I, `-1e3`, num(-1000), ""},
		{I, `2.0`, num(2), ""},
		{I, `1.5`, null, "expected an integer, got 1.5"},
		{I, `1e20`, null, "out of range"},
		{I, `"42"`, null, "expected an integer, got a string"},
		{I, `[1]`, null, "got an array"},
		{F, `0.25`, flt(0.25), ""},
		{F, `7`, flt(7), ""},
		{F, `1e400`, null, "out of range"},
		{F, `"0.5"`, null, "expected a number, got a string"},
		{B, `true`, bl(true), ""},
		{B, `false`, bl(false), ""},
		{B, `1`, null, "expected true or false, got a number"},
		{B, `"true"`, null, "got a string"},
		{T, `1795774500250`, tm(ts), ""},
		{T, `"2026-11-27T10:15:00.25Z"`, tm(ts), ""},
		{T, `"1795774500250"`, null, "invalid RFC 3339 time"}, // epoch ms are a number in JSON
		{T, `1.5`, null, "expected an RFC 3339 string or epoch milliseconds"},
		{T, `true`, null, "got a bool"},
	}
	for _, tt := range tests {
		got, err := parseJSON(tt.t, []byte(tt.raw))
		checkValue(t, tt.t.String()+" "+tt.raw, got, err, tt.want, tt.err)
	}
}

func checkValue(t *testing.T, what string, got expr.Value, err error, want expr.Value, wantErr string) {
	t.Helper()
	switch {
	case wantErr != "" && err == nil:
		t.Errorf("%s: got %v, want an error with %q", what, got, wantErr)
	case wantErr != "" && !strings.Contains(err.Error(), wantErr):
		t.Errorf("%s: error %q, want one with %q", what, err, wantErr)
	case wantErr == "" && err != nil:
		t.Errorf("%s: %v", what, err)
	case wantErr == "" && got != want:
		t.Errorf("%s: got %#v, want %#v", what, got, want)
	}
}

func TestSplitCSV(t *testing.T) {
	tests := []struct {
		row  string
		want []string
		err  string
	}{
		{`a,b,c`, []string{"a", "b", "c"}, ""},
		{`a,,c,`, []string{"a", "", "c", ""}, ""},
		{``, []string{""}, ""},
		{`"a,b",c`, []string{"a,b", "c"}, ""},
		{`"say ""hi""",x`, []string{`say "hi"`, "x"}, ""},
		{`x,""`, []string{"x", ""}, ""},
		{`"a`, nil, "cell 1: unterminated quoted cell"},
		{`"a"b,c`, nil, `cell 1: 'b' after a quoted cell`},
		{`a,b"c`, nil, "cell 2: a quote inside an unquoted cell"},
	}
	for _, tt := range tests {
		got, err := splitCSV(nil, tt.row)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.row, err, tt.err)
			}
			continue
		}
		if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("%q: %q, %v; want %q", tt.row, got, err, tt.want)
		}
	}
}

// Keys of Redis hash fields and Kafka messages.
func TestParseKey(t *testing.T) {
	single := merchantRisk(t).l
	intKey := mustNew(t, Schema{Name: "i", Fields: []string{"k"}, Types: []expr.Type{expr.Int}, Keys: []int{0}}).l
	comp := mustNew(t, Schema{
		Name:   "c",
		Fields: []string{"country", "bin", "limit"},
		Types:  []expr.Type{expr.String, expr.Int, expr.Float},
		Keys:   []int{0, 1},
	}).l
	tests := []struct {
		l    *layout
		text string
		want []expr.Value
		err  string
	}{
		{single, "m-42", []expr.Value{str("m-42")}, ""},
		{single, `["m-42"]`, []expr.Value{str(`["m-42"]`)}, ""}, // a single key is its text, never JSON
		{single, " m ", []expr.Value{str(" m ")}, ""},
		{single, "", nil, "empty key"},
		{intKey, "42", []expr.Value{num(42)}, ""},
		{intKey, "4.2", nil, "key: expected an integer"},
		{comp, `["DE", 411111]`, []expr.Value{str("DE"), num(411111)}, ""},
		{comp, `["DE", 4.5]`, nil, `key column "bin": expected an integer`},
		{comp, `["DE", null]`, nil, `key column "bin" is null`},
		{comp, `["DE"]`, nil, "1 values; the key has 2 (country, bin)"},
		{comp, `DE,411111`, nil, "expected a JSON array of 2 values (country, bin)"},
		{comp, `{"country":"DE"}`, nil, "expected a JSON array"},
	}
	for _, tt := range tests {
		got, err := tt.l.parseKey([]byte(tt.text))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s %q: error %v, want %q", tt.l.Name, tt.text, err, tt.err)
			}
			continue
		}
		if err != nil || len(got) != len(tt.want) {
			t.Errorf("%s %q: %v, %v; want %v", tt.l.Name, tt.text, got, err, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s %q: %v; want %v", tt.l.Name, tt.text, got, tt.want)
			}
		}
	}
}

func TestDecodeKeyed(t *testing.T) {
	l := mustNew(t, Schema{
		Name:   "c",
		Fields: []string{"country", "bin", "limit"},
		Types:  []expr.Type{expr.String, expr.Int, expr.Float},
		Keys:   []int{0, 1},
	}).l
	tests := []struct {
		key, value string
		limit      expr.Value
		err        string
	}{
		{`["DE",1]`, `{"limit": 10}`, flt(10), ""},
		{`["DE",1]`, `{"limit": null, "other": [1,2]}`, null, ""},
		{`["DE",1]`, `{"country":"DE","bin":1,"limit":2.5}`, flt(2.5), ""}, // the key repeated
		{`["DE",1]`, `{"country":"FR","limit":2.5}`, null, "differ from its key"},
		{`["DE",1]`, `{"bin":2}`, null, "differ from its key"},
		{`["DE",1]`, `{"limit":"x"}`, null, `column "limit": expected a number, got a string`},
		{`["DE",1]`, `[1]`, null, "expected a JSON object"},
		{`["DE",1]`, `{"limit":1`, null, "invalid JSON"},
		{`"DE"`, `{}`, null, "expected a JSON array"},
	}
	for _, tt := range tests {
		_, r, err := l.decodeKeyed([]byte(tt.key), []byte(tt.value))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s %s: error %v, want %q", tt.key, tt.value, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", tt.key, tt.value, err)
			continue
		}
		if c, _ := r.Str(0); c != "DE" {
			t.Errorf("%s %s: country %q", tt.key, tt.value, c)
		}
		if b, _ := r.Int(1); b != 1 {
			t.Errorf("%s %s: bin %d", tt.key, tt.value, b)
		}
		if got := r.Value(2); got != tt.limit {
			t.Errorf("%s %s: limit %v, want %v", tt.key, tt.value, got, tt.limit)
		}
	}
}
