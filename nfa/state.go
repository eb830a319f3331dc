package nfa

// State is the runtime state of one key: its partial matches, its completed
// matches not yet released, and the events they hold. The zero of its memory
// is an idle key: Empty reports it and it holds nothing but the State itself.
// A State is not safe for concurrent use; distinct States are.
type State struct {
	p *Program
	m *mem // nil when idle
}

// NewState returns the state of a new key.
func (p *Program) NewState() *State { return &State{p: p} }

// Empty reports whether the key has no partial, pending or held match: the
// engine can drop it, and a new State behaves the same.
func (s *State) Empty() bool { return s.m == nil }

// NextTimer returns when AdvanceTime next has work: the earliest time at
// which a partial match expires or an absence completes. ok is false when
// nothing is timed.
func (s *State) NextTimer() (t int64, ok bool) {
	m := s.m
	if m == nil || s.p.within <= 0 || len(m.runs) == 0 {
		return 0, false
	}
	return m.timer, true
}

// AdvanceTime tells the key that the watermark reached t: no event with a
// smaller Time will come. Partial matches whose window ends at or before t
// expire (reported as timeouts when Pattern.Timeouts is set), pending
// absences complete as matches, and held matches that no longer wait for an
// older partial match are released. Deadlines are processed in time order,
// as if the watermark had stopped at each, so the result does not depend on
// how the watermark advances.
func (s *State) AdvanceTime(t int64, out *Output) {
	m := s.m
	if m == nil || s.p.within <= 0 || len(m.runs) == 0 || t < m.timer {
		return
	}
	x := out.exec(s.p)
	for s.m != nil && len(s.m.runs) > 0 && s.m.timer <= t {
		s.expire(x, s.m.timer, out)
	}
	x.done()
}

// expire handles the runs whose deadline is d, the earliest.
func (s *State) expire(x *exec, d int64, out *Output) {
	p, m := s.p, s.m
	x.pot = x.pot[:0]
	keep := 0
	for _, r := range m.runs {
		dl := p.deadline(&r)
		if dl > d {
			m.runs[keep] = r
			keep++
			continue
		}
		if p.states[r.st].absent {
			r.prev = dl
			x.pot = append(x.pot, r)
			continue
		}
		if p.timeouts {
			out.Matches = append(out.Matches, s.materialize(x, r.node, true, dl))
		}
		s.release(r.node)
	}
	m.runs = m.runs[:keep]
	s.releaseMatches(x, out)
	s.finish()
}

// Process runs one event of this key through the automaton. Events must come
// in (Time, Seq) order; Process first calls AdvanceTime(ev.Time).
func (s *State) Process(ev Event, out *Output) {
	s.AdvanceTime(ev.Time, out)
	p := s.p
	x := out.exec(p)
	x.evGen++
	x.ctx.s = s
	x.ctx.ev = ev
	x.next = x.next[:0]
	x.pot = x.pot[:0]
	if m := s.m; m != nil {
		m.curEv = -1
		for i := range m.runs {
			s.advance(x, m.runs[i], false, out)
		}
	}
	s.advance(x, run{st: p.start, node: -1}, true, out)
	if m := s.m; m != nil {
		m.runs = append(m.runs[:0], x.next...)
		s.releaseMatches(x, out)
		s.finish()
	}
	x.done()
}

// advance computes the successors of one computation state for the current
// event (Flink's computeNextStates and the classification in doProcess).
func (s *State) advance(x *exec, cs run, isStart bool, out *Output) {
	p := s.p
	ev := &x.ctx.ev
	x.ctx.reset(cs.node)
	x.csGen++
	x.graph(p, cs.st)
	x.tmp = x.tmp[:0]
	discard := false
	for _, e := range x.edges {
		switch e.act {
		case actIgnore:
			if isStart {
				continue // the start state never ignores: it is always there
			}
			s.retain(cs.node)
			x.tmp = append(x.tmp, run{st: e.to, node: cs.node, start: cs.start, startSeq: cs.startSeq, prev: cs.prev})
		case actTake:
			if p.states[e.to].kind == kStop {
				discard = true // a negated step saw its event
				continue
			}
			n := s.newNode(ev, e.step, cs.node)
			r := run{st: e.to, node: n, start: cs.start, startSeq: cs.startSeq, prev: ev.Time}
			if isStart {
				r.start, r.startSeq = ev.Time, ev.Seq
			}
			x.tmp = append(x.tmp, r)
			if f := x.finalAfterProceed(p, e.to); f >= 0 {
				s.retain(n)
				r.st = f
				x.tmp = append(x.tmp, r)
			}
		}
	}
	if !isStart {
		s.release(cs.node)
	}
	for _, r := range x.tmp {
		switch {
		case p.states[r.st].kind == kFinal:
			r.prev = ev.Time
			x.pot = append(x.pot, r)
		case discard:
			s.release(r.node)
		case len(x.next)+len(s.m.held)+len(x.pot) >= p.maxPartials:
			s.release(r.node)
			out.Dropped++
		default:
			x.next = append(x.next, r)
		}
	}
}

