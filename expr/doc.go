// Package expr holds KRL's typed expressions: the syntax tree the parser builds,
// the type checker, and the compiler that turns a checked tree into closures over
// field slots.
//
// A compiled expression reads its inputs through two small interfaces defined
// here, Row (one event's typed fields) and Env (the event being tested and the
// events bound so far to the pattern's steps). Both use only built-in types in
// their method sets, so packages below expr (event, nfa) satisfy them without
// importing it. Evaluation never allocates and never uses reflection.
//
// expr imports nothing else of the project's.
package expr
