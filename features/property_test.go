package features

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

// argTypes lists, per aggregation, the argument types the KRL checker
// allows.
var argTypes = map[Agg][]expr.Type{
	Count:         {expr.Null},
	CountExpr:     {expr.Int, expr.Float, expr.String, expr.Bool},
	Sum:           {expr.Int, expr.Float, expr.Duration},
	Avg:           {expr.Int, expr.Float},
	Min:           {expr.Int, expr.Float, expr.String, expr.Time},
	Max:           {expr.Int, expr.Float, expr.String, expr.Duration},
	Stddev:        {expr.Int, expr.Float},
	DistinctCount: {expr.Int, expr.Float, expr.String, expr.Bool},
	First:         {expr.Int, expr.Float, expr.String, expr.Bool},
	Last:          {expr.Int, expr.Float, expr.String, expr.Time},
}

// randValue draws a value of type t, null now and then; values repeat, to
// make ties for min, max and distinct_count.
func randValue(r *rand.Rand, t expr.Type) expr.Value {
	if t == expr.Null || r.IntN(7) == 0 {
		return expr.Value{}
	}
	switch t {
	case expr.Int:
		return expr.IntValue(int64(r.IntN(30)) - 8)
	case expr.Time:
		return expr.TimeValue(1_700_000_000_000 + int64(r.IntN(20)))
	case expr.Duration:
		return expr.DurationValue(int64(r.IntN(5000)))
	case expr.Float:
		switch r.IntN(4) {
		case 0:
			return expr.FloatValue(float64(r.IntN(6)) * 0.25)
		case 1:
			return expr.FloatValue((r.Float64() - 0.3) * 1e4)
		default:
			return expr.FloatValue(math.Round(r.Float64()*50000) / 100)
		}
	case expr.String:
		return expr.StringValue([]string{"DE", "FR", "US", "a", "ab", "b"}[r.IntN(6)])
	case expr.Bool:
		return expr.BoolValue(r.IntN(2) == 0)
	}
	panic(t)
}

// randSpec draws a window for kind.
func randSpec(r *rand.Rand, kind WindowKind, agg Agg, t expr.Type) Spec {
	s := Spec{Name: "f", Agg: agg, ArgType: t, Window: kind}
	if kind != Global {
		s.Size = []int64{1, 5, 10, 37, 100}[r.IntN(5)]
		s.Offset = []int64{0, 0, 3, s.Size, 41}[r.IntN(5)]
	}
	if kind == Hopping {
		s.Every = []int64{s.Size, max(1, s.Size/2), max(1, s.Size/3), 1}[r.IntN(4)]
	}
	s.Lateness = []int64{0, 4, 20, 150}[r.IntN(4)]
	switch kind {
	case Tumbling, Hopping, Session:
		s.Emit = r.IntN(3) > 0
	default:
		if r.IntN(2) == 0 {
			s.Emit = true
			s.EmitEvery = []int64{1, 7, 25}[r.IntN(3)]
		}
	}
	return s
}

// checkValue compares a value with the oracle's.
func checkValue(got, want expr.Value, scale float64) error {
	if got.Type != want.Type {
		return fmt.Errorf("got %v, want %v", fmtValue(got), fmtValue(want))
	}
	switch got.Type {
	case expr.Float:
		if got.F == want.F {
			return nil
		}
		if d := math.Abs(got.F - want.F); d <= 1e-9*math.Abs(want.F)+1e-12*scale {
			return nil
		}
	case expr.String:
		if got.S == want.S {
			return nil
		}
	default:
		if got.I == want.I {
			return nil
		}
	}
	return fmt.Errorf("got %v, want %v", fmtValue(got), fmtValue(want))
}

func fmtValue(v expr.Value) string {
	switch v.Type {
	case expr.Null:
		return "null"
	case expr.Float:
		return fmt.Sprintf("float %v", v.F)
	case expr.String:
		return fmt.Sprintf("string %q", v.S)
	}
	return fmt.Sprintf("%v %d", v.Type, v.I)
}

func fmtWindow(w Window) string {
	return fmt.Sprintf("{%s %s [%d,%d) %s rev %d}", w.Feature, w.Key, w.Start, w.End, fmtValue(w.Value), w.Revision)
}

