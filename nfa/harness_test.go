package nfa

// A small text syntax for patterns, events and results, used by the
// data-driven tests (testdata/*.txt) and the property tests.
//
// Pattern, KRL-like:
//
//	a[name==c] -> b[name==a && price>2]{2,} greedy => not x[name==x] ~> (c -> d){2}
//
// A step is NAME, an optional [condition] and an optional quantifier
// (? + * {n} {n,} {n,m}) with modifiers (greedy consecutive combinations
// optional until[condition]). Conditions compare the fields name, price, id,
// label and time of the candidate event, with == != < <= > >= && || ! + -
// and contains(x, y), and read the partial match with count(s), sum(s) (of
// prices), avg(s), first(s).f and last(s).f. A bare word that is not a field
// is a string.
//
// Events: label[=name][#id][/price][@time]; the name defaults to the label
// without its trailing digits, the time to one more than the previous
// event's. "!T" advances the watermark to T ("!inf": to the end of time).

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

type tev struct {
	label string
	name  string
	id    int
	price float64
	time  int64
}

// ---- conditions ----

type cval struct {
	num   float64
	str   string
	isStr bool
	null  bool
}

type cexpr func(c *Context, ev *tev) cval

type condParser struct {
	toks  []string
	i     int
	steps map[string]int
}

func tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		r := rune(s[i])
		switch {
		case unicode.IsSpace(r):
			i++
		case unicode.IsLetter(r) || r == '_':
			j := i
			for j < len(s) && (unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j])) || s[j] == '_') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		case unicode.IsDigit(r):
			j := i
			for j < len(s) && (unicode.IsDigit(rune(s[j])) || s[j] == '.') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			if i+1 < len(s) {
				two := s[i : i+2]
				switch two {
				case "==", "!=", "<=", ">=", "&&", "||", "->", "=>", "~>":
					toks = append(toks, two)
					i += 2
					continue
				}
			}
			toks = append(toks, s[i:i+1])
			i++
		}
	}
	return toks
}

func (p *condParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *condParser) next() string {
	t := p.peek()
	p.i++
	return t
}

func (p *condParser) expect(t string) {
	if got := p.next(); got != t {
		panic(fmt.Sprintf("condition: expected %q, got %q in %v", t, got, p.toks))
	}
}

func truthy(v cval) bool { return !v.null && !v.isStr && v.num != 0 }

func boolv(b bool) cval {
	if b {
		return cval{num: 1}
	}
	return cval{}
}

func (p *condParser) or() cexpr {
	l := p.and()
	for p.peek() == "||" {
		p.next()
		a, b := l, p.and()
		l = func(c *Context, e *tev) cval { return boolv(truthy(a(c, e)) || truthy(b(c, e))) }
	}
	return l
}

func (p *condParser) and() cexpr {
	l := p.unary()
	for p.peek() == "&&" {
		p.next()
		a, b := l, p.unary()
		l = func(c *Context, e *tev) cval { return boolv(truthy(a(c, e)) && truthy(b(c, e))) }
	}
	return l
}

func (p *condParser) unary() cexpr {
	if p.peek() == "!" {
		p.next()
		a := p.unary()
		return func(c *Context, e *tev) cval { return boolv(!truthy(a(c, e))) }
	}
	return p.cmp()
}

func (p *condParser) cmp() cexpr {
	l := p.sum()
	switch op := p.peek(); op {
	case "==", "!=", "<", "<=", ">", ">=":
		p.next()
		r := p.sum()
		return func(c *Context, e *tev) cval {
			a, b := l(c, e), r(c, e)
			if a.null || b.null {
				return cval{}
			}
			var d int
			if a.isStr || b.isStr {
				d = strings.Compare(a.str, b.str)
				if !a.isStr || !b.isStr {
					d = 1 // a string is never equal to a number
				}
			} else {
				switch {
				case a.num < b.num:
					d = -1
				case a.num > b.num:
					d = 1
				}
			}
			switch op {
			case "==":
				return boolv(d == 0)
			case "!=":
				return boolv(d != 0)
			case "<":
				return boolv(d < 0)
			case "<=":
				return boolv(d <= 0)
			case ">":
				return boolv(d > 0)
			}
			return boolv(d >= 0)
		}
	}
	return l
}

