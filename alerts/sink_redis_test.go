package alerts

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/internal/testredis"
	"github.com/redis/go-redis/v9"
)

func TestRedisStreamSink(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	sink, err := NewRedisStreamSink(RedisStreamOptions{Addr: srv.Addr, Stream: "kestrel:alerts"})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	msgs := lines("alerts", 0, 5)
	msgs = append(msgs, Message{Output: "windows", JSON: []byte(`{"feature":"f"}`)})
	if err := sink.Write(ctx, msgs[:2]); err != nil {
		t.Fatal(err)
	}
	if err := sink.Write(ctx, msgs[2:]); err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer c.Close()
	entries, err := c.XRange(ctx, "kestrel:alerts", "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(msgs) {
		t.Fatalf("the stream has %d entries, want %d", len(entries), len(msgs))
	}
	for i, e := range entries {
		if e.Values["record"] != string(msgs[i].JSON) {
			t.Errorf("entry %d: record = %v, want %s", i, e.Values["record"], msgs[i].JSON)
		}
		id, has := e.Values["id"]
		if msgs[i].ID == "" && has || msgs[i].ID != "" && id != msgs[i].ID {
			t.Errorf("entry %d: id = %v, want %q", i, id, msgs[i].ID)
		}
		if n := len(e.Values); n != 2 && msgs[i].ID != "" || n != 1 && msgs[i].ID == "" {
			t.Errorf("entry %d has fields %v", i, e.Values)
		}
	}
}

func TestRedisStreamSinkMaxLen(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	sink, err := NewRedisStreamSink(RedisStreamOptions{Addr: srv.Addr, Stream: "w", MaxLen: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	for i := range 20 {
		if err := sink.Write(ctx, lines("windows", i*100, i*100+100)); err != nil {
			t.Fatal(err)
		}
	}
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer c.Close()
	n, err := c.XLen(ctx, "w").Result()
	if err != nil {
		t.Fatal(err)
	}
	// MAXLEN ~ trims whole nodes (100 entries by default): about 10, well under 2000.
	if n < 10 || n > 300 {
		t.Errorf("XLEN = %d after 2000 XADDs with MAXLEN ~ 10", n)
	}
	last, err := c.XRevRangeN(ctx, "w", "+", "-", 1).Result()
	if err != nil || len(last) != 1 || last[0].Values["record"] != `{"n":1999}` {
		t.Errorf("last entry = %v, %v", last, err)
	}
}

// TestRedisStreamSinkOutage: through a Router, records written while Redis
// is down reach the stream once it is back, each once and in order.
func TestRedisStreamSinkOutage(t *testing.T) {
	srv := testredis.Start(t)
	ctx := context.Background()
	sink, err := NewRedisStreamSink(RedisStreamOptions{Addr: srv.Addr, Stream: "s", DialTimeout: 200 * time.Millisecond, IOTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	m, reg := newMetrics(t)
	r, err := NewRouter([]Route{{Outputs: []string{"alerts"}, Sink: sink}}, RouterOptions{MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Write(ctx, lines("alerts", 0, 3)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	port := srv.Port()
	srv.Stop()
	if err := r.Write(ctx, lines("alerts", 3, 6)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a failure to be counted", func() bool {
		return metricValue(t, reg, "kestrel_sink_failures_total", map[string]string{"sink": "redis:s"}) >= 1
	})
	srv = testredis.StartOn(t, port) // a new, empty Redis where the old one was
	fctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := r.Flush(fctx); err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer c.Close()
	entries, err := c.XRange(ctx, "s", "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprint(e.Values["id"]))
	}
	if want := idRange(3, 6); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after the outage the stream has %v, want %v", got, want)
	}
	if got := metricValue(t, reg, "kestrel_sink_retries_total", map[string]string{"sink": "redis:s"}); got < 1 {
		t.Errorf("retries = %v, want some", got)
	}
}
