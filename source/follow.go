package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrTruncated is wrapped by the error a Follower returns when its file
// became shorter than the position it has read up to (truncated or
// replaced in place): following cannot go on from a position that no longer
// exists.
var ErrTruncated = errors.New("file truncated while followed")

// FollowOptions tune a Follower. The zero value follows a file from its
// start, with the defaults.
type FollowOptions struct {
	// Offset is the byte offset to start at: 0, or the Next of the last
	// record processed, from a checkpoint. It must be the start of a line.
	Offset int64
	// Line is the number of lines before Offset (the Line of the record
	// whose Next is Offset), so that line numbers, and so positions, go on
	// where they were. For a CSV file the header counts.
	Line int64
	// Poll is how often the end of the file is checked for growth.
	// Default 100ms.
	Poll time.Duration
	// MaxLineSize is the longest line accepted, in bytes without the line
	// break. Default 16 MiB.
	MaxLineSize int
}

// EnsureDefaults fills in the zero fields.
func (o *FollowOptions) EnsureDefaults() {
	if o.Poll <= 0 {
		o.Poll = 100 * time.Millisecond
	}
	if o.MaxLineSize <= 0 {
		o.MaxLineSize = 16 << 20
	}
}

// Follower tails a JSON-lines or CSV file (`follow: true`): it reads the
// lines there are, then waits for the file to grow and goes on, reporting
// each line's byte offsets so that a checkpoint can store where to resume.
// Only complete lines are returned: a last line without its line break is
// held until the break arrives, since its writer may be midway through it.
// Lines end in \n or \r\n; a UTF-8 byte order mark at the start of the file
// is dropped. A compressed file cannot be followed.
//
// A Follower is not safe for concurrent use.
type Follower struct {
	path, name string
	csv        bool
	file       *os.File
	opt        FollowOptions

	header []byte // a CSV file's first line, once read

	buf        []byte
	start, end int   // unread bytes: buf[start:end]
	off        int64 // file offset of buf[start]
	line       int64 // number of the last line returned
	skipping   bool  // discarding the rest of a line that was too long
	timer      *time.Timer
}

