// Package source reads the inputs of the engine: files now (JSON lines or
// CSV, optionally gzip-compressed); the HTTP ingest log and Kafka later.
//
// A source yields raw lines (or records) with their position; decoding them
// against a stream's schema is package event's job, and what to do with a
// line that does not decode (the deadletter output) is the engine's.
//
// The main type is FileReader: OpenFile, then Next until io.EOF.
package source
