package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/internal/testredis"
)

// Benchmarks; the numbers and the commands that produced them are in
// doc.go. Run them on a quiet machine:
//
//	go test -run XXX -bench Embedded -count 5 ./features/store/
//	go test -run XXX -bench Redis -count 5 ./features/store/

var benchFeatures = []string{"card_spend_1h", "card_txn_10m", "card_countries_24h", "card_last_country", "card_txn_1d"}

func benchKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("card-%08d", i)
	}
	return keys
}

func benchEntries(keys []string, round int) []Entry {
	es := make([]Entry, 0, len(keys)*len(benchFeatures))
	for _, k := range keys {
		for f, name := range benchFeatures {
			v := expr.IntValue(int64(round + f))
			if f == 3 {
				v = expr.StringValue("FR")
			}
			es = append(es, Entry{Feature: name, Key: k, Value: v, AsOf: 1764000000000 + int64(round), Expires: 1764003600000 + int64(round), TTL: time.Hour})
		}
	}
	return es
}

func fillEmbedded(b *testing.B, s *Embedded, keys []string) {
	for start := 0; start < len(keys); start += 1000 {
		if err := s.Put(context.Background(), benchEntries(keys[start:min(start+1000, len(keys))], 0)); err != nil {
			b.Fatal(err)
		}
	}
}

// queryKeys returns n keys drawn at random from keys, laid out one after
// the other in one string, so that reading them in order costs the caller
// no cache misses (as a key just parsed from a request would): what is
// measured is the store's own memory accesses.
func queryKeys(keys []string, n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	picks := make([]string, n)
	for i := range picks {
		picks[i] = keys[r.IntN(len(keys))]
		b.WriteString(picks[i])
	}
	all := b.String()
	out := make([]string, n)
	off := 0
	for i, p := range picks {
		out[i] = all[off : off+len(p)]
		off += len(p)
	}
	return out
}

// cpuTime returns the CPU time the process has used, in ns: on a shared
// machine, cpu-ns/op (which counts memory stalls and the garbage
// collector's work, not the time other processes hold the cores) is the
// steadier measure.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkEmbeddedGet: one feature of one key (the API's GET
// .../values/{key}) out of 1k and 100k keys × 5 features, target ≤ 1 µs;
// 100 keys × 5 features; and point lookups on both cores while a writer
// puts batches without pause, with one lock (shards=1) and with 32.
func BenchmarkEmbeddedGet(b *testing.B) {
	ctx := context.Background()
	feat := benchFeatures[2:3]
	for _, n := range []int{1000, 100_000} {
		keys := benchKeys(n)
		s := NewEmbedded(EmbeddedOptions{})
		fillEmbedded(b, s, keys)
		q := queryKeys(keys, 1<<16)
		b.Run(fmt.Sprintf("point/keys=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			i := 0
			for b.Loop() {
				k := i & (len(q) - 1)
				res, err := s.Get(ctx, feat, q[k:k+1])
				if err != nil || !res[0].Values[0].Found {
					b.Fatal(err, res)
				}
				i++
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
	keys := benchKeys(100_000)
	q := queryKeys(keys, 1<<16)
	for _, shards := range []int{1, 32} {
		s := NewEmbedded(EmbeddedOptions{Shards: shards})
		fillEmbedded(b, s, keys)
		if shards == 32 {
			b.Run("100keysx5/keys=100000", func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					k := (i * 100) % (len(q) - 100)
					if _, err := s.Get(ctx, benchFeatures, q[k:k+100]); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
		b.Run(fmt.Sprintf("point-parallel-with-writer/shards=%d", shards), func(b *testing.B) {
			b.ReportAllocs()
			var stop atomic.Bool
			var wg sync.WaitGroup
			var writes atomic.Int64
			wg.Go(func() {
				for r := 0; !stop.Load(); r++ {
					start := (r * 100) % (len(keys) - 100)
					s.Put(ctx, benchEntries(keys[start:start+100], r))
					writes.Add(500)
				}
			})
			var seed atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				i := int(seed.Add(1) * 7919)
				for pb.Next() {
					k := i & (len(q) - 1)
					if _, err := s.Get(ctx, feat, q[k:k+1]); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
			stop.Store(true)
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
			b.ReportMetric(float64(writes.Load())/b.Elapsed().Seconds(), "writes/s")
		})
	}
}

// BenchmarkEmbeddedPut: batches of 100 keys × 5 features over 100k keys.
func BenchmarkEmbeddedPut(b *testing.B) {
	ctx := context.Background()
	keys := benchKeys(100_000)
	s := NewEmbedded(EmbeddedOptions{})
	fillEmbedded(b, s, keys)
	batches := make([][]Entry, 100)
	for i := range batches {
		batches[i] = benchEntries(keys[i*1000:i*1000+100], i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := s.Put(ctx, batches[i%len(batches)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N*500)/b.Elapsed().Seconds(), "values/s")
}

// BenchmarkEmbeddedSaveTo: a checkpoint of 10k changed keys (of 100k) to Badger.
func BenchmarkEmbeddedSaveTo(b *testing.B) {
	ctx := context.Background()
	keys := benchKeys(100_000)
	s := NewEmbedded(EmbeddedOptions{})
	fillEmbedded(b, s, keys)
	db := openBadger(b, b.TempDir())
	defer db.Close()
	if _, err := s.SaveTo(db); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	r := 0
	for b.Loop() {
		b.StopTimer()
		r++
		for start := 0; start < 10_000; start += 1000 {
			off := (r * 10_000) % len(keys)
			s.Put(ctx, benchEntries(keys[off+start:off+start+1000], r))
		}
		b.StartTimer()
		n, err := s.SaveTo(db)
		if err != nil || n != 10_000 {
			b.Fatal(n, err)
		}
	}
	b.ReportMetric(float64(b.N*10_000)/b.Elapsed().Seconds(), "keys/s")
}

// BenchmarkRedisGet: 100 keys × 5 features in one pipelined call, on
// loopback; target ≤ 2 ms.
func BenchmarkRedisGet(b *testing.B) {
	srv := testredis.Start(b)
	ctx := context.Background()
	s := newRedisStore(b, srv.Addr, RedisOptions{MaxLocalKeys: 1})
	keys := benchKeys(10_000)
	for start := 0; start < len(keys); start += 1000 {
		if err := s.Put(ctx, benchEntries(keys[start:start+1000], 0)); err != nil {
			b.Fatal(err)
		}
	}
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("%dkeysx5", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				start := (i * 100) % (len(keys) - n)
				res, err := s.Get(ctx, benchFeatures, keys[start:start+n])
				if err != nil || !res[n-1].Values[4].Found {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N*n*len(benchFeatures))/b.Elapsed().Seconds(), "values/s")
		})
	}
}

// BenchmarkRedisPut: pipelined writes of batches of keys × 5 features.
func BenchmarkRedisPut(b *testing.B) {
	srv := testredis.Start(b)
	ctx := context.Background()
	s := newRedisStore(b, srv.Addr, RedisOptions{})
	keys := benchKeys(100_000)
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("%dkeysx5", n), func(b *testing.B) {
			batches := make([][]Entry, 20)
			for i := range batches {
				off := (i * n) % (len(keys) - n)
				batches[i] = benchEntries(keys[off:off+n], i)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := s.Put(ctx, batches[i%len(batches)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N*n*len(benchFeatures))/b.Elapsed().Seconds(), "values/s")
		})
	}
}
