package engine

import (
	"errors"
	"fmt"
	"reflect"
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

// featureStage is the engine's feature stage: the state of every feature,
// and per stream what to update and what to attach. Sliding features of one
// stream keyed by the same fields (and without emit) share a features.Group:
// one key lookup, one log and one cursor per window for all of them.
type featureStage struct {
	feats   []*featureState       // per declaration, in order
	groups  []*featureGroup       // the shared sliding groups
	updates [][]featureUpdate     // per stream: the features outside groups
	gups    [][]*featureGroup     // per stream: its groups
	reads   [][]featureRead       // per stream: the features outside groups
	greads  [][]groupRead         // per stream: the groups
	keys    []featureKeys         // per stream
	emit    func(features.Window) // the windows output
	vals    []expr.Value          // scratch for a group's values

	// Checkpoints (appendCheckpoint, restore): every feature of its own
	// and every group, by name (a group's is its first member's).
	units  []*featureUnit
	byName map[string]*featureUnit
	stale  [][]byte // restored keys of features that are gone or changed: deleted next time
}

// featureUnit is a feature or group as checkpoints see it.
type featureUnit struct {
	name     string
	state    unitState
	restored bool // has had state restored into it
}

// unitState is what features.Feature and features.Group have for
// checkpoints.
type unitState interface {
	Dirty(fn func(key string, removed bool))
	ClearDirty()
	AppendKeySnapshot(b []byte, key string) []byte
	RestoreKey(key string, b []byte) error
	AppendMeta(b []byte) []byte
	RestoreMeta(b []byte) error
	EachKey(fn func(key string))
}

// featureState is one feature: a features.Feature of its own, or a member
// of a group.
type featureState struct {
	decl *patterns.Feature
	f    *features.Feature // nil for a group's member
	g    *featureGroup
	m    int // the member's index in g
}

// value is the feature's value for key as of t.
func (fs *featureState) value(key string, t int64) expr.Value {
	if fs.f != nil {
		return fs.f.Value(key, t)
	}
	return fs.g.g.Value(fs.m, key, t)
}

// featureGroup is a features.Group and how an event feeds it: one key, the
// distinct argument expressions (the group's columns) and the distinct
// filters with the members each one gates.
type featureGroup struct {
	g       *features.Group
	name    string // the first member's name
	members []*featureState
	key     int        // index into the stream's keys
	wins    [][2]int64 // the members' distinct windows: size, offset
	args    []*expr.Expr
	argSrc  []expr.Node
	vals    []expr.Value // the event's arguments, per column
	filters []groupFilter
}

type groupFilter struct {
	cond *expr.Expr
	src  expr.Node
	bits uint64
}

// featureUpdate is a feature outside groups that takes the events of one
// stream.
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

// groupRead attaches the values of a group's members to the events of one
// stream.
type groupRead struct {
	g     *featureGroup
	key   int   // index into the stream's keys
	slots []int // the members' extra slots
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

// newFeatureStage builds the feature stage of rs; emit receives the
// windows records.
func newFeatureStage(rs *patterns.RuleSet, emit func(features.Window)) (*featureStage, error) {
	fs := &featureStage{
		updates: make([][]featureUpdate, len(rs.Streams)),
		gups:    make([][]*featureGroup, len(rs.Streams)),
		reads:   make([][]featureRead, len(rs.Streams)),
		greads:  make([][]groupRead, len(rs.Streams)),
		keys:    make([]featureKeys, len(rs.Streams)),
		emit:    emit,
	}
	// Sliding features without emit, by stream and key fields: a group each
	// (of at most maxGroup).
	type groupKey struct {
		stream int
		by     string
	}
	open := map[groupKey]*featureGroup{}
	var specs [][]features.Member
	for _, d := range rs.Features {
		s := spec(d)
		keyTypes := make([]expr.Type, len(d.By))
		for i, slot := range d.By {
			keyTypes[i] = d.Stream.Types[slot]
		}
		own := d.Stream.Index
		key := fs.keys[own].index(d.By, keyTypes)
		st := &featureState{decl: d}
		fs.feats = append(fs.feats, st)
		if s.Window == features.Sliding && !s.Emit {
			gk := groupKey{own, fmt.Sprint(d.By)}
			g := open[gk]
			win := [2]int64{s.Size, s.Offset}
			if g == nil || len(g.members) == features.MaxMembers ||
				!slices.Contains(g.wins, win) && len(g.wins) == features.MaxWindows {
				g = &featureGroup{name: d.Name, key: key}
				open[gk] = g
				fs.groups = append(fs.groups, g)
				fs.gups[own] = append(fs.gups[own], g)
				specs = append(specs, nil)
			}
			gi := slices.Index(fs.groups, g)
			st.g, st.m = g, len(g.members)
			g.members = append(g.members, st)
			if !slices.Contains(g.wins, win) {
				g.wins = append(g.wins, win)
			}
			col := 0
			if d.Arg != nil {
				col = g.column(d.Arg, d.Decl.Arg)
			}
			if d.Filter != nil {
				g.filter(d.Filter, d.Decl.Filter, st.m)
			}
			specs[gi] = append(specs[gi], features.Member{Spec: s, Col: col})
		} else {
			f, err := features.New(s)
			if err != nil {
				return nil, fmt.Errorf("feature %s: %w", d.Name, err)
			}
			st.f = f
			fs.updates[own] = append(fs.updates[own], featureUpdate{fs: st, key: key})
		}
		for _, s := range rs.Streams {
			slots, ok := keySlots(d, s)
			if !ok {
				continue
			}
			key, slot := fs.keys[s.Index].index(slots, keyTypes), len(s.Fields)+d.Index
			if st.g == nil {
				fs.reads[s.Index] = append(fs.reads[s.Index], featureRead{fs: st, slot: slot, key: key})
				continue
			}
			// A group's members have the same key fields: read on the
			// same streams, under the same key.
			grs := fs.greads[s.Index]
			i := slices.IndexFunc(grs, func(r groupRead) bool { return r.g == st.g })
			if i < 0 {
				i = len(grs)
				fs.greads[s.Index] = append(grs, groupRead{g: st.g, key: key})
			}
			r := &fs.greads[s.Index][i]
			r.slots = append(r.slots, slot)
		}
	}
	fs.byName = map[string]*featureUnit{}
	for _, st := range fs.feats {
		if st.f != nil {
			fs.units = append(fs.units, &featureUnit{name: st.decl.Name, state: st.f})
		}
	}
	for i, g := range fs.groups {
		var err error
		if g.g, err = features.NewGroup(specs[i]); err != nil {
			return nil, fmt.Errorf("features %s...: %w", g.name, err)
		}
		g.vals = make([]expr.Value, len(g.args))
		fs.units = append(fs.units, &featureUnit{name: g.name, state: g.g})
	}
	for _, u := range fs.units {
		fs.byName[u.name] = u
	}
	return fs, nil
}

// column returns the group's column for argument x (source n), adding it
// unless an equal expression has one.
func (g *featureGroup) column(x *expr.Expr, n expr.Node) int {
	for i, a := range g.args {
		if sameNode(g.argSrc[i], n) && a.Type() == x.Type() {
			return i
		}
	}
	g.args = append(g.args, x)
	g.argSrc = append(g.argSrc, n)
	return len(g.args) - 1
}

// filter makes member m gated by filter x (source n).
func (g *featureGroup) filter(x *expr.Expr, n expr.Node, m int) {
	for i := range g.filters {
		if sameNode(g.filters[i].src, n) {
			g.filters[i].bits |= 1 << m
			return
		}
	}
	g.filters = append(g.filters, groupFilter{cond: x, src: n, bits: 1 << m})
}

// sameNode reports whether two expression trees are equal but for their
// positions.
func sameNode(a, b expr.Node) bool {
	return sameValue(reflect.ValueOf(a), reflect.ValueOf(b))
}

var posType = reflect.TypeFor[expr.Pos]()

func sameValue(a, b reflect.Value) bool {
	if a.Kind() != b.Kind() || a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem())
	case reflect.Struct:
		if a.Type() == posType {
			return true
		}
		for i := range a.NumField() {
			if !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	}
	return a.Equal(b)
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

// update runs the feature stage for one released event: every feature
// over its stream takes it, then the features keyed by fields it has are
// attached to it, as of its time.
func (fs *featureStage) update(ev *event.Event) {
	s := ev.Stream()
	if len(fs.updates[s]) == 0 && len(fs.gups[s]) == 0 && len(fs.reads[s]) == 0 && len(fs.greads[s]) == 0 {
		return
	}
	fk := &fs.keys[s]
	for i, k := range fk.keys {
		fk.buf[i], fk.ok[i] = AppendKey(fk.buf[i][:0], ev, k.slots, k.types)
	}
	env := eventEnv{ev}
	if len(fs.gups[s]) > 1 {
		for _, g := range fs.gups[s] {
			if fk.ok[g.key] {
				g.g.Prefetch(string(fk.buf[g.key]))
			}
		}
	}
	for _, g := range fs.gups[s] {
		if !fk.ok[g.key] {
			continue // a null key field: the event has no key for these features
		}
		take := ^uint64(0)
		for _, f := range g.filters {
			if !f.cond.Cond(env) {
				take &^= f.bits
			}
		}
		for i, a := range g.args {
			g.vals[i] = a.Eval(env)
		}
		g.g.Add(string(fk.buf[g.key]), ev.Time, g.vals, take)
	}
	for i := range fs.updates[s] {
		u := &fs.updates[s][i]
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
	for i := range fs.reads[s] {
		r := &fs.reads[s][i]
		if !fk.ok[r.key] {
			ev.SetNull(r.slot)
			continue
		}
		setSlot(ev, r.slot, r.fs.value(string(fk.buf[r.key]), ev.Time))
	}
	for i := range fs.greads[s] {
		r := &fs.greads[s][i]
		if !fk.ok[r.key] {
			for _, slot := range r.slots {
				ev.SetNull(slot)
			}
			continue
		}
		fs.vals = r.g.g.Values(fs.vals[:0], string(fk.buf[r.key]), ev.Time)
		for m, slot := range r.slots {
			setSlot(ev, slot, fs.vals[m])
		}
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

// advance moves every feature's watermark to w; the windows that closes
// go to the windows output.
func (fs *featureStage) advance(w int64) {
	for _, g := range fs.groups {
		g.g.Advance(w, nil) // no member emits
	}
	for _, st := range fs.feats {
		if st.f == nil {
			continue
		}
		if !st.decl.Decl.Emit {
			st.f.Advance(w, nil)
			continue
		}
		st.f.Advance(w, fs.emit)
	}
}

// updateFeatures runs the feature stage for one released event.
func (e *Engine) updateFeatures(ev *event.Event) { e.feat.update(ev) }

// advanceFeatures moves the features' watermark to w.
func (e *Engine) advanceFeatures(w int64) {
	if w <= e.featWM || e.err != nil {
		return
	}
	e.featWM = w
	e.feat.advance(w)
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

// Checkpoints. The feature stage's state is a key per (feature or group,
// key): "f/" + name + "\x00" + key, holding that key's snapshot, and per
// feature or group "f/" + name, holding its own state (watermark, emit
// every's progress). A group is named by its first member.

// featureStateKey is the checkpoint key of a feature's (or group's) key.
func featureStateKey(name, key string) []byte {
	b := make([]byte, 0, 2+len(name)+1+len(key))
	b = append(b, "f/"...)
	b = append(b, name...)
	b = append(b, 0)
	return append(b, key...)
}

// splitFeatureKey is the inverse of featureStateKey, and recognizes a
// feature's meta key, "f/" + name (meta set).
func splitFeatureKey(k []byte) (name string, key []byte, meta, ok bool) {
	if len(k) < 3 || string(k[:2]) != "f/" {
		return "", nil, false, false
	}
	for i := 2; i < len(k); i++ {
		if k[i] == 0 {
			return string(k[2:i]), k[i+1:], false, i > 2
		}
	}
	return string(k[2:]), nil, true, true
}

// appendCheckpoint writes the feature state that changed since the last
// checkpoint: put for each key that changed and for each feature's meta,
// del for the keys that are gone (and for restored state of features that
// no longer exist or changed). The first checkpoint writes every key.
func (fs *featureStage) appendCheckpoint(put func(key, val []byte), del func(key []byte)) {
	for _, k := range fs.stale {
		del(k)
	}
	fs.stale = nil
	var buf []byte
	for _, u := range fs.units {
		u.state.Dirty(func(key string, removed bool) {
			k := featureStateKey(u.name, key)
			if removed {
				del(k)
				return
			}
			buf = u.state.AppendKeySnapshot(buf[:0], key)
			put(k, append([]byte(nil), buf...))
		})
		put(append([]byte("f/"), u.name...), u.state.AppendMeta(nil))
		u.state.ClearDirty()
	}
}

// restore brings back one entry that appendCheckpoint wrote, into a stage
// that has processed nothing yet. State of a feature that is gone, or
// whose declaration changed, is dropped (and deleted by the next
// checkpoint); corrupt state is an error wrapping ErrRestore.
func (fs *featureStage) restore(key, val []byte) error { return fs.restoreEntry(key, val, true) }

// restoreEntry is restore; with track, changes count from the restored
// state, else the next checkpoint writes every key (the state is new to
// the checkpoints: carried over a swap).
func (fs *featureStage) restoreEntry(key, val []byte, track bool) error {
	name, k, meta, ok := splitFeatureKey(key)
	if !ok {
		return fmt.Errorf("%w: bad feature state key %q", ErrRestore, key)
	}
	u := fs.byName[name]
	if u == nil {
		fs.stale = append(fs.stale, append([]byte(nil), key...))
		return nil
	}
	if !u.restored {
		if track {
			u.state.ClearDirty() // changes count from the restored state
		}
		u.restored = true
	}
	var err error
	if meta {
		err = u.state.RestoreMeta(val)
	} else {
		err = u.state.RestoreKey(string(k), val)
	}
	switch {
	case errors.Is(err, features.ErrLayout):
		fs.stale = append(fs.stale, append([]byte(nil), key...))
		return nil
	case err != nil:
		return fmt.Errorf("%w: feature %s key %q: %w", ErrRestore, name, k, err)
	}
	return nil
}

// carryTo moves the state of every feature into next, the stage of a new
// rule set, where each feature declared alike (and grouped alike) takes it
// up; the others start empty there. It reports whether every feature's
// state was taken up.
func (fs *featureStage) carryTo(next *featureStage) (bool, error) {
	for _, u := range fs.units {
		if err := next.restoreEntry(append([]byte("f/"), u.name...), u.state.AppendMeta(nil), false); err != nil {
			return false, err
		}
		var err error
		u.state.EachKey(func(key string) {
			if err == nil {
				err = next.restoreEntry(featureStateKey(u.name, key), u.state.AppendKeySnapshot(nil, key), false)
			}
		})
		if err != nil {
			return false, err
		}
	}
	return len(next.stale) == 0, nil
}
