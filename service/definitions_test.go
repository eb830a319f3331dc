package service

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/config"
	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/state"
)

func TestSplitDecls(t *testing.T) {
	text := `// File head.

stream txn (id string, card_id string, amount float, ts time)
  id id
  timestamp ts   // trailing: stays with txn

/* The spend of a card. */
// Two comments.
feature spend = sum(amount) of txn by card_id over sliding 1h
rule big by card_id pattern b: txn[amount > spend] /* same line */ rule small pattern s: txn[amount < 1]
`
	ds, err := splitDecls("x.krl", text)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ kind, name, src string }{
		{KindStream, "txn", "// File head.\n\nstream txn (id string, card_id string, amount float, ts time)\n  id id\n  timestamp ts   // trailing: stays with txn\n"},
		{KindFeature, "spend", "/* The spend of a card. */\n// Two comments.\nfeature spend = sum(amount) of txn by card_id over sliding 1h\n"},
		{KindRule, "big", "rule big by card_id pattern b: txn[amount > spend] /* same line */\n"},
		{KindRule, "small", "rule small pattern s: txn[amount < 1]\n"},
	}
	if len(ds) != len(want) {
		t.Fatalf("%d declarations, want %d: %+v", len(ds), len(want), ds)
	}
	for i, w := range want {
		if ds[i].id != (defID{w.kind, w.name}) || ds[i].src != w.src {
			t.Errorf("declaration %d: %s %s %q\nwant %s %s %q", i, ds[i].id.kind, ds[i].id.name, ds[i].src, w.kind, w.name, w.src)
		}
	}
	// Each piece is a declaration of its own.
	for _, d := range ds {
		if d.id.kind != KindStream {
			continue
		}
		if _, err := splitDecls("piece.krl", d.src); err != nil {
			t.Errorf("%s does not parse alone: %v", d.id.name, err)
		}
	}
}

