package features

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unsafe"

	"github.com/kestrelcep/kestrel/expr"
)

// Group is the state of sliding-window features that share a stream, a key
// and a lateness: per key, one log of the events that any of them takes and
// one cursor per distinct window (size and offset), with each member's
// running aggregate beside it. An event is looked up, logged and evicted
// once however many features read it: the feature stage's cost is mostly
// cache misses, one or more per key table, log and window edge touched.
//
// A sliding Feature is a Group of one. The engine groups the sliding
// features of one stream with the same key fields.
type Group struct {
	mem    []member
	wins   []gwin
	cols   []gcol
	late   int64
	span   int64  // the longest window plus its offset
	stride int    // int64 words per logged event: time, [member bits], numeric arguments
	mask   bool   // rows carry a word of member bits (more than one member)
	all    uint64 // every member's bit
	emit   []int  // members with emit every

	keys keyTable[*gstate]
	last *gstate // the last key looked up

	wm       int64 // the watermark; MinInt64 before the first Advance
	idle     fifo[gtimer]
	qseq     uint64 // pushes into idle so far
	idleSort bool   // restored keys were pushed into idle out of order
	free     []*gstate
	sorted   []*gstate
	keysMove bool // keys were added or removed since sorted was built
	ticking  bool // in ticks, which read times before the new watermark
	out      []Window
	conv     []cval // the arguments of the event being added, converted
	sink     int64  // see touch
	lay      uint32 // see layout

	// Changes since the last ClearDirty (snapshot.go), once tracking.
	tracking bool
	changed  []*gstate
	removed  map[string]struct{}

	tmp  acc // scratch for scans
	tmpD dset
}

// Member is one feature of a Group: its spec, a sliding window, and the
// argument column that its aggregation reads (ignored for count()).
type Member struct {
	Spec Spec
	Col  int
}

type member struct {
	spec Spec
	ops
	win       int // index in Group.wins
	col       int // argument column; -1 for count()
	bit       uint64
	size, off int64
	every     int64
	tick      int64 // emit every: ticks before it are done
	minTs     int64 // of the events the member takes (emit every)
	maxTs     int64
	sole      bool // the only member (every logged event is its own)
}

// gwin is a distinct window of a group's members: they share a cursor.
type gwin struct {
	size, off int64
	mem       []int // members over this window
}

// gcol is an argument column.
type gcol struct {
	vk    vkind
	arg   expr.Type
	word  int    // numeric: the word in a row
	str   int    // string: the index in gstate.str; -1 for numbers
	users uint64 // members reading the column (they skip its nulls)
}

// cval is a converted argument.
type cval struct {
	x    int64
	s    string
	null bool
}

// gstate is one key's state in a Group.
//
// The log holds the key's retained events sorted by timestamp, equal
// timestamps in arrival order, as rows [head, n) of ev, stride words each:
// the time, the bits of the members that take the event (when there are
// several), and the numeric arguments; string arguments are in str, at the
// same positions. Each window has a cursor, the rows [lo, hi) of (R − size,
// R], and each member a running aggregate over its cursor's rows, moved
// forward as the per-event path reads later times.
//
// The fields that every event reads come first, and the key's bytes are
// kept in kb when short, so that the lookup comparing keys and the update
// that follows touch the same cache lines; then the cursors, one cache
// line, and (see alloc) the members' aggregates right after the state.
type gstate struct {
	kb      [24]byte
	key     string
	ev      []int64
	n, head int
	last    int64 // largest timestamp added
	pruneAt int64
	agg     []slide
	gen     uint32
	dead    bool
	shared  bool // key was handed out in a record: the state is not recycled
	queued  bool // in Group.idle, due at qdue, pushed qseq-th
	changed bool // in Group.changed
	cur     [MaxWindows]cursor
	h       uint64
	qdue    int64
	qseq    uint64
	str     [][]string
	inl     [inlineWords]int64
}

