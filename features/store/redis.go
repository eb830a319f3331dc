package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// RedisOptions configures a Redis store. Only Addr is usually set.
type RedisOptions struct {
	Addr     string // host:port; default 127.0.0.1:6379
	Username string
	Password string
	DB       int

	// Prefix starts the name of every Redis key the store writes; default
	// "kestrel:". Instances that share features use the same prefix.
	Prefix string
	// TTL is the Redis expiry of an entry whose TTL is 0. Default 24h;
	// NoExpiry keeps such values until overwritten.
	TTL time.Duration

	// DialTimeout and IOTimeout bound how long a lost Redis can hold up a
	// Put or Get before the store falls back: defaults 1s and 1s.
	DialTimeout time.Duration
	IOTimeout   time.Duration

	// MaxLocalKeys bounds the in-process copy of the values this instance
	// wrote (keys, each with all its features), which answers lookups while
	// Redis is unreachable. Default 262144.
	MaxLocalKeys int
	// MaxQueued bounds the values waiting to be written while Redis is
	// unreachable. A queued value is replaced by a newer one of the same
	// (feature, key), so the bound is on distinct (feature, key) pairs.
	// Default 1048576.
	MaxQueued int
	// BatchSize is the number of keys per pipelined round trip. Default 1000.
	BatchSize int
	// MinBackoff and MaxBackoff bound the wait between retries while Redis
	// is unreachable; it doubles from one to the other. Defaults 50ms and 5s.
	MinBackoff time.Duration
	MaxBackoff time.Duration
	// CloseTimeout bounds the last attempt, in Close, to write what is
	// still queued. Default 2s.
	CloseTimeout time.Duration

	Registerer prometheus.Registerer // nil: metrics are not registered
	Logger     *slog.Logger          // nil: no logs
}

func (o *RedisOptions) ensureDefaults() {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:6379"
	}
	if o.Prefix == "" {
		o.Prefix = "kestrel:"
	}
	if o.TTL == 0 {
		o.TTL = 24 * time.Hour
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = time.Second
	}
	if o.IOTimeout <= 0 {
		o.IOTimeout = time.Second
	}
	if o.MaxLocalKeys <= 0 {
		o.MaxLocalKeys = 1 << 18
	}
	if o.MaxQueued <= 0 {
		o.MaxQueued = 1 << 20
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 1000
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 50 * time.Millisecond
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(5*time.Second, o.MinBackoff)
	}
	if o.CloseTimeout <= 0 {
		o.CloseTimeout = 2 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Redis is the store shared by instances through Redis: one hash per key
// (see doc.go for the layout), with an in-process copy of what this
// instance wrote for when Redis is unreachable, and a queue of the writes
// that could not be made, drained by one goroutine. It is safe for
// concurrent use.
type Redis struct {
	opts    RedisOptions
	client  *redis.Client
	local   *Embedded
	metrics *metrics
	log     *slog.Logger

	down atomic.Bool   // Redis was unreachable at the last attempt
	seq  atomic.Uint64 // Put sequence, orders queued values

	closeMu sync.RWMutex // Put and Get hold it shared; Close exclusive
	closed  bool

	mu       sync.Mutex
	pending  map[pendingKey]pending // values not yet written, newest per (feature, key)
	inflight int                    // values taken from pending by the flusher, being written

	wake    chan struct{}
	done    chan struct{}
	stopped chan struct{}
}

type pendingKey struct{ feature, key string }

// pending is one value on its way to Redis.
type pending struct {
	feature, key string
	rec          []byte // appendRecord encoding
	ttl          int64  // ms; -1: no expiry
	seq          uint64
}

// writeScript stores the fields of one key and sets its expiry: a new key
// gets the TTL, an existing one is only extended (GT; a key without expiry
// keeps none), and a TTL < 0 removes the expiry. ARGV: ttl ms, then field,
// value pairs.
var writeScript = redis.NewScript(`
local existed = redis.call('EXISTS', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
local ttl = tonumber(ARGV[1])
if ttl < 0 then
  redis.call('PERSIST', KEYS[1])
elseif existed == 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
else
  redis.call('PEXPIRE', KEYS[1], ttl, 'GT')
end
return 0
`)

// maxFieldsPerCall keeps a script call's arguments well under Lua's unpack limit.
const maxFieldsPerCall = 1000

// NewRedis connects to Redis and returns the store. If Redis cannot be
// reached before ctx ends or the dial timeout, it returns an error that
// wraps ErrUnreachable and reads like
// "redis at 127.0.0.1:6379 is unreachable: dial tcp 127.0.0.1:6379: connect: connection refused".
func NewRedis(ctx context.Context, opts RedisOptions) (*Redis, error) {
	opts.ensureDefaults()
	m, err := newMetrics(opts.Registerer)
	if err != nil {
		return nil, fmt.Errorf("feature store metrics: %w", err)
	}
	client := redis.NewClient(&redis.Options{
		Addr:            opts.Addr,
		Username:        opts.Username,
		Password:        opts.Password,
		DB:              opts.DB,
		DialTimeout:     opts.DialTimeout,
		ReadTimeout:     opts.IOTimeout,
		WriteTimeout:    opts.IOTimeout,
		DialerRetries:   1, // our own queue retries; a lost Redis must fail fast
		MaxRetries:      1, // once, so that a connection broken by a restart is replaced
		DisableIdentity: true,
		// A caller's deadline (an API request's) bounds its round trip.
		ContextTimeoutEnabled: true,
	})
	pctx, cancel := context.WithTimeout(ctx, opts.DialTimeout+opts.IOTimeout)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		client.Close()
		return nil, &unreachableError{addr: opts.Addr, err: err}
	}
	if err := writeScript.Load(pctx, client).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("redis at %s: loading the write script: %w", opts.Addr, err)
	}
	s := &Redis{
		opts:    opts,
		client:  client,
		local:   newEmbedded(EmbeddedOptions{MaxKeys: opts.MaxLocalKeys}, false),
		metrics: m,
		log:     opts.Logger,
		pending: make(map[pendingKey]pending),
		wake:    make(chan struct{}, 1),
		done:    make(chan struct{}),
		stopped: make(chan struct{}),
	}
	m.redisUp.Set(1)
	go s.flusher()
	return s, nil
}

