package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/patterns"
)

// TestFile is a rule unit test file (YAML), in the spirit of `promtool test
// rules`: rule files, then test cases of input events and the alerts they must
// produce. See docs/testing.md.
type TestFile struct {
	Rules  []string          `yaml:"rules"`
	Tables map[string]string `yaml:"tables"` // table name → CSV or JSONL file, relative to the test file
	Tests  []TestCase        `yaml:"tests"`
}

// TestCase is one test: events per stream, and every alert expected.
type TestCase struct {
	Name string `yaml:"name"`
	// Events maps a stream to its events: a list of objects, or the path of a
	// JSONL file relative to the test file.
	Events map[string]yaml.Node `yaml:"events"`
	// Alerts are exactly the records expected on the alerts, `to NAME` and
	// timeouts outputs, in any order.
	Alerts []ExpectedAlert `yaml:"alerts"`
	// Late and Deadletter, when set, are the number of records expected there.
	Late       *int `yaml:"late"`
	Deadletter *int `yaml:"deadletter"`
}

// ExpectedAlert is an alert a test expects.
type ExpectedAlert struct {
	Rule   string              `yaml:"rule"`
	Kind   string              `yaml:"kind"`   // match (default) or timeout
	Output string              `yaml:"output"` // alerts, timeouts or a `to NAME`; not compared when empty
	Key    any                 `yaml:"key"`    // the key's value; a list for a composite key
	Events map[string][]string `yaml:"events"` // step → event ids (the id field, else source:line)
	Fields map[string]any      `yaml:"fields"` // compared when given: these fields, exactly
	Late   *bool               `yaml:"late"`
}

// TestResult is the outcome of one test case.
type TestResult struct {
	File, Name string
	Problems   []string // empty: passed
}

// RunTestFile runs every test of a test file.
func RunTestFile(path string) ([]TestResult, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInput, err)
	}
	var tf TestFile
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&tf); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInput, path, err)
	}
	if len(tf.Rules) == 0 {
		return nil, fmt.Errorf("%w: %s: no rules: list the rule files under `rules:`", ErrInput, path)
	}
	dir := filepath.Dir(path)
	var rulePaths []string
	for _, r := range tf.Rules {
		rulePaths = append(rulePaths, relativeTo(dir, r))
	}
	rs, err := patterns.Load(rulePaths, patterns.Options{})
	if err != nil {
		return nil, err
	}
	var specs []string
	for name, file := range tf.Tables {
		specs = append(specs, name+"="+relativeTo(dir, file))
	}
	sort.Strings(specs)
	if _, err := BindTables(rs, specs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var results []TestResult
	for i, tc := range tf.Tests {
		name := tc.Name
		if name == "" {
			name = fmt.Sprintf("test %d", i+1)
		}
		problems, err := runCase(rs, dir, tc)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, name, err)
		}
		results = append(results, TestResult{File: path, Name: name, Problems: problems})
	}
	return results, nil
}

// collector is a sink that keeps every record.
type collector struct {
	alerts     []collected
	late, dead int
}

type collected struct {
	output string
	rec    *alerts.Record
}

func (c *collector) Alert(output string, r *alerts.Record) error {
	c.alerts = append(c.alerts, collected{output, r})
	return nil
}
func (c *collector) Late(*alerts.Late) error             { c.late++; return nil }
func (c *collector) Window(*alerts.Window) error         { return nil }
func (c *collector) DeadLetter(*alerts.DeadLetter) error { c.dead++; return nil }

func runCase(rs *patterns.RuleSet, dir string, tc TestCase) ([]string, error) {
	var inputs []Input
	// Streams in declaration order, so that ties between streams are stable.
	for _, st := range rs.Streams {
		node, ok := tc.Events[st.Name]
		if !ok {
			continue
		}
		in, err := caseInput(st.Name, dir, &node)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, in)
	}
	for name := range tc.Events {
		if rs.Stream(name) == nil {
			return nil, fmt.Errorf("%w: events for unknown stream %s", ErrInput, name)
		}
	}
	var got collector
	if _, err := Run(rs, inputs, Options{Sink: &got}); err != nil {
		return nil, err
	}
	return compare(tc, &got), nil
}

