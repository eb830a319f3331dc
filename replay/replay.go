package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/patterns"
	"github.com/kestrelcep/kestrel/source"
)

// Input is one recorded input: a file of one stream.
type Input struct {
	Stream string // "" when the rule set declares one stream
	Path   string
	// Data, when set, holds the input's JSON lines; Path then only names it.
	Data []byte
}

// Lines is what replay reads an input from; *source.FileReader is one.
type Lines interface {
	Next() (line []byte, lineNo int64, err error)
	Close() error
}

// Options configures a replay.
type Options struct {
	Sink   engine.Sink
	Logger *slog.Logger
	// Observe, when set, is called with every decoded event just before the
	// engine gets it, in the engine's goroutine: every event an alert holds
	// has been observed before the alert reaches the sink, and a `late`
	// record passed to the sink during the push is that event's. Observe
	// must not keep or modify the event beyond reading it.
	Observe func(ev *event.Event)
	// Progress, when set, is called from Run's goroutine every few thousand
	// events and once at the end.
	Progress func(Progress)
	// Context, when set, cancels the replay: Run checks it every few
	// thousand events and returns its error (the API's DELETE of a replay).
	Context context.Context
}

// Progress is how far a replay has got.
type Progress struct {
	Events int64 // events decoded and handed to the engine
	// Read and Size are the bytes of the input files read so far and in all,
	// in the files' own units (compressed bytes for a .gz file). Read runs a
	// little ahead of Events, by the read buffers.
	Read, Size int64
}

// progressEvery is how many events pass between calls of Options.Progress.
const progressEvery = 4096

// ErrInput marks problems with the inputs themselves (an unknown stream, an
// unreadable file, a CSV header without the timestamp): bad input, exit 2.
var ErrInput = errors.New("bad input")

// reader is one input being read: its lines, decoder and next event.
type reader struct {
	name   string // base name: the source of positions and identities
	stream *patterns.Stream
	lines  Lines
	decode func(line []byte, ev *event.Event) error
	next   *event.Event
	part   int
	done   bool

	batches chan []item // from the decoding goroutine
	batch   []item      // what is left of the current batch
}

// Open opens the inputs for rs. The caller closes each reader.
func openInputs(rs *patterns.RuleSet, inputs []Input) ([]*reader, error) {
	var rds []*reader
	fail := func(err error) ([]*reader, error) {
		for _, r := range rds {
			r.lines.Close()
		}
		return nil, err
	}
	for _, in := range inputs {
		var st *patterns.Stream
		switch {
		case in.Stream != "":
			st = rs.Stream(in.Stream)
			if st == nil {
				return fail(fmt.Errorf("%w: --events %s=%s: no stream named %s in the rules", ErrInput, in.Stream, in.Path, in.Stream))
			}
		case len(rs.Streams) == 1:
			st = rs.Streams[0]
		default:
			return fail(fmt.Errorf("%w: --events %s: the rules declare %d streams; say which one as STREAM=FILE", ErrInput, in.Path, len(rs.Streams)))
		}
		r := &reader{name: filepath.Base(in.Path), stream: st}
		if in.Data != nil {
			r.lines = &memLines{data: in.Data}
			r.decode = event.NewJSONDecoder(st.Schema).Decode
			rds = append(rds, r)
			continue
		}
		f, err := source.OpenFileWith(in.Path, source.Options{ReadAhead: true})
		if err != nil {
			return fail(fmt.Errorf("%w: %v", ErrInput, err))
		}
		r.lines = f
		rds = append(rds, r)
		if f.IsCSV() {
			header, _, err := f.Next()
			if err != nil && err != io.EOF {
				return fail(fmt.Errorf("%w: %s: %v", ErrInput, in.Path, err))
			}
			dec, err := event.NewCSVDecoder(st.Schema, header)
			if err != nil {
				return fail(fmt.Errorf("%w: %s: %v", ErrInput, in.Path, err))
			}
			r.decode = dec.Decode
		} else {
			r.decode = event.NewJSONDecoder(st.Schema).Decode
		}
	}
	return rds, nil
}

