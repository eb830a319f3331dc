package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/service"
)

// Feature lookups (docs/api.md, "Features"):
//
//	GET  /v1/features/{name}/values/{key}[?at=RFC3339]
//	     → {"feature","key","value","at","as_of","stale","source"}
//	POST /v1/features:lookup {"features":[...],"keys":[k1, [composite], ...],"at":...}
//	     → {"at","results":[{"key","values":{f: v},"stale":{f: bool},"as_of":{f: time|null},"source"}]}
//
// Statuses: 404 unknown feature; 400 a bad `at`, a key that does not fit a
// feature's key fields, a malformed body; 413 more than
// service.MaxLookupValues keys × features (or a body past the limit); 422
// an `at` before a feature's retention; 503 when the engine has stopped or
// the feature store failed.

// featureMetrics are the lookups' metrics, on the service's registry.
type featureMetrics struct {
	lookups *prometheus.CounterVec
	seconds prometheus.Histogram
	ok      prometheus.Counter // lookups{result="ok"}, resolved once
}

func newFeatureMetrics(reg prometheus.Registerer) *featureMetrics {
	m := &featureMetrics{
		lookups: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kestrel_feature_lookups_total",
			Help: "Feature lookup requests (GET values and POST features:lookup), by result: ok, unknown_feature, bad_request, retention, too_many, unavailable."},
			[]string{"result"}),
		seconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "kestrel_feature_lookup_seconds",
			Help:    "Time to answer a feature lookup request, from the request's routing to the response written.",
			Buckets: prometheus.ExponentialBuckets(25e-6, 2, 16)}), // 25 µs to 0.8 s
	}
	// New may be called more than once over one service (tests): the
	// collectors registered first are shared.
	m.lookups = register(reg, m.lookups)
	m.seconds = register(reg, m.seconds)
	m.ok = m.lookups.WithLabelValues("ok")
	return m
}

func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if prev, ok := are.ExistingCollector.(C); ok {
				return prev
			}
		}
	}
	return c
}

// featureAPI serves the lookups.
type featureAPI struct {
	*server
	fm *featureMetrics
}

// featureRoutes registers the lookups.
func (s *server) featureRoutes(r chi.Router) {
	f := &featureAPI{server: s, fm: newFeatureMetrics(s.svc.Registry())}
	r.Get("/features/{name}/values/{key}", f.getFeatureValue)
	r.Post("/features:lookup", f.lookupFeatures)
}

// observe counts a lookup and its time.
func (s *featureAPI) observe(start time.Time, result string) {
	if result == "ok" {
		s.fm.ok.Inc()
	} else {
		s.fm.lookups.WithLabelValues(result).Inc()
	}
	s.fm.seconds.Observe(time.Since(start).Seconds())
}

// lookupError writes a lookup's error and returns the metric's result.
func lookupError(w http.ResponseWriter, err error) string {
	var ret *engine.RetentionError
	switch {
	case errors.Is(err, service.ErrUnknownFeature):
		writeError(w, http.StatusNotFound, "unknown_feature", err.Error(), nil)
		return "unknown_feature"
	case errors.Is(err, service.ErrBadKey):
		writeError(w, http.StatusBadRequest, "bad_key", err.Error(), nil)
		return "bad_request"
	case errors.As(err, &ret):
		writeError(w, http.StatusUnprocessableEntity, "outside_retention", err.Error(),
			map[string]any{"feature": ret.Feature, "earliest": string(alerts.AppendTime(nil, ret.Earliest))})
		return "retention"
	case errors.Is(err, service.ErrTooManyValues):
		writeError(w, http.StatusRequestEntityTooLarge, "too_many_values", err.Error(), nil)
		return "too_many"
	}
	writeError(w, http.StatusServiceUnavailable, "unavailable", "feature lookup: "+err.Error(), nil)
	return "unavailable"
}

// parseAt reads an `at`: RFC 3339; empty is now (the zero time).
func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, errors.New("at: " + strconv.Quote(s) + " is not an RFC 3339 time (such as 2026-03-01T10:00:00Z)")
	}
	if t.IsZero() {
		t = t.Add(time.Millisecond) // the zero time means now
	}
	return t, nil
}

// fmtAt is a response's time: RFC 3339 in UTC with milliseconds.
func fmtAt(t time.Time) json.RawMessage {
	if t.IsZero() {
		return json.RawMessage("null")
	}
	b := append([]byte{'"'}, alerts.AppendTime(nil, t.UnixMilli())...)
	return append(b, '"')
}

