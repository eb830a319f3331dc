package features_test

import (
	"fmt"

	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/features"
)

// A sliding sum, as the feature stage uses it: add each event, then read
// the value as of the event.
func Example() {
	// feature card_spend_1h = sum(amount) of txn by card_id over sliding 1h
	f, err := features.New(features.Spec{Name: "card_spend_1h", Agg: features.Sum, ArgType: expr.Float,
		Window: features.Sliding, Size: 3_600_000, Lateness: 60_000})
	if err != nil {
		panic(err)
	}
	for _, e := range []struct {
		ms     int64
		amount float64
	}{{0, 10}, {1_800_000, 20}, {3_600_000, 5}, {3_600_001, 1}} {
		f.Add("c-1", e.ms, expr.FloatValue(e.amount))
		fmt.Println(e.ms, f.Value("c-1", e.ms).F)
	}
	// Output:
	// 0 10
	// 1800000 30
	// 3600000 25
	// 3600001 26
}

// A tumbling window with emit: each window is written when the watermark
// reaches its end, and corrected when a late event within the lateness
// changes it.
func ExampleFeature_Advance() {
	f, _ := features.New(features.Spec{Name: "merchant_volume", Agg: features.Count,
		Window: features.Tumbling, Size: 10, Lateness: 5, Emit: true})
	show := func(w features.Window) {
		fmt.Printf("%s %s [%d,%d) %d revision %d\n", w.Feature, w.Key, w.Start, w.End, w.Value.I, w.Revision)
	}
	f.Add("m-7", 1, expr.Value{})
	f.Add("m-7", 8, expr.Value{})
	f.Advance(10, show)
	fmt.Println(f.Add("m-7", 9, expr.Value{})) // late, within the lateness
	fmt.Println(f.Add("m-7", 4, expr.Value{})) // beyond it: for the `late` output
	f.Advance(10, show)
	// Output:
	// merchant_volume m-7 [0,10) 2 revision 0
	// true
	// false
	// merchant_volume m-7 [0,10) 3 revision 1
}

func ExampleNew() {
	_, err := features.New(features.Spec{Name: "bad", Agg: features.Avg, ArgType: expr.String,
		Window: features.Hopping, Size: 10, Every: 20})
	fmt.Println(err)
	// Output:
	// invalid feature bad: avg needs a number; its argument is string
	// invalid feature bad: a hopping window's step must be positive and at most its size
}
