package alerts

import (
	"context"
	"slices"
	"testing"
)

// TestRouterAllOutputs: a route with AllOutputs gets every record, of the
// outputs other routes name and of those no route names, in order.
func TestRouterAllOutputs(t *testing.T) {
	ctx := context.Background()
	var all, named recorder
	r, err := NewRouter([]Route{
		{Name: "all", AllOutputs: true, Outputs: []string{"ignored"}, Sink: SinkFunc(all.write)},
		{Name: "named", Outputs: []string{"alerts"}, Sink: SinkFunc(named.write)},
	}, RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	msgs := lines("alerts", 0, 2)
	msgs = append(msgs, lines("to_review", 2, 3)...) // a rule's `to NAME` output
	msgs = append(msgs, lines("late", 3, 4)...)
	if err := r.Write(ctx, msgs); err != nil {
		t.Fatal(err)
	}
	if err := r.Write(ctx, lines("suspicious", 4, 5)); err != nil { // one output, no route names it
		t.Fatal(err)
	}
	if err := r.Write(ctx, lines("alerts", 5, 6)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := all.ids(), idRange(0, 6); !slices.Equal(got, want) {
		t.Errorf("every output's sink got %v, want %v", got, want)
	}
	if got, want := named.ids(), []string{"id0", "id1", "id5"}; !slices.Equal(got, want) {
		t.Errorf("alerts' sink got %v, want %v", got, want)
	}
}
