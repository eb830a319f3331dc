package features

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Advance tells the feature that the watermark is now watermark: no event
// older than it will be added except late ones, within the lateness. It
// emits, in one batch sorted by end, key, start and revision:
//
//   - each tumbling, hopping or session window with events that the
//     watermark has closed (end <= watermark);
//   - the corrections due since the last call: each closed window that
//     late events changed, with its revision incremented (once per call,
//     however many late events it took);
//   - with emit every P, the value as of each multiple T of P that the
//     watermark has passed (T < watermark), for each key whose window as
//     of T holds an event.
//
// It also drops what the retention no longer needs and the keys left with
// nothing. A watermark below the current one changes nothing, but still
// emits the corrections due: call Advance with the same watermark to have
// them at once. emit may be nil.
func (f *Feature) Advance(watermark int64, emit func(Window)) {
	if f.g != nil {
		f.g.Advance(watermark, emit)
		return
	}
	if watermark > f.wm {
		f.wm = watermark
	}
	wm := f.wm
	f.out = f.out[:0]
	for i, st := range f.dirty {
		if !st.dead {
			f.flush(st)
		}
		st.dirty = false
		f.dirty[i] = nil
	}
	f.dirty = f.dirty[:0]
	if f.emitOn && f.every > 0 {
		// Before the timers prune to the new watermark's retention: ticks
		// are after the previous watermark, so still in the retention.
		f.ticks(wm)
	}
	for len(f.timers) > 0 && f.timers[0].due <= wm {
		tm := f.timers.pop()
		if st := tm.st; tm.gen == st.gen && !st.dead && tm.due == st.due {
			st.due = math.MaxInt64
			f.maintain(st)
		}
	}
	if f.idleSort {
		slices.SortFunc(f.idle.q[f.idle.head:], func(a, b timer) int { return cmp.Compare(a.seq, b.seq) })
		f.idleSort = false
	}
	for f.idle.len() > 0 {
		tm := f.idle.front()
		st := tm.st
		if tm.gen != st.gen || st.dead {
			f.idle.pop() // the key was removed since: its entry holds nothing back
			continue
		}
		if tm.due > wm {
			break
		}
		f.idle.pop()
		st.queued = false
		if f.idleAt(st) > wm {
			f.queueIdle(st) // events came since: not idle yet
			continue
		}
		f.maintain(st)
	}
	f.idle.compact()
	if len(f.out) == 0 {
		return
	}
	// Sort positions rather than the records, which are large.
	f.order = f.order[:0]
	for i := range f.out {
		f.order = append(f.order, int32(i))
	}
	slices.SortFunc(f.order, func(i, j int32) int {
		a, b := &f.out[i], &f.out[j]
		if c := cmp.Compare(a.End, b.End); c != 0 {
			return c
		}
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.Revision, b.Revision)
	})
	if emit != nil {
		for _, i := range f.order {
			emit(f.out[i])
		}
	}
	clear(f.out)
}

// maintain is a key's timer: it emits the windows the watermark closed,
// prunes, and removes the key when nothing is left.
func (f *Feature) maintain(st *state) {
	f.mark(st)
	wm := f.wm
	due := int64(math.MaxInt64)
	if f.emitOn {
		switch f.kind {
		case Tumbling, Hopping:
			due = f.closeWindows(st, wm)
			st.ax().closed = max(st.a.closed, wm)
		case Session:
			due = f.closeSessions(st, wm)
			st.ax().closed = max(st.a.closed, wm)
		}
	}
	f.prune(st)
	if a := st.a; a != nil && len(a.wins) > 0 {
		reach := satSub(wm, f.late)
		a.wins = slices.DeleteFunc(a.wins, func(w winRec) bool { return !w.pending && w.end <= reach })
	}
	if f.kind != Global && st.head == len(st.ev) && st.base == nil && (st.a == nil || len(st.a.wins) == 0) {
		f.removeKey(st)
		if !st.shared && len(f.free) < maxFree {
			if st.a != nil {
				st.a.s = st.a.s[:cap(st.a.s)]
				clear(st.a.s) // no strings kept alive
			}
			f.free = append(f.free, st)
		}
		return
	}
	st.shrink()
	if due <= wm {
		due = satAdd(wm, 1)
	}
	f.schedule(st, due)
	f.queueIdle(st)
}

// queueIdle makes sure the key is looked at again once it may be idle.
// These timers need no precision (they free memory, or fold a global
// window's events): they wait in a FIFO, whose times come nearly in order,
// and one that waits behind a later one fires that much later.
func (f *Feature) queueIdle(st *state) {
	if !st.queued {
		if at := f.idleAt(st); at != math.MaxInt64 {
			st.queued = true
			f.qseq++
			st.qdue, st.qseq = at, f.qseq
			f.idle.push(timer{due: at, st: st, gen: st.gen, seq: st.qseq})
			f.mark(st)
		}
	}
}

// maxFree bounds the removed states kept for reuse.
const maxFree = 4096

