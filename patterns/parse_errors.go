package patterns

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/antlr4-go/antlr/v4"

	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/grammar"
)

// This file turns what the lexer and ANTLR find wrong into messages for a
// fraud analyst: `expected a duration such as 10m after "within", found
// "ten"` rather than `mismatched input 'ten' expecting {'gap', DURATION}`.

// lexicalErrors reports the tokens the lexer made of malformed text. The
// parser's own errors at those tokens are then dropped as duplicates.
func (p *parser) lexicalErrors(tokens *antlr.CommonTokenStream) {
	all := tokens.GetAllTokens()
	for i := 0; i < len(all); i++ {
		t := all[i]
		text := t.GetText()
		switch t.GetTokenType() {
		case grammar.KRLParserBAD_NUMBER:
			p.errorf(t, "%q is not a number or a duration; a duration is a whole number and a unit (ms, s, m, h, d), such as 10m or 1h30m", text)
		case grammar.KRLParserUNTERMINATED_STRING:
			p.errorf(t, `string is not closed: a " is missing before the end of the line`)
		case grammar.KRLParserUNTERMINATED_BACKQUOTE:
			p.errorf(t, "name is not closed: a ` is missing before the end of the line")
		case grammar.KRLParserUNTERMINATED_COMMENT:
			p.errorf(t, "comment is not closed: */ is missing")
		case grammar.KRLParserERROR_CHAR:
			// Report a run of stray characters once.
			j := i
			for j+1 < len(all) && all[j+1].GetTokenType() == grammar.KRLParserERROR_CHAR &&
				all[j+1].GetStart() == all[j].GetStop()+1 && all[j+1].GetLine() == t.GetLine() {
				j++
				text += all[j].GetText()
			}
			i = j
			p.errorf(t, "%s%s", unexpectedChars(text), charHint(text))
		}
	}
}

func isLexicalError(tokenType int) bool {
	switch tokenType {
	case grammar.KRLParserBAD_NUMBER, grammar.KRLParserUNTERMINATED_STRING,
		grammar.KRLParserUNTERMINATED_BACKQUOTE, grammar.KRLParserUNTERMINATED_COMMENT,
		grammar.KRLParserERROR_CHAR:
		return true
	}
	return false
}

func unexpectedChars(text string) string {
	var quoted string
	if strings.IndexFunc(text, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		quoted = fmt.Sprintf("%+q", text) // invisible characters as \x.. or \u....
	} else {
		quoted = `"` + text + `"`
	}
	if utf8.RuneCountInString(text) == 1 {
		return "unexpected character " + quoted
	}
	return "unexpected characters " + quoted
}

// charHint suggests the KRL spelling of what other languages write.
func charHint(text string) string {
	switch text {
	case "&&", "&":
		return `; use "and"`
	case "||", "|":
		return `; use "or"`
	case "!":
		return `; use "not", or != to compare`
	case "'":
		return `; strings are written in double quotes`
	case ";":
		return "; KRL needs no semicolons"
	}
	r, _ := utf8.DecodeRuneInString(text)
	if r > utf8.RuneSelf && unicode.IsLetter(r) {
		return "; names are made of letters A-Z and a-z, digits and _, or written in backquotes (`name`)"
	}
	return ""
}

// lexerErrorListener records lexer errors; the grammar leaves none to report.
type lexerErrorListener struct {
	*antlr.DefaultErrorListener
	p *parser
}

func (l *lexerErrorListener) SyntaxError(_ antlr.Recognizer, _ any, line, column int, msg string, _ antlr.RecognitionException) {
	l.p.errorAt(Pos{File: l.p.file, Line: line, Col: column + 1}, "%s", msg)
}

// syntaxErrorListener turns ANTLR's syntax errors into plain messages.
type syntaxErrorListener struct {
	*antlr.DefaultErrorListener
	p      *parser
	tokens *antlr.CommonTokenStream
	seen   map[int]bool // token indexes already reported
}