// runStream drives a Feature and its oracle with one random stream and
// returns the first difference, with the steps that led to it.
func runStream(r *rand.Rand, spec Spec, steps int) error {
	f, err := New(spec)
	if err != nil {
		return err
	}
	o := newOracle(spec)
	keys := []string{"a", "b", "card\x00DE", "c", "a composite key longer than 24 bytes\x00DE"}[:1+r.IntN(5)]
	var log []string
	fail := func(format string, args ...any) error {
		tail := log
		if len(tail) > 60 {
			tail = tail[len(tail)-60:]
		}
		return fmt.Errorf("spec %+v\n%s\n...\n%s", spec, strings.Join(tail, "\n"), fmt.Sprintf(format, args...))
	}
	span := max(spec.Size, 10)
	gap := int(span/3) + 2 // the largest step of time between events
	if r.IntN(3) == 0 {
		gap = int(span/30) + 2 // dense: many events per window
	}
	readEvery := 1 + r.IntN(3)       // 1: the engine reads the value of every event it adds
	now := int64(r.IntN(3)-1) * 1000 // negative times too
	wm := int64(math.MinInt64)
	compareAdvance := func(w int64) error {
		var got []Window
		f.Advance(w, func(x Window) { got = append(got, x) })
		want := o.advance(w)
		wm = o.wm
		log = append(log, fmt.Sprintf("advance %d -> %d records", w, len(got)))
		for _, x := range got {
			log = append(log, "  "+fmtWindow(x))
		}
		for i := 0; i < max(len(got), len(want)); i++ {
			switch {
			case i >= len(got):
				return fail("missing record %s", fmtWindow(want[i]))
			case i >= len(want):
				return fail("extra record %s", fmtWindow(got[i]))
			}
			g, w := got[i], want[i]
			if g.Feature != w.Feature || g.Key != w.Key || g.Start != w.Start || g.End != w.End || g.Revision != w.Revision {
				return fail("record %d: got %s, want %s", i, fmtWindow(g), fmtWindow(w))
			}
			if err := checkValue(g.Value, w.Value, 1e4); err != nil {
				return fail("record %d %s: %v", i, fmtWindow(g), err)
			}
		}
		return nil
	}
	for range steps {
		key := keys[r.IntN(len(keys))]
		switch k := r.IntN(100); {
		case k < 65: // an event, then the per-event read
			var t int64
			switch j := r.IntN(20); {
			case j < 12:
				now += int64(r.IntN(gap))
				t = now
			case j < 15:
				t = now // a tie
			case j < 18 && wm != math.MinInt64: // late, maybe too late
				t = wm - int64(r.IntN(int(spec.Lateness)+3))
			default: // out of order but not late
				t = now - int64(r.IntN(int(span)+1))
				if wm != math.MinInt64 {
					t = max(t, wm)
				}
			}
			v := randValue(r, spec.ArgType)
			ok := f.Add(key, t, v)
			log = append(log, fmt.Sprintf("add %q %d %s -> %v", key, t, fmtValue(v), ok))
			if want := o.add(key, t, v); ok != want {
				return fail("Add returned %v, want %v", ok, want)
			}
			if !ok || r.IntN(readEvery) != 0 {
				continue
			}
			got := f.Value(key, t)
			want, _ := o.value(key, t)
			if err := checkValue(got, want, o.scale(key, t)); err != nil {
				return fail("value %q at %d: %v", key, t, err)
			}
		case k < 75:
			w := now - int64(r.IntN(int(span)))
			if r.IntN(5) == 0 {
				w = wm // flush corrections
			}
			if err := compareAdvance(w); err != nil {
				return err
			}
		default: // a query at any time in the retention
			lo := now - 2*span
			if wm != math.MinInt64 {
				lo = max(lo, wm-spec.Lateness)
			}
			t := lo + int64(r.IntN(int(now+2*span-lo)+1))
			var got expr.Value
			how := "Value"
			if r.IntN(2) == 0 {
				got = f.Value(key, t)
			} else {
				how = "ValueAt"
				got = f.ValueAt(key, t)
			}
			want, _ := o.value(key, t)
			log = append(log, fmt.Sprintf("%s %q %d -> %s", how, key, t, fmtValue(got)))
			if err := checkValue(got, want, o.scale(key, t)); err != nil {
				return fail("%s %q at %d: %v", how, key, t, err)
			}
		}
	}
	if err := compareAdvance(math.MaxInt64); err != nil {
		return err
	}
	if spec.Window != Global && f.Keys() != 0 {
		return fail("%d keys left after the watermark reached the end", f.Keys())
	}
	return nil
}

var (
	seedsFlag = flag.Int("seeds", 0, "random streams per case in TestAgainstOracle (default 12, 3 with -short)")
	seedFlag  = flag.Int("seed", -1, "run only this seed in TestAgainstOracle")
)

// TestAgainstOracle runs every window kind and aggregation, over each
// argument type, against the brute-force oracle on random streams: ties,
// nulls, out-of-order and late events (some too late), several keys,
// watermarks, queries at random times in the retention, offsets, hopping
// steps below and equal to the size, and emission.
func TestAgainstOracle(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 3
	}
	if *seedsFlag > 0 {
		seeds = *seedsFlag
	}
	for kind := Global; kind < numKinds; kind++ {
		for agg := Count; agg < numAggs; agg++ {
			for _, at := range argTypes[agg] {
				name := fmt.Sprintf("%s/%s(%s)", kind, agg, at)
				if agg == Count {
					name = fmt.Sprintf("%s/count()", kind)
				}
				t.Run(name, func(t *testing.T) {
					for seed := range seeds {
						if *seedFlag >= 0 && seed != *seedFlag {
							continue
						}
						r := rand.New(rand.NewPCG(uint64(seed), uint64(kind)<<8|uint64(agg)<<4|uint64(at)))
						spec := randSpec(r, kind, agg, at)
						if err := runStream(r, spec, 400); err != nil {
							t.Fatalf("seed %d: %v", seed, err)
						}
					}
				})
			}
		}
	}
}
