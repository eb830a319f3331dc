package engine_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/patterns"
)

// lockedPrinter is a printer for the runtime, whose shards write at once.
type lockedPrinter struct {
	mu sync.Mutex
	p  printer
}

func (l *lockedPrinter) Alert(o string, r *alerts.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.p.Alert(o, r)
}

func (l *lockedPrinter) Late(r *alerts.Late) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.p.Late(r)
}

func (l *lockedPrinter) Window(r *alerts.Window) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.p.Window(r)
}

func (l *lockedPrinter) DeadLetter(r *alerts.DeadLetter) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.p.DeadLetter(r)
}

// TestRuntimeEqualsEngine runs every data-driven case through the service's
// runtime, with three shards and the events in batches of random sizes, and
// requires the same records as the single-goroutine engine, in any order:
// the shards interleave their outputs, but what each writes is the same.
func TestRuntimeEqualsEngine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	forEachCase(t, func(t *testing.T, d *datadriven.TestData, compile func() *patterns.RuleSet) string {
		if got := runRuntime(t, d, compile(), 3, rng); sortedLines(got) != sortedLines(d.Expected) {
			return got
		}
		return ""
	})
}

// forEachCase runs check on every events directive of the data-driven
// files, with a function that compiles the directive's rule set anew on each
// call. check returns "" when the case holds, else what to show instead of
// the expected records. Rule sets that do not compile are left out.
func forEachCase(t *testing.T, check func(t *testing.T, d *datadriven.TestData, compile func() *patterns.RuleSet) string) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		var src string
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "rules":
				src = d.Input
			case "events":
				compile := func() *patterns.RuleSet {
					f, errs := patterns.Parse("rules.krl", []byte(src))
					if len(errs) > 0 {
						return nil
					}
					rs, errs := patterns.Compile([]*patterns.File{f}, patterns.Options{})
					if len(errs) > 0 {
						return nil
					}
					return rs
				}
				if compile() == nil {
					return d.Expected
				}
				if out := check(t, d, compile); out != "" {
					return out
				}
			}
			return d.Expected
		})
	})
}

func sortedLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func runRuntime(t *testing.T, d *datadriven.TestData, rs *patterns.RuleSet, shards int, rng *rand.Rand) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out lockedPrinter
	r, err := engine.NewRuntime(rs, engine.RuntimeOptions{Sink: &out, Shards: shards})
	if err != nil {
		t.Fatal(err)
	}
	r.Start(ctx)
	parts := make([]int, len(rs.Streams))
	for i, s := range rs.Streams {
		if parts[i], _, err = r.AddPartition(ctx, i, "test:"+s.Name, 0, engine.LocalGroup); err != nil {
			t.Fatal(err)
		}
	}
	ins := parseEvents(t, d, rs)
	for len(ins) > 0 {
		// A batch holds consecutive inputs of one stream.
		b := &engine.Batch{Partition: parts[ins[0].stream]}
		n := 0
		for n < len(ins) && ins[n].stream == ins[0].stream && n < 1+rng.IntN(4) {
			if ins[n].dead != nil {
				b.DeadLetters = append(b.DeadLetters, ins[n].dead)
			} else {
				b.Events = append(b.Events, ins[n].ev)
			}
			n++
		}
		ins = ins[n:]
		b.Next = int64(n)
		if err := r.Push(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range parts {
		if err := r.EndPartition(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	return out.p.b.String()
}

// memState is a checkpoint store in memory.
type memState struct {
	meta []byte
	kv   map[string][]byte
}

func (m *memState) Put(k, v []byte) error { m.kv[string(k)] = slices.Clone(v); return nil }
func (m *memState) Delete(k []byte) error { delete(m.kv, string(k)); return nil }

func (m *memState) scan(prefix []byte, fn func(k, v []byte) error) error {
	keys := slices.Sorted(maps.Keys(m.kv))
	for _, k := range keys {
		if strings.HasPrefix(k, string(prefix)) {
			if err := fn([]byte(k), m.kv[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

// TestRuntimeCheckpointRestore runs every data-driven case through a runtime
// that takes checkpoints at random points, and at one of them stops, as a
// crash would, and is replaced by a new runtime restored from the last
// checkpoint and fed the events after it. What was written before the
// checkpoint plus what the new runtime writes must be the engine's records:
// nothing lost, nothing twice.
func TestRuntimeCheckpointRestore(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	forEachCase(t, func(t *testing.T, d *datadriven.TestData, compile func() *patterns.RuleSet) string {
		rs := compile()
		for range 3 {
			if got := runWithCrash(t, d, rs, rng); sortedLines(got) != sortedLines(d.Expected) {
				return got
			}
		}
		return ""
	})
}

func runWithCrash(t *testing.T, d *datadriven.TestData, rs *patterns.RuleSet, rng *rand.Rand) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ins := parseEvents(t, d, rs)
	crashAt := rng.IntN(len(ins) + 1) // inputs before the crash's checkpoint
	store := &memState{kv: map[string][]byte{}}
	var out lockedPrinter
	var kept string // what the first runtime wrote up to its last checkpoint

	start := func(restore bool) (*engine.Runtime, []int) {
		r, err := engine.NewRuntime(rs, engine.RuntimeOptions{Sink: &out, Shards: 1 + rng.IntN(3)})
		if err != nil {
			t.Fatal(err)
		}
		if restore {
			if err := r.Restore(store.meta, store.scan); err != nil {
				t.Fatal(err)
			}
		}
		r.Start(ctx)
		parts := make([]int, len(rs.Streams))
		for i, s := range rs.Streams {
			if parts[i], _, err = r.AddPartition(ctx, i, "test:"+s.Name, 0, engine.LocalGroup); err != nil {
				t.Fatal(err)
			}
		}
		return r, parts
	}
	checkpoint := func(r *engine.Runtime) {
		err := r.Checkpoint(ctx, store, func(meta []byte, _ []engine.PartitionInfo) error {
			store.meta = meta
			out.mu.Lock()
			kept = out.p.b.String()
			out.mu.Unlock()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	push := func(r *engine.Runtime, parts []int, ins []input) {
		for _, in := range ins {
			b := &engine.Batch{Partition: parts[in.stream]}
			if in.dead != nil {
				b.DeadLetters = append(b.DeadLetters, in.dead)
			} else {
				b.Events = append(b.Events, in.ev)
			}
			if err := r.Push(ctx, b); err != nil {
				t.Fatal(err)
			}
			if rng.IntN(4) == 0 {
				checkpoint(r)
			}
		}
	}

	r, parts := start(false)
	push(r, parts, ins[:crashAt])
	checkpoint(r)
	if err := r.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	out.p.b.Reset()
	out.p.b.WriteString(kept)

	r, parts = start(true)
	push(r, parts, ins[crashAt:])
	for _, p := range parts {
		if err := r.EndPartition(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	return out.p.b.String()
}

// TestRuntimeIdleness: a partition without records for the idle timeout no
// longer holds the watermark back; when every partition is idle, the
// watermark stays where it is (it does not jump to +∞ and expire every
// partial match).
func TestRuntimeIdleness(t *testing.T) {
	rs := compileKRL(t, `stream e (id string, v int, ts time)
  id id
  timestamp ts
rule r
  pattern a: e[v == 1] -> b: e[v == 2]
  within 10ms
`)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out lockedPrinter
	r, err := engine.NewRuntime(rs, engine.RuntimeOptions{Sink: &out, Shards: 2, IdleTimeout: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	r.Start(ctx)
	p0, _, _ := r.AddPartition(ctx, 0, "p0", 0, engine.LocalGroup)
	p1, _, _ := r.AddPartition(ctx, 0, "p1", 0, engine.LocalGroup)
	ev := func(id string, v, ts int) *event.Event {
		e := rs.Streams[0].Schema.NewEvent()
		if err := event.NewJSONDecoder(rs.Streams[0].Schema).Decode(fmt.Appendf(nil, `{"id":%q,"v":%d,"ts":%d}`, id, v, ts), e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; output so far:\n%s", what, out.String())
			}
		}
	}
	idle := func(p int) func() bool {
		return func() bool {
			ps, err := r.Partitions(ctx)
			return err == nil && ps[p].Idle
		}
	}
	r.Push(ctx, &engine.Batch{Partition: p0, Events: []*event.Event{ev("a1", 1, 1)}})
	// p1 has never had a record: once idle, p0 alone sets the watermark and
	// a1 is released; then p0 goes idle too.
	waitFor("both partitions idle", func() bool { return idle(p0)() && idle(p1)() })
	// Every input idle: the watermark must not have moved past a1's window.
	r.Push(ctx, &engine.Batch{Partition: p0, Events: []*event.Event{ev("b1", 2, 5)}})
	waitFor("the match a1 b1", func() bool { return strings.Contains(out.String(), "a=[a1] b=[b1]") })
	if err := r.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

func (l *lockedPrinter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.p.b.String()
}

// TestRuntimeSwapKeepsUnchangedRules swaps every data-driven case's rule set
// for a new compilation of the same source at a random point: rules keep
// their versions, so they keep their partial matches, and the records are
// the engine's. The slow path (streams or features changed) moves the
// states through their snapshots; cases with features are left out of it,
// since their windows start empty there.
func TestRuntimeSwapKeepsUnchangedRules(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	forEachCase(t, func(t *testing.T, d *datadriven.TestData, compile func() *patterns.RuleSet) string {
		rs := compile()
		for _, layoutSame := range []bool{true, false} {
			if got := runWithSwap(t, d, rs, compile(), layoutSame, rng); sortedLines(got) != sortedLines(d.Expected) {
				return fmt.Sprintf("layoutSame=%v:\n%s", layoutSame, got)
			}
		}
		return ""
	})
}

func runWithSwap(t *testing.T, d *datadriven.TestData, rs, next *patterns.RuleSet, layoutSame bool, rng *rand.Rand) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out lockedPrinter
	r, err := engine.NewRuntime(rs, engine.RuntimeOptions{Sink: &out, Shards: 1 + rng.IntN(3)})
	if err != nil {
		t.Fatal(err)
	}
	r.Start(ctx)
	parts := make([]int, len(rs.Streams))
	for i, s := range rs.Streams {
		parts[i], _, _ = r.AddPartition(ctx, i, "test:"+s.Name, 0, engine.LocalGroup)
	}
	ins := parseEvents(t, d, rs)
	swapAt := rng.IntN(len(ins) + 1)
	for i, in := range ins {
		if i == swapAt {
			if res, err := r.Swap(ctx, next, layoutSame); err != nil || res.FeaturesReset {
				t.Fatalf("swap to the same source: %+v, %v; every feature should keep its state", res, err)
			}
		}
		b := &engine.Batch{Partition: parts[in.stream]}
		if in.dead != nil {
			b.DeadLetters = append(b.DeadLetters, in.dead)
		} else {
			ev := in.ev
			if i >= swapAt && !layoutSame {
				ev = next.Streams[in.stream].Schema.NewEvent()
				if err := event.NewJSONDecoder(next.Streams[in.stream].Schema).Decode(in.ev.JSON(), ev); err != nil {
					t.Fatal(err)
				}
				ev.Pos = in.ev.Pos
			}
			b.Events = append(b.Events, ev)
		}
		if err := r.Push(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	if swapAt == len(ins) {
		if _, err := r.Swap(ctx, next, layoutSame); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range parts {
		r.EndPartition(ctx, p)
	}
	if err := r.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestRuntimeSwapNewVersion: a new version of a rule starts with no partial
// matches; the swap says how many keys it dropped.
func TestRuntimeSwapNewVersion(t *testing.T) {
	src := `stream e (id string, k string, v int, ts time)
  id id
  timestamp ts
rule r
  by k
  pattern a: e[v == 1] -> b: e[v == 2]
`
	compile := func(version int) *patterns.RuleSet {
		f, _ := patterns.Parse("r.krl", []byte(src))
		rs, errs := patterns.Compile([]*patterns.File{f}, patterns.Options{})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		rs.Rules[0].Version = version
		return rs
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out lockedPrinter
	rs := compile(1)
	r, _ := engine.NewRuntime(rs, engine.RuntimeOptions{Sink: &out, Shards: 2})
	r.Start(ctx)
	p, _, _ := r.AddPartition(ctx, 0, "p", 0, engine.LocalGroup)
	dec := event.NewJSONDecoder(rs.Streams[0].Schema)
	push := func(js string) {
		ev := rs.Streams[0].Schema.NewEvent()
		if err := dec.Decode([]byte(js), ev); err != nil {
			t.Fatal(err)
		}
		r.Push(ctx, &engine.Batch{Partition: p, Events: []*event.Event{ev}})
	}
	push(`{"id":"a1","k":"x","v":1,"ts":1}`)
	push(`{"id":"a2","k":"y","v":1,"ts":2}`)
	res, err := r.Swap(ctx, compile(2), true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Dropped["r"] != 2 || len(res.Kept) != 0 {
		t.Errorf("swap result %+v, want r's 2 keys dropped", res)
	}
	push(`{"id":"b1","k":"x","v":2,"ts":3}`)
	push(`{"id":"a3","k":"x","v":1,"ts":4}`)
	push(`{"id":"b2","k":"x","v":2,"ts":5}`)
	r.EndPartition(ctx, p)
	r.Stop(ctx)
	if got, want := out.String(), "alerts r match \"x\" a=[a3] b=[b2] @5\n"; got != want {
		t.Errorf("after the swap:\n%s\nwant only the match of version 2:\n%s", got, want)
	}
}

// TestRuntimeGroupMoves: the keys of one partition group move from one
// runtime to another (a Kafka rebalance): the first checkpoints and drops
// the group, the second restores it and goes on with its events. Together
// they write what one engine writes for all the events.
func TestRuntimeGroupMoves(t *testing.T) {
	rs := compileKRL(t, `stream e (id string, k int, v int, ts time)
  id id
  timestamp ts
rule r
  by k
  pattern a: e[v == 1] -> b: e[v == 2]{2}
  within 50ms
  timeout emit { n: count(a) }
`)
	rng := rand.New(rand.NewPCG(11, 12))
	dec := event.NewJSONDecoder(rs.Streams[0].Schema)
	type in struct {
		group int32
		ev    *event.Event
	}
	var ins []in
	for i := range 3000 {
		k := rng.IntN(20)
		ev := rs.Streams[0].Schema.NewEvent()
		if err := dec.Decode(fmt.Appendf(nil, `{"id":"e%d","k":%d,"v":%d,"ts":%d}`, i, k, rng.IntN(3), i*3), ev); err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in{int32(k % 2), ev})
	}
	// One engine over everything.
	var want printer
	e, _ := engine.New(rs, engine.Options{Sink: &want})
	p := e.AddPartition(0)
	for _, x := range ins {
		e.Push(p, x.ev)
	}
	e.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out lockedPrinter
	start := func() (*engine.Runtime, [2]int) {
		r, err := engine.NewRuntime(rs, engine.RuntimeOptions{Sink: &out, Shards: 2})
		if err != nil {
			t.Fatal(err)
		}
		r.Start(ctx)
		return r, [2]int{}
	}
	a, pa := start()
	for g := range 2 {
		pa[g], _, _ = a.AddPartition(ctx, 0, fmt.Sprintf("kafka:e/%d", g), 0, int32(g))
	}
	store := &memState{kv: map[string][]byte{}}
	moveAt := len(ins) / 2
	for i, x := range ins[:moveAt] {
		a.Push(ctx, &engine.Batch{Partition: pa[x.group], Events: []*event.Event{x.ev}, Next: int64(i + 1)})
	}
	// Copy the events: the second runtime decodes its own from the checkpoint.
	if err := a.Checkpoint(ctx, store, func([]byte, []engine.PartitionInfo) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := a.DropGroup(ctx, 1); err != nil {
		t.Fatal(err)
	}
	b, pb := start()
	if err := b.RestoreGroup(ctx, 1, store.scan); err != nil {
		t.Fatal(err)
	}
	var from int64
	pb[1], from, _ = b.AddPartition(ctx, 0, "kafka:e/1", 0, 1)
	if from != int64(moveAt) {
		t.Errorf("group 1 resumes at %d, want %d", from, moveAt)
	}
	for i, x := range ins[moveAt:] {
		r, p := a, pa[0]
		if x.group == 1 {
			r, p = b, pb[1]
		}
		r.Push(ctx, &engine.Batch{Partition: p, Events: []*event.Event{x.ev}, Next: int64(moveAt + i + 1)})
	}
	// The end of the input: every partition a runtime has ends, the one that
	// moved away too (a moved partition alone holds nothing back, but does
	// not move time to the end either).
	for _, x := range []struct {
		r  *engine.Runtime
		ps []int
	}{{a, pa[:]}, {b, pb[1:]}} {
		for _, p := range x.ps {
			x.r.EndPartition(ctx, p)
		}
		if err := x.r.Stop(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got, exp := sortedLines(out.String()), sortedLines(want.b.String())
	if strings.Count(exp, "\n") < 20 {
		t.Fatalf("too few records to tell: %s", exp)
	}
	if got != exp {
		t.Errorf("after the move:\n%s\nwant:\n%s", got, exp)
	}
}

// TestRuntimeAllIdleReleases: when every input goes idle at once, what has
// arrived is processed (the watermark is the largest of the idle inputs'),
// as Flink does; before, events waited for the next one.
func TestRuntimeAllIdleReleases(t *testing.T) {
	rs := compileKRL(t, `stream e (id string, v int, ts time)
  id id
  timestamp ts
stream other (id string, ts time)
  id id
  timestamp ts
rule r
  pattern a: e[v == 1] -> b: e[v == 2]
  within 10ms
`)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out lockedPrinter
	r, _ := engine.NewRuntime(rs, engine.RuntimeOptions{Sink: &out, Shards: 1, IdleTimeout: 30 * time.Millisecond})
	r.Start(ctx)
	p0, _, _ := r.AddPartition(ctx, 0, "e", 0, engine.LocalGroup)
	r.AddPartition(ctx, 1, "other", 0, engine.LocalGroup) // never has an event: holds the watermark until idle
	dec := event.NewJSONDecoder(rs.Streams[0].Schema)
	var evs []*event.Event
	for _, js := range []string{`{"id":"a1","v":1,"ts":1}`, `{"id":"b1","v":2,"ts":5}`} {
		ev := rs.Streams[0].Schema.NewEvent()
		dec.Decode([]byte(js), ev)
		evs = append(evs, ev)
	}
	r.Push(ctx, &engine.Batch{Partition: p0, Events: evs})
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(out.String(), "a=[a1] b=[b1]"); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the match waits although every input is idle; output: %q", out.String())
		}
	}
	r.Stop(ctx)
}
