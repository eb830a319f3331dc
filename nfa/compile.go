package nfa

import (
	"errors"
	"fmt"
	"sync"
)

// Program is a compiled pattern: an immutable automaton shared by every key.
type Program struct {
	steps       []string
	states      []rstate
	start       int32
	within      int64
	gap         bool
	timeouts    bool
	skip        SkipStrategy
	skipStep    int32
	maxPartials int
	nslots      int
	fp          uint64 // fingerprint, checked by RestoreState

	pool sync.Pool // *mem of keys that went idle
}

// stateKind is Flink's State.StateType.
type stateKind uint8

const (
	kNormal  stateKind = iota
	kFinal             // a run that reaches it is a match
	kStop              // a run that reaches it is discarded, with its siblings
	kPending           // awaiting an absence: a match when the window closes
)

// action is Flink's StateTransitionAction.
type action uint8

const (
	actTake    action = iota // consume the event, stay or move
	actIgnore                // skip the event, stay or move
	actProceed               // move without consuming (an epsilon edge)
)

type rstate struct {
	kind  stateKind
	step  int32 // the step whose events the state takes; -1 for none
	edges []redge
	// absent: a run here when its window closes completes as an absence,
	// because the state is, or reaches through unconditional proceed
	// edges, the pending state of a trailing `-> not x`.
	absent bool
}

type redge struct {
	act  action
	to   int32
	step int32 // the source state's step: what a take binds the event to
	cond *cond
}

// Steps returns the step names; the index of a name is the step id used by
// Context.Len, Context.At and StepEvents.Step. Steps are numbered depth-first,
// in the order they are written, negated steps included.
func (p *Program) Steps() []string { return append([]string(nil), p.steps...) }

// Compile validates a pattern and compiles it into an automaton, as Flink's
// NFACompiler does. It reports every problem it finds.
func Compile(pattern Pattern) (*Program, error) {
	v := validator{pat: pattern, names: map[string]int{}}
	v.check()
	if len(v.errs) > 0 {
		return nil, errors.Join(v.errs...)
	}
	p := &Program{
		steps:       v.steps,
		within:      pattern.Within,
		gap:         pattern.WithinGap && pattern.Within > 0,
		timeouts:    pattern.Timeouts,
		skip:        pattern.Skip,
		skipStep:    -1,
		maxPartials: pattern.MaxPartials,
	}
	if p.maxPartials == 0 {
		p.maxPartials = 10000
	}
	if pattern.Skip == SkipToFirst || pattern.Skip == SkipToLast {
		p.skipStep = int32(v.names[pattern.SkipTo])
	}
	var b builder
	last := b.chain(pattern.Elements, v.names)
	p.nslots = b.nslots
	c := &compiler{
		stopStates:  map[int]*cstate{},
		firstOfLoop: map[*pat]bool{},
		origState:   map[*cstate]*cstate{},
		within:      pattern.Within,
		cur:         last,
	}
	start := c.compile()
	p.states = make([]rstate, len(c.states))
	for i, s := range c.states {
		rs := rstate{kind: s.kind, step: int32(s.step)}
		for _, t := range s.trans {
			rs.edges = append(rs.edges, redge{act: t.act, to: int32(t.dst.id), step: int32(t.src.step), cond: t.cond})
		}
		p.states[i] = rs
	}
	p.start = int32(start.id)
	for i := range p.states {
		p.states[i].absent = p.reachesPending(int32(i))
	}
	p.fp = p.fingerprint()
	return p, nil
}

// reachesPending reports whether state st is pending or reaches a pending
// state through proceed edges that need no event (condition true).
func (p *Program) reachesPending(st int32) bool {
	seen := make([]bool, len(p.states))
	stack := []int32{st}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[s] {
			continue
		}
		seen[s] = true
		if p.states[s].kind == kPending {
			return true
		}
		for _, e := range p.states[s].edges {
			if e.act == actProceed && (e.cond == nil || e.cond.op == opTrue) {
				stack = append(stack, e.to)
			}
		}
	}
	return false
}

// ---- validation ----

