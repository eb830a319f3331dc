package tables

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/internal/testredis"
	"github.com/redis/go-redis/v9"
)

func startRedis(t *testing.T) (*testredis.Server, *redis.Client) {
	t.Helper()
	srv := testredis.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, MaxRetries: -1, DialTimeout: time.Second})
	t.Cleanup(func() { c.Close() })
	return srv, c
}

// syncBuffer is a log destination safe for the source's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func wait(t *testing.T, src interface{ Wait(context.Context) error }) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := src.Wait(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestRedisSource(t *testing.T) {
	_, c := startRedis(t)
	ctx := context.Background()
	if err := c.HSet(ctx, "merchant_risk",
		"m1", `{"score":0.9,"category":"gambling"}`,
		"m2", `{"merchant":"m2","score":0.1}`, // the key column may be repeated
		"m3", `{"score":"high"}`, // bad: skipped
		"m4", `{"merchant":"other","score":0.5}`, // bad: the key differs
		"m5", `not json`,
	).Err(); err != nil {
		t.Fatal(err)
	}
	var log syncBuffer
	tab := merchantRisk(t)
	src, err := StartRedis(tab, c, RedisOptions{Hash: "merchant_risk", Interval: time.Hour,
		Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	wait(t, src)

	if tab.Len() != 2 {
		t.Fatalf("Len = %d, want 2", tab.Len())
	}
	r := tab.Lookup([]expr.Value{str("m1")})
	if s, _ := r.Float(1); s != 0.9 {
		t.Errorf("m1 score %v", s)
	}
	if c, _ := r.Str(2); c != "gambling" {
		t.Errorf("m1 category %q", c)
	}
	if _, ok := tab.Get(str("m2")).Str(2); ok {
		t.Errorf("m2 category is not null")
	}
	st := src.Stats()
	if st.Loads != 1 || st.Rows != 2 || st.BadRows != 3 || st.LastError != nil {
		t.Errorf("stats %+v", st)
	}
	for _, want := range []string{`field=m3`, `expected a number, got a string`, `field=m4`, `differ from its key`, `field=m5`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}

	// Changes show after a refresh: updates, new rows, deletions.
	c.HSet(ctx, "merchant_risk", "m1", `{"score":0.2}`, "m6", `{"score":1}`)
	c.HDel(ctx, "merchant_risk", "m2", "m3", "m4", "m5")
	if err := src.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if s, _ := tab.Get(str("m1")).Float(1); s != 0.2 {
		t.Errorf("m1 score %v after refresh", s)
	}
	if _, ok := tab.Get(str("m1")).Str(2); ok {
		t.Error("m1 category kept after its row lost it")
	}
	if tab.Get(str("m2")) != nil || tab.Get(str("m6")) == nil || tab.Len() != 2 {
		t.Errorf("after refresh: m2 %v, m6 %v, len %d", tab.Get(str("m2")), tab.Get(str("m6")), tab.Len())
	}
	if st := src.Stats(); st.Loads != 2 || st.BadRows != 0 {
		t.Errorf("stats %+v", st)
	}

	// A hash that is not there gives an empty table, with a warning.
	c.Del(ctx, "merchant_risk")
	if err := src.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 0 || !strings.Contains(log.String(), "does not exist") {
		t.Errorf("len %d; log:\n%s", tab.Len(), log.String())
	}

	// The key holds a string, not a hash: the load fails, the rows stay.
	c.HSet(ctx, "merchant_risk", "m1", `{"score":0.2}`)
	src.Refresh(ctx)
	c.Del(ctx, "merchant_risk")
	c.Set(ctx, "merchant_risk", "x", 0)
	err = src.Refresh(ctx)
	if err == nil || !strings.Contains(err.Error(), "WRONGTYPE") {
		t.Fatalf("Refresh of a string key: %v", err)
	}
	if tab.Len() != 1 || src.Stats().LastError == nil || src.Stats().Failures != 1 {
		t.Errorf("after a failed load: len %d, stats %+v", tab.Len(), src.Stats())
	}
}

// Composite keys are JSON arrays in the hash's fields.
func TestRedisSourceCompositeKey(t *testing.T) {
	_, c := startRedis(t)
	ctx := context.Background()
	c.HSet(ctx, "cards",
		`["411111","DE"]`, `{"limit":500}`, // bin is an int column: a string is bad
		`[411111,"DE"]`, `{"limit":500,"since":"2026-11-27T10:15:00.250Z"}`,
		`[411111, "FR"]`, `{"limit":100,"blocked":true}`,
		`411111,IT`, `{}`)
	tab := cards(t)
	src, err := StartRedis(tab, c, RedisOptions{Hash: "cards", Interval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	wait(t, src)
	if tab.Len() != 2 || src.Stats().BadRows != 2 {
		t.Fatalf("len %d, stats %+v", tab.Len(), src.Stats())
	}
	r := tab.Get(num(411111), str("DE"))
	if v, _ := r.Int(4); v != 1795774500250 {
		t.Errorf("since %d", v)
	}
	if b, _ := tab.Get(num(411111), str("FR")).Bool(3); !b {
		t.Error("FR not blocked")
	}
}

// The background refresh picks up changes; Close stops it.
func TestRedisSourceRefreshes(t *testing.T) {
	_, c := startRedis(t)
	ctx := context.Background()
	c.HSet(ctx, "mr", "m1", `{"score":1}`)
	tab := merchantRisk(t)
	src, err := StartRedis(tab, c, RedisOptions{Hash: "mr", Interval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, src)
	c.HSet(ctx, "mr", "m1", `{"score":2}`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if s, _ := tab.Get(str("m1")).Float(1); s == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the update did not show")
		}
		time.Sleep(5 * time.Millisecond)
	}
	src.Close()
	select {
	case <-src.done:
	default:
		t.Error("the refresh loop runs on after Close")
	}
}

// Redis down at start: Wait reports the error; the source keeps trying and
// is ready once Redis is there. Redis lost later: the rows stay.
func TestRedisSourceUnavailable(t *testing.T) {
	srv, c := startRedis(t)
	ctx := context.Background()
	c.HSet(ctx, "mr", "m1", `{"score":1}`)

	// A client for a port where nothing listens.
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond,
		DialerRetries: 1, DialerRetryTimeout: time.Millisecond})
	defer dead.Close()
	src, err := StartRedis(merchantRisk(t), dead, RedisOptions{Hash: "mr"})
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, time.Second)
	err = src.Wait(wctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("Wait: %v", err)
	}
	if src.Stats().Failures < 2 {
		t.Errorf("not retried: %+v", src.Stats())
	}
	src.Close()
	if err := src.Wait(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Wait after Close: %v", err)
	}

	tab := merchantRisk(t)
	src, err = StartRedis(tab, c, RedisOptions{Hash: "mr", Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	wait(t, src)
	srv.Stop()
	if err := src.Refresh(ctx); err == nil {
		t.Fatal("Refresh with Redis stopped: no error")
	}
	if tab.Get(str("m1")) == nil {
		t.Error("rows lost with Redis")
	}
}

func TestRedisOptions(t *testing.T) {
	if _, err := StartRedis(merchantRisk(t), nil, RedisOptions{}); err == nil {
		t.Error("no hash: no error")
	}
}
