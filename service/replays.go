package service

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/patterns"
	"github.com/kestrelcep/kestrel/replay"
)

// Replays (backtests) of the API: POST /v1/uploads stores a dataset, POST
// /v1/replays runs rules over datasets on an engine of their own. A replay
// never touches the live engine, its state or its outputs: it compiles its
// own rule set (from the deployed declarations' sources), runs replay.Run,
// and writes its alerts to <data>/replays/<id>.jsonl. At most
// ReplayOptions.MaxConcurrent run at once; the others wait in order.
//
// Which files a replay may read: an uploaded dataset, named by its id or by
// a path inside <data>/uploads, or a file inside one of ReplayOptions.Dirs.
// A path is resolved (symbolic links followed) before the check, so a link
// cannot lead outside; anything else is refused. A relative path is taken
// relative to <data>/uploads.

// ReplayOptions bound the API's replays. The zero value gives the defaults.
type ReplayOptions struct {
	// MaxConcurrent is how many replays run at once; the others queue.
	// Default 2.
	MaxConcurrent int
	// Dirs are directories, besides <data>/uploads, whose files a replay
	// may read (datasets already on the machine).
	Dirs []string
	// Keep is how many finished replays are remembered (status, scores and
	// alerts file); older ones are forgotten and their files deleted.
	// Default 100.
	Keep int
}

// Replay states.
const (
	ReplayQueued    = "queued"
	ReplayRunning   = "running"
	ReplayDone      = "done"
	ReplayFailed    = "failed"
	ReplayCancelled = "cancelled"
)

// Errors of replays and uploads.
var (
	ErrReplayNotFound = errors.New("no such replay")
	ErrUploadTooLarge = errors.New("upload too large")
)

// ReplayError is a request that is well-formed but cannot be carried out
// as it stands (the API's 422): an unknown rule, KRL that does not
// compile, a dataset that cannot be read or is not allowed.
type ReplayError struct {
	Code    string        // invalid_rule, unknown_rule, unknown_stream, bad_dataset, path_not_allowed, bad_label, bad_table
	Message string        // for people
	Details []ErrorDetail // the positions of rule errors
}

func (e *ReplayError) Error() string { return e.Message }

// ErrorDetail is one error in rule text, at its position.
type ErrorDetail struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

func invalid(code, format string, args ...any) *ReplayError {
	return &ReplayError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ReplayRequest is the body of POST /v1/replays.
type ReplayRequest struct {
	// Rules names deployed rules to replay, with the deployed streams,
	// tables and features they use. Or KRL, text of rules (and of any
	// declarations; deployed ones it does not declare again are added).
	Rules []string `json:"rules,omitempty"`
	KRL   string   `json:"krl,omitempty"`
	// Events maps a stream to its dataset: an upload's id or a path.
	Events map[string]string `json:"events"`
	// Label, when set, is the bool field the alerts are scored against.
	Label string `json:"label,omitempty"`
	// Tables maps a table to a file of its rows; a table not named keeps
	// the live table's rows.
	Tables map[string]string `json:"tables,omitempty"`
}

// ReplayStatus is what GET /v1/replays/{id} says about a replay.
type ReplayStatus struct {
	ID       string            `json:"id"`
	Status   string            `json:"status"`
	Rules    []string          `json:"rules"`
	Events   map[string]string `json:"events"`
	Label    string            `json:"label,omitempty"`
	Author   string            `json:"author,omitempty"`
	Created  time.Time         `json:"created"`
	Started  *time.Time        `json:"started,omitempty"`
	Finished *time.Time        `json:"finished,omitempty"`
	Progress ReplayProgress    `json:"progress"`
	// Outputs counts the records written, per output (alerts, shadow,
	// timeouts, late, deadletter, windows, `to NAME`).
	Outputs map[string]int64 `json:"outputs"`
	Error   string           `json:"error,omitempty"`
	// Scores, once done with a label, are exactly `kestrel replay --label
	// --json`'s output.
	Scores json.RawMessage `json:"scores,omitempty"`
}

// ReplayProgress is how far a replay has got: events handed to the engine,
// and bytes of the datasets read out of their total (compressed bytes for
// gzip files).
type ReplayProgress struct {
	Events int64 `json:"events"`
	Read   int64 `json:"read"`
	Total  int64 `json:"total"`
}

type replayJob struct {
	id      string
	req     ReplayRequest
	rules   []string
	author  string
	created time.Time
	rs      *patterns.RuleSet
	inputs  []replay.Input
	names   []string // the inputs as the request named them, for the scores
	scorer  *replay.Scorer
	path    string // the alerts file
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{} // closed when finished

	mu       sync.Mutex
	status   string
	started  time.Time
	finished time.Time
	progress replay.Progress
	outputs  map[string]int64
	err      string
	scores   json.RawMessage

	written atomic.Int64 // bytes of whole records in the alerts file
}

// replays runs the service's replays.
type replays struct {
	s      *Service
	opts   ReplayOptions
	sem    chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu   sync.Mutex
	jobs map[string]*replayJob
	done []string // finished replays, oldest first
}

func newReplays(s *Service, opts ReplayOptions) *replays {
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = 2
	}
	if opts.Keep <= 0 {
		opts.Keep = 100
	}
	r := &replays{s: s, opts: opts, sem: make(chan struct{}, opts.MaxConcurrent), jobs: map[string]*replayJob{}}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	return r
}

