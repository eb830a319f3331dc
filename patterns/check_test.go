package patterns

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

// TestCheck runs the data-driven cases in testdata/check: each `check` block
// is a rule set (one file named input.krl); its expected output is every error
// and warning, or a summary of what compiled.
func TestCheck(t *testing.T) {
	datadriven.Walk(t, "testdata/check", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			if d.Cmd != "check" {
				t.Fatalf("unknown command %s", d.Cmd)
			}
			return checkOutput(d.Input)
		})
	})
}

func checkOutput(src string) string {
	f, errs := Parse("input.krl", []byte(src))
	if len(errs) > 0 {
		return errs.Error() + "\n"
	}
	rs, errs := Compile([]*File{f}, Options{})
	if len(errs) > 0 {
		return errs.Error() + "\n"
	}
	var b strings.Builder
	for _, w := range rs.Warnings {
		fmt.Fprintln(&b, w)
	}
	fmt.Fprintf(&b, "ok: %d streams, %d tables, %d features, %d rules\n", len(rs.Streams), len(rs.Tables), len(rs.Features), len(rs.Rules))
	for _, r := range rs.Rules {
		fmt.Fprintf(&b, "rule %s: steps %s, output %s, severity %s\n", r.Name, strings.Join(r.Steps, " "), r.Output, r.Severity)
	}
	return b.String()
}
