package features

import "math"

// state is one key's state.
//
// The log holds the key's retained events sorted by timestamp, equal
// timestamps in arrival order, in t[head:] with their values in the same
// positions of x (numbers, bools, float bits) or s (strings), and nul
// (allocated at the first null) marking events whose argument is null.
// Sliding and global windows do not log null arguments, which change
// nothing there; the others do, as nulls still make a window exist and
// keep a session going.
//
// The cursor is the window as of time R (the offset already applied): the
// log positions [lo, hi) and their running aggregate run, moved forward as
// the per-event path reads later times. For global and session windows the
// events that no query in the retention can tell apart any more are folded
// into base: all of them for a global window, and for a session the chain
// of sessions' events that ends at the last folded one.
type state struct {
	key string

	t    []int64
	x    []int64
	s    []string
	nul  []bool
	head int

	valid   bool // the cursor is usable (a session's is rebuilt after a late event bridges sessions)
	hasBase bool // session: the cursor's session includes base
	lo, hi  int
	R       int64
	run     run

	base *folded

	first, last int64 // smallest and largest timestamps added

	// Emission and maintenance.
	wins   []winRec // closed windows that late events may still correct
	closed int64    // windows and sessions ending at or before closed were emitted
	due    int64    // the pending timer's time; math.MaxInt64 for none
	dirty  bool     // in Feature.dirty: a record in wins is pending
	dead   bool     // removed from the feature
}

// run is the cursor's running aggregate. For tumbling, hopping, session
// and global windows it is the acc of the window (base included). For a
// sliding window, which evicts, acc.i is the int sum, acc.f and acc.c the
// float sum (or for stddev the sum of x−k) with its compensation, k, g and
// gc the shift and the sum of (x−k)² for stddev, acc.set the value counts,
// and dq a monotonic deque of the positions of the min or max candidates.
type run struct {
	acc
	k, g, gc float64
	dq       []int32
	dqh      int
	ev       int // evictions since the float sums were last recomputed
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

func newState(key string) *state {
	return &state{key: key, valid: true, R: math.MinInt64, first: math.MaxInt64, last: math.MinInt64, closed: math.MinInt64, due: math.MaxInt64}
}

// upper is the first position whose timestamp is > u.
func (st *state) upper(u int64) int {
	n := len(st.t)
	if n == st.head || st.t[n-1] <= u {
		return n
	}
	lo, hi := st.head, n-1 // t[hi] > u
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if st.t[m] <= u {
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
func (st *state) isNull(p int) bool { return st.nul != nil && st.nul[p] }

// val is the stored value at p.
func (st *state) val(p int) (int64, string) {
	var x int64
	var s string
	if st.x != nil {
		x = st.x[p]
	}
	if st.s != nil {
		s = st.s[p]
	}
	return x, s
}

// insert puts an event at position p (the caller has found it with upper,
// before any compaction) and returns the position it landed at. Positions
// from p on move up by one; the caller adjusts the cursor.
func (st *state) insert(p int, vk vkind, t, x int64, s string, null bool) int {
	if len(st.t) == cap(st.t) {
		p -= st.makeRoom()
	}
	n := len(st.t)
	st.t = st.t[:n+1]
	copy(st.t[p+1:], st.t[p:n])
	st.t[p] = t
	switch vk {
	case vInt, vFloat:
		if st.x == nil {
			st.x = make([]int64, n, cap(st.t))
		}
		st.x = st.x[:n+1]
		copy(st.x[p+1:], st.x[p:n])
		st.x[p] = x
	case vStr:
		if st.s == nil {
			st.s = make([]string, n, cap(st.t))
		}
		st.s = st.s[:n+1]
		copy(st.s[p+1:], st.s[p:n])
		st.s[p] = s
	}
	if null && st.nul == nil {
		st.nul = make([]bool, n, cap(st.t))
	}
	if st.nul != nil {
		st.nul = st.nul[:n+1]
		copy(st.nul[p+1:], st.nul[p:n])
		st.nul[p] = null
	}
	return p
}

// makeRoom makes room for one more event: it moves the live events down
// over the dropped ones when that frees enough, else into new arrays twice
// as large. It returns how far positions moved down.
func (st *state) makeRoom() int {
	live := len(st.t) - st.head
	shift := st.head
	if c := cap(st.t); live+1 <= c/2 && live+1 <= c-4 {
		copy(st.t, st.t[shift:])
		st.t = st.t[:live]
		if st.x != nil {
			copy(st.x, st.x[shift:])
			st.x = st.x[:live]
		}
		if st.s != nil {
			copy(st.s, st.s[shift:])
			clear(st.s[live : live+shift])
			st.s = st.s[:live]
		}
		if st.nul != nil {
			copy(st.nul, st.nul[shift:])
			st.nul = st.nul[:live]
		}
	} else {
		st.resize(max(4, 2*(live+1)))
	}
	st.head = 0
	st.moved(shift)
	return shift
}

// resize moves the live events into new arrays of capacity c.
func (st *state) resize(c int) {
	live := len(st.t) - st.head
	t := make([]int64, live, c)
	copy(t, st.t[st.head:])
	st.t = t
	if st.x != nil {
		x := make([]int64, live, c)
		copy(x, st.x[st.head:])
		st.x = x
	}
	if st.s != nil {
		s := make([]string, live, c)
		copy(s, st.s[st.head:])
		st.s = s
	}
	if st.nul != nil {
		nul := make([]bool, live, c)
		copy(nul, st.nul[st.head:])
		st.nul = nul
	}
}

// moved shifts the cursor's positions down by d after the log moved.
func (st *state) moved(d int) {
	if d == 0 {
		return
	}
	st.lo -= d
	st.hi -= d
	for i := st.run.dqh; i < len(st.run.dq); i++ {
		st.run.dq[i] -= int32(d)
	}
}

// drop forgets the events before position p, releasing their strings.
func (st *state) drop(p int) {
	if st.s != nil {
		clear(st.s[st.head:p])
	}
	st.head = p
	if st.head == len(st.t) {
		// Nothing live: start over at the beginning of the arrays.
		d := st.head
		st.t = st.t[:0]
		if st.x != nil {
			st.x = st.x[:0]
		}
		if st.s != nil {
			st.s = st.s[:0]
		}
		if st.nul != nil {
			st.nul = st.nul[:0]
		}
		st.head = 0
		st.moved(d)
	}
}

// shrink gives back memory of a log much larger than its live events.
func (st *state) shrink() {
	live := len(st.t) - st.head
	if c := cap(st.t); c > 64 && live < c/8 {
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
