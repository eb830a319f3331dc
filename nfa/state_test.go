package nfa

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func mustCompile(t testing.TB, src string, p Pattern) *Program {
	t.Helper()
	elems, err := parsePattern(src)
	if err != nil {
		t.Fatal(err)
	}
	p.Elements = elems
	prog, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

func ev(name string, t int64, seq uint64) Event {
	return Event{Time: t, Seq: seq, Data: &tev{label: fmt.Sprint(name, seq), name: name, time: t}}
}

func TestDefaults(t *testing.T) {
	var p Pattern
	if p.Skip != SkipPastLast {
		t.Fatal("the zero SkipStrategy must be past_last")
	}
	prog := mustCompile(t, "a[name==a] -> b[name==b]", Pattern{})
	if prog.maxPartials != 10000 {
		t.Errorf("default MaxPartials = %d, want 10000", prog.maxPartials)
	}
	if got := fmt.Sprint(prog.Steps()); got != "[a b]" {
		t.Errorf("Steps() = %s", got)
	}
	s := prog.Steps()
	s[0] = "x"
	if prog.Steps()[0] != "a" {
		t.Error("Steps() exposes the program's slice")
	}
}

func TestStepsNumberedDepthFirst(t *testing.T) {
	prog := mustCompile(t, "a -> (b -> (c -> d){2})+ -> not e -> f", Pattern{})
	if got := fmt.Sprint(prog.Steps()); got != "[a b c d e f]" {
		t.Errorf("Steps() = %s", got)
	}
}

func TestCompileErrorsAreSentinels(t *testing.T) {
	_, err := Compile(Pattern{Elements: []Element{
		{Name: "a", Negated: true},
		{Name: "b", Quant: &Quantifier{Min: 2, Max: 1}},
		{Name: "b"},
	}})
	for _, want := range []error{ErrNegatedFirst, ErrQuantifierBounds, ErrDuplicateStep} {
		if !errors.Is(err, want) {
			t.Errorf("error %v does not wrap %v", err, want)
		}
	}
	if _, err := Compile(Pattern{}); !errors.Is(err, ErrEmptyPattern) {
		t.Errorf("empty pattern: %v", err)
	}
	if _, err := Compile(Pattern{Elements: []Element{{Name: "a"}, {Group: []Element{}}, {Name: "b"}}}); err != nil {
		// an Element with an empty Group is a step without a name
		if !errors.Is(err, ErrStepName) {
			t.Errorf("empty group: %v", err)
		}
	}
	if _, err := Compile(Pattern{Within: -1, Elements: []Element{{Name: "a"}}}); !errors.Is(err, ErrNegativeWithin) {
		t.Errorf("negative within: %v", err)
	}
}

func TestNextTimerAndEmpty(t *testing.T) {
	prog := mustCompile(t, "a[name==a] -> b[name==b]", Pattern{Within: 10, Timeouts: true})
	st := prog.NewState()
	var out Output
	if !st.Empty() {
		t.Fatal("a new state is not empty")
	}
	if _, ok := st.NextTimer(); ok {
		t.Fatal("a new state has a timer")
	}
	st.Process(ev("x", 1, 1), &out)
	if !st.Empty() || st.m != nil {
		t.Fatal("an event no run takes left memory behind")
	}
	st.Process(ev("a", 5, 2), &out)
	st.Process(ev("a", 7, 3), &out)
	if tm, ok := st.NextTimer(); !ok || tm != 15 {
		t.Fatalf("NextTimer = %d, %v; want 15", tm, ok)
	}
	out.Reset()
	st.AdvanceTime(14, &out)
	if len(out.Matches) != 0 {
		t.Fatalf("timeout before its time: %v", out.Matches)
	}
	st.AdvanceTime(15, &out)
	if len(out.Matches) != 1 || !out.Matches[0].Timeout || out.Matches[0].Time != 15 {
		t.Fatalf("at 15: %+v", out.Matches)
	}
	if tm, ok := st.NextTimer(); !ok || tm != 17 {
		t.Fatalf("NextTimer = %d, %v; want 17", tm, ok)
	}
	out.Reset()
	st.AdvanceTime(100, &out)
	if len(out.Matches) != 1 || out.Matches[0].Time != 17 {
		t.Fatalf("at 100: %+v", out.Matches)
	}
	if !st.Empty() || st.m != nil {
		t.Fatal("state not empty after every run expired")
	}
	if _, ok := st.NextTimer(); ok {
		t.Fatal("an empty state has a timer")
	}
}

func TestNoWindowNoTimer(t *testing.T) {
	prog := mustCompile(t, "a[name==a] -> b[name==b]", Pattern{})
	st := prog.NewState()
	var out Output
	st.Process(ev("a", 1, 1), &out)
	if _, ok := st.NextTimer(); ok {
		t.Fatal("no window, yet a timer")
	}
	if st.Empty() {
		t.Fatal("a partial match, yet empty")
	}
	st.Process(ev("b", 2, 2), &out)
	if !st.Empty() {
		t.Fatal("not empty after the match")
	}
}

// TestMaxPartialsBounded feeds a pattern whose runs multiply with every event
// and checks the bound holds, is counted, and nothing crashes.
func TestMaxPartialsBounded(t *testing.T) {
	prog := mustCompile(t, "a ~> b+ combinations ~> c", Pattern{MaxPartials: 50, Skip: NoSkip})
	st := prog.NewState()
	var out Output
	dropped := 0
	for i := range 200 {
		out.Reset()
		st.Process(ev("x", int64(i), uint64(i)), &out)
		dropped += out.Dropped
		if n := len(st.m.runs) + len(st.m.held); n > 50 {
			t.Fatalf("after %d events: %d partial matches", i+1, n)
		}
	}
	if dropped == 0 {
		t.Fatal("nothing dropped")
	}
}

func TestSharedBufferStoresEventsOnce(t *testing.T) {
	// Runs share events: 4 events, many runs, 4 stored events.
	prog := mustCompile(t, "a ~> b ~> c", Pattern{Skip: NoSkip})
	st := prog.NewState()
	var out Output
	for i := range 4 {
		st.Process(ev("x", int64(i), uint64(i)), &out)
	}
	if st.m.liveEvs != 4 {
		t.Fatalf("%d events stored, want 4", st.m.liveEvs)
	}
	if len(st.m.runs) <= 3 {
		t.Fatalf("only %d runs", len(st.m.runs))
	}
}

// TestMatchDoesNotAliasBuffer checks that a Match stays valid after the key
// moves on and its memory is reused.
func TestMatchDoesNotAliasBuffer(t *testing.T) {
	prog := mustCompile(t, "a[name==a] -> b[name==b]", Pattern{})
	st := prog.NewState()
	var out Output
	st.Process(ev("a", 1, 1), &out)
	st.Process(ev("b", 2, 2), &out)
	m := out.Matches[0]
	for i := range 10 {
		st.Process(ev("a", int64(3+2*i), uint64(3+2*i)), &out)
		st.Process(ev("b", int64(4+2*i), uint64(4+2*i)), &out)
	}
	if got := formatMatch(prog.steps, m); got != "match@2 a[a1] b[b2]" {
		t.Fatalf("first match changed: %s", got)
	}
}

// TestContextIterative checks Len/At/EventAt over a partial match.
func TestContextIterative(t *testing.T) {
	var seen []string
	p := Pattern{Skip: NoSkip, Elements: []Element{
		{Name: "a", Cond: func(c *Context) bool { return c.Event().(*tev).name == "a" }},
		{Name: "b", Quant: &Quantifier{Min: 1, Max: -1}, Cond: func(c *Context) bool {
			if c.Event().(*tev).name != "b" {
				return false
			}
			s := fmt.Sprintf("t=%d a=%d b=%d", c.Time(), c.Len(0), c.Len(1))
			for i := range c.Len(1) {
				s += " " + c.At(1, i).(*tev).label
				if c.EventAt(1, i).Time == 0 {
					s += "?"
				}
			}
			if c.Len(7) != 0 || c.At(1, 99) != nil || c.At(-1, 0) != nil {
				s += " out-of-range"
			}
			seen = append(seen, s)
			return true
		}},
	}}
	prog, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	st := prog.NewState()
	var out Output
	st.Process(ev("a", 1, 1), &out)
	st.Process(ev("b", 2, 2), &out)
	st.Process(ev("b", 3, 3), &out)
	want := "[t=2 a=1 b=0 t=3 a=1 b=1 b2]"
	if got := fmt.Sprint(seen); got != want {
		t.Fatalf("conditions saw %s, want %s", got, want)
	}
}

// TestPureConditionsEvaluatedOncePerEvent checks the memoization of
// conditions that do not read the partial match.
func TestPureConditionsEvaluatedOncePerEvent(t *testing.T) {
	calls := 0
	isB := func(c *Context) bool { calls++; return c.Event().(*tev).name == "b" }
	prog, err := Compile(Pattern{Skip: NoSkip, Elements: []Element{
		{Name: "a", Cond: func(c *Context) bool { return c.Event().(*tev).name == "a" }},
		{Name: "b", Contiguity: NonDeterministic, Cond: isB},
	}})
	if err != nil {
		t.Fatal(err)
	}
	st := prog.NewState()
	var out Output
	for i := range 10 {
		st.Process(ev("a", int64(i), uint64(i)), &out)
	}
	calls = 0
	st.Process(ev("x", 20, 20), &out)
	if calls != 1 {
		t.Fatalf("the b condition ran %d times for one event over 10 runs", calls)
	}
}

func ExampleCompile() {
	type txn struct{ amount float64 }
	small := func(c *Context) bool { return c.Event().(*txn).amount < 2 }
	big := func(c *Context) bool { return c.Event().(*txn).amount > 500 }
	prog, err := Compile(Pattern{
		Elements: []Element{
			{Name: "small", Cond: small, Quant: &Quantifier{Min: 3, Max: -1}},
			{Name: "big", Contiguity: Relaxed, Cond: big},
		},
		Within: 10 * 60 * 1000, // 10m
		// Skip: the zero value is past_last
	})
	if err != nil {
		panic(err)
	}
	st := prog.NewState() // one per key
	var out Output
	for i, amount := range []float64{1, 1.5, 0.5, 30, 1, 900} {
		out.Reset()
		st.Process(Event{Time: int64(i) * 1000, Seq: uint64(i), Data: &txn{amount}}, &out)
		for _, m := range out.Matches {
			for _, s := range m.Steps {
				fmt.Print(prog.Steps()[s.Step], ":")
				for _, e := range s.Events {
					fmt.Print(" ", e.Data.(*txn).amount)
				}
				fmt.Print("; ")
			}
			fmt.Println("at", m.Time)
		}
	}
	fmt.Println("empty:", st.Empty())
	// Output:
	// small: 1 1.5 0.5 1; big: 900; at 5000
	// empty: true
}

// TestProgramSharedByGoroutines runs one Program from several goroutines,
// each with its own States and Output, and compares with a sequential run.
// Run with -race.
func TestProgramSharedByGoroutines(t *testing.T) {
	prog := mustCompile(t, "a[name==a] -> b[name==b]{2,} -> c[name==c && count(b) > 2]", Pattern{Within: 20, Timeouts: true})
	names := []string{"a", "b", "b", "c", "x"}
	events := func(g int) []Event {
		var evs []Event
		for i := range 2000 {
			evs = append(evs, ev(names[(i*7+g)%len(names)], int64(i), uint64(i)))
		}
		return evs
	}
	run := func(g int) string {
		states := make([]*State, 10)
		for i := range states {
			states[i] = prog.NewState()
		}
		var out Output
		var b strings.Builder
		for i, e := range events(g) {
			out.Reset()
			states[i%10].Process(e, &out)
			for _, m := range out.Matches {
				b.WriteString(formatMatch(prog.steps, m))
				b.WriteByte('\n')
			}
		}
		return b.String()
	}
	want := make([]string, 4)
	for g := range want {
		want[g] = run(g)
	}
	got := make([]string, 4)
	var wg sync.WaitGroup
	for g := range got {
		wg.Go(func() { got[g] = run(g) })
	}
	wg.Wait()
	for g := range got {
		if got[g] != want[g] {
			t.Errorf("goroutine %d differs from the sequential run", g)
		}
		if want[g] == "" {
			t.Errorf("goroutine %d: no matches; the test tests nothing", g)
		}
	}
}