// close cancels every replay and waits for them.
func (r *replays) close() {
	r.cancel()
	r.wg.Wait()
}

func (s *Service) uploadsDir() string { return filepath.Join(s.cfg.Data, "uploads") }
func (s *Service) replaysDir() string { return filepath.Join(s.cfg.Data, "replays") }

func newID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

var idPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)

// Upload is a stored dataset.
type Upload struct {
	ID     string `json:"id"`
	Format string `json:"format"` // jsonl or csv
	Gzip   bool   `json:"gzip"`
	Size   int64  `json:"size"` // bytes stored
}

// SaveUpload stores a dataset read from r under <data>/uploads/<id>/ and
// returns it. The format is taken from name's extension when it has one
// (.jsonl, .ndjson, .json, .csv, optionally .gz), else sniffed: gzip by its
// magic bytes, then JSON lines when the first character is `{`, CSV
// otherwise. An error from r (a body past its limit) is returned as it is,
// and nothing is kept.
func (s *Service) SaveUpload(r io.Reader, name string) (Upload, error) {
	if err := os.MkdirAll(s.uploadsDir(), 0o755); err != nil {
		return Upload{}, err
	}
	tmp, err := os.CreateTemp(s.uploadsDir(), ".upload-*")
	if err != nil {
		return Upload{}, err
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, r)
	if err == nil {
		err = tmp.Close()
	} else {
		tmp.Close()
	}
	if err != nil {
		return Upload{}, err
	}
	up := Upload{ID: newID(), Size: n}
	up.Format, up.Gzip, err = datasetFormat(tmp.Name(), name)
	if err != nil {
		return Upload{}, invalid("bad_dataset", "%v", err)
	}
	dir := filepath.Join(s.uploadsDir(), up.ID)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return Upload{}, err
	}
	file := "events." + up.Format
	if up.Gzip {
		file += ".gz"
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, file)); err != nil {
		os.Remove(dir)
		return Upload{}, err
	}
	return up, nil
}

