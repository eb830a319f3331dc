package tables

import (
	"fmt"
	"iter"
	"maps"
	"math"
	"sync"
	"sync/atomic"

	"github.com/kestrelcep/kestrel/expr"
)

// Table is an in-memory lookup table: rows of typed columns by key. Lookups
// never block and never allocate; they may run in any number of goroutines
// while a source updates the table. For a remote source (Redis, Kafka) the
// table in memory is the cache: lookups read only memory, and the source
// keeps it up to date in the background.
//
// A Table satisfies patterns.TableRows: bind it with table.Rows = t.
//
// Readers load an immutable snapshot with one atomic load. A snapshot is a
// base map and a small delta map of recent changes over it (a nil row in
// the delta deletes the base's). A writer copies the delta, applies its
// batch and publishes a new snapshot; when the delta outgrows about
// 2·√(rows) (at least 1024) it is merged into a new base. A change thus
// costs O(√rows) amortized, a batch at most one merge, and a lookup at most
// two map probes.
type Table struct {
	l    *layout
	snap atomic.Pointer[snapshot]
	mu   sync.Mutex // serializes writers
}

type snapshot struct {
	base  map[string]*Row
	delta map[string]*Row // overrides base; a nil *Row: deleted
	n     int             // rows
}

func (s *snapshot) get(k string) *Row {
	if len(s.delta) > 0 {
		if r, ok := s.delta[k]; ok {
			return r
		}
	}
	return s.base[k]
}

// getBytes is get without converting k to a string: the compiler makes no
// copy for a map index of string(k).
func (s *snapshot) getBytes(k []byte) *Row {
	if len(s.delta) > 0 {
		if r, ok := s.delta[string(k)]; ok {
			return r
		}
	}
	return s.base[string(k)]
}

// New returns an empty table with the given schema.
func New(s Schema) (*Table, error) {
	l, err := newLayout(s)
	if err != nil {
		return nil, err
	}
	t := &Table{l: l}
	t.snap.Store(&snapshot{base: map[string]*Row{}})
	return t, nil
}

// Schema returns the table's schema (a copy).
func (t *Table) Schema() Schema {
	s := t.l.Schema
	s.Fields = append([]string(nil), s.Fields...)
	s.Types = append([]expr.Type(nil), s.Types...)
	s.Keys = append([]int(nil), s.Keys...)
	return s
}

// Name is the table's name.
func (t *Table) Name() string { return t.l.Name }

// Len is the number of rows.
func (t *Table) Len() int { return t.snap.Load().n }

// Lookup returns the row with the given key, one value per key column in
// key order, or nil when there is none. A null key value finds no row, nor
// does a value of another type than its column's, except that an int is
// widened for a float column (as expressions do); -0 and +0 are the same
// float key, and NaN finds nothing. Lookup does not keep key.
func (t *Table) Lookup(key []expr.Value) expr.Row {
	if r := t.lookup(key); r != nil {
		return r
	}
	return nil // not a nil *Row in a non-nil interface
}

// Get is Lookup returning the concrete row.
func (t *Table) Get(key ...expr.Value) *Row { return t.lookup(key) }

func (t *Table) lookup(key []expr.Value) *Row {
	if t.l.singleString() {
		if len(key) != 1 || key[0].Type != expr.String {
			return nil
		}
		return t.snap.Load().get(key[0].S)
	}
	var buf [64]byte
	k, ok := t.l.appendKey(buf[:0], key)
	if !ok {
		return nil
	}
	return t.snap.Load().getBytes(k)
}

// All iterates over the rows of a snapshot of the table, in no particular
// order.
func (t *Table) All() iter.Seq[*Row] {
	return func(yield func(*Row) bool) {
		s := t.snap.Load()
		for _, r := range s.delta {
			if r != nil && !yield(r) {
				return
			}
		}
		for k, r := range s.base {
			if _, changed := s.delta[k]; changed {
				continue
			}
			if !yield(r) {
				return
			}
		}
	}
}

// NewRow makes a row of the table from values in column order: each of its
// column's type or null (an int is accepted for a float column). The key
// columns must not be null.
func (t *Table) NewRow(vals ...expr.Value) (*Row, error) {
	if len(vals) != len(t.l.Fields) {
		return nil, fmt.Errorf("table %q: %w: %d values for %d columns", t.l.Name, ErrBadRow, len(vals), len(t.l.Fields))
	}
	r := newRow(t.l)
	for i, v := range vals {
		if err := r.set(i, v); err != nil {
			return nil, fmt.Errorf("table %q: %w: %v", t.l.Name, ErrBadRow, err)
		}
	}
	if err := r.checkKey(); err != nil {
		return nil, fmt.Errorf("table %q: %w: %v", t.l.Name, ErrBadRow, err)
	}
	return r, nil
}

// change is an upsert (row non-nil) or a delete of key.
type change struct {
	key string
	row *Row
}

// Set inserts rows or replaces the rows with their keys, as one update:
// a lookup sees all of them or none. Rows must come from this table
// (NewRow or a source).
func (t *Table) Set(rows ...*Row) {
	cs := make([]change, len(rows))
	for i, r := range rows {
		cs[i] = change{key: t.l.rowKey(r), row: r}
	}
	t.apply(cs)
}

// Delete removes the rows with the given keys, as one update. A key that
// finds no row is ignored.
func (t *Table) Delete(keys ...[]expr.Value) {
	cs := make([]change, 0, len(keys))
	for _, key := range keys {
		if k, ok := t.l.keyString(key); ok {
			cs = append(cs, change{key: k})
		}
	}
	t.apply(cs)
}

// Replace makes rows the table's whole content, as one update. When two rows
// have the same key the later one is kept; Replace returns how many were
// dropped so.
func (t *Table) Replace(rows []*Row) (duplicates int) {
	m := make(map[string]*Row, len(rows))
	for _, r := range rows {
		m[t.l.rowKey(r)] = r
	}
	t.replace(m)
	return len(rows) - len(m)
}

// replace publishes m (which it takes over) as the whole content.
func (t *Table) replace(m map[string]*Row) {
	t.mu.Lock()
	t.snap.Store(&snapshot{base: m, n: len(m)})
	t.mu.Unlock()
}

// mergeAt is the delta size at which it is merged into a new base.
func mergeAt(base int) int {
	return max(1024, 2*int(math.Sqrt(float64(base))))
}

// apply applies changes in order and publishes the result.
func (t *Table) apply(cs []change) {
	if len(cs) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	old := t.snap.Load()
	delta := make(map[string]*Row, len(old.delta)+len(cs))
	maps.Copy(delta, old.delta)
	n := old.n
	for _, c := range cs {
		cur, inDelta := delta[c.key]
		if !inDelta {
			cur = old.base[c.key]
		}
		switch {
		case c.row != nil:
			if cur == nil {
				n++
			}
			delta[c.key] = c.row
		case cur == nil: // deleting what is not there
		case old.base[c.key] != nil:
			n--
			delta[c.key] = nil
		default: // only in the delta
			n--
			delete(delta, c.key)
		}
	}
	if len(delta) < mergeAt(len(old.base)) {
		t.snap.Store(&snapshot{base: old.base, delta: delta, n: n})
		return
	}
	base := make(map[string]*Row, n)
	for k, r := range old.base {
		if _, changed := delta[k]; !changed {
			base[k] = r
		}
	}
	for k, r := range delta {
		if r != nil {
			base[k] = r
		}
	}
	t.snap.Store(&snapshot{base: base, n: n})
}
