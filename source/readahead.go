package source

import (
	"io"
	"sync"
	"sync/atomic"
)

// countingReader counts the bytes read from a file, for progress reports
// that may come from another goroutine.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// readAhead reads from r in a goroutine, a few chunks ahead of its reader.
type readAhead struct {
	full  chan chunk    // chunks read, in order
	empty chan []byte   // buffers to fill
	stop  chan struct{} // closed by Close
	once  sync.Once
	done  chan struct{} // closed when the goroutine has returned
	cur   chunk
	off   int
}

type chunk struct {
	b   []byte
	err error
}

const (
	readAheadChunk = 1 << 20
	readAheadDepth = 4
)

func newReadAhead(r io.Reader) *readAhead {
	ra := &readAhead{
		full:  make(chan chunk, readAheadDepth),
		empty: make(chan []byte, readAheadDepth+1),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	for range readAheadDepth + 1 {
		ra.empty <- make([]byte, readAheadChunk)
	}
	go ra.run(r)
	return ra
}

func (ra *readAhead) run(r io.Reader) {
	defer close(ra.done)
	for {
		var b []byte
		select {
		case b = <-ra.empty:
		case <-ra.stop:
			return
		}
		n, err := fill(r, b)
		select {
		case ra.full <- chunk{b[:n], err}:
		case <-ra.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// fill reads until b is full or r fails. Unlike io.ReadFull, it passes
// r's error on as it is (a truncated gzip stream's io.ErrUnexpectedEOF
// must stay one, and a clean io.EOF must not become one).
func fill(r io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := r.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for ra.off == len(ra.cur.b) {
		if ra.cur.err != nil {
			return 0, ra.cur.err
		}
		if ra.cur.b != nil {
			ra.empty <- ra.cur.b[:cap(ra.cur.b)]
		}
		ra.cur = <-ra.full
		ra.off = 0
	}
	n := copy(p, ra.cur.b[ra.off:])
	ra.off += n
	return n, nil
}

// Close stops the goroutine and waits for it, so that the file can be closed.
func (ra *readAhead) Close() error {
	ra.once.Do(func() { close(ra.stop) })
	<-ra.done
	return nil
}
