package source

import (
	"strconv"
	"time"

	"github.com/kestrelcep/kestrel/event"
)

// Record is one raw input record and where it came from, as the live
// sources (Follower, Kafka) deliver it. Decoding Value is package event's
// job.
type Record struct {
	Source    string // the file's base name, or the Kafka topic
	Partition int    // the Kafka partition; 0 for a file
	// Offset is the Kafka offset, or for a file the byte offset where the
	// line starts.
	Offset int64
	// Next is where reading resumes after this record, the position a
	// checkpoint stores once the record is processed: Offset+1 for Kafka
	// (the offset committed to the group); for a file the byte offset after
	// the line's break (FollowOptions.Offset).
	Next int64
	// Line is a file line's 1-based number (FollowOptions.Line continues it
	// after a restart); 0 for Kafka.
	Line       int64
	Key, Value []byte    // Key: the Kafka message key; Value: the message or the line without its break
	Time       time.Time // the broker's timestamp of a Kafka message; zero for a file
	// Lag is how many messages of its Kafka partition were behind it when
	// it was fetched (the partition's high watermark − Next); 0 for a file.
	Lag int64
}

// Position is the record's position as events carry it, which alert ids
// are derived from: "txn.jsonl:17" (file name and line number) for a file,
// "transactions/3:1042" (topic/partition and offset) for Kafka. A topic
// name cannot contain '/', so the two cannot be confused. It allocates the
// source string for a Kafka record; a caller on a hot path builds it once
// per partition.
func (r Record) Position() event.Position {
	if r.Line > 0 {
		return event.Position{Source: r.Source, Offset: r.Line}
	}
	return event.Position{Source: r.Source + "/" + strconv.Itoa(r.Partition), Offset: r.Offset}
}
