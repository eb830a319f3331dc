package engine_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/patterns"
)

// TestEngine runs the data-driven cases in testdata: KRL rule sets and events
// in, every record the engine writes out, in order. The commands:
//
//	rules             the input is a rule set; prints "ok" or its errors
//	events            the input is events, one per line, in arrival order;
//	                  runs them through a new engine and prints every record
//
// An event line is `[stream:] v1 v2 ...`, the values of the stream's fields in
// declaration order (`_` for null; strings bare; times as epoch ms), or
// `[stream:] {json}`. Without a prefix the event belongs to the first stream.
// A record prints as `output rule kind key step=[ids] ... @time [late] {fields}`.
func TestEngine(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		var rs *patterns.RuleSet
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "rules":
				f, errs := patterns.Parse("rules.krl", []byte(d.Input))
				if len(errs) == 0 {
					rs, errs = patterns.Compile([]*patterns.File{f}, patterns.Options{})
				}
				if len(errs) > 0 {
					rs = nil
					return errs.Error() + "\n"
				}
				return "ok\n"
			case "events":
				if rs == nil {
					d.Fatalf(t, "events before a valid rule set")
				}
				return runEvents(t, d, rs)
			}
			d.Fatalf(t, "unknown command %s", d.Cmd)
			return ""
		})
	})
}

// printer is a sink that prints records as the test format says.
type printer struct{ b strings.Builder }

func (p *printer) Alert(output string, r *alerts.Record) error {
	key := "-"
	if len(r.Key) > 0 {
		key = string(r.Key)
	}
	fmt.Fprintf(&p.b, "%s %s %s %s", output, r.Rule, r.Kind, key)
	for _, s := range r.Steps {
		var ids []string
		for _, e := range s.Events {
			ids = append(ids, e.Identity)
		}
		fmt.Fprintf(&p.b, " %s=[%s]", s.Name, strings.Join(ids, " "))
	}
	fmt.Fprintf(&p.b, " @%d", r.Time)
	if r.Late {
		p.b.WriteString(" late")
	}
	if len(r.Fields) > 0 {
		var fs []string
		for _, f := range r.Fields {
			fs = append(fs, f.Name+":"+string(f.Value))
		}
		fmt.Fprintf(&p.b, " {%s}", strings.Join(fs, ", "))
	}
	p.b.WriteByte('\n')
	return nil
}

func (p *printer) Late(l *alerts.Late) error {
	fmt.Fprintf(&p.b, "late %s %s:%d watermark=%s\n", l.Stream, l.Source, l.Position, alerts.AppendTime(nil, l.Watermark))
	return nil
}

func (p *printer) Window(w *alerts.Window) error {
	fmt.Fprintf(&p.b, "windows %s %s [%d,%d) %s rev %d\n", w.Feature, w.Key, w.Start, w.End, w.Value, w.Revision)
	return nil
}

func (p *printer) DeadLetter(d *alerts.DeadLetter) error {
	fmt.Fprintf(&p.b, "deadletter %s %s:%d %s\n", d.Stream, d.Source, d.Position, d.Reason)
	return nil
}

func runEvents(t *testing.T, d *datadriven.TestData, rs *patterns.RuleSet) string {
	var out printer
	e, err := engine.New(rs, engine.Options{Sink: &out})
	if err != nil {
		t.Fatal(err)
	}
	parts := make([]int, len(rs.Streams))
	for i := range rs.Streams {
		parts[i] = e.AddPartition(i)
	}
	for _, in := range parseEvents(t, d, rs) {
		if in.dead != nil {
			e.DeadLetter(in.dead)
			continue
		}
		if err := e.Push(parts[in.stream], in.ev); err != nil {
			d.Fatalf(t, "push: %v", err)
		}
	}
	if err := e.Close(); err != nil {
		d.Fatalf(t, "close: %v", err)
	}
	return out.b.String()
}

// input is one line of an events directive: a decoded event of a stream or
// the dead letter of a line that did not decode.
type input struct {
	stream int
	ev     *event.Event
	dead   *alerts.DeadLetter
}

func parseEvents(t *testing.T, d *datadriven.TestData, rs *patterns.RuleSet) []input {
	decoders := make([]*event.JSONDecoder, len(rs.Streams))
	for i, s := range rs.Streams {
		decoders[i] = event.NewJSONDecoder(s.Schema)
	}
	var ins []input
	for n, line := range strings.Split(d.Input, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		st := rs.Streams[0]
		if name, rest, ok := strings.Cut(line, ":"); ok && rs.Stream(strings.TrimSpace(name)) != nil && !strings.HasPrefix(line, "{") {
			st, line = rs.Stream(strings.TrimSpace(name)), strings.TrimSpace(rest)
		}
		js := line
		if !strings.HasPrefix(line, "{") {
			js = shorthand(t, d, st, line)
		}
		ev := st.Schema.NewEvent()
		if err := decoders[st.Index].Decode([]byte(js), ev); err != nil {
			ins = append(ins, input{stream: st.Index, dead: &alerts.DeadLetter{Stream: st.Name, Source: "input", Position: int64(n + 1), Reason: err.Error(), Raw: []byte(js)}})
			continue
		}
		ev.Pos = event.Position{Source: "input", Offset: int64(n + 1)}
		ins = append(ins, input{stream: st.Index, ev: ev})
	}
	return ins
}

// shorthand turns `v1 v2 ...` into a JSON object of st's fields.
func shorthand(t *testing.T, d *datadriven.TestData, st *patterns.Stream, line string) string {
	vals := strings.Fields(line)
	if len(vals) != len(st.Fields) {
		d.Fatalf(t, "%q: stream %s has %d fields, the line has %d values", line, st.Name, len(st.Fields), len(vals))
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(st.Fields[i]))
		b.WriteByte(':')
		switch {
		case v == "_":
			b.WriteString("null")
		case st.Types[i].String() == "string":
			b.WriteString(strconv.Quote(v))
		default:
			b.WriteString(v)
		}
	}
	b.WriteByte('}')
	return b.String()
}
