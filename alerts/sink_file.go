package alerts

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// NoTruncate, given to OpenFile as the length to truncate to, keeps the whole
// file and appends to it.
const NoTruncate int64 = -1

// FileOptions configure a JSONL file sink.
type FileOptions struct {
	Path string      // the file; its directory is created if missing. Required.
	Perm os.FileMode // of a new file; default 0644
	Name string      // the sink's name in metrics and logs; default "file:" + Path
}

// FileSink appends records to a file, one JSON line each. Its content is
// exactly-once: the checkpoint stores Size after a Flush, and on recovery
// the file is opened truncated to that length, so the records the engine
// writes again after replaying from the checkpoint replace those past it.
//
// Each Write is one write to the file (the lines of the batch at the end of
// the last good write), and all or nothing: when it fails, the file is cut
// back to where it was, so the batch can be written again. Records reach the
// operating system at once; Flush and Sync make them durable. It is safe
// for concurrent use.
type FileSink struct {
	mu   sync.Mutex
	f    *os.File
	path string
	name string
	size int64 // the length of the records written
	buf  []byte
	err  error // the file could not be cut back after a failed write; every Write fails
}

// OpenFile opens the JSONL file at path for appending, first cutting it to
// truncateTo bytes, the length stored by the last checkpoint (0 when there
// is none: the file starts empty). NoTruncate keeps the file as it is. A file
// shorter than truncateTo is an error wrapping ErrShortFile.
func OpenFile(path string, truncateTo int64) (*FileSink, error) {
	return NewFileSink(FileOptions{Path: path}, truncateTo)
}

// NewFileSink opens the sink as OpenFile does, with options.
func NewFileSink(opts FileOptions, truncateTo int64) (*FileSink, error) {
	if opts.Path == "" {
		return nil, fmt.Errorf("file sink: no path")
	}
	if opts.Perm == 0 {
		opts.Perm = 0o644
	}
	if opts.Name == "" {
		opts.Name = "file:" + opts.Path
	}
	if dir := filepath.Dir(opts.Path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("file sink: %w", err)
		}
	}
	f, err := os.OpenFile(opts.Path, os.O_WRONLY|os.O_CREATE, opts.Perm)
	if err != nil {
		return nil, fmt.Errorf("file sink: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("file sink: %w", err)
	}
	size := st.Size()
	if truncateTo >= 0 {
		if size < truncateTo {
			f.Close()
			return nil, fmt.Errorf("file sink %s: %w: %d bytes, checkpoint %d", opts.Path, ErrShortFile, size, truncateTo)
		}
		if size > truncateTo {
			if err := f.Truncate(truncateTo); err != nil {
				f.Close()
				return nil, fmt.Errorf("file sink: %w", err)
			}
			if err := f.Sync(); err != nil {
				f.Close()
				return nil, fmt.Errorf("file sink: %w", err)
			}
		}
		size = truncateTo
	}
	return &FileSink{f: f, path: opts.Path, name: opts.Name, size: size}, nil
}

// Write appends one line per message.
func (s *FileSink) Write(_ context.Context, msgs []Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return ErrClosed
	}
	if s.err != nil {
		return s.err
	}
	s.buf = s.buf[:0]
	for i := range msgs {
		s.buf = append(s.buf, msgs[i].JSON...)
		s.buf = append(s.buf, '\n')
	}
	if len(s.buf) == 0 {
		return nil
	}
	n, err := s.f.WriteAt(s.buf, s.size)
	if len(s.buf) > 64<<10 {
		s.buf = nil // do not keep a big batch's buffer
	}
	if err != nil {
		if n > 0 {
			if terr := s.f.Truncate(s.size); terr != nil {
				s.err = fmt.Errorf("file sink %s: a write failed (%v) and the file could not be cut back: %w", s.path, err, terr)
			}
		}
		return fmt.Errorf("file sink %s: %w", s.path, err)
	}
	s.size += int64(n)
	return nil
}

// Flush makes every line written so far durable (fsync).
func (s *FileSink) Flush(context.Context) error { return s.Sync() }

// Sync makes every line written so far durable (fsync).
func (s *FileSink) Sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return ErrClosed
	}
	if s.err != nil {
		return s.err
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("file sink %s: %w", s.path, err)
	}
	return nil
}

// Size returns the file's length: every line written so far. After a Flush
// or Sync it is the length to store with the checkpoint.
func (s *FileSink) Size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

// Path returns the file's path.
func (s *FileSink) Path() string { return s.path }

// Name returns the sink's name in metrics and logs.
func (s *FileSink) Name() string { return s.name }

// Close syncs and closes the file.
func (s *FileSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := s.f.Sync()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	s.f = nil
	if err != nil {
		return fmt.Errorf("file sink %s: %w", s.path, err)
	}
	return nil
}
