package alerts

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// recorder is a sink that keeps what it is given.
type recorder struct {
	mu   sync.Mutex
	msgs []Message
}

func (r *recorder) write(_ context.Context, msgs []Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, msgs...)
	return nil
}

func (r *recorder) ids() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for _, m := range r.msgs {
		ids = append(ids, m.ID)
	}
	return ids
}

func idRange(from, to int) []string {
	var ids []string
	for i := from; i < to; i++ {
		ids = append(ids, fmt.Sprintf("id%d", i))
	}
	return ids
}

// metricValue returns the value of the metric name with labels, or 0.
func metricValue(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			got := map[string]string{}
			for _, l := range m.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for k, v := range labels {
				if got[k] != v {
					continue next
				}
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func newMetrics(t *testing.T) (*SinkMetrics, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := NewSinkMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	return m, reg
}

func TestRouterRoutes(t *testing.T) {
	ctx := context.Background()
	var a, b, c recorder
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	file, err := OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	m, reg := newMetrics(t)
	r, err := NewRouter([]Route{
		{Name: "a", Outputs: []string{"alerts", "late"}, Sink: SinkFunc(a.write)},
		{Name: "b", Outputs: []string{"alerts"}, Sink: SinkFunc(b.write)},
		{Name: "c", Outputs: []string{"shadow"}, Sink: SinkFunc(c.write)},
		{Outputs: []string{"alerts"}, Sink: file},
	}, RouterOptions{Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	msgs := lines("alerts", 0, 3)
	msgs = append(msgs, lines("late", 3, 4)...)
	msgs = append(msgs, lines("shadow", 4, 5)...)
	msgs = append(msgs, lines("nowhere", 5, 6)...)
	msgs = append(msgs, lines("alerts", 6, 7)...)
	if err := r.Write(ctx, msgs); err != nil {
		t.Fatal(err)
	}
	if err := r.Write(ctx, lines("alerts", 7, 9)); err != nil {
		t.Fatal(err)
	}
	sizes, err := r.Flush(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[*recorder][]string{
		&a: {"id0", "id1", "id2", "id3", "id6", "id7", "id8"},
		&b: {"id0", "id1", "id2", "id6", "id7", "id8"},
		&c: {"id4"},
	}
	for rec, ids := range want {
		if got := rec.ids(); !slices.Equal(got, ids) {
			t.Errorf("sink got %v, want %v", got, ids)
		}
	}
	wantFile := "{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n{\"n\":6}\n{\"n\":7}\n{\"n\":8}\n"
	if got := readFile(t, path); got != wantFile {
		t.Errorf("file = %q, want %q", got, wantFile)
	}
	if sizes[path] != int64(len(wantFile)) || len(sizes) != 1 {
		t.Errorf("Flush sizes = %v, want %s: %d", sizes, path, len(wantFile))
	}
	for _, c := range []struct {
		sink, output string
		n            float64
	}{{"a", "alerts", 6}, {"a", "late", 1}, {"b", "alerts", 6}, {"c", "shadow", 1}, {"file:" + path, "alerts", 6}, {"a", "shadow", 0}} {
		if got := metricValue(t, reg, "kestrel_sink_records_total", map[string]string{"sink": c.sink, "output": c.output}); got != c.n {
			t.Errorf("kestrel_sink_records_total{sink=%q,output=%q} = %v, want %v", c.sink, c.output, got, c.n)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Write(ctx, lines("alerts", 9, 10)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Write after Close: err = %v, want ErrClosed", err)
	}
}

// TestRouterFlushPosition: the file length Flush returns counts exactly the
// records written before it, though the file sink goes on writing.
func TestRouterFlushPosition(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	file, err := OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRouter([]Route{{Outputs: []string{"alerts"}, Sink: file}}, RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var want int64
	for i := range 50 {
		b := lines("alerts", i*10, i*10+10)
		for _, m := range b {
			want += int64(len(m.JSON)) + 1
		}
		if err := r.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
		if i%7 == 0 {
			sizes, err := r.Flush(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if sizes[path] != want {
				t.Fatalf("after batch %d Flush gave %d, want %d", i, sizes[path], want)
			}
		}
	}
}

// TestRouterSlowSink: a sink that does not move holds back the others only
// up to its queue's bound; once it moves, nothing is lost.
func TestRouterSlowSink(t *testing.T) {
	ctx := context.Background()
	gate := make(chan struct{})
	var slow, fast recorder
	m, reg := newMetrics(t)
	r, err := NewRouter([]Route{
		{Name: "slow", Outputs: []string{"alerts"}, Sink: SinkFunc(func(ctx context.Context, msgs []Message) error {
			select {
			case <-gate:
			case <-ctx.Done():
				return ctx.Err()
			}
			return slow.write(ctx, msgs)
		})},
		{Name: "fast", Outputs: []string{"alerts"}, Sink: SinkFunc(fast.write)},
	}, RouterOptions{QueueSize: 5, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := range 5 {
		if err := r.Write(ctx, lines("alerts", i, i+1)); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "the fast sink to get 5 records", func() bool { return len(fast.ids()) == 5 })
	if got := metricValue(t, reg, "kestrel_sink_queue_length", map[string]string{"sink": "slow"}); got != 5 {
		t.Errorf("queue length of the slow sink = %v, want 5", got)
	}
	if p := r.Pending(); p["slow"] != 5 || p["fast"] != 0 {
		t.Errorf("Pending = %v, want slow 5, fast 0", p)
	}
	// The slow sink's queue is full: the next Write waits.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	err = r.Write(short, lines("alerts", 5, 6))
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Write to a full queue: err = %v, want a deadline", err)
	}
	short, cancel = context.WithTimeout(ctx, 50*time.Millisecond)
	_, err = r.Flush(short)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Flush with a stuck sink: err = %v, want a deadline", err)
	}

	close(gate)
	if err := r.Write(ctx, lines("alerts", 5, 6)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := slow.ids(), idRange(0, 6); !slices.Equal(got, want) {
		t.Errorf("slow sink got %v, want %v", got, want)
	}
	if got, want := fast.ids(), idRange(0, 6); !slices.Equal(got, want) {
		t.Errorf("fast sink got %v, want %v", got, want)
	}
	if got := metricValue(t, reg, "kestrel_sink_queue_length", map[string]string{"sink": "slow"}); got != 0 {
		t.Errorf("queue length of the slow sink = %v, want 0", got)
	}
}

// TestRouterRetries: a sink that fails gets the batch again until it takes
// it; failures and retries are counted.
func TestRouterRetries(t *testing.T) {
	ctx := context.Background()
	var rec recorder
	calls := 0
	m, reg := newMetrics(t)
	r, err := NewRouter([]Route{{Name: "flaky", Outputs: []string{"alerts"}, Sink: SinkFunc(func(ctx context.Context, msgs []Message) error {
		calls++ // only the sink's goroutine calls it
		if calls <= 3 {
			return fmt.Errorf("failure %d", calls)
		}
		return rec.write(ctx, msgs)
	})}}, RouterOptions{MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Write(ctx, lines("alerts", 0, 10)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := rec.ids(), idRange(0, 10); !slices.Equal(got, want) {
		t.Errorf("sink got %v, want %v", got, want)
	}
	for name, want := range map[string]float64{"kestrel_sink_failures_total": 3, "kestrel_sink_retries_total": 3, "kestrel_sink_dropped_total": 0} {
		if got := metricValue(t, reg, name, map[string]string{"sink": "flaky"}); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if got := metricValue(t, reg, "kestrel_sink_records_total", map[string]string{"sink": "flaky", "output": "alerts"}); got != 10 {
		t.Errorf("records = %v, want 10", got)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestRouterCloseDeadSink: Close gives up on a sink that never recovers after
// CloseTimeout, and says so; the other sinks get everything.
func TestRouterCloseDeadSink(t *testing.T) {
	ctx := context.Background()
	var ok recorder
	closed := false
	m, reg := newMetrics(t)
	r, err := NewRouter([]Route{
		{Name: "dead", Outputs: []string{"alerts"}, Sink: SinkFunc(func(context.Context, []Message) error { return errors.New("down") })},
		{Name: "ok", Outputs: []string{"alerts"}, Sink: closeFunc{SinkFunc(ok.write), func() { closed = true }}},
	}, RouterOptions{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, CloseTimeout: 50 * time.Millisecond, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Write(ctx, lines("alerts", 0, 4)); err != nil {
		t.Fatal(err)
	}
	if err := r.Write(ctx, lines("alerts", 4, 7)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := r.Close(); err == nil {
		t.Fatal("Close with a dead sink reported no loss")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Close took %v", d)
	}
	if got, want := ok.ids(), idRange(0, 7); !slices.Equal(got, want) {
		t.Errorf("live sink got %v, want %v", got, want)
	}
	if !closed {
		t.Error("Close did not close the sinks")
	}
	if got := metricValue(t, reg, "kestrel_sink_dropped_total", map[string]string{"sink": "dead", "output": "alerts"}); got != 7 {
		t.Errorf("dropped = %v, want 7", got)
	}
	if got := metricValue(t, reg, "kestrel_sink_failures_total", map[string]string{"sink": "dead"}); got < 1 {
		t.Errorf("failures = %v, want some", got)
	}
}

type closeFunc struct {
	SinkFunc
	f func()
}

func (c closeFunc) Close() error { c.f(); return nil }

func TestRouterConfigErrors(t *testing.T) {
	dir := t.TempDir()
	f1, err := OpenFile(filepath.Join(dir, "a.jsonl"), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f1.Close()
	f2, err := NewFileSink(FileOptions{Path: filepath.Join(dir, "a.jsonl"), Name: "other"}, NoTruncate)
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	nop := SinkFunc(func(context.Context, []Message) error { return nil })
	for name, routes := range map[string][]Route{
		"same name": {{Name: "x", Sink: nop}, {Name: "x", Sink: nop}},
		"same file": {{Outputs: []string{"alerts"}, Sink: f1}, {Outputs: []string{"late"}, Sink: f2}},
		"no sink":   {{Name: "x"}},
	} {
		if r, err := NewRouter(routes, RouterOptions{}); err == nil {
			r.Close()
			t.Errorf("%s: NewRouter accepted it", name)
		}
	}
}

func TestBackoff(t *testing.T) {
	min, max := 100*time.Millisecond, 2*time.Second
	for attempt := range 70 {
		ceil := min << attempt
		if attempt >= 5 {
			ceil = max
		}
		seen := map[time.Duration]bool{}
		for range 50 {
			d := backoff(min, max, attempt)
			if d < ceil/2 || d > ceil {
				t.Fatalf("backoff(attempt %d) = %v, want within [%v, %v]", attempt, d, ceil/2, ceil)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Fatalf("backoff(attempt %d) has no jitter", attempt)
		}
	}
}

func TestMessages(t *testing.T) {
	rec := &Record{ID: "abc", Rule: "r", Version: 1, Kind: KindMatch, Key: []byte(`["c1",2]`)}
	m := AlertMessage("shadow", rec)
	if m.Output != "shadow" || string(m.Key) != `["c1",2]` || m.ID != "abc" || string(m.JSON) != string(rec.AppendJSON(nil)) {
		t.Errorf("AlertMessage = %+v", m)
	}
	w := &Window{Feature: "f", Key: []byte(`"k"`), Value: []byte("1")}
	if m := WindowMessage(w); m.Output != "windows" || string(m.Key) != `"k"` || m.ID != "" || string(m.JSON) != string(w.AppendJSON(nil)) {
		t.Errorf("WindowMessage = %+v", m)
	}
	l := &Late{Stream: "txn", Event: []byte(`{}`)}
	if m := LateMessage(l); m.Output != "late" || m.Key != nil || string(m.JSON) != string(l.AppendJSON(nil)) {
		t.Errorf("LateMessage = %+v", m)
	}
	d := &DeadLetter{Stream: "txn", Raw: []byte("{")}
	if m := DeadLetterMessage(d); m.Output != "deadletter" || m.Key != nil || string(m.JSON) != string(d.AppendJSON(nil)) {
		t.Errorf("DeadLetterMessage = %+v", m)
	}
}

// TestRouterBarrier: the records written after a Barrier count neither in
// its lengths nor in what Wait waits for.
func TestRouterBarrier(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	file, err := OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	var after recorder
	r, err := NewRouter([]Route{
		{Outputs: []string{"alerts"}, Sink: file},
		{Name: "blocks-after-the-mark", Outputs: []string{"alerts"}, Sink: SinkFunc(func(ctx context.Context, msgs []Message) error {
			if msgs[0].ID >= "id5" {
				select {
				case <-release:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return after.write(ctx, msgs)
		})},
	}, RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	before := lines("alerts", 0, 5)
	if err := r.Write(ctx, before); err != nil {
		t.Fatal(err)
	}
	b := r.Barrier()
	for i := 5; i < 40; i++ {
		if err := r.Write(ctx, lines("alerts", i, i+1)); err != nil {
			t.Fatal(err)
		}
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	sizes, err := b.Wait(wctx) // the second sink is stuck past the mark, not before it
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for _, m := range before {
		want += int64(len(m.JSON)) + 1
	}
	if sizes[path] != want {
		t.Errorf("Barrier's length = %d, want %d (the records before it)", sizes[path], want)
	}
	close(release)
	if _, err := r.Flush(wctx); err != nil {
		t.Fatal(err)
	}
	if got := after.ids(); !slices.Equal(got, idRange(0, 40)) {
		t.Errorf("sink got %v", got)
	}
}
