package features

import (
	"errors"
	"fmt"

	"github.com/kestrelcep/kestrel/expr"
)

// Agg is a feature's aggregation.
type Agg uint8

// The aggregations of KRL.
const (
	Count         Agg = iota // count(): events
	CountExpr                // count(x): non-null values
	Sum                      // sum(x): int, float or duration; 0 over no values
	Avg                      // avg(x): float
	Min                      // min(x): the argument's type
	Max                      // max(x): the argument's type
	Stddev                   // stddev(x): sample standard deviation, float
	DistinctCount            // distinct_count(x): int
	First                    // first(x): the earliest non-null value
	Last                     // last(x): the latest non-null value
	numAggs
)

var aggNames = [...]string{"count", "count", "sum", "avg", "min", "max", "stddev", "distinct_count", "first", "last"}

func (a Agg) String() string {
	if a < numAggs {
		return aggNames[a]
	}
	return fmt.Sprintf("Agg(%d)", uint8(a))
}

// WindowKind is the kind of a feature's window.
type WindowKind uint8

// The windows of KRL. Global is a feature without an `over` clause.
const (
	Global WindowKind = iota
	Sliding
	Tumbling
	Hopping
	Session
	numKinds
)

var kindNames = [...]string{"global", "sliding", "tumbling", "hopping", "session"}

func (k WindowKind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("WindowKind(%d)", uint8(k))
}

// Spec describes one feature. Durations and times are in milliseconds.
type Spec struct {
	Name string
	Agg  Agg
	// ArgType is the type of the aggregation's argument; Null for count().
	ArgType expr.Type
	Window  WindowKind
	// Size is the window's duration (0 for Global); Every is a hopping
	// window's step (0 for the others); Offset shifts the window into the
	// past (0 for Global).
	Size, Every, Offset int64
	// Lateness is the stream's allowed lateness: how far behind the
	// watermark an event may be and still be added, and so how far behind
	// it values stay exact and closed windows stay open to corrections.
	Lateness int64
	// Emit asks for window records (Advance's emit callback): each closed
	// tumbling, hopping or session window, or, with EmitEvery > 0 on a
	// sliding or global window, the value every EmitEvery of event time.
	Emit      bool
	EmitEvery int64
}

// Sentinel errors. New wraps ErrSpec; test with errors.Is.
var (
	// ErrSpec is returned (wrapped, one per problem, joined) by New for a
	// Spec that the KRL checker would have rejected.
	ErrSpec = errors.New("invalid feature")
)

// validate applies the KRL checker's rules (patterns/feature.go) to a Spec
// and returns every problem.
func (s Spec) validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w %s: %s", ErrSpec, s.Name, fmt.Sprintf(format, args...)))
	}
	t := s.ArgType
	numeric := t == expr.Int || t == expr.Float
	switch {
	case s.Agg >= numAggs:
		bad("unknown aggregation %d", uint8(s.Agg))
	case s.Agg == Count:
		if t != expr.Null {
			bad("count() takes no argument; use CountExpr to count non-null values")
		}
	case t == expr.Null || t > expr.Duration:
		bad("%s needs an argument of a KRL type; its argument is %s", s.Agg, t)
	case s.Agg == Sum && !numeric && t != expr.Duration:
		bad("sum needs a number; its argument is %s", t)
	case (s.Agg == Avg || s.Agg == Stddev) && !numeric:
		bad("%s needs a number; its argument is %s", s.Agg, t)
	case (s.Agg == Min || s.Agg == Max) && t == expr.Bool:
		bad("%s needs a number, string, time or duration; its argument is %s", s.Agg, t)
	}
	switch s.Window {
	case Global:
		if s.Size != 0 || s.Every != 0 || s.Offset != 0 {
			bad("a global window has no size, step or offset")
		}
	case Sliding, Tumbling, Hopping, Session:
		switch {
		case s.Size <= 0:
			bad("a %s window needs a positive size", s.Window)
		case s.Window == Hopping && (s.Every <= 0 || s.Every > s.Size):
			bad("a hopping window's step must be positive and at most its size")
		case s.Window != Hopping && s.Every != 0:
			bad("only a hopping window has a step")
		}
		if s.Offset < 0 {
			bad("offset cannot be negative")
		}
	default:
		bad("unknown window kind %d", uint8(s.Window))
	}
	if s.Lateness < 0 {
		bad("lateness cannot be negative")
	}
	closes := s.Window == Tumbling || s.Window == Hopping || s.Window == Session
	switch {
	case s.EmitEvery < 0:
		bad("emit every needs a positive duration")
	case s.EmitEvery > 0 && !s.Emit:
		bad("EmitEvery is set without Emit")
	case s.Emit && s.EmitEvery > 0 && closes:
		bad("emit every is for sliding and global windows; a %s window is emitted when it closes", s.Window)
	case s.Emit && s.EmitEvery == 0 && !closes && s.Window < numKinds:
		bad("a sliding or global window never closes; use emit every D to write its value periodically")
	}
	return errors.Join(errs...)
}

// valueType is the type of a feature's value for an aggregation over an
// argument of type t (the KRL checker's rule).
func valueType(a Agg, t expr.Type) expr.Type {
	switch a {
	case Count, CountExpr, DistinctCount:
		return expr.Int
	case Avg, Stddev:
		return expr.Float
	}
	return t // Sum, Min, Max, First, Last
}
