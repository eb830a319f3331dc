package expr

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// parse is a small parser of KRL expressions for tests, so that cases can be
// written as text with positions (line 1, columns from 1). Binary, In,
// Between and IsNull nodes are at their operator; the others at their first
// token. Precedence as in the language spec.
func parse(t testing.TB, src string) Node {
	t.Helper()
	p := &parser{src: src}
	p.next()
	n := p.expr()
	if p.tok != "" {
		p.fail("unexpected %q", p.tok)
	}
	if p.err != nil {
		t.Fatalf("parse %q: %v", src, p.err)
	}
	return n
}

type parser struct {
	src  string
	off  int    // offset after tok
	tok  string // "" at the end
	kind byte   // 'n' name, '1' number, '"' string, 'o' operator
	at   Pos
	err  error
}

func (p *parser) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("col %d: %s", p.at.Col, fmt.Sprintf(format, args...))
	}
	p.tok = ""
}

func (p *parser) next() {
	for p.off < len(p.src) && p.src[p.off] == ' ' {
		p.off++
	}
	p.at = Pos{Line: 1, Col: p.off + 1}
	if p.off >= len(p.src) {
		p.tok = ""
		return
	}
	start := p.off
	c := rune(p.src[p.off])
	switch {
	case unicode.IsLetter(c) || c == '_' || c == '$':
		for p.off < len(p.src) && (isWord(rune(p.src[p.off]))) {
			p.off++
		}
		p.kind = 'n'
	case unicode.IsDigit(c):
		for p.off < len(p.src) && (isWord(rune(p.src[p.off])) || p.src[p.off] == '.') {
			p.off++
		}
		p.kind = '1'
	case c == '"':
		p.off++
		for p.off < len(p.src) && p.src[p.off] != '"' {
			if p.src[p.off] == '\\' {
				p.off++
			}
			p.off++
		}
		p.off++
		p.kind = '"'
	default:
		p.off++
		if p.off < len(p.src) && strings.ContainsRune("<>=!", c) && p.src[p.off] == '=' {
			p.off++
		}
		p.kind = 'o'
	}
	p.tok = p.src[start:min(p.off, len(p.src))]
}

