package event_test

import (
	"math"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/expr"
)

// Conditions of package expr on real events: *Event is an expr.WordRow, so
// expr reads its slots in place (Words); these tests check that this gives
// what the Row methods give, and the benchmark measures it.

var _ expr.WordRow = (*event.Event)(nil)

// schemaScope resolves the declared fields and extra slots of a schema
// (extra slot i is named "x0", "x1", ...).
type schemaScope struct{ s *event.Schema }

func (sc schemaScope) Field(name string) (expr.FieldRef, bool) {
	i, ok := sc.s.Lookup(name)
	if !ok {
		for j := range sc.s.Extra {
			if name == "x"+string(rune('0'+j)) {
				i, ok = len(sc.s.Fields)+j, true
			}
		}
	}
	if !ok {
		return expr.FieldRef{}, false
	}
	t, _ := expr.ParseType(sc.s.SlotType(i).String())
	return expr.FieldRef{Type: t, Slot: i}, true
}
func (schemaScope) Step(string) (expr.StepRef, bool)     { return expr.StepRef{}, false }
func (schemaScope) Feature(string) (expr.FieldRef, bool) { return expr.FieldRef{}, false }
func (schemaScope) Table(string) (expr.TableRef, bool)   { return expr.TableRef{}, false }
func (schemaScope) Key() (expr.FieldRef, bool)           { return expr.FieldRef{}, false }

// condEnv is an expr.Env with a current row and no steps.
type condEnv struct{ cur expr.Row }

func (e *condEnv) Current() expr.Row           { return e.cur }
func (e *condEnv) StepLen(int) int             { return 0 }
func (e *condEnv) StepEvent(int, int) expr.Row { return nil }

// rowOnly hides Words: expr reads it with a Row method per field.
type rowOnly struct{ expr.Row }

