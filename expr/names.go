package expr

import (
	"fmt"
	"sort"
	"strings"
)

// This file resolves names: fields of the current event, key, features,
// steps and their fields, tables; and suggests a near name for an unknown one.

// NameLister is an optional interface of a Scope, used only to suggest a near
// name in errors ("did you mean"). Names("") lists the bare names visible (the
// current event's fields, features, steps, tables); Names(x) for a step or
// table x lists its fields.
type NameLister interface {
	Names(of string) []string
}

func (c *compiler) name(n *Name) *node {
	s := c.scope
	if f, ok := s.Field(n.Name); ok {
		return currentField(f)
	}
	if n.Name == "key" {
		if f, ok := s.Key(); ok {
			return currentField(f)
		}
	}
	if f, ok := s.Feature(n.Name); ok {
		return currentField(f)
	}
	if st, ok := s.Step(n.Name); ok {
		if c.stepUsable(n.At, n.Name, st, "f") {
			c.errorf(n.At, "%[1]s is a step (an event); read a field of it with %[1]s.f", n.Name)
		}
		return bad
	}
	if _, ok := s.Table(n.Name); ok {
		c.errorf(n.At, "%[1]s is a table; look a row up with %[1]s[key].column", n.Name)
		return bad
	}
	switch n.Name {
	case "this":
		c.errorf(n.At, "this is the current event; read a field of it with this.f")
	case "key":
		c.errorf(n.At, "key is not available here: there is no single-field partition key")
	default:
		c.unknown(n.At, "unknown field", n.Name, "")
	}
	return bad
}

// stepUsable reports a reference to a negated step, or to a looping step as a
// single event (field is the field read, for the hint), and reports whether
// the step is neither.
func (c *compiler) stepUsable(at Pos, name string, st StepRef, field string) bool {
	switch {
	case st.Negated:
		c.errorf(at, "cannot refer to negated step %s", name)
		return false
	case st.Looping:
		c.errorf(at, "%[1]s is a looping step (a list); use first(%[1]s).%[2]s, last(%[1]s).%[2]s, count(%[1]s) or an aggregate such as sum(%[1]s.%[2]s)", name, field)
		return false
	}
	return true
}

func (c *compiler) selector(n *Selector) *node {
	switch x := n.X.(type) {
	case *Name:
		if x == nil {
			break
		}
		if x.Name == "this" {
			if _, isStep := c.scope.Step("this"); !isStep {
				f, ok := c.scope.Field(n.Field)
				if !ok {
					c.unknown(n.At, "unknown field", n.Field, "")
					return bad
				}
				return currentField(f)
			}
		}
		if st, ok := c.scope.Step(x.Name); ok {
			if !c.stepUsable(x.At, x.Name, st, n.Field) {
				return bad
			}
			f, ok := c.stepField(n, x.Name, st)
			if !ok {
				return bad
			}
			return rowField(f, stepRow(st.Index, false))
		}
		if _, ok := c.scope.Table(x.Name); ok {
			c.errorf(x.At, "%[1]s is a table; look a row up with %[1]s[key].%[2]s", x.Name, n.Field)
			return bad
		}
		v := c.name(x)
		if v.t != invalid {
			c.errorf(n.At, "%s is %s, not an event; it has no field %q", x.Name, article(v.t), n.Field)
		}
		return bad
	case *Call:
		if x == nil || (x.Fn != "first" && x.Fn != "last") {
			break
		}
		name, st, ok := c.stepArg(x)
		if !ok {
			return bad
		}
		f, ok := c.stepField(n, name, st)
		if !ok {
			return bad
		}
		return rowField(f, stepRow(st.Index, x.Fn == "last"))
	case *Index:
		if x == nil {
			break
		}
		name, tab, keys, ok := c.table(x)
		if !ok {
			return bad
		}
		var f FieldRef
		if tab.Field != nil {
			f, ok = tab.Field(n.Field)
		}
		if !ok {
			c.unknown(n.At, "table "+name+" has no column", n.Field, name)
			return bad
		}
		return rowField(f, tableRow(tab.Lookup, keys))
	}
	if v := c.expr(n.X); v.t != invalid {
		c.errorf(n.At, "cannot read field %q of %s; only events have fields", n.Field, c.desc(n.X, v.t))
	}
	return bad
}

