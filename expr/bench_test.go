package expr

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time used by the process so far. Benchmarks report it
// per op (cpu-ns/op) besides the wall time: on a machine shared with other
// work, wall time per op varies threefold while CPU time per op holds.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs f in b.Loop and reports evals/s and cpu-ns/op.
func loop(b *testing.B, f func()) {
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		f()
	}
	cpu := cpuTime() - start
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "evals/s")
}

// benchRow is a Row that is not a WordRow: unboxed columns by slot and a
// null bitmap, read by a method call per field.
type benchRow struct {
	nulls  uint64
	ints   []int64
	floats []float64
	strs   []string
}

func (r *benchRow) Stream() int { return 0 }
func (r *benchRow) Int(s int) (int64, bool) {
	return r.ints[s], r.nulls&(1<<s) == 0
}
func (r *benchRow) Float(s int) (float64, bool) {
	return r.floats[s], r.nulls&(1<<s) == 0
}
func (r *benchRow) Str(s int) (string, bool) {
	return r.strs[s], r.nulls&(1<<s) == 0
}
func (r *benchRow) Bool(s int) (bool, bool) {
	return r.ints[s] != 0, r.nulls&(1<<s) == 0
}

func newBenchRow(vals map[string]Value) *benchRow {
	r := &benchRow{ints: make([]int64, len(schema)), floats: make([]float64, len(schema)), strs: make([]string, len(schema))}
	for i := range schema {
		r.nulls |= 1 << i
	}
	for k, v := range vals {
		s := slotNamed(k)
		r.nulls &^= 1 << s
		r.ints[s], r.floats[s], r.strs[s] = v.I, v.F, v.S
	}
	return r
}

// benchEnv is an Env with the current row and fixed steps.
type benchEnv struct {
	cur   Row
	steps [][]Row
}

func (e *benchEnv) Current() Row              { return e.cur }
func (e *benchEnv) StepLen(step int) int      { return len(e.steps[step]) }
func (e *benchEnv) StepEvent(step, i int) Row { return e.steps[step][i] }

// BenchmarkCond evaluates conditions on rows in the event's layout, read
// as *event.Event is (a WordRow); BenchmarkRowOnly on rows that only
// implement Row. event's BenchmarkCond runs the first on real events.
func BenchmarkCond(b *testing.B) {
	benchConds(b, func(vals map[string]Value) Row { return words(mkRow(vals)) })
}

func BenchmarkRowOnly(b *testing.B) {
	benchConds(b, func(vals map[string]Value) Row { return newBenchRow(vals) })
}

func benchConds(b *testing.B, newRow func(map[string]Value) Row) {
	txn := map[string]Value{
		"amount": FloatValue(700), "country": StringValue("DE"), "merchant": StringValue("b"),
		"card_id": StringValue("c-1"), "ts": TimeValue(tue1015),
	}
	var small []Row
	for i := range 5 {
		small = append(small, newRow(map[string]Value{"amount": FloatValue(float64(i) + 0.5), "country": StringValue("NL")}))
	}
	e := &benchEnv{cur: newRow(txn), steps: [][]Row{{small[0]}, small}}
	for _, c := range []struct {
		name, src string
	}{
		{"5terms", `amount > 500 and country != "NL" and merchant in ["a", "b", "c"] and amount < 10000 and card_id is not null`},
		{"sum5", `sum(s.amount) < 20 and count(s) >= 3`},
		{"steps", `amount > 500 and country != last(s).country and ts - p.ts < 10m`},
		{"arith", `amount * 2 + abs(amount - 100) / 3 > 1000`},
		{"table", `risk_by_merchant[merchant].score > 0.5`},
	} {
		b.Run(c.name, func(b *testing.B) {
			x, errs := CompileCond(parse(b, c.src), testScope())
			if errs != nil {
				b.Fatal(errs)
			}
			want := x.Cond(e)
			loop(b, func() {
				if x.Cond(e) != want {
					b.Fatal("changed")
				}
			})
		})
	}
}

// BenchmarkBaseline is the 5-term condition written by hand in Go over the
// Row methods of the rows of BenchmarkCond, for scale on a busy machine.
func BenchmarkBaseline(b *testing.B) {
	e := &benchEnv{cur: words(mkRow(map[string]Value{
		"amount": FloatValue(700), "country": StringValue("DE"), "merchant": StringValue("b"), "card_id": StringValue("c-1"),
	}))}
	var env Env = e
	cond := func(env Env) bool {
		r := env.Current()
		a, ok := r.Float(0)
		if !ok || a <= 500 {
			return false
		}
		c, ok := r.Str(1)
		if !ok || c == "NL" {
			return false
		}
		m, ok := r.Str(2)
		if !ok || (m != "a" && m != "b" && m != "c") {
			return false
		}
		a, ok = r.Float(0)
		if !ok || a >= 10000 {
			return false
		}
		_, ok = r.Str(3)
		return ok
	}
	loop(b, func() {
		if !cond(env) {
			b.Fatal("false")
		}
	})
}
