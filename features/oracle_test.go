package features

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"

	"github.com/kestrelcep/kestrel/expr"
)

// oracle is the brute-force model of a feature: it keeps every accepted
// event and computes each value, and each window record, from the language
// spec's definitions by scanning them all.
type oracle struct {
	spec   Spec
	events map[string][]oev
	seq    int
	wm     int64

	// minTs and maxTs of the events a feature logs (for emit every).
	minTs, maxTs int64
	covered      int64 // ticks before it are done
	// emitted windows and sessions per key: start → record.
	emitted map[string]map[int64]orec
}

type oev struct {
	t   int64
	v   expr.Value
	seq int
}

type orec struct {
	end int64
	rev int
	n   int // events when emitted
}

func newOracle(spec Spec) *oracle {
	return &oracle{spec: spec, events: map[string][]oev{}, wm: math.MinInt64, minTs: math.MaxInt64, maxTs: math.MinInt64,
		covered: math.MinInt64, emitted: map[string]map[int64]orec{}}
}

func (o *oracle) null(v expr.Value) bool {
	return o.spec.Agg != Count && (v.Type == expr.Null || v.Type == expr.Float && math.IsNaN(v.F))
}

// add returns whether the event is accepted.
func (o *oracle) add(key string, t int64, v expr.Value) bool {
	if o.wm != math.MinInt64 && t < o.wm-o.spec.Lateness {
		return false
	}
	o.seq++
	evs := o.events[key]
	i := len(evs)
	for i > 0 && evs[i-1].t > t {
		i--
	}
	o.events[key] = slices.Insert(evs, i, oev{t, v, o.seq})
	logged := !o.null(v) || o.spec.Window == Tumbling || o.spec.Window == Hopping || o.spec.Window == Session
	if logged {
		o.minTs = min(o.minTs, t)
		o.maxTs = max(o.maxTs, t)
	}
	return true
}

// sorted is a key's events ordered by time, then arrival.
func (o *oracle) sorted(key string) []oev { return o.events[key] }

// window is the events in the window as of t (offset applied), in order.
func (o *oracle) window(key string, t int64) []oev {
	s := o.spec
	u := t - s.Offset
	var out []oev
	all := o.sorted(key)
	var upto []oev
	for _, e := range all {
		if e.t <= u {
			upto = append(upto, e)
		}
	}
	switch s.Window {
	case Global:
		return upto
	case Sliding:
		for _, e := range upto {
			if e.t > u-s.Size {
				out = append(out, e)
			}
		}
	case Tumbling, Hopping:
		step := s.Size
		if s.Window == Hopping {
			step = s.Every
		}
		start := floorDivRef(u, step) * step
		for _, e := range upto {
			if e.t >= start {
				out = append(out, e)
			}
		}
	case Session:
		if len(upto) == 0 || u-upto[len(upto)-1].t >= s.Size {
			return nil
		}
		a := len(upto) - 1
		for a > 0 && upto[a].t-upto[a-1].t < s.Size {
			a--
		}
		out = upto[a:]
	}
	return out
}

func floorDivRef(a, b int64) int64 {
	return int64(math.Floor(float64(a) / float64(b)))
}

// value is the aggregate over the window as of t, and whether the window
// holds a value (an event, for count()).
func (o *oracle) value(key string, t int64) (expr.Value, bool) {
	return o.agg(o.window(key, t))
}

func (o *oracle) agg(evs []oev) (expr.Value, bool) {
	s := o.spec
	var vals []oev
	for _, e := range evs {
		if !o.null(e.v) {
			vals = append(vals, e)
		}
	}
	n := int64(len(vals))
	vt := valueType(s.Agg, s.ArgType)
	has := n > 0
	switch s.Agg {
	case Count, CountExpr:
		return expr.IntValue(n), has
	case DistinctCount:
		seen := map[string]bool{}
		for _, e := range vals {
			seen[fmt.Sprintf("%d|%v|%v|%v", e.v.Type, e.v.I, e.v.F, e.v.S)] = true
		}
		return expr.IntValue(int64(len(seen))), has
	case Sum, Avg:
		if s.ArgType == expr.Float {
			sum := exactSum(vals)
			f, _ := sum.Float64()
			if s.Agg == Sum {
				return expr.FloatValue(f), has
			}
			if n == 0 {
				return expr.Value{}, false
			}
			q, _ := new(big.Float).SetPrec(2000).Quo(sum, new(big.Float).SetInt64(n)).Float64()
			return expr.FloatValue(q), has
		}
		var i int64
		for _, e := range vals {
			i += e.v.I
		}
		if s.Agg == Sum {
			return expr.Value{Type: vt, I: i}, has
		}
		if n == 0 {
			return expr.Value{}, false
		}
		return expr.FloatValue(float64(i) / float64(n)), has
	case Stddev:
		if n < 2 {
			return expr.Value{}, has
		}
		mean := new(big.Float).SetPrec(2000).Quo(exactSum(vals), new(big.Float).SetInt64(n))
		ss := new(big.Float).SetPrec(2000)
		for _, e := range vals {
			d := new(big.Float).SetPrec(2000).Sub(bigOf(e.v), mean)
			ss.Add(ss, d.Mul(d, d))
		}
		ss.Quo(ss, new(big.Float).SetInt64(n-1))
		v, _ := ss.Float64()
		return expr.FloatValue(math.Sqrt(v)), has
	case Min, Max:
		if n == 0 {
			return expr.Value{}, false
		}
		best := vals[0].v
		for _, e := range vals[1:] {
			c := compareValues(e.v, best)
			if s.Agg == Min && c < 0 || s.Agg == Max && c > 0 {
				best = e.v
			}
		}
		return best, true
	case First:
		if n == 0 {
			return expr.Value{}, false
		}
		return vals[0].v, true
	case Last:
		if n == 0 {
			return expr.Value{}, false
		}
		return vals[n-1].v, true
	}
	panic("unreachable")
}