type unreachableError struct {
	addr string
	err  error
}

func (e *unreachableError) Error() string {
	return fmt.Sprintf("redis at %s is unreachable: %v", e.addr, e.err)
}
func (e *unreachableError) Unwrap() []error { return []error{ErrUnreachable, e.err} }

// Put stores a batch (see Store.Put): in the local copy, then in Redis in
// pipelined round trips of BatchSize keys. It returns nil once the values
// are in Redis or, if Redis cannot be reached (or an earlier write is
// still queued, whose order must be kept), queued for it. While Redis is
// known to be unreachable, Put does not wait for it.
//
// Errors: ErrInvalidEntry, ErrClosed, ErrQueueFull (the values that did
// not fit are in the local copy only), and a permanent error from Redis
// (for example WRONGTYPE, when a key of the layout holds something else),
// whose values are dropped. Concurrent Puts of the same (feature, key)
// have no defined order.
func (s *Redis) Put(ctx context.Context, entries []Entry) error {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	if err := validate(entries); err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	for i := range entries {
		e := &entries[i]
		s.local.set(e.Feature, e.Key, e.Value, e.AsOf, e.Expires)
	}
	batch := s.encode(entries)

	s.mu.Lock()
	if len(s.pending) > 0 || s.inflight > 0 || s.down.Load() {
		dropped := s.enqueueLocked(batch, true)
		s.mu.Unlock()
		s.kick()
		return queueErr(dropped)
	}
	s.mu.Unlock()

	retry, err := s.write(ctx, batch)
	if len(retry) > 0 {
		s.mu.Lock()
		dropped := s.enqueueLocked(retry, true)
		s.mu.Unlock()
		if ctx.Err() == nil {
			s.setDown(err)
		}
		s.kick()
		return queueErr(dropped)
	}
	return err
}

func queueErr(dropped int) error {
	if dropped == 0 {
		return nil
	}
	return fmt.Errorf("%w: %d feature values not queued for redis", ErrQueueFull, dropped)
}

// encode turns entries into pendings, one buffer for all records.
func (s *Redis) encode(entries []Entry) []pending {
	seq := s.seq.Add(1)
	batch := make([]pending, len(entries))
	buf := make([]byte, 0, len(entries)*24)
	for i := range entries {
		e := &entries[i]
		n := len(buf)
		buf = appendRecord(buf, canonical(e.Value), e.AsOf, e.Expires)
		ttl := e.TTL
		if ttl == 0 {
			ttl = s.opts.TTL
		}
		ms := int64(-1)
		if ttl > 0 {
			ms = max(ttl.Milliseconds(), 1)
		}
		batch[i] = pending{feature: e.Feature, key: e.Key, ttl: ms, seq: seq}
		batch[i].rec = buf[n:len(buf):len(buf)]
	}
	return batch
}

