package features

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"strings"
)

// Snapshots, for the service's checkpoints: a Feature or a Group tracks the
// keys that changed since the last ClearDirty; the caller writes a snapshot
// of each (AppendKeySnapshot) and deletes the removed ones, plus the
// feature's own state (AppendMeta: the watermark, emit every's progress).
// A fresh Feature or Group restored from all of them (RestoreMeta,
// RestoreKey) gives the same values, ValueAt and records as the original
// would have from there on, to the bit. A snapshot holds a key's retained
// events and its cursors' running aggregates as they are (not recomputed,
// which could round differently), with positions relative to the log's
// first event.
//
// Until the first ClearDirty nothing is tracked and Dirty reports every
// key: the first checkpoint writes everything, and a caller that never
// checkpoints pays nothing. After restoring, call ClearDirty to count
// changes from the restored state.

// More sentinel errors, wrapped by RestoreKey and RestoreMeta.
var (
	// ErrSnapshot: the snapshot is corrupt.
	ErrSnapshot = errors.New("bad feature snapshot")
	// ErrLayout: the snapshot is of a feature or group with another spec
	// (members, windows, aggregations, argument types): it cannot be
	// restored into this one. A caller drops such state.
	ErrLayout = errors.New("feature snapshot of another spec")
)

const snapVersion = 1

// layout is the fingerprint of what a snapshot's meaning depends on.
func (g *Group) layout() uint32 {
	if g.lay == 0 {
		g.lay = g.computeLayout() | 1
	}
	return g.lay
}

func (g *Group) computeLayout() uint32 {
	var b strings.Builder
	fmt.Fprintf(&b, "group %d %d %v|", g.late, g.stride, g.mask)
	for _, c := range g.cols {
		fmt.Fprintf(&b, "col %d %d %d %d|", c.vk, c.arg, c.word, c.str)
	}
	for _, m := range g.mem {
		fmt.Fprintf(&b, "mem %d %d %d %d %d %d %d|", m.agg, m.arg, m.size, m.off, m.col, m.every, m.win)
	}
	return crc32.ChecksumIEEE([]byte(b.String()))
}

func (f *Feature) layout() uint32 {
	if f.lay == 0 {
		f.lay = f.computeLayout() | 1
	}
	return f.lay
}

func (f *Feature) computeLayout() uint32 {
	s := f.spec
	return crc32.ChecksumIEEE(fmt.Appendf(nil, "feature %d %d %d %d %d %d %d %v %d",
		s.Agg, s.ArgType, s.Window, s.Size, s.Every, s.Offset, s.Lateness, s.Emit, s.EmitEvery))
}

// enc appends to a snapshot.
type enc struct{ b []byte }

func (e *enc) u(x uint64)   { e.b = binary.AppendUvarint(e.b, x) }
func (e *enc) i(x int64)    { e.b = binary.AppendVarint(e.b, x) }
func (e *enc) f(x float64)  { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(x)) }
func (e *enc) u32(x uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, x) }
func (e *enc) s(x string) {
	e.u(uint64(len(x)))
	e.b = append(e.b, x...)
}
func (e *enc) bool(x bool) {
	if x {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// dec reads a snapshot; the first problem sticks, and every read after it
// gives zero values.
type dec struct {
	b   []byte
	err error
}

func (d *dec) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrSnapshot, fmt.Sprintf(format, args...))
	}
}

func (d *dec) u() uint64 {
	if d.err != nil {
		return 0
	}
	x, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("truncated or overlong number")
		return 0
	}
	d.b = d.b[n:]
	return x
}

func (d *dec) i() int64 {
	if d.err != nil {
		return 0
	}
	x, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("truncated or overlong number")
		return 0
	}
	d.b = d.b[n:]
	return x
}

// count reads a number of items that take a byte each at least.
func (d *dec) count() int {
	x := d.u()
	if x > uint64(len(d.b)) {
		d.fail("%d items, %d bytes left", x, len(d.b))
		return 0
	}
	return int(x)
}

// n reads a count or position, at most max.
func (d *dec) n(max int) int {
	x := d.u()
	if max < 0 || x > uint64(max) {
		d.fail("%d out of range (at most %d)", x, max)
		return 0
	}
	return int(x)
}

func (d *dec) word() uint64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.fail("truncated")
		return 0
	}
	x := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return x
}

