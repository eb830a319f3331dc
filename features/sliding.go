package features

import (
	"math"

	"github.com/kestrelcep/kestrel/expr"
)

// A sliding window's cursor covers the rows [lo, hi): the events in
// (R−size, R]. Moving it forward adds events at hi and evicts them at lo,
// each once, to the running aggregate of every member over the window that
// takes the event, so the per-event path is amortized O(1):
//
//   - count: the member's events in the window;
//   - first and last: the rows at lo and hi−1 for a group's sole member
//     (its log holds only its own events), else a queue of the member's
//     events in the window;
//   - sum and avg: an int sum is exact under subtraction (wrapping as Go's
//     int64 does); a float sum is a Neumaier-compensated sum, recomputed
//     from the window's events each time as many events have left the
//     window as it holds, so that the error stays that of summing the
//     window once however long the run;
//   - stddev: compensated sums of x−k and (x−k)², k being a recent mean,
//     recomputed in the same way, and also when the mean has moved so far
//     from k, for the spread, that the variance would lose digits;
//   - min and max: a monotonic deque of rows;
//   - distinct_count: counts of values, a value leaving when its count
//     drops to zero.

// slideTo moves cursor ci forward to u >= R.
func (g *Group) slideTo(st *gstate, ci int, u int64) {
	g.mark(st)
	cu, win := &st.cur[ci], &g.wins[ci]
	w := g.stride
	lim := satSub(u, win.size)
	lo, hi, n := int(cu.lo), int(cu.hi), st.n
	for lo < hi && st.ev[lo*w] <= lim {
		g.evict(st, win, lo)
		lo++
	}
	if lo == hi {
		for hi < n && st.ev[hi*w] <= lim {
			hi++
		}
		lo = hi
		for _, m := range win.mem {
			sl := &st.agg[m]
			sl.n, sl.i, sl.c, sl.evs = 0, 0, 0, 0
			if x := sl.x; x != nil {
				x.dq, x.dqh = x.dq[:0], 0
			}
		}
	} else {
		for _, m := range win.mem {
			if x := st.agg[m].x; x != nil {
				for int(x.dqh) < len(x.dq) && x.dq[x.dqh].p < lo {
					x.dqh++
				}
			}
		}
	}
	for hi < n && st.ev[hi*w] <= u {
		g.add(st, win, hi, true)
		hi++
	}
	cu.lo, cu.hi, cu.R = int32(lo), int32(hi), u
	for _, m := range win.mem {
		if sl := &st.agg[m]; sl.evs > 8 && sl.evs >= sl.n {
			g.recompute(&g.mem[m], st, sl, cu)
		}
	}
}

// add adds the event at row p, which the caller has just put into the
// window (hi already counts it when at is false), to the running aggregate
// of each member over win that takes it; at says p is after every event in
// the window.
func (g *Group) add(st *gstate, win *gwin, p int, at bool) {
	bits := g.bits(st, p)
	for _, m := range win.mem {
		if mb := &g.mem[m]; bits&mb.bit != 0 {
			g.slideAdd(mb, st, &st.agg[m], p, at)
		}
	}
}

// evict takes the event at row p = lo out of the running aggregates.
func (g *Group) evict(st *gstate, win *gwin, p int) {
	bits := g.bits(st, p)
	for _, m := range win.mem {
		if mb := &g.mem[m]; bits&mb.bit != 0 {
			g.slideEvict(mb, st, &st.agg[m], p)
		}
	}
}

