package state

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Checkpoints. See "Checkpoints" in doc.go for how a checkpoint larger than
// one Badger transaction stays atomic.

// Checkpoint is the record of a committed checkpoint.
type Checkpoint struct {
	ID   uint64
	Time time.Time // when it was committed
	// Meta is the engine's description of it, JSON: source positions,
	// watermarks, sink lengths.
	Meta []byte
}

// keepCheckpoints is how many checkpoint records are kept (the state is
// only that of the last one; older records are for inspection).
const keepCheckpoints = 8

// chunkSize is the size of one chunk of encoded operations; a chunk is one
// Badger value in the staging area of a large checkpoint.
const chunkSize = 256 << 10

const (
	opPut byte = 1
	opDel byte = 2
)

type checkpoints struct {
	mu      sync.Mutex    // serializes commits, settling and Close
	lastID  uint64        // the last committed checkpoint (mu)
	pending uint64        // a committed checkpoint not yet applied, or whose apply failed (mu)
	running chan struct{} // closed when the background apply ends; nil when none runs (mu)
	runErr  error         // the background apply's outcome, read once running is closed
	apply   sync.RWMutex  // held for writing while state is applied; ScanState reads

	hook func(stage string) error // tests: called at the stages of a large commit
}

// hook calls the test hook, if any: an error stops the commit at that
// stage, as a crash would.
func (db *DB) hook(stage string) error {
	if db.ckpt.hook == nil {
		return nil
	}
	return db.ckpt.hook(stage)
}

func checkpointKey(id uint64) []byte { return appendU64(prefix(tagCheckpoint), id) }

func stagingKey(id uint64, chunk uint32) []byte {
	return binary.BigEndian.AppendUint32(appendU64(prefix(tagStaging), id), chunk)
}

func stateKey(key []byte) []byte { return append(prefix(tagState), key...) }

// CheckpointWriter collects the state changed since the last checkpoint:
// Put and Delete in any number, from several goroutines, then Commit. Until
// Commit nothing is written; a writer that is abandoned (Abort, or a
// crash) leaves the previous checkpoint as it was. Keys are the engine's;
// the package stores them in its own key space. Within one checkpoint the
// last operation on a key wins.
type CheckpointWriter struct {
	db *DB
	id uint64

	mu     sync.Mutex
	chunks [][]byte // encoded operations, in order
	count  int64    // operations
	size   int64    // Badger's estimate of their size in one transaction
	done   bool
}

// NewCheckpoint starts checkpoint id, which must be greater than the last
// committed checkpoint's.
func (db *DB) NewCheckpoint(id uint64) (*CheckpointWriter, error) {
	if err := db.enter(); err != nil {
		return nil, err
	}
	defer db.life.RUnlock()
	db.ckpt.mu.Lock()
	last := db.ckpt.lastID
	db.ckpt.mu.Unlock()
	if id <= last {
		return nil, fmt.Errorf("%w: checkpoint %d is not after the last one, %d", ErrInvalid, id, last)
	}
	return &CheckpointWriter{db: db, id: id}, nil
}

// ID returns the checkpoint's id.
func (w *CheckpointWriter) ID() uint64 { return w.id }

// Put sets key to val in the checkpoint. The slices are copied.
func (w *CheckpointWriter) Put(key, val []byte) error { return w.add(opPut, key, val) }

// Delete removes key in the checkpoint.
func (w *CheckpointWriter) Delete(key []byte) error { return w.add(opDel, key, nil) }

func (w *CheckpointWriter) add(op byte, key, val []byte) error {
	if len(key) == 0 {
		return fmt.Errorf("%w: empty state key", ErrInvalid)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return fmt.Errorf("%w: checkpoint %d already committed or aborted", ErrInvalid, w.id)
	}
	n := len(w.chunks)
	if n == 0 || len(w.chunks[n-1]) > chunkSize {
		w.chunks = append(w.chunks, make([]byte, 0, chunkSize+1024))
		n++
	}
	c := w.chunks[n-1]
	c = append(c, op)
	c = binary.AppendUvarint(c, uint64(len(key)+2))
	c = append(c, 0, tagState)
	c = append(c, key...)
	if op == opPut {
		c = binary.AppendUvarint(c, uint64(len(val)))
		c = append(c, val...)
	}
	w.chunks[n-1] = c
	w.count++
	w.size += entrySize(len(key)+2, len(val))
	return nil
}

