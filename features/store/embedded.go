package store

import (
	"context"
	"hash/maphash"
	"math/bits"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kestrelcep/kestrel/expr"
)

// EmbeddedOptions configures an Embedded store. The zero value is ready to use.
type EmbeddedOptions struct {
	// Shards is the number of independently locked maps, rounded up to a
	// power of two. Default 32 (see the benchmarks in bench_test.go: with
	// writers and readers at once, one map under one RWMutex loses to a
	// few shards; more shards than that gain nothing on 2 cores).
	Shards int
	// MaxKeys bounds the number of keys (entities) kept, approximately (per
	// shard). 0: unbounded. When a shard is full, adding a key evicts the
	// least recently written of a few sampled keys, as Redis's
	// allkeys-lru does.
	MaxKeys int
	// BadgerPrefix is prepended to the key of each entity in Badger.
	// Default "features/".
	BadgerPrefix string
}

const defaultShards = 32

func (o *EmbeddedOptions) ensureDefaults() {
	if o.Shards <= 0 {
		o.Shards = defaultShards
	}
	o.Shards = 1 << bits.Len(uint(o.Shards-1))
	if o.BadgerPrefix == "" {
		o.BadgerPrefix = "features/"
	}
}

// Embedded is the in-process store: all values in memory, in sharded maps
// of entities (one per key, holding all of its features), persisted to
// Badger by SaveTo and restored by LoadFrom. It is safe for concurrent use.
type Embedded struct {
	shards      []shard
	mask        uint64
	seed        maphash.Seed
	maxPerShard int
	prefix      string
	trackDirty  bool

	seq    atomic.Uint64 // write sequence, for eviction
	closed atomic.Bool
	saveMu sync.Mutex // one SaveTo at a time

	// Feature names are numbered (from 1) on first use, so that a slot holds
	// a small id and a lookup compares integers, not strings.
	// Both are replaced, never changed, when a name is added (rarely).
	ids   atomic.Pointer[map[string]uint32] // name → id
	names atomic.Pointer[[]string]          // id → name
	idsMu sync.Mutex                        // serializes new ids
}

type shard struct {
	mu    sync.RWMutex
	m     map[string]entity
	dirty map[string]struct{} // keys changed since the last SaveTo (nil when not tracked)
	_     [64]byte            // keep shards' locks on separate cache lines
}

// entity holds all features of one key, by value in the shard's map (one
// memory access fewer than a pointer). feats is short (the features keyed
// by the same fields), so a linear scan beats a map.
type entity struct {
	key     string // the map's own key, for the dirty set
	feats   []slot
	touched uint64 // write sequence of the last Put, for eviction
	// ids[i] is feats[i].id for the first few features, so that finding a
	// feature reads only the slot it wants (one cache miss, not several).
	ids [inlineIDs]uint32
}

const inlineIDs = 4

type slot struct {
	id      uint32 // feature id
	value   expr.Value
	asOf    int64
	expires int64
}

// NewEmbedded returns an empty embedded store.
func NewEmbedded(opts EmbeddedOptions) *Embedded {
	return newEmbedded(opts, true)
}

func newEmbedded(opts EmbeddedOptions, trackDirty bool) *Embedded {
	opts.ensureDefaults()
	s := &Embedded{
		shards:     make([]shard, opts.Shards),
		mask:       uint64(opts.Shards - 1),
		seed:       maphash.MakeSeed(),
		prefix:     opts.BadgerPrefix,
		trackDirty: trackDirty,
	}
	if opts.MaxKeys > 0 {
		s.maxPerShard = (opts.MaxKeys + opts.Shards - 1) / opts.Shards
	}
	for i := range s.shards {
		s.shards[i].m = make(map[string]entity)
		if trackDirty {
			s.shards[i].dirty = make(map[string]struct{})
		}
	}
	names := []string{""} // id 0: no feature
	s.names.Store(&names)
	s.ids.Store(&map[string]uint32{})
	return s
}

func (s *Embedded) shardOf(key string) *shard {
	if s.mask == 0 {
		return &s.shards[0]
	}
	return &s.shards[maphash.String(s.seed, key)&s.mask]
}

// id returns the id of a feature name, 0 if it has none yet.
func (s *Embedded) id(name string) uint32 {
	return (*s.ids.Load())[name]
}

// newID returns the id of a feature name, numbering it if it is new.
func (s *Embedded) newID(name string) uint32 {
	if id := s.id(name); id != 0 {
		return id
	}
	s.idsMu.Lock()
	defer s.idsMu.Unlock()
	if id := s.id(name); id != 0 {
		return id
	}
	old := *s.names.Load()
	names := append(old[:len(old):len(old)], strings.Clone(name))
	id := uint32(len(names) - 1)
	ids := make(map[string]uint32, len(names))
	for i, n := range names[1:] {
		ids[n] = uint32(i + 1)
	}
	s.names.Store(&names)
	s.ids.Store(&ids)
	return id
}

// name returns the feature name of an id.
func (s *Embedded) name(id uint32) string { return (*s.names.Load())[id] }

// Put stores a batch of values (see Store.Put). It never blocks on I/O.
func (s *Embedded) Put(_ context.Context, entries []Entry) error {
	if s.closed.Load() {
		return ErrClosed
	}
	if err := validate(entries); err != nil {
		return err
	}
	for i := range entries {
		e := &entries[i]
		s.set(e.Feature, e.Key, e.Value, e.AsOf, e.Expires)
	}
	return nil
}

