package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Lookups: the same open-loop approach for the API's feature lookups.
// Request k is due at start + k/Rate and its latency runs from that due
// time to the end of its response, so a slow response that holds the
// requests behind it shows in their latencies (no coordinated omission).
// One goroutine hands each request, at its due time, to a bounded pool of
// Conns workers, one keep-alive connection each; when all are busy, the
// request waits for one, and the wait counts. The workers speak HTTP/1.1
// themselves (a request's bytes are built once; a response is its status
// line, headers and Content-Length bytes), which costs a fraction of
// net/http's client: on a 2-core machine the generator's CPU is the
// server's loss. The dispatcher sleeps with
// the operating system's timer (on Linux, nanosleep with a 1 µs timer
// slack on a thread of its own: Go's timers wake up to a millisecond late
// when the process is otherwise idle, which would swamp sub-millisecond
// latencies); how late it sends is reported as Send.

// LookupOptions configure a lookup run.
type LookupOptions struct {
	URL  string // the service, e.g. http://127.0.0.1:8080
	Rate int    // requests per second; default 10000
	// Duration is how long requests are sent, Warmup the first part of it
	// whose latencies are not counted. Defaults 10s and 1s.
	Duration, Warmup time.Duration
	Conns            int // concurrent requests at most (connections); default 8
	// Path gives request k's path and query, e.g.
	// /v1/features/n_1h/values/c17. Required.
	Path  func(k int) string
	Token string // a bearer token, if the service wants one
}

// LookupResult is what a lookup run measured over the requests due after
// the warm-up.
type LookupResult struct {
	Requests int
	Failed   int     // not answered 200
	Rate     float64 // requests per second achieved: Requests / (last response − first due time)
	Latency  Percentiles
	// Send is how late the dispatcher handed requests over (from the due
	// time to a worker taking it): the generator's own share of Latency,
	// with the waits for a free worker.
	Send      Percentiles
	PerSecond []time.Duration // the largest latency of the requests due in each second, the warm-up included
}

func (r LookupResult) String() string {
	return fmt.Sprintf("%d requests, %.0f requests/s achieved, %d failed\nlatency from the due time: %v\nsend lag (due time to a worker taking it): %v\nmax latency per second (ms): %v",
		r.Requests, r.Rate, r.Failed, r.Latency, r.Send, msList(r.PerSecond))
}

