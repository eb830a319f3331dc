package event

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// csvLayout is what a CSV event needs besides its row to be written as JSON:
// the header. It is shared by all events of one CSVDecoder.
type csvLayout struct {
	cols  []string // column names, in header order
	keys  [][]byte // each column's `"name":`, JSON-encoded once
	field []int    // each column's declared field, or -1
}

// CSVDecoder decodes the rows of a CSV file with a header row into events of
// one schema. Cells are split as RFC 4180 says (quoted cells, "" for a quote,
// commas inside quotes), one row per line: a quoted cell cannot contain a
// newline, and such a row is rejected as an unterminated quoted cell.
//
// The header names the columns; declared fields may come in any order and
// missing ones are null, but the timestamp field's column is required. Other
// columns are undeclared fields: kept, but only for JSON.
//
// Each cell is read as its field's declared type; an empty cell (quoted or
// not) is null. Spaces and tabs around a non-string cell are ignored; a string
// cell is taken as is. int: an integral number; float: any number (an
// optional sign, digits with an optional point and exponent; no hex, Inf or
// NaN); bool: true, false, 1 or 0 (true and false in any case); time: integral
// epoch milliseconds or an RFC 3339 string.
//
// A CSVDecoder is not safe for concurrent use.
type CSVDecoder struct {
	s       *Schema
	l       *csvLayout
	scratch []byte
}

// NewCSVDecoder returns a decoder for rows under the given header line (a
// UTF-8 byte order mark, a trailing line break and spaces around names are
// ignored). The header must be valid UTF-8 and name the timestamp field and
// no column twice.
func NewCSVDecoder(s *Schema, header []byte) (*CSVDecoder, error) {
	header = bytes.TrimPrefix(header, []byte("\xef\xbb\xbf"))
	header = bytes.TrimRight(header, "\r\n")
	if len(bytes.TrimSpace(header)) == 0 {
		return nil, fmt.Errorf("stream %q: empty CSV header", s.Name)
	}
	l := &csvLayout{}
	seen := make(map[string]bool)
	for i := 0; ; {
		a, b, esc, next, reason := scanCell(header, i)
		if reason != "" {
			return nil, fmt.Errorf("stream %q: CSV header, column %d: %s", s.Name, len(l.cols)+1, reason)
		}
		cell := header[a:b]
		if esc {
			cell = unescapeCSV(nil, cell)
		}
		name := string(bytes.TrimSpace(cell))
		if !utf8.ValidString(name) {
			return nil, fmt.Errorf("stream %q: CSV header, column %d: name is not valid UTF-8", s.Name, len(l.cols)+1)
		}
		if seen[name] {
			return nil, fmt.Errorf("stream %q: CSV header names column %q twice", s.Name, name)
		}
		seen[name] = true
		f, ok := s.byName[name]
		if !ok {
			f = -1
		}
		l.cols = append(l.cols, name)
		l.keys = append(l.keys, append(AppendJSONString(nil, name), ':'))
		l.field = append(l.field, f)
		if next > len(header) {
			break
		}
		i = next
	}
	if ts := s.Fields[s.Time].Name; !seen[ts] {
		return nil, fmt.Errorf("stream %q: CSV header has no column for timestamp field %q", s.Name, ts)
	}
	return &CSVDecoder{s: s, l: l}, nil
}

// Columns returns the header's column names.
func (d *CSVDecoder) Columns() []string { return d.l.cols }

// Decode decodes one row into ev, replacing its slots, Time, Raw and Schema
// (Seq and Pos are left to the caller). Raw becomes a copy of the row without
// its line break. A row that cannot be decoded gives a *DecodeError, such as
// `row has 5 cells, header has 7`; a blank line gives ErrBlankLine. After an
// error ev holds a partial result and can be reused for the next line.
func (d *CSVDecoder) Decode(line []byte, ev *Event) (err error) {
	defer recoverInto(&err)
	n := len(line)
	for n > 0 && (line[n-1] == '\n' || line[n-1] == '\r') {
		n--
	}
	if a, b := trimSpace(line[:n]); a == b {
		return ErrBlankLine
	}
	ev.reset(d.s, line[:n], d.l)
	return d.cells(ev)
}

