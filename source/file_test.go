package source

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if strings.HasSuffix(name, ".gz") {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(data)
		zw.Close()
		data = b.Bytes()
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type line struct {
	text string
	no   int64
}

func readAll(t *testing.T, r *FileReader) ([]line, []error) {
	t.Helper()
	var lines []line
	var errs []error
	for {
		l, no, err := r.Next()
		if err == io.EOF {
			return lines, errs
		}
		if err != nil {
			errs = append(errs, err)
			if !errors.Is(err, ErrLineTooLong) {
				return lines, errs
			}
			continue
		}
		lines = append(lines, line{string(l), no})
	}
}

func TestFileReaderLines(t *testing.T) {
	tests := []struct {
		name, data string
		want       []line
	}{
		{"empty", "", nil},
		{"one", "a\n", []line{{"a", 1}}},
		{"no final newline", "a\nb", []line{{"a", 1}, {"b", 2}}},
		{"crlf", "a\r\nb\r\n", []line{{"a", 1}, {"b", 2}}},
		{"crlf no final newline", "a\r\nb\r", []line{{"a", 1}, {"b", 2}}},
		{"blank lines", "\n\na\n\r\n", []line{{"", 1}, {"", 2}, {"a", 3}, {"", 4}}},
		{"cr inside a line", "a\rb\n", []line{{"a\rb", 1}}},
		{"bom", "\xef\xbb\xbfa\n\xef\xbb\xbfb\n", []line{{"a", 1}, {"\xef\xbb\xbfb", 2}}},
		{"bom only", "\xef\xbb\xbf", nil},
		{"bom then newline", "\xef\xbb\xbf\n", []line{{"", 1}}},
		{"short", "\xef\n", []line{{"\xef", 1}}},
	}
	for _, tt := range tests {
		for _, ext := range []string{".jsonl", ".jsonl.gz"} {
			for _, ra := range []bool{false, true} {
				t.Run(tt.name+ext, func(t *testing.T) {
					r, err := OpenFileWith(writeFile(t, "f"+ext, []byte(tt.data)), Options{ReadAhead: ra})
					if err != nil {
						t.Fatal(err)
					}
					defer r.Close()
					got, errs := readAll(t, r)
					if len(errs) > 0 || !reflect.DeepEqual(got, tt.want) {
						t.Errorf("got %v, %v; want %v", got, errs, tt.want)
					}
					// EOF again.
					if _, _, err := r.Next(); err != io.EOF {
						t.Errorf("after EOF: %v", err)
					}
				})
			}
		}
	}
}

// Random lines across buffer boundaries, compared with strings.Split.
func TestFileReaderRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for round := range 20 {
		var b strings.Builder
		var want []line
		n := rng.IntN(300)
		for i := range n {
			l := strings.Repeat(string(rune('a'+i%26)), rng.IntN(100))
			want = append(want, line{l, int64(i + 1)})
			b.WriteString(l)
			if rng.IntN(3) == 0 {
				b.WriteByte('\r')
			}
			if i < n-1 || rng.IntN(2) == 0 {
				b.WriteByte('\n')
			}
		}
		for _, ext := range []string{".csv", ".csv.gz"} {
			r, err := OpenFileWith(writeFile(t, "r"+ext, []byte(b.String())), Options{MaxLineSize: 100, ReadAhead: round%2 == 0})
			if err != nil {
				t.Fatal(err)
			}
			got, errs := readAll(t, r)
			r.Close()
			if len(want) == 1 && want[0].text == "" && len(got) == 0 {
				got = want // a file of one empty line without a line break is empty
			}
			if len(errs) > 0 || !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d %s: %d lines, %v; want %d", round, ext, len(got), errs, len(want))
			}
		}
	}
}

func TestFileReaderLongLine(t *testing.T) {
	data := "short\n" + strings.Repeat("x", 25) + "\r\n" + strings.Repeat("y", 10) + "\r\nafter\n" + strings.Repeat("z", 11) + "\nend"
	for _, ext := range []string{".jsonl", ".jsonl.gz"} {
		r, err := OpenFileWith(writeFile(t, "long"+ext, []byte(data)), Options{MaxLineSize: 10})
		if err != nil {
			t.Fatal(err)
		}
		got, errs := readAll(t, r)
		r.Close()
		want := []line{{"short", 1}, {strings.Repeat("y", 10), 3}, {"after", 4}, {"end", 6}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v", ext, got)
		}
		if len(errs) != 2 || errs[0].Error() != "long"+ext+":2: line too long: longer than 10 bytes" ||
			!strings.HasPrefix(errs[1].Error(), "long"+ext+":5: ") || !errors.Is(errs[1], ErrLineTooLong) {
			t.Errorf("%s: errors %v", ext, errs)
		}
	}
}

