package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/patterns"
)

// Runtime runs a rule set as a service: sources push decoded events from any
// goroutine; one front goroutine tracks watermarks (with idleness), releases
// events in time order and runs the feature stage; shard goroutines, one per
// core by default, run the rule stage for the keys that hash to them. Released
// events and watermarks travel to the shards through their queues in one
// order, so every shard sees the same sequence. Checkpoints are barriers
// through the same queues.
type Runtime struct {
	opts    RuntimeOptions
	front   *Engine
	disp    *dispatcher
	workers []*worker
	in      chan any
	done    chan struct{} // closed when the front goroutine has returned

	mu  sync.Mutex
	err error
}

// RuntimeOptions configures a Runtime. Sink is required and must be safe for
// concurrent use: the shards write to it at once.
type RuntimeOptions struct {
	Sink        Sink
	Logger      *slog.Logger
	Shards      int           // rule-stage goroutines; default GOMAXPROCS
	IdleTimeout time.Duration // a partition with no records for this long stops holding the watermark; 0: never
	Metrics     *Metrics      // nil: none
	QueueLen    int           // batches queued per shard; default 64
	Now         func() time.Time
}

func (o *RuntimeOptions) ensureDefaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Shards <= 0 {
		o.Shards = runtime.GOMAXPROCS(0)
	}
	if o.QueueLen <= 0 {
		o.QueueLen = 64
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// ErrStopped is returned by the methods of a Runtime that has stopped.
var ErrStopped = errors.New("engine stopped")

// Batch is what a source hands the runtime: the events it decoded from one
// partition, in arrival order, the dead letters among them, and the source
// position after the last record.
type Batch struct {
	Partition   int
	Events      []*event.Event
	DeadLetters []*alerts.DeadLetter
	Next        int64
}

// PartitionInfo is an input partition as the runtime sees it.
type PartitionInfo struct {
	Name   string `json:"name"`
	Stream string `json:"stream"`
	Next   int64  `json:"next"`   // source position to resume from
	MaxTs  int64  `json:"max_ts"` // largest event time seen
	Ended  bool   `json:"ended,omitempty"`
	Idle   bool   `json:"idle,omitempty"`
	Group  int32  `json:"group"` // the state group: the Kafka partition number, or LocalGroup
}

type (
	addPartitionMsg struct {
		stream int
		name   string
		next   int64
		group  int32
		reply  chan partRef
	}
	partRef struct {
		part int
		next int64
	}
	endPartitionMsg struct{ part int }
	funcMsg         struct {
		fn    func() error
		reply chan error
	}
)

// NewRuntime builds a runtime for rs; Start runs it.
func NewRuntime(rs *patterns.RuleSet, opts RuntimeOptions) (*Runtime, error) {
	opts.ensureDefaults()
	if opts.Sink == nil {
		return nil, errors.New("engine: runtime needs a sink")
	}
	front, err := New(rs, Options{Sink: opts.Sink, Logger: opts.Logger})
	if err != nil {
		return nil, err
	}
	r := &Runtime{opts: opts, front: front, in: make(chan any, 256), done: make(chan struct{})}
	r.disp = &dispatcher{last: minTime, rs: rs}
	for i := range opts.Shards {
		w := &worker{s: newShard(rs, i, opts.Shards, opts.Sink, opts.Logger), in: make(chan []shardMsg, opts.QueueLen), done: make(chan struct{})}
		r.workers = append(r.workers, w)
		r.disp.workers = append(r.disp.workers, w)
		r.disp.batch = append(r.disp.batch, nil)
	}
	front.stage = r.disp
	front.rules = nil
	if opts.Metrics != nil {
		opts.Metrics.runtimes = append(opts.Metrics.runtimes, r)
		for _, w := range r.workers {
			w.s.metrics = opts.Metrics
		}
	}
	return r, nil
}

// Start runs the front and shard goroutines until ctx ends or Stop.
func (r *Runtime) Start(ctx context.Context) {
	for _, w := range r.workers {
		go w.run(r)
	}
	go r.run(ctx)
}

// Err is the error that stopped the runtime, if any.
func (r *Runtime) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

func (r *Runtime) setErr(err error) {
	r.mu.Lock()
	if r.err == nil {
		r.err = err
	}
	r.mu.Unlock()
}

// send hands the front goroutine a message, or fails when it has stopped.
func (r *Runtime) send(ctx context.Context, m any) error {
	select {
	case r.in <- m:
		return nil
	case <-r.done:
		if err := r.Err(); err != nil {
			return err
		}
		return ErrStopped
	case <-ctx.Done():
		return ctx.Err()
	}
}

// AddPartition declares an input partition of stream (by index) named name
// (stable across restarts, e.g. "kafka:transactions/3"), in state group
// group (its Kafka partition number, or LocalGroup), starting at position
// next. It returns the partition number to push batches for and the position
// to read from: next, or the checkpointed position of a partition of that
// name that Restore or RestoreGroup brought back.
func (r *Runtime) AddPartition(ctx context.Context, stream int, name string, next int64, group int32) (part int, from int64, err error) {
	reply := make(chan partRef, 1)
	if err := r.send(ctx, addPartitionMsg{stream, name, next, group, reply}); err != nil {
		return 0, 0, err
	}
	select {
	case p := <-reply:
		return p.part, p.next, nil
	case <-r.done:
		return 0, 0, ErrStopped
	}
}

// Push hands the runtime a batch from one partition. It blocks while the
// runtime's queues are full (backpressure).
func (r *Runtime) Push(ctx context.Context, b *Batch) error { return r.send(ctx, b) }

// EndPartition marks a partition finished (a file read to its end).
func (r *Runtime) EndPartition(ctx context.Context, part int) error {
	return r.send(ctx, endPartitionMsg{part})
}

// Do runs fn on the front goroutine, between batches, and returns its error.
// Whatever fn reads of the engine is consistent: no event is half processed.
func (r *Runtime) do(ctx context.Context, fn func() error) error {
	reply := make(chan error, 1)
	if err := r.send(ctx, funcMsg{fn, reply}); err != nil {
		return err
	}
	select {
	case err := <-reply:
		return err
	case <-r.done:
		return ErrStopped
	}
}

// Partitions returns the partitions and their positions.
func (r *Runtime) Partitions(ctx context.Context) ([]PartitionInfo, error) {
	var out []PartitionInfo
	err := r.do(ctx, func() error {
		out = r.front.partitionInfo()
		return nil
	})
	return out, err
}

// Stats returns the counters so far, summed over the stages. Shard counters
// are read at a barrier, so they are consistent with the front's.
func (r *Runtime) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := r.do(ctx, func() error {
		st = r.front.Stats()
		return r.barrier(func(w *worker) {
			st.NullKeys += w.s.stats.NullKeys
			st.Dropped += w.s.stats.Dropped
			for k, v := range w.s.stats.Outputs {
				st.Outputs[k] += v
			}
		})
	})
	return st, err
}

