package expr

import (
	"math"
	"slices"
)

// Leaves: the commonest condition terms, on a field of the current event (at
// a fixed slot) and constants: `f op c`, `f in [c...]`, `f between c and d`,
// `f is [not] null`.
// A leaf is data, not a closure, and the leaves under one `and` (or one `or`)
// form a leafSet, evaluated by loops with no call per term: that is most of
// the cost of a typical step condition.
//
// Compiling a leaf turns it into a test that is cheap to run: `f op c` and
// `f between c and d` on ints or floats become a range lo <= f <= hi
// (negated for !=), and the ranges on one field under one `and` intersect;
// `f == s` and `f != s` on strings become a one-item `in` list, and string
// constants are kept with their length, first byte and pack (strKey).
//
// On a WordRow, such as *event.Event, a set reads the slots in place after
// one call to Words, with a loop per group of kinds (eval), when the slots
// it compares are non-null, which their null bits tell at once. Otherwise,
// and on other rows, it calls a Row method per leaf (evalRow). Both paths
// hand the values to the same tests (inRange, inFloatRange, find's key
// comparison, ...), which hold the semantics; the property test runs every
// expression on both.

type leafKind uint8

// The kinds of leaves, in the order a leafSet evaluates them: the cheapest
// first (the order is free, see newLeafSet).
const (
	leafNullInt   leafKind = iota // f is [not] null, read with Row.Int (int, time, duration)
	leafNullFloat                 // ... with Row.Float
	leafNullBool                  // ... with Row.Bool
	leafNullStr                   // ... with Row.Str
	leafInt                       // lo <= f <= hi (int, time, duration); not when neg
	leafInInt                     // f in ints (int, time, duration)
	leafFloat                     // flo <= f <= fhi; not when neg
	leafInStr                     // f in keys; not when neg (== and != are one-item lists)
	leafStr                       // f op s, op an ordering (<, <=, >, >=)
)

// leaf is one term. The fields used depend on the kind.
type leaf struct {
	kind    leafKind
	neg     bool  // the test is negated: !=, and `is not null`
	hasNull bool  // the in list holds null: x not found in it is null
	op      cmpOp // leafStr
	slot    int
	g, j    int      // where a WordRow keeps the slot: its null bits in vals[g], its value in vals[j]
	bit     uint64   // the slot's bit in vals[g]
	lo, hi  int64    // leafInt
	flo     float64  // leafFloat: flo <= f <= fhi
	fhi     float64  //
	s       string   // leafStr
	ints    []int64  // leafInInt
	keys    []strKey // leafInStr
}

func newLeaf(kind leafKind, slot int) *leaf {
	g := slot / 64 * 65
	return &leaf{kind: kind, slot: slot, g: g, j: g + 1 + slot%64, bit: 1 << (slot % 64)}
}

// The tests of the leaves, on a non-null value x of the slot. evalRow uses
// them; eval uses them or, where a call would cost, writes them out.

func (l *leaf) inRange(x int64) bool        { return (x >= l.lo && x <= l.hi) != l.neg }
func (l *leaf) inFloatRange(x float64) bool { return (x >= l.flo && x <= l.fhi) != l.neg }
func (l *leaf) ordered(x string) bool       { return ordered(l.op, x, l.s) }

// inInts and inStrs are `x in [...]`: true, false, or null (ok false) when x
// is not in the list and the list holds a null.
func (l *leaf) inInts(x int64) (v, ok bool) {
	v = slices.Contains(l.ints, x)
	return v, v || !l.hasNull
}

func (l *leaf) inStrs(x string) (v, ok bool) {
	if l.find(x) {
		return !l.neg, true
	}
	return l.neg, !l.hasNull
}

// find reports whether x is one of the leaf's strings (keys).
func (l *leaf) find(x string) bool {
	x0 := first(x)
	for i := range l.keys {
		if l.keys[i].is(x, x0) {
			return true
		}
	}
	return false
}

// strKey is a string constant as leaves compare with it: its length and
// first byte, which tell most unequal strings apart, and its pack, which
// tells the others apart up to 8 bytes, with no call (== calls the runtime's
// memequal) and no load of the constant's bytes.
type strKey struct {
	n  int
	b0 byte // first(s)
	p  uint64
	s  string
}

func keyOf(s string) strKey { return strKey{n: len(s), b0: first(s), p: pack(s), s: s} }

// is reports whether x, whose first byte is x0, is the key's string.
func (k *strKey) is(x string, x0 byte) bool {
	return k.n == len(x) && k.b0 == x0 && (k.n <= 1 || k.p == pack(x) && (k.n <= 8 || x == k.s))
}

