package patterns

import (
	"bytes"
	"fmt"
	"sync/atomic"
	"unicode/utf8"

	"github.com/antlr4-go/antlr/v4"

	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/grammar"
)

// Parse parses one .krl file into its AST. filename is used in positions and
// error messages only.
//
// The errors come sorted by position, every one found, not just the first.
// When the file has syntax errors, Parse returns a nil File and those errors
// alone. Otherwise the File is whole, and the errors (if any) are about values
// that parse but cannot be used (a bad duration or escape, a repetition count
// out of range, a clause given twice, an unknown severity or aggregation); the
// fields concerned are left at their zero value.
//
// Positions: lines and columns start at 1 and columns count characters, not
// bytes. A declaration's At is its name; a clause's At (WithinAt, SkipAt) is
// its keyword; IDAt, TimestampAt, KeysAt, ByAt, StreamAt and AggAt are the
// (first) name they refer to. In expressions, Binary, In, Between, IsNull,
// Selector and Index are at their operator (the "." of a.f, the "[" of
// t[k]); every other node is where its text starts.
//
// Parse is safe for concurrent use. It never panics: an internal failure is
// returned as an Error whose message starts with "internal parser error:".
func Parse(filename string, src []byte) (file *File, errs ErrorList) {
	p := &parser{file: filename}
	defer func() {
		if r := recover(); r != nil {
			p.errs = append(p.errs, &Error{
				Pos: Pos{File: filename, Line: 1, Col: 1},
				Msg: fmt.Sprintf("internal parser error: %v", r),
			})
			file, errs = nil, p.sortedErrors()
		}
	}()

	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	if !utf8.Valid(src) {
		p.errorAt(invalidUTF8Pos(filename, src), "the file is not valid UTF-8 text")
		return nil, p.sortedErrors()
	}
	p.input = antlr.NewInputStream(string(src))
	lexer := grammar.NewKRLLexer(p.input)
	lexer.RemoveErrorListeners()
	// The grammar turns every character into some token (ERROR_CHAR last),
	// so the lexer should never report; if it does, say so rather than print.
	lexer.AddErrorListener(&lexerErrorListener{p: p})
	tokens := antlr.NewCommonTokenStream(lexer, antlr.TokenDefaultChannel)
	tokens.Fill()

	p.lexicalErrors(tokens)
	if p.tooDeep(tokens) {
		return nil, p.sortedErrors()
	}
	tree := p.parseTree(tokens)
	if len(p.errs) > 0 {
		return nil, p.sortedErrors()
	}
	file = p.fileDecl(tree)
	return file, p.sortedErrors()
}

// parser holds the state of one Parse call.
type parser struct {
	file  string
	input *antlr.InputStream
	errs  ErrorList
}

func (p *parser) sortedErrors() ErrorList {
	if len(p.errs) == 0 {
		return nil
	}
	p.errs.Sort()
	return p.errs
}

func (p *parser) pos(t antlr.Token) Pos {
	return Pos{File: p.file, Line: t.GetLine(), Col: t.GetColumn() + 1}
}

func (p *parser) epos(t antlr.Token) expr.Pos {
	return expr.Pos{Line: t.GetLine(), Col: t.GetColumn() + 1}
}

func (p *parser) errorAt(pos Pos, format string, args ...any) {
	p.errs = append(p.errs, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) errorf(t antlr.Token, format string, args ...any) {
	p.errorAt(p.pos(t), format, args...)
}

// source returns the exact text of ctx, from its first token to its last.
func (p *parser) source(ctx antlr.ParserRuleContext) string {
	start, stop := ctx.GetStart(), ctx.GetStop()
	if start == nil || stop == nil || stop.GetStop() < start.GetStart() {
		return ""
	}
	return p.input.GetText(start.GetStart(), stop.GetStop())
}

// parseTree runs the usual two-stage ANTLR parse: SLL prediction, which is
// fast and right for any input it accepts, then, only if SLL fails, full LL
// with error recovery and reporting. SLL can fail on valid input, so its
// errors are never reported.
func (p *parser) parseTree(tokens *antlr.CommonTokenStream) (tree grammar.IFileContext) {
	if tree, ok := parseSLL(tokens); ok {
		return tree
	}
	llParses.Add(1)
	tokens.Seek(0)
	ll := grammar.NewKRLParser(tokens)
	ll.RemoveErrorListeners()
	ll.AddErrorListener(&syntaxErrorListener{p: p, tokens: tokens})
	ll.GetInterpreter().SetPredictionMode(antlr.PredictionModeLL)
	return ll.File()
}

// llParses counts the parses that needed the LL stage, for tests.
var llParses atomic.Int64

func parseSLL(tokens *antlr.CommonTokenStream) (tree grammar.IFileContext, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, bail := r.(bailout); !bail {
				panic(r)
			}
			tree, ok = nil, false
		}
	}()
	sll := grammar.NewKRLParser(tokens)
	sll.RemoveErrorListeners()
	sll.SetErrorHandler(&bailErrorStrategy{antlr.NewDefaultErrorStrategy()})
	sll.GetInterpreter().SetPredictionMode(antlr.PredictionModeSLL)
	return sll.File(), true
}

// bailout is the panic value that ends the SLL stage at its first error.
type bailout struct{}

// bailErrorStrategy stops the parse at the first error. antlr's own
// BailErrorStrategy does not in the Go runtime v4.13.1: the generated code
// clears the error at each rule's exit and carries on.
type bailErrorStrategy struct{ *antlr.DefaultErrorStrategy }

func (*bailErrorStrategy) ReportError(antlr.Parser, antlr.RecognitionException) { panic(bailout{}) }
func (*bailErrorStrategy) Recover(antlr.Parser, antlr.RecognitionException)     { panic(bailout{}) }
func (*bailErrorStrategy) RecoverInline(antlr.Parser) antlr.Token               { panic(bailout{}) }
func (*bailErrorStrategy) Sync(antlr.Parser)                                    {}

// maxNesting bounds brackets and runs of prefix operators, so that deeply
// nested input cannot exhaust the stack of the recursive-descent parser.
const maxNesting = 100

// tooDeep reports an error and returns true when the tokens nest deeper than
// maxNesting.
func (p *parser) tooDeep(tokens *antlr.CommonTokenStream) bool {
	depth, prefixRun := 0, 0
	for _, t := range tokens.GetAllTokens() {
		switch t.GetTokenType() {
		case grammar.KRLParserLPAREN, grammar.KRLParserLBRACK, grammar.KRLParserLBRACE:
			depth++
		case grammar.KRLParserRPAREN, grammar.KRLParserRBRACK, grammar.KRLParserRBRACE:
			depth = max(depth-1, 0)
		}
		switch t.GetTokenType() {
		case grammar.KRLParserMINUS, grammar.KRLParserNOT:
			prefixRun++
		default:
			prefixRun = 0
		}
		if depth > maxNesting || prefixRun > maxNesting {
			p.errorf(t, "expression nested too deeply (more than %d levels)", maxNesting)
			return true
		}
	}
	return false
}

func invalidUTF8Pos(filename string, src []byte) Pos {
	pos := Pos{File: filename, Line: 1, Col: 1}
	for len(src) > 0 {
		r, n := utf8.DecodeRune(src)
		if r == utf8.RuneError && n <= 1 {
			break
		}
		if r == '\n' {
			pos.Line++
			pos.Col = 1
		} else {
			pos.Col++
		}
		src = src[n:]
	}
	return pos
}
