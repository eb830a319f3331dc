package state

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

func readAll(t *testing.T, db *DB, stream string, from uint64, limit int) (map[uint64]string, []uint64, uint64) {
	t.Helper()
	got := map[uint64]string{}
	var order []uint64
	next, err := db.ReadEvents(stream, from, limit, func(seq uint64, raw []byte) error {
		got[seq] = string(raw)
		order = append(order, seq)
		return nil
	})
	if err != nil {
		t.Fatalf("ReadEvents: %v", err)
	}
	return got, order, next
}

func evs(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func TestIngestAppendRead(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir, Options{})
	steps := []struct {
		stream string
		events [][]byte
		first  uint64
	}{
		{"txn", evs("a", "b", "c"), 1},
		{"login", evs("x"), 1},
		{"txn", evs("d"), 4},
		{"txn", nil, 0},
		{"login", evs("y", "z"), 2},
	}
	for i, s := range steps {
		first, err := db.AppendEvents(s.stream, s.events)
		if err != nil || first != s.first {
			t.Fatalf("step %d: AppendEvents(%s) = %d, %v; want %d", i, s.stream, first, err, s.first)
		}
	}
	reads := []struct {
		stream string
		from   uint64
		limit  int
		want   []uint64
		next   uint64
	}{
		{"txn", 0, 0, []uint64{1, 2, 3, 4}, 5},
		{"txn", 1, 2, []uint64{1, 2}, 3},
		{"txn", 3, 10, []uint64{3, 4}, 5},
		{"txn", 5, 10, nil, 5},
		{"login", 2, 0, []uint64{2, 3}, 4},
		{"nope", 1, 0, nil, 1},
	}
	check := func(db *DB) {
		t.Helper()
		for _, r := range reads {
			_, order, next := readAll(t, db, r.stream, r.from, r.limit)
			if fmt.Sprint(order) != fmt.Sprint(r.want) || next != r.next {
				t.Errorf("ReadEvents(%s, %d, %d) = %v next %d; want %v next %d", r.stream, r.from, r.limit, order, next, r.want, r.next)
			}
		}
		got, _, _ := readAll(t, db, "txn", 1, 0)
		if got[1] != "a" || got[4] != "d" {
			t.Errorf("contents: %v", got)
		}
	}
	check(db)

	// After a restart the numbering continues.
	db = reopen(t, db, dir, Options{})
	check(db)
	if first, err := db.AppendEvents("txn", evs("e")); err != nil || first != 5 {
		t.Fatalf("after restart: AppendEvents = %d, %v; want 5", first, err)
	}
	if last, _ := db.LastSeq("txn"); last != 5 {
		t.Fatalf("LastSeq = %d", last)
	}
}

func TestIngestBadNames(t *testing.T) {
	db := open(t, "", Options{NoSync: true})
	for _, s := range []string{"", "a\x00b"} {
		if _, err := db.AppendEvents(s, evs("x")); !errors.Is(err, ErrInvalid) {
			t.Errorf("AppendEvents(%q): %v, want ErrInvalid", s, err)
		}
	}
}

func TestIngestTrim(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir, Options{NoSync: true})
	if _, err := db.AppendEvents("s", evs("1", "2", "3", "4", "5")); err != nil {
		t.Fatal(err)
	}
	if err := db.TrimEvents("s", 3); err != nil {
		t.Fatal(err)
	}
	_, order, next := readAll(t, db, "s", 1, 0)
	if fmt.Sprint(order) != "[3 4 5]" || next != 6 {
		t.Fatalf("after trim: %v next %d", order, next)
	}
	// Trimming everything (and beyond) keeps the numbering.
	if err := db.TrimEvents("s", 100); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db, dir, Options{NoSync: true})
	if _, order, _ := readAll(t, db, "s", 1, 0); len(order) != 0 {
		t.Fatalf("after full trim: %v", order)
	}
	if first, err := db.AppendEvents("s", evs("6")); err != nil || first != 6 {
		t.Fatalf("AppendEvents after trim = %d, %v; want 6", first, err)
	}
	if _, order, _ := readAll(t, db, "s", 1, 0); fmt.Sprint(order) != "[6]" {
		t.Fatalf("after append: %v", order)
	}
}