// cells decodes ev.Raw's cells into ev's slots.
func (d *CSVDecoder) cells(ev *Event) error {
	raw := ev.Raw
	field := d.l.field
	var first error // the first cell error; a wrong cell count takes precedence
	col := 0
	for i := 0; ; col++ {
		// Unquoted cells are split here; quoted ones by scanCell.
		a, b, esc, next := i, i, false, i
		if i < len(raw) && raw[i] == '"' {
			var reason string
			if a, b, esc, next, reason = scanCell(raw, i); reason != "" {
				return &DecodeError{Reason: "cell " + strconv.Itoa(col+1) + ": " + reason}
			}
		} else {
			b = cellEnd(raw, b)
			if b < len(raw) && raw[b] == '"' {
				_, _, _, _, reason := scanCell(raw, i)
				return &DecodeError{Reason: "cell " + strconv.Itoa(col+1) + ": " + reason}
			}
			next = b + 1
		}
		if col < len(field) && field[col] >= 0 && first == nil {
			first = d.cell(ev, field[col], raw[a:b], esc)
		}
		if next > len(raw) {
			break
		}
		i = next
	}
	if col+1 != len(field) {
		return &DecodeError{Reason: fmt.Sprintf("row has %d cells, header has %d", col+1, len(field))}
	}
	if first != nil {
		return first
	}
	w, ok := ev.word(d.s.Time)
	if !ok {
		return &DecodeError{Reason: "timestamp field " + quote(d.s.Fields[d.s.Time].Name) + " is empty"}
	}
	ev.Time = int64(w)
	return nil
}

// cell reads one cell into slot f.
func (d *CSVDecoder) cell(ev *Event, f int, cell []byte, esc bool) error {
	if len(cell) == 0 {
		return nil // null
	}
	t := d.s.Fields[f].Type
	if t == String {
		k := d.s.sidx[f]
		if esc {
			d.scratch = unescapeCSV(d.scratch[:0], cell)
			ev.strs[k] = string(d.scratch)
		} else {
			ev.strs[k] = unsafe.String(&cell[0], len(cell)) // points into ev.Raw
		}
		ev.setWord(f, uint64(k))
		return nil
	}
	if esc {
		d.scratch = unescapeCSV(d.scratch[:0], cell)
		cell = d.scratch
	}
	tok := cell
	if tok[0] <= ' ' || tok[len(tok)-1] <= ' ' {
		if tok = trimBlank(tok); len(tok) == 0 {
			return nil
		}
	}
	switch t {
	case Int:
		if v, ok := plainInt(tok); ok {
			ev.setWord(f, uint64(v))
			return nil
		}
		if !isNumber(tok) {
			return d.typeErr(f, tok)
		}
		v, r := parseIntegral(tok)
		if r != numOK {
			return d.intErr(f, tok, r)
		}
		ev.setWord(f, uint64(v))
	case Time:
		if len(tok) >= 20 && tok[4] == '-' {
			if ms, ok := parseRFC3339(tok); ok {
				ev.setWord(f, uint64(ms))
				return nil
			}
			return d.typeErr(f, tok)
		}
		if !isNumber(tok) {
			return d.typeErr(f, tok)
		}
		v, r := parseIntegral(tok)
		if r != numOK {
			return d.intErr(f, tok, r)
		}
		ev.setWord(f, uint64(v))
	case Float:
		if v, ok := plainFloat(tok); ok {
			ev.setWord(f, floatBits(v))
			return nil
		}
		if !isNumber(tok) {
			return d.typeErr(f, tok)
		}
		v, ok := parseFloat(tok)
		if !ok {
			return fieldErr(d.s.Fields[f].Name, "number %s out of range", cut(tok))
		}
		ev.setWord(f, floatBits(v))
	case Bool:
		v, ok := parseBool(tok)
		if !ok {
			return d.typeErr(f, tok)
		}
		ev.setWord(f, v)
	}
	return nil
}

var csvExpected = [...]string{
	Int:   "an integer",
	Float: "a number",
	Bool:  "true, false, 1 or 0",
	Time:  "an RFC 3339 time or epoch milliseconds",
}

func (d *CSVDecoder) typeErr(f int, tok []byte) error {
	return fieldErr(d.s.Fields[f].Name, "expected %s, got %s", csvExpected[d.s.Fields[f].Type], quoteCut(tok))
}

func (d *CSVDecoder) intErr(f int, tok []byte, r int) error {
	if r == numRange {
		return fieldErr(d.s.Fields[f].Name, "integer %s out of range", cut(tok))
	}
	return d.typeErr(f, tok)
}

