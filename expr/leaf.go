package expr

import "slices"

// Leaves: the commonest condition terms, on a field of the current event (at
// a fixed slot) and constants: `f op c`, `f in [c...]`, `f is [not] null`.
// A leaf is data evaluated by one switch rather than a closure, so that a
// chain of leaves under `and` or `or` runs as one loop with no closure call
// per term (see leavesFn), which is most of the cost of a typical step
// condition.

type leafKind uint8

const (
	leafInt     leafKind = iota // f op i (int, time, duration)
	leafFloat                   // f op f
	leafStr                     // f op s
	leafInInt                   // f in ints
	leafInStr                   // f in strs
	leafNullInt                 // f is null, for each Row method
	leafNullFloat
	leafNullStr
	leafNullBool
)

// The outcomes of a comparison, and the set of them for which each operator
// holds (a leaf's mask): a comparison is a bit test instead of a switch on
// the operator. unordered is a NaN operand, for which only != holds.
const (
	lt uint8 = 1 << iota
	eq
	gt
	unordered
)

var opMasks = [...]uint8{opEq: eq, opNe: lt | gt | unordered, opLt: lt, opLe: lt | eq, opGt: gt, opGe: gt | eq}

type leaf struct {
	kind    leafKind
	op      cmpOp
	mask    uint8 // opMasks[op]
	not     bool  // is not null
	hasNull bool  // the in list holds null
	slot    int
	i       int64
	f       float64
	s       string
	ints    []int64
	strs    []string
}

// leavesFn is the Kleene conjunction (or disjunction, when absorb is true)
// of leaves on the current row (maybe nil): absorb if any leaf is absorb,
// else null if any is null, else !absorb. It is one closure with the switch
// in its loop, which saves a call per leaf.
func leavesFn(ptrs []*leaf, absorb bool) fn[bool] {
	ls := make([]leaf, len(ptrs))
	for i, l := range ptrs {
		ls[i] = *l
	}
	return func(_ Env, r Row) (bool, bool) {
		if r == nil {
			return evalLeavesNil(ls, absorb)
		}
		known := true
		for i := range ls {
			l := &ls[i]
			var v, ok bool
			switch l.kind {
			case leafInt:
				var x int64
				x, ok = r.Int(l.slot)
				var m uint8 = gt
				if x < l.i {
					m = lt
				} else if x == l.i {
					m = eq
				}
				v = ok && l.mask&m != 0
			case leafFloat:
				var x float64
				x, ok = r.Float(l.slot)
				var m uint8 = unordered
				if x < l.f {
					m = lt
				} else if x == l.f {
					m = eq
				} else if x > l.f {
					m = gt
				}
				v = ok && l.mask&m != 0
			case leafStr:
				var x string
				x, ok = r.Str(l.slot)
				switch {
				case !ok:
				case l.op == opEq:
					v = eqStr(x, l.s)
				case l.op == opNe:
					v = !eqStr(x, l.s)
				default:
					v = ordered(l.op, x, l.s)
				}
			case leafInInt:
				var x int64
				x, ok = r.Int(l.slot)
				if ok {
					v = slices.Contains(l.ints, x)
					ok = v || !l.hasNull
				}
			case leafInStr:
				var x string
				x, ok = r.Str(l.slot)
				if ok {
					for _, w := range l.strs {
						if eqStr(x, w) {
							v = true
							break
						}
					}
					ok = v || !l.hasNull
				}
			case leafNullInt:
				_, ok = r.Int(l.slot)
				v, ok = ok == l.not, true
			case leafNullFloat:
				_, ok = r.Float(l.slot)
				v, ok = ok == l.not, true
			case leafNullStr:
				_, ok = r.Str(l.slot)
				v, ok = ok == l.not, true
			default:
				_, ok = r.Bool(l.slot)
				v, ok = ok == l.not, true
			}
			if !ok {
				known = false
			} else if v == absorb {
				return absorb, true
			}
		}
		return known && !absorb, known
	}
}

// evalLeavesNil is leavesFn with no current event: its fields are null.
func evalLeavesNil(ls []leaf, absorb bool) (bool, bool) {
	known := true
	for i := range ls {
		if ls[i].kind < leafNullInt {
			known = false
		} else if v := !ls[i].not; v == absorb {
			return absorb, true
		}
	}
	return known && !absorb, known
}

// eqStr is a == b, deciding most unequal pairs by their length and first
// byte before the call to the runtime's memequal that == makes.
func eqStr(a, b string) bool {
	return len(a) == len(b) && (len(a) == 0 || a[0] == b[0]) && a == b
}

func leafNode(l *leaf) *node {
	return &node{t: Bool, leaf: l, b: leavesFn([]*leaf{l}, false)}
}

// cmpLeaf is `x op c` as a leaf when x is a current field, else nil. c has
// x's type.
func cmpLeaf(op cmpOp, x *node, c Value) *node {
	if !x.isCur {
		return nil
	}
	l := &leaf{op: op, mask: opMasks[op], slot: x.slot, i: c.I, f: c.F, s: c.S}
	switch {
	case isInt(x.t):
		l.kind = leafInt
	case x.t == Float:
		l.kind = leafFloat
	case x.t == String:
		l.kind = leafStr
	default:
		return nil
	}
	return leafNode(l)
}

// inLeaf is `x in [constants]` as a leaf when x is a current int or string
// field and the list is short (else nil).
func inLeaf(x *node, items []*node) *node {
	if !x.isCur || len(items) > 16 || !(isInt(x.t) || x.t == String) {
		return nil
	}
	l := &leaf{kind: leafInInt, slot: x.slot}
	if x.t == String {
		l.kind = leafInStr
	}
	for _, it := range items {
		switch {
		case !it.konst:
			return nil
		case it.v.IsNull():
			l.hasNull = true
		case x.t == String:
			l.strs = append(l.strs, it.v.S)
		default:
			l.ints = append(l.ints, it.v.I)
		}
	}
	return leafNode(l)
}

// nullLeaf is `x is [not] null` as a leaf when x is a current field.
func nullLeaf(x *node, not bool) *node {
	if !x.isCur {
		return nil
	}
	l := &leaf{kind: leafNullInt, slot: x.slot, not: not}
	switch x.t {
	case Float:
		l.kind = leafNullFloat
	case String:
		l.kind = leafNullStr
	case Bool:
		l.kind = leafNullBool
	}
	return leafNode(l)
}
