package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/patterns"
)

// Feature lookups: the API reads the feature stage's state, the embedded
// online store, on the front goroutine between batches, with ValueAt, which
// never moves a cursor; and, for an online store outside the process
// (Redis), the runtime notes the keys whose features took events so that
// the service can write their values through.

// FeatureValue is one feature's value for one key as a lookup gives it.
type FeatureValue struct {
	Value expr.Value
	// AsOf is the event time the value is complete up to: the lookup's
	// time, or the feature's watermark when the time is ahead of it (events
	// between the two may still come). math.MinInt64: the feature has seen
	// nothing yet.
	AsOf int64
	// Stale: the key has had no event inside the window as of the lookup's
	// time (see features.Feature.ValueAtStale).
	Stale bool
}

// ErrUnknownFeature is returned (wrapped, naming it) for a feature that
// the running rule set does not declare.
var ErrUnknownFeature = errors.New("no such feature")

// ErrRetention is wrapped by the *RetentionError of a lookup whose time
// the feature no longer answers exactly.
var ErrRetention = errors.New("at is older than the feature's retention")

// RetentionError says that a lookup asked for a time before a feature's
// retention: the feature's watermark less its stream's lateness, from which
// on values are kept exact.
type RetentionError struct {
	Feature   string
	At        int64 // the time asked for
	Earliest  int64 // the earliest time the feature answers
	Watermark int64
	Lateness  int64 // ms
}

func (e *RetentionError) Error() string {
	return fmt.Sprintf("at %s is older than the feature's retention of %s: values are kept exact from %s on (its watermark %s less the stream's lateness of %v)",
		fmtTime(e.At), e.Feature, fmtTime(e.Earliest), fmtTime(e.Watermark), time.Duration(e.Lateness)*time.Millisecond)
}

func (e *RetentionError) Unwrap() error { return ErrRetention }

func fmtTime(ms int64) string { return string(alerts.AppendTime(nil, ms)) }

