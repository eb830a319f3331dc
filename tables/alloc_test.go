//go:build !race

package tables

import (
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

// Lookups allocate nothing, hit or miss, for every kind of key.
func TestLookupDoesNotAllocate(t *testing.T) {
	single := merchantRisk(t)
	single.Set(mustRow(t, single, str("m1"), flt(1), null))
	comp := cards(t)
	comp.Set(mustRow(t, comp, num(1), str("DE"), null, null, null, null))
	fl := mustNew(t, Schema{Name: "f", Fields: []string{"k"}, Types: []expr.Type{expr.Float}, Keys: []int{0}})
	fl.Set(mustRow(t, fl, flt(2.5)))
	tests := []struct {
		name string
		tab  *Table
		key  []expr.Value
	}{
		{"string hit", single, []expr.Value{str("m1")}},
		{"string miss", single, []expr.Value{str("m2")}},
		{"composite hit", comp, []expr.Value{num(1), str("DE")}},
		{"composite miss", comp, []expr.Value{num(2), str("DE")}},
		{"float widened", fl, []expr.Value{num(2)}},
		{"null", comp, []expr.Value{null, str("DE")}},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(1000, func() { tt.tab.Lookup(tt.key) }); n != 0 {
			t.Errorf("%s: %v allocations per lookup", tt.name, n)
		}
	}
}
