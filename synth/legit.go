package synth

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// customer is a cardholder: one card, one online account.
type customer struct {
	r              *rand.Rand
	index          int32
	cardID, userID string
	city           int
	devices        []string // devices[0] is the one mostly used
	rate           float64  // payments per day
	ecomShare      float64
	spend          float64 // spending level: multiplies amounts
	loginRate      float64 // banking-app sessions per day
	travelRate     float64 // trips started per day
	gamer          bool
	game           int32 // digital goods merchant of the gamer's game
	regularPOS     []int32
	regularEcom    []int32
	subs           []int32 // subscription merchants
	subDay         []int   // their renewal day of the month
	trip           *trip
	noTravel       bool // stays home: the cardholder of an impossible-travel incident
}

// trip is a journey from home to dest and back.
type trip struct {
	dest                       int
	depart, arrive, back, home int64
}

// where returns the customer's city at t, or -1 while travelling.
func (c *customer) where(t int64) int {
	tr := c.trip
	switch {
	case tr == nil || t < tr.depart || t >= tr.home:
		return c.city
	case t >= tr.arrive && t < tr.back:
		return tr.dest
	}
	return -1
}

// hourWeights: the daily rhythm of card use and logins, by local hour.
var hourWeights = []float64{
	.3, .15, .1, .08, .08, .15, .4, .8, 1.1, 1.2, 1.3, 1.5,
	2.0, 1.8, 1.3, 1.2, 1.3, 1.6, 1.9, 1.9, 1.6, 1.2, .8, .5,
}

// eveningWeights: hours of leisure (gaming, online shopping sprees).
var eveningWeights = []float64{
	.4, .2, .1, 0, 0, 0, 0, .1, .1, .2, .2, .3,
	.5, .5, .3, .3, .4, .6, .9, 1.2, 1.5, 1.6, 1.2, .8,
}

// localTime draws a time of day from weights, in the local time of a city,
// on the UTC day that starts at dayStart.
func localTime(r *rand.Rand, dayStart int64, tz int, weights []float64) int64 {
	h := int64(pick(r, weights))
	return dayStart + h*hour + r.Int64N(hour) - int64(tz)*minute
}

func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func newDevice(r *rand.Rand) string {
	return "d-" + strconv.FormatUint(uint64(r.Uint32())|1<<32, 16)[1:]
}

var posWeights, ecomWeights [numCategories]float64

func init() {
	for i, k := range categories {
		if k.ecom {
			ecomWeights[i] = k.weight
		} else {
			posWeights[i] = k.weight
		}
	}
}

func (g *gen) newCustomer(i int) {
	r := rng(g.cfg.Seed, streamCustomer, i)
	c := &g.customers[i]
	*c = customer{r: r, index: int32(i), cardID: "c" + pad(int64(i)+1, 7), userID: "u" + pad(int64(i)+1, 7)}
	homes := make([]float64, len(cities))
	for j, ci := range cities {
		homes[j] = ci.home
	}
	c.city = pick(r, homes)
	c.devices = []string{newDevice(r)}
	if r.Float64() < .3 {
		c.devices = append(c.devices, newDevice(r))
	}
	c.rate = min(max(lognormal(r, 2.0, .5), .2), 12)
	c.ecomShare = .1 + .4*r.Float64()
	c.spend = lognormal(r, 1, .35)
	c.loginRate = min(max(lognormal(r, .8, .6), .05), 6)
	switch x := r.Float64(); {
	case x < .6:
		c.travelRate = .004
	case x < .9:
		c.travelRate = .012
	default:
		c.travelRate = .04
	}
	w := g.w
	if r.Float64() < .15 {
		c.gamer = true
		games := w.online[catDigitalGoods]
		c.game = games[r.IntN(len(games))]
	}
	twin := cityIndex(cities[c.city].twin)
	for range 8 + r.IntN(9) {
		ci := c.city
		if twin >= 0 && r.Float64() < .3 {
			ci = twin
		}
		ms := w.byCity[ci][pick(r, posWeights[:])]
		c.regularPOS = append(c.regularPOS, ms[r.IntN(len(ms))])
	}
	for range 3 + r.IntN(6) {
		ms := w.online[pick(r, ecomWeights[:])]
		c.regularEcom = append(c.regularEcom, ms[r.IntN(len(ms))])
	}
	subs := w.online[catSubscription]
	for _, j := range r.Perm(len(subs))[:pick(r, []float64{25, 25, 20, 15, 10, 5})] {
		c.subs = append(c.subs, subs[j])
		c.subDay = append(c.subDay, 1+r.IntN(28))
	}
}

