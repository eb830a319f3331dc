// Package source reads the inputs of the engine: files (JSON lines or CSV,
// optionally gzip-compressed), followed files, the bodies of HTTP ingest
// requests, and Kafka topics through a consumer group.
//
// A source yields raw lines (or records) with their position; decoding them
// against a stream's schema is package event's job, and what to do with a
// line that does not decode (the deadletter output) is the engine's.
//
// The main types:
//
//   - FileReader reads a file once: OpenFile, then Next until io.EOF.
//   - Follower tails a JSONL or CSV file (`follow: true`) from a checkpointed
//     byte offset: FollowFile, then Next until its context ends.
//   - SplitBody splits the body of POST /v1/streams/{name}/events (a JSON
//     object, a JSON array or NDJSON) into the raw bytes of its events, with
//     a Reject for each item that is not an object.
//   - Kafka is a member of a consumer group: NewKafka with a KafkaHandler,
//     then Run. Offsets are committed only by Commit, at checkpoints.
//     CheckCoPartitioned checks the topics that one rule reads.
//
// Live sources deliver a Record: the source's name, partition and offset,
// where reading resumes after it (Next, what a checkpoint stores), and the
// raw key and value.
package source
