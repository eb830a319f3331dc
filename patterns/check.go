package patterns

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kestrelcep/kestrel/expr"
)

// Options tunes compilation.
type Options struct {
	// MaxPartials bounds partial matches per rule and key (0: nfa's default, 10,000).
	MaxPartials int
}

// reservedOutputs are the side outputs that `to NAME` may not name.
var reservedOutputs = map[string]bool{"late": true, "deadletter": true, "timeouts": true, "windows": true, "shadow": true}

// checker accumulates errors while a rule set is compiled.
type checker struct {
	errs ErrorList
	rs   *RuleSet
	opts Options
}

func (c *checker) errorf(at Pos, format string, args ...any) {
	c.errs = append(c.errs, &Error{Pos: at, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) warnf(at Pos, format string, args ...any) {
	c.rs.Warnings = append(c.rs.Warnings, &Error{Pos: at, Msg: "warning: " + fmt.Sprintf(format, args...)})
}

// exprErrors turns expr's errors, which carry line and column, into positioned errors.
func (c *checker) exprErrors(file string, errs []*expr.Error) {
	for _, e := range errs {
		c.errs = append(c.errs, &Error{Pos: Pos{File: file, Line: e.Pos.Line, Col: e.Pos.Col}, Msg: e.Msg})
	}
}

// Compile checks a set of parsed files as one rule set and compiles it. Names
// are global across the files; each kind of declaration has its own namespace.
// It returns every error found.
func Compile(files []*File, opts Options) (*RuleSet, ErrorList) {
	c := &checker{rs: &RuleSet{}, opts: opts}
	var streams []*StreamDecl
	var tables []*TableDecl
	var features []*FeatureDecl
	var rules []*RuleDecl
	seen := map[string]Pos{}
	for _, f := range files {
		for _, d := range f.Decls {
			kind := ""
			switch d := d.(type) {
			case *StreamDecl:
				kind = "stream"
				streams = append(streams, d)
			case *TableDecl:
				kind = "table"
				tables = append(tables, d)
			case *FeatureDecl:
				kind = "feature"
				features = append(features, d)
			case *RuleDecl:
				kind = "rule"
				rules = append(rules, d)
			}
			id := kind + " " + d.DeclName()
			if prev, dup := seen[id]; dup {
				c.errorf(d.Position(), "%s is declared twice (first at %s:%d:%d)", id, prev.File, prev.Line, prev.Col)
				continue
			}
			seen[id] = d.Position()
		}
	}
	for _, d := range streams {
		c.stream(d)
	}
	for _, d := range tables {
		c.table(d)
	}
	// Schemas carry one extra slot per feature; they are built once every
	// feature's type is known.
	c.featureTypes(features)
	c.buildSchemas()
	for _, f := range c.rs.Features {
		c.checkFeature(f)
	}
	for _, d := range rules {
		c.rule(d)
	}
	c.errs.Sort()
	c.rs.Warnings.Sort()
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return c.rs, nil
}

func (c *checker) fields(fields []FieldDecl) (names []string, types []expr.Type, ok bool) {
	ok = true
	seen := map[string]bool{}
	for _, f := range fields {
		t, valid := expr.ParseType(f.Type)
		if !valid {
			c.errorf(f.At, "unknown type %q for field %s; expected string, int, float, bool or time", f.Type, f.Name)
			ok = false
		}
		if seen[f.Name] {
			c.errorf(f.At, "field %s is declared twice", f.Name)
			ok = false
		}
		seen[f.Name] = true
		names = append(names, f.Name)
		types = append(types, t)
	}
	return names, types, ok
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

func (c *checker) stream(d *StreamDecl) {
	names, types, _ := c.fields(d.Fields)
	s := &Stream{Decl: d, Name: d.Name, Index: len(c.rs.Streams), Fields: names, Types: types,
		Watermark: d.Watermark, Lateness: d.Lateness}
	c.rs.Streams = append(c.rs.Streams, s)
	if d.Timestamp == "" {
		c.errorf(d.At, "stream %s has no timestamp clause; add `timestamp FIELD` naming a field of type time", d.Name)
	} else if i := indexOf(names, d.Timestamp); i < 0 {
		c.errorf(d.TimestampAt, "timestamp field %s is not a field of stream %s", d.Timestamp, d.Name)
	} else if types[i] != expr.Time {
		c.errorf(d.TimestampAt, "timestamp field %s is %s; it must be of type time", d.Timestamp, types[i])
	}
	if d.ID != "" && indexOf(names, d.ID) < 0 {
		c.errorf(d.IDAt, "id field %s is not a field of stream %s", d.ID, d.Name)
	}
	if d.Watermark < 0 || d.Lateness < 0 {
		c.errorf(d.At, "watermark and lateness cannot be negative")
	}
}

func (c *checker) table(d *TableDecl) {
	names, types, _ := c.fields(d.Fields)
	t := &Table{Decl: d, Name: d.Name, Fields: names, Types: types}
	for _, k := range d.Keys {
		i := indexOf(names, k)
		if i < 0 {
			c.errorf(d.KeysAt, "key %s is not a field of table %s", k, d.Name)
			continue
		}
		t.Keys = append(t.Keys, i)
	}
	c.rs.Tables = append(c.rs.Tables, t)
}

// suggest returns ` (did you mean x?)` when a known name is close to name.
func suggest(name string, known []string) string {
	if s := expr.Nearest(name, known); s != "" {
		return fmt.Sprintf(" (did you mean %s?)", s)
	}
	return ""
}

func (c *checker) streamNames() []string {
	var names []string
	for _, s := range c.rs.Streams {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return names
}

func (c *checker) unknownStream(at Pos, name string) {
	if len(c.rs.Streams) == 0 {
		c.errorf(at, "unknown stream %s: the rule set declares no streams", name)
		return
	}
	c.errorf(at, "unknown stream %s%s; declared streams: %s", name, suggest(name, c.streamNames()), strings.Join(c.streamNames(), ", "))
}