// datasetFormat tells a dataset's format by name's extension or by its
// first bytes.
func datasetFormat(path, name string) (format string, gz bool, err error) {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".gz") {
		gz, lower = true, strings.TrimSuffix(lower, ".gz")
	}
	switch filepath.Ext(lower) {
	case ".csv":
		format = "csv"
	case ".jsonl", ".ndjson", ".json":
		format = "jsonl"
	}
	f, err := os.Open(path)
	if err != nil {
		return "", false, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(2)
	if len(head) == 0 {
		return "", false, errors.New("the dataset is empty")
	}
	isGzip := len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b
	if gz && !isGzip {
		return "", false, fmt.Errorf("%s is not gzip-compressed", name)
	}
	gz = isGzip
	var rd io.Reader = br
	if gz {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return "", false, fmt.Errorf("the dataset is not valid gzip: %v", err)
		}
		defer zr.Close()
		rd = zr
	}
	// The first line tells the format, and must be of it: a JSON object, or
	// a CSV header (text).
	line, err := bufio.NewReaderSize(rd, 64<<10).ReadSlice('\n')
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return "", false, fmt.Errorf("reading the dataset: %v", err)
	}
	line = bytes.TrimLeft(bytes.TrimRight(line, "\r\n"), " \t\ufeff")
	if format == "" {
		format = "csv"
		if len(line) > 0 && line[0] == '{' {
			format = "jsonl"
		}
	}
	switch {
	case len(line) == 0:
		return "", false, errors.New("the dataset's first line is empty")
	case bytes.IndexByte(line, 0) >= 0 || !utf8.Valid(line) && !errors.Is(err, bufio.ErrBufferFull):
		return "", false, errors.New("the dataset is not text: JSON lines or CSV, optionally gzip-compressed")
	case format == "jsonl" && (line[0] != '{' || !json.Valid(line)):
		return "", false, errors.New("the dataset's first line is not a JSON object; a JSON-lines dataset has one event object per line")
	}
	return format, gz, nil
}

// datasetPath resolves a dataset named in a replay request: an upload's id,
// or a path inside <data>/uploads or one of the allowed directories
// (relative: to <data>/uploads). See the package comment on replays.
func (s *Service) datasetPath(what, v string) (string, error) {
	if idPattern.MatchString(v) {
		if ents, err := os.ReadDir(filepath.Join(s.uploadsDir(), v)); err == nil && len(ents) == 1 {
			return filepath.Join(s.uploadsDir(), v, ents[0].Name()), nil
		}
	}
	p := v
	if !filepath.IsAbs(p) {
		p = filepath.Join(s.uploadsDir(), p)
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", invalid("bad_dataset", "%s: %q is neither an uploaded dataset's id nor a file that exists", what, v)
	}
	roots := append([]string{s.uploadsDir()}, s.replays.opts.Dirs...)
	allowed := false
	for _, root := range roots {
		rr, err := filepath.EvalSymlinks(root)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(rr, real); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && rel != "." {
			allowed = true
			break
		}
	}
	if !allowed {
		return "", invalid("path_not_allowed", "%s: %q is outside the directories replays may read (the data directory's uploads%s); upload the dataset with POST /v1/uploads",
			what, v, map[bool]string{true: " and the configured replay directories", false: ""}[len(s.replays.opts.Dirs) > 0])
	}
	if fi, err := os.Stat(real); err != nil || !fi.Mode().IsRegular() {
		return "", invalid("bad_dataset", "%s: %q is not a regular file", what, v)
	}
	return real, nil
}

