package expr

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func ms(y int, mo time.Month, d, h, mi int) int64 {
	return time.Date(y, mo, d, h, mi, 0, 0, time.UTC).UnixMilli()
}

var (
	tue1015 = ms(2026, 11, 24, 10, 15) // a Tuesday
	sun2359 = ms(2026, 11, 29, 23, 59) // a Sunday
	wed2300 = ms(1969, 12, 31, 23, 0)  // before the epoch, a Wednesday
	minute  = int64(60_000)
)

func litT(ms int64) Node { return lit(TimeValue(ms)) }

// litScope resolves "$0", "$1", ... to extra slots holding the literals that
// unfold took out of a tree, so that the same case runs through the runtime
// closures instead of the folded constants.
type litScope struct {
	*scope
	vals []Value
}

func (s *litScope) Field(name string) (FieldRef, bool) {
	var k int
	if _, err := fmt.Sscanf(name, "$%d", &k); err == nil && k < len(s.vals) {
		return FieldRef{Type: s.vals[k].Type, Slot: len(schema) + k}, true
	}
	return s.scope.Field(name)
}

// unfold copies n with every non-null literal replaced by a field (except
// the pattern of matches, which must stay a literal).
func unfold(n Node, vals *[]Value) Node {
	switch n := n.(type) {
	case *Lit:
		if n.Val.IsNull() {
			return n
		}
		*vals = append(*vals, n.Val)
		return &Name{At: n.At, Name: fmt.Sprintf("$%d", len(*vals)-1)}
	case *Selector:
		return &Selector{At: n.At, X: unfold(n.X, vals), Field: n.Field}
	case *Index:
		return &Index{At: n.At, X: n.X, Keys: unfoldAll(n.Keys, vals)}
	case *Call:
		args := unfoldAll(n.Args, vals)
		if n.Fn == "matches" && len(n.Args) == 2 {
			args[1] = n.Args[1]
		}
		return &Call{At: n.At, Fn: n.Fn, Args: args}
	case *Unary:
		return &Unary{At: n.At, Op: n.Op, X: unfold(n.X, vals)}
	case *Binary:
		return &Binary{At: n.At, Op: n.Op, L: unfold(n.L, vals), R: unfold(n.R, vals)}
	case *In:
		return &In{At: n.At, X: unfold(n.X, vals), List: unfoldAll(n.List, vals)}
	case *Between:
		return &Between{At: n.At, X: unfold(n.X, vals), Lo: unfold(n.Lo, vals), Hi: unfold(n.Hi, vals)}
	case *IsNull:
		return &IsNull{At: n.At, X: unfold(n.X, vals), Not: n.Not}
	}
	return n
}

func unfoldAll(ns []Node, vals *[]Value) []Node {
	out := make([]Node, len(ns))
	for i, n := range ns {
		out[i] = unfold(n, vals)
	}
	return out
}

func sameValue(a, b Value) bool {
	if a.Type != b.Type {
		return false
	}
	switch a.Type {
	case Null:
		return true
	case Float:
		return a.F == b.F || (math.IsNaN(a.F) && math.IsNaN(b.F))
	case String:
		return a.S == b.S
	}
	return a.I == b.I
}

func show(v Value) string {
	if v.IsNull() {
		return "null"
	}
	return v.Type.String() + " " + literal(v)
}

// Values used by the cases.
var (
	vT   = BoolValue(true)
	vF   = BoolValue(false)
	vN   = Value{}
	cur0 = map[string]Value{"n": IntValue(3), "amount": FloatValue(2.5), "country": StringValue("NL")}
)

type evalCase struct {
	n    Node
	want Value
}

// checkEval compiles c.n and c.n unfolded, evaluates both over a row with
// fields (cur0 unless given) and compares with c.want.
func checkEval(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, c := range cases {
		desc := format(c.n)
		t.Run(desc, func(t *testing.T) {
			for _, unfolded := range []bool{false, true} {
				var vals []Value
				n := c.n
				if unfolded {
					n = unfold(n, &vals)
				}
				s := &litScope{scope: testScope(), vals: vals}
				x, errs := Compile(n, s)
				if errs != nil {
					t.Fatalf("unfolded=%v: %v", unfolded, errs)
				}
				r := mkRow(cur0)
				r.vals = append(r.vals, vals...)
				got := x.Eval(&env{cur: r})
				if !sameValue(got, c.want) {
					t.Errorf("unfolded=%v: got %s, want %s", unfolded, show(got), show(c.want))
				}
				// The static type agrees with the value.
				if !got.IsNull() && got.Type != x.Type() {
					t.Errorf("unfolded=%v: value %s of static type %s", unfolded, show(got), x.Type())
				}
				if x.Type() == Bool {
					want := c.want.Type == Bool && c.want.I == 1
					if got := x.Cond(&env{cur: r}); got != want {
						t.Errorf("unfolded=%v: Cond = %v, want %v", unfolded, got, want)
					}
				}
			}
		})
	}
}