// rawEvents counts a stream's events in Badger, trimmed or not.
func rawEvents(t *testing.T, db *DB, stream string) int {
	t.Helper()
	n := 0
	err := db.bdb.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.PrefetchValues = false
		o.Prefix = eventPrefix(stream)
		it := txn.NewIterator(o)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Trimmed events are skipped at once and deleted by the committer: some in
// the transactions of appends, the rest on its own while none come, and
// what is left at Close.
func TestIngestTrimDeletes(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir, Options{NoSync: true})
	batch := make([][]byte, 1000)
	for i := range batch {
		batch[i] = []byte(`{"v":1}`)
	}
	for range 10 {
		if _, err := db.AppendEvents("s", batch); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.TrimEvents("s", 6001); err != nil {
		t.Fatal(err)
	}
	if _, order, next := readAll(t, db, "s", 1, 0); len(order) != 4000 || order[0] != 6001 || next != 10001 {
		t.Fatalf("after trim: %d events from %v, next %d", len(order), order[:1], next)
	}
	deadline := time.Now().Add(10 * time.Second)
	for rawEvents(t, db, "s") != 4000 {
		if time.Now().After(deadline) {
			t.Fatalf("%d events in Badger 10s after the trim, want 4000", rawEvents(t, db, "s"))
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Trimmed again and closed at once: Close deletes them.
	if err := db.TrimEvents("s", 9001); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db, dir, Options{NoSync: true})
	if n := rawEvents(t, db, "s"); n != 1000 {
		t.Fatalf("%d events in Badger after Close, want 1000", n)
	}
	if first, err := db.AppendEvents("s", batch[:1]); err != nil || first != 10001 {
		t.Fatalf("AppendEvents after trim = %d, %v; want 10001", first, err)
	}
	if _, order, _ := readAll(t, db, "s", 1, 0); len(order) != 1001 || order[0] != 9001 {
		t.Fatalf("after reopen: %d events from %v", len(order), order[:1])
	}
}

// Many goroutines append at once: every event gets exactly one sequence
// number, each call's events are consecutive, and nothing is lost.
func TestIngestConcurrentAppend(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir, Options{})
	const workers, calls, per = 32, 20, 7
	var wg sync.WaitGroup
	firsts := make([][]uint64, workers)
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range calls {
				batch := make([][]byte, per)
				for i := range batch {
					batch[i] = fmt.Appendf(nil, "%d/%d/%d", w, c, i)
				}
				first, err := db.AppendEvents("txn", batch)
				if err != nil {
					errs <- err
					return
				}
				firsts[w] = append(firsts[w], first)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	check := func(db *DB) {
		t.Helper()
		got, order, next := readAll(t, db, "txn", 1, 0)
		if n := workers * calls * per; len(order) != n || next != uint64(n+1) {
			t.Fatalf("read %d events, next %d; want %d", len(order), next, n)
		}
		for i, seq := range order {
			if seq != uint64(i+1) {
				t.Fatalf("position %d has seq %d", i, seq)
			}
		}
		for w, fs := range firsts {
			for c, first := range fs {
				for i := range per {
					if want := fmt.Sprintf("%d/%d/%d", w, c, i); got[first+uint64(i)] != want {
						t.Fatalf("seq %d = %q, want %q", first+uint64(i), got[first+uint64(i)], want)
					}
				}
			}
		}
	}
	check(db)
	check(reopen(t, db, dir, Options{}))
}

// A call larger than one Badger transaction is split and still numbered
// consecutively.
func TestIngestLargeAppend(t *testing.T) {
	db := open(t, "", Options{NoSync: true, MemTableSize: 1 << 20})
	batch := make([][]byte, 5000)
	for i := range batch {
		batch[i] = fmt.Appendf(nil, "%0100d", i)
	}
	first, err := db.AppendEvents("big", batch)
	if err != nil || first != 1 {
		t.Fatalf("AppendEvents = %d, %v", first, err)
	}
	got, order, _ := readAll(t, db, "big", 1, 0)
	if len(order) != len(batch) || got[5000] != string(batch[4999]) {
		t.Fatalf("read %d events", len(order))
	}
}

func TestIngestWait(t *testing.T) {
	db := open(t, "", Options{NoSync: true})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- db.WaitEvents(ctx, "s", 0) }()
	ch := db.Notify("s")
	if _, err := db.AppendEvents("s", evs("a")); err != nil {
		t.Fatal(err)
	}
	<-ch // closed by the append
	if err := <-errc; err != nil {
		t.Fatalf("WaitEvents: %v", err)
	}
	// Already there: returns at once.
	if err := db.WaitEvents(ctx, "s", 0); err != nil {
		t.Fatal(err)
	}
	short, cancel2 := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel2()
	if err := db.WaitEvents(short, "s", 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitEvents with nothing new: %v", err)
	}
	go func() { errc <- db.WaitEvents(ctx, "s", 1) }()
	db.Close()
	if err := <-errc; !errors.Is(err, ErrClosed) {
		t.Fatalf("WaitEvents across Close: %v", err)
	}
	if _, err := db.AppendEvents("s", evs("b")); !errors.Is(err, ErrClosed) {
		t.Fatalf("AppendEvents after Close: %v", err)
	}
}

func TestOpenLocked(t *testing.T) {
	dir := t.TempDir()
	open(t, dir, Options{})
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	t.Log(err)
}
