package state

import (
	"errors"
	"fmt"
	"maps"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

func scanAll(t testing.TB, db *DB, prefix string) map[string]string {
	t.Helper()
	got := map[string]string{}
	last := ""
	if err := db.ScanState([]byte(prefix), func(k, v []byte) error {
		if string(k) <= last && last != "" {
			return fmt.Errorf("keys out of order: %q after %q", k, last)
		}
		last = string(k)
		got[string(k)] = string(v)
		return nil
	}); err != nil {
		t.Fatalf("ScanState: %v", err)
	}
	return got
}

func lastID(t testing.TB, db *DB) (uint64, string) {
	t.Helper()
	cp, ok, err := db.LastCheckpoint()
	if err != nil {
		t.Fatalf("LastCheckpoint: %v", err)
	}
	if !ok {
		return 0, ""
	}
	return cp.ID, string(cp.Meta)
}

// op is one change of a checkpoint: a put, or a delete when del is set.
type op struct {
	key, val string
	del      bool
}

func writeCheckpoint(db *DB, id uint64, ops []op) error {
	w, err := db.NewCheckpoint(id)
	if err != nil {
		return err
	}
	for _, o := range ops {
		if o.del {
			err = w.Delete([]byte(o.key))
		} else {
			err = w.Put([]byte(o.key), []byte(o.val))
		}
		if err != nil {
			return err
		}
	}
	return w.Commit(fmt.Appendf(nil, `{"id":%d}`, id))
}

func applyModel(m map[string]string, ops []op) {
	for _, o := range ops {
		if o.del {
			delete(m, o.key)
		} else {
			m[o.key] = o.val
		}
	}
}

func TestCheckpointSmall(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir, Options{NoSync: true})
	if id, _ := lastID(t, db); id != 0 {
		t.Fatalf("fresh DB has checkpoint %d", id)
	}
	model := map[string]string{}
	steps := []struct {
		id  uint64
		ops []op
	}{
		{1, []op{{key: "r/a", val: "1"}, {key: "r/b", val: "2"}, {key: "f/x", val: "9"}}},
		{2, []op{{key: "r/a", del: true}, {key: "r/b", val: "3"}, {key: "r/c", val: "4"}}},
		{5, nil}, // nothing changed: still a checkpoint (positions move)
		{6, []op{{key: "r/d", val: "5"}, {key: "r/d", del: true}, {key: "r/e", val: "x"}, {key: "r/e", val: "y"}}},
	}
	for _, s := range steps {
		if err := writeCheckpoint(db, s.id, s.ops); err != nil {
			t.Fatalf("checkpoint %d: %v", s.id, err)
		}
		applyModel(model, s.ops)
		if got := scanAll(t, db, ""); !maps.Equal(got, model) {
			t.Fatalf("after %d: state %v, want %v", s.id, got, model)
		}
		if id, meta := lastID(t, db); id != s.id || meta != fmt.Sprintf(`{"id":%d}`, s.id) {
			t.Fatalf("LastCheckpoint = %d %s", id, meta)
		}
	}
	for _, bad := range []uint64{0, 3, 6} {
		if _, err := db.NewCheckpoint(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("NewCheckpoint(%d): %v, want ErrInvalid", bad, err)
		}
	}
	db = reopen(t, db, dir, Options{NoSync: true})
	if got := scanAll(t, db, ""); !maps.Equal(got, model) {
		t.Fatalf("after restart: %v, want %v", got, model)
	}
	if got := scanAll(t, db, "f/"); len(got) != 1 || got["f/x"] != "9" {
		t.Fatalf("prefix scan: %v", got)
	}
	if id, _ := lastID(t, db); id != 6 {
		t.Fatalf("after restart: last checkpoint %d", id)
	}
}

