// Package patterns is KRL's front end: it parses rule files into an AST
// (Parse), resolves names and checks types across a rule set, and compiles each
// rule's pattern to an NFA program with its conditions and emit records
// (Compile). Every error is reported with its file, line and column, all of
// them at once.
package patterns
