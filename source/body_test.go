package source

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitBody(t *testing.T) {
	const nd = "application/x-ndjson"
	tests := []struct {
		name, ct, body string
		items          []string
		rejects        []Reject
		err            string // a substring of the error; "" for none
	}{
		{name: "object", ct: "application/json", body: ` {"a": 1} ` + "\n", items: []string{`{"a": 1}`}},
		{name: "no content type", body: `{"a":[1,{"b":"}"}]}`, items: []string{`{"a":[1,{"b":"}"}]}`}},
		{name: "array", body: `[ {"a":1} ,{"b":2},` + "\n" + `{}]`, items: []string{`{"a":1}`, `{"b":2}`, `{}`}},
		{name: "empty array", body: ` [ ] `},
		{name: "array with non-objects", body: `[1, {"a":1}, "x", [], null, true, {"b":[2]}]`,
			items: []string{`{"a":1}`, `{"b":[2]}`},
			rejects: []Reject{
				{0, "expected a JSON object, got number"}, {2, "expected a JSON object, got string"},
				{3, "expected a JSON object, got array"}, {4, "expected a JSON object, got null"},
				{5, "expected a JSON object, got boolean"},
			}},
		{name: "scalar", body: `42`, rejects: []Reject{{0, "expected a JSON object, got number"}}},
		{name: "empty", body: "", err: "the body is empty"},
		{name: "space", body: " \r\n\t", err: "the body is empty"},
		{name: "not JSON", body: "hello", err: `invalid JSON at byte 0`},
		{name: "truncated object", body: `{"a":`, err: "unexpected end of input"},
		{name: "truncated array", body: `[{"a":1},`, err: "unexpected end of input"},
		{name: "array missing comma", body: `[{"a":1} {"b":2}]`, err: `expected ',' or ']' after array element 0`},
		{name: "broken element", body: `[{"a":1},{"b":tru}]`, err: "array element 1: invalid JSON at byte 17: invalid character '}' in literal true"},
		{name: "invalid UTF-8", body: "[{\"a\":\"\xff\"}]", err: "invalid UTF-8"},
		{name: "after array", body: `[{}] x`, err: `unexpected 'x' after the value`},
		{name: "several objects as JSON", body: "{\"a\":1}\n{\"a\":2}", err: "Content-Type application/x-ndjson"},

		{name: "ndjson", ct: nd, body: "{\"a\":1}\n\n  {\"b\":2}  \r\n{\"c\":3}", items: []string{`{"a":1}`, `{"b":2}`, `{"c":3}`}},
		{name: "ndjson params", ct: "Application/X-NDJSON; charset=utf-8", body: "{}\n{}\n", items: []string{`{}`, `{}`}},
		{name: "ndjson rejects", ct: nd, body: "{\"a\":1}\nnope\n\n[1]\n{\"b\":2} {}\n{\"c\":\n{\"d\":4}\n",
			items: []string{`{"a":1}`, `{"d":4}`},
			rejects: []Reject{
				{1, `line 2: invalid JSON at byte 1: invalid character 'o' in literal null`},
				{2, `line 4: expected a JSON object, got array`},
				{3, `line 5: invalid JSON at byte 8: unexpected '{' after the value`},
				{4, `line 6: invalid JSON at byte 5: unexpected end of input`},
			}},
		{name: "ndjson blank", ct: nd, body: "\n \n\r\n", err: "the body is empty"},
		{name: "ndjson of arrays", ct: "application/jsonl", body: `[{"a":1}]`, rejects: []Reject{{0, "line 1: expected a JSON object, got array"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, rejects, err := SplitBody(tc.ct, []byte(tc.body))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrBadBody) {
					t.Fatalf("err = %v, want one containing %q that wraps ErrBadBody", err, tc.err)
				}
				if items != nil || rejects != nil {
					t.Fatalf("items and rejects with an error: %q %v", items, rejects)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range items {
				got = append(got, string(it))
			}
			if !slices.Equal(got, tc.items) {
				t.Errorf("items = %q, want %q", got, tc.items)
			}
			if !slices.Equal(rejects, tc.rejects) {
				t.Errorf("rejects = %v, want %v", rejects, tc.rejects)
			}
		})
	}
}

// Items are subslices of the body: nothing is copied or re-encoded.
func TestSplitBodyAliases(t *testing.T) {
	body := []byte(`[{"a":"\u00e9"}, {"b": 1.50}]`)
	items, _, err := SplitBody("application/json", body)
	if err != nil || len(items) != 2 {
		t.Fatal(items, err)
	}
	if &items[0][0] != &body[1] || string(items[1]) != `{"b": 1.50}` {
		t.Errorf("items %q do not alias the body", items)
	}
}

func TestSplitBodyAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	var b bytes.Buffer
	for i := range 100 {
		fmt.Fprintf(&b, `{"id":"t%d","card":"c%d","amount":%d.5,"ts":"2026-11-02T10:00:00Z"}`+"\n", i, i%7, i)
	}
	body := b.Bytes()
	allocs := testing.AllocsPerRun(100, func() {
		if items, _, err := SplitBody("application/x-ndjson", body); err != nil || len(items) != 100 {
			t.Fatal(items, err)
		}
	})
	if allocs > 1 {
		t.Errorf("%v allocations per body of 100 lines, want 1", allocs)
	}
}

