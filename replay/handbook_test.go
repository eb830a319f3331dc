package replay

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/patterns"
)

const handbook = "../../shared/data/handbook-transactions.csv.gz"

// handbookTxn is one row of the handbook dataset, read independently of
// Kestrel's decoders.
type handbookTxn struct {
	id, ts, customer, terminal int64
	amount                     float64
	fraud                      bool
}

func readHandbook(t *testing.T) []handbookTxn {
	t.Helper()
	f, err := os.Open(handbook)
	if err != nil {
		t.Skipf("SKIPPING: the handbook dataset is not at %s: %v", handbook, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(zr)
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	var rows []handbookTxn
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ts, err := time.Parse(time.RFC3339, rec[1])
		if err != nil {
			t.Fatal(err)
		}
		id, _ := strconv.ParseInt(rec[0], 10, 64)
		c, _ := strconv.ParseInt(rec[2], 10, 64)
		term, _ := strconv.ParseInt(rec[3], 10, 64)
		amt, _ := strconv.ParseFloat(rec[4], 64)
		rows = append(rows, handbookTxn{id, ts.UnixMilli(), c, term, amt, rec[5] == "true"})
	}
	return rows
}

// windowStats counts and sums the rows of one key with lo < ts <= hi, over
// the key's rows in arrival order up to and including row upto (so events of
// equal time that came later are not seen).
func windowStats(rows []handbookTxn, idx []int, upto int, lo, hi int64) (n int, sum float64, frauds int) {
	for _, i := range idx {
		if i > upto {
			break
		}
		r := rows[i]
		if r.ts > lo && r.ts <= hi {
			n++
			sum += r.amount
			if r.fraud {
				frauds++
			}
		}
	}
	return
}

// TestHandbookFeatures replays the handbook dataset with the features of
// testdata/handbook/features.krl and checks them, for a sample of
// transactions, against values computed here by a plain scan.
func TestHandbookFeatures(t *testing.T) {
	if testing.Short() {
		t.Skip("replays 1.75 M transactions")
	}
	rows := readHandbook(t)
	// A rule that reports every feature for every 997th transaction.
	f, errs := patterns.Parse("sample.krl", []byte(`
rule sample
  pattern t: txn[id % 997 == 0]
  emit { c1: customer_n_1d, a1: customer_avg_1d, c7: customer_n_7d, a7: customer_avg_7d,
         c30: customer_n_30d, a30: customer_avg_30d,
         tn1: terminal_n_1d, tf1: terminal_fraud_1d, tn7: terminal_n_7d, tf7: terminal_fraud_7d,
         share7: terminal_fraud_7d * 1.0 / terminal_n_7d }
`))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	src, err := os.ReadFile("../testdata/handbook/features.krl")
	if err != nil {
		t.Fatal(err)
	}
	fb, errs := patterns.Parse("features.krl", src)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	rs, errs := patterns.Compile([]*patterns.File{fb, f}, patterns.Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got collector
	if _, err := Run(rs, []Input{{Path: handbook}}, Options{Sink: &got}); err != nil {
		t.Fatal(err)
	}

	byCustomer := map[int64][]int{}
	byTerminal := map[int64][]int{}
	for i, r := range rows {
		byCustomer[r.customer] = append(byCustomer[r.customer], i)
		byTerminal[r.terminal] = append(byTerminal[r.terminal], i)
	}
	rowOf := map[int64]int{}
	for i, r := range rows {
		if r.id%997 == 0 {
			rowOf[r.id] = i
		}
	}
	if len(got.alerts) != len(rowOf) {
		t.Fatalf("%d sampled alerts, want %d", len(got.alerts), len(rowOf))
	}
	const day = int64(24 * time.Hour / time.Millisecond)
	checked := 0
	for _, a := range got.alerts {
		id, _ := strconv.ParseInt(a.rec.Steps[0].Events[0].Identity, 10, 64)
		i := rowOf[id]
		r := rows[i]
		fields := map[string]any{}
		for _, fl := range a.rec.Fields {
			var v any
			json.Unmarshal(fl.Value, &v)
			fields[fl.Name] = v
		}
		want := map[string]any{}
		for _, w := range []struct {
			days       int64
			count, avg string
		}{{1, "c1", "a1"}, {7, "c7", "a7"}, {30, "c30", "a30"}} {
			n, sum, _ := windowStats(rows, byCustomer[r.customer], i, r.ts-w.days*day, r.ts)
			want[w.count] = float64(n)
			want[w.avg] = sum / float64(n) // n ≥ 1: the current transaction
		}
		for _, w := range []struct {
			days     int64
			n, fraud string
		}{{1, "tn1", "tf1"}, {7, "tn7", "tf7"}} {
			n, _, fr := windowStats(rows, byTerminal[r.terminal], i, r.ts-7*day-w.days*day, r.ts-7*day)
			want[w.n], want[w.fraud] = float64(n), float64(fr)
			if w.days == 7 {
				if n == 0 {
					want["share7"] = nil
				} else {
					want["share7"] = float64(fr) / float64(n)
				}
			}
		}
		for name, w := range want {
			g := fields[name]
			if wf, ok := w.(float64); ok {
				gf, ok := g.(float64)
				if !ok || math.Abs(gf-wf) > 1e-9*math.Max(1, math.Abs(wf)) {
					t.Errorf("txn %d (customer %d, terminal %d) %s = %v, want %v", id, r.customer, r.terminal, name, g, w)
				}
			} else if g != w {
				t.Errorf("txn %d %s = %v, want %v", id, name, g, w)
			}
		}
		checked++
	}
	if checked < 1700 {
		t.Fatalf("checked %d transactions", checked)
	}
	t.Logf("checked 11 features on %d sampled transactions", checked)
}
