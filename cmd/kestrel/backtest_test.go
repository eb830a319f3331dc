package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/patterns"
)

const (
	btDir    = "../../testdata/backtest"
	btEvents = btDir + "/txn.jsonl"
)

// scoresJSON is the --json object: the fields cli.md names, and ours.
type scoresJSON struct {
	Label        string     `json:"label"`
	Inputs       []string   `json:"inputs"`
	From         string     `json:"from"`
	To           string     `json:"to"`
	Events       int64      `json:"events"`
	Labelled     int64      `json:"labelled"`
	LabelMissing int64      `json:"label_missing"`
	Late         int64      `json:"late"`
	LabelledLate int64      `json:"labelled_late"`
	DeadLetter   int64      `json:"deadletter"`
	Rules        []ruleJSON `json:"rules"`
	Union        ruleJSON   `json:"union"`
	UnionKeys    string     `json:"union_keys"`
}

type ruleJSON struct {
	Rule           string   `json:"rule"`
	Output         string   `json:"output"`
	Alerts         int64    `json:"alerts"`
	TP             int64    `json:"tp"`
	FP             int64    `json:"fp"`
	Precision      *float64 `json:"precision"`
	Recall         *float64 `json:"recall"`
	KeysCaught     int64    `json:"keys_caught"`
	KeysLabelled   int64    `json:"keys_labelled"`
	MedianDelayMs  *int64   `json:"median_delay_ms"`
	LabelledCaught int64    `json:"labelled_caught"`
	KeyRecall      *float64 `json:"key_recall"`
	AlertsPer1k    float64  `json:"alerts_per_1k"`
	UniqueTP       *int64   `json:"unique_tp"`
	UniqueLabelled *int64   `json:"unique_labelled"`
}

// namedFields are the fields cli.md names for each rule and the union.
var namedFields = []string{"rule", "alerts", "tp", "fp", "precision", "recall", "keys_caught", "keys_labelled", "median_delay_ms"}

func decodeScores(t *testing.T, out string) scoresJSON {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var sc scoresJSON
	if err := dec.Decode(&sc); err != nil {
		t.Fatalf("stdout is not the scores object: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON value:\n%s", out)
	}
	return sc
}

// TestBacktestJSONShape: with --json, stdout is exactly one JSON object with
// cli.md's fields, of the right JSON types, and no alerts.
func TestBacktestJSONShape(t *testing.T) {
	code, stdout, stderr := kestrel(t, "replay", "--rules", btDir, "--events", btEvents, "--label", "is_fraud", "--json", "--quiet")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	decodeScores(t, stdout)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"events", "labelled"} {
		if _, err := jsonInt(raw[k]); err != nil {
			t.Errorf("%s: %s: %v", k, raw[k], err)
		}
	}
	var rules []map[string]json.RawMessage
	var union map[string]json.RawMessage
	json.Unmarshal(raw["rules"], &rules)
	json.Unmarshal(raw["union"], &union)
	if len(rules) != 6 {
		t.Fatalf("%d rules", len(rules))
	}
	for _, r := range append(rules, union) {
		for _, k := range namedFields {
			v, ok := r[k]
			switch {
			case !ok:
				t.Errorf("%s lacks %q", r["rule"], k)
			case k == "rule":
				var s string
				if json.Unmarshal(v, &s) != nil {
					t.Errorf("rule: %s", v)
				}
			case k == "precision" || k == "recall":
				var f *float64
				if json.Unmarshal(v, &f) != nil || (f != nil && (*f < 0 || *f > 1)) {
					t.Errorf("%s %s: %s", r["rule"], k, v)
				}
			case k == "median_delay_ms" && string(v) == "null":
			default:
				if _, err := jsonInt(v); err != nil {
					t.Errorf("%s %s: %s is not an integer", r["rule"], k, v)
				}
			}
		}
	}
	// round_amount catches nothing: its median delay is null.
	if string(rules[4]["rule"]) != `"round_amount"` || string(rules[4]["median_delay_ms"]) != "null" {
		t.Errorf("round_amount: %s, median %s", rules[4]["rule"], rules[4]["median_delay_ms"])
	}
}

