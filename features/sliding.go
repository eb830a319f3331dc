package features

import (
	"math"

	"github.com/kestrelcep/kestrel/expr"
)

// A sliding window's cursor covers the log positions [lo, hi): the events
// in (R−size, R]. Moving it forward adds events at hi and evicts them at lo,
// each once, so the per-event path is amortized O(1):
//
//   - count: hi−lo; first and last: the values at lo and hi−1 (a sliding
//     log holds no nulls);
//   - sum and avg: an int sum is exact under subtraction (wrapping as Go's
//     int64 does); a float sum is a Neumaier-compensated sum, recomputed
//     from the window's events each time as many events have left the
//     window as it holds, so that the error stays that of summing the
//     window once however long the run;
//   - stddev: compensated sums of x−k and (x−k)², k being a recent mean,
//     recomputed in the same way, and also when the mean has moved so far
//     from k, for the spread, that the variance would lose digits;
//   - min and max: a monotonic deque of positions;
//   - distinct_count: counts of values, a value leaving when its count
//     drops to zero.

// slideTo moves a sliding window's cursor forward to u >= R.
func (f *Feature) slideTo(st *state, u int64) {
	lim := satSub(u, f.size)
	n := len(st.ev)
	r := &st.run
	for st.lo < st.hi && st.ev[st.lo].t <= lim {
		f.slideEvict(st, st.lo)
		st.lo++
	}
	if st.lo == st.hi {
		for st.hi < n && st.ev[st.hi].t <= lim {
			st.hi++
		}
		st.lo = st.hi
		r.i, r.f, r.c, r.ev = 0, 0, 0, 0
		r.dq, r.dqh = r.dq[:0], 0
	} else {
		for int(r.dqh) < len(r.dq) && r.dq[r.dqh].p < st.lo {
			r.dqh++
		}
	}
	for st.hi < n && st.ev[st.hi].t <= u {
		f.slideAdd(st, st.hi, true)
		st.hi++
	}
	if r.ev > 8 && int(r.ev) >= st.hi-st.lo {
		f.slideRecompute(st)
	}
	st.R = u
}

// slideAdd adds the event at p, which the caller has just put into the
// window (hi already counts it when at is false), to the running aggregate;
// at says p is after every event in the window.
func (f *Feature) slideAdd(st *state, p int, at bool) {
	r := &st.run
	switch f.agg {
	case Sum, Avg:
		if f.vk == vFloat {
			r.f, r.c = neumaier(r.f, r.c, math.Float64frombits(uint64(st.ev[p].x)))
		} else {
			r.i += st.ev[p].x
		}
	case Stddev:
		n := st.hi - st.lo // events in the window besides p
		if !at {
			n--
		}
		v := num(f.vk, st.ev[p].x)
		a := st.ax()
		if n == 0 {
			a.k, r.f, r.c, a.g, a.gc = v, 0, 0, 0, 0
		}
		d := v - a.k
		r.f, r.c = neumaier(r.f, r.c, d)
		a.g, a.gc = neumaier(a.g, a.gc, d*d)
	case Min, Max:
		c := cand{p, st.ev[p].x}
		if at {
			for len(r.dq) > int(r.dqh) && f.beats(st, r.dq[len(r.dq)-1], c) {
				r.dq = r.dq[:len(r.dq)-1]
			}
			f.dqPush(st, c)
		} else {
			f.dqInsert(st, c)
		}
	case DistinctCount:
		if r.set == nil {
			r.set = &dset{}
		}
		x, s := st.val(p)
		r.set.inc(f.vk, x, s)
	}
}

// slideEvict takes the event at p = lo out of the running aggregate.
func (f *Feature) slideEvict(st *state, p int) {
	r := &st.run
	switch f.agg {
	case Sum, Avg:
		if f.vk == vFloat {
			r.f, r.c = neumaier(r.f, r.c, -math.Float64frombits(uint64(st.ev[p].x)))
			r.ev++
		} else {
			r.i -= st.ev[p].x
		}
	case Stddev:
		a := st.a
		d := num(f.vk, st.ev[p].x) - a.k
		r.f, r.c = neumaier(r.f, r.c, -d)
		a.g, a.gc = neumaier(a.g, a.gc, -d*d)
		r.ev++
	case DistinctCount:
		x, s := st.val(p)
		r.set.dec(f.vk, x, s)
	}
}

