package nfa

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Property tests on tiny random inputs.
//
// The oracle enumerates, for a pattern that is a sequence of elements each
// taken once or {n,m} times (m possibly unbounded), every assignment of event
// indexes that the contiguity rules allow:
//
//   - `->` (and relaxed iterations): the first later event that satisfies the
//     condition must be taken; the ones before it that do not are skipped;
//   - `=>` (and consecutive iterations): the very next event;
//   - `~>` (and combinations): any later event;
//   - with Within, the last event is less than Within after the first (with
//     WithinGap: each event less than Within after the one before).
//
// Under no_skip the automaton must produce exactly these matches.

// propertyScale multiplies the iterations: NFA_PROPERTY_SCALE=20 go test ...
var propertyScale = func() int {
	if n, err := strconv.Atoi(os.Getenv("NFA_PROPERTY_SCALE")); err == nil && n > 0 {
		return n
	}
	return 1
}()

type oelem struct {
	name     string
	cond     string // the event name it accepts; "" for any, "!x" for not x
	contig   Contiguity
	min, max int // max < 0: unbounded; 1, 1 and single: a plain step
	single   bool
	optional bool
	inner    Contiguity
}

func (e oelem) accepts(ev *tev) bool {
	switch {
	case e.cond == "":
		return true
	case strings.HasPrefix(e.cond, "!"):
		return ev.name != e.cond[1:]
	}
	return ev.name == e.cond
}

func (e oelem) element() Element {
	el := Element{Name: e.name, Contiguity: e.contig}
	c := e.cond
	el.Cond = func(ctx *Context) bool {
		ev := ctx.Event().(*tev)
		switch {
		case c == "":
			return true
		case strings.HasPrefix(c, "!"):
			return ev.name != c[1:]
		}
		return ev.name == c
	}
	if !e.single || e.optional {
		el.Quant = &Quantifier{Min: e.min, Max: e.max, Optional: e.optional,
			Consecutive: e.inner == Strict, Combinations: e.inner == NonDeterministic}
	}
	return el
}

func (e oelem) String() string {
	ops := map[Contiguity]string{Relaxed: "->", Strict: "=>", NonDeterministic: "~>"}
	s := ops[e.contig] + " " + e.name + "[" + e.cond + "]"
	if !e.single {
		if e.max < 0 {
			s += fmt.Sprintf("{%d,}", e.min)
		} else {
			s += fmt.Sprintf("{%d,%d}", e.min, e.max)
		}
		switch e.inner {
		case Strict:
			s += " consecutive"
		case NonDeterministic:
			s += " combinations"
		}
	}
	if e.optional {
		s += " optional"
	}
	return s
}

// oracle returns the matches, each as "step:index ..." in match order.
func oracle(elems []oelem, evs []*tev, within int64, gap bool) []string {
	var out []string
	assign := make([]int, 0, len(evs)) // element index per taken event
	idx := make([]int, 0, len(evs))
	record := func() {
		var b strings.Builder
		for k := range idx {
			if k > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%s:%d", elems[assign[k]].name, idx[k])
		}
		out = append(out, b.String())
	}
	var rec func(j, count, last int)
	rec = func(j, count, last int) {
		e := elems[j]
		if count == 0 && e.optional {
			// skip the element: the next one follows the last event taken
			switch {
			case j < len(elems)-1:
				rec(j+1, 0, last)
			case len(idx) > 0:
				record()
			}
		}
		contig := e.contig
		if count > 0 {
			contig = e.inner
		}
		var cands []int
		for i := last + 1; i < len(evs); i++ {
			if len(idx) == 0 {
				if e.accepts(evs[i]) {
					cands = append(cands, i)
				}
				continue
			}
			if contig == Strict && i != last+1 {
				break
			}
			if !e.accepts(evs[i]) {
				continue
			}
			cands = append(cands, i)
			if contig != NonDeterministic {
				break // relaxed and strict take the first that fits
			}
		}
		for _, i := range cands {
			if within > 0 && len(idx) > 0 {
				ref := evs[idx[0]].time
				if gap {
					ref = evs[idx[len(idx)-1]].time
				}
				if evs[i].time-ref >= within {
					continue
				}
			}
			idx = append(idx, i)
			assign = append(assign, j)
			n := count + 1
			if n >= e.min {
				if j == len(elems)-1 {
					record()
				} else {
					rec(j+1, 0, i)
				}
			}
			if e.max < 0 || n < e.max {
				rec(j, n, i)
			}
			idx = idx[:len(idx)-1]
			assign = assign[:len(assign)-1]
		}
	}
	rec(0, 0, -1)
	slices.Sort(out)
	return out
}

