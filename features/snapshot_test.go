package features

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

// snapshotter is what Feature and Group have in common for checkpoints.
type snapshotter interface {
	Dirty(fn func(key string, removed bool))
	ClearDirty()
	AppendKeySnapshot(b []byte, key string) []byte
	RestoreKey(key string, b []byte) error
	AppendMeta(b []byte) []byte
	RestoreMeta(b []byte) error
	Advance(watermark int64, emit func(Window))
	Keys() int
}

// store is a checkpoint store: the accumulated snapshots.
type store struct {
	meta []byte
	keys map[string][]byte
	full bool // the first checkpoint must report every key
}

// checkpoint writes what changed since the last one into s.
func (s *store) checkpoint(t *testing.T, x snapshotter) {
	t.Helper()
	if s.keys == nil {
		s.keys = map[string][]byte{}
	}
	n := 0
	x.Dirty(func(key string, removed bool) {
		key = strings.Clone(key) // valid only during the call
		n++
		if removed {
			delete(s.keys, key)
			return
		}
		b := x.AppendKeySnapshot(nil, key)
		if len(b) == 0 {
			t.Fatalf("no snapshot for dirty key %q", key)
		}
		s.keys[key] = b
	})
	if !s.full && n != x.Keys() {
		t.Fatalf("first checkpoint: %d keys reported, %d have state", n, x.Keys())
	}
	s.full = true
	s.meta = x.AppendMeta(nil)
	x.ClearDirty()
}

// restore fills a fresh x from s.
func (s *store) restore(t *testing.T, x snapshotter) {
	t.Helper()
	if err := x.RestoreMeta(s.meta); err != nil {
		t.Fatal(err)
	}
	for k, b := range s.keys {
		if err := x.RestoreKey(k, b); err != nil {
			t.Fatalf("key %q: %v", k, err)
		}
	}
	x.ClearDirty()
}

// sameValue is exact equality, to the bit.
func sameValue(a, b expr.Value) bool {
	return a.Type == b.Type && a.I == b.I && math.Float64bits(a.F) == math.Float64bits(b.F) && a.S == b.S
}

func sameWindows(a, b []Window) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Feature != y.Feature || x.Key != y.Key || x.Start != y.Start || x.End != y.End || x.Revision != y.Revision || !sameValue(x.Value, y.Value) {
			return false
		}
	}
	return true
}

// twin drives two copies of a feature (or group) through the same random
// operations; the second is checkpointed now and then and, at some
// checkpoints, replaced by a fresh one restored from the store. Every
// result must be identical.
type twin struct {
	t       *testing.T
	r       *rand.Rand
	a, b    snapshotter
	fresh   func() snapshotter
	st      store
	log     []string
	restore int
}

func (w *twin) fail(format string, args ...any) {
	w.t.Helper()
	tail := w.log
	if len(tail) > 40 {
		tail = tail[len(tail)-40:]
	}
	w.t.Fatalf("%s\n%s\n...\n%s", w.log[0], strings.Join(tail, "\n"), fmt.Sprintf(format, args...))
}

// same checks that the two copies' states are the same: every key's
// snapshot and the meta, byte for byte.
func (w *twin) same(keys []string) {
	w.t.Helper()
	for _, k := range keys {
		if a, b := w.a.AppendKeySnapshot(nil, k), w.b.AppendKeySnapshot(nil, k); !bytes.Equal(a, b) {
			w.fail("the state of %q differs:\n%x\n%x", k, a, b)
		}
	}
	if a, b := w.a.AppendMeta(nil), w.b.AppendMeta(nil); !bytes.Equal(a, b) {
		w.fail("the meta differs:\n%x\n%x", a, b)
	}
}

var debugHook func(w *twin, keys []string)