// Abort drops the writer; nothing was written.
func (w *CheckpointWriter) Abort() {
	w.mu.Lock()
	w.done, w.chunks = true, nil
	w.mu.Unlock()
}

// Commit writes the checkpoint with its meta and makes it the last one,
// atomically: after a crash at any moment, LastCheckpoint and ScanState
// give either the previous checkpoint or this one, whole. When it returns
// nil the checkpoint is durable. A checkpoint too large for one Badger
// transaction is applied to the state in the background after that;
// ScanState and the next Commit wait for it.
func (w *CheckpointWriter) Commit(meta []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return fmt.Errorf("%w: checkpoint %d already committed or aborted", ErrInvalid, w.id)
	}
	w.done = true
	chunks := w.chunks
	w.chunks = nil
	db := w.db
	if err := db.enter(); err != nil {
		return err
	}
	defer db.life.RUnlock()
	c := &db.ckpt
	c.mu.Lock()
	defer c.mu.Unlock()
	// The previous checkpoint must be in the state before anything comes
	// after it.
	if err := db.settleLocked(); err != nil {
		return err
	}
	if w.id <= c.lastID {
		return fmt.Errorf("%w: checkpoint %d is not after the last one, %d", ErrInvalid, w.id, c.lastID)
	}
	rec := binary.BigEndian.AppendUint64(nil, uint64(time.Now().UnixNano()))
	rec = append(rec, meta...)
	maxCount, maxSize := db.txnLimits()
	small := w.count+keepCheckpoints+2 < maxCount && w.size+int64(len(rec))+1024 < maxSize
	var err error
	if small {
		err = db.bdb.Update(func(txn *badger.Txn) error {
			if err := applyChunks(chunks, txn.Set, txn.Delete); err != nil {
				return err
			}
			return putCheckpointRecord(txn, w.id, rec)
		})
		if err == nil {
			c.lastID = w.id
		}
	}
	if !small || errors.Is(err, badger.ErrTxnTooBig) {
		err = db.commitLarge(w.id, rec, chunks)
	}
	return db.wrote("checkpoint", err)
}

// commitLarge writes a checkpoint too large for one transaction: its
// operations to a staging area, then its record (the commit point); then,
// in the background, the operations to the state, and it removes the
// staging area. The caller holds ckpt.mu.
func (db *DB) commitLarge(id uint64, rec []byte, chunks [][]byte) error {
	c := &db.ckpt
	// What an interrupted attempt left there (the same id may be tried
	// again) must not mix with this one's chunks.
	if err := db.dropStaging(); err != nil {
		return err
	}
	wb := db.bdb.NewWriteBatch()
	for i, ch := range chunks {
		if err := wb.Set(stagingKey(id, uint32(i)), ch); err != nil {
			wb.Cancel()
			return err
		}
	}
	if err := wb.Flush(); err != nil {
		return err
	}
	if err := db.hook("staged"); err != nil {
		return err
	}
	if err := db.bdb.Update(func(txn *badger.Txn) error { return putCheckpointRecord(txn, id, rec) }); err != nil {
		return err
	}
	// Committed: the checkpoint is the last one, and what is left undone
	// is redone from the staging area (by settleLocked, or by Open).
	c.lastID, c.pending = id, id
	c.apply.Lock() // before returning, so that no ScanState comes first
	done := make(chan struct{})
	c.running = done
	go func() {
		err := db.applyOps(chunks)
		c.apply.Unlock()
		if err == nil {
			err = db.hook("applied")
		}
		if err == nil {
			err = db.dropStaging()
		}
		c.runErr = db.wrote("checkpoint apply", err)
		close(done)
	}()
	return nil
}

