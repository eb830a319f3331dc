package features

import (
	"math"

	"github.com/kestrelcep/kestrel/expr"
)

// Lookups for the API's feature reads: a value as of any time in the
// retention with whether it is stale, the time it goes stale, and where the
// retention starts. Like ValueAt, none of them moves a cursor or changes
// what a checkpoint saves.
//
// Stale: the key has had no event inside the window as of t — no event the
// feature takes (its filter passed; for sliding and global windows, which
// ignore them, not one whose argument is null). A key without state is
// stale. The value is then the empty window's (count 0, sum 0, the others
// null) for every window but a global one, whose value never goes stale
// once the key has had an event.

// ValueAtStale is ValueAt and whether the value is stale (see above).
func (f *Feature) ValueAtStale(key string, t int64) (expr.Value, bool) {
	if f.g != nil {
		return f.g.ValueAtStale(0, key, t)
	}
	st := f.lookup(key)
	if st == nil {
		return f.empty(), true
	}
	v, held := f.scan(st, satSub(t, f.off))
	return v, !held
}

// ValueAtStale is member m's ValueAt and whether it is stale (see
// Feature.ValueAtStale).
func (g *Group) ValueAtStale(m int, key string, t int64) (expr.Value, bool) {
	st := g.lookup(key)
	if st == nil {
		return g.mem[m].empty(), true
	}
	v, held := g.scan(m, st, satSub(t, g.mem[m].off))
	return v, !held
}

// Expiry is the last time at which key's window still holds one of the
// events it holds as of t, if no other event came: the value as of t is
// stale exactly when t > Expiry(key, t). It is math.MaxInt64 for a global
// window that has an event, math.MinInt64 for a key without an event at or
// before t (less the offset). An online store keeps it beside the value as
// of t, to tell later readers when the value stopped holding.
func (f *Feature) Expiry(key string, t int64) int64 {
	if f.g != nil {
		return f.g.Expiry(0, key, t)
	}
	st := f.lookup(key)
	if st == nil {
		return math.MinInt64
	}
	u := satSub(t, f.off)
	var last int64
	switch b := st.upper(u); {
	case b > st.head:
		last = st.ev[b-1].t
	case st.base != nil && st.base.last <= u:
		last = st.base.last
	default:
		return math.MinInt64
	}
	switch f.kind {
	case Global:
		return math.MaxInt64
	case Tumbling, Hopping:
		return satAdd(floorTo(last, f.step), f.step-1+f.off)
	default: // Session
		return satAdd(last, f.size-1+f.off)
	}
}

// Expiry is member m's Expiry (see Feature.Expiry).
func (g *Group) Expiry(m int, key string, t int64) int64 {
	st := g.lookup(key)
	if st == nil {
		return math.MinInt64
	}
	mb := &g.mem[m]
	u := satSub(t, mb.off)
	for p := g.upper(st, u) - 1; p >= st.head; p-- {
		if g.bits(st, p)&mb.bit != 0 {
			return satAdd(g.t(st, p), mb.size-1+mb.off)
		}
	}
	return math.MinInt64
}

// Retention is the earliest time whose values ValueAt still gives exactly:
// the watermark less the lateness (math.MinInt64 before the first Advance).
// Earlier times may read events already dropped.
func (f *Feature) Retention() int64 {
	if f.g != nil {
		return f.g.Retention()
	}
	return satSub(f.wm, f.late)
}

// Retention is the group's Retention (see Feature.Retention).
func (g *Group) Retention() int64 { return satSub(g.wm, g.late) }
