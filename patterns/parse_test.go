package patterns

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

var update = flag.Bool("update", false, "rewrite the .err golden files of testdata/parse/errors")

// mustParse parses src and fails the test on any error.
func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, errs := Parse("test.krl", []byte(src))
	if len(errs) > 0 {
		t.Fatalf("Parse(%q):\n%v", src, errs)
	}
	if f == nil {
		t.Fatalf("Parse(%q) returned a nil File and no errors", src)
	}
	return f
}

func TestParseSpecExamples(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"spec_stream.krl", `
stream txn (id string, card_id string, amount float, country string, merchant string, is_fraud bool, ts time) id=id timestamp=ts watermark=5000 lateness=60000`},
		{"spec_table.krl", `
table merchant_risk (merchant string, score float, category string) key merchant`},
		{"spec_features.krl", `
feature card_spend_1h = sum(amount) of txn[(> amount 0)] by card_id over sliding 3600000
feature card_txn_10m = count() of txn by card_id over sliding 600000
feature card_countries = distinct_count(country) of txn by card_id over sliding 86400000
feature user_clicks = count() of click by user_id over session 1800000
feature merchant_volume = sum(amount) of txn by merchant over tumbling 3600000 emit
feature card_last_cc = last(country) of txn by card_id
feature card_country_n = count() of txn by card_id,country
feature terminal_frauds = count() of chargeback by terminal_id over sliding 604800000 offset 604800000`},
		{"spec_rule.krl", `
rule card_testing severity=high by=card_id within=600000 skip=past_last to=alerts
  pattern small:txn[(< amount 2.0)]{3,-1} -> big:txn[(and (> amount 500) (!= country (. (call last small) country)))]
  emit {small_count: (call count small), total: (+ (call sum (. small amount)) (. big amount))}
  timeout emit {first_small: (. (call first small) amount)}`},
		{"ruleset.krl", `
stream txn (id string, card_id string, amount float, country string, merchant string, terminal_id string, ts time) id=id timestamp=ts watermark=2000 lateness=30000
stream login (user_id string, card_id string, ip string, ok bool, at time) timestamp=at
stream chargeback (card_id string, terminal_id string, ts time) timestamp=ts
table merchant_risk (merchant string, score float, category string) key merchant
table geo (country string, region string, risk float) key country,region
feature card_spend_1h = sum(amount) of txn[(> amount 0)] by card_id over sliding 3600000
feature hourly_volume = sum(amount) of txn over hopping 3600000 every 300000 emit
feature global_count = count(amount) of txn emit every 3600000
feature terminal_cb_7d = count() of chargeback by terminal_id over sliding 604800000 offset 604800000
rule card_testing severity=critical by=card_id within=600000
  pattern small:txn[(< amount 2.0)]{3,-1} -> big:txn[(and (> amount 500) (!= country (. (call last small) country)))]
rule takeover severity=high by=card_id within=900000 gap skip=to_first fail to=takeover_alerts
  pattern fail:login[(not ok)]{3,3 consecutive} => win:login[ok] -> not other:login -> buy:txn[(and (>= (. (index merchant_risk merchant) score) 0.8) (< (- ts (. win at)) 5m))]
  emit {ip: (. win ip), risk: (. (index merchant_risk (. buy merchant)) score), region: (. (index geo (. buy country) "eu") region)}
rule bursts within=5400000 skip=no_skip
  pattern start:any ~> (a:txn[(> amount 100)]{1,-1 greedy} -> b:txn[(between amount 1 10)]{1,1 optional}){2,4} -> c:txn{1,-1 optional combinations until((> (. c amount) 1000))} -> d:txn{2,-1 optional} -> e:txn{1,3 optional} => f:txn[(and (in country "FR" "DE" "IT") (notnull merchant))]
  timeout emit {started: (. start ts), seen: (call count a)}
rule big_spend to=big_spend
  pattern t:txn[(or (>= amount 10000) (> card_spend_1h 50000))]
  emit {}
rule silent_after_chargeback severity=low by=card_id within=86400000 skip=to_last cb
  pattern cb:chargeback -> not t:txn`},
		{"keywords.krl", `
stream stream (id string, key string, count int, timestamp time, from string, rule string, sliding float, by string, table string, not bool, device-id string, and int, null string, in string) id=id timestamp=timestamp
table table (key string, of string) key key,of
feature feature = count(count) of stream[(== from "web")] by key,by over sliding 600000
rule rule by=key,from skip=to_first within to=to
  pattern pattern:stream[(and (and (and (!= (. this key) "x") (. this not)) (> (. this and) 1)) (== (. stream rule) rule))] -> within:stream[(and (and (< (- timestamp (. pattern timestamp)) 5m) (== device-id "d")) (== not true))] -> not:stream[(and (and (isnull (. this null)) (in (. this in) "a" "b")) (== key sliding))]
  emit {key: key, count: (call count pattern), timestamp: (. (index table from) of), to: (. within from)}`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "parse", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			f := mustParse(t, string(src))
			if got, want := dump(f), strings.TrimPrefix(tt.want, "\n"); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestParseExpressions checks precedence, associativity and every kind of
// expression node, through a step's condition.
func TestParseExpressions(t *testing.T) {
	tests := []struct{ src, want string }{
		// literals
		{`42`, `42`},
		{`-3`, `(- 3)`},
		{`2.50`, `2.5`},
		{`1e6`, `1000000.0`},
		{`1.5E-3`, `0.0015`},
		{`007`, `7`},
		{`9223372036854775807`, `9223372036854775807`},
		{`"fr"`, `"fr"`},
		{`"a\"b\\c\nd\te"`, `"a\"b\\c\nd\te"`},
		{`"caf\u00e9 \u00C9"`, `"café É"`},
		{`"\uD83D\uDE00"`, `"😀"`},
		{`"日本"`, `"日本"`},
		{`""`, `""`},
		{`250ms`, `250ms`},
		{`10s`, `10s`},
		{`5m`, `5m`},
		{`2h`, `2h`},
		{`7d`, `7d`},
		{`1h30m`, `90m`},
		{`1d2h3m4s5ms`, `93784005ms`},
		{`0s`, `0ms`},
		{`true`, `true`},
		{`false`, `false`},
		{`null`, `null`},
		// precedence, loosest first: or; and; not; comparisons; + -; * / %; unary -; postfix
		{`a or b and c`, `(or a (and b c))`},
		{`a and b or c`, `(or (and a b) c)`},
		{`a or b or c`, `(or (or a b) c)`},
		{`not a and b`, `(and (not a) b)`},
		{`not a == b`, `(not (== a b))`},
		{`not not a`, `(not (not a))`},
		{`a == b and c != d`, `(and (== a b) (!= c d))`},
		{`a + b * c`, `(+ a (* b c))`},
		{`a * b + c`, `(+ (* a b) c)`},
		{`a - b - c`, `(- (- a b) c)`},
		{`a / b % c * d`, `(* (% (/ a b) c) d)`},
		{`(a + b) * c`, `(* (+ a b) c)`},
		{`-a * b`, `(* (- a) b)`},
		{`- -a`, `(- (- a))`},
		{`-a.f`, `(- (. a f))`},
		{`a + b < c * d`, `(< (+ a b) (* c d))`},
		{`a <= b`, `(<= a b)`},
		{`a >= b`, `(>= a b)`},
		{`a > b`, `(> a b)`},
		{`a == -1`, `(== a (- 1))`},
		{`b.ts - a.ts < 5m`, `(< (- (. b ts) (. a ts)) 5m)`},
		{`name + "x" == "yx"`, `(== (+ name "x") "yx")`},
		// in, between, is null
		{`x in [1, 2, 3]`, `(in x 1 2 3)`},
		{`x in ["a"]`, `(in x "a")`},
		{`x + 1 in [a, b + c]`, `(in (+ x 1) a (+ b c))`},
		{`not x in [1]`, `(not (in x 1))`},
		{`x between 1 and 10`, `(between x 1 10)`},
		{`x between a + 1 and b * 2 and y`, `(and (between x (+ a 1) (* b 2)) y)`},
		{`x between 1 and 2 or y between 3 and 4`, `(or (between x 1 2) (between y 3 4))`},
		{`x is null`, `(isnull x)`},
		{`x is not null`, `(notnull x)`},
		{`a.f is null or b`, `(or (isnull (. a f)) b)`},
		{`not x is null`, `(not (isnull x))`},
		// postfix: selectors, index, calls
		{`this.f`, `(. this f)`},
		{`this.key`, `(. this key)`},
		{`a.f`, `(. a f)`},
		{`a.b.c`, `(. (. a b) c)`},
		{`first(a).f`, `(. (call first a) f)`},
		{`last(small).country`, `(. (call last small) country)`},
		{`count()`, `(call count)`},
		{`count(a)`, `(call count a)`},
		{`coalesce(a.f, b.f, 0)`, `(call coalesce (. a f) (. b f) 0)`},
		{`matches(s, "^[a-z]+$")`, `(call matches s "^[a-z]+$")`},
		{`round(abs(-x))`, `(call round (call abs (- x)))`},
		{`merchant_risk[merchant].score`, `(. (index merchant_risk merchant) score)`},
		{`t[k1, k2].f`, `(. (index t k1 k2) f)`},
		{`t[a.b + 1]`, `(index t (+ (. a b) 1))`},
		{`t[k].f > 0.8`, `(> (. (index t k) f) 0.8)`},
		{`(a).f`, `(. a f)`},
		// names: keywords, backquotes
		{`key`, `key`},
		{`count`, `count`},
		{`timestamp`, `timestamp`},
		{`from`, `from`},
		{`stream.rule`, `(. stream rule)`},
		{"`device-id` == `x y`", `(== device-id x y)`},
		{"`not` and `or`", `(and not or)`},
		{"this.null is not null", `(notnull (. this null))`},
		{"a.true", `(. a true)`},
		{"`count`(a)", `(call count a)`},
		{"sliding + every", `(+ sliding every)`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			f := mustParse(t, "rule r pattern a: txn["+tt.src+"]")
			cond := f.Decls[0].(*RuleDecl).Pattern.Elements[0].Step.Cond
			if got := sexpr(cond); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestParseLiteralTypes(t *testing.T) {
	tests := []struct {
		src  string
		want expr.Value
	}{
		{`42`, expr.IntValue(42)},
		{`42.0`, expr.FloatValue(42)},
		{`1e6`, expr.FloatValue(1e6)},
		{`"s"`, expr.StringValue("s")},
		{`90s`, expr.DurationValue(90_000)},
		{`1h30m`, expr.DurationValue(5_400_000)},
		{`true`, expr.BoolValue(true)},
		{`null`, expr.Value{}},
	}
	for _, tt := range tests {
		f := mustParse(t, "rule r emit { x: "+tt.src+" }")
		lit, ok := f.Decls[0].(*RuleDecl).Emit.Fields[0].Expr.(*expr.Lit)
		if !ok {
			t.Fatalf("%s: not a literal", tt.src)
		}
		if lit.Val != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.src, lit.Val, tt.want)
		}
	}
}

// TestParsePatterns checks operators, negation, groups, and the
// normalization of every quantifier and modifier.
func TestParsePatterns(t *testing.T) {
	tests := []struct{ src, want string }{
		{`a: txn`, `a:txn`},
		{`a: any`, `a:any`},
		{`a: txn -> b: txn`, `a:txn -> b:txn`},
		{`a: txn => b: txn`, `a:txn => b:txn`},
		{`a: txn ~> b: txn`, `a:txn ~> b:txn`},
		{`a: txn => not b: txn -> c: txn`, `a:txn => not b:txn -> c:txn`},
		{`a: txn -> not b: txn[x > 1]`, `a:txn -> not b:txn[(> x 1)]`},
		{`a: txn?`, `a:txn{1,1 optional}`},
		{`a: txn+`, `a:txn{1,-1}`},
		{`a: txn*`, `a:txn{1,-1 optional}`},
		{`a: txn{3}`, `a:txn{3,3}`},
		{`a: txn{3,}`, `a:txn{3,-1}`},
		{`a: txn{2,5}`, `a:txn{2,5}`},
		{`a: txn{0,5}`, `a:txn{1,5 optional}`},
		{`a: txn{0,}`, `a:txn{1,-1 optional}`},
		{`a: txn{1,1}`, `a:txn{1,1}`},
		{`a: txn{ 2 , 5 }`, `a:txn{2,5}`},
		{`a: txn[x > 1]{2}`, `a:txn[(> x 1)]{2,2}`},
		{`a: txn+ greedy`, `a:txn{1,-1 greedy}`},
		{`a: txn+ consecutive`, `a:txn{1,-1 consecutive}`},
		{`a: txn* combinations`, `a:txn{1,-1 optional combinations}`},
		{`a: txn{3} optional`, `a:txn{3,3 optional}`},
		{`a: txn+ until [x > 5]`, `a:txn{1,-1 until((> x 5))}`},
		{`a: txn{2,} greedy consecutive optional until [a.x == 1] combinations`,
			`a:txn{2,-1 optional greedy consecutive combinations until((== (. a x) 1))}`},
		{`(a: txn -> b: txn)`, `(a:txn -> b:txn)`},
		{`(a: txn -> b: txn){2,4}`, `(a:txn -> b:txn){2,4}`},
		{`(a: txn => b: txn)+ greedy`, `(a:txn => b:txn){1,-1 greedy}`},
		{`x: txn -> ((a: txn)? ~> b: txn*)*`, `x:txn -> ((a:txn){1,1 optional} ~> b:txn{1,-1 optional}){1,-1 optional}`},
		{`not: txn`, `not:txn`},
		{`not not: txn`, `not not:txn`},
		{`a: txn -> not not: txn`, `a:txn -> not not:txn`},
		{`pattern: stream -> within: rule`, `pattern:stream -> within:rule`},
		{"`step one`: `my stream`", `step one:my stream`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			f := mustParse(t, "rule r pattern "+tt.src+" within 1m")
			r := f.Decls[0].(*RuleDecl)
			if got := dumpPattern(r.Pattern); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if r.Within != 60_000 {
				t.Errorf("pattern swallowed the within clause")
			}
		})
	}
}

func TestParseRuleClauses(t *testing.T) {
	tests := []struct{ src, want string }{
		{`rule r`, `rule r`},
		{`rule r severity low`, `rule r severity=low`},
		{`rule r severity medium`, `rule r severity=medium`},
		{`rule r severity critical`, `rule r severity=critical`},
		{`rule r by a, b, c`, `rule r by=a,b,c`},
		{`rule r within 10m`, `rule r within=600000`},
		{`rule r within gap 5m`, `rule r within=300000 gap`},
		{`rule r skip no_skip`, `rule r skip=no_skip`},
		{`rule r skip to_next`, `rule r skip=to_next`},
		{`rule r skip past_last`, `rule r skip=past_last`},
		{`rule r skip to_first a`, `rule r skip=to_first a`},
		{`rule r skip to_last b`, `rule r skip=to_last b`},
		{`rule r to alerts`, `rule r to=alerts`},
		{`rule r emit { }`, "rule r\n  emit {}"},
		{`rule r timeout emit { a: 1 }`, "rule r\n  timeout emit {a: 1}"},
		// any order
		{`rule r to x within 1s by k severity high`, `rule r severity=high by=k within=1000 to=x`},
		{`rule r emit {x: 1} timeout emit {y: 2}`, "rule r\n  emit {x: 1}\n  timeout emit {y: 2}"},
		{`rule r timeout emit {y: 2} emit {x: 1}`, "rule r\n  emit {x: 1}\n  timeout emit {y: 2}"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			if got := dump(mustParse(t, tt.src)); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestParseFeatures(t *testing.T) {
	tests := []struct{ src, want string }{
		{`feature f = count() of txn`, `feature f = count() of txn`},
		{`feature f = count(x) of txn`, `feature f = count(x) of txn`},
		{`feature f = avg(a.b * 2) of txn`, `feature f = avg((* (. a b) 2)) of txn`},
		{`feature f = min(x) of txn over tumbling 1d`, `feature f = min(x) of txn over tumbling 86400000`},
		{`feature f = max(x) of txn over session 30m emit`, `feature f = max(x) of txn over session 1800000 emit`},
		{`feature f = stddev(x) of txn over hopping 1h every 5m offset 1d emit`,
			`feature f = stddev(x) of txn over hopping 3600000 every 300000 offset 86400000 emit`},
		{`feature f = first(x) of txn emit every 1h`, `feature f = first(x) of txn emit every 3600000`},
		{`feature f = sum(x) of txn over sliding 1h emit every 10m`, `feature f = sum(x) of txn over sliding 3600000 emit every 600000`},
		{`feature f = sum(x) of txn[a > 0 and b] by k over sliding 1h`, `feature f = sum(x) of txn[(and (> a 0) b)] by k over sliding 3600000`},
		{`feature count = count() of count by count`, `feature count = count() of count by count`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			if got := dump(mustParse(t, tt.src)); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "  \n\t", "// only a comment", "/* block */", "\uFEFF"} {
		f, errs := Parse("e.krl", []byte(src))
		if errs != nil || f == nil || len(f.Decls) != 0 || f.Name != "e.krl" {
			t.Errorf("Parse(%q) = %+v, %v; want an empty file", src, f, errs)
		}
	}
	if f, errs := Parse("nil.krl", nil); errs != nil || f == nil {
		t.Errorf("Parse(nil) = %v, %v", f, errs)
	}
}

func TestParseSource(t *testing.T) {
	src := "// header\n" +
		"stream s (a int, ts time) timestamp ts // trailing comment\n" +
		"\n" +
		"/* about r */ rule r\n" +
		"  pattern x: s[a > 1]\t// why\n" +
		"  within 1m\n" +
		"table t (k string) key k feature f = count() of s\n"
	f := mustParse(t, src)
	want := []string{
		"stream s (a int, ts time) timestamp ts",
		"rule r\n  pattern x: s[a > 1]\t// why\n  within 1m",
		"table t (k string) key k",
		"feature f = count() of s",
	}
	if len(f.Decls) != len(want) {
		t.Fatalf("got %d declarations, want %d", len(f.Decls), len(want))
	}
	for i, d := range f.Decls {
		var got string
		switch d := d.(type) {
		case *StreamDecl:
			got = d.Source
		case *TableDecl:
			got = d.Source
		case *FeatureDecl:
			got = d.Source
		case *RuleDecl:
			got = d.Source
		}
		if got != want[i] {
			t.Errorf("decl %d: Source = %q, want %q", i, got, want[i])
		}
	}
}

func TestParsePositions(t *testing.T) {
	src := "stream s (a int, ts time)\n" +
		"  timestamp ts id a\n" +
		"table t (k string) key k\n" +
		"feature f = sum(a) of s by a over sliding 1h\n" +
		"rule r by a\n" +
		"\tpattern x: s[a + 1 > 2 and t[a].k is null] -> (y: any){2}\n" +
		"  within 5m skip to_first x emit { n: count(x), `é`: \"é\" == \"e\" }\n"
	f := mustParse(t, src)
	s := f.Decls[0].(*StreamDecl)
	tb := f.Decls[1].(*TableDecl)
	ft := f.Decls[2].(*FeatureDecl)
	r := f.Decls[3].(*RuleDecl)
	cond := r.Pattern.Elements[0].Step.Cond.(*expr.Binary) // and
	gt := cond.L.(*expr.Binary)
	isNull := cond.R.(*expr.IsNull)
	sel := isNull.X.(*expr.Selector)
	emit := r.Emit
	eq := emit.Fields[1].Expr.(*expr.Binary)
	p := func(line, col int) Pos { return Pos{File: "test.krl", Line: line, Col: col} }
	e := func(line, col int) expr.Pos { return expr.Pos{Line: line, Col: col} }
	checks := []struct {
		what      string
		got, want any
	}{
		{"stream", s.At, p(1, 8)},
		{"field a", s.Fields[0].At, p(1, 11)},
		{"field ts", s.Fields[1].At, p(1, 18)},
		{"timestamp", s.TimestampAt, p(2, 13)},
		{"id", s.IDAt, p(2, 19)},
		{"table", tb.At, p(3, 7)},
		{"keys", tb.KeysAt, p(3, 24)},
		{"feature", ft.At, p(4, 9)},
		{"agg", ft.AggAt, p(4, 13)},
		{"feature stream", ft.StreamAt, p(4, 23)},
		{"feature by", ft.ByAt, p(4, 28)},
		{"window", ft.Window.At, p(4, 35)},
		{"rule", r.At, p(5, 6)},
		{"rule by", r.ByAt, p(5, 11)},
		{"pattern", r.Pattern.At, p(6, 10)},
		{"element x", r.Pattern.Elements[0].At, p(6, 10)},
		{"step x", r.Pattern.Elements[0].Step.At, p(6, 10)},
		{"step stream", r.Pattern.Elements[0].Step.StreamAt, p(6, 13)},
		{"and", cond.At, e(6, 25)},
		{">", gt.At, e(6, 21)},
		{"+", gt.L.(*expr.Binary).At, e(6, 17)},
		{"a", gt.L.(*expr.Binary).L.(*expr.Name).At, e(6, 15)},
		{"is", isNull.At, e(6, 36)},
		{"t[a].k", sel.At, e(6, 33)},
		{"t[a]", sel.X.(*expr.Index).At, e(6, 30)},
		{"t", sel.X.(*expr.Index).X.(*expr.Name).At, e(6, 29)},
		{"group", r.Pattern.Elements[1].At, p(6, 48)},
		{"group pattern", r.Pattern.Elements[1].Group.At, p(6, 49)},
		{"quantifier", r.Pattern.Elements[1].Quant.At, p(6, 56)},
		{"within", r.WithinAt, p(7, 3)},
		{"skip", r.SkipAt, p(7, 13)},
		{"emit", emit.At, p(7, 34)},
		{"field n", emit.Fields[0].At, p(7, 36)},
		{"count(x)", emit.Fields[0].Expr.(*expr.Call).At, e(7, 39)},
		{"field é", emit.Fields[1].At, p(7, 49)},
		{"==", eq.At, e(7, 58)}, // columns count characters, not bytes
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s at %v, want %v", c.what, c.got, c.want)
		}
	}
}

// TestParseSyntaxErrors checks the message and the exact position of each
// kind of syntax error, and that no AST comes back with them.
func TestParseSyntaxErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		// the brief's example
		{"rule r pattern a: txn within ten",
			[]string{`1:30: expected a duration such as 10m after "within", found "ten"`}},
		{"rule r pattern a: txn within gap",
			[]string{`1:33: expected a duration such as 10m after "gap", found the end of the file`}},
		{"stream s (a int) watermark 5",
			[]string{`1:28: expected a duration such as 10m after "watermark", found "5"`}},
		{"feature f = count() of txn over sliding",
			[]string{`1:40: expected a duration such as 10m after "sliding", found the end of the file`}},
		// lexical
		{"rule r within 10min",
			[]string{`1:15: "10min" is not a number or a duration; a duration is a whole number and a unit (ms, s, m, h, d), such as 10m or 1h30m`}},
		{"rule r within 1.5h",
			[]string{`1:15: "1.5h" is not a number or a duration; a duration is a whole number and a unit (ms, s, m, h, d), such as 10m or 1h30m`}},
		{"rule r pattern a: txn[x == \"abc]\n",
			[]string{`1:28: string is not closed: a " is missing before the end of the line`}},
		{"rule r pattern a: txn[x == \"abc\\",
			[]string{`1:28: string is not closed: a " is missing before the end of the line`}},
		{"rule `r pattern a: txn",
			[]string{"1:6: name is not closed: a ` is missing before the end of the line"}},
		{"rule r\n/* no end\nrule s",
			[]string{`2:1: comment is not closed: */ is missing`}},
		{"rule r pattern a: txn[x > 1 && y]",
			[]string{`1:29: unexpected characters "&&"; use "and"`}},
		{"rule r pattern a: txn[x > 1 || y]",
			[]string{`1:29: unexpected characters "||"; use "or"`}},
		{"rule r pattern a: txn[!x]",
			[]string{`1:23: unexpected character "!"; use "not", or != to compare`}},
		{"rule r pattern a: txn[x == 'a']",
			[]string{`1:28: unexpected character "'"; strings are written in double quotes`,
				`1:30: unexpected character "'"; strings are written in double quotes`}},
		{"rule r pattern a: txn[montant_é > 1]",
			[]string{"1:31: unexpected character \"é\"; names are made of letters A-Z and a-z, digits and _, or written in backquotes (`name`)"}},
		{"rule r;", []string{`1:7: unexpected character ";"; KRL needs no semicolons`}},
		{"rule r\x00", []string{`1:7: unexpected character "\x00"`}},
		{"rule r #", []string{`1:8: unexpected character "#"`}},
		// structure
		{"strem s (a int)",
			[]string{`1:1: expected a declaration (stream, table, feature or rule) or the end of the file, found "strem"; did you mean "stream"?`}},
		{"rule r pattern a: txn withn 10m",
			[]string{`1:23: unexpected "withn" after "txn"; did you mean "within"?`}},
		{"stream s (a int) timestamp a wtermark 5s",
			[]string{`1:30: unexpected "wtermark" after "a"; did you mean "watermark"?`}},
		{"stream s (a int b int) timestamp b",
			[]string{`1:17: expected ")" or "," after "int", found "b"`}},
		{"stream s (a int,, b int) timestamp b",
			[]string{`1:17: expected a name after ",", found ","`}},
		{"stream s (a int) timestamp",
			[]string{`1:27: expected a name after "timestamp", found the end of the file`}},
		{"stream s () timestamp a", // recovery then reports the missing ")"
			[]string{`1:11: expected a name after "(", found ")"`,
				`1:24: expected ")" or "," after "a", found the end of the file`}},
		{"table t (k string) key",
			[]string{`1:23: expected a name after "key", found the end of the file`}},
		{"table t (k string)",
			[]string{`1:19: expected "key" after ")", found the end of the file`}},
		{"feature f count() of txn",
			[]string{`1:11: expected "=" after "f", found "count"`}},
		{"feature f = count() txn",
			[]string{`1:21: expected "of" after ")", found "txn"`}},
		{"feature f = count() of txn over windy 1h",
			[]string{`1:33: expected "sliding", "tumbling", "hopping" or "session" after "over", found "windy"`}},
		{"feature f = count() of txn over hopping 1h",
			[]string{`1:43: expected "every" after "1h", found the end of the file`}},
		{"rule",
			[]string{`1:5: expected a name after "rule", found the end of the file`}},
		{"rule r severity",
			[]string{`1:16: expected a name after "severity", found the end of the file`}},
		{"rule r skip past",
			[]string{`1:13: expected "no_skip", "to_next", "past_last", "to_first" or "to_last" after "skip", found "past"`}},
		{"rule r skip to_first",
			[]string{`1:21: expected a name after "to_first", found the end of the file`}},
		{"rule r timeout {a: 1}",
			[]string{`1:16: expected "emit" after "timeout", found "{"`}},
		{"rule r emit {a 1}",
			[]string{`1:16: expected ":" after "a", found "1"`}},
		{"rule r emit { a: 1, }",
			[]string{`1:21: expected a name after ",", found "}"`}},
		{"rule r pattern a txn",
			[]string{`1:18: expected ":" after "a", found "txn"`}},
		{"rule r pattern txn[amount > 5]",
			[]string{`1:19: expected ":" after "txn", found "["`}},
		{"rule r pattern a: txn ->",
			[]string{`1:25: expected a name or "(" after "->", found the end of the file`}},
		{"rule r pattern not",
			[]string{`1:19: unexpected end of file after "not"`}},
		{"rule r pattern (a: txn -> b: txn",
			[]string{`1:33: expected ")" after "txn", found the end of the file`}},
		{"rule r pattern a: txn+ until",
			[]string{`1:29: expected "[" after "until", found the end of the file`}},
		{"rule r pattern a: txn{}",
			[]string{`1:23: expected "-" or a whole number after "{", found "}"`}},
		{"rule r pattern a: txn{1,2,3}",
			[]string{`1:26: expected "}" after "2", found ","`}},
		{"rule r pattern not a: txn{2}",
			[]string{}}, // a quantifier on a negated step is the checker's error, not a syntax error
		// expressions
		{"rule r pattern a: txn[]",
			[]string{`1:23: expected an expression after "[", found "]"`}},
		{"rule r pattern a: txn[amount = 5]",
			[]string{`1:30: expected "]" after "amount", found "="; use == to compare`}},
		{"rule r pattern a: txn[amount == ]",
			[]string{`1:33: expected an expression after "==", found "]"`}},
		{"rule r pattern a: txn[a < b < c]",
			[]string{`1:29: expected "]" after "b", found "<"`}},
		{"rule r pattern a: txn[(x == 1]",
			[]string{`1:30: expected ")" after "1", found "]"`}},
		{"rule r pattern a: txn[f(1,]",
			[]string{`1:27: expected an expression after ",", found "]"`}},
		{"rule r pattern a: txn[x in []]",
			[]string{`1:29: expected an expression after "[", found "]"`}},
		{"rule r pattern a: txn[x between 1 and]",
			[]string{`1:38: expected an expression after "and", found "]"`}},
		{"rule r pattern a: txn[x is nul]",
			[]string{`1:28: expected "not" or "null" after "is", found "nul"; did you mean "null"?`}},
		{"rule r pattern a: txn[a.]",
			[]string{`1:25: expected a name after ".", found "]"`}},
		{"rule r pattern a: txn[x == not y]",
			[]string{`1:28: expected an expression after "==", found "not"`}},
		{"rule r pattern a: txn[and]", // and is an operator, not a name, here
			[]string{`1:23: expected an expression after "[", found "and"`,
				`1:26: expected an expression after "and", found "]"`}},
		// several errors in one file, each reported once
		{"stream s (a int b int) timestamp b\nrule r within ten\nfeature f = count() of txn over windy 1h",
			[]string{
				`1:17: expected ")" or "," after "int", found "b"`,
				`2:15: expected a duration such as 10m after "within", found "ten"`,
				`3:33: expected "sliding", "tumbling", "hopping" or "session" after "over", found "windy"`,
			}},
		{"rule r within 10min pattern a: txn[x == \"oops] within ten",
			[]string{
				`1:15: "10min" is not a number or a duration; a duration is a whole number and a unit (ms, s, m, h, d), such as 10m or 1h30m`,
				`1:41: string is not closed: a " is missing before the end of the line`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			f, errs := Parse("bad.krl", []byte(tt.src))
			got := errorStrings(errs, "bad.krl:")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(errs) > 0 && f != nil {
				t.Errorf("a File came back with syntax errors")
			}
		})
	}
}

// TestParseValueErrors checks errors about text that parses but cannot be
// used; the File still comes back.
func TestParseValueErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		// clauses given twice
		{"stream s (a int, ts time) timestamp ts id a timestamp a",
			[]string{`1:45: "timestamp" is given twice in stream s; clauses may come in any order, each at most once`}},
		{"stream s (a int) watermark 1s lateness 1s watermark 2s lateness 2s id a id a",
			[]string{
				`1:43: "watermark" is given twice in stream s; clauses may come in any order, each at most once`,
				`1:56: "lateness" is given twice in stream s; clauses may come in any order, each at most once`,
				`1:73: "id" is given twice in stream s; clauses may come in any order, each at most once`,
			}},
		{"rule r within 1m pattern a: txn within 2m",
			[]string{`1:33: "within" is given twice in rule r; clauses may come in any order, each at most once`}},
		{"rule r within 1m within gap 2m",
			[]string{`1:18: "within" is given twice in rule r; clauses may come in any order, each at most once`}},
		{"rule r pattern a: txn pattern b: txn",
			[]string{`1:23: "pattern" is given twice in rule r; clauses may come in any order, each at most once`}},
		{"rule r severity low by a skip to_next emit {} timeout emit {} to x severity low by a skip to_next emit {} timeout emit {} to x",
			[]string{
				`1:68: "severity" is given twice in rule r; clauses may come in any order, each at most once`,
				`1:81: "by" is given twice in rule r; clauses may come in any order, each at most once`,
				`1:86: "skip" is given twice in rule r; clauses may come in any order, each at most once`,
				`1:99: "emit" is given twice in rule r; clauses may come in any order, each at most once`,
				`1:107: "timeout emit" is given twice in rule r; clauses may come in any order, each at most once`,
				`1:123: "to" is given twice in rule r; clauses may come in any order, each at most once`,
			}},
		// durations
		{"rule r within 5m1h",
			[]string{`1:15: duration 5m1h: units must go from the largest to the smallest, each at most once, as in 1h30m`}},
		{"rule r within 5m5m",
			[]string{`1:15: duration 5m5m: units must go from the largest to the smallest, each at most once, as in 1h30m`}},
		{"rule r within 1s1ms1s",
			[]string{`1:15: duration 1s1ms1s: units must go from the largest to the smallest, each at most once, as in 1h30m`}},
		{"rule r within 106751991168d",
			[]string{`1:15: duration 106751991168d is too long`}},
		{"rule r within 99999999999999999999ms",
			[]string{`1:15: duration 99999999999999999999ms is too long`}},
		{"stream s (a int) lateness 106751991167d7h12m55s807ms", nil}, // the largest
		{"stream s (a int) lateness 106751991167d7h12m55s808ms",
			[]string{`1:27: duration 106751991167d7h12m55s808ms is too long`}},
		{"rule r pattern a: txn[x < 5m1h]",
			[]string{`1:27: duration 5m1h: units must go from the largest to the smallest, each at most once, as in 1h30m`}},
		// quantifiers
		{"rule r pattern a: txn{5,3}",
			[]string{`1:22: {5,3}: the largest count, 3, is smaller than the smallest, 5`}},
		{"rule r pattern a: txn{0}",
			[]string{`1:22: {0} matches nothing; a repetition needs a count of at least 1`}},
		{"rule r pattern a: txn{0,0}",
			[]string{`1:22: {0,0} matches nothing; a repetition needs a count of at least 1`}},
		{"rule r pattern a: txn{-1}",
			[]string{`1:23: {-1}: a repetition count cannot be negative`}},
		{"rule r pattern a: txn{1,-2}",
			[]string{`1:25: {1,-2}: a repetition count cannot be negative`}},
		{"rule r pattern a: txn{99999999999}",
			[]string{`1:23: repetition count 99999999999 is too large`}},
		{"rule r pattern a: txn+ greedy greedy",
			[]string{`1:31: "greedy" is given twice in one quantifier`}},
		{"rule r pattern a: txn+ until [x] until [y]",
			[]string{`1:34: "until" is given twice in one quantifier`}},
		// numbers and strings
		{"rule r pattern a: txn[x == 9223372036854775808]",
			[]string{`1:28: integer 9223372036854775808 is too large; the largest is 9223372036854775807`}},
		{"rule r pattern a: txn[x == 1e999]",
			[]string{`1:28: number 1e999 is too large`}},
		{`rule r pattern a: txn[x == "a\qb"]`,
			[]string{`1:30: invalid escape \q in a string; use \" \\ \n \t or \uXXXX`}},
		{`rule r pattern a: txn[x == "\u12" + "\u12G4" + "ok\r"]`,
			[]string{
				`1:29: invalid escape: \u must be followed by four hexadecimal digits, as in \u00e9`,
				`1:38: invalid escape: \u must be followed by four hexadecimal digits, as in \u00e9`,
				`1:51: invalid escape \r in a string; use \" \\ \n \t or \uXXXX`,
			}},
		{`rule r emit { s: "é\x" }`,
			[]string{`1:20: invalid escape \x in a string; use \" \\ \n \t or \uXXXX`}},
		{`rule r emit { s: "\uD83D" }`,
			[]string{`1:19: invalid escape: \uD83D is half of a UTF-16 surrogate pair`}},
		{`rule r emit { s: "\uDE00\uD83D" }`,
			[]string{
				`1:19: invalid escape: \uDE00 is half of a UTF-16 surrogate pair`,
				`1:25: invalid escape: \uD83D is half of a UTF-16 surrogate pair`,
			}},
		// names and words
		{"rule r pattern a: txn[`` == 1]",
			[]string{`1:23: empty name: write something between the backquotes`}},
		{"rule r severity urgent",
			[]string{`1:17: unknown severity "urgent"; use low, medium, high or critical`}},
		{"rule r severity High",
			[]string{`1:17: unknown severity "High"; use low, medium, high or critical`}},
		{"feature f = summ(amount) of txn",
			[]string{`1:13: unknown aggregation "summ"; use count, sum, avg, min, max, stddev, distinct_count, first or last`}},
		{"feature f = sum() of txn",
			[]string{`1:13: sum takes one argument, such as sum(amount)`}},
		{"feature f = last(a, b) of txn",
			[]string{`1:13: last takes one argument, such as last(amount)`}},
		{"feature f = count(a, b) of txn",
			[]string{`1:13: count takes at most one argument: count() counts events, count(x) the events where x is not null`}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			f, errs := Parse("v.krl", []byte(tt.src))
			got := errorStrings(errs, "v.krl:")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if f == nil {
				t.Errorf("no File came back")
			}
		})
	}
}

