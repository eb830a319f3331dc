package features

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

func TestNewValidates(t *testing.T) {
	ok := []Spec{
		{Agg: Count, Window: Sliding, Size: 10},
		{Agg: Sum, ArgType: expr.Duration, Window: Tumbling, Size: 10, Emit: true},
		{Agg: Max, ArgType: expr.String, Window: Hopping, Size: 10, Every: 10, Offset: 5},
		{Agg: Last, ArgType: expr.Bool},
		{Agg: Count, Window: Global, Emit: true, EmitEvery: 60000},
		{Agg: DistinctCount, ArgType: expr.Time, Window: Session, Size: 1, Lateness: 10, Emit: true},
	}
	for _, s := range ok {
		if _, err := New(s); err != nil {
			t.Errorf("New(%+v): %v", s, err)
		}
	}
	bad := []struct {
		spec Spec
		want string
	}{
		{Spec{Agg: Count, ArgType: expr.Int}, "count() takes no argument"},
		{Spec{Agg: Sum}, "sum needs an argument"},
		{Spec{Agg: Sum, ArgType: expr.String}, "sum needs a number"},
		{Spec{Agg: Avg, ArgType: expr.Duration}, "avg needs a number"},
		{Spec{Agg: Stddev, ArgType: expr.Time}, "stddev needs a number"},
		{Spec{Agg: Min, ArgType: expr.Bool}, "min needs a number, string, time or duration"},
		{Spec{Agg: numAggs, ArgType: expr.Int}, "unknown aggregation"},
		{Spec{Agg: Count, Window: Sliding}, "needs a positive size"},
		{Spec{Agg: Count, Window: Hopping, Size: 10, Every: 11}, "step must be positive and at most its size"},
		{Spec{Agg: Count, Window: Hopping, Size: 10}, "step must be positive"},
		{Spec{Agg: Count, Window: Tumbling, Size: 10, Every: 5}, "only a hopping window has a step"},
		{Spec{Agg: Count, Window: Sliding, Size: 10, Offset: -1}, "offset cannot be negative"},
		{Spec{Agg: Count, Size: 10}, "a global window has no size"},
		{Spec{Agg: Count, Window: Sliding, Size: 10, Lateness: -1}, "lateness cannot be negative"},
		{Spec{Agg: Count, Window: Sliding, Size: 10, Emit: true}, "use emit every D"},
		{Spec{Agg: Count, Window: Tumbling, Size: 10, Emit: true, EmitEvery: 5}, "emit every is for sliding and global windows"},
		{Spec{Agg: Count, Window: Sliding, Size: 10, EmitEvery: 5}, "EmitEvery is set without Emit"},
		{Spec{Agg: Count, Window: numKinds, Size: 10}, "unknown window kind"},
	}
	for _, c := range bad {
		_, err := New(c.spec)
		if err == nil || !errors.Is(err, ErrSpec) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) = %v, want an ErrSpec saying %q", c.spec, err, c.want)
		}
	}
	// Every problem is reported, not the first.
	_, err := New(Spec{Name: "x", Agg: Sum, ArgType: expr.String, Window: Sliding, Offset: -1, Lateness: -1})
	if n := strings.Count(err.Error(), "invalid feature x"); n != 4 {
		t.Errorf("got %d errors, want 4: %v", n, err)
	}
}

func TestTypes(t *testing.T) {
	cases := []struct {
		agg  Agg
		arg  expr.Type
		want expr.Type
	}{
		{Count, expr.Null, expr.Int},
		{CountExpr, expr.String, expr.Int},
		{DistinctCount, expr.Float, expr.Int},
		{Sum, expr.Int, expr.Int},
		{Sum, expr.Float, expr.Float},
		{Sum, expr.Duration, expr.Duration},
		{Avg, expr.Int, expr.Float},
		{Stddev, expr.Int, expr.Float},
		{Min, expr.Time, expr.Time},
		{Max, expr.String, expr.String},
		{First, expr.Bool, expr.Bool},
		{Last, expr.Duration, expr.Duration},
	}
	for _, c := range cases {
		f, err := New(Spec{Agg: c.agg, ArgType: c.arg})
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Type(); got != c.want {
			t.Errorf("%s(%s): type %s, want %s", c.agg, c.arg, got, c.want)
		}
	}
}

// TestEmpty: over no events, count and sum are 0 (of the value's type),
// the others null; never NaN, never a panic, for a key never seen and for
// a window that emptied.
func TestEmpty(t *testing.T) {
	for kind := Global; kind < numKinds; kind++ {
		for agg := Count; agg < numAggs; agg++ {
			for _, at := range argTypes[agg] {
				spec := Spec{Agg: agg, ArgType: at, Window: kind}
				if kind != Global {
					spec.Size = 10
				}
				if kind == Hopping {
					spec.Every = 5
				}
				f, err := New(spec)
				if err != nil {
					t.Fatal(err)
				}
				var want expr.Value
				switch agg {
				case Count, CountExpr, DistinctCount:
					want = expr.IntValue(0)
				case Sum:
					want = expr.Value{Type: at}
				}
				check := func(v expr.Value, what string) {
					t.Helper()
					if v != want {
						t.Errorf("%s %s(%s) %s: %+v, want %+v", kind, agg, at, what, v, want)
					}
				}
				check(f.Value("nobody", 100), "unknown key")
				check(f.ValueAt("nobody", 100), "unknown key (ValueAt)")
				f.Add("k", 5, randValue(rand.New(rand.NewPCG(1, 2)), at))
				check(f.Value("k", 4), "before the event")
				if kind != Global {
					check(f.Value("k", 1000), "after the window")
					check(f.ValueAt("k", 1000), "after the window (ValueAt)")
				}
			}
		}
	}
}

