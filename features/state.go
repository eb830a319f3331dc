package features

import (
	"math"
	"strings"
	"unsafe"
)

// state is one key's state.
//
// The log holds the key's retained events sorted by timestamp, equal
// timestamps in arrival order, in ev[head:] (time and value side by side,
// so that reading an event touches one cache line), with string values in
// the same positions of s and nul (allocated at the first null) marking
// events whose argument is null. Sliding and global windows do not log
// null arguments, which change nothing there; the others do, as nulls
// still make a window exist and keep a session going.
//
// The cursor is the window as of time R (the offset already applied): the
// log positions [lo, hi) and their running aggregate run, moved forward as
// the per-event path reads later times. For global and session windows the
// events that no query in the retention can tell apart any more are folded
// into base: all of them for a global window, and for a session the chain
// of events that ends at the last folded one.
//
// The fields the per-event path reads come first, and the key's bytes are
// kept in kb when short, so that a map lookup comparing keys and the
// update that follows touch the same cache lines.
type state struct {
	kb      [24]byte
	key     string
	h       uint64 // key's hash in Feature.keys
	ev      []event
	head    int
	lo, hi  int
	R       int64
	last    int64 // largest timestamp added
	pruneAt int64 // prune has work once the watermark reaches it (or later)
	due     int64 // the pending timer's time; math.MaxInt64 for none
	valid   bool  // the cursor is usable (a session's is rebuilt after a late event bridges sessions)
	hasBase bool  // session: the cursor's session includes base
	dirty   bool  // in Feature.dirty: a record in wins is pending
	dead    bool  // removed from the feature
	shared  bool  // key was handed out in a record: the state is not recycled
	queued  bool  // in Feature.idle, due at qdue, pushed qseq-th
	changed bool  // in Feature.changed
	qdue    int64
	qseq    uint64
	gen     uint32
	run     run
	base    *folded
	a       *aux // what few features use; nil until needed

	// inl holds the log while it is short, in the cache lines of the state
	// that every update reads anyway.
	inl [inlineEvents]event
}

// inlineEvents is how many events a log holds inside its state.
const inlineEvents = 4

// aux is the part of a key's state that most features do without.
type aux struct {
	s      []string // string values, beside ev
	nul    []bool   // null arguments, beside ev; nil until the first
	wins   []winRec // closed windows that late events may still correct
	closed int64    // windows and sessions ending at or before closed were emitted
}

// ax returns st.a, made when missing.
func (st *state) ax() *aux {
	if st.a == nil {
		st.a = &aux{closed: math.MinInt64}
	}
	return st.a
}

// event is a logged event: its time and its value (a number, a bool, float
// bits; unused for strings and count()).
type event struct {
	t, x int64
}

// run is the cursor's running aggregate: the acc of the window (base
// included).
type run struct {
	acc
}

// folded is the aggregate of the events folded out of a log, with the
// timestamps of the first and last of them.
type folded struct {
	acc
	first, last int64
}

// winRec records a closed window (tumbling, hopping) or session that a late
// event may still correct: its start and end, the revision its next record
// will carry, and whether a record is due at the next Advance. A session
// that absorbed emitted ones but is open again keeps one too, for its
// revision.
type winRec struct {
	start, end int64
	next       int32
	pending    bool
}

// newState makes a key's state, with its own copy of the key, reusing
// old's storage when it is not nil.
func newState(key string, old *state) *state {
	st := old
	if st == nil {
		st = &state{}
	} else {
		ev, a, set := st.ev[:0], st.a, st.run.set
		if set != nil {
			set.clear()
		}
		if cap(ev) > 64 {
			ev = st.inl[:0]
		}
		if a != nil {
			*a = aux{s: a.s[:0], wins: a.wins[:0], closed: math.MinInt64}
			if cap(a.s) != cap(ev) {
				a.s = nil
			}
		}
		*st = state{ev: ev, a: a, gen: st.gen, changed: st.changed}
		st.run.set = set
	}
	st.valid, st.R, st.last, st.due, st.pruneAt = true, math.MinInt64, math.MinInt64, math.MaxInt64, math.MaxInt64
	if st.ev == nil {
		st.ev = st.inl[:0]
	}
	if len(key) <= len(st.kb) && len(key) > 0 {
		n := copy(st.kb[:], key)
		st.key = unsafe.String(&st.kb[0], n) // the state is never moved; the string keeps it alive
	} else {
		st.key = strings.Clone(key)
	}
	return st
}

// firstTime is the time of a global window's first event: folded events
// are all older than logged ones.
func (st *state) firstTime() int64 {
	if st.base != nil {
		return st.base.first
	}
	if st.head < len(st.ev) {
		return st.ev[st.head].t
	}
	return math.MaxInt64
}

