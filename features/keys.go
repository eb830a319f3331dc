package features

import "hash/maphash"

// keyTable maps keys to their states: open addressing with linear probing,
// each slot holding the key's hash beside the state, so that a lookup reads
// one slot and, on a match, the state's first cache line, where the key's
// bytes are. Deletion shifts the following slots back (no tombstones).
type keyTable struct {
	seed  maphash.Seed
	slots []slot
	n     int
}

type slot struct {
	h  uint64
	st *state
}

func newKeyTable() keyTable { return keyTable{seed: maphash.MakeSeed()} }

func (kt *keyTable) hash(key string) uint64 { return maphash.String(kt.seed, key) }

func (kt *keyTable) len() int { return kt.n }

// get returns key's state, or nil.
func (kt *keyTable) get(key string, h uint64) *state {
	if kt.n == 0 {
		return nil
	}
	mask := uint64(len(kt.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &kt.slots[i]
		if s.st == nil {
			return nil
		}
		if s.h == h && s.st.key == key {
			return s.st
		}
	}
}

// put adds st, whose key is not in the table, under hash h.
func (kt *keyTable) put(h uint64, st *state) {
	if (kt.n+1)*4 > len(kt.slots)*3 {
		kt.grow()
	}
	mask := uint64(len(kt.slots) - 1)
	i := h & mask
	for kt.slots[i].st != nil {
		i = (i + 1) & mask
	}
	kt.slots[i] = slot{h, st}
	kt.n++
}

func (kt *keyTable) grow() {
	old := kt.slots
	kt.slots = make([]slot, max(16, 2*len(old)))
	kt.n = 0
	for _, s := range old {
		if s.st != nil {
			kt.put(s.h, s.st)
		}
	}
}

// del removes st, stored under hash h.
func (kt *keyTable) del(h uint64, st *state) {
	mask := uint64(len(kt.slots) - 1)
	i := h & mask
	for kt.slots[i].st != st {
		i = (i + 1) & mask
	}
	// Shift back the slots that probed past i.
	for j := (i + 1) & mask; kt.slots[j].st != nil; j = (j + 1) & mask {
		k := kt.slots[j].h & mask // where the slot at j would like to be
		if (j > i && (k <= i || k > j)) || (j < i && k <= i && k > j) {
			kt.slots[i] = kt.slots[j]
			i = j
		}
	}
	kt.slots[i] = slot{}
	kt.n--
}

// each calls fn for every state, in no particular order.
func (kt *keyTable) each(fn func(*state)) {
	for _, s := range kt.slots {
		if s.st != nil {
			fn(s.st)
		}
	}
}
