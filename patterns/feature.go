package patterns

import (
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/expr"
)

func (c *checker) featureNamed(name string) *Feature {
	for _, f := range c.rs.Features {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// featureTypes compiles each feature's argument and filter against its stream
// and derives the type of its value. Features are numbered in declaration order.
func (c *checker) featureTypes(decls []*FeatureDecl) {
	for _, d := range decls {
		f := &Feature{Decl: d, Name: d.Name, Index: len(c.rs.Features), Type: expr.Null}
		c.rs.Features = append(c.rs.Features, f)
		s := c.rs.Stream(d.Stream)
		if s == nil {
			c.unknownStream(d.StreamAt, d.Stream)
			continue
		}
		f.Stream = s
		file := d.At.File
		scope := fieldScope{s}
		if d.Filter != nil {
			e, errs := expr.CompileCond(d.Filter, scope)
			c.exprErrors(file, errs)
			f.Filter = e
		}
		if !oneOf(d.Agg, aggregations) {
			c.errorf(d.AggAt, "unknown aggregation %s; expected count, sum, avg, min, max, stddev, distinct_count, first or last", d.Agg)
			continue
		}
		if d.Arg == nil {
			if d.Agg != "count" {
				c.errorf(d.AggAt, "%s needs an argument, as in %s(amount)", d.Agg, d.Agg)
				continue
			}
			f.Type = expr.Int
			continue
		}
		e, errs := expr.Compile(d.Arg, scope)
		c.exprErrors(file, errs)
		if len(errs) > 0 {
			continue
		}
		f.Arg = e
		t := e.Type()
		numeric := t == expr.Int || t == expr.Float
		switch d.Agg {
		case "count", "distinct_count":
			f.Type = expr.Int
		case "sum":
			if !numeric && t != expr.Duration {
				c.errorf(d.AggAt, "sum needs a number; its argument is %s", t)
			}
			f.Type = t
		case "avg", "stddev":
			if !numeric {
				c.errorf(d.AggAt, "%s needs a number; its argument is %s", d.Agg, t)
			}
			f.Type = expr.Float
		case "min", "max":
			if t == expr.Bool || t == expr.Null {
				c.errorf(d.AggAt, "%s needs a number, string, time or duration; its argument is %s", d.Agg, t)
			}
			f.Type = t
		case "first", "last":
			f.Type = t
		}
	}
}

// buildSchemas gives every stream its event schema: the declared fields, then
// one extra slot per feature of the rule set (null where the feature's key is
// not in the stream).
func (c *checker) buildSchemas() {
	for _, s := range c.rs.Streams {
		fields := make([]event.Field, len(s.Fields))
		for i := range s.Fields {
			fields[i] = event.Field{Name: s.Fields[i], Type: eventType(s.Types[i])}
		}
		schema, err := event.NewSchema(s.Name, s.Index, fields, s.Decl.ID, s.Decl.Timestamp)
		if err != nil {
			// The checks above already reported what makes a schema invalid.
			continue
		}
		for _, f := range c.rs.Features {
			schema.AddExtra(eventType(f.Type))
		}
		s.Schema = schema
	}
}

func eventType(t expr.Type) event.Type {
	switch t {
	case expr.Int, expr.Duration:
		return event.Int
	case expr.Float:
		return event.Float
	case expr.Bool:
		return event.Bool
	case expr.Time:
		return event.Time
	}
	return event.String
}

var windowKinds = map[string]bool{"sliding": true, "tumbling": true, "hopping": true, "session": true}

// checkFeature checks a feature's key and window.
func (c *checker) checkFeature(f *Feature) {
	d := f.Decl
	if f.Stream != nil {
		for _, name := range d.By {
			i := indexOf(f.Stream.Fields, name)
			if i < 0 {
				c.errorf(d.ByAt, "feature %s is keyed by %s, which stream %s lacks%s", d.Name, name, f.Stream.Name, suggest(name, f.Stream.Fields))
				continue
			}
			f.By = append(f.By, i)
		}
	}
	w := d.Window
	if w != nil {
		switch {
		case !windowKinds[w.Kind]:
			c.errorf(w.At, "unknown window %s; expected sliding, tumbling, hopping or session", w.Kind)
		case w.Size <= 0:
			c.errorf(w.At, "a %s window needs a positive size", w.Kind)
		case w.Kind == "hopping" && (w.Every <= 0 || w.Every > w.Size):
			c.errorf(w.At, "a hopping window's step must be positive and at most its size")
		case w.Offset < 0:
			c.errorf(w.At, "offset cannot be negative")
		}
	}
	if d.Emit {
		closes := w != nil && w.Kind != "sliding"
		switch {
		case d.EmitEvery > 0 && closes:
			c.errorf(d.At, "emit every is for sliding and global windows; a %s window is emitted when it closes", w.Kind)
		case d.EmitEvery == 0 && !closes:
			c.errorf(d.At, "a sliding or global window never closes; use emit every D to write its value periodically")
		}
	}
}