// first is s[0], or 0 for "".
func first(s string) byte {
	if len(s) == 0 {
		return 0
	}
	return s[0]
}

// pack is the bytes of a string of up to 8 bytes as a uint64: for 1 to 3
// bytes, its first, middle and last; for 4 to 8, its first 4 and last 4
// (the windows overlap below 8). For a longer string, the same two windows.
// So strings of the same length up to 8 are equal exactly when their packs
// are. Its two halves are small enough to be inlined.
func pack(s string) uint64 {
	if len(s) < 4 {
		return packShort(s)
	}
	return packLong(s)
}

func packShort(s string) uint64 {
	n := len(s)
	if n == 0 {
		return 0
	}
	return uint64(s[0]) | uint64(s[n>>1])<<8 | uint64(s[n-1])<<16
}

func packLong(s string) uint64 {
	t := s[len(s)-4:]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(t[0])<<32 | uint64(t[1])<<40 | uint64(t[2])<<48 | uint64(t[3])<<56
}

// leafSet is the Kleene conjunction (or disjunction, when absorb is true) of
// leaves on the current row: absorb if any leaf is absorb, else null if any
// is null, else !absorb.
type leafSet struct {
	absorb bool
	all    []leaf // sorted by kind

	// For eval on a WordRow: the runs of all by group of kinds; the largest
	// value word index of any leaf (MaxInt when an in list holds null, to
	// use evalRow); and the null bits of the slots that leaves other than
	// null tests read, those in vals[0] and those further.
	nulls, ints, floats, strs, ords []leaf
	maxJ                            int
	need0                           uint64
	need                            []groupBits
}

type groupBits struct {
	g    int
	bits uint64
}

// leavesNode is the node of the leafSet of ls.
func leavesNode(ls []*leaf, absorb bool) *node {
	s := newLeafSet(ls, absorb)
	return &node{t: Bool, set: s, b: func(_ Env, r Row) (bool, bool) { return s.eval(r) }}
}

// newLeafSet is the leafSet of ls. Leaves have no side effects and their
// Kleene and (or) is commutative, so their order is free: the set evaluates
// them kind by kind, the cheapest first. Under `and`, the ranges on one slot
// become one leaf, their intersection (x > a and x < b, x between a and b):
// both are null when the slot is, and both hold when it is in both.
func newLeafSet(ls []*leaf, absorb bool) *leafSet {
	s := &leafSet{absorb: absorb}
	isRange := func(l *leaf) bool { return (l.kind == leafInt || l.kind == leafFloat) && !l.neg }
	for _, l := range ls {
		i := -1
		if !absorb && isRange(l) {
			i = slices.IndexFunc(s.all, func(m leaf) bool { return isRange(&m) && m.kind == l.kind && m.slot == l.slot })
		}
		if i < 0 {
			s.all = append(s.all, *l)
			continue
		}
		m := &s.all[i]
		m.lo, m.hi = max(m.lo, l.lo), min(m.hi, l.hi)
		m.flo, m.fhi = max(m.flo, l.flo), min(m.fhi, l.fhi) // with a NaN, NaN: empty
	}
	slices.SortStableFunc(s.all, func(a, b leaf) int { return int(a.kind) - int(b.kind) })
	run := func(kinds ...leafKind) []leaf {
		in := func(l leaf) bool { return slices.Contains(kinds, l.kind) }
		i := slices.IndexFunc(s.all, in)
		if i < 0 {
			return nil
		}
		n := i
		for n < len(s.all) && in(s.all[n]) {
			n++
		}
		return s.all[i:n:n]
	}
	s.nulls = run(leafNullInt, leafNullFloat, leafNullBool, leafNullStr)
	s.ints = run(leafInt, leafInInt)
	s.floats = run(leafFloat)
	s.strs = run(leafInStr)
	s.ords = run(leafStr)
	for _, l := range s.all {
		s.maxJ = max(s.maxJ, l.j)
		if l.hasNull { // eval's loops do not track nulls
			s.maxJ = math.MaxInt
		}
		switch {
		case l.kind <= leafNullStr:
		case l.g == 0:
			s.need0 |= l.bit
		default:
			k := slices.IndexFunc(s.need, func(n groupBits) bool { return n.g == l.g })
			if k < 0 {
				k = len(s.need)
				s.need = append(s.need, groupBits{g: l.g})
			}
			s.need[k].bits |= l.bit
		}
	}
	return s
}

