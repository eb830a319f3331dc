// Package expr holds KRL's typed expressions: the syntax tree the parser builds,
// the type checker, and the compiler that turns a checked tree into closures over
// field slots.
//
// A compiled expression reads its inputs through two small interfaces defined
// here, Row (one event's typed fields; a Row may also be a WordRow, which
// exposes how they are stored) and Env (the event being tested and the events
// bound so far to the pattern's steps). They use only built-in types in their
// method sets, so packages below expr (event, nfa) satisfy them without
// importing it. Evaluation never allocates and never uses reflection.
//
// expr imports nothing else of the project's.
//
// # Compiling
//
// Compile (or CompileCond, which also requires a bool) resolves names through
// a Scope, checks types and returns every error of the tree, each at the
// offending operand; a subtree with an error is not reported again by the
// nodes above it. A Scope may also implement NameLister, so that errors for
// unknown names suggest a near one.
//
// Names: a bare name is a field of the current event, else `key` (the
// partition key, unless a field is called key), else a feature. `this.f` is
// always a field of the current event. `a.f` reads the event of the
// single-event step a (null before it has one); on a looping step it is an
// error that points to first(a).f, last(a).f, count(a) and the aggregates.
// Negated steps cannot be referred to at all.
//
// # Evaluation model
//
// Each node compiles to a closure of one Go type, chosen by its KRL type:
// func(Env, Row) (int64, bool) for int, time (epoch ms) and duration (ms),
// float64 for float, string for string, and bool for bool, where the second
// result false means null (so bools are three-valued). The Row argument is
// the current event, fetched once per evaluation by the Expr method that
// starts it. Subtrees of constants are folded at compile time. The commonest
// condition terms (a current field compared with a constant, in a list of
// constants, between constants, or tested for null) are leaves: data, not closures, so that a
// chain of them under `and`/`or` is evaluated by loops with no call per term
// (leaf.go), and a condition made of leaves alone with no closure call at
// all. On a row that also implements WordRow, as *event.Event does, the
// leaves read the slots straight from the row's storage after one call to
// Words, instead of a Row method call each.
// A compiled *Expr is immutable and safe for concurrent use.
//
// Evaluation allocates nothing, except where a new string is made: `+` on
// strings, and lower and upper when they change their argument. A table
// lookup borrows its key slice from a sync.Pool (a stack array would escape
// through the TableRef.Lookup function value, and a buffer owned by the
// closure would not be safe for concurrent use), so it allocates only when
// the pool is empty, as after a GC: Lookup must not keep the slice after it
// returns.
//
// # Semantics decided here
//
// The language spec leaves these open; they are tested in this package.
//
//   - int arithmetic wraps on overflow (as Go's); `/` truncates toward zero and
//     `%` takes the sign of the dividend (Go's); MinInt64 / -1 is MinInt64.
//   - float `%` is math.Mod (also the sign of the dividend). Division or
//     modulo by zero, int or float, is null.
//   - int and float mix in arithmetic and comparisons by widening the int to
//     float64 (exact up to 2^53).
//   - A comparison or arithmetic with a null is null, including `null == null`
//     (use `is null`). `x in [...]` is true if x equals an item, else null if
//     x or an item is null, else false (SQL). `x between a and b` is
//     `x >= a and x <= b` with Kleene `and`: `11 between null and 10` is false.
//   - Comparisons: numbers with numbers, strings with strings (byte order),
//     times with times, durations with durations; bools with == and != only.
//   - time − time = duration; time ± duration = time; duration ± duration =
//     duration; duration * int, int * duration, duration / int = duration;
//     −duration. No other arithmetic on times and durations.
//   - Table keys must have the table's key types; an int key is widened for
//     a float key column. A null key finds no row; a missing row's columns
//     are null.
//   - Step aggregates skip null values: count(a) is the number of events (0 or
//     1 on a single step); sum(a.f) is int, float or duration as f and 0 over
//     no values; avg(a.f) is float and null over none; min and max keep f's
//     type (int, float, string, time, duration) and are null over none.
//     first(a).f and last(a).f are null when a has no event.
//
// Functions, null in gives null out:
//
//   - abs(x): int, float or duration; the same type (abs(MinInt64) stays
//     negative, as in Go).
//   - round(x), floor(x), ceil(x): a float gives a float (round halves away
//     from zero, math.Round); an int is returned unchanged, as an int.
//   - lower(s), upper(s): string (Unicode case mapping).
//   - len(s): int, the number of characters (runes), not bytes.
//   - contains(s, t), startswith(s, t), endswith(s, t): bool.
//   - matches(s, "re"): bool; the pattern must be a string literal, compiled
//     at compile time (RE2 syntax, Go's regexp); it matches anywhere in s
//     unless anchored with ^ and $.
//   - coalesce(x, ...): the first non-null argument; one or more arguments
//     of one type, ints widened to float when one of them is a float.
//   - hour(t): int 0–23, in UTC.
//   - weekday(t): int, ISO 8601: 1 is Monday … 7 is Sunday, in UTC.
package expr