// format renders a tree as KRL-like text for test names.
func format(n Node) string {
	switch n := n.(type) {
	case *Lit:
		return literal(n.Val)
	case *Name:
		return n.Name
	case *Selector:
		return format(n.X) + "." + n.Field
	case *Index:
		return format(n.X) + "[" + formatAll(n.Keys) + "]"
	case *Call:
		return n.Fn + "(" + formatAll(n.Args) + ")"
	case *Unary:
		if n.Op == "not" {
			return "not " + format(n.X)
		}
		return n.Op + format(n.X)
	case *Binary:
		return "(" + format(n.L) + " " + n.Op + " " + format(n.R) + ")"
	case *In:
		return format(n.X) + " in [" + formatAll(n.List) + "]"
	case *Between:
		return format(n.X) + " between " + format(n.Lo) + " and " + format(n.Hi)
	case *IsNull:
		if n.Not {
			return format(n.X) + " is not null"
		}
		return format(n.X) + " is null"
	}
	return fmt.Sprintf("%T", n)
}

func formatAll(ns []Node) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = format(n)
	}
	return strings.Join(s, ", ")
}

func TestArithmetic(t *testing.T) {
	checkEval(t, []evalCase{
		// int and int
		{bin("+", litI(2), litI(3)), IntValue(5)},
		{bin("-", litI(2), litI(3)), IntValue(-1)},
		{bin("*", litI(4), litI(-2)), IntValue(-8)},
		{bin("/", litI(7), litI(2)), IntValue(3)},
		{bin("/", litI(-7), litI(2)), IntValue(-3)}, // truncated toward zero
		{bin("/", litI(7), litI(-2)), IntValue(-3)},
		{bin("/", litI(0), litI(5)), IntValue(0)},
		{bin("%", litI(7), litI(3)), IntValue(1)},
		{bin("%", litI(-7), litI(3)), IntValue(-1)}, // sign of the dividend
		{bin("%", litI(7), litI(-3)), IntValue(1)},
		{bin("/", litI(7), litI(0)), vN},
		{bin("%", litI(7), litI(0)), vN},
		{bin("/", litI(math.MinInt64), litI(-1)), IntValue(math.MinInt64)},
		{bin("%", litI(math.MinInt64), litI(-1)), IntValue(0)},
		{bin("+", litI(math.MaxInt64), litI(1)), IntValue(math.MinInt64)}, // wraps
		// int and float mix: the int is widened
		{bin("+", litI(2), litF(0.5)), FloatValue(2.5)},
		{bin("+", litF(0.5), litI(2)), FloatValue(2.5)},
		{bin("-", litF(2.5), litI(1)), FloatValue(1.5)},
		{bin("*", litF(1.5), litI(2)), FloatValue(3)},
		{bin("/", litI(7), litF(2)), FloatValue(3.5)},
		{bin("/", litF(7), litI(2)), FloatValue(3.5)},
		{bin("/", litF(7), litF(0)), vN},
		{bin("/", litI(7), litF(0)), vN},
		{bin("/", litF(7), litI(0)), vN},
		{bin("%", litF(7.5), litI(2)), FloatValue(1.5)},
		{bin("%", litF(-7.5), litF(2)), FloatValue(-1.5)}, // math.Mod: sign of the dividend
		{bin("%", litF(7.5), litF(0)), vN},
		// null
		{bin("+", litNull(), litI(1)), vN},
		{bin("+", litI(1), litNull()), vN},
		{bin("*", litF(1), litNull()), vN},
		{bin("/", litNull(), litNull()), vN},
		{bin("+", litS("a"), litNull()), vN},
		{bin("-", lit(TimeValue(0)), litNull()), vN},
		{bin("+", name("n"), litNull()), vN},
		// fields, one of them null
		{bin("+", name("n"), name("amount")), FloatValue(5.5)},
		{bin("+", name("n"), name("m")), vN},
		{bin("*", name("f"), litF(2)), vN},
		// strings
		{bin("+", litS("ab"), litS("c")), StringValue("abc")},
		{bin("+", name("country"), litS("-x")), StringValue("NL-x")},
		// unary minus
		{un("-", litI(5)), IntValue(-5)},
		{un("-", litF(2.5)), FloatValue(-2.5)},
		{un("-", litD(minute)), DurationValue(-minute)},
		{un("-", litNull()), vN},
		{un("-", name("m")), vN},
		// time and duration
		{bin("-", litT(tue1015), litT(tue1015-minute)), DurationValue(minute)},
		{bin("+", litT(tue1015), litD(minute)), TimeValue(tue1015 + minute)},
		{bin("+", litD(minute), litT(tue1015)), TimeValue(tue1015 + minute)},
		{bin("-", litT(tue1015), litD(minute)), TimeValue(tue1015 - minute)},
		{bin("+", litD(minute), litD(1000)), DurationValue(61000)},
		{bin("-", litD(minute), litD(1000)), DurationValue(59000)},
		{bin("*", litD(minute), litI(3)), DurationValue(3 * minute)},
		{bin("*", litI(3), litD(minute)), DurationValue(3 * minute)},
		{bin("/", litD(minute), litI(4)), DurationValue(15000)},
		{bin("/", litD(minute), litI(0)), vN},
		{bin("<", bin("-", litT(tue1015), litT(tue1015-minute)), litD(5*minute)), vT},
	})
}

