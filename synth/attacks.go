package synth

import (
	"math"
	"math/rand/v2"
)

// planIncidents draws the incidents: round(FraudRate·Cards) of them, given in
// turn to each scenario, each at a time of its own. Each incident draws from
// its own random sequence, and the cardholders' own behaviour from theirs.
func (g *gen) planIncidents() {
	n := int(math.Round(g.cfg.FraudRate * float64(g.cfg.Cards)))
	plan := rng(g.cfg.Seed, streamPlan, 0)
	hit := make([]bool, g.cfg.Cards)
	free := g.cfg.Cards
	span := int64(g.cfg.Days) * day
	// How many customers count each shop among their regular ones.
	g.regulars = make([]int32, len(g.w.merchants))
	for i := range g.customers {
		for _, m := range g.customers[i].regularPOS {
			g.regulars[m]++
		}
	}
	for i := range n {
		scenario := Scenarios[i%len(Scenarios)]
		r := rng(g.cfg.Seed, streamAttack, i)
		// Episodes last up to a couple of hours: keep them inside the data.
		t := g.start + uniform(r, 3*hour, span-3*hour)
		if scenario == CompromisedTerminal {
			if g.compromise(r, t) {
				g.stats.Scenarios[i%len(Scenarios)].Incidents++
			}
			continue
		}
		if free == 0 {
			continue
		}
		ci := plan.IntN(g.cfg.Cards)
		for hit[ci] {
			ci = plan.IntN(g.cfg.Cards)
		}
		hit[ci] = true
		free--
		c := &g.customers[ci]
		switch scenario {
		case CardTesting:
			g.cardTesting(r, c, t)
		case AccountTakeover:
			g.accountTakeover(r, c, t)
		case VelocityBurst:
			g.velocityBurst(r, c, t)
		case ImpossibleTravel:
			c.noTravel = true
			g.impossibleTravel(r, c, t)
		}
		g.stats.Scenarios[i%len(Scenarios)].Incidents++
	}
}

// cardTesting: a fraudster who bought the card's details checks them with a
// few tiny online payments at merchants that do not look twice (digital
// goods, donations), seconds apart, then spends big on goods easy to resell.
func (g *gen) cardTesting(r *rand.Rand, c *customer, t int64) {
	code := scenarioCode(CardTesting)
	dev := newDevice(r)
	testers := []int32{g.randomOnline(r, catDigitalGoods, catDonation), g.randomOnline(r, catDigitalGoods, catDonation)}
	k := 2 + pick(r, []float64{4, 20, 25, 20, 15, 8, 8})
	for range k {
		g.txn(r, c, t, testers[r.IntN(2)], cents(.1+1.89*r.Float64(), .1), dev, code)
		t += uniform(r, 4*second, 75*second)
	}
	t += uniform(r, minute, 20*minute)
	m := g.randomOnline(r, catOnlineElectronics, catGiftCards)
	g.txn(r, c, t, m, cents(lognormal(r, 700, .5), 250), dev, code)
}

// accountTakeover: credential stuffing against the customer's online
// account (failed logins seconds apart from a device never seen, often
// abroad), a password reset, a login on that device, then purchases with the
// stored card. Hours later the customer finds the password changed: failed
// logins of their own, a reset, a login (legitimate events).
func (g *gen) accountTakeover(r *rand.Rand, c *customer, t int64) {
	code := scenarioCode(AccountTakeover)
	dev := newDevice(r)
	country := cities[c.city].country
	if r.Float64() < .6 {
		for country == cities[c.city].country {
			country = cities[r.IntN(len(cities))].country
		}
	}
	for range 3 + r.IntN(6) {
		g.login(r, c, t, actLogin, false, dev, country, code)
		t += uniform(r, 2*second, 15*second)
	}
	t += uniform(r, 20*second, 3*minute)
	g.login(r, c, t, actReset, true, dev, country, code)
	t += uniform(r, 30*second, 5*minute)
	g.login(r, c, t, actLogin, true, dev, country, code)
	t += uniform(r, minute, 15*minute)
	for j := range 1 + pick(r, []float64{40, 40, 20}) {
		if j > 0 {
			t += uniform(r, 2*minute, 20*minute)
		}
		m := g.randomOnline(r, catOnlineElectronics, catGiftCards, catMarketplace)
		g.txn(r, c, t, m, cents(lognormal(r, 450, .5), 150), dev, code)
	}
	// The customer's own next login.
	t += uniform(r, 3*hour, 20*hour)
	own, home := c.devices[0], cities[c.city].country
	for range 1 + r.IntN(2) {
		g.login(r, c, t, actLogin, false, own, home, 0)
		t += uniform(r, 5*second, 30*second)
	}
	t += uniform(r, minute, 10*minute)
	g.login(r, c, t, actReset, true, own, home, 0)
	t += uniform(r, minute, 5*minute)
	g.login(r, c, t, actLogin, true, own, home, 0)
}