func (g *Group) slideAdd(mb *member, st *gstate, sl *slide, p int, at bool) {
	switch mb.agg {
	case Sum, Avg:
		x, _ := g.val(st, mb.col, p)
		if mb.vk == vFloat {
			f, c := neumaier(sl.f(), sl.c, math.Float64frombits(uint64(x)))
			sl.setF(f)
			sl.c = c
		} else {
			sl.i += x
		}
	case Stddev:
		x, _ := g.val(st, mb.col, p)
		v := num(mb.vk, x)
		a := sl.ax()
		if sl.n == 0 {
			a.k, sl.i, sl.c, a.g, a.gc = v, 0, 0, 0, 0
		}
		d := v - a.k
		f, c := neumaier(sl.f(), sl.c, d)
		sl.setF(f)
		sl.c = c
		a.g, a.gc = neumaier(a.g, a.gc, d*d)
	case Min, Max:
		x, _ := g.val(st, mb.col, p)
		c, q := cand{p, x}, sl.ax()
		if at {
			for len(q.dq) > int(q.dqh) && g.beats(mb, st, q.dq[len(q.dq)-1], c) {
				q.dq = q.dq[:len(q.dq)-1]
			}
			q.push(c)
		} else {
			g.dqInsert(mb, st, q, c)
		}
	case First, Last:
		if !mb.sole {
			c, q := cand{p: p}, sl.ax()
			if at {
				q.push(c)
			} else {
				j := int(q.dqh)
				for j < len(q.dq) && q.dq[j].p < p {
					j++
				}
				q.dq = append(q.dq, cand{})
				copy(q.dq[j+1:], q.dq[j:])
				q.dq[j] = c
			}
		}
	case DistinctCount:
		x, s := g.val(st, mb.col, p)
		sl.ax().set.inc(mb.vk, x, s)
	}
	sl.n++
}

func (g *Group) slideEvict(mb *member, st *gstate, sl *slide, p int) {
	sl.n--
	switch mb.agg {
	case Sum, Avg:
		x, _ := g.val(st, mb.col, p)
		if mb.vk == vFloat {
			f, c := neumaier(sl.f(), sl.c, -math.Float64frombits(uint64(x)))
			sl.setF(f)
			sl.c = c
			sl.evs++
		} else {
			sl.i -= x
		}
	case Stddev:
		x, _ := g.val(st, mb.col, p)
		a := sl.x
		d := num(mb.vk, x) - a.k
		f, c := neumaier(sl.f(), sl.c, -d)
		sl.setF(f)
		sl.c = c
		a.g, a.gc = neumaier(a.g, a.gc, -d*d)
		sl.evs++
	case DistinctCount:
		x, s := g.val(st, mb.col, p)
		sl.x.set.dec(mb.vk, x, s)
	}
}

// recompute sums the window's values afresh (float sums, stddev).
func (g *Group) recompute(mb *member, st *gstate, sl *slide, cu *cursor) {
	sl.evs = 0
	switch mb.agg {
	case Sum, Avg:
		if mb.vk == vFloat {
			f, c := 0.0, 0.0
			for p := int(cu.lo); p < int(cu.hi); p++ {
				if g.bits(st, p)&mb.bit != 0 {
					x, _ := g.val(st, mb.col, p)
					f, c = neumaier(f, c, math.Float64frombits(uint64(x)))
				}
			}
			sl.setF(f)
			sl.c = c
		}
	case Stddev:
		a := sl.ax()
		if sl.n > 0 {
			a.k += (sl.f() + sl.c) / float64(sl.n) // the mean
		}
		f, c := 0.0, 0.0
		a.g, a.gc = 0, 0
		for p := int(cu.lo); p < int(cu.hi); p++ {
			if g.bits(st, p)&mb.bit != 0 {
				x, _ := g.val(st, mb.col, p)
				d := num(mb.vk, x) - a.k
				f, c = neumaier(f, c, d)
				a.g, a.gc = neumaier(a.g, a.gc, d*d)
			}
		}
		sl.setF(f)
		sl.c = c
	}
}

