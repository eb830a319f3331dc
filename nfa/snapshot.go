package nfa

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
)

// Snapshots of a key's state, for checkpoints (State.AppendSnapshot,
// Program.RestoreState). The form:
//
//	version      byte (snapVersion)
//	program      uint64, little endian: the Program's fingerprint
//	nodes        uvarint count, then per node, prefixes first:
//	               uvarint i-prev (0: the first event of its match)
//	               uvarint step
//	               uvarint event: 0 for an event not seen before, which
//	                 follows: varint Time and varint Seq, each as the
//	                 difference from the previous new event's, and the
//	                 payload as enc wrote it; k > 0 for the k-th event
//	runs, held   each a uvarint count, then per match:
//	               uvarint automaton state, uvarint last node,
//	               varint start, startSeq and prev as differences from the
//	               last node's event's Time, Seq and Time
//
// Only what is reachable from the partial and held matches is written, in an
// order found by walking them, so that the snapshot does not depend on the
// buffer's free lists and a restored state snapshots to the same bytes.
// Reference counts, the live counters and the next timer follow from the
// structure and are recomputed on restore.

const snapVersion = 1

// AppendSnapshot appends the key's state to b, for Program.RestoreState: its
// partial matches, the completed matches it holds, and the events they share,
// each once, as their Time, Seq and the payload that enc appends. An idle key
// (Empty) takes 12 bytes. Restoring the snapshot gives a State that behaves
// as this one would from here on: the same matches, timeouts, drops,
// NextTimer and Empty for the same calls.
func (s *State) AppendSnapshot(b []byte, enc func(b []byte, data any) []byte) []byte {
	b = append(b, snapVersion)
	b = binary.LittleEndian.AppendUint64(b, s.p.fp)
	m := s.m
	if m == nil {
		return append(b, 0, 0, 0)
	}
	// Number the reachable nodes, prefixes first, and the events as the
	// nodes first name them. id and evid hold new index+1; 0 is unseen.
	need := 3*len(m.nodes) + len(m.evs)
	var small [256]int32
	var buf []int32
	if need <= len(small) {
		buf = small[:need]
	} else {
		buf = make([]int32, need)
	}
	id, order, stack, evid := buf[:len(m.nodes)], buf[len(m.nodes):len(m.nodes)], buf[2*len(m.nodes):2*len(m.nodes)], buf[3*len(m.nodes):]
	number := func(rs []run) {
		for _, r := range rs {
			stack = stack[:0]
			for n := r.node; n >= 0 && id[n] == 0; n = m.nodes[n].prev {
				stack = append(stack, n)
			}
			for i := len(stack) - 1; i >= 0; i-- {
				order = append(order, stack[i])
				id[stack[i]] = int32(len(order))
			}
		}
	}
	number(m.runs)
	number(m.held)

	b = binary.AppendUvarint(b, uint64(len(order)))
	nev := int32(0)
	var lastT int64
	var lastSeq uint64
	for i, n := range order {
		nd := &m.nodes[n]
		if nd.prev >= 0 {
			b = binary.AppendUvarint(b, uint64(int32(i)+1-id[nd.prev]))
		} else {
			b = append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(nd.step))
		if k := evid[nd.ev]; k > 0 {
			b = binary.AppendUvarint(b, uint64(k))
			continue
		}
		nev++
		evid[nd.ev] = nev
		ev := &m.evs[nd.ev].ev
		b = append(b, 0)
		b = binary.AppendVarint(b, ev.Time-lastT)
		b = binary.AppendVarint(b, int64(ev.Seq-lastSeq))
		lastT, lastSeq = ev.Time, ev.Seq
		b = enc(b, ev.Data)
	}
	for _, rs := range [2][]run{m.runs, m.held} {
		b = binary.AppendUvarint(b, uint64(len(rs)))
		for _, r := range rs {
			b = binary.AppendUvarint(b, uint64(r.st))
			b = binary.AppendUvarint(b, uint64(id[r.node]-1))
			ev := m.eventOf(r.node)
			b = binary.AppendVarint(b, r.start-ev.Time)
			b = binary.AppendVarint(b, int64(r.startSeq-ev.Seq))
			b = binary.AppendVarint(b, r.prev-ev.Time)
		}
	}
	return b
}

