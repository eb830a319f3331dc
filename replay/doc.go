// Package replay runs a rule set over recorded events, as fast as the machine
// allows, through the same engine as the live service: event time only, the
// watermark going to +∞ at the end. Several files are interleaved by the
// timestamp of each file's next record, ties going to the file named first.
// It also runs rule unit tests (the `kestrel test` file format).
package replay