// wideSchema has 90 fields of every type, so that slots span two groups of
// 64, and two extra slots.
func wideSchema(t testing.TB) *event.Schema {
	types := []event.Type{event.String, event.Int, event.Float, event.Bool, event.Time}
	var fields []event.Field
	for i := range 90 {
		fields = append(fields, event.Field{Name: "f" + itoa(i), Type: types[i%len(types)]})
	}
	s, err := event.NewSchema("wide", 0, fields, "", "f4")
	if err != nil {
		t.Fatal(err)
	}
	s.AddExtra(event.Float)
	s.AddExtra(event.String)
	return s
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func TestCondOnEventsAsWords(t *testing.T) {
	s := wideSchema(t)
	r := rand.New(rand.NewPCG(7, 8))
	strs := []string{"", "a", "b", "NL", "DE", "abcdefghij", "abcdefghik"}
	floats := []float64{math.Inf(-1), -1, math.Copysign(0, -1), 0, 0.5, 2, math.NaN()}
	value := func(t event.Type) expr.Value {
		switch t {
		case event.String:
			return expr.StringValue(strs[r.IntN(len(strs))])
		case event.Float:
			return expr.FloatValue(floats[r.IntN(len(floats))])
		case event.Bool:
			return expr.BoolValue(r.IntN(2) == 0)
		case event.Time:
			return expr.TimeValue(r.Int64N(3))
		}
		return expr.IntValue(r.Int64N(3) - 1)
	}
	// leaf is a random leaf condition on slot i.
	leaf := func(i int) expr.Node {
		f := &expr.Name{Name: "f" + itoa(i)}
		if i >= len(s.Fields) {
			f.Name = "x" + itoa(i-len(s.Fields))
		}
		t := s.SlotType(i)
		switch r.IntN(4) {
		case 0:
			return &expr.IsNull{X: f, Not: r.IntN(2) == 0}
		case 1:
			if t == event.String || t == event.Int || t == event.Time {
				list := []expr.Node{&expr.Lit{Val: value(t)}, &expr.Lit{Val: value(t)}}
				if r.IntN(3) == 0 {
					list = append(list, &expr.Lit{})
				}
				return &expr.In{X: f, List: list}
			}
		}
		ops := []string{"==", "!=", "<", "<=", ">", ">="}
		if t == event.Bool {
			ops = ops[:2]
		}
		op := ops[r.IntN(len(ops))]
		return &expr.Binary{Op: op, L: f, R: &expr.Lit{Val: value(t)}}
	}
	slots := s.Slots()
	for range 300 {
		op := []string{"and", "or"}[r.IntN(2)]
		var cond expr.Node = leaf(r.IntN(slots))
		for range r.IntN(6) {
			cond = &expr.Binary{Op: op, L: cond, R: leaf(r.IntN(slots))}
		}
		x, errs := expr.CompileCond(cond, schemaScope{s})
		if errs != nil {
			t.Fatal(errs)
		}
		for range 30 {
			ev := s.NewEvent()
			for i := range slots {
				if r.IntN(3) == 0 {
					continue
				}
				v := value(s.SlotType(i))
				switch s.SlotType(i) {
				case event.String:
					ev.SetStr(i, v.S)
				case event.Float:
					ev.SetFloat(i, v.F)
				case event.Bool:
					ev.SetBool(i, v.I != 0)
				default:
					ev.SetInt(i, v.I)
				}
			}
			got, want := x.Eval(&condEnv{ev}), x.Eval(&condEnv{rowOnly{ev}})
			if got != want {
				t.Fatalf("%v on %s: %v as words, %v through Row", cond, ev.JSON(), got, want)
			}
			if x.Cond(&condEnv{ev}) != x.Cond(&condEnv{rowOnly{ev}}) {
				t.Fatalf("%v on %s: Cond differs", cond, ev.JSON())
			}
		}
	}
}

// BenchmarkCond is expr's 5-term condition on a decoded transaction, read in
// place (words) or through the Row methods (row).
func BenchmarkCond(b *testing.B) {
	s, err := event.NewSchema("txn", 0, []event.Field{
		{Name: "id", Type: event.String}, {Name: "card_id", Type: event.String}, {Name: "amount", Type: event.Float},
		{Name: "country", Type: event.String}, {Name: "merchant", Type: event.String},
		{Name: "is_fraud", Type: event.Bool}, {Name: "ts", Type: event.Time},
	}, "id", "ts")
	if err != nil {
		b.Fatal(err)
	}
	ev := s.NewEvent()
	line := `{"id":"t-000123456","card_id":"c-4921","amount":700.5,"country":"FR","merchant":"m-0193","is_fraud":false,"ts":"2026-11-24T10:15:00.250Z"}`
	if err := event.NewJSONDecoder(s).Decode([]byte(line), ev); err != nil {
		b.Fatal(err)
	}
	// amount > 500 and country != "NL" and merchant in ["m-0001", "m-0193", "m-0777"] and amount < 10000 and card_id is not null
	str := func(v string) expr.Node { return &expr.Lit{Val: expr.StringValue(v)} }
	num := func(v float64) expr.Node { return &expr.Lit{Val: expr.FloatValue(v)} }
	and := func(l, r expr.Node) expr.Node { return &expr.Binary{Op: "and", L: l, R: r} }
	cond := and(and(and(and(
		&expr.Binary{Op: ">", L: &expr.Name{Name: "amount"}, R: num(500)},
		&expr.Binary{Op: "!=", L: &expr.Name{Name: "country"}, R: str("NL")}),
		&expr.In{X: &expr.Name{Name: "merchant"}, List: []expr.Node{str("m-0001"), str("m-0193"), str("m-0777")}}),
		&expr.Binary{Op: "<", L: &expr.Name{Name: "amount"}, R: num(10000)}),
		&expr.IsNull{X: &expr.Name{Name: "card_id"}, Not: true})
	x, errs := expr.CompileCond(cond, schemaScope{s})
	if errs != nil {
		b.Fatal(errs)
	}
	for _, c := range []struct {
		name string
		row  expr.Row
	}{{"words", ev}, {"row", rowOnly{ev}}} {
		b.Run(c.name, func(b *testing.B) {
			env := &condEnv{c.row}
			if !x.Cond(env) {
				b.Fatal("false")
			}
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				if !x.Cond(env) {
					b.Fatal("false")
				}
			}
			b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the CPU time of the process so far: on a shared machine, CPU
// time per op varies less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
