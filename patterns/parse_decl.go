package patterns

import (
	"strconv"
	"strings"

	"github.com/antlr4-go/antlr/v4"

	"github.com/kestrelcep/kestrel/grammar"
)

// This file walks the declarations and patterns of a parse tree without
// syntax errors into the AST. Every accessor used here is therefore non-nil
// where the grammar requires the element.

func (p *parser) fileDecl(ctx grammar.IFileContext) *File {
	f := &File{Name: p.file}
	for _, d := range ctx.AllDecl() {
		switch d := d.GetChild(0).(type) {
		case *grammar.StreamDeclContext:
			f.Decls = append(f.Decls, p.streamDecl(d))
		case *grammar.TableDeclContext:
			f.Decls = append(f.Decls, p.tableDecl(d))
		case *grammar.FeatureDeclContext:
			f.Decls = append(f.Decls, p.featureDecl(d))
		case *grammar.RuleDeclContext:
			f.Decls = append(f.Decls, p.ruleDecl(d))
		}
	}
	return f
}

// name returns the text of a name: an identifier, a keyword, or the text
// between backquotes.
func (p *parser) name(ctx antlr.ParserRuleContext) string {
	t := ctx.GetStart()
	text := t.GetText()
	if t.GetTokenType() == grammar.KRLParserBACKQUOTED {
		text = text[1 : len(text)-1]
		if text == "" {
			p.errorf(t, "empty name: write something between the backquotes")
		}
	}
	return text
}

func (p *parser) namePos(ctx antlr.ParserRuleContext) Pos { return p.pos(ctx.GetStart()) }

func (p *parser) nameList(ctx grammar.INameListContext) []string {
	var names []string
	for _, n := range ctx.AllName() {
		names = append(names, p.name(n))
	}
	return names
}

func (p *parser) fieldDecls(fields []grammar.IFieldDeclContext) []FieldDecl {
	var out []FieldDecl
	for _, f := range fields {
		out = append(out, FieldDecl{At: p.namePos(f.Name(0)), Name: p.name(f.Name(0)), Type: p.name(f.Name(1))})
	}
	return out
}

// clauses detects a clause given twice in one declaration.
type clauses map[string]bool

// once reports whether the clause that starts at kw is new; if not, it
// records an error.
func (p *parser) once(seen clauses, clause string, kw antlr.Token, kind, name string) bool {
	if seen[clause] {
		p.errorf(kw, "%q is given twice in %s %s; clauses may come in any order, each at most once", clause, kind, name)
		return false
	}
	seen[clause] = true
	return true
}

func (p *parser) streamDecl(ctx *grammar.StreamDeclContext) *StreamDecl {
	d := &StreamDecl{
		At:     p.namePos(ctx.Name()),
		Name:   p.name(ctx.Name()),
		Fields: p.fieldDecls(ctx.AllFieldDecl()),
		Source: p.source(ctx),
	}
	seen := clauses{}
	for _, c := range ctx.AllStreamClause() {
		kw := c.GetStart()
		if !p.once(seen, kw.GetText(), kw, "stream", d.Name) {
			continue
		}
		switch c := c.(type) {
		case *grammar.StreamIDContext:
			d.ID, d.IDAt = p.name(c.Name()), p.namePos(c.Name())
		case *grammar.StreamTimestampContext:
			d.Timestamp, d.TimestampAt = p.name(c.Name()), p.namePos(c.Name())
		case *grammar.StreamWatermarkContext:
			d.Watermark = p.duration(c.DURATION().GetSymbol())
		case *grammar.StreamLatenessContext:
			d.Lateness = p.duration(c.DURATION().GetSymbol())
		}
	}
	return d
}

func (p *parser) tableDecl(ctx *grammar.TableDeclContext) *TableDecl {
	return &TableDecl{
		At:     p.namePos(ctx.Name()),
		Name:   p.name(ctx.Name()),
		Fields: p.fieldDecls(ctx.AllFieldDecl()),
		Keys:   p.nameList(ctx.NameList()),
		KeysAt: p.namePos(ctx.NameList()),
		Source: p.source(ctx),
	}
}

var aggregations = []string{"count", "sum", "avg", "min", "max", "stddev", "distinct_count", "first", "last"}