// barrier runs fn on every shard goroutine, in turn, after the shard has
// processed everything sent to it before. It runs on the front goroutine.
func (r *Runtime) barrier(fn func(w *worker)) error {
	r.disp.flush()
	var wg sync.WaitGroup
	wg.Add(len(r.workers))
	var mu sync.Mutex // fn runs on several shard goroutines
	for _, w := range r.workers {
		w.in <- []shardMsg{{ctl: func() { mu.Lock(); fn(w); mu.Unlock(); wg.Done() }}}
	}
	wg.Wait()
	return r.Err()
}

// Stop ends the runtime: pending messages are processed, then the shards
// drain. It does not close partitions: buffered events stay unprocessed, to
// be restored from a checkpoint.
func (r *Runtime) Stop(ctx context.Context) error {
	reply := make(chan error, 1)
	if err := r.send(ctx, funcMsg{fn: nil, reply: reply}); err != nil && !errors.Is(err, ErrStopped) {
		return err
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	for _, w := range r.workers {
		select {
		case <-w.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return r.Err()
}

// run is the front goroutine.
func (r *Runtime) run(ctx context.Context) {
	defer func() {
		for _, w := range r.workers {
			close(w.in)
		}
		close(r.done)
	}()
	var tick <-chan time.Time
	if r.opts.IdleTimeout > 0 {
		t := time.NewTicker(max(r.opts.IdleTimeout/4, 10*time.Millisecond))
		defer t.Stop()
		tick = t.C
	}
	e := r.front
	for {
		var m any
		select {
		case m = <-r.in:
		case now := <-tick:
			r.checkIdle(now)
			r.disp.flush()
			continue
		case <-ctx.Done():
			r.disp.flush()
			return
		}
		switch m := m.(type) {
		case *Batch:
			r.push(m)
		case addPartitionMsg:
			p := slices.IndexFunc(e.parts, func(p partition) bool { return p.name == m.name })
			if p < 0 || e.parts[p].dropped { // restored partitions keep their position
				if p < 0 {
					p = e.AddPartition(m.stream)
				}
				e.parts[p].name, e.parts[p].next, e.parts[p].maxTs = m.name, m.next, minTime
			}
			q := &e.parts[p]
			q.group, q.dropped, q.idle = m.group, false, false
			q.lastSeen, q.attached = r.opts.Now(), true
			m.reply <- partRef{p, e.parts[p].next}
		case endPartitionMsg:
			r.fail(e.EndPartition(m.part))
		case funcMsg:
			if m.fn == nil { // Stop
				r.disp.flush()
				m.reply <- nil
				return
			}
			m.reply <- m.fn()
		}
		// Drain what is queued before handing the shards their batches, so
		// that busy sources make big batches and idle ones low latency.
		if len(r.in) == 0 {
			r.disp.flush()
		}
		if r.Err() != nil {
			return
		}
	}
}

func (r *Runtime) fail(err error) {
	if err != nil {
		r.setErr(err)
	}
}

func (r *Runtime) push(b *Batch) {
	e := r.front
	part := &e.parts[b.Partition]
	part.lastSeen = r.opts.Now()
	if r.opts.Metrics != nil {
		received := part.lastSeen.UnixNano()
		for _, ev := range b.Events {
			ev.Received = received
		}
	}
	if part.idle && len(b.Events) > 0 {
		r.resume(part)
	}
	for _, d := range b.DeadLetters {
		r.fail(e.DeadLetter(d))
	}
	for _, ev := range b.Events {
		r.fail(e.Push(b.Partition, ev))
	}
	part.next = b.Next
}

// checkIdle marks partitions idle that have had no record for the idle
// timeout, so that they stop holding their stream's watermark back.
func (r *Runtime) checkIdle(now time.Time) {
	e := r.front
	changed := false
	for i := range e.parts {
		p := &e.parts[i]
		if p.attached && !p.ended && !p.idle && !p.dropped && now.Sub(p.lastSeen) >= r.opts.IdleTimeout {
			p.idle, changed = true, true
			r.opts.Logger.Info("partition idle; it no longer holds the watermark back", "partition", p.name, "idle_for", now.Sub(p.lastSeen).Round(time.Millisecond))
		}
	}
	if changed {
		e.advance(e.releaseWatermark())
		r.fail(e.err)
	}
}

// resume brings an idle partition back. The watermark does not go back: its
// timestamps start where the released events are, so that its events behind
// them count as late.
func (r *Runtime) resume(p *partition) {
	p.idle = false
	if rel := r.front.released; rel != minTime && rel != maxTime {
		s := r.front.rs.Streams[p.stream]
		p.maxTs = max(p.maxTs, rel+s.Lateness+s.Watermark)
	}
}

// partitionInfo lists the partitions this process has, leaving out those
// whose group moved away.
func (e *Engine) partitionInfo() []PartitionInfo {
	out := make([]PartitionInfo, 0, len(e.parts))
	for _, p := range e.parts {
		if !p.dropped {
			out = append(out, PartitionInfo{Name: p.name, Stream: e.rs.Streams[p.stream].Name, Next: p.next,
				MaxTs: p.maxTs, Ended: p.ended, Idle: p.idle, Group: p.group})
		}
	}
	return out
}

// shardMsg is one item of a shard's queue: an event, a watermark, or a
// control function to run on the shard goroutine.
type shardMsg struct {
	ev  *event.Event
	wm  int64
	ctl func()
}

// dispatcher is the front's rule stage: it batches released events and
// watermarks for every shard; each shard keeps the keys it owns.
type dispatcher struct {
	workers []*worker
	batch   [][]shardMsg
	last    int64 // the last watermark sent
	rs      *patterns.RuleSet
	keyBuf  []byte
}

// event sends a released event to the shards that own one of its keys. An
// event with a null key field goes to shard 0 too, which counts it.
func (d *dispatcher) event(ev *event.Event) {
	if len(d.batch) == 1 || len(d.batch) > 64 {
		for i := range d.batch {
			d.batch[i] = append(d.batch[i], shardMsg{ev: ev})
		}
		return
	}
	var owners uint64
	s := ev.Stream()
	for _, r := range d.rs.Rules {
		if !r.Reads[s] {
			continue
		}
		var ok bool
		d.keyBuf, ok = AppendKey(d.keyBuf[:0], ev, r.Key[s], r.KeyTypes)
		if !ok {
			owners |= 1
			continue
		}
		owners |= 1 << keyShard(d.keyBuf, len(d.batch))
	}
	for i := range d.batch {
		if owners&(1<<i) != 0 {
			d.batch[i] = append(d.batch[i], shardMsg{ev: ev})
		}
	}
}

func (d *dispatcher) watermark(w int64) {
	if w <= d.last {
		return
	}
	d.last = w
	for i := range d.batch {
		d.batch[i] = append(d.batch[i], shardMsg{wm: w})
	}
}

func (d *dispatcher) flush() {
	for i, b := range d.batch {
		if len(b) > 0 {
			d.workers[i].in <- b
			d.batch[i] = make([]shardMsg, 0, cap(b))
		}
	}
}

// worker runs one shard on its own goroutine.
type worker struct {
	s      *shard
	in     chan []shardMsg
	done   chan struct{}
	counts atomic.Pointer[map[string]int64] // the rules' key counts, for metrics
}

func (w *worker) run(r *Runtime) {
	defer close(w.done)
	for batch := range w.in {
		for _, m := range batch {
			switch {
			case m.ev != nil:
				w.s.event(m.ev)
			case m.ctl != nil:
				m.ctl()
			default:
				w.s.fireTimers(m.wm)
			}
		}
		if r.opts.Metrics != nil {
			w.publishCounts()
		}
		if w.s.err != nil {
			r.setErr(fmt.Errorf("shard %d: %w", w.s.index, w.s.err))
			for range w.in { // keep the front from blocking until it sees the error
			}
			return
		}
	}
}