// RestoreState rebuilds a key's State from AppendSnapshot's output, decoding
// each event's payload with dec, which returns the rest of its input. A
// snapshot taken with another program (one whose pattern compiles to other
// states or steps, or has another window, skip strategy or Timeouts; the
// fingerprint cannot see inside Conditions, nor MaxPartials) gives an error
// wrapping ErrSnapshotMismatch; truncated or malformed input, or an error
// from dec, one wrapping ErrSnapshotCorrupt. It never panics on bad input.
func (p *Program) RestoreState(b []byte, dec func(b []byte) (data any, rest []byte, err error)) (st *State, err error) {
	defer func() {
		if r := recover(); r != nil {
			st, err = nil, fmt.Errorf("%w: %s: %v", ErrSnapshotCorrupt, internalError, r)
		}
	}()
	r := snapReader{b: b, ok: true}
	if v := r.byte(); r.ok && v != snapVersion {
		return nil, fmt.Errorf("%w: unknown version %d", ErrSnapshotCorrupt, v)
	}
	if fp := r.uint64(); r.ok && fp != p.fp {
		return nil, fmt.Errorf("%w: the snapshot's program is %016x, this one %016x", ErrSnapshotMismatch, fp, p.fp)
	}
	nnodes := r.count(3)
	if !r.ok {
		return nil, r.err()
	}
	st = p.NewState()
	if nnodes == 0 {
		if runs, held := r.count(1), r.count(1); runs != 0 || held != 0 || !r.ok {
			return nil, r.fail("a match without events")
		}
		if r.left() > 0 {
			return nil, r.fail("trailing bytes")
		}
		return st, nil
	}
	m := st.mem()
	if nnodes > cap(m.nodes) {
		m.nodes = make([]node, 0, nnodes)
	}
	var lastT int64
	var lastSeq uint64
	for i := range nnodes {
		nd := node{prev: -1}
		if d := r.uvarint(); d > uint64(i) {
			return nil, r.fail("node %d: bad previous node", i)
		} else if d > 0 {
			nd.prev = int32(uint64(i) - d)
		}
		step := r.uvarint()
		if step >= uint64(len(p.steps)) {
			return nil, r.fail("node %d: bad step", i)
		}
		nd.step = int32(step)
		k := r.uvarint()
		switch {
		case !r.ok:
			return nil, r.err()
		case k > uint64(len(m.evs)):
			return nil, r.fail("node %d: bad event", i)
		case k > 0:
			nd.ev = int32(k - 1)
		default:
			lastT += r.varint()
			lastSeq += uint64(r.varint())
			if !r.ok {
				return nil, r.err()
			}
			data, rest, err := dec(r.b[r.i:])
			if err != nil {
				return nil, fmt.Errorf("%w: event %d: %w", ErrSnapshotCorrupt, len(m.evs), err)
			}
			if len(rest) > r.left() {
				return nil, r.fail("event %d: the decoder returned more than its input", len(m.evs))
			}
			r.i = len(r.b) - len(rest)
			nd.ev = int32(len(m.evs))
			m.evs = append(m.evs, evRec{ev: Event{Time: lastT, Seq: lastSeq, Data: data}})
		}
		m.evs[nd.ev].refs++
		if nd.prev >= 0 {
			m.nodes[nd.prev].refs++
		}
		m.nodes = append(m.nodes, nd)
	}
	for _, held := range []bool{false, true} {
		n := r.count(5)
		if rs := &m.runs; !held && n > cap(*rs) {
			*rs = make([]run, 0, n)
		}
		for range n {
			var x run
			state, nd := r.uvarint(), r.uvarint()
			if !r.ok || state >= uint64(len(p.states)) || nd >= uint64(nnodes) {
				return nil, r.fail("bad match")
			}
			x.st, x.node = int32(state), int32(nd)
			ev := m.eventOf(x.node)
			x.start = ev.Time + r.varint()
			x.startSeq = ev.Seq + uint64(r.varint())
			x.prev = ev.Time + r.varint()
			m.nodes[x.node].refs++
			rs := &m.runs
			if held {
				rs = &m.held
			}
			if k := len(*rs); k > 0 && before(x.start, x.startSeq, (*rs)[k-1].start, (*rs)[k-1].startSeq) {
				return nil, r.fail("matches out of order")
			}
			*rs = append(*rs, x)
		}
	}
	switch {
	case !r.ok:
		return nil, r.err()
	case r.left() > 0:
		return nil, r.fail("trailing bytes")
	}
	for i := range m.nodes {
		if m.nodes[i].refs == 0 {
			return nil, r.fail("node %d belongs to no match", i)
		}
	}
	m.liveNodes, m.liveEvs = int32(len(m.nodes)), int32(len(m.evs))
	st.finish()
	return st, nil
}

