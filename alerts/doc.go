// Package alerts holds the records Kestrel writes: alerts and timeouts (the
// alert record of language.md), late and dead-letter records, and their
// deterministic ids. Records are encoded by hand, field order fixed, so the same
// input always gives the same bytes.
//
// # Replay
//
// Outputs writes every output of a replay as DIR/<output>.jsonl.
//
// # Sinks
//
// `kestrel serve` writes each output to the sinks the configuration names
// (cli.md, `outputs:`). A record travels as a Message: its output, its JSON,
// its id, and a key (an alert's partition key, a window's key), built by
// AlertMessage, LateMessage, DeadLetterMessage and WindowMessage. A Sink
// takes batches of them:
//
//   - FileSink (OpenFile, FileOptions): a JSONL file. Exactly-once: the
//     checkpoint stores its length; on recovery it is opened truncated to
//     that length and the replayed records are written again.
//   - KafkaSink (KafkaOptions): a topic, keyed by the partition key, acks=all.
//   - WebhookSink (WebhookOptions): one POST per record, in order, with a
//     bounded queue and retries with backoff and jitter.
//   - RedisStreamSink (RedisStreamOptions): XADD, fields "record" and "id".
//   - SinkFunc: any function, such as the API's alert store, which every
//     alert also goes to.
//
// All but the file are at-least-once: a record may arrive twice, always with
// the same id.
//
// A Router fans records out to the sinks of their output, each sink with a
// goroutine and a bounded queue of its own (the webhook's own queue serves),
// so a slow or failing sink holds back the others only up to that bound, and
// then makes Write wait: nothing is dropped while the process runs. A batch
// that fails is written again with backoff until it succeeds. At a
// checkpoint the engine calls Router.Flush, which returns once every record
// written before it is durable or delivered, with the length of each file
// to store; when it fails, the checkpoint is not taken, so a restart writes
// those records again. Close drains the queues for a bounded time.
//
// NewSinkMetrics builds the sinks' Prometheus metrics, labelled by sink:
// kestrel_sink_records_total, kestrel_sink_failures_total,
// kestrel_sink_retries_total, kestrel_sink_dropped_total and
// kestrel_sink_queue_length.
package alerts
