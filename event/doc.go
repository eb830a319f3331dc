// Package event holds stream schemas, the Event value and the decoders that
// turn input lines into events.
//
// A Schema is a declared stream: its fields and their types (String, Int,
// Float, Bool, Time), the id and timestamp fields, and the extra slots the
// engine fills with feature values. An Event holds one event's values in
// typed slots without boxing (slot i is field i; extra slots follow), its
// event time in epoch milliseconds, its position in the input and its
// original bytes. *Event satisfies the Row interface through which compiled
// expressions read fields (Stream, Int, Float, Str, Bool; time fields are read
// with Int), without this package importing expr: event imports nothing else
// of the project's.
//
// JSONDecoder reads one JSON object per line with a hand-written scanner that
// writes values straight into slots; CSVDecoder reads the rows of a CSV file
// under its header. Both follow the input rules of the language spec
// (docs/language.md, "stream"), and reject a line with a *DecodeError whose
// message is the reason for its deadletter record, e.g.
//
//	field "amount": expected a number, got string
//	missing timestamp field "ts"
//	invalid JSON at byte 31: unexpected end of input
//	row has 5 cells, header has 7
//
// Decisions the spec leaves open:
//
//   - RFC 3339 times may have any number of fractional digits; they are
//     truncated to milliseconds (toward -∞, as time.Time.UnixMilli does).
//     'T'/'t' and 'Z'/'z' are accepted; a space for 'T', a missing zone and
//     leap second 60 are not.
//   - An int or an epoch-ms time must be an exactly integral number: 1e3 and
//     2.0 are accepted, 1.5 is not; beyond int64 is an error.
//   - JSON: duplicate keys, the last wins. Lines must be valid UTF-8, since
//     they are passed through to alerts as they are; a lone \uD800-style
//     surrogate escape becomes U+FFFD, as in encoding/json. Nesting deeper
//     than 10000 (encoding/json's limit) is rejected.
//   - CSV: an empty cell, quoted or not, is null, also for strings. Spaces
//     around a non-string cell are ignored. bool cells are true/false in
//     any case, 1 or 0. A quoted cell cannot contain a line break. Invalid
//     UTF-8 in cells is kept, and written as U+FFFD in JSON.
//   - Blank lines give ErrBlankLine; callers skip them.
//
// Event.JSON is the event as alerts show it: the original line for JSON
// input; for CSV, an object of the row's columns in header order built on
// demand, so that replaying a CSV file pays nothing for it until an event is
// written. Event.Identity is the id field's value as text, or the position.
//
// Memory: the slots (one 64-bit word each, plus a bit per slot for null) and
// the copy of the line share one pointer-free allocation; strings without
// escapes point into that copy. Schema.NewEvent allocates the Event with room
// for its strings, so decoding into it costs two allocations in all, and one
// when a caller reuses an Event (Raw is never reused, so strings taken from
// an earlier event stay valid). A 7-field transaction of 138 bytes takes
// 416 bytes (two allocations of 208), a handbook CSV row 272.
//
// # Checkpoints
//
// Event.AppendBinary and Schema.DecodeBinary turn an event into bytes and
// back, for the engine's checkpoints of the events that partial matches hold.
// The binary form keeps Time, Seq, Pos, Raw, Late, every slot (declared and
// extra, nulls too) and, for CSV input, the header, so that the decoded event
// has the same JSON and Identity. Strings that point into Raw are stored as
// offsets and point into the decoded event's Raw again; the decoded event
// takes two allocations, as a decoded line does, and the events of one CSV
// header share one layout. The form carries a hash of the schema's layout:
// decoding with a schema whose fields or extra slots differ fails with
// ErrSchemaMismatch, and bad input with ErrCorrupt, never a panic. The
// transaction above takes 194 bytes (with its position and one extra slot),
// the CSV row 104.
package event