// The bounds of a group: members, and distinct windows (size and offset).
const (
	MaxMembers = 64
	MaxWindows = 4
)

// inlineWords is the room for a short log inside the state.
const inlineWords = 8

func (st *gstate) keyString() string { return st.key }

// cursor is a window as of R: the rows [lo, hi).
type cursor struct {
	lo, hi int32
	R      int64
}

// slide is a member's running aggregate over its cursor's rows: n events;
// i the int sum, or f and c a float sum (or for stddev the sum of x − k) and
// its compensation; x what few aggregations need.
type slide struct {
	i   int64 // the int sum, or the float sum's bits (see f and setF)
	c   float64
	n   int32
	evs int32 // evictions since the float sums were last recomputed
	x   *slideX
}

func (sl *slide) f() float64     { return math.Float64frombits(uint64(sl.i)) }
func (sl *slide) setF(f float64) { sl.i = int64(math.Float64bits(f)) }

// slideX is stddev's shift k and the sum of (x − k)² with its
// compensation, distinct_count's value counts, and the deque of min and
// max candidates from dq[dqh] on (for first and last, when the member
// shares the log: its events in the window, in order).
type slideX struct {
	k, g, gc float64
	set      dset
	dq       []cand
	dqh      int32
}

func (sl *slide) ax() *slideX {
	if sl.x == nil {
		sl.x = &slideX{}
	}
	return sl.x
}

// cand is a candidate for min or max (or an event of first and last): its
// row and value (a string's is read from the log).
type cand struct {
	p int
	x int64
}

// gtimer is a key's pending look for idleness; gen tells a timer of a
// state that was recycled since.
type gtimer struct {
	due int64
	st  *gstate
	gen uint32
	seq uint64 // the order of pushes (restored queues are sorted by it)
}

