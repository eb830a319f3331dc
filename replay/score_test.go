package replay

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kestrelcep/kestrel/patterns"
)

const backtestDir = "../testdata/backtest"

// backtest replays inputs through rs and scores them against is_fraud.
func backtest(t *testing.T, rs *patterns.RuleSet, inputs ...Input) *Scores {
	t.Helper()
	sc, err := NewScorer(rs, inputs, "is_fraud")
	if err != nil {
		t.Fatal(err)
	}
	stats, err := Run(rs, inputs, Options{Sink: sc.Wrap(&collector{}), Observe: sc.Observe})
	if err != nil {
		t.Fatal(err)
	}
	return sc.Scores(stats)
}

func load(t *testing.T, files ...string) *patterns.RuleSet {
	t.Helper()
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(backtestDir, f))
	}
	rs, err := patterns.Load(paths, patterns.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// want is a rule's expected scores; delay -1 means null.
type want struct {
	rule                     string
	alerts, tp, fp, caught   int64
	keysCaught, keysLabelled int64
	delay                    int64
	uniqueTP, uniqueLabelled int64
}

func check(t *testing.T, got *RuleScore, w want, labelled, events int64) {
	t.Helper()
	if got.Rule != w.rule || got.Alerts != w.alerts || got.TP != w.tp || got.FP != w.fp || got.LabelledCaught != w.caught ||
		got.KeysCaught != w.keysCaught || got.KeysLabelled != w.keysLabelled {
		t.Errorf("%s: got alerts %d tp %d fp %d caught %d keys %d/%d; want %+v", got.Rule, got.Alerts, got.TP, got.FP,
			got.LabelledCaught, got.KeysCaught, got.KeysLabelled, w)
	}
	switch {
	case w.delay < 0 && got.MedianDelayMs != nil:
		t.Errorf("%s: median delay %d, want null", w.rule, *got.MedianDelayMs)
	case w.delay >= 0 && (got.MedianDelayMs == nil || *got.MedianDelayMs != w.delay):
		t.Errorf("%s: median delay %s, want %d", w.rule, show(got.MedianDelayMs), w.delay)
	}
	if w.uniqueTP >= 0 && (got.UniqueTP == nil || *got.UniqueTP != w.uniqueTP || *got.UniqueLabelled != w.uniqueLabelled) {
		t.Errorf("%s: unique tp %s, unique labelled %s; want %d, %d", w.rule, show(got.UniqueTP), show(got.UniqueLabelled), w.uniqueTP, w.uniqueLabelled)
	}
	ratioIs := func(name string, r *float64, a, b int64) {
		switch {
		case b == 0 && r != nil:
			t.Errorf("%s: %s %v, want null", w.rule, name, *r)
		case b != 0 && (r == nil || *r != float64(a)/float64(b)):
			t.Errorf("%s: %s %s, want %d/%d", w.rule, name, show(r), a, b)
		}
	}
	ratioIs("precision", got.Precision, w.tp, w.alerts)
	ratioIs("recall", got.Recall, w.caught, labelled)
	ratioIs("key recall", got.KeyRecall, w.keysCaught, w.keysLabelled)
	if per1k := float64(w.alerts) * 1000 / float64(events); got.AlertsPer1k != per1k {
		t.Errorf("%s: alerts/1k %v, want %v", w.rule, got.AlertsPer1k, per1k)
	}
}

// show renders a nullable value.
func show[T any](p *T) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

const (
	second = 1000
	minute = 60 * second
	hour   = 60 * minute
)

// TestScoresByHand checks the scores of testdata/backtest against counts
// worked out by hand from txn.jsonl (the comments give the events).
func TestScoresByHand(t *testing.T) {
	rs := load(t, ".")
	sc := backtest(t, rs, Input{Path: filepath.Join(backtestDir, "txn.jsonl")})
	// 25 lines: t23 is dead-lettered; t22 (labelled) is late; t17 has no
	// is_fraud and t18 a null one. Labelled: t02-t05, t12, t13, t16, t19-t22.
	if sc.Events != 24 || sc.Labelled != 11 || sc.LabelMissing != 2 || sc.Late != 1 || sc.LabelledLate != 1 || sc.DeadLetter != 1 {
		t.Errorf("events %d labelled %d missing %d late %d (labelled %d) deadletter %d", sc.Events, sc.Labelled,
			sc.LabelMissing, sc.Late, sc.LabelledLate, sc.DeadLetter)
	}
	if sc.From != "2026-03-02T09:00:00.000Z" || sc.To != "2026-03-02T13:00:00.000Z" {
		t.Errorf("from %s to %s", sc.From, sc.To)
	}
	// Labelled cards: c1 (first 09:01), c3 (10:00:10), c4 (10:30), c6 (09:00, late).
	// Labelled merchants: m1 (09:01), m2 (09:00), m4 (10:00:10).
	wants := []want{
		// t05 c1 09:03 TP, t06 c2 FP, t20 c4 12:30 TP, t21 c1 TP, t25 c3 FP. Every
		// labelled event it holds is also another rule's.
		{"big", 5, 3, 2, 3, 2, 4, 2 * minute, 0, 0},
		// t02-t05 on c1, at 09:03; the c2 timeouts do not count.
		{"card_testing", 1, 1, 0, 4, 1, 4, 2 * minute, 1, 3},
		// t20 TP, t25 FP; one key, first labelled at 09:00 (t22).
		{"huge", 2, 1, 1, 1, 1, 1, 3*hour + 30*minute, 0, 0},
		// m2 t06,t07 FP; m1 t20,t21 at 12:32 TP.
		{"merchant_spree", 2, 1, 1, 2, 1, 3, 3*hour + 31*minute, 0, 0},
		{"round_amount", 2, 0, 2, 0, 0, 4, -1, 0, 0},
		// Routed to review: c3 t11-t14 at 10:00:30, holding t12, t13.
		{"velocity", 1, 1, 0, 2, 1, 4, 20 * second, 1, 2},
	}
	if len(sc.Rules) != len(wants) {
		t.Fatalf("%d rules scored", len(sc.Rules))
	}
	for i, w := range wants {
		check(t, &sc.Rules[i], w, sc.Labelled, sc.Events)
	}
	// The rules have different keys: (rule, key) pairs, 4+4+1+3+4+4 labelled.
	// Delays 20s, 2m, 2m, 2h, 3h30m, 3h31m: the lower median is 2m.
	// Caught by some rule: t02-t05, t12, t13, t20, t21.
	if sc.UnionKeys != "rule" {
		t.Errorf("union keys %q", sc.UnionKeys)
	}
	check(t, &sc.Union, want{UnionName, 13, 7, 6, 8, 6, 20, 2 * minute, -1, 0}, sc.Labelled, sc.Events)
	if sc.Union.UniqueTP != nil {
		t.Errorf("the union has no unique tp")
	}
}

// TestUnionSharedKeys: when every rule is by card_id, the union's keys are
// the cards, caught by whichever rule first.
func TestUnionSharedKeys(t *testing.T) {
	rs := load(t, "streams.krl", "big.krl", "card_testing.krl", "velocity.krl", "round_amount.krl")
	sc := backtest(t, rs, Input{Path: filepath.Join(backtestDir, "txn.jsonl")})
	if sc.UnionKeys != "shared" {
		t.Fatalf("union keys %q", sc.UnionKeys)
	}
	// c1 caught at 09:03 (big, card_testing), c3 at 10:00:30, c4 at 12:30; c6 never.
	check(t, &sc.Union, want{UnionName, 9, 5, 4, 8, 3, 4, 2 * minute, -1, 0}, sc.Labelled, sc.Events)
}

// TestNoCatches: a rule with only false positives and one with no alerts.
func TestNoCatches(t *testing.T) {
	rs := compile(t, `
stream txn (id string, card_id string, amount float, is_fraud bool, ts time) id id timestamp ts
rule round by card_id pattern a: txn[amount == 100.0]
rule never by card_id pattern a: txn[amount > 1000000]
`)
	events := `{"id":"1","card_id":"a","amount":100,"is_fraud":false,"ts":1000}
{"id":"2","card_id":"a","amount":5,"is_fraud":true,"ts":2000}
{"id":"3","card_id":"b","amount":100,"is_fraud":false,"ts":3000}
`
	sc := backtest(t, rs, Input{Path: "e.jsonl", Data: []byte(events)})
	check(t, &sc.Rules[0], want{"round", 2, 0, 2, 0, 0, 1, -1, 0, 0}, 1, 3)
	check(t, &sc.Rules[1], want{"never", 0, 0, 0, 0, 0, 1, -1, 0, 0}, 1, 3)
	check(t, &sc.Union, want{UnionName, 2, 0, 2, 0, 0, 1, -1, -1, 0}, 1, 3)
	if sc.Union.MedianDelayMs != nil || sc.Rules[1].Precision != nil {
		t.Error("nothing caught: median delay and precision must be null")
	}
}

// TestCompositeKeysAndStreams: a composite key, a rule reading two streams
// through `any` steps, and an identity used in both streams, labelled in one
// only.
func TestCompositeKeysAndStreams(t *testing.T) {
	rs := compile(t, `
stream txn (id string, card string, shop string, amount float, is_fraud bool, ts time) id id timestamp ts
stream login (id string, card string, shop string, is_fraud bool, ts time) id id timestamp ts
rule pair by card, shop pattern a: txn[amount > 10] -> b: txn[amount > 10] within 1h
rule two_any by card pattern p: any -> q: any within 1h
`)
	txn := `{"id":"x1","card":"c1","shop":"s1","amount":50,"is_fraud":false,"ts":1000}
{"id":"x2","card":"c1","shop":"s1","amount":60,"is_fraud":true,"ts":5000}
{"id":"x3","card":"c1","shop":"s2","amount":70,"is_fraud":true,"ts":6000}
{"id":"x4","card":"c2","shop":"s2","amount":80,"is_fraud":false,"ts":7000}
{"id":"x5","card":"c2","shop":"s2","amount":90,"is_fraud":false,"ts":8000}
`
	login := `{"id":"x1","card":"c2","shop":"s2","is_fraud":true,"ts":500}
{"id":"l2","card":"c1","shop":"s1","is_fraud":false,"ts":4000}
`
	sc := backtest(t, rs, Input{Stream: "txn", Path: "txn.jsonl", Data: []byte(txn)},
		Input{Stream: "login", Path: "login.jsonl", Data: []byte(login)})
	// Labelled: txn x2, x3 and login x1 (another event than txn x1).
	if sc.Labelled != 3 || sc.Events != 7 {
		t.Fatalf("labelled %d of %d, want 3 of 7", sc.Labelled, sc.Events)
	}
	// pair: ["c1","s1"] x1,x2 at 5000: TP (x2, the key's first label: delay
	// 0); ["c2","s2"] x4,x5: FP. Labelled keys ["c1","s1"], ["c1","s2"]. x2 is
	// two_any's too.
	check(t, &sc.Rules[0], want{"pair", 2, 1, 1, 1, 1, 2, 0, 0, 0}, 3, 7)
	// two_any: c1 txn x1, login l2 at 4000: FP (txn x1 is not login x1);
	// c1 x2, x3 at 6000: TP, delay 6000-5000; c2 login x1, txn x4 at 7000: TP,
	// delay 7000-500. Lower median of 1000, 6500: 1000.
	check(t, &sc.Rules[1], want{"two_any", 3, 2, 1, 3, 2, 2, 1000, 2, 2}, 3, 7)
	if sc.UnionKeys != "rule" {
		t.Errorf("union keys %q", sc.UnionKeys)
	}
}

func TestLabelMustBeABoolOfEveryReplayedStream(t *testing.T) {
	rs := compile(t, `
stream a (id string, is_fraud bool, ts time) timestamp ts
stream b (id string, is_fraud string, ts time) timestamp ts
stream c (id string, ts time) timestamp ts
stream d (id string, ts time) timestamp ts
feature c_n = count() of c over sliding 1h
rule r pattern x: a[c_n >= 0]
rule q pattern x: a -> y: d
`)
	for _, tc := range []struct {
		inputs []Input
		msg    string
	}{
		{[]Input{{Stream: "a", Path: "a.jsonl"}}, ""},
		{[]Input{{Stream: "a", Path: "a.jsonl"}, {Stream: "b", Path: "b.jsonl"}}, "stream b declares is_fraud as string; the label must be a bool"},
		{[]Input{{Stream: "d", Path: "d.jsonl"}}, "stream d has no field is_fraud"},
		{[]Input{{Stream: "a", Path: "a.jsonl"}, {Stream: "d", Path: "d.jsonl"}}, "stream d has no field is_fraud"},
		// c is read by a feature only: feedback, replayed without a label.
		{[]Input{{Stream: "a", Path: "a.jsonl"}, {Stream: "c", Path: "c.jsonl"}}, ""},
		{[]Input{{Path: "c.jsonl"}}, "say which one as STREAM=FILE"},
	} {
		_, err := NewScorer(rs, tc.inputs, "is_fraud")
		switch {
		case tc.msg == "" && err != nil:
			t.Errorf("%v: %v", tc.inputs, err)
		case tc.msg != "" && (err == nil || !strings.Contains(err.Error(), tc.msg) || !errors.Is(err, ErrInput)):
			t.Errorf("%v: err %v, want ErrInput with %q", tc.inputs, err, tc.msg)
		}
	}
}

// TestFeedbackStreamNotScored: a stream that only a feature reads (fraud
// reports, the feedback a rule learns from) needs no label; its events are
// counted apart and are neither events nor labelled in the scores.
func TestFeedbackStreamNotScored(t *testing.T) {
	rs := compile(t, `
stream txn (id string, terminal string, is_fraud bool, ts time) id id timestamp ts
stream report (id string, terminal string, ts time) id id timestamp ts
feature reports_1h = count() of report by terminal over sliding 1h
rule reported_terminal by terminal pattern p: txn[reports_1h >= 1]
`)
	txn := `{"id":"t1","terminal":"T1","is_fraud":true,"ts":1000}
{"id":"t2","terminal":"T1","is_fraud":true,"ts":3000}
{"id":"t3","terminal":"T2","is_fraud":false,"ts":3500}
{"id":"t4","terminal":"T1","is_fraud":false,"ts":4000}
{"id":"t5","terminal":"T2","is_fraud":true,"ts":5000}
`
	report := `{"id":"r1","terminal":"T1","ts":2000}
{"id":"r2","terminal":"T3","ts":2500}
`
	sc := backtest(t, rs, Input{Stream: "txn", Path: "txn.jsonl", Data: []byte(txn)},
		Input{Stream: "report", Path: "report.jsonl", Data: []byte(report)})
	if sc.Events != 5 || sc.Labelled != 3 || sc.LabelMissing != 0 || sc.Unscored != 2 || len(sc.Feedback) != 1 || sc.Feedback[0] != "report" {
		t.Fatalf("events %d labelled %d missing %d unscored %d feedback %v; want 5, 3, 0, 2, [report]",
			sc.Events, sc.Labelled, sc.LabelMissing, sc.Unscored, sc.Feedback)
	}
	// T1 is reported at 2000: t2 (TP) and t4 (FP) alert; t1 came before the
	// report, T2 is never reported. Labelled keys T1 (first at 1000) and T2.
	check(t, &sc.Rules[0], want{"reported_terminal", 2, 1, 1, 1, 1, 2, 2000, 1, 1}, 3, 5)
	var b strings.Builder
	if err := WriteTable(&b, sc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "2 events of report (no is_fraud; read only by features) were not scored.") {
		t.Errorf("the table does not say what was not scored:\n%s", b.String())
	}
}

func TestScoresSeries(t *testing.T) {
	rs := load(t, ".")
	sc := backtest(t, rs, Input{Path: filepath.Join(backtestDir, "txn.jsonl")})
	// Hours 09 to 13.
	if len(sc.Series) != 5 {
		t.Fatalf("%d hourly buckets, want 5", len(sc.Series))
	}
	var events, labelled, alerts, tp int64
	for _, b := range sc.Series {
		events += b.Events
		labelled += b.Labelled
		alerts += b.Alerts
		tp += b.TP
	}
	if events != sc.Events || labelled != sc.Labelled || alerts != sc.Union.Alerts || tp != sc.Union.TP {
		t.Errorf("series sums %d %d %d %d", events, labelled, alerts, tp)
	}
	if b := sc.Series[0]; b.Labelled != 5 || b.Alerts != 4 || b.TP != 2 { // t02-t05, t22; big, card_testing, big, merchant_spree
		t.Errorf("09:00 bucket %+v", b)
	}
}

func TestFormatDelay(t *testing.T) {
	for ms, want := range map[int64]string{
		0: "0s", 850: "850ms", 42_000: "42s", 60_000: "1m", 750_000: "12m30s", 12_000_000: "3h20m",
		3 * 3_600_000: "3h", 52 * 3_600_000: "2d4h", 48 * 3_600_000: "2d",
	} {
		if got := FormatDelay(ms); got != want {
			t.Errorf("FormatDelay(%d) = %q, want %q", ms, got, want)
		}
	}
}
