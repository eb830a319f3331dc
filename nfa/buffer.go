package nfa

import "math"

// The shared buffer of one key (Flink's SharedBuffer). Events are stored once,
// in evs, however many partial matches hold them. A partial match is a chain
// of nodes from its last event back to its first; a node names the event and
// the step it was bound to. Matches that share a prefix share its nodes, so a
// branch costs one node per event taken after the branch point. Nodes and
// events are reference counted and recycled through free lists.
//
// Flink keys a node by (event, step) and lets several partial matches share
// it, telling their paths apart with Dewey-numbered versions on the node's
// back-edges. Giving every branch its own node with a single back-pointer
// yields exactly the path Flink's extractPatterns returns for each
// computation state, without versions.

// run is a computation state (Flink's ComputationState): where a partial
// match is in the automaton and what it has taken.
type run struct {
	st       int32  // automaton state
	node     int32  // its last event in the buffer; -1: none yet
	start    int64  // its first event's Time
	startSeq uint64 // its first event's Seq
	prev     int64  // its last event's Time; for a completed match, when it fired
}

// node is one event bound to one step of a partial match.
type node struct {
	ev   int32 // index into mem.evs
	step int32
	prev int32 // the node of the previous event; -1 for the first
	refs int32 // runs, held matches and later nodes that point here
}

type evRec struct {
	ev   Event
	refs int32 // nodes that point here
}

// mem is the state of a key that has partial or held matches. An idle key
// has none: its mem goes back to the Program's pool.
type mem struct {
	runs      []run // partial matches, ordered by first event
	held      []run // completed matches waiting for their release, in release order
	nodes     []node
	evs       []evRec
	freeNode  int32 // free list through node.prev
	freeEv    int32 // free list through evRec.ev.Time
	liveNodes int32
	liveEvs   int32
	curEv     int32 // the event being processed, once stored; -1: not stored
	timer     int64 // earliest deadline of a run (with Within)

	// First backing arrays, in the same allocation, for the common key with
	// a partial match or two: fewer cache lines and objects per key.
	runBuf  [2]run
	nodeBuf [4]node
	evBuf   [2]evRec
}

// checkLeaks makes a reference-counting bug panic; tests set it.
var checkLeaks = false

// maxPooledCap bounds the slices a pooled mem keeps, so that one key's burst
// does not make every key that reuses its mem large.
const maxPooledCap = 256

func (s *State) mem() *mem {
	if s.m == nil {
		m, _ := s.p.pool.Get().(*mem)
		if m == nil {
			m = &mem{}
			m.runs, m.nodes, m.evs = m.runBuf[:0], m.nodeBuf[:0], m.evBuf[:0]
		}
		m.freeNode, m.freeEv, m.curEv = -1, -1, -1
		s.m = m
	}
	return s.m
}

// storeEvent stores the event being processed, once.
func (s *State) storeEvent(ev *Event) int32 {
	m := s.mem()
	if m.curEv >= 0 {
		return m.curEv
	}
	var i int32
	if m.freeEv >= 0 {
		i = m.freeEv
		m.freeEv = int32(m.evs[i].ev.Time)
	} else {
		i = int32(len(m.evs))
		m.evs = append(m.evs, evRec{})
	}
	m.evs[i] = evRec{ev: *ev}
	m.liveEvs++
	m.curEv = i
	return i
}

// newNode binds the current event to step after prev; the new node has one
// reference, for the run that takes it.
func (s *State) newNode(ev *Event, step, prev int32) int32 {
	e := s.storeEvent(ev)
	m := s.m
	var i int32
	if m.freeNode >= 0 {
		i = m.freeNode
		m.freeNode = m.nodes[i].prev
	} else {
		i = int32(len(m.nodes))
		m.nodes = append(m.nodes, node{})
	}
	m.nodes[i] = node{ev: e, step: step, prev: prev, refs: 1}
	m.evs[e].refs++
	if prev >= 0 {
		m.nodes[prev].refs++
	}
	m.liveNodes++
	return i
}

func (s *State) retain(n int32) {
	if n >= 0 {
		s.m.nodes[n].refs++
	}
}

// release drops a reference to node n, freeing what no one holds any more.
func (s *State) release(n int32) {
	m := s.m
	for n >= 0 {
		nd := &m.nodes[n]
		nd.refs--
		if nd.refs > 0 {
			return
		}
		prev, e := nd.prev, nd.ev
		nd.prev = m.freeNode
		m.freeNode = n
		m.liveNodes--
		er := &m.evs[e]
		er.refs--
		if er.refs == 0 {
			er.ev = Event{Time: int64(m.freeEv)} // drops Data for the collector
			m.freeEv = e
			m.liveEvs--
			if m.curEv == e {
				m.curEv = -1
			}
		}
		n = prev
	}
}

// eventOf is the event of node n.
func (m *mem) eventOf(n int32) *Event { return &m.evs[m.nodes[n].ev].ev }

// finish frees the key's memory when nothing is left, or else computes its
// next deadline.
func (s *State) finish() {
	m := s.m
	if m == nil {
		return
	}
	if len(m.runs) == 0 && len(m.held) == 0 {
		if checkLeaks && (m.liveNodes != 0 || m.liveEvs != 0) {
			panic("nfa: shared buffer leak: idle key still holds events")
		}
		m.runs, m.held = trim(m.runs, m.runBuf[:0]), trim(m.held, nil)
		m.nodes, m.evs = trim(m.nodes, m.nodeBuf[:0]), trim(m.evs, m.evBuf[:0])
		s.p.pool.Put(m)
		s.m = nil
		return
	}
	if s.p.within > 0 {
		t := int64(1<<63 - 1)
		for i := range m.runs {
			if d := s.p.deadline(&m.runs[i]); d < t {
				t = d
			}
		}
		m.timer = t
	}
}

// trim empties s for reuse, or falls back to the inline array when s grew
// past maxPooledCap.
func trim[T any](s, inline []T) []T {
	if cap(s) > maxPooledCap {
		return inline
	}
	return s[:0]
}

// deadline is when a run expires: its first event's time plus Within, or
// with WithinGap its last event's time plus Within.
func (p *Program) deadline(r *run) int64 {
	t := r.start
	if p.gap {
		t = r.prev
	}
	if t > math.MaxInt64-p.within {
		return math.MaxInt64
	}
	return t + p.within
}
