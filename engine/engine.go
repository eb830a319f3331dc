package engine

import (
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/nfa"
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
	rs     *patterns.RuleSet
	sink   Sink
	log    *slog.Logger
	parts  []partition
	rules  []*ruleState
	buf    queue[*event.Event]
	timers queue[timer]
	seq    uint64
	tseq   uint64
	out    nfa.Output
	env    patterns.MatchEnv
	stats  Stats
	err    error

	feats       []*featureState
	featUpdates [][]featureUpdate // per stream
	featReads   [][]featureRead   // per stream
	featKeys    []featureKeys     // per stream
	featWM      int64             // the features' watermark
}

// partition is one ordered input of a stream (a file, a Kafka partition).
type partition struct {
	stream int
	maxTs  int64
	ended  bool
}

type ruleState struct {
	r      *patterns.Rule
	keys   map[string]*keyState
	spare  *keyState // an empty state for keys not yet in keys
	keyBuf []byte
	warned bool
}

type keyState struct {
	key   string // the key as JSON; the map key
	st    *nfa.State
	timer int64 // the registered wake-up, maxTime for none
	dead  bool
}

type timer struct {
	at   int64
	seq  uint64
	rule *ruleState
	key  *keyState
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
	e.buf.less = func(a, b *event.Event) bool {
		return a.Time < b.Time || (a.Time == b.Time && a.Seq < b.Seq)
	}
	e.timers.less = func(a, b timer) bool {
		return a.at < b.at || (a.at == b.at && a.seq < b.seq)
	}
	for _, r := range rs.Rules {
		e.rules = append(e.rules, &ruleState{r: r, keys: map[string]*keyState{}})
	}
	var err error
	if e.feats, e.featUpdates, e.featReads, e.featKeys, err = newFeatures(rs); err != nil {
		return nil, err
	}
	e.featWM = minTime
	return e, nil
}

// AddPartition declares an input of stream s and returns its number. Until it
// has seen an event, a partition holds its stream's watermark back.
func (e *Engine) AddPartition(stream int) int {
	e.parts = append(e.parts, partition{stream: stream, maxTs: minTime})
	return len(e.parts) - 1
}

// Stats returns the counters so far.
func (e *Engine) Stats() Stats { return e.stats }

// streamWatermark is the watermark of stream s: over its partitions that have
// not ended, the smallest of (largest timestamp − delay). A stream with no
// open partition is at +∞.
func (e *Engine) streamWatermark(s int) int64 {
	w := int64(maxTime)
	delay := e.rs.Streams[s].Watermark
	for _, p := range e.parts {
		if p.stream != s || p.ended {
			continue
		}
		pw := int64(minTime)
		if p.maxTs != minTime {
			pw = p.maxTs - delay
		}
		w = min(w, pw)
	}
	return w
}