// slideRecompute sums the window's values afresh (float sums, stddev).
func (f *Feature) slideRecompute(st *state) {
	r := &st.run
	r.ev = 0
	switch f.agg {
	case Sum, Avg:
		if f.vk == vFloat {
			r.f, r.c = 0, 0
			for p := st.lo; p < st.hi; p++ {
				r.f, r.c = neumaier(r.f, r.c, math.Float64frombits(uint64(st.ev[p].x)))
			}
		}
	case Stddev:
		a := st.ax()
		if n := st.hi - st.lo; n > 0 {
			a.k += (r.f + r.c) / float64(n) // the mean
		}
		r.f, r.c, a.g, a.gc = 0, 0, 0, 0
		for p := st.lo; p < st.hi; p++ {
			d := num(f.vk, st.ev[p].x) - a.k
			r.f, r.c = neumaier(r.f, r.c, d)
			a.g, a.gc = neumaier(a.g, a.gc, d*d)
		}
	}
}

// beats reports whether candidate q, later than p, makes p no longer a
// candidate: q's value is at least as good.
func (f *Feature) beats(st *state, p, q cand) bool {
	var sp, sq string
	if f.vk == vStr {
		sp, sq = st.a.s[p.p], st.a.s[q.p]
	}
	if f.agg == Max {
		return !less(f.vk, q.x, sq, p.x, sp) // q >= p
	}
	return !less(f.vk, p.x, sp, q.x, sq) // q <= p
}

func (f *Feature) dqPush(st *state, c cand) {
	r := &st.run
	if len(r.dq) == cap(r.dq) && r.dqh > 0 {
		n := copy(r.dq, r.dq[r.dqh:])
		r.dq = r.dq[:n]
		r.dqh = 0
	}
	r.dq = append(r.dq, c)
}

// dqInsert puts candidate c, which an out-of-order event put in the middle
// of the window, into the deque (positions already shifted past it).
func (f *Feature) dqInsert(st *state, c cand) {
	r := &st.run
	j := int(r.dqh)
	for j < len(r.dq) && r.dq[j].p < c.p {
		j++
	}
	if j < len(r.dq) && f.beats(st, c, r.dq[j]) {
		return // a later candidate is at least as good
	}
	i := j
	for i > int(r.dqh) && f.beats(st, r.dq[i-1], c) {
		i--
	}
	if i < j {
		r.dq[i] = c
		r.dq = append(r.dq[:i+1], r.dq[j:]...)
		return
	}
	r.dq = append(r.dq, cand{})
	copy(r.dq[j+1:], r.dq[j:])
	r.dq[j] = c
}

// slideValue is the value of a sliding window's cursor.
func (f *Feature) slideValue(st *state) expr.Value {
	r := &st.run
	n := int64(st.hi - st.lo)
	switch f.agg {
	case Count, CountExpr:
		return expr.IntValue(n)
	case Sum:
		if f.vk == vFloat {
			if n == 0 {
				return expr.FloatValue(0)
			}
			return expr.FloatValue(r.f + r.c)
		}
		return expr.Value{Type: f.typ, I: r.i}
	case Avg:
		if n == 0 {
			return expr.Value{}
		}
		if f.vk == vFloat {
			return expr.FloatValue((r.f + r.c) / float64(n))
		}
		return expr.FloatValue(float64(r.i) / float64(n))
	case Stddev:
		if n < 2 {
			return expr.Value{}
		}
		s1, s2 := r.f+r.c, st.a.g+st.a.gc
		m := s1 * s1 / float64(n) // n (mean-k)²
		if m > 1e4*max(s2-m, 0) && m > 0 {
			// The shift is far from the mean for the spread: the
			// subtraction below would cancel too many digits (its relative
			// error is about 1e-16 (1 + (mean-k)²/variance)). Centre again.
			f.slideRecompute(st)
			s1, s2 = r.f+r.c, st.a.g+st.a.gc
			m = s1 * s1 / float64(n)
		}
		v := (s2 - m) / float64(n-1)
		return expr.FloatValue(math.Sqrt(max(v, 0)))
	case DistinctCount:
		return expr.IntValue(int64(r.set.len()))
	case Min, Max:
		if int(r.dqh) == len(r.dq) {
			return expr.Value{}
		}
		c := r.dq[r.dqh]
		if f.vk == vStr {
			return f.value(0, st.a.s[c.p])
		}
		return f.value(c.x, "")
	case First:
		if n == 0 {
			return expr.Value{}
		}
		x, s := st.val(st.lo)
		return f.value(x, s)
	case Last:
		if n == 0 {
			return expr.Value{}
		}
		x, s := st.val(st.hi - 1)
		return f.value(x, s)
	}
	return expr.Value{}
}