func (d *dec) f() float64 { return math.Float64frombits(d.word()) }

func (d *dec) u32() uint32 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 4 {
		d.fail("truncated")
		return 0
	}
	x := binary.LittleEndian.Uint32(d.b)
	d.b = d.b[4:]
	return x
}

func (d *dec) s() string {
	u := d.u()
	if d.err == nil && u > uint64(len(d.b)) {
		d.fail("string of %d bytes, %d left", u, len(d.b))
	}
	if d.err != nil {
		return ""
	}
	n := int(u)
	x := string(d.b[:n])
	d.b = d.b[n:]
	return x
}

func (d *dec) bool() bool {
	if d.err != nil {
		return false
	}
	if len(d.b) == 0 || d.b[0] > 1 {
		d.fail("bad flag")
		return false
	}
	x := d.b[0] == 1
	d.b = d.b[1:]
	return x
}

// header writes and checks the version and the layout.
func (e *enc) header(layout uint32) {
	e.b = append(e.b, snapVersion)
	e.u32(layout)
}

func (d *dec) header(layout uint32) error {
	if len(d.b) == 0 {
		return fmt.Errorf("%w: empty", ErrSnapshot)
	}
	if d.b[0] != snapVersion {
		return fmt.Errorf("%w: version %d", ErrSnapshot, d.b[0])
	}
	d.b = d.b[1:]
	if l := d.u32(); d.err == nil && l != layout {
		return fmt.Errorf("%w (layout %08x, this one's is %08x)", ErrLayout, l, layout)
	}
	return d.err
}

func (d *dec) end() error {
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d bytes left over", len(d.b))
	}
	return d.err
}

// set writes a dset's counts in order.
func (e *enc) set(s *dset) {
	if s == nil {
		e.u(0)
		e.u(0)
		return
	}
	nums := make([]int64, 0, len(s.nums))
	for k := range s.nums {
		nums = append(nums, k)
	}
	slices.Sort(nums)
	e.u(uint64(len(nums)))
	for _, k := range nums {
		e.i(k)
		e.u(uint64(s.nums[k]))
	}
	strs := make([]string, 0, len(s.strs))
	for k := range s.strs {
		strs = append(strs, k)
	}
	slices.Sort(strs)
	e.u(uint64(len(strs)))
	for _, k := range strs {
		e.s(k)
		e.u(uint64(s.strs[k]))
	}
}

func (d *dec) set(s *dset) {
	s.clear()
	for range d.count() {
		k, c := d.i(), d.n(math.MaxInt32)
		if d.err == nil && c == 0 {
			d.fail("zero count")
		}
		if d.err != nil {
			return
		}
		if s.nums == nil {
			s.nums = map[int64]int32{}
		}
		s.nums[k] = int32(c)
	}
	for range d.count() {
		k, c := d.s(), d.n(math.MaxInt32)
		if d.err == nil && c == 0 {
			d.fail("zero count")
		}
		if d.err != nil {
			return
		}
		if s.strs == nil {
			s.strs = map[string]int32{}
		}
		s.strs[k] = int32(c)
	}
}

func (e *enc) acc(a *acc) {
	e.i(a.n)
	e.i(a.i)
	e.f(a.f)
	e.f(a.c)
	e.i(a.at)
	e.s(a.s)
	// An empty set is as good as none (a recycled state keeps its
	// storage): written the same, so that equal states give equal
	// snapshots.
	has := a.set.len() > 0
	e.bool(has)
	if has {
		e.set(a.set)
	}
}

func (d *dec) acc(a *acc) {
	a.n, a.i, a.f, a.c, a.at, a.s = d.i(), d.i(), d.f(), d.f(), d.i(), d.s()
	if d.bool() {
		if a.set == nil {
			a.set = &dset{}
		}
		d.set(a.set)
	} else if a.set != nil {
		a.set.clear()
	}
}

// --- Group ---

// Dirty calls fn for each key whose state changed since the last
// ClearDirty, with removed set for a key that has no state any more, in
// no particular order. Before the first ClearDirty it reports every key.
// key is valid during the call only (its bytes may be the state's).
func (g *Group) Dirty(fn func(key string, removed bool)) {
	if !g.tracking {
		g.keys.each(func(st *gstate) { fn(st.key, false) })
		return
	}
	removed := make([]string, 0, len(g.removed))
	for k := range g.removed {
		removed = append(removed, k)
	}
	slices.Sort(removed)
	for _, k := range removed {
		fn(k, true)
	}
	for _, st := range g.changed {
		if !st.dead {
			fn(st.key, false)
		}
	}
}

