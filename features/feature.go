package features

import (
	"math"
	"strings"

	"github.com/kestrelcep/kestrel/expr"
)

// Feature is one feature's state over all its keys: an engine shard's
// copy. It is not safe for concurrent use.
type Feature struct {
	spec Spec
	g    *Group        // a sliding window: a group of one
	args [1]expr.Value // the argument passed to g
	ops
	kind      WindowKind
	size      int64 // the window's size
	step      int64 // the grid of tumbling (size) and hopping (every) windows
	off, late int64
	emitOn    bool
	every     int64
	logNulls  bool // log events whose argument is null

	keys keyTable[*state]
	last *state // the last key looked up

	wm           int64 // the watermark; MinInt64 before the first Advance
	minTs, maxTs int64 // of the events added

	timers   timerHeap   // closing windows
	idle     fifo[timer] // keys that may be idle
	qseq     uint64      // pushes into idle so far
	idleSort bool        // restored keys were pushed into idle out of order
	dirty    []*state
	out      []Window
	order    []int32 // out's records in emission order
	tick     int64   // emit every: ticks before it are done
	ticking  bool    // in ticks, which read times before the new watermark
	sorted   []*state
	keysMove bool // keys were added or removed since sorted was built

	free []*state // removed states, for new keys to reuse

	// Changes since the last ClearDirty (snapshot.go), once tracking.
	tracking bool
	changed  []*state
	removed  map[string]struct{}

	tmp  acc // scratch for scans
	tmpD dset
	lay  uint32 // see layout
}

// Window is a record of the `windows` output: a closed window's value or,
// for emit every, the value as of End. Start and End are milliseconds;
// a window holds the events with Start <= timestamp < End, except that the
// record of a sliding window's tick is the value over (Start, End] and a
// global window's tick has the key's first event time as Start. Revision
// is 0 for a window's first record and counts its corrections.
type Window struct {
	Feature, Key string
	Start, End   int64
	Value        expr.Value
	Revision     int
}

// New checks spec as the KRL checker does and returns an empty Feature.
func New(spec Spec) (*Feature, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	f := &Feature{
		spec:  spec,
		kind:  spec.Window,
		size:  spec.Size,
		step:  spec.Size,
		off:   spec.Offset,
		late:  spec.Lateness,
		keys:  newKeyTable[*state](),
		wm:    math.MinInt64,
		minTs: math.MaxInt64,
		maxTs: math.MinInt64,
		tick:  math.MinInt64,
	}
	f.ops = ops{agg: spec.Agg, arg: spec.ArgType, vk: kindOf(spec.ArgType), typ: valueType(spec.Agg, spec.ArgType)}
	if spec.Window == Sliding {
		g, err := NewGroup([]Member{{Spec: spec}})
		if err != nil {
			return nil, err
		}
		f.g = g
		return f, nil
	}
	if spec.Window == Hopping {
		f.step = spec.Every
	}
	f.emitOn = spec.Emit
	f.every = spec.EmitEvery
	f.logNulls = f.vk != vNone && (f.kind == Tumbling || f.kind == Hopping || f.kind == Session)
	return f, nil
}

// Spec returns the feature's spec.
func (f *Feature) Spec() Spec { return f.spec }

// Type is the type of the feature's values: int for count and
// distinct_count, float for avg and stddev, the argument's type for sum
// (int, float or duration), min, max, first and last.
func (f *Feature) Type() expr.Type { return f.typ }

// Keys is the number of keys that have state.
func (f *Feature) Keys() int {
	if f.g != nil {
		return f.g.Keys()
	}
	return f.keys.len()
}

// Watermark is the latest watermark passed to Advance (MinInt64 before).
func (f *Feature) Watermark() int64 {
	if f.g != nil {
		return f.g.Watermark()
	}
	return f.wm
}

func (f *Feature) lookup(key string) *state {
	if st := f.last; st != nil && st.key == key {
		return st
	}
	st := f.keys.get(key, f.keys.hash(key))
	if st != nil {
		f.last = st
	}
	return st
}

