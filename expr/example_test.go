package expr_test

import (
	"fmt"

	"github.com/kestrelcep/kestrel/expr"
)

// txn is a stream with two fields: amount (slot 0) and country (slot 1).
type txn struct {
	amount  float64
	country string
}

func (t *txn) Stream() int                    { return 0 }
func (t *txn) Int(int) (int64, bool)          { return 0, false }
func (t *txn) Float(slot int) (float64, bool) { return t.amount, slot == 0 }
func (t *txn) Str(slot int) (string, bool)    { return t.country, slot == 1 }
func (t *txn) Bool(int) (bool, bool)          { return false, false }

// scope resolves the fields of txn and nothing else.
type scope struct{}

func (scope) Field(name string) (expr.FieldRef, bool) {
	switch name {
	case "amount":
		return expr.FieldRef{Type: expr.Float, Slot: 0}, true
	case "country":
		return expr.FieldRef{Type: expr.String, Slot: 1}, true
	}
	return expr.FieldRef{}, false
}
func (scope) Step(string) (expr.StepRef, bool)     { return expr.StepRef{}, false }
func (scope) Feature(string) (expr.FieldRef, bool) { return expr.FieldRef{}, false }
func (scope) Table(string) (expr.TableRef, bool)   { return expr.TableRef{}, false }

// Names lets errors suggest a near name (expr.NameLister).
func (scope) Names(of string) []string { return []string{"amount", "country"} }

func (scope) Key() (expr.FieldRef, bool) { return expr.FieldRef{}, false }

// env is a condition's environment with no steps.
type env struct{ cur expr.Row }

func (e env) Current() expr.Row         { return e.cur }
func (env) StepLen(int) int             { return 0 }
func (env) StepEvent(int, int) expr.Row { return nil }

func ExampleCompile() {
	at := func(col int) expr.Pos { return expr.Pos{Line: 1, Col: col} }
	// amount > 500 and country != "NL", as the parser builds it.
	cond := &expr.Binary{At: at(14), Op: "and",
		L: &expr.Binary{At: at(8), Op: ">",
			L: &expr.Name{At: at(1), Name: "amount"},
			R: &expr.Lit{At: at(10), Val: expr.IntValue(500)}},
		R: &expr.Binary{At: at(26), Op: "!=",
			L: &expr.Name{At: at(18), Name: "country"},
			R: &expr.Lit{At: at(29), Val: expr.StringValue("NL")}},
	}
	x, errs := expr.CompileCond(cond, scope{})
	if errs != nil {
		fmt.Println(errs)
		return
	}
	fmt.Println(x.Type())
	fmt.Println(x.Cond(env{&txn{amount: 700, country: "DE"}}))
	fmt.Println(x.Cond(env{&txn{amount: 700, country: "NL"}}))
	fmt.Println(x.Eval(env{nil})) // no event: amount is null, so is the condition

	// A type error, at the offending operand.
	_, errs = expr.Compile(&expr.Binary{At: at(8), Op: ">",
		L: &expr.Name{At: at(1), Name: "amount"},
		R: &expr.Lit{At: at(10), Val: expr.StringValue("x")}}, scope{})
	fmt.Println(errs[0])
	_, errs = expr.Compile(&expr.Name{At: at(1), Name: "amout"}, scope{})
	fmt.Println(errs[0])
	// Output:
	// bool
	// true
	// false
	// null
	// 1:10: amount is float; cannot compare with string "x"
	// 1:1: unknown field "amout" (did you mean "amount"?)
}