// upper is the first position whose timestamp is > u.
func (st *state) upper(u int64) int {
	n := len(st.ev)
	if n == st.head || st.ev[n-1].t <= u {
		return n
	}
	lo, hi := st.head, n-1 // t[hi] > u
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if st.ev[m].t <= u {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// lower is the first position whose timestamp is >= u.
func (st *state) lower(u int64) int {
	if u == math.MinInt64 {
		return st.head
	}
	return st.upper(u - 1)
}

// isNull reports whether the event at p has a null argument.
func (st *state) isNull(p int) bool { return st.a != nil && st.a.nul != nil && st.a.nul[p] }

// val is the stored value at p.
func (st *state) val(p int) (int64, string) {
	if st.a != nil && st.a.s != nil {
		return 0, st.a.s[p]
	}
	return st.ev[p].x, ""
}

// insert puts an event at position p (the caller has found it with upper,
// before any compaction) and returns the position it landed at. Positions
// from p on move up by one; the caller adjusts the cursor.
func (st *state) insert(p int, vk vkind, t, x int64, s string, null bool) int {
	if len(st.ev) == cap(st.ev) {
		p -= st.makeRoom()
	}
	n := len(st.ev)
	st.ev = st.ev[:n+1]
	if p < n {
		copy(st.ev[p+1:], st.ev[p:n])
	}
	st.ev[p] = event{t, x}
	if vk != vStr && !null && st.a == nil {
		return p
	}
	a := st.ax()
	if vk == vStr {
		if a.s == nil {
			a.s = make([]string, n, cap(st.ev))
		}
		a.s = a.s[:n+1]
		copy(a.s[p+1:], a.s[p:n])
		a.s[p] = s
	}
	if null && a.nul == nil {
		a.nul = make([]bool, n, cap(st.ev))
	}
	if a.nul != nil {
		a.nul = a.nul[:n+1]
		copy(a.nul[p+1:], a.nul[p:n])
		a.nul[p] = null
	}
	return p
}

// makeRoom makes room for one more event: it moves the live events down
// over the dropped ones when that frees a quarter of the array, else into
// new arrays twice the live events' size. It returns how far positions
// moved down.
func (st *state) makeRoom() int {
	live := len(st.ev) - st.head
	shift := st.head
	if c := cap(st.ev); live+1 <= c-c/4 { // a quarter free afterwards: amortized O(1)
		copy(st.ev, st.ev[shift:])
		st.ev = st.ev[:live]
		if a := st.a; a != nil && a.s != nil {
			copy(a.s, a.s[shift:])
			clear(a.s[live : live+shift])
			a.s = a.s[:live]
		}
		if a := st.a; a != nil && a.nul != nil {
			copy(a.nul, a.nul[shift:])
			a.nul = a.nul[:live]
		}
	} else {
		st.resize(max(2*inlineEvents, 2*(live+1)))
	}
	st.head = 0
	st.moved(shift)
	return shift
}

// resize moves the live events into new arrays of capacity c.
func (st *state) resize(c int) {
	live := len(st.ev) - st.head
	ev := make([]event, live, c)
	copy(ev, st.ev[st.head:])
	st.ev = ev
	if a := st.a; a != nil && a.s != nil {
		s := make([]string, live, c)
		copy(s, a.s[st.head:])
		a.s = s
	}
	if a := st.a; a != nil && a.nul != nil {
		nul := make([]bool, live, c)
		copy(nul, a.nul[st.head:])
		a.nul = nul
	}
}

// moved shifts the cursor's positions down by d after the log moved.
func (st *state) moved(d int) {
	if d == 0 {
		return
	}
	st.lo -= d
	st.hi -= d
}

// drop forgets the events before position p, releasing their strings.
func (st *state) drop(p int) {
	a := st.a
	if a != nil && a.s != nil {
		clear(a.s[st.head:p])
	}
	st.head = p
	if st.head == len(st.ev) {
		// Nothing live: start over at the beginning of the arrays.
		d := st.head
		st.ev = st.ev[:0]
		if a != nil && a.s != nil {
			a.s = a.s[:0]
		}
		if a != nil && a.nul != nil {
			a.nul = a.nul[:0]
		}
		st.head = 0
		st.moved(d)
	}
}

// shrink gives back memory of a log much larger than its live events, and
// brings a log that fits back inside the state.
func (st *state) shrink() {
	live := len(st.ev) - st.head
	c := cap(st.ev)
	switch {
	case c > inlineEvents && live <= inlineEvents/2 && (st.a == nil || st.a.s == nil && st.a.nul == nil):
		d := st.head
		n := copy(st.inl[:], st.ev[st.head:])
		st.ev = st.inl[:n]
		st.head = 0
		st.moved(d)
	case c > 64 && live < c/8:
		d := st.head
		st.resize(max(8, 2*live))
		st.head = 0
		st.moved(d)
	}
}

// Saturating arithmetic on times.
func satSub(a, b int64) int64 {
	if b > 0 && a < math.MinInt64+b {
		return math.MinInt64
	}
	if b < 0 && a > math.MaxInt64+b {
		return math.MaxInt64
	}
	return a - b
}

func satAdd(a, b int64) int64 { return satSub(a, -b) }

// floorDiv is ⌊a/b⌋ for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// floorTo is the largest multiple of p at or before a, saturating.
func floorTo(a, p int64) int64 {
	q := floorDiv(a, p)
	if q < math.MinInt64/p {
		return math.MinInt64
	}
	return q * p
}

// ceilTo is the smallest multiple of p at or after a, saturating.
func ceilTo(a, p int64) int64 {
	f := floorTo(a, p)
	if f == a {
		return a
	}
	if f > math.MaxInt64-p {
		return math.MaxInt64
	}
	return f + p
}

func (st *state) keyString() string { return st.key }