// amount draws a payment amount in category cat for c.
func amount(r *rand.Rand, cat int, spend float64) float64 {
	k := &categories[cat]
	if cat == catDigitalGoods {
		return k.prices[pick(r, digitalGoodsWeights)]
	}
	if k.prices != nil {
		return k.prices[r.IntN(len(k.prices))]
	}
	return cents(lognormal(r, k.median*spend, k.sigma), .5)
}

// txn adds a payment of c at merchant m.
func (g *gen) txn(r *rand.Rand, c *customer, t int64, m int32, amt float64, device string, scenario uint8) {
	mm := &g.w.merchants[m]
	if !mm.ecom {
		device = ""
	}
	g.emit(r, event{
		ts: t, kind: kindTxn, scenario: scenario, amount: amt, cust: c.index,
		terminal: mm.terminals[r.IntN(len(mm.terminals))], device: device,
	})
}

// login adds a login event of c.
func (g *gen) login(r *rand.Rand, c *customer, t int64, action uint8, success bool, device, country string, scenario uint8) {
	g.emit(r, event{ts: t, kind: kindLogin, action: action, success: success, cust: c.index,
		device: device, country: country, scenario: scenario})
}

// posMerchant picks where c pays in person in city ci.
func (g *gen) posMerchant(r *rand.Rand, c *customer, ci int) int32 {
	if ci == c.city && r.Float64() < .85 {
		return c.regularPOS[r.IntN(len(c.regularPOS))]
	}
	return g.randomPOS(r, ci, posWeights[:])
}

func (g *gen) randomPOS(r *rand.Rand, ci int, weights []float64) int32 {
	ms := g.w.byCity[ci][pick(r, weights)]
	return ms[r.IntN(len(ms))]
}

func (g *gen) randomOnline(r *rand.Rand, cats ...int) int32 {
	ms := g.w.online[cats[r.IntN(len(cats))]]
	return ms[r.IntN(len(ms))]
}

// device returns the device c shops or logs in with.
func (c *customer) device(r *rand.Rand) string {
	if len(c.devices) == 1 || r.Float64() < .7 {
		return c.devices[0]
	}
	return c.devices[1+r.IntN(len(c.devices)-1)]
}

