package synth

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Scenario names, as written in the `scenario` field of the events of a fraud.
const (
	CardTesting         = "card_testing"
	AccountTakeover     = "account_takeover"
	VelocityBurst       = "velocity_burst"
	ImpossibleTravel    = "impossible_travel"
	CompromisedTerminal = "compromised_terminal"
)

// Scenarios lists the injected scenarios in the order incidents are assigned
// to them.
var Scenarios = []string{CardTesting, AccountTakeover, VelocityBurst, ImpossibleTravel, CompromisedTerminal}

// Defaults and bounds of Config. The defaults make the dataset the rule pack
// of testdata/synth/rules is measured on (docs/gen.md): four weeks, so that
// compromised terminals can be found through their reports, and enough
// incidents of each scenario for precision and recall to mean something.
const (
	DefaultCards     = 2000
	DefaultDays      = 28
	DefaultFraudRate = 0.2
	MaxCards         = 10_000_000
	MaxDays          = 366
)

// Start is the dataset's first instant: Monday 2 November 2026, 00:00 UTC.
var Start = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// Config says what to generate.
type Config struct {
	Seed  int64
	Cards int // cards, one per customer
	Days  int
	// FraudRate: round(FraudRate·Cards) incidents, assigned in turn to
	// Scenarios; the four card scenarios each hit a card of its own, and a
	// compromised-terminal incident is one terminal.
	FraudRate float64
}

// Validate reports the first out-of-range value.
func (c Config) Validate() error {
	switch {
	case c.Cards < 1 || c.Cards > MaxCards:
		return fmt.Errorf("cards must be between 1 and %d, not %d", MaxCards, c.Cards)
	case c.Days < 1 || c.Days > MaxDays:
		return fmt.Errorf("days must be between 1 and %d, not %d", MaxDays, c.Days)
	case math.IsNaN(c.FraudRate) || c.FraudRate < 0 || c.FraudRate > 1:
		return fmt.Errorf("fraud rate must be between 0 and 1, not %v", c.FraudRate)
	}
	return nil
}

// Writers receive the three streams as JSON lines; a nil writer discards
// its stream (it is generated all the same, so the others do not change).
type Writers struct {
	Txn, Login, Chargeback io.Writer
}

// ScenarioStats counts one scenario's incidents and labelled events.
type ScenarioStats struct {
	Name         string
	Incidents    int
	Transactions int
	Logins       int
}

// Stats counts what Generate wrote.
type Stats struct {
	Transactions, Logins, Chargebacks int
	FraudTransactions, FraudLogins    int
	Scenarios                         []ScenarioStats // in the order of Scenarios
}

const (
	second = int64(1000)
	minute = 60 * second
	hour   = 60 * minute
	day    = 24 * hour
)

// Event kinds.
const (
	kindTxn = iota
	kindLogin
)

// Login actions.
const (
	actLogin = iota
	actReset
)

// event is one generated event, before ids are given.
type event struct {
	ts       int64  // event time, epoch ms
	arrive   int64  // arrival: the order of the file
	seq      uint64 // generation order: breaks ties, so sorts are deterministic
	kind     uint8
	scenario uint8 // 0 legitimate, else index in Scenarios + 1
	action   uint8
	success  bool
	amount   float64
	cust     int32
	terminal int32 // txn
	country  string
	device   string // ecom txn and logins; "" is null
	// Logins, set in event-time order when flushed: failed attempts in a row
	// before this one, and whether the device is new to the account.
	failed    int32
	newDevice bool
}

type gen struct {
	cfg       Config
	start     int64
	end       int64
	w         *world
	customers []customer
	regulars  []int32 // per merchant: customers who count it among their regular shops
	pending   []event
	seq       uint64
	cbRand    *rand.Rand
	chargebks []chargeback
	stats     Stats
	// Running per-user login state, in event-time order.
	failed []int32
	known  [][]string

	txnOut, loginOut *bufio.Writer
	txnSeq, loginSeq int64
	buf              []byte
}

type chargeback struct {
	ts    int64
	txnID string
	txnTS int64
	cust  int32
	term  int32
	amt   float64
}

// rng returns a generator for one purpose: the seed, a stream name and an
// index, so that each customer and each incident draws from its own sequence
// (and, say, a different fraud rate leaves legitimate behaviour unchanged).
func rng(seed int64, stream uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(splitmix(uint64(seed)^splitmix(stream)), splitmix(stream<<32^uint64(i))))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Random streams.
const (
	streamWorld = iota + 1
	streamCustomer
	streamAttack
	streamPlan
	streamChargeback
	streamDevice
)

