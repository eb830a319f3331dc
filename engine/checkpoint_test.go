package engine_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/patterns"
)

// A checkpoint of many keys over several shards restores, in batches and in
// parallel, into a runtime of another shard count in which every key then
// completes its match; a key whose state does not decode fails the restore
// with ErrRestore.
func TestCheckpointRestoreManyKeys(t *testing.T) {
	rs := compileKRL(t, `stream e (id string, k string, v int, ts time)
  id id
  timestamp ts
rule r
  by k
  pattern a: e[v == 1] -> b: e[v == 2]
  within 1h
`)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const n = 5000
	checkpoint := func(r *engine.Runtime) *memState {
		store := &memState{kv: map[string][]byte{}}
		err := r.Checkpoint(ctx, store, func(meta []byte, _ []engine.PartitionInfo) error { store.meta = meta; return nil })
		if err != nil {
			t.Fatal(err)
		}
		return store
	}

	a, err := engine.NewRuntime(rs, engine.RuntimeOptions{Sink: &countSink{}, Shards: 3})
	if err != nil {
		t.Fatal(err)
	}
	a.Start(ctx)
	// push sends one event with v for every key, from time ts on.
	push := func(r *engine.Runtime, v, ts int) {
		part, _, err := r.AddPartition(ctx, 0, "test:e", 0, engine.LocalGroup)
		if err != nil {
			t.Fatal(err)
		}
		dec := event.NewJSONDecoder(rs.Streams[0].Schema)
		b := &engine.Batch{Partition: part, Next: n}
		for i := range n {
			ev := rs.Streams[0].Schema.NewEvent()
			if err := dec.Decode(fmt.Appendf(nil, `{"id":"i%d_%d","k":"k%d","v":%d,"ts":%d}`, v, i, i, v, ts+i), ev); err != nil {
				t.Fatal(err)
			}
			b.Events = append(b.Events, ev)
		}
		if err := r.Push(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	push(a, 1, 1000)
	want := checkpoint(a)
	if err := a.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	keys := 0
	for k := range want.kv {
		if bytes.Contains([]byte(k), []byte("/r/")) { // a rule's key
			keys++
		}
	}
	if keys != n {
		t.Fatalf("the checkpoint has %d keys, want %d", keys, n)
	}

	var alerted countSink
	restore := func(store *memState) (*engine.Runtime, error) {
		r, err := engine.NewRuntime(rs, engine.RuntimeOptions{Sink: &alerted, Shards: 2})
		if err != nil {
			t.Fatal(err)
		}
		return r, r.Restore(store.meta, store.scan)
	}
	b2, err := restore(want)
	if err != nil {
		t.Fatal(err)
	}
	b2.Start(ctx)
	// Every key completes its match.
	push(b2, 2, 1000+n)
	if err := b2.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if got := alerted.n.Load(); got != n {
		t.Errorf("%d alerts after the restore, want %d", got, n)
	}

	bad := &memState{meta: want.meta, kv: maps.Clone(want.kv)}
	corrupted := 0
	for k, v := range bad.kv {
		if bytes.HasSuffix([]byte(k), []byte("\x00\"k4321\"")) {
			bad.kv[k] = v[:len(v)/2] // cut short
			corrupted++
		}
	}
	if corrupted != 1 {
		t.Fatalf("%d keys of k4321", corrupted)
	}
	if _, err := restore(bad); !errors.Is(err, engine.ErrRestore) {
		t.Errorf("restoring a bad key: %v, want ErrRestore", err)
	}
}

// countSink counts alerts.
type countSink struct{ n atomic.Int64 }

func (c *countSink) Alert(string, *alerts.Record) error  { c.n.Add(1); return nil }
func (c *countSink) Late(*alerts.Late) error             { return nil }
func (c *countSink) Window(*alerts.Window) error         { return nil }
func (c *countSink) DeadLetter(*alerts.DeadLetter) error { return nil }

// BenchmarkCheckpoint1M: the engine's part of a checkpoint of 1 M keys with
// one partial match each (the rule of TestCheckpointRestoreManyKeys), into
// a writer that copies like the state's: the shards' snapshot of every key,
// at the barrier. Restore1M reads them back into a new runtime.
//
//	go test ./engine -run '^$' -bench '(Checkpoint|Restore)1M' -benchtime 3x
func BenchmarkCheckpoint1M(b *testing.B) {
	rs := benchRules(b)
	b.ReportAllocs()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		r := benchRuntime(b, rs, 1_000_000)
		w := &copyWriter{}
		b.StartTimer()
		c0 := cpuTime()
		if err := r.Checkpoint(context.Background(), w, func([]byte, []engine.PartitionInfo) error { return nil }); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
		b.StopTimer()
		if w.n < 1_000_000 {
			b.Fatalf("%d keys written", w.n)
		}
		r.Stop(context.Background())
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ns/key") // 1e6 keys
}

func BenchmarkRestore1M(b *testing.B) {
	rs := benchRules(b)
	r := benchRuntime(b, rs, 1_000_000)
	store := &memState{kv: map[string][]byte{}}
	if err := r.Checkpoint(context.Background(), store, func(meta []byte, _ []engine.PartitionInfo) error { store.meta = meta; return nil }); err != nil {
		b.Fatal(err)
	}
	r.Stop(context.Background())
	// Sorted once, as the state store scans them.
	keys := slices.Sorted(maps.Keys(store.kv))
	scan := func(prefix []byte, fn func(k, v []byte) error) error {
		i, _ := slices.BinarySearch(keys, string(prefix))
		for ; i < len(keys) && strings.HasPrefix(keys[i], string(prefix)); i++ {
			if err := fn([]byte(keys[i]), store.kv[keys[i]]); err != nil {
				return err
			}
		}
		return nil
	}
	b.ReportAllocs()
	var cpu time.Duration
	for b.Loop() {
		c0 := cpuTime()
		r, err := engine.NewRuntime(rs, engine.RuntimeOptions{Sink: &countSink{}})
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Restore(store.meta, scan); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ns/key") // 1e6 keys
}

func benchRules(b *testing.B) *patterns.RuleSet {
	f, errs := patterns.Parse("r.krl", []byte(`stream e (id string, k string, v int, ts time)
  id id
  timestamp ts
rule r
  by k
  pattern a: e[v == 1] -> b: e[v == 2]
  within 1h
`))
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	rs, errs := patterns.Compile([]*patterns.File{f}, patterns.Options{})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	return rs
}

// benchRuntime is a started runtime with n keys, each with one partial
// match.
func benchRuntime(b *testing.B, rs *patterns.RuleSet, n int) *engine.Runtime {
	ctx := context.Background()
	r, err := engine.NewRuntime(rs, engine.RuntimeOptions{Sink: &countSink{}})
	if err != nil {
		b.Fatal(err)
	}
	r.Start(ctx)
	part, _, err := r.AddPartition(ctx, 0, "test:e", 0, engine.LocalGroup)
	if err != nil {
		b.Fatal(err)
	}
	dec := event.NewJSONDecoder(rs.Streams[0].Schema)
	var raw []byte
	for i := 0; i < n; i += 1024 {
		bt := &engine.Batch{Partition: part, Next: int64(i)}
		for j := i; j < min(n, i+1024); j++ {
			ev := rs.Streams[0].Schema.NewEvent()
			raw = fmt.Appendf(raw[:0], `{"id":"i%d","k":"k%d","v":1,"ts":%d}`, j, j, 1795680000000+j)
			if err := dec.Decode(bytes.Clone(raw), ev); err != nil {
				b.Fatal(err)
			}
			bt.Events = append(bt.Events, ev)
		}
		if err := r.Push(ctx, bt); err != nil {
			b.Fatal(err)
		}
	}
	// Stats is a barrier: every event has been through the shards.
	if st, err := r.Stats(ctx); err != nil || st.Events != int64(n) {
		b.Fatalf("%d events in the engine: %v", st.Events, err)
	}
	return r
}

// copyWriter copies what it is given into chunks, as the state's
// CheckpointWriter does.
type copyWriter struct {
	chunks [][]byte
	n      int
}

func (w *copyWriter) add(k, v []byte) {
	if len(w.chunks) == 0 || len(w.chunks[len(w.chunks)-1]) > 256<<10 {
		w.chunks = append(w.chunks, make([]byte, 0, 257<<10))
	}
	c := &w.chunks[len(w.chunks)-1]
	*c = append(append(*c, k...), v...)
	w.n++
}

func (w *copyWriter) Put(k, v []byte) error { w.add(k, v); return nil }
func (w *copyWriter) Delete(k []byte) error { w.add(k, nil); return nil }

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
