package features

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

// randGroup draws the members of a group: 1 to 7 sliding features over one
// or two argument columns, with windows that repeat (shared cursors),
// offsets, one lateness, and emit every now and then.
func randGroup(r *rand.Rand) ([]Member, []expr.Type) {
	colTypes := []expr.Type{[]expr.Type{expr.Float, expr.Int, expr.String}[r.IntN(3)]}
	if r.IntN(2) == 0 {
		colTypes = append(colTypes, []expr.Type{expr.Float, expr.Int, expr.Duration, expr.Time, expr.Bool}[r.IntN(5)])
	}
	late := []int64{0, 4, 20, 150}[r.IntN(4)]
	sizes := []int64{1, 5, 10, 37, 100}
	var ms []Member
	var wins [][2]int64
	for i := range 1 + r.IntN(7) {
		var agg Agg
		col := 0
		for {
			agg = Agg(r.IntN(int(numAggs)))
			col = r.IntN(len(colTypes))
			if agg == Count || slices.Contains(argTypes[agg], colTypes[col]) {
				break
			}
		}
		s := Spec{Name: fmt.Sprintf("m%d", i), Agg: agg, ArgType: colTypes[col], Window: Sliding, Lateness: late}
		if agg == Count {
			s.ArgType = expr.Null
		}
		if i > 0 && (r.IntN(2) == 0 || len(wins) == MaxWindows) { // the window of an earlier member
			w := wins[r.IntN(len(wins))]
			s.Size, s.Offset = w[0], w[1]
		} else {
			s.Size = sizes[r.IntN(len(sizes))]
			s.Offset = []int64{0, 0, 3, s.Size, 41}[r.IntN(5)]
		}
		if w := [2]int64{s.Size, s.Offset}; !slices.Contains(wins, w) {
			wins = append(wins, w)
		}
		if r.IntN(5) == 0 {
			s.Emit, s.EmitEvery = true, []int64{1, 7, 25}[r.IntN(3)]
		}
		ms = append(ms, Member{Spec: s, Col: col})
	}
	// Number the columns in use densely.
	var used []expr.Type
	index := map[int]int{}
	for i, m := range ms {
		if m.Spec.Agg == Count {
			ms[i].Col = r.IntN(3) - 1 // ignored
			continue
		}
		j, ok := index[m.Col]
		if !ok {
			j = len(used)
			index[m.Col] = j
			used = append(used, colTypes[m.Col])
		}
		ms[i].Col = j
	}
	return ms, used
}

// runGroup drives a Group and one oracle per member with a random stream:
// each event has random values in each column and passes a random subset
// of the members' filters.
func runGroup(r *rand.Rand, steps int) error {
	ms, colTypes := randGroup(r)
	g, err := NewGroup(ms)
	if err != nil {
		return err
	}
	os := make([]*oracle, len(ms))
	span, late := int64(10), ms[0].Spec.Lateness
	for i, m := range ms {
		os[i] = newOracle(m.Spec)
		span = max(span, m.Spec.Size)
	}
	keys := []string{"a", "b", "card\x00DE", "c", "a composite key longer than 24 bytes\x00DE"}[:1+r.IntN(5)]
	var log []string
	fail := func(format string, args ...any) error {
		tail := log
		if len(tail) > 60 {
			tail = tail[len(tail)-60:]
		}
		specs := make([]string, len(ms))
		for i, m := range ms {
			specs[i] = fmt.Sprintf("%+v col %d", m.Spec, m.Col)
		}
		return fmt.Errorf("members:\n  %s\n%s\n...\n%s", strings.Join(specs, "\n  "), strings.Join(tail, "\n"), fmt.Sprintf(format, args...))
	}
	gap := int(span/3) + 2
	if r.IntN(3) == 0 {
		gap = int(span/30) + 2
	}
	now := int64(r.IntN(3)-1) * 1000
	wm := int64(math.MinInt64)
	args := make([]expr.Value, len(colTypes))
	compareAdvance := func(w int64) error {
		var got, want []Window
		g.Advance(w, func(x Window) { got = append(got, x) })
		for _, o := range os {
			want = append(want, o.advance(w)...)
		}
		wm = os[0].wm
		log = append(log, fmt.Sprintf("advance %d -> %d records", w, len(got)))
		for i := 0; i < max(len(got), len(want)); i++ {
			switch {
			case i >= len(got):
				return fail("missing record %s", fmtWindow(want[i]))
			case i >= len(want):
				return fail("extra record %s", fmtWindow(got[i]))
			}
			x, y := got[i], want[i]
			if x.Feature != y.Feature || x.Key != y.Key || x.Start != y.Start || x.End != y.End || x.Revision != y.Revision {
				return fail("record %d: got %s, want %s", i, fmtWindow(x), fmtWindow(y))
			}
			if err := checkValue(x.Value, y.Value, 1e4); err != nil {
				return fail("record %d %s: %v", i, fmtWindow(x), err)
			}
		}
		return nil
	}
	check := func(how string, m int, key string, t int64, got expr.Value) error {
		want, _ := os[m].value(key, t)
		log = append(log, fmt.Sprintf("%s m%d %q %d -> %s", how, m, key, t, fmtValue(got)))
		if err := checkValue(got, want, os[m].scale(key, t)); err != nil {
			return fail("%s m%d %q at %d: %v", how, m, key, t, err)
		}
		return nil
	}
	for range steps {
		key := keys[r.IntN(len(keys))]
		switch k := r.IntN(100); {
		case k < 65:
			var t int64
			switch j := r.IntN(20); {
			case j < 12:
				now += int64(r.IntN(gap))
				t = now
			case j < 15:
				t = now
			case j < 18 && wm != math.MinInt64:
				t = wm - int64(r.IntN(int(late)+3))
			default:
				t = now - int64(r.IntN(int(span)+1))
				if wm != math.MinInt64 {
					t = max(t, wm)
				}
			}
			for c, ct := range colTypes {
				args[c] = randValue(r, ct)
			}
			take := r.Uint64()
			if r.IntN(3) == 0 {
				take = ^uint64(0)
			}
			ok := g.Add(key, t, args, take)
			log = append(log, fmt.Sprintf("add %q %d %v take %b -> %v", key, t, args, take&(1<<len(ms)-1), ok))
			want := t >= wm-late || wm == math.MinInt64
			if ok != want {
				return fail("Add returned %v, want %v", ok, want)
			}
			for m, o := range os {
				if take&(1<<m) != 0 {
					var v expr.Value
					if ms[m].Spec.Agg != Count {
						v = args[ms[m].Col]
					}
					o.add(key, t, v)
				}
			}
			if !ok {
				continue
			}
			for m := range ms { // the engine reads every member
				if err := check("Value", m, key, t, g.Value(m, key, t)); err != nil {
					return err
				}
			}
		case k < 75:
			w := now - int64(r.IntN(int(span)))
			if r.IntN(5) == 0 {
				w = wm
			}
			if err := compareAdvance(w); err != nil {
				return err
			}
		default:
			lo := now - 2*span
			if wm != math.MinInt64 {
				lo = max(lo, wm-late)
			}
			t := lo + int64(r.IntN(int(now+2*span-lo)+1))
			m := r.IntN(len(ms))
			if r.IntN(2) == 0 {
				if err := check("Value", m, key, t, g.Value(m, key, t)); err != nil {
					return err
				}
			} else if err := check("ValueAt", m, key, t, g.ValueAt(m, key, t)); err != nil {
				return err
			}
		}
	}
	if err := compareAdvance(math.MaxInt64); err != nil {
		return err
	}
	if g.Keys() != 0 {
		return fail("%d keys left after the watermark reached the end", g.Keys())
	}
	return nil
}