// TestParseFirstClauseWins checks that a repeated clause does not overwrite
// the first one.
func TestParseFirstClauseWins(t *testing.T) {
	f, _ := Parse("x.krl", []byte("rule r within 1m severity low within 2m severity high"))
	r := f.Decls[0].(*RuleDecl)
	if r.Within != 60_000 || r.Severity != "low" {
		t.Errorf("got within %d, severity %q; want the first clauses", r.Within, r.Severity)
	}
}

// TestParseTestdata parses every file of testdata/parse: the valid ones must
// parse cleanly; each file in errors/ must give exactly the errors of its
// .err golden file (go test -run TestParseTestdata -update rewrites them).
func TestParseTestdata(t *testing.T) {
	valid, _ := filepath.Glob(filepath.Join("testdata", "parse", "*.krl"))
	if len(valid) == 0 {
		t.Fatal("no testdata/parse/*.krl files")
	}
	for _, name := range valid {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if f, errs := Parse(name, src); len(errs) > 0 || f == nil || len(f.Decls) == 0 {
			t.Errorf("%s: %v", name, errs)
		}
	}
	broken, _ := filepath.Glob(filepath.Join("testdata", "parse", "errors", "*.krl"))
	if len(broken) == 0 {
		t.Fatal("no testdata/parse/errors/*.krl files")
	}
	for _, name := range broken {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		_, errs := Parse(filepath.Base(name), src)
		got := errs.Error() + "\n"
		golden := strings.TrimSuffix(name, ".krl") + ".err"
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s: got errors:\n%s\nwant (%s):\n%s", name, got, golden, want)
		}
	}
}

