package expr

import (
	"strings"
	"testing"
)

// Errors: every error of the tree, at the offending operand, once.
func TestErrors(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string // "line:col: message"
	}{
		{"amout > 5", []string{`1:1: unknown field "amout" (did you mean "amount"?)`}},
		{"Amount > 5", []string{`1:1: unknown field "Amount" (did you mean "amount"?)`}},
		{"zzz > 5", []string{`1:1: unknown field "zzz"`}},
		{"amount > \"x\" and country == 5 or is_fraud + 1 > 2", []string{`1:10: amount is float; cannot compare with string "x"`, `1:29: country is string; cannot compare with int 5`, `1:34: cannot add bool and int`}},
		{"zzz + 1 > \"x\" and amount > \"y\"", []string{`1:1: unknown field "zzz"`, `1:28: amount is float; cannot compare with string "y"`}},
		{"amount + 1 > \"x\"", []string{`1:14: cannot compare float with string "x"`}},
		{"\"x\" < amount", []string{`1:7: "x" is string; cannot compare with amount (float)`}},
		{"is_fraud < true", []string{`1:1: cannot order bools: is_fraud is bool (only == and != apply to bools)`, `1:12: cannot order bools: true is bool (only == and != apply to bools)`}},
		{"is_fraud == 1", []string{`1:13: is_fraud is bool; cannot compare with int 1`}},
		{"amount", []string{`1:1: condition is float; expected bool`}},
		{"null", nil},
		{"1 + null", []string{`1:3: condition is int; expected bool`}},
		{"n + (country * 2) > 5", []string{`1:6: cannot multiply string by int`}},
		{"ts + 5 > ts", []string{`1:6: cannot add time and int`}},
		{"ts - 5m > 1", []string{`1:11: cannot compare time with int 1`}},
		{"ts + ts > ts", []string{`1:6: cannot add time and time`}},
		{"d * 2.5 > d", []string{`1:5: cannot multiply duration by float`}},
		{"d / d > 1", []string{`1:5: cannot divide duration by duration`}},
		{"5m % 2 > 1", []string{`1:1: cannot take duration modulo int`}},
		{"country - \"x\" == \"\"", []string{`1:1: cannot subtract string from string`}},
		{"2 / \"x\" > 1", []string{`1:5: cannot divide int by string`}},
		{"true % 1 > 1", []string{`1:1: cannot take bool modulo int`}},
		{"-country == \"\"", []string{`1:2: cannot negate country (string); - expects a number or a duration`}},
		{"not amount", []string{`1:5: not expects bool; got amount (float)`}},
		{"amount and true", []string{`1:1: and expects bool operands; got amount (float)`}},
		{"true and 5 or \"x\"", []string{`1:10: and expects bool operands; got int 5`, `1:15: or expects bool operands; got string "x"`}},
		{"-ts > ts", []string{`1:2: cannot negate ts (time); - expects a number or a duration`}},
		{"not not is_fraud + 1", []string{`1:9: cannot add bool and int`}},
		{"country in [\"a\", 5, true]", []string{`1:18: country is string; cannot compare with int 5`, `1:21: country is string; cannot compare with bool true`}},
		{"amount in [1, \"a\"]", []string{`1:15: amount is float; cannot compare with string "a"`}},
		{"zz in [1, \"a\"]", []string{`1:1: unknown field "zz"`}},
		{"amount between \"a\" and 5", []string{`1:16: amount is float; cannot compare with string "a"`}},
		{"is_fraud between true and false", []string{`1:1: cannot order bools: is_fraud is bool (only == and != apply to bools)`, `1:18: cannot order bools: true is bool (only == and != apply to bools)`}},
		{"ts between 1 and d", []string{`1:12: ts is time; cannot compare with int 1`}},
		{"s.amount > 1", []string{`1:1: s is a looping step (a list); use first(s).amount, last(s).amount, count(s) or an aggregate such as sum(s.amount)`}},
		{"x.amount > 1", []string{`1:1: cannot refer to negated step x`}},
		{"p.amoutn > 1", []string{`1:2: step p has no field "amoutn" (did you mean "amount"?)`}},
		{"p > 1", []string{`1:1: p is a step (an event); read a field of it with p.f`}},
		{"s > 1", []string{`1:1: s is a looping step (a list); use first(s).f, last(s).f, count(s) or an aggregate such as sum(s.f)`}},
		{"x > 1", []string{`1:1: cannot refer to negated step x`}},
		{"count(x) > 1", []string{`1:7: cannot refer to negated step x`}},
		{"count(amount) > 1", []string{`1:1: count expects a step, as in count(a); got amount`}},
		{"count(zz) > 1", []string{`1:7: unknown step "zz"`}},
		{"count(p, s) > 1", []string{`1:1: count expects a step, as in count(a); got 2 arguments`}},
		{"sum(amount) > 1", []string{`1:1: sum expects a field of a step, as in sum(a.f)`}},
		{"sum(s.country) > 1", []string{`1:6: sum expects a numeric field; got s.country (string)`}},
		{"avg(s.is_fraud) > 1", []string{`1:6: avg expects a numeric field; got s.is_fraud (bool)`}},
		{"min(s.b) > 1", []string{`1:6: min expects a field of type int, float, string, time or duration; got s.b (bool)`}},
		{"first(s) == 1", []string{`1:1: first(s) is an event, not a value; read a field of it with first(s).f`}},
		{"first(x).amount > 1", []string{`1:7: cannot refer to negated step x`}},
		{"sum(this.amount) > 1", []string{`1:1: sum expects a field of a step, as in sum(a.f)`}},
		{"sum(q.amount) > 1", []string{`1:5: unknown step "q"`}},
		{"this > 1", []string{`1:1: this is the current event; read a field of it with this.f`}},
		{"this.amout > 1", []string{`1:5: unknown field "amout" (did you mean "amount"?)`}},
		{"amount.x > 1", []string{`1:7: amount is a float, not an event; it has no field "x"`}},
		{"(1 + 2).x > 1", []string{`1:8: cannot read field "x" of int; only events have fields`}},
		{"risk_by_merchant > 1", []string{`1:1: risk_by_merchant is a table; look a row up with risk_by_merchant[key].column`}},
		{"risk_by_merchant.score > 1", []string{`1:1: risk_by_merchant is a table; look a row up with risk_by_merchant[key].score`}},
		{"risk_by_merchant[merchant] > 1", []string{`1:17: a row of table risk_by_merchant is not a value; read a column of it with risk_by_merchant[...].column`}},
		{"risk_by_merchant[merchant].scor > 1", []string{`1:27: table risk_by_merchant has no column "scor" (did you mean "score"?)`}},
		{"risk_by_merchant[1].score > 1", []string{`1:18: key 1 of table risk_by_merchant is string; got int 1`}},
		{"risk_by_merchant[merchant, 1].score > 1", []string{`1:17: table risk_by_merchant has 1 key field(s) (string); got 2`}},
		{"pair[\"NL\", \"x\"].limit > 1", []string{`1:12: key 2 of table pair is float; got string "x"`}},
		{"amount[1].x > 1", []string{`1:1: amount is a float, not a table`}},
		{"tabel[1].x > 1", []string{`1:1: unknown table "tabel"`}},
		{"p[1].x > 1", []string{`1:1: p is a step, not a table`}},
		{"pair[country, amout].limit > 1", []string{`1:15: unknown field "amout" (did you mean "amount"?)`}},
		{"abs(\"x\") > 1", []string{`1:5: abs expects a number or a duration; got string "x"`}},
		{"abs(1, 2) > 1", []string{`1:1: abs expects 1 argument, as in abs(number or duration); got 2`}},
		{"abss(1) > 1", []string{`1:1: unknown function "abss" (did you mean "abs"?)`}},
		{"lower(5) == \"x\"", []string{`1:7: lower expects a string; got int 5`}},
		{"contains(1, country)", []string{`1:10: contains expects a string as argument 1; got int 1`}},
		{"contains(country)", []string{`1:1: contains expects 2 arguments, as in contains(string, string); got 1`}},
		{"matches(country, \"[\")", []string{"1:18: invalid regular expression \"[\": missing closing ]: `[`"}},
		{"matches(country, merchant)", []string{`1:18: matches expects a string literal as its pattern, as in matches(s, "^[a-z]+$"); got merchant (string)`}},
		{"matches(5, \"a\")", []string{`1:9: matches expects a string as argument 1; got int 5`}},
		{"coalesce(1, \"a\") == 1", []string{`1:13: coalesce expects arguments of one type; argument 2 is string "a", not int`}},
		{"coalesce() == 1", []string{`1:1: coalesce expects at least 1 argument, as in coalesce(x, y, ...); got 0`}},
		{"hour(5) > 1", []string{`1:6: hour expects a time; got int 5`}},
		{"weekday(d) > 1", []string{`1:9: weekday expects a time; got d (duration)`}},
		{"round(\"x\") > 1", []string{`1:7: round expects a number; got string "x"`}},
		{"len(5) > 1", []string{`1:5: len expects a string; got int 5`}},
		{"sum(s.amount, 1) > 1", []string{`1:1: sum expects a field of a step, as in sum(a.f)`}},
	} {
		t.Run(c.src, func(t *testing.T) {
			x, errs := CompileCond(parse(t, c.src), testScope())
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(c.want, "\n\t"))
			}
			if (x == nil) == (len(errs) == 0) {
				t.Errorf("Expr %v with %d errors", x, len(errs))
			}
		})
	}
}

// Malformed trees are errors, not panics.
func TestMalformedTrees(t *testing.T) {
	var nilName *Name
	for _, n := range []Node{
		nil,
		nilName,
		&Binary{Op: "+", L: litI(1)},
		&Binary{Op: "<>", L: litI(1), R: litI(2)},
		&Unary{Op: "!", X: litB(true)},
		&Lit{Val: Value{Type: 99}},
		&Selector{X: nil, Field: "f"},
		&Index{X: name("pair")},
		&Call{Fn: "abs"},
		&In{},
		&Between{X: litI(1)},
		&IsNull{},
		foreignNode{},
	} {
		x, errs := Compile(n, testScope())
		if x != nil || len(errs) == 0 {
			t.Errorf("%#v: no error", n)
		}
	}
}

type foreignNode struct{}

func (foreignNode) Position() Pos { return Pos{Line: 3, Col: 4} }

func TestErrorString(t *testing.T) {
	e := &Error{Pos: Pos{Line: 4, Col: 31}, Msg: `amount is float; cannot compare with string "x"`}
	if got, want := e.Error(), `4:31: amount is float; cannot compare with string "x"`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