// velocityBurst: stolen card details used at one online shop after another,
// a purchase every few seconds to a minute, before the card is blocked.
func (g *gen) velocityBurst(r *rand.Rand, c *customer, t int64) {
	code := scenarioCode(VelocityBurst)
	dev := newDevice(r)
	last := int32(-1)
	for j := range 6 + r.IntN(7) {
		if j > 0 {
			t += uniform(r, 8*second, 80*second)
		}
		m := last
		for m == last {
			m = g.randomOnline(r, catOnlineRetail, catMarketplace, catOnlineElectronics, catGiftCards)
		}
		last = m
		g.txn(r, c, t, m, min(cents(lognormal(r, 120, .6), 15), 900), dev, code)
	}
}

// impossibleTravel: a counterfeit copy of the card used in person in a city
// thousands of km from where the cardholder has just paid (and, half the
// time, pays again soon after).
func (g *gen) impossibleTravel(r *rand.Rand, c *customer, t int64) {
	code := scenarioCode(ImpossibleTravel)
	home := c.city
	// The cardholder's own payment shortly before; now and then hours before,
	// and then the counterfeit may go unnoticed.
	before := uniform(r, 5*minute, 90*minute)
	if r.Float64() < .04 {
		before = uniform(r, 3*hour, 6*hour)
	}
	own := g.posMerchant(r, c, home)
	g.txn(r, c, t-before, own, amount(r, g.w.merchants[own].cat, c.spend), "", 0)
	var far []int
	for i := range cities {
		if degrees(home, i) >= 25 && distanceKm(home, i) >= 2500 {
			far = append(far, i)
		}
	}
	dest := far[r.IntN(len(far))]
	shops := []float64{catElectronics: 4, catClothing: 3, catJewellery: 2, catRestaurant: 1, catGrocery: 1, catFuel: 1}
	shops = append(shops, make([]float64, numCategories-len(shops))...)
	for j := range 1 + pick(r, []float64{45, 35, 20}) {
		if j > 0 {
			t += uniform(r, 3*minute, 25*minute)
		}
		m := g.randomPOS(r, dest, shops)
		g.txn(r, c, t, m, cents(lognormal(r, 220, .7), 20), "", code)
	}
	if r.Float64() < .5 {
		m := g.posMerchant(r, c, home)
		g.txn(r, c, t+uniform(r, 10*minute, 2*hour), m, amount(r, g.w.merchants[m].cat, c.spend), "", 0)
	}
}

// compromise makes a busy terminal compromised for two to four weeks from
// about t: every payment it takes then is fraud, and nothing in the payment
// shows it; only reports of earlier frauds at the same terminal, which
// arrive days later, can. Criminals go where many cards pass: of 30
// terminals that customers use, the one whose shop has the most regular
// customers per terminal. When the period is longer than the compromise, the
// compromise lies inside it (3 hours from either end); otherwise it starts at
// t and runs past the end. It reports false when no free terminal was found.
func (g *gen) compromise(r *rand.Rand, t int64) bool {
	length := uniform(r, 14*day, 28*day+1)
	if span := g.end - g.start; span-6*hour > length {
		t = g.start + uniform(r, 3*hour, span-3*hour-length)
	}
	best, load := int32(-1), 0.0
	for range 30 {
		c := &g.customers[r.IntN(len(g.customers))]
		mi := c.regularPOS[r.IntN(len(c.regularPOS))]
		m := &g.w.merchants[mi]
		ti := m.terminals[r.IntN(len(m.terminals))]
		if g.w.terminals[ti].to > 0 {
			continue
		}
		if l := float64(g.regulars[mi]) / float64(len(m.terminals)); best < 0 || l > load {
			best, load = ti, l
		}
	}
	if best < 0 {
		return false
	}
	term := &g.w.terminals[best]
	term.from = t
	term.to = t + length
	return true
}