func (l *syntaxErrorListener) SyntaxError(rec antlr.Recognizer, sym any, line, column int, _ string, e antlr.RecognitionException) {
	tok, ok := sym.(antlr.Token)
	parser, isParser := rec.(antlr.Parser)
	if !ok || !isParser {
		l.p.errorAt(Pos{File: l.p.file, Line: line, Col: column + 1}, "syntax error")
		return
	}
	if isLexicalError(tok.GetTokenType()) {
		return // already reported by lexicalErrors
	}
	if l.seen == nil {
		l.seen = map[int]bool{}
	}
	if l.seen[tok.GetTokenIndex()] {
		return
	}
	l.seen[tok.GetTokenIndex()] = true
	l.p.errorf(tok, "%s", l.message(parser, tok, e))
}

// message says what was expected where, and what was found instead.
func (l *syntaxErrorListener) message(parser antlr.Parser, tok antlr.Token, e antlr.RecognitionException) string {
	after := ""
	if i := tok.GetTokenIndex(); i > 0 {
		after = " after " + quoteToken(l.tokens.Get(i-1))
	}
	found := describeToken(tok)

	var expected *antlr.IntervalSet
	if _, noViable := e.(*antlr.NoViableAltException); !noViable || parser.GetCurrentToken() == tok {
		// For a failed prediction that read past its first token, the
		// expected set is that of the first token, not of tok: leave it out.
		expected = parser.GetExpectedTokens()
	}
	want := describeExpected(expected)
	hint := didYouMean(tok)
	if tok.GetTokenType() == grammar.KRLParserASSIGN {
		hint = "; use == to compare" // = appears only after a feature's name
	}
	if _, top := parser.GetParserRuleContext().(*grammar.FileContext); top && tok.GetTokenIndex() > 0 {
		// Between declarations the expected set says only what may start a
		// new one, though the previous declaration could have gone on.
		want = ""
	}
	if want == "" {
		if tok.GetTokenType() == antlr.TokenEOF {
			found = "end of file"
		}
		return fmt.Sprintf("unexpected %s%s%s", found, after, hint)
	}
	return fmt.Sprintf("expected %s%s, found %s%s", want, after, found, hint)
}

func describeToken(t antlr.Token) string {
	switch t.GetTokenType() {
	case antlr.TokenEOF:
		return "the end of the file"
	case grammar.KRLParserSTRING:
		return "the string " + shorten(t.GetText())
	}
	return quoteToken(t)
}

func quoteToken(t antlr.Token) string {
	if t.GetTokenType() == antlr.TokenEOF {
		return "the end of the file"
	}
	if t.GetTokenType() == grammar.KRLParserSTRING {
		return shorten(t.GetText())
	}
	return `"` + shorten(t.GetText()) + `"`
}

func shorten(s string) string {
	const max = 30
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}

func contains(set *antlr.IntervalSet, tokenType int) bool {
	if set == nil {
		return false
	}
	for _, iv := range set.GetIntervals() {
		if iv.Contains(tokenType) {
			return true
		}
	}
	return false
}

// Token groups that describeExpected names in words.
var (
	declKeywords = []int{grammar.KRLParserSTREAM, grammar.KRLParserTABLE, grammar.KRLParserFEATURE, grammar.KRLParserRULE}
	ruleClauses  = []int{grammar.KRLParserSEVERITY, grammar.KRLParserBY, grammar.KRLParserPATTERN, grammar.KRLParserWITHIN,
		grammar.KRLParserSKIP_, grammar.KRLParserEMIT, grammar.KRLParserTIMEOUT, grammar.KRLParserTO}
	streamClauses = []int{grammar.KRLParserID, grammar.KRLParserTIMESTAMP, grammar.KRLParserWATERMARK, grammar.KRLParserLATENESS}
	patternOps    = []int{grammar.KRLParserARROW, grammar.KRLParserFATARROW, grammar.KRLParserSQUIGARROW}
)

