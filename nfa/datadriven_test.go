package nfa

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

func init() { checkLeaks = true }

// TestDataDriven runs testdata/*.txt. Commands:
//
//	compile [within=N] [skip=S]   pattern → "ok: steps" or the errors
//	run [within=N] [gap] [skip=S] [timeouts] [max=N]
//	    pattern
//	    events: ...              (may repeat; see harness_test.go)
//	    flink: {a b} {c d}       optional: the matches Flink's test expects,
//	                             as unordered sets of event labels
//	    flink-timeouts: {...}    optional: the same for timed-out matches
//
// run prints every match in release order, "dropped N" when MaxPartials
// dropped partial matches, and at the end "empty" when the key holds nothing,
// or else how many partial and held matches and stored events it has.
func TestDataDriven(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			return runCommand(t, d, nil)
		})
	})
}

func patternArgs(t *testing.T, d *datadriven.TestData, src string) Pattern {
	t.Helper()
	elems, err := parsePattern(src)
	if err != nil {
		d.Fatalf(t, "pattern: %v", err)
	}
	p := Pattern{Elements: elems, Skip: NoSkip}
	for _, a := range d.CmdArgs {
		val := ""
		if len(a.Vals) > 0 {
			val = a.Vals[0]
		}
		switch a.Key {
		case "within":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				d.Fatalf(t, "within: %v", err)
			}
			p.Within = n
		case "gap":
			p.WithinGap = true
		case "timeouts":
			p.Timeouts = true
		case "max":
			n, _ := strconv.Atoi(val)
			p.MaxPartials = n
		case "skip":
			switch val {
			case "no_skip":
				p.Skip = NoSkip
			case "to_next":
				p.Skip = SkipToNext
			case "past_last":
				p.Skip = SkipPastLast
			case "to_first":
				p.Skip, p.SkipTo = SkipToFirst, a.Vals[1]
			case "to_last":
				p.Skip, p.SkipTo = SkipToLast, a.Vals[1]
			default:
				d.Fatalf(t, "unknown skip %q", val)
			}
		default:
			d.Fatalf(t, "unknown argument %q", a.Key)
		}
	}
	return p
}

// runCommand runs one command; snapshot, when set, replaces the state
// before each step of a run (see runner.snapshot).
func runCommand(t *testing.T, d *datadriven.TestData, snapshot func(*State) *State) string {
	var pat, events, flink, flinkTO strings.Builder
	hasFlink, hasFlinkTO := false, false
	cur := &pat
	for _, line := range strings.Split(d.Input, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "events:"):
			cur = &events
			line = strings.TrimPrefix(trimmed, "events:")
		case strings.HasPrefix(trimmed, "flink-timeouts:"):
			cur, hasFlinkTO = &flinkTO, true
			line = strings.TrimPrefix(trimmed, "flink-timeouts:")
		case strings.HasPrefix(trimmed, "flink:"):
			cur, hasFlink = &flink, true
			line = strings.TrimPrefix(trimmed, "flink:")
		}
		cur.WriteString(line)
		cur.WriteString("\n")
	}
	p := patternArgs(t, d, pat.String())
	switch d.Cmd {
	case "compile":
		prog, err := Compile(p)
		if err != nil {
			return "error: " + strings.ReplaceAll(err.Error(), "\n", "\nerror: ") + "\n"
		}
		return "ok: " + strings.Join(prog.Steps(), " ") + "\n"
	case "run":
		prog, err := Compile(p)
		if err != nil {
			d.Fatalf(t, "compile: %v", err)
		}
		items, err := parseEvents(events.String())
		if err != nil {
			d.Fatalf(t, "events: %v", err)
		}
		r := newRunner(prog)
		r.snapshot = snapshot
		r.feed(items)
		var b strings.Builder
		var got, gotTO []string
		for _, m := range r.res {
			b.WriteString(formatMatch(prog.steps, m))
			b.WriteString("\n")
			if m.Timeout {
				ls := labelSet(m)
				gotTO = append(gotTO, "{@"+fmtTime(m.Time)+" "+ls[1:])
			} else {
				got = append(got, labelSet(m))
			}
		}
		if r.drop > 0 {
			fmt.Fprintf(&b, "dropped %d\n", r.drop)
		}
		if r.st.Empty() {
			b.WriteString("empty\n")
		} else {
			m := r.st.m
			fmt.Fprintf(&b, "partials=%d held=%d events=%d\n", len(m.runs), len(m.held), m.liveEvs)
		}
		if hasFlink {
			checkSets(t, d, "matches", got, parseSets(flink.String()))
		}
		if hasFlinkTO {
			checkSets(t, d, "timeouts", gotTO, parseSets(flinkTO.String()))
		}
		return b.String()
	}
	d.Fatalf(t, "unknown command %q", d.Cmd)
	return ""
}

func checkSets(t *testing.T, d *datadriven.TestData, what string, got, want []string) {
	t.Helper()
	g := slices.Sorted(slices.Values(got))
	if strings.Join(g, " ") != strings.Join(want, " ") {
		t.Errorf("%s: %s differ from Flink's expectation\n got: %s\nwant: %s", d.Pos, what, strings.Join(g, " "), strings.Join(want, " "))
	}
}
