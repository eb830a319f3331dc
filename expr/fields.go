package expr

import (
	"cmp"
	"sync"
)

// This file builds the closures that read rows: fields of the current event,
// of a step's events, aggregates over a step, and table lookups.

// slotRef is a FieldRef's slot: fixed, or looked up by the row's stream.
type slotRef struct {
	slot int
	by   []int
}

func slotOf(f FieldRef) slotRef { return slotRef{slot: f.Slot, by: f.ByStream} }

// of is the slot of the field in r, or -1 when r's stream lacks the field.
func (s *slotRef) of(r Row) int {
	if s.by == nil {
		return s.slot
	}
	return s.byStream(r)
}

// byStream is kept out of line so that of inlines into the field closures.
//
//go:noinline
func (s *slotRef) byStream(r Row) int {
	st := r.Stream()
	if uint(st) >= uint(len(s.by)) {
		return -1
	}
	return s.by[st]
}

// currentField reads a field of the current event. A field with a fixed slot
// reads it directly (and can be fused into a comparison, see fused.go); one
// with a slot per stream goes through rowField.
func currentField(f FieldRef) *node {
	if f.ByStream != nil {
		return rowField(f, func(_ Env, cur Row) Row { return cur })
	}
	if f.Slot < 0 {
		return constant(Null, Value{})
	}
	sl := f.Slot
	n := &node{t: f.Type, isCur: true, slot: sl}
	switch {
	case f.Type == Bool:
		n.b = func(_ Env, r Row) (bool, bool) {
			if r == nil {
				return false, false
			}
			return r.Bool(sl)
		}
	case isInt(f.Type):
		n.i = func(_ Env, r Row) (int64, bool) {
			if r == nil {
				return 0, false
			}
			return r.Int(sl)
		}
	case f.Type == Float:
		n.f = func(_ Env, r Row) (float64, bool) {
			if r == nil {
				return 0, false
			}
			return r.Float(sl)
		}
	case f.Type == String:
		n.s = func(_ Env, r Row) (string, bool) {
			if r == nil {
				return "", false
			}
			return r.Str(sl)
		}
	default:
		return constant(Null, Value{})
	}
	return n
}

// rowField reads a field of the row that src gives (null when src gives nil).
func rowField(f FieldRef, src func(Env, Row) Row) *node {
	s := slotOf(f)
	n := &node{t: f.Type}
	switch {
	case f.Type == Bool:
		n.b = func(env Env, cur Row) (bool, bool) {
			r := src(env, cur)
			if r == nil {
				return false, false
			}
			sl := s.of(r)
			if sl < 0 {
				return false, false
			}
			return r.Bool(sl)
		}
	case isInt(f.Type):
		n.i = func(env Env, cur Row) (int64, bool) {
			r := src(env, cur)
			if r == nil {
				return 0, false
			}
			sl := s.of(r)
			if sl < 0 {
				return 0, false
			}
			return r.Int(sl)
		}
	case f.Type == Float:
		n.f = func(env Env, cur Row) (float64, bool) {
			r := src(env, cur)
			if r == nil {
				return 0, false
			}
			sl := s.of(r)
			if sl < 0 {
				return 0, false
			}
			return r.Float(sl)
		}
	case f.Type == String:
		n.s = func(env Env, cur Row) (string, bool) {
			r := src(env, cur)
			if r == nil {
				return "", false
			}
			sl := s.of(r)
			if sl < 0 {
				return "", false
			}
			return r.Str(sl)
		}
	default:
		return constant(Null, Value{})
	}
	return n
}

// stepRow is the first (or last) event of a step, nil when it has none.
func stepRow(step int, last bool) func(Env, Row) Row {
	if last {
		return func(env Env, cur Row) Row {
			n := env.StepLen(step)
			if n == 0 {
				return nil
			}
			return env.StepEvent(step, n-1)
		}
	}
	return func(env Env, cur Row) Row {
		if env.StepLen(step) == 0 {
			return nil
		}
		return env.StepEvent(step, 0)
	}
}

