package nfa

import "errors"

// Errors returned by Compile, wrapped with the step they concern. Compile
// reports every problem it finds (joined with errors.Join); test for one with
// errors.Is.
var (
	ErrEmptyPattern           = errors.New("pattern has no elements")
	ErrEmptyGroup             = errors.New("empty group")
	ErrStepName               = errors.New("step has no name")
	ErrDuplicateStep          = errors.New("step name used twice")
	ErrNegatedFirst           = errors.New("the first element of a pattern or group cannot be negated")
	ErrNegatedQuantifier      = errors.New("a negated step cannot have a quantifier")
	ErrNegatedGroup           = errors.New("a group cannot be negated")
	ErrNotAfterAny            = errors.New("~> cannot be followed by not")
	ErrNotAfterOptional       = errors.New("a negated step cannot follow an optional element")
	ErrNegatedGroupEnd        = errors.New("a group cannot end with a negated step")
	ErrNegatedLastNoWithin    = errors.New("a pattern can end with -> not only with a within window")
	ErrQuantifierBounds       = errors.New("bad quantifier bounds")
	ErrUntilNotLooping        = errors.New("until applies only to an unbounded looping step")
	ErrGroupModifier          = errors.New("greedy does not apply to a group")
	ErrConsecutiveCombination = errors.New("consecutive and combinations cannot be used together")
	ErrGreedyCombination      = errors.New("greedy and combinations cannot be used together")
	ErrOptionalAfterGreedy    = errors.New("an optional element cannot follow a greedy one")
	ErrEmptyLoopGroup         = errors.New("a quantified group must match at least one event")
	ErrUnknownSkipStep        = errors.New("skip strategy names an unknown step")
	ErrNegativeWithin         = errors.New("within must not be negative")
	ErrNegativeMaxPartials    = errors.New("MaxPartials must not be negative")
)

// Errors returned by Program.RestoreState; test for them with errors.Is.
var (
	// ErrSnapshotMismatch: the snapshot was taken with another program (a
	// pattern compiled to other states, steps, window or skip strategy).
	ErrSnapshotMismatch = errors.New("NFA snapshot of another program")
	// ErrSnapshotCorrupt: the snapshot is truncated or malformed, or the
	// payload decoder failed (its error is wrapped too).
	ErrSnapshotCorrupt = errors.New("corrupt NFA snapshot")
)
