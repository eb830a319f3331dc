package alerts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Route is one sink and the outputs it receives. A sink that several outputs
// write to (one file for two outputs) is one Route listing them all.
type Route struct {
	// Name labels the sink in metrics and logs; unique within a Router.
	// Default: the sink's Name() when it has one, else "sink<i>". A webhook
	// labels its own metrics with its WebhookOptions.Name.
	Name    string
	Outputs []string
	// AllOutputs sends the sink every record, of whichever output, including
	// outputs no route names (a rule's `to NAME`): the API's alert store and
	// its live streams. Outputs is then ignored.
	AllOutputs bool
	Sink       Sink
}

// RouterOptions configure a Router. The zero values give the defaults.
type RouterOptions struct {
	// QueueSize bounds the records waiting for each sink (queued or being
	// written): a sink that is slow or down delays the others only until its
	// queue is full, then Write waits for room. Default 10000.
	QueueSize int
	// MaxBatch bounds the records of one Write to a sink. Default 1000.
	MaxBatch int
	// MinBackoff and MaxBackoff bound the wait between attempts to write a
	// batch that failed; it doubles from one to the other, with jitter.
	// Defaults 100ms and 5s.
	MinBackoff, MaxBackoff time.Duration
	// WriteTimeout bounds one attempt to write a batch. Default 30s.
	WriteTimeout time.Duration
	// CloseTimeout bounds how long Close goes on writing what is queued
	// (retrying failures) before it gives up on the rest. Default 10s.
	CloseTimeout time.Duration
	Metrics      *SinkMetrics // nil: no metrics
	Logger       *slog.Logger // nil: no logs
}

