// Package engine runs a compiled rule set over streams of decoded events: it
// tracks watermarks per stream and partition, releases events in event-time
// order, re-evaluates keys for late events, steps each rule's NFA per
// partition key, fires timers as the watermark passes them, and turns matches
// into records for the outputs.
//
// Two ways to run it, one behaviour:
//
//   - Engine runs everything in the caller's goroutine: replay and tests.
//   - Runtime is the service's engine: sources push Batches from any
//     goroutine; one front goroutine tracks watermarks (with idleness),
//     releases events in time order and runs the feature stage; shard
//     goroutines, one per core, run the rule stage for the keys that hash to
//     them. Released events and watermarks reach every shard through its
//     queue in one order. Checkpoints, hot swaps of the rule set and moves of
//     partition groups happen at barriers through the same queues.
//
// # Files
//
//   - engine.go: the front: partitions, watermarks, release, late routing.
//   - features.go: the feature stage.
//   - shard.go: the rule stage: key states, timers, records.
//   - late.go: history retained per key and re-evaluation of late events.
//   - runtime.go: the goroutines, queues, idleness.
//   - checkpoint.go: checkpoints, restore, partition groups.
//   - swap.go: hot swap of the rule set.
package engine