// TestGroupAgainstOracle runs random groups of sliding features (shared
// windows and columns, members that take a random subset of the events,
// nulls, ties, out-of-order and late events, emit every) against one
// brute-force oracle per member.
func TestGroupAgainstOracle(t *testing.T) {
	seeds := 300
	if testing.Short() {
		seeds = 40
	}
	if *seedsFlag > 0 {
		seeds = *seedsFlag
	}
	for seed := range seeds {
		if *seedFlag >= 0 && seed != *seedFlag {
			continue
		}
		r := rand.New(rand.NewPCG(uint64(seed), 77))
		if err := runGroup(r, 500); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
}

// TestNewGroupValidates: members that cannot share a group are refused,
// each problem reported, wrapping ErrSpec.
func TestNewGroupValidates(t *testing.T) {
	sl := func(name string, agg Agg, arg expr.Type) Spec {
		return Spec{Name: name, Agg: agg, ArgType: arg, Window: Sliding, Size: 10}
	}
	for _, c := range []struct {
		name    string
		members []Member
		want    []string
	}{
		{"empty", nil, []string{"1 to 64 members"}},
		{"tumbling", []Member{{Spec: Spec{Name: "t", Window: Tumbling, Size: 5}}}, []string{"t: a group holds sliding windows"}},
		{"lateness", []Member{{Spec: sl("a", Count, expr.Null)}, {Spec: Spec{Name: "b", Window: Sliding, Size: 5, Lateness: 3}}},
			[]string{"b: lateness 3 in a group with lateness 0"}},
		{"column types", []Member{{Spec: sl("a", Sum, expr.Float)}, {Spec: sl("b", Sum, expr.Int)}}, []string{"b: column 0 is float, not int"}},
		{"unused column", []Member{{Spec: sl("a", Sum, expr.Float), Col: 1}}, []string{"argument column 0 has no member"}},
		{"bad spec", []Member{{Spec: sl("a", Avg, expr.String)}}, []string{"a: avg needs a number"}},
		{"windows", []Member{{Spec: Spec{Name: "a", Window: Sliding, Size: 1}}, {Spec: Spec{Name: "b", Window: Sliding, Size: 2}},
			{Spec: Spec{Name: "c", Window: Sliding, Size: 3}}, {Spec: Spec{Name: "d", Window: Sliding, Size: 3, Offset: 1}},
			{Spec: Spec{Name: "e", Window: Sliding, Size: 2}}, {Spec: Spec{Name: "f", Window: Sliding, Size: 5}}},
			[]string{"f: a group has at most 4 distinct windows"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewGroup(c.members)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrSpec) {
				t.Errorf("%v does not wrap ErrSpec", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestSlidingLateAtEdge: a late event at exactly R − size, R being the last
// time read, is outside the window as of R: (R − size, R].
func TestSlidingLateAtEdge(t *testing.T) {
	f := mustNew(t, Spec{Agg: Count, Window: Sliding, Size: 5, Lateness: 10})
	f.Add("k", 10, expr.Value{})
	if v := f.Value("k", 10); v.I != 1 {
		t.Fatalf("count = %d, want 1", v.I)
	}
	f.Add("k", 5, expr.Value{})
	f.Add("k", 6, expr.Value{})
	if v := f.Value("k", 10); v.I != 2 {
		t.Errorf("count as of 10 = %d, want 2 (6 and 10)", v.I)
	}
	if v := f.Value("k", 11); v.I != 1 {
		t.Errorf("count as of 11 = %d, want 1", v.I)
	}
}