// FollowFile opens a file to follow from opt.Offset.
func FollowFile(path string, opt FollowOptions) (*Follower, error) {
	opt.EnsureDefaults()
	lower := strings.ToLower(path)
	if strings.HasSuffix(lower, ".gz") {
		return nil, fmt.Errorf("%s: a compressed file cannot be followed", path)
	}
	if opt.Offset < 0 || opt.Line < 0 {
		return nil, fmt.Errorf("%s: negative start offset %d or line %d", path, opt.Offset, opt.Line)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.Size() < opt.Offset {
		f.Close()
		return nil, fmt.Errorf("%s: %w: start offset %d is beyond its size %d", path, ErrTruncated, opt.Offset, st.Size())
	}
	if _, err := f.Seek(opt.Offset, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &Follower{
		path: path,
		name: filepath.Base(path),
		csv:  strings.HasSuffix(lower, ".csv"),
		file: f,
		opt:  opt,
		buf:  make([]byte, min(64<<10, opt.MaxLineSize+2)),
		off:  opt.Offset,
		line: opt.Line,
	}, nil
}

// Name is the file's base name, the Source of its records.
func (f *Follower) Name() string { return f.name }

// IsCSV reports whether the file is CSV by its name (.csv in any case);
// other files are read as JSON lines.
func (f *Follower) IsCSV() bool { return f.csv }

// Close closes the file.
func (f *Follower) Close() error {
	if f.timer != nil {
		f.timer.Stop()
	}
	return f.file.Close()
}

// Header returns a copy of a CSV file's header, its first line, waiting for
// it if the file does not have one yet; it may be called at any time, also
// when following from a later offset. When following from offset 0, Next
// starts after the header.
func (f *Follower) Header(ctx context.Context) ([]byte, error) {
	if f.header != nil {
		return bytes.Clone(f.header), nil
	}
	var pos int64
	var h []byte
	chunk := make([]byte, 4096)
	for {
		n, err := f.file.ReadAt(chunk, pos)
		if i := bytes.IndexByte(chunk[:n], '\n'); i >= 0 {
			h = append(h, chunk[:i]...)
			break
		}
		h = append(h, chunk[:n]...)
		pos += int64(n)
		if len(h) > f.opt.MaxLineSize {
			return nil, fmt.Errorf("%s:1: header: %w: longer than %d bytes", f.name, ErrLineTooLong, f.opt.MaxLineSize)
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%s: header: %w", f.name, err)
		}
		if n == 0 {
			if err := f.wait(ctx); err != nil {
				return nil, err
			}
		}
	}
	h = trimCR(bytes.TrimPrefix(h, utf8BOM))
	if len(h) > f.opt.MaxLineSize {
		return nil, fmt.Errorf("%s:1: header: %w: longer than %d bytes", f.name, ErrLineTooLong, f.opt.MaxLineSize)
	}
	f.header = h
	return bytes.Clone(h), nil
}

// Next returns the next complete line, waiting for the file to grow when
// it is at the end, until ctx ends (then ctx's error). The record's Value is
// the line without its break, valid until the next call; Offset and Next
// are the line's byte offsets. A line longer than the maximum gives an error
// that wraps ErrLineTooLong (the record has the line's Offset and Line); Next
// can be called again and goes on with the following line. Blank lines are
// returned like others. For a CSV file followed from offset 0, the header is
// read first and not returned.
func (f *Follower) Next(ctx context.Context) (Record, error) {
	if f.csv && f.off == 0 && f.line == 0 {
		if _, err := f.Header(ctx); err != nil {
			return Record{}, err
		}
		if _, err := f.next(ctx); err != nil { // the header line: counted, not returned
			return Record{}, err
		}
	}
	return f.next(ctx)
}

// next is Next without the header handling.
func (f *Follower) next(ctx context.Context) (Record, error) {
	for {
		data := f.buf[f.start:f.end]
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			rec := Record{Source: f.name, Offset: f.off, Next: f.off + int64(i) + 1}
			f.start += i + 1
			f.off += int64(i) + 1
			if f.skipping { // the end of a long line
				f.skipping = false
				continue
			}
			f.line++
			rec.Line = f.line
			line := trimCR(data[:i])
			if rec.Offset == 0 {
				line = bytes.TrimPrefix(line, utf8BOM)
			}
			if len(line) > f.opt.MaxLineSize {
				return rec, f.tooLong(rec)
			}
			rec.Value = line
			return rec, nil
		}
		// No complete line is buffered: make room and read.
		if f.skipping {
			f.off += int64(len(data))
			f.start, f.end = 0, 0
		} else if f.start > 0 {
			f.end = copy(f.buf, data)
			f.start = 0
		}
		if f.end == len(f.buf) {
			if len(f.buf) >= f.opt.MaxLineSize+2 { // so the line is longer than the maximum
				rec := Record{Source: f.name, Offset: f.off}
				f.off += int64(f.end)
				f.start, f.end = 0, 0
				f.skipping = true
				f.line++
				rec.Line = f.line
				return rec, f.tooLong(rec)
			}
			nb := make([]byte, min(2*len(f.buf), f.opt.MaxLineSize+2))
			copy(nb, f.buf[:f.end])
			f.buf = nb
		}
		n, err := f.file.Read(f.buf[f.end:])
		f.end += n
		if err != nil && err != io.EOF {
			return Record{}, fmt.Errorf("%s: after line %d: %w", f.name, f.line, err)
		}
		if n == 0 { // at the end for now
			if err := f.checkSize(); err != nil {
				return Record{}, err
			}
			if err := f.wait(ctx); err != nil {
				return Record{}, err
			}
		}
	}
}

func (f *Follower) tooLong(rec Record) error {
	return fmt.Errorf("%s:%d: %w: longer than %d bytes", f.name, rec.Line, ErrLineTooLong, f.opt.MaxLineSize)
}

// checkSize fails if the file is now shorter than what was read of it.
func (f *Follower) checkSize() error {
	st, err := f.file.Stat()
	if err != nil {
		return fmt.Errorf("%s: %w", f.name, err)
	}
	if read := f.off + int64(f.end-f.start); st.Size() < read {
		return fmt.Errorf("%s: %w: %d bytes long, %d read", f.name, ErrTruncated, st.Size(), read)
	}
	return nil
}

// wait waits one poll interval, or until ctx ends.
func (f *Follower) wait(ctx context.Context) error {
	if f.timer == nil {
		f.timer = time.NewTimer(f.opt.Poll)
	} else {
		f.timer.Reset(f.opt.Poll)
	}
	select {
	case <-ctx.Done():
		f.timer.Stop()
		return ctx.Err()
	case <-f.timer.C:
		return nil
	}
}
