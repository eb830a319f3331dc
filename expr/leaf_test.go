package expr

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The leaves' compiled forms (ranges, string keys) and the word path, at
// the edges the property test does not reach: extreme and special numbers,
// long strings, slots beyond the first group of 64.

var cmpOpNames = [...]string{opEq: "==", opNe: "!=", opLt: "<", opLe: "<=", opGt: ">", opGe: ">="}

// evalLeaf evaluates leaf node n on a row whose slot 0 is v, through the Row
// methods and through the word layout; they must agree.
func evalLeaf(t *testing.T, n *node, v Value) bool {
	t.Helper()
	r := &row{vals: []Value{v}}
	got, ok := n.set.eval(r)
	wgot, wok := n.set.eval(words(r))
	if !ok || !wok || got != wgot {
		t.Fatalf("on %s: Row %v,%v, WordRow %v,%v", show(v), got, ok, wgot, wok)
	}
	return got
}

func TestIntRanges(t *testing.T) {
	edges := []int64{math.MinInt64, math.MinInt64 + 1, -2, -1, 0, 1, 2, math.MaxInt64 - 1, math.MaxInt64}
	for op := opEq; op <= opGe; op++ {
		for _, c := range edges {
			n := cmpLeaf(op, &node{t: Int, isCur: true}, IntValue(c))
			for _, x := range edges {
				if got, want := evalLeaf(t, n, IntValue(x)), ordered(op, x, c); got != want {
					t.Errorf("%d %s %d: %v, want %v", x, cmpOpNames[op], c, got, want)
				}
			}
		}
	}
}

func TestFloatRanges(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	tiny := math.SmallestNonzeroFloat64
	edges := []float64{-inf, -math.MaxFloat64, -1, -tiny, math.Copysign(0, -1), 0, tiny, 0.5, 1, math.MaxFloat64, inf, nan}
	for op := opEq; op <= opGe; op++ {
		for _, c := range edges {
			n := cmpLeaf(op, &node{t: Float, isCur: true}, FloatValue(c))
			for _, x := range edges {
				if got, want := evalLeaf(t, n, FloatValue(x)), ordered(op, x, c); got != want {
					t.Errorf("%v %s %v: %v, want %v", x, cmpOpNames[op], c, got, want)
				}
			}
		}
	}
}

// Two ranges on one slot: under `and`, one leaf, their intersection; under
// `or`, two.
func TestTwoRanges(t *testing.T) {
	ints := []int64{math.MinInt64, -1, 0, 1, 2, math.MaxInt64}
	floats := []float64{math.Inf(-1), -1, math.Copysign(0, -1), 0, 0.5, 1, math.Inf(1), math.NaN()}
	for op1 := opEq; op1 <= opGe; op1++ {
		for op2 := opEq; op2 <= opGe; op2++ {
			for _, absorb := range []bool{false, true} {
				combine := func(a, b bool) bool { return a && b }
				if absorb {
					combine = func(a, b bool) bool { return a || b }
				}
				for _, c1 := range ints {
					for _, c2 := range ints {
						l1 := cmpLeaf(op1, &node{t: Int, isCur: true}, IntValue(c1)).leaf
						l2 := cmpLeaf(op2, &node{t: Int, isCur: true}, IntValue(c2)).leaf
						n := leavesNode([]*leaf{l1, l2}, absorb)
						for _, x := range ints {
							if got, want := evalLeaf(t, n, IntValue(x)), combine(ordered(op1, x, c1), ordered(op2, x, c2)); got != want {
								t.Fatalf("%d %s %d, %d %s %d (or: %v): %v", x, cmpOpNames[op1], c1, x, cmpOpNames[op2], c2, absorb, got)
							}
						}
					}
				}
				for _, c1 := range floats {
					for _, c2 := range floats {
						l1 := cmpLeaf(op1, &node{t: Float, isCur: true}, FloatValue(c1)).leaf
						l2 := cmpLeaf(op2, &node{t: Float, isCur: true}, FloatValue(c2)).leaf
						n := leavesNode([]*leaf{l1, l2}, absorb)
						for _, x := range floats {
							if got, want := evalLeaf(t, n, FloatValue(x)), combine(ordered(op1, x, c1), ordered(op2, x, c2)); got != want {
								t.Fatalf("%v %s %v, %v %s %v (or: %v): %v", x, cmpOpNames[op1], c1, x, cmpOpNames[op2], c2, absorb, got)
							}
						}
					}
				}
			}
		}
	}
	// x between a and b, a leaf.
	for _, c1 := range ints {
		for _, c2 := range ints {
			n := betweenLeaf(&node{t: Int, isCur: true}, constant(Int, IntValue(c1)), constant(Int, IntValue(c2)))
			for _, x := range ints {
				if got, want := evalLeaf(t, n, IntValue(x)), x >= c1 && x <= c2; got != want {
					t.Fatalf("%d between %d and %d: %v", x, c1, c2, got)
				}
			}
		}
	}
	for _, c1 := range floats {
		for _, c2 := range floats {
			n := betweenLeaf(&node{t: Float, isCur: true}, constant(Float, FloatValue(c1)), constant(Float, FloatValue(c2)))
			for _, x := range floats {
				if got, want := evalLeaf(t, n, FloatValue(x)), x >= c1 && x <= c2; got != want {
					t.Fatalf("%v between %v and %v: %v", x, c1, c2, got)
				}
			}
		}
	}
	// x > 1 and x < 3: one leaf, null on a null slot.
	gt, lt := cmpLeaf(opGt, &node{t: Int, isCur: true}, IntValue(1)).leaf, cmpLeaf(opLt, &node{t: Int, isCur: true}, IntValue(3)).leaf
	n := leavesNode([]*leaf{gt, lt}, false)
	if len(n.set.all) != 1 {
		t.Errorf("%d leaves, want 1", len(n.set.all))
	}
	for _, r := range []Row{&row{vals: []Value{{}}}, words(&row{vals: []Value{{}}})} {
		if v, ok := n.set.eval(r); ok || v {
			t.Errorf("on null: %v, %v", v, ok)
		}
	}
}