func parseBool(b []byte) (uint64, bool) {
	switch len(b) {
	case 1:
		switch b[0] {
		case '1':
			return 1, true
		case '0':
			return 0, true
		}
	case 4:
		if b[0]|0x20 == 't' && b[1]|0x20 == 'r' && b[2]|0x20 == 'u' && b[3]|0x20 == 'e' {
			return 1, true
		}
	case 5:
		if b[0]|0x20 == 'f' && b[1]|0x20 == 'a' && b[2]|0x20 == 'l' && b[3]|0x20 == 's' && b[4]|0x20 == 'e' {
			return 0, true
		}
	}
	return 0, false
}

func trimBlank(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t') {
		j--
	}
	return b[i:j]
}

// scanCell splits the cell starting at row[i]. It returns the cell's content
// row[a:b] (inside the quotes for a quoted cell), whether that contains ""
// escapes, and where the next cell starts: next > len(row) after the last
// cell. reason is non-empty when the quoting is broken.
func scanCell(row []byte, i int) (a, b int, esc bool, next int, reason string) {
	if i < len(row) && row[i] == '"' {
		j := i + 1
		for {
			k := bytes.IndexByte(row[j:], '"')
			if k < 0 {
				return 0, 0, false, 0, "unterminated quoted cell (a newline inside quotes is not supported)"
			}
			j += k
			if j+1 < len(row) && row[j+1] == '"' {
				esc = true
				j += 2
				continue
			}
			break
		}
		a, b = i+1, j
		j++ // the closing quote
		if j < len(row) && row[j] != ',' {
			return 0, 0, false, 0, fmt.Sprintf("unexpected %q after the closing quote", row[j])
		}
		return a, b, esc, j + 1, ""
	}
	j := i
	for j < len(row) && row[j] != ',' {
		if row[j] == '"' {
			return 0, 0, false, 0, `a quote inside an unquoted cell (quote the cell and double the quote)`
		}
		j++
	}
	return i, j, false, j + 1, ""
}

// cellEnd returns the index of the first ',' or '"' in row from i on, or
// len(row), looking at 8 bytes at a time.
func cellEnd(row []byte, i int) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(row); i += 8 {
		x := binary.LittleEndian.Uint64(row[i:])
		comma, quote := x^(lo*','), x^(lo*'"')
		// The lowest flagged byte is exact: false positives only follow a true one.
		if m := ((comma-lo)&^comma | (quote-lo)&^quote) & hi; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(row) && row[i] != ',' && row[i] != '"' {
		i++
	}
	return i
}

// unescapeCSV appends a quoted cell's content with "" turned into ".
func unescapeCSV(dst, cell []byte) []byte {
	for {
		k := bytes.Index(cell, []byte(`""`))
		if k < 0 {
			return append(dst, cell...)
		}
		dst = append(dst, cell[:k+1]...)
		cell = cell[k+2:]
	}
}

// appendJSON writes a CSV event as a JSON object (see Event.AppendJSON).
func (l *csvLayout) appendJSON(dst []byte, e *Event) []byte {
	dst = append(dst, '{')
	raw := e.Raw
	i := 0
	var tmp []byte
	for col := range l.field {
		a, b, esc, next, _ := scanCell(raw, i) // the row was checked by Decode
		i = next
		if col > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, l.keys[col]...)
		cell := raw[a:b]
		if esc {
			tmp = unescapeCSV(tmp[:0], cell)
			cell = tmp
		}
		f := l.field[col]
		if f < 0 {
			dst = AppendJSONString(dst, cell)
			continue
		}
		w, ok := e.word(f)
		if !ok {
			dst = append(dst, "null"...)
			continue
		}
		switch e.Schema.Fields[f].Type {
		case String:
			dst = AppendJSONString(dst, cell)
		case Bool:
			dst = strconv.AppendBool(dst, w != 0)
		case Int:
			if tok := trimBlank(cell); isJSONNumber(tok) {
				dst = append(dst, tok...) // as written
			} else {
				dst = strconv.AppendInt(dst, int64(w), 10)
			}
		case Float:
			if tok := trimBlank(cell); isJSONNumber(tok) {
				dst = append(dst, tok...)
			} else {
				dst = e.appendSlotJSON(dst, f, Float)
			}
		case Time:
			tok := trimBlank(cell)
			switch {
			case isJSONNumber(tok):
				dst = append(dst, tok...)
			case isNumber(tok):
				dst = strconv.AppendInt(dst, int64(w), 10)
			default:
				dst = AppendJSONString(dst, tok)
			}
		}
	}
	return append(dst, '}')
}
