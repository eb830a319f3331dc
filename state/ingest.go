package state

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The ingest log: events accepted over HTTP, per stream, numbered from 1.
// One goroutine (the committer) assigns sequence numbers and writes; the
// callers of AppendEvents queue behind it, and everything queued while a
// write is being synced goes into the next Badger transaction together
// (group commit), so one fsync serves many HTTP requests.
//
// The committer also deletes what TrimEvents dropped: a few at a time in
// the transactions of the appends, so that trimming takes no transaction
// or sync of its own while events come in, and in transactions of its own
// once none have come for trimIdle, and at Close.

type ingestLog struct {
	db *DB
	ch chan *appendReq
	wg sync.WaitGroup

	mu      sync.Mutex
	streams map[string]*streamLog

	trim       chan struct{} // wakes the committer to delete trimmed events
	lastAppend time.Time     // when the committer last wrote appends (committer only)
}

// streamLog is the in-memory head of one stream's log.
type streamLog struct {
	name   string
	notify chan struct{} // closed and replaced when events are committed (mu)

	loaded    bool   // next, committed, trimmed read from Badger (mu)
	next      uint64 // next sequence number to assign (committer only, once loaded)
	committed uint64 // highest sequence number written (mu)
	trimmed   uint64 // lowest sequence number kept: readers skip what is before (mu)
	// deleted: the events before it are deleted from Badger; the trim's
	// progress, stored as the 't' key (committer only, once loaded).
	deleted uint64
}

type appendReq struct {
	stream string
	events [][]byte
	first  uint64
	err    error
	done   chan struct{}
}

func (l *ingestLog) init(db *DB) {
	l.db = db
	l.ch = make(chan *appendReq, 1024)
	l.trim = make(chan struct{}, 1)
	l.streams = make(map[string]*streamLog)
	l.wg.Add(1)
	go l.run()
}

// stop closes the queue and waits for the committer to finish it. The
// caller holds db.life for writing, so no AppendEvents is sending.
func (l *ingestLog) stop() {
	close(l.ch)
	l.wg.Wait()
}

func eventPrefix(stream string) []byte {
	b := make([]byte, 0, 2+len(stream)+1+8)
	b = append(b, 0, tagEvent)
	b = append(b, stream...)
	return append(b, 0)
}

func eventKey(stream string, seq uint64) []byte { return appendU64(eventPrefix(stream), seq) }

func streamMetaKey(tag byte, stream string) []byte {
	return append([]byte{0, tag}, stream...)
}

