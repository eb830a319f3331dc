package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/internal/testredis"
)

var prefixes atomic.Int64

// newRedisStore returns a Redis store on srv with a prefix of its own, so
// that stores of one test do not see each other's keys.
func newRedisStore(t testing.TB, addr string, opts RedisOptions) *Redis {
	t.Helper()
	opts.Addr = addr
	if opts.Prefix == "" {
		opts.Prefix = fmt.Sprintf("t%d:", prefixes.Add(1))
	}
	s, err := NewRedis(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func rawClient(t testing.TB, addr string) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr, DisableIdentity: true})
	t.Cleanup(func() { c.Close() })
	return c
}

func TestRedisStore(t *testing.T) {
	srv := testredis.Start(t)
	testStore(t, func(t *testing.T) Store { return newRedisStore(t, srv.Addr, RedisOptions{}) })
}

// TestRedisLayout pins the layout documented in doc.go: one hash per key,
// <prefix><key>, a field per feature holding the record encoding.
func TestRedisLayout(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	s := newRedisStore(t, srv.Addr, RedisOptions{Prefix: "kestrel:"})
	mustPut(t, s,
		Entry{Feature: "card_spend_1h", Key: "c1", Value: expr.FloatValue(753), AsOf: 1764000300000, Expires: 1764003900000, TTL: time.Hour},
		Entry{Feature: "card_txn_10m", Key: "c1", Value: expr.IntValue(4), AsOf: 1764000300000, Expires: 1764000900000, TTL: 10 * time.Minute},
		Entry{Feature: "card_txn_10m", Key: "c2", Value: expr.IntValue(1), AsOf: 1764000000000, Expires: 1764000600000, TTL: 10 * time.Minute},
	)
	c := rawClient(t, srv.Addr)
	keys, err := c.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	if strings.Join(keys, " ") != "kestrel:c1 kestrel:c2" {
		t.Fatalf("keys %q, want kestrel:c1 kestrel:c2", keys)
	}
	if typ := c.Type(ctx, "kestrel:c1").Val(); typ != "hash" {
		t.Fatalf("kestrel:c1 is a %s", typ)
	}
	h, err := c.HGetAll(ctx, "kestrel:c1").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 {
		t.Fatalf("fields %v", h)
	}
	st, err := decodeRecord(h["card_txn_10m"])
	if err != nil {
		t.Fatal(err)
	}
	if st.Value != expr.IntValue(4) || st.AsOf != 1764000300000 || st.Expires != 1764000900000 {
		t.Fatalf("card_txn_10m decodes to %+v", st)
	}
	// 1 + 6 bytes of AsOf + 3 of the expiry delta + 1 of payload.
	if n := len(h["card_txn_10m"]); n != 11 {
		t.Errorf("an int record takes %d bytes, want 11", n)
	}
	// The key's TTL is the longest of its features'.
	if ttl := c.PTTL(ctx, "kestrel:c1").Val(); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("TTL of kestrel:c1 = %v, want about 1h", ttl)
	}
}

