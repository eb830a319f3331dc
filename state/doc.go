// Package state is everything Kestrel keeps in Badger, in one directory
// (./data by default) opened once by Open as a *DB:
//
//   - the ingest log (ingest.go): events accepted by the HTTP source,
//     numbered per stream from 1 and synced before AppendEvents returns, so
//     that a 202 means durable. Concurrent appends are group-committed: one
//     goroutine writes everything queued while the previous write was being
//     synced in one Badger transaction. Readers tail a stream with
//     ReadEvents and Notify or WaitEvents; TrimEvents drops what a
//     checkpoint made unnecessary.
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
//	0x00 't' stream                first seq kept after TrimEvents
//
// # Durability
//
// Badger runs with SyncWrites unless Options.NoSync, so every commit is on
// disk when it returns; the package batches its own writes so that one
// fsync serves many callers.
package state
