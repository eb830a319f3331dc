package synth

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// city is a place where cards are used. Cities with a home weight have
// residents; the others are only visited (by travellers and fraudsters).
type city struct {
	name    string
	country string
	lat     float64
	lon     float64
	tz      int     // UTC offset in minutes in November (standard time)
	home    float64 // share of customers living here
	twin    string  // a town across a border, a few km away, where residents also shop
	airline string  // an airline based here (its in-flight terminals are registered here)
}

// cities: western Europe, where most customers live, plus places they travel
// to and places where counterfeit cards turn up.
var cities = []city{
	{"Paris", "FR", 48.857, 2.352, 60, .13, "", "AF"},
	{"Lyon", "FR", 45.764, 4.836, 60, .04, "", ""},
	{"Marseille", "FR", 43.296, 5.370, 60, .03, "", ""},
	{"Strasbourg", "FR", 48.573, 7.752, 60, .02, "Kehl", ""},
	{"Lille", "FR", 50.629, 3.057, 60, .02, "Kortrijk", ""},
	{"Annemasse", "FR", 46.193, 6.234, 60, .005, "Geneva", ""},
	{"Berlin", "DE", 52.520, 13.405, 60, .07, "", ""},
	{"Munich", "DE", 48.137, 11.576, 60, .05, "", ""},
	{"Hamburg", "DE", 53.551, 9.994, 60, .04, "", ""},
	{"Frankfurt", "DE", 50.110, 8.682, 60, .03, "", "LH"},
	{"Kehl", "DE", 48.570, 7.815, 60, .005, "Strasbourg", ""},
	{"Aachen", "DE", 50.776, 6.084, 60, .01, "Maastricht", ""},
	{"Maastricht", "NL", 50.851, 5.691, 60, .01, "Aachen", ""},
	{"Amsterdam", "NL", 52.368, 4.904, 60, .05, "", "KL"},
	{"Brussels", "BE", 50.850, 4.352, 60, .04, "", ""},
	{"Kortrijk", "BE", 50.828, 3.265, 60, .01, "Lille", ""},
	{"Geneva", "CH", 46.204, 6.143, 60, .015, "Annemasse", ""},
	{"Madrid", "ES", 40.417, -3.704, 60, .06, "", "IB"},
	{"Barcelona", "ES", 41.385, 2.173, 60, .04, "", ""},
	{"Rome", "IT", 41.903, 12.496, 60, .04, "", "AZ"},
	{"Milan", "IT", 45.464, 9.190, 60, .05, "", ""},
	{"London", "GB", 51.507, -0.128, 0, .07, "", "U2"},
	{"Manchester", "GB", 53.480, -2.242, 0, .02, "", ""},
	{"Dublin", "IE", 53.350, -6.260, 0, .01, "", "FR"},
	{"Lisbon", "PT", 38.722, -9.139, 0, .03, "", "TP"},
	{"Warsaw", "PL", 52.230, 21.012, 60, .03, "", ""},
	{"Stockholm", "SE", 59.329, 18.069, 60, .02, "", ""},
	{"Vienna", "AT", 48.208, 16.373, 60, .015, "", ""},
	{"New York", "US", 40.713, -74.006, -300, .03, "", ""},
	// Visited only.
	{"Prague", "CZ", 50.075, 14.438, 60, 0, "", ""},
	{"Athens", "GR", 37.984, 23.728, 120, 0, "", ""},
	{"Istanbul", "TR", 41.008, 28.978, 180, 0, "", ""},
	{"Marrakech", "MA", 31.630, -7.990, 60, 0, "", ""},
	{"Dubai", "AE", 25.205, 55.271, 240, 0, "", ""},
	{"Bangkok", "TH", 13.756, 100.502, 420, 0, "", ""},
	{"Miami", "US", 25.762, -80.192, -300, 0, "", ""},
	{"Sao Paulo", "BR", -23.550, -46.633, -180, 0, "", ""},
	{"Lagos", "NG", 6.524, 3.379, 60, 0, "", ""},
	{"Mexico City", "MX", 19.433, -99.133, -360, 0, "", ""},
	{"Mumbai", "IN", 19.076, 72.878, 330, 0, "", ""},
	{"Manila", "PH", 14.600, 120.984, 480, 0, "", ""},
}