func (p *condParser) sum() cexpr {
	l := p.operand()
	for p.peek() == "+" || p.peek() == "-" {
		op := p.next()
		a, b := l, p.operand()
		l = func(c *Context, e *tev) cval {
			x, y := a(c, e), b(c, e)
			if x.null || y.null {
				return cval{null: true}
			}
			if op == "+" {
				return cval{num: x.num + y.num}
			}
			return cval{num: x.num - y.num}
		}
	}
	return l
}

func field(e *tev, f string) cval {
	switch f {
	case "name":
		return cval{str: e.name, isStr: true}
	case "label":
		return cval{str: e.label, isStr: true}
	case "price":
		return cval{num: e.price}
	case "id":
		return cval{num: float64(e.id)}
	case "time":
		return cval{num: float64(e.time)}
	}
	panic("unknown field " + f)
}

func isField(s string) bool {
	switch s {
	case "name", "label", "price", "id", "time":
		return true
	}
	return false
}

func (p *condParser) operand() cexpr {
	t := p.next()
	switch {
	case t == "(":
		e := p.or()
		p.expect(")")
		return e
	case t == "-":
		a := p.operand()
		return func(c *Context, e *tev) cval { v := a(c, e); v.num = -v.num; return v }
	case t == "true":
		return func(*Context, *tev) cval { return boolv(true) }
	case t == "false":
		return func(*Context, *tev) cval { return boolv(false) }
	case len(t) > 0 && unicode.IsDigit(rune(t[0])):
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			panic(err)
		}
		return func(*Context, *tev) cval { return cval{num: f} }
	case t == "contains":
		p.expect("(")
		a := p.or()
		p.expect(",")
		b := p.or()
		p.expect(")")
		return func(c *Context, e *tev) cval {
			x, y := a(c, e), b(c, e)
			return boolv(x.isStr && y.isStr && strings.Contains(x.str, y.str))
		}
	case t == "count" || t == "sum" || t == "avg" || t == "first" || t == "last":
		p.expect("(")
		name := p.next()
		p.expect(")")
		step, ok := p.steps[name]
		if !ok {
			panic("unknown step " + name)
		}
		var f string
		if t == "first" || t == "last" {
			p.expect(".")
			f = p.next()
		}
		return func(c *Context, _ *tev) cval {
			n := c.Len(step)
			switch t {
			case "count":
				return cval{num: float64(n)}
			case "sum", "avg":
				s := 0.0
				for i := range n {
					s += c.At(step, i).(*tev).price
				}
				if t == "avg" {
					if n == 0 {
						return cval{null: true}
					}
					s /= float64(n)
				}
				return cval{num: s}
			}
			if n == 0 {
				return cval{null: true}
			}
			i := 0
			if t == "last" {
				i = n - 1
			}
			return field(c.At(step, i).(*tev), f)
		}
	case isField(t):
		return func(_ *Context, e *tev) cval { return field(e, t) }
	case len(t) > 0 && (unicode.IsLetter(rune(t[0])) || t[0] == '_'):
		return func(*Context, *tev) cval { return cval{str: t, isStr: true} }
	}
	panic(fmt.Sprintf("condition: unexpected %q in %v", t, p.toks))
}

func compileCond(src string, steps map[string]int) Condition {
	p := &condParser{toks: tokenize(src), steps: steps}
	e := p.or()
	if p.i != len(p.toks) {
		panic(fmt.Sprintf("condition: trailing %v", p.toks[p.i:]))
	}
	return func(c *Context) bool { return truthy(e(c, c.Event().(*tev))) }
}

// ---- patterns ----

type patParser struct {
	src   string
	pos   int
	steps map[string]int
}

