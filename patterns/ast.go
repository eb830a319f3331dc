package patterns

import "github.com/kestrelcep/kestrel/expr"

// Pos is a position in a rule file.
type Pos struct {
	File      string
	Line, Col int
}

// File is one parsed .krl file.
type File struct {
	Name  string
	Decls []Decl
}

// Decl is a top-level declaration: *StreamDecl, *TableDecl, *FeatureDecl or *RuleDecl.
type Decl interface {
	DeclName() string
	Position() Pos
}

// FieldDecl is `name type` in a stream or table.
type FieldDecl struct {
	At   Pos
	Name string
	Type string // as written; checked later
}

// StreamDecl is a `stream` declaration. Durations are in milliseconds; the
// *Set flags tell whether a clause was given.
type StreamDecl struct {
	At          Pos
	Name        string
	Fields      []FieldDecl
	ID          string // id field, "" when absent
	IDAt        Pos
	Timestamp   string // "" when absent (an error found by the checker)
	TimestampAt Pos
	Watermark   int64
	Lateness    int64
	Source      string // the declaration's text, for versioning and reports
}

// TableDecl is a `table` declaration.
type TableDecl struct {
	At     Pos
	Name   string
	Fields []FieldDecl
	Keys   []string
	KeysAt Pos
	Source string
}

// FeatureDecl is a `feature` declaration.
type FeatureDecl struct {
	At        Pos
	Name      string
	Agg       string // count, sum, avg, min, max, stddev, distinct_count, first, last
	AggAt     Pos
	Arg       expr.Node // nil for count()
	Stream    string
	StreamAt  Pos
	Filter    expr.Node // nil when absent
	By        []string
	ByAt      Pos
	Window    *Window // nil: global
	Emit      bool
	EmitEvery int64 // ms; 0 when absent
	Source    string
}

// Window is a feature's window clause. Durations in milliseconds.
type Window struct {
	At     Pos
	Kind   string // sliding, tumbling, hopping, session
	Size   int64
	Every  int64 // hopping only
	Offset int64
}

// RuleDecl is a `rule` declaration.
type RuleDecl struct {
	At          Pos
	Name        string
	Severity    string // "" when absent (medium)
	By          []string
	ByAt        Pos
	Pattern     *Pattern // nil when absent (an error found by the checker)
	Within      int64    // ms; 0 when absent
	WithinGap   bool
	WithinAt    Pos
	Skip        string // no_skip, to_next, past_last, to_first, to_last; "" when absent
	SkipTo      string // step name for to_first / to_last
	SkipAt      Pos
	Emit        *Record // nil when absent
	TimeoutEmit *Record // nil when absent
	To          string  // output name; "" when absent
	Source      string
}

// Record is `{ name: expr, ... }`.
type Record struct {
	At     Pos
	Fields []RecordField
}

// RecordField is one `name: expr` of a record.
type RecordField struct {
	At   Pos
	Name string
	Expr expr.Node
}

// Pattern is a sequence of elements joined by contiguity operators.
type Pattern struct {
	At       Pos
	Elements []*Element
}

// Element is a step or a parenthesized group. Op is the operator that joins it
// to the previous element ("->", "=>", "~>"; "" for the first).
type Element struct {
	At    Pos
	Op    string
	Not   bool     // negated step
	Step  *Step    // exactly one of Step and Group is set
	Group *Pattern // a group, with Quant applying to it
	Quant *Quantifier
}

// Step is `name: STREAM[cond]`.
type Step struct {
	At       Pos
	Name     string
	Stream   string // a declared stream or "any"
	StreamAt Pos
	Cond     expr.Node // nil when absent
}

// Quantifier is ? + * {n} {n,} {n,m} with its modifiers, normalized as Flink
// sees them: `?` is Min 1, Max 1, Optional; `+` is 1..-1; `*` is 1..-1 Optional;
// {n} is n..n; {n,} is n..-1; {n,m} is n..m; a lower bound of 0 ({0,m}) is
// Min 1 with Optional set. The `optional` modifier sets Optional.
type Quantifier struct {
	At           Pos
	Min          int
	Max          int  // -1: unbounded
	Optional     bool // ?, *, or the `optional` modifier
	Greedy       bool
	Consecutive  bool
	Combinations bool
	Until        expr.Node // nil when absent
}

func (d *StreamDecl) DeclName() string  { return d.Name }
func (d *TableDecl) DeclName() string   { return d.Name }
func (d *FeatureDecl) DeclName() string { return d.Name }
func (d *RuleDecl) DeclName() string    { return d.Name }
func (d *StreamDecl) Position() Pos     { return d.At }
func (d *TableDecl) Position() Pos      { return d.At }
func (d *FeatureDecl) Position() Pos    { return d.At }
func (d *RuleDecl) Position() Pos       { return d.At }
