package engine

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/patterns"
)

// Checkpoints. At a barrier the front stops taking batches, the shards write
// the state of every key that changed since the last checkpoint, the front
// writes its own (partitions, the events waiting for the watermark), and the
// caller commits all of it with the source positions in one transaction
// before the front goes on. Restoring gives an engine that continues exactly
// as the checkpointed one would have.
//
// State keys:
//
//	r/<rule>\x00<key>   a rule's NFA state for a key: uvarint version, then nfa's snapshot
//	b                   the events waiting for the watermark, in release order
//
// Meta (JSON, stored by the caller beside the state): the partitions with
// their positions and the front's counters.

// StateWriter receives a checkpoint's changed state.
type StateWriter interface {
	Put(key, val []byte) error
	Delete(key []byte) error
}

// StateScanner reads back every state key with a prefix.
type StateScanner func(prefix []byte, fn func(key, val []byte) error) error

// ErrRestore marks state that could not be restored.
var ErrRestore = errors.New("engine: cannot restore checkpoint")

// frontMeta is the front's part of a checkpoint.
type frontMeta struct {
	Partitions []PartitionInfo `json:"partitions"`
	Seq        uint64          `json:"seq"`
	Released   int64           `json:"released"` // the last watermark the shards saw
	FeatureWM  int64           `json:"feature_watermark"`
}

// Checkpoint takes a checkpoint: on the front goroutine, with every shard at
// the same barrier, it writes the changed state to w, then calls commit with
// the meta to store beside it. Nothing is processed until commit returns, so
// the caller can make the sinks durable up to this point (the records written
// before the barrier) and commit one transaction.
func (r *Runtime) Checkpoint(ctx context.Context, w StateWriter, commit func(meta []byte, parts []PartitionInfo) error) error {
	return r.do(ctx, func() error {
		var werr error
		put := func(k, v []byte) {
			if werr == nil {
				werr = w.Put(k, v)
			}
		}
		del := func(k []byte) {
			if werr == nil {
				werr = w.Delete(k)
			}
		}
		// The shards write in turn, so w needs no lock.
		if err := r.barrier(func(wk *worker) { wk.s.appendCheckpoint(put, del) }); err != nil {
			return err
		}
		e := r.front
		var buf []byte
		for _, ev := range e.buf.sorted() {
			buf = appendEvent(buf, ev)
		}
		put([]byte("b"), buf)
		if werr != nil {
			return werr
		}
		m := frontMeta{Partitions: e.partitionInfo(), Seq: e.seq, Released: e.released, FeatureWM: e.featWM}
		meta, err := json.Marshal(m)
		if err != nil {
			return err
		}
		return commit(meta, m.Partitions)
	})
}

