package alerts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// WebhookOptions configure a webhook sink. Only URL is required.
type WebhookOptions struct {
	URL string // http or https
	// Timeout bounds one request. Default 10s.
	Timeout time.Duration
	// QueueSize bounds the records waiting to be delivered; when it is full,
	// Write waits for room. Default 10000.
	QueueSize int
	// MaxRetries and MaxElapsed bound the attempts to deliver one record;
	// past either, the record is dropped (counted and logged). Zero: no
	// bound, a record is retried until it is delivered or the sink closes.
	MaxRetries int
	MaxElapsed time.Duration
	// MinBackoff and MaxBackoff bound the wait between attempts; it doubles
	// from one to the other, with jitter. A Retry-After header longer than
	// the wait lengthens it, up to MaxBackoff. Defaults 100ms and 30s.
	MinBackoff, MaxBackoff time.Duration
	// CloseTimeout bounds how long Close goes on delivering what is queued.
	// Default 5s.
	CloseTimeout time.Duration
	Headers      map[string]string // added to every request, e.g. Authorization
	Client       *http.Client      // default: a client of its own
	// Name labels the sink in metrics and logs. Default "webhook:" and the
	// URL without user information or query.
	Name    string
	Metrics *SinkMetrics // nil: no metrics
	Logger  *slog.Logger // nil: no logs
}

// WebhookSink POSTs each record, one JSON object per request
// (Content-Type: application/json, the alert id in X-Kestrel-Id, the output
// in X-Kestrel-Output), in the order written, one request at a time. Write
// only queues; a goroutine delivers, retrying with exponential backoff and
// jitter on a transport error, a 5xx, 408, 425 or 429. Another 4xx rejects
// the record for good: it is dropped, counted and logged, as when the
// retries run out. Every failure is counted and logged.
type WebhookSink struct {
	opts    WebhookOptions
	name    string
	q       *queue
	metrics *sinkMetrics
	ctx     context.Context // ends when Close gives up
	cancel  context.CancelFunc
	done    chan struct{}

	closeOnce   sync.Once
	closedDrops atomic.Int64 // records dropped because the sink closed
	closed      atomic.Bool
}

