package source

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// appendFile appends s to the file at path. It may run in a goroutine of
// its own, so it reports errors with Error rather than Fatal.
func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		t.Error(err)
		return
	}
	if _, err := f.WriteString(s); err != nil {
		t.Error(err)
	}
	if err := f.Close(); err != nil {
		t.Error(err)
	}
}

// nextWithin is Next with a deadline, failing the test when it passes.
func nextWithin(t *testing.T, f *Follower, d time.Duration) Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	rec, err := f.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return rec
}

func TestFollowAppended(t *testing.T) {
	path := filepath.Join(t.TempDir(), "login.jsonl")
	appendFile(t, path, "\xef\xbb\xbf{\"n\":1}\r\n{\"n\":2}\n")
	f, err := FollowFile(path, FollowOptions{Poll: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	// A writer appends 200 lines in small pieces, some split mid-line,
	// while the follower reads.
	const n = 200
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 3; i <= n; i++ {
			line := fmt.Sprintf("{\"n\":%d}\n", i)
			if i%3 == 0 {
				appendFile(t, path, line[:4])
				appendFile(t, path, line[4:])
			} else {
				appendFile(t, path, line)
			}
		}
	}()
	var off int64
	for i := 1; i <= n; i++ {
		rec := nextWithin(t, f, 10*time.Second)
		want := fmt.Sprintf("{\"n\":%d}", i)
		if string(rec.Value) != want || rec.Line != int64(i) || rec.Offset != off || rec.Source != "login.jsonl" {
			t.Fatalf("record %d = %+v (value %q), want %s at line %d offset %d", i, rec, rec.Value, want, i, off)
		}
		off = rec.Next
	}
	<-done
	st, _ := os.Stat(path)
	if off != st.Size() {
		t.Errorf("last Next = %d, file size %d", off, st.Size())
	}
}

// A line without its break is held back until the break arrives.
func TestFollowPartialLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	appendFile(t, path, "{\"n\":1}\n{\"n\":")
	f, err := FollowFile(path, FollowOptions{Poll: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if rec := nextWithin(t, f, 5*time.Second); string(rec.Value) != `{"n":1}` {
		t.Fatalf("first record %q", rec.Value)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	rec, err := f.Next(ctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Next on a partial line = %q, %v; want to wait", rec.Value, err)
	}
	appendFile(t, path, "2}\n")
	if rec := nextWithin(t, f, 5*time.Second); string(rec.Value) != `{"n":2}` || rec.Line != 2 || rec.Offset != 8 || rec.Next != 16 {
		t.Fatalf("second record %+v", rec)
	}
}

// Following from a checkpointed position goes on with the same offsets and
// line numbers as reading straight through.
func TestFollowFromOffset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	var b strings.Builder
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "{\"n\":%d}\n", i)
	}
	appendFile(t, path, b.String())
	all := readN(t, path, FollowOptions{}, 10)
	for k := range 10 {
		opt := FollowOptions{Line: all[k].Line, Offset: all[k].Next}
		rest := readN(t, path, opt, 9-k)
		for i, rec := range rest {
			w := all[k+1+i]
			if rec.Offset != w.Offset || rec.Next != w.Next || rec.Line != w.Line || string(rec.Value) != string(w.Value) {
				t.Fatalf("from %+v: record %d = %+v, want %+v", opt, i, rec, w)
			}
		}
	}
	if _, err := FollowFile(path, FollowOptions{Offset: 1000}); !errors.Is(err, ErrTruncated) {
		t.Errorf("offset beyond the end: %v", err)
	}
}

// readN follows path and returns copies of its first n records.
func readN(t *testing.T, path string, opt FollowOptions, n int) []Record {
	t.Helper()
	f, err := FollowFile(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []Record
	for range n {
		rec := nextWithin(t, f, 5*time.Second)
		rec.Value = []byte(string(rec.Value))
		recs = append(recs, rec)
	}
	return recs
}

func TestFollowCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "login.CSV")
	_, err := FollowFile(path+".gz", FollowOptions{})
	if err == nil || !strings.Contains(err.Error(), "compressed") {
		t.Fatalf("following a .gz file: %v", err)
	}
	appendFile(t, path, "user,ts\r\n")
	f, err := FollowFile(path, FollowOptions{Poll: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !f.IsCSV() {
		t.Fatal("not CSV")
	}
	go appendFile(t, path, "u1,1\nu2,2\n")
	rec := nextWithin(t, f, 5*time.Second)
	if string(rec.Value) != "u1,1" || rec.Line != 2 || rec.Offset != 9 {
		t.Fatalf("first row %+v", rec)
	}
	rec = nextWithin(t, f, 5*time.Second)
	h, err := f.Header(context.Background())
	if err != nil || string(h) != "user,ts" {
		t.Fatalf("header %q, %v", h, err)
	}

	// From a checkpoint: the header is still there, rows go on.
	g, err := FollowFile(path, FollowOptions{Offset: rec.Next, Line: rec.Line, Poll: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if h, err := g.Header(context.Background()); err != nil || string(h) != "user,ts" {
		t.Fatalf("header from an offset %q, %v", h, err)
	}
	appendFile(t, path, "u3,3\n")
	if rec := nextWithin(t, g, 5*time.Second); string(rec.Value) != "u3,3" || rec.Line != 4 {
		t.Fatalf("row after restart %+v", rec)
	}
}

// Header waits for a header line in a file that is still empty.
func TestFollowCSVEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.csv")
	appendFile(t, path, "")
	f, err := FollowFile(path, FollowOptions{Poll: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	go appendFile(t, path, "a,ts\n1,2\n")
	if rec := nextWithin(t, f, 5*time.Second); string(rec.Value) != "1,2" || rec.Line != 2 {
		t.Fatalf("row %+v", rec)
	}
}

func TestFollowCancel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	appendFile(t, path, "")
	f, err := FollowFile(path, FollowOptions{Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := f.Next(ctx)
		errc <- err
	}()
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Next after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Next did not return after its context was cancelled")
	}
}

func TestFollowTruncated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	appendFile(t, path, "{\"n\":1}\n{\"n\":2}\n")
	f, err := FollowFile(path, FollowOptions{Poll: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	nextWithin(t, f, 5*time.Second)
	nextWithin(t, f, 5*time.Second)
	if err := os.Truncate(path, 3); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := f.Next(ctx); !errors.Is(err, ErrTruncated) {
		t.Fatalf("Next after truncation: %v", err)
	}
}

func TestFollowLongLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	appendFile(t, path, "{}\n"+strings.Repeat("x", 100)+"\n{\"n\":3}\n")
	f, err := FollowFile(path, FollowOptions{MaxLineSize: 10, Poll: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	nextWithin(t, f, 5*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rec, err := f.Next(ctx)
	if !errors.Is(err, ErrLineTooLong) || rec.Line != 2 || rec.Offset != 3 {
		t.Fatalf("long line: %+v, %v", rec, err)
	}
	rec = nextWithin(t, f, 5*time.Second)
	if string(rec.Value) != `{"n":3}` || rec.Line != 3 || rec.Offset != 104 || rec.Next != 112 {
		t.Fatalf("after the long line: %+v", rec)
	}
}