func stepCount(step int) fn[int64] {
	return func(env Env, cur Row) (int64, bool) { return int64(env.StepLen(step)), true }
}

// getter reads a slot of a row as T.
type getter[T any] func(Row, int) (T, bool)

// stepSumInt and stepSumFloat are the sum of a field over a step's events,
// skipping nulls: 0 over none. (Written out per type: reading through a
// getter would add a call per event.)
func stepSumInt(step int, s slotRef) fn[int64] {
	return func(env Env, _ Row) (int64, bool) {
		var sum int64
		for i, n := 0, env.StepLen(step); i < n; i++ {
			if r := env.StepEvent(step, i); r != nil {
				if sl := s.of(r); sl >= 0 {
					if v, ok := r.Int(sl); ok {
						sum += v
					}
				}
			}
		}
		return sum, true
	}
}

func stepSumFloat(step int, s slotRef) fn[float64] {
	return func(env Env, _ Row) (float64, bool) {
		var sum float64
		for i, n := 0, env.StepLen(step); i < n; i++ {
			if r := env.StepEvent(step, i); r != nil {
				if sl := s.of(r); sl >= 0 {
					if v, ok := r.Float(sl); ok {
						sum += v
					}
				}
			}
		}
		return sum, true
	}
}

// stepAvg is the mean of a field (int when isInt, else float) over a step's
// events, skipping nulls: null over none.
func stepAvg(step int, s slotRef, isInt bool) fn[float64] {
	return func(env Env, _ Row) (float64, bool) {
		var sum float64
		var k int
		for i, n := 0, env.StepLen(step); i < n; i++ {
			r := env.StepEvent(step, i)
			if r == nil {
				continue
			}
			sl := s.of(r)
			if sl < 0 {
				continue
			}
			var v float64
			var ok bool
			if isInt {
				var iv int64
				iv, ok = r.Int(sl)
				v = float64(iv)
			} else {
				v, ok = r.Float(sl)
			}
			if ok {
				sum += v
				k++
			}
		}
		if k == 0 {
			return 0, false
		}
		return sum / float64(k), true
	}
}

// stepMinMax is the least (or greatest, when max) value of a field over a
// step's events, skipping nulls: null over none.
func stepMinMax[T cmp.Ordered](step int, s slotRef, get getter[T], max bool) fn[T] {
	return func(env Env, cur Row) (T, bool) {
		var best T
		found := false
		for i, n := 0, env.StepLen(step); i < n; i++ {
			r := env.StepEvent(step, i)
			if r == nil {
				continue
			}
			if sl := s.of(r); sl >= 0 {
				v, ok := get(r, sl)
				if ok && (!found || (max && v > best) || (!max && v < best)) {
					best, found = v, true
				}
			}
		}
		return best, found
	}
}

// tableRow looks a row up by the values of keys (each already of the table's
// key type). A null key finds no row. The key slice passed to Lookup comes
// from a sync.Pool: a stack array would escape through the Lookup function
// value, and a buffer owned by the closure would not be safe for concurrent
// use; Lookup must not keep it.
func tableRow(lookup func([]Value) Row, keys []*node) func(Env, Row) Row {
	if lookup == nil {
		return func(Env, Row) Row { return nil }
	}
	n := len(keys)
	pool := &sync.Pool{New: func() any {
		k := make([]Value, n)
		return &k
	}}
	return func(env Env, cur Row) Row {
		p := pool.Get().(*[]Value)
		key := *p
		for i, k := range keys {
			v := k.value(env, cur)
			if v.IsNull() {
				clear(key)
				pool.Put(p)
				return nil
			}
			key[i] = v
		}
		r := lookup(key)
		clear(key) // keep no strings alive
		pool.Put(p)
		return r
	}
}
