package service

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/kestrelcep/kestrel/config"
	"github.com/kestrelcep/kestrel/internal/testkafka"
)

// BenchmarkKafkaSource pre-produces card payments (the tour's stream, about
// 100 bytes each) to a 6-partition topic of the in-process broker, keyed by
// card, then starts the service with the tour's card-testing rule reading
// that topic as a fresh consumer group, and measures the time until the
// engine has taken every event. The broker shares the two cores with the
// service. events/s is over the whole run from Start (the group join
// included); cpu-ns/event is the process's CPU time over the same span
// (the broker's included) per event.
//
//	go test ./service -run '^$' -bench KafkaSource -benchtime 3x
func BenchmarkKafkaSource(b *testing.B) {
	const parts = 6
	n := 2_000_000
	if s := os.Getenv("KESTREL_BENCH_EVENTS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	cl := testkafka.Start(b, map[string]int{"txn": parts})
	produceCards(b, cl.Brokers, "txn", n)
	rules, err := filepath.Abs("../testdata/tour")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	round := 0
	var wall, join, cpu time.Duration
	for b.Loop() {
		round++
		data := b.TempDir()
		cfg, err := config.Parse("bench.yaml", fmt.Appendf(nil, `data: %s
rules: [%s]
checkpoint: {interval: 10s}
sources:
  txn: {kafka: {brokers: [%s], topic: txn, group: bench-%d}}
outputs:
  alerts: [{file: {path: %s/alerts.jsonl}}]
`, data, rules, cl.Brokers[0], round, data))
		if err != nil {
			b.Fatal(err)
		}
		start, cpu0 := time.Now(), cpuTime()
		s, err := Start(cfg, Options{})
		if err != nil {
			b.Fatal(err)
		}
		deadline := time.Now().Add(3 * time.Minute)
		var first time.Time // when the first events came in: the group joined
		for got := 0.0; got < float64(n); got = eventsIn(b, s) {
			if time.Now().After(deadline) {
				b.Fatalf("%v of %d events in 3 minutes", got, n)
			}
			if got > 0 && first.IsZero() {
				first = time.Now()
				join += first.Sub(start)
			}
			time.Sleep(5 * time.Millisecond)
		}
		// Every event pushed; wait until the engine has taken them all.
		st, err := s.rt.Stats(context.Background())
		if err != nil || st.Events != int64(n) {
			b.Fatalf("engine stats: %d events, %v", st.Events, err)
		}
		wall, cpu = wall+time.Since(start), cpu+cpuTime()-cpu0
		b.StopTimer()
		if err := s.Close(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	events := float64(n) * float64(b.N)
	b.ReportMetric(events/wall.Seconds(), "events/s")
	b.ReportMetric(events/(wall-join).Seconds(), "events/s-after-join")
	b.ReportMetric(float64(join.Milliseconds())/float64(b.N), "join-ms")
	b.ReportMetric(float64(cpu)/events, "cpu-ns/event")
}

// eventsIn is kestrel_events_in_total, summed over the streams.
func eventsIn(b *testing.B, s *Service) float64 {
	mfs, err := s.reg.Gather()
	if err != nil {
		b.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() == "kestrel_events_in_total" {
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

// produceCards writes n payments for the tour's stream, keyed by card, one
// millisecond apart, with a card-testing burst now and then.
func produceCards(b *testing.B, brokers []string, topic string, n int) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	w := &kafka.Writer{
		Addr: kafka.TCP(brokers...), Topic: topic, Balancer: &kafka.Hash{},
		BatchSize: 10000, BatchBytes: 16 << 20, BatchTimeout: time.Millisecond,
		RequiredAcks: kafka.RequireAll,
	}
	defer w.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	msgs := make([]kafka.Message, 0, 60000)
	for i := range n {
		card := rng.IntN(100_000)
		msgs = append(msgs, kafka.Message{
			Key:   fmt.Appendf(nil, "c%d", card),
			Value: cardEvent(nil, rng, i, card),
		})
		if len(msgs) == cap(msgs) || i == n-1 {
			if err := w.WriteMessages(ctx, msgs...); err != nil {
				b.Fatal(err)
			}
			msgs = msgs[:0]
		}
	}
}

// cardEvent appends payment i of card to b: tiny (40%), big (10%) or
// ordinary amounts, 1 ms apart from 2026-11-26 08:00 UTC.
func cardEvent(b []byte, rng *rand.Rand, i, card int) []byte {
	amount := 20 + rng.Float64()*200
	switch r := rng.IntN(10); {
	case r < 4:
		amount = 0.1 + rng.Float64()*1.8
	case r == 4:
		amount = 501 + rng.Float64()*1000
	}
	const t0 = 1795680000000 // 2026-11-26T08:00:00Z
	return fmt.Appendf(b, `{"id":"t%d","card_id":"c%d","amount":%.2f,"merchant":"m%d","ts":%d}`,
		i, card, amount, rng.IntN(30), t0+int64(i))
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