// ClearDirty forgets the changes so far and tracks the ones from now on.
func (g *Group) ClearDirty() {
	for i, st := range g.changed {
		st.changed = false
		g.changed[i] = nil
	}
	g.changed = g.changed[:0]
	if g.removed == nil {
		g.removed = map[string]struct{}{}
	}
	clear(g.removed)
	g.tracking = true
}

// mark notes that st changed.
func (g *Group) mark(st *gstate) {
	if g.tracking && !st.changed {
		st.changed = true
		g.changed = append(g.changed, st)
	}
}

// AppendMeta appends the group's own state: its watermark and the
// progress of its members' emit every.
func (g *Group) AppendMeta(b []byte) []byte {
	e := enc{b}
	e.header(g.layout())
	e.i(g.wm)
	e.u(g.qseq)
	for i := range g.mem {
		m := &g.mem[i]
		e.i(m.tick)
		e.i(m.minTs)
		e.i(m.maxTs)
	}
	return e.b
}

// RestoreMeta restores what AppendMeta wrote, into a group with the same
// members.
func (g *Group) RestoreMeta(b []byte) error {
	d := dec{b: b}
	if err := d.header(g.layout()); err != nil {
		return err
	}
	wm, qseq := d.i(), d.u()
	type em struct{ tick, minTs, maxTs int64 }
	ms := make([]em, len(g.mem))
	for i := range ms {
		ms[i] = em{d.i(), d.i(), d.i()}
	}
	if err := d.end(); err != nil {
		return err
	}
	g.wm, g.qseq = wm, max(g.qseq, qseq)
	for i, m := range ms {
		g.mem[i].tick, g.mem[i].minTs, g.mem[i].maxTs = m.tick, m.minTs, m.maxTs
	}
	return nil
}

// AppendKeySnapshot appends a snapshot of key's state; nothing for a key
// without state.
func (g *Group) AppendKeySnapshot(b []byte, key string) []byte {
	st := g.keys.get(key, g.keys.hash(key))
	if st == nil {
		return b
	}
	e := enc{b}
	e.header(g.layout())
	w, head, live := g.stride, st.head, st.n-st.head
	e.i(st.last)
	e.i(st.pruneAt)
	e.bool(st.queued)
	if st.queued {
		e.i(st.qdue)
		e.u(st.qseq)
	}
	e.u(uint64(live))
	prev := int64(0)
	for p := head; p < st.n; p++ {
		row := st.ev[p*w : p*w+w]
		e.i(row[0] - prev) // times in order: small deltas
		prev = row[0]
		if g.mask {
			e.u(uint64(row[1]))
		}
		for c := range g.cols {
			col := &g.cols[c]
			switch {
			case col.str >= 0:
				e.s(st.str[col.str][p])
			case col.vk == vFloat:
				e.b = binary.LittleEndian.AppendUint64(e.b, uint64(row[col.word]))
			default:
				e.i(row[col.word])
			}
		}
	}
	for ci := range len(g.wins) {
		cu := &st.cur[ci]
		e.u(uint64(int(cu.lo) - head))
		e.u(uint64(int(cu.hi) - head))
		e.i(cu.R)
	}
	for m := range g.mem {
		g.appendSlide(&e, &g.mem[m], &st.agg[m], head)
	}
	return e.b
}

// appendSlide writes what a member's aggregation uses of its running
// aggregate; over no event, x means nothing and is left out (equal states
// give equal snapshots, whatever storage a recycled state kept).
func (g *Group) appendSlide(e *enc, mb *member, sl *slide, head int) {
	e.u(uint64(sl.n))
	float := mb.vk == vFloat && (mb.agg == Sum || mb.agg == Avg) || mb.agg == Stddev
	switch {
	case float:
		e.b = binary.LittleEndian.AppendUint64(e.b, uint64(sl.i))
		e.f(sl.c)
		e.u(uint64(sl.evs))
	case mb.agg == Sum || mb.agg == Avg:
		e.i(sl.i)
	}
	x := sl.x
	if x == nil || sl.n == 0 {
		return
	}
	switch mb.agg {
	case Stddev:
		e.f(x.k)
		e.f(x.g)
		e.f(x.gc)
	case DistinctCount:
		e.set(&x.set)
	case Min, Max, First, Last:
		e.u(uint64(len(x.dq) - int(x.dqh)))
		for _, c := range x.dq[x.dqh:] {
			e.u(uint64(c.p - head))
			e.i(c.x)
		}
	}
}