// eval evaluates the set on r, the current row (maybe nil).
//
// On a WordRow (see there for the layout) it reads the slots in place, with
// a loop per group of kinds, in the common case: the slots compared are all
// non-null, which their null bits tell at once, so that the loops need not
// track nulls (a string slot whose index is beyond strs is null too: the
// loop gives up then). Else, and on other rows, it calls evalRow.
func (s *leafSet) eval(r Row) (bool, bool) {
	wr, ok := r.(WordRow)
	if !ok {
		return s.evalRow(r)
	}
	vals, strs := wr.Words()
	if s.maxJ >= len(vals) || vals[0]&s.need0 != s.need0 || s.need != nil && !s.needSet(vals) {
		return s.evalRow(r)
	}
	absorb := s.absorb
	for i := range s.nulls {
		l := &s.nulls[i]
		ok := vals[l.g]&l.bit != 0 && (l.kind != leafNullStr || vals[l.j] < uint64(len(strs)))
		if ok == l.neg == absorb {
			return absorb, true
		}
	}
	for i := range s.ints {
		l := &s.ints[i]
		x := int64(vals[l.j])
		if l.kind == leafInt && l.inRange(x) == absorb || l.kind == leafInInt && slices.Contains(l.ints, x) == absorb {
			return absorb, true
		}
	}
	for i := range s.floats {
		l := &s.floats[i]
		if l.inFloatRange(math.Float64frombits(vals[l.j])) == absorb {
			return absorb, true
		}
	}
	for i := range s.strs {
		l := &s.strs[i]
		w := vals[l.j]
		if w >= uint64(len(strs)) {
			return s.evalRow(r)
		}
		x := strs[w]
		// l.find(x), written out with no call in the loop over the keys
		// (a call there makes the compiler save the registers on every
		// leaf): px is x's pack once needed (0: not yet, or a pack of 0),
		// and a string longer than 8 bytes that matches a key's pack is
		// checked by find.
		n, x0 := len(x), first(x)
		found, px := false, uint64(0)
		for k := range l.keys {
			key := &l.keys[k]
			if key.n != n || key.b0 != x0 {
				continue
			}
			if n > 1 {
				if px == 0 && n < 4 {
					px = packShort(x)
				} else if px == 0 {
					px = packLong(x)
				}
				if key.p != px {
					continue
				}
			}
			found = true
			break
		}
		if found && n > 8 {
			found = l.find(x)
		}
		if found != l.neg == absorb {
			return absorb, true
		}
	}
	for i := range s.ords {
		l := &s.ords[i]
		w := vals[l.j]
		if w >= uint64(len(strs)) {
			return s.evalRow(r)
		}
		if l.ordered(strs[w]) == absorb {
			return absorb, true
		}
	}
	return !absorb, true
}

// needSet reports whether the bits of need are set in vals.
func (s *leafSet) needSet(vals []uint64) bool {
	for _, n := range s.need {
		if vals[n.g]&n.bits != n.bits {
			return false
		}
	}
	return true
}

// evalRow is the set on any row (nil: no event), with a method call per
// leaf.
func (s *leafSet) evalRow(r Row) (bool, bool) {
	if r == nil {
		r = nullRow{}
	}
	absorb, known := s.absorb, true
	for i := range s.all {
		l := &s.all[i]
		var v, ok bool
		switch l.kind {
		case leafNullInt:
			_, ok = r.Int(l.slot)
			v, ok = ok == l.neg, true
		case leafNullFloat:
			_, ok = r.Float(l.slot)
			v, ok = ok == l.neg, true
		case leafNullBool:
			_, ok = r.Bool(l.slot)
			v, ok = ok == l.neg, true
		case leafNullStr:
			_, ok = r.Str(l.slot)
			v, ok = ok == l.neg, true
		case leafInt:
			var x int64
			x, ok = r.Int(l.slot)
			v = l.inRange(x)
		case leafFloat:
			var x float64
			x, ok = r.Float(l.slot)
			v = l.inFloatRange(x)
		case leafInInt:
			var x int64
			if x, ok = r.Int(l.slot); ok {
				v, ok = l.inInts(x)
			}
		case leafInStr:
			var x string
			if x, ok = r.Str(l.slot); ok {
				v, ok = l.inStrs(x)
			}
		case leafStr:
			var x string
			if x, ok = r.Str(l.slot); ok {
				v = l.ordered(x)
			}
		}
		if !ok {
			known = false
		} else if v == absorb {
			return absorb, true
		}
	}
	return known && !absorb, known
}

// nullRow is the row of no event: every field is null.
type nullRow struct{}

func (nullRow) Stream() int               { return -1 }
func (nullRow) Int(int) (int64, bool)     { return 0, false }
func (nullRow) Float(int) (float64, bool) { return 0, false }
func (nullRow) Str(int) (string, bool)    { return "", false }
func (nullRow) Bool(int) (bool, bool)     { return false, false }

