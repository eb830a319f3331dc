package tables

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kestrelcep/kestrel/expr"
)

// csvDecoder reads the rows of a CSV file under its header.
type csvDecoder struct {
	l     *layout
	slot  []int // by CSV column: the table's column, or -1 for an undeclared one
	cells []string
}

// newCSVDecoder reads a header line: column names, spaces around them
// ignored. It must name every key column and no column twice; declared
// columns it lacks are returned (they are null in every row).
func newCSVDecoder(l *layout, header string) (*csvDecoder, []string, error) {
	if strings.TrimSpace(header) == "" {
		return nil, nil, fmt.Errorf("empty CSV header")
	}
	if !utf8.ValidString(header) {
		return nil, nil, fmt.Errorf("CSV header is not valid UTF-8")
	}
	names, err := splitCSV(nil, header)
	if err != nil {
		return nil, nil, fmt.Errorf("CSV header: %v", err)
	}
	d := &csvDecoder{l: l, slot: make([]int, len(names))}
	seen := make(map[string]bool, len(names))
	for i, name := range names {
		name = strings.TrimSpace(name)
		if seen[name] {
			return nil, nil, fmt.Errorf("CSV header names column %q twice", name)
		}
		seen[name] = true
		d.slot[i] = -1
		if f, ok := l.byName[name]; ok {
			d.slot[i] = f
		}
	}
	var missing []string
	for i, name := range l.Fields {
		if seen[name] {
			continue
		}
		if l.isKey[i] {
			return nil, nil, fmt.Errorf("CSV header has no column for key column %q", name)
		}
		missing = append(missing, name)
	}
	return d, missing, nil
}

// decode reads one data row.
func (d *csvDecoder) decode(line string) (*Row, error) {
	if !utf8.ValidString(line) {
		return nil, fmt.Errorf("not valid UTF-8")
	}
	var err error
	d.cells, err = splitCSV(d.cells[:0], line)
	if err != nil {
		return nil, err
	}
	if len(d.cells) != len(d.slot) {
		return nil, fmt.Errorf("row has %d cells, header has %d", len(d.cells), len(d.slot))
	}
	r := newRow(d.l)
	for i, cell := range d.cells {
		f := d.slot[i]
		if f < 0 {
			continue
		}
		v, err := parseText(d.l.Types[f], cell)
		if err != nil {
			return nil, fmt.Errorf("column %q: %v", d.l.Fields[f], err)
		}
		if v.Type == expr.String {
			v.S = strings.Clone(v.S) // not a view of the whole line
		}
		r.set(f, v)
	}
	if err := r.checkKey(); err != nil {
		return nil, err
	}
	return r, nil
}

// splitCSV appends the cells of a CSV row to dst: cells separated by commas,
// a cell in double quotes may hold commas and "" for a quote, but not a line
// break.
func splitCSV(dst []string, row string) ([]string, error) {
	for i := 0; ; {
		if i < len(row) && row[i] == '"' {
			j := i + 1
			esc := false
			for {
				k := strings.IndexByte(row[j:], '"')
				if k < 0 {
					return dst, fmt.Errorf("cell %d: unterminated quoted cell (a line break inside quotes is not supported)", len(dst)+1)
				}
				j += k
				if j+1 < len(row) && row[j+1] == '"' {
					esc = true
					j += 2
					continue
				}
				break
			}
			cell := row[i+1 : j]
			if esc {
				cell = strings.ReplaceAll(cell, `""`, `"`)
			}
			dst = append(dst, cell)
			j++
			if j == len(row) {
				return dst, nil
			}
			if row[j] != ',' {
				return dst, fmt.Errorf("cell %d: %q after a quoted cell", len(dst), row[j])
			}
			i = j + 1
			continue
		}
		end := len(row)
		if k := strings.IndexByte(row[i:], ','); k >= 0 {
			end = i + k
		}
		cell := row[i:end]
		if strings.IndexByte(cell, '"') >= 0 {
			return dst, fmt.Errorf("cell %d: a quote inside an unquoted cell", len(dst)+1)
		}
		dst = append(dst, cell)
		if end == len(row) {
			return dst, nil
		}
		i = end + 1
	}
}

