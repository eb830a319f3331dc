package expr

import (
	"strings"
	"testing"
)

// Evaluation allocates nothing, except for building new strings (+ on
// strings, lower, upper).
func TestNoAllocs(t *testing.T) {
	cur := mkRow(map[string]Value{
		"amount": FloatValue(700), "country": StringValue("NL"), "merchant": StringValue("m1"), "card_id": StringValue("c"),
		"n": IntValue(3), "ts": TimeValue(tue1015), "d": DurationValue(minute), "note": StringValue("Ab"),
	})
	e := &env{cur: cur, steps: [][]Row{{cur}, {cur, cur, cur}}}
	for _, src := range []string{
		`amount > 500 and country != "DE" and merchant in ["a", "m1", "c"] and amount < 10000 and card_id is not null`,
		`amount * 2 + n / 3 - abs(amount) % 7 > round(1.5) or not is_fraud`,
		`sum(s.amount) + avg(s.n) + count(s) > max(s.amount) and min(s.country) == last(s).country`,
		`ts - p.ts < 10m and hour(ts) between 9 and 17 and weekday(ts) in [1, 2, 3]`,
		`risk_by_merchant[merchant].score > 0.5 and pair[country, 2].limit == 100`,
		`contains(note, "b") and startswith(note, "A") and matches(note, "^[A-Z]b$") and len(note) == 2`,
		`coalesce(f, amount, 0) > 1 and lower(merchant) == "m1" and country + "" == "NL"`, // lower and + of an unchanged string: no copy
		`-d < 0s and d * 2 / 2 == 1m and this.amount is not null and key == "c" and risk is null`,
	} {
		x, errs := Compile(parse(t, src), testScope())
		if errs != nil {
			t.Fatal(errs)
		}
		if !x.Cond(e) {
			t.Errorf("%s: false", src)
		}
		if raceEnabled && strings.Contains(src, "[merchant]") {
			continue
		}
		if n := testing.AllocsPerRun(100, func() { x.Eval(e) }); n != 0 {
			t.Errorf("%s: %v allocations", src, n)
		}
	}
}
