package replay

import (
	"os"
	"testing"

	"github.com/kestrelcep/kestrel/patterns"
)

// BenchmarkHandbookFeatures replays the handbook dataset (CSV, gzip) with the
// ten features of testdata/handbook/features.krl and a rule reading them.
func BenchmarkHandbookFeatures(b *testing.B) {
	if _, err := os.Stat(handbook); err != nil {
		b.Skipf("the handbook dataset is not at %s", handbook)
	}
	src, err := os.ReadFile("../testdata/handbook/features.krl")
	if err != nil {
		b.Fatal(err)
	}
	f, errs := patterns.Parse("features.krl", append(src, []byte(`
rule spike
  by customer_id
  pattern t: txn[amount > 3 * customer_avg_30d and customer_n_30d > 10]
`)...))
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	rs, errs := patterns.Compile([]*patterns.File{f}, patterns.Options{})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	b.ReportAllocs()
	var events int64
	for b.Loop() {
		stats, err := Run(rs, []Input{{Path: handbook}}, Options{Sink: &discard{}})
		if err != nil {
			b.Fatal(err)
		}
		events = stats.Events
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
