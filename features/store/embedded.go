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
	names  sync.Map   // interned feature names
	saveMu sync.Mutex // one SaveTo at a time
}

type shard struct {
	mu    sync.RWMutex
	m     map[string]*entity
	dirty map[string]struct{} // keys changed since the last SaveTo (nil when not tracked)
	_     [64]byte            // keep shards' locks on separate cache lines
}

// entity holds all features of one key. feats is short (the features keyed
// by the same fields), so a linear scan beats a map.
type entity struct {
	key     string
	feats   []slot
	touched uint64 // write sequence of the last Put, for eviction
}

type slot struct {
	feature string
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
		s.shards[i].m = make(map[string]*entity)
		if trackDirty {
			s.shards[i].dirty = make(map[string]struct{})
		}
	}
	return s
}

func (s *Embedded) shardOf(key string) *shard {
	if s.mask == 0 {
		return &s.shards[0]
	}
	return &s.shards[maphash.String(s.seed, key)&s.mask]
}

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
	seq := s.seq.Add(1)
	sh := s.shardOf(key)
	sh.mu.Lock()
	ent := sh.m[key]
	if ent == nil {
		if s.maxPerShard > 0 && len(sh.m) >= s.maxPerShard {
			s.evictOne(sh)
		}
		ent = &entity{key: strings.Clone(key)}
		sh.m[ent.key] = ent
	}
	ent.touched = seq
	sl := ent.find(feature)
	if sl == nil {
		ent.feats = append(ent.feats, slot{feature: s.intern(feature)})
		sl = &ent.feats[len(ent.feats)-1]
	}
	if v.Type == expr.String && (sl.value.Type != expr.String || sl.value.S != v.S) {
		v.S = strings.Clone(v.S) // do not keep the caller's buffer alive
	} else if v.Type == expr.String {
		v.S = sl.value.S
	}
	sl.value, sl.asOf, sl.expires = v, asOf, expires
	if sh.dirty != nil {
		sh.dirty[ent.key] = struct{}{}
	}
	sh.mu.Unlock()
}

func (e *entity) find(feature string) *slot {
	for i := range e.feats {
		if e.feats[i].feature == feature {
			return &e.feats[i]
		}
	}
	return nil
}

// evictOne removes the least recently written of a few keys of sh, picked
// at random by map iteration. sh.mu is held.
func (s *Embedded) evictOne(sh *shard) {
	const samples = 5
	var victim *entity
	n := 0
	for _, e := range sh.m {
		if victim == nil || e.touched < victim.touched {
			victim = e
		}
		if n++; n == samples {
			break
		}
	}
	if victim != nil {
		delete(sh.m, victim.key)
		if sh.dirty != nil {
			sh.dirty[victim.key] = struct{}{}
		}
	}
}

func (s *Embedded) intern(name string) string {
	if v, ok := s.names.Load(name); ok {
		return v.(string)
	}
	v, _ := s.names.LoadOrStore(strings.Clone(name), strings.Clone(name))
	return v.(string)
}

// Get looks values up (see Store.Get). It never blocks on I/O.
func (s *Embedded) Get(_ context.Context, features []string, keys []string) ([]Result, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	res := make([]Result, len(keys))
	nf := len(features)
	vals := make([]Stored, len(keys)*nf)
	for i, k := range keys {
		r := &res[i]
		r.Key = k
		r.Values = vals[i*nf : (i+1)*nf : (i+1)*nf]
		s.lookup(features, k, r.Values)
	}
	return res, nil
}

// lookup fills out (one per feature) with the values of key.
func (s *Embedded) lookup(features []string, key string, out []Stored) {
	sh := s.shardOf(key)
	sh.mu.RLock()
	if ent := sh.m[key]; ent != nil {
		for j, f := range features {
			if sl := ent.find(f); sl != nil {
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
			if len(kept) == 0 {
				delete(sh.m, k)
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