// convert reads an argument as the log stores it (see the function
// convert).
func (f *Feature) convert(v expr.Value) (x int64, s string, null bool) {
	return convert(f.vk, f.arg, v)
}

// Add adds one event of key at time t with argument v (ignored by count()).
// It returns false, and changes nothing, for an event too late to be
// accepted: older than the watermark minus the lateness. A null argument
// is skipped by every aggregation but count(); it still makes a tumbling or
// hopping window exist and keeps a session going. Events may come in any
// order within the lateness; equal timestamps count in the order added.
func (f *Feature) Add(key string, t int64, v expr.Value) bool {
	if f.g != nil {
		f.args[0] = v
		return f.g.Add(key, t, f.args[:], 1)
	}
	if t < satSub(f.wm, f.late) {
		return false
	}
	x, s, null := f.convert(v)
	if null && !f.logNulls {
		return true
	}
	st := f.last
	var h uint64
	if st == nil || st.key != key {
		h = f.keys.hash(key)
		st = f.keys.get(key, h)
	}
	if st != nil {
		f.last = st
	} else {
		var old *state
		if n := len(f.free); n > 0 {
			old, f.free[n-1] = f.free[n-1], nil
			f.free = f.free[:n-1]
		}
		st = newState(key, old)
		st.h = h
		f.keys.put(h, st)
		f.last = st
		f.keysMove = true
		if f.tracking {
			delete(f.removed, st.key)
		}
	}
	f.mark(st)
	f.minTs = min(f.minTs, t)
	f.maxTs = max(f.maxTs, t)
	if f.wm >= st.pruneAt {
		f.prune(st)
	}
	p := len(st.ev) // after every event: the common case, known without reading the log
	if t < st.last {
		p = st.upper(t)
	}
	st.last = max(st.last, t)
	if f.vk == vStr && !null {
		s = f.keep(st, p, s)
	}
	p = st.insert(p, f.vk, t, x, s, null)
	if p == st.head {
		st.pruneAt = min(st.pruneAt, f.pruneTime(st))
	}
	if p < len(st.ev)-1 || t <= st.R {
		f.inserted(st, p, t, null)
	}
	if f.emitOn {
		f.noteEmit(st, p, t)
	}
	f.queueIdle(st)
	return true
}

// keep returns s as the log may keep it: a string equal to a neighbour's
// is shared with it, any other is copied, since an event's strings may
// point into a buffer that its decoder reuses.
func (f *Feature) keep(st *state, p int, s string) string {
	if st.a == nil || st.a.s == nil {
		return strings.Clone(s)
	}
	if p > st.head && st.a.s[p-1] == s {
		return st.a.s[p-1]
	}
	if p < len(st.ev) && st.a.s[p] == s {
		return st.a.s[p]
	}
	return strings.Clone(s)
}

// inserted adjusts the cursor for an event put at position p that is not
// simply after everything the cursor has read.
func (f *Feature) inserted(st *state, p int, t int64, null bool) {
	if !st.valid {
		return
	}
	if t > st.R {
		return // after the cursor: p >= hi, nothing moves
	}
	switch f.kind {
	case Global:
		st.hi++
		if !null {
			f.runAdd(st, p)
		}
	case Tumbling, Hopping:
		if t >= f.pane(st.R) {
			st.hi++
			if !null {
				f.runAdd(st, p)
			}
		} else {
			st.lo++
			st.hi++
		}
	case Session:
		f.sessionInserted(st, p, t, null)
	}
}

