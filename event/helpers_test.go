package event

import (
	"testing"
)

// txnSchema is the spec's example stream.
func txnSchema(t testing.TB) *Schema {
	t.Helper()
	s, err := NewSchema("txn", 0, []Field{
		{"id", String}, {"card_id", String}, {"amount", Float}, {"country", String},
		{"merchant", String}, {"is_fraud", Bool}, {"ts", Time},
	}, "id", "ts")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// allSchema has one field of each type.
func allSchema(t testing.TB) *Schema {
	t.Helper()
	s, err := NewSchema("all", 3, []Field{
		{"s", String}, {"i", Int}, {"f", Float}, {"b", Bool}, {"t", Time},
	}, "", "t")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// handbookSchema is the stream of ../shared/data/handbook-transactions.csv.gz.
func handbookSchema(t testing.TB) *Schema {
	t.Helper()
	s, err := NewSchema("txn", 0, []Field{
		{"id", Int}, {"ts", Time}, {"customer_id", Int}, {"terminal_id", Int},
		{"amount", Float}, {"is_fraud", Bool}, {"fraud_scenario", Int},
	}, "id", "ts")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// values returns an event's declared fields by name: nil for null, else
// string, int64 (int and time), float64 or bool.
func values(ev *Event) map[string]any {
	m := make(map[string]any)
	for i, f := range ev.Schema.Fields {
		var v any
		var ok bool
		switch f.Type {
		case String:
			v, ok = ev.Str(i)
		case Int, Time:
			v, ok = ev.Int(i)
		case Float:
			v, ok = ev.Float(i)
		case Bool:
			v, ok = ev.Bool(i)
		}
		if !ok {
			v = nil
		}
		m[f.Name] = v
	}
	return m
}