// cityIndex returns the index of the city named name, or -1.
func cityIndex(name string) int {
	for i, c := range cities {
		if c.name == name {
			return i
		}
	}
	return -1
}

// distanceKm is the great-circle distance between two cities.
func distanceKm(a, b int) float64 {
	const r = 6371.0
	la1, lo1 := cities[a].lat*math.Pi/180, cities[a].lon*math.Pi/180
	la2, lo2 := cities[b].lat*math.Pi/180, cities[b].lon*math.Pi/180
	h := math.Pow(math.Sin((la2-la1)/2), 2) + math.Cos(la1)*math.Cos(la2)*math.Pow(math.Sin((lo2-lo1)/2), 2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// degrees is the rough distance the rule pack uses: |Δlat| + |Δlon|.
func degrees(a, b int) float64 {
	return math.Abs(cities[a].lat-cities[b].lat) + math.Abs(cities[a].lon-cities[b].lon)
}

// Merchant categories. Amounts are log-normal around median with the given
// sigma (times the customer's spending level), except where a category has
// a price list.
type category struct {
	name   string
	ecom   bool
	median float64
	sigma  float64
	weight float64 // share in everyday shopping
	prices []float64
}

const (
	catGrocery = iota
	catRestaurant
	catCafe
	catFuel
	catPharmacy
	catClothing
	catElectronics
	catParking
	catEntertainment
	catTransport
	catHotel
	catJewellery
	catAirline
	// ecom
	catOnlineRetail
	catMarketplace
	catFoodDelivery
	catDigitalGoods
	catOnlineElectronics
	catGiftCards
	catTravel
	catSubscription
	catDonation
	numCategories
)

var categories = [numCategories]category{
	catGrocery:           {"grocery", false, 38, .55, 30, nil},
	catRestaurant:        {"restaurant", false, 32, .6, 14, nil},
	catCafe:              {"cafe", false, 4.2, .35, 12, nil},
	catFuel:              {"fuel", false, 55, .35, 8, nil},
	catPharmacy:          {"pharmacy", false, 17, .6, 6, nil},
	catClothing:          {"clothing", false, 60, .6, 7, nil},
	catElectronics:       {"electronics", false, 160, .8, 2, nil},
	catParking:           {"parking", false, 3.0, .45, 5, nil},
	catEntertainment:     {"entertainment", false, 26, .5, 4, nil},
	catTransport:         {"transport", false, 22, .9, 3, nil},
	catHotel:             {"hotel", false, 130, .5, 0, nil},
	catJewellery:         {"jewellery", false, 280, .7, .3, nil},
	catAirline:           {"airline", false, 11, .5, 0, nil},
	catOnlineRetail:      {"online_retail", true, 42, .8, 30, nil},
	catMarketplace:       {"marketplace", true, 33, .8, 20, nil},
	catFoodDelivery:      {"food_delivery", true, 27, .35, 15, nil},
	catDigitalGoods:      {"digital_goods", true, 0, 0, 10, []float64{0.99, 1.99, 2.99, 4.99, 9.99, 19.99}},
	catOnlineElectronics: {"online_electronics", true, 210, .7, 4, nil},
	catGiftCards:         {"gift_cards", true, 50, .5, 1, nil},
	catTravel:            {"travel", true, 320, .7, 0, nil},
	catSubscription:      {"subscription", true, 0, 0, 0, []float64{4.99, 7.99, 9.99, 12.99, 14.99, 19.99, 29.99}},
	catDonation:          {"donation", true, 20, .8, .5, nil},
}

// digitalGoodsWeights: how often each price of the digital goods list is paid.
var digitalGoodsWeights = []float64{30, 25, 15, 15, 10, 5}

// ecomCountries: where online merchants are registered.
var ecomCountries = []string{"IE", "LU", "NL", "US", "GB", "DE", "FR", "ES", "IT"}
var ecomCountryWeights = []float64{18, 14, 10, 16, 10, 10, 10, 6, 6}

// merchant is a shop with terminals: physical ones in a city, or one virtual
// terminal for an online merchant.
type merchant struct {
	id        string
	cat       int
	ecom      bool
	city      int // -1 online
	country   string
	lat, lon  float64
	terminals []int32
	price     float64 // subscriptions: the monthly price
	batch     int64   // subscriptions: when renewals are charged, ms after midnight UTC
}

type terminal struct {
	id       string
	merchant int32
	// A compromised terminal: every payment in [from, to) is fraud.
	from, to int64
}

// world holds the merchants and terminals, and indexes them.
type world struct {
	merchants []merchant
	terminals []terminal
	// byCity[city][category]: physical merchants.
	byCity [][numCategories][]int32
	// online[category]: online merchants.
	online [numCategories][]int32
	// airlines: in-flight merchants by airline code.
	airlines     map[string]int32
	airlineCodes []string
}

// pick returns an index chosen with the given weights.
func pick(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// uniform returns a duration in ms uniformly in [lo, hi).
func uniform(r *rand.Rand, lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + r.Int64N(hi-lo)
}

// lognormal returns median·e^(σ·N(0,1)).
func lognormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// cents rounds to the cent, at least min.
func cents(x, min float64) float64 {
	x = math.Round(x*100) / 100
	if x < min {
		return min
	}
	return x
}

func buildWorld(r *rand.Rand, cards int) *world {
	w := &world{byCity: make([][numCategories][]int32, len(cities)), airlines: map[string]int32{}}
	addMerchant := func(m merchant, terminals int) {
		idx := int32(len(w.merchants))
		m.id = "m" + pad(int64(idx)+1, 5)
		for range terminals {
			t := int32(len(w.terminals))
			w.terminals = append(w.terminals, terminal{id: "T" + pad(int64(t)+1, 6), merchant: idx})
			m.terminals = append(m.terminals, t)
		}
		w.merchants = append(w.merchants, m)
		if m.ecom {
			w.online[m.cat] = append(w.online[m.cat], idx)
		} else if m.city >= 0 {
			w.byCity[m.city][m.cat] = append(w.byCity[m.city][m.cat], idx)
		}
	}
	for ci, c := range cities {
		residents := c.home * float64(cards)
		for cat := 0; cat < numCategories; cat++ {
			k := &categories[cat]
			if k.ecom || cat == catAirline {
				continue
			}
			// At least two of each category in every city, more where people live.
			n := 2 + int(residents*k.weight/100/4)
			if cat == catHotel || cat == catTransport {
				n = 3 + int(residents/200)
			}
			for range n {
				terms := 1
				switch cat {
				case catGrocery, catFuel, catTransport:
					terms = 1 + r.IntN(4)
				case catRestaurant, catClothing, catElectronics, catPharmacy:
					terms = 1 + r.IntN(2)
				}
				addMerchant(merchant{
					cat: cat, city: ci, country: c.country,
					lat: c.lat + (r.Float64()-.5)*.06, lon: c.lon + (r.Float64()-.5)*.08,
				}, terms)
			}
		}
	}
	for _, c := range cities {
		if c.airline == "" {
			continue
		}
		w.airlines[c.airline] = int32(len(w.merchants))
		w.airlineCodes = append(w.airlineCodes, c.airline)
		addMerchant(merchant{cat: catAirline, city: -1, country: c.country, lat: c.lat, lon: c.lon}, 1)
	}
	for cat := 0; cat < numCategories; cat++ {
		k := &categories[cat]
		if !k.ecom {
			continue
		}
		n := 3 + int(float64(40+cards/50)*k.weight/100)
		switch cat {
		case catSubscription:
			n = 12
		case catTravel:
			n = 8
		case catDonation:
			n = 5
		}
		for range n {
			m := merchant{cat: cat, ecom: true, city: -1, country: ecomCountries[pick(r, ecomCountryWeights)]}
			if cat == catSubscription {
				m.price = k.prices[r.IntN(len(k.prices))]
				m.batch = uniform(r, 0, 90*minute)
			}
			addMerchant(m, 1)
		}
	}
	return w
}

// pad formats n with at least width digits.
func pad(n int64, width int) string {
	s := strconv.FormatInt(n, 10)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
