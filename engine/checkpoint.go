package engine

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"

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
// State is kept per group: the keys of one Kafka partition number (streams
// read by one rule are co-partitioned, so a key's events all come from one
// partition number), or group -1 for inputs that are not partitioned (HTTP,
// files). A group can move to another process: DropGroup forgets it,
// RestoreGroup brings it back from a checkpoint. State keys:
//
//	p/<group>/r/<rule>\x00<key>   a rule's state for a key (appendKeyState)
//	p/<group>/b                   the group's events waiting for the watermark, in order
//	p/<group>/m                   the group's partitions and positions, JSON
//
// Meta (JSON, stored by the caller beside the state): the front's counters
// and every partition with its position.

// StateWriter receives a checkpoint's changed state.
type StateWriter interface {
	Put(key, val []byte) error
	Delete(key []byte) error
}

// StateScanner reads back every state key with a prefix.
type StateScanner func(prefix []byte, fn func(key, val []byte) error) error

// ErrRestore marks state that could not be restored.
var ErrRestore = errors.New("engine: cannot restore checkpoint")

// LocalGroup is the group of inputs that are not partitioned.
const LocalGroup int32 = -1

// frontMeta is the front's part of a checkpoint.
type frontMeta struct {
	Partitions []PartitionInfo `json:"partitions"`
	Seq        uint64          `json:"seq"`
	Released   int64           `json:"released"` // the last watermark the shards saw
	FeatureWM  int64           `json:"feature_watermark"`
}

// GroupPrefix is the prefix of a group's state keys.
func GroupPrefix(group int32) []byte {
	return strconv.AppendInt([]byte("p/"), int64(group), 10)
}

func groupKey(group int32, suffix string) []byte {
	return append(append(GroupPrefix(group), '/'), suffix...)
}

// KeyGroup returns the group of a state key.
func KeyGroup(k []byte) (int32, bool) {
	rest, ok := bytes.CutPrefix(k, []byte("p/"))
	if !ok {
		return 0, false
	}
	i := bytes.IndexByte(rest, '/')
	if i < 0 {
		return 0, false
	}
	g, err := strconv.ParseInt(string(rest[:i]), 10, 32)
	return int32(g), err == nil
}

// Checkpoint takes a checkpoint: on the front goroutine, with every shard at
// the same barrier, it writes the changed state to w, then calls commit with
// the meta to store beside it. Nothing is processed until commit returns, so
// the caller can mark the sinks at this point (the records written before
// the barrier).
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
		// The shards encode their changed keys at once, each into a buffer
		// of its own; then w gets them in turn, so it needs no lock.
		ops := make([]stateOps, len(r.workers))
		if err := r.inParallel(func(i int) { r.workers[i].s.appendCheckpoint(ops[i].put, ops[i].del) }); err != nil {
			return err
		}
		for i := range ops {
			ops[i].replay(put, del)
			ops[i] = stateOps{}
		}
		e := r.front
		// The feature stage's keys (f/...) are this process's: features are
		// not partitioned by the inputs, so they stay out of the groups.
		e.feat.appendCheckpoint(put, del)
		infos := e.partitionInfo()
		groups := map[int32][]PartitionInfo{}
		for _, p := range infos {
			groups[p.Group] = append(groups[p.Group], p)
		}
		bufs := map[int32][]byte{}
		for _, ev := range e.buf.sorted() {
			bufs[ev.Part] = appendEvent(bufs[ev.Part], ev)
		}
		for _, g := range slices.Sorted(maps.Keys(groups)) {
			m, err := json.Marshal(groups[g])
			if err != nil {
				return err
			}
			put(groupKey(g, "b"), bufs[g])
			put(groupKey(g, "m"), m) // last: a group's checkpoint is complete once its m is there
		}
		if werr != nil {
			return werr
		}
		meta, err := json.Marshal(frontMeta{Partitions: infos, Seq: e.seq, Released: e.released, FeatureWM: e.featWM})
		if err != nil {
			return err
		}
		return commit(meta, infos)
	})
}