// TestConvert: an int is widened for a float argument; a NaN, or a value
// of another type than the argument's, is null; -0 is 0.
func TestConvert(t *testing.T) {
	f, _ := New(Spec{Agg: Sum, ArgType: expr.Float, Window: Global})
	f.Add("k", 1, expr.IntValue(2))
	f.Add("k", 2, expr.FloatValue(math.NaN()))
	f.Add("k", 3, expr.StringValue("x"))
	f.Add("k", 4, expr.FloatValue(0.5))
	if v := f.Value("k", 10); v != expr.FloatValue(2.5) {
		t.Errorf("sum = %+v, want 2.5", v)
	}
	g, _ := New(Spec{Agg: DistinctCount, ArgType: expr.Float, Window: Global})
	g.Add("k", 1, expr.FloatValue(math.Copysign(0, -1)))
	g.Add("k", 2, expr.FloatValue(0))
	if v := g.Value("k", 10); v != expr.IntValue(1) {
		t.Errorf("distinct_count(-0, 0) = %+v, want 1", v)
	}
	h, _ := New(Spec{Agg: CountExpr, ArgType: expr.Time, Window: Global})
	h.Add("k", 1, expr.IntValue(2)) // an int is not a time
	h.Add("k", 2, expr.TimeValue(2))
	if v := h.Value("k", 10); v != expr.IntValue(1) {
		t.Errorf("count(time) = %+v, want 1", v)
	}
	b, _ := New(Spec{Agg: Last, ArgType: expr.Bool, Window: Global})
	b.Add("k", 1, expr.Value{Type: expr.Bool, I: 7})
	if v := b.Value("k", 10); v != expr.BoolValue(true) {
		t.Errorf("last(bool) = %+v, want true", v)
	}
}

// TestStddevKind: stddev is the sample standard deviation (n-1), null
// below two values.
func TestStddevKind(t *testing.T) {
	for _, kind := range []WindowKind{Global, Sliding, Tumbling, Session} {
		spec := Spec{Agg: Stddev, ArgType: expr.Int, Window: kind}
		if kind != Global {
			spec.Size = 100
		}
		f, _ := New(spec)
		f.Add("k", 1, expr.IntValue(2))
		if v := f.Value("k", 1); !v.IsNull() {
			t.Errorf("%s: stddev of one value = %+v, want null", kind, v)
		}
		for i, x := range []int64{4, 4, 4, 5, 5, 7, 9} {
			f.Add("k", int64(2+i), expr.IntValue(x))
		}
		// Values 2 4 4 4 5 5 7 9: mean 5, squares 32, sample variance 32/7.
		want := math.Sqrt(32.0 / 7)
		if v := f.Value("k", 9); v.Type != expr.Float || math.Abs(v.F-want) > 1e-12 {
			t.Errorf("%s: stddev = %+v, want %v", kind, v, want)
		}
	}
}

// TestSlidingFloatLongRun: a long run of evictions keeps float sums,
// averages and standard deviations within relative 1e-9 of an exact
// recomputation, with huge values passing through the window and a mean
// that drifts far from where it started.
func TestSlidingFloatLongRun(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	const size = 1000
	sum, _ := New(Spec{Agg: Sum, ArgType: expr.Float, Window: Sliding, Size: size})
	avg, _ := New(Spec{Agg: Avg, ArgType: expr.Float, Window: Sliding, Size: size})
	sd, _ := New(Spec{Agg: Stddev, ArgType: expr.Float, Window: Sliding, Size: size})
	r := rand.New(rand.NewPCG(7, 7))
	vals := make([]float64, n)
	for i := range vals {
		v := 1e6 + float64(i)*0.5 + r.Float64() // a drifting mean, variance 1/12
		if i%9973 == 0 {
			v = 1e15 * r.Float64() // a spike that later leaves the window
		}
		vals[i] = v
	}
	for i, v := range vals {
		ts := int64(i)
		sum.Add("k", ts, expr.FloatValue(v))
		avg.Add("k", ts, expr.FloatValue(v))
		sd.Add("k", ts, expr.FloatValue(v))
		gs, ga, gd := sum.Value("k", ts), avg.Value("k", ts), sd.Value("k", ts)
		if i < 2 || i%997 != 0 && i != n-1 {
			continue
		}
		win := vals[max(0, i-size+1) : i+1]
		ws, wa, wd := exactStats(win)
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"sum", gs.F, ws}, {"avg", ga.F, wa}, {"stddev", gd.F, wd}} {
			if math.Abs(c.got-c.want) > 1e-9*math.Abs(c.want) {
				t.Fatalf("event %d: %s = %v, want %v (relative error %.2g)", i, c.name, c.got, c.want, math.Abs(c.got-c.want)/math.Abs(c.want))
			}
		}
	}
}

// exactStats is the sum, mean and sample standard deviation of xs, computed
// exactly and rounded once.
func exactStats(xs []float64) (sum, mean, sd float64) {
	s := new(big.Float).SetPrec(3000)
	for _, x := range xs {
		s.Add(s, new(big.Float).SetFloat64(x))
	}
	m := new(big.Float).SetPrec(3000).Quo(s, new(big.Float).SetInt64(int64(len(xs))))
	ss := new(big.Float).SetPrec(3000)
	for _, x := range xs {
		d := new(big.Float).SetPrec(3000).Sub(new(big.Float).SetFloat64(x), m)
		ss.Add(ss, d.Mul(d, d))
	}
	ss.Quo(ss, new(big.Float).SetInt64(int64(len(xs)-1)))
	sum, _ = s.Float64()
	mean, _ = m.Float64()
	v, _ := ss.Float64()
	return sum, mean, math.Sqrt(v)
}
