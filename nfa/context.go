package nfa

// Context is what a Condition sees: the candidate event and the partial
// match it would extend (Flink's IterativeCondition.Context). It is valid
// only during the call.
//
// A Condition must be a pure function of these. The runtime relies on it: a
// condition that did not look at the partial match (did not call Len or At)
// is evaluated once per event, not once per partial match.
type Context struct {
	s       *State
	ev      Event
	node    int32 // last node of the partial match; -1 for none
	ready   bool  // start, cnt and idx describe the partial match
	touched bool  // Len or At was called
	idx     []int32
	start   []int32
	cnt     []int32
	cur     []int32
}

// Event is the candidate event's payload.
func (c *Context) Event() any { return c.ev.Data }

// Time is the candidate event's time.
func (c *Context) Time() int64 { return c.ev.Time }

// Len is the number of events bound to step so far in the partial match.
func (c *Context) Len(step int) int {
	c.touched = true
	if c.node < 0 {
		return 0
	}
	c.extract()
	if step < 0 || step >= len(c.cnt) {
		return 0
	}
	return int(c.cnt[step])
}

// At is the payload of event i of step, in match order.
func (c *Context) At(step, i int) any { return c.EventAt(step, i).Data }

// EventAt is event i of step, in match order.
func (c *Context) EventAt(step, i int) Event {
	c.touched = true
	if c.node < 0 {
		return Event{}
	}
	c.extract()
	if step < 0 || step >= len(c.cnt) || i < 0 || i >= int(c.cnt[step]) {
		return Event{}
	}
	return c.s.m.evs[c.idx[c.start[step]+int32(i)]].ev
}

func (c *Context) reset(node int32) {
	c.node = node
	c.ready = false
}

// extract lays the partial match out by step (Flink's getEventsForPattern).
func (c *Context) extract() {
	if c.ready {
		return
	}
	c.ready = true
	m := c.s.m
	nsteps := len(c.s.p.steps)
	c.start = grow(c.start, nsteps)
	c.cnt = grow(c.cnt, nsteps)
	c.cur = grow(c.cur, nsteps)
	clear(c.cnt)
	n := int32(0)
	for i := c.node; i >= 0; i = m.nodes[i].prev {
		c.cnt[m.nodes[i].step]++
		n++
	}
	off := int32(0)
	for st := range nsteps {
		c.start[st] = off
		off += c.cnt[st]
		c.cur[st] = off
	}
	c.idx = grow(c.idx, int(n))
	for i := c.node; i >= 0; i = m.nodes[i].prev {
		st := m.nodes[i].step
		c.cur[st]--
		c.idx[c.cur[st]] = m.nodes[i].ev
	}
}

// exec is the scratch space of Process and AdvanceTime. It lives in the
// caller's Output, so that one per goroutine serves every key.
type exec struct {
	ctx    Context
	edges  []*redge
	stack  []int32
	stack2 []int32
	tmp    []run
	next   []run
	pot    []run
	csMemo []memo // condition results for the current computation state
	evMemo []memo // results that did not depend on the partial match
	csGen  uint64
	evGen  uint64
	pa, pb []int32
	cnt    []int32
	pos    []int32
	order  []int32
}

type memo struct {
	gen uint64
	val bool
}

func (o *Output) exec(p *Program) *exec {
	x := o.x
	if x == nil {
		x = &exec{}
		o.x = x
	}
	if len(x.csMemo) < p.nslots {
		x.csMemo = make([]memo, p.nslots)
		x.evMemo = make([]memo, p.nslots)
	}
	return x
}

// done drops the references the scratch space holds into the key.
func (x *exec) done() {
	x.ctx.s = nil
	x.ctx.ev = Event{}
}

func (x *exec) eval(c *cond) bool {
	if c == nil {
		return true
	}
	switch c.op {
	case opTrue:
		return true
	case opUser:
		m := &x.csMemo[c.slot]
		if m.gen == x.csGen {
			return m.val
		}
		e := &x.evMemo[c.slot]
		if e.gen == x.evGen {
			m.gen, m.val = x.csGen, e.val
			return e.val
		}
		x.ctx.touched = false
		v := c.fn(&x.ctx)
		m.gen, m.val = x.csGen, v
		if !x.ctx.touched {
			e.gen, e.val = x.evGen, v
		}
		return v
	case opNot:
		return !x.eval(c.a)
	case opAnd:
		return x.eval(c.a) && x.eval(c.b)
	}
	return false
}

// graph collects the take and ignore edges that the current event enables
// from state st, following proceed edges (Flink's createDecisionGraph).
func (x *exec) graph(p *Program, st int32) {
	x.edges = x.edges[:0]
	x.stack = append(x.stack[:0], st)
	budget := 4*len(p.states) + 4
	for len(x.stack) > 0 && budget > 0 {
		budget--
		cur := x.stack[len(x.stack)-1]
		x.stack = x.stack[:len(x.stack)-1]
		es := p.states[cur].edges
		for i := range es {
			e := &es[i]
			if !x.eval(e.cond) {
				continue
			}
			if e.act == actProceed {
				x.stack = append(x.stack, e.to)
			} else {
				x.edges = append(x.edges, e)
			}
		}
	}
}

// finalAfterProceed returns the final state that st reaches through proceed
// edges enabled by the current event, or -1 (Flink's
// findFinalStateAfterProceed).
func (x *exec) finalAfterProceed(p *Program, st int32) int32 {
	x.stack2 = append(x.stack2[:0], st)
	budget := 4*len(p.states) + 4
	for len(x.stack2) > 0 && budget > 0 {
		budget--
		cur := x.stack2[len(x.stack2)-1]
		x.stack2 = x.stack2[:len(x.stack2)-1]
		es := p.states[cur].edges
		for i := range es {
			e := &es[i]
			if e.act != actProceed || !x.eval(e.cond) {
				continue
			}
			if p.states[e.to].kind == kFinal {
				return e.to
			}
			x.stack2 = append(x.stack2, e.to)
		}
	}
	return -1
}

// path appends the nodes of the partial match ending at tail, last first.
func (x *exec) path(m *mem, dst []int32, tail int32) []int32 {
	for n := tail; n >= 0; n = m.nodes[n].prev {
		dst = append(dst, n)
	}
	return dst
}
