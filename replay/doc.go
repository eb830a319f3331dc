// Package replay runs a rule set over recorded events, as fast as the machine
// allows, through the same engine as the live service: event time only, the
// watermark going to +∞ at the end. Several files are interleaved by the
// timestamp of each file's next record, ties going to the file named first.
// It also runs rule unit tests (the `kestrel test` file format).
//
// Backtests: a Scorer, hooked into Run through Options.Observe and a wrapped
// sink, scores every rule and their union against a boolean label field
// (Scores; docs/backtesting.md defines each measure). WriteTable, WriteJSON
// and WriteReport (a self-contained HTML page) present the scores, and
// ProgressBar shows a long replay's progress on a terminal.
package replay
