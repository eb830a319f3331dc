package replay

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/patterns"
)

// scenarioSink records, per rule, its alerts, true positives and the labelled
// events it caught by their fraud_scenario.
type scenarioSink struct {
	discard
	alerts, tp map[string]int
	caught     map[string]map[int64]int64 // rule → event id → scenario
}

func (s *scenarioSink) Alert(output string, r *alerts.Record) error {
	if r.Kind != alerts.KindMatch {
		return nil
	}
	s.alerts[r.Rule]++
	tp := false
	for _, st := range r.Steps {
		for _, e := range st.Events {
			var v struct {
				ID       int64 `json:"id"`
				Fraud    bool  `json:"is_fraud"`
				Scenario int64 `json:"fraud_scenario"`
			}
			if err := json.Unmarshal(e.JSON, &v); err != nil {
				return err
			}
			if v.Fraud {
				tp = true
				if s.caught[r.Rule] == nil {
					s.caught[r.Rule] = map[int64]int64{}
				}
				s.caught[r.Rule][v.ID] = v.Scenario
			}
		}
	}
	if tp {
		s.tp[r.Rule]++
	}
	return nil
}

// TestHandbookPackScores replays testdata/handbook/pack.krl over the handbook
// dataset and checks each rule's precision and its recall of the scenario it
// is meant for (docs/backtesting.md has the table), so that a change to the
// engine or the pack that loses fraud shows here. It takes a few seconds.
func TestHandbookPackScores(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPING in -short: replays 1.75 M events")
	}
	if _, err := os.Stat(handbook); err != nil {
		t.Skipf("SKIPPING: the handbook dataset is not at %s: %v", handbook, err)
	}
	rs, err := patterns.Load([]string{"../testdata/handbook/pack.krl"}, patterns.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inputs := []Input{{Path: handbook}}
	sc, err := NewScorer(rs, inputs, "is_fraud")
	if err != nil {
		t.Fatal(err)
	}
	sink := &scenarioSink{alerts: map[string]int{}, tp: map[string]int{}, caught: map[string]map[int64]int64{}}
	stats, err := Run(rs, inputs, Options{Sink: sc.Wrap(sink), Observe: sc.Observe})
	if err != nil {
		t.Fatal(err)
	}
	scores := sc.Scores(stats)
	// The scenarios' sizes, from the data itself.
	perScenario := map[int64]int{}
	for _, x := range readHandbookScenarios(t) {
		perScenario[x]++
	}
	if scores.Events != 1_754_155 || scores.Labelled != 14_681 || perScenario[1]+perScenario[2]+perScenario[3] != 14_681 {
		t.Fatalf("%d events, %d labelled, per scenario %v", scores.Events, scores.Labelled, perScenario)
	}
	var b strings.Builder
	caughtBy := map[int64]map[int64]bool{}
	for _, r := range scores.Rules {
		if r.Alerts != int64(sink.alerts[r.Rule]) || r.TP != int64(sink.tp[r.Rule]) {
			t.Errorf("%s: scorer says %d alerts %d tp, the sink saw %d %d", r.Rule, r.Alerts, r.TP, sink.alerts[r.Rule], sink.tp[r.Rule])
		}
		n := map[int64]int{}
		for id, s := range sink.caught[r.Rule] {
			n[s]++
			if caughtBy[s] == nil {
				caughtBy[s] = map[int64]bool{}
			}
			caughtBy[s][id] = true
		}
		fmt.Fprintf(&b, "%-22s alerts %6d tp %6d precision %.3f  scenario 1 %.3f  2 %.3f  3 %.3f\n", r.Rule, r.Alerts, r.TP, *r.Precision,
			float64(n[1])/float64(perScenario[1]), float64(n[2])/float64(perScenario[2]), float64(n[3])/float64(perScenario[3]))
	}
	fmt.Fprintf(&b, "%-22s alerts %6d tp %6d precision %.3f  scenario 1 %.3f  2 %.3f  3 %.3f\n", "all rules", scores.Union.Alerts, scores.Union.TP, *scores.Union.Precision,
		float64(len(caughtBy[1]))/float64(perScenario[1]), float64(len(caughtBy[2]))/float64(perScenario[2]), float64(len(caughtBy[3]))/float64(perScenario[3]))
	t.Logf("per scenario: %v labelled\n%s", perScenario, b.String())

	recall := func(rule string, s int64) float64 {
		n := 0
		for _, x := range sink.caught[rule] {
			if x == s {
				n++
			}
		}
		return float64(n) / float64(perScenario[s])
	}
	// The floors are a little under the measured values (docs/backtesting.md).
	for _, c := range []struct {
		rule              string
		scenario          int64
		precision, recall float64
	}{
		{"large_amount", 1, 1, 1},
		{"compromised_terminal", 2, 0.93, 0.62},
		{"customer_spike", 3, 0.92, 0.30},
	} {
		var p float64
		for _, r := range scores.Rules {
			if r.Rule == c.rule && r.Precision != nil {
				p = *r.Precision
			}
		}
		if p < c.precision {
			t.Errorf("%s: precision %.3f, want ≥ %.2f", c.rule, p, c.precision)
		}
		if got := recall(c.rule, c.scenario); got < c.recall {
			t.Errorf("%s: recall of scenario %d %.3f, want ≥ %.2f", c.rule, c.scenario, got, c.recall)
		}
	}
	if got := float64(len(caughtBy[3])) / float64(perScenario[3]); got < 0.78 {
		t.Errorf("scenario 3: the pack catches %.3f, want ≥ 0.78", got)
	}
}

// readHandbookScenarios returns fraud_scenario of every labelled row, read
// with encoding/csv.
func readHandbookScenarios(t *testing.T) []int64 {
	t.Helper()
	f, err := os.Open(handbook)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(zr)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil || len(head) != 7 || head[5] != "is_fraud" || head[6] != "fraud_scenario" {
		t.Fatalf("header %v: %v", head, err)
	}
	var out []int64
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec[5] == "true" {
			s, _ := strconv.ParseInt(rec[6], 10, 64)
			out = append(out, s)
		}
	}
}
