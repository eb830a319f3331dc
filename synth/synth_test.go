package synth_test

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/synth"
)

func generate(t *testing.T, cfg synth.Config) (txn, login, cb []byte, s synth.Stats) {
	t.Helper()
	var a, b, c bytes.Buffer
	s, err := synth.Generate(cfg, synth.Writers{Txn: &a, Login: &b, Chargeback: &c})
	if err != nil {
		t.Fatal(err)
	}
	return a.Bytes(), b.Bytes(), c.Bytes(), s
}

func TestSameSeedSameBytes(t *testing.T) {
	cfg := synth.Config{Seed: 7, Cards: 300, Days: 3, FraudRate: 0.1}
	t1, l1, c1, _ := generate(t, cfg)
	t2, l2, c2, _ := generate(t, cfg)
	if !bytes.Equal(t1, t2) || !bytes.Equal(l1, l2) || !bytes.Equal(c1, c2) {
		t.Fatal("two runs with the same config differ")
	}
	cfg.Seed = 8
	t3, l3, _, _ := generate(t, cfg)
	if bytes.Equal(t1, t3) || bytes.Equal(l1, l3) {
		t.Fatal("seeds 7 and 8 give the same data")
	}
}

// A stream left out changes nothing in the others.
func TestWritersAreIndependent(t *testing.T) {
	cfg := synth.Config{Seed: 3, Cards: 200, Days: 2, FraudRate: 0.1}
	txn, _, _, _ := generate(t, cfg)
	var only bytes.Buffer
	if _, err := synth.Generate(cfg, synth.Writers{Txn: &only}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(txn, only.Bytes()) {
		t.Fatal("transactions differ when logins and chargebacks are not written")
	}
}

func TestValidate(t *testing.T) {
	for _, cfg := range []synth.Config{
		{Cards: 0, Days: 1}, {Cards: -5, Days: 1}, {Cards: synth.MaxCards + 1, Days: 1},
		{Cards: 1, Days: 0}, {Cards: 1, Days: synth.MaxDays + 1},
		{Cards: 1, Days: 1, FraudRate: -0.1}, {Cards: 1, Days: 1, FraudRate: 1.01},
		{Cards: 1, Days: 1, FraudRate: math.NaN()}, {Cards: 1, Days: 1, FraudRate: math.Inf(1)},
	} {
		if cfg.Validate() == nil {
			t.Errorf("%+v: valid, want an error", cfg)
		}
		if _, err := synth.Generate(cfg, synth.Writers{}); err == nil {
			t.Errorf("%+v: Generate accepted it", cfg)
		}
	}
	for _, cfg := range []synth.Config{{Cards: 1, Days: 1}, {Cards: 1, Days: 1, FraudRate: 1}, {Cards: 5, Days: 1, FraudRate: 1}} {
		if err := cfg.Validate(); err != nil {
			t.Errorf("%+v: %v", cfg, err)
		}
		if _, err := synth.Generate(cfg, synth.Writers{}); err != nil {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
}

func TestStreamsFile(t *testing.T) {
	b, err := os.ReadFile("../testdata/synth/streams.krl")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != synth.Streams {
		t.Error("testdata/synth/streams.krl differs from synth.Streams; copy it from `kestrel gen --out`")
	}
}

type txnRec struct {
	ID       string   `json:"id"`
	TS       string   `json:"ts"`
	CardID   string   `json:"card_id"`
	Amount   float64  `json:"amount"`
	Channel  string   `json:"channel"`
	Terminal string   `json:"terminal_id"`
	Lat      *float64 `json:"lat"`
	Device   *string  `json:"device"`
	IsFraud  bool     `json:"is_fraud"`
	Scenario string   `json:"scenario"`
}

type loginRec struct {
	ID       string `json:"id"`
	TS       string `json:"ts"`
	User     string `json:"user_id"`
	Action   string `json:"action"`
	Success  bool   `json:"success"`
	Device   string `json:"device"`
	New      bool   `json:"new_device"`
	Failed   int    `json:"failed_attempts"`
	IsFraud  bool   `json:"is_fraud"`
	Scenario string `json:"scenario"`
}

func decode[T any](t *testing.T, data []byte) []T {
	t.Helper()
	var out []T
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%v: %s", err, sc.Bytes())
		}
		out = append(out, v)
	}
	return out
}

func ms(t *testing.T, s string) int64 {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UnixMilli()
}

// TestShape checks what the docs promise of the files.
func TestShape(t *testing.T) {
	cfg := synth.Config{Seed: 11, Cards: 1000, Days: 4, FraudRate: 0.05}
	txnB, loginB, cbB, stats := generate(t, cfg)
	start := synth.Start.UnixMilli()
	end := start + int64(cfg.Days)*24*3600*1000
	for i, sc := range stats.Scenarios {
		if sc.Name != synth.Scenarios[i] || sc.Incidents != 10 {
			t.Errorf("scenario %d: %+v, want %s with 10 incidents", i, sc, synth.Scenarios[i])
		}
		if sc.Transactions == 0 {
			t.Errorf("%s: no labelled transactions", sc.Name)
		}
		if (sc.Logins > 0) != (sc.Name == synth.AccountTakeover) {
			t.Errorf("%s: %d labelled logins", sc.Name, sc.Logins)
		}
	}
	// Arrival order: ids count up, no event is more than 4s behind one
	// before it (the streams declare a 5s watermark), all inside the period.
	check := func(name string, ts []int64) {
		maxTS := start
		for i, x := range ts {
			if x < start || x >= end {
				t.Fatalf("%s %d: time %d outside the period", name, i, x)
			}
			if x < maxTS-4000 {
				t.Fatalf("%s %d: %dms behind an earlier event", name, i, maxTS-x)
			}
			maxTS = max(maxTS, x)
		}
	}
	txns := decode[txnRec](t, txnB)
	var ts []int64
	for i, e := range txns {
		ts = append(ts, ms(t, e.TS))
		if e.IsFraud != (e.Scenario != "") {
			t.Fatalf("labels disagree: %+v", e)
		}
		switch e.Channel {
		case "pos":
			if e.Lat == nil || e.Device != nil {
				t.Fatalf("a pos payment without a position, or with a device: %+v", e)
			}
		case "ecom":
			if e.Lat != nil {
				t.Fatalf("an online payment with a position: %+v", e)
			}
		default:
			t.Fatalf("channel %q", e.Channel)
		}
		if e.Amount <= 0 {
			t.Fatalf("amount %v", e.Amount)
		}
		if want := fmt.Sprintf("tx%09d", i+1); e.ID != want {
			t.Fatalf("id %s, want %s", e.ID, want)
		}
	}
	check("txn", ts)
	if len(txns) != stats.Transactions {
		t.Errorf("%d transactions, stats say %d", len(txns), stats.Transactions)
	}
	logins := decode[loginRec](t, loginB)
	ts = ts[:0]
	for _, e := range logins {
		ts = append(ts, ms(t, e.TS))
	}
	check("login", ts)
	// failed_attempts and new_device follow each user's logins in time order.
	type state struct {
		failed int
		seen   map[string]bool
	}
	byTime := slices.Clone(logins)
	slices.SortStableFunc(byTime, func(a, b loginRec) int { return cmp.Compare(ms(t, a.TS), ms(t, b.TS)) })
	users := map[string]*state{}
	for _, e := range byTime {
		s := users[e.User]
		if s == nil {
			s = &state{seen: map[string]bool{}}
			users[e.User] = s
		}
		if e.Failed != s.failed {
			t.Fatalf("%s: failed_attempts %d, want %d", e.ID, e.Failed, s.failed)
		}
		if e.New && s.seen[e.Device] {
			t.Fatalf("%s: new_device, but the device logged in before", e.ID)
		}
		switch {
		case e.Action == "password_reset":
			s.failed = 0
		case e.Success:
			s.failed = 0
			s.seen[e.Device] = true
		default:
			s.failed++
		}
		if e.IsFraud && (!e.New || e.Scenario != synth.AccountTakeover) {
			t.Fatalf("an attacker's login from a known device, or another scenario: %+v", e)
		}
	}
	// Chargebacks: after their payment, inside the period, in time order.
	ids := map[string]int64{}
	for _, e := range txns {
		ids[e.ID] = ms(t, e.TS)
	}
	var last int64
	for _, c := range decode[struct {
		TS    string `json:"ts"`
		TxnID string `json:"txn_id"`
		TxnTS string `json:"txn_ts"`
	}](t, cbB) {
		x, p := ms(t, c.TS), ms(t, c.TxnTS)
		if ids[c.TxnID] != p || x <= p || x >= end || x < last {
			t.Fatalf("chargeback %+v", c)
		}
		last = x
	}
}

// TestGolden pins the bytes of `kestrel gen --seed 1 --cards 300 --days 3`:
// a change to the generator that changes the data must update these (and the
// measured tables of docs/gen.md). The math functions the generator uses
// may differ in the last bit on other architectures, so only amd64 checks.
func TestGolden(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skipf("SKIPPING: the golden hashes are amd64's, not %s's", runtime.GOARCH)
	}
	txn, login, cb, _ := generate(t, synth.Config{Seed: 1, Cards: 300, Days: 3, FraudRate: 0.02})
	for _, f := range []struct {
		name string
		data []byte
		want string
	}{
		{"transactions", txn, "057952acfb0c5c43a8e2342ee3b5815ccedaebb4914605d86dafe63d704fc715"},
		{"logins", login, "a4fec24905f23b74b5c07c4135b1f9d3a135ccdefc0ad3a9d85d6c90b7c1dad4"},
		{"chargebacks", cb, "03cebbe8753259b00c12b62253921f451285819168aff138c9c069ee2e56b452"},
	} {
		if got := fmt.Sprintf("%x", sha256.Sum256(f.data)); got != f.want {
			t.Errorf("%s: sha256 %s, want %s", f.name, got, f.want)
		}
	}
}

