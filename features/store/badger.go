package store

import (
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// SaveTo writes to db the keys whose values changed (or were removed)
// since the last successful SaveTo, one Badger record per key, and returns
// how many records it wrote or deleted.
//
// The records are written by a badger.WriteBatch, so a large save spans
// several transactions: each key is written whole, the save as a whole is
// not atomic. For a checkpoint, call SaveTo before committing the source
// positions: whatever is written after those positions is Put again when
// the engine replays from them. Put and Get go on during a save; what they
// change after a key is taken is saved next time. If SaveTo fails, the keys
// it took are marked changed again.
func (s *Embedded) SaveTo(db *badger.DB) (int, error) {
	if !s.trackDirty {
		return 0, fmt.Errorf("feature store: this embedded store does not track changes")
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()

	type rec struct {
		key string
		val []byte // nil: delete
	}
	taken := make([]map[string]struct{}, len(s.shards))
	var recs []rec
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		if len(sh.dirty) == 0 {
			sh.mu.Unlock()
			continue
		}
		taken[i] = sh.dirty
		sh.dirty = make(map[string]struct{})
		var buf []byte // one buffer per shard; Badger keeps the slices until Flush
		for k := range taken[i] {
			if ent, ok := sh.m[k]; ok {
				n := len(buf)
				buf = appendEntity(buf, &ent, s.name)
				recs = append(recs, rec{k, buf[n:len(buf):len(buf)]})
			} else {
				recs = append(recs, rec{k, nil})
			}
		}
		sh.mu.Unlock()
	}
	if len(recs) == 0 {
		return 0, nil
	}

	err := func() error {
		wb := db.NewWriteBatch()
		defer wb.Cancel()
		for _, r := range recs {
			key := []byte(s.prefix + r.key)
			var err error
			if r.val == nil {
				err = wb.Delete(key)
			} else {
				err = wb.Set(key, r.val)
			}
			if err != nil {
				return err
			}
		}
		return wb.Flush()
	}()
	if err != nil {
		for i, t := range taken {
			if t == nil {
				continue
			}
			sh := &s.shards[i]
			sh.mu.Lock()
			for k := range t {
				sh.dirty[k] = struct{}{}
			}
			sh.mu.Unlock()
		}
		return 0, fmt.Errorf("feature store: saving %d keys to badger: %w", len(recs), err)
	}
	return len(recs), nil
}

// LoadFrom reads every key saved under the store's prefix in db into the
// store, as it is at start, and returns how many keys it read. Values read
// are not marked changed. A record that cannot be decoded fails the load
// with ErrCorrupt, naming its key.
func (s *Embedded) LoadFrom(db *badger.DB) (int, error) {
	n := 0
	err := db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = []byte(s.prefix)
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			key := string(item.Key()[len(s.prefix):])
			err := item.Value(func(v []byte) error {
				return decodeEntity(string(v), func(feature string, st Stored) {
					s.load(feature, key, st)
				})
			})
			if err != nil {
				return fmt.Errorf("key %q: %w", key, err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("feature store: loading from badger: %w", err)
	}
	return n, nil
}

// load stores one value read from Badger without marking it changed.
func (s *Embedded) load(feature, key string, st Stored) {
	s.set(feature, key, st.Value, st.AsOf, st.Expires)
	sh := s.shardOf(key)
	sh.mu.Lock()
	delete(sh.dirty, key)
	sh.mu.Unlock()
}
