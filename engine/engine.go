package engine

import (
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/patterns"
)

// Sink receives the engine's records. output is the output an alert goes to:
// alerts, a rule's `to NAME`, shadow or timeouts. An error stops the engine.
type Sink interface {
	Alert(output string, r *alerts.Record) error
	Late(l *alerts.Late) error
	DeadLetter(d *alerts.DeadLetter) error
	Window(w *alerts.Window) error
}

// Options configures an Engine. Sink is required.
type Options struct {
	Sink   Sink
	Logger *slog.Logger // nil: discard
}

// Stats counts what the engine has seen and written.
type Stats struct {
	Events     int64            // events pushed (decoded ones)
	Late       int64            // events sent to the late output
	LateKept   int64            // late events within lateness, processed
	DeadLetter int64            // records sent to deadletter
	NullKeys   int64            // (rule, event) pairs skipped because a key field was null
	Dropped    int64            // partial matches not started: a key reached its bound
	Outputs    map[string]int64 // alert records per output
}

const (
	minTime = math.MinInt64
	maxTime = math.MaxInt64
)

// Engine runs a rule set. It is not safe for concurrent use.
type Engine struct {
	rs    *patterns.RuleSet
	sink  Sink
	log   *slog.Logger
	parts []partition
	rules *shard       // the rule stage when it runs in this goroutine (replay)
	stage ruleStage    // where released events and watermarks go: rules, or the runtime's shards
	buf   releaseQueue // events waiting for the watermark (release.go)
	seq   uint64
	stats Stats

	released int64 // the largest watermark advanced to
	err      error

	feat   *featureStage // the feature stage (features.go)
	featWM int64         // the features' watermark
}

// ruleStage takes released events in time order and watermarks.
type ruleStage interface {
	event(ev *event.Event) // fires the timers due by ev.Time first
	watermark(w int64)
}

// partition is one ordered input of a stream (a file, a Kafka partition).
type partition struct {
	stream int
	maxTs  int64
	ended  bool
	idle   bool // the service's idleness: no events for a while, not holding the watermark

	// Kept for the service's checkpoints and idleness; replay leaves them alone.
	name     string    // e.g. "http:txn", "kafka:transactions/3"
	next     int64     // the source position after the last record pushed
	lastSeen time.Time // when the partition last had a record
	attached bool      // a source reads it; a restored partition waits for its source before it can go idle
	group    int32     // the state group of its keys (checkpoint.go): a Kafka partition number, or LocalGroup
	dropped  bool      // its group moved to another process
}

// New returns an engine for rs. It fails only when a feature cannot be built,
// which a checked rule set rules out.
func New(rs *patterns.RuleSet, opts Options) (*Engine, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &Engine{rs: rs, sink: opts.Sink, log: log}
	e.stats.Outputs = map[string]int64{}
	e.rules = newShard(rs, 0, 1, opts.Sink, log)
	e.stage = e.rules
	var err error
	if e.feat, err = newFeatureStage(rs, e.emitWindow); err != nil {
		return nil, err
	}
	e.featWM = minTime
	e.released = minTime
	return e, nil
}

// AddPartition declares an input of stream s and returns its number. Until it
// has seen an event, a partition holds its stream's watermark back.
func (e *Engine) AddPartition(stream int) int {
	e.parts = append(e.parts, partition{stream: stream, maxTs: minTime, group: LocalGroup})
	return len(e.parts) - 1
}

// Stats returns the counters so far.
func (e *Engine) Stats() Stats {
	st := e.stats
	st.Outputs = make(map[string]int64, len(e.stats.Outputs))
	for k, v := range e.stats.Outputs {
		st.Outputs[k] += v
	}
	if e.rules != nil {
		st.NullKeys, st.Dropped = e.rules.stats.NullKeys, e.rules.stats.Dropped
		for k, v := range e.rules.stats.Outputs {
			st.Outputs[k] += v
		}
	}
	return st
}

// streamWatermark is the watermark of stream s: over its partitions that have
// not ended, the smallest of (largest timestamp − delay); with skipIdle,
// idle partitions are left out too. A stream with no such partition is at
// +∞; idle then says that some were left out for being idle.
func (e *Engine) streamWatermark(s int, skipIdle bool) (w int64, idle bool) {
	w = maxTime
	delay := e.rs.Streams[s].Watermark
	for _, p := range e.parts {
		if p.stream != s || p.ended {
			continue
		}
		if p.idle && skipIdle {
			idle = true
			continue
		}
		pw := int64(minTime)
		if p.maxTs != minTime {
			pw = p.maxTs - delay
		}
		w = min(w, pw)
	}
	return w, idle && w == maxTime
}

// releaseWatermark is the time up to which events are processed: the
// smallest stream watermark. Idle partitions and streams hold nothing back;
// when every open input is idle, the watermark is the largest of theirs, as
// Flink's StatusWatermarkValve does: what has arrived is processed, and time
// goes no further. An event that comes later, within its stream's lateness,
// re-evaluates its keys (late.go).
func (e *Engine) releaseWatermark() int64 {
	r := int64(maxTime)
	idle := false
	for i := range e.rs.Streams {
		w, allIdle := e.streamWatermark(i, true)
		if allIdle {
			idle = true
			continue
		}
		r = min(r, w)
	}
	if r == maxTime && idle {
		return max(e.released, e.idleWatermark())
	}
	return r
}

