package source_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/source"
)

func ExampleOpenFile() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "txn.jsonl")
	os.WriteFile(path, []byte("{\"id\":\"a\",\"ts\":1}\r\n\n{\"id\":\"b\",\"ts\":\"x\"}\n{\"id\":\"c\",\"ts\":3}"), 0o644)

	s, _ := event.NewSchema("txn", 0, []event.Field{{Name: "id", Type: event.String}, {Name: "ts", Type: event.Time}}, "id", "ts")
	dec := event.NewJSONDecoder(s)
	r, err := source.OpenFile(path)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	for {
		line, no, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		ev := s.NewEvent()
		ev.Pos = event.Position{Source: r.Name(), Offset: no}
		switch err := dec.Decode(line, ev); err {
		case nil:
			fmt.Println(ev.Pos, ev.Identity(), ev.Time)
		case event.ErrBlankLine:
		default:
			fmt.Println(ev.Pos, "deadletter:", err)
		}
	}
	// Output:
	// txn.jsonl:1 a 1
	// txn.jsonl:3 deadletter: field "ts": invalid RFC 3339 time "x"
	// txn.jsonl:4 c 3
}
