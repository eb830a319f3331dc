package alerts

import (
	"context"
	"sync"
)

// queue is a FIFO of batches for one consumer, bounded in messages: a put
// waits while the messages queued or being written, plus its own, would
// exceed max. A batch larger than max is let in when the queue is empty, so it
// is never stuck. Barriers ride in the same order and count nothing.
type queue struct {
	mu      sync.Mutex
	items   []qitem
	n       int    // messages queued or taken and not yet released
	in, out uint64 // messages ever put, ever released
	max     int
	closed  bool
	ready   chan struct{} // cap 1: poked when an item is added or the queue is closed
	changed chan struct{} // closed, and replaced, whenever messages are released
	metrics *sinkMetrics
}

type qitem struct {
	msgs    []Message
	barrier *barrier
}

// barrier is a checkpoint's marker in a sink's queue.
type barrier struct {
	ctx  context.Context
	done chan barrierResult // buffered: the worker never waits for the flusher
}

type barrierResult struct {
	route int
	size  int64 // the file's length at the barrier, for a file sink
	err   error
}

func newQueue(max int, m *sinkMetrics) *queue {
	return &queue{max: max, ready: make(chan struct{}, 1), changed: make(chan struct{}), metrics: m}
}

func (q *queue) poke() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// put appends msgs, waiting for room until ctx ends.
func (q *queue) put(ctx context.Context, msgs []Message) error {
	if len(msgs) == 0 {
		return nil
	}
	for {
		q.mu.Lock()
		if q.closed {
			q.mu.Unlock()
			return ErrClosed
		}
		if q.n == 0 || q.n+len(msgs) <= q.max {
			q.items = append(q.items, qitem{msgs: msgs})
			q.n += len(msgs)
			q.in += uint64(len(msgs))
			q.mu.Unlock()
			q.metrics.queued(len(msgs))
			q.poke()
			return nil
		}
		changed := q.changed
		q.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// putBarrier appends a barrier, whatever the queue holds.
func (q *queue) putBarrier(b *barrier) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return ErrClosed
	}
	q.items = append(q.items, qitem{barrier: b})
	q.mu.Unlock()
	q.poke()
	return nil
}

// next waits for work: up to maxBatch messages, merged from the queued
// batches in order, or the barrier at the head. ok is false once the queue is
// closed and empty. The consumer calls release for the messages when done.
func (q *queue) next(maxBatch int) (msgs []Message, b *barrier, ok bool) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			break
		}
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return nil, nil, false
		}
		<-q.ready
	}
	defer q.mu.Unlock()
	if b := q.items[0].barrier; b != nil {
		q.pop(1)
		return nil, b, true
	}
	msgs = q.items[0].msgs
	i := 1
	for ; i < len(q.items) && q.items[i].barrier == nil && len(msgs)+len(q.items[i].msgs) <= maxBatch; i++ {
		if i == 1 {
			msgs = append(make([]Message, 0, len(msgs)+len(q.items[i].msgs)), msgs...)
		}
		msgs = append(msgs, q.items[i].msgs...)
	}
	q.pop(i)
	return msgs, nil, true
}

func (q *queue) pop(n int) {
	clear(q.items[:n])
	q.items = q.items[n:]
	if len(q.items) == 0 {
		q.items = q.items[:0:0] // let the backing array go
	}
}

// release gives back the room of n messages taken by next.
func (q *queue) release(n int) {
	if n == 0 {
		return
	}
	q.mu.Lock()
	q.n -= n
	q.out += uint64(n)
	close(q.changed)
	q.changed = make(chan struct{})
	q.mu.Unlock()
	q.metrics.queued(-n)
}

// wait waits until every message put before the call has been released.
func (q *queue) wait(ctx context.Context) error {
	return q.waitFor(ctx, q.mark())
}

// mark returns the count of messages put so far, for waitFor.
func (q *queue) mark() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.in
}

// waitFor waits until the first target messages put have been released.
func (q *queue) waitFor(ctx context.Context, target uint64) error {
	q.mu.Lock()
	for q.out < target {
		changed := q.changed
		q.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
		q.mu.Lock()
	}
	q.mu.Unlock()
	return nil
}

// close refuses further puts; waiting puts return ErrClosed once woken. The
// consumer goes on until the queue is empty.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	close(q.changed) // wake waiting puts: they see closed
	q.changed = make(chan struct{})
	q.mu.Unlock()
	q.poke()
}

// length returns the messages queued or being written.
func (q *queue) length() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}