// Restore loads a checkpoint into a runtime that has not started: the
// counters and the local group. The groups of partitioned inputs come back
// with RestoreGroup when their partitions are assigned. The partitions come
// back with their names and positions: AddPartition returns them. State of a
// rule that is no longer in the rule set, or at another version, is dropped:
// a new version starts with no partial matches.
func (r *Runtime) Restore(meta []byte, scan StateScanner) error {
	var m frontMeta
	if err := json.Unmarshal(meta, &m); err != nil {
		return fmt.Errorf("%w: meta: %v", ErrRestore, err)
	}
	e := r.front
	e.seq, e.featWM = m.Seq, m.FeatureWM
	r.disp.last, e.released = m.Released, m.Released
	if err := scan([]byte("f/"), e.feat.restore); err != nil {
		return err
	}
	return r.restoreGroup(LocalGroup, scan)
}

// RestoreGroup brings a group back from a checkpoint (scan reads its keys,
// with the group's prefix), replacing what the runtime has of it.
func (r *Runtime) RestoreGroup(ctx context.Context, group int32, scan StateScanner) error {
	return r.do(ctx, func() error {
		var err error
		r.stopTheWorld(func() {
			r.dropGroup(group)
			err = r.restoreGroup(group, scan)
		})
		return err
	})
}

// DropGroup forgets a group: its keys, its waiting events, its partitions
// (which then hold nothing back). Nothing of it is deleted from checkpoints:
// its next owner restores it from there.
func (r *Runtime) DropGroup(ctx context.Context, group int32) error {
	return r.do(ctx, func() error {
		return r.stopTheWorld(func() { r.dropGroup(group) })
	})
}

func (r *Runtime) dropGroup(group int32) {
	for _, w := range r.workers {
		w.s.dropGroup(group)
	}
	e := r.front
	e.buf.rewrite(func(ev *event.Event) *event.Event {
		if ev.Part == group {
			return nil
		}
		return ev
	})
	for i := range e.parts {
		if p := &e.parts[i]; p.group == group {
			p.dropped, p.idle, p.attached = true, true, false
		}
	}
}

