package expr

import (
	"fmt"
	"strings"
)

// This file walks the syntax tree: it checks types, reports errors and asks
// ops.go, leaf.go, fields.go and funcs.go for the closures (names.go resolves
// names). Checking and compiling are one pass; a subtree with an error
// compiles to bad (type invalid), which the nodes above pass up without a
// word, so each mistake is reported once.

type compiler struct {
	scope Scope
	errs  []*Error
}

type noScope struct{}

func (noScope) Field(string) (FieldRef, bool)   { return FieldRef{}, false }
func (noScope) Step(string) (StepRef, bool)     { return StepRef{}, false }
func (noScope) Feature(string) (FieldRef, bool) { return FieldRef{}, false }
func (noScope) Table(string) (TableRef, bool)   { return TableRef{}, false }
func (noScope) Key() (FieldRef, bool)           { return FieldRef{}, false }

func (c *compiler) errorf(p Pos, format string, args ...any) {
	c.errs = append(c.errs, &Error{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// pos is n's position, or the zero Pos for a missing node.
func pos(n Node) Pos {
	if isNil(n) {
		return Pos{}
	}
	return n.Position()
}

func isNil(n Node) bool {
	switch n := n.(type) {
	case nil:
		return true
	case *Lit:
		return n == nil
	case *Name:
		return n == nil
	case *Selector:
		return n == nil
	case *Index:
		return n == nil
	case *Call:
		return n == nil
	case *Unary:
		return n == nil
	case *Binary:
		return n == nil
	case *In:
		return n == nil
	case *Between:
		return n == nil
	case *IsNull:
		return n == nil
	}
	return false
}

func (c *compiler) expr(n Node) *node {
	if isNil(n) {
		c.errorf(Pos{}, "missing expression")
		return bad
	}
	switch n := n.(type) {
	case *Lit:
		if n.Val.Type > Duration {
			c.errorf(n.At, "invalid literal of type %s", n.Val.Type)
			return bad
		}
		return constant(n.Val.Type, n.Val)
	case *Name:
		return c.name(n)
	case *Selector:
		return c.selector(n)
	case *Index:
		if name, _, _, ok := c.table(n); ok {
			c.errorf(n.At, "a row of table %s is not a value; read a column of it with %s[...].column", name, name)
		}
		return bad
	case *Call:
		return c.call(n)
	case *Unary:
		return c.unary(n)
	case *Binary:
		switch n.Op {
		case "and", "or":
			return c.logic(n)
		case "+", "-", "*", "/", "%":
			return c.arith(n)
		case "==", "!=", "<", "<=", ">", ">=":
			return c.compare(n)
		}
		c.expr(n.L)
		c.expr(n.R)
		c.errorf(n.At, "unknown operator %q", n.Op)
		return bad
	case *In:
		return c.in(n)
	case *Between:
		return c.between(n)
	case *IsNull:
		x := c.expr(n.X)
		return isNullNode(x, n.Not)
	}
	c.errorf(n.Position(), "unknown expression node %T", n)
	return bad
}

// exprs compiles ns; ok is false when any has an error.
func (c *compiler) exprs(ns []Node) ([]*node, bool) {
	xs := make([]*node, len(ns))
	ok := true
	for i, n := range ns {
		xs[i] = c.expr(n)
		ok = ok && xs[i].t != invalid
	}
	return xs, ok
}

// Operators.

func (c *compiler) unary(n *Unary) *node {
	x := c.expr(n.X)
	if x.t == invalid {
		return bad
	}
	switch n.Op {
	case "-":
		switch x.t {
		case Null:
			return x
		case Int, Duration:
			return fold(&node{t: x.t, i: negInt(x.i)}, x)
		case Float:
			return fold(&node{t: Float, f: negFloat(x.f)}, x)
		}
		c.errorf(pos(n.X), "cannot negate %s; - expects a number or a duration", c.desc(n.X, x.t))
	case "not":
		switch x.t {
		case Null:
			return constant(Bool, Value{})
		case Bool:
			return fold(&node{t: Bool, b: not(x.b)}, x)
		}
		c.errorf(pos(n.X), "not expects bool; got %s", c.desc(n.X, x.t))
	default:
		c.errorf(n.At, "unknown operator %q", n.Op)
	}
	return bad
}

// logic compiles a chain of `and` (or of `or`) as one n-ary node, folding
// constant operands with Kleene logic.
func (c *compiler) logic(n *Binary) *node {
	var operands []Node
	var collect func(Node)
	collect = func(m Node) {
		if b, ok := m.(*Binary); ok && b != nil && b.Op == n.Op {
			collect(b.L)
			collect(b.R)
			return
		}
		operands = append(operands, m)
	}
	collect(n)
	xs, ok := c.exprs(operands)
	for i, x := range xs {
		if x.t != invalid && x.t != Bool && x.t != Null {
			c.errorf(pos(operands[i]), "%s expects bool operands; got %s", n.Op, c.desc(operands[i], x.t))
			ok = false
		}
	}
	if !ok {
		return bad
	}
	// absorb is the value that decides the result: false for and, true for or.
	// Constants fold away; leaves (leaf.go) go first, in one loop: no operand
	// has side effects, so the order is free.
	absorb := n.Op == "or"
	var fns []fn[bool]
	var leaves []*leaf
	var only *node // the operand, when a single one is not constant
	count, sawNull := 0, false
	for _, x := range xs {
		switch {
		case !x.konst:
			count++
			only = x
			if x.leaf != nil {
				leaves = append(leaves, x.leaf)
			} else {
				fns = append(fns, x.b)
			}
		case x.v.IsNull():
			sawNull = true
		case (x.v.I != 0) == absorb:
			return constant(Bool, BoolValue(absorb))
		}
	}
	switch {
	case count == 0 && sawNull:
		return constant(Bool, Value{})
	case count == 0:
		return constant(Bool, BoolValue(!absorb))
	case count == 1 && !sawNull:
		return only
	}
	if len(leaves) > 0 {
		n := leavesNode(leaves, absorb)
		if len(fns) == 0 && !sawNull {
			return n
		}
		fns = append([]fn[bool]{n.b}, fns...)
	}
	if sawNull {
		fns = append(fns, null[bool])
	}
	if absorb {
		return &node{t: Bool, b: or(fns)}
	}
	return &node{t: Bool, b: and(fns)}
}

var arithVerbs = map[string]string{
	"+": "cannot add %s and %s",
	"-": "cannot subtract %[2]s from %[1]s",
	"*": "cannot multiply %s by %s",
	"/": "cannot divide %s by %s",
	"%": "cannot take %s modulo %s",
}

// arithKind is how an arithmetic operator computes: on int64s (int, time,
// duration), on float64s, or by concatenation.
type arithKind uint8

const (
	onInts arithKind = iota
	onFloats
	onStrings
)

// arithType is the result type of l op r for non-null operand types.
func arithType(op string, l, r Type) (Type, arithKind, bool) {
	num := func(t Type) bool { return t == Int || t == Float }
	switch {
	case l == Int && r == Int:
		return Int, onInts, true
	case num(l) && num(r):
		return Float, onFloats, true
	case l == String && r == String && op == "+":
		return String, onStrings, true
	case l == Time && r == Time && op == "-":
		return Duration, onInts, true
	case l == Time && r == Duration && (op == "+" || op == "-"),
		l == Duration && r == Time && op == "+":
		return Time, onInts, true
	case l == Duration && r == Duration && (op == "+" || op == "-"),
		l == Duration && r == Int && (op == "*" || op == "/"),
		l == Int && r == Duration && op == "*":
		return Duration, onInts, true
	}
	return 0, 0, false
}

// arithOperand reports whether t can be the left operand of op at all, to
// tell which operand of a mismatch to point at.
func arithOperand(op string, t Type) bool {
	switch t {
	case Null, Int, Float:
		return true
	case String:
		return op == "+"
	case Time:
		return op == "+" || op == "-"
	case Duration:
		return op != "%"
	}
	return false
}

func (c *compiler) arith(n *Binary) *node {
	l, r := c.expr(n.L), c.expr(n.R)
	if l.t == invalid || r.t == invalid {
		return bad
	}
	op := n.Op
	// With a null operand the result is always null; its type is the other
	// operand's when op keeps that type (int, float, string +, duration + -).
	if l.t == Null || r.t == Null {
		o := l.t
		if o == Null {
			o = r.t
		}
		if arithOperand(op, o) {
			if t, _, ok := arithType(op, o, o); ok && t == o {
				return constant(o, Value{})
			}
			return constant(Null, Value{})
		}
	}
	t, kind, ok := arithType(op, l.t, r.t)
	if !ok {
		at := pos(n.R)
		if !arithOperand(op, l.t) {
			at = pos(n.L)
		}
		c.errorf(at, arithVerbs[op], l.t, r.t)
		return bad
	}
	var x *node
	switch kind {
	case onInts:
		x = &node{t: t, i: arithInt(op, l.ints(), r.ints())}
	case onFloats:
		x = &node{t: t, f: arithFloat(op, l.floats(), r.floats())}
	default:
		x = &node{t: t, s: concat(l.s, r.s)}
	}
	return fold(x, l, r)
}

// unify is the type in which values of types a and b compare: the same type,
// float for int and float, the other type for null.
func unify(a, b Type) (Type, bool) {
	switch {
	case a == b:
		return a, true
	case a == Null:
		return b, true
	case b == Null:
		return a, true
	case (a == Int || a == Float) && (b == Int || b == Float):
		return Float, true
	}
	return 0, false
}

// comparable unifies the types of l and r for op, reporting a mismatch at r.
func (c *compiler) comparable(ordering bool, ln Node, l *node, rn Node, r *node) (Type, bool) {
	if ordering {
		ok := true
		for _, o := range []struct {
			n Node
			x *node
		}{{ln, l}, {rn, r}} {
			if o.x.t == Bool {
				c.errorf(pos(o.n), "cannot order bools: %s is bool (only == and != apply to bools)", describe(o.n))
				ok = false
			}
		}
		if !ok {
			return 0, false
		}
	}
	d, ok := unify(l.t, r.t)
	if !ok {
		if s := describe(ln); s != "" {
			c.errorf(pos(rn), "%s is %s; cannot compare with %s", s, l.t, c.desc(rn, r.t))
		} else {
			c.errorf(pos(rn), "cannot compare %s with %s", l.t, c.desc(rn, r.t))
		}
	}
	return d, ok
}

func (c *compiler) compare(n *Binary) *node {
	l, r := c.expr(n.L), c.expr(n.R)
	if l.t == invalid || r.t == invalid {
		return bad
	}
	op := cmpOps[n.Op]
	d, ok := c.comparable(op > opNe, n.L, l, n.R, r)
	if !ok {
		return bad
	}
	if d == Null || (l.konst && l.v.IsNull()) || (r.konst && r.v.IsNull()) {
		return constant(Bool, Value{})
	}
	l, r = l.as(d), r.as(d)
	if !l.konst && r.konst {
		return compareNode(op, d, l, r)
	}
	if l.konst && !r.konst {
		return compareNode(op.flip(), d, r, l)
	}
	return fold(compareNode(op, d, l, r), l, r)
}

// compareNode compares l and r, both of type d; r may be a constant.
func compareNode(op cmpOp, d Type, l, r *node) *node {
	if r.konst {
		if x := cmpLeaf(op, l, r.v); x != nil {
			return x
		}
	}
	var b fn[bool]
	switch {
	case d == Bool:
		b = equalBools(op == opNe, l.b, r.b)
	case isInt(d) && r.konst:
		b = compareConst(op, l.i, r.v.I)
	case isInt(d):
		b = compare(op, l.i, r.i)
	case d == Float && r.konst:
		b = compareConst(op, l.f, r.v.F)
	case d == Float:
		b = compare(op, l.f, r.f)
	case d == String && r.konst:
		b = compareConst(op, l.s, r.v.S)
	case d == String:
		b = compare(op, l.s, r.s)
	}
	return &node{t: Bool, b: b}
}

func (c *compiler) in(n *In) *node {
	x := c.expr(n.X)
	items, ok := c.exprs(n.List)
	if x.t == invalid || !ok {
		return bad
	}
	d := x.t
	for i, it := range items {
		nd, ok2 := unify(d, it.t)
		if !ok2 {
			if s := describe(n.X); s != "" {
				c.errorf(pos(n.List[i]), "%s is %s; cannot compare with %s", s, d, c.desc(n.List[i], it.t))
			} else {
				c.errorf(pos(n.List[i]), "cannot compare %s with %s", d, c.desc(n.List[i], it.t))
			}
			ok = false
			continue
		}
		d = nd
	}
	if !ok {
		return bad
	}
	if x.t == Null || d == Null {
		return constant(Bool, Value{})
	}
	x = x.as(d)
	for i := range items {
		items[i] = items[i].as(d)
	}
	if l := inLeaf(x, items); l != nil {
		return l
	}
	var b fn[bool]
	switch {
	case d == Bool:
		b = inNodes(x.b, items, (*node).bools, func(v Value) bool { return v.I != 0 })
	case isInt(d):
		b = inNodes(x.i, items, (*node).ints, func(v Value) int64 { return v.I })
	case d == Float:
		b = inNodes(x.f, items, (*node).floats, func(v Value) float64 { return v.F })
	case d == String:
		b = inNodes(x.s, items, (*node).strs, func(v Value) string { return v.S })
	}
	return fold(&node{t: Bool, b: b}, append(items, x)...)
}

// inNodes is `x in items`, with a constant set when every item is a constant.
func inNodes[T comparable](x fn[T], items []*node, get func(*node) fn[T], val func(Value) T) fn[bool] {
	set := make([]T, 0, len(items))
	hasNull := false
	for _, it := range items {
		if !it.konst {
			fns := make([]fn[T], len(items))
			for i, it := range items {
				fns[i] = get(it)
			}
			return in(x, fns)
		}
		if it.v.IsNull() {
			hasNull = true
		} else {
			set = append(set, val(it.v))
		}
	}
	return inConst(x, set, hasNull)
}

func (c *compiler) between(n *Between) *node {
	x, lo, hi := c.expr(n.X), c.expr(n.Lo), c.expr(n.Hi)
	if x.t == invalid || lo.t == invalid || hi.t == invalid {
		return bad
	}
	d, ok := c.comparable(true, n.X, x, n.Lo, lo)
	if ok {
		var d2 Type
		d2, ok = c.comparable(true, n.X, x, n.Hi, hi)
		if ok {
			d, ok = unify(d, d2) // both unify with x: int and float at worst
		}
	}
	if !ok {
		return bad
	}
	if x.t == Null || d == Null {
		return constant(Bool, Value{})
	}
	x, lo, hi = x.as(d), lo.as(d), hi.as(d)
	if l := betweenLeaf(x, lo, hi); l != nil {
		return l
	}
	var b fn[bool]
	switch {
	case isInt(d):
		b = between(x.i, lo.i, hi.i)
	case d == Float:
		b = between(x.f, lo.f, hi.f)
	case d == String:
		b = between(x.s, lo.s, hi.s)
	}
	return fold(&node{t: Bool, b: b}, x, lo, hi)
}

func isNullNode(x *node, not bool) *node {
	var b fn[bool]
	switch {
	case x.t == invalid:
		return bad
	case x.konst:
		return constant(Bool, BoolValue(x.v.IsNull() != not))
	case x.isCur:
		return nullLeaf(x, not)
	case x.t == Bool:
		b = isNull(x.b, not)
	case isInt(x.t):
		b = isNull(x.i, not)
	case x.t == Float:
		b = isNull(x.f, not)
	case x.t == String:
		b = isNull(x.s, not)
	}
	return &node{t: Bool, b: b}
}

// Descriptions for errors.

// describe is a short source text for n: a literal, a name, a field path or a
// simple call; "" for anything longer.
func describe(n Node) string {
	s := text(n)
	if len(s) > 40 {
		return ""
	}
	return s
}

func text(n Node) string {
	if isNil(n) {
		return ""
	}
	switch n := n.(type) {
	case *Lit:
		return literal(n.Val)
	case *Name:
		return n.Name
	case *Selector:
		if x := text(n.X); x != "" {
			return x + "." + n.Field
		}
	case *Call:
		args := make([]string, len(n.Args))
		for i, a := range n.Args {
			if args[i] = text(a); args[i] == "" {
				return ""
			}
		}
		return n.Fn + "(" + strings.Join(args, ", ") + ")"
	case *Index:
		keys := make([]string, len(n.Keys))
		for i, k := range n.Keys {
			if keys[i] = text(k); keys[i] == "" {
				return ""
			}
		}
		if x := text(n.X); x != "" {
			return x + "[" + strings.Join(keys, ", ") + "]"
		}
	}
	return ""
}

// desc describes an operand of type t for "got ..." and "compare with ...":
// `string "x"` for a literal, `country (string)` for a name, else the type.
func (c *compiler) desc(n Node, t Type) string {
	if l, ok := n.(*Lit); ok && l != nil {
		if t == Null {
			return "null"
		}
		return t.String() + " " + literal(l.Val)
	}
	if s := describe(n); s != "" {
		return s + " (" + t.String() + ")"
	}
	return t.String()
}

func article(t Type) string {
	if t == Int {
		return "an int"
	}
	return "a " + t.String()
}

// literal is v as KRL source.
func literal(v Value) string { return v.String() }
