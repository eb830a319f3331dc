package tables

import (
	"fmt"
	"hash/maphash"
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
// The rows are spread over 256 shards by a hash of the key. A shard is an
// immutable snapshot, read with one atomic load: a base map and a small
// delta map of recent changes over it (a nil row in the delta deletes the
// base's). A writer copies the delta of each shard that its batch touches,
// applies its changes and publishes the new snapshot; when a delta outgrows
// about 2·√(rows of the shard) (at least 64) it is merged into a new base.
// A change thus costs O(√(rows/256)) amortized, and a lookup one hash and at
// most two map probes. Replace swaps all the shards at once.
type Table struct {
	l      *layout
	seed   maphash.Seed
	shards atomic.Pointer[shardSet]
	n      atomic.Int64 // rows
	mu     sync.Mutex   // serializes writers
}

const (
	shardBits = 8
	nshards   = 1 << shardBits
)

type shardSet [nshards]atomic.Pointer[snapshot]

type snapshot struct {
	base  map[string]*Row
	delta map[string]*Row // overrides base; a nil *Row: deleted
}

var emptySnapshot = &snapshot{}

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
	t := &Table{l: l, seed: maphash.MakeSeed()}
	t.replace(nil)
	return t, nil
}

func (t *Table) shard(k string) int { return int(maphash.String(t.seed, k) & (nshards - 1)) }

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
func (t *Table) Len() int { return int(t.n.Load()) }

// Lookup returns the row with the given key, one value per key column in
// key order, or nil when there is none. A null key value finds no row, nor
// does a value of another type than its column's, except that an int is
// widened for a float column (as expressions do); -0 and +0 are the same
// float key, and NaN finds nothing. Lookup does not keep key, and does not
// allocate unless the key's encoding (8 bytes per number, a length and the
// bytes per string) is longer than 128 bytes.
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
		k := key[0].S
		return t.shards.Load()[t.shard(k)].Load().get(k)
	}
	var buf [128]byte
	k, ok := t.l.appendKey(buf[:0], key)
	if !ok {
		return nil
	}
	h := maphash.Bytes(t.seed, k) & (nshards - 1)
	return t.shards.Load()[h].Load().getBytes(k)
}

// All iterates over the rows of the table, in no particular order. It sees
// each shard as of when it gets to it.
func (t *Table) All() iter.Seq[*Row] {
	return func(yield func(*Row) bool) {
		set := t.shards.Load()
		for i := range set {
			s := set[i].Load()
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

// Set inserts rows or replaces the rows with their keys, in one batch: a
// concurrent lookup may see some keys of the batch changed before others,
// but each key's changes in order. Rows must come from this table (NewRow):
// Set panics on a row of another table.
func (t *Table) Set(rows ...*Row) {
	cs := make([]change, len(rows))
	for i, r := range rows {
		if r.l != t.l {
			panic("tables: Set of a row of another table")
		}
		cs[i] = change{key: t.l.rowKey(r), row: r}
	}
	t.apply(cs)
}

// Delete removes the rows with the given keys, in one batch as Set. A key
// that finds no row is ignored.
func (t *Table) Delete(keys ...[]expr.Value) {
	cs := make([]change, 0, len(keys))
	for _, key := range keys {
		if k, ok := t.l.keyString(key); ok {
			cs = append(cs, change{key: k})
		}
	}
	t.apply(cs)
}

// Replace makes rows the table's whole content at once: a lookup sees
// either the old rows or the new ones. When two rows have the same key the
// later one is kept; Replace returns how many were dropped so. Like Set, it
// panics on a row of another table.
func (t *Table) Replace(rows []*Row) (duplicates int) {
	m := make(map[string]*Row, len(rows))
	for _, r := range rows {
		if r.l != t.l {
			panic("tables: Replace with a row of another table")
		}
		m[t.l.rowKey(r)] = r
	}
	t.replace(m)
	return len(rows) - len(m)
}

// replace publishes m (which it takes over) as the whole content.
func (t *Table) replace(m map[string]*Row) {
	var parts [nshards]map[string]*Row
	for k, r := range m {
		i := t.shard(k)
		if parts[i] == nil {
			parts[i] = make(map[string]*Row, len(m)/nshards*5/4)
		}
		parts[i][k] = r
	}
	set := new(shardSet)
	for i := range set {
		if parts[i] == nil {
			set[i].Store(emptySnapshot)
		} else {
			set[i].Store(&snapshot{base: parts[i]})
		}
	}
	t.mu.Lock()
	t.shards.Store(set)
	t.n.Store(int64(len(m)))
	t.mu.Unlock()
}

// mergeAt is the delta size at which it is merged into a new base.
func mergeAt(base int) int {
	return max(64, 2*int(math.Sqrt(float64(base))))
}

// apply applies changes in order and publishes the result, shard by shard:
// a lookup may see part of the batch, but the changes to each key in order.
func (t *Table) apply(cs []change) {
	if len(cs) == 0 {
		return
	}
	// Group the changes by shard, keeping their order (a counting sort).
	shard := make([]uint16, len(cs))
	var start [nshards + 1]int
	for i, c := range cs {
		shard[i] = uint16(t.shard(c.key))
		start[shard[i]+1]++
	}
	for i := 1; i <= nshards; i++ {
		start[i] += start[i-1]
	}
	next := start
	sorted := make([]change, len(cs))
	for i, c := range cs {
		sorted[next[shard[i]]] = c
		next[shard[i]]++
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	set := t.shards.Load()
	n := t.n.Load()
	for i := range nshards {
		if start[i] == start[i+1] {
			continue
		}
		s, dn := set[i].Load().apply(sorted[start[i]:start[i+1]])
		set[i].Store(s)
		n += int64(dn)
	}
	t.n.Store(n)
}

// apply returns the snapshot with changes applied, and the change in rows.
func (old *snapshot) apply(cs []change) (*snapshot, int) {
	delta := make(map[string]*Row, len(old.delta)+len(cs))
	maps.Copy(delta, old.delta)
	n := 0
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
		return &snapshot{base: old.base, delta: delta}, n
	}
	base := make(map[string]*Row, len(old.base)+n)
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
	return &snapshot{base: base}, n
}
