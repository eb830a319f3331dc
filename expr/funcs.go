package expr

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// This file holds the functions of KRL: the step functions (count, sum, avg,
// min, max, first, last) and the builtins. See doc.go for their types.

// builtin is a function's arity, its signature for errors, and the builder
// that checks its argument types (each argument has compiled without error).
type builtin struct {
	sig      string
	min, max int // max < 0: any number
	build    func(c *compiler, n *Call, args []*node) *node
}

var builtins = map[string]builtin{
	"abs":        {"abs(number or duration)", 1, 1, buildAbs},
	"round":      {"round(number)", 1, 1, buildRounding(math.Round)},
	"floor":      {"floor(number)", 1, 1, buildRounding(math.Floor)},
	"ceil":       {"ceil(number)", 1, 1, buildRounding(math.Ceil)},
	"lower":      {"lower(string)", 1, 1, buildStrMap(strings.ToLower)},
	"upper":      {"upper(string)", 1, 1, buildStrMap(strings.ToUpper)},
	"len":        {"len(string)", 1, 1, buildLen},
	"contains":   {"contains(string, string)", 2, 2, buildStrPred(strings.Contains)},
	"startswith": {"startswith(string, string)", 2, 2, buildStrPred(strings.HasPrefix)},
	"endswith":   {"endswith(string, string)", 2, 2, buildStrPred(strings.HasSuffix)},
	"matches":    {`matches(string, "regex")`, 2, 2, buildMatches},
	"coalesce":   {"coalesce(x, y, ...)", 1, -1, buildCoalesce},
	"hour":       {"hour(time)", 1, 1, buildTimePart(hourOf)},
	"weekday":    {"weekday(time)", 1, 1, buildTimePart(weekdayOf)},
}

var stepFuncs = []string{"avg", "count", "first", "last", "max", "min", "sum"}

func (c *compiler) call(n *Call) *node {
	switch n.Fn {
	case "count":
		_, st, ok := c.stepArg(n)
		if !ok {
			return bad
		}
		return &node{t: Int, i: stepCount(st.Index)}
	case "first", "last":
		if name, _, ok := c.stepArg(n); ok {
			c.errorf(n.At, "%[1]s(%[2]s) is an event, not a value; read a field of it with %[1]s(%[2]s).f", n.Fn, name)
		}
		return bad
	case "sum", "avg", "min", "max":
		return c.stepAggregate(n)
	}
	b, known := builtins[n.Fn]
	args, ok := c.exprs(n.Args)
	if !known {
		names := append([]string(nil), stepFuncs...)
		for name := range builtins {
			names = append(names, name)
		}
		sort.Strings(names)
		msg := fmt.Sprintf("unknown function %q", n.Fn)
		if s := Nearest(n.Fn, names); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		c.errorf(n.At, "%s", msg)
		return bad
	}
	if len(args) < b.min || (b.max >= 0 && len(args) > b.max) {
		want := fmt.Sprintf("%d argument", b.min)
		switch {
		case b.max < 0:
			want = "at least " + want
		case b.min != b.max:
			want = fmt.Sprintf("%d to %d argument", b.min, b.max)
		}
		if b.max != 1 && (b.max >= 0 || b.min != 1) {
			want += "s"
		}
		c.errorf(n.At, "%s expects %s, as in %s; got %d", n.Fn, want, b.sig, len(args))
		return bad
	}
	if !ok {
		return bad
	}
	return b.build(c, n, args)
}

// want reports that argument i of n should be of the kind that want names.
func (c *compiler) want(n *Call, i int, want string, t Type) *node {
	where := ""
	if len(n.Args) > 1 {
		where = fmt.Sprintf(" as argument %d", i+1)
	}
	c.errorf(pos(n.Args[i]), "%s expects %s%s; got %s", n.Fn, want, where, c.desc(n.Args[i], t))
	return bad
}