func TestParseTooDeep(t *testing.T) {
	deep := "rule r pattern a: txn[" + strings.Repeat("(", 5000) + "x" + strings.Repeat(")", 5000) + "]"
	_, errs := Parse("d.krl", []byte(deep))
	if want := "d.krl:1:122: expression nested too deeply (more than 100 levels)"; len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("got %v, want %s", errs, want)
	}
	minus := "rule r pattern a: txn[" + strings.Repeat("- ", 5000) + "x]"
	if _, errs := Parse("d.krl", []byte(minus)); len(errs) != 1 || !strings.Contains(errs[0].Msg, "too deeply") {
		t.Errorf("got %v", errs)
	}
	ok := "rule r pattern a: txn[" + strings.Repeat("(", 90) + "x" + strings.Repeat(")", 90) + "]"
	mustParse(t, ok)
}

func TestParseInvalidUTF8(t *testing.T) {
	_, errs := Parse("u.krl", []byte("rule r\nemit { s: \"a\xffb\" }"))
	if want := "u.krl:2:13: the file is not valid UTF-8 text"; len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("got %v, want %s", errs, want)
	}
}

func TestParseCRLF(t *testing.T) {
	f := mustParse(t, "stream s (a int)\r\n  timestamp a\r\nrule r\r\n  within 5m\r\n")
	r := f.Decls[1].(*RuleDecl)
	if r.At != (Pos{File: "test.krl", Line: 3, Col: 6}) || r.Source != "rule r\r\n  within 5m" {
		t.Errorf("got %v %q", r.At, r.Source)
	}
}

