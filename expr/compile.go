package expr

import "fmt"

// Error is a compile error in an expression, at the position of the offending
// node (usually the operand that has the wrong type).
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg) }

// Expr is a compiled, type-checked expression. It is immutable and safe for
// concurrent use by several goroutines.
type Expr struct {
	n *node
	i fn[int64]
	f fn[float64]
	s fn[string]
	b fn[bool]
	// set is n.set: Cond evaluates a condition made of leaves alone (see
	// leaf.go) without the call to b.
	set *leafSet
}

// Compile checks n against the names of s and compiles it. It returns every
// error in the tree (one per wrong subtree: a subtree with an error does not
// cause further errors in the nodes above it), or a nil error list and the
// compiled expression. A nil Scope resolves no names.
func Compile(n Node, s Scope) (*Expr, []*Error) {
	if s == nil {
		s = noScope{}
	}
	c := &compiler{scope: s}
	x := c.expr(n)
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return newExpr(x), nil
}

// CompileCond is Compile for a condition: n must be of type bool (or be the
// literal null, which never matches).
func CompileCond(n Node, s Scope) (*Expr, []*Error) {
	if s == nil {
		s = noScope{}
	}
	c := &compiler{scope: s}
	x := c.expr(n)
	if x.t != invalid && x.t != Bool && x.t != Null {
		c.errorf(pos(n), "condition is %s; expected bool", x.t)
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return newExpr(x), nil
}

func newExpr(x *node) *Expr {
	return &Expr{n: x, i: x.ints(), f: x.floats(), s: x.strs(), b: x.bools(), set: x.set}
}

// Type is the expression's static type. It is Null only for an expression
// that is always null, such as the literal null.
func (x *Expr) Type() Type { return x.n.t }

// Const reports the expression's value when it is known at compile time
// (literals and operators and functions over them are folded).
func (x *Expr) Const() (Value, bool) { return x.n.v, x.n.konst }

// Eval evaluates the expression. The result has the expression's type, or is
// null. env may be nil for an expression that reads no step: the current
// event's fields are then null.
func (x *Expr) Eval(env Env) Value { return x.n.value(env, current(env)) }

// Cond evaluates a condition: true only when the expression is true, false when
// it is false or null (or not a bool).
func (x *Expr) Cond(env Env) bool {
	if x.set != nil { // no call to b
		v, ok := x.set.eval(current(env))
		return v && ok
	}
	v, ok := x.b(env, current(env))
	return v && ok
}

// Int evaluates an expression of type int, time or duration; ok is false
// when the value is null (or when the expression has another type).
func (x *Expr) Int(env Env) (v int64, ok bool) { return x.i(env, current(env)) }

// Float evaluates an expression of type float or int (widened).
func (x *Expr) Float(env Env) (v float64, ok bool) { return x.f(env, current(env)) }

// Str evaluates an expression of type string.
func (x *Expr) Str(env Env) (v string, ok bool) { return x.s(env, current(env)) }

// Bool evaluates an expression of type bool; ok is false when it is null.
func (x *Expr) Bool(env Env) (v bool, ok bool) { return x.b(env, current(env)) }

// current is env's current event, read once per evaluation and passed down
// to the closures, which saves a call per field of it.
func current(env Env) Row {
	if env == nil {
		return nil
	}
	return env.Current()
}

// fn is a compiled expression of Go type T: int64 for int, time and
// duration, float64, string, or bool (with ok=false meaning null, so a bool is
// three-valued). When ok is false, the value is T's zero. cur is
// env.Current(), fetched once by the Expr method that starts the evaluation.
type fn[T any] func(Env, Row) (T, bool)

// invalid is the type of a subtree that has an error; nodes above it report
// nothing more about it.
const invalid Type = 255

// node is a compiled subtree: its type and the closure of the Go type that
// represents it (i for Int, Time and Duration; f for Float; s for String; b
// for Bool; none for Null).
type node struct {
	t     Type
	konst bool  // the value is known at compile time
	v     Value // the value, when konst
	i     fn[int64]
	f     fn[float64]
	s     fn[string]
	b     fn[bool]
	isCur bool // the node reads slot of the current event (leaves read it directly)
	slot  int
	leaf  *leaf    // the node is a leaf condition (leaf.go)
	set   *leafSet // the node is a leaf or a chain of them (leaf.go); b evaluates it
}

var bad = &node{t: invalid}

func isInt(t Type) bool { return t == Int || t == Time || t == Duration }

// constant is a node of type t whose value is always v (v may be null).
func constant(t Type, v Value) *node {
	n := &node{t: t, konst: true, v: v}
	ok := !v.IsNull()
	if !ok {
		n.v = Value{}
	}
	switch {
	case t == Bool:
		b := ok && v.I != 0
		n.b = func(Env, Row) (bool, bool) { return b, ok }
	case isInt(t):
		i := v.I
		if !ok {
			i = 0
		}
		n.i = func(Env, Row) (int64, bool) { return i, ok }
	case t == Float:
		f := v.F
		if v.Type == Int { // a folded int widened to float
			f = float64(v.I)
		}
		if !ok {
			f = 0
		}
		n.f = func(Env, Row) (float64, bool) { return f, ok }
		if ok {
			n.v = FloatValue(f)
		}
	case t == String:
		s := v.S
		if !ok {
			s = ""
		}
		n.s = func(Env, Row) (string, bool) { return s, ok }
	}
	return n
}

// fold replaces n by a constant when all its operands are constants. The
// closures of constant operands never read the Env, so evaluating n with a nil
// Env is safe.
func fold(n *node, operands ...*node) *node {
	for _, o := range operands {
		if !o.konst {
			return n
		}
	}
	return constant(n.t, n.value(nil, nil))
}

// value evaluates n into a Value of its type.
func (n *node) value(env Env, cur Row) Value {
	switch n.t {
	case Bool:
		if v, ok := n.b(env, cur); ok {
			return BoolValue(v)
		}
	case Int, Time, Duration:
		if v, ok := n.i(env, cur); ok {
			return Value{Type: n.t, I: v}
		}
	case Float:
		if v, ok := n.f(env, cur); ok {
			return FloatValue(v)
		}
	case String:
		if v, ok := n.s(env, cur); ok {
			return StringValue(v)
		}
	}
	return Value{}
}

func null[T any](Env, Row) (T, bool) {
	var zero T
	return zero, false
}

// ints is n's closure for an int, time or duration; null for other types.
func (n *node) ints() fn[int64] {
	if isInt(n.t) {
		return n.i
	}
	return null[int64]
}

// floats is n's closure as a float, widening an int.
func (n *node) floats() fn[float64] {
	switch n.t {
	case Float:
		return n.f
	case Int:
		if n.konst {
			return constant(Float, n.v).f
		}
		i := n.i
		return func(env Env, cur Row) (float64, bool) {
			v, ok := i(env, cur)
			return float64(v), ok
		}
	}
	return null[float64]
}

func (n *node) strs() fn[string] {
	if n.t == String {
		return n.s
	}
	return null[string]
}

func (n *node) bools() fn[bool] {
	if n.t == Bool {
		return n.b
	}
	return null[bool]
}

// as converts n to type t: an int widened to float, a null to a null of t.
// Other conversions are not asked for by the checker.
func (n *node) as(t Type) *node {
	if n.t == t {
		return n
	}
	if n.konst || n.t == Null {
		v := n.v
		if t == Float && v.Type == Int {
			v = FloatValue(float64(v.I))
		}
		return constant(t, v)
	}
	return &node{t: t, f: n.floats()} // Int to Float
}
