package features

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/expr"
)

// cpuTime is the CPU time used by the process so far. Benchmarks report it
// per op (cpu-ns/op) besides the wall time: on a machine shared with other
// work, wall time per op varies a lot while CPU time per op holds.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapBytes is the live heap after a collection.
func heapBytes() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

var benchKeys = flag.Int("keys", 10_000, "keys in BenchmarkUpdate")

const (
	hour = int64(time.Hour / time.Millisecond)
	day  = 24 * hour
)

// stream is a synthetic card stream: nkeys keys chosen at random, events
// every step ms on average (so each key gets about day/step/nkeys events a
// day), amounts like card payments.
type stream struct {
	keys []string
	pick []int32
	amt  []float64
	step int64
	t    int64
	i    int
}

func newStream(nkeys int, perKeyPerDay int) *stream {
	r := rand.New(rand.NewPCG(1, 2))
	s := &stream{keys: make([]string, nkeys), pick: make([]int32, 1<<20), amt: make([]float64, 1<<20)}
	for i := range s.keys {
		s.keys[i] = fmt.Sprintf("card-%07d", i)
	}
	for i := range s.pick {
		s.pick[i] = int32(r.IntN(nkeys))
		s.amt[i] = float64(r.IntN(50000)) / 100
	}
	s.step = max(1, day/int64(nkeys*perKeyPerDay))
	s.t = 1_700_000_000_000
	return s
}

// next is the next event: its key, time and amount; the time goes up by
// step every event.
func (s *stream) next() (string, int64, float64) {
	j := s.i & (len(s.pick) - 1)
	s.i++
	s.t += s.step
	return s.keys[s.pick[j]], s.t, s.amt[j]
}

// feed runs n events through fs as the engine's feature stage does: Add,
// then the value as of the event; the watermark follows the events.
func feed(s *stream, fs []*Feature, n int) {
	for range n {
		key, t, a := s.next()
		v := expr.FloatValue(a)
		for _, f := range fs {
			f.Add(key, t, v)
			_ = f.Value(key, t)
		}
		if s.i&1023 == 0 {
			for _, f := range fs {
				f.Advance(t, nil)
			}
		}
	}
}

// BenchmarkSliding3 is the feature stage's common case: three sliding
// features per event (count over 1h, sum and max of the amount over 24h),
// 10,000 keys with 10 or 100 events each a day (the handbook dataset has
// about 2 per card a day), the windows full before timing. An op is one
// event, three updates: "group" as the engine holds them, one Group (Add,
// then Values as of the event); "features" as three Features (Add, then
// Value, for each).
func BenchmarkSliding3(b *testing.B) {
	specs := []Spec{
		{Name: "n1h", Agg: Count, Window: Sliding, Size: hour, Lateness: 60_000},
		{Name: "sum24h", Agg: Sum, ArgType: expr.Float, Window: Sliding, Size: day, Lateness: 60_000},
		{Name: "max24h", Agg: Max, ArgType: expr.Float, Window: Sliding, Size: day, Lateness: 60_000},
	}
	for _, perDay := range []int{10, 100} {
		for _, how := range []string{"group", "features"} {
			b.Run(fmt.Sprintf("10k-keys/%d-per-key-day/%s", perDay, how), func(b *testing.B) {
				const nkeys = 10_000
				s := newStream(nkeys, perDay)
				before := heapBytes()
				var step func()
				var fs []*Feature
				var g *Group
				if how == "group" {
					var err error
					g, err = NewGroup([]Member{{Spec: specs[0]}, {Spec: specs[1]}, {Spec: specs[2]}})
					if err != nil {
						b.Fatal(err)
					}
					args := make([]expr.Value, 1)
					var vals []expr.Value
					step = func() {
						key, t, a := s.next()
						args[0] = expr.FloatValue(a)
						g.Add(key, t, args, ^uint64(0))
						vals = g.Values(vals[:0], key, t)
						if s.i&1023 == 0 {
							g.Advance(t, nil)
						}
					}
				} else {
					for _, sp := range specs {
						fs = append(fs, mustNew(b, sp))
					}
					step = func() {
						key, t, a := s.next()
						v := expr.FloatValue(a)
						for _, f := range fs {
							f.Add(key, t, v)
							_ = f.Value(key, t)
						}
						if s.i&1023 == 0 {
							for _, f := range fs {
								f.Advance(t, nil)
							}
						}
					}
				}
				for range nkeys * perDay { // a day: every window is full
					step()
				}
				bytes := float64(heapBytes()-before) / nkeys
				b.ReportAllocs()
				b.ResetTimer()
				cpu0 := cpuTime()
				for b.Loop() {
					step()
				}
				cpu := cpuTime() - cpu0
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
				b.ReportMetric(3*float64(b.N)/b.Elapsed().Seconds(), "updates/s")
				b.ReportMetric(3*float64(b.N)/cpu.Seconds(), "updates/cpu-s")
				b.ReportMetric(bytes, "B/key")
				runtime.KeepAlive(g)
				runtime.KeepAlive(fs)
			})
		}
	}
}

