package expr

// Pos is a position in a KRL source file; lines and columns start at 1.
type Pos struct {
	Line, Col int
}

// Node is an expression syntax tree node, as built by the parser.
type Node interface {
	Position() Pos
}

// Lit is a literal: a number, string, boolean, duration (Type Duration) or null.
type Lit struct {
	At  Pos
	Val Value
}

// Name is a bare identifier: a field of the current event, a step, a feature,
// a table, or `key`. `this` is a Name too; `this.f` is Selector{X: Name{"this"}}.
type Name struct {
	At   Pos
	Name string
}

// Selector is X.Field: a step's field (a.f), this.f, first(a).f, t[k].f.
type Selector struct {
	At    Pos
	X     Node
	Field string
}

// Index is X[Keys...]: a table lookup t[k] (several keys for a composite key).
type Index struct {
	At   Pos
	X    Node
	Keys []Node
}

// Call is a function or aggregate call: abs(x), count(a), sum(a.f), first(a).
type Call struct {
	At   Pos
	Fn   string
	Args []Node
}

// Unary is a prefix operator: "-" or "not".
type Unary struct {
	At Pos
	Op string
	X  Node
}

// Binary is an infix operator: + - * / % == != < <= > >= and or.
type Binary struct {
	At   Pos
	Op   string
	L, R Node
}

// In is `X in [List...]`.
type In struct {
	At   Pos
	X    Node
	List []Node
}

// Between is `X between Lo and Hi`, inclusive at both ends.
type Between struct {
	At        Pos
	X, Lo, Hi Node
}

// IsNull is `X is null`, or `X is not null` when Not is set.
type IsNull struct {
	At  Pos
	X   Node
	Not bool
}

func (n *Lit) Position() Pos      { return n.At }
func (n *Name) Position() Pos     { return n.At }
func (n *Selector) Position() Pos { return n.At }
func (n *Index) Position() Pos    { return n.At }
func (n *Call) Position() Pos     { return n.At }
func (n *Unary) Position() Pos    { return n.At }
func (n *Binary) Position() Pos   { return n.At }
func (n *In) Position() Pos       { return n.At }
func (n *Between) Position() Pos  { return n.At }
func (n *IsNull) Position() Pos   { return n.At }
