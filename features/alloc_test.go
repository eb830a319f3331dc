package features

import (
	"fmt"
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

// TestNoAllocs: once keys and windows are warm, the per-event path (Add,
// then Value as of the event, and Advance now and then, emitting) does not
// allocate, for every window kind over numeric values.
func TestNoAllocs(t *testing.T) {
	kinds := []Spec{
		{Window: Sliding, Size: 1000, Lateness: 50},
		{Window: Sliding, Size: 1000, Offset: 300, Lateness: 50, Emit: true, EmitEvery: 250},
		{Window: Tumbling, Size: 1000, Lateness: 50, Emit: true},
		{Window: Hopping, Size: 1000, Every: 250, Lateness: 50, Emit: true},
		{Window: Session, Size: 300, Lateness: 50, Emit: true},
		{Window: Global, Lateness: 50},
	}
	aggs := []struct {
		agg Agg
		arg expr.Type
	}{{Count, expr.Null}, {Sum, expr.Int}, {Sum, expr.Float}, {Avg, expr.Float}, {Min, expr.Int}, {Max, expr.Float},
		{Stddev, expr.Float}, {First, expr.Float}, {Last, expr.Int}, {CountExpr, expr.Float}, {DistinctCount, expr.Int}}
	for _, k := range kinds {
		for _, a := range aggs {
			spec := k
			spec.Agg, spec.ArgType = a.agg, a.arg
			t.Run(fmt.Sprintf("%s/%s(%s)/emit=%v", k.Window, a.agg, a.arg, k.Emit), func(t *testing.T) {
				f := mustNew(t, spec)
				keys := []string{"card-1", "card-2", "card-3", "card-4", "card-5"}
				ts, i := int64(0), 0
				records := 0
				emit := func(Window) { records++ }
				step := func() {
					key := keys[i%len(keys)]
					i++
					ts += 7 + int64(i%5)*40 // sessions break now and then
					v := expr.Value{Type: a.arg, I: int64(i % 13)}
					if a.arg == expr.Float {
						v = expr.FloatValue(float64(i%13) * 1.5)
					}
					f.Add(key, ts, v)
					f.Value(key, ts)
					if i%16 == 0 {
						f.Advance(ts, emit)
					}
				}
				for range 20_000 {
					step()
				}
				if n := testing.AllocsPerRun(2000, step); n != 0 {
					t.Errorf("%v allocations per event", n)
				}
				if spec.Emit && records == 0 {
					t.Errorf("no records emitted")
				}
			})
		}
	}
}