// BenchmarkUpdate is one feature's update (Add, then Value as of the
// event) for each window kind and a few aggregations, 10,000 keys with
// about 100 events each a day, windows of an hour.
func BenchmarkUpdate(b *testing.B) {
	kinds := []struct {
		name string
		spec Spec
	}{
		{"sliding", Spec{Window: Sliding, Size: hour}},
		{"tumbling", Spec{Window: Tumbling, Size: hour, Emit: true}},
		{"hopping", Spec{Window: Hopping, Size: hour, Every: 15 * 60_000, Emit: true}},
		{"session", Spec{Window: Session, Size: hour, Emit: true}},
		{"global", Spec{Window: Global}},
	}
	aggs := []struct {
		name string
		agg  Agg
		arg  expr.Type
	}{
		{"count", Count, expr.Null},
		{"sum", Sum, expr.Float},
		{"max", Max, expr.Float},
		{"stddev", Stddev, expr.Float},
		{"distinct", DistinctCount, expr.Float},
		{"last", Last, expr.Float},
	}
	for _, k := range kinds {
		for _, a := range aggs {
			b.Run(k.name+"/"+a.name, func(b *testing.B) {
				spec := k.spec
				spec.Name, spec.Agg, spec.ArgType, spec.Lateness = a.name, a.agg, a.arg, 60_000
				nkeys := *benchKeys
				s := newStream(nkeys, 100)
				before := heapBytes()
				f := mustNew(b, spec)
				feed(s, []*Feature{f}, nkeys*10)
				bytes := float64(heapBytes()-before) / float64(nkeys)
				records := 0
				count := func(Window) { records++ }
				b.ReportAllocs()
				b.ResetTimer()
				cpu0 := cpuTime()
				for b.Loop() {
					key, t, x := s.next()
					f.Add(key, t, expr.FloatValue(x))
					_ = f.Value(key, t)
					if s.i&1023 == 0 {
						f.Advance(t, count)
					}
				}
				cpu := cpuTime() - cpu0
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
				b.ReportMetric(bytes, "B/key")
			})
		}
	}
}

// BenchmarkKeyMemory measures the memory of a key that holds one event in
// its window, the floor of a feature's state per key (a key whose window
// is empty is removed), over 100,000 keys.
func BenchmarkKeyMemory(b *testing.B) {
	for _, c := range []struct {
		name string
		spec Spec
	}{
		{"sliding-count", Spec{Agg: Count, Window: Sliding, Size: hour}},
		{"sliding-sum", Spec{Agg: Sum, ArgType: expr.Float, Window: Sliding, Size: hour}},
		{"sliding-max", Spec{Agg: Max, ArgType: expr.Float, Window: Sliding, Size: hour}},
		{"tumbling-max-emit", Spec{Agg: Max, ArgType: expr.Float, Window: Tumbling, Size: hour, Emit: true}},
		{"session-count-emit", Spec{Agg: Count, Window: Session, Size: hour, Emit: true}},
		{"global-sum", Spec{Agg: Sum, ArgType: expr.Float}},
	} {
		b.Run(c.name, func(b *testing.B) {
			const nkeys = 100_000
			var bytes float64
			for b.Loop() {
				before := heapBytes()
				f := mustNew(b, c.spec)
				t := int64(1_700_000_000_000)
				for i := range nkeys {
					key := fmt.Sprintf("card-%07d", i)
					f.Add(key, t, expr.FloatValue(12.5))
					f.Value(key, t)
					t++
				}
				f.Advance(t, nil)
				if f.Keys() != nkeys {
					b.Fatalf("%d keys, want %d", f.Keys(), nkeys)
				}
				bytes = float64(heapBytes()-before) / nkeys
				runtime.KeepAlive(f)
			}
			b.ReportMetric(bytes, "B/key")
		})
	}
}

