package event

import (
	"strings"
	"testing"
)

func TestNewSchema(t *testing.T) {
	f := func(fs ...Field) []Field { return fs }
	tests := []struct {
		name    string
		fields  []Field
		id, ts  string
		wantErr string
	}{
		{"ok", f(Field{"id", Int}, Field{"ts", Time}), "id", "ts", ""},
		{"no id", f(Field{"ts", Time}), "", "ts", ""},
		{"no timestamp", f(Field{"ts", Time}), "", "", `stream "s": no timestamp field`},
		{"undeclared timestamp", f(Field{"ts", Time}), "", "when", `timestamp field "when" is not declared`},
		{"timestamp not time", f(Field{"ts", Int}), "", "ts", `timestamp field "ts" is int, must be time`},
		{"undeclared id", f(Field{"ts", Time}), "key", "ts", `id field "key" is not declared`},
		{"duplicate", f(Field{"ts", Time}, Field{"ts", Int}), "", "ts", `field "ts" declared twice`},
		{"no name", f(Field{"", Int}, Field{"ts", Time}), "", "ts", `field 1 has no name`},
		{"bad type", f(Field{"x", Type(9)}, Field{"ts", Time}), "", "ts", `field "x" has an invalid type`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSchema("s", 1, tt.fields, tt.id, tt.ts)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if s.Index != 1 || s.Fields[s.Time].Name != tt.ts {
					t.Errorf("schema %+v", s)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestSchemaLookupAndExtra(t *testing.T) {
	s := txnSchema(t)
	if i, ok := s.Lookup("amount"); !ok || i != 2 {
		t.Errorf("Lookup(amount) = %d, %v", i, ok)
	}
	if _, ok := s.Lookup("nope"); ok {
		t.Error("Lookup(nope) found")
	}
	if s.ID != 0 || s.Time != 6 {
		t.Errorf("ID %d Time %d", s.ID, s.Time)
	}
	x := s.AddExtra(Float)
	y := s.AddExtra(String)
	if x != 7 || y != 8 || s.Slots() != 9 || s.SlotType(y) != String || s.SlotType(9) != Invalid || s.SlotType(-1) != Invalid {
		t.Errorf("extra slots %d %d, Slots %d", x, y, s.Slots())
	}
	for _, name := range []string{"string", "int", "float", "bool", "time"} {
		if ty, ok := ParseType(name); !ok || ty.String() != name {
			t.Errorf("ParseType(%q) = %v, %v", name, ty, ok)
		}
	}
	if _, ok := ParseType("duration"); ok {
		t.Error("ParseType(duration) ok")
	}
}