func TestStrKeys(t *testing.T) {
	strs := []string{"", "a", "b", "\x00", "\x00\x00", "\x00\x01", "ab", "ac", "ba", "é", "abc", "abd", "bbc", "abcd", "abce", "xbcd",
		"abcde", "abcdf", "abxde", "abcdefg", "abcdefh", "abcdefgh", "abcdefgi", "xbcdefgh",
		"abcdefghi", "abcdefghj", "bbcdefghi", "abcdxyefgh", "abcdzzefgh", "abcdefghijklmnopq", "abcdefghijklmnopr"}
	for _, c := range strs {
		for op := opEq; op <= opGe; op++ {
			n := cmpLeaf(op, &node{t: String, isCur: true}, StringValue(c))
			for _, x := range strs {
				if got, want := evalLeaf(t, n, StringValue(x)), ordered(op, x, c); got != want {
					t.Errorf("%q %s %q: %v, want %v", x, cmpOpNames[op], c, got, want)
				}
			}
		}
	}
	// A list: every item is found, and nothing else.
	items := []*node{constant(String, StringValue("abcdefghi")), constant(String, StringValue("ab")), constant(String, StringValue(""))}
	n := inLeaf(&node{t: String, isCur: true}, items)
	for _, x := range strs {
		want := x == "abcdefghi" || x == "ab" || x == ""
		if got := evalLeaf(t, n, StringValue(x)); got != want {
			t.Errorf("%q in list: %v, want %v", x, got, want)
		}
	}
}

// wideScope has fields at slots beyond the first group of 64.
type wideScope map[string]FieldRef

func (s wideScope) Field(name string) (FieldRef, bool) { f, ok := s[name]; return f, ok }
func (wideScope) Step(string) (StepRef, bool)          { return StepRef{}, false }
func (wideScope) Feature(string) (FieldRef, bool)      { return FieldRef{}, false }
func (wideScope) Table(string) (TableRef, bool)        { return TableRef{}, false }
func (wideScope) Key() (FieldRef, bool)                { return FieldRef{}, false }

// Conditions on slots in three groups of the word layout agree between the
// Row and the WordRow paths, including rows whose vals end early and null
// string slots stored with a bad index.
func TestWordRowWideSlots(t *testing.T) {
	sc := wideScope{
		"s5": {Type: String, Slot: 5}, "i63": {Type: Int, Slot: 63}, "s64": {Type: String, Slot: 64},
		"f70": {Type: Float, Slot: 70}, "i130": {Type: Int, Slot: 130}, "b131": {Type: Bool, Slot: 131},
	}
	conds := []string{
		`i63 > 2 and s64 == "b" and f70 < 1.5 and i130 in [1, 2, 3] and s5 != "a"`,
		`i63 > 2 or s64 == "b" or f70 < 1.5 or i130 is null or b131 is not null`,
		`s64 in ["a", "b", null] and i130 >= 0 and s5 is not null and f70 is null`,
		`s64 < "b" and i130 != 2 or s5 >= "ab" and b131 is null`,
		`i130 between 1 and 3 and f70 != 0.5`,
	}
	val := func(r *rand.Rand, t Type) Value {
		if r.IntN(4) == 0 {
			return Value{}
		}
		switch t {
		case String:
			return StringValue([]string{"", "a", "b", "ab", "abcdefghi"}[r.IntN(5)])
		case Float:
			return FloatValue([]float64{-1, 0, 0.5, 1.5, 2}[r.IntN(5)])
		case Bool:
			return BoolValue(r.IntN(2) == 0)
		}
		return Value{Type: t, I: r.Int64N(5) - 1}
	}
	isStr := func(s int) bool { return s == 5 || s == 64 }
	r := rand.New(rand.NewPCG(5, 6))
	for _, src := range conds {
		x, errs := CompileCond(parse(t, src), sc)
		if errs != nil {
			t.Fatal(errs)
		}
		for range 500 {
			row := &row{vals: make([]Value, 132)}
			for _, f := range sc {
				row.vals[f.Slot] = val(r, f.Type)
			}
			want := x.Eval(&env{cur: row})
			if got := x.Eval(&env{cur: wordsOf(row, isStr)}); !sameValue(got, want) {
				t.Fatalf("%s on %v: WordRow %s, Row %s", src, fmt.Sprint(row.vals[5], row.vals[63:65], row.vals[70], row.vals[130:]), show(got), show(want))
			}
		}
	}
}
