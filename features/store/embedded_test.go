package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"github.com/kestrelcep/kestrel/expr"
)

func openBadger(t testing.TB, dir string) *badger.DB {
	t.Helper()
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil).WithMemTableSize(8 << 20))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func save(t *testing.T, s *Embedded, db *badger.DB) int {
	t.Helper()
	n, err := s.SaveTo(db)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEmbeddedSaveAndLoad(t *testing.T) {
	dir := t.TempDir()
	db := openBadger(t, dir)
	s := NewEmbedded(EmbeddedOptions{})
	vals := roundTripValues()
	var es []Entry
	var feats []string
	for i, v := range vals {
		feats = append(feats, fmt.Sprintf("f%d", i))
		for _, k := range []string{"a", "b", ""} {
			es = append(es, Entry{Feature: feats[i], Key: k, Value: v.Value, AsOf: v.AsOf, Expires: v.Expires})
		}
	}
	mustPut(t, s, es...)
	if n := save(t, s, db); n != 3 {
		t.Fatalf("first save wrote %d keys, want 3", n)
	}
	if n := save(t, s, db); n != 0 {
		t.Fatalf("a save with nothing changed wrote %d keys", n)
	}
	mustPut(t, s, Entry{Feature: "f1", Key: "b", Value: expr.IntValue(42), AsOf: 9, Expires: 10})
	if n := save(t, s, db); n != 1 {
		t.Fatalf("save after one change wrote %d keys, want 1", n)
	}
	// Something else in the same DB is left alone.
	if err := db.Update(func(txn *badger.Txn) error { return txn.Set([]byte("rules/x"), []byte("krl")) }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db = openBadger(t, dir)
	defer db.Close()
	r := NewEmbedded(EmbeddedOptions{})
	n, err := r.LoadFrom(db)
	if err != nil || n != 3 {
		t.Fatalf("LoadFrom: %d keys, %v", n, err)
	}
	got := mustGet(t, r, feats, []string{"a", "b", ""})
	for ki, res := range got {
		for i, v := range vals {
			v.Found = true
			if res.Key == "b" && i == 1 {
				v = Stored{Value: expr.IntValue(42), AsOf: 9, Expires: 10, Found: true}
			}
			if !sameStored(res.Values[i], v) {
				t.Errorf("key %d %q %s: got %+v, want %+v", ki, res.Key, feats[i], res.Values[i], v)
			}
		}
	}
	if n := save(t, r, db); n != 0 {
		t.Errorf("loaded values were saved again: %d keys", n)
	}
}

func TestEmbeddedDeleteExpired(t *testing.T) {
	db := openBadger(t, t.TempDir())
	defer db.Close()
	s := NewEmbedded(EmbeddedOptions{})
	mustPut(t, s,
		Entry{Feature: "short", Key: "a", Expires: 100},
		Entry{Feature: "long", Key: "a", Expires: 1000},
		Entry{Feature: "short", Key: "b", Expires: 100},
	)
	save(t, s, db)
	if n := s.DeleteExpired(500); n != 2 {
		t.Fatalf("DeleteExpired removed %d values, want 2", n)
	}
	if s.Len() != 1 {
		t.Fatalf("%d keys left, want 1", s.Len())
	}
	got := mustGet(t, s, []string{"short", "long"}, []string{"a", "b"})
	if got[0].Values[0].Found || !got[0].Values[1].Found || got[1].Values[0].Found {
		t.Fatalf("after DeleteExpired: %+v", got)
	}
	if n := save(t, s, db); n != 2 {
		t.Fatalf("save after DeleteExpired: %d keys, want 2 (one rewritten, one deleted)", n)
	}
	r := NewEmbedded(EmbeddedOptions{})
	if n, err := r.LoadFrom(db); err != nil || n != 1 {
		t.Fatalf("LoadFrom: %d, %v; want the one key left", n, err)
	}
}

func TestEmbeddedSaveFailureKeepsChanges(t *testing.T) {
	s := NewEmbedded(EmbeddedOptions{})
	mustPut(t, s, Entry{Feature: "f", Key: "a"}, Entry{Feature: "f", Key: "b"})
	dir := t.TempDir()
	openBadger(t, dir).Close()
	bad, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil).WithReadOnly(true))
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	if _, err := s.SaveTo(bad); err == nil {
		t.Fatal("SaveTo a read-only DB succeeded")
	}
	db := openBadger(t, t.TempDir())
	defer db.Close()
	if n := save(t, s, db); n != 2 {
		t.Fatalf("save after a failed one wrote %d keys, want 2", n)
	}
}

func TestEmbeddedLoadCorrupt(t *testing.T) {
	db := openBadger(t, t.TempDir())
	defer db.Close()
	if err := db.Update(func(txn *badger.Txn) error { return txn.Set([]byte("features/k"), []byte{1, 3, 'f'}) }); err != nil {
		t.Fatal(err)
	}
	_, err := NewEmbedded(EmbeddedOptions{}).LoadFrom(db)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("LoadFrom: %v, want ErrCorrupt", err)
	}
}

// TestEmbeddedSaveWhilePutting: saves running alongside writers lose
// nothing: after a last save, the DB holds the final values.
func TestEmbeddedSaveWhilePutting(t *testing.T) {
	db := openBadger(t, t.TempDir())
	defer db.Close()
	s := NewEmbedded(EmbeddedOptions{Shards: 4})
	const writers, rounds = 4, 300
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for r := range rounds {
				mustPut(t, s, Entry{Feature: "f", Key: fmt.Sprintf("w%d-k%d", w, r%20), Value: expr.IntValue(int64(r)), AsOf: int64(r)})
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if _, err := s.SaveTo(db); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	save(t, s, db)
	r := NewEmbedded(EmbeddedOptions{})
	if _, err := r.LoadFrom(db); err != nil {
		t.Fatal(err)
	}
	for w := range writers {
		for k := range 20 {
			key := fmt.Sprintf("w%d-k%d", w, k)
			want := mustGet(t, s, []string{"f"}, []string{key})[0].Values[0]
			got := mustGet(t, r, []string{"f"}, []string{key})[0].Values[0]
			if got != want {
				t.Fatalf("%s: loaded %+v, want %+v", key, got, want)
			}
		}
	}
}

func TestEmbeddedMaxKeys(t *testing.T) {
	s := NewEmbedded(EmbeddedOptions{Shards: 4, MaxKeys: 100})
	for i := range 1000 {
		mustPut(t, s, Entry{Feature: "f", Key: fmt.Sprint(i), Value: expr.IntValue(int64(i))})
	}
	if n := s.Len(); n > 100 || n < 50 {
		t.Fatalf("%d keys kept, want at most 100", n)
	}
	// The most recent key survives: eviction takes the least recently written of a sample.
	if got := mustGet(t, s, []string{"f"}, []string{"999"})[0].Values[0]; !got.Found {
		t.Error("the last key written was evicted")
	}
}