// legitDay generates one UTC day of c's own activity.
func (g *gen) legitDay(c *customer, d int) {
	r := c.r
	dayStart := g.start + int64(d)*day
	if c.trip != nil && c.trip.home <= dayStart {
		c.trip = nil
	}
	if c.trip == nil && !c.noTravel && r.Float64() < c.travelRate {
		g.planTrip(c, dayStart)
	}
	here := c.where(dayStart + 12*hour)
	if here < 0 {
		here = c.city
	}
	tz := cities[here].tz
	dow := Start.AddDate(0, 0, d).Weekday()
	f := 1.0
	switch dow {
	case time.Saturday:
		f = 1.15
	case time.Sunday:
		f = .8
	}

	// Everyday payments.
	for range poisson(r, c.rate*f) {
		t := localTime(r, dayStart, tz, hourWeights)
		if r.Float64() < c.ecomShare {
			m := c.regularEcom[r.IntN(len(c.regularEcom))]
			if r.Float64() < .2 {
				m = g.randomOnline(r, catOnlineRetail, catMarketplace, catFoodDelivery, catDigitalGoods)
			}
			g.txn(r, c, t, m, amount(r, g.w.merchants[m].cat, c.spend), c.device(r), 0)
			continue
		}
		ci := c.where(t)
		if ci < 0 {
			continue // on the way
		}
		m := g.posMerchant(r, c, ci)
		g.txn(r, c, t, m, amount(r, g.w.merchants[m].cat, c.spend), "", 0)
	}

	// A gaming session: a few in-app purchases, now and then followed by
	// new gear.
	if c.gamer && r.Float64() < .2 {
		t := localTime(r, dayStart, tz, eveningWeights)
		dev := c.device(r)
		quick := r.Float64() < .4 // buying packs one after another
		for range 2 + pick(r, []float64{35, 25, 20, 12, 8}) {
			g.txn(r, c, t, c.game, amount(r, catDigitalGoods, 1), dev, 0)
			if quick {
				t += uniform(r, 10*second, 90*second)
			} else {
				t += uniform(r, minute, 10*minute)
			}
		}
		if r.Float64() < .03 {
			t += uniform(r, minute, 25*minute)
			m := g.randomOnline(r, catOnlineElectronics)
			g.txn(r, c, t, m, cents(lognormal(r, 380, .3), 150), dev, 0)
		}
	}

	// A booking: the travel site checks the card with small authorisations
	// (sometimes several, when the customer retypes), then charges.
	if r.Float64() < .006 {
		t := localTime(r, dayStart, tz, hourWeights)
		m := g.randomOnline(r, catTravel)
		dev := c.device(r)
		for range 1 + pick(r, []float64{60, 25, 15}) {
			g.txn(r, c, t, m, 1.00, dev, 0)
			t += uniform(r, 3*second, 40*second)
		}
		t += uniform(r, 20*second, 8*minute)
		g.txn(r, c, t, m, cents(lognormal(r, 320*c.spend, .6), 60), dev, 0)
	}

	// A shopping trip in town: several shops within an hour or two.
	if r.Float64() < .03 {
		t := localTime(r, dayStart, tz, hourWeights)
		if ci := c.where(t); ci >= 0 {
			mall := []float64{catClothing: 5, catRestaurant: 3, catCafe: 3, catElectronics: 1, catEntertainment: 1, catPharmacy: 1, catJewellery: .2}
			mall = append(mall, make([]float64, numCategories-len(mall))...)
			for range 3 + r.IntN(4) {
				m := g.randomPOS(r, ci, mall)
				g.txn(r, c, t, m, amount(r, g.w.merchants[m].cat, c.spend), "", 0)
				t += uniform(r, 4*minute, 25*minute)
			}
		}
	}

	// An online shopping spree: several shops in a row.
	if r.Float64() < .008 {
		t := localTime(r, dayStart, tz, eveningWeights)
		dev := c.device(r)
		for range 3 + r.IntN(5) {
			m := g.randomOnline(r, catOnlineRetail, catMarketplace, catOnlineElectronics, catGiftCards)
			g.txn(r, c, t, m, amount(r, g.w.merchants[m].cat, c.spend), dev, 0)
			t += uniform(r, 40*second, 7*minute)
		}
	}

	// A marketplace basket from several sellers, charged seller by seller
	// within a minute or two.
	if r.Float64() < .001 {
		t := localTime(r, dayStart, tz, eveningWeights)
		dev := c.device(r)
		sellers := g.w.online[catMarketplace]
		for _, j := range r.Perm(len(sellers))[:min(len(sellers), 2+r.IntN(6))] {
			g.txn(r, c, t, sellers[j], amount(r, catMarketplace, c.spend), dev, 0)
			t += uniform(r, 2*second, 30*second)
		}
	}

	// Subscriptions renew on their day of the month, in the merchant's
	// nightly batch.
	dom := Start.AddDate(0, 0, d).Day()
	for i, m := range c.subs {
		if c.subDay[i] == dom {
			mm := &g.w.merchants[m]
			g.txn(r, c, dayStart+mm.batch+uniform(r, 0, 10*minute), m, mm.price, "", 0)
		}
	}

	// Banking-app and shop logins, with the odd typo and forgotten password.
	for range poisson(r, c.loginRate) {
		t := localTime(r, dayStart, tz, hourWeights)
		g.session(r, c, t, c.device(r), .05, .004)
	}

	// A new phone: the first login from it, sometimes after a forgotten
	// password, often followed by some shopping from it.
	if r.Float64() < .0015 {
		dev := newDevice(r)
		c.devices = append([]string{dev}, c.devices...)
		t := localTime(r, dayStart, tz, hourWeights)
		t = g.session(r, c, t, dev, .1, .35)
		if r.Float64() < .5 {
			for range 1 + r.IntN(2) {
				t += uniform(r, 2*minute, 90*minute)
				m := g.randomOnline(r, catOnlineRetail, catOnlineElectronics, catMarketplace)
				g.txn(r, c, t, m, amount(r, g.w.merchants[m].cat, c.spend), dev, 0)
			}
		}
	}
}

// session is a legitimate login at t on dev: typo is the chance of one or two
// failed attempts first, forgot that of several and a password reset. After
// it, a purchase from the same device now and then. It returns the time of
// the successful login.
func (g *gen) session(r *rand.Rand, c *customer, t int64, dev string, typo, forgot float64) int64 {
	ci := c.where(t)
	if ci < 0 {
		ci = c.city
	}
	country := cities[ci].country
	switch x := r.Float64(); {
	case x < forgot:
		for range 2 + r.IntN(5) {
			g.login(r, c, t, actLogin, false, dev, country, 0)
			t += uniform(r, 6*second, 60*second)
		}
		t += uniform(r, 30*second, 5*minute)
		g.login(r, c, t, actReset, true, dev, country, 0)
		t += uniform(r, minute, 10*minute)
	case x < forgot+typo:
		for range 1 + pick(r, []float64{80, 20}) {
			g.login(r, c, t, actLogin, false, dev, country, 0)
			t += uniform(r, 4*second, 40*second)
		}
	}
	g.login(r, c, t, actLogin, true, dev, country, 0)
	if r.Float64() < .15 {
		m := c.regularEcom[r.IntN(len(c.regularEcom))]
		g.txn(r, c, t+uniform(r, minute, 30*minute), m, amount(r, g.w.merchants[m].cat, c.spend), dev, 0)
	}
	return t
}