// set stores one value.
func (s *Embedded) set(feature, key string, v expr.Value, asOf, expires int64) {
	v = canonical(v)
	id := s.newID(feature)
	seq := s.seq.Add(1)
	sh := s.shardOf(key)
	sh.mu.Lock()
	ent, ok := sh.m[key]
	if !ok {
		if s.maxPerShard > 0 && len(sh.m) >= s.maxPerShard {
			s.evictOne(sh)
		}
		ent.key = strings.Clone(key)
	}
	ent.touched = seq
	i := ent.find(id)
	if i < 0 {
		i = len(ent.feats)
		ent.feats = append(ent.feats, slot{id: id})
		if i < inlineIDs {
			ent.ids[i] = id
		}
	}
	sl := &ent.feats[i]
	if v.Type == expr.String {
		if sl.value.Type == expr.String && sl.value.S == v.S {
			v.S = sl.value.S
		} else {
			v.S = strings.Clone(v.S) // do not keep the caller's buffer alive
		}
	}
	sl.value, sl.asOf, sl.expires = v, asOf, expires
	sh.m[ent.key] = ent
	if sh.dirty != nil {
		sh.dirty[ent.key] = struct{}{}
	}
	sh.mu.Unlock()
}

// find returns the index of the slot of feature id, or -1.
func (e *entity) find(id uint32) int {
	n := len(e.feats)
	for i := range min(n, inlineIDs) {
		if e.ids[i] == id {
			return i
		}
	}
	for i := inlineIDs; i < n; i++ {
		if e.feats[i].id == id {
			return i
		}
	}
	return -1
}

// evictOne removes the least recently written of a few keys of sh, picked
// at random by map iteration. sh.mu is held.
func (s *Embedded) evictOne(sh *shard) {
	const samples = 5
	var victim string
	var oldest uint64
	n := 0
	for k, e := range sh.m {
		if n == 0 || e.touched < oldest {
			victim, oldest = k, e.touched
		}
		if n++; n == samples {
			break
		}
	}
	if n > 0 {
		delete(sh.m, victim)
		if sh.dirty != nil {
			sh.dirty[victim] = struct{}{}
		}
	}
}

// Get looks values up (see Store.Get). It never blocks on I/O.
func (s *Embedded) Get(_ context.Context, features []string, keys []string) ([]Result, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	res, vals := results(len(keys), len(features))
	nf := len(features)
	var buf [8]uint32
	ids := s.idsOf(features, buf[:0])
	for i, k := range keys {
		r := &res[i]
		r.Key = k
		r.Values = vals[i*nf : (i+1)*nf : (i+1)*nf]
		s.lookup(ids, k, r.Values)
	}
	return res, nil
}

// results allocates the results of a lookup of nk keys × nf features, in
// one allocation for a point lookup.
func results(nk, nf int) ([]Result, []Stored) {
	if nk == 1 && nf == 1 {
		one := new(struct {
			res [1]Result
			val [1]Stored
		})
		return one.res[:], one.val[:]
	}
	return make([]Result, nk), make([]Stored, nk*nf)
}

// idsOf appends the ids of features to dst (0 for names never stored).
func (s *Embedded) idsOf(features []string, dst []uint32) []uint32 {
	for _, f := range features {
		dst = append(dst, s.id(f))
	}
	return dst
}

// lookup fills out (one per feature id) with the values of key.
func (s *Embedded) lookup(ids []uint32, key string, out []Stored) {
	sh := s.shardOf(key)
	sh.mu.RLock()
	if ent, ok := sh.m[key]; ok {
		for j, id := range ids {
			if i := ent.find(id); i >= 0 && id != 0 {
				sl := &ent.feats[i]
				out[j] = Stored{Value: sl.value, AsOf: sl.asOf, Expires: sl.expires, Found: true}
			}
		}
	}
	sh.mu.RUnlock()
}

// DeleteExpired removes the values whose Expires is before the event time
// before, and the keys left with none, and returns how many values it
// removed. The engine calls it as its watermark advances, with the
// watermark less the longest time a stale value should still be served.
// The removals reach Badger with the next SaveTo.
func (s *Embedded) DeleteExpired(before int64) int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		for k, ent := range sh.m {
			kept := ent.feats[:0]
			for _, sl := range ent.feats {
				if sl.expires >= before {
					kept = append(kept, sl)
				}
			}
			if len(kept) == len(ent.feats) {
				continue
			}
			n += len(ent.feats) - len(kept)
			clear(ent.feats[len(kept):])
			ent.feats = kept
			for i := range min(len(kept), inlineIDs) {
				ent.ids[i] = kept[i].id
			}
			if len(kept) == 0 {
				delete(sh.m, k)
			} else {
				sh.m[k] = ent
			}
			if sh.dirty != nil {
				sh.dirty[ent.key] = struct{}{}
			}
		}
		sh.mu.Unlock()
	}
	return n
}

// Len returns the number of keys (entities) held.
func (s *Embedded) Len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		n += len(sh.m)
		sh.mu.RUnlock()
	}
	return n
}

// Close marks the store closed. It does not save: call SaveTo first.
func (s *Embedded) Close() error {
	s.closed.Store(true)
	return nil
}

var _ Store = (*Embedded)(nil)
