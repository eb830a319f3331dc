package features

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"github.com/kestrelcep/kestrel/expr"
)

// TestDataDriven runs the cases in testdata/*.txt. Commands:
//
//	feature agg=sum arg=float window=tumbling size=10 [every=5] [offset=0]
//	        [lateness=0] [emit] [emit-every=5] [name=f]
//	add            input: one event per line, "key time value" (value
//	               omitted for count(), or null); prints the rejected ones
//	value          input: "key time" per line; prints the values (Value)
//	value-at       the same through ValueAt
//	advance W      prints the records, "key [start,end) value rev N"
//	               (W may be "end", the end of input)
//	keys           prints the number of keys
func TestDataDriven(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		var f *Feature
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "feature":
				spec, err := parseSpec(d)
				if err != nil {
					return err.Error()
				}
				if f, err = New(spec); err != nil {
					return err.Error()
				}
				return "ok"
			case "add":
				var out strings.Builder
				for _, line := range lines(d.Input) {
					key, tm, v := parseEvent(t, f, line)
					if !f.Add(key, tm, v) {
						fmt.Fprintf(&out, "late: %s\n", line)
					}
				}
				if out.Len() == 0 {
					return "ok"
				}
				return out.String()
			case "value", "value-at":
				var out strings.Builder
				for _, line := range lines(d.Input) {
					fields := strings.Fields(line)
					tm, err := strconv.ParseInt(fields[1], 10, 64)
					if err != nil {
						t.Fatal(err)
					}
					v := f.Value(fields[0], tm)
					if d.Cmd == "value-at" {
						v = f.ValueAt(fields[0], tm)
					}
					fmt.Fprintf(&out, "%s %d: %s\n", fields[0], tm, showValue(v))
				}
				return out.String()
			case "advance":
				w := int64(math.MaxInt64)
				if arg := d.CmdArgs[0].Key; arg != "end" {
					var err error
					if w, err = strconv.ParseInt(arg, 10, 64); err != nil {
						t.Fatal(err)
					}
				}
				var out strings.Builder
				f.Advance(w, func(x Window) {
					fmt.Fprintf(&out, "%s [%d,%d) %s rev %d\n", x.Key, x.Start, x.End, showValue(x.Value), x.Revision)
				})
				if out.Len() == 0 {
					return "no records"
				}
				return out.String()
			case "keys":
				return strconv.Itoa(f.Keys())
			}
			t.Fatalf("unknown command %s", d.Cmd)
			return ""
		})
	})
}

func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

var aggByName = map[string]Agg{"count": Count, "count-expr": CountExpr, "sum": Sum, "avg": Avg, "min": Min, "max": Max,
	"stddev": Stddev, "distinct_count": DistinctCount, "first": First, "last": Last}

var kindByName = map[string]WindowKind{"global": Global, "sliding": Sliding, "tumbling": Tumbling, "hopping": Hopping, "session": Session}

func parseSpec(d *datadriven.TestData) (Spec, error) {
	s := Spec{Name: "f"}
	for _, a := range d.CmdArgs {
		val := ""
		if len(a.Vals) > 0 {
			val = a.Vals[0]
		}
		n, _ := strconv.ParseInt(val, 10, 64)
		switch a.Key {
		case "name":
			s.Name = val
		case "agg":
			s.Agg = aggByName[val]
		case "arg":
			s.ArgType, _ = expr.ParseType(val)
			if val == "duration" {
				s.ArgType = expr.Duration
			}
		case "window":
			s.Window = kindByName[val]
		case "size":
			s.Size = n
		case "every":
			s.Every = n
		case "offset":
			s.Offset = n
		case "lateness":
			s.Lateness = n
		case "emit":
			s.Emit = true
		case "emit-every":
			s.Emit, s.EmitEvery = true, n
		default:
			return s, fmt.Errorf("unknown argument %s", a.Key)
		}
	}
	return s, nil
}

func parseEvent(t *testing.T, f *Feature, line string) (string, int64, expr.Value) {
	t.Helper()
	fields := strings.Fields(line)
	tm, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	if len(fields) < 3 || fields[2] == "null" {
		return fields[0], tm, expr.Value{}
	}
	s := fields[2]
	switch f.spec.ArgType {
	case expr.Float:
		g, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return fields[0], tm, expr.FloatValue(g)
	case expr.String:
		return fields[0], tm, expr.StringValue(s)
	case expr.Bool:
		return fields[0], tm, expr.BoolValue(s == "true")
	}
	i, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return fields[0], tm, expr.Value{Type: f.spec.ArgType, I: i}
}

func showValue(v expr.Value) string {
	switch v.Type {
	case expr.Null:
		return "null"
	case expr.Float:
		return strconv.FormatFloat(v.F, 'g', -1, 64)
	case expr.String:
		return strconv.Quote(v.S)
	case expr.Bool:
		return strconv.FormatBool(v.I != 0)
	}
	return strconv.FormatInt(v.I, 10)
}
