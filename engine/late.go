package engine

import (
	"encoding/binary"
	"slices"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/nfa"
	"github.com/kestrelcep/kestrel/patterns"
)

// Late events within lateness (language.md, Time). Events are processed when
// the watermark W passes them; an event that comes behind W by at most its
// stream's lateness re-evaluates its key from the retained history: the
// key's NFA state as of the horizon W − L (L: the largest lateness of the
// rule's streams), and its events since, in time order. Every match of the
// re-evaluation that was not written before is written with "late": true;
// nothing written is withdrawn; the key goes on from the re-evaluated state.
//
// A rule whose streams allow no lateness keeps no history. The events of the
// history keep the feature values they were given when first processed; the
// late event's own values include it.

// history is what a key retains for re-evaluation.
type history struct {
	base    *nfa.State       // the state before events: everything older than the horizon
	events  []*event.Event   // processed since base, in processing order
	written map[string]int64 // ids written that a re-evaluation may produce again, by match time
	foldAt  int64            // the registered fold, maxTime for none
}

func newHistory(r *patterns.Rule) *history {
	return &history{base: r.Program.NewState(), written: map[string]int64{}, foldAt: maxTime}
}

// ruleLateness is the largest lateness of the streams a rule reads.
func ruleLateness(rs *patterns.RuleSet, r *patterns.Rule) int64 {
	var l int64
	for i, reads := range r.Reads {
		if reads {
			l = max(l, rs.Streams[i].Lateness)
		}
	}
	return l
}

// retain records a processed event in the key's history.
func (s *shard) retain(rs *ruleState, ks *keyState, ev *event.Event) {
	ks.hist.events = append(ks.hist.events, ev)
	s.scheduleFold(rs, ks)
}

// scheduleFold registers when the oldest retained event leaves the horizon:
// once W − L > its time.
func (s *shard) scheduleFold(rs *ruleState, ks *keyState) {
	h := ks.hist
	if len(h.events) == 0 {
		return
	}
	if at := h.events[0].Time + rs.lateness + 1; at < h.foldAt {
		h.foldAt = at
		s.folds.push(timer{at: at, seq: s.tseq, rule: rs, key: ks})
		s.tseq++
	}
}

// fireFolds moves the events that left the horizon into the keys' bases.
func (s *shard) fireFolds(w int64) {
	for s.folds.len() > 0 && s.folds.peek().at <= w {
		f := s.folds.pop()
		ks := f.key
		if ks.dead || ks.hist.foldAt != f.at {
			continue
		}
		ks.hist.foldAt = maxTime
		s.fold(f.rule, ks, w-f.rule.lateness)
		s.settle(f.rule, ks)
	}
}

// fold steps the base through the retained events older than horizon; what
// it outputs was written when they were processed.
func (s *shard) fold(rs *ruleState, ks *keyState, horizon int64) {
	h := ks.hist
	var out nfa.Output
	n := 0
	for _, ev := range h.events {
		if ev.Time >= horizon {
			break
		}
		out.Matches, out.Dropped = out.Matches[:0], 0
		h.base.AdvanceTime(ev.Time, &out)
		h.base.Process(nfa.Event{Time: ev.Time, Seq: ev.Seq, Data: ev}, &out)
		n++
	}
	h.events = slices.Delete(h.events, 0, n)
	for id, t := range h.written {
		if t < horizon {
			delete(h.written, id)
		}
	}
	s.scheduleFold(rs, ks)
}

// late re-evaluates the keys of a late event, rule by rule.
func (s *shard) late(ev *event.Event) {
	st := ev.Stream()
	for _, rs := range s.rules {
		if !rs.r.Reads[st] || rs.lateness == 0 {
			continue
		}
		key, ok := s.ownKey(rs, ev)
		if !ok {
			continue
		}
		ks := rs.keys[key]
		if ks == nil {
			ks = &keyState{key: key, st: rs.r.Program.NewState(), timer: maxTime, hist: newHistory(rs.r), part: ev.Part}
			rs.keys[key] = ks
		}
		s.reevaluate(rs, ks, ev)
		s.settle(rs, ks)
	}
}

// reevaluate runs the key again from its base over its retained events with
// ev inserted in time order, writes the matches not written before, and makes
// the result the key's state.
func (s *shard) reevaluate(rs *ruleState, ks *keyState, ev *event.Event) {
	h := ks.hist
	i, _ := slices.BinarySearchFunc(h.events, ev, evCmp)
	h.events = slices.Insert(h.events, i, ev)
	st := cloneState(rs.r.Program, h.base)
	s.resetOut()
	for _, e := range h.events {
		st.AdvanceTime(e.Time, &s.out)
		st.Process(nfa.Event{Time: e.Time, Seq: e.Seq, Data: e}, &s.out)
	}
	if s.wm != minTime {
		st.AdvanceTime(s.wm, &s.out)
	}
	ks.st = st
	ks.timer = maxTime // the timers registered for the old state are superseded
	s.emitLate(rs, ks)
	s.scheduleFold(rs, ks)
}

// emitLate writes the re-evaluation's records that were not written before.
func (s *shard) emitLate(rs *ruleState, ks *keyState) {
	if s.out.Dropped > 0 {
		s.stats.Dropped += int64(s.out.Dropped)
	}
	for i := range s.out.Matches {
		m := &s.out.Matches[i]
		output, kind, emitted := rs.r.Output, alerts.KindMatch, rs.r.Emit
		if m.Timeout {
			output, kind, emitted = "timeouts", alerts.KindTimeout, rs.r.TimeoutEmit
		}
		rec := s.record(rs.r, ks, m, kind, emitted)
		if _, done := ks.hist.written[rec.ID]; done {
			continue
		}
		ks.hist.written[rec.ID] = m.Time
		rec.Late = true
		s.stats.Outputs[output]++
		s.fail(s.sink.Alert(output, rec))
	}
}

// ownKey returns the rule's key of ev when this shard owns it.
func (s *shard) ownKey(rs *ruleState, ev *event.Event) (string, bool) {
	st := ev.Stream()
	var ok bool
	rs.keyBuf, ok = AppendKey(rs.keyBuf[:0], ev, rs.r.Key[st], rs.r.KeyTypes)
	if !ok {
		return "", false
	}
	if s.count > 1 && keyShard(rs.keyBuf, s.count) != s.index {
		return "", false
	}
	return string(rs.keyBuf), true
}

// cloneState copies an NFA state through its snapshot, sharing the events.
func cloneState(p *nfa.Program, st *nfa.State) *nfa.State {
	var evs []any
	b := st.AppendSnapshot(nil, func(b []byte, data any) []byte {
		evs = append(evs, data)
		return binary.AppendUvarint(b, uint64(len(evs)-1))
	})
	c, err := p.RestoreState(b, func(b []byte) (any, []byte, error) {
		i, n := binary.Uvarint(b)
		return evs[i], b[n:], nil
	})
	if err != nil {
		panic("engine: cloning an NFA state: " + err.Error()) // a snapshot of this program always restores
	}
	return c
}