func (r *Runtime) restoreGroup(group int32, scan StateScanner) error {
	e := r.front
	err := scan(groupKey(group, "m"), func(k, v []byte) error {
		if !bytes.Equal(k, groupKey(group, "m")) {
			return nil
		}
		var infos []PartitionInfo
		if err := json.Unmarshal(v, &infos); err != nil {
			return fmt.Errorf("%w: partitions of group %d: %v", ErrRestore, group, err)
		}
		for _, p := range infos {
			s := e.rs.Stream(p.Stream)
			if s == nil {
				r.opts.Logger.Warn("checkpointed partition of a stream no longer declared; dropped", "partition", p.Name, "stream", p.Stream)
				continue
			}
			i := slices.IndexFunc(e.parts, func(q partition) bool { return q.name == p.Name })
			if i < 0 {
				i = e.AddPartition(s.Index)
			}
			q := &e.parts[i]
			q.stream, q.name, q.next, q.maxTs, q.ended, q.group = s.Index, p.Name, p.Next, p.MaxTs, p.Ended, group
			q.dropped, q.idle, q.lastSeen = false, false, r.opts.Now()
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = scan(groupKey(group, "b"), func(k, v []byte) error {
		if !bytes.Equal(k, groupKey(group, "b")) {
			return nil
		}
		for len(v) > 0 {
			ev, rest, err := decodeEvent(e.rs, v)
			if err != nil {
				return fmt.Errorf("%w: waiting events: %v", ErrRestore, err)
			}
			v = rest
			ev.Part = group
			e.buf.push(-1, ev)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return r.restoreKeys(group, scan)
}

// restoreKeys brings back a group's keys: the scan reads them on the
// calling goroutine and hands them over in batches to one goroutine per
// shard, which decodes them into its shard. The shards' own goroutines are
// not running (Restore) or parked (RestoreGroup).
func (r *Runtime) restoreKeys(group int32, scan StateScanner) error {
	const batchKeys, batchBytes = 1024, 256 << 10
	prefix := groupKey(group, "r/")
	var (
		failed  = make(chan struct{})
		errOnce sync.Once
		err     error
		wg      sync.WaitGroup
	)
	fail := func(e error) {
		errOnce.Do(func() { err = e; close(failed) })
	}
	queues := make([]chan *stateOps, len(r.workers))
	pending := make([]*stateOps, len(r.workers))
	for i, w := range r.workers {
		queues[i] = make(chan *stateOps, 4)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range queues[i] {
				if b.each(func(k, v []byte) error {
					name, key, _ := splitRuleKey(k[len(prefix):])
					return w.s.restoreKey(r.front.rs, group, name, key, v)
				}) != nil {
					fail(b.err)
					for range queues[i] { // let the scan finish sending
					}
					return
				}
			}
		}()
	}
	send := func(i int) error {
		select {
		case queues[i] <- pending[i]:
			pending[i] = nil
			return nil
		case <-failed:
			return errRestoreFailed
		}
	}
	serr := scan(prefix, func(k, v []byte) error {
		_, key, ok := splitRuleKey(k[len(prefix):])
		if !ok {
			return fmt.Errorf("%w: bad state key %q", ErrRestore, k)
		}
		i := keyShard(key, len(r.workers))
		if pending[i] == nil {
			pending[i] = &stateOps{chunk: batchBytes}
		}
		pending[i].put(k, v) // copied: k and v are the scan's only during the call
		if len(pending[i].ops) == batchKeys || len(pending[i].bufs) > 1 {
			return send(i)
		}
		return nil
	})
	for i := range pending {
		if serr == nil && pending[i] != nil {
			serr = send(i)
		}
		close(queues[i])
	}
	wg.Wait()
	if errors.Is(serr, errRestoreFailed) || (serr == nil && err != nil) {
		return err
	}
	return serr
}

// errRestoreFailed stops a scan when a shard failed to restore a key; the
// shard's error is the one returned.
var errRestoreFailed = errors.New("engine: a shard failed to restore")

// stateOps are encoded checkpoint operations: puts and deletes with their
// keys and values copied into buffers of about 1 MiB.
type stateOps struct {
	bufs  [][]byte
	ops   []stateOp
	err   error // the error that stopped each
	chunk int   // the size of a buffer; 0: stateOpsBuf
}

type stateOp struct {
	buf           int32 // the key is bufs[buf][start:keyEnd], the value bufs[buf][keyEnd:valEnd]
	del           bool
	start, keyEnd int32
	valEnd        int32
}

const stateOpsBuf = 1 << 20

func (o *stateOps) add(k, v []byte, del bool) {
	n := len(o.bufs) - 1
	if n < 0 || len(o.bufs[n])+len(k)+len(v) > cap(o.bufs[n]) {
		o.bufs = append(o.bufs, make([]byte, 0, max(cmp.Or(o.chunk, stateOpsBuf), len(k)+len(v))))
		n++
	}
	b := o.bufs[n]
	op := stateOp{buf: int32(n), del: del, start: int32(len(b))}
	b = append(b, k...)
	op.keyEnd = int32(len(b))
	b = append(b, v...)
	op.valEnd = int32(len(b))
	o.bufs[n] = b
	o.ops = append(o.ops, op)
}

func (o *stateOps) put(k, v []byte) { o.add(k, v, false) }
func (o *stateOps) del(k []byte)    { o.add(k, nil, true) }

func (o *stateOps) kv(op stateOp) (k, v []byte) {
	b := o.bufs[op.buf]
	return b[op.start:op.keyEnd:op.keyEnd], b[op.keyEnd:op.valEnd:op.valEnd]
}

// each calls fn with every put, in order, until it fails; the error is
// kept in o.err.
func (o *stateOps) each(fn func(k, v []byte) error) error {
	for _, op := range o.ops {
		if !op.del {
			if o.err = fn(o.kv(op)); o.err != nil {
				return o.err
			}
		}
	}
	return nil
}

// replay calls put and del for the operations, in order.
func (o *stateOps) replay(put func(k, v []byte), del func(k []byte)) {
	for _, op := range o.ops {
		k, v := o.kv(op)
		if op.del {
			del(k)
		} else {
			put(k, v)
		}
	}
}

// inParallel runs fn(i) on the goroutine of every shard i at once, once the
// shard has processed everything sent to it before; fn(i) must touch only
// shard i. It runs on the front goroutine.
func (r *Runtime) inParallel(fn func(i int)) error {
	r.disp.flush()
	var wg sync.WaitGroup
	wg.Add(len(r.workers))
	for i, w := range r.workers {
		w.in <- []shardMsg{{ctl: func() { fn(i); wg.Done() }}}
	}
	wg.Wait()
	return r.Err()
}

// ruleID names a rule version: two versions of a rule can run at once (one
// live, one in shadow), each with its own state.
func ruleID(r *patterns.Rule) string { return r.Name + "@" + strconv.Itoa(r.Version) }

// ruleStateKey is groupKey(group, "r/") + rule + 0 + key, in one allocation.
func ruleStateKey(group int32, rule string, key string) []byte {
	b := make([]byte, 0, len("p/-2147483648/r/")+len(rule)+1+len(key))
	b = strconv.AppendInt(append(b, "p/"...), int64(group), 10)
	b = append(b, "/r/"...)
	b = append(b, rule...)
	b = append(b, 0)
	return append(b, key...)
}

func splitRuleKey(k []byte) (rule string, key []byte, ok bool) {
	for i := range k {
		if k[i] == 0 {
			return string(k[:i]), k[i+1:], true
		}
	}
	return "", nil, false
}

// appendCheckpoint writes the keys that changed since the last checkpoint
// and starts tracking changes (the first checkpoint writes every key). put
// and del copy what they keep.
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
			k := ruleStateKey(ks.part, ruleID(rs.r), ks.key)
			if ks.dead {
				if _, live := rs.keys[ks.key]; !live { // the key may have come back since
					del(k)
				}
				continue
			}
			buf = appendKeyState(buf[:0], rs.r.Version, ks, appendEvent)
			put(k, buf)
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
func (s *shard) restoreKey(rs *patterns.RuleSet, group int32, rule string, key []byte, v []byte) error {
	var st *ruleState
	for _, x := range s.rules {
		if ruleID(x.r) == rule {
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
		s.stale = append(s.stale, ruleStateKey(group, rule, string(key)))
		return nil
	}
	ks, err := decodeKeyState(rs, st, string(key), v[n:])
	if err != nil {
		return fmt.Errorf("%w: rule %s key %s: %w", ErrRestore, rule, key, err)
	}
	ks.part = group
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

// appendSection appends what fn writes, preceded by its length. fn writes
// into b, and the length is put in front of it after.
func appendSection(b []byte, fn func([]byte) []byte) []byte {
	start := len(b)
	b = fn(b)
	n := len(b) - start
	var hdr [binary.MaxVarintLen64]byte
	h := binary.PutUvarint(hdr[:], uint64(n))
	b = append(b, hdr[:h]...)
	copy(b[start+h:], b[start:start+n])
	copy(b[start:], hdr[:h])
	return b
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

// dropGroup forgets the keys of a group, without deleting their state.
func (s *shard) dropGroup(group int32) {
	for _, rs := range s.rules {
		for key, ks := range rs.keys {
			if ks.part == group {
				ks.dead = true
				delete(rs.keys, key)
				delete(rs.dirty, ks)
			}
		}
		for ks := range rs.dirty {
			if ks.part == group {
				delete(rs.dirty, ks)
			}
		}
	}
	prefix := GroupPrefix(group)
	s.stale = slices.DeleteFunc(s.stale, func(k []byte) bool {
		return bytes.HasPrefix(k, prefix) && len(k) > len(prefix) && k[len(prefix)] == '/'
	})
}