func errorStrings(errs ErrorList, prefix string) []string {
	var out []string
	for _, e := range errs {
		out = append(out, strings.TrimPrefix(e.Error(), prefix))
	}
	return out
}

// dump prints a File compactly, without positions or sources, for tests.
func dump(f *File) string {
	var lines []string
	for _, d := range f.Decls {
		lines = append(lines, dumpDecl(d))
	}
	return strings.Join(lines, "\n")
}

func dumpDecl(d Decl) string {
	var b strings.Builder
	fields := func(fs []FieldDecl) string {
		var s []string
		for _, f := range fs {
			s = append(s, f.Name+" "+f.Type)
		}
		return "(" + strings.Join(s, ", ") + ")"
	}
	switch d := d.(type) {
	case *StreamDecl:
		fmt.Fprintf(&b, "stream %s %s", d.Name, fields(d.Fields))
		if d.ID != "" {
			fmt.Fprintf(&b, " id=%s", d.ID)
		}
		if d.Timestamp != "" {
			fmt.Fprintf(&b, " timestamp=%s", d.Timestamp)
		}
		if d.Watermark != 0 {
			fmt.Fprintf(&b, " watermark=%d", d.Watermark)
		}
		if d.Lateness != 0 {
			fmt.Fprintf(&b, " lateness=%d", d.Lateness)
		}
	case *TableDecl:
		fmt.Fprintf(&b, "table %s %s key %s", d.Name, fields(d.Fields), strings.Join(d.Keys, ","))
	case *FeatureDecl:
		arg := ""
		if d.Arg != nil {
			arg = sexpr(d.Arg)
		}
		fmt.Fprintf(&b, "feature %s = %s(%s) of %s", d.Name, d.Agg, arg, d.Stream)
		if d.Filter != nil {
			fmt.Fprintf(&b, "[%s]", sexpr(d.Filter))
		}
		if d.By != nil {
			fmt.Fprintf(&b, " by %s", strings.Join(d.By, ","))
		}
		if w := d.Window; w != nil {
			fmt.Fprintf(&b, " over %s %d", w.Kind, w.Size)
			if w.Every != 0 {
				fmt.Fprintf(&b, " every %d", w.Every)
			}
			if w.Offset != 0 {
				fmt.Fprintf(&b, " offset %d", w.Offset)
			}
		}
		if d.Emit {
			b.WriteString(" emit")
		}
		if d.EmitEvery != 0 {
			fmt.Fprintf(&b, " every %d", d.EmitEvery)
		}
	case *RuleDecl:
		fmt.Fprintf(&b, "rule %s", d.Name)
		if d.Severity != "" {
			fmt.Fprintf(&b, " severity=%s", d.Severity)
		}
		if d.By != nil {
			fmt.Fprintf(&b, " by=%s", strings.Join(d.By, ","))
		}
		if d.Within != 0 {
			fmt.Fprintf(&b, " within=%d", d.Within)
		}
		if d.WithinGap {
			b.WriteString(" gap")
		}
		if d.Skip != "" {
			fmt.Fprintf(&b, " skip=%s", d.Skip)
		}
		if d.SkipTo != "" {
			fmt.Fprintf(&b, " %s", d.SkipTo)
		}
		if d.To != "" {
			fmt.Fprintf(&b, " to=%s", d.To)
		}
		if d.Pattern != nil {
			fmt.Fprintf(&b, "\n  pattern %s", dumpPattern(d.Pattern))
		}
		if d.Emit != nil {
			fmt.Fprintf(&b, "\n  emit %s", dumpRecord(d.Emit))
		}
		if d.TimeoutEmit != nil {
			fmt.Fprintf(&b, "\n  timeout emit %s", dumpRecord(d.TimeoutEmit))
		}
	}
	return b.String()
}