func matchKey(steps []string, m Match, index map[*tev]int) string {
	type pe struct {
		step string
		i    int
	}
	var ps []pe
	for _, s := range m.Steps {
		for _, e := range s.Events {
			ps = append(ps, pe{steps[s.Step], index[e.Data.(*tev)]})
		}
	}
	slices.SortFunc(ps, func(a, b pe) int { return a.i - b.i })
	var b strings.Builder
	for k, p := range ps {
		if k > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%d", p.step, p.i)
	}
	return b.String()
}

func randomPattern(r *rand.Rand) []oelem {
	n := 1 + r.IntN(3)
	conds := []string{"a", "b", "c", "a", "b", "", "!a"}
	contigs := []Contiguity{Relaxed, Strict, NonDeterministic}
	var elems []oelem
	for i := range n {
		e := oelem{name: fmt.Sprintf("s%d", i), cond: conds[r.IntN(len(conds))],
			contig: contigs[r.IntN(3)], single: true, min: 1, max: 1}
		if r.IntN(3) == 0 {
			e.single = false
			e.min = 1 + r.IntN(2)
			switch r.IntN(3) {
			case 0:
				e.max = -1
			default:
				e.max = e.min + r.IntN(2)
			}
			e.inner = contigs[r.IntN(3)]
		}
		if r.IntN(4) == 0 {
			e.optional = true
		}
		elems = append(elems, e)
	}
	return elems
}

// randomEvents makes up to 8 events of 2 or 3 names over up to 3 keys, with
// some equal times.
func randomEvents(r *rand.Rand, keys int) [][]*tev {
	names := []string{"a", "b", "c"}[:2+r.IntN(2)]
	byKey := make([][]*tev, keys)
	t := int64(0)
	n := 1 + r.IntN(8)
	for i := range n {
		if r.IntN(3) > 0 {
			t += int64(1 + r.IntN(3))
		}
		k := r.IntN(keys)
		nm := names[r.IntN(len(names))]
		byKey[k] = append(byKey[k], &tev{label: fmt.Sprintf("%s%d", nm, i), name: nm, time: t})
	}
	return byKey
}

// runKeys feeds each key's events, interleaved in time order, through one
// State per key sharing one Output, and returns each key's matches.
func runKeys(prog *Program, byKey [][]*tev, advanceEvery bool, r *rand.Rand) [][]Match {
	type item struct {
		k int
		e *tev
	}
	var all []item
	for k, evs := range byKey {
		for _, e := range evs {
			all = append(all, item{k, e})
		}
	}
	slices.SortStableFunc(all, func(a, b item) int {
		switch {
		case a.e.time < b.e.time:
			return -1
		case a.e.time > b.e.time:
			return 1
		}
		return 0
	})
	states := make([]*State, len(byKey))
	for k := range states {
		states[k] = prog.NewState()
	}
	res := make([][]Match, len(byKey))
	var out Output
	for seq, it := range all {
		out.Reset()
		if advanceEvery && r != nil && r.IntN(2) == 0 {
			// an extra watermark between events, never past the next event
			k := r.IntN(len(states))
			wm := it.e.time - int64(r.IntN(3))
			states[k].AdvanceTime(wm, &out)
			res[k] = append(res[k], out.Matches...)
			out.Reset()
		}
		states[it.k].Process(Event{Time: it.e.time, Seq: uint64(seq), Data: it.e}, &out)
		res[it.k] = append(res[it.k], out.Matches...)
	}
	for k, st := range states {
		out.Reset()
		st.AdvanceTime(1<<62, &out)
		res[k] = append(res[k], out.Matches...)
		if !st.Empty() && prog.within > 0 {
			panic("a windowed key is not empty at the end of time")
		}
	}
	return res
}

func TestOracleNoSkip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := range 4000 * propertyScale {
		elems := randomPattern(r)
		var within int64
		gap := false
		if r.IntN(2) == 0 {
			within = int64(2 + r.IntN(6))
			gap = r.IntN(2) == 0
		}
		pat := Pattern{Skip: NoSkip, Within: within, WithinGap: gap}
		for _, e := range elems {
			pat.Elements = append(pat.Elements, e.element())
		}
		prog, err := Compile(pat)
		if err != nil {
			t.Fatalf("compile %v: %v", elems, err)
		}
		keys := 1 + r.IntN(3)
		byKey := randomEvents(r, keys)
		res := runKeys(prog, byKey, true, r)
		for k, evs := range byKey {
			index := map[*tev]int{}
			for i, e := range evs {
				index[e] = i
			}
			var got []string
			for _, m := range res[k] {
				if m.Timeout {
					continue
				}
				got = append(got, matchKey(prog.steps, m, index))
			}
			slices.Sort(got)
			want := oracle(elems, evs, within, gap)
			if !slices.Equal(got, want) {
				var ev []string
				for _, e := range evs {
					ev = append(ev, fmt.Sprintf("%s@%d", e.name, e.time))
				}
				t.Fatalf("iteration %d: pattern %v within %d gap %v\nevents %v\n got %q\nwant %q",
					iter, elems, within, gap, ev, got, want)
			}
		}
	}
}

