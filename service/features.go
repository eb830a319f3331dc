package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/config"
	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/features/store"
	"github.com/kestrelcep/kestrel/patterns"
)

// Feature lookups, and the online store behind them.
//
// The embedded store is the engine's feature state itself (in memory,
// checkpointed with the engine): a lookup reads it on the engine's front
// goroutine with ValueAt, exactly, as of any time in the retention (the
// feature's watermark less its stream's lateness) or later.
//
// With features.store: redis, Start connects to Redis and PINGs it (within
// redisStartTimeout) and refuses to start when it cannot. While running, the
// values of every key whose features took an event are written through to
// Redis every featureFlushEvery, as of the feature's watermark, by
// features/store's Redis store (one hash per key, pipelined, TTL window +
// offset + lateness), which queues writes (bounded) while Redis is lost and
// keeps a local copy of what it wrote. Lookups without `at` read Redis: the
// latest value written by any instance, as of its as_of; while Redis is
// unreachable they are answered from the local copy (counted in
// kestrel_feature_store_fallback_reads_total). A lookup with `at` is a
// point-in-time query, which only the engine can answer exactly: it reads
// this instance's engine, as with the embedded store.

// Errors of LookupFeatures, which the API maps to status codes.
var (
	ErrUnknownFeature = engine.ErrUnknownFeature                              // 404
	ErrBadKey         = errors.New("bad feature key")                         // 400
	ErrRetention      = engine.ErrRetention                                   // 422
	ErrTooManyValues  = errors.New("too many values asked for in one lookup") // 413
)

// MaxLookupValues bounds keys × features in one lookup: a lookup runs on the
// engine's front goroutine, between event batches.
const MaxLookupValues = 10000

const (
	redisStartTimeout = 3 * time.Second
	featureFlushEvery = 100 * time.Millisecond
	flushKeys         = 4096 // keys per ChangedFeatures call: each call holds the engine up briefly
)

// FeatureLookups are a lookup's answers.
type FeatureLookups struct {
	At      time.Time // the time asked for, or now
	Results []FeatureLookup
}

// FeatureLookup is one key's values, in the order of the features asked.
type FeatureLookup struct {
	Key    json.RawMessage // the key as asked
	Values []FeatureResult
	// Source is where the values come from: "engine" (the embedded store,
	// or any point-in-time lookup), "redis", or "local" (Redis was
	// unreachable: this instance's copy of what it wrote).
	Source string
}

// FeatureResult is one feature's value for one key.
type FeatureResult struct {
	Value json.RawMessage // JSON: times as RFC 3339, durations in ms
	// AsOf is the event time the value is complete up to; zero when the
	// feature has seen nothing (or Redis holds no value for the key).
	AsOf  time.Time
	Stale bool // no event of the key inside the window as of the lookup's time
}

// featureStore is the Redis write-through, when configured.
type featureStore struct {
	redis *store.Redis
	done  chan struct{} // closed when the flusher has returned
}

// openFeatureStore connects to Redis when the configuration asks for it.
func (s *Service) openFeatureStore() error {
	fc := s.cfg.Features
	if fc.Store != config.StoreRedis {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), redisStartTimeout)
	defer cancel()
	r, err := store.NewRedis(ctx, store.RedisOptions{Addr: fc.Redis.Addr, Password: fc.Redis.Password, DB: fc.Redis.DB,
		Prefix: fc.Redis.Prefix, Registerer: s.reg, Logger: s.log})
	if err != nil {
		if errors.Is(err, store.ErrUnreachable) {
			return fmt.Errorf("features.store redis at %s: unreachable: %w", fc.Redis.Addr, cause(err))
		}
		return fmt.Errorf("features.store redis at %s: %w", fc.Redis.Addr, err)
	}
	s.feats = &featureStore{redis: r, done: make(chan struct{})}
	return nil
}

// cause is what an error of several wrapped ones says beside the sentinel.
func cause(err error) error {
	if m, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range m.Unwrap() {
			if e != store.ErrUnreachable {
				return e
			}
		}
	}
	return err
}

