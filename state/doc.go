// Package state is everything Kestrel keeps in Badger, in one directory
// (./data by default) opened once by Open as a *DB:
//
//   - the ingest log (ingest.go): events accepted by the HTTP source,
//     numbered per stream from 1 and synced before AppendEvents returns, so
//     that a 202 means durable. Concurrent appends are group-committed: one
//     goroutine writes everything queued while the previous write was being
//     synced in one Badger transaction. Readers tail a stream with
//     ReadEvents and Notify or WaitEvents; TrimEvents drops what a
//     checkpoint made unnecessary, and the committer deletes it a little
//     at a time in the appends' transactions (or on its own while none
//     come), so that a large trim does not hold the appends up.
//   - checkpoints (checkpoint.go): the engine's changed state with the
//     checkpoint's meta (source positions, watermarks, sink lengths),
//     committed atomically; LastCheckpoint and ScanState restore them.
//   - the alert store (alerts.go): StoredAlert records by their
//     deterministic id (a second put of an id is a no-op), with indexes in
//     time order, newest first, over all alerts, by rule and by key;
//     QueryAlerts filters and pages with an opaque cursor that is a
//     position in that order, so pages stay consistent while alerts are
//     added. Alerts expire after Options.AlertRetention (Badger TTL) or by
//     ExpireAlerts.
//   - definitions (definitions.go): streams, tables, features and rules,
//     every PutDefinition a new version (If-Match checked in the same
//     transaction, ErrVersionConflict otherwise); each name has a head
//     (current version, mode, deleted) and an immutable record per
//     version. DeleteDefinition marks the head and keeps the history;
//     SetMode changes the mode in place, not as a new version, so a rule's
//     alert ids and partial matches carry on across shadow → live.
//
// A failed write (a full disk) is returned to the caller and remembered:
// Healthy reports it until a write succeeds, and the API stops
// acknowledging events meanwhile.
//
// # Key space
//
// Every key of the package begins with 0x00 and a tag byte (keys.go); the
// rest of the key space is free for components that share the Badger
// instance through DB.Badger, such as the embedded feature store with its
// text prefix.
//
//	0x00 'e' stream 0x00 seq       raw event (seq: 8 bytes big-endian)
//	0x00 'h' stream                next seq of the stream
//	0x00 't' stream                the events before it are deleted (TrimEvents' progress)
//	0x00 'c' id                    checkpoint record: commit time, meta
//	0x00 'p' id chunk              staging area of a large checkpoint
//	0x00 's' key                   engine state, as of the last checkpoint
//	0x00 'a' id                    alert: summary, record JSON
//	0x00 'T' inv(time) id          alert index, all       (value: summary)
//	0x00 'R' len rule inv(time) id alert index by rule    (value: summary)
//	0x00 'K' len key inv(time) id  alert index by key     (value: summary)
//	0x00 'd' kind 0x00 name        definition head (JSON)
//	0x00 'v' kind 0x00 name 0x00 v definition version v (JSON; v: 8 bytes)
//
// inv(time) is the epoch-ms time mapped to 8 bytes that sort newest first;
// len is a uvarint length.
//
// # Checkpoints
//
// A CheckpointWriter buffers the operations (Put, Delete) in memory,
// encoded in chunks of 256 KiB; nothing reaches Badger before Commit, so an
// abandoned writer leaves no trace. Commit then takes one of two paths:
//
//   - Small (the operations fit in half of one Badger transaction, about
//     5 MB with the default 64 MiB memtable): the operations,
//     the checkpoint record and the pruning of old records are one Badger
//     transaction. Atomic by Badger.
//   - Large: a redo log. (1) the chunks are written to the staging area
//     under the checkpoint's id (a WriteBatch, several transactions, not
//     atomic); (2) the checkpoint record is written in one transaction:
//     this is the commit point, and Commit returns; (3) in the background,
//     the chunks are applied to the state keys (a WriteBatch) and (4) the
//     staging area is deleted.
//
// Recovery, at Open: staging chunks of the last committed checkpoint mean
// it was interrupted between (2) and (4): they are applied again (every
// operation sets or deletes a key to its final value, so applying twice is
// harmless). Staging chunks of any other id are from a commit that never
// reached (2), or leftovers of (4), and are deleted. A crash before (2)
// thus leaves the previous checkpoint whole, a crash after it gives the new
// one whole. In the process, ScanState and the next Commit wait for a
// running apply and redo a failed one first, so the state a reader sees is
// always exactly one checkpoint's. Checkpoint ids must increase; the
// newest 8 records are kept.
//
// # Benchmarks
//
// go test -run '^$' -bench . ./state measures group commit, a 1M-key
// checkpoint (commit-ms: until Commit returns; ns/op includes the
// background apply), a 1M-key ScanState, and the alert store.
//
// # Durability
//
// Badger runs with SyncWrites unless Options.NoSync, so every commit is on
// disk when it returns; the package batches its own writes so that one
// fsync serves many callers.
package state