// planTrip starts a journey today: out by train or plane, a few nights
// away, back. Payments on the way: at the station or airport, on board
// (an airline's terminal is registered at its head office), on arrival, at
// the hotel.
func (g *gen) planTrip(c *customer, dayStart int64) {
	r := c.r
	home := c.city
	twin := cityIndex(cities[home].twin)
	var near, mid, far []int
	for i := range cities {
		if i == home || i == twin {
			continue
		}
		switch km := distanceKm(home, i); {
		case km < 700:
			near = append(near, i)
		case km < 3000:
			mid = append(mid, i)
		default:
			far = append(far, i)
		}
	}
	classes := [][]int{near, mid, far}
	cl := pick(r, []float64{35, 50, 15})
	for len(classes[cl]) == 0 {
		cl = (cl + 1) % 3
	}
	dest := classes[cl][r.IntN(len(classes[cl]))]
	km := distanceKm(home, dest)
	flight := km >= 700
	var dur int64
	if flight {
		dur = 45*minute + int64(km/800*float64(hour))
	} else {
		dur = 15*minute + int64(km/90*float64(hour))
	}
	nights := []int{1 + r.IntN(3), 2 + r.IntN(5), 5 + r.IntN(8)}[cl]
	tr := &trip{dest: dest}
	tr.depart = dayStart + uniform(r, 7*hour, 20*hour) - int64(cities[home].tz)*minute
	tr.arrive = tr.depart + dur
	tr.back = dayStart + int64(nights)*day + uniform(r, 8*hour, 20*hour) - int64(cities[dest].tz)*minute
	if tr.back < tr.arrive+12*hour {
		tr.back = tr.arrive + 12*hour
	}
	tr.home = tr.back + dur
	c.trip = tr

	transport := []float64{catTransport: 5, catCafe: 3, catRestaurant: 2}
	transport = append(transport, make([]float64, numCategories-len(transport))...)
	arrival := []float64{catTransport: 4, catRestaurant: 3, catHotel: 2, catCafe: 2}
	arrival = append(arrival, make([]float64, numCategories-len(arrival))...)
	leg := func(from, to int, leave, land int64) {
		if r.Float64() < .6 {
			m := g.randomPOS(r, from, transport)
			g.txn(r, c, leave-uniform(r, 20*minute, 2*hour), m, amount(r, g.w.merchants[m].cat, c.spend), "", 0)
		}
		if flight && dur >= 90*minute && r.Float64() < .25 {
			m := g.airline(r, from, to)
			g.txn(r, c, leave+int64((.3+.5*r.Float64())*float64(dur)), m, cents(lognormal(r, 11, .5), 2), "", 0)
		}
		if r.Float64() < .75 {
			m := g.randomPOS(r, to, arrival)
			g.txn(r, c, land+uniform(r, 10*minute, 3*hour), m, amount(r, g.w.merchants[m].cat, c.spend), "", 0)
		}
	}
	leg(home, dest, tr.depart, tr.arrive)
	if r.Float64() < .6 {
		hotels := g.w.byCity[dest][catHotel]
		m := hotels[r.IntN(len(hotels))]
		g.txn(r, c, tr.back-uniform(r, hour, 4*hour), m, cents(lognormal(r, 110*c.spend, .4)*float64(nights), 40), "", 0)
		// The minibar or the city tax, charged on the hotel's terminal after
		// the guest has left.
		if r.Float64() < .15 {
			g.txn(r, c, tr.back+uniform(r, hour, 6*hour), m, cents(lognormal(r, 25, .6), 2), "", 0)
		}
	}
	leg(dest, home, tr.back, tr.home)
}

// airline picks the airline of a flight: one based in the country of either
// end, else a low-cost carrier.
func (g *gen) airline(r *rand.Rand, from, to int) int32 {
	var local []string
	for _, ci := range cities {
		if ci.airline != "" && (ci.country == cities[from].country || ci.country == cities[to].country) {
			local = append(local, ci.airline)
		}
	}
	if len(local) > 0 && r.Float64() < .6 {
		return g.w.airlines[local[r.IntN(len(local))]]
	}
	lowCost := []string{"FR", "U2"}
	return g.w.airlines[lowCost[r.IntN(len(lowCost))]]
}