// startFeatureWrites has the runtime note changed keys and starts the
// goroutine that writes their values to Redis.
func (s *Service) startFeatureWrites() error {
	if s.feats == nil {
		return nil
	}
	if err := s.rt.TrackFeatureChanges(s.ctx); err != nil {
		return err
	}
	go func() {
		defer close(s.feats.done)
		t := time.NewTicker(featureFlushEvery)
		defer t.Stop()
		for {
			select {
			case <-s.ctx.Done():
				return
			case <-t.C:
				if err := s.writeFeatures(s.ctx); err != nil && s.ctx.Err() == nil {
					s.log.Warn("writing features to redis", "err", err)
				}
			}
		}
	}()
	return nil
}

// writeFeatures writes the values of the keys changed since the last call.
// Put returns once they are in Redis or queued for it.
func (s *Service) writeFeatures(ctx context.Context) error {
	var ups []engine.FeatureUpdate
	var entries []store.Entry
	for {
		var more bool
		var err error
		ups, more, err = s.rt.ChangedFeatures(ctx, ups[:0], flushKeys)
		if err != nil {
			return err
		}
		entries = entries[:0]
		for _, u := range ups {
			ttl := u.Keep
			if ttl < 0 {
				ttl = store.NoExpiry
			}
			entries = append(entries, store.Entry{Feature: u.Feature, Key: storeKey(u.Key), Value: u.Value,
				AsOf: u.AsOf, Expires: u.Expires, TTL: ttl})
		}
		if len(entries) > 0 {
			if err := s.feats.redis.Put(ctx, entries); err != nil {
				return err
			}
		}
		if !more {
			return nil
		}
	}
}

// closeFeatureStore writes what changed since the last flush and closes
// the store (which writes what is queued, within its close timeout). The
// sources have stopped; the runtime still runs.
func (s *Service) closeFeatureStore(ctx context.Context) error {
	if s.feats == nil {
		return nil
	}
	<-s.feats.done
	err := s.writeFeatures(ctx)
	return errors.Join(err, s.feats.redis.Close())
}

// storeKey is the store's key for an engine key: a single string field as
// its text (kestrel:c1 rather than kestrel:"c1"), any other key as the
// engine's JSON.
func storeKey(k []byte) string {
	if len(k) > 0 && k[0] == '"' {
		var s string
		if json.Unmarshal(k, &s) == nil {
			return s
		}
	}
	return string(k)
}

// FeatureKeyFromText turns the key of GET /v1/features/{name}/values/{key}
// into the JSON key of a lookup: text for a string key, the number for a
// numeric one, true or false, an RFC 3339 time. Only a single-field key
// has a text form.
func (s *Service) FeatureKeyFromText(name, text string) (json.RawMessage, error) {
	f := findFeature(s.rs.Load(), name)
	if f == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownFeature, name)
	}
	types := engine.FeatureKeyTypes(f)
	if len(types) != 1 {
		return nil, fmt.Errorf("%w: feature %s has a key of %d fields; look it up with POST /v1/features:lookup (a composite key is a JSON array, no key null)",
			ErrBadKey, name, len(types))
	}
	v, err := textKey(types[0], text)
	if err != nil {
		return nil, fmt.Errorf("%w: %q for feature %s's key %s: %v", ErrBadKey, text, name, keyFields(f), err)
	}
	return engine.AppendKeyValues(nil, []expr.Value{v}), nil
}

func textKey(t expr.Type, text string) (expr.Value, error) {
	switch t {
	case expr.String:
		return expr.StringValue(text), nil
	case expr.Int:
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return expr.Value{}, errors.New("not an integer")
		}
		return expr.IntValue(n), nil
	case expr.Float:
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return expr.Value{}, errors.New("not a number")
		}
		return expr.FloatValue(f), nil
	case expr.Bool:
		b, err := strconv.ParseBool(text)
		if err != nil || (text != "true" && text != "false") {
			return expr.Value{}, errors.New("not true or false")
		}
		return expr.BoolValue(b), nil
	case expr.Time:
		tm, err := time.Parse(time.RFC3339Nano, text)
		if err != nil {
			return expr.Value{}, errors.New("not an RFC 3339 time")
		}
		return expr.TimeValue(tm.UnixMilli()), nil
	}
	return expr.Value{}, fmt.Errorf("a key of type %v", t)
}