func (p *patParser) ws() {
	for p.pos < len(p.src) && unicode.IsSpace(rune(p.src[p.pos])) {
		p.pos++
	}
}

func (p *patParser) peekStr(s string) bool {
	p.ws()
	return strings.HasPrefix(p.src[p.pos:], s)
}

func (p *patParser) eat(s string) bool {
	if p.peekStr(s) {
		p.pos += len(s)
		return true
	}
	return false
}

func (p *patParser) word() string {
	p.ws()
	j := p.pos
	for j < len(p.src) && (unicode.IsLetter(rune(p.src[j])) || unicode.IsDigit(rune(p.src[j])) || p.src[j] == '_') {
		j++
	}
	w := p.src[p.pos:j]
	p.pos = j
	return w
}

// bracket reads a [ ... ] condition text, brackets nested.
func (p *patParser) bracket() string {
	if !p.eat("[") {
		panic("expected [ at " + p.src[p.pos:])
	}
	depth, j := 1, p.pos
	for ; j < len(p.src) && depth > 0; j++ {
		switch p.src[j] {
		case '[':
			depth++
		case ']':
			depth--
		}
	}
	s := p.src[p.pos : j-1]
	p.pos = j
	return s
}

// cond compiles a condition; it may name only the steps seen so far.
func (p *patParser) cond(src string) Condition { return compileCond(src, p.steps) }

func (p *patParser) elements() []Element {
	var out []Element
	for {
		var e Element
		if len(out) > 0 {
			switch {
			case p.eat("->"):
				e.Contiguity = Relaxed
			case p.eat("=>"):
				e.Contiguity = Strict
			case p.eat("~>"):
				e.Contiguity = NonDeterministic
			default:
				return out
			}
		}
		if p.eat("(") {
			e.Group = p.elements()
			if !p.eat(")") {
				panic("expected ) at " + p.src[p.pos:])
			}
		} else {
			save := p.pos
			if w := p.word(); w == "not" {
				e.Negated = true
			} else {
				p.pos = save
			}
			e.Name = p.word()
			if e.Name == "" {
				panic("expected a step at " + p.src[p.pos:])
			}
			p.steps[e.Name] = len(p.steps)
		}
		out = append(out, e)
		last := &out[len(out)-1]
		if len(last.Group) == 0 && p.peekStr("[") {
			last.Cond = p.cond(p.bracket())
		}
		last.Quant = p.quant()
	}
}

func (p *patParser) quant() *Quantifier {
	var q *Quantifier
	switch {
	case p.eat("?"):
		q = &Quantifier{Min: 1, Max: 1, Optional: true}
	case p.eat("+"):
		q = &Quantifier{Min: 1, Max: -1}
	case p.eat("*"):
		q = &Quantifier{Min: 0, Max: -1}
	case p.eat("{"):
		q = &Quantifier{}
		q.Min = p.int()
		q.Max = q.Min
		if p.eat(",") {
			q.Max = -1
			if !p.peekStr("}") {
				q.Max = p.int()
			}
		}
		if !p.eat("}") {
			panic("expected } at " + p.src[p.pos:])
		}
	default:
		return nil
	}
	for {
		save := p.pos
		switch p.word() {
		case "greedy":
			q.Greedy = true
		case "consecutive":
			q.Consecutive = true
		case "combinations":
			q.Combinations = true
		case "optional":
			q.Optional = true
		case "until":
			q.Until = p.cond(p.bracket())
		default:
			p.pos = save
			return q
		}
	}
}

func (p *patParser) int() int {
	p.ws()
	j := p.pos
	for j < len(p.src) && unicode.IsDigit(rune(p.src[j])) {
		j++
	}
	n, err := strconv.Atoi(p.src[p.pos:j])
	if err != nil {
		panic("expected a number at " + p.src[p.pos:])
	}
	p.pos = j
	return n
}

