package source

import (
	"context"
	"fmt"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/internal/testkafka"
	"github.com/segmentio/kafka-go"
)

// BenchmarkKafkaConsume consumes 1 M small messages (transactions of about
// 120 bytes) from 6 partitions of the in-process broker, which shares the
// cores with the consumer, as a fresh group each time: the handler only
// counts. Its events/s is the source's ceiling for the service.
//
//	go test ./source -run '^$' -bench KafkaConsume -benchtime 3x
func BenchmarkKafkaConsume(b *testing.B) {
	const parts, n = 6, 1_000_000
	cl := testkafka.Start(b, map[string]int{"txn": parts})
	produceTxns(b, cl.Brokers, "txn", parts, n)
	for _, tc := range []struct {
		name string
		opt  KafkaOptions
	}{
		{"default", KafkaOptions{}},                     // queue 1024, fetch ≤ 1 MiB
		{"queue=100", KafkaOptions{QueueCapacity: 100}}, // kafka-go's default
		{"queue=4096", KafkaOptions{QueueCapacity: 4096}},
		{"fetch=256KiB", KafkaOptions{MaxBytes: 256 << 10}},
		{"fetch=4MiB", KafkaOptions{MaxBytes: 4 << 20}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			group := 0
			cpu0 := cpuTime()
			for b.Loop() {
				group++
				consumeAll(b, cl.Brokers, tc.opt, fmt.Sprintf("bench-%s-%d", tc.name, group), n)
			}
			events := float64(n) * float64(b.N)
			b.ReportMetric(events/b.Elapsed().Seconds(), "events/s")
			// CPU time (user+system, of the whole process: the broker's
			// too) per event: on a shared machine, wall time depends on
			// the neighbours; 2e9 / this is the rate two free cores give.
			b.ReportMetric(float64(cpuTime()-cpu0)/events, "cpu-ns/event")
		})
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// consumeAll reads n messages as a new group, and stops.
func consumeAll(b *testing.B, brokers []string, opt KafkaOptions, group string, n int64) {
	var count [64]struct {
		n atomic.Int64
		_ [56]byte
	}
	var total atomic.Int64
	done := make(chan struct{})
	opt.Brokers, opt.Topic, opt.Group = brokers, "txn", group
	k, err := NewKafka(opt, KafkaHandler{
		OnRecord: func(ctx context.Context, rec Record) error {
			if c := count[rec.Partition%64].n.Add(1); c%1024 == 0 {
				if total.Add(1024) >= n {
					select {
					case <-done:
					default:
						close(done)
					}
				}
			}
			return nil
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- k.Run(ctx) }()
	timeout := time.After(2 * time.Minute)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
wait:
	for {
		select {
		case <-done:
			break wait
		case <-tick.C: // the remainders below 1024 per partition
			var sum int64
			for i := range count {
				sum += count[i].n.Load()
			}
			if sum >= n {
				break wait
			}
		case <-timeout:
			b.Fatalf("consumed %d of %d messages in 2 minutes", total.Load(), n)
		}
	}
	cancel()
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
}

// produceTxns writes n transaction-like JSON messages round-robin over the
// partitions.
func produceTxns(b *testing.B, brokers []string, topic string, parts, n int) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	w := &kafka.Writer{
		Addr: kafka.TCP(brokers...), Topic: topic,
		Balancer:  &kafka.RoundRobin{},
		BatchSize: 10000, BatchBytes: 16 << 20, BatchTimeout: time.Millisecond,
		RequiredAcks: kafka.RequireAll,
	}
	defer w.Close()
	msgs := make([]kafka.Message, 0, 60000)
	for i := range n {
		msgs = append(msgs, kafka.Message{
			Key:   fmt.Appendf(nil, "c%d", i%10007),
			Value: fmt.Appendf(nil, `{"id":"t%d","card":"c%d","merchant":"m%d","amount":%d.25,"ts":%d}`, i, i%10007, i%997, i%5000, 1793526400000+int64(i)),
		})
		if len(msgs) == cap(msgs) || i == n-1 {
			if err := w.WriteMessages(ctx, msgs...); err != nil {
				b.Fatal(err)
			}
			msgs = msgs[:0]
		}
	}
}