// decodeJSON reads a JSON object into a row: declared columns by name,
// others ignored; null or absent is null; of a key given twice the last
// wins. With requireKey, a null key column is an error.
func (l *layout) decodeJSON(line []byte, requireKey bool) (*Row, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '{' {
		return nil, fmt.Errorf("expected a JSON object")
	}
	if !json.Valid(line) {
		var v any // for the reason
		err := json.Unmarshal(line, &v)
		return nil, fmt.Errorf("invalid JSON: %v", strings.TrimPrefix(fmt.Sprint(err), "json: "))
	}
	if !utf8.Valid(line) {
		return nil, fmt.Errorf("not valid UTF-8")
	}
	r := newRow(l)
	err := eachMember(line, func(key, raw []byte) error {
		f, ok := l.byName[string(key)]
		if !ok {
			if bytes.IndexByte(key, '\\') < 0 {
				return nil
			}
			var name string // a key with escapes
			if json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &name) != nil {
				return nil
			}
			if f, ok = l.byName[name]; !ok {
				return nil
			}
		}
		v, err := parseJSON(l.Types[f], raw)
		if err != nil {
			return fmt.Errorf("column %q: %v", l.Fields[f], err)
		}
		r.set(f, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if requireKey {
		if err := r.checkKey(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// eachMember calls fn with the key (as written, without its quotes) and the
// raw value of each member of obj, a valid JSON object.
func eachMember(obj []byte, fn func(key, raw []byte) error) error {
	i := skipWS(obj, 1)
	for i < len(obj) && obj[i] == '"' {
		kEnd := endString(obj, i)
		key := obj[i+1 : kEnd-1]
		i = skipWS(obj, kEnd) + 1 // past ':'
		i = skipWS(obj, i)
		vEnd := endValue(obj, i)
		if err := fn(key, obj[i:vEnd]); err != nil {
			return err
		}
		i = skipWS(obj, vEnd)
		if i < len(obj) && obj[i] == ',' {
			i = skipWS(obj, i+1)
		}
	}
	return nil
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// endString returns the index after the string that starts at b[i].
func endString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// endValue returns the index after the value that starts at b[i].
func endValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return endString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = endString(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	j := i
	for j < len(b) && !strings.ContainsRune(",}] \t\r\n", rune(b[j])) {
		j++
	}
	return j
}

// parseKey reads the key of a Redis hash field or a Kafka message: for a
// single key column its text, read as a CSV cell is; for a composite key a
// JSON array of the key columns' values, in key order.
func (l *layout) parseKey(text []byte) ([]expr.Value, error) {
	if len(l.Keys) == 1 {
		t := l.Types[l.Keys[0]]
		v, err := parseText(t, string(text))
		if err != nil {
			return nil, fmt.Errorf("key: %v", err)
		}
		if v.IsNull() {
			return nil, fmt.Errorf("empty key")
		}
		return []expr.Value{v}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(text, &items); err != nil {
		return nil, fmt.Errorf("key %s: expected a JSON array of %d values (%s)", quoteCut(string(text)), len(l.Keys), l.keyNames())
	}
	if len(items) != len(l.Keys) {
		return nil, fmt.Errorf("key %s: %d values; the key has %d (%s)", quoteCut(string(text)), len(items), len(l.Keys), l.keyNames())
	}
	key := make([]expr.Value, len(items))
	for i, raw := range items {
		f := l.Keys[i]
		v, err := parseJSON(l.Types[f], raw)
		if err != nil {
			return nil, fmt.Errorf("key column %q: %v", l.Fields[f], err)
		}
		if v.IsNull() {
			return nil, fmt.Errorf("key column %q is null", l.Fields[f])
		}
		key[i] = v
	}
	return key, nil
}

func (l *layout) keyNames() string {
	names := make([]string, len(l.Keys))
	for i, k := range l.Keys {
		names[i] = l.Fields[k]
	}
	return strings.Join(names, ", ")
}

// decodeKeyed reads a row given as a key (parseKey) and a JSON object value,
// as in a Redis hash or a Kafka topic. The value may leave out the key
// columns; if it has them they must equal the key.
func (l *layout) decodeKeyed(keyText, value []byte) (string, *Row, error) {
	key, err := l.parseKey(keyText)
	if err != nil {
		return "", nil, err
	}
	r, err := l.decodeJSON(value, false)
	if err != nil {
		return "", nil, err
	}
	k, _ := l.keyString(key)
	for i, f := range l.Keys {
		if r.isNull(f) {
			r.set(f, key[i])
		}
	}
	if l.rowKey(r) != k {
		return "", nil, fmt.Errorf("the row's key columns (%s) differ from its key %s", l.keyNames(), quoteCut(string(keyText)))
	}
	return k, r, nil
}
