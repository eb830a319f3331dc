package expr

import (
	"sync"
	"testing"
)

func amountRow(a float64, n int64, country string) Row {
	return mkRow(map[string]Value{"amount": FloatValue(a), "n": IntValue(n), "country": StringValue(country), "ts": TimeValue(tue1015)})
}

func TestNames(t *testing.T) {
	cur := mkRow(map[string]Value{
		"amount": FloatValue(700), "country": StringValue("NL"), "card_id": StringValue("c1"),
		"merchant": StringValue("m1"), "risk": FloatValue(0.5), "ts": TimeValue(tue1015 + minute),
	})
	small := []Row{
		amountRow(1, 1, "DE"),
		mkRow(map[string]Value{"country": StringValue("AT")}), // null amount and n
		amountRow(1.5, 5, "BE"),
		amountRow(0.5, -2, "FR"),
	}
	full := &env{cur: cur, steps: [][]Row{{amountRow(9, 9, "US")}, small}}
	empty := &env{cur: cur, steps: [][]Row{nil, nil}}
	noCur := &env{steps: [][]Row{nil, nil}}

	for _, c := range []struct {
		n    Node
		e    *env
		want Value
	}{
		{name("amount"), full, FloatValue(700)},
		{sel(name("this"), "amount"), full, FloatValue(700)},
		{name("amount"), noCur, vN}, // no current event: fields are null
		{name("key"), full, StringValue("c1")},
		{name("risk"), full, FloatValue(0.5)}, // a feature
		{sel(name("p"), "amount"), full, FloatValue(9)},
		{sel(name("p"), "amount"), empty, vN},
		{bin("-", name("ts"), sel(name("p"), "ts")), full, DurationValue(minute)},
		{call("count", name("s")), full, IntValue(4)},
		{call("count", name("s")), empty, IntValue(0)},
		{call("count", name("p")), full, IntValue(1)},
		{call("count", name("p")), empty, IntValue(0)},
		{call("sum", sel(name("s"), "amount")), full, FloatValue(3)},
		{call("sum", sel(name("s"), "n")), full, IntValue(4)},
		{call("sum", sel(name("s"), "n")), empty, IntValue(0)},
		{call("sum", sel(name("s"), "amount")), empty, FloatValue(0)},
		{call("sum", sel(name("s"), "d")), full, DurationValue(0)},
		{call("avg", sel(name("s"), "amount")), full, FloatValue(1)},
		{call("avg", sel(name("s"), "n")), full, FloatValue(4.0 / 3)},
		{call("avg", sel(name("s"), "n")), empty, vN},
		{call("avg", sel(name("s"), "f")), full, vN}, // all null
		{call("min", sel(name("s"), "amount")), full, FloatValue(0.5)},
		{call("max", sel(name("s"), "amount")), full, FloatValue(1.5)},
		{call("min", sel(name("s"), "n")), full, IntValue(-2)},
		{call("max", sel(name("s"), "n")), full, IntValue(5)},
		{call("min", sel(name("s"), "country")), full, StringValue("AT")},
		{call("max", sel(name("s"), "country")), full, StringValue("FR")},
		{call("max", sel(name("s"), "ts")), full, TimeValue(tue1015)},
		{call("min", sel(name("s"), "amount")), empty, vN},
		{call("sum", sel(name("p"), "amount")), full, FloatValue(9)},
		{sel(call("first", name("s")), "country"), full, StringValue("DE")},
		{sel(call("last", name("s")), "country"), full, StringValue("FR")},
		{sel(call("last", name("s")), "amount"), full, FloatValue(0.5)},
		{sel(call("first", name("s")), "amount"), empty, vN},
		{sel(call("first", name("p")), "n"), full, IntValue(9)},
		{bin("!=", name("country"), sel(call("last", name("s")), "country")), full, vT},
		{bin("+", call("sum", sel(name("s"), "amount")), name("amount")), full, FloatValue(703)},
		// tables
		{sel(index(name("risk_by_merchant"), name("merchant")), "score"), full, FloatValue(0.9)},
		{sel(index(name("risk_by_merchant"), litS("m1")), "category"), full, StringValue("gambling")},
		{sel(index(name("risk_by_merchant"), litS("m2")), "category"), full, vN},           // null column
		{sel(index(name("risk_by_merchant"), litS("zz")), "score"), full, vN},              // no row
		{sel(index(name("risk_by_merchant"), name("note")), "score"), full, vN},            // null key
		{sel(index(name("risk_by_merchant"), litNull()), "score"), full, vN},               // null key
		{sel(index(name("pair"), name("country"), litI(2)), "limit"), full, IntValue(100)}, // int widened to the float key
		{sel(index(name("pair"), name("country"), litF(2)), "limit"), full, IntValue(100)},
		{sel(index(name("pair"), litS("DE"), litF(2)), "limit"), full, vN},
	} {
		t.Run(format(c.n), func(t *testing.T) {
			x, errs := Compile(c.n, testScope())
			if errs != nil {
				t.Fatal(errs)
			}
			if got := x.Eval(c.e); !sameValue(got, c.want) {
				t.Errorf("got %s, want %s", show(got), show(c.want))
			}
		})
	}
}