// getFeatureValue is GET /v1/features/{name}/values/{key}[?at=]: one
// feature for a single-field key given as text (a string key as it is, a
// number's digits, true or false, an RFC 3339 time).
func (s *featureAPI) getFeatureValue(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	q := r.URL.Query()
	for name, vals := range q {
		if name != "at" || len(vals) > 1 {
			writeError(w, http.StatusBadRequest, "bad_parameter", "the only parameter is at, once; not "+strconv.Quote(name), nil)
			s.observe(start, "bad_request")
			return
		}
	}
	at, err := parseAt(q.Get("at"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_parameter", err.Error(), nil)
		s.observe(start, "bad_request")
		return
	}
	name, text := chi.URLParam(r, "name"), chi.URLParam(r, "key")
	if r.URL.RawPath != "" { // chi routed on the escaped path
		if name, err = url.PathUnescape(name); err == nil {
			text, err = url.PathUnescape(text)
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad_parameter", "the path: "+err.Error(), nil)
			s.observe(start, "bad_request")
			return
		}
	}
	key, err := s.svc.FeatureKeyFromText(name, text)
	if err != nil {
		s.observe(start, lookupError(w, err))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	res, err := s.svc.LookupFeatures(ctx, []string{name}, []json.RawMessage{key}, at)
	if err != nil {
		s.observe(start, lookupError(w, err))
		return
	}
	// {"feature","key","value","at","as_of","stale","source"}, written
	// out: the hot path of the load target.
	v := res.Results[0].Values[0]
	b := make([]byte, 0, 192)
	b = append(b, `{"feature":`...)
	b = alerts.AppendString(b, name)
	b = append(b, `,"key":`...)
	b = append(b, key...)
	b = append(b, `,"value":`...)
	b = append(b, v.Value...)
	b = append(b, `,"at":`...)
	b = append(b, fmtAt(res.At)...)
	b = append(b, `,"as_of":`...)
	b = append(b, fmtAt(v.AsOf)...)
	b = append(b, `,"stale":`...)
	b = strconv.AppendBool(b, v.Stale)
	b = append(b, `,"source":`...)
	b = alerts.AppendString(b, res.Results[0].Source)
	b = append(b, "}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
	s.observe(start, "ok")
}

// lookupRequest is POST /v1/features:lookup's body.
type lookupRequest struct {
	Features []string          `json:"features"`
	Keys     []json.RawMessage `json:"keys"`
	At       string            `json:"at"`
}

type lookupResult struct {
	Key    json.RawMessage            `json:"key"`
	Values map[string]json.RawMessage `json:"values"`
	Stale  map[string]bool            `json:"stale"`
	AsOf   map[string]json.RawMessage `json:"as_of"`
	Source string                     `json:"source"`
}

// lookupFeatures is POST /v1/features:lookup: several features for several
// keys, each key a JSON scalar (single-field key), an array (composite
// key) or null (a feature without `by`).
func (s *featureAPI) lookupFeatures(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var req lookupRequest
	if !s.decodeJSON(w, r, &req) {
		s.observe(start, "bad_request")
		return
	}
	bad := func(msg string) {
		writeError(w, http.StatusBadRequest, "bad_request", msg, nil)
		s.observe(start, "bad_request")
	}
	at, err := parseAt(req.At)
	if err != nil {
		bad(err.Error())
		return
	}
	if len(req.Features) == 0 {
		bad("features: name at least one feature")
		return
	}
	if req.Keys == nil {
		bad("keys: a JSON array of keys (a composite key is an array of its fields, no key null)")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	res, err := s.svc.LookupFeatures(ctx, req.Features, req.Keys, at)
	if err != nil {
		s.observe(start, lookupError(w, err))
		return
	}
	out := struct {
		At      json.RawMessage `json:"at"`
		Results []lookupResult  `json:"results"`
	}{At: fmtAt(res.At), Results: make([]lookupResult, len(res.Results))}
	for k, kr := range res.Results {
		lr := lookupResult{Key: kr.Key, Values: make(map[string]json.RawMessage, len(req.Features)),
			Stale: make(map[string]bool, len(req.Features)), AsOf: make(map[string]json.RawMessage, len(req.Features)), Source: kr.Source}
		for i, name := range req.Features {
			v := kr.Values[i]
			lr.Values[name], lr.Stale[name], lr.AsOf[name] = v.Value, v.Stale, fmtAt(v.AsOf)
		}
		out.Results[k] = lr
	}
	writeJSON(w, http.StatusOK, out)
	s.observe(start, "ok")
}

// The OpenAPI schemas of the answers (openapi.go); dt is a date-time.
func featureValueSchema(dt map[string]any) map[string]any {
	return obj(map[string]any{"feature": str(""), "key": map[string]any{"description": "the key, typed as the feature's key field"},
		"value": map[string]any{}, "at": dt, "as_of": asOfSchema(),
		"stale":  map[string]any{"type": "boolean", "description": "no event of the key inside the window as of at"},
		"source": sourceSchema()})
}

func lookupResultSchema(dt map[string]any) map[string]any {
	return obj(map[string]any{"at": dt, "results": arrayOf(obj(map[string]any{"key": map[string]any{},
		"values": map[string]any{"type": "object", "description": "feature → value"},
		"stale":  map[string]any{"type": "object", "description": "feature → stale", "additionalProperties": map[string]any{"type": "boolean"}},
		"as_of":  map[string]any{"type": "object", "description": "feature → the event time the value is complete up to", "additionalProperties": asOfSchema()},
		"source": sourceSchema()}))})
}

func asOfSchema() map[string]any {
	return map[string]any{"type": []string{"string", "null"}, "format": "date-time", "description": "the event time the value is complete up to; null before the feature's first event"}
}

func sourceSchema() map[string]any {
	return map[string]any{"type": "string", "enum": []string{"engine", "redis", "local"}, "description": "engine: the embedded store or a point-in-time lookup; redis; local: Redis unreachable, this instance's copy"}
}
