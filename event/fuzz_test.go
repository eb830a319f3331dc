package event

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func readLines(f *testing.F, name string) []string {
	data, err := os.ReadFile(name)
	if err != nil {
		f.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

// FuzzJSONDecode: the decoder never panics, and whenever it accepts a line,
// encoding/json finds a valid JSON object whose declared fields have the
// values the decoder stored. Syntax errors are errors for encoding/json too.
func FuzzJSONDecode(f *testing.F) {
	for _, l := range readLines(f, "testdata/txn.jsonl") {
		f.Add(l)
	}
	for _, l := range []string{`{"s":"a\"b\u00e9","i":1e3,"f":-0.5,"b":true,"t":"2018-04-01T00:00:31.5+02:00"}`,
		`{"t":1,"x":[{"a":[]},{},null,true,false,"\ud83d"]}`, `{"t":1,"i":1,"i":null}`, `[]`, `{"t":1} x`, ` {"t":-1e3} `} {
		f.Add(l)
	}
	// Both schemas read the same fields of each line in different ways.
	schemas := []*Schema{allSchema(f), txnSchema(f)}
	f.Fuzz(func(t *testing.T, line string) {
		for _, s := range schemas {
			checkJSONDecode(t, s, line)
		}
	})
}

func checkJSONDecode(t *testing.T, s *Schema, line string) {
	ev := s.NewEvent()
	err := NewJSONDecoder(s).Decode([]byte(line), ev)
	trimmed := strings.Trim(line, " \t\r\n")
	if err != nil && strings.Contains(err.Error(), internalError) {
		t.Fatalf("%q: %v", line, err)
	}
	if err != nil {
		if err == ErrBlankLine {
			if trimmed != "" {
				t.Fatalf("%q: blank?", line)
			}
			return
		}
		if de, ok := err.(*DecodeError); ok && strings.HasPrefix(de.Reason, "invalid JSON") &&
			!strings.Contains(de.Reason, "UTF-8") && !strings.Contains(de.Reason, "nesting") && json.Valid([]byte(line)) {
			t.Fatalf("%q: we say %v, encoding/json says valid", line, err)
		}
		return
	}
	if !json.Valid([]byte(line)) || trimmed[0] != '{' {
		t.Fatalf("%q: accepted, but not a JSON object for encoding/json", line)
	}
	if string(ev.JSON()) != trimmed {
		t.Fatalf("%q: JSON() = %q", line, ev.JSON())
	}
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(line))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	for i, f := range s.Fields {
		v, present := m[f.Name]
		if !present || v == nil {
			if !ev.IsNull(i) {
				t.Fatalf("%q: %s is not null", line, f.Name)
			}
			continue
		}
		switch f.Type {
		case String:
			got, ok := ev.Str(i)
			if !ok || got != v {
				t.Fatalf("%q: %s = %q, %v; encoding/json %q", line, f.Name, got, ok, v)
			}
		case Bool:
			got, ok := ev.Bool(i)
			if !ok || got != v {
				t.Fatalf("%q: %s = %v; encoding/json %v", line, f.Name, got, v)
			}
		case Float:
			got, ok := ev.Float(i)
			want, err := strconv.ParseFloat(string(v.(json.Number)), 64)
			if !ok || err != nil || math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("%q: %s = %v; encoding/json %v", line, f.Name, got, v)
			}
		case Int, Time:
			got, ok := ev.Int(i)
			if !ok {
				t.Fatalf("%q: %s is null", line, f.Name)
			}
			var want int64
			switch v := v.(type) {
			case json.Number:
				if exp := strings.IndexAny(string(v), "eE"); exp >= 0 && len(v)-exp > 6 {
					want = 0 // a huge exponent is accepted only on a zero mantissa
				} else {
					var r int
					if want, r = integralOracle(string(v)); r != numOK {
						t.Fatalf("%q: %s = %d accepted; oracle %d", line, f.Name, got, r)
					}
				}
			case string:
				if f.Type != Time {
					t.Fatalf("%q: %s accepted a string", line, f.Name)
				}
				tm, err := time.Parse(time.RFC3339Nano, strings.Map(upperTZ, v))
				if err != nil {
					t.Fatalf("%q: %s accepted %q; time.Parse: %v", line, f.Name, v, err)
				}
				want = tm.UnixMilli()
			default:
				t.Fatalf("%q: %s accepted %T", line, f.Name, v)
			}
			if got != want {
				t.Fatalf("%q: %s = %d; want %d", line, f.Name, got, want)
			}
		}
	}
	if w, _ := ev.Int(s.Time); ev.Time != w {
		t.Fatalf("%q: Time %d, slot %d", line, ev.Time, w)
	}
}

func upperTZ(r rune) rune {
	if r == 't' || r == 'z' {
		return r - 'a' + 'A'
	}
	return r
}

// FuzzCSVDecode: the decoder never panics, and an accepted row's JSON() is
// a JSON object that agrees with the row as encoding/csv splits it.
func FuzzCSVDecode(f *testing.F) {
	lines := readLines(f, "testdata/handbook.csv")
	for _, l := range lines[1:] {
		f.Add(lines[0], l)
	}
	for _, l := range []string{`x,"a,b",+7,7,1,1000`, `x,"say ""hi""",1e3,.5,0,2018-04-01T00:00:31Z`, `,,,,,1`, `"a`, `a"b`} {
		f.Add("x,s,i,f,b,t", l)
	}
	schemas := []*Schema{allSchema(f), handbookSchema(f)}
	f.Fuzz(func(t *testing.T, header, row string) {
		for _, s := range schemas {
			dec, err := NewCSVDecoder(s, []byte(header))
			if err != nil {
				continue
			}
			ev := s.NewEvent()
			if err := dec.Decode([]byte(row), ev); err != nil {
				if strings.Contains(err.Error(), internalError) {
					t.Fatalf("%q / %q: %v", header, row, err)
				}
				continue
			}
			js := ev.JSON()
			if !json.Valid(js) {
				t.Fatalf("%q / %q: JSON() = %q is not valid", header, row, js)
			}
			if strings.ContainsAny(header+string(ev.Raw), "\r\n") {
				continue // encoding/csv reads line breaks differently
			}
			checkCSVJSON(t, dec, ev)
		}
	})
}
