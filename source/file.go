package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrLineTooLong is wrapped by the error Next returns for a line longer than
// Options.MaxLineSize.
var ErrLineTooLong = errors.New("line too long")

// Options tune a FileReader. The zero value gives the defaults.
type Options struct {
	// MaxLineSize is the longest line accepted, in bytes without the line
	// break. Default 16 MiB.
	MaxLineSize int
	// Gunzip opens the decompressed stream of a .gz file. Default: compress/gzip
	// (concatenated gzip members are read as one stream). A faster
	// implementation can be plugged in here.
	Gunzip func(io.Reader) (io.ReadCloser, error)
	// ReadAhead decompresses a .gz file in a goroutine of its own, ahead of
	// the reader, so that decompression and decoding use two cores.
	// Default off.
	ReadAhead bool
}

// EnsureDefaults fills in the zero fields.
func (o *Options) EnsureDefaults() {
	if o.MaxLineSize <= 0 {
		o.MaxLineSize = 16 << 20
	}
	if o.Gunzip == nil {
		o.Gunzip = func(r io.Reader) (io.ReadCloser, error) { return gzip.NewReader(r) }
	}
}

// FileReader reads the lines of a JSON-lines or CSV file, gzip-compressed
// when its name ends in .gz. It accepts \n and \r\n line breaks and a last
// line without one, and drops a UTF-8 byte order mark at the start of the
// file. A FileReader is not safe for concurrent use.
type FileReader struct {
	path, name string
	csv        bool
	size       int64
	maxLine    int

	file  *os.File
	count *countingReader
	r     io.Reader // the lines' bytes
	close []io.Closer

	buf        []byte
	start, end int   // unread bytes: buf[start:end]
	line       int64 // number of the last line returned
	err        error // the read error to report once buf is drained (io.EOF at the end)
	skipping   bool  // discarding the rest of a line that was too long
	bomChecked bool
}

var utf8BOM = []byte("\xef\xbb\xbf")

// OpenFile opens a file with the default options.
func OpenFile(path string) (*FileReader, error) {
	return OpenFileWith(path, Options{})
}

// OpenFileWith opens a file for reading lines.
func OpenFileWith(path string, opt Options) (*FileReader, error) {
	opt.EnsureDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	lower := strings.ToLower(path)
	fr := &FileReader{
		path:    path,
		name:    filepath.Base(path),
		csv:     strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".csv.gz"),
		size:    st.Size(),
		maxLine: opt.MaxLineSize,
		file:    f,
		count:   &countingReader{r: f},
		buf:     make([]byte, min(256<<10, opt.MaxLineSize+2)),
	}
	fr.r = fr.count
	if strings.HasSuffix(lower, ".gz") {
		zr, err := opt.Gunzip(bufio.NewReaderSize(fr.count, 64<<10))
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		fr.r = zr
		fr.close = append(fr.close, zr)
		if opt.ReadAhead {
			ra := newReadAhead(zr)
			fr.r = ra
			fr.close = append([]io.Closer{ra}, fr.close...)
		}
	}
	return fr, nil
}

// Name is the file's base name, used in event positions ("txn.jsonl:17"):
// positions and so alert ids do not depend on where the file was read from.
func (r *FileReader) Name() string { return r.name }

// Path is the path the file was opened with.
func (r *FileReader) Path() string { return r.path }

// IsCSV reports whether the file is CSV by its name (.csv or .csv.gz, in any
// case); other files are read as JSON lines.
func (r *FileReader) IsCSV() bool { return r.csv }

// Size is the file's size on disk (compressed, for a .gz file).
func (r *FileReader) Size() int64 { return r.size }

// BytesRead is how much of the file has been read so far, in the unit of
// Size, for progress: BytesRead()/Size(). It runs a little ahead of the
// lines returned, by the read buffers.
func (r *FileReader) BytesRead() int64 { return r.count.n.Load() }

// Close closes the file.
func (r *FileReader) Close() error {
	var errs []error
	for _, c := range r.close {
		errs = append(errs, c.Close())
	}
	errs = append(errs, r.file.Close())
	return errors.Join(errs...)
}

// ReadHeader returns a copy of the first line, for a CSV file's header. It
// must be called before Next.
func (r *FileReader) ReadHeader() ([]byte, error) {
	if r.line != 0 {
		return nil, fmt.Errorf("%s: ReadHeader after line %d", r.name, r.line)
	}
	line, _, err := r.Next()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file, no header", r.name)
	}
	if err != nil {
		return nil, err
	}
	return bytes.Clone(line), nil
}

// Next returns the next line, without its line break, and its 1-based
// number. The slice is valid until the next call. At the end it returns
// io.EOF. A line longer than the maximum gives an error naming the file and
// line that wraps ErrLineTooLong; Next can be called again and goes on with
// the following line. Blank lines are returned like others.
func (r *FileReader) Next() ([]byte, int64, error) {
	for {
		data := r.buf[r.start:r.end]
		if !r.bomChecked && (len(data) >= len(utf8BOM) || r.err != nil || bytes.IndexByte(data, '\n') >= 0) {
			r.bomChecked = true
			if bytes.HasPrefix(data, utf8BOM) {
				r.start += len(utf8BOM)
				continue
			}
		}
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			r.start += i + 1
			if r.skipping { // the end of a long line
				r.skipping = false
				continue
			}
			r.line++
			return r.checkLen(trimCR(data[:i]))
		}

		if r.err != nil {
			if r.start < r.end && r.err == io.EOF && !r.skipping { // a last line without a line break
				r.start = r.end
				r.line++
				return r.checkLen(trimCR(data))
			}
			r.start = r.end
			if r.err == io.EOF {
				return nil, r.line, io.EOF
			}
			return nil, r.line, fmt.Errorf("%s: after line %d: %w", r.name, r.line, r.err)
		}
		// No complete line is buffered: make room and read.
		if r.skipping {
			r.start, r.end = 0, 0
		} else if r.start > 0 {
			r.end = copy(r.buf, data)
			r.start = 0
		}
		if r.end == len(r.buf) {
			if len(r.buf) >= r.maxLine+2 { // so the line is longer than maxLine
				r.start, r.end = 0, 0
				r.skipping = true
				r.line++
				return r.checkLen(r.buf)
			}
			nb := make([]byte, min(2*len(r.buf), r.maxLine+2))
			copy(nb, r.buf[:r.end])
			r.buf = nb
		}
		n, err := r.r.Read(r.buf[r.end:])
		r.end += n
		if err != nil {
			r.err = err
		}
	}
}

// checkLen returns a line of number r.line, or an error if it is too long.
func (r *FileReader) checkLen(line []byte) ([]byte, int64, error) {
	if len(line) > r.maxLine {
		return nil, r.line, fmt.Errorf("%s:%d: %w: longer than %d bytes", r.name, r.line, ErrLineTooLong, r.maxLine)
	}
	return line, r.line, nil
}

func trimCR(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\r' {
		return line[:n-1]
	}
	return line
}
