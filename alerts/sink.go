package alerts

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Errors of the sinks.
var (
	// ErrClosed is returned by a write to a sink or router that was closed.
	ErrClosed = errors.New("sink closed")
	// ErrShortFile is returned by OpenFile when the file is shorter than the
	// length the checkpoint recorded: it was cut or replaced behind
	// Kestrel's back, and the records up to the checkpoint are not all there.
	ErrShortFile = errors.New("file is shorter than its checkpointed length")
)

// Message is one output record on its way to a sink: one JSON object (no
// newline) and what the sinks need besides it.
type Message struct {
	Output string // the output's name: alerts, shadow, late, deadletter, windows, or a `to NAME` output
	Key    []byte // the Kafka message key: an alert's partition key as JSON, a window's key; may be empty
	ID     string // the alert's deterministic id; empty for records without one
	JSON   []byte // the record, as its AppendJSON writes it
}

// AlertMessage returns the message of an alert or timeout record for output.
// Its Kafka key is the alert's partition key, so one key keeps its order.
func AlertMessage(output string, r *Record) Message {
	return Message{Output: output, Key: r.Key, ID: r.ID, JSON: r.AppendJSON(nil)}
}

// LateMessage returns the message of a record of the late output.
func LateMessage(l *Late) Message {
	return Message{Output: "late", JSON: l.AppendJSON(nil)}
}

// DeadLetterMessage returns the message of a record of the deadletter output.
func DeadLetterMessage(d *DeadLetter) Message {
	return Message{Output: "deadletter", JSON: d.AppendJSON(nil)}
}

// WindowMessage returns the message of a record of the windows output, keyed
// by the feature's key.
func WindowMessage(w *Window) Message {
	return Message{Output: "windows", Key: w.Key, JSON: w.AppendJSON(nil)}
}

// Sink receives output records in batches (the engine writes them in batches
// between checkpoints). Write returns nil once the sink has the whole batch
// (written to the file, acknowledged by Kafka or Redis, queued by the
// webhook); after an error the batch may be written again, whole, so a sink
// other than a file may see a record twice. The id makes duplicates
// droppable. A sink keeps no reference to msgs' slices after Write returns,
// except a sink that queues (the webhook), which keeps them until delivered;
// callers do not reuse the bytes of a message once written.
type Sink interface {
	Write(ctx context.Context, msgs []Message) error
	Close() error
}

// SinkFunc adapts a function to a Sink whose Close does nothing: the API's
// alert store, for instance.
type SinkFunc func(ctx context.Context, msgs []Message) error

// Write calls f.
func (f SinkFunc) Write(ctx context.Context, msgs []Message) error { return f(ctx, msgs) }

// Close does nothing.
func (f SinkFunc) Close() error { return nil }

// Flusher is a sink that holds records back: Flush returns once every record
// written before the call is durable (a file: written and fsynced) or
// delivered (a webhook), or with the reason it is not. The checkpoint calls it,
// through Router.Flush, before it stores source positions past those records.
type Flusher interface {
	Flush(ctx context.Context) error
}

// backoff returns the wait before retry number attempt (0 for the first):
// min doubled attempt times, at most max, with "equal jitter" (a uniform
// draw from the upper half), so retries of many sinks do not line up.
func backoff(min, max time.Duration, attempt int) time.Duration {
	d := max
	if attempt < 32 {
		if e := min << attempt; e > 0 && e < max {
			d = e
		}
	}
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}

// sleep waits d or until ctx ends; it reports whether the wait was complete.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
