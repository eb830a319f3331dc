package event

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

const ts0 = `"t":1000`

func TestJSONTypes(t *testing.T) {
	s := allSchema(t)
	tests := []struct {
		line string
		want map[string]any // fields not listed are expected null, except t = 1000
	}{
		{`{"t":1000}`, nil},
		{`{"s":"abc",` + ts0 + `}`, map[string]any{"s": "abc"}},
		{`{"s":"",` + ts0 + `}`, map[string]any{"s": ""}},
		{`{"s":null,` + ts0 + `}`, nil},
		{`{"i":42,` + ts0 + `}`, map[string]any{"i": int64(42)}},
		{`{"i":-42,` + ts0 + `}`, map[string]any{"i": int64(-42)}},
		{`{"i":0,` + ts0 + `}`, map[string]any{"i": int64(0)}},
		{`{"i":-0,` + ts0 + `}`, map[string]any{"i": int64(0)}},
		{`{"i":1e3,` + ts0 + `}`, map[string]any{"i": int64(1000)}},
		{`{"i":1E+3,` + ts0 + `}`, map[string]any{"i": int64(1000)}},
		{`{"i":2.0,` + ts0 + `}`, map[string]any{"i": int64(2)}},
		{`{"i":1.50e1,` + ts0 + `}`, map[string]any{"i": int64(15)}},
		{`{"i":1200e-2,` + ts0 + `}`, map[string]any{"i": int64(12)}},
		{`{"i":0.0e-7,` + ts0 + `}`, map[string]any{"i": int64(0)}},
		{`{"i":9223372036854775807,` + ts0 + `}`, map[string]any{"i": int64(math.MaxInt64)}},
		{`{"i":-9223372036854775808,` + ts0 + `}`, map[string]any{"i": int64(math.MinInt64)}},
		{`{"i":9.223372036854775807e18,` + ts0 + `}`, map[string]any{"i": int64(math.MaxInt64)}},
		{`{"i":123456789012345678,` + ts0 + `}`, map[string]any{"i": int64(123456789012345678)}},
		{`{"f":1.5,` + ts0 + `}`, map[string]any{"f": 1.5}},
		{`{"f":7,` + ts0 + `}`, map[string]any{"f": 7.0}},
		{`{"f":-0.1,` + ts0 + `}`, map[string]any{"f": -0.1}},
		{`{"f":1e-400,` + ts0 + `}`, map[string]any{"f": 0.0}},
		{`{"f":1.7976931348623157e308,` + ts0 + `}`, map[string]any{"f": math.MaxFloat64}},
		{`{"f":0.30000000000000004,` + ts0 + `}`, map[string]any{"f": 0.30000000000000004}},
		{`{"f":123456789.123456789,` + ts0 + `}`, map[string]any{"f": 123456789.123456789}},
		{`{"b":true,` + ts0 + `}`, map[string]any{"b": true}},
		{`{"b":false,` + ts0 + `}`, map[string]any{"b": false}},
		{`{"t":1522540831000}`, map[string]any{"t": int64(1522540831000)}},
		{`{"t":-1}`, map[string]any{"t": int64(-1)}},
		{`{"t":1.522540831e12}`, map[string]any{"t": int64(1522540831000)}},
		{`{"t":"2018-04-01T00:00:31Z"}`, map[string]any{"t": int64(1522540831000)}},
		{`{"t":"2018-04-01T00:00:31.5Z"}`, map[string]any{"t": int64(1522540831500)}},
		{`{"t":"2018-04-01T00:00:31.123456789Z"}`, map[string]any{"t": int64(1522540831123)}},
		{`{"t":"2018-04-01T02:00:31+02:00"}`, map[string]any{"t": int64(1522540831000)}},
		{`{"t":"2018-03-31t22:00:31.25-02:00"}`, map[string]any{"t": int64(1522540831250)}},
		{`{"t":"2018-04-01T00:00:31z"}`, map[string]any{"t": int64(1522540831000)}},
		{`{"t":"1969-12-31T23:59:59.9999Z"}`, map[string]any{"t": int64(-1)}}, // truncated toward -inf
		{`{"t":"2018-04-01T00:00:31\u005a"}`, map[string]any{"t": int64(1522540831000)}},
		// whitespace, undeclared fields, duplicate keys
		{" \t{ \"i\" : 1 , \"t\" : 1000 } \r\n", map[string]any{"i": int64(1)}},
		{`{"x":{"a":[1,{"b":null}],"c":"}"},"i":1,"y":[],"z":{},` + ts0 + `}`, map[string]any{"i": int64(1)}},
		{`{"i":1,"i":2,` + ts0 + `}`, map[string]any{"i": int64(2)}},
		{`{"i":1,"i":null,` + ts0 + `}`, nil},
		{`{"I":1,` + ts0 + `}`, nil}, // keys are case-sensitive
		{`{"\u0069":5,` + ts0 + `}`, map[string]any{"i": int64(5)}},
	}
	dec := NewJSONDecoder(s)
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			ev := s.NewEvent()
			if err := dec.Decode([]byte(tt.line), ev); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"s": nil, "i": nil, "f": nil, "b": nil, "t": int64(1000)}
			for k, v := range tt.want {
				want[k] = v
			}
			if got := values(ev); !reflect.DeepEqual(got, want) {
				t.Errorf("got %v\nwant %v", got, want)
			}
			if ev.Time != want["t"] {
				t.Errorf("Time = %d", ev.Time)
			}
			if string(ev.JSON()) != strings.TrimSpace(tt.line) {
				t.Errorf("JSON() = %s", ev.JSON())
			}
			if ev.Stream() != 3 {
				t.Errorf("Stream() = %d", ev.Stream())
			}
		})
	}
}

