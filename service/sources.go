package service

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

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/patterns"
	"github.com/kestrelcep/kestrel/source"
)

// maxBatch bounds the events a source hands the engine at once.
const maxBatch = 1024

// startSources binds every declared stream to its source: the configured
// Kafka topic or file, or HTTP ingest. Each source runs on its own goroutine,
// decodes what it reads, and resumes where the restored checkpoint says.
func (s *Service) startSources() error {
	rs := s.rs.Load()
	for _, st := range rs.Streams {
		c, ok := s.cfg.Sources[st.Name]
		var err error
		switch {
		case ok && c.File != nil:
			err = s.startFile(st, c.File.Path, c.File.Follow)
		case ok && c.Kafka != nil:
			err = s.startKafka(st, c.Kafka)
		default:
			err = s.startHTTP(st)
		}
		if err != nil {
			return fmt.Errorf("sources.%s: %w", st.Name, err)
		}
	}
	if err := s.startKafkaConsumers(); err != nil {
		return err
	}
	for name := range s.cfg.Sources {
		if rs.Stream(name) == nil {
			s.log.Warn("a source is configured for a stream no rule file declares", "stream", name)
		}
	}
	return nil
}

// decoder decodes a stream's records into events, and those that fail into
// dead letters.
type decoder struct {
	stream *patterns.Stream
	json   *event.JSONDecoder
	csv    *event.CSVDecoder

	rs     *patterns.RuleSet // the rule set stream is of; nil: the one at start
	header []byte            // the CSV header, to build csv again
}

// refresh points the decoder at the stream's current declaration after a
// deploy changed the rule set (its schema, its index), and reports whether
// the stream is still declared. Sources call it with the deploy lock held for
// reading (Service.feed), so that a batch is decoded and pushed within one
// rule set.
func (d *decoder) refresh(rs *patterns.RuleSet) bool {
	if d.rs == rs {
		return true
	}
	if d.rs == nil && rs.Stream(d.stream.Name) == d.stream {
		d.rs = rs
		return true
	}
	st := rs.Stream(d.stream.Name)
	if st == nil {
		return false
	}
	d.rs, d.stream, d.json = rs, st, event.NewJSONDecoder(st.Schema)
	if d.csv != nil {
		c, err := event.NewCSVDecoder(st.Schema, d.header)
		if err != nil {
			return false
		}
		d.csv = c
	}
	return true
}

func (d *decoder) decode(b *engine.Batch, raw []byte, pos event.Position) {
	if len(raw) > 0 && raw[0] == rejectMark {
		b.DeadLetters = append(b.DeadLetters, &alerts.DeadLetter{Stream: d.stream.Name, Source: pos.Source,
			Position: pos.Offset, Reason: string(raw[1:])})
		return
	}
	ev := d.stream.Schema.NewEvent()
	var err error
	if d.csv != nil {
		err = d.csv.Decode(raw, ev)
	} else {
		err = d.json.Decode(raw, ev)
	}
	if err != nil {
		b.DeadLetters = append(b.DeadLetters, &alerts.DeadLetter{Stream: d.stream.Name, Source: pos.Source,
			Position: pos.Offset, Reason: err.Error(), Raw: raw})
		return
	}
	ev.Pos = pos
	b.Events = append(b.Events, ev)
}

// httpStream is a stream that takes HTTP ingest: the handler writes events
// to the ingest log, and this source reads them back in order.
type httpStream struct {
	stream *patterns.Stream
	stop   context.CancelFunc // stops the source (a deleted stream)
	done   chan struct{}      // closed when the source has returned
}

func (h *httpStream) partName() string { return "http:" + h.stream.Name }

