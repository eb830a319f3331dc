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

// stateKV fills key and val for key i of a benchmark's state: 18-byte keys
// and 100-byte values.
func stateKV(key, val []byte, i, round int) ([]byte, []byte) {
	key = fmt.Appendf(key[:0], "rule/r1/k%09d", i)
	val = fmt.Appendf(val[:0], "%08d|%091d", round, i)
	return key, val
}

// BenchmarkCheckpoint: one checkpoint of n changed keys of ~100 bytes.
// ns/op is the whole of it, the background apply of a large one included;
// commit-ms is how long Commit took (what holds the engine up).
func BenchmarkCheckpoint(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			db := open(b, "", Options{})
			var key, val []byte
			id := uint64(0)
			var commit time.Duration
			b.ReportAllocs()
			for b.Loop() {
				id++
				w, err := db.NewCheckpoint(id)
				if err != nil {
					b.Fatal(err)
				}
				for i := range n {
					key, val = stateKV(key, val, i, int(id))
					if err := w.Put(key, val); err != nil {
						b.Fatal(err)
					}
				}
				t0 := time.Now()
				if err := w.Commit([]byte(`{"positions":{}}`)); err != nil {
					b.Fatal(err)
				}
				commit += time.Since(t0)
				if err := db.settle(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "keys/s")
			b.ReportMetric(float64(commit.Milliseconds())/float64(b.N), "commit-ms")
		})
	}
}

// BenchmarkScanState: restoring n keys of ~100 bytes.
func BenchmarkScanState(b *testing.B) {
	const n = 1_000_000
	db := open(b, "", Options{NoSync: true})
	var key, val []byte
	if err := db.WriteCheckpoint(1, nil, func(put func(k, v []byte) error) error {
		for i := range n {
			key, val = stateKV(key, val, i, 1)
			if err := put(key, val); err != nil {
				return err
			}
		}
		return nil
	}, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		count, bytes := 0, 0
		if err := db.ScanState(nil, func(k, v []byte) error {
			count++
			bytes += len(k) + len(v)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if count != n {
			b.Fatalf("scanned %d keys", count)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "keys/s")
}

// BenchmarkAlerts: storing alerts in batches of 10, and reading a page.
func BenchmarkAlerts(b *testing.B) {
	db := open(b, "", Options{})
	mk := func(i int) StoredAlert {
		return StoredAlert{
			ID: fmt.Sprintf("%016x", i), Rule: fmt.Sprintf("rule%d", i%10), Version: 1,
			Key: fmt.Appendf(nil, `"card%d"`, i%1000), Kind: "match", Output: "alerts", Mode: "live",
			Time: int64(1_800_000_000_000 + i), JSON: fmt.Appendf(nil, `{"id":"%016x","payload":"%0300d"}`, i, i),
		}
	}
	b.Run("put/batch=10", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		batch := make([]StoredAlert, 10)
		for b.Loop() {
			for j := range batch {
				batch[j] = mk(i)
				i++
			}
			if err := db.PutAlerts(batch); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "alerts/s")
	})
	for _, q := range []struct {
		name string
		q    AlertQuery
	}{
		{"query/all", AlertQuery{}},
		{"query/rule", AlertQuery{Rule: "rule3"}},
		{"query/key", AlertQuery{Key: []byte(`"card7"`)}},
	} {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := db.QueryAlerts(q.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
