package tables

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/kestrelcep/kestrel/expr"
)

// Errors wrapped by this package's errors; compare with errors.Is.
var (
	// ErrSchema: a Schema that cannot describe a table (no key, a duplicate
	// column, an unsupported type).
	ErrSchema = errors.New("invalid table schema")
	// ErrBadRow: a row or key that does not fit the table's columns, such as
	// a cell of the wrong type or a missing key column. A file load fails
	// with a *LoadError that wraps it; live sources skip such rows and count
	// them.
	ErrBadRow = errors.New("bad row")
	// ErrClosed: the source was closed before it became ready.
	ErrClosed = errors.New("table source closed")
)

// Schema describes a table: its columns in declaration order and which of
// them make the key. It mirrors patterns.Table (Fields, Types, Keys), so a
// rule set's declaration converts field for field.
type Schema struct {
	Name   string      // the table's name, for messages
	Fields []string    // column names
	Types  []expr.Type // column types: expr.String, Int, Float, Bool or Time
	Keys   []int       // indexes into Fields of the key columns, in key order
}

// layout is a validated Schema with what reading rows needs.
type layout struct {
	Schema
	byName map[string]int
	isKey  []bool // by column
	nstr   int    // string columns
	single bool   // the key is one string column
}

func newLayout(s Schema) (*layout, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("table %q: %w: %s", s.Name, ErrSchema, fmt.Sprintf(format, args...))
	}
	if len(s.Fields) == 0 {
		return nil, bad("no columns")
	}
	if len(s.Types) != len(s.Fields) {
		return nil, bad("%d columns but %d types", len(s.Fields), len(s.Types))
	}
	if len(s.Keys) == 0 {
		return nil, bad("no key column")
	}
	l := &layout{
		Schema: Schema{
			Name:   s.Name,
			Fields: append([]string(nil), s.Fields...),
			Types:  append([]expr.Type(nil), s.Types...),
			Keys:   append([]int(nil), s.Keys...),
		},
		byName: make(map[string]int, len(s.Fields)),
		isKey:  make([]bool, len(s.Fields)),
	}
	for i, name := range s.Fields {
		if name == "" {
			return nil, bad("column %d has no name", i+1)
		}
		if _, dup := l.byName[name]; dup {
			return nil, bad("column %q declared twice", name)
		}
		l.byName[name] = i
		switch s.Types[i] {
		case expr.String:
			l.nstr++
		case expr.Int, expr.Float, expr.Bool, expr.Time:
		default:
			return nil, bad("column %q has type %s; a table column is string, int, float, bool or time", name, s.Types[i])
		}
	}
	for _, k := range s.Keys {
		if k < 0 || k >= len(s.Fields) {
			return nil, bad("key index %d out of range", k)
		}
		if l.isKey[k] {
			return nil, bad("key column %q named twice", s.Fields[k])
		}
		l.isKey[k] = true
	}
	l.single = len(s.Keys) == 1 && s.Types[s.Keys[0]] == expr.String
	return l, nil
}

// singleString reports whether the key is one string column, whose map key
// is the string itself.
func (l *layout) singleString() bool { return l.single }

// The map key of a row is its key columns encoded as bytes: a string as a
// uvarint length and its bytes, a bool as one byte, other types as 8 bytes
// big-endian (a float's IEEE bits, -0 made +0). For a single string key
// column the string itself is the map key.

// appendKey encodes a lookup key, each value of its column's type or an int
// for a float column (widened). It reports false for a null, NaN or
// mistyped value: no row has such a key.
func (l *layout) appendKey(dst []byte, key []expr.Value) ([]byte, bool) {
	if len(key) != len(l.Keys) {
		return dst, false
	}
	for i, v := range key {
		t := l.Types[l.Keys[i]]
		switch {
		case v.Type == t:
		case t == expr.Float && v.Type == expr.Int:
			v = expr.FloatValue(float64(v.I))
		default:
			return dst, false
		}
		switch t {
		case expr.String:
			dst = binary.AppendUvarint(dst, uint64(len(v.S)))
			dst = append(dst, v.S...)
		case expr.Bool:
			dst = append(dst, byte(v.I&1))
		case expr.Float:
			if v.F != v.F {
				return dst, false
			}
			dst = binary.BigEndian.AppendUint64(dst, floatKey(v.F))
		default:
			dst = binary.BigEndian.AppendUint64(dst, uint64(v.I))
		}
	}
	return dst, true
}

// keyString is the map key of a lookup key (see appendKey).
func (l *layout) keyString(key []expr.Value) (string, bool) {
	if l.singleString() {
		if len(key) != 1 || key[0].Type != expr.String {
			return "", false
		}
		return key[0].S, true
	}
	b, ok := l.appendKey(nil, key)
	return string(b), ok
}

// floatKey is the key word of a float: its bits, with -0 as +0 so that the
// two, equal in comparisons, find the same row.
func floatKey(f float64) uint64 {
	if f == 0 {
		return 0
	}
	return math.Float64bits(f)
}

// rowKey is the map key of a row, whose key columns are not null.
func (l *layout) rowKey(r *Row) string {
	if l.singleString() {
		s, _ := r.Str(l.Keys[0])
		return s
	}
	var buf [64]byte
	b := buf[:0]
	for _, k := range l.Keys {
		w, _ := r.word(k)
		switch l.Types[k] {
		case expr.String:
			s := r.s[w]
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		case expr.Bool:
			b = append(b, byte(w&1))
		case expr.Float:
			b = binary.BigEndian.AppendUint64(b, floatKey(math.Float64frombits(w)))
		default:
			b = binary.BigEndian.AppendUint64(b, w)
		}
	}
	return string(b)
}