func TestJSONStrings(t *testing.T) {
	s := allSchema(t)
	dec := NewJSONDecoder(s)
	tests := []struct{ in, want string }{
		{`plain`, "plain"},
		{`a\"b`, `a"b`},
		{`a\\b`, `a\b`},
		{`a\/b`, `a/b`},
		{`\b\f\n\r\t`, "\b\f\n\r\t"},
		{`\u0041\u00e9\u20ac`, "Aé€"},
		{`\uD83D\uDE00`, "😀"},
		{`\ud83d\ude00x`, "😀x"},
		{`\uD83D`, "\uFFFD"},        // lone high surrogate
		{`\uDE00`, "\uFFFD"},        // lone low surrogate
		{`\uD83Dx`, "\uFFFDx"},      // high surrogate then a letter
		{`\uD83D\u0041`, "\uFFFDA"}, // high surrogate then a non-surrogate escape
		{`\uD83D\uD83D\uDE00`, "\uFFFD😀"},
		{`héllo wörld 日本`, "héllo wörld 日本"},
		{`\u0000`, "\x00"},
	}
	for _, tt := range tests {
		line := `{"s":"` + tt.in + `",` + ts0 + `}`
		ev := s.NewEvent()
		if err := dec.Decode([]byte(line), ev); err != nil {
			t.Errorf("%s: %v", line, err)
			continue
		}
		got, ok := ev.Str(0)
		if !ok || got != tt.want {
			t.Errorf("%s: got %q, %v; want %q", line, got, ok, tt.want)
		}
		// encoding/json agrees.
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil || m["s"] != tt.want {
			t.Errorf("%s: encoding/json gives %q, %v", line, m["s"], err)
		}
	}
}

