package replay

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/patterns"
)

// writeBenchEvents writes n transactions over 5k cards, a few of them card
// testing, to a JSONL file (once per path) and returns the path.
func writeBenchEvents(tb testing.TB, n int) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("kestrel-bench-%d.jsonl", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(1, 2))
	countries := []string{"NL", "DE", "FR", "BE", "US", "BR"}
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	for i := range n {
		card := rng.IntN(5000)
		amount := 5 + rng.Float64()*200
		switch r := rng.IntN(100); {
		case r < 8:
			amount = rng.Float64() * 2
		case r < 10:
			amount = 500 + rng.Float64()*1000
		}
		ts := t0 + int64(i)*20 - int64(rng.IntN(1000)) // 50 events/s, up to 1s out of order
		fmt.Fprintf(w, `{"id":"t%d","card_id":"c%05d","amount":%.2f,"country":"%s","merchant":"m%d","ts":%d}`+"\n",
			i, card, amount, countries[rng.IntN(len(countries))], rng.IntN(500), ts)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		tb.Fatal(err)
	}
	return path
}

type discard struct{ n int }

func (d *discard) Alert(string, *alerts.Record) error  { d.n++; return nil }
func (d *discard) Late(*alerts.Late) error             { return nil }
func (d *discard) Window(*alerts.Window) error         { return nil }
func (d *discard) DeadLetter(*alerts.DeadLetter) error { return nil }

// BenchmarkReplayJSONL replays 500k JSONL events through one 3-step rule
// (testdata/bench/card_testing.krl). The events are written once to
// $TMPDIR/kestrel-bench-500000.jsonl, where `kestrel replay` can read them too.
func BenchmarkReplayJSONL(b *testing.B) {
	const n = 500_000
	path := writeBenchEvents(b, n)
	rs, err := patterns.Load([]string{"../testdata/bench/card_testing.krl"}, patterns.Options{})
	if err != nil {
		b.Fatal(err)
	}
	info, _ := os.Stat(path)
	b.SetBytes(info.Size())
	b.ReportAllocs()
	var alerts int
	for b.Loop() {
		sink := &discard{}
		stats, err := Run(rs, []Input{{Path: path}}, Options{Sink: sink})
		if err != nil {
			b.Fatal(err)
		}
		if stats.Events != n {
			b.Fatalf("replayed %d events, want %d", stats.Events, n)
		}
		alerts = sink.n
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(alerts), "alerts")
}

// BenchmarkBacktestHandbook replays the handbook dataset (1.75 M CSV rows,
// see /work/shared/data/README.md; KESTREL_HANDBOOK names another copy)
// through a one-step rule, without and with scoring against is_fraud.
func BenchmarkBacktestHandbook(b *testing.B) {
	path := os.Getenv("KESTREL_HANDBOOK")
	if path == "" {
		path = "../../shared/data/handbook-transactions.csv.gz"
	}
	if _, err := os.Stat(path); err != nil {
		b.Skipf("no handbook dataset: %v", err)
	}
	f, errs := patterns.Parse("big.krl", []byte(`
stream txn (id int, ts time, customer_id int, terminal_id int, amount float, is_fraud bool, fraud_scenario int)
  id id
  timestamp ts
rule big by customer_id pattern a: txn[amount > 220]
`))
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	rs, errs := patterns.Compile([]*patterns.File{f}, patterns.Options{})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	inputs := []Input{{Path: path}}
	for _, label := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "label"}[label], func(b *testing.B) {
			b.ReportAllocs()
			var events int64
			for b.Loop() {
				opts := Options{Sink: &discard{}}
				var sc *Scorer
				if label {
					var err error
					if sc, err = NewScorer(rs, inputs, "is_fraud"); err != nil {
						b.Fatal(err)
					}
					opts.Sink, opts.Observe = sc.Wrap(opts.Sink), sc.Observe
				}
				stats, err := Run(rs, inputs, opts)
				if err != nil {
					b.Fatal(err)
				}
				if sc != nil && sc.Scores(stats).Labelled == 0 {
					b.Fatal("nothing labelled")
				}
				events = stats.Events
			}
			b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkBacktestHandbookPack is `kestrel replay --label is_fraud` of the
// handbook rule pack (testdata/handbook/pack.krl) over the handbook dataset:
// the performance target (3 s on 2 cores).
func BenchmarkBacktestHandbookPack(b *testing.B) {
	path := os.Getenv("KESTREL_HANDBOOK")
	if path == "" {
		path = "../../shared/data/handbook-transactions.csv.gz"
	}
	if _, err := os.Stat(path); err != nil {
		b.Skipf("no handbook dataset: %v", err)
	}
	rs, err := patterns.Load([]string{"../testdata/handbook/pack.krl"}, patterns.Options{})
	if err != nil {
		b.Fatal(err)
	}
	inputs := []Input{{Path: path}}
	b.ReportAllocs()
	var events int64
	for b.Loop() {
		sc, err := NewScorer(rs, inputs, "is_fraud")
		if err != nil {
			b.Fatal(err)
		}
		stats, err := Run(rs, inputs, Options{Sink: sc.Wrap(&discard{}), Observe: sc.Observe})
		if err != nil {
			b.Fatal(err)
		}
		if sc.Scores(stats).Labelled == 0 {
			b.Fatal("nothing labelled")
		}
		events = stats.Events
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
