package synth_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/patterns"
	"github.com/kestrelcep/kestrel/replay"
	"github.com/kestrelcep/kestrel/synth"
)

// scoreConfig is the dataset the rule pack is measured on (docs/gen.md):
// kestrel gen --seed 1 --cards 2000 --days 28 --fraud-rate 0.2, and the same
// with seeds 2 to 5, so that the rules are not tuned to one draw. Four weeks,
// because a compromised terminal stays compromised for two to four weeks and
// is caught only once reports of its payments have come in.
var scoreConfig = synth.Config{Seed: 1, Cards: 2000, Days: 28, FraudRate: 0.2}

// The rule of testdata/synth/rules meant for each scenario.
var ruleFor = map[string]string{
	synth.CardTesting:         "card_testing",
	synth.AccountTakeover:     "account_takeover",
	synth.VelocityBurst:       "velocity_burst",
	synth.ImpossibleTravel:    "impossible_travel",
	synth.CompromisedTerminal: "compromised_terminal",
}

// collector keeps, for each alert, its rule and its events' ids.
type collector struct {
	alerts []alertIDs
	dead   int
	late   int
}

type alertIDs struct {
	rule string
	ids  []string
}

func (c *collector) Alert(output string, r *alerts.Record) error {
	a := alertIDs{rule: r.Rule}
	for _, s := range r.Steps {
		for _, e := range s.Events {
			var v struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(e.JSON, &v); err != nil {
				return err
			}
			a.ids = append(a.ids, v.ID)
		}
	}
	c.alerts = append(c.alerts, a)
	return nil
}

func (c *collector) Late(*alerts.Late) error             { c.late++; return nil }
func (c *collector) Window(*alerts.Window) error         { return nil }
func (c *collector) DeadLetter(*alerts.DeadLetter) error { c.dead++; return nil }

// labels maps each event id of the JSON lines to its scenario ("" legitimate).
func labels(t *testing.T, data ...[]byte) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, d := range data {
		sc := bufio.NewScanner(bytes.NewReader(d))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var v struct {
				ID       string `json:"id"`
				IsFraud  bool   `json:"is_fraud"`
				Scenario string `json:"scenario"`
			}
			if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
				t.Fatalf("%v: %s", err, sc.Bytes())
			}
			if v.IsFraud != (v.Scenario != "") {
				t.Fatalf("is_fraud and scenario disagree: %s", sc.Bytes())
			}
			m[v.ID] = v.Scenario
		}
	}
	return m
}

// score is one rule's or scenario's numbers.
type score struct {
	alerts, tp        int
	precision         float64
	events, caught    int
	recall, recallAny float64
}

// TestRulePackScores replays testdata/synth/rules over a generated dataset
// and measures, for each scenario, the precision of the rule meant for it
// (share of its alerts with at least one labelled event, of any scenario) and
// its recall (share of the scenario's labelled events inside at least one
// of the rule's alerts; recallAny: inside an alert of any rule).
func TestRulePackScores(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			cfg := scoreConfig
			cfg.Seed = seed
			scorePack(t, cfg)
		})
	}
}