// FuzzSplitBody checks SplitBody against encoding/json: it never panics; it
// refuses a body exactly when it is not JSON; and items and rejects cover
// every element or line once, in order, the items being exactly the
// elements that are objects.
func FuzzSplitBody(f *testing.F) {
	for _, s := range []string{
		`{"a":1}`, `[{"a":1},2,"x",{"b":[{}]}]`, `[]`, `42`, "{\"a\":1}\n\nnope\n[1]\n",
		`[{"a":"\u00e9\ud800"}, {"b":1e3}]`, `[{"a":1} {"b":2}]`, "\xef\xbb\xbf{}", `[{"a":"x\"y"},null]`,
	} {
		f.Add(false, []byte(s))
		f.Add(true, []byte(s))
	}
	f.Fuzz(func(t *testing.T, ndjson bool, body []byte) {
		ct := "application/json"
		if ndjson {
			ct = "application/x-ndjson"
		}
		items, rejects, err := SplitBody(ct, body)
		if err != nil && (items != nil || rejects != nil) {
			t.Fatalf("items %q and rejects %v with error %v", items, rejects, err)
		}
		// The expected outcome of each element or line: an item, or why not.
		var want []string
		if ndjson {
			for line := range bytes.Lines(body) {
				line = bytes.Trim(line, " \t\r\n")
				switch {
				case len(line) == 0:
					continue
				case !json.Valid(line) || !utf8.Valid(line):
					want = append(want, "invalid")
				case line[0] != '{':
					want = append(want, "not an object")
				default:
					want = append(want, "item")
				}
			}
			if len(want) == 0 {
				if err == nil {
					t.Fatalf("blank NDJSON body accepted")
				}
				return
			}
		} else {
			valid := json.Valid(body)
			if !utf8.Valid(body) { // the scanner rejects invalid UTF-8, encoding/json does not
				if err == nil {
					t.Fatalf("invalid UTF-8 accepted")
				}
				return
			}
			if valid != (err == nil) {
				t.Fatalf("json.Valid = %v, but SplitBody's error is %v", valid, err)
			}
			if !valid {
				return
			}
			var elems []json.RawMessage
			trimmed := bytes.Trim(body, " \t\r\n")
			if trimmed[0] == '[' {
				if err := json.Unmarshal(body, &elems); err != nil {
					t.Fatal(err)
				}
			} else {
				elems = []json.RawMessage{trimmed}
			}
			for _, e := range elems {
				if e[0] == '{' {
					want = append(want, string(e))
				} else {
					want = append(want, "not an object")
				}
			}
			// For JSON, compare the items' bytes too.
			ii := 0
			for i, w := range want {
				if w != "not an object" {
					if ii >= len(items) || string(items[ii]) != w {
						t.Fatalf("element %d: item %d is not %q: items %q", i, ii, w, items)
					}
					ii++
				}
			}
		}
		if err != nil {
			t.Fatalf("error for a body of %d valid items: %v", len(want), err)
		}
		if len(items)+len(rejects) != len(want) {
			t.Fatalf("%d items + %d rejects for %d elements", len(items), len(rejects), len(want))
		}
		r := 0
		for i, w := range want {
			isReject := r < len(rejects) && rejects[r].Index == i
			if isReject {
				r++
			}
			if isReject == (w == "item" || strings.HasPrefix(w, "{")) {
				t.Fatalf("element %d: rejected %v, want %q (rejects %v)", i, isReject, w, rejects)
			}
		}
	})
}

// BenchmarkSplitBody splits a batch of 100 transactions, as NDJSON and as a
// JSON array.
func BenchmarkSplitBody(b *testing.B) {
	var nd, arr bytes.Buffer
	arr.WriteByte('[')
	for i := range 100 {
		ev := fmt.Sprintf(`{"id":"t%d","card":"c%d","merchant":"m%d","amount":%d.5,"country":"FR","ts":"2026-11-02T10:00:00Z"}`, i, i%7, i%13, i)
		nd.WriteString(ev + "\n")
		if i > 0 {
			arr.WriteByte(',')
		}
		arr.WriteString(ev)
	}
	arr.WriteByte(']')
	for _, c := range []struct {
		name, ct string
		body     []byte
	}{
		{"ndjson", "application/x-ndjson", nd.Bytes()},
		{"array", "application/json", arr.Bytes()},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				if _, _, err := SplitBody(c.ct, c.body); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)*100/b.Elapsed().Seconds(), "events/s")
		})
	}
}
