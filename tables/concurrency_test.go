package tables

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

// Lookups from several goroutines while writers upsert, delete and replace
// (run under -race). Every row a reader sees is whole: its columns agree.
func TestConcurrentLookupsAndUpdates(t *testing.T) {
	tab := mustNew(t, Schema{
		Name:   "t",
		Fields: []string{"k", "version", "check"},
		Types:  []expr.Type{expr.String, expr.Int, expr.String},
		Keys:   []int{0},
	})
	const nkeys = 500
	keys := make([][]expr.Value, nkeys)
	for i := range keys {
		keys[i] = []expr.Value{str("k" + strconv.Itoa(i))}
	}
	row := func(i int, v int64) *Row {
		return mustRow(t, tab, keys[i][0], num(v), str(keys[i][0].S+"/"+strconv.FormatInt(v, 10)))
	}

	var version atomic.Int64 // versions only grow, across all writers
	var stop atomic.Bool
	var writers, readers sync.WaitGroup
	var lookups atomic.Int64
	rounds := 300
	if testing.Short() {
		rounds = 50
	}
	writers.Add(2)
	go func() { // upserts and deletes in batches
		defer writers.Done()
		for r := range rounds {
			var rows []*Row
			for i := r % 7; i < nkeys; i += 7 {
				rows = append(rows, row(i, version.Add(1)))
			}
			tab.Set(rows...)
			if r%5 == 0 {
				tab.Delete(keys[r%nkeys], keys[(r*3)%nkeys])
			}
		}
	}()
	go func() { // whole replacements, as a Redis refresh makes them
		defer writers.Done()
		for range rounds / 20 {
			rows := make([]*Row, 0, nkeys)
			for i := range nkeys {
				rows = append(rows, row(i, version.Add(1)))
			}
			tab.Replace(rows)
		}
	}()
	for range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for i := 0; !stop.Load(); i++ {
				k := (i * 31) % nkeys
				r := tab.Lookup(keys[k])
				lookups.Add(1)
				if r == nil {
					continue // deleted, or not written yet
				}
				v, _ := r.Int(1)
				c, _ := r.Str(2)
				if c != keys[k][0].S+"/"+strconv.FormatInt(v, 10) {
					t.Errorf("torn row: key %s version %d check %q", keys[k][0].S, v, c)
					return
				}
			}
		}()
	}
	writers.Wait()
	stop.Store(true)
	readers.Wait()
	if lookups.Load() == 0 {
		t.Fatal("no lookups ran")
	}
	n := 0
	for range tab.All() {
		n++
	}
	if n != tab.Len() {
		t.Errorf("All gives %d rows, Len %d", n, tab.Len())
	}
}

// Per key, a reader never sees an older version after a newer one while a
// single writer updates.
func TestLookupsMonotonic(t *testing.T) {
	tab := mustNew(t, Schema{Name: "t", Fields: []string{"k", "v"}, Types: []expr.Type{expr.Int, expr.Int}, Keys: []int{0}})
	const nkeys = 64
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := make([]expr.Value, 1)
			seen := make([]int64, nkeys)
			for i := 0; !stop.Load(); i++ {
				k := int64(i % nkeys)
				key[0] = num(k)
				r := tab.Lookup(key)
				if r == nil {
					continue
				}
				v, _ := r.Int(1)
				if v < seen[k] {
					t.Errorf("key %d: version %d after %d", k, v, seen[k])
					return
				}
				seen[k] = v
			}
		}()
	}
	for v := int64(1); v <= 2000; v++ {
		rows := make([]*Row, 0, 8)
		for k := v % 8; k < nkeys; k += 8 {
			rows = append(rows, mustRow(t, tab, num(k), num(v)))
		}
		tab.Set(rows...)
	}
	stop.Store(true)
	wg.Wait()
}
