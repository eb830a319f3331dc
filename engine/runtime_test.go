package engine_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/engine"
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
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		var rs *patterns.RuleSet
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "rules":
				f, errs := patterns.Parse("rules.krl", []byte(d.Input))
				if len(errs) == 0 {
					rs, errs = patterns.Compile([]*patterns.File{f}, patterns.Options{})
				}
				if len(errs) > 0 {
					rs = nil
				}
				return d.Expected
			case "events":
				got := runRuntime(t, d, rs, 3, rng)
				if sortedLines(got) == sortedLines(d.Expected) {
					return d.Expected
				}
				return got
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
		if parts[i], err = r.AddPartition(ctx, i, "test:"+s.Name, 0); err != nil {
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
