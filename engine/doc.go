// Package engine runs a compiled rule set over streams of decoded events: it
// tracks watermarks per stream and partition, releases events in event-time
// order, routes late events, steps each rule's NFA per partition key, fires
// timers as the watermark passes them, and turns matches into records for the
// outputs.
//
// This first cut runs in one goroutine. Its state is already split per rule and
// key, the unit that the service's shards will own.
package engine