// sessionInserted is inserted for a session window: an event that falls
// inside the cursor's session or extends it is added, one that starts a
// later session as of R restarts it, one in an earlier session moves it,
// and one that may bridge into the cursor's session invalidates it.
func (f *Feature) sessionInserted(st *state, p int, t int64, null bool) {
	D := f.size
	var prev int64
	hasPrev := false
	if p > st.head {
		prev, hasPrev = st.ev[p-1].t, true
	} else if st.base != nil {
		prev, hasPrev = st.base.last, true
	}
	lo, hi := st.lo, st.hi // positions before the insertion
	switch {
	case p > lo && p < hi:
		// Between two events of the session.
	case p == hi:
		if !(hi > lo || st.hasBase) || !hasPrev || t-prev >= D {
			st.run.reset()
			st.hasBase = false
			st.lo = p
		}
	case st.hasBase && lo == st.head:
		// Between the folded part and the logged part of the session.
	default: // p <= lo < hi
		first := st.ev[lo+1].t // the session's first event, moved up
		if first-t >= D {
			st.lo++ // in an earlier session: nothing changes as of R
			st.hi++
			return
		}
		if hasPrev && t-prev < D {
			st.valid = false // it bridges two sessions
			return
		}
		// The session now starts at this event: lo stays at p.
	}
	st.hi++
	if !null {
		f.runAdd(st, p)
	}
}

// runAdd adds the event at p to the cursor's acc.
func (f *Feature) runAdd(st *state, p int) {
	x, s := st.val(p)
	st.run.acc.add(&f.ops, st.ev[p].t, x, s)
}

// Value is the feature's value for key as of time t: over the events added
// so far with timestamps in the window for t (offset applied). It is exact
// for t within the retention (from the watermark minus the lateness on).
// The per-event path (t at or after the last time read for the key) costs
// amortized O(1); earlier times cost a scan of the window's events.
func (f *Feature) Value(key string, t int64) expr.Value {
	if f.g != nil {
		return f.g.Value(0, key, t)
	}
	st := f.lookup(key)
	if st == nil {
		return f.empty()
	}
	v, _ := f.eval(st, satSub(t, f.off))
	return v
}

// ValueAt is Value for queries that come with no event, such as the API's
// `at`: it gives the same exact value but never moves the key's cursor, so
// that a query ahead of the stream does not slow the per-event path down.
func (f *Feature) ValueAt(key string, t int64) expr.Value {
	if f.g != nil {
		return f.g.ValueAt(0, key, t)
	}
	st := f.lookup(key)
	if st == nil {
		return f.empty()
	}
	v, _ := f.scan(st, satSub(t, f.off))
	return v
}

// eval is the value as of u (offset applied) and whether the window holds
// an event.
func (f *Feature) eval(st *state, u int64) (expr.Value, bool) {
	if !st.valid {
		f.rebuild(st, u)
	} else if u < st.R {
		return f.scan(st, u)
	}
	f.mark(st)
	f.moveTo(st, u)
	if f.kind == Session {
		last, ok := f.sessionLast(st)
		if !ok || u-last >= f.size {
			return f.empty(), false
		}
	}
	return st.run.acc.result(&f.ops), st.hi > st.lo || st.hasBase || (f.kind == Global && st.run.n > 0)
}

// sessionLast is the time of the last event of the cursor's session.
func (f *Feature) sessionLast(st *state) (int64, bool) {
	if st.hi > st.head {
		return st.ev[st.hi-1].t, true
	}
	if st.hasBase {
		return st.base.last, true
	}
	return 0, false
}

// pane is the start of the window whose value is served at u: the tumbling
// window that contains u, or the last hopping window that contains it.
func (f *Feature) pane(u int64) int64 { return floorTo(u, f.step) }

// moveTo moves the cursor of a tumbling, hopping, session or global window
// forward to u >= R.
func (f *Feature) moveTo(st *state, u int64) {
	n := len(st.ev)
	switch f.kind {
	case Tumbling, Hopping:
		if ps := f.pane(u); st.R == math.MinInt64 || ps > f.pane(st.R) {
			st.run.reset()
			if st.lo < st.hi {
				st.lo = st.hi
			}
			for st.lo < n && st.ev[st.lo].t < ps {
				st.lo++
			}
			st.hi = st.lo
		}
		for st.hi < n && st.ev[st.hi].t <= u {
			if !st.isNull(st.hi) {
				f.runAdd(st, st.hi)
			}
			st.hi++
		}
	case Global:
		for st.hi < n && st.ev[st.hi].t <= u {
			f.runAdd(st, st.hi)
			st.hi++
		}
	case Session:
		for st.hi < n && st.ev[st.hi].t <= u {
			prev, ok := int64(0), false
			if st.hi > st.head {
				prev, ok = st.ev[st.hi-1].t, true
			} else if st.base != nil {
				prev, ok = st.base.last, true
			}
			if !ok || st.ev[st.hi].t-prev >= f.size {
				st.run.reset()
				st.hasBase = false
				st.lo = st.hi
			}
			if !st.isNull(st.hi) {
				f.runAdd(st, st.hi)
			}
			st.hi++
		}
	}
	st.R = u
}