// caseInput turns a stream's events (a list of YAML maps, or a file name) into
// an input.
func caseInput(stream, dir string, node *yaml.Node) (Input, error) {
	if node.Kind == yaml.ScalarNode {
		return Input{Stream: stream, Path: relativeTo(dir, node.Value)}, nil
	}
	if node.Kind != yaml.SequenceNode {
		return Input{}, fmt.Errorf("%w: events of %s: expected a list of events or a file name (line %d)", ErrInput, stream, node.Line)
	}
	var buf bytes.Buffer
	for _, item := range node.Content {
		if item.Kind != yaml.MappingNode {
			return Input{}, fmt.Errorf("%w: events of %s: line %d: an event is a map of fields", ErrInput, stream, item.Line)
		}
		if err := writeJSON(&buf, item); err != nil {
			return Input{}, err
		}
		buf.WriteByte('\n')
	}
	return Input{Stream: stream, Path: stream, Data: buf.Bytes()}, nil
}

// writeJSON writes a YAML node as JSON, keeping the order of map keys and the
// text of timestamps.
func writeJSON(w *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.MappingNode:
		w.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				w.WriteByte(',')
			}
			w.Write(alerts.AppendString(nil, n.Content[i].Value))
			w.WriteByte(':')
			if err := writeJSON(w, n.Content[i+1]); err != nil {
				return err
			}
		}
		w.WriteByte('}')
	case yaml.SequenceNode:
		w.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				w.WriteByte(',')
			}
			if err := writeJSON(w, c); err != nil {
				return err
			}
		}
		w.WriteByte(']')
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			if _, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err != nil {
				w.Write(alerts.AppendString(nil, n.Value))
				return nil
			}
			w.WriteString(strings.ReplaceAll(n.Value, "_", ""))
		case "!!bool":
			w.WriteString(strings.ToLower(n.Value))
		case "!!null":
			w.WriteString("null")
		default:
			w.Write(alerts.AppendString(nil, n.Value))
		}
	case yaml.AliasNode:
		return writeJSON(w, n.Alias)
	default:
		return fmt.Errorf("%w: line %d: unsupported YAML in an event", ErrInput, n.Line)
	}
	return nil
}

// describe renders a record the way a test names it.
func describe(r *alerts.Record) string {
	var steps []string
	for _, s := range r.Steps {
		var ids []string
		for _, e := range s.Events {
			ids = append(ids, e.Identity)
		}
		steps = append(steps, fmt.Sprintf("%s: [%s]", s.Name, strings.Join(ids, ", ")))
	}
	key := "null"
	if len(r.Key) > 0 {
		key = string(r.Key)
	}
	return fmt.Sprintf("rule %s, %s, key %s, events {%s}", r.Rule, r.Kind, key, strings.Join(steps, ", "))
}

func describeExpected(a ExpectedAlert) string {
	kind := a.Kind
	if kind == "" {
		kind = alerts.KindMatch
	}
	key, _ := json.Marshal(a.Key)
	var names []string
	for n := range a.Events {
		names = append(names, n)
	}
	sort.Strings(names)
	var steps []string
	for _, n := range names {
		steps = append(steps, fmt.Sprintf("%s: [%s]", n, strings.Join(a.Events[n], ", ")))
	}
	return fmt.Sprintf("rule %s, %s, key %s, events {%s}", a.Rule, kind, key, strings.Join(steps, ", "))
}

// matches reports whether record r is the one a expects (fields aside).
func matches(a ExpectedAlert, output string, r *alerts.Record) bool {
	kind := a.Kind
	if kind == "" {
		kind = alerts.KindMatch
	}
	if a.Rule != r.Rule || kind != r.Kind || (a.Output != "" && a.Output != output) {
		return false
	}
	if !jsonEqual(a.Key, r.Key) {
		return false
	}
	if len(a.Events) != len(r.Steps) {
		return false
	}
	for _, s := range r.Steps {
		want, ok := a.Events[s.Name]
		if !ok || len(want) != len(s.Events) {
			return false
		}
		for i, e := range s.Events {
			if want[i] != e.Identity {
				return false
			}
		}
	}
	return true
}

