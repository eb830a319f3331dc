package event

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestCSVTypes(t *testing.T) {
	s := allSchema(t)
	dec, err := NewCSVDecoder(s, []byte("x,s,i,f,b,t\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		row  string
		want map[string]any // others null; t is 1000 unless listed
	}{
		{`,,,,,1000`, nil},
		{`x,abc,42,1.5,true,1000`, map[string]any{"s": "abc", "i": int64(42), "f": 1.5, "b": true}},
		{`x,"abc",-42,-0.25,false,1000`, map[string]any{"s": "abc", "i": int64(-42), "f": -0.25, "b": false}},
		{`x,"a,b",+7,7,1,1000`, map[string]any{"s": "a,b", "i": int64(7), "f": 7.0, "b": true}},
		{`x,"say ""hi""",1e3,.5,0,1000`, map[string]any{"s": `say "hi"`, "i": int64(1000), "f": 0.5, "b": false}},
		{`x,"""",007,5.,TRUE,1000`, map[string]any{"s": `"`, "i": int64(7), "f": 5.0, "b": true}},
		{`x, a b ,  3 , 2.5 ,False,1000`, map[string]any{"s": " a b ", "i": int64(3), "f": 2.5, "b": false}},
		{`x,"",  ,"",,1000`, nil}, // empty cells, quoted or not, and blank non-string cells are null
		{`x,é,1,1e308,true,1000`, map[string]any{"s": "é", "i": int64(1), "f": 1e308, "b": true}},
		{`x,,9223372036854775807,,,1000`, map[string]any{"i": int64(math.MaxInt64)}},
		{`,,,,,2018-04-01T00:00:31Z`, map[string]any{"t": int64(1522540831000)}},
		{`,,,,," 2018-04-01T00:00:31.999+00:00 "`, map[string]any{"t": int64(1522540831999)}},
		{`,,,,,1.5e3`, map[string]any{"t": int64(1500)}},
		{"x,a,1,1,1,1000\r", map[string]any{"s": "a", "i": int64(1), "f": 1.0, "b": true}},
	}
	for _, tt := range tests {
		t.Run(tt.row, func(t *testing.T) {
			ev := s.NewEvent()
			if err := dec.Decode([]byte(tt.row), ev); err != nil {
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
				t.Errorf("Time %d", ev.Time)
			}
			if string(ev.Raw) != strings.TrimRight(tt.row, "\r\n") {
				t.Errorf("Raw %q", ev.Raw)
			}
			// JSON() is an object that encoding/json reads back to the same values.
			checkCSVJSON(t, dec, ev)
		})
	}
}

// checkCSVJSON parses ev.JSON() with encoding/json and compares it with the
// row: header order, declared fields typed, others as strings.
func checkCSVJSON(t *testing.T, dec *CSVDecoder, ev *Event) {
	t.Helper()
	js := ev.JSON()
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(string(js)))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatalf("JSON() = %s: %v", js, err)
	}
	r := csv.NewReader(strings.NewReader(string(ev.Raw)))
	cells, err := r.Read()
	if err != nil {
		t.Fatalf("encoding/csv: %v", err)
	}
	// Keys in header order.
	keys, err := objectKeys(js)
	if err != nil || !reflect.DeepEqual(keys, dec.Columns()) {
		t.Errorf("keys %v, want %v (%v)", keys, dec.Columns(), err)
	}
	for col, name := range dec.Columns() {
		got := m[name]
		f, declared := ev.Schema.Lookup(name)
		if !declared {
			if got != valid(cells[col]) {
				t.Errorf("%s: undeclared %s = %#v, want %q", js, name, got, cells[col])
			}
			continue
		}
		want := values(ev)[name]
		switch v := got.(type) {
		case nil:
			if want != nil {
				t.Errorf("%s: %s is null, want %v", js, name, want)
			}
		case json.Number:
			switch ev.Schema.Fields[f].Type {
			case Int, Time:
				n, err := v.Int64()
				if err != nil {
					x, _ := v.Float64()
					n = int64(x)
				}
				if n != want {
					t.Errorf("%s: %s = %v, want %v", js, name, v, want)
				}
			case Float:
				if x, _ := v.Float64(); x != want {
					t.Errorf("%s: %s = %v, want %v", js, name, v, want)
				}
			default:
				t.Errorf("%s: %s is a number", js, name)
			}
		case string:
			switch ev.Schema.Fields[f].Type {
			case String:
				if v != valid(want.(string)) {
					t.Errorf("%s: %s = %q, want %q", js, name, v, want)
				}
			case Time:
				if ms, err := ParseTime(v); err != nil || ms != want {
					t.Errorf("%s: %s = %q, want %v", js, name, v, want)
				}
			default:
				t.Errorf("%s: %s is a string", js, name)
			}
		case bool:
			if v != want {
				t.Errorf("%s: %s = %v, want %v", js, name, v, want)
			}
		default:
			t.Errorf("%s: %s = %#v", js, name, got)
		}
	}
}