// parsePattern parses the element list of a pattern.
func parsePattern(src string) (elems []Element, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	p := &patParser{src: src, steps: map[string]int{}}
	elems = p.elements()
	p.ws()
	if p.pos != len(p.src) {
		return nil, fmt.Errorf("unexpected %q", p.src[p.pos:])
	}
	return elems, nil
}

// ---- events ----

type inputItem struct {
	ev      *tev
	advance int64 // when ev is nil
}

func parseEvents(src string) ([]inputItem, error) {
	var items []inputItem
	t := int64(0)
	for _, tok := range strings.Fields(src) {
		if strings.HasPrefix(tok, "!") {
			if tok == "!inf" {
				items = append(items, inputItem{advance: math.MaxInt64})
				continue
			}
			v, err := strconv.ParseInt(tok[1:], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("bad advance %q", tok)
			}
			items = append(items, inputItem{advance: v})
			continue
		}
		e := &tev{}
		rest := tok
		cut := func(sep string) string {
			if i := strings.LastIndex(rest, sep); i >= 0 {
				v := rest[i+1:]
				rest = rest[:i]
				return v
			}
			return ""
		}
		t++
		if v := cut("@"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("bad time in %q", tok)
			}
			t = n
		}
		e.time = t
		if v := cut("/"); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, fmt.Errorf("bad price in %q", tok)
			}
			e.price = f
		}
		if v := cut("#"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("bad id in %q", tok)
			}
			e.id = n
		}
		if v := cut("="); v != "" {
			e.name = v
		}
		e.label = rest
		if e.name == "" {
			e.name = strings.TrimRightFunc(rest, unicode.IsDigit)
		}
		items = append(items, inputItem{ev: e})
	}
	return items, nil
}

// ---- running and printing ----

type runner struct {
	prog *Program
	st   *State
	out  Output
	seq  uint64
	res  []Match
	drop int
	// snapshot, when set, replaces the state before each step (with a
	// restored snapshot of it).
	snapshot func(*State) *State
}

func newRunner(prog *Program) *runner { return &runner{prog: prog, st: prog.NewState()} }

func (r *runner) feed(items []inputItem) {
	for _, it := range items {
		r.out.Reset()
		if r.snapshot != nil {
			r.st = r.snapshot(r.st)
		}
		if it.ev != nil {
			r.seq++
			r.st.Process(Event{Time: it.ev.time, Seq: r.seq, Data: it.ev}, &r.out)
		} else {
			r.st.AdvanceTime(it.advance, &r.out)
		}
		r.res = append(r.res, r.out.Matches...)
		r.drop += r.out.Dropped
	}
}

func fmtTime(t int64) string {
	if t == math.MaxInt64 {
		return "inf"
	}
	return strconv.FormatInt(t, 10)
}

func formatMatch(steps []string, m Match) string {
	var b strings.Builder
	if m.Timeout {
		b.WriteString("timeout@")
	} else {
		b.WriteString("match@")
	}
	b.WriteString(fmtTime(m.Time))
	for _, s := range m.Steps {
		b.WriteString(" ")
		b.WriteString(steps[s.Step])
		b.WriteString("[")
		for i, e := range s.Events {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(e.Data.(*tev).label)
		}
		b.WriteString("]")
	}
	return b.String()
}

// labelSet is a match's events as a sorted set of labels, the way Flink's
// tests compare matches.
func labelSet(m Match) string {
	var ls []string
	for _, s := range m.Steps {
		for _, e := range s.Events {
			ls = append(ls, e.Data.(*tev).label)
		}
	}
	sort.Strings(ls)
	return "{" + strings.Join(ls, " ") + "}"
}

// parseSets parses "{a b} {c d}" into sorted label sets.
func parseSets(src string) []string {
	var out []string
	for _, part := range strings.Split(src, "}") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		part = strings.TrimPrefix(part, "{")
		ls := strings.Fields(part)
		sort.Strings(ls)
		out = append(out, "{"+strings.Join(ls, " ")+"}")
	}
	sort.Strings(out)
	return out
}
