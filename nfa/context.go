package nfa

// Context is what a Condition sees: the candidate event and the partial match
// it would extend. (Skeleton; the runtime fills it in.)
type Context struct {
	ev any
}

// Event is the candidate event's payload.
func (c *Context) Event() any { return c.ev }

// Len is the number of events bound to step so far in the partial match.
func (c *Context) Len(step int) int { return 0 }

// At is event i of step, in match order.
func (c *Context) At(step, i int) any { return nil }