func TestComparison(t *testing.T) {
	var cases []evalCase
	// Every operator over each type, at less, equal and greater.
	type trio struct{ lo, mid, hi Node }
	for _, v := range []trio{
		{litI(1), litI(2), litI(3)},
		{litF(1.5), litF(2.5), litF(3.5)},
		{litI(1), litF(1.5), litI(2)}, // int and float mixed
		{litS("a"), litS("ab"), litS("b")},
		{litS(""), litS("Z"), litS("a")}, // byte order
		{litT(wed2300), litT(tue1015), litT(sun2359)},
		{litD(1000), litD(minute), litD(2 * minute)},
	} {
		for _, c := range []struct {
			op             string
			less, eq, more bool
		}{
			{"==", false, true, false},
			{"!=", true, false, true},
			{"<", true, false, false},
			{"<=", true, true, false},
			{">", false, false, true},
			{">=", false, true, true},
		} {
			cases = append(cases,
				evalCase{bin(c.op, v.lo, v.mid), BoolValue(c.less)},
				evalCase{bin(c.op, v.mid, v.mid), BoolValue(c.eq)},
				evalCase{bin(c.op, v.hi, v.mid), BoolValue(c.more)},
				evalCase{bin(c.op, v.mid, litNull()), vN},
				evalCase{bin(c.op, litNull(), v.mid), vN},
			)
		}
	}
	cases = append(cases,
		evalCase{bin("==", litI(2), litF(2)), vT},
		evalCase{bin("==", litB(true), litB(true)), vT},
		evalCase{bin("==", litB(true), litB(false)), vF},
		evalCase{bin("!=", litB(true), litB(false)), vT},
		evalCase{bin("!=", litB(true), litNull()), vN},
		evalCase{bin("==", litNull(), litNull()), vN},
		evalCase{bin("==", name("m"), litI(0)), vN},     // null field
		evalCase{bin(">", name("amount"), litI(2)), vT}, // float field, int literal
		evalCase{bin("<", litI(2), name("amount")), vT}, // constant on the left
		evalCase{bin("==", name("country"), litS("NL")), vT},
		evalCase{bin("==", name("n"), name("amount")), vF}, // int field, float field
		evalCase{bin("!=", name("is_fraud"), litB(true)), vN},
	)
	checkEval(t, cases)
}