// stream returns the head of a stream's log, loaded from Badger.
func (l *ingestLog) stream(name string) (*streamLog, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.streamLocked(name)
	if s.loaded {
		return s, nil
	}
	next, trimmed := uint64(1), uint64(1)
	err := l.db.bdb.View(func(txn *badger.Txn) error {
		for _, m := range []struct {
			tag byte
			v   *uint64
		}{{tagEventHead, &next}, {tagEventTrim, &trimmed}} {
			item, err := txn.Get(streamMetaKey(m.tag, name))
			if errors.Is(err, badger.ErrKeyNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if err := item.Value(func(v []byte) error {
				if len(v) != 8 {
					return fmt.Errorf("%w: ingest log head of %q", ErrCorrupt, name)
				}
				*m.v = binary.BigEndian.Uint64(v)
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("state: ingest log %q: %w", name, err)
	}
	s.next, s.committed, s.trimmed, s.deleted, s.loaded = next, next-1, trimmed, trimmed, true
	return s, nil
}

func (l *ingestLog) streamLocked(name string) *streamLog {
	s := l.streams[name]
	if s == nil {
		s = &streamLog{name: name, notify: make(chan struct{})}
		l.streams[name] = s
	}
	return s
}

// AppendEvents appends events to a stream's log and returns the sequence
// number of the first; the others follow it. When it returns nil the events
// are in Badger and synced (unless Options.NoSync). Concurrent callers are
// written together. The slices must not change until it returns.
//
// Sequence numbers start at 1 and increase across restarts. A failed append
// may leave a gap, and a call larger than one Badger transaction (about 5
// MB with the default memtable) is written in several, so on error a part
// of it may be in the log.
func (db *DB) AppendEvents(stream string, events [][]byte) (first uint64, err error) {
	if err := checkName("stream", stream); err != nil {
		return 0, err
	}
	if len(events) == 0 {
		return 0, nil
	}
	req := &appendReq{stream: stream, events: events, done: make(chan struct{})}
	if err := db.enter(); err != nil {
		return 0, err
	}
	db.ingest.ch <- req
	db.life.RUnlock()
	<-req.done
	return req.first, req.err
}

func (l *ingestLog) run() {
	defer l.wg.Done()
	maxCount, maxSize := l.db.txnLimits()
	var batch []*appendReq
	for {
		var req *appendReq
		select {
		case r, ok := <-l.ch:
			if !ok {
				for l.trimSome(trimChunk) { // at Close, the rest
				}
				return
			}
			req = r
		case <-l.trim:
			// While appends come, they delete along; once they have
			// stopped for trimIdle, transactions of deletes of their own.
			if wait := trimIdle - time.Since(l.lastAppend); wait > 0 {
				time.AfterFunc(wait, l.kickTrim)
				continue
			}
			if l.trimSome(trimChunk) {
				l.kickTrim()
			}
			continue
		}
		batch = append(batch[:0], req)
		count, size := reqCost(req)
	drain:
		for count < maxCount && size < maxSize {
			select {
			case r, ok := <-l.ch:
				if !ok {
					break drain
				}
				batch = append(batch, r)
				c, s := reqCost(r)
				count, size = count+c, size+s
			default:
				break drain
			}
		}
		l.commit(batch)
		clear(batch)
	}
}

func reqCost(r *appendReq) (count, size int64) {
	for _, e := range r.events {
		size += entrySize(len(r.stream)+11, len(e))
	}
	return int64(len(r.events)), size
}

// commit writes a batch of requests in as few transactions as the limits
// allow, and completes each request.
func (l *ingestLog) commit(batch []*appendReq) {
	db := l.db
	maxCount, maxSize := db.txnLimits()
	var (
		txn         *badger.Txn
		count, size int64
		touched     = make(map[*streamLog]uint64) // stream → its last seq in txn
		waiting     []*appendReq                  // requests complete when txn commits
	)
	finish := func(reqs []*appendReq, err error) {
		for _, r := range reqs {
			r.err = err
			close(r.done)
		}
	}
	flush := func() error {
		if txn == nil {
			return nil
		}
		for s, last := range touched {
			if err := txn.Set(streamMetaKey(tagEventHead, s.name), appendU64(nil, last+1)); err != nil {
				txn.Discard()
				return err
			}
		}
		// Deletes of trimmed events ride along, up to twice the events
		// appended.
		deleted, err := l.addTrims(txn, max(256, 2*int(count)), maxCount-count-int64(len(touched))-2, maxSize-size-64*int64(len(touched)+1))
		if err != nil {
			txn.Discard()
			return err
		}
		err = txn.Commit()
		txn = nil
		count, size = 0, 0
		if err != nil {
			return err
		}
		l.trimmedTo(deleted)
		l.mu.Lock()
		for s, last := range touched {
			s.committed = last
			close(s.notify)
			s.notify = make(chan struct{})
		}
		l.mu.Unlock()
		clear(touched)
		finish(waiting, nil)
		waiting = waiting[:0]
		return nil
	}
	fail := func(i int, err error) {
		if txn != nil {
			txn.Discard()
		}
		err = db.wrote("append events", err)
		finish(waiting, err)
		finish(batch[i:], err)
	}
	for i, req := range batch {
		s, err := l.stream(req.stream)
		if err != nil {
			finish(batch[i:i+1], err)
			continue
		}
		req.first = s.next
		for _, ev := range req.events {
			es := entrySize(len(req.stream)+11, len(ev))
			if txn != nil && (count+int64(len(touched))+2 > maxCount || size+es+64*int64(len(touched)+1) > maxSize) {
				if err := flush(); err != nil {
					fail(i, err)
					return
				}
			}
			if txn == nil {
				txn = db.bdb.NewTransaction(true)
			}
			if err := txn.Set(eventKey(req.stream, s.next), ev); err != nil {
				fail(i, err)
				return
			}
			touched[s] = s.next
			s.next++
			count++
			size += es
		}
		waiting = append(waiting, req)
	}
	if err := flush(); err != nil {
		fail(len(batch), err)
		return
	}
	db.wrote("append events", nil)
	l.lastAppend = time.Now()
}

func (l *ingestLog) kickTrim() {
	select {
	case l.trim <- struct{}{}:
	default:
	}
}

// trimPending reports whether some stream has trimmed events not deleted.
func (l *ingestLog) trimPending() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.streams {
		if s.loaded && s.deleted < s.trimmed {
			return true
		}
	}
	return false
}

// addTrims adds to txn the deletes of up to n trimmed events, within count
// entries and size bytes, and the trims' progress; it returns the streams'
// new progress, for trimmedTo once txn is committed. The committer calls
// it.
func (l *ingestLog) addTrims(txn *badger.Txn, n int, count, size int64) (map[*streamLog]uint64, error) {
	type pending struct {
		s      *streamLog
		target uint64
	}
	var ps []pending
	l.mu.Lock()
	for _, s := range l.streams {
		if s.loaded && s.deleted < s.trimmed {
			ps = append(ps, pending{s, s.trimmed})
		}
	}
	l.mu.Unlock()
	var done map[*streamLog]uint64
	for _, p := range ps {
		es := entrySize(len(p.s.name)+11, 0)
		seq := p.s.deleted
		for seq < p.target && n > 0 && count > 1 && size > es+64 {
			if err := txn.Delete(eventKey(p.s.name, seq)); err != nil {
				return nil, err
			}
			seq, n, count, size = seq+1, n-1, count-1, size-es
		}
		if seq == p.s.deleted {
			break
		}
		if err := txn.Set(streamMetaKey(tagEventTrim, p.s.name), appendU64(nil, seq)); err != nil {
			return nil, err
		}
		count, size = count-1, size-64
		if done == nil {
			done = map[*streamLog]uint64{}
		}
		done[p.s] = seq
	}
	return done, nil
}

// trimmedTo records the progress of committed deletes.
func (l *ingestLog) trimmedTo(done map[*streamLog]uint64) {
	for s, seq := range done {
		s.deleted = seq
	}
}

// trimSome deletes up to n trimmed events in a transaction of its own, and
// reports whether there are more to delete.
func (l *ingestLog) trimSome(n int) bool {
	db := l.db
	maxCount, maxSize := db.txnLimits()
	txn := db.bdb.NewTransaction(true)
	defer txn.Discard()
	done, err := l.addTrims(txn, n, maxCount-2, maxSize-1024)
	if err == nil && len(done) == 0 {
		return false
	}
	if err == nil {
		err = txn.Commit()
	}
	if db.wrote("trim events", err) != nil {
		return false // the next TrimEvents or append tries again
	}
	l.trimmedTo(done)
	return l.trimPending()
}

// ReadEvents calls fn for the events of a stream from sequence number from
// on, in order, at most limit of them (limit ≤ 0: all), and returns the
// sequence number to read from next. Events trimmed away are skipped. raw
// is valid only during the call. An error from fn stops the read and is
// returned.
func (db *DB) ReadEvents(stream string, from uint64, limit int, fn func(seq uint64, raw []byte) error) (next uint64, err error) {
	if err := checkName("stream", stream); err != nil {
		return from, err
	}
	if err := db.enter(); err != nil {
		return from, err
	}
	defer db.life.RUnlock()
	s, err := db.ingest.stream(stream)
	if err != nil {
		return from, err
	}
	db.ingest.mu.Lock()
	trimmed := s.trimmed
	db.ingest.mu.Unlock()
	next = max(from, 1)
	start := max(next, trimmed)
	pfx := eventPrefix(stream)
	err = db.bdb.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.PrefetchValues = false
		o.Prefix = pfx
		it := txn.NewIterator(o)
		defer it.Close()
		n := 0
		for it.Seek(eventKey(stream, start)); it.Valid(); it.Next() {
			item := it.Item()
			k := item.Key()
			if len(k) != len(pfx)+8 {
				return fmt.Errorf("%w: ingest log key %x", ErrCorrupt, k)
			}
			seq := binary.BigEndian.Uint64(k[len(pfx):])
			if err := item.Value(func(v []byte) error { return fn(seq, v) }); err != nil {
				return err
			}
			next = seq + 1
			if n++; limit > 0 && n >= limit {
				break
			}
		}
		return nil
	})
	return next, err
}

// LastSeq returns the highest sequence number written to a stream's log
// (0 when none was).
func (db *DB) LastSeq(stream string) (uint64, error) {
	if err := checkName("stream", stream); err != nil {
		return 0, err
	}
	if err := db.enter(); err != nil {
		return 0, err
	}
	defer db.life.RUnlock()
	s, err := db.ingest.stream(stream)
	if err != nil {
		return 0, err
	}
	db.ingest.mu.Lock()
	defer db.ingest.mu.Unlock()
	return s.committed, nil
}

// Notify returns a channel that is closed when events are next appended
// to the stream. Take the channel before reading, then wait on it:
//
//	for {
//		ch := db.Notify(s)
//		next, err = db.ReadEvents(s, next, 1000, fn)
//		...
//		<-ch
//	}
func (db *DB) Notify(stream string) <-chan struct{} {
	l := &db.ingest
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.streamLocked(stream).notify
}

// WaitEvents returns nil once the stream's log holds an event after
// sequence number after, ctx.Err() when ctx is done first, and ErrClosed
// when the DB is closed.
func (db *DB) WaitEvents(ctx context.Context, stream string, after uint64) error {
	for {
		ch := db.Notify(stream)
		last, err := db.LastSeq(stream)
		if err != nil {
			return err
		}
		if last > after {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-db.done:
			return ErrClosed
		}
	}
}

// trimChunk is how many trimmed events the committer deletes in one
// transaction of its own, once no append has come for trimIdle. (Deleting
// in transactions of their own while appends come holds the appends up,
// however small they are: a checkpoint every 5s at 20k events/s took the
// p99 of HTTP ingest from 6-8 ms to 130-420 ms.)
const (
	trimChunk = 4096
	trimIdle  = 200 * time.Millisecond
)

// TrimEvents drops the stream's events before sequence number before
// (never beyond the last written): readers skip them from now on, and the
// committer deletes them from Badger, in the transactions of later appends
// or in its own while none come, and at Close. The numbering is not reset.
func (db *DB) TrimEvents(stream string, before uint64) error {
	if err := checkName("stream", stream); err != nil {
		return err
	}
	if err := db.enter(); err != nil {
		return err
	}
	defer db.life.RUnlock()
	l := &db.ingest
	s, err := l.stream(stream)
	if err != nil {
		return err
	}
	l.mu.Lock()
	before = min(before, s.committed+1)
	more := before > s.trimmed
	if more {
		s.trimmed = before
	}
	l.mu.Unlock()
	if more {
		l.kickTrim()
	}
	return nil
}
