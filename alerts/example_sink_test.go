package alerts_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kestrelcep/kestrel/alerts"
)

// A Router sends the alerts output to a JSONL file and to the API's store;
// Flush, at a checkpoint, returns the file's length to store with it.
func ExampleRouter() {
	dir, err := os.MkdirTemp("", "kestrel")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "alerts.jsonl")
	file, err := alerts.OpenFile(path, 0) // 0: no checkpoint yet; else its length for path
	if err != nil {
		panic(err)
	}
	var stored []string
	store := alerts.SinkFunc(func(_ context.Context, msgs []alerts.Message) error {
		for _, m := range msgs {
			stored = append(stored, m.ID)
		}
		return nil
	})
	r, err := alerts.NewRouter([]alerts.Route{
		{Outputs: []string{"alerts"}, Sink: file},
		{Name: "store", Outputs: []string{"alerts"}, Sink: store},
	}, alerts.RouterOptions{})
	if err != nil {
		panic(err)
	}
	defer r.Close()

	rec := &alerts.Record{Rule: "card_testing", Version: 1, Severity: "high", Mode: "live", Kind: alerts.KindMatch,
		Key: []byte(`"c1"`), Time: 1700000000000, Start: 1699999990000, End: 1700000000000,
		Steps: []alerts.Step{{Name: "small", Events: []alerts.Event{{Identity: "e1", JSON: []byte(`{"id":"e1"}`)}}}}}
	rec.ID = alerts.ComputeID(rec)
	ctx := context.Background()
	if err := r.Write(ctx, []alerts.Message{alerts.AlertMessage("alerts", rec)}); err != nil {
		panic(err)
	}
	sizes, err := r.Flush(ctx)
	if err != nil {
		panic(err)
	}
	content, _ := os.ReadFile(path)
	fmt.Println(sizes[path] == int64(len(content)), stored[0] == rec.ID)
	fmt.Print(string(content))
	// Output:
	// true true
	// {"id":"ee9473330fb4e9a7e20811265970f770","rule":"card_testing","version":1,"severity":"high","mode":"live","kind":"match","key":"c1","time":"2023-11-14T22:13:20.000Z","start":"2023-11-14T22:13:10.000Z","end":"2023-11-14T22:13:20.000Z","events":{"small":[{"id":"e1"}]},"fields":{},"late":false}
}