func leafNode(l *leaf) *node {
	n := leavesNode([]*leaf{l}, false)
	n.leaf = l
	return n
}

// cmpLeaf is `x op c` as a leaf when x is a current field, else nil. c has
// x's type.
func cmpLeaf(op cmpOp, x *node, c Value) *node {
	if !x.isCur {
		return nil
	}
	var l *leaf
	switch {
	case isInt(x.t):
		l = newLeaf(leafInt, x.slot)
		l.lo, l.hi, l.neg = intRange(op, c.I)
	case x.t == Float:
		l = newLeaf(leafFloat, x.slot)
		l.flo, l.fhi, l.neg = floatRange(op, c.F)
	case x.t == String && (op == opEq || op == opNe):
		l = newLeaf(leafInStr, x.slot)
		l.keys, l.neg = []strKey{keyOf(c.S)}, op == opNe
	case x.t == String:
		l = newLeaf(leafStr, x.slot)
		l.op, l.s = op, c.S
	default:
		return nil
	}
	return leafNode(l)
}

// intRange is `x op c` on ints as lo <= x <= hi, negated for !=. An empty
// range has lo > hi.
func intRange(op cmpOp, c int64) (lo, hi int64, neg bool) {
	lo, hi = math.MinInt64, math.MaxInt64
	switch op {
	case opEq, opNe:
		return c, c, op == opNe
	case opLt:
		if c == math.MinInt64 {
			return 1, 0, false
		}
		hi = c - 1
	case opLe:
		hi = c
	case opGt:
		if c == math.MaxInt64 {
			return 1, 0, false
		}
		lo = c + 1
	case opGe:
		lo = c
	}
	return lo, hi, false
}

// floatRange is `x op c` on floats as lo <= x <= hi, negated for !=: x < c
// is x <= the float below c, and x > c is x >= the float above c. A NaN x is
// in no range (so only != holds for it, as in Go), nor is any x when c is
// NaN; -0 and +0 are equal. An empty range has lo > hi.
func floatRange(op cmpOp, c float64) (lo, hi float64, neg bool) {
	lo, hi = math.Inf(-1), math.Inf(1)
	switch op {
	case opEq, opNe:
		return c, c, op == opNe
	case opLt:
		if math.IsInf(c, -1) {
			return hi, lo, false
		}
		hi = math.Nextafter(c, lo)
	case opLe:
		hi = c
	case opGt:
		if math.IsInf(c, 1) {
			return hi, lo, false
		}
		lo = math.Nextafter(c, hi)
	case opGe:
		lo = c
	}
	return lo, hi, false
}

// betweenLeaf is `x between lo and hi` as a leaf, the range [lo, hi], when x
// is a current int or float field and lo and hi are non-null constants of
// its type (else nil).
func betweenLeaf(x, lo, hi *node) *node {
	if !x.isCur || !lo.konst || !hi.konst || lo.v.IsNull() || hi.v.IsNull() {
		return nil
	}
	var l *leaf
	switch {
	case isInt(x.t):
		l = newLeaf(leafInt, x.slot)
		l.lo, l.hi = lo.v.I, hi.v.I
	case x.t == Float:
		l = newLeaf(leafFloat, x.slot)
		l.flo, l.fhi = lo.v.F, hi.v.F
	default:
		return nil
	}
	return leafNode(l)
}

// inLeaf is `x in [constants]` as a leaf when x is a current int or string
// field and the list is short (else nil).
func inLeaf(x *node, items []*node) *node {
	if !x.isCur || len(items) > 16 || !(isInt(x.t) || x.t == String) {
		return nil
	}
	l := newLeaf(leafInInt, x.slot)
	if x.t == String {
		l.kind = leafInStr
	}
	for _, it := range items {
		switch {
		case !it.konst:
			return nil
		case it.v.IsNull():
			l.hasNull = true
		case x.t == String:
			l.keys = append(l.keys, keyOf(it.v.S))
		default:
			l.ints = append(l.ints, it.v.I)
		}
	}
	return leafNode(l)
}

// nullLeaf is `x is [not] null` as a leaf when x is a current field.
func nullLeaf(x *node, not bool) *node {
	if !x.isCur {
		return nil
	}
	l := newLeaf(leafNullInt, x.slot)
	l.neg = not
	switch x.t {
	case Float:
		l.kind = leafNullFloat
	case String:
		l.kind = leafNullStr
	case Bool:
		l.kind = leafNullBool
	}
	return leafNode(l)
}