func isWord(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_' }

func (p *parser) expect(tok string) {
	if p.tok != tok {
		p.fail("expected %q, got %q", tok, p.tok)
	}
	p.next()
}

func (p *parser) expr() Node { return p.binary(0) }

var levels = [][]string{{"or"}, {"and"}}

func (p *parser) binary(level int) Node {
	if level == len(levels) {
		return p.not()
	}
	l := p.binary(level + 1)
	for p.err == nil && p.kind == 'n' && p.tok == levels[level][0] {
		op, at := p.tok, p.at
		p.next()
		l = &Binary{At: at, Op: op, L: l, R: p.binary(level + 1)}
	}
	return l
}

func (p *parser) not() Node {
	if p.kind == 'n' && p.tok == "not" {
		at := p.at
		p.next()
		return &Unary{At: at, Op: "not", X: p.not()}
	}
	return p.comparison()
}

func (p *parser) comparison() Node {
	l := p.additive()
	at := p.at
	switch {
	case p.kind == 'o' && strings.Contains(" == != < <= > >= ", " "+p.tok+" "):
		op := p.tok
		p.next()
		return &Binary{At: at, Op: op, L: l, R: p.additive()}
	case p.tok == "in":
		p.next()
		return &In{At: at, X: l, List: p.list("[", "]")}
	case p.tok == "between":
		p.next()
		lo := p.additive()
		p.expect("and")
		return &Between{At: at, X: l, Lo: lo, Hi: p.additive()}
	case p.tok == "is":
		p.next()
		not := p.tok == "not"
		if not {
			p.next()
		}
		p.expect("null")
		return &IsNull{At: at, X: l, Not: not}
	}
	return l
}

func (p *parser) additive() Node {
	l := p.multiplicative()
	for p.err == nil && (p.tok == "+" || p.tok == "-") {
		op, at := p.tok, p.at
		p.next()
		l = &Binary{At: at, Op: op, L: l, R: p.multiplicative()}
	}
	return l
}

func (p *parser) multiplicative() Node {
	l := p.unary()
	for p.err == nil && (p.tok == "*" || p.tok == "/" || p.tok == "%") {
		op, at := p.tok, p.at
		p.next()
		l = &Binary{At: at, Op: op, L: l, R: p.unary()}
	}
	return l
}

func (p *parser) unary() Node {
	if p.tok == "-" {
		at := p.at
		p.next()
		return &Unary{At: at, Op: "-", X: p.unary()}
	}
	return p.postfix()
}

func (p *parser) postfix() Node {
	x := p.primary()
	for p.err == nil {
		switch p.tok {
		case ".":
			at := p.at
			p.next()
			x = &Selector{At: at, X: x, Field: p.tok}
			p.next()
		case "[":
			at := p.at
			x = &Index{At: at, X: x, Keys: p.list("[", "]")}
		default:
			return x
		}
	}
	return x
}

func (p *parser) list(open, close string) []Node {
	p.expect(open)
	var xs []Node
	for p.err == nil && p.tok != close {
		xs = append(xs, p.expr())
		if p.tok != "," {
			break
		}
		p.next()
	}
	p.expect(close)
	return xs
}

func (p *parser) primary() Node {
	at, tok := p.at, p.tok
	switch p.kind {
	case '"':
		p.next()
		s, err := strconv.Unquote(tok)
		if err != nil {
			p.fail("bad string %s", tok)
		}
		return &Lit{At: at, Val: StringValue(s)}
	case '1':
		p.next()
		if i, err := strconv.ParseInt(tok, 10, 64); err == nil {
			return &Lit{At: at, Val: IntValue(i)}
		}
		if f, err := strconv.ParseFloat(tok, 64); err == nil {
			return &Lit{At: at, Val: FloatValue(f)}
		}
		return &Lit{At: at, Val: DurationValue(parseDuration(p, tok))}
	case 'n':
		p.next()
		switch tok {
		case "true", "false":
			return &Lit{At: at, Val: BoolValue(tok == "true")}
		case "null":
			return &Lit{At: at, Val: Value{}}
		}
		if p.tok == "(" {
			return &Call{At: at, Fn: tok, Args: p.list("(", ")")}
		}
		return &Name{At: at, Name: tok}
	}
	if tok == "(" {
		p.next()
		x := p.expr()
		p.expect(")")
		return x
	}
	p.fail("unexpected %q", tok)
	return &Lit{At: at}
}

func parseDuration(p *parser, s string) int64 {
	var total int64
	for s != "" {
		i := strings.IndexFunc(s, unicode.IsLetter)
		j := strings.IndexFunc(s[max(i, 0):], unicode.IsDigit)
		if i <= 0 {
			p.fail("bad duration")
			return 0
		}
		if j < 0 {
			j = len(s) - i
		}
		n, _ := strconv.ParseInt(s[:i], 10, 64)
		unit := map[string]int64{"ms": 1, "s": 1000, "m": 60000, "h": 3600000, "d": 86400000}[s[i:i+j]]
		if unit == 0 {
			p.fail("bad duration unit %q", s[i:i+j])
		}
		total += n * unit
		s = s[i+j:]
	}
	return total
}

func TestParseHelper(t *testing.T) {
	for src, want := range map[string]string{
		`a + b * -c`:       "(a + (b * -c))",
		`not a and b or c`: "((not a and b) or c)",
		`x in [1, 2.5, "s"] and y between 1 and 2`: `(x in [1, 2.5, "s"] and y between 1 and 2)`,
		`first(s).amount > 1h30m`:                  "(first(s).amount > 1h30m)",
		`t[k, 2].f is not null`:                    "t[k, 2].f is not null",
		`(a or b) and c`:                           "((a or b) and c)",
	} {
		if got := format(parse(t, src)); got != want {
			t.Errorf("%s: got %s, want %s", src, got, want)
		}
	}
}
