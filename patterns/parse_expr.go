package patterns

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/antlr4-go/antlr/v4"

	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/grammar"
)

// This file walks expressions and reads literals: numbers, strings, durations.

func (p *parser) expr(ctx grammar.IExprContext) expr.Node {
	return p.chain(ctx, func(c antlr.Tree) expr.Node { return p.andExpr(c.(grammar.IAndExprContext)) })
}

func (p *parser) andExpr(ctx grammar.IAndExprContext) expr.Node {
	return p.chain(ctx, func(c antlr.Tree) expr.Node { return p.notExpr(c.(grammar.INotExprContext)) })
}

func (p *parser) addExpr(ctx grammar.IAddExprContext) expr.Node {
	return p.chain(ctx, func(c antlr.Tree) expr.Node { return p.mulExpr(c.(grammar.IMulExprContext)) })
}

func (p *parser) mulExpr(ctx grammar.IMulExprContext) expr.Node {
	return p.chain(ctx, func(c antlr.Tree) expr.Node { return p.unaryExpr(c.(grammar.IUnaryExprContext)) })
}

// chain folds `x op y op z` left-associatively; the children of ctx alternate
// operands and operator tokens.
func (p *parser) chain(ctx antlr.ParserRuleContext, operand func(antlr.Tree) expr.Node) expr.Node {
	var x expr.Node
	var op antlr.Token
	for _, c := range ctx.GetChildren() {
		if t, ok := c.(antlr.TerminalNode); ok {
			op = t.GetSymbol()
			continue
		}
		y := operand(c)
		if x == nil {
			x = y
		} else {
			x = &expr.Binary{At: p.epos(op), Op: op.GetText(), L: x, R: y}
		}
	}
	return x
}

func (p *parser) notExpr(ctx grammar.INotExprContext) expr.Node {
	if ctx.NOT() != nil {
		return &expr.Unary{At: p.epos(ctx.GetStart()), Op: "not", X: p.notExpr(ctx.NotExpr())}
	}
	return p.cmpExpr(ctx.CmpExpr())
}

func (p *parser) cmpExpr(ctx grammar.ICmpExprContext) expr.Node {
	x := p.addExpr(ctx.AddExpr())
	switch t := ctx.CmpTail().(type) {
	case *grammar.CompareContext:
		return &expr.Binary{At: p.epos(t.GetOp()), Op: t.GetOp().GetText(), L: x, R: p.addExpr(t.AddExpr())}
	case *grammar.InListContext:
		in := &expr.In{At: p.epos(t.GetStart()), X: x}
		for _, e := range t.AllExpr() {
			in.List = append(in.List, p.expr(e))
		}
		return in
	case *grammar.BetweenContext:
		return &expr.Between{At: p.epos(t.GetStart()), X: x, Lo: p.addExpr(t.AddExpr(0)), Hi: p.addExpr(t.AddExpr(1))}
	case *grammar.IsNullContext:
		return &expr.IsNull{At: p.epos(t.GetStart()), X: x, Not: t.NOT() != nil}
	}
	return x // no comparison
}

func (p *parser) unaryExpr(ctx grammar.IUnaryExprContext) expr.Node {
	if ctx.MINUS() != nil {
		return &expr.Unary{At: p.epos(ctx.GetStart()), Op: "-", X: p.unaryExpr(ctx.UnaryExpr())}
	}
	return p.postfixExpr(ctx.PostfixExpr())
}

// postfixExpr builds selectors and indexes, each at its "." or "[", as
// operators are.
func (p *parser) postfixExpr(ctx grammar.IPostfixExprContext) expr.Node {
	x := p.primary(ctx.Primary())
	for _, pf := range ctx.AllPostfix() {
		at := p.epos(pf.GetStart())
		switch pf := pf.(type) {
		case *grammar.SelectorContext:
			x = &expr.Selector{At: at, X: x, Field: p.name(pf.Name())}
		case *grammar.IndexContext:
			ix := &expr.Index{At: at, X: x}
			for _, k := range pf.AllExpr() {
				ix.Keys = append(ix.Keys, p.expr(k))
			}
			x = ix
		}
	}
	return x
}

func (p *parser) primary(ctx grammar.IPrimaryContext) expr.Node {
	switch ctx := ctx.(type) {
	case *grammar.LiteralPrimaryContext:
		return p.literal(ctx.Literal().GetStart())
	case *grammar.CallContext:
		c := &expr.Call{At: p.epos(ctx.GetStart()), Fn: p.name(ctx.ExprName())}
		for _, a := range ctx.AllExpr() {
			c.Args = append(c.Args, p.expr(a))
		}
		return c
	case *grammar.NamePrimaryContext:
		return &expr.Name{At: p.epos(ctx.GetStart()), Name: p.name(ctx.ExprName())}
	case *grammar.ParenContext:
		return p.expr(ctx.Expr())
	}
	panic("unknown primary expression " + ctx.GetText())
}