// RunLookups sends GET requests on a fixed schedule until Duration has
// passed, waits for the last responses, and reports. It stops early, with
// what it has, when ctx ends.
func RunLookups(ctx context.Context, o LookupOptions) (LookupResult, error) {
	if o.Rate <= 0 {
		o.Rate = 10000
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.Warmup <= 0 {
		o.Warmup = time.Second
	}
	if o.Conns <= 0 {
		o.Conns = 8
	}
	if o.URL == "" || o.Path == nil {
		return LookupResult{}, errors.New("loadgen: need URL and Path")
	}
	n := int(o.Duration.Seconds() * float64(o.Rate))
	warm := int(o.Warmup.Seconds() * float64(o.Rate))
	if n <= warm {
		return LookupResult{}, fmt.Errorf("loadgen: %d requests, all in the warm-up", n)
	}
	u, err := url.Parse(o.URL)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return LookupResult{}, fmt.Errorf("loadgen: %q is not an http:// URL", o.URL)
	}
	prefix := strings.TrimSuffix(u.Path, "/")
	reqs := make([][]byte, 0, 4096)
	for k := range min(n, cap(reqs)) { // paths repeat every 4096 requests or fewer: build them once
		r := fmt.Appendf(nil, "GET %s%s HTTP/1.1\r\nHost: %s\r\n", prefix, o.Path(k), u.Host)
		if o.Token != "" {
			r = fmt.Appendf(r, "Authorization: Bearer %s\r\n", o.Token)
		}
		reqs = append(reqs, append(r, "\r\n"...))
	}
	lat := make([]time.Duration, n)  // request k: due → response read
	send := make([]time.Duration, n) // request k: due → taken by a worker
	failed := make([]bool, n)
	var lastMu sync.Mutex
	var last time.Time
	interval := float64(time.Second) / float64(o.Rate)
	start := time.Now().Add(50 * time.Millisecond)
	due := func(k int) time.Time { return start.Add(time.Duration(float64(k) * interval)) }

	jobs := make(chan int) // unbuffered: a request waits for a free worker
	var wg sync.WaitGroup
	for range o.Conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &rawConn{addr: u.Host}
			defer c.close()
			for k := range jobs {
				send[k] = time.Since(due(k))
				ok := c.get(reqs[k%len(reqs)])
				end := time.Now()
				lat[k], failed[k] = end.Sub(due(k)), !ok
				lastMu.Lock()
				if end.After(last) {
					last = end
				}
				lastMu.Unlock()
			}
		}()
	}
	sent := dispatch(ctx, n, due, jobs)
	close(jobs)
	wg.Wait()

	var res LookupResult
	var ls, ss []time.Duration
	for k := range sent {
		sec := int(due(k).Sub(start) / time.Second)
		for len(res.PerSecond) <= sec {
			res.PerSecond = append(res.PerSecond, 0)
		}
		res.PerSecond[sec] = max(res.PerSecond[sec], lat[k])
		if k < warm {
			continue
		}
		res.Requests++
		if failed[k] {
			res.Failed++
		}
		ls, ss = append(ls, lat[k]), append(ss, send[k])
	}
	if sent > warm {
		res.Rate = float64(res.Requests) / last.Sub(due(warm)).Seconds()
	}
	res.Latency, res.Send = percentiles(ls), percentiles(ss)
	return res, nil
}

// dispatch hands k = 0, 1, ... n−1 to jobs at due(k), on a thread of its
// own, and returns how many it handed over.
func dispatch(ctx context.Context, n int, due func(int) time.Time, jobs chan<- int) int {
	done := make(chan int)
	go func() {
		release := preciseSleeper()
		defer release()
		for k := range n {
			if ctx.Err() != nil {
				done <- k
				return
			}
			if d := time.Until(due(k)); d > 0 {
				preciseSleep(d)
			}
			jobs <- k
		}
		done <- n
	}()
	return <-done
}

// rawConn is a keep-alive HTTP/1.1 connection for GET requests whose
// responses carry a Content-Length.
type rawConn struct {
	addr string
	c    net.Conn
	r    *bufio.Reader
}

func (c *rawConn) close() {
	if c.c != nil {
		c.c.Close()
		c.c = nil
	}
}

// get sends req and reads its response: true for a 200. On any trouble
// the connection is closed, and the next request opens a new one.
func (c *rawConn) get(req []byte) bool {
	if c.c == nil {
		conn, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
		if err != nil {
			return false
		}
		c.c, c.r = conn, bufio.NewReaderSize(conn, 16<<10)
	}
	c.c.SetDeadline(time.Now().Add(30 * time.Second))
	ok, err := c.roundTrip(req)
	if err != nil {
		c.close()
		return false
	}
	return ok
}

func (c *rawConn) roundTrip(req []byte) (bool, error) {
	if _, err := c.c.Write(req); err != nil {
		return false, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return false, err
	}
	ok := bytes.HasPrefix(line, []byte("HTTP/1.1 200 "))
	length := -1
	for {
		h, err := c.r.ReadSlice('\n')
		if err != nil {
			return false, err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		if name, v, found := bytes.Cut(h, []byte(":")); found && bytes.EqualFold(name, []byte("Content-Length")) {
			if length, err = strconv.Atoi(string(bytes.TrimSpace(v))); err != nil {
				return false, err
			}
		}
	}
	if length < 0 {
		return false, errors.New("a response without Content-Length")
	}
	_, err = c.r.Discard(length)
	return ok, err
}
