package service

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/config"
)

// BenchmarkCheckpointRestart builds 1 M keys of NFA state (one partial match
// each of `a: e[v == 1] -> b: e[v == 2] within 1h`) by HTTP ingest into a
// running service, then measures, with the state and the ingest log synced
// as in production:
//
//   - checkpoint-ms: Service.Checkpoint of every key (the first after the
//     keys were made), until it is durable: the engine's snapshot, the
//     sinks' flush and the commit (kestrel_checkpoint_duration_seconds).
//     checkpoint+trim-ms is the whole call: the service then trims the 1 M
//     events from the ingest log; -cpu-ms is the process's CPU time in it.
//   - apply-ms: what is left, then, of Badger's background apply of the
//     staged checkpoint into the state keys (state/doc.go), which the next
//     checkpoint or a restore waits for.
//   - restart-ms: Close, then Start on the same directory until the
//     service is ready: the state opened, the checkpoint's 1 M keys
//     restored, the sources started.
//
// ns/op is the call to Checkpoint, apply and restart together.
//
//	go test ./service -run '^$' -bench CheckpointRestart -benchtime 3x
//
// KESTREL_BENCH_KEYS changes the number of keys; KESTREL_BENCH_DATA, a
// directory, keeps the last state there (for timing `kestrel serve --data`).
func BenchmarkCheckpointRestart(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("KESTREL_BENCH_KEYS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	rules := filepath.Join(b.TempDir(), "r.krl")
	err := os.WriteFile(rules, []byte(`stream e (id string, k string, v int, ts time)
  id id
  timestamp ts
rule r
  by k
  pattern a: e[v == 1] -> b: e[v == 2]
  within 1h
`), 0o644)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var ckpt, ckptCall, ckptCPU, apply, restart, restartCPU time.Duration
	for b.Loop() {
		b.StopTimer()
		data := b.TempDir()
		if keep := os.Getenv("KESTREL_BENCH_DATA"); keep != "" {
			os.RemoveAll(keep)
			data = keep
		}
		cfg, err := config.Parse("bench.yaml", fmt.Appendf(nil, "data: %s\nrules: [%s]\ncheckpoint: {interval: 1h}\n", data, rules))
		if err != nil {
			b.Fatal(err)
		}
		s, err := Start(cfg, Options{})
		if err != nil {
			b.Fatal(err)
		}
		ingestKeys(b, s, n)

		b.StartTimer()
		t0, c0, h0 := time.Now(), cpuTime(), checkpointSeconds(b, s)
		if err := s.Checkpoint(context.Background()); err != nil {
			b.Fatal(err)
		}
		t1, c1 := time.Now(), cpuTime()
		// ScanState waits for the background apply.
		if err := s.db.ScanState([]byte{0xff}, func(k, v []byte) error { return nil }); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		// The checkpoint is durable when the service observes its duration;
		// Checkpoint then trims the ingest log.
		ckpt += time.Duration((checkpointSeconds(b, s) - h0) * float64(time.Second))
		ckptCall, ckptCPU, apply = ckptCall+t1.Sub(t0), ckptCPU+c1-c0, apply+t2.Sub(t1)
		b.StopTimer()
		if err := s.Close(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()

		t0, c0 = time.Now(), cpuTime()
		s, err = Start(cfg, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Ready(); err != nil {
			b.Fatal(err)
		}
		restart, restartCPU = restart+time.Since(t0), restartCPU+cpuTime()-c0
		b.StopTimer()
		if keys := stateKeys(b, s); keys < n {
			b.Fatalf("%d state keys, want %d and the engine's own", keys, n)
		}
		if err := s.Close(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	per := float64(b.N) * float64(time.Millisecond)
	b.ReportMetric(float64(ckpt)/per, "checkpoint-ms")
	b.ReportMetric(float64(ckptCall)/per, "checkpoint+trim-ms")
	b.ReportMetric(float64(ckptCPU)/per, "checkpoint+trim-cpu-ms")
	b.ReportMetric(float64(apply)/per, "apply-ms")
	b.ReportMetric(float64(restart)/per, "restart-ms")
	b.ReportMetric(float64(restartCPU)/per, "restart-cpu-ms")
}

// checkpointSeconds is the sum of kestrel_checkpoint_duration_seconds.
func checkpointSeconds(b *testing.B, s *Service) float64 {
	mfs, err := s.reg.Gather()
	if err != nil {
		b.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "kestrel_checkpoint_duration_seconds" {
			return mf.GetMetric()[0].GetHistogram().GetSampleSum()
		}
	}
	b.Fatal("no kestrel_checkpoint_duration_seconds")
	return 0
}

// ingestKeys posts n events with distinct keys and v == 1, 1 ms apart, and
// waits until the engine has taken them all.
func ingestKeys(b *testing.B, s *Service, n int) {
	const batch = 10000
	var body []byte
	const t0 = 1795680000000 // 2026-11-26T08:00:00Z
	for i := 0; i < n; i += batch {
		body = body[:0]
		for j := i; j < min(i+batch, n); j++ {
			body = fmt.Appendf(body, `{"id":"i%d","k":"k%d","v":1,"ts":%d}`+"\n", j, j, t0+int64(j))
		}
		if _, rejects, err := s.Ingest("e", "application/x-ndjson", body); err != nil || len(rejects) > 0 {
			b.Fatalf("ingest: %v %v", err, rejects)
		}
	}
	deadline := time.Now().Add(5 * time.Minute)
	for {
		st, err := s.rt.Stats(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if st.Events == int64(n) {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("the engine took %d of %d events in 5 minutes", st.Events, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stateKeys counts the state keys of the last checkpoint: the keys' NFA
// states and a few of the engine's own.
func stateKeys(b *testing.B, s *Service) int {
	n := 0
	if err := s.db.ScanState(nil, func(k, v []byte) error { n++; return nil }); err != nil {
		b.Fatal(err)
	}
	return n
}