// benchService starts a service on a temporary directory with the tour's
// rules and HTTP ingest.
func benchService(tb testing.TB) *Service {
	tb.Helper()
	dir := tb.TempDir()
	cfg := config.Default()
	cfg.Data = filepath.Join(dir, "data")
	cfg.Rules = []string{"../testdata/tour"}
	cfg.Outputs["alerts"][0].File.Path = filepath.Join(dir, "alerts.jsonl")
	cfg.Checkpoint.Interval = time.Hour
	cfg.IdleSourceTimeout = 50 * time.Millisecond
	s, err := Start(cfg, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return s
}

// fillKeys gives card_testing a partial match on each of n cards, pushing
// decoded events straight into the runtime (the HTTP path would measure the
// ingest log instead), and waits until the shards hold them.
func fillKeys(tb testing.TB, s *Service, n int) {
	tb.Helper()
	ctx := context.Background()
	// The HTTP source's partition must be idle first, so that it holds
	// nothing back and the events are released as they come.
	for deadline := time.Now().Add(time.Minute); ; {
		parts, err := s.rt.Partitions(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		if len(parts) == 1 && parts[0].Idle {
			break
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the HTTP partition is not idle: %+v", parts)
		}
		time.Sleep(10 * time.Millisecond)
	}
	st := s.RuleSet().Stream("txn")
	part, _, err := s.rt.AddPartition(ctx, st.Index, "bench:txn", 0, engine.LocalGroup)
	if err != nil {
		tb.Fatal(err)
	}
	dec := event.NewJSONDecoder(st.Schema)
	base := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC).UnixMilli()
	for i := 0; i < n; {
		b := &engine.Batch{Partition: part}
		for ; i < n && len(b.Events) < maxBatch; i++ {
			ev := st.Schema.NewEvent()
			raw := fmt.Appendf(nil, `{"id":"e%d","card_id":"c%d","amount":1.5,"merchant":"m","ts":%d}`, i, i, base+int64(i/1000))
			if err := dec.Decode(raw, ev); err != nil {
				tb.Fatal(err)
			}
			ev.Pos = event.Position{Source: "bench", Offset: int64(i)}
			b.Events = append(b.Events, ev)
		}
		b.Next = int64(i)
		if err := s.rt.Push(ctx, b); err != nil {
			tb.Fatal(err)
		}
	}
	if err := s.rt.EndPartition(ctx, part); err != nil {
		tb.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for {
		stats, err := s.rt.Stats(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		if stats.Events >= int64(n) {
			break
		}
		if time.Now().After(deadline) {
			tb.Fatalf("after 5m the runtime has %d events of %d", stats.Events, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const benchRule = `rule big_spender
  severity low
  by card_id
  pattern b: txn[amount > %d]
`

// TestDeployKeepsOtherRulesState deploys rules next to one holding many keys:
// the other rule keeps its partial matches, and a new version of it drops
// them and says how many.
func TestDeployKeepsOtherRulesState(t *testing.T) {
	s := benchService(t)
	const n = 20000
	fillKeys(t, s, n)
	res, err := s.Deploy(KindRule, "big_spender", fmt.Sprintf(benchRule, 1000), "", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != 1 || len(res.Dropped) != 0 || res.FeaturesReset || !strings.Contains(strings.Join(res.Kept, ","), "card_testing") {
		t.Fatalf("deploy of a new rule: %+v", res)
	}
	cur, err := s.Get(KindRule, "card_testing")
	if err != nil {
		t.Fatal(err)
	}
	// A candidate in shadow runs next to the live version, which keeps its
	// state; promoting the candidate retires the live version and its keys.
	v2 := strings.Replace(cur.Source, "amount > 500", "amount > 400", 1)
	res, err = s.Deploy(KindRule, "card_testing", v2, state.ModeShadow, "test", cur.Version)
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != 2 || res.Previous != 1 || len(res.Dropped) != 0 {
		t.Fatalf("shadow candidate next to the rule with %d keys: version %d, previous %d, dropped %v", n, res.Version, res.Previous, res.Dropped)
	}
	var running []string
	for _, r := range s.RuleSet().Rules {
		if r.Name == "card_testing" {
			running = append(running, fmt.Sprintf("v%d %s→%s", r.Version, r.Mode, r.Output))
		}
	}
	if got := strings.Join(running, ", "); got != "v2 shadow→shadow, v1 live→alerts" && got != "v1 live→alerts, v2 shadow→shadow" {
		t.Fatalf("running versions of card_testing: %s, want v1 live and v2 in shadow", got)
	}
	res, err = s.SetMode("card_testing", state.ModeLive)
	if err != nil {
		t.Fatal(err)
	}
	if res.Dropped["card_testing"] != n {
		t.Fatalf("promoting the candidate: dropped %v, want the live version's %d keys", res.Dropped, n)
	}
}

// BenchmarkDeploy measures a deploy, from the call until it is live on every
// shard, while card_testing holds KESTREL_BENCH_KEYS (default 1,000,000)
// keys of partial matches: a rule (the other rule's states stay where they
// are) and a feature (a new layout: the states are moved through their
// snapshots, and the features start empty).
//
//	go test -run '^$' -bench Deploy -benchtime 20x ./service
func BenchmarkDeploy(b *testing.B) {
	n := 1000000
	if v, err := strconv.Atoi(os.Getenv("KESTREL_BENCH_KEYS")); err == nil && v > 0 {
		n = v
	}
	s := benchService(b)
	fillKeys(b, s, n)
	i := 0
	b.Run("rule", func(b *testing.B) {
		b.ReportAllocs()
		var worst time.Duration
		for b.Loop() {
			i++
			start := time.Now()
			res, err := s.Deploy(KindRule, "big_spender", fmt.Sprintf(benchRule, 1000+i), "", "bench", 0)
			if err != nil {
				b.Fatal(err)
			}
			worst = max(worst, time.Since(start))
			if len(res.Kept) == 0 {
				b.Fatal("card_testing did not keep its state")
			}
		}
		b.ReportMetric(float64(n), "keys")
		b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
	})
	b.Run("feature", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			i++
			res, err := s.Deploy(KindFeature, "card_spend", fmt.Sprintf("feature card_spend = sum(amount) of txn[amount > %d] by card_id over sliding 1h", i), "", "bench", 0)
			if err != nil {
				b.Fatal(err)
			}
			if res.Dropped["card_testing"] != 0 {
				b.Fatalf("feature deploy: %+v", res)
			}
		}
		b.ReportMetric(float64(n), "keys")
	})
}
