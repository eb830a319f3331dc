package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/config"
	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/patterns"
	"github.com/kestrelcep/kestrel/state"
)

// Options are what a Service takes besides its configuration.
type Options struct {
	Logger *slog.Logger
	// Registry receives the service's metrics; nil: a new one, see Registry.
	Registry *prometheus.Registry
	// Replays bounds the API's replays (replays.go).
	Replays ReplayOptions
}

// Service is a running `kestrel serve`.
type Service struct {
	cfg     *config.Config
	log     *slog.Logger
	reg     *prometheus.Registry
	metrics *metrics
	db      *state.DB
	rs      atomic.Pointer[patterns.RuleSet] // the deployed rule set; RuleSet
	defs    deployer                         // definitions.go
	feed    sync.RWMutex                     // sources decode and push a batch under RLock; a deploy swaps under Lock
	rt      *engine.Runtime
	router  *alerts.Router
	sink    *engineSink
	bcast   *broadcast // the API's live output streams (broadcast.go)
	replays *replays   // the API's replays (replays.go)

	ctx     context.Context // the sources' context, cancelled by Close
	cancel  context.CancelFunc
	sources sync.WaitGroup
	httpMu  sync.Mutex
	http    map[string]*httpStream  // streams taking HTTP ingest, by name
	kafka   map[string]*kafkaSource // consumers, by group and brokers

	feats *featureStore // the Redis feature store, when configured (features.go)

	ckMu     sync.Mutex // one checkpoint at a time
	ckID     uint64
	lastCk   atomic.Uint64 // ckID, for readers outside ckMu
	instance string        // this process's state directory, for the changelog (groups.go)
	ckDone   chan struct{} // closed when the checkpoint loop has returned
	ready    atomic.Bool
	fatal    chan error // the first error that stops the service
	fatalErr sync.Once
	closed   atomic.Bool
}

// meta is what a checkpoint stores beside the engine's state.
type meta struct {
	Engine json.RawMessage  `json:"engine"`
	Files  map[string]int64 `json:"files"` // file sinks' lengths, by path
}

// Start opens the state under cfg.Data, restores the last checkpoint,
// deploys the rule files, binds sources, tables and sinks, and starts
// processing. Close stops it.
func Start(cfg *config.Config, opts Options) (_ *Service, err error) {
	s := &Service{cfg: cfg, log: opts.Logger, reg: opts.Registry, http: map[string]*httpStream{},
		kafka: map[string]*kafkaSource{},
		fatal: make(chan error, 1), ckDone: make(chan struct{})}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.reg == nil {
		s.reg = prometheus.NewRegistry()
	}
	s.metrics = newMetrics(s.reg)
	s.replays = newReplays(s, opts.Replays)
	var cleanup []func()
	defer func() {
		if err != nil {
			for i := len(cleanup) - 1; i >= 0; i-- {
				cleanup[i]()
			}
		}
	}()

	// An unreachable Redis feature store stops the start before anything else.
	if err := s.openFeatureStore(); err != nil {
		return nil, err
	}
	if s.feats != nil {
		cleanup = append(cleanup, func() { s.feats.redis.Close() })
	}

	if err := os.MkdirAll(cfg.Data, 0o755); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	if s.db, err = state.Open(cfg.Data, state.Options{Logger: s.log, AlertRetention: cfg.Alerts.Retention}); err != nil {
		return nil, err
	}
	cleanup = append(cleanup, func() { s.db.Close() })

	rs, err := s.deployRuleFiles(cfg.Rules)
	if err != nil {
		return nil, err
	}
	s.rs.Store(rs)
	if err := s.bindTables(rs); err != nil {
		return nil, err
	}

	if s.instance, err = instanceID(s.db); err != nil {
		return nil, err
	}
	var m meta
	ck, ok, err := s.db.LastCheckpoint()
	if err != nil {
		return nil, err
	}
	if ok {
		if err := json.Unmarshal(ck.Meta, &m); err != nil {
			return nil, fmt.Errorf("checkpoint %d: %w", ck.ID, err)
		}
		s.ckID = ck.ID
		s.lastCk.Store(ck.ID)
		s.log.Info("restoring checkpoint", "id", ck.ID, "taken", ck.Time)
	}

	if s.router, err = s.openSinks(m.Files, ok); err != nil {
		return nil, err
	}
	cleanup = append(cleanup, func() { s.router.Close() })
	s.sink = &engineSink{router: s.router, metrics: s.metrics}

	s.rt, err = engine.NewRuntime(rs, engine.RuntimeOptions{Sink: s.sink, Logger: s.log,
		IdleTimeout: cfg.IdleSourceTimeout, Metrics: engine.NewMetrics(s.reg)})
	if err != nil {
		return nil, err
	}
	if ok {
		start := time.Now()
		if err := s.rt.Restore(m.Engine, s.db.ScanState); err != nil {
			return nil, err
		}
		s.log.Info("checkpoint restored", "id", ck.ID, "took", time.Since(start).Round(time.Millisecond))
	}
	// The runtime outlives the sources' context: Close stops the sources,
	// then takes the last checkpoint, then stops the runtime.
	s.rt.Start(context.Background())
	cleanup = append(cleanup, func() { s.rt.Stop(context.Background()) })
	s.ctx, s.cancel = context.WithCancel(context.Background())
	cleanup = append(cleanup, func() { s.cancel() })
	if err := s.startFeatureWrites(); err != nil {
		return nil, err
	}

	if !ok {
		// A first checkpoint before any event, so that a crash before the
		// first interval restores to here: the files cut back to their
		// lengths now, and not appended to twice.
		if err := s.Checkpoint(context.Background()); err != nil {
			return nil, err
		}
	}
	if err := s.startSources(); err != nil {
		return nil, err
	}
	go s.checkpointLoop()
	s.ready.Store(true)
	s.log.Info("kestrel serving", "streams", len(rs.Streams), "rules", len(rs.Rules), "data", cfg.Data)
	return s, nil
}