// slide reads what appendSlide wrote, for rows [0, live).
func (d *dec) slide(mb *member, sl *slide, live int) {
	sl.n = int32(d.n(math.MaxInt32))
	float := mb.vk == vFloat && (mb.agg == Sum || mb.agg == Avg) || mb.agg == Stddev
	switch {
	case float:
		sl.i = int64(d.word())
		sl.c = d.f()
		sl.evs = int32(d.n(math.MaxInt32))
	case mb.agg == Sum || mb.agg == Avg:
		sl.i = d.i()
	}
	if sl.n == 0 || d.err != nil {
		return
	}
	switch mb.agg {
	case Stddev:
		sl.x = &slideX{k: d.f(), g: d.f(), gc: d.f()}
	case DistinctCount:
		sl.x = &slideX{}
		d.set(&sl.x.set)
	case Min, Max, First, Last:
		if mb.agg != Min && mb.agg != Max && mb.sole {
			return
		}
		x := &slideX{}
		for range d.n(live) {
			p, v := d.n(live-1), d.i()
			if d.err == nil && len(x.dq) > 0 && p <= x.dq[len(x.dq)-1].p {
				d.fail("candidates out of order")
			}
			x.dq = append(x.dq, cand{p, v})
		}
		sl.x = x
	}
}

// RestoreKey restores key's state from a snapshot of AppendKeySnapshot,
// replacing any it has. An error (wrapping ErrSnapshot or ErrLayout)
// leaves the group as it was.
func (g *Group) RestoreKey(key string, b []byte) error {
	d := dec{b: b}
	if err := d.header(g.layout()); err != nil {
		return err
	}
	last, pruneAt := d.i(), d.i()
	queued := d.bool()
	var qdue int64
	var qseq uint64
	if queued {
		qdue, qseq = d.i(), d.u()
	}
	w := g.stride
	live := d.count() // every event takes a byte at least
	if d.err != nil {
		return d.err
	}
	ev := make([]int64, max(live+1, 8/w)*w)
	var str [][]string
	if n := g.nstr(); n > 0 {
		str = make([][]string, n)
		for i := range str {
			str[i] = make([]string, len(ev)/w)
		}
	}
	t := int64(0)
	for p := range live {
		row := ev[p*w : p*w+w]
		dt := d.i()
		if p > 0 && dt < 0 {
			d.fail("events out of order")
		}
		t += dt
		row[0] = t
		if g.mask {
			bits := d.u()
			if bits == 0 || bits&^g.all != 0 {
				d.fail("bad member bits %b", bits)
			}
			row[1] = int64(bits)
		}
		for c := range g.cols {
			col := &g.cols[c]
			switch {
			case col.str >= 0:
				str[col.str][p] = d.s()
			case col.vk == vFloat:
				row[col.word] = int64(d.word())
			default:
				row[col.word] = d.i()
			}
		}
		if d.err != nil {
			return d.err
		}
	}
	var cur [MaxWindows]cursor
	for ci := range len(g.wins) {
		lo, hi := d.n(live), d.n(live)
		if lo > hi {
			d.fail("cursor [%d, %d)", lo, hi)
		}
		cur[ci] = cursor{lo: int32(lo), hi: int32(hi), R: d.i()}
	}
	agg := make([]slide, len(g.mem))
	for m := range agg {
		d.slide(&g.mem[m], &agg[m], live)
		if d.err != nil {
			return d.err
		}
	}
	if err := d.end(); err != nil {
		return err
	}
	if live > 0 && ev[(live-1)*w] > last {
		return fmt.Errorf("%w: an event after the last time", ErrSnapshot)
	}
	// A cursor as of R covers the events in (R − size, R].
	upper := func(u int64) int32 {
		p := 0
		for p < live && ev[p*w] <= u {
			p++
		}
		return int32(p)
	}
	for ci := range len(g.wins) {
		cu := &cur[ci]
		if cu.hi != upper(cu.R) || cu.lo != upper(satSub(cu.R, g.wins[ci].size)) {
			return fmt.Errorf("%w: a cursor that does not cover its window", ErrSnapshot)
		}
	}
	if err := g.checkAggs(ev, live, &cur, agg); err != nil {
		return err
	}
	if old := g.keys.get(key, g.keys.hash(key)); old != nil {
		g.removeKey(old)
	}
	st := g.newKey(key, g.keys.hash(key))
	st.ev, st.n, st.head, st.last, st.pruneAt = ev, live, 0, last, pruneAt
	if str != nil {
		st.str = str
	}
	st.cur = cur
	copy(st.agg, agg)
	if queued {
		st.queued, st.qdue, st.qseq = true, qdue, qseq
		g.idle.push(gtimer{due: qdue, st: st, gen: st.gen, seq: qseq})
		g.idleSort = true
		g.qseq = max(g.qseq, qseq)
	}
	return nil
}