// TestRedisTTL: a write sets the TTL of a new key, only extends that of an
// existing one, and NoExpiry makes the key persistent for good.
func TestRedisTTL(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	c := rawClient(t, srv.Addr)
	s := newRedisStore(t, srv.Addr, RedisOptions{Prefix: "p:", TTL: 2 * time.Hour})
	pttl := func(key string) time.Duration {
		t.Helper()
		d, err := c.PTTL(ctx, "p:"+key).Result()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	put := func(f, k string, ttl time.Duration) {
		t.Helper()
		mustPut(t, s, Entry{Feature: f, Key: k, Value: expr.IntValue(1), TTL: ttl})
	}
	near := func(got, want time.Duration) bool { return got <= want && got > want-time.Minute }

	put("f10m", "a", 10*time.Minute)
	if d := pttl("a"); !near(d, 10*time.Minute) {
		t.Errorf("new key: TTL %v, want 10m", d)
	}
	put("f7d", "a", 7*24*time.Hour)
	if d := pttl("a"); !near(d, 7*24*time.Hour) {
		t.Errorf("after a longer feature: TTL %v, want 7d", d)
	}
	put("f10m", "a", 10*time.Minute)
	if d := pttl("a"); !near(d, 7*24*time.Hour) {
		t.Errorf("a shorter feature shortened the TTL to %v", d)
	}
	put("f", "b", 0)
	if d := pttl("b"); !near(d, 2*time.Hour) {
		t.Errorf("TTL 0: %v, want the store's 2h", d)
	}
	put("global", "c", NoExpiry)
	put("f10m", "c", 10*time.Minute)
	if d := pttl("c"); d != -1 {
		t.Errorf("a key holding a NoExpiry feature has TTL %v, want none (-1)", d)
	}
	put("f10m", "d", 10*time.Minute)
	put("global", "d", NoExpiry)
	if d := pttl("d"); d != -1 {
		t.Errorf("NoExpiry after a TTL: %v, want none (-1)", d)
	}
}

func TestRedisUnreachableAtStart(t *testing.T) {
	srv := testredis.Start(t)
	srv.Stop() // a port where nothing listens
	start := time.Now()
	_, err := NewRedis(context.Background(), RedisOptions{Addr: srv.Addr})
	if err == nil {
		t.Fatal("NewRedis succeeded with Redis stopped")
	}
	if !errors.Is(err, ErrUnreachable) {
		t.Errorf("error %v does not wrap ErrUnreachable", err)
	}
	want := "redis at " + srv.Addr + " is unreachable: dial tcp " + srv.Addr + ": connect: connection refused"
	if err.Error() != want {
		t.Errorf("error %q\nwant      %q", err, want)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("NewRedis took %v to fail", d)
	}
}

// TestRedisReadsOwnQueuedWrites: values written by this instance are
// served even when Redis holds an older value (or none).
func TestRedisReadsNewerLocal(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	a := newRedisStore(t, srv.Addr, RedisOptions{Prefix: "shared:"})
	b := newRedisStore(t, srv.Addr, RedisOptions{Prefix: "shared:"})
	mustPut(t, a, Entry{Feature: "f", Key: "k", Value: expr.IntValue(1), AsOf: 100, Expires: 200})
	// Another instance writes a newer value: it wins over a's local copy.
	mustPut(t, b, Entry{Feature: "f", Key: "k", Value: expr.IntValue(2), AsOf: 150, Expires: 250})
	if got := mustGet(t, a, []string{"f"}, []string{"k"})[0].Values[0]; got.Value.I != 2 {
		t.Errorf("a reads %+v, want b's newer value 2", got)
	}
	// Redis loses the key (expiry, flush): a still serves what it wrote.
	rawClient(t, srv.Addr).Del(ctx, "shared:k")
	if got := mustGet(t, a, []string{"f"}, []string{"k"})[0]; got.Values[0].Value.I != 1 || got.Local {
		t.Errorf("a reads %+v, want its own value 1, not marked Local", got)
	}
}

// TestRedisPermanentError: a key of the layout that holds something else
// fails the write and the read with Redis's error, and is counted.
func TestRedisPermanentError(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	reg := prometheus.NewRegistry()
	s := newRedisStore(t, srv.Addr, RedisOptions{Prefix: "p:", Registerer: reg})
	rawClient(t, srv.Addr).Set(ctx, "p:bad", "a string", 0)
	err := s.Put(ctx, []Entry{
		{Feature: "f", Key: "good", Value: expr.IntValue(1)},
		{Feature: "f", Key: "bad", Value: expr.IntValue(2)},
	})
	if err == nil || !strings.Contains(err.Error(), "WRONGTYPE") || !strings.Contains(err.Error(), `"p:bad"`) {
		t.Errorf("Put: %v, want a WRONGTYPE error naming p:bad", err)
	}
	if got := mustGet(t, s, []string{"f"}, []string{"good"})[0].Values[0]; got.Value.I != 1 {
		t.Errorf("the good key of the batch: %+v", got)
	}
	if _, err := s.Get(ctx, []string{"f"}, []string{"bad"}); err == nil || !strings.Contains(err.Error(), "WRONGTYPE") {
		t.Errorf("Get: %v, want WRONGTYPE", err)
	}
	if s.down.Load() {
		t.Error("a WRONGTYPE answer marked Redis unreachable")
	}
	m := gather(t, reg)
	if m["kestrel_feature_store_dropped_writes_total"] != 1 || m["kestrel_feature_store_write_errors_total"] != 1 {
		t.Errorf("metrics %v", m)
	}
}

// gather returns the value of each metric of reg (without labels).
func gather(t testing.TB, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]float64{}
	for _, mf := range mfs {
		for _, mt := range mf.GetMetric() {
			switch {
			case mt.GetCounter() != nil:
				m[mf.GetName()] = mt.GetCounter().GetValue()
			case mt.GetGauge() != nil:
				m[mf.GetName()] = mt.GetGauge().GetValue()
			}
		}
	}
	return m
}

func TestRedisMetricsRegistration(t *testing.T) {
	srv := testredis.Start(t)
	reg := prometheus.NewRegistry()
	newRedisStore(t, srv.Addr, RedisOptions{Registerer: reg})
	m := gather(t, reg)
	for _, name := range []string{
		"kestrel_feature_store_write_errors_total",
		"kestrel_feature_store_dropped_writes_total",
		"kestrel_feature_store_fallback_reads_total",
		"kestrel_feature_store_queued_writes",
		"kestrel_feature_store_redis_up",
	} {
		if _, ok := m[name]; !ok {
			t.Errorf("%s is not registered", name)
		}
	}
	if m["kestrel_feature_store_redis_up"] != 1 {
		t.Errorf("redis_up = %v", m["kestrel_feature_store_redis_up"])
	}
	// A second store on the same registry is refused, not a panic.
	if _, err := NewRedis(context.Background(), RedisOptions{Addr: srv.Addr, Registerer: reg}); err == nil {
		t.Error("a second registration succeeded")
	}
}

// TestRedisCallerContext: a caller's cancelled context fails its lookup
// without marking Redis down; a Put with one is still written, by the
// flusher.
func TestRedisCallerContext(t *testing.T) {
	srv := testredis.Start(t)
	s := newRedisStore(t, srv.Addr, RedisOptions{Prefix: "ctx:"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Get(ctx, []string{"f"}, []string{"k"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled context: %v", err)
	}
	if err := s.Put(ctx, []Entry{{Feature: "f", Key: "k", Value: expr.IntValue(3)}}); err != nil {
		t.Errorf("Put with a cancelled context: %v", err)
	}
	if s.down.Load() {
		t.Error("a cancelled context marked Redis down")
	}
	c := rawClient(t, srv.Addr)
	eventually(t, "the value written by the flusher", func() bool {
		st, err := decodeRecord(c.HGet(context.Background(), "ctx:k", "f").Val())
		return err == nil && st.Value.I == 3
	})
}