// Restore loads a checkpoint into a runtime that has not started. The
// partitions come back with their names and positions; the caller looks them
// up with Partitions and resumes its sources there. State of a rule that is
// no longer in the rule set, or at another version, is dropped: a new version
// starts with no partial matches.
func (r *Runtime) Restore(meta []byte, scan StateScanner) error {
	var m frontMeta
	if err := json.Unmarshal(meta, &m); err != nil {
		return fmt.Errorf("%w: meta: %v", ErrRestore, err)
	}
	e := r.front
	for _, p := range m.Partitions {
		s := e.rs.Stream(p.Stream)
		if s == nil {
			r.opts.Logger.Warn("checkpointed partition of a stream no longer declared; dropped", "partition", p.Name, "stream", p.Stream)
			continue
		}
		i := e.AddPartition(s.Index)
		e.parts[i].name, e.parts[i].next, e.parts[i].maxTs, e.parts[i].ended = p.Name, p.Next, p.MaxTs, p.Ended
		e.parts[i].lastSeen = r.opts.Now()
	}
	e.seq, e.featWM = m.Seq, m.FeatureWM
	r.disp.last, e.released = m.Released, m.Released
	err := scan([]byte("b"), func(k, v []byte) error {
		if len(k) != 1 {
			return nil
		}
		for len(v) > 0 {
			ev, rest, err := decodeEvent(e.rs, v)
			if err != nil {
				return fmt.Errorf("%w: waiting events: %v", ErrRestore, err)
			}
			v = rest
			e.buf.push(ev)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return scan([]byte("r/"), func(k, v []byte) error {
		name, key, ok := splitRuleKey(k)
		if !ok {
			return fmt.Errorf("%w: bad state key %q", ErrRestore, k)
		}
		s := r.workers[keyShard(key, len(r.workers))].s
		return s.restoreKey(e.rs, name, key, v)
	})
}

func ruleStateKey(rule string, key string) []byte {
	b := make([]byte, 0, 2+len(rule)+1+len(key))
	b = append(b, "r/"...)
	b = append(b, rule...)
	b = append(b, 0)
	return append(b, key...)
}

func splitRuleKey(k []byte) (rule string, key []byte, ok bool) {
	if len(k) < 3 || string(k[:2]) != "r/" {
		return "", nil, false
	}
	for i := 2; i < len(k); i++ {
		if k[i] == 0 {
			return string(k[2:i]), k[i+1:], true
		}
	}
	return "", nil, false
}

// appendCheckpoint writes the keys that changed since the last checkpoint
// and starts tracking changes (the first checkpoint writes every key).
func (s *shard) appendCheckpoint(put func(k, v []byte), del func(k []byte)) {
	var buf []byte
	for _, rs := range s.rules {
		if rs.dirty == nil {
			rs.dirty = map[*keyState]struct{}{}
			for _, ks := range rs.keys {
				rs.dirty[ks] = struct{}{}
			}
		}
		for ks := range rs.dirty {
			k := ruleStateKey(rs.r.Name, ks.key)
			if ks.dead {
				if _, live := rs.keys[ks.key]; !live { // the key may have come back since
					del(k)
				}
				continue
			}
			buf = appendKeyState(buf[:0], rs.r.Version, ks, appendEvent)
			put(k, append([]byte(nil), buf...))
		}
		clear(rs.dirty)
	}
	for _, k := range s.stale {
		del(k)
	}
	s.stale = nil
}

// restoreKey brings back one key's NFA state and its timer. State of a rule
// that is gone or at another version is deleted by the next checkpoint.
func (s *shard) restoreKey(rs *patterns.RuleSet, rule string, key []byte, v []byte) error {
	var st *ruleState
	for _, x := range s.rules {
		if x.r.Name == rule {
			st = x
		}
		if x.dirty == nil {
			x.dirty = map[*keyState]struct{}{}
		}
	}
	ver, n := binary.Uvarint(v)
	if n <= 0 {
		return fmt.Errorf("%w: rule %s key %s: bad version", ErrRestore, rule, key)
	}
	if st == nil || ver != uint64(st.r.Version) {
		s.stale = append(s.stale, ruleStateKey(rule, string(key)))
		return nil
	}
	ks, err := decodeKeyState(rs, st, string(key), v[n:])
	if err != nil {
		return fmt.Errorf("%w: rule %s key %s: %w", ErrRestore, rule, key, err)
	}
	st.keys[ks.key] = ks
	s.schedule(st, ks)
	if ks.hist != nil {
		s.scheduleFold(st, ks)
	}
	return nil
}

// appendKeyState encodes a key's state: the rule version, the NFA state and,
// for rules with lateness, the history (base state, retained events,
// written ids).
func appendKeyState(b []byte, version int, ks *keyState, enc func([]byte, *event.Event) []byte) []byte {
	encData := func(b []byte, data any) []byte { return enc(b, data.(*event.Event)) }
	b = binary.AppendUvarint(b, uint64(version))
	b = appendSection(b, func(b []byte) []byte { return ks.st.AppendSnapshot(b, encData) })
	if ks.hist == nil {
		return append(b, 0)
	}
	h := ks.hist
	b = append(b, 1)
	b = appendSection(b, func(b []byte) []byte { return h.base.AppendSnapshot(b, encData) })
	b = binary.AppendUvarint(b, uint64(len(h.events)))
	for _, ev := range h.events {
		b = enc(b, ev)
	}
	b = binary.AppendUvarint(b, uint64(len(h.written)))
	for _, id := range slices.Sorted(maps.Keys(h.written)) {
		b = binary.AppendUvarint(b, uint64(len(id)))
		b = append(b, id...)
		b = binary.AppendVarint(b, h.written[id])
	}
	return b
}

// appendSection appends what fn writes, preceded by its length.
func appendSection(b []byte, fn func([]byte) []byte) []byte {
	body := fn(nil)
	b = binary.AppendUvarint(b, uint64(len(body)))
	return append(b, body...)
}

func decodeKeyState(rs *patterns.RuleSet, st *ruleState, key string, b []byte) (*keyState, error) {
	d := &decoder{b: b}
	dec := func(b []byte) (any, []byte, error) { return decodeEvent(rs, b) }
	nst, err := st.r.Program.RestoreState(d.section(), dec)
	if err != nil {
		return nil, err
	}
	ks := &keyState{key: key, st: nst, timer: maxTime}
	if d.byte() == 1 {
		h := newHistory(st.r)
		if h.base, err = st.r.Program.RestoreState(d.section(), dec); err != nil {
			return nil, err
		}
		for n := d.uvarint(); n > 0 && d.err == nil; n-- {
			ev, rest, err := decodeEvent(rs, d.b)
			if err != nil {
				return nil, err
			}
			d.b = rest
			h.events = append(h.events, ev)
		}
		for n := d.uvarint(); n > 0 && d.err == nil; n-- {
			id := string(d.bytes(int(d.uvarint())))
			h.written[id] = d.varint()
		}
		ks.hist = h
	}
	if d.err == nil && len(d.b) > 0 {
		d.err = fmt.Errorf("%d bytes after the key's state", len(d.b))
	}
	return ks, d.err
}

// decoder reads a key state's encoding; the first problem sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("truncated or corrupt %s", what)
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("number")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("number")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail("flag")
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) bytes(n int) []byte {
	if n < 0 || n > len(d.b) {
		d.fail("bytes")
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) section() []byte { return d.bytes(int(d.uvarint())) }

// appendEvent writes an event with its stream's name, so that it is decoded
// against the stream's schema of the rule set that restores it.
func appendEvent(b []byte, ev *event.Event) []byte {
	b = binary.AppendUvarint(b, uint64(len(ev.Schema.Name)))
	b = append(b, ev.Schema.Name...)
	return ev.AppendBinary(b)
}

func decodeEvent(rs *patterns.RuleSet, b []byte) (*event.Event, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return nil, nil, fmt.Errorf("%w: truncated event", ErrRestore)
	}
	name := string(b[k : k+int(n)])
	st := rs.Stream(name)
	if st == nil {
		return nil, nil, fmt.Errorf("%w: event of stream %s, which is no longer declared", ErrRestore, name)
	}
	return st.Schema.DecodeBinary(b[k+int(n):])
}

// sorted returns the queue's items in order, leaving it as it is.
func (q *queue[T]) sorted() []T {
	out := slices.Clone(q.items)
	slices.SortFunc(out, func(a, b T) int {
		switch {
		case q.less(a, b):
			return -1
		case q.less(b, a):
			return 1
		}
		return 0
	})
	return out
}
