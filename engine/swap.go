package engine

import (
	"context"
	"encoding/binary"
	"slices"
	"sync"

	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/patterns"
)

// Hot swap. A new rule set replaces the running one at a point where every
// shard has processed exactly the batches sent before it, so that no event is
// seen by both or by neither. A rule whose name and version are unchanged
// keeps its partial matches; a new version, a new rule and a removed one start
// from, or leave, nothing.

// SwapResult says what a swap kept and dropped.
type SwapResult struct {
	Kept    []string       // rules that kept their state
	Dropped map[string]int // per rule replaced or removed: the keys whose partial matches were dropped
	// FeaturesReset is set when a feature's state could not be carried to
	// the new rule set (its declaration, or the group it shares its state
	// with, changed): those windows start empty.
	FeaturesReset bool
}

// Swap replaces the rule set. layoutSame says that streams and features are
// unchanged (the same declarations, so the same event layout): the feature
// stage and the waiting events are kept as they are. Otherwise the feature
// stage starts empty, waiting events are decoded again against the new
// streams, and kept rules' states move over through their snapshots (a key
// whose events no longer fit the new layout is dropped).
func (r *Runtime) Swap(ctx context.Context, rs *patterns.RuleSet, layoutSame bool) (SwapResult, error) {
	var res SwapResult
	err := r.do(ctx, func() error {
		e := r.front
		var feat *featureStage
		if !layoutSame {
			// The features' state moves to the new stage: a feature
			// declared alike keeps its windows; a changed one starts empty.
			var err error
			if feat, err = newFeatureStage(rs, e.emitWindow); err != nil {
				return err
			}
			all, err := e.feat.carryTo(feat)
			if err != nil {
				return err
			}
			res.FeaturesReset = !all
		}
		return r.stopTheWorld(func() {
			reset := res.FeaturesReset
			res = r.swapShards(rs, layoutSame)
			res.FeaturesReset = reset
			if !layoutSame {
				e.feat = feat
				e.buf.rewrite(func(ev *event.Event) *event.Event { return convertEvent(rs, ev) })
				for i := range e.parts {
					p := &e.parts[i]
					if s := rs.Stream(e.rs.Streams[p.stream].Name); s != nil {
						p.stream = s.Index
					} else {
						p.ended, p.dropped = true, true // a stream no longer declared
					}
				}
			}
			e.rs, r.disp.rs = rs, rs
		})
	})
	return res, err
}

// stopTheWorld runs fn on the front goroutine while every shard waits at a
// barrier: nothing runs concurrently with fn.
func (r *Runtime) stopTheWorld(fn func()) error {
	r.disp.flush()
	var parked sync.WaitGroup
	parked.Add(len(r.workers))
	resume := make(chan struct{})
	for _, w := range r.workers {
		w.in <- []shardMsg{{ctl: func() { parked.Done(); <-resume }}}
	}
	parked.Wait()
	fn()
	close(resume)
	return r.Err()
}

func (r *Runtime) swapShards(rs *patterns.RuleSet, layoutSame bool) SwapResult {
	res := SwapResult{Dropped: map[string]int{}}
	kept := map[string]bool{}
	for _, w := range r.workers {
		s := w.s
		old := map[string]*ruleState{}
		for _, st := range s.rules {
			old[ruleID(st.r)] = st
		}
		var rules []*ruleState
		for _, nr := range rs.Rules {
			st := old[ruleID(nr)]
			delete(old, ruleID(nr))
			if st == nil {
				ns := newRuleState(rs, nr)
				ns.dirty = dirtyMap(s.tracking())
				rules = append(rules, ns)
				continue
			}
			kept[nr.Name] = true
			if layoutSame {
				// The same compiled pattern: keep the program the states run
				// on, and take what may change without a new version.
				st.r.Output, st.r.Mode = nr.Output, nr.Mode
				rules = append(rules, st)
				continue
			}
			rules = append(rules, s.moveRule(rs, st, nr, &res))
		}
		for _, st := range old {
			res.Dropped[st.r.Name] += s.dropRule(st)
		}
		s.rules = rules
	}
	for name := range kept {
		res.Kept = append(res.Kept, name)
	}
	slices.Sort(res.Kept)
	for name, n := range res.Dropped {
		if n == 0 {
			delete(res.Dropped, name)
		}
	}
	return res
}

// tracking reports whether checkpoints track this shard's changes yet.
func (s *shard) tracking() bool {
	for _, st := range s.rules {
		if st.dirty != nil {
			return true
		}
	}
	return false
}

func dirtyMap(track bool) map[*keyState]struct{} {
	if !track {
		return nil
	}
	return map[*keyState]struct{}{}
}

// dropRule forgets a rule's keys; the next checkpoint deletes their state.
func (s *shard) dropRule(st *ruleState) int {
	n := len(st.keys)
	for _, ks := range st.keys {
		ks.dead = true // its timers are skipped
		s.stale = append(s.stale, ruleStateKey(ks.part, ruleID(st.r), ks.key))
	}
	for ks := range st.dirty {
		if ks.dead {
			s.stale = append(s.stale, ruleStateKey(ks.part, ruleID(st.r), ks.key))
		}
	}
	return n
}

// moveRule carries a kept rule's keys over to its new compilation through
// their snapshots, with the events converted to the new streams.
func (s *shard) moveRule(rs *patterns.RuleSet, st *ruleState, nr *patterns.Rule, res *SwapResult) *ruleState {
	ns := newRuleState(rs, nr)
	ns.dirty = dirtyMap(st.dirty != nil)
	var buf []byte
	for key, ks := range st.keys {
		ks.dead = true
		ok := true
		buf = appendKeyState(buf[:0], nr.Version, ks, func(b []byte, ev *event.Event) []byte {
			nev := convertEvent(rs, ev)
			if nev == nil {
				ok = false
				return b
			}
			return appendEvent(b, nev)
		})
		var nks *keyState
		var err error
		if ok {
			_, n := binary.Uvarint(buf)
			nks, err = decodeKeyState(rs, ns, key, buf[n:])
		}
		if nks != nil {
			nks.part = ks.part
		}
		if !ok || err != nil {
			res.Dropped[nr.Name]++
			s.stale = append(s.stale, ruleStateKey(ks.part, ruleID(nr), key))
			continue
		}
		if ns.lateness > 0 && nks.hist == nil {
			nks.hist = newHistory(nr) // lateness is new: history starts now
			nks.hist.base = cloneState(nr.Program, nks.st)
		} else if ns.lateness == 0 {
			nks.hist = nil
		}
		ns.keys[key] = nks
		if ns.dirty != nil {
			ns.dirty[nks] = struct{}{}
		}
		s.schedule(ns, nks)
		if nks.hist != nil {
			s.scheduleFold(ns, nks)
		}
	}
	return ns
}

// convertEvent returns ev as an event of its stream in rs: the same slots
// when the layout is the same, else decoded again from its JSON (the values
// features had attached are then gone). nil: its stream is gone, or the
// event no longer decodes.
func convertEvent(rs *patterns.RuleSet, ev *event.Event) *event.Event {
	st := rs.Stream(ev.Schema.Name)
	if st == nil {
		return nil
	}
	if nev, _, err := st.Schema.DecodeBinary(ev.AppendBinary(nil)); err == nil {
		return nev
	}
	nev := st.Schema.NewEvent()
	if event.NewJSONDecoder(st.Schema).Decode(ev.JSON(), nev) != nil {
		return nil
	}
	nev.Seq, nev.Pos, nev.Late = ev.Seq, ev.Pos, ev.Late
	return nev
}
