package engine

import (
	"fmt"
	"log/slog"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/nfa"
	"github.com/kestrelcep/kestrel/patterns"
)

// shard is the rule stage for the keys it owns: per rule a map from key to NFA
// state, and one timer heap. It sees released events in time order and
// watermarks, and writes the records of matches and timeouts. Replay runs one
// shard in its own goroutine; the service runs one per core, each owning the
// keys that hash to it.
type shard struct {
	index, count int // this shard owns the keys with keyShard(key, count) == index
	sink         Sink
	log          *slog.Logger
	rules        []*ruleState
	timers       queue[timer]
	folds        queue[timer] // when keys' oldest retained events leave the lateness horizon (late.go)
	wm           int64        // the last watermark
	tseq         uint64
	out          nfa.Output
	env          patterns.MatchEnv
	stats        shardStats
	err          error
	stale        [][]byte // restored state keys of rules gone or changed, deleted by the next checkpoint
	metrics      *Metrics
	cur          *event.Event // the event being processed, for the event-to-alert latency
}

// shardStats are the counters a shard owns.
type shardStats struct {
	NullKeys int64
	Dropped  int64
	Outputs  map[string]int64
}

type ruleState struct {
	r        *patterns.Rule
	lateness int64 // the largest lateness of its streams: how long keys retain history (late.go)
	keys     map[string]*keyState
	spare    *keyState // an empty state for keys not yet in keys
	keyBuf   []byte
	warned   bool
	dirty    map[*keyState]struct{} // keys changed since the last checkpoint; nil: not tracked
}

type keyState struct {
	key   string // the key as JSON; the map key
	st    *nfa.State
	timer int64 // the registered wake-up, maxTime for none
	dead  bool
	hist  *history // for re-evaluating late events; nil when the rule allows no lateness
	part  int32    // the state group of its events (checkpoint.go)
}

type timer struct {
	at   int64
	seq  uint64
	rule *ruleState
	key  *keyState
}

func newShard(rs *patterns.RuleSet, index, count int, sink Sink, log *slog.Logger) *shard {
	s := &shard{index: index, count: count, sink: sink, log: log, wm: minTime}
	s.stats.Outputs = map[string]int64{}
	s.timers.less = timerLess
	s.folds.less = timerLess
	for _, r := range rs.Rules {
		s.rules = append(s.rules, newRuleState(rs, r))
	}
	return s
}

func timerLess(a, b timer) bool { return a.at < b.at || (a.at == b.at && a.seq < b.seq) }

func newRuleState(rs *patterns.RuleSet, r *patterns.Rule) *ruleState {
	return &ruleState{r: r, keys: map[string]*keyState{}, lateness: ruleLateness(rs, r)}
}

// keyShard is the shard that owns a rule key: FNV-1a over its JSON bytes.
func keyShard(key []byte, count int) int {
	if count <= 1 {
		return 0
	}
	h := uint32(2166136261)
	for _, c := range key {
		h ^= uint32(c)
		h *= 16777619
	}
	return int(h % uint32(count))
}

func (s *shard) fail(err error) {
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("sink: %w", err)
	}
}

// event fires the timers due by the event's time, then steps the NFA of every
// rule that reads its stream, for the event's key if this shard owns it.
func (s *shard) event(ev *event.Event) {
	if ev.Late {
		s.late(ev)
		return
	}
	s.fireTimers(ev.Time)
	st := ev.Stream()
	nev := nfa.Event{Time: ev.Time, Seq: ev.Seq, Data: ev}
	for _, rs := range s.rules {
		if !rs.r.Reads[st] {
			continue
		}
		var ok bool
		rs.keyBuf, ok = AppendKey(rs.keyBuf[:0], ev, rs.r.Key[st], rs.r.KeyTypes)
		if !ok {
			if s.index == 0 {
				s.stats.NullKeys++ // counted once, by the first shard
			}
			continue
		}
		if s.count > 1 && keyShard(rs.keyBuf, s.count) != s.index {
			continue
		}
		ks := rs.keys[string(rs.keyBuf)]
		if ks == nil && rs.lateness > 0 {
			// Every event is retained for late events to be evaluated with.
			ks = &keyState{key: string(rs.keyBuf), st: rs.r.Program.NewState(), timer: maxTime, hist: newHistory(rs.r), part: ev.Part}
			rs.keys[ks.key] = ks
		}
		if ks == nil {
			// Most events start nothing: step a spare state and keep it only if
			// it now holds a partial match.
			if rs.spare == nil {
				rs.spare = &keyState{st: rs.r.Program.NewState(), timer: maxTime}
			}
			ks = rs.spare
		}
		s.resetOut()
		s.cur = ev
		ks.st.Process(nev, &s.out)
		if ks == rs.spare && !ks.st.Empty() {
			ks.key, ks.part = string(rs.keyBuf), ev.Part
			rs.keys[ks.key] = ks
			rs.spare = nil
		} else if ks == rs.spare && len(s.out.Matches) > 0 {
			ks.key = string(rs.keyBuf) // matches of a one-step pattern carry the key
		}
		s.emit(rs, ks)
		s.cur = nil
		if ks.hist != nil {
			s.retain(rs, ks, ev)
		}
		s.settle(rs, ks)
	}
}

