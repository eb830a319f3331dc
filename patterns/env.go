package patterns

import (
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/nfa"
)

// stepCondition builds the nfa condition of a step: the event must come from
// one of the step's streams and satisfy e (nil: any such event).
func stepCondition(streams []*Stream, nstreams int, e *expr.Expr) nfa.Condition {
	allowed := make([]bool, nstreams)
	for _, s := range streams {
		allowed[s.Index] = true
	}
	return func(c *nfa.Context) bool {
		ev, ok := c.Event().(*event.Event)
		if !ok || !allowed[ev.Stream()] {
			return false
		}
		return e == nil || e.Cond(condEnv{c})
	}
}

// condEnv is the expr.Env of a condition: the candidate event and the partial
// match. It holds a single pointer, so converting it to an interface does not
// allocate.
type condEnv struct{ c *nfa.Context }

func (e condEnv) Current() expr.Row {
	if ev, ok := e.c.Event().(*event.Event); ok && ev != nil {
		return ev
	}
	return nil
}

func (e condEnv) StepLen(step int) int { return e.c.Len(step) }

func (e condEnv) StepEvent(step, i int) expr.Row {
	if ev, ok := e.c.At(step, i).(*event.Event); ok && ev != nil {
		return ev
	}
	return nil
}

// MatchEnv is the expr.Env of an emit record: the steps of a (partial) match,
// its current event being the last event matched.
type MatchEnv struct {
	steps [][]nfa.Event
	last  *event.Event
}

// Reset points the env at m, for a rule with nsteps steps.
func (e *MatchEnv) Reset(m *nfa.Match, nsteps int) {
	if cap(e.steps) < nsteps {
		e.steps = make([][]nfa.Event, nsteps)
	}
	e.steps = e.steps[:nsteps]
	clear(e.steps)
	e.last = nil
	var lastT nfa.Event
	for _, s := range m.Steps {
		e.steps[s.Step] = s.Events
		for _, ev := range s.Events {
			if e.last == nil || ev.Time > lastT.Time || (ev.Time == lastT.Time && ev.Seq > lastT.Seq) {
				lastT = ev
				e.last, _ = ev.Data.(*event.Event)
			}
		}
	}
}

// Last is the match's last event (nil for none).
func (e *MatchEnv) Last() *event.Event { return e.last }

func (e *MatchEnv) Current() expr.Row {
	if e.last == nil {
		return nil
	}
	return e.last
}

func (e *MatchEnv) StepLen(step int) int { return len(e.steps[step]) }

func (e *MatchEnv) StepEvent(step, i int) expr.Row {
	if ev, ok := e.steps[step][i].Data.(*event.Event); ok && ev != nil {
		return ev
	}
	return nil
}