// valid replaces each byte of invalid UTF-8 by U+FFFD, as JSON output does.
func valid(s string) string { return string([]rune(s)) }

// objectKeys lists the keys of a JSON object in order.
func objectKeys(js []byte) ([]string, error) {
	d := json.NewDecoder(strings.NewReader(string(js)))
	if _, err := d.Token(); err != nil {
		return nil, err
	}
	var keys []string
	for d.More() {
		k, err := d.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

func TestCSVJSON(t *testing.T) {
	s := allSchema(t)
	dec, err := NewCSVDecoder(s, []byte(`t,"note, quoted",i,f,b,s,extra`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ row, want string }{
		{`2018-04-01T00:00:31Z,hello,42,57.16,true,abc,`,
			`{"t":"2018-04-01T00:00:31Z","note, quoted":"hello","i":42,"f":57.16,"b":true,"s":"abc","extra":""}`},
		{`1522540831000,"a ""b"", c",1e3,146.0,1,"x""y",7`,
			`{"t":1522540831000,"note, quoted":"a \"b\", c","i":1e3,"f":146.0,"b":true,"s":"x\"y","extra":"7"}`},
		{`+1000,,+5,.5,0,,`,
			`{"t":1000,"note, quoted":"","i":5,"f":0.5,"b":false,"s":null,"extra":""}`},
		{` 1000 ,,,,,"tab	\ é ""x""",`,
			`{"t":1000,"note, quoted":"","i":null,"f":null,"b":null,"s":"tab\t\\ é \"x\"","extra":""}`},
		{"1000,\x01\xff,,,,\u2028,",
			`{"t":1000,"note, quoted":"\u0001\ufffd","i":null,"f":null,"b":null,"s":"` + "\u2028" + `","extra":""}`},
	}
	for _, tt := range tests {
		ev := s.NewEvent()
		if err := dec.Decode([]byte(tt.row), ev); err != nil {
			t.Fatalf("%s: %v", tt.row, err)
		}
		if got := string(ev.JSON()); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.row, got, tt.want)
		}
		if got := string(ev.AppendJSON([]byte("x"))); got != "x"+tt.want {
			t.Errorf("AppendJSON = %s", got)
		}
		checkCSVJSON(t, dec, ev)
	}
}

func TestCSVErrors(t *testing.T) {
	s := allSchema(t)
	dec, err := NewCSVDecoder(s, []byte("s,i,f,b,t"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ row, want string }{
		{`a,1,1,1`, `row has 4 cells, header has 5`},
		{`a,1,1,1,1000,x`, `row has 6 cells, header has 5`},
		{`a,x,1,1,1000,x`, `row has 6 cells, header has 5`}, // the count before a bad cell
		{`a,1.5,1,1,1000`, `field "i": expected an integer, got "1.5"`},
		{`a,abc,1,1,1000`, `field "i": expected an integer, got "abc"`},
		{`a,0x10,1,1,1000`, `field "i": expected an integer, got "0x10"`},
		{`a,99999999999999999999,1,1,1000`, `field "i": integer 99999999999999999999 out of range`},
		{`a,1,abc,1,1000`, `field "f": expected a number, got "abc"`},
		{`a,1,NaN,1,1000`, `field "f": expected a number, got "NaN"`},
		{`a,1,Inf,1,1000`, `field "f": expected a number, got "Inf"`},
		{`a,1,1_000,1,1000`, `field "f": expected a number, got "1_000"`},
		{`a,1,1e999,1,1000`, `field "f": number 1e999 out of range`},
		{`a,1,1,yes,1000`, `field "b": expected true, false, 1 or 0, got "yes"`},
		{`a,1,1,2,1000`, `field "b": expected true, false, 1 or 0, got "2"`},
		{`a,1,1,1,yesterday`, `field "t": expected an RFC 3339 time or epoch milliseconds, got "yesterday"`},
		{`a,1,1,1,2018-04-01`, `field "t": expected an RFC 3339 time or epoch milliseconds, got "2018-04-01"`},
		{`a,1,1,1,1.5`, `field "t": expected an RFC 3339 time or epoch milliseconds, got "1.5"`},
		{`a,1,1,1,`, `timestamp field "t" is empty`},
		{`a,1,1,1,""`, `timestamp field "t" is empty`},
		{`"a,1,1,1,1000`, `cell 1: unterminated quoted cell (a newline inside quotes is not supported)`},
		{`"a"b,1,1,1,1000`, `cell 1: unexpected 'b' after the closing quote`},
		{`a"b,1,1,1,1000`, `cell 1: a quote inside an unquoted cell`},
		{`a,1,1,1,"1000" `, `cell 5: unexpected ' ' after the closing quote`},
	}
	for _, tt := range tests {
		t.Run(tt.row, func(t *testing.T) {
			err := dec.Decode([]byte(tt.row), s.NewEvent())
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v, want a *DecodeError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant     %q", err, tt.want)
			}
		})
	}
	for _, line := range []string{"", "\n", "\r\n", "  "} {
		if err := dec.Decode([]byte(line), new(Event)); err != ErrBlankLine {
			t.Errorf("%q: %v", line, err)
		}
	}
}

func TestCSVHeader(t *testing.T) {
	s := allSchema(t)
	tests := []struct{ header, want string }{
		{"s,i,f,b,t", ""},
		{"\xef\xbb\xbft, s ,extra\r\n", ""},
		{`"t","s"`, ""},
		{"t,x,x", `CSV header names column "x" twice`},
		{"s,i", `CSV header has no column for timestamp field "t"`},
		{"", `empty CSV header`},
		{"t,\xff", `CSV header, column 2: name is not valid UTF-8`},
		{`t,"x`, `CSV header, column 2: unterminated quoted cell`},
	}
	for _, tt := range tests {
		dec, err := NewCSVDecoder(s, []byte(tt.header))
		if tt.want == "" {
			if err != nil {
				t.Errorf("%q: %v", tt.header, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %q", tt.header, err, tt.want)
		}
		_ = dec
	}
	// Missing declared columns are null; the header order is free.
	dec, _ := NewCSVDecoder(s, []byte("\xef\xbb\xbft, s ,extra\r\n"))
	if got := dec.Columns(); !reflect.DeepEqual(got, []string{"t", "s", "extra"}) {
		t.Errorf("Columns() = %q", got)
	}
	ev := s.NewEvent()
	if err := dec.Decode([]byte("5,abc,zzz"), ev); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"s": "abc", "i": nil, "f": nil, "b": nil, "t": int64(5)}
	if got := values(ev); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
	if got := string(ev.JSON()); got != `{"t":5,"s":"abc","extra":"zzz"}` {
		t.Errorf("JSON() = %s", got)
	}
}

// Rows the decoder accepts split into the same cells as with encoding/csv.
func TestCSVSplitMatchesEncodingCSV(t *testing.T) {
	rows := []string{`a,b,c`, `"a,b",c,""`, `"""",x,"y""z"`, `,,`, `"a b" ,x,y`, `a,"b`, `a"b,c,d`, ` "a",b,c`}
	for _, row := range rows {
		var got []string
		ok := true
		for i := 0; ; {
			a, b, esc, next, reason := scanCell([]byte(row), i)
			if reason != "" {
				ok = false
				break
			}
			cell := []byte(row[a:b])
			if esc {
				cell = unescapeCSV(nil, cell)
			}
			got = append(got, string(cell))
			if next > len(row) {
				break
			}
			i = next
		}
		want, err := csv.NewReader(strings.NewReader(row)).Read()
		if ok != (err == nil) {
			t.Errorf("%s: we ok=%v, encoding/csv %v", row, ok, err)
			continue
		}
		if ok && !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %q, encoding/csv %q", row, got, want)
		}
	}
}

func TestCellEnd(t *testing.T) {
	row := []byte(`abcdefghijklmnopqrstuvwxyz0123456789,"é\x00\xff`)
	for i := range row {
		for j := i; j <= len(row); j++ {
			r := row[:j]
			want := i
			for want < len(r) && r[want] != ',' && r[want] != '"' {
				want++
			}
			if got := cellEnd(r, i); got != want {
				t.Fatalf("cellEnd(%q, %d) = %d, want %d", r, i, got, want)
			}
		}
	}
	// Every byte value next to every position in a word.
	for c := range 256 {
		for pos := range 9 {
			r := []byte("aaaaaaaaaaaaaaaa")
			r[pos] = byte(c)
			want := len(r)
			if c == ',' || c == '"' {
				want = pos
			}
			if got := cellEnd(r, 0); got != want {
				t.Fatalf("cellEnd(%q) = %d, want %d", r, got, want)
			}
		}
	}
}
