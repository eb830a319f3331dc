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
//
// Events are stored once per key in a shared buffer with versioned back-pointers
// and reference counts (Flink's SharedBuffer), not copied per run. The package
// is pure: no goroutines, clocks, I/O or map-order dependence.
//
// nfa imports nothing else of the project's.
package nfa