// compileReplay builds a replay's rule set: the deployed streams, tables and
// features (their sources), with the deployed rules named, or with krl,
// whose declarations replace deployed ones of the same kind and name.
func (s *Service) compileReplay(req *ReplayRequest) (*patterns.RuleSet, []string, error) {
	live := s.RuleSet()
	var krl *patterns.File
	declared := map[string]bool{} // kind/name declared by krl
	if req.KRL != "" {
		f, errs := patterns.Parse("replay.krl", []byte(req.KRL))
		if len(errs) > 0 {
			return nil, nil, ruleErrors(errs)
		}
		krl = f
		for _, d := range f.Decls {
			declared[declKind(d)+"/"+d.DeclName()] = true
		}
	}
	var src strings.Builder
	add := func(kind, name, source string) {
		if !declared[kind+"/"+name] {
			src.WriteString(source)
			src.WriteString("\n\n")
		}
	}
	for _, st := range live.Streams {
		add("stream", st.Name, st.Decl.Source)
	}
	for _, t := range live.Tables {
		add("table", t.Name, t.Decl.Source)
	}
	for _, f := range live.Features {
		add("feature", f.Name, f.Decl.Source)
	}
	var missing []string
	for _, name := range req.Rules {
		r := live.Rule(name)
		if r == nil {
			missing = append(missing, name)
			continue
		}
		add("rule", name, r.Decl.Source)
	}
	if len(missing) > 0 {
		var names []string
		for _, r := range live.Rules {
			names = append(names, r.Name)
		}
		return nil, nil, invalid("unknown_rule", "no deployed rule named %s (deployed: %s)",
			strings.Join(missing, ", "), strings.Join(names, ", "))
	}
	deployed, errs := patterns.Parse("deployed.krl", []byte(src.String()))
	if len(errs) > 0 {
		return nil, nil, ruleErrors(errs)
	}
	files := []*patterns.File{deployed}
	if krl != nil {
		files = append(files, krl)
	}
	rs, errs := patterns.Compile(files, patterns.Options{})
	if len(errs) > 0 {
		return nil, nil, ruleErrors(errs)
	}
	if len(rs.Rules) == 0 {
		return nil, nil, invalid("invalid_rule", "the replay has no rule: name deployed rules in \"rules\" or give rules in \"krl\"")
	}
	var names []string
	for _, r := range rs.Rules {
		names = append(names, r.Name)
	}
	return rs, names, nil
}

func declKind(d patterns.Decl) string {
	switch d.(type) {
	case *patterns.StreamDecl:
		return "stream"
	case *patterns.TableDecl:
		return "table"
	case *patterns.FeatureDecl:
		return "feature"
	}
	return "rule"
}

func ruleErrors(errs patterns.ErrorList) *ReplayError {
	e := &ReplayError{Code: "invalid_rule", Message: fmt.Sprintf("the rules do not compile: %d errors", len(errs))}
	if len(errs) == 1 {
		e.Message = "the rules do not compile: " + errs[0].Error()
	}
	for _, x := range errs {
		e.Details = append(e.Details, ErrorDetail{File: x.Pos.File, Line: x.Pos.Line, Col: x.Pos.Col, Message: x.Msg})
	}
	return e
}

// StartReplay checks a replay request and queues the replay; author is who
// asked. An *ReplayError says what is wrong with the request.
func (s *Service) StartReplay(req ReplayRequest, author string) (string, error) {
	if (len(req.Rules) == 0) == (req.KRL == "") {
		return "", invalid("bad_request", "a replay takes either \"rules\" (names of deployed rules) or \"krl\" (rule text)")
	}
	if len(req.Events) == 0 {
		return "", invalid("bad_request", "a replay needs \"events\": {\"STREAM\": \"upload id or path\"}")
	}
	rs, names, err := s.compileReplay(&req)
	if err != nil {
		return "", err
	}
	j := &replayJob{id: newID(), req: req, rules: names, author: author, created: time.Now().UTC(), rs: rs,
		status: ReplayQueued, outputs: map[string]int64{}, done: make(chan struct{})}
	streams := slices.Sorted(mapKeys(req.Events))
	for _, stream := range streams {
		if rs.Stream(stream) == nil {
			return "", invalid("unknown_stream", "events: no stream named %s in the replay's rules", stream)
		}
		path, err := s.datasetPath("events."+stream, req.Events[stream])
		if err != nil {
			return "", err
		}
		j.inputs = append(j.inputs, replay.Input{Stream: stream, Path: path})
		j.names = append(j.names, stream+"="+req.Events[stream])
	}
	var specs []string
	for _, name := range slices.Sorted(mapKeys(req.Tables)) {
		path, err := s.datasetPath("tables."+name, req.Tables[name])
		if err != nil {
			return "", err
		}
		specs = append(specs, name+"="+path)
	}
	if _, err := replay.BindTables(rs, specs); err != nil {
		return "", invalid("bad_table", "%v", err)
	}
	for _, t := range rs.Tables { // tables not given keep the live rows
		if _, given := req.Tables[t.Name]; given {
			continue
		}
		for _, lt := range s.RuleSet().Tables {
			if lt.Name == t.Name && lt.Rows != nil && slices.Equal(lt.Fields, t.Fields) && slices.Equal(lt.Types, t.Types) {
				t.Rows = lt.Rows
			}
		}
	}
	if req.Label != "" {
		if j.scorer, err = replay.NewScorer(rs, j.inputs, req.Label); err != nil {
			return "", invalid("bad_label", "%v", err)
		}
	}
	if err := os.MkdirAll(s.replaysDir(), 0o755); err != nil {
		return "", err
	}
	j.path = filepath.Join(s.replaysDir(), j.id+".jsonl")
	r := s.replays
	j.ctx, j.cancel = context.WithCancel(r.ctx)
	r.mu.Lock()
	r.jobs[j.id] = j
	r.mu.Unlock()
	r.wg.Go(func() { r.run(j) })
	return j.id, nil
}