// rebuild sets a session's cursor up again at u, from the folded base and
// the log.
func (f *Feature) rebuild(st *state, u int64) {
	a, b, useBase := f.sessionRange(st, u)
	if useBase {
		st.run.acc.copyFrom(&st.base.acc)
	} else {
		st.run.reset()
	}
	for p := a; p < b; p++ {
		if !st.isNull(p) {
			f.runAdd(st, p)
		}
	}
	st.lo, st.hi, st.hasBase, st.R, st.valid = a, b, useBase, u, true
}

// sessionRange is the session whose last event is the last one at or before
// u: the log positions [a, b) and whether it starts in the folded base.
func (f *Feature) sessionRange(st *state, u int64) (a, b int, useBase bool) {
	b = st.upper(u)
	if b == st.head {
		return b, b, st.base != nil && st.base.last <= u
	}
	a = b - 1
	for a > st.head && st.ev[a].t-st.ev[a-1].t < f.size {
		a--
	}
	useBase = a == st.head && st.base != nil && st.ev[a].t-st.base.last < f.size
	return a, b, useBase
}

// scan computes the value as of u from the log without touching the cursor.
func (f *Feature) scan(st *state, u int64) (expr.Value, bool) {
	b := st.upper(u)
	a := st.head
	useBase := false
	switch f.kind {
	case Tumbling, Hopping:
		a = st.lower(f.pane(u))
	case Global:
		useBase = st.base != nil
		if f.agg == DistinctCount {
			return f.globalDistinctAt(st, u, b)
		}
	case Session:
		a, b, useBase = f.sessionRange(st, u)
		var last int64
		switch {
		case b > a:
			last = st.ev[b-1].t
		case useBase:
			last = st.base.last
		default:
			return f.empty(), false
		}
		if u-last >= f.size {
			return f.empty(), false
		}
	}
	acc := f.fold(st, a, b, useBase)
	return acc.result(&f.ops), b > a || useBase
}

// globalDistinctAt is distinct_count of a global window as of u, from the
// counts of the cursor, which cover every event up to R, folded ones too:
// less the values seen only after u, or plus those first seen after R.
func (f *Feature) globalDistinctAt(st *state, u int64, b int) (expr.Value, bool) {
	d := &f.tmpD
	d.clear()
	have := st.run.set.len()
	if b >= st.hi {
		for p := st.hi; p < b; p++ {
			x, s := st.val(p)
			if st.run.set.count(f.vk, x, s) == 0 && d.count(f.vk, x, s) == 0 {
				have++
			}
			d.inc(f.vk, x, s)
		}
		return expr.IntValue(int64(have)), st.run.n+int64(b-st.hi) > 0
	}
	for p := b; p < st.hi; p++ {
		x, s := st.val(p)
		d.inc(f.vk, x, s)
		if d.count(f.vk, x, s) == st.run.set.count(f.vk, x, s) {
			have--
		}
	}
	return expr.IntValue(int64(have)), st.run.n-int64(st.hi-b) > 0
}

// prune drops the events that no value in the retention needs any more, or
// for global and session windows folds them into base. It first moves the
// cursor to the earliest time in the retention if it is behind it.
func (f *Feature) prune(st *state) {
	f.mark(st)
	f.pruneLog(st)
	st.pruneAt = f.pruneTime(st)
}

