package expr

import (
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// The property test: random well-typed trees over random rows (with nulls)
// and random steps, evaluated by the compiled closures and by ref, a direct
// interpreter over Values written from the language spec.

// ref evaluates n on e and returns its static type and value.
func ref(n Node, e *env) (Type, Value) {
	switch n := n.(type) {
	case *Lit:
		return n.Val.Type, n.Val
	case *Name:
		name := n.Name
		if name == "key" {
			name = "card_id"
		}
		return readRef(e.cur, name)
	case *Selector:
		switch x := n.X.(type) {
		case *Name: // p.f (single step) or this.f
			if x.Name == "this" {
				return readRef(e.cur, n.Field)
			}
			return readRef(stepEvent(e, x.Name, false), n.Field)
		case *Call: // first(s).f, last(s).f
			return readRef(stepEvent(e, x.Args[0].(*Name).Name, x.Fn == "last"), n.Field)
		}
	case *Unary:
		t, v := ref(n.X, e)
		if n.Op == "not" {
			if v.IsNull() {
				return Bool, Value{}
			}
			return Bool, BoolValue(v.I == 0)
		}
		switch {
		case v.IsNull():
		case t == Float:
			v.F = -v.F
		default:
			v.I = -v.I
		}
		return t, v
	case *Binary:
		switch n.Op {
		case "and", "or":
			_, l := ref(n.L, e)
			_, r := ref(n.R, e)
			return Bool, kleene(n.Op == "or", l, r)
		case "+", "-", "*", "/", "%":
			return refArith(n, e)
		}
		lt, l := ref(n.L, e)
		rt, r := ref(n.R, e)
		return Bool, refCompare(n.Op, lt, l, rt, r)
	case *In:
		xt, x := ref(n.X, e)
		found, sawNull := false, x.IsNull()
		for _, it := range n.List {
			t, v := ref(it, e)
			c := refCompare("==", xt, x, t, v)
			found = found || (c.Type == Bool && c.I == 1)
			sawNull = sawNull || v.IsNull()
		}
		switch {
		case x.IsNull():
			return Bool, Value{}
		case found:
			return Bool, BoolValue(true)
		case sawNull:
			return Bool, Value{}
		}
		return Bool, BoolValue(false)
	case *Between:
		xt, x := ref(n.X, e)
		lt, lo := ref(n.Lo, e)
		ht, hi := ref(n.Hi, e)
		return Bool, kleene(false, refCompare(">=", xt, x, lt, lo), refCompare("<=", xt, x, ht, hi))
	case *IsNull:
		_, v := ref(n.X, e)
		return Bool, BoolValue(v.IsNull() != n.Not)
	case *Call:
		return refCall(n, e)
	}
	panic("ref: unexpected node " + format(n))
}

func readRef(r Row, field string) (Type, Value) {
	t := schema[slotNamed(field)].t
	if r == nil {
		return t, Value{}
	}
	return t, r.(*row).get(slotNamed(field))
}

func stepEvent(e *env, step string, last bool) Row {
	rows := e.steps[map[string]int{"p": 0, "s": 1}[step]]
	switch {
	case len(rows) == 0:
		return nil
	case last:
		return rows[len(rows)-1]
	}
	return rows[0]
}

func stepValues(e *env, sel Node) (Type, []Value) {
	s := sel.(*Selector)
	rows := e.steps[map[string]int{"p": 0, "s": 1}[s.X.(*Name).Name]]
	t := schema[slotNamed(s.Field)].t
	var vs []Value
	for _, r := range rows {
		if v := r.(*row).get(slotNamed(s.Field)); !v.IsNull() {
			vs = append(vs, v)
		}
	}
	return t, vs
}

func kleene(or bool, l, r Value) Value {
	lb, rb := l.I == 1, r.I == 1
	switch {
	case !l.IsNull() && lb == or, !r.IsNull() && rb == or:
		return BoolValue(or)
	case l.IsNull() || r.IsNull():
		return Value{}
	}
	return BoolValue(!or)
}

func toFloat(v Value) Value {
	if v.Type == Int {
		return FloatValue(float64(v.I))
	}
	return v
}

func refArith(n *Binary, e *env) (Type, Value) {
	lt, l := ref(n.L, e)
	rt, r := ref(n.R, e)
	var t Type
	switch {
	case lt == Int && rt == Int:
		t = Int
	case (lt == Int || lt == Float) && (rt == Int || rt == Float):
		t = Float
	case lt == String:
		t = String
	case lt == Time && rt == Time:
		t = Duration
	case lt == Time || rt == Time:
		t = Time
	default:
		t = Duration
	}
	if l.IsNull() || r.IsNull() {
		return t, Value{}
	}
	switch t {
	case String:
		return t, StringValue(l.S + r.S)
	case Float:
		a, b := toFloat(l).F, toFloat(r).F
		switch n.Op {
		case "+":
			return t, FloatValue(a + b)
		case "-":
			return t, FloatValue(a - b)
		case "*":
			return t, FloatValue(a * b)
		}
		if b == 0 {
			return t, Value{}
		}
		if n.Op == "/" {
			return t, FloatValue(a / b)
		}
		return t, FloatValue(math.Mod(a, b))
	}
	a, b := l.I, r.I
	switch n.Op {
	case "+":
		return t, Value{Type: t, I: a + b}
	case "-":
		return t, Value{Type: t, I: a - b}
	case "*":
		return t, Value{Type: t, I: a * b}
	}
	if b == 0 {
		return t, Value{}
	}
	if n.Op == "/" {
		return t, Value{Type: t, I: a / b}
	}
	return t, Value{Type: t, I: a % b}
}

func refCompare(op string, lt Type, l Value, rt Type, r Value) Value {
	if l.IsNull() || r.IsNull() {
		return Value{}
	}
	c := 0
	switch {
	case lt == Float || rt == Float:
		a, b := toFloat(l).F, toFloat(r).F
		if a < b {
			c = -1
		} else if a > b {
			c = 1
		}
	case lt == String:
		c = strings.Compare(l.S, r.S)
	default:
		if l.I < r.I {
			c = -1
		} else if l.I > r.I {
			c = 1
		}
	}
	return BoolValue(map[string]bool{"==": c == 0, "!=": c != 0, "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0}[op])
}

func refCall(n *Call, e *env) (Type, Value) {
	switch n.Fn {
	case "count":
		return Int, IntValue(int64(len(e.steps[map[string]int{"p": 0, "s": 1}[n.Args[0].(*Name).Name]])))
	case "sum", "avg", "min", "max":
		t, vs := stepValues(e, n.Args[0])
		if n.Fn == "avg" {
			if len(vs) == 0 {
				return Float, Value{}
			}
			sum := 0.0
			for _, v := range vs {
				sum += toFloat(v).F
			}
			return Float, FloatValue(sum / float64(len(vs)))
		}
		if n.Fn == "sum" {
			sum := Value{Type: t}
			for _, v := range vs {
				sum.I += v.I
				sum.F += v.F
			}
			return t, sum
		}
		if len(vs) == 0 {
			return t, Value{}
		}
		best := vs[0]
		for _, v := range vs[1:] {
			if less := refCompare("<", t, v, t, best).I == 1; less == (n.Fn == "min") && refCompare("!=", t, v, t, best).I == 1 {
				best = v
			}
		}
		return t, best
	}
	var ts []Type
	var vs []Value
	for _, a := range n.Args {
		t, v := ref(a, e)
		ts, vs = append(ts, t), append(vs, v)
	}
	t, v := ts[0], vs[0]
	switch n.Fn {
	case "coalesce":
		d := Null
		for _, t := range ts {
			if t == Float || (t == Int && d == Float) {
				d = Float
			} else if t != Null && d != Float {
				d = t
			}
		}
		for _, v := range vs {
			if !v.IsNull() {
				if d == Float {
					v = toFloat(v)
				}
				return d, v
			}
		}
		return d, Value{}
	case "abs", "round", "floor", "ceil":
		if v.IsNull() || (t != Float && n.Fn != "abs") {
			return t, v
		}
		if t == Float {
			f := map[string]func(float64) float64{"abs": math.Abs, "round": math.Round, "floor": math.Floor, "ceil": math.Ceil}[n.Fn]
			return t, FloatValue(f(v.F))
		}
		if v.I < 0 {
			v.I = -v.I
		}
		return t, v
	case "lower", "upper":
		if v.IsNull() {
			return String, v
		}
		if n.Fn == "lower" {
			return String, StringValue(strings.ToLower(v.S))
		}
		return String, StringValue(strings.ToUpper(v.S))
	case "len":
		if v.IsNull() {
			return Int, v
		}
		return Int, IntValue(int64(utf8.RuneCountInString(v.S)))
	case "contains", "startswith", "endswith", "matches":
		if v.IsNull() || vs[1].IsNull() {
			return Bool, Value{}
		}
		switch n.Fn {
		case "contains":
			return Bool, BoolValue(strings.Contains(v.S, vs[1].S))
		case "startswith":
			return Bool, BoolValue(strings.HasPrefix(v.S, vs[1].S))
		case "endswith":
			return Bool, BoolValue(strings.HasSuffix(v.S, vs[1].S))
		}
		return Bool, BoolValue(regexp.MustCompile(vs[1].S).MatchString(v.S))
	case "hour", "weekday":
		if v.IsNull() {
			return Int, v
		}
		days := math.Floor(float64(v.I) / msPerDay)
		if n.Fn == "hour" {
			return Int, IntValue((v.I - int64(days)*msPerDay) / 3_600_000)
		}
		// 1970-01-01 was a Thursday (ISO 4).
		return Int, IntValue(int64(math.Mod(math.Mod(days+3, 7)+7, 7)) + 1)
	}
	panic("ref: unknown function " + n.Fn)
}

// gen makes random trees of a requested type.
type gen struct{ r *rand.Rand }

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

var genTypes = []Type{Bool, Int, Float, String, Time, Duration}

func (g *gen) ordered() Type { return []Type{Int, Float, String, Time, Duration}[g.r.IntN(5)] }

func (g *gen) tree(t Type, depth int) Node {
	if depth <= 0 || g.r.IntN(4) == 0 {
		return g.leaf(t)
	}
	d := depth - 1
	switch t {
	case Bool:
		switch g.r.IntN(9) {
		case 0, 1:
			return bin(g.pick("and", "or"), g.tree(Bool, d), g.tree(Bool, d))
		case 2:
			return un("not", g.tree(Bool, d))
		case 3, 4:
			ct := g.ordered()
			op := g.pick("==", "!=", "<", "<=", ">", ">=")
			if g.r.IntN(8) == 0 {
				ct, op = Bool, g.pick("==", "!=")
			}
			l, r := g.tree(ct, d), g.tree(ct, d)
			if ct == Float && g.r.IntN(2) == 0 {
				r = g.tree(Int, d) // int and float mixed
			}
			if g.r.IntN(10) == 0 {
				r = litNull()
			}
			return bin(op, l, r)
		case 5:
			ct := genTypes[g.r.IntN(len(genTypes))]
			items := make([]Node, 1+g.r.IntN(4))
			for i := range items {
				items[i] = g.tree(ct, d/2)
				if g.r.IntN(8) == 0 {
					items[i] = litNull()
				}
			}
			return inl(g.tree(ct, d), items...)
		case 6:
			ct := g.ordered()
			return betw(g.tree(ct, d), g.tree(ct, d/2), g.tree(ct, d/2))
		case 7:
			return isnull(g.tree(genTypes[g.r.IntN(len(genTypes))], d), g.r.IntN(2) == 0)
		}
		if g.r.IntN(3) == 0 {
			return call("matches", g.tree(String, d), litS(g.pick("^a", "b$", "[ae]", "^$")))
		}
		return call(g.pick("contains", "startswith", "endswith"), g.tree(String, d), g.tree(String, d))
	case Int:
		switch g.r.IntN(8) {
		case 0, 1, 2:
			return bin(g.pick("+", "-", "*", "/", "%"), g.tree(Int, d), g.tree(Int, d))
		case 3:
			return un("-", g.tree(Int, d))
		case 4:
			return call(g.pick("abs", "round", "floor", "ceil"), g.tree(Int, d))
		case 5:
			return call("len", g.tree(String, d))
		case 6:
			return call(g.pick("hour", "weekday"), g.tree(Time, d))
		}
		return call("coalesce", g.tree(Int, d), g.tree(Int, d))
	case Float:
		switch g.r.IntN(6) {
		case 0, 1, 2:
			l, r := g.tree(Float, d), g.tree(Float, d)
			switch g.r.IntN(3) {
			case 0:
				l = g.tree(Int, d)
			case 1:
				r = g.tree(Int, d)
			}
			return bin(g.pick("+", "-", "*", "/", "%"), l, r)
		case 3:
			return un("-", g.tree(Float, d))
		case 4:
			return call(g.pick("abs", "round", "floor", "ceil"), g.tree(Float, d))
		}
		return call("coalesce", g.tree(Int, d), g.tree(Float, d))
	case String:
		switch g.r.IntN(3) {
		case 0:
			return bin("+", g.tree(String, d), g.tree(String, d))
		case 1:
			return call(g.pick("lower", "upper"), g.tree(String, d))
		}
		return call("coalesce", g.tree(String, d), g.tree(String, d))
	case Time:
		switch g.r.IntN(3) {
		case 0:
			return bin(g.pick("+", "-"), g.tree(Time, d), g.tree(Duration, d))
		case 1:
			return bin("+", g.tree(Duration, d), g.tree(Time, d))
		}
		return call("coalesce", g.tree(Time, d), g.tree(Time, d))
	default: // Duration
		switch g.r.IntN(6) {
		case 0:
			return bin("-", g.tree(Time, d), g.tree(Time, d))
		case 1:
			return bin(g.pick("+", "-"), g.tree(Duration, d), g.tree(Duration, d))
		case 2:
			return bin(g.pick("*", "/"), g.tree(Duration, d), g.tree(Int, d))
		case 3:
			return bin("*", g.tree(Int, d), g.tree(Duration, d))
		case 4:
			return un("-", g.tree(Duration, d))
		}
		return call("abs", g.tree(Duration, d))
	}
}

// leaf is a literal, a field of the current event, of a step, or a step
// aggregate of type t.
func (g *gen) leaf(t Type) Node {
	field := map[Type][]string{
		Bool: {"is_fraud", "b"}, Int: {"n", "m"}, Float: {"amount", "f"},
		String: {"country", "note"}, Time: {"ts", "t2"}, Duration: {"d"},
	}[t]
	f := field[g.r.IntN(len(field))]
	switch g.r.IntN(10) {
	case 0, 1, 2:
		return lit(g.value(t))
	case 3:
		return sel(name("p"), f)
	case 4:
		return sel(call(g.pick("first", "last"), name(g.pick("s", "p"))), f)
	case 5:
		switch t {
		case Int:
			if g.r.IntN(2) == 0 {
				return call("count", name(g.pick("s", "p")))
			}
			return call(g.pick("sum", "min", "max"), sel(name("s"), f))
		case Float:
			return call(g.pick("sum", "avg", "min", "max"), sel(name("s"), f))
		case String, Time:
			return call(g.pick("min", "max"), sel(name("s"), f))
		}
	case 6:
		switch t {
		case Float:
			return name("risk")
		case String:
			return name("key")
		}
		return sel(name("this"), f)
	}
	return name(f)
}

func (g *gen) value(t Type) Value {
	switch t {
	case Bool:
		return BoolValue(g.r.IntN(2) == 0)
	case Int:
		return IntValue(g.r.Int64N(7) - 3)
	case Float:
		return FloatValue([]float64{-2.5, -1, 0, 0.5, 1, 2.5, 7}[g.r.IntN(7)])
	case String:
		return StringValue(g.pick("", "a", "b", "ab", "NL", "DE", "é", "A", "bab"))
	case Time:
		return TimeValue([]int64{tue1015, sun2359, wed2300, 0, tue1015 + 90*minute}[g.r.IntN(5)])
	case Duration:
		return DurationValue((g.r.Int64N(7) - 3) * minute)
	}
	return Value{}
}

func (g *gen) row() Row {
	r := &row{vals: make([]Value, len(schema))}
	for i, f := range schema {
		if g.r.IntN(4) != 0 {
			r.vals[i] = g.value(f.t)
		}
	}
	return r
}

func (g *gen) env() *env {
	e := &env{cur: g.row(), steps: make([][]Row, 2)}
	if g.r.IntN(8) == 0 {
		e.cur = nil
	}
	for range g.r.IntN(2) {
		e.steps[0] = append(e.steps[0], g.row())
	}
	for range g.r.IntN(5) {
		e.steps[1] = append(e.steps[1], g.row())
	}
	return e
}

func TestAgainstReference(t *testing.T) {
	g := &gen{r: rand.New(rand.NewPCG(1, 2))}
	trees := 3000
	if testing.Short() {
		trees = 300
	}
	sc := testScope()
	for i := range trees {
		want := genTypes[i%len(genTypes)]
		n := g.tree(want, 5)
		x, errs := Compile(n, sc)
		if errs != nil {
			t.Fatalf("%s: %v", format(n), errs)
		}
		for range 20 {
			e := g.env()
			rt, rv := ref(n, e)
			if x.Type() != rt && !(rt == Null || x.Type() == Null) {
				t.Fatalf("%s: type %s, reference %s", format(n), x.Type(), rt)
			}
			got := x.Eval(e)
			if !sameValue(got, rv) {
				t.Fatalf("%s\non %s\nsteps %s\ngot %s, reference %s", format(n), rowText(e.cur), stepsText(e), show(got), show(rv))
			}
			if x.Type() == Bool {
				if c := x.Cond(e); c != (rv.Type == Bool && rv.I == 1) {
					t.Fatalf("%s: Cond %v, reference %s", format(n), c, show(rv))
				}
			}
			// The same rows in the event's layout, read through WordRow.
			we := e.words()
			if got := x.Eval(we); !sameValue(got, rv) {
				t.Fatalf("%s\non %s (as a WordRow)\nsteps %s\ngot %s, reference %s", format(n), rowText(e.cur), stepsText(e), show(got), show(rv))
			}
			if x.Type() == Bool {
				if c := x.Cond(we); c != (rv.Type == Bool && rv.I == 1) {
					t.Fatalf("%s: Cond %v on a WordRow, reference %s", format(n), c, show(rv))
				}
			}
		}
	}
}

func stepsText(e *env) string {
	var b strings.Builder
	for i, rows := range e.steps {
		b.WriteString([]string{"p", "s"}[i] + ": ")
		for _, r := range rows {
			b.WriteString("{" + rowText(r) + "} ")
		}
	}
	return b.String()
}

func rowText(r Row) string {
	if r == nil {
		return "no current event"
	}
	var b strings.Builder
	for i, v := range r.(*row).vals {
		b.WriteString(schema[i].name + "=" + show(v) + " ")
	}
	return b.String()
}

// Random trees of random shape and types: Compile reports errors or
// compiles, and never panics; what compiles evaluates without panicking.
func TestRandomTreesDoNotPanic(t *testing.T) {
	g := &gen{r: rand.New(rand.NewPCG(3, 4))}
	sc := testScope()
	names := []string{"amount", "country", "n", "ts", "d", "p", "s", "x", "this", "key", "risk", "risk_by_merchant", "pair", "zz"}
	var wild func(depth int) Node
	wild = func(depth int) Node {
		if depth == 0 || g.r.IntN(3) == 0 {
			if g.r.IntN(2) == 0 {
				return lit(g.value(genTypes[g.r.IntN(len(genTypes))]))
			}
			return name(names[g.r.IntN(len(names))])
		}
		d := depth - 1
		switch g.r.IntN(8) {
		case 0:
			return bin(g.pick("+", "-", "*", "/", "%", "==", "<", "and", "or"), wild(d), wild(d))
		case 1:
			return un(g.pick("-", "not"), wild(d))
		case 2:
			return inl(wild(d), wild(d), wild(d))
		case 3:
			return betw(wild(d), wild(d), wild(d))
		case 4:
			return isnull(wild(d), g.r.IntN(2) == 0)
		case 5:
			return sel(wild(d), names[g.r.IntN(len(names))])
		case 6:
			return index(wild(d), wild(d))
		}
		fns := []string{"abs", "round", "lower", "len", "contains", "matches", "coalesce", "hour", "count", "sum", "first", "min", "nope"}
		args := make([]Node, g.r.IntN(3))
		for i := range args {
			args[i] = wild(d)
		}
		return call(fns[g.r.IntN(len(fns))], args...)
	}
	compiled := 0
	for range 5000 {
		n := wild(4)
		x, errs := Compile(n, sc)
		if errs != nil {
			for _, e := range errs {
				if e.Msg == "" {
					t.Fatalf("%s: empty error", format(n))
				}
			}
			continue
		}
		compiled++
		for range 3 {
			x.Eval(g.env())
		}
	}
	t.Logf("%d of 5000 compiled", compiled)
}