// Fatal delivers the error that stopped the service on its own (a sink or
// the engine failed); the caller then closes it.
func (s *Service) Fatal() <-chan error { return s.fatal }

func (s *Service) fail(err error) {
	s.fatalErr.Do(func() {
		s.log.Error("service failed", "err", err)
		s.ready.Store(false)
		s.fatal <- err
	})
}

// Ready reports whether the service takes events: state restored, sources
// attached, and the state store healthy.
func (s *Service) Ready() error {
	if !s.ready.Load() {
		return errors.New("not ready")
	}
	return s.db.Healthy()
}

// Registry is where the service's metrics are.
func (s *Service) Registry() *prometheus.Registry { return s.reg }

// RuleSet is the deployed rule set, as of the last deploy. (A stream deleted
// through the API stays in it, with no source and nothing reading it, until
// the service restarts.)
func (s *Service) RuleSet() *patterns.RuleSet { return s.rs.Load() }

// DB is the service's state.
func (s *Service) DB() *state.DB { return s.db }

// Close stops the service gracefully: the sources stop, the events they
// handed over are processed, a last checkpoint is taken, and the sinks and
// state are closed.
func (s *Service) Close(ctx context.Context) error {
	if s.closed.Swap(true) {
		return nil
	}
	s.ready.Store(false)
	s.defs.mu.Lock()
	//lint:ignore SA2001 waits for a deploy under way; later ones see closed
	s.defs.mu.Unlock()
	s.cancel()
	s.replays.close()
	s.sources.Wait()
	<-s.ckDone
	errs := []error{s.Checkpoint(ctx), s.closeFeatureStore(ctx)}
	for _, ks := range s.kafka {
		if ks.changelog != nil {
			errs = append(errs, ks.changelog.close())
		}
	}
	errs = append(errs, s.rt.Stop(ctx))
	errs = append(errs, s.router.Close())
	errs = append(errs, s.db.Close())
	return errors.Join(errs...)
}

func (s *Service) checkpointLoop() {
	defer close(s.ckDone)
	every := s.cfg.Checkpoint.Interval
	if every <= 0 {
		every = 10 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			if err := s.Checkpoint(s.ctx); err != nil && s.ctx.Err() == nil {
				s.log.Error("checkpoint failed; the next one will try again", "err", err)
			}
		}
	}
}

// Checkpoint takes a checkpoint now: the engine's changed state, the file
// sinks' lengths once every record before it is durable, and the source
// positions, in one transaction. Then the ingest log before those positions
// is dropped.
func (s *Service) Checkpoint(ctx context.Context) error {
	s.ckMu.Lock()
	defer s.ckMu.Unlock()
	start := time.Now()
	w, err := s.db.NewCheckpoint(s.ckID + 1)
	if err != nil {
		return err
	}
	var parts []engine.PartitionInfo
	var engineMeta []byte
	var bar *alerts.Barrier
	cw := &changelogWriter{StateWriter: w, keep: s.hasChangelog()}
	// The engine stops only while it hands over its state and the sinks'
	// queues get their mark; the sinks then make what came before the mark
	// durable while the engine goes on.
	err = s.rt.Checkpoint(ctx, cw, func(em []byte, ps []engine.PartitionInfo) error {
		parts, engineMeta, bar = ps, em, s.router.Barrier()
		return nil
	})
	if err == nil {
		var files map[string]int64
		if files, err = bar.Wait(ctx); err == nil {
			var b []byte
			if b, err = json.Marshal(meta{Engine: engineMeta, Files: files}); err == nil {
				err = w.Commit(b)
			}
		}
	}
	if err != nil {
		w.Abort()
		s.metrics.checkpointFailures.Inc()
		return err
	}
	s.ckID++
	s.lastCk.Store(s.ckID)
	// The changelog gets the groups' state once the local checkpoint has it:
	// a process that restarts after a crash in between finds its own newer.
	if err := s.writeChangelogs(ctx, cw.msgs, s.ckID); err != nil {
		s.log.Warn("writing the changelog; the next checkpoint writes the state again", "err", err)
	}
	s.metrics.checkpointSeconds.Observe(time.Since(start).Seconds())
	s.commitKafka(ctx, parts)
	for _, p := range parts {
		if h := s.httpStream(p.Stream); h != nil && p.Name == h.partName() {
			if err := s.db.TrimEvents(p.Stream, uint64(p.Next)); err != nil {
				s.log.Warn("trimming the ingest log", "stream", p.Stream, "err", err)
			}
		}
	}
	return nil
}

// loadRules compiles the rule files deployed at start; none is an empty rule
// set, to which the API deploys.
func loadRules(paths []string) (*patterns.RuleSet, error) {
	if len(paths) == 0 {
		rs, errs := patterns.Compile(nil, patterns.Options{})
		if len(errs) > 0 {
			return nil, errs
		}
		return rs, nil
	}
	return patterns.Load(paths, patterns.Options{})
}

// CheckRules compiles the rules a configuration deploys and loads its file
// tables, without starting anything: `kestrel serve --check-config`.
func CheckRules(cfg *config.Config) (*patterns.RuleSet, error) {
	rs, err := loadRules(cfg.Rules)
	if err != nil {
		return nil, err
	}
	s := &Service{cfg: cfg, log: slog.New(slog.DiscardHandler)}
	return rs, s.bindTables(rs)
}