// checkAggs checks that restored aggregates agree with the rows as far as
// the code relies on it: each member's count of events in its window, the
// extra state of those that need it, and deques of the member's events.
func (g *Group) checkAggs(ev []int64, live int, cur *[MaxWindows]cursor, agg []slide) error {
	w := g.stride
	for m := range agg {
		mb, sl := &g.mem[m], &agg[m]
		cu := &cur[mb.win]
		bits := func(p int) uint64 {
			if !g.mask {
				return 1
			}
			return uint64(ev[p*w+1])
		}
		n := int32(0)
		var mine []int
		for p := int(cu.lo); p < int(cu.hi); p++ {
			if bits(p)&mb.bit != 0 {
				n++
				mine = append(mine, p)
			}
		}
		if n != sl.n {
			return fmt.Errorf("%w: member %d counts %d events, its window holds %d", ErrSnapshot, m, sl.n, n)
		}
		x := sl.x
		switch mb.agg {
		case Stddev, DistinctCount:
			if n > 0 && x == nil {
				return fmt.Errorf("%w: member %d lacks its state", ErrSnapshot, m)
			}
		case First, Last:
			if mb.sole {
				break
			}
			if n > 0 && (x == nil || len(x.dq) != len(mine)) {
				return fmt.Errorf("%w: member %d's events", ErrSnapshot, m)
			}
			for i, p := range mine {
				if x.dq[i].p != p {
					return fmt.Errorf("%w: member %d's events", ErrSnapshot, m)
				}
			}
		}
		if x != nil {
			for _, c := range x.dq {
				if c.p < int(cu.lo) || c.p >= int(cu.hi) || bits(c.p)&mb.bit == 0 {
					return fmt.Errorf("%w: member %d's candidate at %d is not its event", ErrSnapshot, m, c.p)
				}
			}
		}
	}
	return nil
}

// removeKey takes st out of the group.
func (g *Group) removeKey(st *gstate) {
	g.keys.del(st.h, st)
	st.dead = true
	if g.last == st {
		g.last = nil
	}
	g.keysMove = true
	st.gen++
	if g.tracking {
		g.removed[strings.Clone(st.key)] = struct{}{}
	}
}

// --- Feature ---

// Dirty calls fn for each key whose state changed since the last
// ClearDirty (see Group.Dirty).
func (f *Feature) Dirty(fn func(key string, removed bool)) {
	if f.g != nil {
		f.g.Dirty(fn)
		return
	}
	if !f.tracking {
		f.keys.each(func(st *state) { fn(st.key, false) })
		return
	}
	removed := make([]string, 0, len(f.removed))
	for k := range f.removed {
		removed = append(removed, k)
	}
	slices.Sort(removed)
	for _, k := range removed {
		fn(k, true)
	}
	for _, st := range f.changed {
		if !st.dead {
			fn(st.key, false)
		}
	}
}

// ClearDirty forgets the changes so far and tracks the ones from now on.
func (f *Feature) ClearDirty() {
	if f.g != nil {
		f.g.ClearDirty()
		return
	}
	for i, st := range f.changed {
		st.changed = false
		f.changed[i] = nil
	}
	f.changed = f.changed[:0]
	if f.removed == nil {
		f.removed = map[string]struct{}{}
	}
	clear(f.removed)
	f.tracking = true
}