// releaseMatches queues the completed matches in x.pot and releases the
// queued ones that may go, pruning what the skip strategy discards (Flink's
// processMatchesAccordingToSkipStrategy).
func (s *State) releaseMatches(x *exec, out *Output) {
	p, m := s.p, s.m
	for _, r := range x.pot {
		s.hold(x, r)
	}
	x.pot = x.pot[:0]
	for len(m.held) > 0 {
		h := m.held[0]
		if p.skip != NoSkip && len(m.runs) > 0 && before(m.runs[0].start, m.runs[0].startSeq, h.start, h.startSeq) {
			break // an older partial match may still complete first
		}
		m.held = m.held[:copy(m.held, m.held[1:])]
		out.Matches = append(out.Matches, s.materialize(x, h.node, false, h.prev))
		if t, seq, inclusive, ok := s.pruningPoint(&h); ok {
			m.runs = s.prune(m.runs, t, seq, inclusive)
			m.held = s.prune(m.held, t, seq, inclusive)
		}
		s.release(h.node)
	}
}

// before reports whether event (t1, s1) comes before (t2, s2).
func before(t1 int64, s1 uint64, t2 int64, s2 uint64) bool {
	return t1 < t2 || (t1 == t2 && s1 < s2)
}

// pruningPoint is the event that the skip strategy prunes up to after match
// h: partial and held matches whose first event comes before it (or at it,
// when inclusive) are discarded.
func (s *State) pruningPoint(h *run) (t int64, seq uint64, inclusive, ok bool) {
	p, m := s.p, s.m
	switch p.skip {
	case SkipPastLast:
		e := m.eventOf(h.node)
		return e.Time, e.Seq, true, true
	case SkipToNext:
		return h.start, h.startSeq, true, true
	case SkipToFirst, SkipToLast:
		found := int32(-1)
		for n := h.node; n >= 0; n = m.nodes[n].prev {
			if m.nodes[n].step == p.skipStep {
				found = n
				if p.skip == SkipToLast {
					break
				}
			}
		}
		if found < 0 {
			return 0, 0, false, false
		}
		e := m.eventOf(found)
		return e.Time, e.Seq, false, true
	}
	return 0, 0, false, false
}

func (s *State) prune(rs []run, t int64, seq uint64, inclusive bool) []run {
	keep := 0
	for _, r := range rs {
		if before(r.start, r.startSeq, t, seq) || (inclusive && r.start == t && r.startSeq == seq) {
			s.release(r.node)
			continue
		}
		rs[keep] = r
		keep++
	}
	return rs[:keep]
}

// hold queues a completed match in release order.
func (s *State) hold(x *exec, r run) {
	m := s.m
	i := len(m.held)
	for i > 0 && s.matchLess(x, &r, &m.held[i-1]) {
		i--
	}
	m.held = append(m.held, run{})
	copy(m.held[i+1:], m.held[i:])
	m.held[i] = r
}

// matchLess orders completed matches: by first event, then by their events
// in match order, the earlier event first at the first difference (the lower
// step when the same event is bound differently), a prefix first.
func (s *State) matchLess(x *exec, a, b *run) bool {
	if a.start != b.start || a.startSeq != b.startSeq {
		return before(a.start, a.startSeq, b.start, b.startSeq)
	}
	m := s.m
	x.pa = x.path(m, x.pa[:0], a.node)
	x.pb = x.path(m, x.pb[:0], b.node)
	pa, pb := x.pa, x.pb
	for i, j := len(pa)-1, len(pb)-1; i >= 0 && j >= 0; i, j = i-1, j-1 {
		na, nb := &m.nodes[pa[i]], &m.nodes[pb[j]]
		ea, eb := &m.evs[na.ev].ev, &m.evs[nb.ev].ev
		if ea.Time != eb.Time || ea.Seq != eb.Seq {
			return before(ea.Time, ea.Seq, eb.Time, eb.Seq)
		}
		if na.step != nb.step {
			return na.step < nb.step
		}
	}
	return len(pa) < len(pb)
}

// materialize builds the Match of the partial match ending at node tail.
func (s *State) materialize(x *exec, tail int32, timeout bool, t int64) Match {
	m := s.m
	x.pa = x.path(m, x.pa[:0], tail)
	path := x.pa
	nsteps := len(s.p.steps)
	x.cnt = grow(x.cnt, nsteps)
	x.pos = grow(x.pos, nsteps)
	cnt, pos := x.cnt, x.pos
	clear(cnt)
	x.order = x.order[:0]
	for i := len(path) - 1; i >= 0; i-- {
		st := m.nodes[path[i]].step
		if cnt[st] == 0 {
			x.order = append(x.order, st)
		}
		cnt[st]++
	}
	evs := make([]Event, len(path))
	steps := make([]StepEvents, len(x.order))
	off := int32(0)
	for k, st := range x.order {
		steps[k] = StepEvents{Step: int(st), Events: evs[off : off+cnt[st] : off+cnt[st]]}
		pos[st] = off
		off += cnt[st]
	}
	for i := len(path) - 1; i >= 0; i-- {
		nd := &m.nodes[path[i]]
		evs[pos[nd.step]] = m.evs[nd.ev].ev
		pos[nd.step]++
	}
	return Match{Timeout: timeout, Time: t, Steps: steps}
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
