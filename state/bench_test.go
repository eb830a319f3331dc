package state

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkAppendEvents: HTTP handlers appending batches of 100 events of
// ~200 bytes concurrently, with fsync (the default) and without.
func BenchmarkAppendEvents(b *testing.B) {
	for _, c := range []struct {
		name    string
		noSync  bool
		writers int
	}{
		{"sync/writers=1", false, 1},
		{"sync/writers=16", false, 16},
		{"sync/writers=64", false, 64},
		{"nosync/writers=16", true, 16},
	} {
		b.Run(c.name, func(b *testing.B) {
			db := open(b, "", Options{NoSync: c.noSync})
			batch := make([][]byte, 100)
			for i := range batch {
				batch[i] = fmt.Appendf(nil, `{"card":"c%06d","amount":%d.25,"merchant":"m%04d","ts":"2026-11-02T10:00:00.000Z","country":"DE","channel":"web","mcc":"5411","device":"d-%08d"}`, i, i*7, i%97, i*13)
			}
			b.ReportAllocs()
			b.SetParallelism(max(1, c.writers/2)) // GOMAXPROCS=2
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := db.AppendEvents("txn", batch); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N*len(batch))/time.Since(start).Seconds(), "events/s")
		})
	}
}