// pruneTime is the watermark from which prune has work to do for st, or a
// time before it: the first logged event, or a session's folded base,
// leaves the retention.
func (f *Feature) pruneTime(st *state) int64 {
	at := int64(math.MaxInt64)
	if st.head < len(st.ev) {
		t := st.ev[st.head].t
		switch f.kind {
		case Tumbling, Hopping:
			at = satAdd(floorTo(t, f.step), f.step+f.late+f.off)
			if f.emitOn {
				at = max(at, satAdd(t, f.size+f.late+1)) // no correction can reach it
			}
		default:
			at = satAdd(t, f.late+f.off)
		}
	}
	if st.base != nil && f.kind == Session {
		at = min(at, satAdd(st.base.last, f.size+f.late+f.off))
	}
	// A little later, so that prune drops several events at a time.
	return satAdd(at, (f.size+f.late+f.off)/16)
}

func (f *Feature) pruneLog(st *state) {
	n := len(st.ev)
	if st.head == n && st.base == nil {
		return
	}
	ur := satSub(f.wm, f.late+f.off) // the earliest time a query in the retention reads
	switch f.kind {
	case Tumbling, Hopping:
		keep := f.pane(ur)
		if f.emitOn {
			keep = min(keep, f.firstWindow(satSub(f.wm, f.late)))
		}
		if st.head < n && st.ev[st.head].t < keep {
			if st.R < ur {
				f.moveTo(st, ur)
			}
			st.drop(st.lower(keep))
		}
	case Global:
		if st.head < n && st.ev[st.head].t <= ur {
			if st.R < ur {
				f.moveTo(st, ur)
			}
			if st.base == nil {
				st.base = &folded{first: st.ev[st.head].t}
			}
			b := st.upper(ur)
			for p := st.head; p < b; p++ {
				if f.agg == DistinctCount {
					st.base.n++ // the cursor's counts serve distinct_count
				} else {
					x, s := st.val(p)
					st.base.add(&f.ops, st.ev[p].t, x, s)
				}
				st.base.last = st.ev[p].t
			}
			st.drop(b)
			st.lo = st.head
		}
	case Session:
		if st.head < n && st.ev[st.head].t <= ur {
			if st.valid && st.R < ur {
				f.moveTo(st, ur)
			}
			b := st.upper(ur)
			for p := st.head; p < b; p++ {
				t := st.ev[p].t
				if st.base == nil {
					st.base = &folded{first: t, last: t}
				} else if t-st.base.last >= f.size {
					st.base.reset()
					st.base.first = t
				}
				if !st.isNull(p) {
					x, s := st.val(p)
					st.base.add(&f.ops, t, x, s)
				}
				st.base.last = t
				if st.valid && p >= st.lo && p < st.hi {
					st.hasBase = true
				}
			}
			st.drop(b)
			if st.valid && st.lo < st.head {
				st.lo = st.head
			}
		}
		// The folded session no longer matters once no query in the
		// retention can be in it and no late event can reach it.
		if b := st.base; b != nil && b.last <= satSub(ur, f.size) &&
			(st.head == len(st.ev) || st.ev[st.head].t-b.last >= f.size) {
			st.base = nil
			if st.hasBase {
				st.hasBase = false
				st.valid = false
			}
		}
	}
}

// firstWindow is the start of the earliest window (tumbling, hopping) that
// contains time p.
func (f *Feature) firstWindow(p int64) int64 {
	return satAdd(floorTo(satSub(p, f.size), f.step), f.step)
}

// fold aggregates the log positions [lo, hi) of st into the scratch
// accumulator, starting from the key's base aggregate when useBase is set.
func (f *Feature) fold(st *state, lo, hi int, useBase bool) *acc {
	acc := &f.tmp
	if acc.set == nil {
		acc.set = &f.tmpD
	}
	if useBase {
		acc.copyFrom(&st.base.acc)
	} else {
		acc.reset()
	}
	for p := lo; p < hi; p++ {
		if !st.isNull(p) {
			x, s := st.val(p)
			acc.add(&f.ops, st.ev[p].t, x, s)
		}
	}
	return acc
}
