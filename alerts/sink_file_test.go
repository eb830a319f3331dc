package alerts

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func lines(output string, from, to int) []Message {
	var msgs []Message
	for i := from; i < to; i++ {
		msgs = append(msgs, Message{Output: output, ID: fmt.Sprintf("id%d", i), JSON: fmt.Appendf(nil, `{"n":%d}`, i)})
	}
	return msgs
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFileSinkCrashRecovery: a crash after a checkpoint, then recovery from
// it, gives the same file as a run without a crash.
func TestFileSinkCrashRecovery(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	// An uninterrupted run.
	clean := filepath.Join(dir, "clean.jsonl")
	s, err := OpenFile(clean, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]Message{lines("alerts", 0, 3), lines("alerts", 3, 7), lines("alerts", 7, 10)} {
		if err := s.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	for _, torn := range []string{"", `{"n":99`} { // a crash between batches, or in the middle of a line
		t.Run(fmt.Sprintf("torn=%q", torn), func(t *testing.T) {
			path := filepath.Join(dir, "crash.jsonl")
			os.Remove(path)
			s, err := OpenFile(path, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Write(ctx, lines("alerts", 0, 3)); err != nil {
				t.Fatal(err)
			}
			if err := s.Sync(); err != nil {
				t.Fatal(err)
			}
			checkpoint := s.Size()
			if want := int64(len(readFile(t, path))); checkpoint != want {
				t.Fatalf("Size after Sync = %d, file has %d bytes", checkpoint, want)
			}
			// Records past the checkpoint, then a crash: the file is not closed
			// by the sink, nothing is synced.
			if err := s.Write(ctx, lines("alerts", 3, 5)); err != nil {
				t.Fatal(err)
			}
			s.f.Close()
			if torn != "" {
				f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
				if err != nil {
					t.Fatal(err)
				}
				f.WriteString(torn)
				f.Close()
			}
			if got := int64(len(readFile(t, path))); got <= checkpoint {
				t.Fatalf("the crashed run left %d bytes, want more than the checkpoint's %d", got, checkpoint)
			}

			// Recovery: truncate to the checkpoint, replay from it.
			s, err = OpenFile(path, checkpoint)
			if err != nil {
				t.Fatal(err)
			}
			if s.Size() != checkpoint {
				t.Fatalf("Size after reopening = %d, want %d", s.Size(), checkpoint)
			}
			if got := int64(len(readFile(t, path))); got != checkpoint {
				t.Fatalf("after reopening the file has %d bytes, want the checkpoint's %d", got, checkpoint)
			}
			if err := s.Write(ctx, lines("alerts", 3, 7)); err != nil {
				t.Fatal(err)
			}
			if err := s.Write(ctx, lines("alerts", 7, 10)); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if got, want := readFile(t, path), readFile(t, clean); got != want {
				t.Fatalf("after recovery the file is\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestFileSinkOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "dir", "out.jsonl") // directories are created
	s, err := OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Write(ctx, lines("late", 0, 2))
	s.Close()
	want := "{\"n\":0}\n{\"n\":1}\n"
	if got := readFile(t, path); got != want {
		t.Fatalf("file = %q, want %q", got, want)
	}

	// NoTruncate appends.
	s, err = OpenFile(path, NoTruncate)
	if err != nil {
		t.Fatal(err)
	}
	if s.Size() != int64(len(want)) {
		t.Fatalf("Size = %d, want %d", s.Size(), len(want))
	}
	s.Write(ctx, lines("late", 2, 3))
	s.Close()
	want += "{\"n\":2}\n"
	if got := readFile(t, path); got != want {
		t.Fatalf("file = %q, want %q", got, want)
	}

	// A file shorter than its checkpoint is refused, and left alone.
	if _, err := OpenFile(path, int64(len(want))+1); !errors.Is(err, ErrShortFile) {
		t.Fatalf("OpenFile past the end: err = %v, want ErrShortFile", err)
	}
	if got := readFile(t, path); got != want {
		t.Fatalf("file = %q after a refused open, want %q", got, want)
	}

	// Truncating to 0 (no checkpoint yet) empties it.
	s, err = OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if got := readFile(t, path); got != "" {
		t.Fatalf("file = %q, want it empty", got)
	}
}

// TestFileSinkFailedWrite: a write that fails leaves the size alone, and the
// sink reports it rather than losing lines silently.
func TestFileSinkFailedWrite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "out.jsonl")
	s, err := OpenFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, lines("alerts", 0, 1)); err != nil {
		t.Fatal(err)
	}
	size := s.Size()
	s.f.Close() // the descriptor goes bad under the sink
	if err := s.Write(ctx, lines("alerts", 1, 2)); err == nil {
		t.Fatal("Write to a closed descriptor succeeded")
	}
	if s.Size() != size {
		t.Fatalf("Size after a failed write = %d, want %d", s.Size(), size)
	}
	if err := s.Sync(); err == nil {
		t.Fatal("Sync of a closed descriptor succeeded")
	}
	if err := s.Close(); err == nil {
		t.Fatal("Close of a closed descriptor succeeded")
	}
	if err := s.Write(ctx, lines("alerts", 1, 2)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Write after Close: err = %v, want ErrClosed", err)
	}
}