// settleLocked waits for a background apply to end and redoes the pending
// checkpoint if it failed. The caller holds ckpt.mu.
func (db *DB) settleLocked() error {
	c := &db.ckpt
	if c.running != nil {
		<-c.running
		c.running = nil
		if c.runErr == nil {
			c.pending = 0
		}
	}
	if c.pending != 0 {
		if err := db.wrote("checkpoint apply", db.redo(c.pending)); err != nil {
			return err
		}
		c.pending = 0
	}
	return nil
}

// settle is settleLocked for tests.
func (db *DB) settle() error {
	db.ckpt.mu.Lock()
	defer db.ckpt.mu.Unlock()
	return db.settleLocked()
}

// applyOps writes encoded operations to the state; the caller holds
// ckpt.apply for writing.
func (db *DB) applyOps(chunks [][]byte) error {
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	for i, ch := range chunks {
		if i == len(chunks)/2 {
			if err := db.hook("half-applied"); err != nil {
				wb.Flush()
				return err
			}
		}
		if err := applyChunks([][]byte{ch}, wb.Set, wb.Delete); err != nil {
			return err
		}
	}
	return wb.Flush()
}

// redo applies a committed checkpoint again from its staging area.
func (db *DB) redo(id uint64) error {
	var chunks [][]byte
	err := db.bdb.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.PrefetchValues = false
		o.Prefix = appendU64(prefix(tagStaging), id)
		it := txn.NewIterator(o)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			ch, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			chunks = append(chunks, ch)
		}
		return nil
	})
	if err != nil {
		return err
	}
	db.log.Warn("state: finishing an interrupted checkpoint", "checkpoint", id, "chunks", len(chunks))
	db.ckpt.apply.Lock()
	err = db.applyOps(chunks)
	db.ckpt.apply.Unlock()
	if err != nil {
		return err
	}
	return db.dropStaging()
}