type validator struct {
	pat   Pattern
	names map[string]int
	steps []string
	errs  []error
}

func (v *validator) errorf(name string, err error, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	switch {
	case name != "" && msg != "":
		v.errs = append(v.errs, fmt.Errorf("step %s: %w: %s", name, err, msg))
	case name != "":
		v.errs = append(v.errs, fmt.Errorf("step %s: %w", name, err))
	case msg != "":
		v.errs = append(v.errs, fmt.Errorf("%w: %s", err, msg))
	default:
		v.errs = append(v.errs, err)
	}
}

func (v *validator) check() {
	p := v.pat
	if p.Within < 0 {
		v.errorf("", ErrNegativeWithin, "")
	}
	if p.MaxPartials < 0 {
		v.errorf("", ErrNegativeMaxPartials, "")
	}
	if len(p.Elements) == 0 {
		v.errorf("", ErrEmptyPattern, "")
		return
	}
	v.list(p.Elements, true)
	if p.Skip == SkipToFirst || p.Skip == SkipToLast {
		if _, ok := v.names[p.SkipTo]; !ok || p.SkipTo == "" {
			v.errorf("", ErrUnknownSkipStep, "%q", p.SkipTo)
		}
	}
}

func optionalQuant(q *Quantifier) bool { return q != nil && (q.Optional || q.Min == 0) }

func elemName(e *Element) string {
	if len(e.Group) > 0 {
		return "(group)"
	}
	return e.Name
}

// list checks the elements of the pattern (top) or of a group. It reports
// whether the list can match without any event.
func (v *validator) list(elems []Element, top bool) (canBeEmpty bool) {
	canBeEmpty = true
	for i := range elems {
		e := &elems[i]
		name := elemName(e)
		isGroup := len(e.Group) > 0
		if isGroup {
			if e.Negated {
				v.errorf("", ErrNegatedGroup, "")
			}
			empty := v.list(e.Group, false)
			if empty && e.Quant != nil && !(e.Quant.Max == 1) {
				v.errorf("", ErrEmptyLoopGroup, "")
			}
			if e.Quant != nil && e.Quant.Greedy {
				v.errorf("", ErrGroupModifier, "")
			}
			if !empty && !optionalQuant(e.Quant) {
				canBeEmpty = false
			}
		} else {
			if e.Name == "" {
				v.errorf("", ErrStepName, "element %d", i)
			} else if _, dup := v.names[e.Name]; dup {
				v.errorf(e.Name, ErrDuplicateStep, "")
			} else {
				v.names[e.Name] = len(v.steps)
			}
			v.steps = append(v.steps, e.Name)
			if !e.Negated && !optionalQuant(e.Quant) {
				canBeEmpty = false
			}
		}
		if q := e.Quant; q != nil {
			switch {
			case q.Min < 0:
				v.errorf(name, ErrQuantifierBounds, "minimum %d", q.Min)
			case q.Max == 0:
				v.errorf(name, ErrQuantifierBounds, "maximum 0")
			case q.Max > 0 && q.Min > q.Max:
				v.errorf(name, ErrQuantifierBounds, "minimum %d above maximum %d", q.Min, q.Max)
			}
			if q.Until != nil && q.Max >= 0 {
				v.errorf(name, ErrUntilNotLooping, "")
			}
			if q.Consecutive && q.Combinations {
				v.errorf(name, ErrConsecutiveCombination, "")
			}
			if q.Greedy && q.Combinations {
				v.errorf(name, ErrGreedyCombination, "")
			}
		}
		if i > 0 && optionalQuant(e.Quant) && elems[i-1].Quant != nil && elems[i-1].Quant.Greedy {
			v.errorf(name, ErrOptionalAfterGreedy, "")
		}
		if !e.Negated {
			continue
		}
		if i == 0 {
			v.errorf(name, ErrNegatedFirst, "")
		}
		if e.Quant != nil {
			v.errorf(name, ErrNegatedQuantifier, "")
		}
		if e.Contiguity == NonDeterministic {
			v.errorf(name, ErrNotAfterAny, "")
		}
		if i > 0 && optionalQuant(elems[i-1].Quant) {
			v.errorf(name, ErrNotAfterOptional, "")
		}
		if i == len(elems)-1 {
			if !top {
				v.errorf(name, ErrNegatedGroupEnd, "")
			} else if v.pat.Within <= 0 && e.Contiguity != Strict {
				// `-> not x` last is an absence, which only a window ends;
				// `=> not x` last waits for the next event (Flink's notNext)
				v.errorf(name, ErrNegatedLastNoWithin, "")
			}
		}
	}
	return canBeEmpty
}