func dumpRecord(r *Record) string {
	var s []string
	for _, f := range r.Fields {
		s = append(s, f.Name+": "+sexpr(f.Expr))
	}
	return "{" + strings.Join(s, ", ") + "}"
}

func dumpPattern(p *Pattern) string {
	var b strings.Builder
	for i, e := range p.Elements {
		if i > 0 {
			fmt.Fprintf(&b, " %s ", e.Op)
		}
		if e.Not {
			b.WriteString("not ")
		}
		if e.Step != nil {
			fmt.Fprintf(&b, "%s:%s", e.Step.Name, e.Step.Stream)
			if e.Step.Cond != nil {
				fmt.Fprintf(&b, "[%s]", sexpr(e.Step.Cond))
			}
		} else {
			fmt.Fprintf(&b, "(%s)", dumpPattern(e.Group))
		}
		if q := e.Quant; q != nil {
			fmt.Fprintf(&b, "{%d,%d", q.Min, q.Max)
			for _, flag := range []struct {
				on   bool
				word string
			}{{q.Optional, "optional"}, {q.Greedy, "greedy"}, {q.Consecutive, "consecutive"}, {q.Combinations, "combinations"}} {
				if flag.on {
					b.WriteString(" " + flag.word)
				}
			}
			if q.Until != nil {
				fmt.Fprintf(&b, " until(%s)", sexpr(q.Until))
			}
			b.WriteString("}")
		}
	}
	return b.String()
}