// jsonKey reads one key field from JSON: a value of the field's type, or
// its text form in a JSON string.
func jsonKey(t expr.Type, raw json.RawMessage) (expr.Value, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return expr.Value{}, errors.New("null, which no event's key is")
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return expr.Value{}, err
		}
		return textKey(t, s)
	}
	switch t {
	case expr.Int, expr.Float:
		if raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9' {
			return textKey(t, string(raw))
		}
	case expr.Bool:
		if string(raw) == "true" || string(raw) == "false" {
			return textKey(t, string(raw))
		}
	}
	return expr.Value{}, fmt.Errorf("%s is not a %v", short(raw), t)
}

func short(raw []byte) string {
	if len(raw) > 40 {
		return string(raw[:37]) + "..."
	}
	return string(raw)
}

// keyFields names a feature's key fields with their types.
func keyFields(f *patterns.Feature) string {
	var parts []string
	for _, slot := range f.By {
		parts = append(parts, f.Stream.Fields[slot]+" "+f.Stream.Types[slot].String())
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ")"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// engineKey encodes a lookup's key for feature f as the engine does.
func engineKey(f *patterns.Feature, raw json.RawMessage) ([]byte, error) {
	types := engine.FeatureKeyTypes(f)
	raw = bytes.TrimSpace(raw)
	switch {
	case len(types) == 0:
		if string(raw) != "null" {
			return nil, fmt.Errorf("feature %s has no key (no `by`): its key is null, not %s", f.Name, short(raw))
		}
		return nil, nil
	case len(types) == 1:
		if len(raw) > 0 && raw[0] == '[' {
			return nil, fmt.Errorf("feature %s's key %s is a single field, not an array", f.Name, keyFields(f))
		}
		v, err := jsonKey(types[0], raw)
		if err != nil {
			return nil, fmt.Errorf("feature %s's key %s: %v", f.Name, keyFields(f), err)
		}
		return engine.AppendKeyValues(nil, []expr.Value{v}), nil
	}
	var elems []json.RawMessage
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &elems) != nil || len(elems) != len(types) {
		return nil, fmt.Errorf("feature %s's key %s is composite: a JSON array of %d values", f.Name, keyFields(f), len(types))
	}
	vals := make([]expr.Value, len(types))
	for i, e := range elems {
		v, err := jsonKey(types[i], e)
		if err != nil {
			return nil, fmt.Errorf("feature %s's key %s, field %d: %v", f.Name, keyFields(f), i+1, err)
		}
		vals[i] = v
	}
	return engine.AppendKeyValues(nil, vals), nil
}

// LookupFeatures looks features up for keys as of at (zero: now, by the
// wall clock): out[k] holds keys[k]'s values in the order of names. A key
// is JSON: a scalar for a single-field key (a number, or its text in a
// string), an array for a composite key, null for a feature without `by`.
// The answer's At is the time asked for, or now, to the millisecond.
// Errors: ErrUnknownFeature, ErrBadKey (naming the key and the feature),
// ErrTooManyValues, and a *engine.RetentionError (ErrRetention) for an at
// before a feature's retention.
func (s *Service) LookupFeatures(ctx context.Context, names []string, keys []json.RawMessage, at time.Time) (FeatureLookups, error) {
	if len(names)*len(keys) > MaxLookupValues {
		return FeatureLookups{}, fmt.Errorf("%w: %d keys × %d features is more than %d values", ErrTooManyValues, len(keys), len(names), MaxLookupValues)
	}
	rs := s.rs.Load()
	feats := make([]*patterns.Feature, len(names))
	for i, name := range names {
		if feats[i] = findFeature(rs, name); feats[i] == nil {
			return FeatureLookups{}, fmt.Errorf("%w: %s", ErrUnknownFeature, name)
		}
	}
	pointInTime := !at.IsZero()
	if !pointInTime {
		at = time.Now()
	}
	atMs := at.UnixMilli()
	out := make([]FeatureLookup, len(keys))
	for k := range out {
		out[k] = FeatureLookup{Key: keys[k], Values: make([]FeatureResult, len(names)), Source: "engine"}
	}
	// Features keyed by fields of the same types share the keys' encoding:
	// one read per such group.
	for _, group := range keyGroups(feats) {
		gnames := make([]string, len(group))
		for i, fi := range group {
			gnames[i] = names[fi]
		}
		ekeys := make([][]byte, len(keys))
		for k, raw := range keys {
			var err error
			if ekeys[k], err = engineKey(feats[group[0]], raw); err != nil {
				return FeatureLookups{}, fmt.Errorf("%w: key %d: %v", ErrBadKey, k, err)
			}
		}
		if s.feats != nil && !pointInTime {
			if err := s.lookupRedis(ctx, feats, group, gnames, ekeys, atMs, out); err != nil {
				return FeatureLookups{}, err
			}
			continue
		}
		vals, err := s.rt.LookupFeatures(ctx, gnames, ekeys, atMs)
		if err != nil {
			return FeatureLookups{}, err
		}
		for k := range keys {
			for i, fi := range group {
				v := vals[k][i]
				r := FeatureResult{Value: alerts.AppendValue(nil, v.Value), Stale: v.Stale}
				if v.AsOf != math.MinInt64 {
					r.AsOf = time.UnixMilli(v.AsOf).UTC()
				}
				out[k].Values[fi] = r
			}
		}
	}
	return FeatureLookups{At: time.UnixMilli(atMs).UTC(), Results: out}, nil
}

// lookupRedis reads a group of features from Redis (or, while it is lost,
// from this instance's copy).
func (s *Service) lookupRedis(ctx context.Context, feats []*patterns.Feature, group []int, gnames []string, ekeys [][]byte, at int64, out []FeatureLookup) error {
	skeys := make([]string, len(ekeys))
	for k, ek := range ekeys {
		skeys[k] = storeKey(ek)
	}
	res, err := s.feats.redis.Get(ctx, gnames, skeys)
	if err != nil {
		return err
	}
	for k := range res {
		if res[k].Local {
			out[k].Source = "local"
		} else if out[k].Source == "engine" {
			out[k].Source = "redis"
		}
		for i, fi := range group {
			st := res[k].Values[i]
			if !st.Found {
				out[k].Values[fi] = FeatureResult{Value: alerts.AppendValue(nil, emptyValue(feats[fi])), Stale: true}
				continue
			}
			out[k].Values[fi] = FeatureResult{Value: alerts.AppendValue(nil, st.Value), AsOf: time.UnixMilli(st.AsOf).UTC(),
				Stale: st.Stale(at)}
		}
	}
	return nil
}

// emptyValue is a feature's value over an empty window: count and
// distinct_count 0, sum 0 of its type, the others null.
func emptyValue(f *patterns.Feature) expr.Value {
	switch f.Decl.Agg {
	case "count", "distinct_count":
		return expr.IntValue(0)
	case "sum":
		switch f.Type {
		case expr.Float:
			return expr.FloatValue(0)
		case expr.Duration:
			return expr.DurationValue(0)
		default:
			return expr.IntValue(0)
		}
	}
	return expr.Value{}
}

// keyGroups groups features (by index) whose keys have the same types.
func keyGroups(feats []*patterns.Feature) [][]int {
	if len(feats) == 1 {
		return [][]int{{0}}
	}
	var groups [][]int
	var sigs [][]expr.Type
	for i, f := range feats {
		sig := engine.FeatureKeyTypes(f)
		j := slices.IndexFunc(sigs, func(s []expr.Type) bool { return slices.Equal(s, sig) })
		if j < 0 {
			j = len(sigs)
			sigs = append(sigs, sig)
			groups = append(groups, nil)
		}
		groups[j] = append(groups[j], i)
	}
	return groups
}

// findFeature is the feature of rs named name, or nil.
func findFeature(rs *patterns.RuleSet, name string) *patterns.Feature {
	for _, f := range rs.Features {
		if f.Name == name {
			return f
		}
	}
	return nil
}