// ---- the pattern chain, as Flink's Pattern objects ----

// consuming is Flink's Quantifier.ConsumingStrategy.
type consuming uint8

const (
	cStrict    consuming = iota // next
	cNext                       // followedBy: skip till next
	cAny                        // followedByAny: skip till any
	cNotFollow                  // notFollowedBy
	cNotNext                    // notNext
)

// pat is one element of the chain, linked to its predecessor as Flink's
// Pattern is. A group has raw, the last element of its own chain.
type pat struct {
	name     string
	step     int
	cond     *cond // the take condition; nil is true
	strategy consuming
	inner    consuming // between iterations of a looping or times element
	looping  bool      // unbounded
	times    bool      // bounded, from..to
	optional bool
	greedy   bool
	from, to int
	until    *cond
	prev     *pat
	raw      *pat
}

type builder struct{ nslots int }

func (b *builder) user(fn Condition) *cond {
	if fn == nil {
		return nil
	}
	c := &cond{op: opUser, fn: fn, slot: int32(b.nslots)}
	b.nslots++
	return c
}

// chain links elems into a chain and returns its last element. The first
// element of a chain is Flink's begin(): skip till next.
func (b *builder) chain(elems []Element, names map[string]int) *pat {
	var prev *pat
	for i := range elems {
		e := &elems[i]
		p := &pat{name: e.Name, step: -1, prev: prev, inner: cNext}
		if len(e.Group) > 0 {
			p.raw = b.chain(e.Group, names)
		} else {
			p.step = names[e.Name]
			p.cond = b.user(e.Cond)
		}
		switch {
		case i == 0:
			p.strategy = cNext
		case e.Negated && e.Contiguity == Strict:
			p.strategy = cNotNext
		case e.Negated:
			p.strategy = cNotFollow
		case e.Contiguity == Strict:
			p.strategy = cStrict
		case e.Contiguity == NonDeterministic:
			p.strategy = cAny
		default:
			p.strategy = cNext
		}
		if q := e.Quant; q != nil {
			p.from, p.to = q.Min, q.Max
			p.optional = q.Optional
			if p.from == 0 { // times(0, n) is times(1, n).optional()
				p.optional = true
				p.from = 1
			}
			if p.to < 0 {
				p.looping = true
				p.to = p.from
			} else {
				p.times = true
			}
			p.greedy = q.Greedy
			if q.Consecutive {
				p.inner = cStrict
			} else if q.Combinations {
				p.inner = cAny
			}
			p.until = b.user(q.Until)
		}
		prev = p
	}
	return prev
}

// ---- the compiler: a port of Flink's NFACompiler.NFAFactoryCompiler ----

type cstate struct {
	id    int
	step  int
	kind  stateKind
	trans []*ctrans
}

type ctrans struct {
	act      action
	src, dst *cstate
	cond     *cond
}

func (s *cstate) add(act action, dst *cstate, c *cond) {
	s.trans = append(s.trans, &ctrans{act: act, src: s, dst: dst, cond: c})
}

type compiler struct {
	states      []*cstate
	stopStates  map[int]*cstate // by the negated step
	curGroup    *pat
	firstOfLoop map[*pat]bool
	cur         *pat
	following   *pat
	origState   map[*cstate]*cstate // greedy + until: the copy of a sink
	within      int64
}

// compile builds the states from the end backwards and returns the start.
func (c *compiler) compile() *cstate {
	sink := c.newState(-1, kFinal)
	sink = c.middleStates(sink)
	start := c.convert(sink)
	return start
}