// Run replays inputs through an engine for rs and returns its counters. Each
// input is read and decoded in a goroutine of its own, ahead of the engine,
// so that decoding and pattern matching use two cores.
func Run(rs *patterns.RuleSet, inputs []Input, opts Options) (engine.Stats, error) {
	rds, err := openInputs(rs, inputs)
	if err != nil {
		return engine.Stats{}, err
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	defer func() {
		close(done)
		wg.Wait()
		for _, r := range rds {
			r.lines.Close()
		}
	}()
	e, err := engine.New(rs, engine.Options{Sink: opts.Sink, Logger: opts.Logger})
	if err != nil {
		return engine.Stats{}, err
	}
	for _, r := range rds {
		r.part = e.AddPartition(r.stream.Index)
		r.batches = make(chan []item, 4)
		wg.Go(func() { r.decodeAll(done) })
	}
	for _, r := range rds {
		if err := r.advance(e); err != nil {
			return e.Stats(), err
		}
	}
	var pushed int64
	progress := func() {
		p := Progress{Events: pushed}
		for _, r := range rds {
			if f, ok := r.lines.(sized); ok {
				p.Read += f.BytesRead()
				p.Size += f.Size()
			}
		}
		opts.Progress(p)
	}
	for {
		// The input whose next event is earliest; ties go to the first named.
		var r *reader
		for _, c := range rds {
			if !c.done && (r == nil || c.next.Time < r.next.Time) {
				r = c
			}
		}
		if r == nil {
			break
		}
		if opts.Observe != nil {
			opts.Observe(r.next)
		}
		if err := e.Push(r.part, r.next); err != nil {
			return e.Stats(), err
		}
		if pushed++; pushed%progressEvery == 0 {
			if opts.Progress != nil {
				progress()
			}
			if opts.Context != nil && opts.Context.Err() != nil {
				return e.Stats(), opts.Context.Err()
			}
		}
		if err := r.advance(e); err != nil {
			return e.Stats(), err
		}
	}
	if err := e.Close(); err != nil {
		return e.Stats(), err
	}
	if opts.Progress != nil {
		progress()
	}
	return e.Stats(), nil
}

// sized is an input that knows its size and how much of it has been read:
// *source.FileReader.
type sized interface {
	Size() int64
	BytesRead() int64
}

// item is what a decoding goroutine hands over: an event, a line that could
// not be decoded, or the error that ended the input.
type item struct {
	ev   *event.Event
	dead *alerts.DeadLetter
	err  error
}

const batchSize = 256

// decodeAll reads and decodes r's lines into batches until the end of the
// input or until done is closed.
func (r *reader) decodeAll(done <-chan struct{}) {
	defer close(r.batches)
	batch := make([]item, 0, batchSize)
	send := func() bool {
		select {
		case r.batches <- batch:
			batch = make([]item, 0, batchSize)
			return true
		case <-done:
			return false
		}
	}
	for {
		line, n, err := r.lines.Next()
		if err == io.EOF {
			if len(batch) > 0 {
				send()
			}
			return
		}
		if err != nil {
			batch = append(batch, item{err: fmt.Errorf("%w: %s: %v", ErrInput, r.name, err)})
			send()
			return
		}
		if len(line) == 0 {
			continue
		}
		ev := r.stream.Schema.NewEvent()
		if err := r.decode(line, ev); errors.Is(err, event.ErrBlankLine) {
			continue
		} else if err != nil {
			batch = append(batch, item{dead: &alerts.DeadLetter{Stream: r.stream.Name, Source: r.name,
				Position: n, Reason: err.Error(), Raw: bytes.Clone(line)}})
		} else {
			ev.Pos = event.Position{Source: r.name, Offset: n}
			batch = append(batch, item{ev: ev})
		}
		if len(batch) == batchSize && !send() {
			return
		}
	}
}

// advance moves r to its next event, passing undecodable lines to the
// engine's deadletter output. At the end of the input it ends r's partition.
func (r *reader) advance(e *engine.Engine) error {
	for {
		if len(r.batch) == 0 {
			b, ok := <-r.batches
			if !ok {
				r.done = true
				return e.EndPartition(r.part)
			}
			r.batch = b
		}
		it := r.batch[0]
		r.batch = r.batch[1:]
		switch {
		case it.err != nil:
			return it.err
		case it.dead != nil:
			if err := e.DeadLetter(it.dead); err != nil {
				return err
			}
		default:
			r.next = it.ev
			return nil
		}
	}
}

// memLines reads lines from memory (the events of a rule test).
type memLines struct {
	data []byte
	n    int64
}

func (m *memLines) Next() ([]byte, int64, error) {
	if len(m.data) == 0 {
		return nil, m.n, io.EOF
	}
	line, rest, _ := bytes.Cut(m.data, []byte{'\n'})
	m.data = rest
	m.n++
	return bytes.TrimRight(line, "\r"), m.n, nil
}

func (m *memLines) Close() error { return nil }