// NewGroup checks the members' specs (each a sliding window, all with the
// same lateness, at most MaxMembers over at most MaxWindows distinct
// windows, the members of a column agreeing on its type) and returns an
// empty Group. Errors wrap ErrSpec.
func NewGroup(members []Member) (*Group, error) {
	if len(members) == 0 || len(members) > MaxMembers {
		return nil, fmt.Errorf("%w: a group has 1 to %d members, not %d", ErrSpec, MaxMembers, len(members))
	}
	g := &Group{keys: newKeyTable[*gstate](), wm: math.MinInt64, late: members[0].Spec.Lateness, mask: len(members) > 1}
	g.stride = 1
	if g.mask {
		g.stride = 2
	}
	var errs []error
	ncols := 0
	for _, m := range members {
		if m.Spec.Agg != Count {
			ncols = max(ncols, m.Col+1)
		}
	}
	g.cols = make([]gcol, ncols)
	used := make([]bool, ncols)
	for i, m := range members {
		s := m.Spec
		if err := s.validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if s.Window != Sliding {
			errs = append(errs, fmt.Errorf("%w %s: a group holds sliding windows, not %s", ErrSpec, s.Name, s.Window))
			continue
		}
		if s.Lateness != g.late {
			errs = append(errs, fmt.Errorf("%w %s: lateness %d in a group with lateness %d", ErrSpec, s.Name, s.Lateness, g.late))
		}
		mb := member{spec: s, ops: ops{agg: s.Agg, arg: s.ArgType, vk: kindOf(s.ArgType), typ: valueType(s.Agg, s.ArgType)},
			col: -1, bit: 1 << i, size: s.Size, off: s.Offset, every: s.EmitEvery, tick: math.MinInt64,
			minTs: math.MaxInt64, maxTs: math.MinInt64, sole: len(members) == 1}
		if s.Agg != Count {
			if m.Col < 0 {
				errs = append(errs, fmt.Errorf("%w %s: argument column %d", ErrSpec, s.Name, m.Col))
				continue
			}
			c := &g.cols[m.Col]
			if used[m.Col] && c.arg != s.ArgType {
				errs = append(errs, fmt.Errorf("%w %s: column %d is %s, not %s", ErrSpec, s.Name, m.Col, c.arg, s.ArgType))
				continue
			}
			c.arg, c.vk = s.ArgType, mb.vk
			used[m.Col] = true
			c.users |= mb.bit
			mb.col = m.Col
		}
		w := slices.IndexFunc(g.wins, func(w gwin) bool { return w.size == s.Size && w.off == s.Offset })
		if w < 0 && len(g.wins) == MaxWindows {
			errs = append(errs, fmt.Errorf("%w %s: a group has at most %d distinct windows", ErrSpec, s.Name, MaxWindows))
			continue
		}
		if w < 0 {
			w = len(g.wins)
			g.wins = append(g.wins, gwin{size: s.Size, off: s.Offset})
		}
		g.wins[w].mem = append(g.wins[w].mem, i)
		mb.win = w
		g.span = max(g.span, s.Size+s.Offset)
		if s.EmitEvery > 0 {
			g.emit = append(g.emit, i)
		}
		g.all |= mb.bit
		g.mem = append(g.mem, mb)
	}
	nstr := 0
	for i := range g.cols {
		c := &g.cols[i]
		if !used[i] {
			errs = append(errs, fmt.Errorf("%w: argument column %d has no member", ErrSpec, i))
			continue
		}
		c.str = -1
		if c.vk == vStr {
			c.str = nstr
			nstr++
		} else {
			c.word = g.stride
			g.stride++
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	g.conv = make([]cval, len(g.cols))
	return g, nil
}

// Members is the number of members.
func (g *Group) Members() int { return len(g.mem) }

// Spec is member m's spec.
func (g *Group) Spec(m int) Spec { return g.mem[m].spec }

// Type is the type of member m's values (see Feature.Type).
func (g *Group) Type(m int) expr.Type { return g.mem[m].typ }

// Keys is the number of keys that have state.
func (g *Group) Keys() int { return g.keys.len() }

// Watermark is the latest watermark passed to Advance (MinInt64 before).
func (g *Group) Watermark() int64 { return g.wm }

func (g *Group) lookup(key string) *gstate {
	if st := g.last; st != nil && sameKey(st.key, key) {
		return st
	}
	st := g.keys.get(key, g.keys.hash(key))
	if st != nil {
		g.last = st
	}
	return st
}

// Add adds one event of key at time t: args[c] is the value of argument
// column c, and take has bit m set for each member m whose filter the event
// passes. Each member takes it as Feature.Add would (a null argument is
// skipped by all but count()). It returns false, and changes nothing, for
// an event older than the watermark minus the lateness.
func (g *Group) Add(key string, t int64, args []expr.Value, take uint64) bool {
	if t < satSub(g.wm, g.late) {
		return false
	}
	bits := take & g.all
	for c := range g.cols {
		cv, col := &g.conv[c], &g.cols[c]
		cv.x, cv.s, cv.null = convert(col.vk, col.arg, args[c])
		if cv.null {
			bits &^= col.users
		}
	}
	if bits == 0 {
		return true
	}
	st := g.last
	var h uint64
	if st == nil || !sameKey(st.key, key) {
		h = g.keys.hash(key)
		if st = g.keys.get(key, h); st != nil {
			g.touch(st)
		}
	}
	if st != nil {
		g.last = st
	} else {
		st = g.newKey(key, h)
	}
	g.mark(st)
	for _, m := range g.emit {
		if mb := &g.mem[m]; bits&mb.bit != 0 {
			mb.minTs, mb.maxTs = min(mb.minTs, t), max(mb.maxTs, t)
		}
	}
	if g.wm >= st.pruneAt && (st.n-st.head)&7 == 7 {
		// Every 8 events, for keys that are never read. (Otherwise the
		// reads prune, after evicting, when the log's front is in cache.)
		// The rule depends on the events only, not on the log's storage,
		// so that a key restored from a snapshot prunes as the original.
		g.prune(st)
	}
	p := st.n
	if t < st.last {
		p = g.upper(st, t)
	}
	st.last = max(st.last, t)
	p = g.insert(st, p, t, bits)
	if p == st.head {
		st.pruneAt = min(st.pruneAt, g.pruneTime(st))
	}
	for ci := range len(g.wins) {
		if t <= st.cur[ci].R {
			g.inserted(st, ci, p, t)
		}
	}
	g.queueIdle(st)
	return true
}

// sameKey is a == b, quicker for short keys.
func sameKey(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) <= 8 {
		for i := range len(a) {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	return a == b
}

// Prefetch looks key up and reads the cache lines that Add and Values for
// it will need (see touch); it changes nothing. A caller that updates
// several groups for an event calls it for each of them first, so that
// the processor fetches their states at once rather than one after the
// other.
func (g *Group) Prefetch(key string) {
	if st := g.keys.get(key, g.keys.hash(key)); st != nil {
		g.last = st
		g.touch(st)
	}
}

// touch reads a word of each cache line that the event's update and reads
// will need, the log's tail and each window's first event and the
// members' aggregates, so that the processor fetches them all at once
// rather than one after the other as the update gets to them: they are
// rarely in cache, as thousands of other keys' events come between two
// events of a key.
func (g *Group) touch(st *gstate) {
	w, n, ev := g.stride, st.n, st.ev
	var x int64
	if n > 0 {
		x = ev[(n-1)*w]
	}
	for ci := range len(g.wins) {
		if lo := int(st.cur[ci].lo); lo < n {
			x += ev[lo*w]
		}
	}
	for i := 0; i < len(st.agg); i += 2 {
		x += st.agg[i].i
	}
	g.sink += x
}

// newKey makes the state of a new key, reusing a removed one's.
func (g *Group) newKey(key string, h uint64) *gstate {
	var st *gstate
	if n := len(g.free); n > 0 {
		st, g.free[n-1] = g.free[n-1], nil
		g.free = g.free[:n-1]
		ev, agg, str := st.ev, st.agg, st.str
		if len(ev) > 64*g.stride || len(ev) > 0 && &ev[0] == &st.inl[0] {
			ev = nil
		}
		for i := range agg {
			agg[i].reset()
		}
		for i := range str {
			if len(str[i]) > 64 {
				str[i] = nil
			}
		}
		*st = gstate{ev: ev, agg: agg, str: str, gen: st.gen, changed: st.changed}
	} else {
		st = g.alloc()
		if n := g.nstr(); n > 0 {
			st.str = make([][]string, n)
		}
	}
	if st.ev == nil && st.str == nil && g.stride <= inlineWords {
		st.ev = st.inl[:inlineWords/g.stride*g.stride]
	}
	for i := range st.cur {
		st.cur[i] = cursor{R: math.MinInt64}
	}
	st.last, st.pruneAt = math.MinInt64, math.MaxInt64
	if len(key) <= len(st.kb) && len(key) > 0 {
		n := copy(st.kb[:], key)
		st.key = unsafe.String(&st.kb[0], n) // the state is never moved; the string keeps it alive
	} else {
		st.key = strings.Clone(key)
	}
	st.h = h
	g.keys.put(h, st)
	g.last = st
	g.keysMove = true
	if g.tracking {
		delete(g.removed, st.key)
	}
	return st
}

// alloc makes a key's state with its members' aggregates right after it,
// in one allocation, for groups of up to 8 members.
func (g *Group) alloc() *gstate {
	switch n := len(g.mem); {
	case n == 1:
		x := new(struct {
			gstate
			a [1]slide
		})
		x.agg = x.a[:]
		return &x.gstate
	case n == 2:
		x := new(struct {
			gstate
			a [2]slide
		})
		x.agg = x.a[:]
		return &x.gstate
	case n <= 4:
		x := new(struct {
			gstate
			a [4]slide
		})
		x.agg = x.a[:n]
		return &x.gstate
	case n <= 8:
		x := new(struct {
			gstate
			a [8]slide
		})
		x.agg = x.a[:n]
		return &x.gstate
	}
	return &gstate{agg: make([]slide, len(g.mem))}
}

func (g *Group) nstr() int {
	n := 0
	for _, c := range g.cols {
		if c.str >= 0 {
			n++
		}
	}
	return n
}

// reset empties a running aggregate, keeping its storage.
func (sl *slide) reset() {
	x := sl.x
	*sl = slide{x: x}
	if x != nil {
		set, dq := x.set, x.dq[:0]
		set.clear()
		*x = slideX{set: set, dq: dq}
	}
}

// convert reads an argument as the log stores it (see Feature.Add): a
// value of another type than the argument's is null, except an int for a
// float argument (widened); a NaN float is null too; -0 is stored as 0.
func convert(vk vkind, arg expr.Type, v expr.Value) (x int64, s string, null bool) {
	switch vk {
	case vFloat:
		var g float64
		switch v.Type {
		case expr.Float:
			g = v.F
		case expr.Int:
			g = float64(v.I)
		default:
			return 0, "", true
		}
		if g != g {
			return 0, "", true
		}
		if g == 0 {
			g = 0 // -0
		}
		return int64(math.Float64bits(g)), "", false
	case vStr:
		if v.Type != expr.String {
			return 0, "", true
		}
		return 0, v.S, false
	case vInt:
		if v.Type != arg {
			return 0, "", true
		}
		if v.Type == expr.Bool && v.I != 0 {
			return 1, "", false
		}
		return v.I, "", false
	}
	return 0, "", false
}

// Value is member m's value for key as of time t (see Feature.Value).
func (g *Group) Value(m int, key string, t int64) expr.Value {
	st := g.lookup(key)
	if st == nil {
		return g.mem[m].empty()
	}
	v, _ := g.eval(m, st, satSub(t, g.mem[m].off))
	return v
}

// Values appends the value of every member for key as of t (each with its
// offset applied), in member order: the per-event path of a feature stage
// that reads them all, with one key lookup and each window's cursor moved
// once.
func (g *Group) Values(dst []expr.Value, key string, t int64) []expr.Value {
	st := g.lookup(key)
	if st == nil {
		for m := range g.mem {
			dst = append(dst, g.mem[m].empty())
		}
		return dst
	}
	for ci := range len(g.wins) {
		if u := satSub(t, g.wins[ci].off); u > st.cur[ci].R {
			g.slideTo(st, ci, u)
		}
	}
	if g.wm >= st.pruneAt && !g.ticking {
		g.prune(st)
	}
	for m := range g.mem {
		mb := &g.mem[m]
		cu := &st.cur[mb.win]
		if u := satSub(t, mb.off); u < cu.R {
			v, _ := g.scan(m, st, u)
			dst = append(dst, v)
			continue
		}
		dst = append(dst, g.slideValue(mb, st, &st.agg[m], cu))
	}
	return dst
}

// ValueAt is member m's value for key as of t without moving the cursor
// (see Feature.ValueAt).
func (g *Group) ValueAt(m int, key string, t int64) expr.Value {
	st := g.lookup(key)
	if st == nil {
		return g.mem[m].empty()
	}
	v, _ := g.scan(m, st, satSub(t, g.mem[m].off))
	return v
}

// eval is member m's value as of u (offset applied) and whether its window
// holds an event.
func (g *Group) eval(m int, st *gstate, u int64) (expr.Value, bool) {
	mb := &g.mem[m]
	if u < st.cur[mb.win].R {
		return g.scan(m, st, u)
	}
	if u > st.cur[mb.win].R {
		g.slideTo(st, mb.win, u)
	}
	if g.wm >= st.pruneAt && !g.ticking {
		g.prune(st)
	}
	sl := &st.agg[m]
	return g.slideValue(mb, st, sl, &st.cur[mb.win]), sl.n > 0
}

// scan computes member m's value as of u from the log.
func (g *Group) scan(m int, st *gstate, u int64) (expr.Value, bool) {
	mb := &g.mem[m]
	a, b := g.upper(st, satSub(u, mb.size)), g.upper(st, u)
	acc := &g.tmp
	if acc.set == nil {
		acc.set = &g.tmpD
	}
	acc.reset()
	w := g.stride
	for p := a; p < b; p++ {
		if g.bits(st, p)&mb.bit != 0 {
			x, s := g.val(st, mb.col, p)
			acc.add(&mb.ops, st.ev[p*w], x, s)
		}
	}
	return acc.result(&mb.ops), acc.n > 0
}

// t is the time of row p.
func (g *Group) t(st *gstate, p int) int64 { return st.ev[p*g.stride] }

// bits are the members that take the event at row p.
func (g *Group) bits(st *gstate, p int) uint64 {
	if !g.mask {
		return 1
	}
	return uint64(st.ev[p*g.stride+1])
}

// val is column col's value at row p.
func (g *Group) val(st *gstate, col, p int) (int64, string) {
	if col < 0 {
		return 0, ""
	}
	c := &g.cols[col]
	if c.str >= 0 {
		return 0, st.str[c.str][p]
	}
	return st.ev[p*g.stride+c.word], ""
}

// upper is the first row whose timestamp is > u.
func (g *Group) upper(st *gstate, u int64) int {
	w := g.stride
	n := st.n
	if n == st.head || st.ev[(n-1)*w] <= u {
		return n
	}
	lo, hi := st.head, n-1 // t[hi] > u
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if st.ev[m*w] <= u {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// insert puts the event being added (time t, member bits, g.conv) at row p
// and returns the row it landed at. Rows from p on move up by one; the
// caller adjusts the cursors.
func (g *Group) insert(st *gstate, p int, t int64, bits uint64) int {
	w := g.stride
	if (st.n+1)*w > len(st.ev) {
		p -= g.makeRoom(st)
	}
	n := st.n
	if p < n {
		copy(st.ev[(p+1)*w:(n+1)*w], st.ev[p*w:n*w])
	}
	row := st.ev[p*w : p*w+w]
	row[0] = t
	if g.mask {
		row[1] = int64(bits)
	}
	for c := range g.cols {
		col := &g.cols[c]
		if col.str < 0 {
			row[col.word] = g.conv[c].x
			continue
		}
		s := st.str[col.str]
		copy(s[p+1:n+1], s[p:n])
		s[p] = g.keep(s, st.head, n, p, g.conv[c])
	}
	st.n++
	return p
}

// keep returns a string argument as the log may keep it: equal to a
// neighbour's, it is shared with it; any other is copied, since an event's
// strings may point into a buffer that its decoder reuses. s has had the
// rows from p on moved up by one.
func (g *Group) keep(s []string, head, n, p int, cv cval) string {
	if cv.null {
		return ""
	}
	if p > head && s[p-1] == cv.s {
		return s[p-1]
	}
	if p < n && s[p+1] == cv.s {
		return s[p+1]
	}
	return strings.Clone(cv.s)
}

// makeRoom makes room for one more row: it moves the live rows down over
// the dropped ones when that frees a quarter of the array, else into new
// arrays twice the live rows' size. It returns how far rows moved down.
func (g *Group) makeRoom(st *gstate) int {
	w := g.stride
	live, shift := st.n-st.head, st.head
	if c := len(st.ev) / w; live+1 <= c-c/4 { // a quarter free afterwards: amortized O(1)
		copy(st.ev, st.ev[shift*w:st.n*w])
		for _, s := range st.str {
			copy(s, s[shift:st.n])
			clear(s[live:st.n])
		}
		st.n, st.head = live, 0
		g.moved(st, shift)
		return shift
	}
	g.resize(st, max(8/w, 2*(live+1)))
	return shift
}

// resize moves the live rows into new arrays of c rows.
func (g *Group) resize(st *gstate, c int) {
	w := g.stride
	live, shift := st.n-st.head, st.head
	ev := make([]int64, c*w)
	copy(ev, st.ev[shift*w:st.n*w])
	st.ev = ev
	for i, s := range st.str {
		ns := make([]string, c)
		copy(ns, s[shift:st.n])
		st.str[i] = ns
	}
	st.n, st.head = live, 0
	g.moved(st, shift)
}

// moved shifts the cursors' rows down by d after the log moved.
func (g *Group) moved(st *gstate, d int) {
	if d == 0 {
		return
	}
	for i := range st.cur {
		st.cur[i].lo -= int32(d)
		st.cur[i].hi -= int32(d)
	}
	for i := range st.agg {
		if x := st.agg[i].x; x != nil {
			for j := int(x.dqh); j < len(x.dq); j++ {
				x.dq[j].p -= d
			}
		}
	}
}

// drop forgets the rows before p, releasing their strings.
func (g *Group) drop(st *gstate, p int) {
	for _, s := range st.str {
		clear(s[st.head:p])
	}
	st.head = p
	if st.head == st.n {
		// Nothing live: start over at the beginning of the arrays.
		st.n, st.head = 0, 0
		g.moved(st, p)
	}
}

// shrink gives back memory of a log much larger than its live rows, and
// brings a log that fits back inside the state.
func (g *Group) shrink(st *gstate) {
	w := g.stride
	live := st.n - st.head
	c := len(st.ev) / w
	in := inlineWords / w
	switch {
	case st.str == nil && in > 0 && c > in && live <= in/2:
		d := st.head
		copy(st.inl[:], st.ev[d*w:st.n*w])
		st.ev = st.inl[:in*w]
		st.n, st.head = live, 0
		g.moved(st, d)
	case c > 64 && live < c/8:
		g.resize(st, max(8, 2*live))
	}
}

// inserted adjusts cursor ci for an event put at row p, time t <= its R.
func (g *Group) inserted(st *gstate, ci, p int, t int64) {
	cu, win := &st.cur[ci], &g.wins[ci]
	if t > satSub(cu.R, win.size) {
		cu.hi++
		for _, m := range win.mem {
			if x := st.agg[m].x; x != nil {
				for i := int(x.dqh); i < len(x.dq); i++ {
					if x.dq[i].p >= p {
						x.dq[i].p++
					}
				}
			}
		}
		g.add(st, win, p, false)
		return
	}
	cu.lo++
	cu.hi++
	for _, m := range win.mem {
		if x := st.agg[m].x; x != nil {
			for i := int(x.dqh); i < len(x.dq); i++ {
				x.dq[i].p++
			}
		}
	}
}

// prune drops the events that no value in the retention needs any more,
// first moving the cursors that still hold them to the earliest time in
// the retention.
func (g *Group) prune(st *gstate) {
	g.mark(st)
	if st.head < st.n {
		h := satSub(g.wm, g.late+g.span)
		if g.t(st, st.head) <= h {
			b := st.head + 1 // the rows to drop are few, at the front
			for b < st.n && g.t(st, b) <= h {
				b++
			}
			for ci := range len(g.wins) {
				if int(st.cur[ci].lo) < b {
					g.slideTo(st, ci, satSub(g.wm, g.late+g.wins[ci].off))
				}
			}
			g.drop(st, b)
		}
	}
	st.pruneAt = g.pruneTime(st)
}

// pruneTime is the watermark from which prune has work to do: the first
// logged event leaves the retention (a little later, so that prune drops
// several events at a time).
func (g *Group) pruneTime(st *gstate) int64 {
	if st.head == st.n {
		return math.MaxInt64
	}
	at := satAdd(g.t(st, st.head), g.late+g.span)
	return satAdd(at, (g.span+g.late)/16)
}

// Advance moves the watermark (see Feature.Advance): it emits the ticks of
// the members with emit every, member by member, each member's records
// sorted by end, key and start, and removes idle keys.
func (g *Group) Advance(watermark int64, emit func(Window)) {
	if watermark > g.wm {
		g.wm = watermark
	}
	wm := g.wm
	for _, m := range g.emit {
		g.out = g.out[:0]
		g.ticks(m, wm)
		slices.SortStableFunc(g.out, func(a, b Window) int {
			return cmp.Or(cmp.Compare(a.End, b.End), strings.Compare(a.Key, b.Key), cmp.Compare(a.Start, b.Start))
		})
		if emit != nil {
			for _, w := range g.out {
				emit(w)
			}
		}
		clear(g.out)
	}
	if g.idleSort {
		slices.SortFunc(g.idle.q[g.idle.head:], func(a, b gtimer) int { return cmp.Compare(a.seq, b.seq) })
		g.idleSort = false
	}
	for g.idle.len() > 0 {
		tm := g.idle.front()
		st := tm.st
		if tm.gen != st.gen || st.dead {
			g.idle.pop() // the key was removed since: its entry holds nothing back
			continue
		}
		if tm.due > wm {
			break
		}
		g.idle.pop()
		st.queued = false
		if g.idleAt(st) > wm {
			g.queueIdle(st) // events came since: not idle yet
			continue
		}
		g.maintain(st)
	}
	g.idle.compact()
}

// maintain prunes a key and removes it when nothing is left.
func (g *Group) maintain(st *gstate) {
	g.prune(st)
	if st.head == st.n {
		g.removeKey(st)
		if !st.shared && len(g.free) < maxFree {
			for _, s := range st.str {
				clear(s) // no strings kept alive
			}
			g.free = append(g.free, st)
		}
		return
	}
	g.shrink(st)
	g.queueIdle(st)
}

func (g *Group) queueIdle(st *gstate) {
	if !st.queued {
		st.queued = true
		g.qseq++
		st.qdue, st.qseq = g.idleAt(st), g.qseq
		g.idle.push(gtimer{due: st.qdue, st: st, gen: st.gen, seq: st.qseq})
		g.mark(st)
	}
}

// idleAt is when the watermark will have made the key's last event useless.
func (g *Group) idleAt(st *gstate) int64 { return satAdd(st.last, g.span+g.late) }

// ticks emits member m's values at each multiple of its EmitEvery that the
// watermark has passed since the last call (see Feature.ticks).
func (g *Group) ticks(m int, wm int64) {
	mb := &g.mem[m]
	if mb.maxTs == math.MinInt64 {
		return
	}
	P := mb.every
	limit := satAdd(mb.maxTs, mb.off+mb.size)
	T := max(mb.tick, ceilTo(satAdd(mb.minTs, mb.off), P))
	if T < wm && T < limit && g.keysMove {
		g.sorted = g.sorted[:0]
		g.keys.each(func(st *gstate) { g.sorted = append(g.sorted, st) })
		slices.SortFunc(g.sorted, func(a, b *gstate) int { return strings.Compare(a.key, b.key) })
		g.keysMove = false
	}
	g.ticking = true
	defer func() { g.ticking = false }()
	for T < wm && T < limit {
		u := satSub(T, mb.off)
		for _, st := range g.sorted {
			v, ok := g.eval(m, st, u)
			if !ok {
				continue
			}
			st.shared = true
			g.out = append(g.out, Window{Feature: mb.spec.Name, Key: st.key, Start: satSub(u, mb.size), End: u, Value: v})
		}
		T = satAdd(T, P)
	}
	mb.tick = max(T, ceilTo(wm, P))
}
