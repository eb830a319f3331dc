package tables

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisClient is what the Redis source needs of a go-redis client;
// *redis.Client, *redis.ClusterClient and redis.UniversalClient have it.
type RedisClient interface {
	HScan(ctx context.Context, key string, cursor uint64, match string, count int64) *redis.ScanCmd
	Exists(ctx context.Context, keys ...string) *redis.IntCmd
}

// RedisOptions configure a Redis source. The zero values give the defaults.
type RedisOptions struct {
	// Hash is the Redis key of the hash that holds the table: one field per
	// row, the field its key and the value a JSON object (see the package
	// documentation). Required.
	Hash string
	// Interval is the time between the end of one load and the start of the
	// next. Default 30s; a negative value loads once.
	Interval time.Duration
	// Count is the COUNT hint of each HSCAN call. Default 1000.
	Count int64
	// Logger receives failed loads and bad rows. Default: discard.
	Logger *slog.Logger
}

// EnsureDefaults fills in the zero fields.
func (o *RedisOptions) EnsureDefaults() {
	if o.Interval == 0 {
		o.Interval = 30 * time.Second
	}
	if o.Count <= 0 {
		o.Count = 1000
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// RedisStats describe a Redis source's loads.
type RedisStats struct {
	Loads     int       // successful loads
	Failures  int       // failed loads
	Rows      int       // rows of the last successful load
	BadRows   int       // fields skipped by the last successful load
	LastLoad  time.Time // end of the last successful load
	LastError error     // of the last failed load; nil after a success
}

// Redis keeps a table loaded from a Redis hash: it loads the whole hash
// (HSCAN) in the background, right away and then every Interval, and
// replaces the table's rows with each load in one atomic swap; lookups are
// never blocked and always see one complete load. A failed load (Redis
// unreachable, the key not a hash) keeps the rows of the last good one and
// is retried: before the first success after 100ms, 200ms, ... up to the
// interval; after it, at the next interval. A field whose key or value does
// not fit the table's columns is skipped, counted (RedisStats.BadRows) and
// logged; it does not fail the load.
type Redis struct {
	t      *Table
	c      RedisClient
	opt    RedisOptions
	ready  chan struct{}
	cancel context.CancelFunc
	done   chan struct{}

	loadMu sync.Mutex // one load at a time
	mu     sync.Mutex
	stats  RedisStats
}

// StartRedis starts keeping t loaded from a Redis hash through c, which the
// caller keeps and closes after Close. It fails only on bad options; a load
// error is retried and reported by Wait and Stats.
func StartRedis(t *Table, c RedisClient, opt RedisOptions) (*Redis, error) {
	opt.EnsureDefaults()
	if opt.Hash == "" {
		return nil, fmt.Errorf("table %q: redis source: no hash named", t.l.Name)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Redis{t: t, c: c, opt: opt, ready: make(chan struct{}), cancel: cancel, done: make(chan struct{})}
	go r.run(ctx)
	return r, nil
}

func (r *Redis) run(ctx context.Context) {
	defer close(r.done)
	backoff := 100 * time.Millisecond
	for {
		err := r.Refresh(ctx)
		wait := r.opt.Interval
		if err != nil && !r.isReady() {
			wait = backoff
			if r.opt.Interval > 0 {
				wait = min(backoff, r.opt.Interval)
			}
			backoff = min(2*backoff, 10*time.Second)
		} else if r.opt.Interval < 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func (r *Redis) isReady() bool {
	select {
	case <-r.ready:
		return true
	default:
		return false
	}
}

// Ready is closed when the first load has succeeded.
func (r *Redis) Ready() <-chan struct{} { return r.ready }

// Wait waits until the first load has succeeded. If ctx ends first it
// returns ctx's error with the last load error; after Close, ErrClosed.
func (r *Redis) Wait(ctx context.Context) error {
	select {
	case <-r.ready:
		return nil
	case <-r.done:
		if r.isReady() {
			return nil
		}
		return fmt.Errorf("table %q: %w", r.t.l.Name, ErrClosed)
	case <-ctx.Done():
		r.mu.Lock()
		last := r.stats.LastError
		r.mu.Unlock()
		if last != nil {
			return fmt.Errorf("table %q: not loaded: %w (last error: %v)", r.t.l.Name, ctx.Err(), last)
		}
		return fmt.Errorf("table %q: not loaded: %w", r.t.l.Name, ctx.Err())
	}
}

// Stats returns the source's statistics.
func (r *Redis) Stats() RedisStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

// Close stops the refreshes and waits for a load under way to stop. The
// table keeps its rows.
func (r *Redis) Close() error {
	r.cancel()
	<-r.done
	return nil
}

// Refresh loads the hash now and replaces the table's rows, as the
// background loop does.
func (r *Redis) Refresh(ctx context.Context) error {
	r.loadMu.Lock()
	defer r.loadMu.Unlock()
	m, bad, err := r.load(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		if ctx.Err() != nil {
			return err // closing: not a failure
		}
		r.stats.Failures++
		r.stats.LastError = err
		r.opt.Logger.Warn("table load failed; keeping the rows loaded before",
			"table", r.t.l.Name, "redis_hash", r.opt.Hash, "rows", r.t.Len(), "err", err)
		return err
	}
	r.t.replace(m)
	r.stats.Loads++
	r.stats.Rows = len(m)
	r.stats.BadRows = bad
	r.stats.LastLoad = time.Now()
	r.stats.LastError = nil
	if !r.isReady() {
		close(r.ready)
		r.opt.Logger.Info("table loaded", "table", r.t.l.Name, "redis_hash", r.opt.Hash, "rows", len(m), "bad_rows", bad)
	}
	return nil
}

// maxLoggedBadRows is how many bad fields a load logs one by one.
const maxLoggedBadRows = 10

func (r *Redis) load(ctx context.Context) (map[string]*Row, int, error) {
	m := make(map[string]*Row)
	bad := 0
	var cursor uint64
	for {
		kv, next, err := r.c.HScan(ctx, r.opt.Hash, cursor, "", r.opt.Count).Result()
		if err != nil {
			return nil, 0, fmt.Errorf("table %q: redis HSCAN %s: %w", r.t.l.Name, r.opt.Hash, err)
		}
		if len(kv)%2 != 0 {
			return nil, 0, fmt.Errorf("table %q: redis HSCAN %s: odd reply", r.t.l.Name, r.opt.Hash)
		}
		for i := 0; i < len(kv); i += 2 {
			k, row, err := r.t.l.decodeKeyed([]byte(kv[i]), []byte(kv[i+1]))
			if err != nil {
				bad++
				if bad <= maxLoggedBadRows {
					r.opt.Logger.Warn("table row skipped", "table", r.t.l.Name, "redis_hash", r.opt.Hash,
						"field", cut(kv[i]), "err", fmt.Errorf("%w: %v", ErrBadRow, err))
				}
				continue
			}
			m[k] = row // HSCAN may return a field twice
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	if bad > maxLoggedBadRows {
		r.opt.Logger.Warn("table rows skipped", "table", r.t.l.Name, "redis_hash", r.opt.Hash, "bad_rows", bad)
	}
	if len(m) == 0 && bad == 0 {
		if n, err := r.c.Exists(ctx, r.opt.Hash).Result(); err == nil && n == 0 {
			r.opt.Logger.Warn("table's redis hash does not exist; the table is empty", "table", r.t.l.Name, "redis_hash", r.opt.Hash)
		}
	}
	return m, bad, nil
}