func TestLogic(t *testing.T) {
	// Kleene truth tables.
	vals := []struct {
		n Node
		v Value
	}{{litB(true), vT}, {litB(false), vF}, {litNull(), vN}}
	and := func(a, b Value) Value {
		switch {
		case a == vF || b == vF:
			return vF
		case a == vN || b == vN:
			return vN
		}
		return vT
	}
	or := func(a, b Value) Value {
		switch {
		case a == vT || b == vT:
			return vT
		case a == vN || b == vN:
			return vN
		}
		return vF
	}
	var cases []evalCase
	for _, a := range vals {
		not := vN
		if !a.v.IsNull() {
			not = BoolValue(a.v.I == 0)
		}
		cases = append(cases, evalCase{un("not", a.n), not})
		for _, b := range vals {
			cases = append(cases,
				evalCase{bin("and", a.n, b.n), and(a.v, b.v)},
				evalCase{bin("or", a.n, b.n), or(a.v, b.v)},
			)
			for _, c := range vals {
				cases = append(cases,
					evalCase{bin("and", bin("and", a.n, b.n), c.n), and(and(a.v, b.v), c.v)},
					evalCase{bin("or", a.n, bin("or", b.n, c.n)), or(a.v, or(b.v, c.v))},
					evalCase{bin("or", bin("and", a.n, b.n), c.n), or(and(a.v, b.v), c.v)},
				)
			}
		}
	}
	// Null fields.
	cases = append(cases,
		evalCase{bin("and", name("is_fraud"), litB(false)), vF},
		evalCase{bin("and", name("is_fraud"), litB(true)), vN},
		evalCase{bin("or", name("is_fraud"), litB(true)), vT},
		evalCase{un("not", name("is_fraud")), vN},
	)
	checkEval(t, cases)
}

func TestInBetweenIsNull(t *testing.T) {
	checkEval(t, []evalCase{
		{inl(litI(2), litI(1), litI(2), litI(3)), vT},
		{inl(litI(5), litI(1), litI(2)), vF},
		{inl(litI(5), litI(1), litNull()), vN},
		{inl(litI(1), litI(1), litNull()), vT},
		{inl(litNull(), litI(1)), vN},
		{inl(litI(2), litF(1), litF(2)), vT},
		{inl(litF(2), litI(1), litI(2)), vT},
		{inl(litS("a"), litS("a")), vT},
		{inl(litS("A"), litS("a")), vF},
		{inl(litB(true), litB(false)), vF},
		{inl(litB(true), litB(false), litB(true)), vT},
		{inl(litT(tue1015), litT(tue1015)), vT},
		{inl(litD(minute), litD(1000)), vF},
		{inl(name("country"), litS("DE"), litS("NL")), vT},
		{inl(name("merchant"), litS("a")), vN},
		{inl(name("n"), name("amount"), litI(3)), vT},
		{inl(litS("k"), litS("a"), litS("b"), litS("c"), litS("d"), litS("e"), litS("f"), litS("g"), litS("h"),
			litS("i"), litS("j"), litS("k"), litS("l"), litS("m"), litS("n"), litS("o"), litS("p"), litS("q")), vT}, // a map
		{inl(litS("z"), litS("a"), litS("b"), litS("c"), litS("d"), litS("e"), litS("f"), litS("g"), litS("h"),
			litS("i"), litS("j"), litS("k"), litS("l"), litS("m"), litS("n"), litS("o"), litS("p"), litNull()), vN},

		{betw(litI(5), litI(1), litI(10)), vT},
		{betw(litI(1), litI(1), litI(10)), vT}, // inclusive
		{betw(litI(10), litI(1), litI(10)), vT},
		{betw(litI(11), litI(1), litI(10)), vF},
		{betw(litI(0), litI(1), litI(10)), vF},
		{betw(litI(5), litNull(), litI(10)), vN},
		{betw(litI(11), litNull(), litI(10)), vF}, // Kleene: false and null
		{betw(litI(0), litI(1), litNull()), vF},
		{betw(litNull(), litI(1), litI(2)), vN},
		{betw(litF(2.5), litI(1), litI(3)), vT},
		{betw(litI(2), litF(1.5), litF(2.5)), vT},
		{betw(litS("b"), litS("a"), litS("c")), vT},
		{betw(litT(tue1015), litT(wed2300), litT(sun2359)), vT},
		{betw(litD(minute), litD(0), litD(1000)), vF},
		{betw(name("amount"), litI(2), litI(3)), vT},
		{betw(name("f"), litI(2), litI(3)), vN},

		{isnull(litNull(), false), vT},
		{isnull(litNull(), true), vF},
		{isnull(litI(1), false), vF},
		{isnull(litI(1), true), vT},
		{isnull(name("m"), false), vT},
		{isnull(name("n"), false), vF},
		{isnull(name("n"), true), vT},
		{isnull(name("is_fraud"), true), vF},
		{isnull(bin("/", name("n"), litI(0)), false), vT},
		{isnull(bin("+", name("country"), litS("x")), true), vT},
	})
}