func jsonInt(v json.RawMessage) (int64, error) {
	var n int64
	err := json.Unmarshal(v, &n)
	return n, err
}

// TestBacktestOutputs: where alerts and scores go, as cli.md says.
func TestBacktestOutputs(t *testing.T) {
	dir := t.TempDir()
	alertsFile := filepath.Join(dir, "alerts.jsonl")
	// --json and --out FILE: the alerts in the file, the scores alone on stdout.
	code, stdout, _ := kestrel(t, "replay", "--rules", btDir, "--events", btEvents, "--label", "is_fraud", "--json", "--out", alertsFile, "--quiet")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	decodeScores(t, stdout)
	written, _ := os.ReadFile(alertsFile)
	if n := bytes.Count(written, []byte("\n")); n != 12 { // the alerts output: not review, not timeouts
		t.Errorf("%d alerts in --out, want 12", n)
	}
	// --json and --out -: no alerts anywhere.
	code, stdout, _ = kestrel(t, "replay", "--rules", btDir, "--events", btEvents, "--label", "is_fraud", "--json", "--out", "-", "--quiet")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	decodeScores(t, stdout)
	// The table, no --out: stdout holds the alerts, then the table.
	code, stdout, stderr := kestrel(t, "replay", "--rules", btDir, "--events", btEvents, "--label", "is_fraud")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	alerts, table, ok := strings.Cut(stdout, "label is_fraud: ")
	if !ok || string(written) != alerts || !strings.Contains(table, "\nall rules ") {
		t.Errorf("stdout: want the alerts, then the table:\n%s", stdout)
	}
	if !strings.Contains(stderr, "kestrel: replayed 24 events") || !strings.Contains(stderr, "1 late") {
		t.Errorf("stderr: %s", stderr)
	}
	// The table and --report.
	report := filepath.Join(dir, "report.html")
	code, stdout, stderr = kestrel(t, "replay", "--rules", btDir, "--events", btEvents, "--label", "is_fraud", "--out", alertsFile, "--report", report, "--quiet")
	if code != exitOK || stderr != "" || !strings.HasPrefix(stdout, "label is_fraud: 24 events") {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	page, err := os.ReadFile(report)
	if err != nil || !bytes.Contains(page, []byte("<title>Backtest: txn.jsonl</title>")) {
		t.Errorf("report: %v\n%.300s", err, page)
	}
}

func TestBacktestUsage(t *testing.T) {
	dir := t.TempDir()
	noLabel := filepath.Join(dir, "s.krl")
	os.WriteFile(noLabel, []byte("stream txn (id string, card_id string, amount float, ts time) id id timestamp ts\nrule r by card_id pattern a: txn[amount > 1]\n"), 0o644)
	strLabel := filepath.Join(dir, "t.krl")
	os.WriteFile(strLabel, []byte("stream txn (id string, card_id string, amount float, is_fraud string, ts time) id id timestamp ts\nrule r by card_id pattern a: txn[amount > 1]\n"), 0o644)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--rules", noLabel, "--events", btEvents, "--label", "is_fraud"}, "kestrel: bad input: --label is_fraud: stream txn has no field is_fraud"},
		{[]string{"--rules", strLabel, "--events", btEvents, "--label", "is_fraud"}, "stream txn declares is_fraud as string; the label must be a bool"},
		{[]string{"--rules", btDir, "--events", btEvents, "--label", "amount"}, "stream txn declares amount as float"},
		{[]string{"--rules", btDir, "--events", btEvents, "--json"}, "--json and --report score against labels: they need --label FIELD"},
		{[]string{"--rules", btDir, "--events", btEvents, "--report", filepath.Join(dir, "r.html")}, "they need --label FIELD"},
		{[]string{"--rules", btDir, "--events", btEvents, "--label", "is_fraud", "--report", filepath.Join(dir, "no/such/dir/r.html")}, "no such file or directory"},
	} {
		code, stdout, stderr := kestrel(t, append([]string{"replay"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with %q", tc.args, code, stderr, tc.msg)
		}
		if stdout != "" {
			t.Errorf("%v: stdout %q", tc.args, stdout)
		}
	}
	// A replay that fails leaves no report behind.
	report := filepath.Join(dir, "left.html")
	code, _, stderr := kestrel(t, "replay", "--rules", btDir, "--events", filepath.Join(dir, "missing.jsonl"), "--label", "is_fraud", "--report", report)
	if code != exitUsage || !strings.Contains(stderr, "missing.jsonl") {
		t.Errorf("missing events: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(report); !os.IsNotExist(err) {
		t.Errorf("a failed replay left %s: %v", report, err)
	}
}

// TestBacktestAgainstBruteForce recomputes every score from the files alone:
// the events file, and the alerts the replay wrote with --outputs.
func TestBacktestAgainstBruteForce(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rules []string
	}{
		{"every rule, keys differ", []string{btDir}},
		{"keyed by card, shared keys", []string{btDir + "/streams.krl", btDir + "/big.krl", btDir + "/card_testing.krl", btDir + "/velocity.krl", btDir + "/round_amount.krl"}},
		{"unkeyed alone", []string{btDir + "/streams.krl", btDir + "/huge.krl"}},
		{"no catches", []string{btDir + "/streams.krl", btDir + "/round_amount.krl"}},
		{"composite key", []string{btDir + "/streams.krl", writeRule(t, "rule pair by card_id, merchant pattern a: txn -> b: txn within 30m")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"replay", "--events", btEvents, "--label", "is_fraud", "--json", "--outputs", dir, "--quiet"}
			for _, r := range tc.rules {
				args = append(args, "--rules", r)
			}
			code, stdout, stderr := kestrel(t, args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got := decodeScores(t, stdout)
			rs, err := patterns.Load(tc.rules, patterns.Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := bruteForce(t, rs, btEvents, dir)
			if got.Events != want.Events || got.Labelled != want.Labelled || got.LabelMissing != want.LabelMissing {
				t.Errorf("events %d labelled %d missing %d; want %d %d %d", got.Events, got.Labelled, got.LabelMissing,
					want.Events, want.Labelled, want.LabelMissing)
			}
			if got.UnionKeys != want.UnionKeys {
				t.Errorf("union keys %q, want %q", got.UnionKeys, want.UnionKeys)
			}
			if len(got.Rules) != len(want.Rules) {
				t.Fatalf("%d rules, want %d", len(got.Rules), len(want.Rules))
			}
			for i := range want.Rules {
				compareRule(t, got.Rules[i], want.Rules[i])
			}
			compareRule(t, got.Union, want.Union)
		})
	}
}

func writeRule(t *testing.T, src string) string {
	path := filepath.Join(t.TempDir(), "rule.krl")
	if err := os.WriteFile(path, []byte(src+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func compareRule(t *testing.T, got, want ruleJSON) {
	t.Helper()
	eqF := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || math.Abs(*a-*b) < 1e-12) }
	eqI := func(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	if got.Rule != want.Rule || got.Alerts != want.Alerts || got.TP != want.TP || got.FP != want.FP ||
		!eqF(got.Precision, want.Precision) || !eqF(got.Recall, want.Recall) || !eqF(got.KeyRecall, want.KeyRecall) ||
		got.KeysCaught != want.KeysCaught || got.KeysLabelled != want.KeysLabelled || got.LabelledCaught != want.LabelledCaught ||
		!eqI(got.MedianDelayMs, want.MedianDelayMs) || !eqI(got.UniqueTP, want.UniqueTP) || math.Abs(got.AlertsPer1k-want.AlertsPer1k) > 1e-9 {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("%s:\n got %s\nwant %s", want.Rule, g, w)
	}
}

// bruteForce computes the scores from the events file and the alerts in
// dir, straight from the definitions in docs/backtesting.md.
func bruteForce(t *testing.T, rs *patterns.RuleSet, eventsPath, dir string) scoresJSON {
	t.Helper()
	dead := map[int]bool{}
	for _, d := range readJSONL(t, filepath.Join(dir, "deadletter.jsonl")) {
		dead[int(d["position"].(float64))] = true
	}
	type ev struct {
		ts     int64
		fields map[string]any
	}
	var sc scoresJSON
	labelled := map[string]ev{} // by id
	for i, e := range readJSONL(t, eventsPath) {
		if dead[i+1] {
			continue
		}
		sc.Events++
		switch e["is_fraud"] {
		case true:
			labelled[e["id"].(string)] = ev{ts: parseTime(t, e["ts"]), fields: e}
		case nil:
			sc.LabelMissing++
		}
	}
	sc.Labelled = int64(len(labelled))
	keyOf := func(by []string, e map[string]any) string {
		if len(by) == 0 {
			return ""
		}
		var vals []any
		for _, f := range by {
			vals = append(vals, e[f])
		}
		if len(by) == 1 {
			b, _ := json.Marshal(vals[0])
			return string(b)
		}
		b, _ := json.Marshal(vals)
		return string(b)
	}
	type alert struct {
		rule, key string
		time      int64
		labelled  []string
	}
	var all []alert
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	for _, f := range files {
		switch strings.TrimSuffix(filepath.Base(f), ".jsonl") {
		case "timeouts", "shadow", "late", "deadletter", "windows":
			continue
		}
		for _, a := range readJSONL(t, f) {
			if a["kind"] != "match" {
				t.Fatalf("%s: a %v record", f, a["kind"])
			}
			key := ""
			if a["key"] != nil {
				b, _ := json.Marshal(a["key"])
				key = string(b)
			}
			al := alert{rule: a["rule"].(string), key: key, time: parseTime(t, a["time"])}
			for _, evs := range a["events"].(map[string]any) {
				for _, e := range evs.([]any) {
					id := e.(map[string]any)["id"].(string)
					if _, ok := labelled[id]; ok && !slices.Contains(al.labelled, id) {
						al.labelled = append(al.labelled, id)
					}
				}
			}
			all = append(all, al)
		}
	}
	caughtBy := map[string]map[string]bool{} // labelled id → rules
	for _, a := range all {
		for _, id := range a.labelled {
			if caughtBy[id] == nil {
				caughtBy[id] = map[string]bool{}
			}
			caughtBy[id][a.rule] = true
		}
	}
	// keyScores: first label per key of the labelled events, first catch per
	// key of the alerts given; delays sorted.
	keyScores := func(by []string, alerts []alert) (labelledKeys, caught int64, median *int64) {
		first := map[string]int64{}
		for _, e := range labelled {
			k := keyOf(by, e.fields)
			if t0, ok := first[k]; !ok || e.ts < t0 {
				first[k] = e.ts
			}
		}
		catch := map[string]int64{}
		for _, a := range alerts {
			if len(a.labelled) == 0 {
				continue
			}
			if t0, ok := catch[a.key]; !ok || a.time < t0 {
				catch[a.key] = a.time
			}
		}
		var delays []int64
		for k, c := range catch {
			delays = append(delays, c-first[k])
		}
		sort.Slice(delays, func(i, j int) bool { return delays[i] < delays[j] })
		if len(delays) > 0 {
			m := delays[(len(delays)-1)/2]
			median = &m
		}
		return int64(len(first)), int64(len(delays)), median
	}
	ratio := func(a, b int64) *float64 {
		if b == 0 {
			return nil
		}
		r := float64(a) / float64(b)
		return &r
	}
	sc.UnionKeys = "shared"
	var unionDelays []int64
	for _, r := range rs.Rules {
		if !slices.Equal(r.Decl.By, rs.Rules[0].Decl.By) {
			sc.UnionKeys = "rule"
		}
	}
	u := &sc.Union
	u.Rule = "all rules"
	for _, r := range rs.Rules {
		rj := ruleJSON{Rule: r.Name}
		var mine []alert
		caughtIDs := map[string]bool{}
		var uniqueTP, uniqueLabelled int64
		for _, a := range all {
			if a.rule != r.Name {
				continue
			}
			mine = append(mine, a)
			rj.Alerts++
			if len(a.labelled) > 0 {
				rj.TP++
				unique := false
				for _, id := range a.labelled {
					caughtIDs[id] = true
					unique = unique || len(caughtBy[id]) == 1
				}
				if unique {
					uniqueTP++
				}
			}
		}
		for id := range caughtIDs {
			if len(caughtBy[id]) == 1 {
				uniqueLabelled++
			}
		}
		rj.FP = rj.Alerts - rj.TP
		rj.LabelledCaught = int64(len(caughtIDs))
		rj.Precision, rj.Recall = ratio(rj.TP, rj.Alerts), ratio(rj.LabelledCaught, sc.Labelled)
		rj.KeysLabelled, rj.KeysCaught, rj.MedianDelayMs = keyScores(r.Decl.By, mine)
		rj.KeyRecall = ratio(rj.KeysCaught, rj.KeysLabelled)
		rj.AlertsPer1k = float64(rj.Alerts) * 1000 / float64(sc.Events)
		rj.UniqueTP, rj.UniqueLabelled = &uniqueTP, &uniqueLabelled
		sc.Rules = append(sc.Rules, rj)

		u.Alerts += rj.Alerts
		u.TP += rj.TP
		u.KeysLabelled += rj.KeysLabelled
		u.KeysCaught += rj.KeysCaught
		// The rule's delays, for a union over (rule, key) pairs.
		first := map[string]int64{}
		for _, e := range labelled {
			k := keyOf(r.Decl.By, e.fields)
			if t0, ok := first[k]; !ok || e.ts < t0 {
				first[k] = e.ts
			}
		}
		catch := map[string]int64{}
		for _, a := range mine {
			if t0, ok := catch[a.key]; len(a.labelled) > 0 && (!ok || a.time < t0) {
				catch[a.key] = a.time
			}
		}
		for k, c := range catch {
			unionDelays = append(unionDelays, c-first[k])
		}
	}
	u.FP = u.Alerts - u.TP
	u.LabelledCaught = int64(len(caughtBy))
	if sc.UnionKeys == "shared" {
		u.KeysLabelled, u.KeysCaught, u.MedianDelayMs = keyScores(rs.Rules[0].Decl.By, all)
	} else if len(unionDelays) > 0 {
		sort.Slice(unionDelays, func(i, j int) bool { return unionDelays[i] < unionDelays[j] })
		m := unionDelays[(len(unionDelays)-1)/2]
		u.MedianDelayMs = &m
	}
	u.Precision, u.Recall, u.KeyRecall = ratio(u.TP, u.Alerts), ratio(u.LabelledCaught, sc.Labelled), ratio(u.KeysCaught, u.KeysLabelled)
	u.AlertsPer1k = float64(u.Alerts) * 1000 / float64(sc.Events)
	return sc
}

func readJSONL(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	s := bufio.NewScanner(f)
	for s.Scan() {
		var m map[string]any
		if err := json.Unmarshal(s.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, m)
	}
	return out
}

func parseTime(t *testing.T, v any) int64 {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("time %v", v)
	}
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UnixMilli()
}

// TestBacktestBadInput: the "Bad input" of backtesting, end to end. Events
// without a label are counted and reported, late events are counted,
// reported and written to the late output (never silently dropped), a
// feedback stream (read only by a feature) needs no label, and a stream a
// rule reads does.
func TestBacktestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rules := write("r.krl", `
stream txn (id string, card_id string, amount float, is_fraud bool, ts time) id id timestamp ts watermark 1m
stream report (id string, card_id string, ts time) id id timestamp ts
feature reports_1d = count() of report by card_id over sliding 1d
rule big by card_id pattern a: txn[amount > 100]
rule reported by card_id pattern a: txn[reports_1d >= 1]
`)
	txn := write("txn.jsonl", `{"id":"t1","card_id":"c1","amount":50,"is_fraud":false,"ts":"2026-03-02T10:00:00Z"}
{"id":"t2","card_id":"c1","amount":150,"is_fraud":true,"ts":"2026-03-02T10:05:00Z"}
{"id":"t3","card_id":"c2","amount":20,"ts":"2026-03-02T10:10:00Z"}
{"id":"t4","card_id":"c2","amount":30,"is_fraud":null,"ts":"2026-03-02T10:20:00Z"}
{"id":"t5","card_id":"c3","amount":500,"is_fraud":true,"ts":"2026-03-02T10:30:00Z"}
{"id":"t6","card_id":"c3","amount":200,"is_fraud":true,"ts":"2026-03-02T09:00:00Z"}
{"id":"t7","card_id":"c1","amount":20,"is_fraud":false,"ts":"2026-03-02T10:31:00Z"}
`)
	report := write("report.jsonl", `{"id":"r1","card_id":"c1","ts":"2026-03-02T10:06:00Z"}
`)
	outputs := filepath.Join(dir, "out")
	args := []string{"replay", "--rules", rules, "--events", "txn=" + txn, "--events", "report=" + report, "--label", "is_fraud", "--outputs", outputs, "--quiet"}
	code, stdout, stderr := kestrel(t, append(args, "--json")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sc struct {
		scoresJSON
		Unscored int64    `json:"unscored"`
		Feedback []string `json:"feedback"`
	}
	if err := json.Unmarshal([]byte(stdout), &sc); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	// t3 and t4 have no label; t6 is 90 min behind the watermark (10:29).
	if sc.Events != 7 || sc.Labelled != 3 || sc.LabelMissing != 2 || sc.Late != 1 || sc.LabelledLate != 1 ||
		sc.Unscored != 1 || !slices.Equal(sc.Feedback, []string{"report"}) {
		t.Errorf("events %d labelled %d missing %d late %d (labelled %d) unscored %d %v; want 7 3 2 1 1 1 [report]",
			sc.Events, sc.Labelled, sc.LabelMissing, sc.Late, sc.LabelledLate, sc.Unscored, sc.Feedback)
	}
	// big: t2, t5 (t6 never reached a rule). reported: t7 only (t2 came
	// before the report).
	if len(sc.Rules) != 2 || sc.Rules[0].Alerts != 2 || sc.Rules[0].TP != 2 || sc.Rules[1].Alerts != 1 || sc.Rules[1].TP != 0 ||
		sc.Union.LabelledCaught != 2 {
		t.Errorf("rules %+v, union %+v", sc.Rules, sc.Union)
	}
	late, err := os.ReadFile(filepath.Join(outputs, "late.jsonl"))
	if err != nil || bytes.Count(late, []byte("\n")) != 1 || !bytes.Contains(late, []byte(`"t6"`)) {
		t.Errorf("late output: %v %s", err, late)
	}
	// The table says all of it.
	code, stdout, stderr = kestrel(t, append(args, "--out", filepath.Join(dir, "alerts.jsonl"))...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"label is_fraud: 7 events, 3 labelled (42.86%), 2 label missing, 1 late, 0 deadletter",
		"1 event of report (no is_fraud; read only by features) was not scored.",
		"2 events have no value for is_fraud: scored as not labelled.",
		"1 event (1 labelled) came behind the watermark",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the table does not say %q:\n%s", want, stdout)
		}
	}
	// A stream that a rule reads must have the label.
	strict := write("s.krl", `
stream txn (id string, card_id string, amount float, is_fraud bool, ts time) id id timestamp ts
stream report (id string, card_id string, ts time) id id timestamp ts
rule reported by card_id pattern a: report -> b: txn within 1h
`)
	code, stdout, stderr = kestrel(t, "replay", "--rules", strict, "--events", "txn="+txn, "--events", "report="+report, "--label", "is_fraud")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "kestrel: bad input: --label is_fraud: stream report has no field is_fraud") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