func TestJSONErrors(t *testing.T) {
	s := allSchema(t)
	dec := NewJSONDecoder(s)
	tests := []struct{ line, want string }{
		{`{"f":"12.5",` + ts0 + `}`, `field "f": expected a number, got string`},
		{`{"i":"12",` + ts0 + `}`, `field "i": expected an integer, got string`},
		{`{"i":1.5,` + ts0 + `}`, `field "i": expected an integer, got 1.5`},
		{`{"i":1e-3,` + ts0 + `}`, `field "i": expected an integer, got 1e-3`},
		{`{"i":9223372036854775808,` + ts0 + `}`, `field "i": integer 9223372036854775808 out of range`},
		{`{"i":1e19,` + ts0 + `}`, `field "i": integer 1e19 out of range`},
		{`{"i":1e999999999999,` + ts0 + `}`, `field "i": integer 1e999999999999 out of range`},
		{`{"f":1e400,` + ts0 + `}`, `field "f": number 1e400 out of range`},
		{`{"s":1,` + ts0 + `}`, `field "s": expected a string, got number`},
		{`{"s":{"a":1},` + ts0 + `}`, `field "s": expected a string, got object`},
		{`{"b":"true",` + ts0 + `}`, `field "b": expected true or false, got string`},
		{`{"b":1,` + ts0 + `}`, `field "b": expected true or false, got number`},
		{`{"f":[1],` + ts0 + `}`, `field "f": expected a number, got array`},
		{`{"i":true,` + ts0 + `}`, `field "i": expected an integer, got bool`},
		{`{"t":true}`, `field "t": expected an RFC 3339 string or epoch milliseconds, got bool`},
		{`{"t":1.5}`, `field "t": expected an RFC 3339 string or epoch milliseconds, got 1.5`},
		{`{"t":"2018-13-01T00:00:00Z"}`, `field "t": invalid RFC 3339 time "2018-13-01T00:00:00Z"`},
		{`{"t":"2018-04-01 00:00:31Z"}`, `field "t": invalid RFC 3339 time "2018-04-01 00:00:31Z"`},
		{`{"t":"2018-04-01T00:00:31"}`, `field "t": invalid RFC 3339 time "2018-04-01T00:00:31"`},
		{`{"i":1}`, `missing timestamp field "t"`},
		{`{}`, `missing timestamp field "t"`},
		{`{"t":null}`, `timestamp field "t" is null`},
		{`[1,2]`, `expected a JSON object, got array`},
		{`"x"`, `expected a JSON object, got string`},
		{`42`, `expected a JSON object, got number`},
		{`x`, `invalid JSON at byte 0: invalid character 'x'`},
		{`  {"t":1000`, `invalid JSON at byte 11: unexpected end of input`},
		{`{"t":1000}x`, `invalid JSON at byte 10: unexpected 'x' after the object`},
		{`{"t":1000} {}`, `invalid JSON at byte 11: unexpected '{' after the object`},
		{`{"t":1000,}`, `invalid JSON at byte 10: expected a string key, got '}'`},
		{`{"t" 1000}`, `invalid JSON at byte 5: expected ':' after object key, got '1'`},
		{`{"t":1000 "i":1}`, `invalid JSON at byte 10: expected ',' or '}' after object member, got '"'`},
		{`{t:1000}`, `invalid JSON at byte 1: expected a string key, got 't'`},
		{`{"t":01}`, `invalid JSON at byte 6: expected ',' or '}' after object member, got '1'`},
		{`{"t":-}`, `invalid JSON at byte 6: invalid character '}' in number`},
		{`{"t":1.}`, `invalid JSON at byte 7: invalid character '}' in number`},
		{`{"t":1000,"x":tru}`, `invalid JSON at byte 17: invalid character '}' in literal true`},
		{`{"b":tru,"t":1}`, `invalid JSON at byte 8: invalid character ',' in literal true`},
		{`{"t":1000,"x":[1,2}`, `invalid JSON at byte 18: expected ',' or ']', got '}'`},
		{`{"t":1000,"x":{"a" 1}}`, `invalid JSON at byte 19: expected ':' after object key, got '1'`},
		{`{"t":1000,"x":'a'}`, `invalid JSON at byte 14: invalid character '\'' looking for a value`},
		{`{"s":"a` + "\n" + `b","t":1}`, `invalid JSON at byte 7: control character '\n' in string`},
		{`{"s":"a\x","t":1}`, `invalid JSON at byte 7: invalid escape "\\x" in string`},
		{`{"s":"a\u12g4","t":1}`, `invalid JSON at byte 7: invalid \u escape "\\u12g4"`},
		{"{\"s\":\"a\xff\",\"t\":1}", `invalid JSON at byte 7: invalid UTF-8 in string`},
		{"{\"t\":1000,\"x\":\"\xc3\"}", `invalid JSON at byte 15: invalid UTF-8 in string`},
		{`{"s":"abc`, `invalid JSON at byte 9: unexpected end of input in string`},
		{`{"t":1000,"x":[[[`, `invalid JSON at byte 17: unexpected end of input`},
		{`{"t":1000,"x":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`, `nesting deeper than 10000`},
	}
	for _, tt := range tests {
		name := tt.line
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			err := dec.Decode([]byte(tt.line), s.NewEvent())
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v (%T), want a *DecodeError", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant     %q", err, tt.want)
			}
			// encoding/json accepts invalid UTF-8 (and replaces it); we reject it.
			if json.Valid([]byte(tt.line)) && strings.HasPrefix(de.Reason, "invalid JSON") && !strings.Contains(de.Reason, "UTF-8") {
				t.Errorf("encoding/json finds %s valid", tt.line)
			}
		})
	}
	// Depth 10000 in all is what encoding/json allows.
	ok := `{"t":1000,"x":` + strings.Repeat("[", 9998) + strings.Repeat("]", 9998) + `}`
	if err := dec.Decode([]byte(ok), s.NewEvent()); err != nil || !json.Valid([]byte(ok)) {
		t.Errorf("depth 9999: %v, encoding/json %v", err, json.Valid([]byte(ok)))
	}
}

