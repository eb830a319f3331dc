package nfa

import (
	"cmp"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// The benchmark workload: card testing. Small amounts (a, then b{3,}) followed
// by a big one (c, whose condition reads the partial match), within 10
// minutes, skip past_last, over 100k cards.
//
//	go test ./nfa -run '^$' -bench Process -benchtime 3000000x -cpu 1
//	go test ./nfa -run '^$' -bench KeyMemory -benchtime 1x

type benchTxn struct {
	amount  float64
	country uint8
}

const (
	benchKeys   = 100_000
	benchEvents = 1 << 20
	benchWindow = 10 * 60 * 1000
)

func benchProgram(tb testing.TB) *Program {
	small := func(c *Context) bool { return c.Event().(*benchTxn).amount < 2 }
	big := func(c *Context) bool {
		t := c.Event().(*benchTxn)
		// reads the partial match, as `country != last(small).country` would
		n := c.Len(1)
		return t.amount > 500 && n > 0 && c.At(1, n-1).(*benchTxn).country != t.country
	}
	prog, err := Compile(Pattern{
		Elements: []Element{
			{Name: "a", Cond: small},
			{Name: "b", Cond: small, Quant: &Quantifier{Min: 3, Max: -1}},
			{Name: "c", Cond: big},
		},
		Within: benchWindow,
		Skip:   SkipPastLast,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return prog
}

type benchEvent struct {
	key int32
	ev  Event
}

// benchWorkload is an hour of traffic over the keys: background
// transactions at random (8% small amounts, 2% big), and now and then a
// card-testing burst: 3 to 8 small amounts seconds apart, then often a big
// one. Events are about 3.4 ms apart; a card sees one every 6 minutes on
// average.
func benchWorkload() []benchEvent {
	r := rand.New(rand.NewPCG(7, 7))
	type gen struct {
		t   int64
		key int32
		txn benchTxn
	}
	const hour = 3600_000
	gens := make([]gen, 0, benchEvents)
	for len(gens) < benchEvents {
		if r.IntN(1000) < 2 { // a burst
			k := int32(r.IntN(benchKeys))
			t := r.Int64N(hour)
			for range 3 + r.IntN(6) {
				gens = append(gens, gen{t, k, benchTxn{amount: r.Float64() * 2, country: uint8(r.IntN(4))}})
				t += 1000 + r.Int64N(30_000)
			}
			if r.IntN(3) > 0 {
				gens = append(gens, gen{t, k, benchTxn{amount: 600 + r.Float64()*900, country: uint8(r.IntN(4))}})
			}
			continue
		}
		amt := 10 + 190*r.Float64()
		switch x := r.Float64(); {
		case x < 0.08:
			amt = r.Float64() * 2
		case x < 0.10:
			amt = 501 + 1000*r.Float64()
		}
		gens = append(gens, gen{r.Int64N(hour), int32(r.IntN(benchKeys)), benchTxn{amount: amt, country: uint8(r.IntN(4))}})
	}
	gens = gens[:benchEvents]
	slices.SortStableFunc(gens, func(a, b gen) int { return cmp.Compare(a.t, b.t) })
	evs := make([]benchEvent, benchEvents)
	txns := make([]benchTxn, benchEvents)
	for i, g := range gens {
		txns[i] = g.txn
		evs[i] = benchEvent{key: g.key, ev: Event{Time: g.t, Seq: uint64(i), Data: &txns[i]}}
	}
	return evs
}

func BenchmarkProcess(b *testing.B) {
	prog := benchProgram(b)
	evs := benchWorkload()
	states := make([]*State, benchKeys)
	for i := range states {
		states[i] = prog.NewState()
	}
	var out Output
	matches, dropped := 0, 0
	const span = 3600_000
	step := func(i int) {
		e := &evs[i%benchEvents]
		ev := e.ev
		ev.Time += int64(i/benchEvents) * span
		ev.Seq += uint64(i/benchEvents) * benchEvents
		out.Reset()
		states[e.key].Process(ev, &out)
		matches += len(out.Matches)
		dropped += out.Dropped
	}
	// warm up: every key has seen traffic, pools and scratch are grown
	for i := range benchEvents {
		step(i)
	}
	i := benchEvents
	matches = 0
	b.ReportAllocs()
	for b.Loop() {
		step(i)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(matches)*1e6/float64(b.N), "matches/Mevent")
	live := 0
	for _, st := range states {
		if !st.Empty() {
			live++
		}
	}
	b.ReportMetric(float64(live), "live-keys")
	if dropped > 0 {
		b.Fatalf("%d partial matches dropped", dropped)
	}
}

// BenchmarkKeyMemory reports the memory of an idle key and of a key holding
// one partial match (one event taken), measured over 100k keys.
func BenchmarkKeyMemory(b *testing.B) {
	prog := benchProgram(b)
	var out Output
	for b.Loop() {
		idle := heapDelta(func() any {
			states := make([]*State, benchKeys)
			for i := range states {
				states[i] = prog.NewState()
			}
			return states
		})
		one := heapDelta(func() any {
			states := make([]*State, benchKeys)
			for i := range states {
				states[i] = prog.NewState()
				states[i].Process(Event{Time: 1, Seq: uint64(i), Data: &benchTxn{amount: 1}}, &out)
			}
			return states
		})
		payload := heapDelta(func() any {
			p := make([]*benchTxn, benchKeys)
			for i := range p {
				p[i] = &benchTxn{amount: 1}
			}
			return p
		})
		b.ReportMetric(idle/benchKeys, "B/idle-key")
		b.ReportMetric((one-payload)/benchKeys, "B/key-1-partial")
	}
}

// heapDelta is the live heap that what f returns holds (the slice of
// pointers included).
func heapDelta(f func() any) float64 {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	v := f()
	runtime.GC()
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(v)
	return float64(m1.HeapAlloc) - float64(m0.HeapAlloc)
}