// TestSkipStrategiesProperties checks, on random inputs, that every strategy
// releases a sub-multiset of no_skip's matches in order of first event, and
// that past_last matches do not overlap.
func TestSkipStrategiesProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := range 3000 * propertyScale {
		elems := randomPattern(r)
		var within int64
		if r.IntN(2) == 0 {
			within = int64(2 + r.IntN(6))
		}
		byKey := randomEvents(r, 1+r.IntN(2))
		skips := []SkipStrategy{NoSkip, SkipPastLast, SkipToNext, SkipToFirst, SkipToLast}
		results := map[SkipStrategy][][]Match{}
		var steps []string
		for _, sk := range skips {
			pat := Pattern{Skip: sk, Within: within}
			for _, e := range elems {
				pat.Elements = append(pat.Elements, e.element())
			}
			if sk == SkipToFirst || sk == SkipToLast {
				pat.SkipTo = elems[r.IntN(len(elems))].name
			}
			prog, err := Compile(pat)
			if err != nil {
				t.Fatal(err)
			}
			steps = prog.steps
			results[sk] = runKeys(prog, byKey, false, nil)
		}
		for k, evs := range byKey {
			index := map[*tev]int{}
			for i, e := range evs {
				index[e] = i
			}
			keys := func(ms []Match) []string {
				var s []string
				for _, m := range ms {
					s = append(s, matchKey(steps, m, index))
				}
				return s
			}
			all := keys(results[NoSkip][k])
			for _, sk := range skips[1:] {
				ms := results[sk][k]
				got := keys(ms)
				if !subMultiset(got, all) {
					t.Fatalf("iteration %d: strategy %d released %q, not all among no_skip's %q (pattern %v)", iter, sk, got, all, elems)
				}
				lastStart, lastEnd := -1, -1
				for i, m := range ms {
					first, last := bounds(m, index)
					if first < lastStart {
						t.Fatalf("iteration %d: strategy %d released %q out of order", iter, sk, got)
					}
					if sk == SkipPastLast && i > 0 && first <= lastEnd {
						t.Fatalf("iteration %d: past_last matches overlap: %q", iter, got)
					}
					lastStart, lastEnd = first, last
				}
			}
		}
	}
}

func bounds(m Match, index map[*tev]int) (first, last int) {
	first, last = 1<<30, -1
	for _, s := range m.Steps {
		for _, e := range s.Events {
			i := index[e.Data.(*tev)]
			first = min(first, i)
			last = max(last, i)
		}
	}
	return first, last
}

func subMultiset(sub, all []string) bool {
	count := map[string]int{}
	for _, s := range all {
		count[s]++
	}
	for _, s := range sub {
		if count[s] == 0 {
			return false
		}
		count[s]--
	}
	return true
}

// TestWatermarkChunking checks that extra AdvanceTime calls between events
// (at any watermark not past the next event) change nothing, whatever the
// strategy: deadlines fire in time order.
func TestWatermarkChunking(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for iter := range 2000 * propertyScale {
		elems := randomPattern(r)
		pat := Pattern{Skip: SkipStrategy(r.IntN(3)), Within: int64(2 + r.IntN(6)), WithinGap: r.IntN(2) == 0, Timeouts: true}
		for _, e := range elems {
			pat.Elements = append(pat.Elements, e.element())
		}
		if r.IntN(3) == 0 && !elems[len(elems)-1].optional {
			pat.Elements = append(pat.Elements, Element{Name: "z", Negated: true, Cond: func(c *Context) bool { return c.Event().(*tev).name == "c" }})
		}
		prog, err := Compile(pat)
		if err != nil {
			t.Fatal(err)
		}
		byKey := randomEvents(r, 1)
		a := runKeys(prog, byKey, false, nil)
		b := runKeys(prog, byKey, true, rand.New(rand.NewPCG(uint64(iter), 9)))
		fa, fb := formatAll(prog, a[0]), formatAll(prog, b[0])
		if fa != fb {
			t.Fatalf("iteration %d: pattern %v\nwithout extra watermarks:\n%s\nwith:\n%s", iter, elems, fa, fb)
		}
	}
}

func formatAll(prog *Program, ms []Match) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(formatMatch(prog.steps, m))
		b.WriteByte('\n')
	}
	return b.String()
}
