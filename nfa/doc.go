// Package nfa is the pattern runtime: a pattern compiled to an NFA and evaluated
// per key over events in event-time order, with Flink CEP's semantics.
//
// The contract used by the rest of Kestrel (patterns builds Patterns from KRL,
// the engine owns keys, time and I/O):
//
//	prog, err := nfa.Compile(nfa.Pattern{...})   // immutable, shared by all keys
//	st := prog.NewState()                         // one per key; cheap when idle
//	st.Process(nfa.Event{Time: t, Seq: n, Data: payload}, &out)
//	st.AdvanceTime(watermark, &out)               // within expiry, absences, timeouts
//	st.NextTimer()                                // when AdvanceTime next has work
//	st.Empty()                                    // no partial or held match: drop the key
//	buf = st.AppendSnapshot(buf, enc)             // checkpoint the key ...
//	st, err = prog.RestoreState(buf, dec)         // ... and restore it after a restart
//
// Events are stored once per key in a shared buffer with back-pointers and
// reference counts (Flink's SharedBuffer), not copied per run. The package
// is pure: no goroutines, clocks, I/O or map-order dependence.
//
// nfa imports nothing else of the project's.
//
// # Compilation
//
// Compile is a port of Flink's NFACompiler. The elements become a chain like
// Flink's Pattern objects (the first element, and the first of each group,
// has begin()'s skip-till-next contiguity), compiled from the last element
// backwards into states with take, ignore and proceed edges:
//
//   - a step is one state that takes the event or, depending on contiguity,
//     ignores it (-> ignores events that fail the condition, ~> ignores any
//     event, => none); an optional step also proceeds past itself, and gets
//     a twin without that proceed edge for the runs that ignored an event,
//     so that each way through is taken once;
//   - {n,m} is n mandatory copies and m-n optional ones; {n,} is n copies and
//     a looping state (take to itself, proceed onwards); consecutive and
//     combinations set the contiguity between iterations; greedy makes the
//     following state's edges yield to the looping condition; until adds
//     "not until" to the take and ignore edges of the loop;
//   - `=> not x` is a state whose proceed edge goes on only if the event is
//     not x, and otherwise to a stop state; `-> not x` adds stop edges to the
//     states of the following element (and of a loop before it); at the end
//     of a windowed pattern it is a pending state that matches when the
//     window closes;
//   - a group is compiled recursively; a quantified group repeats its states
//     as a step's copies are repeated.
//
// Conditions on edges are the user's Conditions combined with not and and.
//
// # Running
//
// A State holds the key's partial matches (Flink's computation states), its
// completed matches not yet released, and the buffer. Process follows
// Flink's NFA.doProcess: for each partial match, in order of first event,
// the edges the event enables are collected through proceed edges, each take
// and ignore gives a successor, a successor in the final state is a
// completed match, and one that reaches a stop state (a negated step saw
// its event) discards every successor of that partial match. The start state
// is implicit and always present.
//
// The buffer. Events are stored once, when first taken, in a per-key
// reference-counted table. A partial match is a chain of nodes from its last
// event back to its first; a node names an event and the step it was bound
// to; matches that branched share their common prefix. Flink keys nodes by
// (event, step) and tells the paths through a shared node apart with
// Dewey-numbered versions on its back-edges; giving each branch its own
// node with one back-pointer yields the same path for every computation
// state, needs no versions, and makes every branch cost one 16-byte node.
// Nodes, events and runs live in slices with free lists; a key whose
// matches are all gone returns them to a pool in the Program, so an idle key
// is just its State (16 bytes) and the steady state allocates nothing per
// event. Matches allocate (their Steps and Events), once per match.
//
// Conditions. A Condition sees the candidate event and, through Len, At and
// EventAt, the events of the partial match it would extend (Flink's
// IterativeCondition context), laid out per step on first use. Results are
// memoized per partial match and, for a condition that did not read the
// partial match, per event: it is not evaluated again for the other partial
// matches of the key. Conditions must therefore be pure.
//
// Scratch space (edge lists, stacks, memo tables) lives in the caller's
// Output, so one Output per goroutine serves every key.
//
// # Checkpoints
//
// State.AppendSnapshot writes a key's state for a checkpoint and
// Program.RestoreState rebuilds it, so that after a crash the key goes on as
// if nothing had happened: the same matches, timeouts, drops, NextTimer and
// Empty for the same calls (a property test checks it against uninterrupted
// runs, restoring before every step, also into a Program compiled again, and
// every data-driven case runs that way too). The snapshot holds the partial
// and held matches in order, with their automaton states, first events and
// times, and the nodes and events they reach, each event once: its Time, Seq
// and the payload, written and read by functions the caller passes (the
// engine encodes its *event.Event with AppendBinary). Only what is reachable
// is written, numbered by a walk of the matches, so the bytes do not depend
// on free lists and a restored key snapshots to the same bytes; reference
// counts, live counts and the next timer are recomputed from the structure.
// An idle key is 12 bytes, a key with one partial match of one event about 31
// its payload.
//
// A snapshot starts with a fingerprint of the Program, a hash of its states,
// edges (conditions by their structure), steps, window, skip strategy and
// Timeouts, computed by Compile: restoring into a Program whose pattern
// compiles differently fails with ErrSnapshotMismatch. The fingerprint does
// not see inside Conditions, and leaves out MaxPartials, which only bounds
// what comes next: when a rule's conditions change, the engine should tell
// by its source text. Truncated or malformed input gives ErrSnapshotCorrupt,
// never a panic (FuzzRestoreState).
//
// # Semantics decided here
//
// Kestrel follows Flink where Flink is defined, and decides as follows where
// it is not or where it deliberately differs (docs/language.md lists these):
//
//   - Skip strategies: past_last is the zero value. Under any strategy but
//     no_skip a completed match is held until no partial match with an
//     earlier first event remains (one with the same first event does not
//     hold it); held matches are released in order of first event, and each
//     release prunes the partial and held matches the strategy discards:
//     past_last and to_next those whose first event is at or before the
//     match's last (resp. first) event, to_first x and to_last x those whose
//     first event is before x's first (resp. last) event in the match. When x
//     has no event in the match nothing is pruned (Flink without
//     throwExceptionOnMiss); when x's event is the match's first event,
//     nothing before it can still be pending, so nothing is pruned either.
//   - Order of matches: by first event; with the same first event, by the
//     matches' events in match order, the earlier event first at the first
//     difference, then (same event bound to two steps) the lower step first,
//     then the shorter match first. Flink leaves ties to a priority queue.
//     no_skip uses the same order for the matches of one call.
//   - Within: a partial match expires when t - start >= Within (Flink's
//     isStateTimedOut), so an event exactly at start+Within comes too late; a
//     timeout is reported at start+Within. `within gap` applies to every
//     gap between consecutive events of a match: a partial match expires at
//     its last event's time + Within. (Flink attaches PREVIOUS_AND_CURRENT to
//     the single pattern it is called on, and not to its internal ignore
//     states.)
//   - AdvanceTime processes deadlines in time order, as if the watermark had
//     stopped at each: an absence completing at 10 prunes, under past_last,
//     a partial match that would have timed out at 11. Flink handles all that
//     is due at the watermark at once (timeouts first); Kestrel's result does
//     not depend on how the watermark advances. Within one deadline,
//     timeouts come before matches.
//   - Absence (`-> not x` last): completes at start+Within (gap: last event +
//     Within), with Match.Time that instant; an x exactly then is too late.
//     A partial match whose state reaches the pending absence through
//     unconditional proceed edges (typically after a looping step, `c+ ->
//     not x`) completes too; Flink moves it into the pending state only on
//     the next event and otherwise reports a timeout.
//   - `=> not x` last needs no window (Flink's notNext): it completes at the
//     next event that is not x (Match.Time is that event's time); with
//     Within it times out if no event comes in the window. `-> not x` last
//     is an absence and requires Within.
//   - Match.Time of a completed match is the time of the event that completed
//     it (the last matched event, except for `=> not x` last), also when it
//     is released later.
//   - MaxPartials bounds partial plus held matches per key. Successors are
//     kept in order (older partial matches first, new ones last); one that
//     would exceed the bound is dropped and counted in Output.Dropped. Usually
//     that means new partial matches are not started; branching of existing
//     ones is bounded too. Completed matches are never dropped.
//   - Compile errors, besides Flink's: a negated last element of a group, a
//     quantified group that can match no event (Flink would loop), and an
//     optional element after a greedy one however it is written (Flink
//     checks only .optional()). SkipTo may name a step inside a group (Flink
//     looks only at the top level). Modifiers that do not apply (greedy on
//     {n}, consecutive on ?) are accepted and do nothing.
//   - Quantifier{Min: 0} is Flink's times(0, m): times(1, m).optional().
package nfa
