package expr

import (
	"cmp"
	"math"
)

// This file builds the closures of operators. The checker (check.go) has
// already decided the operand types; every builder here takes closures of one
// Go type.

type cmpOp uint8

const (
	opEq cmpOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
)

var cmpOps = map[string]cmpOp{"==": opEq, "!=": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe}

func ordered[T cmp.Ordered](op cmpOp, a, b T) bool {
	switch op {
	case opEq:
		return a == b
	case opNe:
		return a != b
	case opLt:
		return a < b
	case opLe:
		return a <= b
	case opGt:
		return a > b
	}
	return a >= b
}

// compare is l op r over an ordered type; null when either side is null.
func compare[T cmp.Ordered](op cmpOp, l, r fn[T]) fn[bool] {
	return func(env Env, cur Row) (bool, bool) {
		a, ok := l(env, cur)
		if !ok {
			return false, false
		}
		b, ok := r(env, cur)
		if !ok {
			return false, false
		}
		return ordered(op, a, b), true
	}
}

// compareConst is l op c.
func compareConst[T cmp.Ordered](op cmpOp, l fn[T], c T) fn[bool] {
	return func(env Env, cur Row) (bool, bool) {
		a, ok := l(env, cur)
		if !ok {
			return false, false
		}
		return ordered(op, a, c), true
	}
}

// equalBools is l == r (or l != r when ne) over bools.
func equalBools(ne bool, l, r fn[bool]) fn[bool] {
	return func(env Env, cur Row) (bool, bool) {
		a, ok := l(env, cur)
		if !ok {
			return false, false
		}
		b, ok := r(env, cur)
		if !ok {
			return false, false
		}
		return (a == b) != ne, true
	}
}

// flip turns `c op x` into `x flip(op) c`.
func (op cmpOp) flip() cmpOp {
	switch op {
	case opLt:
		return opGt
	case opLe:
		return opGe
	case opGt:
		return opLt
	case opGe:
		return opLe
	}
	return op
}

// arithInt is integer arithmetic: wrapping on overflow as in Go, `/`
// truncating toward zero, `%` taking the sign of the dividend, and null for a
// zero divisor.
func arithInt(op string, l, r fn[int64]) fn[int64] {
	switch op {
	case "+":
		return func(env Env, cur Row) (int64, bool) {
			a, ok := l(env, cur)
			if !ok {
				return 0, false
			}
			b, ok := r(env, cur)
			return a + b, ok
		}
	case "-":
		return func(env Env, cur Row) (int64, bool) {
			a, ok := l(env, cur)
			if !ok {
				return 0, false
			}
			b, ok := r(env, cur)
			return a - b, ok
		}
	case "*":
		return func(env Env, cur Row) (int64, bool) {
			a, ok := l(env, cur)
			if !ok {
				return 0, false
			}
			b, ok := r(env, cur)
			return a * b, ok
		}
	case "/":
		return func(env Env, cur Row) (int64, bool) {
			a, ok := l(env, cur)
			if !ok {
				return 0, false
			}
			b, ok := r(env, cur)
			if !ok || b == 0 {
				return 0, false
			}
			return a / b, true // MinInt64 / -1 is MinInt64 in Go: no panic
		}
	}
	return func(env Env, cur Row) (int64, bool) { // %
		a, ok := l(env, cur)
		if !ok {
			return 0, false
		}
		b, ok := r(env, cur)
		if !ok || b == 0 {
			return 0, false
		}
		return a % b, true
	}
}

// arithFloat is float arithmetic; `/` and `%` by zero are null, `%` is
// math.Mod (the sign of the dividend, like `%` on ints).
func arithFloat(op string, l, r fn[float64]) fn[float64] {
	switch op {
	case "+":
		return func(env Env, cur Row) (float64, bool) {
			a, ok := l(env, cur)
			if !ok {
				return 0, false
			}
			b, ok := r(env, cur)
			return a + b, ok
		}
	case "-":
		return func(env Env, cur Row) (float64, bool) {
			a, ok := l(env, cur)
			if !ok {
				return 0, false
			}
			b, ok := r(env, cur)
			return a - b, ok
		}
	case "*":
		return func(env Env, cur Row) (float64, bool) {
			a, ok := l(env, cur)
			if !ok {
				return 0, false
			}
			b, ok := r(env, cur)
			return a * b, ok
		}
	case "/":
		return func(env Env, cur Row) (float64, bool) {
			a, ok := l(env, cur)
			if !ok {
				return 0, false
			}
			b, ok := r(env, cur)
			if !ok || b == 0 {
				return 0, false
			}
			return a / b, true
		}
	}
	return func(env Env, cur Row) (float64, bool) {
		a, ok := l(env, cur)
		if !ok {
			return 0, false
		}
		b, ok := r(env, cur)
		if !ok || b == 0 {
			return 0, false
		}
		return math.Mod(a, b), true
	}
}