func (p *parser) featureDecl(ctx *grammar.FeatureDeclContext) *FeatureDecl {
	d := &FeatureDecl{
		At:       p.namePos(ctx.Name(0)),
		Name:     p.name(ctx.Name(0)),
		Stream:   p.name(ctx.Name(1)),
		StreamAt: p.namePos(ctx.Name(1)),
		Source:   p.source(ctx),
	}
	p.aggregation(d, ctx.Aggregation())
	if ctx.Expr() != nil {
		d.Filter = p.expr(ctx.Expr())
	}
	if ctx.NameList() != nil {
		d.By, d.ByAt = p.nameList(ctx.NameList()), p.namePos(ctx.NameList())
	}
	if w := ctx.Window(); w != nil {
		kind := w.GetStart()
		d.Window = &Window{
			At:   p.pos(kind),
			Kind: kind.GetText(),
			Size: p.duration(w.DURATION(0).GetSymbol()),
		}
		if w.EVERY() != nil {
			d.Window.Every = p.duration(w.DURATION(1).GetSymbol())
		}
		if t := tokenAfter(ctx, grammar.KRLParserOFFSET); t != nil {
			d.Window.Offset = p.duration(t)
		}
	}
	if ctx.EMIT() != nil {
		d.Emit = true
		if t := tokenAfter(ctx, grammar.KRLParserEVERY); t != nil {
			d.EmitEvery = p.duration(t)
		}
	}
	return d
}

// tokenAfter returns the token that follows the first direct child token of
// the given type, or nil.
func tokenAfter(ctx antlr.ParserRuleContext, tokenType int) antlr.Token {
	kids := ctx.GetChildren()
	for i, k := range kids {
		if t, ok := k.(antlr.TerminalNode); ok && t.GetSymbol().GetTokenType() == tokenType && i+1 < len(kids) {
			if next, ok := kids[i+1].(antlr.TerminalNode); ok {
				return next.GetSymbol()
			}
		}
	}
	return nil
}

func (p *parser) aggregation(d *FeatureDecl, ctx grammar.IAggregationContext) {
	d.Agg, d.AggAt = p.name(ctx.Name()), p.namePos(ctx.Name())
	args := ctx.AllExpr()
	known := false
	for _, a := range aggregations {
		known = known || a == d.Agg
	}
	switch {
	case !known:
		p.errorAt(d.AggAt, "unknown aggregation %q; use %s", d.Agg, joinOr(aggregations))
		d.Agg = ""
		return
	case d.Agg == "count" && len(args) > 1:
		p.errorAt(d.AggAt, "count takes at most one argument: count() counts events, count(x) the events where x is not null")
		return
	case d.Agg != "count" && len(args) != 1:
		p.errorAt(d.AggAt, "%s takes one argument, such as %s(amount)", d.Agg, d.Agg)
		return
	}
	if len(args) == 1 {
		d.Arg = p.expr(args[0])
	}
}

var severities = []string{"low", "medium", "high", "critical"}