// LookupFeatures reads features for keys as of at (epoch ms), on the front
// goroutine: out[k][f] is features[f]'s value for keys[k]. A key is encoded
// as the engine encodes it (AppendKey, AppendKeyValues): the JSON of a
// single field, a JSON array for a composite key, empty for a feature
// without `by`. A key without state has the empty window's value, stale.
// It fails with ErrUnknownFeature for a name the rule set does not declare
// and with a *RetentionError when at is before a feature's retention.
func (r *Runtime) LookupFeatures(ctx context.Context, names []string, keys [][]byte, at int64) ([][]FeatureValue, error) {
	out := make([][]FeatureValue, len(keys))
	vals := make([]FeatureValue, len(keys)*len(names))
	for k := range out {
		out[k] = vals[k*len(names) : (k+1)*len(names) : (k+1)*len(names)]
	}
	err := r.do(ctx, func() error {
		fs, err := r.front.feat.lookupStates(names)
		if err != nil {
			return err
		}
		for i, st := range fs {
			if earliest := st.retention(); at < earliest {
				return &RetentionError{Feature: names[i], At: at, Earliest: earliest, Watermark: st.watermark(), Lateness: st.decl.Stream.Lateness}
			}
		}
		for k, key := range keys {
			for i, st := range fs {
				v, stale := st.valueAtStale(string(key), at)
				out[k][i] = FeatureValue{Value: v, AsOf: min(at, st.watermark()), Stale: stale}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lookupStates finds the features named.
func (fs *featureStage) lookupStates(names []string) ([]*featureState, error) {
	out := make([]*featureState, len(names))
	for i, name := range names {
		for _, st := range fs.feats {
			if st.decl.Name == name {
				out[i] = st
				break
			}
		}
		if out[i] == nil {
			return nil, fmt.Errorf("%w: %s", ErrUnknownFeature, name)
		}
	}
	return out, nil
}

func (fs *featureState) valueAtStale(key string, t int64) (expr.Value, bool) {
	if fs.f != nil {
		return fs.f.ValueAtStale(key, t)
	}
	return fs.g.g.ValueAtStale(fs.m, key, t)
}

func (fs *featureState) expiry(key string, t int64) int64 {
	if fs.f != nil {
		return fs.f.Expiry(key, t)
	}
	return fs.g.g.Expiry(fs.m, key, t)
}

func (fs *featureState) retention() int64 {
	if fs.f != nil {
		return fs.f.Retention()
	}
	return fs.g.g.Retention()
}

func (fs *featureState) watermark() int64 {
	if fs.f != nil {
		return fs.f.Watermark()
	}
	return fs.g.g.Watermark()
}

// AppendKeyValues appends the key made of vals, encoded as AppendKey
// encodes an event's key fields of the same types: the JSON of a single
// value, a JSON array for several, nothing for none. A null value, which no
// event's key has, is written as null.
func AppendKeyValues(b []byte, vals []expr.Value) []byte {
	if len(vals) > 1 {
		b = append(b, '[')
	}
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		switch v.Type {
		case expr.Float:
			b = alerts.AppendFloat(b, v.F)
		default:
			b = alerts.AppendValue(b, v)
		}
	}
	if len(vals) > 1 {
		b = append(b, ']')
	}
	return b
}

// Write-through to an online store outside the process. Once
// TrackFeatureChanges has run, every released event notes its keys of the
// features over its stream (one map insert per new key, on the front
// goroutine; nothing is noted before); ChangedFeatures reads the noted
// keys' values and forgets them.

// FeatureUpdate is the current value of one feature for one key, for an
// online store.
type FeatureUpdate struct {
	Feature string
	Key     []byte // as the engine encodes it (AppendKey)
	Value   expr.Value
	AsOf    int64 // the feature's watermark: the value as of then
	// Expires is the last event time at which the window still holds one
	// of the key's events, if no other came (features.Feature.Expiry):
	// math.MaxInt64 for a global window, math.MinInt64 for none.
	Expires int64
	// Keep is how long a store should keep the value: the feature's
	// window, offset and lateness; negative for a feature without a window.
	Keep time.Duration
}

// featureTap sits between the feature stage and the rule stage: it notes
// the keys, per distinct set of key fields, of every released event of a
// stream that features read.
type featureTap struct {
	next     ruleStage
	e        *Engine
	feat     *featureStage // the feature stage the index was built for
	byStream [][]*tapKey
	keys     []*tapKey
	buf      []byte
}

// tapKey is a stream's distinct set of feature key fields, the features
// keyed by it, and the keys noted since the last read.
type tapKey struct {
	slots   []int
	types   []expr.Type
	feats   []*featureState
	pending map[string]struct{}
}

// build indexes the feature stage's features by stream and key fields.
func (t *featureTap) build() {
	t.feat = t.e.feat
	t.byStream = make([][]*tapKey, len(t.e.rs.Streams))
	t.keys = nil
	for _, st := range t.feat.feats {
		d := st.decl
		s := d.Stream.Index
		types := make([]expr.Type, len(d.By))
		for i, slot := range d.By {
			types[i] = d.Stream.Types[slot]
		}
		var k *tapKey
		for _, c := range t.byStream[s] {
			if equalInts(c.slots, d.By) {
				k = c
				break
			}
		}
		if k == nil {
			k = &tapKey{slots: d.By, types: types, pending: map[string]struct{}{}}
			t.byStream[s] = append(t.byStream[s], k)
			t.keys = append(t.keys, k)
		}
		k.feats = append(k.feats, st)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (t *featureTap) event(ev *event.Event) {
	if t.feat != t.e.feat {
		t.build() // a deploy replaced the features: they start empty
	}
	for _, k := range t.byStream[ev.Stream()] {
		var ok bool
		t.buf, ok = AppendKey(t.buf[:0], ev, k.slots, k.types)
		if !ok {
			continue
		}
		if _, seen := k.pending[string(t.buf)]; !seen {
			k.pending[string(t.buf)] = struct{}{}
		}
	}
	t.next.event(ev)
}

func (t *featureTap) watermark(w int64) { t.next.watermark(w) }

// TrackFeatureChanges starts noting the keys whose features take events,
// for ChangedFeatures. Calling it again changes nothing.
func (r *Runtime) TrackFeatureChanges(ctx context.Context) error {
	return r.do(ctx, func() error {
		e := r.front
		if _, ok := e.stage.(*featureTap); ok {
			return nil
		}
		t := &featureTap{next: e.stage, e: e}
		t.build()
		e.stage = t
		return nil
	})
}

// ChangedFeatures appends to dst the value, as of its watermark, of every
// feature of each key noted since the last call, for at most maxKeys keys
// (0: all), and forgets those keys. more reports that keys are left: call
// again. It runs on the front goroutine, so a bound keeps each call short.
func (r *Runtime) ChangedFeatures(ctx context.Context, dst []FeatureUpdate, maxKeys int) (_ []FeatureUpdate, more bool, err error) {
	err = r.do(ctx, func() error {
		t, ok := r.front.stage.(*featureTap)
		if !ok {
			return errors.New("engine: ChangedFeatures without TrackFeatureChanges")
		}
		if t.feat != t.e.feat {
			t.build()
			return nil
		}
		n := 0
		for _, k := range t.keys {
			for key := range k.pending {
				if maxKeys > 0 && n == maxKeys {
					more = true
					return nil
				}
				n++
				delete(k.pending, key)
				for _, st := range k.feats {
					w := st.watermark()
					if w == math.MinInt64 {
						continue // nothing yet
					}
					v, _ := st.valueAtStale(key, w)
					dst = append(dst, FeatureUpdate{Feature: st.decl.Name, Key: []byte(key), Value: v, AsOf: w,
						Expires: st.expiry(key, w), Keep: keep(st.decl)})
				}
			}
		}
		return nil
	})
	return dst, more, err
}

// keep is how long a store keeps a feature's values: window, offset and
// lateness; negative for a feature without a window.
func keep(d *patterns.Feature) time.Duration {
	w := d.Decl.Window
	if w == nil {
		return -1
	}
	return time.Duration(w.Size+w.Offset+d.Stream.Lateness) * time.Millisecond
}

// FeatureKeyTypes returns the types of a feature's key fields, in order
// (none for a feature without `by`).
func FeatureKeyTypes(f *patterns.Feature) []expr.Type {
	types := make([]expr.Type, len(f.By))
	for i, slot := range f.By {
		types[i] = f.Stream.Types[slot]
	}
	return types
}
