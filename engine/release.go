package engine

import (
	"cmp"
	"slices"

	"github.com/kestrelcep/kestrel/event"
)

// releaseQueue holds the events waiting for the watermark, in release order
// (time, then arrival). A partition's events mostly arrive in time order, so
// each partition's wait in a sorted queue of their own and the next event is
// the least of the queues' heads: a few comparisons per event instead of a
// heap over every waiting event, which holds thousands when partitions are
// at different points.
type releaseQueue struct {
	qs    []partQueue // by partition
	loose partQueue   // events whose partition is not known (restored from a checkpoint)
	n     int
}

// partQueue is one partition's waiting events, sorted, from head on.
type partQueue struct {
	evs  []*event.Event
	head int
}

func evLess(a, b *event.Event) bool {
	return a.Time < b.Time || (a.Time == b.Time && a.Seq < b.Seq)
}

// evCmp is release order as a comparison (time, then arrival).
func evCmp(a, b *event.Event) int {
	return cmp.Or(cmp.Compare(a.Time, b.Time), cmp.Compare(a.Seq, b.Seq))
}

func (q *releaseQueue) len() int { return q.n }

// push adds an event of partition p, or of no known partition when p < 0.
func (q *releaseQueue) push(p int, ev *event.Event) {
	pq := &q.loose
	if p >= 0 {
		if p >= len(q.qs) {
			q.qs = append(q.qs, make([]partQueue, p+1-len(q.qs))...)
		}
		pq = &q.qs[p]
	}
	pq.push(ev)
	q.n++
}

func (pq *partQueue) push(ev *event.Event) {
	live := pq.evs[pq.head:]
	if len(live) == 0 || !evLess(ev, live[len(live)-1]) {
		if pq.head > 0 && pq.head == len(pq.evs) {
			pq.evs, pq.head = pq.evs[:0], 0 // empty: start over at the front
		}
		pq.evs = append(pq.evs, ev)
		return
	}
	i, _ := slices.BinarySearchFunc(live, ev, evCmp)
	pq.evs = slices.Insert(pq.evs, pq.head+i, ev)
}

// min returns the queue whose head comes first; nil when all are empty.
func (q *releaseQueue) min() *partQueue {
	var best *partQueue
	for i := range q.qs {
		pq := &q.qs[i]
		if pq.head < len(pq.evs) && (best == nil || evLess(pq.evs[pq.head], best.evs[best.head])) {
			best = pq
		}
	}
	if pq := &q.loose; pq.head < len(pq.evs) && (best == nil || evLess(pq.evs[pq.head], best.evs[best.head])) {
		best = pq
	}
	return best
}

// peek returns the next event; the queue must not be empty.
func (q *releaseQueue) peek() *event.Event {
	pq := q.min()
	return pq.evs[pq.head]
}

// pop removes and returns the next event; the queue must not be empty.
func (q *releaseQueue) pop() *event.Event {
	pq := q.min()
	ev := pq.evs[pq.head]
	pq.evs[pq.head] = nil
	pq.head++
	if pq.head == len(pq.evs) {
		pq.evs, pq.head = pq.evs[:0], 0
	} else if pq.head > 1024 && pq.head*2 > len(pq.evs) {
		pq.evs = append(pq.evs[:0], pq.evs[pq.head:]...) // reclaim the front
		pq.head = 0
	}
	q.n--
	return ev
}

// sorted returns every waiting event in release order, leaving the queue as
// it is.
func (q *releaseQueue) sorted() []*event.Event {
	out := make([]*event.Event, 0, q.n)
	for i := range q.qs {
		out = append(out, q.qs[i].evs[q.qs[i].head:]...)
	}
	out = append(out, q.loose.evs[q.loose.head:]...)
	slices.SortFunc(out, evCmp)
	return out
}

// rewrite replaces every waiting event by what f returns for it, dropping
// those for which it returns nil; the order is kept.
func (q *releaseQueue) rewrite(f func(*event.Event) *event.Event) {
	q.n = q.loose.rewrite(f)
	for i := range q.qs {
		q.n += q.qs[i].rewrite(f)
	}
}

// rewrite is releaseQueue.rewrite for one queue; it returns its length.
// The events keep their time and arrival, so the order holds.
func (pq *partQueue) rewrite(f func(*event.Event) *event.Event) int {
	live := pq.evs[:0]
	for _, ev := range pq.evs[pq.head:] {
		if nev := f(ev); nev != nil {
			live = append(live, nev)
		}
	}
	clear(pq.evs[len(live):])
	pq.evs, pq.head = live, 0
	return len(live)
}