func (w *twin) maybeCheckpoint(keys []string) {
	if debugHook != nil {
		debugHook(w, keys)
	}
	if w.r.IntN(12) != 0 {
		return
	}
	w.st.checkpoint(w.t, w.b)
	w.log = append(w.log, fmt.Sprintf("checkpoint: %d keys", len(w.st.keys)))
	if w.r.IntN(2) == 0 {
		w.b = w.fresh()
		w.st.restore(w.t, w.b)
		w.restore++
		w.log = append(w.log, "restored")
		w.same(keys)
	}
}

func (w *twin) advance(wm int64) {
	var ga, gb []Window
	w.a.Advance(wm, func(x Window) { ga = append(ga, x) })
	w.b.Advance(wm, func(x Window) { gb = append(gb, x) })
	w.log = append(w.log, fmt.Sprintf("advance %d: %d records", wm, len(ga)))
	if !sameWindows(ga, gb) {
		w.fail("advance %d: records differ:\n%v\n%v", wm, ga, gb)
	}
	if w.a.Keys() != w.b.Keys() {
		w.fail("advance %d: %d keys, restored has %d", wm, w.a.Keys(), w.b.Keys())
	}
}

// stream runs steps random operations; add, value and valueAt act on
// one copy.
func (w *twin) stream(steps int, span, late int64, add func(x snapshotter, key string, t int64) bool,
	read func(x snapshotter, key string, t int64, at bool) []expr.Value) {
	keys := []string{"a", "b", "card\x00DE", "c", "a composite key longer than 24 bytes\x00DE"}[:1+w.r.IntN(5)]
	gap := int(span/3) + 2
	if w.r.IntN(3) == 0 {
		gap = int(span/30) + 2
	}
	now, wm := int64(0), int64(math.MinInt64)
	for range steps {
		w.maybeCheckpoint(keys)
		key := keys[w.r.IntN(len(keys))]
		switch k := w.r.IntN(100); {
		case k < 60:
			var t int64
			switch j := w.r.IntN(20); {
			case j < 12:
				now += int64(w.r.IntN(gap))
				t = now
			case j < 15:
				t = now
			case j < 18 && wm != math.MinInt64:
				t = wm - int64(w.r.IntN(int(late)+3))
			default:
				t = now - int64(w.r.IntN(int(span)+1))
			}
			oa, ob := add(w.a, key, t), add(w.b, key, t)
			w.log = append(w.log, fmt.Sprintf("add %q %d -> %v", key, t, oa))
			if oa != ob {
				w.fail("add: %v, restored %v", oa, ob)
			}
			if oa && w.r.IntN(3) > 0 {
				va, vb := read(w.a, key, t, false), read(w.b, key, t, false)
				for i := range va {
					if !sameValue(va[i], vb[i]) {
						w.fail("value %d of %q at %d: %v, restored %v", i, key, t, va[i], vb[i])
					}
				}
			}
		case k < 72:
			wm2 := now - int64(w.r.IntN(int(span)))
			if w.r.IntN(5) == 0 {
				wm2 = wm
			}
			w.advance(wm2)
			wm = max(wm, wm2)
		default:
			t := now - 2*span + int64(w.r.IntN(int(3*span)))
			if wm != math.MinInt64 {
				t = max(t, wm-late)
			}
			at := w.r.IntN(2) == 0
			va, vb := read(w.a, key, t, at), read(w.b, key, t, at)
			w.log = append(w.log, fmt.Sprintf("read %q %d at=%v -> %v", key, t, at, va))
			for i := range va {
				if !sameValue(va[i], vb[i]) {
					w.fail("read %d of %q at %d (ValueAt %v): %v, restored %v", i, key, t, at, va[i], vb[i])
				}
			}
		}
	}
	w.advance(math.MaxInt64)
	w.same(keys)
}

