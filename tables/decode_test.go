package tables

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kestrelcep/kestrel/expr"
)

func TestDecodeJSON(t *testing.T) {
	tab := cards(t) // bin int, country string, limit float, blocked bool, since time, issuer string
	tests := []struct {
		line string
		want []expr.Value // nil: an error
		err  string
	}{
		{`{"bin":1,"country":"DE"}`, []expr.Value{num(1), str("DE"), null, null, null, null}, ""},
		{` { "bin" : 1 , "country" : "DE" , "limit" : 2.5 } `, []expr.Value{num(1), str("DE"), flt(2.5), null, null, null}, ""},
		// Undeclared members of any shape are skipped.
		{`{"x":{"a":[1,{"b":"}]"}],"c":null},"bin":1,"y":[[],"\"",true],"country":"DE","z":-1.5e3}`,
			[]expr.Value{num(1), str("DE"), null, null, null, null}, ""},
		// Of a key given twice, the last wins, null too.
		{`{"bin":1,"country":"DE","limit":1,"limit":2,"issuer":"a","issuer":null}`,
			[]expr.Value{num(1), str("DE"), flt(2), null, null, null}, ""},
		// Escapes in strings and keys.
		{`{"bin":1,"country":"D\u0045","issuer":"a\\b\"c\u00e9\ud83d\ude00","\u0062locked":true}`,
			[]expr.Value{num(1), str("DE"), null, bl(true), null, str("a\\b\"cé😀")}, ""},
		{`{"bin":1,"country":"DE","issuer":"é😀"}`, []expr.Value{num(1), str("DE"), null, null, null, str("é😀")}, ""},
		{`{"bin":1,"country":"DE","issuer":"` + "\xff" + `"}`, nil, "not valid UTF-8"},
		{`{"bin":1,"country":"DE",}`, nil, "invalid JSON"},
		{`{"bin":1,"country":"DE"} x`, nil, "invalid JSON"},
		{`{"bin":1 "country":"DE"}`, nil, "invalid JSON"},
		{`"bin"`, nil, "expected a JSON object"},
		{``, nil, "expected a JSON object"},
		{`{}`, nil, `key column "bin" is null`},
		{`{"bin":1,"country":"DE","limit":true}`, nil, `column "limit": expected a number, got a bool`},
	}
	for _, tt := range tests {
		r, err := tab.l.decodeJSON([]byte(tt.line), true)
		if tt.want == nil {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", tt.line, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.line, err)
			continue
		}
		if got := r.Values(); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %v\nwant %v", tt.line, got, tt.want)
		}
	}
}

// FuzzDecodeJSON checks the JSON row decoder against encoding/json: the
// same columns for every valid object, and no panic on any input.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"bin":1,"country":"DE","limit":2.5,"blocked":true,"since":"2026-11-27T10:15:00Z","issuer":"a\"b"}`,
		`{"x":{"a":[1,{"b":"}]"}]},"bin":1e3,"country":"D\u0045"}`,
		`{"bin":-0,"country":"","since":12,"issuer":null}`,
		`{"bin":1,"bin":2}`,
		`{"bin":1,`,
		`[]`,
	} {
		f.Add(s)
	}
	l := cards(f).l
	f.Fuzz(func(t *testing.T, line string) {
		r, err := l.decodeJSON([]byte(line), false)
		if !json.Valid([]byte(line)) || !utf8.ValidString(line) {
			if err == nil {
				t.Fatalf("%q: decoded, but it is not valid JSON in UTF-8", line)
			}
			return
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal([]byte(line), &obj) != nil {
			if err == nil {
				t.Fatalf("%q: decoded, but it is not an object", line)
			}
			return
		}
		// The oracle: each declared member's last value, by parseJSON.
		want := make([]expr.Value, len(l.Fields))
		var werr error
		for i, name := range l.Fields {
			if raw, ok := obj[name]; ok {
				v, err := parseJSON(l.Types[i], raw)
				if err != nil {
					werr = err
				}
				want[i] = v
			}
		}
		dups := false
		seen := map[string]bool{}
		eachMember([]byte(strings.TrimSpace(line)), func(key, _ []byte) error {
			var k string
			json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &k)
			dups = dups || seen[k]
			seen[k] = true
			return nil
		})
		if dups {
			return // a bad value given before a good one fails here, not in the oracle
		}
		if (err != nil) != (werr != nil) {
			t.Fatalf("%q: error %v, oracle error %v", line, err, werr)
		}
		if err == nil {
			if got := r.Values(); !slices.Equal(got, want) {
				t.Fatalf("%q:\n got %v\nwant %v", line, got, want)
			}
		}
	})
}

// FuzzCSV: no input panics the CSV row decoder, and a row that decodes
// has its key.
func FuzzCSV(f *testing.F) {
	for _, s := range []string{`1,DE,2.5,true,2026-11-27T10:15:00Z,"a ""b"", c"`, `,,,,,`, `"`, `1,"DE`, `1e3,DE,,,,`} {
		f.Add(s)
	}
	tab := cards(f)
	d, _, err := newCSVDecoder(tab.l, "bin,country,limit,blocked,since,issuer")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, err := d.decode(line)
		if err == nil {
			if r.isNull(0) || r.isNull(1) {
				t.Fatalf("%q: a row without its key", line)
			}
		}
	})
}