// BenchmarkHandbook runs the handbook dataset (1.75 M card transactions,
// ../shared/data; skipped when absent) through six features: per customer
// the count over 1h, sum and max of the amount over 24h; per terminal the
// count over 7 days, the count over 7 days 7 days ago (offset), and the
// distinct customers over 24h. An op is one transaction, six updates.
func BenchmarkHandbook(b *testing.B) {
	rows := loadHandbook(b)
	byCustomer := []*Feature{
		mustNew(b, Spec{Name: "c_n1h", Agg: Count, Window: Sliding, Size: hour}),
		mustNew(b, Spec{Name: "c_sum24h", Agg: Sum, ArgType: expr.Float, Window: Sliding, Size: day}),
		mustNew(b, Spec{Name: "c_max24h", Agg: Max, ArgType: expr.Float, Window: Sliding, Size: day}),
	}
	byTerminal := []*Feature{
		mustNew(b, Spec{Name: "t_n7d", Agg: Count, Window: Sliding, Size: 7 * day}),
		mustNew(b, Spec{Name: "t_n7d_7d", Agg: Count, Window: Sliding, Size: 7 * day, Offset: 7 * day}),
		mustNew(b, Spec{Name: "t_cust24h", Agg: DistinctCount, ArgType: expr.Int, Window: Sliding, Size: day}),
	}
	span := rows[len(rows)-1].t - rows[0].t + day
	shift := int64(0)
	i := 0
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		r := &rows[i]
		t := r.t + shift
		v := expr.FloatValue(r.amount)
		for _, f := range byCustomer {
			f.Add(r.customer, t, v)
			_ = f.Value(r.customer, t)
		}
		cust := expr.IntValue(r.customerID)
		for _, f := range byTerminal {
			f.Add(r.terminal, t, cust)
			_ = f.Value(r.terminal, t)
		}
		if i&1023 == 0 {
			for _, f := range byCustomer {
				f.Advance(t, nil)
			}
			for _, f := range byTerminal {
				f.Advance(t, nil)
			}
		}
		if i++; i == len(rows) {
			i, shift = 0, shift+span
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(6*float64(b.N)/b.Elapsed().Seconds(), "updates/s")
}

// BenchmarkHandbookGroups runs the handbook dataset through the ten
// features of testdata/handbook/features.krl as the engine's feature stage
// holds them: two groups, per customer the count and average amount over
// 1, 7 and 30 days, per terminal the count and the frauds over 1 and 7
// days 7 days ago. An op is one transaction, ten updates (Prefetch and Add
// for each group, then the values of each group as of the transaction). It reports the memory
// per key (customers and terminals) at the end of the data.
func BenchmarkHandbookGroups(b *testing.B) {
	rows := loadHandbook(b)
	before := heapBytes()
	var cm []Member
	for _, d := range []int64{1, 7, 30} {
		cm = append(cm, Member{Spec: Spec{Name: fmt.Sprintf("customer_n_%dd", d), Agg: Count, Window: Sliding, Size: d * day}},
			Member{Spec: Spec{Name: fmt.Sprintf("customer_avg_%dd", d), Agg: Avg, ArgType: expr.Float, Window: Sliding, Size: d * day}})
	}
	var tm []Member
	for _, d := range []int64{1, 7} {
		tm = append(tm, Member{Spec: Spec{Name: fmt.Sprintf("terminal_n_%dd", d), Agg: Count, Window: Sliding, Size: d * day, Offset: 7 * day}},
			Member{Spec: Spec{Name: fmt.Sprintf("terminal_fraud_%dd", d), Agg: Count, Window: Sliding, Size: d * day, Offset: 7 * day}})
	}
	cg, err := NewGroup(cm)
	if err != nil {
		b.Fatal(err)
	}
	tg, err := NewGroup(tm)
	if err != nil {
		b.Fatal(err)
	}
	span := rows[len(rows)-1].t - rows[0].t + 40*day
	shift := int64(0)
	i := 0
	args := make([]expr.Value, 1)
	var vals []expr.Value
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		r := &rows[i]
		t := r.t + shift
		cg.Advance(t, nil)
		tg.Advance(t, nil)
		args[0] = expr.FloatValue(r.amount)
		cg.Prefetch(r.customer)
		tg.Prefetch(r.terminal)
		cg.Add(r.customer, t, args, ^uint64(0))
		take := uint64(0b0101)
		if r.fraud {
			take = 0b1111
		}
		tg.Add(r.terminal, t, nil, take)
		vals = cg.Values(vals[:0], r.customer, t)
		vals = tg.Values(vals[:0], r.terminal, t)
		if i++; i == len(rows) {
			i, shift = 0, shift+span
		}
	}
	cpu := cpuTime() - cpu0
	keys := cg.Keys() + tg.Keys()
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(heapBytes()-before)/float64(keys), "B/key")
	runtime.KeepAlive(rows)
	runtime.KeepAlive(cg)
	runtime.KeepAlive(tg)
}

type txn struct {
	t                  int64
	customer, terminal string
	customerID         int64
	amount             float64
	fraud              bool
}