func (p *parser) literal(t antlr.Token) expr.Node {
	lit := &expr.Lit{At: p.epos(t)}
	text := t.GetText()
	switch t.GetTokenType() {
	case grammar.KRLParserINT:
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			p.errorf(t, "integer %s is too large; the largest is %d", text, int64(math.MaxInt64))
			break
		}
		lit.Val = expr.IntValue(n)
	case grammar.KRLParserFLOAT:
		f, err := strconv.ParseFloat(text, 64)
		if err != nil && errors.Is(err, strconv.ErrRange) && math.IsInf(f, 0) {
			p.errorf(t, "number %s is too large", text)
			break
		}
		lit.Val = expr.FloatValue(f) // an underflow reads as 0, as in Go
	case grammar.KRLParserSTRING:
		lit.Val = expr.StringValue(p.unquote(t))
	case grammar.KRLParserDURATION:
		lit.Val = expr.DurationValue(p.duration(t))
	case grammar.KRLParserTRUE:
		lit.Val = expr.BoolValue(true)
	case grammar.KRLParserFALSE:
		lit.Val = expr.BoolValue(false)
	case grammar.KRLParserNULL:
		// the zero Value is null
	}
	return lit
}

// unquote returns the value of a string token, reporting each bad escape at
// its own column. Strings never span lines, so the column is the token's
// plus the offset in characters.
func (p *parser) unquote(t antlr.Token) string {
	runes := []rune(t.GetText())
	runes = runes[1 : len(runes)-1] // the lexer guarantees both quotes
	col := t.GetColumn() + 2        // 1-based column of runes[0]
	bad := func(i int, format string, args ...any) {
		p.errorAt(Pos{File: p.file, Line: t.GetLine(), Col: col + i}, format, args...)
	}
	var b strings.Builder
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		if r != '\\' {
			b.WriteRune(r)
			continue
		}
		// The lexer guarantees a character after every backslash.
		i++
		switch runes[i] {
		case '"', '\\':
			b.WriteRune(runes[i])
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := uEscape(runes[i-1:])
			if !ok {
				bad(i-1, `invalid escape: \u must be followed by four hexadecimal digits, as in \u00e9`)
				continue
			}
			i += 4
			if utf16.IsSurrogate(r) {
				// A pair such as \uD83D\uDE00, as JSON writes characters beyond U+FFFF.
				if r2, ok := uEscape(runes[i+1:]); ok {
					if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
						b.WriteRune(pair)
						i += 6
						continue
					}
				}
				bad(i-5, `invalid escape: \u%04X is half of a UTF-16 surrogate pair`, r)
				continue
			}
			b.WriteRune(r)
		default:
			bad(i-1, `invalid escape \%c in a string; use \" \\ \n \t or \uXXXX`, runes[i])
		}
	}
	return b.String()
}

// uEscape reads \uXXXX at the start of runes.
func uEscape(runes []rune) (rune, bool) {
	if len(runes) < 6 || runes[0] != '\\' || runes[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, d := range runes[2:6] {
		switch {
		case '0' <= d && d <= '9':
			d -= '0'
		case 'a' <= d && d <= 'f':
			d -= 'a' - 10
		case 'A' <= d && d <= 'F':
			d -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | d
	}
	return r, true
}

// Duration units, largest first, in milliseconds.
var durationUnits = []struct {
	name string
	ms   int64
}{{"d", 86_400_000}, {"h", 3_600_000}, {"m", 60_000}, {"s", 1000}, {"ms", 1}}

// duration reads a DURATION token such as 250ms or 1h30m into milliseconds.
// Units must go from largest to smallest, each at most once.
func (p *parser) duration(t antlr.Token) int64 {
	text := t.GetText()
	var total int64
	last := -1 // index in durationUnits of the previous unit
	for s := text; s != ""; {
		i := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		digits := s[:i]
		s = s[i:]
		unit := -1
		switch {
		case strings.HasPrefix(s, "ms"):
			unit = len(durationUnits) - 1
		case s != "":
			unit = strings.IndexByte("dhms", s[0]) // the order of durationUnits
		}
		if unit < 0 || digits == "" { // cannot happen for a DURATION token
			p.errorf(t, "%q is not a duration", text)
			return 0
		}
		s = s[len(durationUnits[unit].name):]
		if unit <= last {
			p.errorf(t, "duration %s: units must go from the largest to the smallest, each at most once, as in 1h30m", text)
			return 0
		}
		last = unit
		n, err := strconv.ParseInt(digits, 10, 64)
		ms := durationUnits[unit].ms
		if err != nil || n > (math.MaxInt64-total)/ms {
			p.errorf(t, "duration %s is too long", text)
			return 0
		}
		total += n * ms
	}
	return total
}
