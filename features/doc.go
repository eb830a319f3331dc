// Package features computes KRL's velocity features: window aggregates per
// key (sliding, tumbling, hopping, session and global windows), exact as of
// any time in the retention, and the records of the `windows` output.
//
// The engine's feature stage owns one Feature per feature declaration and
// shard (sliding features of a stream keyed alike share a Group, below).
// For each released event that passes the feature's filter it adds the
// event under the key it encoded from the feature's `by` fields, then
// reads the value as of the event, which the rules see; as the watermark
// moves it calls Advance, which closes windows and drops what the
// retention no longer needs:
//
//	f, err := features.New(features.Spec{Name: "card_spend_1h", Agg: features.Sum,
//		ArgType: expr.Float, Window: features.Sliding, Size: 3_600_000, Lateness: 60_000})
//	ok := f.Add(key, ts, amount) // false: older than watermark − lateness, to `late`
//	v := f.Value(key, ts)        // the value as of ts, the event included
//	f.Advance(watermark, func(w features.Window) { ... }) // `windows` records
//	f.ValueAt(key, t)            // the API's `at`: any t in the retention
//
// The package is pure: no goroutines, clocks or I/O, and nothing emitted
// depends on map order. A Feature is not safe for concurrent use (one per
// shard). It imports nothing of the project's but expr.
//
// # Main types
//
//   - Spec: the declaration (aggregation, argument type, window kind,
//     size, step, offset, the stream's lateness, emit); New checks it as the
//     KRL checker does and returns every problem, each wrapping ErrSpec.
//   - Feature: the state of all keys; Add, Value, ValueAt, Advance, Keys.
//   - Group: sliding features of one stream, key and lateness that share
//     one key table, one log of events per key and one cursor per distinct
//     window (at most MaxWindows, MaxMembers members): Add takes the
//     event's argument columns and a bit per member that takes it (its
//     filter passed); Values reads every member as of the event with one
//     lookup. A sliding Feature is a Group of one.
//   - Window: a `windows` record {feature, key, start, end, value,
//     revision}.
//   - Checkpoints, on Feature and Group: Dirty, ClearDirty,
//     AppendKeySnapshot, RestoreKey, AppendMeta, RestoreMeta (see below).
//
// # Values
//
// Value(key, t) aggregates the events added so far whose timestamps fall in
// the window for t − offset (u below):
//
//   - sliding D: (u − D, u];
//   - tumbling D: [⌊u/D⌋·D, u], the window that contains u, up to u;
//   - hopping D every S: [⌊u/S⌋·S, u]: the spec's "last window of size D
//     on the S grid that contains t" is the one that starts last, at
//     ⌊u/S⌋·S, and as of u it holds the events from its start to u;
//   - session D: the session of the last event at or before u (the run of
//     events less than D apart that ends with it), if u − that event < D;
//     else empty;
//   - global: every event at or before u.
//
// Equal timestamps count in the order added, as the spec wants (the
// current event and the ones of equal timestamp before it). Over no value
// count and distinct_count are 0, sum is 0 of its type, the others null;
// never NaN. Types: count and distinct_count int; avg and stddev float; sum
// the argument's (int, float or duration); min, max, first and last the
// argument's. A null argument is skipped by every aggregation but count();
// so is a NaN float (taken as null) and a value of another type than the
// argument's (an int is widened for a float argument); -0 is taken as 0.
// first and last are the earliest and latest non-null values by time, ties
// by arrival.
//
// Decisions (the spec leaves them open):
//
//   - stddev is the sample standard deviation (divisor n − 1, as Postgres'
//     stddev, Spark's and pandas'), null below two values: with one value
//     a population stddev of 0 would make z-score rules fire on a card's
//     second transaction, which is not what an analyst means.
//   - avg of ints divides the exact int64 sum (wrapping on overflow as Go's
//     int64) by the count.
//   - Events whose argument is null still make a tumbling or hopping window
//     exist (it is emitted, with sum 0, max null…) and keep a session going;
//     sliding and global windows ignore them (they change nothing there).
//
// Exactness. Values are exact as of any t from the watermark minus the
// lateness on (the retention), whatever the order of the Adds within the
// lateness; a replay gives what live evaluation gave. Float sums, averages
// and standard deviations may differ from an exact computation by rounding
// only, within a relative 1e-9 however long the run (tested against exact
// arithmetic). Values for t before the retention are not kept.
//
// # How it works
//
// Each key has a log of its retained events sorted by time (ties in arrival
// order) and a cursor: the window as of the last time read, over a range of
// the log, with its running aggregate. Reading a later time moves the
// cursor forward, adding and evicting each event once: amortized O(1) per
// event, never a rescan of the window. For a sliding window (a Group's
// cursor, shared by the members over that window), count is the member's
// events in the range; sum of ints is exact under subtraction; float sums are
// Neumaier-compensated and recomputed from the window each time as many
// events have left it as it holds; stddev keeps compensated sums of x − k
// and (x − k)², re-centred the same way and whenever k drifts too far from
// the mean; min and max keep a monotonic deque; first and last are the
// range's ends (a queue of the member's events when it shares the log);
// distinct_count counts values. The other windows only add
// until their range restarts (a new tumbling or hopping window, a new
// session). An event added out of order inside the cursor's range updates
// it in place; a late event that bridges into a session's cursor makes it
// rebuild from the log. Reading an earlier time than the cursor's (the
// value of a late event, ValueAt) scans the window's events in the log
// without moving the cursor: exact, but O(window).
//
// Retention and state. With W the watermark and L the lateness, values
// are kept exact for t ≥ W − L, and closed windows open to corrections
// while late events can reach them. Events are dropped once no value or
// correction in the retention needs them (sliding: older than
// W − L − offset − size), a few at a time; a global window folds them
// into one aggregate, a session its oldest events into the aggregate of
// their session. A key whose window and corrections are all out of the
// retention (its last event older than W − L − offset − size, about) is
// removed, and its state reused for a new key; a global window's keys are
// never removed. Closing windows run on a heap of timers, exactly when the
// watermark passes them; finding idle keys needs no precision and runs on
// a queue. Keys are in an open-addressing table that keeps each key's hash
// beside its state, and short keys' bytes inside the state. Memory:
// BenchmarkKeyMemory (a key with one event in its window), BenchmarkSliding3
// and BenchmarkHandbookGroups (bytes per key with full windows).
//
// Groups. The feature stage's cost is cache misses: two events of a key are
// thousands of other keys' events apart, so every line of state an event
// touches comes from memory. A Group looks a key up once for all its
// members, logs the event once (its time, a word of member bits when there
// are several members, and the distinct arguments as columns), and keeps
// one cursor per distinct window, which evicts each event once for all the
// members over that window (each member skips the events whose bit it
// lacks: filtered out, or a null argument). A key's cursors and its
// members' running aggregates are in the cache lines right after its
// state, and Add reads every line the event will need at once.
//
// # Checkpoints
//
// A Feature or Group tracks the keys that changed since the last
// ClearDirty; Dirty reports them (and the removed ones), AppendKeySnapshot
// writes one, AppendMeta the feature's own state (watermark, emit every's
// progress). A fresh Feature or Group restored from them continues bit for
// bit as the original would have: a snapshot holds the key's retained
// events, its cursors' running aggregates as they are (not recomputed,
// which could round differently), and its place in the idle queue. Until
// the first ClearDirty nothing is tracked and Dirty reports every key.
// RestoreKey refuses corrupt input with ErrSnapshot, never a panic, and a
// snapshot of another spec with ErrLayout. BenchmarkSnapshot: about 115
// bytes and 1–2 µs a key (1 M keys).
//
// # Emit
//
// Advance(w, emit) emits a batch of records sorted by end, key, start and
// revision:
//
//   - A tumbling or hopping window [start, end) that holds an event is
//     written when w ≥ end. A session's record is [first event,
//     last event + D), written when w ≥ last + D. The offset shifts the
//     value served, not the windows written.
//   - A late event accepted within the lateness that changes a closed
//     window makes a corrected record with the revision incremented
//     (revision 0 is a window's first record), written by the next Advance
//     (call Advance with the same watermark to have it at once), one per
//     window and Advance however many late events it took. A late event
//     into a closed window that had no event makes its first record
//     (revision 0).
//   - Sessions and late events: a late event may extend a closed session,
//     move its start earlier, or bridge sessions. The session it is then
//     part of takes the place of every session already written that it
//     contains: its record has the merged start and end and a revision one
//     above the highest of theirs; no record is written for the sessions it
//     absorbed (a consumer replaces, per key, the records whose [start, end)
//     the new one covers). If the merged session is open again (it reaches
//     past the watermark), its record is written when it closes, with that
//     revision.
//   - emit every P (sliding and global windows): at each multiple T of P
//     that the watermark has passed (w > T, so that events at T count),
//     one record per key whose window as of T holds a value, keys in byte
//     order: {start: T − offset − size (the value covers (start, end]),
//     end: T − offset, revision 0}; for a global window start is the key's
//     first event. Ticks run from the first event (plus the offset) to the
//     last time a window can hold an event: before last event + offset +
//     size (sliding), or the first tick at or after last event + offset
//     (global), so that the end of input (w = MaxInt64) does not write
//     ticks forever. Ticks are snapshots: a late event does not correct a
//     tick already written.
//
// # Engine protocol
//
// Advance(w) means that no event older than w will be added except late
// ones (timestamp ≥ w − L); the engine, which releases events in time order
// when the watermark passes them, calls Advance with an event's time before
// adding it, or with its watermark. An event older than w − L is rejected
// (Add returns false). Values are read with Value on the per-event path
// (cheap for the event's own time and later); ValueAt serves queries that
// come with no event and never moves the cursor.
package features