func (c *compiler) newState(step int, kind stateKind) *cstate {
	s := &cstate{id: len(c.states), step: step, kind: kind}
	c.states = append(c.states, s)
	return s
}

// state creates a state for the current element.
func (c *compiler) state(kind stateKind) *cstate { return c.newState(c.cur.step, kind) }

func (c *compiler) middleStates(sink *cstate) *cstate {
	last := sink
	for c.cur.prev != nil {
		switch c.cur.strategy {
		case cNotFollow:
			// A notFollowedBy becomes stop edges on the states of the
			// element after it; at the end of a windowed pattern it is a
			// pending state that matches when the window closes.
			if c.within > 0 && last.kind == kFinal {
				notFollow := c.state(kPending)
				notCond := c.takeCond(c.cur)
				stop := c.stopState(notCond, c.cur.step)
				notFollow.add(actProceed, stop, notCond)
				notFollow.add(actIgnore, notFollow, notC(notCond))
				last = notFollow
			}
		case cNotNext:
			notNext := c.state(kNormal)
			notCond := c.takeCond(c.cur)
			stop := c.stopState(notCond, c.cur.step)
			if last.kind == kFinal {
				notNext.add(actIgnore, last, notC(notCond))
			} else {
				notNext.add(actProceed, last, notC(notCond))
			}
			notNext.add(actProceed, stop, notCond)
			last = notNext
		default:
			last = c.convert(last)
		}
		c.following = c.cur
		c.cur = c.cur.prev
	}
	return last
}

func (c *compiler) convert(sink *cstate) *cstate {
	var last *cstate
	p := c.cur
	switch {
	case p.looping:
		c.setFirstOfLoop(false)
		s := c.copyWithoutTransitiveNots(sink)
		looping := c.looping(s)
		c.setFirstOfLoop(true)
		last = c.timesState(looping, sink, p.from, p.to)
	case p.times:
		last = c.timesState(sink, sink, p.from, p.to)
	default:
		last = c.singleton(sink, sink, c.takeCond(p), c.ignoreCond(p), p.optional)
	}
	c.addStopStates(last)
	return last
}

// notConditions are the notFollowedBy elements right before the current one,
// looking through optional elements (Flink's getCurrentNotCondition).
func (c *compiler) notConditions() []*pat {
	var nots []*pat
	p := c.cur
	for p.prev != nil && (p.prev.optional || p.prev.strategy == cNotFollow) {
		p = p.prev
		if p.strategy == cNotFollow {
			nots = append(nots, p)
		}
	}
	return nots
}

func (c *compiler) stopState(notCond *cond, step int) *cstate {
	s := c.stopStates[step]
	if s == nil {
		s = c.newState(step, kStop)
		s.add(actTake, s, notCond)
		c.stopStates[step] = s
	}
	return s
}

// copyWithoutTransitiveNots copies sink without the stop edges of the
// notFollowedBy elements before an optional current element: once the
// optional element took an event, those absences no longer apply.
func (c *compiler) copyWithoutTransitiveNots(sink *cstate) *cstate {
	nots := c.notConditions()
	if len(nots) == 0 || !c.cur.optional {
		return sink
	}
	cp := c.newState(sink.step, sink.kind)
	for _, t := range sink.trans {
		if t.act == actProceed {
			dst := t.dst
			remove := false
			if dst.kind == kStop {
				for _, n := range nots {
					if dst.step == n.step {
						remove = true
					}
				}
			} else {
				dst = c.copyWithoutTransitiveNots(t.dst)
			}
			if !remove {
				cp.add(t.act, dst, t.cond)
			}
		} else {
			dst := t.dst
			if dst == t.src {
				dst = cp
			}
			cp.add(t.act, dst, t.cond)
		}
	}
	return cp
}

func (c *compiler) copyState(s *cstate) *cstate {
	cp := c.newState(s.step, s.kind)
	for _, t := range s.trans {
		dst := t.dst
		if dst == t.src {
			dst = cp
		}
		cp.add(t.act, dst, t.cond)
	}
	return cp
}