// sexpr prints an expression as an S-expression; durations print in the
// largest unit that divides them.
func sexpr(n expr.Node) string {
	list := func(head string, xs ...expr.Node) string {
		s := []string{head}
		for _, x := range xs {
			s = append(s, sexpr(x))
		}
		return "(" + strings.Join(s, " ") + ")"
	}
	switch n := n.(type) {
	case nil:
		return "<nil>"
	case *expr.Lit:
		v := n.Val
		switch v.Type {
		case expr.Null:
			return "null"
		case expr.Bool:
			return strconv.FormatBool(v.I != 0)
		case expr.Int:
			return strconv.FormatInt(v.I, 10)
		case expr.Float:
			s := strconv.FormatFloat(v.F, 'f', -1, 64)
			if !strings.Contains(s, ".") {
				s += ".0"
			}
			return s
		case expr.String:
			return strconv.Quote(v.S)
		case expr.Duration:
			for _, u := range durationUnits {
				if v.I != 0 && v.I%u.ms == 0 {
					return fmt.Sprintf("%d%s", v.I/u.ms, u.name)
				}
			}
			return fmt.Sprintf("%dms", v.I)
		}
		return fmt.Sprintf("lit(%v)", v)
	case *expr.Name:
		return n.Name
	case *expr.Selector:
		return "(. " + sexpr(n.X) + " " + n.Field + ")"
	case *expr.Index:
		return list("index", append([]expr.Node{n.X}, n.Keys...)...)
	case *expr.Call:
		return list("call "+n.Fn, n.Args...)
	case *expr.Unary:
		return list(n.Op, n.X)
	case *expr.Binary:
		return list(n.Op, n.L, n.R)
	case *expr.In:
		return list("in", append([]expr.Node{n.X}, n.List...)...)
	case *expr.Between:
		return list("between", n.X, n.Lo, n.Hi)
	case *expr.IsNull:
		if n.Not {
			return list("notnull", n.X)
		}
		return list("isnull", n.X)
	}
	return fmt.Sprintf("%T", n)
}

