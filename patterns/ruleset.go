package patterns

import (
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/nfa"
)

// RuleSet is a compiled, checked set of declarations, ready for the engine.
// Streams are numbered by their index in Streams; an event's Stream() is that index.
type RuleSet struct {
	Streams  []*Stream
	Tables   []*Table
	Features []*Feature
	Rules    []*Rule
	// Warnings are problems that do not stop the rule set from running.
	Warnings ErrorList
}

// Stream is a declared stream with its event schema.
type Stream struct {
	Decl      *StreamDecl
	Name      string
	Index     int
	Schema    *event.Schema
	Fields    []string    // declared fields, in order: slot i is Fields[i]
	Types     []expr.Type // their types
	Watermark int64       // ms
	Lateness  int64       // ms
}

// Table is a declared lookup table.
type Table struct {
	Decl *TableDecl
	Name string
	// Fields and Types are the columns in declaration order; Keys index into them.
	Fields []string
	Types  []expr.Type
	Keys   []int
	// Rows is bound at run time to the table's source; nil: no rows.
	Rows TableRows
}

// TableRows looks rows up by key; nil: no such row.
type TableRows interface {
	Lookup(key []expr.Value) expr.Row
}

// Feature is a declared windowed aggregate. Its value is attached to every
// event of its stream as an extra slot (Slot) by the engine's feature stage.
type Feature struct {
	Decl   *FeatureDecl
	Name   string
	Index  int
	Stream *Stream
	Type   expr.Type // the type of the value
	Arg    *expr.Expr
	Filter *expr.Expr
	By     []int // field slots of the key in Stream
}

// Rule is a compiled rule.
type Rule struct {
	Decl     *RuleDecl
	Name     string
	Version  int
	Severity string
	Output   string // "alerts" unless the rule says `to NAME`; "shadow" for a rule deployed in shadow mode
	Mode     string // "live", or "shadow": the alert records' mode
	// Reads[s] tells whether the pattern reads stream s.
	Reads []bool
	// Key[s] holds, for stream s, the slots of the `by` fields (nil without `by`).
	Key      [][]int
	KeyTypes []expr.Type
	Pattern  nfa.Pattern
	Program  *nfa.Program
	// Steps are the step names; index = nfa step id.
	Steps       []string
	Emit        []Emitted
	TimeoutEmit []Emitted
	Within      int64
	WithinGap   bool
}

// Emitted is one field of an emit record.
type Emitted struct {
	Name string
	Expr *expr.Expr
}

// Stream returns the stream with that name, or nil.
func (rs *RuleSet) Stream(name string) *Stream {
	for _, s := range rs.Streams {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Rule returns the rule with that name, or nil.
func (rs *RuleSet) Rule(name string) *Rule {
	for _, r := range rs.Rules {
		if r.Name == name {
			return r
		}
	}
	return nil
}