// Push hands the engine one decoded event read from partition p. Events of
// one partition must come in arrival order.
func (e *Engine) Push(p int, ev *event.Event) error {
	if e.err != nil {
		return e.err
	}
	e.stats.Events++
	ev.Part = e.parts[p].group
	ev.Seq = e.seq
	e.seq++
	s := ev.Stream()
	if w, _ := e.streamWatermark(s, false); ev.Time < w && w != maxTime {
		lag := w - ev.Time
		if lag > e.rs.Streams[s].Lateness {
			e.stats.Late++
			e.fail(e.sink.Late(&alerts.Late{
				Stream:    e.rs.Streams[s].Name,
				Event:     ev.JSON(),
				Watermark: w,
				Reason: fmt.Sprintf("%s behind the watermark; stream %s allows %s",
					time.Duration(lag)*time.Millisecond, e.rs.Streams[s].Name, time.Duration(e.rs.Streams[s].Lateness)*time.Millisecond),
				Source:   ev.Pos.Source,
				Position: ev.Pos.Offset,
			}))
			return e.err
		}
		e.stats.LateKept++
		ev.Late = true
	}
	part := &e.parts[p]
	part.maxTs = max(part.maxTs, ev.Time)
	e.buf.push(p, ev)
	e.advance(e.releaseWatermark())
	return e.err
}

// DeadLetter passes a record for an event that could not be decoded to the sink.
func (e *Engine) DeadLetter(d *alerts.DeadLetter) error {
	if e.err != nil {
		return e.err
	}
	e.stats.DeadLetter++
	e.fail(e.sink.DeadLetter(d))
	return e.err
}

// EndPartition marks p as finished: it no longer holds its stream's watermark.
func (e *Engine) EndPartition(p int) error {
	if e.err != nil {
		return e.err
	}
	e.parts[p].ended = true
	e.advance(e.releaseWatermark())
	return e.err
}

// Close ends every partition: the watermark goes to +∞, so every pending
// event, window, timeout and absence is processed.
func (e *Engine) Close() error {
	for i := range e.parts {
		e.parts[i].ended = true
	}
	e.advance(maxTime)
	return e.err
}

func (e *Engine) fail(err error) {
	if err != nil && e.err == nil {
		e.err = fmt.Errorf("sink: %w", err)
	}
}

// checkRules takes over the rule stage's error, already wrapped.
func (e *Engine) checkRules() {
	if e.rules != nil && e.rules.err != nil && e.err == nil {
		e.err = e.rules.err
	}
}

// advance processes every buffered event with time ≤ w in time order, firing
// before each one the timers due at its time, then the timers due by w.
func (e *Engine) advance(w int64) {
	e.released = max(e.released, w)
	for e.buf.len() > 0 && e.buf.peek().Time <= w && e.err == nil {
		ev := e.buf.pop()
		// Windows that end at or before the event's time close before it.
		e.advanceFeatures(ev.Time)
		e.updateFeatures(ev)
		e.stage.event(ev)
		e.checkRules()
	}
	e.advanceFeatures(w)
	e.stage.watermark(w)
	e.checkRules()
}

// appendKey appends the partition key of ev as JSON: the value of a single
// field, an array for a composite key, "" for a rule without `by`. It reports
// false when a key field is null.
func AppendKey(b []byte, ev *event.Event, slots []int, types []expr.Type) ([]byte, bool) {
	if len(slots) == 0 {
		return b, true
	}
	if len(slots) > 1 {
		b = append(b, '[')
	}
	for i, slot := range slots {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		switch types[i] {
		case expr.String:
			var s string
			if s, ok = ev.Str(slot); ok {
				b = alerts.AppendString(b, s)
			}
		case expr.Int:
			var n int64
			if n, ok = ev.Int(slot); ok {
				b = alerts.AppendValue(b, expr.IntValue(n))
			}
		case expr.Time:
			var n int64
			if n, ok = ev.Int(slot); ok {
				b = alerts.AppendValue(b, expr.TimeValue(n))
			}
		case expr.Float:
			var f float64
			if f, ok = ev.Float(slot); ok {
				b = alerts.AppendFloat(b, f)
			}
		case expr.Bool:
			var v bool
			if v, ok = ev.Bool(slot); ok {
				b = alerts.AppendValue(b, expr.BoolValue(v))
			}
		}
		if !ok {
			return b, false
		}
	}
	if len(slots) > 1 {
		b = append(b, ']')
	}
	return b, true
}

// Keys is the number of (rule, key) pairs holding partial matches.
func (e *Engine) Keys() int { return e.rules.keys() }

// idleWatermark is the largest watermark of the partitions that are idle.
func (e *Engine) idleWatermark() int64 {
	w := int64(minTime)
	for _, p := range e.parts {
		if p.idle && !p.ended && !p.dropped && p.maxTs != minTime {
			w = max(w, p.maxTs-e.rs.Streams[p.stream].Watermark)
		}
	}
	return w
}
