package tables

import (
	"fmt"
	"math"

	"github.com/kestrelcep/kestrel/expr"
)

// Row is one row of a table: its columns by slot (the column's index in
// Schema.Fields), as expressions read them. A Row is immutable once in a
// table and safe for concurrent use.
//
// It implements expr.Row and expr.WordRow with the event's layout: groups of
// 65 words, a word of non-null bits then the values of 64 columns; ints and
// times (epoch milliseconds) as int64, floats as IEEE bits, bools as 0 or 1,
// strings as an index into the string slice. Reading a slot out of range
// gives null; reading a slot with the getter of another type gives a
// meaningless value, as for events.
type Row struct {
	l    *layout
	vals []uint64
	s    []string
}

func newRow(l *layout) *Row {
	n := len(l.Fields)
	return &Row{l: l, vals: make([]uint64, n+(n+63)/64), s: make([]string, 0, l.nstr)}
}

// Stream is -1: a table row belongs to no stream. Expressions read table
// columns by slot and never ask.
func (r *Row) Stream() int { return -1 }

func (r *Row) word(slot int) (uint64, bool) {
	if slot < 0 {
		return 0, false
	}
	i := uint(slot)
	base := (i >> 6) * 65
	j := base + 1 + (i & 63)
	if j >= uint(len(r.vals)) || r.vals[base]&(1<<(i&63)) == 0 {
		return 0, false
	}
	return r.vals[j], true
}

// Int returns an int or time column (epoch milliseconds); false means null.
func (r *Row) Int(slot int) (int64, bool) {
	w, ok := r.word(slot)
	return int64(w), ok
}

// Float returns a float column; false means null.
func (r *Row) Float(slot int) (float64, bool) {
	w, ok := r.word(slot)
	return math.Float64frombits(w), ok
}

// Bool returns a bool column; false as second result means null.
func (r *Row) Bool(slot int) (bool, bool) {
	w, ok := r.word(slot)
	return w != 0, ok
}

// Str returns a string column; false means null.
func (r *Row) Str(slot int) (string, bool) {
	w, ok := r.word(slot)
	if !ok || w >= uint64(len(r.s)) {
		return "", false
	}
	return r.s[w], true
}

// Words exposes the row's storage (expr.WordRow). The caller must not
// modify it.
func (r *Row) Words() ([]uint64, []string) { return r.vals, r.s }

// Value returns column slot as a Value (null when null or out of range).
func (r *Row) Value(slot int) expr.Value {
	if slot < 0 || slot >= len(r.l.Types) {
		return expr.Value{}
	}
	w, ok := r.word(slot)
	if !ok {
		return expr.Value{}
	}
	switch t := r.l.Types[slot]; t {
	case expr.String:
		return expr.StringValue(r.s[w])
	case expr.Float:
		return expr.FloatValue(math.Float64frombits(w))
	case expr.Bool:
		return expr.BoolValue(w != 0)
	default:
		return expr.Value{Type: t, I: int64(w)}
	}
}

// Values returns all the columns, in declaration order.
func (r *Row) Values() []expr.Value {
	v := make([]expr.Value, len(r.l.Fields))
	for i := range v {
		v[i] = r.Value(i)
	}
	return v
}

// Key returns the row's key columns, in key order.
func (r *Row) Key() []expr.Value {
	k := make([]expr.Value, len(r.l.Keys))
	for i, slot := range r.l.Keys {
		k[i] = r.Value(slot)
	}
	return k
}

func (r *Row) setWord(slot int, w uint64) {
	i := uint(slot)
	base := (i >> 6) * 65
	r.vals[base] |= 1 << (i & 63)
	r.vals[base+1+(i&63)] = w
}

func (r *Row) setStr(slot int, s string) {
	r.setWord(slot, uint64(len(r.s)))
	r.s = append(r.s, s)
}

func (r *Row) isNull(slot int) bool {
	_, ok := r.word(slot)
	return !ok
}

// set stores v in slot, converting an int to a float for a float column; v
// must otherwise have the column's type or be null.
func (r *Row) set(slot int, v expr.Value) error {
	t := r.l.Types[slot]
	if v.IsNull() { // a JSON key given twice, the last time null
		i := uint(slot)
		r.vals[(i>>6)*65] &^= 1 << (i & 63)
		return nil
	}
	if t == expr.Float && v.Type == expr.Int {
		v = expr.FloatValue(float64(v.I))
	}
	if v.Type != t {
		return fmt.Errorf("column %q is %s; got %s", r.l.Fields[slot], t, v.Type)
	}
	switch t {
	case expr.String:
		r.setStr(slot, v.S)
	case expr.Float:
		r.setWord(slot, math.Float64bits(v.F))
	case expr.Bool:
		r.setWord(slot, uint64(v.I&1))
	default:
		r.setWord(slot, uint64(v.I))
	}
	return nil
}

// checkKey reports a null key column of a row being built.
func (r *Row) checkKey() error {
	for _, k := range r.l.Keys {
		if r.isNull(k) {
			return fmt.Errorf("key column %q is null", r.l.Fields[k])
		}
		if r.l.Types[k] == expr.Float {
			if f, _ := r.Float(k); f != f {
				return fmt.Errorf("key column %q is NaN", r.l.Fields[k])
			}
		}
	}
	return nil
}
