package engine_test

import (
	"fmt"
	"testing"

	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/patterns"
)

// compile builds a rule set from KRL text.
func compile(t testing.TB, src string, opts patterns.Options) *patterns.RuleSet {
	t.Helper()
	f, errs := patterns.Parse("test.krl", []byte(src))
	if len(errs) == 0 {
		var rs *patterns.RuleSet
		rs, errs = patterns.Compile([]*patterns.File{f}, opts)
		if len(errs) == 0 {
			return rs
		}
	}
	t.Fatal(errs)
	return nil
}

func push(t testing.TB, e *engine.Engine, rs *patterns.RuleSet, part int, line string) {
	t.Helper()
	ev := rs.Streams[0].Schema.NewEvent()
	if err := event.NewJSONDecoder(rs.Streams[0].Schema).Decode([]byte(line), ev); err != nil {
		t.Fatal(err)
	}
	if err := e.Push(part, ev); err != nil {
		t.Fatal(err)
	}
}

// The bound on partial matches per key is counted, and matches that do start
// still complete: reaching it is never a crash.
func TestPartialMatchBound(t *testing.T) {
	rs := compile(t, `
stream e (id string, k string, v int, ts time) id id timestamp ts
rule r by k pattern a: e[v == 1] -> b: e[v == 2] within 1h skip no_skip
`, patterns.Options{MaxPartials: 3})
	var out printer
	e, err := engine.New(rs, engine.Options{Sink: &out})
	if err != nil {
		t.Fatal(err)
	}
	p := e.AddPartition(0)
	for i := range 10 {
		push(t, e, rs, p, fmt.Sprintf(`{"id":"a%d","k":"x","v":1,"ts":%d}`, i, i))
	}
	push(t, e, rs, p, `{"id":"b","k":"x","v":2,"ts":100}`)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if got := e.Stats().Dropped; got != 7 {
		t.Errorf("dropped %d partial matches, want 7", got)
	}
	want := "alerts r match \"x\" a=[a0] b=[b] @100\nalerts r match \"x\" a=[a1] b=[b] @100\nalerts r match \"x\" a=[a2] b=[b] @100\n"
	if got := out.b.String(); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
}

// A key whose partial matches all end holds no state.
func TestIdleKeysAreDropped(t *testing.T) {
	rs := compile(t, `
stream e (id string, k string, v int, ts time) id id timestamp ts
rule r by k pattern a: e[v == 1] -> b: e[v == 2] within 10ms
`, patterns.Options{})
	e, err := engine.New(rs, engine.Options{Sink: &printer{}})
	if err != nil {
		t.Fatal(err)
	}
	p := e.AddPartition(0)
	for i := range 1000 {
		push(t, e, rs, p, fmt.Sprintf(`{"id":"a%d","k":"k%d","v":1,"ts":%d}`, i, i, i))
	}
	if got := e.Keys(); got == 0 || got > 11 {
		t.Errorf("%d keys live; within 10ms at one event per ms keeps about 10", got)
	}
	push(t, e, rs, p, `{"id":"z","k":"z","v":0,"ts":5000}`)
	if got := e.Keys(); got != 0 {
		t.Errorf("%d keys live after every run expired, want 0", got)
	}
}