// dropStaging deletes every staging chunk.
func (db *DB) dropStaging() error {
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	err := db.bdb.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.PrefetchValues = false
		o.Prefix = prefix(tagStaging)
		it := txn.NewIterator(o)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := wb.Delete(it.Item().KeyCopy(nil)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return wb.Flush()
}

// applyChunks decodes encoded operations and calls set or del for each.
func applyChunks(chunks [][]byte, set func(k, v []byte) error, del func(k []byte) error) error {
	for _, c := range chunks {
		for len(c) > 0 {
			op := c[0]
			c = c[1:]
			key, rest, ok := cutLen(c)
			if !ok {
				return fmt.Errorf("%w: checkpoint operations", ErrCorrupt)
			}
			c = rest
			switch op {
			case opPut:
				var val []byte
				if val, c, ok = cutLen(c); !ok {
					return fmt.Errorf("%w: checkpoint operations", ErrCorrupt)
				}
				if err := set(key, val); err != nil {
					return err
				}
			case opDel:
				if err := del(key); err != nil {
					return err
				}
			default:
				return fmt.Errorf("%w: checkpoint operation %d", ErrCorrupt, op)
			}
		}
	}
	return nil
}

// cutLen splits a uvarint-length-prefixed slice off b. The result is
// capped so that appending to it cannot overwrite what follows.
func cutLen(b []byte) (v, rest []byte, ok bool) {
	n, w := binary.Uvarint(b)
	if w <= 0 || uint64(len(b)-w) < n {
		return nil, nil, false
	}
	end := w + int(n)
	return b[w:end:end], b[end:], true
}

// putCheckpointRecord sets the record of checkpoint id and deletes the
// records beyond the newest keepCheckpoints.
func putCheckpointRecord(txn *badger.Txn, id uint64, rec []byte) error {
	if err := txn.Set(checkpointKey(id), rec); err != nil {
		return err
	}
	o := badger.DefaultIteratorOptions
	o.PrefetchValues = false
	o.Reverse = true
	o.Prefix = prefix(tagCheckpoint)
	it := txn.NewIterator(o)
	defer it.Close()
	n := 0
	var old [][]byte
	for it.Seek(checkpointKey(id)); it.Valid(); it.Next() {
		if n++; n > keepCheckpoints {
			old = append(old, it.Item().KeyCopy(nil))
		}
	}
	for _, k := range old {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// WriteCheckpoint commits checkpoint id in one call: puts calls put for
// each changed key, dels are the removed keys.
func (db *DB) WriteCheckpoint(id uint64, meta []byte, puts func(put func(key, val []byte) error) error, dels [][]byte) error {
	w, err := db.NewCheckpoint(id)
	if err != nil {
		return err
	}
	if puts != nil {
		if err := puts(w.Put); err != nil {
			w.Abort()
			return err
		}
	}
	for _, k := range dels {
		if err := w.Delete(k); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Commit(meta)
}

// LastCheckpoint returns the last committed checkpoint; false when there is
// none.
func (db *DB) LastCheckpoint() (*Checkpoint, bool, error) {
	if err := db.enter(); err != nil {
		return nil, false, err
	}
	defer db.life.RUnlock()
	var cp *Checkpoint
	err := db.bdb.View(func(txn *badger.Txn) error {
		var err error
		cp, err = lastCheckpoint(txn)
		return err
	})
	return cp, cp != nil, err
}

func lastCheckpoint(txn *badger.Txn) (*Checkpoint, error) {
	o := badger.DefaultIteratorOptions
	o.Reverse = true
	o.Prefix = prefix(tagCheckpoint)
	it := txn.NewIterator(o)
	defer it.Close()
	it.Seek(checkpointKey(^uint64(0)))
	if !it.Valid() {
		return nil, nil
	}
	k := it.Item().Key()
	v, err := it.Item().ValueCopy(nil)
	if err != nil {
		return nil, err
	}
	if len(k) != 10 || len(v) < 8 {
		return nil, fmt.Errorf("%w: checkpoint record %x", ErrCorrupt, k)
	}
	return &Checkpoint{
		ID:   binary.BigEndian.Uint64(k[2:]),
		Time: time.Unix(0, int64(binary.BigEndian.Uint64(v))),
		Meta: v[8:],
	}, nil
}

// ScanState calls fn for every state key beginning with prefix (nil: all),
// in key order, with the state of the last checkpoint. key and val are
// valid only during the call. An error from fn stops the scan and is
// returned.
func (db *DB) ScanState(prefix []byte, fn func(key, val []byte) error) error {
	if err := db.enter(); err != nil {
		return err
	}
	defer db.life.RUnlock()
	c := &db.ckpt
	c.mu.Lock()
	if err := db.settleLocked(); err != nil {
		c.mu.Unlock()
		return err
	}
	c.apply.RLock() // no apply runs now: we hold mu and settled
	c.mu.Unlock()
	defer c.apply.RUnlock()
	return db.bdb.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.PrefetchValues = false
		o.Prefix = stateKey(prefix)
		it := txn.NewIterator(o)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			key := item.Key()[2:]
			if err := item.Value(func(v []byte) error { return fn(key, v) }); err != nil {
				return err
			}
		}
		return nil
	})
}

// recoverCheckpoint runs at Open: it loads the last checkpoint's id,
// finishes applying it if its commit was interrupted after the commit
// point, and deletes the staging area of checkpoints that never reached it.
func (db *DB) recoverCheckpoint() error {
	var last uint64
	err := db.bdb.View(func(txn *badger.Txn) error {
		cp, err := lastCheckpoint(txn)
		if cp != nil {
			last = cp.ID
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("state: reading the last checkpoint: %w", err)
	}
	db.ckpt.lastID = last
	staged := false
	err = db.bdb.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.PrefetchValues = false
		o.Prefix = appendU64(prefix(tagStaging), last)
		it := txn.NewIterator(o)
		defer it.Close()
		it.Rewind()
		staged = it.Valid()
		return nil
	})
	if err == nil && staged && last != 0 {
		err = db.redo(last)
	}
	if err == nil {
		err = db.dropStaging()
	}
	if err != nil {
		return fmt.Errorf("state: recovering checkpoint %d: %w", last, err)
	}
	return nil
}