func bigOf(v expr.Value) *big.Float {
	f := new(big.Float).SetPrec(2000)
	if v.Type == expr.Float {
		return f.SetFloat64(v.F)
	}
	return f.SetInt64(v.I)
}

func exactSum(vals []oev) *big.Float {
	sum := new(big.Float).SetPrec(2000)
	for _, e := range vals {
		sum.Add(sum, bigOf(e.v))
	}
	return sum
}

func compareValues(a, b expr.Value) int {
	switch a.Type {
	case expr.Float:
		return cmp.Compare(a.F, b.F)
	case expr.String:
		return strings.Compare(a.S, b.S)
	}
	return cmp.Compare(a.I, b.I)
}

// scale is the magnitude of a window's values, for float tolerances.
func (o *oracle) scale(key string, t int64) float64 {
	m := 0.0
	for _, e := range o.window(key, t) {
		if !o.null(e.v) {
			m = max(m, math.Abs(num(kindOf(e.v.Type), e.v.I)+e.v.F))
		}
	}
	return m
}

// advance is the model of Advance: the records it must emit.
func (o *oracle) advance(w int64) []Window {
	if w > o.wm {
		o.wm = w
	}
	s := o.spec
	var out []Window
	if !s.Emit {
		return nil
	}
	keys := make([]string, 0, len(o.events))
	for k := range o.events {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	switch s.Window {
	case Tumbling, Hopping:
		step := s.Size
		if s.Window == Hopping {
			step = s.Every
		}
		for _, k := range keys {
			evs := o.sorted(k)
			wins := map[int64][]oev{}
			for _, e := range evs {
				for ws := floorDivRef(e.t, step) * step; ws > e.t-s.Size; ws -= step {
					wins[ws] = append(wins[ws], e)
				}
			}
			for ws, we := range wins {
				if ws+s.Size <= o.wm {
					out = o.emitRec(out, k, ws, ws+s.Size, we, nil)
				}
			}
		}
	case Session:
		for _, k := range keys {
			evs := o.sorted(k)
			for a := 0; a < len(evs); {
				b := a
				for b+1 < len(evs) && evs[b+1].t-evs[b].t < s.Size {
					b++
				}
				if end := evs[b].t + s.Size; end <= o.wm {
					// Absorbed: the emitted sessions that started within this one.
					em := o.emitted[k]
					var absorbed []int64
					for st := range em {
						if st >= evs[a].t && st <= evs[b].t {
							absorbed = append(absorbed, st)
						}
					}
					out = o.emitRec(out, k, evs[a].t, end, evs[a:b+1], absorbed)
				}
				a = b + 1
			}
		}
	case Sliding, Global:
		P := s.EmitEvery
		if o.maxTs == math.MinInt64 {
			break
		}
		limit := o.maxTs + s.Offset + P
		if s.Window == Sliding {
			limit = o.maxTs + s.Offset + s.Size
		}
		T := max(o.covered, ceilTo(o.minTs+s.Offset, P))
		for ; T < o.wm && T < limit; T += P {
			for _, k := range keys {
				evs := o.window(k, T)
				v, has := o.agg(evs)
				if !has {
					continue
				}
				start := T - s.Offset - s.Size
				if s.Window == Global {
					start = o.sorted(k)[0].t
					for _, e := range o.sorted(k) {
						if !o.null(e.v) {
							start = e.t
							break
						}
					}
				}
				out = append(out, Window{Feature: s.Name, Key: k, Start: start, End: T - s.Offset, Value: v})
			}
		}
		o.covered = max(T, ceilTo(o.wm, P))
	}
	slices.SortFunc(out, func(a, b Window) int {
		return cmp.Or(cmp.Compare(a.End, b.End), strings.Compare(a.Key, b.Key), cmp.Compare(a.Start, b.Start), cmp.Compare(a.Revision, b.Revision))
	})
	return out
}

// emitRec emits the closed window [start, end) of key if it is new or
// changed since its last record. absorbed (sessions) lists the emitted
// sessions it takes the place of; nil for tumbling and hopping windows,
// which are known by their start.
func (o *oracle) emitRec(out []Window, key string, start, end int64, evs []oev, absorbed []int64) []Window {
	em := o.emitted[key]
	if em == nil {
		em = map[int64]orec{}
		o.emitted[key] = em
	}
	if absorbed == nil {
		if r, ok := em[start]; ok {
			absorbed = []int64{start}
			if r.n == len(evs) {
				return out
			}
		}
	} else if len(absorbed) == 1 && absorbed[0] == start && em[start].end == end && em[start].n == len(evs) {
		return out
	}
	rev := 0
	for _, a := range absorbed {
		rev = max(rev, em[a].rev+1)
		delete(em, a)
	}
	em[start] = orec{end: end, rev: rev, n: len(evs)}
	v, _ := o.agg(evs)
	return append(out, Window{Feature: o.spec.Name, Key: key, Start: start, End: end, Value: v, Revision: rev})
}