func scorePack(t *testing.T, scoreConfig synth.Config) {
	var txn, login, chargeback bytes.Buffer
	stats, err := synth.Generate(scoreConfig, synth.Writers{Txn: &txn, Login: &login, Chargeback: &chargeback})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := patterns.Load([]string{"../testdata/synth"}, patterns.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var c collector
	// The chargebacks are the feedback the compromised-terminal rule reads;
	// they carry no label, and replay --label leaves them unscored.
	inputs := []replay.Input{
		{Stream: "txn", Path: "txn.jsonl", Data: txn.Bytes()},
		{Stream: "login", Path: "login.jsonl", Data: login.Bytes()},
		{Stream: "chargeback", Path: "chargeback.jsonl", Data: chargeback.Bytes()},
	}
	scorer, err := replay.NewScorer(rs, inputs, "is_fraud")
	if err != nil {
		t.Fatal(err)
	}
	rstats, err := replay.Run(rs, inputs, replay.Options{Sink: scorer.Wrap(&c), Observe: scorer.Observe})
	if err != nil {
		t.Fatal(err)
	}
	scores := scorer.Scores(rstats)
	if scores.Unscored != int64(stats.Chargebacks) || !slices.Equal(scores.Feedback, []string{"chargeback"}) {
		t.Errorf("replay --label: %d unscored events of %v, want the %d chargebacks", scores.Unscored, scores.Feedback, stats.Chargebacks)
	}
	if c.dead != 0 || c.late != 0 || rstats.DeadLetter != 0 {
		t.Fatalf("%d deadletter, %d late events; want none", c.dead, c.late)
	}
	lab := labels(t, txn.Bytes(), login.Bytes())
	events := map[string]int{}
	for _, s := range lab {
		events[s]++
	}
	caught := map[string]map[string]bool{}    // scenario → ids caught by its rule
	caughtAny := map[string]map[string]bool{} // scenario → ids caught by any rule
	perRule := map[string]*score{}
	for _, a := range c.alerts {
		r := perRule[a.rule]
		if r == nil {
			r = &score{}
			perRule[a.rule] = r
		}
		r.alerts++
		tp := false
		for _, id := range a.ids {
			s, ok := lab[id]
			if !ok {
				t.Fatalf("alert of %s has an unknown event %s", a.rule, id)
			}
			if s == "" {
				continue
			}
			tp = true
			if caughtAny[s] == nil {
				caughtAny[s] = map[string]bool{}
			}
			caughtAny[s][id] = true
			if ruleFor[s] == a.rule {
				if caught[s] == nil {
					caught[s] = map[string]bool{}
				}
				caught[s][id] = true
			}
		}
		if tp {
			r.tp++
		}
	}
	var names []string
	perScenario := map[string]*score{}
	for sc := range ruleFor {
		names = append(names, sc)
		perScenario[sc] = &score{}
	}
	sort.Strings(names)
	var table strings.Builder
	fmt.Fprintf(&table, "%-20s %-20s %7s %5s %9s %7s %7s %7s %10s\n", "scenario", "rule", "alerts", "TP", "precision", "events", "caught", "recall", "recall_any")
	for _, sc := range names {
		rule := ruleFor[sc]
		s := perScenario[sc]
		if r := perRule[rule]; r != nil {
			s.alerts, s.tp = r.alerts, r.tp
		}
		s.events, s.caught = events[sc], len(caught[sc])
		if s.alerts > 0 {
			s.precision = float64(s.tp) / float64(s.alerts)
		}
		if s.events > 0 {
			s.recall = float64(s.caught) / float64(s.events)
			s.recallAny = float64(len(caughtAny[sc])) / float64(s.events)
		}
		fmt.Fprintf(&table, "%-20s %-20s %7d %5d %9.3f %7d %7d %7.3f %10.3f\n", sc, rule, s.alerts, s.tp, s.precision, s.events, s.caught, s.recall, s.recallAny)
	}
	t.Logf("gen --seed %d --cards %d --days %d --fraud-rate %v: %d transactions, %d logins, %d labelled\n%s",
		scoreConfig.Seed, scoreConfig.Cards, scoreConfig.Days, scoreConfig.FraudRate,
		stats.Transactions, stats.Logins, stats.FraudTransactions+stats.FraudLogins, table.String())
	// replay --label counts precision the same way (recall differs: it is
	// over all labelled events, not one scenario's).
	if scores.Events != int64(stats.Transactions+stats.Logins) || scores.Labelled != int64(len(lab)-events[""]) {
		t.Errorf("replay --label: %d events, %d labelled; want %d, %d", scores.Events, scores.Labelled, stats.Transactions+stats.Logins, len(lab)-events[""])
	}
	for _, r := range scores.Rules {
		if p := perRule[r.Rule]; p == nil || r.Alerts != int64(p.alerts) || r.TP != int64(p.tp) {
			t.Errorf("replay --label: rule %s has %d alerts, %d tp; counted here: %+v", r.Rule, r.Alerts, r.TP, p)
		}
	}
	for _, sc := range names {
		s := perScenario[sc]
		if s.events == 0 {
			t.Errorf("%s: no labelled events", sc)
		}
		if s.recall < 0.9 {
			t.Errorf("%s: recall of rule %s is %.3f, want ≥ 0.9", sc, ruleFor[sc], s.recall)
		}
		if s.precision < 0.8 {
			t.Errorf("%s: precision of rule %s is %.3f, want ≥ 0.8", sc, ruleFor[sc], s.precision)
		}
	}
	for rule := range perRule {
		found := false
		for _, r := range ruleFor {
			found = found || r == rule
		}
		if !found {
			t.Errorf("rule %s is meant for no scenario", rule)
		}
	}
}
