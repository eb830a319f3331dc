package features

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

// oracleStale is the brute-force stale flag: no event in the window as of t
// that the feature takes (sliding and global windows skip null arguments).
func (o *oracle) stale(key string, t int64) bool {
	for _, e := range o.window(key, t) {
		if !o.null(e.v) || o.spec.Window == Tumbling || o.spec.Window == Hopping || o.spec.Window == Session {
			return false
		}
	}
	return true
}

// TestLookupAgainstOracle drives every window kind with random streams
// (late events, ties, watermarks) and checks, at random times from the
// retention on, ValueAtStale's value and stale flag and Expiry against the
// brute-force scan; and that the lookups move no cursor: the per-event
// values read after them are still exact.
func TestLookupAgainstOracle(t *testing.T) {
	seeds := 8
	if testing.Short() {
		seeds = 2
	}
	for kind := Global; kind < numKinds; kind++ {
		for _, agg := range []Agg{Count, Sum, Max, Last} {
			at := argTypes[agg][0]
			t.Run(fmt.Sprintf("%s/%s", kind, agg), func(t *testing.T) {
				for seed := range seeds {
					r := rand.New(rand.NewPCG(uint64(seed), 0x10c4<<8|uint64(kind)<<4|uint64(agg)))
					spec := randSpec(r, kind, agg, at)
					spec.Emit, spec.EmitEvery = false, 0
					if err := lookupStream(r, spec, 300); err != nil {
						t.Fatalf("seed %d: %v", seed, err)
					}
				}
			})
		}
	}
}

func lookupStream(r *rand.Rand, spec Spec, steps int) error {
	f, err := New(spec)
	if err != nil {
		return err
	}
	o := newOracle(spec)
	keys := []string{"a", "b", "c"}
	span := max(spec.Size, 10)
	gap := int(span/3) + 2
	now := int64(0)
	for step := range steps {
		key := keys[r.IntN(len(keys))]
		switch k := r.IntN(10); {
		case k < 6:
			t := now
			if r.IntN(4) == 0 && f.Watermark() != math.MinInt64 {
				t = f.Watermark() - int64(r.IntN(int(spec.Lateness)+1)) // late, within the lateness
			} else {
				now += int64(r.IntN(gap))
				t = now
			}
			v := randValue(r, spec.ArgType)
			ok := f.Add(key, t, v)
			if ok != o.add(key, t, v) {
				return fmt.Errorf("step %d: Add %d: %v", step, t, ok)
			}
			if ok && r.IntN(2) == 0 {
				got := f.Value(key, t)
				want, _ := o.value(key, t)
				if err := checkValue(got, want, o.scale(key, t)); err != nil {
					return fmt.Errorf("step %d: Value %q at %d after lookups: %v", step, key, t, err)
				}
			}
		case k < 7:
			w := now - int64(r.IntN(int(span)))
			f.Advance(w, nil)
			o.advance(w)
		default:
			lo := f.Retention()
			if lo == math.MinInt64 {
				lo = now - 2*span
			}
			t := lo + int64(r.IntN(int(max(now+2*span-lo, 0))+1))
			got, stale := f.ValueAtStale(key, t)
			want, _ := o.value(key, t)
			if err := checkValue(got, want, o.scale(key, t)); err != nil {
				return fmt.Errorf("step %d: %+v: ValueAtStale %q at %d: %v", step, spec, key, t, err)
			}
			if ws := o.stale(key, t); stale != ws {
				return fmt.Errorf("step %d: %+v: %q at %d: stale %v, want %v", step, spec, key, t, stale, ws)
			}
			if exp := f.Expiry(key, t); (t > exp) != stale {
				return fmt.Errorf("step %d: %+v: %q at %d: expiry %d but stale %v", step, spec, key, t, exp, stale)
			}
			// With no other event, the window holds one of these events up
			// to Expiry and none after it.
			if exp := f.Expiry(key, t); !stale && exp != math.MaxInt64 {
				only := newOracle(spec)
				for _, e := range o.sorted(key) {
					if e.t <= t-spec.Offset {
						only.events[key] = append(only.events[key], e)
					}
				}
				if only.stale(key, exp) || !only.stale(key, exp+1) {
					return fmt.Errorf("step %d: %+v: %q at %d: expiry %d is not where the window empties", step, spec, key, t, exp)
				}
			}
		}
	}
	return nil
}

// TestGroupLookup checks the members of a group with filters (take bits)
// and two windows, with null arguments, against brute force.
func TestGroupLookup(t *testing.T) {
	specs := []Spec{
		{Name: "n", Agg: Count, ArgType: expr.Null, Window: Sliding, Size: 100, Lateness: 50},
		{Name: "s", Agg: Sum, ArgType: expr.Int, Window: Sliding, Size: 100, Lateness: 50},
		{Name: "big", Agg: Count, ArgType: expr.Null, Window: Sliding, Size: 300, Offset: 20, Lateness: 50},
	}
	g, err := NewGroup([]Member{{Spec: specs[0]}, {Spec: specs[1]}, {Spec: specs[2]}})
	if err != nil {
		t.Fatal(err)
	}
	type ev struct {
		t    int64
		v    expr.Value
		take uint64
	}
	var evs []ev
	r := rand.New(rand.NewPCG(1, 2))
	now := int64(1000)
	for i := range 400 {
		now += int64(r.IntN(40))
		v := expr.IntValue(int64(r.IntN(10)))
		if r.IntN(5) == 0 {
			v = expr.Value{}
		}
		take := uint64(0b011)
		if r.IntN(3) == 0 {
			take |= 0b100 // passes the third member's filter
		}
		g.Add("k", now, []expr.Value{v}, take)
		evs = append(evs, ev{now, v, take})
		if i%10 == 0 {
			g.Advance(now-30, nil)
		}
		if i%3 != 0 {
			continue
		}
		at := g.Retention() + int64(r.IntN(int(now+400-g.Retention())))
		for m, s := range specs {
			u := at - s.Offset
			var n, sum int64
			held := false
			for _, e := range evs {
				if e.t <= u-s.Size || e.t > u || e.take&(1<<m) == 0 {
					continue
				}
				if s.Agg == Sum {
					if e.v.Type == expr.Null {
						continue
					}
					sum += e.v.I
				}
				n++
				held = true
			}
			v, stale := g.ValueAtStale(m, "k", at)
			want := expr.IntValue(n)
			if s.Agg == Sum {
				want = expr.IntValue(sum)
			}
			if v != want || stale == held {
				t.Fatalf("event %d: %s at %d: %v stale %v, want %v stale %v", i, s.Name, at, v, stale, want, !held)
			}
			if exp := g.Expiry(m, "k", at); (at > exp) != stale {
				t.Fatalf("event %d: %s at %d: expiry %d, stale %v", i, s.Name, at, exp, stale)
			}
		}
	}
	if v, stale := g.ValueAtStale(0, "nobody", now); v != expr.IntValue(0) || !stale {
		t.Errorf("unknown key: %v stale %v", v, stale)
	}
}