// TestCompromisedTerminals: when the period is long enough, each compromised
// terminal takes fraud for two to four weeks inside the period, every payment
// it takes then is fraud, and it is a busy terminal (enough payments, and so
// enough reports, for feedback to find it).
func TestCompromisedTerminals(t *testing.T) {
	cfg := synth.Config{Seed: 3, Cards: 1000, Days: 35, FraudRate: 0.05}
	txnB, _, _, stats := generate(t, cfg)
	start := synth.Start.UnixMilli()
	end := start + int64(cfg.Days)*24*3600*1000
	type span struct {
		first, last int64
		n           int
	}
	spans := map[string]*span{}
	txns := decode[txnRec](t, txnB)
	for _, e := range txns {
		if e.Scenario != synth.CompromisedTerminal {
			continue
		}
		x := ms(t, e.TS)
		s := spans[e.Terminal]
		if s == nil {
			s = &span{first: x, last: x}
			spans[e.Terminal] = s
		}
		s.first, s.last = min(s.first, x), max(s.last, x)
		s.n++
		if e.Channel != "pos" {
			t.Fatalf("a compromised terminal online: %+v", e)
		}
	}
	if len(spans) != stats.Scenarios[4].Incidents || len(spans) != 10 {
		t.Fatalf("%d compromised terminals, %d incidents; want 10", len(spans), stats.Scenarios[4].Incidents)
	}
	const hour, day = int64(3600 * 1000), int64(24 * 3600 * 1000)
	total := 0
	for id, s := range spans {
		if s.first < start+3*hour || s.last >= end-3*hour || s.last-s.first < 13*day || s.last-s.first >= 28*day {
			t.Errorf("%s: fraud from %s to %s", id, time.UnixMilli(s.first).UTC(), time.UnixMilli(s.last).UTC())
		}
		total += s.n
	}
	// Every payment at the terminal between its first and last fraud is one.
	for _, e := range txns {
		if s := spans[e.Terminal]; s != nil && !e.IsFraud {
			if x := ms(t, e.TS); x > s.first && x < s.last {
				t.Fatalf("a legitimate payment inside a compromise: %+v", e)
			}
		}
	}
	// Busy: a compromised terminal takes several payments a day on average.
	if perDay := float64(total) / float64(len(spans)) / 21; perDay < 3 {
		t.Errorf("compromised terminals take %.1f payments a day, want ≥ 3", perDay)
	}
}
