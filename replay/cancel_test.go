package replay

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestCancel: a cancelled context stops the replay within a few thousand
// events, with the context's error.
func TestCancel(t *testing.T) {
	rs := compile(t, seq)
	var b strings.Builder
	for i := range 3 * progressEvery {
		fmt.Fprintf(&b, `{"id":"%d","ts":%d}`+"\n", i, i)
	}
	path := write(t, "e.jsonl", b.String())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stats, err := Run(rs, []Input{{Path: path}}, Options{Sink: &collector{}, Context: ctx})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if stats.Events > progressEvery {
		t.Errorf("%d events after the cancel, want at most %d", stats.Events, progressEvery)
	}
}