// jsonEqual compares a YAML value with JSON bytes (numbers within 1e-9).
func jsonEqual(want any, got []byte) bool {
	var g any
	if len(got) > 0 {
		if err := json.Unmarshal(got, &g); err != nil {
			return false
		}
	}
	return valueEqual(normalize(want), g)
}

func normalize(v any) any {
	switch v := v.(type) {
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case uint64:
		return float64(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = normalize(x)
		}
		return out
	}
	return v
}

func valueEqual(a, b any) bool {
	switch a := a.(type) {
	case float64:
		bf, ok := b.(float64)
		return ok && (a == bf || math.Abs(a-bf) <= 1e-9*math.Max(math.Abs(a), math.Abs(bf)))
	case []any:
		bl, ok := b.([]any)
		if !ok || len(a) != len(bl) {
			return false
		}
		for i := range a {
			if !valueEqual(a[i], bl[i]) {
				return false
			}
		}
		return true
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// compare lists what differs between the expected and the produced records.
func compare(tc TestCase, got *collector) []string {
	var problems []string
	used := make([]bool, len(got.alerts))
	for _, want := range tc.Alerts {
		found := -1
		for i, g := range got.alerts {
			if !used[i] && matches(want, g.output, g.rec) {
				found = i
				break
			}
		}
		if found < 0 {
			problems = append(problems, "missing:    "+describeExpected(want))
			continue
		}
		used[found] = true
		r := got.alerts[found].rec
		if want.Late != nil && *want.Late != r.Late {
			problems = append(problems, fmt.Sprintf("late flag:  %s: got %v, want %v", describe(r), r.Late, *want.Late))
		}
		if want.Fields != nil {
			problems = append(problems, compareFields(want.Fields, r)...)
		}
	}
	for i, g := range got.alerts {
		if !used[i] {
			problems = append(problems, fmt.Sprintf("unexpected: %s (on %s)", describe(g.rec), g.output))
		}
	}
	if tc.Late != nil && *tc.Late != got.late {
		problems = append(problems, fmt.Sprintf("late:       got %d records, want %d", got.late, *tc.Late))
	}
	if tc.Deadletter != nil && *tc.Deadletter != got.dead {
		problems = append(problems, fmt.Sprintf("deadletter: got %d records, want %d", got.dead, *tc.Deadletter))
	}
	return problems
}

func compareFields(want map[string]any, r *alerts.Record) []string {
	var problems []string
	got := map[string][]byte{}
	for _, f := range r.Fields {
		got[f.Name] = f.Value
	}
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		w, inWant := want[n]
		g, inGot := got[n]
		wj, _ := json.Marshal(w)
		switch {
		case !inGot:
			problems = append(problems, fmt.Sprintf("field %s:   missing from %s, want %s", n, describe(r), wj))
		case !inWant:
			problems = append(problems, fmt.Sprintf("field %s:   not expected in %s, got %s", n, describe(r), g))
		case !jsonEqual(w, g):
			problems = append(problems, fmt.Sprintf("field %s:   %s: got %s, want %s", n, describe(r), g, wj))
		}
	}
	return problems
}

// PrintResults writes a line per test and the problems of the failed ones; it
// returns the number of failures.
func PrintResults(w io.Writer, results []TestResult) int {
	failed := 0
	for _, r := range results {
		if len(r.Problems) == 0 {
			fmt.Fprintf(w, "PASS %s: %s\n", r.File, r.Name)
			continue
		}
		failed++
		fmt.Fprintf(w, "FAIL %s: %s\n", r.File, r.Name)
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
	return failed
}

// relativeTo resolves a path named in a test file against the file's directory.
func relativeTo(dir, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}