func mapKeys[M ~map[string]V, V any](m M) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// run waits for a turn, then runs the replay.
func (r *replays) run(j *replayJob) {
	defer j.cancel()
	select {
	case r.sem <- struct{}{}:
		defer func() { <-r.sem }()
	case <-j.ctx.Done():
		r.finish(j, ReplayCancelled, "", nil)
		return
	}
	if j.ctx.Err() != nil {
		r.finish(j, ReplayCancelled, "", nil)
		return
	}
	j.mu.Lock()
	j.status, j.started = ReplayRunning, time.Now().UTC()
	j.mu.Unlock()

	f, err := os.Create(j.path)
	if err != nil {
		r.finish(j, ReplayFailed, err.Error(), nil)
		return
	}
	sink := &replaySink{j: j, f: f}
	opts := replay.Options{Sink: sink, Context: j.ctx, Logger: r.s.log,
		Progress: func(p replay.Progress) {
			j.mu.Lock()
			j.progress = p
			j.mu.Unlock()
		}}
	if j.scorer != nil {
		opts.Sink, opts.Observe = j.scorer.Wrap(sink), j.scorer.Observe
	}
	stats, runErr := replay.Run(j.rs, j.inputs, opts)
	if err := sink.close(); err != nil && runErr == nil {
		runErr = err
	}
	j.mu.Lock()
	j.progress.Events = stats.Events
	j.mu.Unlock()
	switch {
	case j.ctx.Err() != nil && (runErr == nil || errors.Is(runErr, context.Canceled)):
		r.finish(j, ReplayCancelled, "", nil)
	case runErr != nil:
		r.finish(j, ReplayFailed, runErr.Error(), nil)
	default:
		var scores json.RawMessage
		if j.scorer != nil {
			var b bytes.Buffer
			sc := j.scorer.Scores(stats)
			sc.Inputs = j.names // not the server's paths
			if err := replay.WriteJSON(&b, sc); err != nil {
				r.finish(j, ReplayFailed, err.Error(), nil)
				return
			}
			scores = b.Bytes()
		}
		r.finish(j, ReplayDone, "", scores)
	}
}

func (r *replays) finish(j *replayJob, status, msg string, scores json.RawMessage) {
	j.mu.Lock()
	j.status, j.err, j.scores, j.finished = status, msg, scores, time.Now().UTC()
	j.rs, j.scorer = nil, nil // what a finished replay no longer needs
	j.mu.Unlock()
	close(j.done)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done = append(r.done, j.id)
	for len(r.done) > r.opts.Keep {
		old := r.done[0]
		r.done = r.done[1:]
		delete(r.jobs, old)
		os.Remove(filepath.Join(r.s.replaysDir(), old+".jsonl"))
	}
}

// replaySink writes a replay's alert records (every record with an id: the
// alerts, shadow and timeouts outputs and rules' `to NAME`) to its file, and
// counts every output's records.
type replaySink struct {
	j   *replayJob
	f   *os.File
	buf []byte
	n   int64
}