// idleAt is when the watermark will have made the key's last event useless
// (for a global window: foldable).
func (f *Feature) idleAt(st *state) int64 {
	switch f.kind {
	case Session:
		return satAdd(st.last, f.size+f.off+f.late)
	case Tumbling, Hopping:
		return satAdd(st.last, max(f.step+f.off, f.size)+f.late+1)
	}
	if st.head < len(st.ev) {
		return satAdd(st.ev[len(st.ev)-1].t, f.late+f.off)
	}
	return math.MaxInt64
}

// schedule makes sure the key's timer fires by due: the time a window
// closes.
func (f *Feature) schedule(st *state, due int64) {
	if due < st.due {
		st.due = due
		f.timers.push(timer{due: due, st: st, gen: st.gen})
	}
}

func (f *Feature) markDirty(st *state) {
	if !st.dirty {
		st.dirty = true
		f.dirty = append(f.dirty, st)
	}
}

func cmpStart(w winRec, start int64) int { return cmp.Compare(w.start, start) }

// noteEmit keeps the emission bookkeeping of an added event: the timer for
// the windows it opens, and the corrections of the closed ones it changes.
func (f *Feature) noteEmit(st *state, p int, t int64) {
	a := st.ax()
	switch f.kind {
	case Tumbling, Hopping:
		if t >= f.wm {
			f.schedule(st, satAdd(f.firstWindow(t), f.size))
			return
		}
		for ws := f.firstWindow(t); ws <= t; ws += f.step {
			we := ws + f.size
			if we > f.wm {
				f.schedule(st, we)
				break
			}
			i, found := slices.BinarySearchFunc(a.wins, ws, cmpStart)
			if !found {
				a.wins = slices.Insert(a.wins, i, winRec{start: ws, end: we})
			}
			a.wins[i].pending = true
			f.markDirty(st)
		}
		a.closed = max(a.closed, f.wm)
	case Session:
		if t >= f.wm {
			f.schedule(st, satAdd(t, f.size))
			return
		}
		f.lateSession(st, p)
		a.closed = max(a.closed, f.wm)
	}
}

// lateSession handles a late event at p for emission: the session it is now
// part of absorbs the sessions already emitted that it joins, and carries
// on their revisions. A closed one gets a corrected record at the next
// Advance; an open one is emitted when it closes.
func (f *Feature) lateSession(st *state, p int) {
	ax := st.ax()
	D := f.size
	n := len(st.ev)
	a, b := p, p
	for a > st.head && st.ev[a].t-st.ev[a-1].t < D {
		a--
	}
	for b+1 < n && st.ev[b+1].t-st.ev[b].t < D {
		b++
	}
	cs, cl := st.ev[a].t, st.ev[b].t
	if a == st.head && st.base != nil && st.ev[a].t-st.base.last < D {
		cs = st.base.first
	}
	end := cl + D
	var next int32
	absorbed := false
	ax.wins = slices.DeleteFunc(ax.wins, func(w winRec) bool {
		if w.start >= cs && w.start <= cl {
			absorbed = true
			next = max(next, w.next)
			return true
		}
		return false
	})
	if end > f.wm {
		if absorbed {
			// Open again: kept, for its revision, until it closes (its end
			// is not known before).
			i, _ := slices.BinarySearchFunc(ax.wins, cs, cmpStart)
			ax.wins = slices.Insert(ax.wins, i, winRec{start: cs, end: math.MaxInt64, next: next})
		}
		f.schedule(st, end)
		return
	}
	i, _ := slices.BinarySearchFunc(ax.wins, cs, cmpStart)
	ax.wins = slices.Insert(ax.wins, i, winRec{start: cs, end: end, next: next, pending: true})
	f.markDirty(st)
}

// closeWindows emits the key's tumbling or hopping windows that end after
// closed and at or before wm and hold events, and returns the end of the
// next window with events.
func (f *Feature) closeWindows(st *state, wm int64) int64 {
	a := st.ax()
	S, D := f.step, f.size
	n := len(st.ev)
	if st.head == n {
		return math.MaxInt64
	}
	ws := f.firstWindow(st.ev[st.head].t)
	if a.closed != math.MinInt64 {
		ws = max(ws, satAdd(floorTo(satSub(a.closed, D), S), S)) // the first to end after closed
	}
	for {
		i := st.lower(ws)
		if i == n {
			return math.MaxInt64
		}
		if ws+D <= st.ev[i].t {
			ws = f.firstWindow(st.ev[i].t)
		}
		we := ws + D
		if we > wm {
			return we
		}
		f.record(st, ws, we, st.lower(ws), st.lower(we), false)
		ws += S
	}
}

