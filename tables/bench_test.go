package tables

import (
	"fmt"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/expr"
)

// cpuTime is the CPU time used by the process so far: on a machine shared
// with other work, wall time per op varies while CPU time per op holds.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

const benchRows = 100_000

func benchTables(b *testing.B) (single, composite *Table) {
	single = merchantRisk(b)
	composite = cards(b)
	rs, rc := make([]*Row, benchRows), make([]*Row, benchRows)
	for i := range benchRows {
		rs[i] = mustRow(b, single, str("m-"+strconv.Itoa(i)), flt(float64(i)/benchRows), str("retail"))
		rc[i] = mustRow(b, composite, num(int64(400000+i/4)), str([]string{"DE", "FR", "IT", "ES"}[i%4]), flt(100), bl(false), null, str("bank"))
	}
	single.Replace(rs)
	composite.Replace(rc)
	return single, composite
}

// BenchmarkLookup: one lookup, hit or miss, as expressions make it (the key
// slice reused), from one goroutine and from all (b.RunParallel), on a
// table with only a base map and on one with a delta of recent changes.
func BenchmarkLookup(b *testing.B) {
	single, composite := benchTables(b)
	keys := func(i int) ([]expr.Value, []expr.Value) {
		return []expr.Value{str("m-" + strconv.Itoa(i))},
			[]expr.Value{num(int64(400000 + i/4)), str([]string{"DE", "FR", "IT", "ES"}[i%4])}
	}
	const nkeys = 1024
	var sk, ck, miss [nkeys][]expr.Value
	for i := range nkeys {
		j := (i * 7919) % benchRows
		sk[i], ck[i] = keys(j)
		miss[i] = []expr.Value{str("x-" + strconv.Itoa(j))}
	}
	cases := []struct {
		name string
		tab  *Table
		keys *[nkeys][]expr.Value
	}{
		{"string/hit", single, &sk},
		{"string/miss", single, &miss},
		{"int+string/hit", composite, &ck},
	}
	withDelta := func(tab *Table) {
		// A few hundred recent changes sit in the delta, as under a live source.
		var rows []*Row
		for r := range tab.All() {
			rows = append(rows, r)
			if len(rows) == 500 {
				break
			}
		}
		tab.Set(rows...)
	}
	for _, delta := range []bool{false, true} {
		for _, c := range cases {
			name := c.name
			if delta {
				withDelta(c.tab)
				name += "/delta"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				start := cpuTime()
				i := 0
				for b.Loop() {
					if c.tab.Lookup(c.keys[i%nkeys]) == nil && c.keys != &miss {
						b.Fatal("not found")
					}
					i++
				}
				b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
			})
			b.Run(name+"/parallel", func(b *testing.B) {
				b.ReportAllocs()
				var found atomic.Int64
				b.RunParallel(func(pb *testing.PB) {
					i, n := 0, int64(0)
					for pb.Next() {
						if c.tab.Lookup(c.keys[i%nkeys]) != nil {
							n++
						}
						i++
					}
					found.Add(n)
				})
			})
		}
	}
}

// BenchmarkUpdate: a batch of n upserts into a table of 100k rows, as the
// Kafka source applies them (delta copy, with a merge when it is full).
func BenchmarkUpdate(b *testing.B) {
	single, _ := benchTables(b)
	for _, n := range []int{1, 100, 10000} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			rows := make([]*Row, n)
			i := 0
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				for j := range rows {
					rows[j] = mustRow(b, single, str("m-"+strconv.Itoa(i%benchRows)), flt(1), null)
					i += 7919
				}
				single.Set(rows...)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/row")
			b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N*n), "cpu-ns/row")
		})
	}
}

// BenchmarkLoadFile: loading a 100k-row CSV and JSONL file.
func BenchmarkLoadFile(b *testing.B) {
	for _, format := range []string{"csv", "jsonl"} {
		b.Run(format, func(b *testing.B) {
			var data []byte
			if format == "csv" {
				data = append(data, "bin,country,limit,blocked,since,issuer\n"...)
			}
			for i := range benchRows {
				if format == "csv" {
					data = fmt.Appendf(data, "%d,DE,%d.5,false,2026-11-27T10:15:00.250Z,Bank %d\n", 400000+i, i, i%100)
				} else {
					data = fmt.Appendf(data, `{"bin":%d,"country":"DE","limit":%d.5,"blocked":false,"since":"2026-11-27T10:15:00.250Z","issuer":"Bank %d"}`+"\n", 400000+i, i, i%100)
				}
			}
			path := writeFile(b, "cards."+format, string(data))
			tab := cards(b)
			b.SetBytes(int64(len(data)))
			start := cpuTime()
			for b.Loop() {
				if _, err := tab.LoadFile(path); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
			b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N*benchRows), "cpu-ns/row")
		})
	}
}