// A field of a step over `any` has a slot per stream; -1 where a stream lacks it.
func TestByStream(t *testing.T) {
	sc := &scope{steps: map[string]StepRef{"a": {Index: 0, Field: func(name string) (FieldRef, bool) {
		return FieldRef{Type: Int, ByStream: []int{1, -1, 0}}, name == "v"
	}}}}
	x, errs := Compile(bin("+", sel(name("a"), "v"), litI(1)), sc)
	if errs != nil {
		t.Fatal(errs)
	}
	for _, c := range []struct {
		r    *row
		want Value
	}{
		{&row{stream: 0, vals: []Value{IntValue(10), IntValue(20)}}, IntValue(21)},
		{&row{stream: 1, vals: []Value{IntValue(10), IntValue(20)}}, vN},
		{&row{stream: 2, vals: []Value{IntValue(10), IntValue(20)}}, IntValue(11)},
		{&row{stream: 3, vals: []Value{IntValue(10), IntValue(20)}}, vN}, // out of range
	} {
		if got := x.Eval(&env{steps: [][]Row{{c.r}}}); !sameValue(got, c.want) {
			t.Errorf("stream %d: got %s, want %s", c.r.stream, show(got), show(c.want))
		}
	}
	// The same through the fused current-field paths.
	cur := &curScope{ref: FieldRef{Type: Int, ByStream: []int{1, -1, 0}}}
	for _, c := range []struct {
		n    Node
		r    *row
		want Value
	}{
		{bin(">", name("v"), litI(15)), &row{stream: 0, vals: []Value{IntValue(10), IntValue(20)}}, vT},
		{bin(">", name("v"), litI(15)), &row{stream: 1, vals: []Value{IntValue(10), IntValue(20)}}, vN},
		{bin(">", name("v"), litI(15)), &row{stream: 2, vals: []Value{IntValue(10), IntValue(20)}}, vF},
		{isnull(name("v"), false), &row{stream: 1, vals: []Value{IntValue(10)}}, vT},
		{isnull(name("v"), false), &row{stream: 2, vals: []Value{IntValue(10)}}, vF},
	} {
		x, errs := Compile(c.n, cur)
		if errs != nil {
			t.Fatal(errs)
		}
		if got := x.Eval(&env{cur: c.r}); !sameValue(got, c.want) {
			t.Errorf("%s on stream %d: got %s, want %s", format(c.n), c.r.stream, show(got), show(c.want))
		}
	}
}

type curScope struct {
	noScope
	ref FieldRef
}

func (s *curScope) Field(name string) (FieldRef, bool) { return s.ref, name == "v" }

// Name resolution order: a field, then key, then a feature; this.f is always
// a field.
func TestNameOrder(t *testing.T) {
	sc := &orderScope{}
	r := &row{vals: []Value{StringValue("field"), StringValue("key"), StringValue("feature")}}
	for _, c := range []struct {
		n      Node
		fields []string
		want   string
	}{
		{name("key"), []string{"key"}, "field"},
		{name("key"), nil, "key"},
		{sel(name("this"), "key"), []string{"key"}, "field"},
		{name("x"), []string{"x"}, "field"},
		{name("x"), nil, "feature"},
	} {
		sc.fields = c.fields
		x, errs := Compile(c.n, sc)
		if errs != nil {
			t.Fatal(errs)
		}
		if got, _ := x.Str(&env{cur: r}); got != c.want {
			t.Errorf("%s with fields %v: got %q, want %q", format(c.n), c.fields, got, c.want)
		}
	}
}

type orderScope struct {
	noScope
	fields []string
}

func (s *orderScope) Field(name string) (FieldRef, bool) {
	for _, f := range s.fields {
		if f == name {
			return FieldRef{Type: String, Slot: 0}, true
		}
	}
	return FieldRef{}, false
}
func (s *orderScope) Key() (FieldRef, bool)           { return FieldRef{Type: String, Slot: 1}, true }
func (s *orderScope) Feature(string) (FieldRef, bool) { return FieldRef{Type: String, Slot: 2}, true }

// One Expr evaluated from several goroutines, table lookups included (run
// with -race).
func TestConcurrentEval(t *testing.T) {
	n := bin("and",
		bin(">", sel(index(name("risk_by_merchant"), name("merchant")), "score"), litF(0.5)),
		bin("==", sel(index(name("pair"), name("country"), litI(2)), "limit"), litI(100)))
	x, errs := CompileCond(n, testScope())
	if errs != nil {
		t.Fatal(errs)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			m := "m1"
			if g%2 == 1 {
				m = "m2"
			}
			e := &env{cur: mkRow(map[string]Value{"merchant": StringValue(m), "country": StringValue("NL")})}
			for range 2000 {
				if got := x.Cond(e); got != (m == "m1") {
					t.Errorf("merchant %s: %v", m, got)
					return
				}
			}
		})
	}
	wg.Wait()
}