// TestParseSLLSuffices checks that valid files never need the slower LL
// stage, which only errors should reach.
func TestParseSLLSuffices(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "parse", "*.krl"))
	before := llParses.Load()
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, errs := Parse(name, src); errs != nil {
			t.Fatal(errs)
		}
	}
	if n := llParses.Load() - before; n != 0 {
		t.Errorf("%d valid files needed LL prediction", n)
	}
}

func TestParseConcurrent(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "parse", "ruleset.krl"))
	if err != nil {
		t.Fatal(err)
	}
	bad, err := os.ReadFile(filepath.Join("testdata", "parse", "errors", "syntax.krl"))
	if err != nil {
		t.Fatal(err)
	}
	want := dump(mustParse(t, string(good)))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				if f, errs := Parse("test.krl", good); errs != nil || dump(f) != want {
					t.Errorf("concurrent parse differs: %v", errs)
				}
				if _, errs := Parse("bad.krl", bad); len(errs) != 6 {
					t.Errorf("concurrent parse found %d errors, want 6", len(errs))
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"spec_rule.krl", "ruleset.krl", "errors/syntax.krl"} {
		src, err := os.ReadFile(filepath.Join("testdata", "parse", name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				Parse(name, src)
			}
		})
	}
}

func TestParseNegatedStepPositions(t *testing.T) {
	f := mustParse(t, "rule r pattern a: t -> not b: t")
	el := f.Decls[0].(*RuleDecl).Pattern.Elements[1]
	if want := (Pos{File: "test.krl", Line: 1, Col: 24}); el.At != want {
		t.Errorf("element at %v, want %v (its not)", el.At, want)
	}
	if want := (Pos{File: "test.krl", Line: 1, Col: 28}); el.Step.At != want {
		t.Errorf("step at %v, want %v (its name)", el.Step.At, want)
	}
}
