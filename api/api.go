package api

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kestrelcep/kestrel/config"
	"github.com/kestrelcep/kestrel/service"
)

// Options configure the API.
type Options struct {
	Logger  *slog.Logger
	MaxBody int64 // largest request body; default 10 MiB
	// Tokens are the bearer tokens and their roles (auth.go). None: every
	// request is allowed, on a loopback address only.
	Tokens []config.Token
	// StreamBuffer bounds the records waiting for one live stream's client
	// (sse.go); Heartbeat is the time between its comment lines. Defaults
	// DefaultStreamBuffer and DefaultHeartbeat.
	StreamBuffer int
	Heartbeat    time.Duration
	// MaxUpload bounds an uploaded dataset (POST /v1/uploads); default
	// DefaultMaxUpload, 1 GiB.
	MaxUpload int64
}

// DefaultMaxBody bounds request bodies unless configured.
const DefaultMaxBody = 10 << 20

type server struct {
	svc  *service.Service
	log  *slog.Logger
	opts Options
	auth *authenticator
}

// New returns the API's handler over a running service.
func New(svc *service.Service, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.StreamBuffer <= 0 {
		opts.StreamBuffer = DefaultStreamBuffer
	}
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = DefaultHeartbeat
	}
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = DefaultMaxUpload
	}
	s := &server{svc: svc, log: opts.Logger, opts: opts, auth: newAuthenticator(opts.Tokens)}
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.logRequests, middleware.Recoverer, s.authorize(r))
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	r.Get("/readyz", s.readyz)
	r.Method(http.MethodGet, "/metrics", promhttp.HandlerFor(svc.Registry(), promhttp.HandlerOpts{}))
	r.Get("/v1/openapi.json", openAPIHandler(r))
	r.Route("/v1", func(r chi.Router) {
		r.Post("/streams/{name}/events", s.postEvents)
		s.definitionRoutes(r) // definitions.go
		s.featureRoutes(r)    // features.go
		r.Get("/outputs/{output}/stream", s.streamOutput)
		r.Get("/alerts", s.listAlerts)
		r.Get("/alerts/{id}", s.getAlert)
		r.Post("/uploads", s.postUpload)
		r.Get("/replays", s.listReplays)
		r.Post("/replays", s.postReplay)
		r.Get("/replays/{id}", s.getReplay)
		r.Get("/replays/{id}/alerts", s.getReplayAlerts)
		r.Delete("/replays/{id}", s.deleteReplay)
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such endpoint: "+r.Method+" "+r.URL.Path, nil)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed on "+r.URL.Path, nil)
	})
	return r
}

func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.log.Enabled(r.Context(), slog.LevelDebug) {
			next.ServeHTTP(w, r) // no wrapper and no arguments when nobody logs them
			return
		}
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		s.log.Debug("request", "id", middleware.GetReqID(r.Context()), "method", r.Method, "path", r.URL.Path,
			"status", ww.Status(), "bytes", ww.BytesWritten(), "took", time.Since(start))
	})
}

func (s *server) readyz(w http.ResponseWriter, _ *http.Request) {
	if err := s.svc.Ready(); err != nil {
		writeError(w, http.StatusServiceUnavailable, "not_ready", err.Error(), nil)
		return
	}
	writeJSON(w, 200, map[string]string{"status": "ready"})
}

// readBody reads a request body up to the limit; false when it wrote the
// error response (413 for too large).
func (s *server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", "the request body is larger than the limit of "+itoa(tooBig.Limit)+" bytes", nil)
			return nil, false
		}
		writeError(w, http.StatusBadRequest, "bad_request", "reading the body: "+err.Error(), nil)
		return nil, false
	}
	return body, true
}
