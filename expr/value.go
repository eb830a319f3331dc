package expr

import "fmt"

// Type is the static type of an expression or field.
type Type uint8

// The KRL types. Null is the type of the literal null, assignable to every type.
// Time is epoch milliseconds; Duration is milliseconds.
const (
	Null Type = iota
	Bool
	Int
	Float
	String
	Time
	Duration
)

var typeNames = [...]string{"null", "bool", "int", "float", "string", "time", "duration"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// ParseType returns the type a declaration names (string, int, float, bool, time).
func ParseType(name string) (Type, bool) {
	switch name {
	case "string":
		return String, true
	case "int":
		return Int, true
	case "float":
		return Float, true
	case "bool":
		return Bool, true
	case "time":
		return Time, true
	}
	return Null, false
}

// Value is a dynamically typed value, used where a typed closure is not at hand:
// literals, emitted record fields, feature values. The zero Value is null.
// Bool, Int, Time and Duration are held in I (bools as 0 or 1), Float in F and
// String in S.
type Value struct {
	Type Type
	I    int64
	F    float64
	S    string
}

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.Type == Null }

// Constructors for Values of each type.
func BoolValue(b bool) Value {
	if b {
		return Value{Type: Bool, I: 1}
	}
	return Value{Type: Bool}
}
func IntValue(i int64) Value       { return Value{Type: Int, I: i} }
func FloatValue(f float64) Value   { return Value{Type: Float, F: f} }
func StringValue(s string) Value   { return Value{Type: String, S: s} }
func TimeValue(ms int64) Value     { return Value{Type: Time, I: ms} }
func DurationValue(ms int64) Value { return Value{Type: Duration, I: ms} }