func (f *Feature) mark(st *state) {
	if f.tracking && !st.changed {
		st.changed = true
		f.changed = append(f.changed, st)
	}
}

// AppendMeta appends the feature's own state: its watermark, the range of
// its events' times and the progress of emit every.
func (f *Feature) AppendMeta(b []byte) []byte {
	if f.g != nil {
		return f.g.AppendMeta(b)
	}
	e := enc{b}
	e.header(f.layout())
	e.i(f.wm)
	e.u(f.qseq)
	e.i(f.minTs)
	e.i(f.maxTs)
	e.i(f.tick)
	return e.b
}

// RestoreMeta restores what AppendMeta wrote.
func (f *Feature) RestoreMeta(b []byte) error {
	if f.g != nil {
		return f.g.RestoreMeta(b)
	}
	d := dec{b: b}
	if err := d.header(f.layout()); err != nil {
		return err
	}
	wm, qseq, minTs, maxTs, tick := d.i(), d.u(), d.i(), d.i(), d.i()
	if err := d.end(); err != nil {
		return err
	}
	f.wm, f.qseq, f.minTs, f.maxTs, f.tick = wm, max(f.qseq, qseq), minTs, maxTs, tick
	return nil
}

// AppendKeySnapshot appends a snapshot of key's state; nothing for a key
// without state.
func (f *Feature) AppendKeySnapshot(b []byte, key string) []byte {
	if f.g != nil {
		return f.g.AppendKeySnapshot(b, key)
	}
	st := f.keys.get(key, f.keys.hash(key))
	if st == nil {
		return b
	}
	e := enc{b}
	e.header(f.layout())
	head, n := st.head, len(st.ev)
	e.i(st.last)
	e.i(st.pruneAt)
	e.i(st.due)
	e.i(st.R)
	e.bool(st.valid)
	e.bool(st.hasBase)
	e.bool(st.queued)
	if st.queued {
		e.i(st.qdue)
		e.u(st.qseq)
	}
	e.u(uint64(n - head))
	hasS := st.a != nil && st.a.s != nil
	hasNul := st.a != nil && st.a.nul != nil
	e.bool(hasS)
	e.bool(hasNul)
	prev := int64(0)
	for p := head; p < n; p++ {
		e.i(st.ev[p].t - prev)
		prev = st.ev[p].t
		e.i(st.ev[p].x)
		if hasS {
			e.s(st.a.s[p])
		}
		if hasNul {
			e.bool(st.a.nul[p])
		}
	}
	if st.valid {
		e.u(uint64(st.lo - head))
		e.u(uint64(st.hi - head))
	} // (else a session's cursor is rebuilt before use)
	e.acc(&st.run.acc)
	e.bool(st.base != nil)
	if b := st.base; b != nil {
		e.acc(&b.acc)
		e.i(b.first)
		e.i(b.last)
	}
	a := st.a
	if a != nil && a.closed == math.MinInt64 && len(a.wins) == 0 && a.s == nil && a.nul == nil {
		a = nil // as good as none (see acc)
	}
	e.bool(a != nil)
	if a != nil {
		e.i(a.closed)
		e.u(uint64(len(a.wins)))
		for _, w := range a.wins {
			e.i(w.start)
			e.i(w.end)
			e.u(uint64(w.next))
			e.bool(w.pending)
		}
	}
	return e.b
}

