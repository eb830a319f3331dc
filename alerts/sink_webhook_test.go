package alerts

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hook is a webhook receiver: it answers with respond's status (0: drop the
// connection) and keeps the bodies it accepted.
type hook struct {
	mu       sync.Mutex
	got      []string // ids of accepted requests, in order
	bodies   []string
	requests atomic.Int64
	respond  func(n int64, id string) int // n counts requests from 1
	srv      *httptest.Server
	badReq   atomic.Value // a string describing a malformed request
}

func newHook(t *testing.T, respond func(n int64, id string) int) *hook {
	t.Helper()
	h := &hook{respond: respond}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := h.requests.Add(1)
		body, _ := io.ReadAll(r.Body)
		id := r.Header.Get("X-Kestrel-Id")
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Kestrel-Output") == "" {
			h.badReq.Store(r.Method + " " + r.Header.Get("Content-Type"))
		}
		status := h.respond(n, id)
		if status == 0 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		if status == http.StatusOK {
			h.mu.Lock()
			h.got = append(h.got, id)
			h.bodies = append(h.bodies, string(body))
			h.mu.Unlock()
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hook) ids() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.got)
}

func (h *hook) check(t *testing.T) {
	t.Helper()
	if v := h.badReq.Load(); v != nil {
		t.Errorf("malformed request: %v", v)
	}
}

func fastWebhook(url string, m *SinkMetrics) WebhookOptions {
	return WebhookOptions{URL: url, Name: "hook", MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Metrics: m}
}

