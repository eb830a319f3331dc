package nfa

// Contiguity is how an element follows the previous one.
type Contiguity uint8

const (
	// Relaxed is `->`, Flink's followedBy: non-matching events in between are skipped.
	Relaxed Contiguity = iota
	// Strict is `=>`, Flink's next: the very next event of the key.
	Strict
	// NonDeterministic is `~>`, Flink's followedByAny.
	NonDeterministic
)

// SkipStrategy is the after-match skip strategy.
type SkipStrategy uint8

const (
	SkipPastLast SkipStrategy = iota // the default, as in SQL MATCH_RECOGNIZE
	NoSkip
	SkipToNext
	SkipToFirst // SkipTo names the step
	SkipToLast  // SkipTo names the step
)

// Condition decides whether the event in c (c.Event()) is accepted by a step.
// A nil Condition accepts every event.
type Condition func(c *Context) bool

// Quantifier makes an element repeat. The zero value of *Quantifier (nil) means
// exactly once. Max < 0 means unbounded. Optional also allows zero times, as
// does Min 0 ({0,m} is {1,m} optional, as Flink's times(0, m)). Until applies
// to an unbounded element or group; Greedy not to a group.
type Quantifier struct {
	Min, Max     int
	Optional     bool
	Greedy       bool
	Consecutive  bool      // strict contiguity between iterations
	Combinations bool      // non-deterministic relaxed contiguity between iterations
	Until        Condition // stop looping at an event that satisfies it
}

// Element is one step, or a group when Group is non-empty.
type Element struct {
	Name       string     // step name, unique in the pattern; "" for a group
	Contiguity Contiguity // how it follows the previous element (ignored on the first)
	Negated    bool       // notNext (Strict) / notFollowedBy (Relaxed)
	Cond       Condition
	Group      []Element
	Quant      *Quantifier
}

// Pattern is a whole pattern with its window and skip strategy.
type Pattern struct {
	Elements    []Element
	Within      int64 // milliseconds (the unit of Event.Time); 0: no window
	WithinGap   bool  // Within bounds every gap between consecutive events, not first to last
	Skip        SkipStrategy
	SkipTo      string
	MaxPartials int  // bound on partial plus held matches per key; 0 means 10,000
	Timeouts    bool // report partial matches that Within times out
}

// Event is one event as the runtime sees it. Seq orders events of equal Time
// (arrival order) and, with Time, identifies the event in the shared buffer.
// Data is the caller's payload, handed back through Context and Match.
type Event struct {
	Time int64
	Seq  uint64
	Data any
}

// Match is a completed match (Timeout false) or a timed-out partial match.
// Time is when it fired: the last event's time for a match (for a pattern
// ending in `=> not x`, the time of the event that was not x), the window's
// end for an absence or a timeout, also when the match is released later.
// Steps lists each step that has events, in match order (the order of their
// first events); Events are in time order. A Match does not alias the
// State's memory.
type Match struct {
	Timeout bool
	Time    int64
	Steps   []StepEvents
}

// StepEvents is the events one step matched, in order.
type StepEvents struct {
	Step   int // index into Program.Steps()
	Events []Event
}

// Output collects what Process and AdvanceTime produce. The caller resets it
// (Reset keeps its memory). It also holds the scratch space of the calls, so
// one Output reused for every key of a goroutine makes them allocation-free.
type Output struct {
	Matches []Match
	// Dropped counts partial matches dropped because the key reached
	// MaxPartials: mostly new ones not started, also branches of existing
	// ones. Completed matches are never dropped.
	Dropped int

	x *exec
}

// Reset empties the output for the next call, keeping its memory.
func (o *Output) Reset() {
	clear(o.Matches)
	o.Matches = o.Matches[:0]
	o.Dropped = 0
}
