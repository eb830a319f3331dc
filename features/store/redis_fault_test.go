package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/internal/testredis"
)

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 15s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRedisLostAndBack loses Redis while the store runs: reads answer from
// the local copy, writes queue, the metrics say so; a new redis-server on
// the same port gets the queue drained into it.
func TestRedisLostAndBack(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	reg := prometheus.NewRegistry()
	s := newRedisStore(t, srv.Addr, RedisOptions{Prefix: "k:", Registerer: reg,
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond})
	metric := func(name string) float64 { return gather(t, reg)[name] }
	val := func(i int64) Entry {
		return Entry{Feature: "n", Key: "c1", Value: expr.IntValue(i), AsOf: i, Expires: i + 10}
	}

	mustPut(t, s, val(1), Entry{Feature: "n", Key: "c2", Value: expr.IntValue(20), AsOf: 20, Expires: 30})
	if r := mustGet(t, s, []string{"n"}, []string{"c1"})[0]; r.Local || r.Values[0].Value.I != 1 {
		t.Fatalf("before the loss: %+v", r)
	}

	srv.Stop()

	// Reads still answer, from the local copy, and say so.
	r := mustGet(t, s, []string{"n"}, []string{"c1", "c2", "c3"})
	if !r[0].Local || r[0].Values[0].Value.I != 1 || r[1].Values[0].Value.I != 20 || r[2].Values[0].Found {
		t.Fatalf("reads with Redis lost: %+v", r)
	}
	if got := metric("kestrel_feature_store_fallback_reads_total"); got != 3 {
		t.Errorf("fallback reads = %v, want 3 (keys)", got)
	}
	if got := metric("kestrel_feature_store_redis_up"); got != 0 {
		t.Errorf("redis_up = %v while lost", got)
	}

	// Writes are accepted and queue; newer values of a (feature, key)
	// replace queued ones.
	start := time.Now()
	for i := int64(2); i <= 5; i++ {
		if err := s.Put(ctx, []Entry{val(i), {Feature: "m", Key: "c3", Value: expr.StringValue("x"), AsOf: i, Expires: i}}); err != nil {
			t.Fatalf("Put with Redis lost: %v", err)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("4 Puts with Redis lost took %v", d)
	}
	// (n,c1) and (m,c3), once the flusher is between attempts.
	eventually(t, "2 queued writes", func() bool { return metric("kestrel_feature_store_queued_writes") == 2 })
	if got := mustGet(t, s, []string{"n"}, []string{"c1"})[0].Values[0]; got.Value.I != 5 {
		t.Errorf("read while lost: %+v, want the last write, 5", got)
	}
	// The flusher keeps trying, with backoff.
	eventually(t, "retries counted", func() bool { return metric("kestrel_feature_store_write_errors_total") >= 2 })

	// Redis comes back (empty: it does not persist) on the same port.
	srv = testredis.StartOn(t, srv.Port())
	eventually(t, "queue drained", func() bool {
		m := gather(t, reg)
		return m["kestrel_feature_store_queued_writes"] == 0 && m["kestrel_feature_store_redis_up"] == 1
	})
	c := rawClient(t, srv.Addr)
	h := c.HGetAll(ctx, "k:c1").Val()
	if st, err := decodeRecord(h["n"]); err != nil || st.Value.I != 5 || st.AsOf != 5 {
		t.Errorf("k:c1 n in Redis after the drain: %+v, %v", st, err)
	}
	if st, err := decodeRecord(c.HGet(ctx, "k:c3", "m").Val()); err != nil || st.Value.S != "x" {
		t.Errorf("k:c3 m in Redis after the drain: %+v, %v", st, err)
	}
	if ttl := c.PTTL(ctx, "k:c1").Val(); ttl <= 0 {
		t.Errorf("drained key has TTL %v", ttl)
	}

	// Reads go back to Redis; what only the lost server had is still
	// served from the local copy.
	r = mustGet(t, s, []string{"n"}, []string{"c1", "c2"})
	if r[0].Local || r[0].Values[0].Value.I != 5 || r[1].Values[0].Value.I != 20 {
		t.Errorf("reads after the drain: %+v", r)
	}
	// And writes go straight through again.
	mustPut(t, s, val(6))
	if st, _ := decodeRecord(c.HGet(ctx, "k:c1", "n").Val()); st.Value.I != 6 {
		t.Errorf("a Put after recovery is not in Redis when it returns: %+v", st)
	}
}

// TestRedisQueueBound: with Redis lost, the queue holds at most MaxQueued
// distinct (feature, key); the rest is dropped, reported and counted.
func TestRedisQueueBound(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	reg := prometheus.NewRegistry()
	s := newRedisStore(t, srv.Addr, RedisOptions{Registerer: reg, MaxQueued: 2, MinBackoff: time.Hour})
	srv.Stop()
	err := s.Put(ctx, []Entry{
		{Feature: "f", Key: "a"}, {Feature: "f", Key: "b"}, {Feature: "f", Key: "c"}, {Feature: "g", Key: "a"},
	})
	if !errors.Is(err, ErrQueueFull) {
		t.Fatalf("Put: %v, want ErrQueueFull", err)
	}
	// A newer value of a queued (feature, key) still fits.
	if err := s.Put(ctx, []Entry{{Feature: "f", Key: "a", Value: expr.IntValue(2)}}); err != nil {
		t.Fatalf("overwriting a queued value: %v", err)
	}
	// Once the flusher's attempt has failed (it then sleeps for an hour):
	// (f,a) and (f,b) queued, (f,c) and (g,a) dropped.
	eventually(t, "queue of 2, 2 dropped", func() bool {
		m := gather(t, reg)
		return m["kestrel_feature_store_queued_writes"] == 2 && m["kestrel_feature_store_dropped_writes_total"] == 2
	})
	// The dropped values are still served locally.
	if r := mustGet(t, s, []string{"g"}, []string{"a"})[0]; !r.Local || !r.Values[0].Found {
		t.Errorf("a dropped value is not in the local copy: %+v", r)
	}
}

// TestRedisLocalCopyBound: the local copy keeps at most about MaxLocalKeys keys.
func TestRedisLocalCopyBound(t *testing.T) {
	srv := testredis.Start(t)
	s := newRedisStore(t, srv.Addr, RedisOptions{MaxLocalKeys: 64})
	var es []Entry
	for i := range 1000 {
		es = append(es, Entry{Feature: "f", Key: string(rune('a'+i%26)) + strings.Repeat("x", i/26)})
	}
	mustPut(t, s, es...)
	if n := s.local.Len(); n > 64 || n < 32 {
		t.Errorf("local copy holds %d keys, want at most 64", n)
	}
}

// TestRedisCloseDrains: Close writes what is still queued when Redis is back.
func TestRedisCloseDrains(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	s := newRedisStore(t, srv.Addr, RedisOptions{Prefix: "c:", MinBackoff: time.Hour})
	srv.Stop()
	mustPut(t, s, Entry{Feature: "f", Key: "k", Value: expr.IntValue(7)})
	srv = testredis.StartOn(t, srv.Port()) // the flusher sleeps for an hour
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	st, err := decodeRecord(rawClient(t, srv.Addr).HGet(ctx, "c:k", "f").Val())
	if err != nil || st.Value.I != 7 {
		t.Errorf("after Close: %+v, %v", st, err)
	}
}

// TestRedisCloseLost: Close with Redis gone reports what it could not write.
func TestRedisCloseLost(t *testing.T) {
	srv := testredis.Start(t)
	reg := prometheus.NewRegistry()
	s := newRedisStore(t, srv.Addr, RedisOptions{Registerer: reg, MinBackoff: time.Hour, CloseTimeout: 500 * time.Millisecond})
	srv.Stop()
	mustPut(t, s, Entry{Feature: "f", Key: "k"}, Entry{Feature: "f", Key: "l"})
	err := s.Close()
	if err == nil || !strings.Contains(err.Error(), "2 feature values were not written to redis") {
		t.Errorf("Close: %v", err)
	}
	if got := gather(t, reg)["kestrel_feature_store_dropped_writes_total"]; got != 2 {
		t.Errorf("dropped = %v", got)
	}
}

// TestRedisLostWhileWriting: writers (each owning its keys, as the engine's
// shards do) keep putting increasing values while Redis is lost and comes
// back; once the queue has drained, Redis holds every key's last value:
// no queued value overwrote a newer one.
func TestRedisLostWhileWriting(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	reg := prometheus.NewRegistry()
	s := newRedisStore(t, srv.Addr, RedisOptions{Prefix: "w:", Registerer: reg,
		MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, BatchSize: 1})
	const writers, keysPer = 4, 10
	var stop atomic.Bool
	var progress atomic.Int64
	last := make([]int64, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for r := int64(1); !stop.Load(); r++ {
				var es []Entry
				for k := range keysPer {
					es = append(es, Entry{Feature: "v", Key: fmt.Sprintf("w%d-%d", w, k), Value: expr.IntValue(r), AsOf: r})
				}
				if err := s.Put(ctx, es); err != nil {
					t.Error(err)
					return
				}
				last[w] = r
				progress.Add(1)
			}
		})
	}
	waitProgress := func(n int64) {
		t.Helper()
		target := progress.Load() + n
		eventually(t, "writers' progress", func() bool { return progress.Load() >= target || t.Failed() })
	}
	waitProgress(50)
	srv.Stop()
	waitProgress(200) // written while Redis is lost
	srv = testredis.StartOn(t, srv.Port())
	eventually(t, "redis up again", func() bool { return gather(t, reg)["kestrel_feature_store_redis_up"] == 1 })
	waitProgress(4) // written while the queue drains, 8 values a round
	stop.Store(true)
	wg.Wait()
	eventually(t, "queue drained", func() bool { return gather(t, reg)["kestrel_feature_store_queued_writes"] == 0 })

	c := rawClient(t, srv.Addr)
	for w := range writers {
		for k := range keysPer {
			key := fmt.Sprintf("w%d-%d", w, k)
			st, err := decodeRecord(c.HGet(ctx, "w:"+key, "v").Val())
			if err != nil || st.Value.I != last[w] {
				t.Errorf("%s in Redis: %+v, %v; want the last value written, %d", key, st, err, last[w])
			}
		}
	}
	if m := gather(t, reg); m["kestrel_feature_store_dropped_writes_total"] != 0 {
		t.Errorf("values dropped: %v", m)
	}
}