func TestCheckpointRecordsPruned(t *testing.T) {
	db := open(t, "", Options{NoSync: true})
	for id := uint64(1); id <= 20; id++ {
		if err := db.WriteCheckpoint(id, nil, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	db.bdb.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.Prefix = prefix(tagCheckpoint)
		it := txn.NewIterator(o)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	if n != keepCheckpoints {
		t.Fatalf("%d checkpoint records kept, want %d", n, keepCheckpoints)
	}
}

// bigOps changes n keys: puts of every key, and deletes of every 7th key
// written by an earlier round.
func bigOps(round, n int) []op {
	ops := make([]op, 0, n+n/7)
	for i := range n {
		ops = append(ops, op{key: fmt.Sprintf("k/%06d", i), val: fmt.Sprintf("round %d value %d %080d", round, i, i)})
		if round > 0 && i%7 == 0 {
			ops = append(ops, op{key: fmt.Sprintf("k/%06d", i+n), del: true})
		}
	}
	if round == 0 {
		for i := range n / 7 {
			ops = append(ops, op{key: fmt.Sprintf("k/%06d", i*7+n), val: "to delete"})
		}
	}
	return ops
}

// A checkpoint larger than one Badger transaction is atomic: a crash at any
// stage of its commit leaves either the previous checkpoint or this one,
// whole.
func TestCheckpointLargeAtomic(t *testing.T) {
	small := Options{NoSync: true, MemTableSize: 1 << 20} // one transaction: ~150 KB
	cases := []struct {
		stage   string // where the commit "crashes"; "" none, "abandon": never committed
		visible bool   // whether checkpoint 2 is the last one afterwards
	}{
		{"", true},
		{"abandon", false},
		{"staged", false},      // before the commit point: Commit fails
		{"half-applied", true}, // after it, in the background apply
		{"applied", true},      // applied, staging not yet removed
	}
	for _, c := range cases {
		t.Run("crash="+c.stage, func(t *testing.T) {
			dir := t.TempDir()
			db := open(t, dir, small)
			model := map[string]string{}
			first := bigOps(0, 5000)
			if err := writeCheckpoint(db, 1, first); err != nil {
				t.Fatal(err)
			}
			if err := db.settle(); err != nil { // before setting the hook
				t.Fatal(err)
			}
			applyModel(model, first)
			before := maps.Clone(model)

			second := bigOps(1, 5000)
			crashed := errors.New("crash")
			switch c.stage {
			case "":
				if err := writeCheckpoint(db, 2, second); err != nil {
					t.Fatal(err)
				}
			case "abandon":
				w, err := db.NewCheckpoint(2)
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range second {
					w.Put([]byte(o.key), []byte(o.val))
				}
				// never committed
			default:
				db.ckpt.hook = func(stage string) error {
					if stage == c.stage {
						return crashed
					}
					return nil
				}
				err := writeCheckpoint(db, 2, second)
				if c.visible {
					// Past the commit point: Commit succeeded, the
					// background apply fails.
					if err != nil {
						t.Fatalf("commit: %v", err)
					}
					waitApply(db)
					if err := db.Healthy(); !errors.Is(err, crashed) {
						t.Fatalf("Healthy after the failed apply: %v", err)
					}
				} else if !errors.Is(err, crashed) {
					t.Fatalf("commit: %v, want the crash", err)
				}
				db.ckpt.hook = nil
			}
			want, wantID := before, uint64(1)
			if c.visible {
				applyModel(model, second)
				want, wantID = model, 2
			}
			db = reopen(t, db, dir, small)
			if got := scanAll(t, db, ""); !maps.Equal(got, want) {
				t.Fatalf("after reopen: %d keys, want %d (checkpoint %d)", len(got), len(want), wantID)
			}
			if id, _ := lastID(t, db); id != wantID {
				t.Fatalf("last checkpoint %d, want %d", id, wantID)
			}
			// The next checkpoint goes on from there.
			third := []op{{key: "k/000001", val: "third"}}
			if err := writeCheckpoint(db, 3, third); err != nil {
				t.Fatal(err)
			}
			applyModel(want, third)
			if got := scanAll(t, db, ""); !maps.Equal(got, want) {
				t.Fatalf("after checkpoint 3: %d keys, want %d", len(got), len(want))
			}
			assertNoStaging(t, db)
		})
	}
}

// A large commit that fails after its commit point is finished by the next
// commit in the same process, before that one is applied.
func TestCheckpointLargeRedoInProcess(t *testing.T) {
	db := open(t, "", Options{NoSync: true, MemTableSize: 1 << 20})
	model := map[string]string{}
	first := bigOps(0, 3000)
	crashed := errors.New("crash")
	db.ckpt.hook = func(stage string) error {
		if stage == "half-applied" {
			return crashed
		}
		return nil
	}
	if err := writeCheckpoint(db, 1, first); err != nil {
		t.Fatalf("commit: %v", err)
	}
	waitApply(db)
	db.ckpt.hook = nil
	if db.Healthy() == nil {
		t.Fatalf("Healthy after a failed checkpoint apply: nil")
	}
	applyModel(model, first)
	second := []op{{key: "k/000002", del: true}}
	if err := writeCheckpoint(db, 2, second); err != nil {
		t.Fatal(err)
	}
	applyModel(model, second)
	if got := scanAll(t, db, ""); !maps.Equal(got, model) {
		t.Fatalf("%d keys, want %d", len(got), len(model))
	}
	if err := db.Healthy(); err != nil {
		t.Fatalf("Healthy after a good checkpoint: %v", err)
	}
	assertNoStaging(t, db)
}

// waitApply waits for a background apply to end, without redoing it.
func waitApply(db *DB) {
	db.ckpt.mu.Lock()
	ch := db.ckpt.running
	db.ckpt.mu.Unlock()
	if ch != nil {
		<-ch
	}
}

func assertNoStaging(t *testing.T, db *DB) {
	t.Helper()
	db.bdb.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.Prefix = prefix(tagStaging)
		it := txn.NewIterator(o)
		defer it.Close()
		if it.Rewind(); it.Valid() {
			t.Errorf("staging left behind: %x", it.Item().Key())
		}
		return nil
	})
}
