package tables_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/tables"
)

// `table merchant_risk (merchant string, score float, category string) key merchant`,
// loaded from a CSV file as `kestrel replay --tables merchant_risk=FILE` does.
func ExampleTable_LoadFile() {
	dir, _ := os.MkdirTemp("", "tables")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "merchants.csv")
	os.WriteFile(path, []byte("merchant,score,category,owner\nm-42,0.93,gambling,x\nm-7,0.05,,y\n"), 0o644)

	t, err := tables.New(tables.Schema{
		Name:   "merchant_risk",
		Fields: []string{"merchant", "score", "category"},
		Types:  []expr.Type{expr.String, expr.Float, expr.String},
		Keys:   []int{0},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := t.LoadFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.Rows, "rows")

	row := t.Lookup([]expr.Value{expr.StringValue("m-42")})
	score, _ := row.Float(1)
	category, _ := row.Str(2)
	fmt.Println(score, category)
	_, ok := t.Lookup([]expr.Value{expr.StringValue("m-7")}).Str(2)
	fmt.Println("m-7 has a category:", ok)
	fmt.Println(t.Lookup([]expr.Value{expr.StringValue("m-1")}) == nil)

	// A bad file fails the load, names every bad row, and leaves the table as it was.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("merchant,score\nm-1,high\n,0.5\n"), 0o644)
	_, err = t.LoadFile(bad)
	fmt.Println(err != nil, t.Len())
	// Output:
	// 2 rows
	// 0.93 gambling
	// m-7 has a category: false
	// true
	// true 2
}

// scope sees the current event's merchant field (slot 0) and the table.
type scope struct{ t *tables.Table }

func (s scope) Field(name string) (expr.FieldRef, bool) {
	return expr.FieldRef{Type: expr.String, Slot: 0}, name == "merchant"
}
func (scope) Step(string) (expr.StepRef, bool)     { return expr.StepRef{}, false }
func (scope) Feature(string) (expr.FieldRef, bool) { return expr.FieldRef{}, false }
func (scope) Key() (expr.FieldRef, bool)           { return expr.FieldRef{}, false }

// Table is the TableRef that patterns builds for a declared table whose Rows
// is bound to a *tables.Table.
func (s scope) Table(name string) (expr.TableRef, bool) {
	if name != s.t.Name() {
		return expr.TableRef{}, false
	}
	sch := s.t.Schema()
	keys := make([]expr.Type, len(sch.Keys))
	for i, k := range sch.Keys {
		keys[i] = sch.Types[k]
	}
	return expr.TableRef{
		Keys: keys,
		Field: func(name string) (expr.FieldRef, bool) {
			for i, f := range sch.Fields {
				if f == name {
					return expr.FieldRef{Type: sch.Types[i], Slot: i}, true
				}
			}
			return expr.FieldRef{}, false
		},
		Lookup: s.t.Lookup,
	}, true
}

type txn struct{ merchant string }

func (e txn) Stream() int                 { return 0 }
func (e txn) Int(int) (int64, bool)       { return 0, false }
func (e txn) Float(int) (float64, bool)   { return 0, false }
func (e txn) Str(slot int) (string, bool) { return e.merchant, slot == 0 }
func (e txn) Bool(int) (bool, bool)       { return false, false }

type env struct{ cur expr.Row }

func (e env) Current() expr.Row         { return e.cur }
func (env) StepLen(int) int             { return 0 }
func (env) StepEvent(int, int) expr.Row { return nil }

// The table as a rule's expression reads it: merchant_risk[merchant].score.
func Example_expression() {
	t, _ := tables.New(tables.Schema{
		Name:   "merchant_risk",
		Fields: []string{"merchant", "score", "category"},
		Types:  []expr.Type{expr.String, expr.Float, expr.String},
		Keys:   []int{0},
	})
	row, _ := t.NewRow(expr.StringValue("m-42"), expr.FloatValue(0.93), expr.StringValue("gambling"))
	t.Set(row)

	// merchant_risk[merchant].score, as the parser builds it.
	score := &expr.Selector{Field: "score", X: &expr.Index{
		X:    &expr.Name{Name: "merchant_risk"},
		Keys: []expr.Node{&expr.Name{Name: "merchant"}},
	}}
	x, errs := expr.Compile(score, scope{t})
	if errs != nil {
		fmt.Println(errs)
		return
	}
	fmt.Println(x.Float(env{txn{"m-42"}}))
	fmt.Println(x.Float(env{txn{"m-1"}})) // no row: null
	// Output:
	// 0.93 true
	// 0 false
}
