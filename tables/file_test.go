package tables

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

func writeFile(t testing.TB, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	b := []byte(data)
	if strings.HasSuffix(name, ".gz") {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		b = buf.Bytes()
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// cards is a table with every column type and a composite key.
func cards(t testing.TB) *Table {
	return mustNew(t, Schema{
		Name:   "cards",
		Fields: []string{"bin", "country", "limit", "blocked", "since", "issuer"},
		Types:  []expr.Type{expr.Int, expr.String, expr.Float, expr.Bool, expr.Time, expr.String},
		Keys:   []int{0, 1},
	})
}

func TestLoadFileFormats(t *testing.T) {
	want := map[string][]expr.Value{ // by country; bin is 411111
		"DE": {num(411111), str("DE"), flt(500), bl(true), tm(1795774500250), str("Big Bank, AG")},
		"FR": {num(411111), str("FR"), null, bl(false), tm(1000), null},
		"IT": {num(411111), str("IT"), flt(2), null, null, str(`say "hi"`)},
	}
	csv := "\xef\xbb\xbfbin, country ,limit,blocked,since,issuer,extra\r\n" +
		`411111,DE,500,TRUE,2026-11-27T10:15:00.250Z,"Big Bank, AG",x` + "\r\n" +
		"\n" +
		"411111,FR,,0,1000,,y\n" +
		`4.11111e5,IT,2,,,"say ""hi""",` // no final line break
	jsonl := `{"bin":411111,"country":"DE","limit":500,"blocked":true,"since":"2026-11-27T10:15:00.250Z","issuer":"Big Bank, AG","extra":{"a":[1]}}
{"bin":411111,"country":"FR","limit":null,"blocked":false,"since":1000}

  {"bin":411111.0,"country":"IT","limit":2,"issuer":"say \"hi\""}  
`
	for _, tt := range []struct{ name, data string }{
		{"cards.csv", csv},
		{"cards.CSV.gz", csv},
		{"cards.jsonl", jsonl},
		{"cards.json.gz", jsonl},
		{"cards.txt", jsonl}, // anything but .csv is JSON lines
	} {
		t.Run(tt.name, func(t *testing.T) {
			tab := cards(t)
			st, err := tab.LoadFile(writeFile(t, tt.name, tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if st.Rows != 3 || st.Lines != 3 || st.Duplicates != 0 || len(st.Missing) != 0 {
				t.Errorf("stats %+v", st)
			}
			if tab.Len() != 3 {
				t.Errorf("Len = %d", tab.Len())
			}
			for country, vals := range want {
				r := tab.Get(num(411111), str(country))
				if r == nil {
					t.Errorf("%s: no row", country)
					continue
				}
				if got := r.Values(); !slices.Equal(got, vals) {
					t.Errorf("%s:\n got %v\nwant %v", country, got, vals)
				}
			}
		})
	}
}

func TestLoadFileDuplicatesAndMissing(t *testing.T) {
	tab := merchantRisk(t)
	st, err := tab.LoadFile(writeFile(t, "m.csv", "merchant,score\nm1,0.5\nm2,0.1\nm1,0.9\n"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 2 || st.Lines != 3 || st.Duplicates != 1 || !slices.Equal(st.Missing, []string{"category"}) {
		t.Errorf("stats %+v", st)
	}
	if f, _ := tab.Get(str("m1")).Float(1); f != 0.9 {
		t.Errorf("m1 score %v: the last row wins", f)
	}
	if _, ok := tab.Get(str("m1")).Str(2); ok {
		t.Error("category, absent from the header, is not null")
	}
}

// A reload replaces the rows; an empty file leaves an empty table.
func TestLoadFileReplaces(t *testing.T) {
	tab := merchantRisk(t)
	if _, err := tab.LoadFile(writeFile(t, "a.csv", "merchant,score\nm1,0.5\nm2,0.1\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := tab.LoadFile(writeFile(t, "b.jsonl", `{"merchant":"m3"}`)); err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 1 || tab.Get(str("m1")) != nil || tab.Get(str("m3")) == nil {
		t.Fatalf("after reload: len %d", tab.Len())
	}
	st, err := tab.LoadFile(writeFile(t, "c.jsonl", ""))
	if err != nil || st.Rows != 0 || tab.Len() != 0 {
		t.Fatalf("empty file: %+v, %v, len %d", st, err, tab.Len())
	}
}

func TestLoadFileBadRows(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string // FILE:LINE: reason, FILE being the base name here
	}{
		{"bad.csv", "bin,country,limit,blocked,since\n" +
			"1,DE,1,true,0\n" +
			"x,DE,1,true,0\n" +
			"2,,1,true,0\n" +
			"3,DE,1.5.1,true,0\n" +
			"4,DE,1,yes,0\n" +
			"5,DE,1,true,1.5\n" +
			"6,DE,1\n" +
			`7,"DE,1,true,0` + "\n" +
			"1.5,DE,1,true,0\n" +
			"8,D\xffE,1,true,0\n",
			[]string{
				`bad.csv:3: column "bin": expected an integer, got "x"`,
				`bad.csv:4: key column "country" is null`,
				`bad.csv:5: column "limit": expected a number, got "1.5.1"`,
				`bad.csv:6: column "blocked": expected true, false, 1 or 0, got "yes"`,
				`bad.csv:7: column "since": expected an RFC 3339 time or epoch milliseconds, got 1.5`,
				`bad.csv:8: row has 3 cells, header has 5`,
				`bad.csv:9: cell 2: unterminated quoted cell`,
				`bad.csv:10: column "bin": expected an integer, got 1.5`,
				`bad.csv:11: not valid UTF-8`,
			}},
		{"bad.jsonl", `{"bin":1,"country":"DE"}
{"bin":1}
{"bin":"1","country":"DE"}
[1,"DE"]
{"bin":1,"country":"DE",
{"bin":2,"country":"DE","since":"2026-13-01T00:00:00Z"}
{"bin":null,"country":"DE"}
`,
			[]string{
				`bad.jsonl:2: key column "country" is null`,
				`bad.jsonl:3: column "bin": expected an integer, got a string`,
				`bad.jsonl:4: expected a JSON object`,
				`bad.jsonl:5: invalid JSON`,
				`bad.jsonl:6: column "since": invalid RFC 3339 time "2026-13-01T00:00:00Z"`,
				`bad.jsonl:7: key column "bin" is null`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := cards(t)
			good := writeFile(t, "good.csv", "bin,country\n9,XX\n")
			if _, err := tab.LoadFile(good); err != nil {
				t.Fatal(err)
			}
			path := writeFile(t, tt.name, tt.data)
			_, err := tab.LoadFile(path)
			var le *LoadError
			if !errors.As(err, &le) || !errors.Is(err, ErrBadRow) {
				t.Fatalf("error %v, want a *LoadError", err)
			}
			if le.Count != len(tt.want) || len(le.Lines) != len(tt.want) {
				t.Errorf("%d bad rows (%d listed), want %d", le.Count, len(le.Lines), len(tt.want))
			}
			msg := strings.ReplaceAll(err.Error(), filepath.Dir(path)+string(filepath.Separator), "")
			lines := strings.Split(msg, "\n")
			if wantHead := fmt.Sprintf(`table "cards": %s: %d bad rows`, tt.name, len(tt.want)); lines[0] != wantHead {
				t.Errorf("first line %q, want %q", lines[0], wantHead)
			}
			for i, w := range tt.want {
				if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], w) {
					t.Errorf("line %d of the error:\n got %q\nwant %q...", i+1, lines[min(i+1, len(lines)-1)], w)
				}
			}
			// The table keeps its rows.
			if tab.Len() != 1 || tab.Get(num(9), str("XX")) == nil {
				t.Errorf("the failed load changed the table: len %d", tab.Len())
			}
		})
	}
}

func TestLoadFileErrorListIsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("merchant,score\n")
	for i := range 50 {
		fmt.Fprintf(&b, "m%d,bad\n", i)
	}
	_, err := merchantRisk(t).LoadFile(writeFile(t, "m.csv", b.String()))
	var le *LoadError
	if !errors.As(err, &le) || le.Count != 50 || len(le.Lines) != 20 {
		t.Fatalf("%v", err)
	}
	if !strings.HasSuffix(err.Error(), "\n... and 30 more") {
		t.Errorf("error does not end with the count of the rest: %q", err.Error()[len(err.Error())-40:])
	}
}

func TestLoadFileHeaderErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"nokey.csv", "country,limit\nDE,1\n", `nokey.csv:1: CSV header has no column for key column "bin"`},
		{"dup.csv", "bin,country,bin\n", `dup.csv:1: CSV header names column "bin" twice`},
		{"empty.csv", "", "empty file, no header"},
		{"blank.csv", "\n1,DE\n", "empty CSV header"},
		{"missing.jsonl", "", "no such file"},
	}
	for _, tt := range tests {
		path := writeFile(t, tt.name, tt.data)
		if tt.name == "missing.jsonl" {
			os.Remove(path)
		}
		_, err := cards(t).LoadFile(path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
		if errors.Is(err, ErrBadRow) {
			t.Errorf("%s: a file error wraps ErrBadRow", tt.name)
		}
	}
}

func TestLoadFileBrokenGzip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.csv.gz")
	os.WriteFile(path, []byte("not gzip"), 0o644)
	if _, err := merchantRisk(t).LoadFile(path); err == nil {
		t.Fatal("no error")
	}
}