func (c *compiler) addStopStates(s *cstate) {
	for _, n := range c.notConditions() {
		nc := c.takeCond(n)
		stop := c.stopState(nc, n.step)
		s.add(actProceed, stop, nc)
	}
}

func (c *compiler) addStopStateToLooping(s *cstate) {
	if c.following != nil && c.following.strategy == cNotFollow {
		nc := c.takeCond(c.following)
		stop := c.stopState(nc, c.following.step)
		s.add(actProceed, stop, nc)
	}
}

// timesState builds from..to copies of the current element: the first from
// mandatory, the rest optional (each may proceed to proceedState).
func (c *compiler) timesState(sink, proceed *cstate, from, to int) *cstate {
	p := c.cur
	last := sink
	c.setFirstOfLoop(false)
	innerIgnore := extendWithUntil(c.innerIgnoreCond(p), p.until, false)
	take := extendWithUntil(c.takeCond(p), p.until, true)
	if p.greedy && from != to {
		if p.until != nil {
			c.origState[sink] = c.copyState(sink)
		}
		updateWithGreedyCondition(sink, take)
	}
	for i := from; i < to; i++ {
		last = c.singleton(last, proceed, take, innerIgnore, true)
		c.addStopStateToLooping(last)
	}
	for i := 0; i < from-1; i++ {
		last = c.singleton(last, nil, take, innerIgnore, false)
		c.addStopStateToLooping(last)
	}
	c.setFirstOfLoop(true)
	return c.singleton(last, proceed, take, c.ignoreCond(p), p.optional)
}

func (c *compiler) setFirstOfLoop(v bool) {
	if c.cur.raw != nil {
		c.firstOfLoop[c.cur] = v
	}
}

func (c *compiler) isFirstOfLoop() bool {
	v, ok := c.firstOfLoop[c.curGroup]
	return !ok || v
}

func (c *compiler) headOfGroup(p *pat) bool { return c.curGroup != nil && p.prev == nil }

func (c *compiler) headOfOptionalGroup(p *pat) bool {
	return c.headOfGroup(p) && c.isFirstOfLoop() && c.curGroup.optional
}

// singleton creates the state of one occurrence of the current element. An
// optional one gets a twin without the proceed edge for the path that already
// ignored an event, so that every proceed is taken once.
func (c *compiler) singleton(sink, proceed *cstate, take, ignore *cond, optional bool) *cstate {
	p := c.cur
	if p.raw != nil {
		return c.groupState(p, sink, proceed, optional)
	}
	s := c.state(kNormal)
	target := c.copyWithoutTransitiveNots(sink)
	s.add(actTake, target, take)
	proceedCond := c.trueCond()
	if optional {
		if p.greedy {
			if p.until != nil {
				orig := c.origState[proceed]
				if orig == nil { // Flink looks the copy up by name and would miss it
					orig = proceed
				}
				s.add(actProceed, orig, andC(proceedCond, p.until))
			}
			pc := proceedCond
			if p.until != nil {
				pc = andC(proceedCond, notC(p.until))
			}
			s.add(actProceed, proceed, pc)
		} else {
			s.add(actProceed, proceed, proceedCond)
		}
	}
	if ignore != nil {
		ignoreState := s
		if optional || c.headOfOptionalGroup(p) {
			ignoreState = c.state(kNormal)
			ignoreState.add(actTake, target, take)
			ignoreState.add(actIgnore, ignoreState, ignore)
			c.addStopStates(ignoreState)
		}
		s.add(actIgnore, ignoreState, ignore)
	}
	return s
}

func (c *compiler) groupState(g *pat, sink, proceed *cstate, optional bool) *cstate {
	proceedCond := c.trueCond() // the enclosing group's, as Flink computes it
	oldCur, oldFollowing, oldGroup := c.cur, c.following, c.curGroup
	c.curGroup = g
	c.cur = g.raw
	last := c.middleStates(sink)
	last = c.convert(last)
	if optional {
		last.add(actProceed, proceed, proceedCond)
	}
	c.cur, c.following, c.curGroup = oldCur, oldFollowing, oldGroup
	return last
}

