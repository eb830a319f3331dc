package engine

import (
	"fmt"
	"slices"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/features"
	"github.com/kestrelcep/kestrel/patterns"
)

// The feature stage: before the rules see an event, every feature over its
// stream takes it into its windows, and the value of every feature keyed by
// fields the event has is attached to it as an extra slot, as of the event
// (point in time: the event itself and the events of equal time before it
// included).

// featureState is one feature's windows over all its keys.
type featureState struct {
	decl *patterns.Feature
	f    *features.Feature
}

// featureUpdate is a feature that takes the events of one stream.
type featureUpdate struct {
	fs  *featureState
	key int // index into the stream's keys
}

// featureRead attaches a feature's value to the events of one stream.
type featureRead struct {
	fs   *featureState
	slot int // the extra slot
	key  int // index into the stream's keys
}

// featureKey is a distinct set of key fields of a stream's features: features
// keyed alike share one key per event, built once.
type featureKey struct {
	slots []int
	types []expr.Type
}

// featureKeys are one stream's distinct feature keys and, per event, their
// values (JSON) and whether they are all non-null.
type featureKeys struct {
	keys []featureKey
	buf  [][]byte
	ok   []bool
}

// index returns the index of the key with these slots, adding it if new.
func (fk *featureKeys) index(slots []int, types []expr.Type) int {
	for i, k := range fk.keys {
		if slices.Equal(k.slots, slots) {
			return i
		}
	}
	fk.keys = append(fk.keys, featureKey{slots, types})
	fk.buf = append(fk.buf, nil)
	fk.ok = append(fk.ok, false)
	return len(fk.keys) - 1
}

var aggs = map[string]features.Agg{"sum": features.Sum, "avg": features.Avg, "min": features.Min,
	"max": features.Max, "stddev": features.Stddev, "distinct_count": features.DistinctCount,
	"first": features.First, "last": features.Last}

var windowKinds = map[string]features.WindowKind{"sliding": features.Sliding, "tumbling": features.Tumbling,
	"hopping": features.Hopping, "session": features.Session}

// spec translates a checked feature declaration.
func spec(f *patterns.Feature) features.Spec {
	d := f.Decl
	s := features.Spec{Name: f.Name, Agg: features.Count, ArgType: expr.Null,
		Lateness: f.Stream.Lateness, Emit: d.Emit, EmitEvery: d.EmitEvery}
	if f.Arg != nil {
		s.ArgType = f.Arg.Type()
		if d.Agg == "count" {
			s.Agg = features.CountExpr
		} else {
			s.Agg = aggs[d.Agg]
		}
	}
	if w := d.Window; w != nil {
		s.Window, s.Size, s.Every, s.Offset = windowKinds[w.Kind], w.Size, w.Every, w.Offset
	}
	return s
}

// newFeatures builds the feature stage of rs: per stream, what to update and
// what to attach.
func newFeatures(rs *patterns.RuleSet) (all []*featureState, updates [][]featureUpdate, reads [][]featureRead, keys []featureKeys, err error) {
	updates = make([][]featureUpdate, len(rs.Streams))
	reads = make([][]featureRead, len(rs.Streams))
	keys = make([]featureKeys, len(rs.Streams))
	for _, d := range rs.Features {
		f, err := features.New(spec(d))
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("feature %s: %w", d.Name, err)
		}
		fs := &featureState{decl: d, f: f}
		all = append(all, fs)
		keyTypes := make([]expr.Type, len(d.By))
		for i, slot := range d.By {
			keyTypes[i] = d.Stream.Types[slot]
		}
		own := d.Stream.Index
		updates[own] = append(updates[own], featureUpdate{fs: fs, key: keys[own].index(d.By, keyTypes)})
		for _, s := range rs.Streams {
			slots, ok := keySlots(d, s)
			if !ok {
				continue
			}
			reads[s.Index] = append(reads[s.Index], featureRead{fs: fs, slot: len(s.Fields) + d.Index, key: keys[s.Index].index(slots, keyTypes)})
		}
	}
	return all, updates, reads, keys, nil
}

// keySlots finds the feature's key fields in stream s, by name and type.
func keySlots(f *patterns.Feature, s *patterns.Stream) ([]int, bool) {
	slots := make([]int, 0, len(f.By))
	for _, slot := range f.By {
		name, typ := f.Stream.Fields[slot], f.Stream.Types[slot]
		found := false
		for i, n := range s.Fields {
			if n == name && s.Types[i] == typ {
				slots = append(slots, i)
				found = true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return slots, true
}

// eventEnv is the expr.Env of a feature's filter and argument: the event
// alone. A single pointer, so it converts to an interface without allocating.
type eventEnv struct{ ev *event.Event }

func (e eventEnv) Current() expr.Row         { return e.ev }
func (eventEnv) StepLen(int) int             { return 0 }
func (eventEnv) StepEvent(int, int) expr.Row { return nil }

// updateFeatures runs the feature stage for one released event.
func (e *Engine) updateFeatures(ev *event.Event) {
	s := ev.Stream()
	if len(e.featUpdates[s]) == 0 && len(e.featReads[s]) == 0 {
		return
	}
	fk := &e.featKeys[s]
	for i, k := range fk.keys {
		fk.buf[i], fk.ok[i] = AppendKey(fk.buf[i][:0], ev, k.slots, k.types)
	}
	env := eventEnv{ev}
	for i := range e.featUpdates[s] {
		u := &e.featUpdates[s][i]
		d := u.fs.decl
		if !fk.ok[u.key] || (d.Filter != nil && !d.Filter.Cond(env)) {
			continue // a null key field: the event has no key for this feature
		}
		var v expr.Value
		if d.Arg != nil {
			v = d.Arg.Eval(env)
		}
		u.fs.f.Add(string(fk.buf[u.key]), ev.Time, v)
	}
	for i := range e.featReads[s] {
		r := &e.featReads[s][i]
		if !fk.ok[r.key] {
			ev.SetNull(r.slot)
			continue
		}
		setSlot(ev, r.slot, r.fs.f.Value(string(fk.buf[r.key]), ev.Time))
	}
}

// setSlot stores v in an extra slot of ev.
func setSlot(ev *event.Event, slot int, v expr.Value) {
	switch v.Type {
	case expr.Null:
		ev.SetNull(slot)
	case expr.Float:
		ev.SetFloat(slot, v.F)
	case expr.String:
		ev.SetStr(slot, v.S)
	case expr.Bool:
		ev.SetBool(slot, v.I != 0)
	default: // int, time, duration
		ev.SetInt(slot, v.I)
	}
}

// advanceFeatures moves every feature's watermark to w and writes the
// windows it closes.
func (e *Engine) advanceFeatures(w int64) {
	if w <= e.featWM || e.err != nil {
		return
	}
	e.featWM = w
	for _, fs := range e.feats {
		if !fs.decl.Decl.Emit {
			fs.f.Advance(w, nil)
			continue
		}
		fs.f.Advance(w, e.emitWindow)
	}
}

func (e *Engine) emitWindow(w features.Window) {
	key := []byte(w.Key)
	if len(w.Key) == 0 {
		key = nil
	}
	e.stats.Outputs["windows"]++
	e.fail(e.sink.Window(&alerts.Window{Feature: w.Feature, Key: key, Start: w.Start, End: w.End,
		Value: alerts.AppendValue(nil, w.Value), Revision: w.Revision}))
}