const (
	firstKeyword = grammar.KRLParserSTREAM
	lastKeyword  = grammar.KRLParserFALSE
)

// maxExpected is how many alternatives a message lists before it gives up
// and says only what it found.
const maxExpected = 5

// describeExpected names the expected tokens in words. It returns "" when
// the set is too large to be worth listing.
func describeExpected(set *antlr.IntervalSet) string {
	if set == nil {
		return ""
	}
	var types []int
	for _, iv := range set.GetIntervals() {
		for t := iv.Start; t < iv.Stop; t++ {
			types = append(types, t)
		}
	}
	has := func(t int) bool { return contains(set, t) }

	done := map[int]bool{}
	drop := func(ts ...int) {
		for _, t := range ts {
			done[t] = true
		}
	}
	dropNames := func() {
		drop(grammar.KRLParserIDENT, grammar.KRLParserBACKQUOTED)
		for t := firstKeyword; t <= lastKeyword; t++ {
			drop(t)
		}
	}
	var items []string
	switch {
	case has(grammar.KRLParserINT) && has(grammar.KRLParserSTRING):
		items = append(items, "an expression")
		dropNames()
		drop(grammar.KRLParserINT, grammar.KRLParserFLOAT, grammar.KRLParserSTRING, grammar.KRLParserDURATION,
			grammar.KRLParserLPAREN, grammar.KRLParserMINUS)
	case has(grammar.KRLParserDURATION):
		// Optional words before a duration (within gap 5m) would only distract.
		return "a duration such as 10m"
	case has(grammar.KRLParserIDENT):
		items = append(items, "a name")
		dropNames()
	}
	group := func(members []int, words string) {
		for _, t := range members {
			if !has(t) || done[t] {
				return
			}
		}
		items = append(items, words)
		drop(members...)
	}
	group(ruleClauses, "a rule clause (severity, by, pattern, within, skip, emit, timeout or to)")
	group(streamClauses, "a stream clause (id, timestamp, watermark or lateness)")
	group(declKeywords, "a declaration (stream, table, feature or rule)")
	group(patternOps, "->, => or ~>")
	for _, t := range types {
		if done[t] {
			continue
		}
		switch {
		case t == antlr.TokenEOF:
			continue // added last
		case t == grammar.KRLParserINT:
			items = append(items, "a whole number")
		case t >= firstKeyword && t <= lastKeyword:
			items = append(items, `"`+keywordText(t)+`"`)
		default:
			items = append(items, `"`+keywordText(t)+`"`)
		}
	}
	if has(antlr.TokenEOF) {
		items = append(items, "the end of the file")
	}
	if len(items) == 0 || len(items) > maxExpected {
		return ""
	}
	return joinOr(items)
}

// keywordText is the literal text of a keyword or punctuation token.
func keywordText(t int) string {
	names := grammar.KRLParserStaticData.LiteralNames
	if t > 0 && t < len(names) && names[t] != "" {
		return strings.Trim(names[t], "'")
	}
	names = grammar.KRLParserStaticData.SymbolicNames
	if t > 0 && t < len(names) {
		return strings.ToLower(names[t])
	}
	return fmt.Sprintf("token %d", t)
}

func joinOr(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// didYouMean suggests the keyword closest to a word that is none, since a
// misspelt keyword is the likeliest cause of an unexpected word.
func didYouMean(tok antlr.Token) string {
	word := tok.GetText()
	if tok.GetTokenType() != grammar.KRLParserIDENT || len(word) < 3 {
		return ""
	}
	var keywords []string
	for t := firstKeyword; t <= lastKeyword; t++ {
		keywords = append(keywords, keywordText(t))
	}
	best := expr.Nearest(word, keywords)
	if best == "" {
		return ""
	}
	return fmt.Sprintf(`; did you mean "%s"?`, best)
}
