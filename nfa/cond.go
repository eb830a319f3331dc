package nfa

// cond is a transition condition of the compiled automaton: a user Condition,
// or the negation or conjunction that the compiler builds around them (Flink's
// RichNotCondition and RichAndCondition). A nil *cond is true.
type cond struct {
	op   condOp
	fn   Condition // opUser
	slot int32     // opUser: memo slot, one per user Condition of the pattern
	a, b *cond     // opNot: a; opAnd: a and b
}

type condOp uint8

const (
	opTrue condOp = iota
	opUser
	opNot
	opAnd
)

var condFalse = &cond{op: opNot}

// notC is "not c". not(true) is false.
func notC(c *cond) *cond {
	if c == nil || c.op == opTrue {
		return condFalse
	}
	return &cond{op: opNot, a: c}
}

// andC is "a and b"; a nil operand is true.
func andC(a, b *cond) *cond {
	switch {
	case a == nil || a.op == opTrue:
		return b
	case b == nil || b.op == opTrue:
		return a
	}
	return &cond{op: opAnd, a: a, b: b}
}