func (p *parser) ruleDecl(ctx *grammar.RuleDeclContext) *RuleDecl {
	d := &RuleDecl{
		At:     p.namePos(ctx.Name()),
		Name:   p.name(ctx.Name()),
		Source: p.source(ctx),
	}
	seen := clauses{}
	for _, c := range ctx.AllRuleClause() {
		kw := c.GetStart()
		clause := kw.GetText()
		if _, ok := c.(*grammar.TimeoutClauseContext); ok {
			clause = "timeout emit"
		}
		if !p.once(seen, clause, kw, "rule", d.Name) {
			continue
		}
		switch c := c.(type) {
		case *grammar.SeverityClauseContext:
			sev := p.name(c.Name())
			if !oneOf(sev, severities) {
				p.errorAt(p.namePos(c.Name()), "unknown severity %q; use %s", sev, joinOr(severities))
				break
			}
			d.Severity = sev
		case *grammar.ByClauseContext:
			d.By, d.ByAt = p.nameList(c.NameList()), p.namePos(c.NameList())
		case *grammar.PatternClauseContext:
			d.Pattern = p.pattern(c.Pattern())
		case *grammar.WithinClauseContext:
			d.Within = p.duration(c.DURATION().GetSymbol())
			d.WithinGap = c.GAP() != nil
			d.WithinAt = p.pos(kw)
		case *grammar.SkipClauseContext:
			s := c.SkipStrategy()
			d.Skip = s.GetStart().GetText()
			if s.Name() != nil {
				d.SkipTo = p.name(s.Name())
			}
			d.SkipAt = p.pos(kw)
		case *grammar.EmitClauseContext:
			d.Emit = p.record(c.Record())
		case *grammar.TimeoutClauseContext:
			d.TimeoutEmit = p.record(c.Record())
		case *grammar.ToClauseContext:
			d.To = p.name(c.Name())
		}
	}
	return d
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

func (p *parser) record(ctx grammar.IRecordContext) *Record {
	r := &Record{At: p.pos(ctx.GetStart())}
	for _, f := range ctx.AllRecordField() {
		r.Fields = append(r.Fields, RecordField{
			At:   p.namePos(f.Name()),
			Name: p.name(f.Name()),
			Expr: p.expr(f.Expr()),
		})
	}
	return r
}

func (p *parser) pattern(ctx grammar.IPatternContext) *Pattern {
	pat := &Pattern{At: p.pos(ctx.GetStart())}
	ops := ctx.AllPatternOp()
	for i, e := range ctx.AllElement() {
		el := p.element(e)
		if i > 0 {
			el.Op = ops[i-1].GetText()
		}
		pat.Elements = append(pat.Elements, el)
	}
	return pat
}

func (p *parser) element(ctx grammar.IElementContext) *Element {
	el := &Element{At: p.pos(ctx.GetStart())}
	switch ctx := ctx.(type) {
	case *grammar.StepElementContext:
		el.Not = ctx.NOT() != nil
		s := ctx.Step()
		el.Step = &Step{
			At:       p.namePos(s.Name(0)),
			Name:     p.name(s.Name(0)),
			Stream:   p.name(s.Name(1)),
			StreamAt: p.namePos(s.Name(1)),
		}
		if s.Expr() != nil {
			el.Step.Cond = p.expr(s.Expr())
		}
		if s.Quantifier() != nil {
			el.Quant = p.quantifier(s.Quantifier())
		}
	case *grammar.GroupElementContext:
		el.Group = p.pattern(ctx.Pattern())
		if ctx.Quantifier() != nil {
			el.Quant = p.quantifier(ctx.Quantifier())
		}
	}
	return el
}

// quantifier normalizes a quantifier as Flink sees it (see Quantifier).
func (p *parser) quantifier(ctx grammar.IQuantifierContext) *Quantifier {
	q := &Quantifier{At: p.pos(ctx.GetStart())}
	switch {
	case ctx.QUESTION() != nil:
		q.Min, q.Max, q.Optional = 1, 1, true
	case ctx.PLUS() != nil:
		q.Min, q.Max = 1, -1
	case ctx.STAR() != nil:
		q.Min, q.Max, q.Optional = 1, -1, true
	default:
		p.repeat(q, ctx.Repeat())
	}
	seen := map[string]bool{}
	for _, m := range ctx.AllModifier() {
		word := m.GetStart()
		if seen[word.GetText()] {
			p.errorf(word, "%q is given twice in one quantifier", word.GetText())
			continue
		}
		seen[word.GetText()] = true
		switch word.GetTokenType() {
		case grammar.KRLParserGREEDY:
			q.Greedy = true
		case grammar.KRLParserCONSECUTIVE:
			q.Consecutive = true
		case grammar.KRLParserCOMBINATIONS:
			q.Combinations = true
		case grammar.KRLParserOPTIONAL:
			q.Optional = true
		case grammar.KRLParserUNTIL:
			q.Until = p.expr(m.Expr())
		}
	}
	return q
}

// repeat fills q from {n}, {n,} or {n,m}.
func (p *parser) repeat(q *Quantifier, ctx grammar.IRepeatContext) {
	text := p.source(ctx)
	lo, ok := p.bound(ctx.GetLo(), text)
	if !ok {
		return
	}
	hi := lo // {n}
	if ctx.COMMA() != nil {
		hi = -1 // {n,}
		if ctx.GetHi() != nil {
			if hi, ok = p.bound(ctx.GetHi(), text); !ok {
				return
			}
		}
	}
	switch {
	case hi == 0:
		p.errorAt(q.At, "%s matches nothing; a repetition needs a count of at least 1", text)
		return
	case hi != -1 && hi < lo:
		p.errorAt(q.At, "%s: the largest count, %d, is smaller than the smallest, %d", text, hi, lo)
		return
	}
	q.Min, q.Max = lo, hi
	if lo == 0 { // Flink: times(0, m) is times(1, m).optional()
		q.Min, q.Optional = 1, true
	}
}

func (p *parser) bound(ctx grammar.IBoundContext, text string) (int, bool) {
	if ctx.MINUS() != nil {
		p.errorf(ctx.GetStart(), "%s: a repetition count cannot be negative", text)
		return 0, false
	}
	t := ctx.INT().GetSymbol()
	n, err := strconv.ParseInt(t.GetText(), 10, 32)
	if err != nil {
		p.errorf(t, "repetition count %s is too large", strings.TrimLeft(t.GetText(), "0"))
		return 0, false
	}
	return int(n), true
}
