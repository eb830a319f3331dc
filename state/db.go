package state

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// DefaultDir is where kestrel serve keeps its state unless --data says
// otherwise.
const DefaultDir = "./data"

// Options configure Open. The zero value is ready to use; Open fills in the
// defaults.
type Options struct {
	// Logger receives Badger's warnings and errors and the package's own
	// messages. Nil: nothing is logged.
	Logger *slog.Logger

	// NoSync turns off fsync. By default every Badger commit is synced
	// before it returns, which is what "a 202 means durable" needs; the
	// ingest log and alert writes group their callers so one fsync serves
	// many. With NoSync a write survives the process dying (it is in the
	// OS page cache) but not the machine. For tests and benchmarks.
	// (Named for its non-default value so that the zero Options is safe.)
	NoSync bool

	// AlertRetention is how long a stored alert is kept, counted from
	// when it was stored (Badger TTL). Default 7 days; negative: forever.
	AlertRetention time.Duration

	// MemTableSize is Badger's memtable size; it also bounds one Badger
	// transaction (15%). Default 64 MiB.
	MemTableSize int64

	// BlockCacheSize is Badger's block cache. Default 64 MiB.
	BlockCacheSize int64

	// Badger, when set, may adjust Badger's options last (tuning, tests).
	Badger func(badger.Options) badger.Options
}

// DefaultAlertRetention is the default Options.AlertRetention.
const DefaultAlertRetention = 7 * 24 * time.Hour

// EnsureDefaults fills in the defaults of unset fields.
func (o *Options) EnsureDefaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.AlertRetention == 0 {
		o.AlertRetention = DefaultAlertRetention
	}
	if o.MemTableSize <= 0 {
		o.MemTableSize = 64 << 20
	}
	if o.BlockCacheSize <= 0 {
		o.BlockCacheSize = 64 << 20
	}
}

// DB is Kestrel's state in one Badger directory: the ingest log,
// checkpoints and the engine state they hold, the alert store, and the
// deployed definitions with their versions. Its methods are safe for
// concurrent use.
type DB struct {
	bdb  *badger.DB
	opts Options
	log  *slog.Logger

	// life guards against use after Close: operations hold it for
	// reading, Close takes it for writing.
	life   sync.RWMutex
	closed bool
	done   chan struct{} // closed by Close

	health healthState
	ingest ingestLog
	ckpt   checkpoints
	alerts alertStore
	defs   sync.Mutex // serializes definition writes
}

// Open opens (creating if needed) the state in dir. A directory held by
// another process gives an error wrapping ErrLocked. Open finishes a large
// checkpoint whose commit was interrupted (see doc.go) before it returns.
func Open(dir string, opts Options) (*DB, error) {
	opts.EnsureDefaults()
	if dir == "" {
		dir = DefaultDir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	bo := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{opts.Logger}).
		WithSyncWrites(!opts.NoSync).
		WithMemTableSize(opts.MemTableSize).
		WithBlockCacheSize(opts.BlockCacheSize).
		WithValueThreshold(valueThreshold(opts.MemTableSize)).
		WithNumVersionsToKeep(1).
		WithMetricsEnabled(false)
	if opts.Badger != nil {
		bo = opts.Badger(bo)
	}
	bdb, err := badger.Open(bo)
	if err != nil {
		if strings.Contains(err.Error(), "Another process is using this Badger database") {
			return nil, fmt.Errorf("%w: %s (is another kestrel running with this data directory?): %v", ErrLocked, dir, err)
		}
		return nil, fmt.Errorf("state: open %s: %w", dir, err)
	}
	db := &DB{bdb: bdb, opts: opts, log: opts.Logger, done: make(chan struct{})}
	db.ingest.init(db)
	if err := db.recoverCheckpoint(); err != nil {
		db.ingest.stop()
		_ = bdb.Close()
		return nil, err
	}
	return db, nil
}

// Close stops the ingest committer (appends already queued are written),
// and closes Badger. Calling it again does nothing.
func (db *DB) Close() error {
	db.life.Lock()
	if db.closed {
		db.life.Unlock()
		return nil
	}
	db.closed = true
	close(db.done)
	db.ingest.stop() // the committer drains what was queued
	db.ckpt.mu.Lock()
	if db.ckpt.running != nil {
		<-db.ckpt.running // a failed apply is redone by Open
	}
	db.ckpt.mu.Unlock()
	db.life.Unlock()
	if err := db.bdb.Close(); err != nil {
		return fmt.Errorf("state: close: %w", err)
	}
	return nil
}

// Badger returns the underlying Badger instance, for a component that keeps
// its own records in it (the embedded feature store). Keys beginning with
// 0x00 are this package's; use another prefix.
func (db *DB) Badger() *badger.DB { return db.bdb }

// enter is called at the start of every operation; when it returns nil the
// caller must call db.life.RUnlock.
func (db *DB) enter() error {
	db.life.RLock()
	if db.closed {
		db.life.RUnlock()
		return ErrClosed
	}
	return nil
}

// healthState remembers the last failed write until a write succeeds.
type healthState struct {
	mu  sync.Mutex
	err error
}

// Healthy returns the error of the last write to Badger if no write has
// succeeded since, and nil otherwise. The API stops acknowledging events
// and reports not ready while it is not nil.
func (db *DB) Healthy() error {
	db.health.mu.Lock()
	defer db.health.mu.Unlock()
	return db.health.err
}

// wrote records the outcome of a write to Badger and returns err, wrapped.
func (db *DB) wrote(op string, err error) error {
	db.health.mu.Lock()
	defer db.health.mu.Unlock()
	if err == nil {
		db.health.err = nil
		return nil
	}
	if !errors.Is(err, ErrClosed) {
		err = fmt.Errorf("state: %s: %w", op, err)
		if db.health.err == nil {
			db.log.Error("state: write failed", "op", op, "err", err)
		}
		db.health.err = err
	}
	return err
}

// valueThreshold keeps every value the package writes in the LSM tree (no
// value log to garbage-collect): 1 MiB, or less with a small memtable, as
// Badger requires it under the transaction size.
func valueThreshold(memTable int64) int64 {
	return min(1<<20, memTable*15/100/4)
}

// txnLimits are the budget of one Badger transaction used when the package
// groups writes itself, with a margin under Badger's own limit.
func (db *DB) txnLimits() (count, size int64) {
	return db.bdb.MaxBatchCount() / 2, db.bdb.MaxBatchSize() / 2
}

// entrySize is Badger's estimate of an inline entry, plus its version.
func entrySize(k, v int) int64 { return int64(k + v + 2 + 10) }