// closeSessions emits the key's sessions that end after closed and at
// or before wm, and returns the end of the first one still open.
func (f *Feature) closeSessions(st *state, wm int64) int64 {
	ax := st.ax()
	D := f.size
	n := len(st.ev)
	c := ax.closed
	if b := st.base; b != nil && (st.head == n || st.ev[st.head].t-b.last >= D) {
		if end := satAdd(b.last, D); end > c {
			if end > wm {
				return end
			}
			f.record(st, b.first, end, st.head, st.head, true)
		}
	}
	a := st.upper(satSub(c, D)) // the first event whose session may end after c
	if a == n {
		return math.MaxInt64
	}
	for a > st.head && st.ev[a].t-st.ev[a-1].t < D {
		a--
	}
	useBase := a == st.head && a < n && st.base != nil && st.ev[a].t-st.base.last < D
	for a < n {
		j := a
		for j+1 < n && st.ev[j+1].t-st.ev[j].t < D {
			j++
		}
		end := satAdd(st.ev[j].t, D)
		if end > wm {
			return end
		}
		start := st.ev[a].t
		if useBase {
			start = st.base.first
		}
		f.record(st, start, end, a, j+1, useBase)
		a, useBase = j+1, false
	}
	return math.MaxInt64
}

// flush emits the key's pending corrections.
func (f *Feature) flush(st *state) {
	a := st.ax()
	for i := 0; i < len(a.wins); i++ {
		w := a.wins[i]
		if !w.pending {
			continue
		}
		switch f.kind {
		case Tumbling, Hopping:
			f.record(st, w.start, w.end, st.lower(w.start), st.lower(w.end), false)
		case Session:
			useBase := st.base != nil && st.base.first == w.start
			a := st.lower(w.start)
			if useBase {
				a = st.head
			}
			f.record(st, w.start, w.end, a, st.upper(w.end-f.size), useBase)
		}
	}
}

// record emits the window [start, end) over the log positions [lo, hi) and
// the base, with the revision its record in wins says.
func (f *Feature) record(st *state, start, end int64, lo, hi int, useBase bool) {
	f.mark(st)
	a := st.ax()
	acc := f.fold(st, lo, hi, useBase)
	rev := int32(0)
	i, found := slices.BinarySearchFunc(a.wins, start, cmpStart)
	if found {
		w := &a.wins[i]
		rev = w.next
		w.next++
		w.end = end
		w.pending = false
	} else {
		a.wins = slices.Insert(a.wins, i, winRec{start: start, end: end, next: 1})
	}
	st.shared = true
	f.out = append(f.out, Window{Feature: f.spec.Name, Key: st.key, Start: start, End: end, Value: acc.result(&f.ops), Revision: int(rev)})
}

// ticks emits the values of sliding and global windows at each multiple of
// EmitEvery that the watermark has passed since the last call, from the
// first at or after the first event (plus the offset) to the last at which
// a window can still hold an event: before the last event plus the offset
// and the size (sliding), or the first at or after the last event plus the
// offset (global).
func (f *Feature) ticks(wm int64) {
	if f.maxTs == math.MinInt64 {
		return
	}
	P := f.every
	limit := satAdd(f.maxTs, f.off+P)
	if f.kind == Sliding {
		limit = satAdd(f.maxTs, f.off+f.size)
	}
	T := max(f.tick, ceilTo(satAdd(f.minTs, f.off), P))
	if T < wm && T < limit && f.keysMove {
		f.sorted = f.sorted[:0]
		f.keys.each(func(st *state) { f.sorted = append(f.sorted, st) })
		slices.SortFunc(f.sorted, func(a, b *state) int { return strings.Compare(a.key, b.key) })
		f.keysMove = false
	}
	f.ticking = true
	defer func() { f.ticking = false }()
	for T < wm && T < limit {
		u := satSub(T, f.off)
		for _, st := range f.sorted {
			v, ok := f.eval(st, u)
			if !ok {
				continue
			}
			start := satSub(u, f.size)
			if f.kind == Global {
				start = st.firstTime()
			}
			st.shared = true
			f.out = append(f.out, Window{Feature: f.spec.Name, Key: st.key, Start: start, End: u, Value: v})
		}
		T = satAdd(T, P)
	}
	f.tick = max(T, ceilTo(wm, P))
}

// timer is a key's pending maintenance; gen tells a timer of a state that
// was recycled since.
type timer struct {
	due int64
	st  *state
	gen uint32
	seq uint64 // idle: the order of pushes (restored queues are sorted by it)
}

// fifo is a queue of timers.
type fifo[T any] struct {
	q    []T
	head int
}

func (q *fifo[T]) len() int  { return len(q.q) - q.head }
func (q *fifo[T]) front() *T { return &q.q[q.head] }
func (q *fifo[T]) push(t T)  { q.q = append(q.q, t) }
func (q *fifo[T]) pop() T {
	var zero T
	t := q.q[q.head]
	q.q[q.head] = zero
	q.head++
	return t
}

// compact moves the queue to the front of its array when that halves it.
func (q *fifo[T]) compact() {
	if q.head > 0 && q.head >= len(q.q)/2 {
		n := copy(q.q, q.q[q.head:])
		clear(q.q[n:])
		q.q = q.q[:n]
		q.head = 0
	}
}

// timerHeap is a min-heap of timers by due time.
type timerHeap []timer

func (h *timerHeap) push(t timer) {
	*h = append(*h, t)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if s[p].due <= s[i].due {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *timerHeap) pop() timer {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s[n] = timer{}
	s = s[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && s[r].due < s[l].due {
			m = r
		}
		if s[i].due <= s[m].due {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}