func (c *compiler) loopingGroupState(g *pat, sink *cstate) *cstate {
	proceedCond := c.trueCond()
	oldCur, oldFollowing, oldGroup := c.cur, c.following, c.curGroup
	dummy := c.newState(-1, kNormal)
	c.curGroup = g
	c.cur = g.raw
	last := c.middleStates(dummy)
	last = c.convert(last)
	last.add(actProceed, sink, proceedCond)
	dummy.add(actProceed, last, proceedCond)
	c.cur, c.following, c.curGroup = oldCur, oldFollowing, oldGroup
	return last
}

// looping creates the state that takes the current element again and again.
func (c *compiler) looping(sink *cstate) *cstate {
	p := c.cur
	if p.raw != nil {
		return c.loopingGroupState(p, sink)
	}
	ignore := extendWithUntil(c.innerIgnoreCond(p), p.until, false)
	take := extendWithUntil(c.takeCond(p), p.until, true)
	proceedCond := c.trueCond()
	s := c.state(kNormal)
	if p.greedy {
		if p.until != nil {
			cp := c.copyState(sink)
			s.add(actProceed, cp, andC(proceedCond, p.until))
			c.origState[sink] = cp
		}
		pc := proceedCond
		if p.until != nil {
			pc = andC(proceedCond, notC(p.until))
		}
		s.add(actProceed, sink, pc)
		updateWithGreedyCondition(sink, c.takeCond(p))
	} else {
		s.add(actProceed, sink, proceedCond)
	}
	s.add(actTake, s, take)
	c.addStopStateToLooping(s)
	if ignore != nil {
		ignoreState := c.state(kNormal)
		ignoreState.add(actTake, s, take)
		ignoreState.add(actIgnore, ignoreState, ignore)
		s.add(actIgnore, ignoreState, ignore)
		c.addStopStateToLooping(ignoreState)
	}
	return s
}

// extendWithUntil makes a take or ignore condition false on an event that
// satisfies until. A nil (absent) ignore condition stays absent.
func extendWithUntil(c, until *cond, isTake bool) *cond {
	switch {
	case until != nil && c != nil:
		return andC(notC(until), c)
	case until != nil && isTake:
		return notC(until)
	}
	return c
}

// groupUntil is the until condition of the enclosing group, if any.
func (c *compiler) groupUntil() *cond {
	if c.curGroup != nil {
		return c.curGroup.until
	}
	return nil
}

// takeCond is p's condition, which an enclosing group's until also stops.
func (c *compiler) takeCond(p *pat) *cond { return extendWithUntil(p.cond, c.groupUntil(), true) }

// trueCond is the condition of a proceed edge: true, but false on the
// enclosing group's until.
func (c *compiler) trueCond() *cond {
	if u := c.groupUntil(); u != nil {
		return notC(u)
	}
	return nil
}

// innerIgnoreCond is the ignore condition between iterations; nil: none.
func (c *compiler) innerIgnoreCond(p *pat) *cond {
	strategy := p.inner
	if c.headOfGroup(p) {
		strategy = c.curGroup.inner
	}
	return extendWithUntil(ignoreFor(strategy, p), c.groupUntil(), false)
}

// ignoreCond is the ignore condition before the first iteration; nil: none.
func (c *compiler) ignoreCond(p *pat) *cond {
	strategy := p.strategy
	if c.headOfGroup(p) {
		if c.isFirstOfLoop() {
			strategy = c.curGroup.strategy
		} else {
			strategy = c.curGroup.inner
		}
	}
	return extendWithUntil(ignoreFor(strategy, p), c.groupUntil(), false)
}

func ignoreFor(strategy consuming, p *pat) *cond {
	switch strategy {
	case cNext:
		return notC(p.cond)
	case cAny:
		return &cond{op: opTrue}
	}
	return nil
}

// updateWithGreedyCondition makes every edge out of s yield to the greedy
// element: it is followed only by events the element would not take.
func updateWithGreedyCondition(s *cstate, take *cond) {
	for _, t := range s.trans {
		t.cond = andC(t.cond, notC(take))
	}
}