func TestJSONBlank(t *testing.T) {
	dec := NewJSONDecoder(allSchema(t))
	for _, line := range []string{"", " ", "\r\n", "\t \n"} {
		if err := dec.Decode([]byte(line), new(Event)); err != ErrBlankLine {
			t.Errorf("%q: %v", line, err)
		}
	}
}

// The decoder predicts key positions from the previous line; changing orders
// and unknown keys must not confuse it.
func TestJSONKeyOrder(t *testing.T) {
	s := allSchema(t)
	dec := NewJSONDecoder(s)
	lines := []string{
		`{"s":"a","i":1,"f":1.5,"b":true,"t":1}`,
		`{"t":2,"b":false,"f":2.5,"i":2,"s":"b"}`,
		`{"x":0,"s":"c","i":3,"f":3.5,"b":true,"t":3}`,
		`{"s":"d","i":4,"f":4.5,"b":false,"t":4}`,
		`{"s":"e","t":5}`,
		`{"s":"f","i":6,"f":6.5,"b":true,"t":6}`,
	}
	for k, line := range lines {
		ev := s.NewEvent()
		if err := dec.Decode([]byte(line), ev); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal([]byte(line), &m)
		got := values(ev)
		for name, v := range got {
			w := m[name]
			switch x := w.(type) {
			case float64:
				if name == "i" || name == "t" {
					w = int64(x)
				}
			}
			if !reflect.DeepEqual(v, w) {
				t.Errorf("line %d: %s = %v, want %v", k, name, v, w)
			}
		}
	}
}

// Strings without escapes point into Raw; decoding again into the same Event
// must not change strings handed out before.
func TestJSONReuseKeepsStrings(t *testing.T) {
	s := allSchema(t)
	dec := NewJSONDecoder(s)
	ev := s.NewEvent()
	line := []byte(`{"s":"first","t":1}`)
	if err := dec.Decode(line, ev); err != nil {
		t.Fatal(err)
	}
	first, _ := ev.Str(0)
	copy(line, `{"s":"xxxxx","t":2}`) // the caller reuses its buffer
	if err := dec.Decode(line, ev); err != nil {
		t.Fatal(err)
	}
	second, _ := ev.Str(0)
	if first != "first" || second != "xxxxx" || ev.Time != 2 {
		t.Errorf("first %q second %q", first, second)
	}
}

// A panic inside a decoder (a bug) becomes an error for the line.
func TestDecodePanicRecovered(t *testing.T) {
	var err error
	func() {
		defer recoverInto(&err)
		var ev *Event
		ev.setWord(0, 1) // nil dereference
	}()
	if err == nil || !strings.Contains(err.Error(), internalError) {
		t.Errorf("error %v", err)
	}
}
