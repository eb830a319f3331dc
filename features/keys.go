package features

import "hash/maphash"

// keyTable maps keys to their states: open addressing with linear probing,
// each slot holding the key's hash beside the state, so that a lookup reads
// one slot and, on a match, the state's first cache line, where the key's
// bytes are. Deletion shifts the following slots back (no tombstones).
// S is a pointer to a key's state (*state for a Feature, *gstate for a
// Group).
type keyTable[S keyed] struct {
	seed  maphash.Seed
	slots []slot[S]
	n     int
}

// keyed is a key's state as the table sees it.
type keyed interface {
	comparable
	keyString() string
}

type slot[S keyed] struct {
	h  uint64
	st S
}

func newKeyTable[S keyed]() keyTable[S] { return keyTable[S]{seed: maphash.MakeSeed()} }

func (kt *keyTable[S]) hash(key string) uint64 { return maphash.String(kt.seed, key) }

func (kt *keyTable[S]) len() int { return kt.n }

// get returns key's state, or the zero S.
func (kt *keyTable[S]) get(key string, h uint64) S {
	var none S
	if kt.n == 0 {
		return none
	}
	mask := uint64(len(kt.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &kt.slots[i]
		if s.st == none {
			return none
		}
		if s.h == h && s.st.keyString() == key {
			return s.st
		}
	}
}

// put adds st, whose key is not in the table, under hash h.
func (kt *keyTable[S]) put(h uint64, st S) {
	var none S
	if (kt.n+1)*4 > len(kt.slots)*3 {
		kt.grow()
	}
	mask := uint64(len(kt.slots) - 1)
	i := h & mask
	for kt.slots[i].st != none {
		i = (i + 1) & mask
	}
	kt.slots[i] = slot[S]{h, st}
	kt.n++
}

func (kt *keyTable[S]) grow() {
	var none S
	old := kt.slots
	kt.slots = make([]slot[S], max(16, 2*len(old)))
	kt.n = 0
	for _, s := range old {
		if s.st != none {
			kt.put(s.h, s.st)
		}
	}
}

// del removes st, stored under hash h.
func (kt *keyTable[S]) del(h uint64, st S) {
	var none S
	mask := uint64(len(kt.slots) - 1)
	i := h & mask
	for kt.slots[i].st != st {
		i = (i + 1) & mask
	}
	// Shift back the slots that probed past i.
	for j := (i + 1) & mask; kt.slots[j].st != none; j = (j + 1) & mask {
		k := kt.slots[j].h & mask // where the slot at j would like to be
		if (j > i && (k <= i || k > j)) || (j < i && k <= i && k > j) {
			kt.slots[i] = kt.slots[j]
			i = j
		}
	}
	kt.slots[i] = slot[S]{}
	kt.n--
}

// each calls fn for every state, in no particular order.
func (kt *keyTable[S]) each(fn func(S)) {
	var none S
	for _, s := range kt.slots {
		if s.st != none {
			fn(s.st)
		}
	}
}