// stepAggregate is sum, avg, min or max of a step's field.
func (c *compiler) stepAggregate(n *Call) *node {
	var sel *Selector
	var x *Name
	if len(n.Args) == 1 {
		if sel, _ = n.Args[0].(*Selector); sel != nil {
			x, _ = sel.X.(*Name)
		}
	}
	if x == nil || x.Name == "this" {
		c.errorf(n.At, "%[1]s expects a field of a step, as in %[1]s(a.f)", n.Fn)
		return bad
	}
	st, ok := c.scope.Step(x.Name)
	if !ok {
		c.unknown(x.At, "unknown step", x.Name, "")
		return bad
	}
	if st.Negated {
		c.errorf(x.At, "cannot refer to negated step %s", x.Name)
		return bad
	}
	f, ok := c.stepField(sel, x.Name, st)
	if !ok {
		return bad
	}
	s, step := slotOf(f), st.Index
	switch {
	case f.Type == Null:
		return constant(Null, Value{})
	case n.Fn == "sum" && (f.Type == Int || f.Type == Duration):
		return &node{t: f.Type, i: stepSumInt(step, s)}
	case n.Fn == "sum" && f.Type == Float:
		return &node{t: Float, f: stepSumFloat(step, s)}
	case n.Fn == "avg" && (f.Type == Int || f.Type == Float):
		return &node{t: Float, f: stepAvg(step, s, f.Type == Int)}
	case n.Fn == "sum" || n.Fn == "avg":
		return c.want(n, 0, "a numeric field", f.Type)
	case f.Type == Bool:
		return c.want(n, 0, "a field of type int, float, string, time or duration", f.Type)
	case isInt(f.Type):
		return &node{t: f.Type, i: stepMinMax(step, s, Row.Int, n.Fn == "max")}
	case f.Type == Float:
		return &node{t: Float, f: stepMinMax(step, s, Row.Float, n.Fn == "max")}
	default:
		return &node{t: String, s: stepMinMax(step, s, Row.Str, n.Fn == "max")}
	}
}

// map1 applies f to x's value; null stays null.
func map1[T, U any](x fn[T], f func(T) U) fn[U] {
	return func(env Env, cur Row) (U, bool) {
		v, ok := x(env, cur)
		if !ok {
			var zero U
			return zero, false
		}
		return f(v), true
	}
}

func buildAbs(c *compiler, n *Call, a []*node) *node {
	x := a[0]
	switch x.t {
	case Null:
		return x
	case Int, Duration:
		return fold(&node{t: x.t, i: map1(x.i, func(v int64) int64 {
			if v < 0 {
				return -v // MinInt64 stays negative, as in Go
			}
			return v
		})}, x)
	case Float:
		return fold(&node{t: Float, f: map1(x.f, math.Abs)}, x)
	}
	return c.want(n, 0, "a number or a duration", x.t)
}

// buildRounding is round, floor or ceil: a float stays float, an int is
// returned as it is.
func buildRounding(f func(float64) float64) func(*compiler, *Call, []*node) *node {
	return func(c *compiler, n *Call, a []*node) *node {
		x := a[0]
		switch x.t {
		case Null, Int:
			return x
		case Float:
			return fold(&node{t: Float, f: map1(x.f, f)}, x)
		}
		return c.want(n, 0, "a number", x.t)
	}
}

func buildStrMap(f func(string) string) func(*compiler, *Call, []*node) *node {
	return func(c *compiler, n *Call, a []*node) *node {
		x := a[0]
		switch x.t {
		case Null:
			return constant(String, Value{})
		case String:
			return fold(&node{t: String, s: map1(x.s, f)}, x)
		}
		return c.want(n, 0, "a string", x.t)
	}
}

func buildLen(c *compiler, n *Call, a []*node) *node {
	x := a[0]
	switch x.t {
	case Null:
		return constant(Int, Value{})
	case String:
		return fold(&node{t: Int, i: map1(x.s, func(s string) int64 { return int64(utf8.RuneCountInString(s)) })}, x)
	}
	return c.want(n, 0, "a string", x.t)
}

func buildStrPred(f func(s, sub string) bool) func(*compiler, *Call, []*node) *node {
	return func(c *compiler, n *Call, a []*node) *node {
		ok := true
		for i, x := range a {
			if x.t != String && x.t != Null {
				c.want(n, i, "a string", x.t)
				ok = false
			}
		}
		if !ok {
			return bad
		}
		if a[0].t == Null || a[1].t == Null {
			return constant(Bool, Value{})
		}
		l, r := a[0].s, a[1].s
		return fold(&node{t: Bool, b: func(env Env, cur Row) (bool, bool) {
			s, ok := l(env, cur)
			if !ok {
				return false, false
			}
			sub, ok := r(env, cur)
			if !ok {
				return false, false
			}
			return f(s, sub), true
		}}, a...)
	}
}