// enqueueLocked merges batch into the queue, keeping the newest value of
// each (feature, key), and returns how many did not fit. s.mu is held.
// own: the pendings still point into the caller's memory and are copied.
func (s *Redis) enqueueLocked(batch []pending, own bool) int {
	dropped := 0
	for _, p := range batch {
		k := pendingKey{p.feature, p.key}
		old, ok := s.pending[k]
		if ok && old.seq > p.seq {
			continue // a newer value is queued
		}
		if !ok && len(s.pending) >= s.opts.MaxQueued {
			dropped++
			continue
		}
		if own {
			if ok {
				p.feature, p.key = old.feature, old.key
			} else {
				p.feature, p.key = s.local.name(s.local.newID(p.feature)), strings.Clone(p.key)
			}
			p.rec = append([]byte(nil), p.rec...)
		}
		s.pending[pendingKey{p.feature, p.key}] = p
	}
	s.gaugeLocked()
	if dropped > 0 {
		s.metrics.droppedWrites.Add(float64(dropped))
		s.log.Warn("feature store: write queue full, values dropped", "dropped", dropped, "max_queued", s.opts.MaxQueued)
	}
	return dropped
}

func (s *Redis) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// write writes batch to Redis in pipelined round trips. It returns the
// pendings that were not written for a reason that may pass (Redis
// unreachable, busy or loading; ctx ended) with that reason, or nil and
// the permanent error of values Redis rejected, which are dropped.
func (s *Redis) write(ctx context.Context, batch []pending) (retry []pending, err error) {
	calls := s.plan(batch)
	var firstPerm error
	permanent := 0
	for start := 0; start < len(calls); start += s.opts.BatchSize {
		chunk := calls[start:min(start+s.opts.BatchSize, len(calls))]
		errs := s.exec(ctx, batch, chunk)
		var reload []int
		for i, e := range errs {
			if e != nil && redis.HasErrorPrefix(e, "NOSCRIPT") {
				reload = append(reload, i)
			}
		}
		if len(reload) > 0 { // Redis restarted or flushed its scripts
			again := make([]writeCall, len(reload))
			for j, i := range reload {
				again[j] = chunk[i]
			}
			var againErrs []error
			if lerr := writeScript.Load(ctx, s.client).Err(); lerr != nil {
				againErrs = make([]error, len(again))
				for j := range againErrs {
					againErrs[j] = lerr
				}
			} else {
				againErrs = s.exec(ctx, batch, again)
			}
			for j, i := range reload {
				errs[i] = againErrs[j]
			}
		}
		for i, e := range errs {
			switch {
			case e == nil:
			case retryable(e):
				if err == nil {
					err = e
				}
				retry = chunk[i].appendPendings(retry, batch)
			default:
				permanent += len(chunk[i].fields)
				if firstPerm == nil {
					firstPerm = fmt.Errorf("redis key %q: %w", chunk[i].key, e)
				}
			}
		}
		if err != nil { // Redis is unreachable: do not try the rest now
			s.metrics.writeErrors.Inc()
			for _, c := range calls[start+len(chunk):] {
				retry = c.appendPendings(retry, batch)
			}
			break
		}
	}
	if firstPerm != nil {
		s.metrics.writeErrors.Inc()
		s.metrics.droppedWrites.Add(float64(permanent))
		s.log.Error("feature store: redis rejected feature values", "dropped", permanent, "err", firstPerm)
		if err == nil {
			return retry, fmt.Errorf("feature store: %d values rejected by redis: %w", permanent, firstPerm)
		}
	}
	return retry, err
}

// writeCall is one call of writeScript: some fields of one key.
type writeCall struct {
	key    string // the Redis key
	ttl    int64
	fields []int // indices into the batch
}

func (c *writeCall) appendPendings(dst []pending, batch []pending) []pending {
	for _, i := range c.fields {
		dst = append(dst, batch[i])
	}
	return dst
}