// stepField resolves n.Field in step name.
func (c *compiler) stepField(n *Selector, name string, st StepRef) (FieldRef, bool) {
	var f FieldRef
	ok := false
	if st.Field != nil {
		f, ok = st.Field(n.Field)
	}
	if !ok {
		c.unknown(n.At, "step "+name+" has no field", n.Field, name)
	}
	return f, ok
}

// stepArg checks the argument of a step function: a single name of a step
// that is not negated.
func (c *compiler) stepArg(n *Call) (string, StepRef, bool) {
	if len(n.Args) == 1 {
		if a, ok := n.Args[0].(*Name); ok && a != nil {
			if st, ok := c.scope.Step(a.Name); ok {
				if st.Negated {
					c.errorf(a.At, "cannot refer to negated step %s", a.Name)
					return "", st, false
				}
				return a.Name, st, true
			}
			if _, ok := c.scope.Field(a.Name); !ok {
				if _, ok := c.scope.Feature(a.Name); !ok {
					c.unknown(a.At, "unknown step", a.Name, "")
					return "", StepRef{}, false
				}
			}
		}
	}
	got := fmt.Sprintf("%d arguments", len(n.Args))
	if len(n.Args) == 1 {
		if got = describe(n.Args[0]); got == "" {
			got = "an expression"
		}
	}
	c.errorf(n.At, "%[1]s expects a step, as in %[1]s(a); got %[2]s", n.Fn, got)
	return "", StepRef{}, false
}

// table resolves a table lookup t[k...] and checks its keys, which it
// returns converted to the table's key types.
func (c *compiler) table(n *Index) (string, TableRef, []*node, bool) {
	keys, ok := c.exprs(n.Keys)
	x, isName := n.X.(*Name)
	if !isName || x == nil {
		if v := c.expr(n.X); v.t != invalid {
			c.errorf(pos(n.X), "%s is not a table", c.desc(n.X, v.t))
		}
		return "", TableRef{}, nil, false
	}
	tab, found := c.scope.Table(x.Name)
	if !found {
		f, isField := c.scope.Field(x.Name)
		if !isField {
			f, isField = c.scope.Feature(x.Name)
		}
		if _, ok := c.scope.Step(x.Name); ok {
			c.errorf(x.At, "%s is a step, not a table", x.Name)
		} else if isField {
			c.errorf(x.At, "%s is %s, not a table", x.Name, article(f.Type))
		} else {
			c.unknown(x.At, "unknown table", x.Name, "")
		}
		return "", TableRef{}, nil, false
	}
	if !ok {
		return "", TableRef{}, nil, false
	}
	if len(keys) != len(tab.Keys) {
		types := make([]string, len(tab.Keys))
		for i, t := range tab.Keys {
			types[i] = t.String()
		}
		c.errorf(n.At, "table %s has %d key field(s) (%s); got %d", x.Name, len(tab.Keys), strings.Join(types, ", "), len(keys))
		return "", TableRef{}, nil, false
	}
	for i, k := range keys {
		want := tab.Keys[i]
		if k.t != want && k.t != Null && (want != Float || k.t != Int) {
			c.errorf(pos(n.Keys[i]), "key %d of table %s is %s; got %s", i+1, x.Name, want, c.desc(n.Keys[i], k.t))
			ok = false
		}
		keys[i] = k.as(want)
	}
	return x.Name, tab, keys, ok
}

// unknown reports an unknown name (msg says what is unknown where), with a
// near name from the scope if any: of is "" for bare names, else the step or
// table whose fields are meant.
func (c *compiler) unknown(at Pos, msg, name, of string) {
	msg = fmt.Sprintf("%s %q", msg, name)
	if s := c.suggest(name, of); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	c.errorf(at, "%s", msg)
}

func (c *compiler) suggest(name, of string) string {
	l, ok := c.scope.(NameLister)
	if !ok {
		return ""
	}
	return Nearest(name, l.Names(of))
}

// Nearest is the candidate closest to name by edit distance, if it is near
// enough to be a likely typo (at most 2 edits, and fewer than a third of the
// name); ties go to the first in sorted order.
func Nearest(name string, candidates []string) string {
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	best, bestD := "", 3
	for _, cand := range sorted {
		if cand == name {
			continue
		}
		d := editDistance(strings.ToLower(name), strings.ToLower(cand))
		if cand != name && d == 0 {
			d = 1 // differs in case only
		}
		if d < bestD && d*3 <= len(name)+1 {
			best, bestD = cand, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