const internalError = "internal error"

// snapReader reads a snapshot from b[i:]; after the first problem ok is
// false and it returns zeros.
type snapReader struct {
	b   []byte
	i   int
	ok  bool
	why string
}

func (r *snapReader) bad(why string) {
	if r.why == "" {
		r.why = why
	}
	r.ok = false
	r.i = len(r.b)
}

// left is the number of bytes not read yet.
func (r *snapReader) left() int { return len(r.b) - r.i }

func (r *snapReader) err() error { return fmt.Errorf("%w: %s", ErrSnapshotCorrupt, r.why) }

func (r *snapReader) fail(format string, args ...any) error {
	if r.why == "" {
		r.why = fmt.Sprintf(format, args...)
	}
	return r.err()
}

func (r *snapReader) byte() byte {
	if r.left() < 1 {
		r.bad("truncated")
		return 0
	}
	r.i++
	return r.b[r.i-1]
}

func (r *snapReader) uint64() uint64 {
	if r.left() < 8 {
		r.bad("truncated")
		return 0
	}
	r.i += 8
	return binary.LittleEndian.Uint64(r.b[r.i-8:])
}

func (r *snapReader) uvarint() uint64 {
	if r.i < len(r.b) && r.b[r.i] < 0x80 {
		r.i++
		return uint64(r.b[r.i-1])
	}
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		r.bad("truncated or bad varint")
		return 0
	}
	r.i += n
	return v
}

func (r *snapReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// count reads a number of records of at least size bytes each, which the
// rest of the input must be able to hold.
func (r *snapReader) count(size int) int {
	v := r.uvarint()
	if v > uint64(r.left()/size) {
		r.bad("count beyond the end of the input")
		return 0
	}
	return int(v)
}

// fingerprint hashes what the meaning of a snapshot depends on: the
// automaton's states and edges (conditions by their structure and memo
// slots), the steps, the window, the skip strategy and Timeouts.
func (p *Program) fingerprint() uint64 {
	h := fnv.New64a()
	var buf [binary.MaxVarintLen64]byte
	w := func(v int64) { h.Write(binary.AppendVarint(buf[:0], v)) }
	flag := func(v bool) {
		if v {
			w(1)
		} else {
			w(0)
		}
	}
	var hcond func(c *cond)
	hcond = func(c *cond) {
		if c == nil {
			w(-1)
			return
		}
		w(int64(c.op))
		w(int64(c.slot))
		if c.op == opNot || c.op == opAnd {
			hcond(c.a)
		}
		if c.op == opAnd {
			hcond(c.b)
		}
	}
	w(snapVersion)
	w(int64(len(p.steps)))
	for _, s := range p.steps {
		w(int64(len(s)))
		h.Write([]byte(s))
	}
	w(int64(len(p.states)))
	for _, s := range p.states {
		w(int64(s.kind))
		w(int64(s.step))
		flag(s.absent)
		w(int64(len(s.edges)))
		for _, e := range s.edges {
			w(int64(e.act))
			w(int64(e.to))
			w(int64(e.step))
			hcond(e.cond)
		}
	}
	w(int64(p.start))
	w(p.within)
	flag(p.gap)
	flag(p.timeouts)
	w(int64(p.skip))
	w(int64(p.skipStep))
	w(int64(p.nslots))
	return h.Sum64()
}