func (s *Service) startHTTP(st *patterns.Stream) error {
	ctx, stop := context.WithCancel(s.ctx)
	h := &httpStream{stream: st, stop: stop, done: make(chan struct{})}
	part, from, err := s.rt.AddPartition(s.ctx, st.Index, h.partName(), 1, engine.LocalGroup)
	if err != nil {
		stop()
		return err
	}
	s.httpMu.Lock()
	s.http[st.Name] = h
	s.httpMu.Unlock()
	d := &decoder{stream: st, json: event.NewJSONDecoder(st.Schema)}
	s.goSourceCtx(ctx, h.partName(), func(ctx context.Context) error {
		defer close(h.done)
		next := uint64(from)
		for {
			// The next batch from the log.
			ok, err := s.pushDecoded(ctx, d, part, func(b *engine.Batch) error {
				n, err := s.db.ReadEvents(st.Name, next, maxBatch, func(seq uint64, raw []byte) error {
					d.decode(b, bytes.Clone(raw), event.Position{Source: h.partName(), Offset: int64(seq)})
					return nil
				})
				next, b.Next = n, int64(n)
				return err
			})
			if errors.Is(err, errStreamGone) {
				return nil
			}
			if err != nil {
				return err
			}
			if !ok {
				if err := s.db.WaitEvents(ctx, st.Name, next-1); err != nil {
					return err
				}
			}
		}
	})
	return nil
}

// pushDecoded builds one batch of partition part with fill, which decodes a
// source's records with d, and hands it to the engine. Both happen within
// one deployed rule set (a deploy waits for them), with d refreshed to its
// streams; a batch without records is not pushed. It reports whether it
// pushed, and errStreamGone when a deploy removed the stream.
func (s *Service) pushDecoded(ctx context.Context, d *decoder, part int, fill func(b *engine.Batch) error) (bool, error) {
	s.feed.RLock()
	defer s.feed.RUnlock()
	if !d.refresh(s.rs.Load()) {
		return false, errStreamGone
	}
	b := &engine.Batch{Partition: part}
	if err := fill(b); err != nil {
		return false, err
	}
	n := len(b.Events) + len(b.DeadLetters)
	if n == 0 {
		return false, nil
	}
	s.metrics.eventsIn.WithLabelValues(d.stream.Name).Add(float64(n))
	return true, s.rt.Push(ctx, b)
}

// errStreamGone stops the source of a stream that a deploy removed.
var errStreamGone = errors.New("the stream is no longer declared")

// httpStream returns the HTTP source of a stream, nil if it has none.
func (s *Service) httpStream(name string) *httpStream {
	s.httpMu.Lock()
	defer s.httpMu.Unlock()
	return s.http[name]
}

// startFile reads a JSONL or CSV file: to its end, or following it as it
// grows. Its position is the byte offset after the last line handed over.
func (s *Service) startFile(st *patterns.Stream, path string, follow bool) error {
	if strings.HasSuffix(path, ".gz") {
		if follow {
			return fmt.Errorf("%s: a compressed file cannot be followed", path)
		}
		return s.startGzipFile(st, path)
	}
	name := "file:" + path
	part, from, err := s.rt.AddPartition(s.ctx, st.Index, name, 0, engine.LocalGroup)
	if err != nil {
		return err
	}
	line, err := countLines(path, from)
	if err != nil {
		return err
	}
	f, err := source.FollowFile(path, source.FollowOptions{Offset: from, Line: line})
	if err != nil {
		return err
	}
	d := &decoder{stream: st, json: event.NewJSONDecoder(st.Schema)}
	s.goSource(name, func(ctx context.Context) error {
		defer f.Close()
		if f.IsCSV() {
			header, err := f.Header(ctx)
			if err != nil {
				return err
			}
			if d.csv, err = event.NewCSVDecoder(st.Schema, header); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			d.header = header
		}
		base := filepath.Base(path)
		var size int64 = -1 // a file not followed ends at its size at start
		if !follow {
			fi, err := os.Stat(path)
			if err != nil {
				return err
			}
			size = fi.Size()
		}
		pos := from
		type line struct {
			rec source.Record
			err error
		}
		var lines []line
		for {
			lines = lines[:0]
			eof := false
			// Take the lines there are; wait only for the first one.
			rctx, cancel := context.WithTimeout(ctx, 2*time.Millisecond)
			for len(lines) < maxBatch {
				if size >= 0 && pos >= size {
					eof = true
					break
				}
				c := ctx
				if follow && len(lines) > 0 {
					c = rctx
				}
				rec, err := f.Next(c)
				if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
					break
				}
				if err != nil && !errors.Is(err, source.ErrLineTooLong) {
					cancel()
					return err
				}
				rec.Value = bytes.Clone(rec.Value) // valid until the next call
				lines = append(lines, line{rec, err})
				pos = rec.Next
			}
			cancel()
			_, err := s.pushDecoded(ctx, d, part, func(b *engine.Batch) error {
				b.Next = pos
				for _, l := range lines {
					if l.err != nil {
						b.DeadLetters = append(b.DeadLetters, &alerts.DeadLetter{Stream: st.Name, Source: base,
							Position: l.rec.Line, Reason: l.err.Error()})
					} else {
						d.decode(b, l.rec.Value, event.Position{Source: base, Offset: l.rec.Line})
					}
				}
				return nil
			})
			if errors.Is(err, errStreamGone) {
				return nil
			}
			if err != nil {
				return err
			}
			if eof {
				s.log.Info("file read to its end", "stream", st.Name, "path", path)
				return s.rt.EndPartition(ctx, part)
			}
		}
	})
	return nil
}

