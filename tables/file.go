package tables

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kestrelcep/kestrel/source"
)

// maxLineErrors is how many bad rows a LoadError lists.
const maxLineErrors = 20

// LoadStats describes a file load.
type LoadStats struct {
	Rows       int      // rows in the table after the load
	Lines      int64    // data rows read (not counting the header and blank lines)
	Duplicates int      // rows replaced by a later row of the file with the same key
	Missing    []string // declared columns that a CSV header lacks: null in every row
}

// LoadError is a file with bad rows. Each is reported as FILE:LINE: reason;
// the first 20 are kept, Count has them all. It wraps ErrBadRow.
type LoadError struct {
	Path  string
	Lines []LineError
	Count int
}

// LineError is one bad row of a file.
type LineError struct {
	Line int64
	Err  error
}

func (e *LoadError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d bad row", e.Path, e.Count)
	if e.Count != 1 {
		b.WriteString("s")
	}
	for _, l := range e.Lines {
		fmt.Fprintf(&b, "\n%s:%d: %v", e.Path, l.Line, l.Err)
	}
	if more := e.Count - len(e.Lines); more > 0 {
		fmt.Fprintf(&b, "\n... and %d more", more)
	}
	return b.String()
}

func (e *LoadError) Unwrap() error { return ErrBadRow }

// LoadFile replaces the table's rows with those of a file: CSV with a header
// row when the name ends in .csv or .csv.gz, JSON lines otherwise, either
// gzip-compressed when the name ends in .gz. Cells and values are typed by
// the table's columns as stream events are; undeclared columns are ignored
// and blank lines skipped. When a key occurs on several rows the last one
// wins (LoadStats.Duplicates counts the others).
//
// A bad row (a cell of the wrong type, a missing or null key column, broken
// JSON or quoting, a wrong number of cells) fails the whole load: LoadFile
// reads to the end and returns a *LoadError listing the bad rows as
// FILE:LINE: reason, and the table keeps its previous rows. A reference
// file that is half wrong should stop a replay, not silently give null
// columns.
func (t *Table) LoadFile(path string) (LoadStats, error) {
	var st LoadStats
	f, err := source.OpenFile(path)
	if err != nil {
		return st, fmt.Errorf("table %q: %w", t.l.Name, err)
	}
	defer f.Close()

	var decode func(line []byte) (*Row, error)
	if f.IsCSV() {
		header, err := f.ReadHeader()
		if err != nil {
			return st, fmt.Errorf("table %q: %w", t.l.Name, err)
		}
		d, missing, err := newCSVDecoder(t.l, string(header))
		if err != nil {
			return st, fmt.Errorf("table %q: %s:1: %w", t.l.Name, path, err)
		}
		st.Missing = missing
		decode = func(line []byte) (*Row, error) { return d.decode(string(line)) }
	} else {
		decode = func(line []byte) (*Row, error) { return t.l.decodeJSON(line, true) }
	}

	m := make(map[string]*Row)
	lerr := &LoadError{Path: path}
	bad := func(line int64, err error) {
		lerr.Count++
		if len(lerr.Lines) < maxLineErrors {
			lerr.Lines = append(lerr.Lines, LineError{Line: line, Err: err})
		}
	}
	for {
		line, no, err := f.Next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, source.ErrLineTooLong) {
			bad(no, errors.New("line too long"))
			continue
		}
		if err != nil {
			return st, fmt.Errorf("table %q: %w", t.l.Name, err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		st.Lines++
		r, err := decode(line)
		if err != nil {
			bad(no, err)
			continue
		}
		k := t.l.rowKey(r)
		if _, dup := m[k]; dup {
			st.Duplicates++
		}
		m[k] = r
	}
	if lerr.Count > 0 {
		return st, fmt.Errorf("table %q: %w", t.l.Name, lerr)
	}
	t.replace(m)
	st.Rows = len(m)
	return st, nil
}