func TestFileReaderInfo(t *testing.T) {
	data := []byte("id,ts\n1,2\n")
	path := writeFile(t, "Handbook.CSV", data)
	r, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !r.IsCSV() || r.Name() != "Handbook.CSV" || r.Path() != path || r.Size() != int64(len(data)) {
		t.Errorf("IsCSV %v Name %q Size %d", r.IsCSV(), r.Name(), r.Size())
	}
	h, err := r.ReadHeader()
	if err != nil || string(h) != "id,ts" {
		t.Errorf("ReadHeader = %q, %v", h, err)
	}
	if _, err := r.ReadHeader(); err == nil {
		t.Error("second ReadHeader succeeded")
	}
	l, no, err := r.Next()
	if string(l) != "1,2" || no != 2 || err != nil {
		t.Errorf("Next = %q, %d, %v", l, no, err)
	}
	r.Next()
	if r.BytesRead() != r.Size() {
		t.Errorf("BytesRead %d, Size %d", r.BytesRead(), r.Size())
	}
	for name, csv := range map[string]bool{"a.csv.gz": true, "a.jsonl": false, "a.json.gz": false, "a.csv.bak": false} {
		r, err := OpenFile(writeFile(t, name, []byte("x\n")))
		if err != nil {
			t.Fatal(err)
		}
		if r.IsCSV() != csv {
			t.Errorf("%s: IsCSV %v", name, r.IsCSV())
		}
		r.Close()
	}
	empty, _ := OpenFile(writeFile(t, "e.csv", nil))
	if _, err := empty.ReadHeader(); err == nil || !strings.Contains(err.Error(), "e.csv: empty file") {
		t.Errorf("ReadHeader of an empty file: %v", err)
	}
	empty.Close()
}

func TestFileReaderErrors(t *testing.T) {
	if _, err := OpenFile(filepath.Join(t.TempDir(), "missing.jsonl")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := OpenFile(writeFile(t, "notgzip.jsonl", []byte("x"))); err != nil {
		t.Error(err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl.gz")
	os.WriteFile(bad, []byte("not gzip at all"), 0o644)
	if _, err := OpenFile(bad); err == nil || !strings.Contains(err.Error(), "bad.jsonl.gz") {
		t.Errorf("not gzip: %v", err)
	}
	// A truncated gzip file: the complete lines, then an error naming the file.
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	for range 1000 {
		zw.Write([]byte(`{"a":"some text to make the stream longer"}` + "\n"))
	}
	zw.Close()
	trunc := filepath.Join(dir, "trunc.jsonl.gz")
	os.WriteFile(trunc, b.Bytes()[:b.Len()/2], 0o644)
	for _, ra := range []bool{false, true} {
		r, err := OpenFileWith(trunc, Options{ReadAhead: ra})
		if err != nil {
			t.Fatal(err)
		}
		lines, errs := readAll(t, r)
		r.Close()
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "trunc.jsonl.gz: after line ") || !errors.Is(errs[0], io.ErrUnexpectedEOF) {
			t.Errorf("truncated (read-ahead %v): %d lines, %v", ra, len(lines), errs)
		}
		for _, l := range lines {
			if l.text != `{"a":"some text to make the stream longer"}` {
				t.Fatalf("line %d: %q", l.no, l.text)
			}
		}
	}
}

// Several gzip members, as cat a.gz b.gz makes, read as one stream.
func TestFileReaderMultiMember(t *testing.T) {
	var b bytes.Buffer
	for _, s := range []string{"a\nb\n", "c\n"} {
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
	}
	path := filepath.Join(t.TempDir(), "m.jsonl.gz")
	os.WriteFile(path, b.Bytes(), 0o644)
	r, _ := OpenFile(path)
	defer r.Close()
	got, errs := readAll(t, r)
	if len(errs) > 0 || len(got) != 3 || got[2].text != "c" {
		t.Errorf("got %v, %v", got, errs)
	}
}

// Closing before the end stops the read-ahead goroutine.
func TestFileReaderCloseEarly(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef\n"), 1<<18)
	r, err := OpenFileWith(writeFile(t, "big.jsonl.gz", data), Options{ReadAhead: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}