// buildMatches is matches(s, "regex"): the pattern must be a string literal,
// compiled once here (RE2 syntax, unanchored like regexp.MatchString).
func buildMatches(c *compiler, n *Call, a []*node) *node {
	x := a[0]
	lit, isLit := n.Args[1].(*Lit)
	if !isLit || lit.Val.Type != String {
		if x.t != String && x.t != Null {
			c.want(n, 0, "a string", x.t)
		}
		c.errorf(pos(n.Args[1]), `matches expects a string literal as its pattern, as in matches(s, "^[a-z]+$"); got %s`, c.desc(n.Args[1], a[1].t))
		return bad
	}
	re, err := regexp.Compile(lit.Val.S)
	if err != nil {
		c.errorf(lit.At, "invalid regular expression %s: %v", literal(lit.Val), strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		return bad
	}
	switch x.t {
	case Null:
		return constant(Bool, Value{})
	case String:
		return fold(&node{t: Bool, b: map1(x.s, re.MatchString)}, x)
	}
	return c.want(n, 0, "a string", x.t)
}

// buildCoalesce is the first non-null argument. The arguments have one type
// (ints are widened when some argument is a float).
func buildCoalesce(c *compiler, n *Call, a []*node) *node {
	d := Null
	for i, x := range a {
		nd, ok := unify(d, x.t)
		if !ok {
			c.errorf(pos(n.Args[i]), "coalesce expects arguments of one type; argument %d is %s, not %s", i+1, c.desc(n.Args[i], x.t), d)
			return bad
		}
		d = nd
	}
	// Constant nulls are dropped; a constant non-null ends the list.
	var xs []*node
	for _, x := range a {
		if x.konst && x.v.IsNull() {
			continue
		}
		xs = append(xs, x.as(d))
		if x.konst {
			break
		}
	}
	switch {
	case len(xs) == 0:
		return constant(d, Value{})
	case len(xs) == 1:
		return xs[0]
	}
	x := &node{t: d}
	switch {
	case d == Bool:
		x.b = coalesce(xs, (*node).bools)
	case isInt(d):
		x.i = coalesce(xs, (*node).ints)
	case d == Float:
		x.f = coalesce(xs, (*node).floats)
	case d == String:
		x.s = coalesce(xs, (*node).strs)
	}
	return x
}

func coalesce[T any](xs []*node, get func(*node) fn[T]) fn[T] {
	fns := make([]fn[T], len(xs))
	for i, x := range xs {
		fns[i] = get(x)
	}
	return func(env Env, cur Row) (T, bool) {
		for _, f := range fns {
			if v, ok := f(env, cur); ok {
				return v, true
			}
		}
		var zero T
		return zero, false
	}
}

func buildTimePart(f func(ms int64) int64) func(*compiler, *Call, []*node) *node {
	return func(c *compiler, n *Call, a []*node) *node {
		x := a[0]
		switch x.t {
		case Null:
			return constant(Int, Value{})
		case Time:
			return fold(&node{t: Int, i: map1(x.i, f)}, x)
		}
		return c.want(n, 0, "a time", x.t)
	}
}

const msPerDay = 24 * 60 * 60 * 1000

// hourOf is the hour of the day (0-23) of epoch milliseconds, in UTC.
func hourOf(ms int64) int64 {
	d := ms % msPerDay
	if d < 0 {
		d += msPerDay
	}
	return d / (60 * 60 * 1000)
}

// weekdayOf is the ISO weekday of epoch milliseconds in UTC: 1 is Monday, 7
// Sunday. 1970-01-01 was a Thursday (4).
func weekdayOf(ms int64) int64 {
	days := ms / msPerDay
	if ms%msPerDay < 0 {
		days--
	}
	w := (days + 3) % 7
	if w < 0 {
		w += 7
	}
	return w + 1
}
