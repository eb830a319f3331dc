package patterns

import (
	"sort"

	"github.com/kestrelcep/kestrel/expr"
)

// field resolves a field of one stream.
func (s *Stream) field(name string) (expr.FieldRef, bool) {
	i := indexOf(s.Fields, name)
	if i < 0 {
		return expr.FieldRef{}, false
	}
	return expr.FieldRef{Type: s.Types[i], Slot: i}, true
}

// multiField resolves a field of an event that may come from any of the given
// streams: the slot is looked up by the event's stream, -1 (null) where the
// stream lacks the field. The field must exist in at least one of them, with
// one type in all that have it.
func multiField(all []*Stream, of []*Stream, name string, slot func(*Stream) (expr.FieldRef, bool)) (expr.FieldRef, bool) {
	if len(of) == 1 {
		return slot(of[0])
	}
	ref := expr.FieldRef{ByStream: make([]int, len(all))}
	for i := range ref.ByStream {
		ref.ByStream[i] = -1
	}
	found := false
	for _, s := range of {
		f, ok := slot(s)
		if !ok {
			continue
		}
		if found && f.Type != ref.Type {
			return expr.FieldRef{}, false
		}
		found = true
		ref.Type = f.Type
		ref.ByStream[s.Index] = f.Slot
	}
	return ref, found
}

// fieldScope sees the fields of one stream and nothing else: feature arguments
// and filters.
type fieldScope struct{ s *Stream }

func (f fieldScope) Field(name string) (expr.FieldRef, bool) { return f.s.field(name) }
func (fieldScope) Step(string) (expr.StepRef, bool)          { return expr.StepRef{}, false }
func (fieldScope) Feature(string) (expr.FieldRef, bool)      { return expr.FieldRef{}, false }
func (fieldScope) Table(string) (expr.TableRef, bool)        { return expr.TableRef{}, false }
func (fieldScope) Key() (expr.FieldRef, bool)                { return expr.FieldRef{}, false }

// ruleScope is what a rule's expressions see: the current event (of one of
// cur's streams), the visible steps, features, tables and the key.
type ruleScope struct {
	c     *checker
	cur   []*Stream
	steps map[string]expr.StepRef
	key   string // the single `by` field, "" when none or composite
}

func (r *ruleScope) Field(name string) (expr.FieldRef, bool) {
	return multiField(r.c.rs.Streams, r.cur, name, func(s *Stream) (expr.FieldRef, bool) { return s.field(name) })
}

func (r *ruleScope) Step(name string) (expr.StepRef, bool) {
	s, ok := r.steps[name]
	return s, ok
}

// Feature resolves a feature as an extra slot of the current event. Streams
// that lack the feature's key fields have no value for it; ruleCheck reports
// such uses with a position.
func (r *ruleScope) Feature(name string) (expr.FieldRef, bool) {
	f := r.c.featureNamed(name)
	if f == nil {
		return expr.FieldRef{}, false
	}
	return multiField(r.c.rs.Streams, r.cur, name, func(s *Stream) (expr.FieldRef, bool) {
		if !featureKeyed(f, s) {
			return expr.FieldRef{}, false
		}
		return expr.FieldRef{Type: f.Type, Slot: len(s.Fields) + f.Index}, true
	})
}

func (r *ruleScope) Table(name string) (expr.TableRef, bool) {
	for _, t := range r.c.rs.Tables {
		if t.Name == name {
			return t.ref(), true
		}
	}
	return expr.TableRef{}, false
}

func (r *ruleScope) Key() (expr.FieldRef, bool) {
	if r.key == "" {
		return expr.FieldRef{}, false
	}
	return r.Field(r.key)
}

// featureKeyed reports whether events of s carry every `by` field of f, with
// the types f's own stream gives them.
func featureKeyed(f *Feature, s *Stream) bool {
	for _, slot := range f.By {
		name := f.Stream.Fields[slot]
		i := indexOf(s.Fields, name)
		if i < 0 || s.Types[i] != f.Stream.Types[slot] {
			return false
		}
	}
	return true
}

// ref is the table as expressions see it. Rows come from a source bound at run
// time (Table.Rows); until one is bound every lookup finds no row.
func (t *Table) ref() expr.TableRef {
	keys := make([]expr.Type, len(t.Keys))
	for i, k := range t.Keys {
		keys[i] = t.Types[k]
	}
	return expr.TableRef{
		Keys: keys,
		Field: func(name string) (expr.FieldRef, bool) {
			i := indexOf(t.Fields, name)
			if i < 0 {
				return expr.FieldRef{}, false
			}
			return expr.FieldRef{Type: t.Types[i], Slot: i}, true
		},
		Lookup: func(key []expr.Value) expr.Row {
			if t.Rows == nil {
				return nil
			}
			return t.Rows.Lookup(key)
		},
	}
}

// Names lists names for "did you mean" suggestions (expr.NameLister).
func (f fieldScope) Names(of string) []string {
	if of == "" {
		return f.s.Fields
	}
	return nil
}

// Names lists names for "did you mean" suggestions (expr.NameLister): the
// bare names visible, or the fields of a step or table.
func (r *ruleScope) Names(of string) []string {
	var names []string
	fieldsOf := func(streams []*Stream) {
		for _, s := range streams {
			names = append(names, s.Fields...)
		}
	}
	if of == "" {
		fieldsOf(r.cur)
		for name := range r.steps {
			names = append(names, name)
		}
		for _, f := range r.c.rs.Features {
			names = append(names, f.Name)
		}
		for _, t := range r.c.rs.Tables {
			names = append(names, t.Name)
		}
		sort.Strings(names) // steps come from a map; suggestions must not depend on its order
		return names
	}
	if _, ok := r.steps[of]; ok {
		for _, st := range r.c.rs.Streams {
			if ref, _ := r.Step(of); ref.Field != nil {
				for _, f := range st.Fields {
					if _, ok := ref.Field(f); ok {
						names = append(names, f)
					}
				}
			}
		}
		return names
	}
	for _, t := range r.c.rs.Tables {
		if t.Name == of {
			return t.Fields
		}
	}
	return nil
}