// TestSnapshotFeatures: every window kind and aggregation, checkpointed and
// restored at random points of random streams (ties, nulls, late events,
// emit), gives what the uninterrupted feature gives, to the bit.
func TestSnapshotFeatures(t *testing.T) {
	seeds := 6
	if testing.Short() {
		seeds = 2
	}
	if *seedsFlag > 0 {
		seeds = *seedsFlag
	}
	restores := 0
	for kind := Global; kind < numKinds; kind++ {
		for agg := Count; agg < numAggs; agg++ {
			for _, at := range argTypes[agg] {
				for seed := range seeds {
					r := rand.New(rand.NewPCG(uint64(seed), 1000+uint64(kind)<<8|uint64(agg)<<4|uint64(at)))
					spec := randSpec(r, kind, agg, at)
					mk := func() snapshotter { return mustNew(t, spec) }
					w := &twin{t: t, r: r, a: mk(), b: mk(), fresh: mk}
					w.log = append(w.log, fmt.Sprintf("spec %+v", spec))
					w.stream(400, max(spec.Size, 10), spec.Lateness,
						func(x snapshotter, key string, tm int64) bool {
							return x.(*Feature).Add(key, tm, randValue(rand.New(rand.NewPCG(uint64(tm), uint64(len(key)))), spec.ArgType))
						},
						func(x snapshotter, key string, tm int64, at bool) []expr.Value {
							if at {
								return []expr.Value{x.(*Feature).ValueAt(key, tm)}
							}
							return []expr.Value{x.(*Feature).Value(key, tm)}
						})
					restores += w.restore
				}
			}
		}
	}
	if restores == 0 {
		t.Fatal("nothing restored")
	}
}