// releaseWatermark is the time up to which events can be processed: the
// smallest stream watermark less that stream's lateness, so that every late
// event still accepted arrives before its successors are processed.
func (e *Engine) releaseWatermark() int64 {
	r := int64(maxTime)
	for i, s := range e.rs.Streams {
		w := e.streamWatermark(i)
		if w != maxTime && w != minTime {
			w -= s.Lateness
		}
		r = min(r, w)
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
	ev.Seq = e.seq
	e.seq++
	s := ev.Stream()
	if w := e.streamWatermark(s); ev.Time < w && w != maxTime {
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
	e.buf.push(ev)
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

// advance processes every buffered event with time ≤ w in time order, firing
// before each one the timers due at its time, then the timers due by w.
func (e *Engine) advance(w int64) {
	for e.buf.len() > 0 && e.buf.peek().Time <= w && e.err == nil {
		ev := e.buf.pop()
		// Windows that end at or before the event's time close before it.
		e.advanceFeatures(ev.Time)
		e.fireTimers(ev.Time)
		e.updateFeatures(ev)
		e.process(ev)
	}
	e.advanceFeatures(w)
	e.fireTimers(w)
}

func (e *Engine) fireTimers(t int64) {
	for e.timers.len() > 0 && e.timers.peek().at <= t && e.err == nil {
		tm := e.timers.pop()
		ks := tm.key
		if ks.dead || ks.timer != tm.at {
			continue // superseded
		}
		ks.timer = maxTime
		e.resetOut()
		ks.st.AdvanceTime(tm.at, &e.out)
		e.emit(tm.rule, ks)
		e.settle(tm.rule, ks)
	}
}

func (e *Engine) resetOut() {
	e.out.Matches = e.out.Matches[:0]
	e.out.Dropped = 0
}

func (e *Engine) process(ev *event.Event) {
	s := ev.Stream()
	nev := nfa.Event{Time: ev.Time, Seq: ev.Seq, Data: ev}
	for _, rs := range e.rules {
		if !rs.r.Reads[s] {
			continue
		}
		var ok bool
		rs.keyBuf, ok = AppendKey(rs.keyBuf[:0], ev, rs.r.Key[s], rs.r.KeyTypes)
		if !ok {
			e.stats.NullKeys++
			continue
		}
		ks := rs.keys[string(rs.keyBuf)]
		if ks == nil {
			// Most events start nothing: step a spare state and keep it only if
			// it now holds a partial match.
			if rs.spare == nil {
				rs.spare = &keyState{st: rs.r.Program.NewState(), timer: maxTime}
			}
			ks = rs.spare
		}
		e.resetOut()
		ks.st.Process(nev, &e.out)
		if ks == rs.spare && !ks.st.Empty() {
			ks.key = string(rs.keyBuf)
			rs.keys[ks.key] = ks
			rs.spare = nil
		} else if ks == rs.spare && len(e.out.Matches) > 0 {
			ks.key = string(rs.keyBuf) // matches of a one-step pattern carry the key
		}
		e.emit(rs, ks)
		e.settle(rs, ks)
	}
}

// settle drops a key whose state is empty, or registers its next timer.
func (e *Engine) settle(rs *ruleState, ks *keyState) {
	if ks == rs.spare {
		return
	}
	if ks.st.Empty() {
		delete(rs.keys, ks.key)
		ks.dead = true
		return
	}
	if t, ok := ks.st.NextTimer(); ok && t < ks.timer {
		ks.timer = t
		e.timers.push(timer{at: t, seq: e.tseq, rule: rs, key: ks})
		e.tseq++
	}
}

// emit turns the NFA's output into records.
func (e *Engine) emit(rs *ruleState, ks *keyState) {
	if e.out.Dropped > 0 {
		e.stats.Dropped += int64(e.out.Dropped)
		if !rs.warned {
			rs.warned = true
			e.log.Warn("partial matches per key reached the rule's bound; new partial matches are not started",
				"rule", rs.r.Name, "key", ks.key, "bound", rs.r.Pattern.MaxPartials)
		}
	}
	for i := range e.out.Matches {
		m := &e.out.Matches[i]
		output := rs.r.Output
		kind := alerts.KindMatch
		emitted := rs.r.Emit
		if m.Timeout {
			output, kind, emitted = "timeouts", alerts.KindTimeout, rs.r.TimeoutEmit
		}
		rec := e.record(rs.r, ks, m, kind, emitted)
		e.stats.Outputs[output]++
		e.fail(e.sink.Alert(output, rec))
	}
}

func (e *Engine) record(r *patterns.Rule, ks *keyState, m *nfa.Match, kind string, emitted []patterns.Emitted) *alerts.Record {
	rec := &alerts.Record{
		Rule: r.Name, Version: r.Version, Severity: r.Severity, Mode: "live", Kind: kind,
		Time: m.Time, Start: maxTime, End: minTime,
	}
	if len(r.Decl.By) > 0 {
		rec.Key = []byte(ks.key)
	}
	for _, s := range m.Steps {
		step := alerts.Step{Name: r.Steps[s.Step], Events: make([]alerts.Event, len(s.Events))}
		for j, nev := range s.Events {
			ev := nev.Data.(*event.Event)
			step.Events[j] = alerts.Event{Identity: ev.Identity(), JSON: ev.JSON()}
			rec.Start = min(rec.Start, ev.Time)
			rec.End = max(rec.End, ev.Time)
			rec.Late = rec.Late || ev.Late
		}
		rec.Steps = append(rec.Steps, step)
	}
	if m.Timeout || kind == alerts.KindMatch && m.Time > rec.End {
		rec.End = m.Time // a timeout or an absence ends with its window
	}
	if rec.Start == maxTime {
		rec.Start = m.Time
	}
	if len(emitted) > 0 {
		e.env.Reset(m, len(r.Steps))
		for _, f := range emitted {
			rec.Fields = append(rec.Fields, alerts.Field{Name: f.Name, Value: alerts.AppendValue(nil, f.Expr.Eval(&e.env))})
		}
	}
	rec.ID = alerts.ComputeID(rec)
	return rec
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
func (e *Engine) Keys() int {
	n := 0
	for _, rs := range e.rules {
		n += len(rs.keys)
	}
	return n
}