// NewWebhookSink starts the sink's goroutine.
func NewWebhookSink(opts WebhookOptions) (*WebhookSink, error) {
	u, err := url.Parse(opts.URL)
	if err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("webhook: URL %q is not an http or https URL with a host", opts.URL)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.QueueSize <= 0 {
		opts.QueueSize = 10000
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = 100 * time.Millisecond
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(30*time.Second, opts.MinBackoff)
	}
	if opts.CloseTimeout <= 0 {
		opts.CloseTimeout = 5 * time.Second
	}
	if opts.Client == nil {
		opts.Client = &http.Client{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Name == "" {
		v := *u
		v.User, v.RawQuery, v.Fragment = nil, "", ""
		opts.Name = "webhook:" + v.String()
	}
	w := &WebhookSink{opts: opts, name: opts.Name, metrics: opts.Metrics.forSink(opts.Name), done: make(chan struct{})}
	w.q = newQueue(opts.QueueSize, w.metrics)
	w.ctx, w.cancel = context.WithCancel(context.Background())
	go w.run()
	return w, nil
}

// Write queues msgs, waiting while the queue is full until ctx ends.
func (w *WebhookSink) Write(ctx context.Context, msgs []Message) error {
	if w.closed.Load() {
		return ErrClosed
	}
	return w.q.put(ctx, append([]Message(nil), msgs...))
}

// Flush waits until every record written before the call has been
// delivered (or dropped), or ctx ends.
func (w *WebhookSink) Flush(ctx context.Context) error {
	return w.q.wait(ctx)
}

// Len returns the records waiting to be delivered.
func (w *WebhookSink) Len() int { return w.q.length() }

// Name returns the sink's name in metrics and logs.
func (w *WebhookSink) Name() string { return w.name }

func (w *WebhookSink) mark() uint64                                 { return w.q.mark() }
func (w *WebhookSink) waitMark(ctx context.Context, m uint64) error { return w.q.waitFor(ctx, m) }

// Close stops taking records and delivers what is queued for up to
// CloseTimeout; it returns an error if it had to drop records.
func (w *WebhookSink) Close() error {
	w.closeOnce.Do(func() {
		w.closed.Store(true)
		w.q.close()
		t := time.NewTimer(w.opts.CloseTimeout)
		select {
		case <-w.done:
		case <-t.C:
			w.cancel()
			<-w.done
		}
		t.Stop()
		w.cancel()
		w.opts.Client.CloseIdleConnections()
	})
	if n := w.closedDrops.Load(); n > 0 {
		return fmt.Errorf("webhook %s: %d records not delivered at close", w.name, n)
	}
	return nil
}

func (w *WebhookSink) run() {
	defer close(w.done)
	for {
		msgs, _, ok := w.q.next(100)
		if !ok {
			return
		}
		for i := range msgs {
			w.deliver(&msgs[i])
			w.q.release(1) // one by one, so Flush and barriers see each record
		}
	}
}

// deliver posts m until it is delivered, rejected, out of retries, or the
// sink gives up at Close.
func (w *WebhookSink) deliver(m *Message) {
	start := time.Now()
	one := []Message{*m}
	for attempt := 0; ; attempt++ {
		retryAfter, err := w.post(m)
		if err == nil {
			w.metrics.written(one)
			if attempt > 0 {
				w.opts.Logger.Info("webhook delivered after retries", "sink", w.name, "id", m.ID, "attempts", attempt+1)
			}
			return
		}
		w.metrics.failure()
		var perm permanentError
		switch {
		case w.ctx.Err() != nil:
			w.drop(one, "the sink closed", attempt+1, err)
			w.closedDrops.Add(1)
			return
		case errors.As(err, &perm):
			w.drop(one, "rejected", attempt+1, err)
			return
		case w.opts.MaxRetries > 0 && attempt >= w.opts.MaxRetries:
			w.drop(one, "retries exhausted", attempt+1, err)
			return
		}
		wait := backoff(w.opts.MinBackoff, w.opts.MaxBackoff, attempt)
		if retryAfter > wait {
			wait = min(retryAfter, w.opts.MaxBackoff)
		}
		if w.opts.MaxElapsed > 0 && time.Since(start)+wait > w.opts.MaxElapsed {
			w.drop(one, "retries exhausted", attempt+1, err)
			return
		}
		w.opts.Logger.Warn("webhook request failed; retrying", "sink", w.name, "id", m.ID, "attempt", attempt+1, "retry_in", wait, "err", err)
		if !sleep(w.ctx, wait) {
			w.drop(one, "the sink closed", attempt+1, err)
			w.closedDrops.Add(1)
			return
		}
		w.metrics.retry()
	}
}

func (w *WebhookSink) drop(msgs []Message, why string, attempts int, err error) {
	w.metrics.drop(msgs)
	w.opts.Logger.Error("webhook record dropped: "+why, "sink", w.name, "output", msgs[0].Output, "id", msgs[0].ID, "attempts", attempts, "err", err)
}

// permanentError is a response that retrying will not change.
type permanentError struct{ status int }

func (e permanentError) Error() string {
	return fmt.Sprintf("rejected: %d %s", e.status, http.StatusText(e.status))
}

// post makes one request; it returns the Retry-After of a failed response.
func (w *WebhookSink) post(m *Message) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(w.ctx, w.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.opts.URL, bytes.NewReader(m.JSON))
	if err != nil {
		return 0, err
	}
	for k, v := range w.opts.Headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Content-Type", "application/json")
	if m.ID != "" {
		req.Header.Set("X-Kestrel-Id", m.ID)
	}
	req.Header.Set("X-Kestrel-Output", m.Output)
	resp, err := w.opts.Client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // so the connection is reused
	resp.Body.Close()
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		return 0, nil
	case s == http.StatusRequestTimeout, s == http.StatusTooEarly, s == http.StatusTooManyRequests, s >= 500:
		var after time.Duration
		if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs > 0 {
			after = time.Duration(secs) * time.Second
		}
		return after, fmt.Errorf("status %d %s", s, http.StatusText(s))
	case s >= 400:
		return 0, permanentError{s}
	default: // 1xx, 3xx not followed
		return 0, fmt.Errorf("status %d %s", s, http.StatusText(s))
	}
}