// countLines counts the lines before byte offset n: a file source's line
// numbers, which name its events, go on after a restart.
func countLines(path string, n int64) (int64, error) {
	if n == 0 {
		return 0, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 1<<16)
	var lines int64
	for n > 0 {
		k, err := f.Read(buf[:min(int64(len(buf)), n)])
		lines += int64(bytes.Count(buf[:k], []byte{'\n'}))
		n -= int64(k)
		if err != nil {
			if err == io.EOF {
				break
			}
			return 0, err
		}
	}
	return lines, nil
}

// goSource runs a source until the service closes; an error other than the
// close stops the service, which cannot go on without one of its inputs.
func (s *Service) goSource(name string, run func(ctx context.Context) error) {
	s.goSourceCtx(s.ctx, name, run)
}

// goSourceCtx is goSource for a source that can be stopped on its own: ctx
// is s.ctx or derived from it.
func (s *Service) goSourceCtx(ctx context.Context, name string, run func(ctx context.Context) error) {
	s.sources.Add(1)
	go func() {
		defer s.sources.Done()
		err := run(ctx)
		if err != nil && ctx.Err() == nil {
			s.fail(fmt.Errorf("source %s: %w", name, err))
		}
	}()
}

// startGzipFile reads a compressed JSONL or CSV file to its end. It cannot
// seek, so its position is the number of lines handed over, skipped again
// after a restart.
func (s *Service) startGzipFile(st *patterns.Stream, path string) error {
	name := "file:" + path
	part, from, err := s.rt.AddPartition(s.ctx, st.Index, name, 0, engine.LocalGroup)
	if err != nil {
		return err
	}
	f, err := source.OpenFileWith(path, source.Options{ReadAhead: true})
	if err != nil {
		return err
	}
	d := &decoder{stream: st, json: event.NewJSONDecoder(st.Schema)}
	s.goSource(name, func(ctx context.Context) error {
		defer f.Close()
		if f.IsCSV() {
			header, err := f.ReadHeader()
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if d.csv, err = event.NewCSVDecoder(st.Schema, header); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			d.header = header
		}
		base := filepath.Base(path)
		type line struct {
			text []byte
			no   int64
		}
		var lines []line
		for {
			lines = lines[:0]
			eof := false
			for len(lines) < maxBatch {
				text, n, err := f.Next()
				if err == io.EOF {
					eof = true
					break
				}
				if err != nil {
					return err
				}
				if n > from { // else handed over before the checkpoint
					lines = append(lines, line{bytes.Clone(text), n})
				}
			}
			_, err := s.pushDecoded(ctx, d, part, func(b *engine.Batch) error {
				for _, l := range lines {
					d.decode(b, l.text, event.Position{Source: base, Offset: l.no})
					b.Next = l.no
				}
				return nil
			})
			if errors.Is(err, errStreamGone) {
				return nil
			}
			if err != nil {
				return err
			}
			if eof {
				s.log.Info("file read to its end", "stream", st.Name, "path", path)
				return s.rt.EndPartition(ctx, part)
			}
			if ctx.Err() != nil {
				return nil
			}
		}
	})
	return nil
}
