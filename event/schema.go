package event

import (
	"errors"
	"fmt"
)

// Type is the declared type of a field (or of an extra slot).
type Type uint8

// The field types of KRL. Time values are epoch milliseconds.
const (
	Invalid Type = iota
	String
	Int
	Float
	Bool
	Time
)

var typeNames = [...]string{"invalid", "string", "int", "float", "bool", "time"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// ParseType returns the type a declaration names: string, int, float, bool or time.
func ParseType(name string) (Type, bool) {
	for t := String; t <= Time; t++ {
		if typeNames[t] == name {
			return t, true
		}
	}
	return Invalid, false
}

// Field is a declared field of a stream.
type Field struct {
	Name string
	Type Type
}

// Schema describes the events of one stream. Build it with NewSchema and treat
// its exported fields as read-only; add extra slots with AddExtra.
type Schema struct {
	Name   string  // stream name
	Index  int     // index of the stream in the rule set; Event.Stream returns it
	Fields []Field // declared fields; field i is slot i
	ID     int     // index of the id field, or -1
	Time   int     // index of the timestamp field (of type Time)
	// Extra are the types of the slots after the declared fields, which the
	// engine fills with feature values: slot len(Fields)+i has type Extra[i].
	Extra []Type

	byName map[string]int
	sidx   []int32 // per slot: index into an event's strings, or -1
	nstr   int     // number of string slots
	bhash  uint32  // fingerprint of the slot layout, checked by DecodeBinary
	bin    *binCache
}

// NewSchema validates a stream declaration. idField may be empty (events are
// then identified by their position); timeField is required and must name a
// field of type Time.
func NewSchema(name string, index int, fields []Field, idField, timeField string) (*Schema, error) {
	s := &Schema{
		Name:   name,
		Index:  index,
		Fields: append([]Field(nil), fields...),
		ID:     -1,
		Time:   -1,
		byName: make(map[string]int, len(fields)),
	}
	var errs []error
	for i, f := range s.Fields {
		switch {
		case f.Name == "":
			errs = append(errs, fmt.Errorf("stream %q: field %d has no name", name, i+1))
		case f.Type <= Invalid || f.Type > Time:
			errs = append(errs, fmt.Errorf("stream %q: field %q has an invalid type", name, f.Name))
		}
		if _, dup := s.byName[f.Name]; dup {
			errs = append(errs, fmt.Errorf("stream %q: field %q declared twice", name, f.Name))
			continue
		}
		s.byName[f.Name] = i
	}
	if timeField == "" {
		errs = append(errs, fmt.Errorf("stream %q: no timestamp field", name))
	} else if i, ok := s.byName[timeField]; !ok {
		errs = append(errs, fmt.Errorf("stream %q: timestamp field %q is not declared", name, timeField))
	} else if s.Fields[i].Type != Time {
		errs = append(errs, fmt.Errorf("stream %q: timestamp field %q is %s, must be time", name, timeField, s.Fields[i].Type))
	} else {
		s.Time = i
	}
	if idField != "" {
		if i, ok := s.byName[idField]; ok {
			s.ID = i
		} else {
			errs = append(errs, fmt.Errorf("stream %q: id field %q is not declared", name, idField))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	s.layout()
	return s, nil
}

// layout numbers the string slots.
func (s *Schema) layout() {
	s.sidx = s.sidx[:0]
	s.nstr = 0
	for i := range s.Slots() {
		if s.SlotType(i) == String {
			s.sidx = append(s.sidx, int32(s.nstr))
			s.nstr++
		} else {
			s.sidx = append(s.sidx, -1)
		}
	}
	s.bhash = s.layoutHash()
	if s.bin == nil {
		s.bin = new(binCache)
	}
}

// Lookup returns the slot of a declared field.
func (s *Schema) Lookup(name string) (int, bool) {
	i, ok := s.byName[name]
	return i, ok
}

// Slots is the number of slots of an event: declared fields, then extras.
func (s *Schema) Slots() int { return len(s.Fields) + len(s.Extra) }

// SlotType is the type of a slot, or Invalid when out of range.
func (s *Schema) SlotType(slot int) Type {
	switch {
	case slot < 0:
		return Invalid
	case slot < len(s.Fields):
		return s.Fields[slot].Type
	case slot < s.Slots():
		return s.Extra[slot-len(s.Fields)]
	}
	return Invalid
}

// AddExtra adds an extra slot of type t and returns its slot number. Call it
// before any event of the schema is decoded: a Schema is not safe to modify
// while it is in use. Events decoded earlier grow when the slot is set.
func (s *Schema) AddExtra(t Type) int {
	s.Extra = append(s.Extra, t)
	s.layout()
	return s.Slots() - 1
}
