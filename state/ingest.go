package state

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// The ingest log: events accepted over HTTP, per stream, numbered from 1.
// One goroutine (the committer) assigns sequence numbers and writes; the
// callers of AppendEvents queue behind it, and everything queued while a
// write is being synced goes into the next Badger transaction together
// (group commit), so one fsync serves many HTTP requests.

type ingestLog struct {
	db *DB
	ch chan *appendReq
	wg sync.WaitGroup

	mu      sync.Mutex
	streams map[string]*streamLog

	trimMu sync.Mutex // serializes TrimEvents
}

// streamLog is the in-memory head of one stream's log.
type streamLog struct {
	name   string
	notify chan struct{} // closed and replaced when events are committed (mu)

	loaded    bool   // next, committed, trimmed read from Badger (mu)
	next      uint64 // next sequence number to assign (committer only, once loaded)
	committed uint64 // highest sequence number written (mu)
	trimmed   uint64 // lowest sequence number kept (mu)
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
	s.next, s.committed, s.trimmed, s.loaded = next, next-1, trimmed, true
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
	for req := range l.ch {
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
		err := txn.Commit()
		txn = nil
		count, size = 0, 0
		if err != nil {
			return err
		}
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

// trimChunk is how many events TrimEvents deletes per transaction.
const trimChunk = 4096

// TrimEvents deletes the stream's events before sequence number before
// (never beyond the last written). The numbering is not reset.
func (db *DB) TrimEvents(stream string, before uint64) error {
	if err := checkName("stream", stream); err != nil {
		return err
	}
	if err := db.enter(); err != nil {
		return err
	}
	defer db.life.RUnlock()
	l := &db.ingest
	l.trimMu.Lock()
	defer l.trimMu.Unlock()
	s, err := l.stream(stream)
	if err != nil {
		return err
	}
	l.mu.Lock()
	lo, committed := s.trimmed, s.committed
	l.mu.Unlock()
	before = min(before, committed+1)
	if before <= lo {
		return nil
	}
	// Sequence numbers are dense (a failed append's gap is deleted as if it
	// were there), so the keys need not be looked up. The deletes go in
	// small transactions: a large one would hold the appends up behind it
	// in Badger's write queue (a checkpoint every 10s at 20k events/s trims
	// 200k events), while small ones share their syncs with the appends.
	for seq, end := lo, lo; seq < before && err == nil; seq = end {
		end = min(before, seq+trimChunk)
		err = db.bdb.Update(func(txn *badger.Txn) error {
			for i := seq; i < end; i++ {
				if err := txn.Delete(eventKey(stream, i)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err == nil {
		err = db.bdb.Update(func(txn *badger.Txn) error {
			return txn.Set(streamMetaKey(tagEventTrim, stream), appendU64(nil, before))
		})
	}
	if err := db.wrote("trim events", err); err != nil {
		return err
	}
	l.mu.Lock()
	s.trimmed = before
	l.mu.Unlock()
	return nil
}