func TestWebhookRetries(t *testing.T) {
	ctx := context.Background()
	h := newHook(t, func(n int64, _ string) int {
		if n <= 3 {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	m, reg := newMetrics(t)
	w, err := NewWebhookSink(fastWebhook(h.srv.URL, m))
	if err != nil {
		t.Fatal(err)
	}
	msgs := lines("alerts", 0, 5)
	if err := w.Write(ctx, msgs); err != nil {
		t.Fatal(err)
	}
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := w.Flush(fctx); err != nil {
		t.Fatal(err)
	}
	if got, want := h.ids(), idRange(0, 5); !slices.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
	for i, b := range h.bodies {
		if b != string(msgs[i].JSON) {
			t.Errorf("body %d = %q, want %q", i, b, msgs[i].JSON)
		}
	}
	h.check(t)
	for name, want := range map[string]float64{"kestrel_sink_failures_total": 3, "kestrel_sink_retries_total": 3, "kestrel_sink_dropped_total": 0, "kestrel_sink_queue_length": 0} {
		if got := metricValue(t, reg, name, map[string]string{"sink": "hook"}); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if got := metricValue(t, reg, "kestrel_sink_records_total", map[string]string{"sink": "hook", "output": "alerts"}); got != 5 {
		t.Errorf("records = %v, want 5", got)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(ctx, msgs); !errors.Is(err, ErrClosed) {
		t.Fatalf("Write after Close: err = %v, want ErrClosed", err)
	}
}

// TestWebhookDown: while the receiver is down Write only queues, until the
// queue is full; when it comes back, everything is delivered, in order.
func TestWebhookDown(t *testing.T) {
	ctx := context.Background()
	var down atomic.Bool
	down.Store(true)
	h := newHook(t, func(int64, string) int {
		if down.Load() {
			return 0
		}
		return http.StatusOK
	})
	m, reg := newMetrics(t)
	opts := fastWebhook(h.srv.URL, m)
	opts.QueueSize = 3
	w, err := NewWebhookSink(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for i := range 3 {
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := w.Write(wctx, lines("alerts", i, i+1))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "failures to be counted", func() bool {
		return metricValue(t, reg, "kestrel_sink_retries_total", map[string]string{"sink": "hook"}) >= 2
	})
	if got := metricValue(t, reg, "kestrel_sink_queue_length", map[string]string{"sink": "hook"}); got != 3 {
		t.Errorf("queue length = %v, want 3", got)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	err = w.Write(short, lines("alerts", 3, 4))
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Write to a full queue: err = %v, want a deadline", err)
	}
	short, cancel = context.WithTimeout(ctx, 50*time.Millisecond)
	err = w.Flush(short)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Flush while down: err = %v, want a deadline", err)
	}
	if got := h.ids(); len(got) != 0 {
		t.Fatalf("delivered %v while down", got)
	}

	down.Store(false)
	if err := w.Write(ctx, lines("alerts", 3, 4)); err != nil {
		t.Fatal(err)
	}
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := w.Flush(fctx); err != nil {
		t.Fatal(err)
	}
	if got, want := h.ids(), idRange(0, 4); !slices.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
	h.check(t)
	if got := metricValue(t, reg, "kestrel_sink_dropped_total", map[string]string{"sink": "hook"}); got != 0 {
		t.Errorf("dropped = %v, want 0", got)
	}
	if got := metricValue(t, reg, "kestrel_sink_queue_length", map[string]string{"sink": "hook"}); got != 0 {
		t.Errorf("queue length = %v, want 0", got)
	}
}

// TestWebhookGivesUp: a 4xx is not retried; MaxRetries bounds the retries of
// a 5xx. Both drop the record, counted, and go on with the next.
func TestWebhookGivesUp(t *testing.T) {
	ctx := context.Background()
	h := newHook(t, func(_ int64, id string) int {
		switch id {
		case "id1":
			return http.StatusBadRequest
		case "id3":
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	m, reg := newMetrics(t)
	opts := fastWebhook(h.srv.URL, m)
	opts.MaxRetries = 2
	w, err := NewWebhookSink(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(ctx, lines("alerts", 0, 5)); err != nil {
		t.Fatal(err)
	}
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := w.Flush(fctx); err != nil {
		t.Fatal(err)
	}
	if got, want := h.ids(), []string{"id0", "id2", "id4"}; !slices.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
	if n := h.requests.Load(); n != 3+1+3 {
		t.Errorf("%d requests, want 7 (3 accepted, 1 rejected, 1+2 retries failing)", n)
	}
	for name, want := range map[string]float64{"kestrel_sink_failures_total": 4, "kestrel_sink_retries_total": 2, "kestrel_sink_dropped_total": 2} {
		if got := metricValue(t, reg, name, map[string]string{"sink": "hook"}); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestWebhookCloseWhileDown: Close gives up after CloseTimeout and reports
// the records it could not deliver.
func TestWebhookCloseWhileDown(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	m, reg := newMetrics(t)
	opts := fastWebhook(url, m)
	opts.CloseTimeout = 50 * time.Millisecond
	w, err := NewWebhookSink(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(context.Background(), lines("alerts", 0, 3)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := w.Close(); err == nil {
		t.Fatal("Close reported no loss")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Close took %v", d)
	}
	if got := metricValue(t, reg, "kestrel_sink_dropped_total", map[string]string{"sink": "hook", "output": "alerts"}); got != 3 {
		t.Errorf("dropped = %v, want 3", got)
	}
}

// TestRouterWebhook: through a Router, a webhook that fails at first holds
// back neither the other sinks nor the Flush beyond its delivery.
func TestRouterWebhook(t *testing.T) {
	ctx := context.Background()
	var up atomic.Bool
	h := newHook(t, func(int64, string) int {
		if up.Load() {
			return http.StatusOK
		}
		return http.StatusBadGateway
	})
	m, _ := newMetrics(t)
	w, err := NewWebhookSink(fastWebhook(h.srv.URL, m))
	if err != nil {
		t.Fatal(err)
	}
	var store recorder
	r, err := NewRouter([]Route{
		{Outputs: []string{"shadow"}, Sink: w},
		{Name: "store", Outputs: []string{"shadow"}, Sink: SinkFunc(store.write)},
	}, RouterOptions{Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Write(ctx, lines("shadow", 0, 4)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the store to get every record", func() bool { return len(store.ids()) == 4 })
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	_, err = r.Flush(short)
	cancel()
	if err == nil {
		t.Fatal("Flush succeeded with the webhook failing")
	}
	up.Store(true)
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := r.Flush(fctx); err != nil {
		t.Fatal(err)
	}
	if got, want := h.ids(), idRange(0, 4); !slices.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
	if p := r.Pending(); p["hook"] != 0 || p["store"] != 0 {
		t.Errorf("Pending = %v", p)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestRouterWebhookBarrier: a Barrier's Wait waits for the webhook to deliver
// the records before the mark, not those after it.
func TestRouterWebhookBarrier(t *testing.T) {
	ctx := context.Background()
	release := make(chan struct{})
	var once sync.Once
	open := func() { once.Do(func() { close(release) }) }
	h := newHook(t, func(_ int64, id string) int {
		if id >= "id3" {
			<-release
		}
		return http.StatusOK
	})
	w, err := NewWebhookSink(fastWebhook(h.srv.URL, nil))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRouter([]Route{{Outputs: []string{"alerts"}, Sink: w}}, RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer open() // before the server's Close, which waits for its handlers
	if err := r.Write(ctx, lines("alerts", 0, 3)); err != nil {
		t.Fatal(err)
	}
	b := r.Barrier()
	if err := r.Write(ctx, lines("alerts", 3, 6)); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := b.Wait(wctx); err != nil {
		t.Fatal(err)
	}
	if got := h.ids(); !slices.Equal(got, idRange(0, 3)) {
		t.Errorf("delivered at the barrier: %v, want %v", got, idRange(0, 3))
	}
	open()
	if _, err := r.Flush(wctx); err != nil {
		t.Fatal(err)
	}
	if got := h.ids(); !slices.Equal(got, idRange(0, 6)) {
		t.Errorf("delivered %v", got)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}