// beats reports whether candidate q, later than p, makes p no longer a
// candidate: q's value is at least as good.
func (g *Group) beats(mb *member, st *gstate, p, q cand) bool {
	var sp, sq string
	if mb.vk == vStr {
		_, sp = g.val(st, mb.col, p.p)
		_, sq = g.val(st, mb.col, q.p)
	}
	if mb.agg == Max {
		return !less(mb.vk, q.x, sq, p.x, sp) // q >= p
	}
	return !less(mb.vk, p.x, sp, q.x, sq) // q <= p
}

func (q *slideX) push(c cand) {
	if len(q.dq) == cap(q.dq) && q.dqh > 0 {
		n := copy(q.dq, q.dq[q.dqh:])
		q.dq = q.dq[:n]
		q.dqh = 0
	}
	q.dq = append(q.dq, c)
}

// dqInsert puts candidate c, which an out-of-order event put in the middle
// of the window, into the deque (rows already shifted past it).
func (g *Group) dqInsert(mb *member, st *gstate, q *slideX, c cand) {
	j := int(q.dqh)
	for j < len(q.dq) && q.dq[j].p < c.p {
		j++
	}
	if j < len(q.dq) && g.beats(mb, st, c, q.dq[j]) {
		return // a later candidate is at least as good
	}
	i := j
	for i > int(q.dqh) && g.beats(mb, st, q.dq[i-1], c) {
		i--
	}
	if i < j {
		q.dq[i] = c
		q.dq = append(q.dq[:i+1], q.dq[j:]...)
		return
	}
	q.dq = append(q.dq, cand{})
	copy(q.dq[j+1:], q.dq[j:])
	q.dq[j] = c
}

// slideValue is the value of a member's running aggregate.
func (g *Group) slideValue(mb *member, st *gstate, sl *slide, cu *cursor) expr.Value {
	n := int64(sl.n)
	switch mb.agg {
	case Count, CountExpr:
		return expr.IntValue(n)
	case Sum:
		if mb.vk == vFloat {
			if n == 0 {
				return expr.FloatValue(0)
			}
			return expr.FloatValue(sl.f() + sl.c)
		}
		return expr.Value{Type: mb.typ, I: sl.i}
	case Avg:
		if n == 0 {
			return expr.Value{}
		}
		if mb.vk == vFloat {
			return expr.FloatValue((sl.f() + sl.c) / float64(n))
		}
		return expr.FloatValue(float64(sl.i) / float64(n))
	case Stddev:
		if n < 2 {
			return expr.Value{}
		}
		s1, s2 := sl.f()+sl.c, sl.x.g+sl.x.gc
		m := s1 * s1 / float64(n) // n (mean-k)²
		if m > 1e4*max(s2-m, 0) && m > 0 {
			// The shift is far from the mean for the spread: the
			// subtraction below would cancel too many digits (its relative
			// error is about 1e-16 (1 + (mean-k)²/variance)). Centre again.
			g.recompute(mb, st, sl, cu)
			s1, s2 = sl.f()+sl.c, sl.x.g+sl.x.gc
			m = s1 * s1 / float64(n)
		}
		v := (s2 - m) / float64(n-1)
		return expr.FloatValue(math.Sqrt(max(v, 0)))
	case DistinctCount:
		if sl.x == nil {
			return expr.IntValue(0)
		}
		return expr.IntValue(int64(sl.x.set.len()))
	case Min, Max:
		q := sl.x
		if q == nil || int(q.dqh) == len(q.dq) {
			return expr.Value{}
		}
		c := q.dq[q.dqh]
		x, s := g.val(st, mb.col, c.p)
		return mb.value(x, s)
	case First, Last:
		if n == 0 {
			return expr.Value{}
		}
		var p int
		switch {
		case mb.sole && mb.agg == First:
			p = int(cu.lo)
		case mb.sole:
			p = int(cu.hi) - 1
		case mb.agg == First:
			p = sl.x.dq[sl.x.dqh].p
		default:
			p = sl.x.dq[len(sl.x.dq)-1].p
		}
		x, s := g.val(st, mb.col, p)
		return mb.value(x, s)
	}
	return expr.Value{}
}
