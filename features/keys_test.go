package features

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestKeyTable checks the open-addressing table against a Go map through
// random inserts and deletes, with a tiny hash space so that probe chains
// collide and wrap around.
func TestKeyTable(t *testing.T) {
	for _, mode := range []string{"low", "high", "full"} {
		r := rand.New(rand.NewPCG(uint64(len(mode)), 9))
		kt := newKeyTable[*state]()
		hash := func(k string) uint64 {
			switch mode {
			case "low": // 8 home slots at the start: long chains
				return kt.hash(k) >> 61
			case "high": // 8 home slots at the end: chains wrap around
				return ^uint64(0) - kt.hash(k)>>61
			}
			return kt.hash(k)
		}
		ref := map[string]*state{}
		for i := range 20_000 {
			key := fmt.Sprintf("k%d", r.IntN(300))
			h := hash(key)
			st := kt.get(key, h)
			if st != ref[key] {
				t.Fatalf("step %d: get %q = %p, want %p", i, key, st, ref[key])
			}
			if st == nil {
				st = newState(key, nil)
				kt.put(h, st)
				ref[key] = st
			} else if r.IntN(2) == 0 {
				kt.del(h, st)
				delete(ref, key)
			}
			if kt.len() != len(ref) {
				t.Fatalf("step %d: %d keys, want %d", i, kt.len(), len(ref))
			}
		}
		n := 0
		kt.each(func(st *state) {
			n++
			if ref[st.key] != st {
				t.Fatalf("each: %q not in the table", st.key)
			}
		})
		if n != len(ref) {
			t.Fatalf("each: %d keys, want %d", n, len(ref))
		}
	}
}