func (s *shard) watermark(w int64) {
	s.wm = max(s.wm, w)
	s.fireTimers(w)
	s.fireFolds(w)
}

func (s *shard) fireTimers(t int64) {
	for s.timers.len() > 0 && s.timers.peek().at <= t && s.err == nil {
		tm := s.timers.pop()
		ks := tm.key
		if ks.dead || ks.timer != tm.at {
			continue // superseded
		}
		ks.timer = maxTime
		s.resetOut()
		ks.st.AdvanceTime(tm.at, &s.out)
		s.emit(tm.rule, ks)
		s.settle(tm.rule, ks)
	}
}

func (s *shard) resetOut() {
	s.out.Matches = s.out.Matches[:0]
	s.out.Dropped = 0
}

// settle drops a key whose state is empty, or registers its next timer.
func (s *shard) settle(rs *ruleState, ks *keyState) {
	if ks == rs.spare {
		return
	}
	if rs.dirty != nil {
		rs.dirty[ks] = struct{}{}
	}
	if ks.st.Empty() && (ks.hist == nil || len(ks.hist.events) == 0) {
		delete(rs.keys, ks.key)
		ks.dead = true
		return
	}
	s.schedule(rs, ks)
}

// schedule registers the key's next wake-up if it is earlier than the one
// registered.
func (s *shard) schedule(rs *ruleState, ks *keyState) {
	if t, ok := ks.st.NextTimer(); ok && t < ks.timer {
		ks.timer = t
		s.timers.push(timer{at: t, seq: s.tseq, rule: rs, key: ks})
		s.tseq++
	}
}

// emit turns the NFA's output into records.
func (s *shard) emit(rs *ruleState, ks *keyState) {
	if s.out.Dropped > 0 {
		s.stats.Dropped += int64(s.out.Dropped)
		if !rs.warned {
			rs.warned = true
			s.log.Warn("partial matches per key reached the rule's bound; new partial matches are not started",
				"rule", rs.r.Name, "key", ks.key, "bound", rs.r.Pattern.MaxPartials)
		}
	}
	for i := range s.out.Matches {
		m := &s.out.Matches[i]
		output := rs.r.Output
		kind := alerts.KindMatch
		emitted := rs.r.Emit
		if m.Timeout {
			output, kind, emitted = "timeouts", alerts.KindTimeout, rs.r.TimeoutEmit
		}
		rec := s.record(rs.r, ks, m, kind, emitted)
		if ks.hist != nil {
			ks.hist.written[rec.ID] = m.Time
		}
		if s.cur != nil && !m.Timeout {
			s.metrics.observeAlert(s.cur.Received)
		}
		s.stats.Outputs[output]++
		s.fail(s.sink.Alert(output, rec))
	}
}

func (s *shard) record(r *patterns.Rule, ks *keyState, m *nfa.Match, kind string, emitted []patterns.Emitted) *alerts.Record {
	rec := &alerts.Record{
		Rule: r.Name, Version: r.Version, Severity: r.Severity, Mode: r.Mode, Kind: kind,
		Time: m.Time, Start: maxTime, End: minTime,
	}
	if len(r.Decl.By) > 0 {
		rec.Key = []byte(ks.key)
	}
	for _, st := range m.Steps {
		step := alerts.Step{Name: r.Steps[st.Step], Events: make([]alerts.Event, len(st.Events))}
		for j, nev := range st.Events {
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
		s.env.Reset(m, len(r.Steps))
		for _, f := range emitted {
			rec.Fields = append(rec.Fields, alerts.Field{Name: f.Name, Value: alerts.AppendValue(nil, f.Expr.Eval(&s.env))})
		}
	}
	rec.ID = alerts.ComputeID(rec)
	return rec
}

// keys is the number of (rule, key) pairs holding partial matches.
func (s *shard) keys() int {
	n := 0
	for _, rs := range s.rules {
		n += len(rs.keys)
	}
	return n
}