// RestoreKey restores key's state from a snapshot of AppendKeySnapshot,
// replacing any it has. An error (wrapping ErrSnapshot or ErrLayout)
// leaves the feature as it was.
func (f *Feature) RestoreKey(key string, b []byte) error {
	if f.g != nil {
		return f.g.RestoreKey(key, b)
	}
	d := dec{b: b}
	if err := d.header(f.layout()); err != nil {
		return err
	}
	tmp := &state{}
	tmp.last, tmp.pruneAt, tmp.due, tmp.R = d.i(), d.i(), d.i(), d.i()
	tmp.valid, tmp.hasBase = d.bool(), d.bool()
	if tmp.queued = d.bool(); tmp.queued {
		tmp.qdue, tmp.qseq = d.i(), d.u()
	}
	live := d.count()
	hasS, hasNul := d.bool(), d.bool()
	if d.err != nil {
		return d.err
	}
	if hasS != (f.vk == vStr) {
		return fmt.Errorf("%w: string values for a feature over %s", ErrSnapshot, f.arg)
	}
	ev := make([]event, live, max(live+1, inlineEvents))
	var ss []string
	var nul []bool
	if hasS {
		ss = make([]string, live, cap(ev))
	}
	if hasNul {
		nul = make([]bool, live, cap(ev))
	}
	t := int64(0)
	for p := range live {
		dt := d.i()
		if p > 0 && dt < 0 {
			d.fail("events out of order")
		}
		t += dt
		ev[p] = event{t: t, x: d.i()}
		if hasS {
			ss[p] = d.s()
		}
		if hasNul {
			nul[p] = d.bool()
		}
		if d.err != nil {
			return d.err
		}
	}
	lo, hi := 0, 0
	if tmp.valid {
		lo, hi = d.n(live), d.n(live)
	} else if f.kind != Session {
		d.fail("an invalid cursor")
	}
	if d.err == nil && lo > hi {
		d.fail("cursor [%d, %d)", lo, hi)
	}
	d.acc(&tmp.run.acc)
	var base *folded
	if d.bool() {
		base = &folded{}
		d.acc(&base.acc)
		base.first, base.last = d.i(), d.i()
	}
	var a *aux
	if d.bool() {
		a = &aux{s: ss, nul: nul, closed: d.i()}
		for range d.count() {
			w := winRec{start: d.i(), end: d.i(), next: int32(d.n(math.MaxInt32)), pending: d.bool()}
			if d.err == nil && len(a.wins) > 0 && w.start <= a.wins[len(a.wins)-1].start {
				d.fail("windows out of order")
			}
			a.wins = append(a.wins, w)
		}
	} else if hasS || hasNul {
		d.fail("values without their record")
	}
	if err := d.end(); err != nil {
		return err
	}
	if tmp.hasBase && base == nil {
		return fmt.Errorf("%w: a session in a folded base that is not there", ErrSnapshot)
	}
	if live > 0 && ev[live-1].t > tmp.last {
		return fmt.Errorf("%w: an event after the last time", ErrSnapshot)
	}
	if tmp.valid {
		// A cursor as of R has read every event up to R.
		p := 0
		for p < live && ev[p].t <= tmp.R {
			p++
		}
		if hi != p {
			return fmt.Errorf("%w: a cursor that does not end at its time", ErrSnapshot)
		}
		// A session's cursor holds its session's events, unless no
		// event is logged up to R.
		if f.kind == Session && lo == hi && lo != 0 {
			return fmt.Errorf("%w: an empty session after events", ErrSnapshot)
		}
	}
	if old := f.keys.get(key, f.keys.hash(key)); old != nil {
		f.removeKey(old)
	}
	st := newState(key, nil)
	st.h = f.keys.hash(key)
	f.keys.put(st.h, st)
	f.keysMove = true
	if live <= inlineEvents && a == nil {
		st.ev = st.inl[:copy(st.inl[:], ev)]
	} else {
		st.ev = ev
	}
	st.head, st.lo, st.hi = 0, lo, hi
	st.last, st.pruneAt, st.due, st.R, st.valid, st.hasBase = tmp.last, tmp.pruneAt, tmp.due, tmp.R, tmp.valid, tmp.hasBase
	st.run = tmp.run
	st.base, st.a = base, a
	if st.due != math.MaxInt64 {
		f.timers.push(timer{due: st.due, st: st, gen: st.gen})
	}
	if a != nil && slices.ContainsFunc(a.wins, func(w winRec) bool { return w.pending }) {
		f.markDirty(st)
	}
	if tmp.queued {
		st.queued, st.qdue, st.qseq = true, tmp.qdue, tmp.qseq
		f.idle.push(timer{due: st.qdue, st: st, gen: st.gen, seq: st.qseq})
		f.idleSort = true
		f.qseq = max(f.qseq, st.qseq)
	}
	return nil
}

// removeKey takes st out of the feature.
func (f *Feature) removeKey(st *state) {
	f.keys.del(st.h, st)
	st.dead = true
	if f.last == st {
		f.last = nil
	}
	f.keysMove = true
	st.gen++
	if f.tracking {
		f.removed[strings.Clone(st.key)] = struct{}{}
	}
}
