// Package grammar holds KRL.g4, the ANTLR 4 grammar of the Kestrel Rule
// Language, and the lexer and parser generated from it (KRLLexer, KRLParser).
//
// The generated code is committed; regenerate it with
//
//	go generate ./grammar/...
//
// which needs npx (Node.js). See generate.go for the pinned tool and
// TestGenerated for the check that the committed files are up to date.
//
// Nothing outside patterns should need this package: patterns.Parse turns
// source text into the AST and reports syntax errors in plain words.
package grammar