// plan groups a batch by key, keeping the last value of each feature and
// the longest TTL (no expiry beating any), in calls of at most
// maxFieldsPerCall fields.
func (s *Redis) plan(batch []pending) []writeCall {
	type group struct {
		ttl    int64
		fields []int
	}
	byKey := make(map[string]int, len(batch)) // key → index in groups
	var groups []group
	var keys []string
	for i := range batch {
		p := &batch[i]
		gi, ok := byKey[p.key]
		if !ok {
			gi = len(groups)
			byKey[p.key] = gi
			groups = append(groups, group{ttl: p.ttl})
			keys = append(keys, p.key)
		}
		g := &groups[gi]
		if p.ttl < 0 || g.ttl < 0 {
			g.ttl = -1
		} else {
			g.ttl = max(g.ttl, p.ttl)
		}
		replaced := false
		for j, fi := range g.fields { // few features per key: a scan
			if batch[fi].feature == p.feature {
				g.fields[j] = i
				replaced = true
				break
			}
		}
		if !replaced {
			g.fields = append(g.fields, i)
		}
	}
	calls := make([]writeCall, 0, len(groups))
	for gi := range groups {
		g := &groups[gi]
		for from := 0; from < len(g.fields); from += maxFieldsPerCall {
			calls = append(calls, writeCall{
				key:    s.opts.Prefix + keys[gi],
				ttl:    g.ttl,
				fields: g.fields[from:min(from+maxFieldsPerCall, len(g.fields))],
			})
		}
	}
	return calls
}

// exec runs calls in one pipeline and returns the error of each.
func (s *Redis) exec(ctx context.Context, batch []pending, calls []writeCall) []error {
	pipe := s.client.Pipeline()
	cmds := make([]*redis.Cmd, len(calls))
	for i, c := range calls {
		args := make([]any, 0, 1+2*len(c.fields))
		args = append(args, c.ttl)
		for _, fi := range c.fields {
			args = append(args, batch[fi].feature, batch[fi].rec)
		}
		cmds[i] = writeScript.EvalSha(ctx, pipe, []string{c.key}, args...)
	}
	_, _ = pipe.Exec(ctx)
	errs := make([]error, len(calls))
	for i, cmd := range cmds {
		errs[i] = cmd.Err()
	}
	return errs
}

// retryable reports whether a failed Redis command may succeed later: the
// network failed or timed out, or Redis answered that it cannot serve now.
// Any other answer (WRONGTYPE, ...) is permanent.
func retryable(err error) bool {
	var re redis.Error
	if !errors.As(err, &re) {
		return true // network, timeout, closed connection, context
	}
	for _, p := range [...]string{"LOADING", "BUSY", "MASTERDOWN", "READONLY", "TRYAGAIN",
		"CLUSTERDOWN", "NOREPLICAS", "OOM", "max number of clients"} {
		if redis.HasErrorPrefix(err, p) {
			return true
		}
	}
	return false
}

func (s *Redis) setDown(err error) {
	if s.down.CompareAndSwap(false, true) {
		s.metrics.redisUp.Set(0)
		s.log.Warn("feature store: redis is unreachable; serving the local copy and queueing writes",
			"addr", s.opts.Addr, "err", err)
		s.kick()
	}
}

func (s *Redis) setUp() {
	if s.down.CompareAndSwap(true, false) {
		s.metrics.redisUp.Set(1)
		s.log.Info("feature store: redis is reachable again", "addr", s.opts.Addr)
	}
}

// Get looks values up (see Store.Get): one HMGET per key, BatchSize keys
// per pipelined round trip. Each value is the newer (by AsOf) of Redis's
// and the local copy's, so an instance reads its own writes even while
// they are queued. While Redis is unreachable, the values come from the
// local copy alone and the Results say so (Local).
func (s *Redis) Get(ctx context.Context, features []string, keys []string) ([]Result, error) {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return nil, ErrClosed
	}
	res, vals := results(len(keys), len(features))
	nf := len(features)
	for i, k := range keys {
		res[i].Key = k
		res[i].Values = vals[i*nf : (i+1)*nf : (i+1)*nf]
	}
	if nf == 0 || len(keys) == 0 {
		return res, nil
	}
	if !s.down.Load() {
		err := s.fetch(ctx, features, res)
		if err == nil {
			local := make([]Stored, nf)
			ids := s.local.idsOf(features, nil)
			for i := range res {
				clear(local)
				s.local.lookup(ids, res[i].Key, local)
				for j, l := range local {
					if l.Found && (!res[i].Values[j].Found || l.AsOf >= res[i].Values[j].AsOf) {
						res[i].Values[j] = l
					}
				}
			}
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		if !retryable(err) {
			return nil, err
		}
		s.setDown(err)
	}
	ids := s.local.idsOf(features, nil)
	for i := range res {
		clear(res[i].Values)
		s.local.lookup(ids, res[i].Key, res[i].Values)
		res[i].Local = true
	}
	s.metrics.fallbackReads.Add(float64(len(res)))
	return res, nil
}