// Generate writes a dataset for cfg. The same Config gives the same bytes.
func Generate(cfg Config, out Writers) (Stats, error) {
	if err := cfg.Validate(); err != nil {
		return Stats{}, err
	}
	g := &gen{cfg: cfg, start: Start.UnixMilli()}
	g.end = g.start + int64(cfg.Days)*day
	g.cbRand = rng(cfg.Seed, streamChargeback, 0)
	if out.Txn != nil {
		g.txnOut = bufio.NewWriterSize(out.Txn, 1<<16)
	}
	if out.Login != nil {
		g.loginOut = bufio.NewWriterSize(out.Login, 1<<16)
	}
	g.w = buildWorld(rng(cfg.Seed, streamWorld, 0), cfg.Cards)
	g.customers = make([]customer, cfg.Cards)
	g.failed = make([]int32, cfg.Cards)
	g.known = make([][]string, cfg.Cards)
	for i := range g.customers {
		g.newCustomer(i)
		g.known[i] = slices.Clone(g.customers[i].devices)
	}
	for _, s := range Scenarios {
		g.stats.Scenarios = append(g.stats.Scenarios, ScenarioStats{Name: s})
	}
	g.planIncidents()
	for d := 0; d < cfg.Days; d++ {
		for i := range g.customers {
			g.legitDay(&g.customers[i], d)
		}
		// Events generated for later days reach back at most a few hours
		// before those days start, so everything before today is final.
		if err := g.flush(g.start + int64(d)*day); err != nil {
			return g.stats, err
		}
	}
	if err := g.flush(g.end); err != nil {
		return g.stats, err
	}
	for _, b := range []*bufio.Writer{g.txnOut, g.loginOut} {
		if b != nil {
			if err := b.Flush(); err != nil {
				return g.stats, err
			}
		}
	}
	if err := g.writeChargebacks(out.Chargeback); err != nil {
		return g.stats, err
	}
	return g.stats, nil
}

// emit adds an event with a random arrival delay: most within a second, a
// few up to 4s, always within the streams' 5s watermark.
func (g *gen) emit(r *rand.Rand, e event) {
	delay := uniform(r, 20, 900)
	if r.IntN(50) == 0 {
		delay = uniform(r, 900, 4000)
	}
	e.arrive = e.ts + delay
	g.seq++
	e.seq = g.seq
	g.pending = append(g.pending, e)
}

// flush writes the pending events with a timestamp before until (and drops
// those before the start), in arrival order.
func (g *gen) flush(until int64) error {
	slices.SortFunc(g.pending, func(a, b event) int { return cmp.Or(cmp.Compare(a.ts, b.ts), cmp.Compare(a.seq, b.seq)) })
	n, _ := slices.BinarySearchFunc(g.pending, until, func(e event, t int64) int { return cmp.Compare(e.ts, t) })
	head := g.pending[:n]
	// Login state (failures in a row, devices seen) in event-time order; the
	// compromised terminals' labels.
	for i := range head {
		e := &head[i]
		if e.ts < g.start {
			continue
		}
		switch e.kind {
		case kindTxn:
			t := &g.w.terminals[e.terminal]
			if e.scenario == 0 && e.ts >= t.from && e.ts < t.to {
				e.scenario = scenarioCode(CompromisedTerminal)
			}
		case kindLogin:
			e.failed = g.failed[e.cust]
			e.newDevice = !slices.Contains(g.known[e.cust], e.device)
			switch {
			case e.action == actReset:
				g.failed[e.cust] = 0
			case e.success:
				g.failed[e.cust] = 0
				if e.newDevice {
					g.known[e.cust] = append(g.known[e.cust], e.device)
				}
			default:
				g.failed[e.cust]++
			}
		}
	}
	slices.SortFunc(head, func(a, b event) int { return cmp.Or(cmp.Compare(a.arrive, b.arrive), cmp.Compare(a.seq, b.seq)) })
	for i := range head {
		e := &head[i]
		if e.ts < g.start {
			continue
		}
		var err error
		if e.kind == kindTxn {
			err = g.writeTxn(e)
		} else {
			err = g.writeLogin(e)
		}
		if err != nil {
			return err
		}
	}
	rest := copy(g.pending, g.pending[n:])
	clear(g.pending[rest:])
	g.pending = g.pending[:rest]
	return nil
}

func scenarioCode(name string) uint8 {
	for i, s := range Scenarios {
		if s == name {
			return uint8(i + 1)
		}
	}
	panic("synth: unknown scenario " + name)
}

func scenarioName(code uint8) string {
	if code == 0 {
		return ""
	}
	return Scenarios[code-1]
}