// TestSnapshotGroups: random groups, checkpointed and restored at random
// points, give what the uninterrupted group gives, to the bit.
func TestSnapshotGroups(t *testing.T) {
	seeds := 150
	if testing.Short() {
		seeds = 30
	}
	if *seedsFlag > 0 {
		seeds = *seedsFlag
	}
	for seed := range seeds {
		if *seedFlag >= 0 {
			seed = *seedFlag
		}
		r := rand.New(rand.NewPCG(uint64(seed), 88))
		ms, colTypes := randGroup(r)
		mk := func() snapshotter {
			g, err := NewGroup(ms)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		span := int64(10)
		for _, m := range ms {
			span = max(span, m.Spec.Size)
		}
		w := &twin{t: t, r: r, a: mk(), b: mk(), fresh: mk}
		w.log = append(w.log, fmt.Sprintf("seed %d: %+v", seed, ms))
		args := make([]expr.Value, len(colTypes))
		w.stream(500, span, ms[0].Spec.Lateness,
			func(x snapshotter, key string, tm int64) bool {
				vr := rand.New(rand.NewPCG(uint64(tm), uint64(len(key))))
				for c, ct := range colTypes {
					args[c] = randValue(vr, ct)
				}
				return x.(*Group).Add(key, tm, args, vr.Uint64())
			},
			func(x snapshotter, key string, tm int64, at bool) []expr.Value {
				g := x.(*Group)
				if !at {
					return g.Values(nil, key, tm)
				}
				var vs []expr.Value
				for m := range ms {
					vs = append(vs, g.ValueAt(m, key, tm))
				}
				return vs
			})
	}
}

// TestSnapshotLayout: a snapshot restores only into a feature or group of
// the same spec; a corrupt one is refused with ErrSnapshot.
func TestSnapshotLayout(t *testing.T) {
	a := mustNew(t, Spec{Agg: Sum, ArgType: expr.Float, Window: Tumbling, Size: 10, Emit: true})
	a.Add("k", 3, expr.FloatValue(2))
	snap := a.AppendKeySnapshot(nil, "k")
	b := mustNew(t, Spec{Agg: Sum, ArgType: expr.Float, Window: Tumbling, Size: 20, Emit: true})
	if err := b.RestoreKey("k", snap); !errors.Is(err, ErrLayout) {
		t.Errorf("other size: %v, want ErrLayout", err)
	}
	c := mustNew(t, Spec{Agg: Sum, ArgType: expr.Float, Window: Tumbling, Size: 10, Emit: true})
	for i := range snap {
		if err := c.RestoreKey("k", snap[:i]); !errors.Is(err, ErrSnapshot) {
			t.Fatalf("cut at %d: %v, want ErrSnapshot", i, err)
		}
	}
	if err := c.RestoreKey("k", snap); err != nil {
		t.Fatal(err)
	}
	if v := c.Value("k", 5); v.F != 2 {
		t.Errorf("restored value %v", v)
	}
}

// FuzzRestoreKey: no input makes RestoreKey panic, and a key it accepts
// can be updated, read and advanced without panicking.
func FuzzRestoreKey(f *testing.F) {
	specs := []Spec{
		{Agg: Sum, ArgType: expr.Float, Window: Sliding, Size: 10, Lateness: 5},
		{Agg: Max, ArgType: expr.String, Window: Sliding, Size: 10, Lateness: 5},
		{Agg: Stddev, ArgType: expr.Float, Window: Sliding, Size: 10},
		{Agg: Count, Window: Session, Size: 5, Lateness: 5, Emit: true},
		{Agg: DistinctCount, ArgType: expr.Int, Window: Global},
		{Agg: Last, ArgType: expr.String, Window: Hopping, Size: 10, Every: 5, Emit: true, Lateness: 3},
	}
	group := []Member{
		{Spec: Spec{Name: "n", Agg: Count, Window: Sliding, Size: 10, Lateness: 5}},
		{Spec: Spec{Name: "first", Agg: First, ArgType: expr.Float, Window: Sliding, Size: 10, Lateness: 5}},
		{Spec: Spec{Name: "sd", Agg: Stddev, ArgType: expr.Float, Window: Sliding, Size: 30, Offset: 5, Lateness: 5}},
		{Spec: Spec{Name: "d", Agg: DistinctCount, ArgType: expr.Float, Window: Sliding, Size: 30, Offset: 5, Lateness: 5}},
	}
	// Seeds: real snapshots of each.
	r := rand.New(rand.NewPCG(1, 2))
	for i, s := range specs {
		x := mustNew(f, s)
		for j := range 40 {
			t := int64(j*3 + r.IntN(3))
			x.Add("k", t, randValue(r, s.ArgType))
			x.Value("k", t)
		}
		f.Add(uint8(i), x.AppendKeySnapshot(nil, "k"))
	}
	g, _ := NewGroup(group)
	for j := range 40 {
		t := int64(j * 2)
		g.Add("k", t, []expr.Value{randValue(r, expr.Float)}, r.Uint64())
		g.Values(nil, "k", t)
	}
	f.Add(uint8(len(specs)), g.AppendKeySnapshot(nil, "k"))
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		var x interface {
			RestoreKey(string, []byte) error
			Advance(int64, func(Window))
		}
		var add func(tm int64)
		var read func(tm int64)
		if int(which)%(len(specs)+1) == len(specs) {
			g, _ := NewGroup(group)
			x = g
			add = func(tm int64) { g.Add("k", tm, []expr.Value{expr.FloatValue(float64(tm))}, ^uint64(0)) }
			read = func(tm int64) { g.Values(nil, "k", tm); g.ValueAt(1, "k", tm) }
		} else {
			ft := mustNew(t, specs[int(which)%(len(specs)+1)])
			x = ft
			add = func(tm int64) { ft.Add("k", tm, randValue(rand.New(rand.NewPCG(uint64(tm), 0)), ft.spec.ArgType)) }
			read = func(tm int64) { ft.Value("k", tm); ft.ValueAt("k", tm-3) }
		}
		if err := x.RestoreKey("k", b); err != nil {
			if !errors.Is(err, ErrSnapshot) && !errors.Is(err, ErrLayout) {
				t.Fatalf("error %v wraps neither ErrSnapshot nor ErrLayout", err)
			}
			return
		}
		for j := range 30 {
			tm := int64(j*4 - 20)
			add(tm)
			read(tm)
			if j%7 == 0 {
				x.Advance(tm-2, func(Window) {})
			}
		}
		x.Advance(math.MaxInt64, func(Window) {})
	})
}