func loadHandbook(b *testing.B) []txn {
	b.Helper()
	fh, err := os.Open("../../shared/data/handbook-transactions.csv.gz")
	if err != nil {
		b.Skipf("handbook dataset: %v", err)
	}
	defer fh.Close()
	gz, err := gzip.NewReader(bufio.NewReader(fh))
	if err != nil {
		b.Fatal(err)
	}
	cr := csv.NewReader(gz)
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil { // header: id,ts,customer_id,terminal_id,amount,is_fraud,fraud_scenario
		b.Fatal(err)
	}
	var rows []txn
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		ts, err := time.Parse(time.RFC3339, rec[1])
		if err != nil {
			b.Fatal(err)
		}
		cid, _ := strconv.ParseInt(rec[2], 10, 64)
		amt, _ := strconv.ParseFloat(rec[4], 64)
		rows = append(rows, txn{t: ts.UnixMilli(), customer: rec[2], terminal: rec[3], customerID: cid, amount: amt, fraud: rec[5] == "true"})
	}
	return rows
}

func mustNew(b testing.TB, s Spec) *Feature {
	f, err := New(s)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// BenchmarkSnapshot writes a checkpoint of 1 M keys (flag -keys for
// another number), each with a few events in its windows: a group of
// three sliding features (count over 1h, sum and max of the amount over
// 24h), as the engine holds them, and a tumbling sum with emit. An op is
// one full checkpoint (Dirty, then AppendKeySnapshot for every key); it
// reports the time and bytes per key, and the time per key to restore
// them into a fresh group.
func BenchmarkSnapshot(b *testing.B) {
	nkeys := 1_000_000
	if *benchKeys != 10_000 {
		nkeys = *benchKeys
	}
	type subject interface {
		Dirty(fn func(key string, removed bool))
		AppendKeySnapshot(b []byte, key string) []byte
		RestoreKey(key string, b []byte) error
	}
	for _, c := range []struct {
		name string
		make func() (subject, func(key string, t int64, x float64))
	}{
		{"group-3-sliding", func() (subject, func(string, int64, float64)) {
			g, err := NewGroup([]Member{
				{Spec: Spec{Name: "n1h", Agg: Count, Window: Sliding, Size: hour, Lateness: 60_000}},
				{Spec: Spec{Name: "sum24h", Agg: Sum, ArgType: expr.Float, Window: Sliding, Size: day, Lateness: 60_000}},
				{Spec: Spec{Name: "max24h", Agg: Max, ArgType: expr.Float, Window: Sliding, Size: day, Lateness: 60_000}},
			})
			if err != nil {
				b.Fatal(err)
			}
			args := make([]expr.Value, 1)
			var vals []expr.Value
			return g, func(key string, t int64, x float64) {
				args[0] = expr.FloatValue(x)
				g.Add(key, t, args, ^uint64(0))
				vals = g.Values(vals[:0], key, t)
			}
		}},
		{"tumbling-sum-emit", func() (subject, func(string, int64, float64)) {
			f := mustNew(b, Spec{Name: "sum1h", Agg: Sum, ArgType: expr.Float, Window: Tumbling, Size: hour, Lateness: 60_000, Emit: true})
			return f, func(key string, t int64, x float64) {
				f.Add(key, t, expr.FloatValue(x))
				f.Value(key, t)
			}
		}},
	} {
		b.Run(fmt.Sprintf("%s/%d-keys", c.name, nkeys), func(b *testing.B) {
			x, add := c.make()
			keys := make([]string, nkeys)
			t := int64(1_700_000_000_000)
			for i := range keys {
				keys[i] = fmt.Sprintf("card-%07d", i)
			}
			for round := range 3 { // three events a key
				for i, k := range keys {
					add(k, t+int64(round)*600_000+int64(i%1000), float64(i%5000)/100)
				}
			}
			var buf []byte
			var bytes, n int
			snaps := make(map[string][]byte, 1000)
			b.ReportAllocs()
			for b.Loop() {
				bytes, n = 0, 0
				x.Dirty(func(key string, removed bool) {
					buf = x.AppendKeySnapshot(buf[:0], key)
					bytes += len(buf)
					if n < 1000 {
						snaps[strings.Clone(key)] = append([]byte(nil), buf...)
					}
					n++
				})
			}
			if n != nkeys {
				b.Fatalf("%d keys snapshotted, want %d", n, nkeys)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/key")
			b.ReportMetric(float64(bytes)/float64(n), "B/key")
			y, _ := c.make()
			start := time.Now()
			for k, s := range snaps {
				if err := y.RestoreKey(k, s); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(len(snaps)), "restore-ns/key")
		})
	}
}
