package grammar

// The lexer and parser (krl_lexer.go, krl_parser.go) are generated from KRL.g4
// by the npm package antlr-ng, pinned so that every machine produces the same
// files, which run on github.com/antlr4-go/antlr/v4 v4.13.1. No listener or
// visitor is generated: patterns walks the parse tree through the context
// accessors. postgen then adds the "DO NOT EDIT" header antlr-ng leaves out,
// gofmts the output and drops the unused .interp/.tokens files.
// TestGenerated checks that the committed files match these two commands.
//
//go:generate npx --yes antlr-ng@1.0.10 -Dlanguage=Go -p grammar --generate-listener false -o . KRL.g4
//go:generate go run ./internal/postgen -dir .
