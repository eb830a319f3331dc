package engine

// queue is a binary min-heap ordered by less.
type queue[T any] struct {
	items []T
	less  func(a, b T) bool
}

func (q *queue[T]) len() int { return len(q.items) }

func (q *queue[T]) peek() T { return q.items[0] }

func (q *queue[T]) push(x T) {
	q.items = append(q.items, x)
	h := q.items
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !q.less(h[i], h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *queue[T]) pop() T {
	h := q.items
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	var zero T
	h[n] = zero
	h = h[:n]
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && q.less(h[r], h[l]) {
			m = r
		}
		if !q.less(h[m], h[i]) {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	q.items = h
	return top
}