func TestFunctions(t *testing.T) {
	checkEval(t, []evalCase{
		{call("abs", litI(-3)), IntValue(3)},
		{call("abs", litI(3)), IntValue(3)},
		{call("abs", litF(-2.5)), FloatValue(2.5)},
		{call("abs", litD(-minute)), DurationValue(minute)},
		{call("abs", litNull()), vN},
		{call("abs", name("m")), vN},
		{call("round", litF(2.5)), FloatValue(3)},
		{call("round", litF(-2.5)), FloatValue(-3)}, // half away from zero
		{call("round", litF(2.4)), FloatValue(2)},
		{call("round", litI(7)), IntValue(7)},
		{call("floor", litF(-2.5)), FloatValue(-3)},
		{call("floor", litI(-2)), IntValue(-2)},
		{call("ceil", litF(2.1)), FloatValue(3)},
		{call("ceil", name("f")), vN},
		{call("lower", litS("AbÇ")), StringValue("abç")},
		{call("upper", litS("abç")), StringValue("ABÇ")},
		{call("lower", litNull()), vN},
		{call("len", litS("héllo")), IntValue(5)}, // runes, not bytes
		{call("len", litS("")), IntValue(0)},
		{call("len", name("note")), vN},
		{call("contains", litS("abc"), litS("b")), vT},
		{call("contains", litS("abc"), litS("d")), vF},
		{call("contains", litS("abc"), litNull()), vN},
		{call("startswith", litS("abc"), litS("ab")), vT},
		{call("startswith", litS("abc"), litS("bc")), vF},
		{call("endswith", litS("abc"), litS("bc")), vT},
		{call("endswith", name("note"), litS("bc")), vN},
		{call("matches", litS("abc"), litS("^a.c$")), vT},
		{call("matches", litS("xabcx"), litS("b")), vT}, // unanchored
		{call("matches", litS("ABC"), litS("^a")), vF},
		{call("matches", name("note"), litS("a")), vN},
		{call("coalesce", litNull(), litI(2)), IntValue(2)},
		{call("coalesce", name("m"), litI(2)), IntValue(2)},
		{call("coalesce", name("m"), litF(2.5)), FloatValue(2.5)},
		{call("coalesce", name("n"), litF(2.5)), FloatValue(3)}, // widened
		{call("coalesce", name("note"), name("country"), litS("x")), StringValue("NL")},
		{call("coalesce", name("b"), litB(true)), vT},
		{call("coalesce", name("m"), litNull()), vN},
		{call("coalesce", litNull()), vN},
		{call("coalesce", litI(1), name("m")), IntValue(1)},
		{call("hour", litT(tue1015)), IntValue(10)},
		{call("hour", litT(sun2359)), IntValue(23)},
		{call("hour", litT(wed2300)), IntValue(23)},
		{call("hour", litT(0)), IntValue(0)},
		{call("weekday", litT(tue1015)), IntValue(2)},
		{call("weekday", litT(sun2359)), IntValue(7)},
		{call("weekday", litT(wed2300)), IntValue(3)},
		{call("weekday", litT(0)), IntValue(4)},
		{call("weekday", litT(ms(2026, 11, 23, 0, 0))), IntValue(1)},
		{call("hour", name("t2")), vN},
	})
}

func TestHourWeekdayAgainstTime(t *testing.T) {
	for ms := int64(-3 * 366 * msPerDay); ms < 3*366*msPerDay; ms += 3_599_999 {
		tm := time.UnixMilli(ms).UTC()
		wd := int64(tm.Weekday())
		if wd == 0 {
			wd = 7
		}
		if h := hourOf(ms); h != int64(tm.Hour()) {
			t.Fatalf("hourOf(%d) = %d, want %d", ms, h, tm.Hour())
		}
		if w := weekdayOf(ms); w != wd {
			t.Fatalf("weekdayOf(%d) = %d, want %d", ms, w, wd)
		}
	}
}