func (k *replaySink) count(output string) {
	k.j.mu.Lock()
	k.j.outputs[output]++
	k.j.mu.Unlock()
}

func (k *replaySink) Alert(output string, rec *alerts.Record) error {
	k.count(output)
	k.buf = append(rec.AppendJSON(k.buf), '\n')
	if len(k.buf) >= 64<<10 {
		return k.flush()
	}
	return nil
}

// flush writes the whole records buffered; GET .../alerts serves the file
// up to there.
func (k *replaySink) flush() error {
	if _, err := k.f.Write(k.buf); err != nil {
		return err
	}
	k.n += int64(len(k.buf))
	k.buf = k.buf[:0]
	k.j.written.Store(k.n)
	return nil
}

func (k *replaySink) close() error {
	err := k.flush()
	return errors.Join(err, k.f.Close())
}

func (k *replaySink) Late(*alerts.Late) error             { k.count("late"); return nil }
func (k *replaySink) DeadLetter(*alerts.DeadLetter) error { k.count("deadletter"); return nil }
func (k *replaySink) Window(*alerts.Window) error         { k.count("windows"); return nil }

func (j *replayJob) snapshot() ReplayStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	st := ReplayStatus{ID: j.id, Status: j.status, Rules: j.rules, Events: j.req.Events, Label: j.req.Label,
		Author: j.author, Created: j.created, Error: j.err, Scores: j.scores,
		Progress: ReplayProgress{Events: j.progress.Events, Read: j.progress.Read, Total: j.progress.Size},
		Outputs:  make(map[string]int64, len(j.outputs))}
	for k, v := range j.outputs {
		st.Outputs[k] = v
	}
	if !j.started.IsZero() {
		t := j.started
		st.Started = &t
	}
	if !j.finished.IsZero() {
		t := j.finished
		st.Finished = &t
	}
	return st
}

func (s *Service) replayJob(id string) (*replayJob, error) {
	s.replays.mu.Lock()
	defer s.replays.mu.Unlock()
	j, ok := s.replays.jobs[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrReplayNotFound, id)
	}
	return j, nil
}

// Replay returns a replay's status.
func (s *Service) Replay(id string) (ReplayStatus, error) {
	j, err := s.replayJob(id)
	if err != nil {
		return ReplayStatus{}, err
	}
	return j.snapshot(), nil
}

// Replays returns every replay remembered, newest first.
func (s *Service) Replays() []ReplayStatus {
	s.replays.mu.Lock()
	jobs := make([]*replayJob, 0, len(s.replays.jobs))
	for _, j := range s.replays.jobs {
		jobs = append(jobs, j)
	}
	s.replays.mu.Unlock()
	out := make([]ReplayStatus, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, j.snapshot())
	}
	sort.Slice(out, func(a, b int) bool {
		if !out[a].Created.Equal(out[b].Created) {
			return out[a].Created.After(out[b].Created)
		}
		return out[a].ID > out[b].ID
	})
	return out
}

// CancelReplay cancels a queued or running replay; a finished one stays as
// it is. It returns the status after the cancel took effect.
func (s *Service) CancelReplay(id string) (ReplayStatus, error) {
	j, err := s.replayJob(id)
	if err != nil {
		return ReplayStatus{}, err
	}
	j.cancel()
	select {
	case <-j.done:
	case <-time.After(10 * time.Second):
	}
	return j.snapshot(), nil
}

// ReplayAlerts returns the replay's alert records written so far, as JSON
// lines: all of them once it is done.
func (s *Service) ReplayAlerts(id string) (io.ReadCloser, error) {
	j, err := s.replayJob(id)
	if err != nil {
		return nil, err
	}
	n := j.written.Load()
	f, err := os.Open(j.path)
	if errors.Is(err, os.ErrNotExist) {
		return io.NopCloser(strings.NewReader("")), nil // not started yet
	}
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(f, n), f}, nil
}