func (o *RouterOptions) ensureDefaults() {
	if o.QueueSize <= 0 {
		o.QueueSize = 10000
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 1000
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 100 * time.Millisecond
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(5*time.Second, o.MinBackoff)
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 30 * time.Second
	}
	if o.CloseTimeout <= 0 {
		o.CloseTimeout = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// queuedSink is a sink with a queue and a goroutine of its own (the
// webhook): the Router writes to it directly and asks it to flush, rather
// than putting a second queue in front of it.
type queuedSink interface {
	Sink
	mark() uint64                                 // the position of the last record written
	waitMark(ctx context.Context, m uint64) error // waits until the records up to m are delivered
}

// Router fans output records out to sinks: each record goes to every sink of
// its output. Each sink has a goroutine and a bounded queue, so it takes
// records in the order they were written and a slow or failing sink holds
// back the others only up to its queue's bound. A batch that fails is
// written again, with backoff, until it succeeds: no record is lost while the
// process runs, and Flush tells the checkpoint when everything written
// before it is durable. Records of outputs without a sink are dropped
// without a word, unless a route takes every output (Route.AllOutputs).
//
// A Router is a Sink; it is safe for concurrent use. It keeps the slices of
// the messages written to it until the sinks are done with them.
type Router struct {
	opts   RouterOptions
	routes []*route
	by     map[string][]*route // output → its routes, including those of every output
	all    []*route            // the routes of every output (AllOutputs)

	ctx    context.Context // ends when Close gives up: workers stop retrying
	cancel context.CancelFunc
	wg     sync.WaitGroup

	closed  atomic.Bool
	dropped atomic.Int64 // records given up at Close
}

type route struct {
	i       int
	name    string
	sink    Sink
	queued  queuedSink // the sink, when it queues by itself; q is nil then
	file    *FileSink  // the sink, when it is a file
	q       *queue
	metrics *sinkMetrics
}

// NewRouter starts a goroutine per route. Routes must have distinct names
// and not share a file.
func NewRouter(routes []Route, opts RouterOptions) (*Router, error) {
	opts.ensureDefaults()
	r := &Router{opts: opts, by: map[string][]*route{}}
	names := map[string]bool{}
	paths := map[string]bool{}
	for i, rt := range routes {
		if rt.Sink == nil {
			return nil, fmt.Errorf("route %d: no sink", i)
		}
		name := rt.Name
		if name == "" {
			if n, ok := rt.Sink.(interface{ Name() string }); ok {
				name = n.Name()
			} else {
				name = fmt.Sprintf("sink%d", i)
			}
		}
		if names[name] {
			return nil, fmt.Errorf("route %d: a second sink named %q", i, name)
		}
		names[name] = true
		x := &route{i: i, name: name, sink: rt.Sink, metrics: opts.Metrics.forSink(name)}
		if f, ok := rt.Sink.(*FileSink); ok {
			if paths[f.Path()] {
				return nil, fmt.Errorf("route %d: a second sink writes to %s; give one route all its outputs", i, f.Path())
			}
			paths[f.Path()] = true
			x.file = f
		}
		if qs, ok := rt.Sink.(queuedSink); ok {
			x.queued = qs
		} else {
			x.q = newQueue(opts.QueueSize, x.metrics)
		}
		if rt.AllOutputs {
			r.all = append(r.all, x)
		} else {
			seen := map[string]bool{}
			for _, out := range rt.Outputs {
				if !seen[out] {
					seen[out] = true
					r.by[out] = append(r.by[out], x)
				}
			}
		}
		r.routes = append(r.routes, x)
	}
	for out := range r.by {
		r.by[out] = append(r.by[out], r.all...)
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	for _, x := range r.routes {
		if x.q != nil {
			r.wg.Add(1)
			go r.work(x)
		}
	}
	return r, nil
}

// Write queues each message for every sink of its output, waiting while a
// sink's queue is full, until ctx ends. When it returns an error, some sinks
// may have the batch and others not.
func (r *Router) Write(ctx context.Context, msgs []Message) error {
	if r.closed.Load() {
		return ErrClosed
	}
	if len(msgs) == 0 {
		return nil
	}
	// The common case, one output per batch, needs no split.
	one := true
	for i := range msgs {
		if msgs[i].Output != msgs[0].Output {
			one = false
			break
		}
	}
	if one {
		routes := r.routesOf(msgs[0].Output)
		if len(routes) == 0 {
			return nil
		}
		own := append([]Message(nil), msgs...) // the caller may reuse msgs
		for _, x := range routes {
			if err := r.put(ctx, x, own); err != nil {
				return err
			}
		}
		return nil
	}
	per := map[*route][]Message{}
	for i := range msgs {
		for _, x := range r.routesOf(msgs[i].Output) {
			per[x] = append(per[x], msgs[i])
		}
	}
	for _, x := range r.routes { // in a fixed order
		if b, ok := per[x]; ok {
			if err := r.put(ctx, x, b); err != nil {
				return err
			}
		}
	}
	return nil
}

// routesOf returns the routes of output's records.
func (r *Router) routesOf(output string) []*route {
	if routes, ok := r.by[output]; ok {
		return routes
	}
	return r.all
}

func (r *Router) put(ctx context.Context, x *route, msgs []Message) error {
	var err error
	if x.queued != nil {
		err = x.queued.Write(ctx, msgs)
	} else {
		err = x.q.put(ctx, msgs)
	}
	if err != nil {
		return fmt.Errorf("sink %s: %w", x.name, err)
	}
	return nil
}

// work is the goroutine of one sink.
func (r *Router) work(x *route) {
	defer r.wg.Done()
	for {
		msgs, b, ok := x.q.next(r.opts.MaxBatch)
		if !ok {
			return
		}
		if b != nil {
			b.done <- r.flushOne(b.ctx, x)
			continue
		}
		r.deliver(x, msgs)
		x.q.release(len(msgs))
	}
}

// deliver writes msgs to the sink, again and again until it succeeds or the
// router gives up at Close.
func (r *Router) deliver(x *route, msgs []Message) {
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithTimeout(r.ctx, r.opts.WriteTimeout)
		err := x.sink.Write(ctx, msgs)
		cancel()
		if err == nil {
			x.metrics.written(msgs)
			if attempt > 0 {
				r.opts.Logger.Info("sink recovered", "sink", x.name, "attempts", attempt+1)
			}
			return
		}
		x.metrics.failure()
		if r.ctx.Err() != nil {
			x.metrics.drop(msgs)
			r.dropped.Add(int64(len(msgs)))
			r.opts.Logger.Error("sink closed with records not written", "sink", x.name, "records", len(msgs), "err", err)
			return
		}
		wait := backoff(r.opts.MinBackoff, r.opts.MaxBackoff, attempt)
		r.opts.Logger.Warn("sink write failed; retrying", "sink", x.name, "records", len(msgs), "attempt", attempt+1, "retry_in", wait, "err", err)
		if !sleep(r.ctx, wait) {
			x.metrics.drop(msgs)
			r.dropped.Add(int64(len(msgs)))
			r.opts.Logger.Error("sink closed with records not written", "sink", x.name, "records", len(msgs), "err", err)
			return
		}
		x.metrics.retry()
	}
}

func (r *Router) flushOne(ctx context.Context, x *route) barrierResult {
	res := barrierResult{route: x.i}
	if f, ok := x.sink.(Flusher); ok {
		if err := f.Flush(ctx); err != nil {
			x.metrics.failure()
			res.err = fmt.Errorf("sink %s: flush: %w", x.name, err)
			return res
		}
	}
	if x.file != nil {
		res.size = x.file.Size()
	}
	return res
}

// Flush waits until every record written to the Router before the call is
// taken by its sinks, and durable where a sink can make it so (files synced,
// webhooks delivered), or until ctx ends. It returns the length of each file
// sink, by path, at that point: the lengths to store with the checkpoint,
// given to OpenFile on recovery.
//
// An error (a sink still retrying, a failed sync) means the checkpoint must
// not be taken: the records may not all be out.
//
// Flush is Barrier followed by Wait; it suits a caller that stops writing
// while it checkpoints.
func (r *Router) Flush(ctx context.Context) (map[string]int64, error) {
	return r.Barrier().Wait(ctx)
}

// Barrier marks, at once, the position of the records written so far in
// every sink's queue, so the caller can go on writing while the sinks catch
// up: Wait then waits for the records before the mark only, and the lengths
// it returns never count the records written after it. Call Wait once.
func (r *Router) Barrier() *Barrier {
	b := &Barrier{r: r, done: make(chan barrierResult, len(r.routes))}
	b.ctx, b.cancel = context.WithCancel(r.ctx)
	if r.closed.Load() {
		b.err = ErrClosed
		return b
	}
	for _, x := range r.routes {
		if x.queued != nil {
			m := x.queued.mark()
			go func() {
				res := barrierResult{route: x.i}
				if err := x.queued.waitMark(b.ctx, m); err != nil {
					res.err = fmt.Errorf("sink %s: flush: %w", x.name, err)
				}
				b.done <- res
			}()
			continue
		}
		if err := x.q.putBarrier(&barrier{ctx: b.ctx, done: b.done}); err != nil {
			b.done <- barrierResult{route: x.i, err: fmt.Errorf("sink %s: %w", x.name, err)}
		}
	}
	return b
}

// Barrier is a mark in every sink's queue; see Router.Barrier.
type Barrier struct {
	r      *Router
	done   chan barrierResult // buffered: nothing waits to send
	ctx    context.Context    // for the sinks' flushes; ends with Wait
	cancel context.CancelFunc
	err    error
}

// Wait waits until every record written before the mark is taken by its
// sink and durable or delivered, or until ctx ends, as Flush does, and returns
// the file lengths at the mark.
func (b *Barrier) Wait(ctx context.Context) (map[string]int64, error) {
	defer b.cancel()
	if b.err != nil {
		return nil, b.err
	}
	sizes := map[string]int64{}
	var errs []error
	for range b.r.routes {
		select {
		case res := <-b.done:
			if res.err != nil {
				errs = append(errs, res.err)
			} else if f := b.r.routes[res.route].file; f != nil {
				sizes[f.Path()] = res.size
			}
		case <-ctx.Done():
			return nil, fmt.Errorf("flush: %w", ctx.Err())
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return sizes, nil
}

// Pending returns the records waiting for each sink, by name.
func (r *Router) Pending() map[string]int {
	p := make(map[string]int, len(r.routes))
	for _, x := range r.routes {
		if x.q != nil {
			p[x.name] = x.q.length()
		} else if l, ok := x.queued.(interface{ Len() int }); ok {
			p[x.name] = l.Len()
		}
	}
	return p
}

// Close stops taking records, writes what is queued (retrying failures for
// up to CloseTimeout, then dropping the rest, counted and logged), and closes
// every sink. Records dropped here were never covered by a successful Flush,
// so a restart from the last checkpoint writes them again.
func (r *Router) Close() error {
	if r.closed.Swap(true) {
		return nil
	}
	for _, x := range r.routes {
		if x.q != nil {
			x.q.close()
		}
	}
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	t := time.NewTimer(r.opts.CloseTimeout)
	select {
	case <-done:
	case <-t.C:
		r.cancel()
		<-done
	}
	t.Stop()
	r.cancel()
	var errs []error
	if n := r.dropped.Load(); n > 0 {
		errs = append(errs, fmt.Errorf("%d records not written: their sinks were still failing after %v", n, r.opts.CloseTimeout))
	}
	for _, x := range r.routes {
		if err := x.sink.Close(); err != nil {
			errs = append(errs, fmt.Errorf("sink %s: %w", x.name, err))
		}
	}
	return errors.Join(errs...)
}