// concat is string +. It allocates the result (unless a side is empty).
func concat(l, r fn[string]) fn[string] {
	return func(env Env, cur Row) (string, bool) {
		a, ok := l(env, cur)
		if !ok {
			return "", false
		}
		b, ok := r(env, cur)
		if !ok {
			return "", false
		}
		return a + b, true
	}
}

func negInt(x fn[int64]) fn[int64] {
	return func(env Env, cur Row) (int64, bool) {
		v, ok := x(env, cur)
		return -v, ok
	}
}

func negFloat(x fn[float64]) fn[float64] {
	return func(env Env, cur Row) (float64, bool) {
		v, ok := x(env, cur)
		if !ok {
			return 0, false
		}
		return -v, true
	}
}

func not(x fn[bool]) fn[bool] {
	return func(env Env, cur Row) (bool, bool) {
		v, ok := x(env, cur)
		return !v && ok, ok
	}
}

// and is Kleene conjunction of two or more operands: false if any is false,
// else null if any is null, else true. It stops at the first false. Chains
// are unrolled by two and three, so that each call site in a closure always
// calls the same operand (well predicted), rather than a loop calling them
// all from one site.
func and(xs []fn[bool]) fn[bool] {
	switch len(xs) {
	case 1:
		return xs[0]
	case 2:
		l, r := xs[0], xs[1]
		return func(env Env, cur Row) (bool, bool) {
			a, aok := l(env, cur)
			if aok && !a {
				return false, true
			}
			b, bok := r(env, cur)
			if bok && !b {
				return false, true
			}
			return aok && bok, aok && bok
		}
	case 3:
		x, y, z := xs[0], xs[1], xs[2]
		return func(env Env, cur Row) (bool, bool) {
			a, aok := x(env, cur)
			if aok && !a {
				return false, true
			}
			b, bok := y(env, cur)
			if bok && !b {
				return false, true
			}
			c, cok := z(env, cur)
			if cok && !c {
				return false, true
			}
			known := aok && bok && cok
			return known, known
		}
	}
	return and([]fn[bool]{xs[0], xs[1], and(xs[2:])})
}

// or is Kleene disjunction: true if any is true, else null if any is null,
// else false. Unrolled like and.
func or(xs []fn[bool]) fn[bool] {
	switch len(xs) {
	case 1:
		return xs[0]
	case 2:
		l, r := xs[0], xs[1]
		return func(env Env, cur Row) (bool, bool) {
			a, aok := l(env, cur)
			if aok && a {
				return true, true
			}
			b, bok := r(env, cur)
			if bok && b {
				return true, true
			}
			return false, aok && bok
		}
	case 3:
		x, y, z := xs[0], xs[1], xs[2]
		return func(env Env, cur Row) (bool, bool) {
			a, aok := x(env, cur)
			if aok && a {
				return true, true
			}
			b, bok := y(env, cur)
			if bok && b {
				return true, true
			}
			c, cok := z(env, cur)
			if cok && c {
				return true, true
			}
			return false, aok && bok && cok
		}
	}
	return or([]fn[bool]{xs[0], xs[1], or(xs[2:])})
}

// in is `x in [items]`: true if x equals an item; else null if x or an item
// is null; else false (SQL's IN).
func in[T comparable](x fn[T], items []fn[T]) fn[bool] {
	return func(env Env, cur Row) (bool, bool) {
		v, ok := x(env, cur)
		if !ok {
			return false, false
		}
		known := true
		for _, item := range items {
			w, ok := item(env, cur)
			if !ok {
				known = false
			} else if v == w {
				return true, true
			}
		}
		return false, known
	}
}

// inConst is `x in [constants]`; hasNull tells whether the list holds null.
func inConst[T comparable](x fn[T], set []T, hasNull bool) fn[bool] {
	if len(set) > 16 {
		m := make(map[T]struct{}, len(set))
		for _, v := range set {
			m[v] = struct{}{}
		}
		return func(env Env, cur Row) (bool, bool) {
			v, ok := x(env, cur)
			if !ok {
				return false, false
			}
			if _, found := m[v]; found {
				return true, true
			}
			return false, !hasNull
		}
	}
	return func(env Env, cur Row) (bool, bool) {
		v, ok := x(env, cur)
		if !ok {
			return false, false
		}
		for _, w := range set {
			if v == w {
				return true, true
			}
		}
		return false, !hasNull
	}
}

// between is lo <= x <= hi with Kleene `and` of the two comparisons, so that
// a null bound still gives false when the other bound excludes x.
func between[T cmp.Ordered](x, lo, hi fn[T]) fn[bool] {
	return func(env Env, cur Row) (bool, bool) {
		v, ok := x(env, cur)
		if !ok {
			return false, false
		}
		l, lok := lo(env, cur)
		if lok && v < l {
			return false, true
		}
		h, hok := hi(env, cur)
		if hok && v > h {
			return false, true
		}
		return lok && hok, lok && hok
	}
}

// isNull is `x is null` (or `is not null` when not is set): never null.
func isNull[T any](x fn[T], not bool) fn[bool] {
	return func(env Env, cur Row) (bool, bool) {
		_, ok := x(env, cur)
		return ok == not, true
	}
}
