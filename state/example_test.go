package state_test

import (
	"fmt"
	"log"
	"os"

	"github.com/kestrelcep/kestrel/state"
)

func Example() {
	dir, _ := os.MkdirTemp("", "kestrel-state")
	defer os.RemoveAll(dir)
	db, err := state.Open(dir, state.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	// The HTTP source: durable before the 202.
	first, _ := db.AppendEvents("txn", [][]byte{[]byte(`{"card":"c1"}`), []byte(`{"card":"c2"}`)})
	next, _ := db.ReadEvents("txn", first, 100, func(seq uint64, raw []byte) error {
		fmt.Println(seq, string(raw))
		return nil
	})

	// A checkpoint: positions and changed state, atomically.
	w, _ := db.NewCheckpoint(1)
	w.Put([]byte("rule/velocity/c1"), []byte("partial match"))
	w.Commit(fmt.Appendf(nil, `{"positions":{"txn":%d}}`, next))
	cp, _, _ := db.LastCheckpoint()
	fmt.Println(cp.ID, string(cp.Meta))
	db.ScanState([]byte("rule/"), func(k, v []byte) error {
		fmt.Println(string(k), string(v))
		return nil
	})

	// Definitions.
	v, _ := db.PutDefinition("rules", "velocity", state.Definition{Source: "rule velocity ...", Author: "ana"}, 0)
	_, err = db.PutDefinition("rules", "velocity", state.Definition{Source: "rule velocity ..."}, v+1)
	fmt.Println(v, err)
	// Output:
	// 1 {"card":"c1"}
	// 2 {"card":"c2"}
	// 1 {"positions":{"txn":3}}
	// rule/velocity/c1 partial match
	// 1 state: version conflict: rules/velocity is at version 1, not 2
}
