package expr

// Row is the typed fields of one event, read by slot. The second result is false
// when the field is null. Time fields are read with Int (epoch milliseconds).
// Stream identifies the event's stream, for fields of steps over `any`.
// *event.Event implements Row.
type Row interface {
	Stream() int
	Int(slot int) (int64, bool)
	Float(slot int) (float64, bool)
	Str(slot int) (string, bool)
	Bool(slot int) (bool, bool)
}

// WordRow is a Row that also exposes its storage, so that a chain of leaf
// conditions (`f op c`, `f in [...]`, `f is null` on the current event; see
// leaf.go) reads the slots straight from memory after one call to Words,
// instead of making an interface call per term. Rows that do not implement it
// are read through the Row methods. *event.Event implements it.
//
// The layout is the event's: vals holds the slots in groups of 65 words, a
// word of non-null bits then the values of 64 slots. Slot s is non-null when
// bit s%64 of vals[g] is set, where g = s/64*65, and its value is then
// vals[g+1+s%64]; a slot whose value word is beyond len(vals) is null. The
// value word is an int, time or duration as int64, a float as its IEEE 754
// bits (math.Float64bits), a bool as 0 or 1, and a string as an index into
// strs (an index beyond len(strs) is null).
//
// Words must describe exactly what the Row methods return for every slot the
// expression reads, and the slices must not change during the evaluation.
// The caller only reads them and does not keep them.
type WordRow interface {
	Row
	Words() (vals []uint64, strs []string)
}

// Env is what a compiled expression reads at run time besides literals and tables.
//
// In a step's condition, Current is the event being tested and the steps are the
// partial match it would extend (for a looping step's own condition, the events
// accepted into it so far). In an emit record, Current is the match's last event.
// Current may return nil (no event): its fields are then null.
type Env interface {
	Current() Row
	// StepLen is the number of events bound to step (a step index from Scope).
	StepLen(step int) int
	// StepEvent is event i (0-based, in match order) of step.
	StepEvent(step, i int) Row
}

// FieldRef locates a field in the rows of one or more streams. Slot is used when
// ByStream is nil; otherwise the slot is ByStream[row.Stream()] (a step over `any`).
type FieldRef struct {
	Type     Type
	Slot     int
	ByStream []int
}

// StepRef describes a pattern step visible to an expression.
type StepRef struct {
	Index   int  // passed to Env.StepLen and Env.StepEvent
	Looping bool // a list: quantified with anything but `?`
	Negated bool // negated steps cannot be referenced; Scope reports them so the error can say so
	// Field resolves a field of the step's stream (or of every stream, for `any`).
	Field func(name string) (FieldRef, bool)
}

// TableRef describes a lookup table.
type TableRef struct {
	Keys   []Type                             // key field types, in declaration order
	Field  func(name string) (FieldRef, bool) // a column of the table's rows
	Lookup func(key []Value) Row              // nil Row: no such row (fields are null)
}

// Scope resolves the names an expression uses. Any method may report false.
type Scope interface {
	// Field is a field of the current event (a bare name or this.f).
	Field(name string) (FieldRef, bool)
	// Step is a step of the pattern visible here (an earlier step, or the
	// step whose condition this is).
	Step(name string) (StepRef, bool)
	// Feature is a feature's value, read from the current event like a field
	// (the engine attaches feature values to events as extra slots).
	Feature(name string) (FieldRef, bool)
	// Table is a lookup table.
	Table(name string) (TableRef, bool)
	// Key is the partition key, when it is a single field.
	Key() (FieldRef, bool)
}
