package features

import (
	"math"

	"github.com/kestrelcep/kestrel/expr"
)

// vkind is how a feature stores its argument's values.
type vkind uint8

const (
	vNone  vkind = iota // count(): no values
	vInt                // int, time, duration, bool (0 or 1): in x
	vFloat              // float: its bits in x
	vStr                // string: in s
)

func kindOf(t expr.Type) vkind {
	switch t {
	case expr.Null:
		return vNone
	case expr.Float:
		return vFloat
	case expr.String:
		return vStr
	}
	return vInt
}

// ops is what the accumulators need to know of the feature.
type ops struct {
	agg Agg
	vk  vkind
	arg expr.Type // the argument's type
	typ expr.Type // the value's type
}

// acc accumulates values, add-only, in any order: the aggregate of a closed
// window, a session, the folded prefix of a global window, a slow-path scan.
// Which fields mean what depends on the aggregation.
type acc struct {
	n  int64   // values added (events, for count())
	i  int64   // Sum, Avg over ints; Min, Max, First, Last: the value (float bits for floats)
	f  float64 // Sum, Avg over floats: Neumaier sum; Stddev: Welford's mean
	c  float64 // Sum, Avg over floats: Neumaier compensation; Stddev: Welford's M2
	at int64   // First, Last: the kept value's timestamp
	s  string  // Min, Max, First, Last over strings
	// set counts the values, for DistinctCount.
	set *dset
}

// reset empties a, keeping its set's storage.
func (a *acc) reset() {
	set := a.set
	*a = acc{set: set}
	if set != nil {
		set.clear()
	}
}

// copyFrom makes a an independent copy of b (the set is cloned).
func (a *acc) copyFrom(b *acc) {
	set := a.set
	*a = *b
	a.set = set
	if b.set != nil {
		if a.set == nil {
			a.set = &dset{}
		}
		a.set.copyFrom(b.set)
	} else if a.set != nil {
		a.set.clear()
	}
}

// add adds one non-null value with timestamp t. Events of equal timestamp
// are added in arrival order, so First keeps the earlier and Last takes the
// later of two values with the same timestamp.
func (a *acc) add(o *ops, t, x int64, s string) {
	switch o.agg {
	case Sum, Avg:
		if o.vk == vFloat {
			a.f, a.c = neumaier(a.f, a.c, math.Float64frombits(uint64(x)))
		} else {
			a.i += x
		}
	case Stddev:
		v := num(o.vk, x)
		d := v - a.f
		a.f += d / float64(a.n+1)
		a.c += d * (v - a.f)
	case Min:
		if a.n == 0 || less(o.vk, x, s, a.i, a.s) {
			a.i, a.s = x, s
		}
	case Max:
		if a.n == 0 || less(o.vk, a.i, a.s, x, s) {
			a.i, a.s = x, s
		}
	case First:
		if a.n == 0 || t < a.at {
			a.i, a.s, a.at = x, s, t
		}
	case Last:
		if a.n == 0 || t >= a.at {
			a.i, a.s, a.at = x, s, t
		}
	case DistinctCount:
		if a.set == nil {
			a.set = &dset{}
		}
		a.set.inc(o.vk, x, s)
	}
	a.n++
}

// result is the aggregate's value.
func (a *acc) result(o *ops) expr.Value {
	switch o.agg {
	case Count, CountExpr:
		return expr.IntValue(a.n)
	case DistinctCount:
		return expr.IntValue(int64(a.set.len()))
	case Sum:
		if o.vk == vFloat {
			return expr.FloatValue(a.f + a.c)
		}
		return expr.Value{Type: o.typ, I: a.i}
	case Avg:
		if a.n == 0 {
			return expr.Value{}
		}
		if o.vk == vFloat {
			return expr.FloatValue((a.f + a.c) / float64(a.n))
		}
		return expr.FloatValue(float64(a.i) / float64(a.n))
	case Stddev:
		if a.n < 2 {
			return expr.Value{}
		}
		return expr.FloatValue(math.Sqrt(max(a.c, 0) / float64(a.n-1)))
	}
	if a.n == 0 {
		return expr.Value{}
	}
	return o.value(a.i, a.s)
}

// value converts a stored value to an expr.Value of the argument's type.
func (o *ops) value(x int64, s string) expr.Value {
	switch o.arg {
	case expr.Float:
		return expr.FloatValue(math.Float64frombits(uint64(x)))
	case expr.String:
		return expr.StringValue(s)
	case expr.Bool:
		return expr.BoolValue(x != 0)
	}
	return expr.Value{Type: o.arg, I: x}
}

// empty is the value over no events: 0 for counts and sums, else null.
func (o *ops) empty() expr.Value {
	var a acc
	return a.result(o)
}

// num is a stored numeric value as a float64.
func num(vk vkind, x int64) float64 {
	if vk == vFloat {
		return math.Float64frombits(uint64(x))
	}
	return float64(x)
}

// less orders two stored values of one kind.
func less(vk vkind, x1 int64, s1 string, x2 int64, s2 string) bool {
	switch vk {
	case vFloat:
		return math.Float64frombits(uint64(x1)) < math.Float64frombits(uint64(x2))
	case vStr:
		return s1 < s2
	}
	return x1 < x2
}

// neumaier adds x to the compensated sum (s, c): s+c is the sum, with the
// rounding error of each addition kept in c (Neumaier's variant of Kahan
// summation, which also holds when |x| > |s|).
func neumaier(s, c, x float64) (float64, float64) {
	t := s + x
	if math.Abs(s) >= math.Abs(x) {
		c += (s - t) + x
	} else {
		c += (x - t) + s
	}
	return t, c
}

// dset counts values, for distinct_count.
type dset struct {
	nums map[int64]int32
	strs map[string]int32
}

func (d *dset) inc(vk vkind, x int64, s string) {
	if vk == vStr {
		if d.strs == nil {
			d.strs = make(map[string]int32)
		}
		d.strs[s]++
		return
	}
	if d.nums == nil {
		d.nums = make(map[int64]int32)
	}
	d.nums[x]++
}

func (d *dset) dec(vk vkind, x int64, s string) {
	if vk == vStr {
		if n := d.strs[s]; n <= 1 {
			delete(d.strs, s)
		} else {
			d.strs[s] = n - 1
		}
		return
	}
	if n := d.nums[x]; n <= 1 {
		delete(d.nums, x)
	} else {
		d.nums[x] = n - 1
	}
}

func (d *dset) count(vk vkind, x int64, s string) int32 {
	if d == nil {
		return 0
	}
	if vk == vStr {
		return d.strs[s]
	}
	return d.nums[x]
}

func (d *dset) len() int {
	if d == nil {
		return 0
	}
	return len(d.nums) + len(d.strs)
}

func (d *dset) clear() {
	clear(d.nums)
	clear(d.strs)
}

func (d *dset) copyFrom(e *dset) {
	d.clear()
	for k, v := range e.nums {
		if d.nums == nil {
			d.nums = make(map[int64]int32, len(e.nums))
		}
		d.nums[k] = v
	}
	for k, v := range e.strs {
		if d.strs == nil {
			d.strs = make(map[string]int32, len(e.strs))
		}
		d.strs[k] = v
	}
}