// fetch fills res from Redis.
func (s *Redis) fetch(ctx context.Context, features []string, res []Result) error {
	for start := 0; start < len(res); start += s.opts.BatchSize {
		chunk := res[start:min(start+s.opts.BatchSize, len(res))]
		pipe := s.client.Pipeline()
		cmds := make([]*redis.SliceCmd, len(chunk))
		for i := range chunk {
			cmds[i] = pipe.HMGet(ctx, s.opts.Prefix+chunk[i].Key, features...)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			var re redis.Error
			for i, cmd := range cmds {
				if errors.As(cmd.Err(), &re) { // an answer about this key
					return fmt.Errorf("feature store: redis key %q: %w", s.opts.Prefix+chunk[i].Key, cmd.Err())
				}
			}
			return fmt.Errorf("feature store: redis at %s: %w", s.opts.Addr, err)
		}
		for i, cmd := range cmds {
			for j, v := range cmd.Val() {
				str, ok := v.(string)
				if !ok {
					continue // nil: no such field
				}
				st, err := decodeRecord(str)
				if err != nil {
					return fmt.Errorf("feature store: redis key %q, feature %q: %w", s.opts.Prefix+chunk[i].Key, features[j], err)
				}
				chunk[i].Values[j] = st
			}
		}
	}
	return nil
}

// flusher is the store's one goroutine: it writes what is queued, with
// growing waits while Redis stays unreachable, and probes Redis while it
// is down with nothing queued, so that reads go back to it.
func (s *Redis) flusher() {
	defer close(s.stopped)
	backoff := s.opts.MinBackoff
	fail := func(err error) bool { // wait before the next attempt; false: closing
		s.setDown(err)
		t := time.NewTimer(backoff)
		defer t.Stop()
		backoff = min(backoff*2, s.opts.MaxBackoff)
		select {
		case <-s.done:
			return false
		case <-t.C:
			return true
		}
	}
	for {
		s.mu.Lock()
		n := len(s.pending)
		s.mu.Unlock()
		if n == 0 && !s.down.Load() {
			select {
			case <-s.done:
				return
			case <-s.wake:
				continue
			}
		}
		select {
		case <-s.done:
			return
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), s.opts.DialTimeout+s.opts.IOTimeout)
		if n == 0 { // down, nothing to write: probe
			err := s.client.Ping(ctx).Err()
			cancel()
			if err != nil {
				if !fail(err) {
					return
				}
				continue
			}
			s.setUp()
			backoff = s.opts.MinBackoff
			continue
		}
		batch := s.take()
		retry, err := s.write(ctx, batch)
		cancel()
		s.mu.Lock()
		s.inflight -= len(batch)
		s.enqueueLocked(retry, false)
		s.mu.Unlock()
		if len(retry) > 0 {
			if !fail(err) {
				return
			}
			continue
		}
		s.setUp()
		backoff = s.opts.MinBackoff
	}
}

// take removes up to BatchSize×8 values from the queue for the flusher.
func (s *Redis) take() []pending {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := s.opts.BatchSize * 8
	batch := make([]pending, 0, min(limit, len(s.pending)))
	for k, p := range s.pending {
		if len(batch) == limit {
			break
		}
		batch = append(batch, p)
		delete(s.pending, k)
	}
	s.inflight += len(batch)
	s.gaugeLocked()
	return batch
}

// gaugeLocked sets the queued-writes gauge: values queued or being
// written by the flusher. s.mu is held.
func (s *Redis) gaugeLocked() {
	s.metrics.queuedWrites.Set(float64(len(s.pending) + s.inflight))
}

// Close stops the flusher, makes one last attempt (within CloseTimeout) to
// write what is queued, and closes the connections. Values still queued are dropped, counted, and reported
// in the error.
func (s *Redis) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	s.closeMu.Unlock()
	close(s.done)
	<-s.stopped

	s.mu.Lock()
	batch := make([]pending, 0, len(s.pending))
	for _, p := range s.pending {
		batch = append(batch, p)
	}
	clear(s.pending)
	s.mu.Unlock()
	var lost int
	var werr error
	if len(batch) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), s.opts.CloseTimeout)
		retry, err := s.write(ctx, batch)
		cancel()
		lost, werr = len(retry), err
	}
	s.metrics.queuedWrites.Set(0)
	cerr := s.client.Close()
	s.local.Close()
	if lost > 0 {
		s.metrics.droppedWrites.Add(float64(lost))
		return fmt.Errorf("feature store: %d feature values were not written to redis at %s: %w", lost, s.opts.Addr, werr)
	}
	if werr != nil {
		return werr
	}
	return cerr
}

var _ Store = (*Redis)(nil)
