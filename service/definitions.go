package service

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/kestrelcep/kestrel/patterns"
	"github.com/kestrelcep/kestrel/state"
)

// Definitions: the streams, tables, features and rules that make up the
// deployed rule set, each kept in the state store with every version. The
// rule set that runs is compiled from the current definitions (those not
// deleted, rules not disabled), one file per definition, named
// "rules/card_testing@v3.krl" so that an error says which definition it is
// in. A deploy compiles the set with its change first: what does not compile
// is not stored and does not replace what runs. Then the version is stored,
// and the runtime swaps to the new set at one point of every shard
// (engine.Runtime.Swap): a rule whose version is unchanged keeps its partial
// matches, a new version starts with none.
//
// At start, the declarations of the files given by --rules are deployed
// first, each as a new version only when its text differs from the current
// version's, so that a restart with the same files changes nothing.

// Kinds of definition, as the API's paths name them and the state stores
// them.
const (
	KindStream  = "streams"
	KindTable   = "tables"
	KindFeature = "features"
	KindRule    = "rules"
)

// Kinds are the kinds of definition, in the order they are compiled.
var Kinds = []string{KindStream, KindTable, KindFeature, KindRule}

// Errors of the definition methods, which the API maps to status codes.
var (
	ErrNotFound        = errors.New("not found")                           // 404
	ErrVersionConflict = errors.New("version conflict")                    // 409
	ErrInUse           = errors.New("in use")                              // 409
	ErrInvalid         = errors.New("definition does not validate")        // 422; see DefinitionError
	ErrBadArgument     = errors.New("bad request")                         // 400: a bad kind, name or mode
	ErrNotRunning      = errors.New("the service is closed or has failed") // 503
)

// fileAuthor is the author of the versions that `kestrel serve --rules`
// deploys.
const fileAuthor = "kestrel serve --rules"

// Problem is one error in KRL text, at its position: the API's 422 details.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

// DefinitionError is ErrInvalid with every problem found.
type DefinitionError struct {
	Msg      string
	Problems []Problem
}

func (e *DefinitionError) Error() string {
	if len(e.Problems) == 0 {
		return e.Msg
	}
	var b strings.Builder
	b.WriteString(e.Msg)
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n%s:%d:%d: %s", p.File, p.Line, p.Col, p.Message)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) hold.
func (e *DefinitionError) Is(target error) bool { return target == ErrInvalid }

func invalidDef(msg string, errs patterns.ErrorList) *DefinitionError {
	e := &DefinitionError{Msg: msg, Problems: []Problem{}}
	for _, pe := range errs {
		e.Problems = append(e.Problems, Problem{File: pe.Pos.File, Line: pe.Pos.Line, Col: pe.Pos.Col, Message: pe.Msg})
	}
	return e
}

// DeclInfo is a declaration found in KRL text by Validate.
type DeclInfo struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
	// Current is the deployed version that a deploy of it would replace;
	// 0 when there is none.
	Current int `json:"current_version"`
}

// DeployResult is what a deploy did.
type DeployResult struct {
	state.Definition          // the version stored
	Previous         int      // the version it replaced; 0 when there was none
	Kept             []string // rules that kept their partial matches
	// Dropped counts, per rule replaced or removed, the keys whose partial
	// matches were dropped.
	Dropped map[string]int
	// FeaturesReset is set when the state of a feature could not be kept:
	// its declaration changed, or that of a feature it shares its state with
	// (sliding features of one stream and key); its windows start empty.
	// Features declared alike keep theirs across any deploy.
	FeaturesReset bool
	Warnings      []Problem
	Notes         []string
}

// defID names a definition.
type defID struct{ kind, name string }

// deployer is the Service's state of definitions.
type deployer struct {
	mu  sync.Mutex // one deploy at a time; held by Close while it starts
	cur map[defID]state.Definition
	// tombs are streams deleted since start. They stay in the compiled rule
	// set, with no source and nothing reading them, until a restart: the
	// engine names its partitions' streams by their index in the rule set,
	// so a partition's stream must not go away under it.
	tombs map[string]state.Definition
}

func declKindOf(d patterns.Decl) string {
	switch d.(type) {
	case *patterns.StreamDecl:
		return KindStream
	case *patterns.TableDecl:
		return KindTable
	case *patterns.FeatureDecl:
		return KindFeature
	}
	return KindRule
}

// kindWord is the KRL keyword of a kind.
func kindWord(kind string) string { return strings.TrimSuffix(kind, "s") }

func checkKind(kind string) error {
	if !slices.Contains(Kinds, kind) {
		return fmt.Errorf("%w: kind %q (want streams, tables, features or rules)", ErrBadArgument, kind)
	}
	return nil
}

func defFileName(kind, name string, version int) string {
	return fmt.Sprintf("%s/%s@v%d.krl", kind, name, version)
}

// defErr turns the state's errors into the package's.
func defErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, state.ErrNotFound):
		return fmt.Errorf("%w: %v", ErrNotFound, strings.TrimPrefix(err.Error(), "state: not found: "))
	case errors.Is(err, state.ErrVersionConflict):
		return fmt.Errorf("%w: %v", ErrVersionConflict, strings.TrimPrefix(err.Error(), "state: version conflict: "))
	case errors.Is(err, state.ErrInvalid):
		return fmt.Errorf("%w: %v", ErrBadArgument, strings.TrimPrefix(err.Error(), "state: invalid argument: "))
	}
	return err
}

// compiled is a rule set compiled from definitions, with the file name of
// each definition.
type compiled struct {
	rs    *patterns.RuleSet
	files map[string]defID
}

// compileDefs compiles the definitions (disabled rules left out) and the extra
// parsed files as one rule set, gives each rule its definition's version and
// mode, and returns every error. With live set, a rule in shadow mode runs
// next to its live version, the newest earlier version deployed live, that
// live returns (a shadow candidate; see docs/api.md).
func compileDefs(live func(name string, version int) (state.Definition, bool), defs map[defID]state.Definition, tombs map[string]state.Definition, extra ...*patterns.File) (compiled, patterns.ErrorList) {
	c := compiled{files: map[string]defID{}}
	ids := slices.SortedFunc(maps.Keys(defs), func(a, b defID) int {
		return cmp.Or(cmp.Compare(slices.Index(Kinds, a.kind), slices.Index(Kinds, b.kind)), cmp.Compare(a.name, b.name))
	})
	var files []*patterns.File
	var errs patterns.ErrorList
	add := func(id defID, d state.Definition) {
		name := defFileName(id.kind, id.name, d.Version)
		c.files[name] = id
		f, perrs := patterns.Parse(name, []byte(d.Source))
		errs = append(errs, perrs...)
		if f != nil {
			files = append(files, f)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(tombs)) {
		if _, ok := defs[defID{KindStream, name}]; !ok {
			add(defID{KindStream, name}, tombs[name])
		}
	}
	for _, id := range ids {
		if d := defs[id]; d.Mode != state.ModeDisabled {
			add(id, d)
		}
	}
	// The live versions of shadow candidates, compiled under a name no
	// declaration can have, then given theirs back.
	companions := map[string]state.Definition{}
	for _, id := range ids {
		d := defs[id]
		if id.kind != KindRule || d.Mode != state.ModeShadow || live == nil {
			continue
		}
		lv, ok := live(id.name, d.Version)
		if !ok {
			continue
		}
		name := defFileName(id.kind, id.name, lv.Version)
		c.files[name] = id
		f, perrs := patterns.Parse(name, []byte(lv.Source))
		errs = append(errs, perrs...)
		if f == nil {
			continue
		}
		for _, decl := range f.Decls {
			if r, ok := decl.(*patterns.RuleDecl); ok && r.Name == id.name {
				r.Name = id.name + companionSuffix
			}
		}
		companions[id.name] = lv
		files = append(files, f)
	}
	if len(errs) > 0 {
		errs.Sort()
		return c, errs
	}
	rs, errs := patterns.Compile(append(files, extra...), patterns.Options{})
	if len(errs) > 0 {
		return c, errs
	}
	for _, r := range rs.Rules {
		if name, ok := strings.CutSuffix(r.Name, companionSuffix); ok {
			r.Name, r.Version = name, companions[name].Version
			continue
		}
		if d, ok := defs[defID{KindRule, r.Name}]; ok {
			r.Version = d.Version
			if d.Mode == state.ModeShadow {
				r.Output, r.Mode = "shadow", state.ModeShadow
			}
		}
	}
	c.rs = rs
	return c, nil
}

// prepareDefs compiles a candidate set of definitions and binds its tables, so
// that what is stored next can run.
func (s *Service) prepareDefs(msg string, cand map[defID]state.Definition, tombs map[string]state.Definition) (compiled, error) {
	c, errs := compileDefs(s.liveVersion, cand, tombs)
	if len(errs) > 0 {
		return c, invalidDef(msg, errs)
	}
	if err := s.bindTables(c.rs); err != nil {
		return c, &DefinitionError{Msg: err.Error(), Problems: []Problem{}}
	}
	return c, nil
}

// defsLayout names the definitions that make the events' layout and the tables
// of a candidate: a deploy that changes none of them keeps the feature stage.
func defsLayout(cand map[defID]state.Definition, tombs map[string]state.Definition) string {
	var parts []string
	for id, d := range cand {
		if id.kind != KindRule {
			parts = append(parts, fmt.Sprintf("%s/%s@%d", id.kind, id.name, d.Version))
		}
	}
	for name, d := range tombs {
		if _, ok := cand[defID{KindStream, name}]; !ok {
			parts = append(parts, fmt.Sprintf("%s/%s@%d", KindStream, name, d.Version))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// loadDefinitions reads the current definitions from the store.
func (s *Service) loadDefinitions() (map[defID]state.Definition, error) {
	cur := map[defID]state.Definition{}
	for _, kind := range Kinds {
		defs, err := s.db.ListDefinitions(kind)
		if err != nil {
			return nil, err
		}
		for _, d := range defs {
			cur[defID{kind, d.Name}] = d
		}
	}
	return cur, nil
}

// nextVersion is the version the next deploy of kind/name gets: numbering
// goes on after a delete.
func (s *Service) nextVersion(kind, name string) (int, error) {
	vs, err := s.db.Versions(kind, name)
	if errors.Is(err, state.ErrNotFound) {
		return 1, nil
	}
	if err != nil {
		return 0, err
	}
	return vs[0].Version + 1, nil
}

// deployRuleFiles deploys the declarations of the rule files (new versions
// of those whose text changed, by fileAuthor) and compiles the rule set from
// every current definition. The files must compile on their own, as
// `kestrel serve --check-config` checks them.
func (s *Service) deployRuleFiles(paths []string) (*patterns.RuleSet, error) {
	if _, err := loadRules(paths); err != nil {
		return nil, err
	}
	cur, err := s.loadDefinitions()
	if err != nil {
		return nil, err
	}
	var decls []declText
	if len(paths) > 0 {
		files, err := patterns.RuleFiles(paths)
		if err != nil {
			return nil, err
		}
		seen := map[defID]string{}
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			ds, err := splitDecls(path, string(src))
			if err != nil {
				return nil, err
			}
			for _, d := range ds {
				if other, ok := seen[d.id]; ok { // Compile reports it already; not on this path
					return nil, fmt.Errorf("%s %s is declared in %s and in %s", kindWord(d.id.kind), d.id.name, other, path)
				}
				seen[d.id] = path
			}
			decls = append(decls, ds...)
		}
	}
	cand := maps.Clone(cur)
	var changed []defID
	for _, d := range decls {
		old, ok := cur[d.id]
		if ok && old.Source == d.src {
			continue
		}
		v, err := s.nextVersion(d.id.kind, d.id.name)
		if err != nil {
			return nil, err
		}
		mode := state.ModeLive
		if ok {
			mode = old.Mode // a mode set through the API stays
		}
		cand[d.id] = state.Definition{Kind: d.id.kind, Name: d.id.name, Source: d.src, Mode: mode, Author: fileAuthor, Version: v}
		changed = append(changed, d.id)
	}
	c, errs := compileDefs(s.liveVersion, cand, nil)
	if len(errs) > 0 {
		return nil, errs
	}
	for _, id := range changed {
		d := cand[id]
		v, err := s.db.PutDefinition(id.kind, id.name, d, 0)
		if err != nil {
			return nil, fmt.Errorf("deploying %s %s: %w", kindWord(id.kind), id.name, err)
		}
		if cand[id], err = s.db.GetDefinition(id.kind, id.name); err != nil {
			return nil, err
		}
		if v != d.Version {
			return nil, fmt.Errorf("deploying %s %s: stored as version %d, not %d", kindWord(id.kind), id.name, v, d.Version)
		}
		s.log.Info("deployed from the rule files", "kind", id.kind, "name", id.name, "version", v)
	}
	s.defs.cur = cand
	s.defs.tombs = map[string]state.Definition{}
	return c.rs, nil
}

// declText is one declaration of a rule file with its text.
type declText struct {
	id  defID
	src string
	pos patterns.Pos
}

// splitDecls cuts a rule file's text into its declarations. A declaration
// takes the comments and blank lines before it (the first one the file's
// head too), and a comment on the line where the previous one ends stays
// with that one; the text ends with one newline.
func splitDecls(path, text string) ([]declText, error) {
	f, errs := patterns.Parse(path, []byte(text))
	if len(errs) > 0 {
		return nil, errs
	}
	lines := []int{0} // byte offset of each line's start
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			lines = append(lines, i+1)
		}
	}
	type span struct{ start, end int }
	spans := make([]span, len(f.Decls))
	for i, d := range f.Decls {
		src := declSource(d)
		pos := d.Position()
		if src == "" || pos.Line < 1 || pos.Line > len(lines) {
			return nil, fmt.Errorf("%s:%d:%d: cannot find the text of %s", path, pos.Line, pos.Col, d.DeclName())
		}
		off := lines[pos.Line-1]
		for c := 1; c < pos.Col && off < len(text); c++ {
			_, n := utf8.DecodeRuneInString(text[off:])
			off += n
		}
		lo := 0
		if i > 0 {
			lo = spans[i-1].end
		}
		start := -1
		for p := min(off, len(text)); p >= lo; p-- {
			if strings.HasPrefix(text[p:], src) {
				start = p
				break
			}
		}
		if start < 0 {
			return nil, fmt.Errorf("%s:%d:%d: cannot find the text of %s", path, pos.Line, pos.Col, d.DeclName())
		}
		spans[i] = span{start, start + len(src)}
	}
	// Cut between declarations: after the end of the previous one's line
	// (with a comment that follows it there), or at the next one's start
	// when it begins on that line.
	cuts := make([]int, len(spans)+1)
	cuts[len(spans)] = len(text)
	for i := 1; i < len(spans); i++ {
		p, next := spans[i-1].end, spans[i].start
		cuts[i] = next
	scan:
		for p < next {
			switch {
			case text[p] == '\n':
				cuts[i] = p + 1
				break scan
			case text[p] == ' ' || text[p] == '\t' || text[p] == '\r':
				p++
			case strings.HasPrefix(text[p:], "//"):
				if nl := strings.IndexByte(text[p:next], '\n'); nl >= 0 {
					cuts[i] = p + nl + 1
				}
				break scan
			case strings.HasPrefix(text[p:], "/*"):
				end := strings.Index(text[p+2:next], "*/")
				if end < 0 {
					break scan
				}
				p += 2 + end + 2
			default:
				break scan
			}
		}
	}
	out := make([]declText, len(f.Decls))
	for i, d := range f.Decls {
		src := strings.TrimRight(strings.TrimLeft(text[cuts[i]:cuts[i+1]], "\r\n"), " \t\r\n") + "\n"
		out[i] = declText{id: defID{declKindOf(d), d.DeclName()}, src: src, pos: d.Position()}
	}
	return out, nil
}

func declSource(d patterns.Decl) string {
	switch d := d.(type) {
	case *patterns.StreamDecl:
		return d.Source
	case *patterns.TableDecl:
		return d.Source
	case *patterns.FeatureDecl:
		return d.Source
	case *patterns.RuleDecl:
		return d.Source
	}
	return ""
}

// lockDefs takes the deploy lock; an error when the service no longer runs.
func (s *Service) lockDefs() error {
	s.defs.mu.Lock()
	if s.closed.Load() {
		s.defs.mu.Unlock()
		return ErrNotRunning
	}
	return nil
}

// Validate compiles KRL text against the deployed definitions, as a deploy
// of each of its declarations would (a declaration replaces the deployed one
// of its kind and name), without storing or changing anything.
func (s *Service) Validate(src string) ([]DeclInfo, error) {
	if err := s.lockDefs(); err != nil {
		return nil, err
	}
	defer s.defs.mu.Unlock()
	const name = "input.krl"
	f, errs := patterns.Parse(name, []byte(src))
	if len(errs) > 0 {
		return nil, invalidDef("the text does not parse", errs)
	}
	if len(f.Decls) == 0 {
		return nil, &DefinitionError{Msg: "the text declares nothing", Problems: []Problem{}}
	}
	cand := maps.Clone(s.defs.cur)
	decls := make([]DeclInfo, 0, len(f.Decls))
	for _, d := range f.Decls {
		id := defID{declKindOf(d), d.DeclName()}
		pos := d.Position()
		decls = append(decls, DeclInfo{Kind: id.kind, Name: id.name, Line: pos.Line, Col: pos.Col, Current: cand[id].Version})
		delete(cand, id)
	}
	tombs := maps.Clone(s.defs.tombs)
	for _, d := range decls {
		if d.Kind == KindStream {
			delete(tombs, d.Name)
		}
	}
	if _, errs := compileDefs(nil, cand, tombs, f); len(errs) > 0 {
		return nil, invalidDef("the text does not compile against the deployed definitions", errs)
	}
	return decls, nil
}

// Deploy stores src as the next version of kind/name and makes it live: src
// must declare exactly that name of that kind, and the deployed set with it
// must compile, or nothing changes (ErrInvalid). mode is for rules: live
// (also "") or shadow. ifMatch > 0 must be the current version
// (ErrVersionConflict).
func (s *Service) Deploy(kind, name, src, mode, author string, ifMatch int) (DeployResult, error) {
	if err := checkKind(kind); err != nil {
		return DeployResult{}, err
	}
	switch {
	case mode == "":
		mode = state.ModeLive
	case kind != KindRule && mode != state.ModeLive:
		return DeployResult{}, fmt.Errorf("%w: mode %q: only rules have a mode", ErrBadArgument, mode)
	case mode != state.ModeLive && mode != state.ModeShadow:
		return DeployResult{}, fmt.Errorf("%w: mode %q (want live or shadow)", ErrBadArgument, mode)
	}
	if err := s.lockDefs(); err != nil {
		return DeployResult{}, err
	}
	defer s.defs.mu.Unlock()
	id := defID{kind, name}
	old, exists := s.defs.cur[id]
	if ifMatch > 0 && old.Version != ifMatch {
		if !exists {
			return DeployResult{}, fmt.Errorf("%w: %s %s is not deployed; If-Match %d does not hold", ErrVersionConflict, kindWord(kind), name, ifMatch)
		}
		return DeployResult{}, fmt.Errorf("%w: %s %s is at version %d, not %d", ErrVersionConflict, kindWord(kind), name, old.Version, ifMatch)
	}
	v, err := s.nextVersion(kind, name)
	if err != nil {
		return DeployResult{}, defErr(err)
	}
	f, errs := patterns.Parse(defFileName(kind, name, v), []byte(src))
	if len(errs) > 0 {
		return DeployResult{}, invalidDef("the text does not parse", errs)
	}
	if len(f.Decls) != 1 || declKindOf(f.Decls[0]) != kind || f.Decls[0].DeclName() != name {
		var got []string
		for _, d := range f.Decls {
			got = append(got, kindWord(declKindOf(d))+" "+d.DeclName())
		}
		what := "nothing"
		if len(got) > 0 {
			what = strings.Join(got, ", ")
		}
		return DeployResult{}, &DefinitionError{Problems: []Problem{},
			Msg: fmt.Sprintf("PUT /v1/%s/%s takes the text of exactly one declaration, %s %s; this text declares %s", kind, name, kindWord(kind), name, what)}
	}
	cand := maps.Clone(s.defs.cur)
	cand[id] = state.Definition{Kind: kind, Name: name, Source: src, Mode: mode, Author: author, Version: v}
	tombs := s.defs.tombs
	if kind == KindStream && tombs[name].Source != "" {
		tombs = maps.Clone(tombs)
		delete(tombs, name)
	}
	c, err := s.prepareDefs(fmt.Sprintf("%s %s does not compile with the deployed definitions; the running version is unchanged", kindWord(kind), name), cand, tombs)
	if err != nil {
		return DeployResult{}, err
	}
	stored, err := s.putDef(kind, name, state.Definition{Source: src, Mode: mode, Author: author}, ifMatch, c.rs)
	if err != nil {
		return DeployResult{}, err
	}
	cand[id] = stored
	return s.applyDefs(cand, tombs, c, stored, old.Version)
}

// putDef stores a definition and gives the compiled rule its stored version.
func (s *Service) putDef(kind, name string, d state.Definition, ifMatch int, rs *patterns.RuleSet) (state.Definition, error) {
	if _, err := s.db.PutDefinition(kind, name, d, ifMatch); err != nil {
		return state.Definition{}, defErr(err)
	}
	stored, err := s.db.GetDefinition(kind, name)
	if err != nil {
		return state.Definition{}, defErr(err)
	}
	if r := rs.Rule(name); kind == KindRule && r != nil {
		r.Version = stored.Version
	}
	return stored, nil
}

// applyDefs makes a prepared candidate, whose change is stored, the running set:
// the runtime swaps to it, keeping the feature stage unless a stream, table
// or feature changed, and sources start for new streams.
func (s *Service) applyDefs(cand map[defID]state.Definition, tombs map[string]state.Definition, c compiled,
	d state.Definition, previous int) (DeployResult, error) {
	res := DeployResult{Definition: d, Previous: previous, Dropped: map[string]int{}}
	for _, w := range c.rs.Warnings {
		res.Warnings = append(res.Warnings, Problem{File: w.Pos.File, Line: w.Pos.Line, Col: w.Pos.Col, Message: w.Msg})
	}
	layoutChanged := defsLayout(cand, tombs) != defsLayout(s.defs.cur, s.defs.tombs)
	prev := s.rs.Load()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s.feed.Lock()
	sr, err := s.rt.Swap(ctx, c.rs, !layoutChanged)
	if err == nil {
		s.rs.Store(c.rs)
	}
	s.feed.Unlock()
	if err != nil {
		s.log.Error("the runtime did not take the new rule set; the stored definitions are ahead of it", "err", err)
		return res, fmt.Errorf("%w: %v", ErrNotRunning, err)
	}
	before := s.defs.cur
	s.defs.cur, s.defs.tombs = cand, tombs
	res.Kept, res.FeaturesReset = sr.Kept, sr.FeaturesReset
	maps.Copy(res.Dropped, sr.Dropped)
	for _, st := range c.rs.Streams {
		id := defID{KindStream, st.Name}
		if _, now := cand[id]; now && (prev.Stream(st.Name) == nil || before[id].Version == 0) {
			if note := s.startStream(st); note != "" {
				res.Notes = append(res.Notes, note)
			}
		}
	}
	s.log.Info("deployed", "kind", d.Kind, "name", d.Name, "version", d.Version, "mode", d.Mode, "author", d.Author,
		"previous", previous, "dropped", sr.Dropped, "features_reset", sr.FeaturesReset)
	return res, nil
}

// startStream starts the source of a stream deployed while running: its
// configured file, or HTTP ingest.
func (s *Service) startStream(st *patterns.Stream) (note string) {
	c, ok := s.cfg.Sources[st.Name]
	var err error
	switch {
	case ok && c.File != nil:
		err = s.startFile(st, c.File.Path, c.File.Follow)
	case ok && c.Kafka != nil:
		return fmt.Sprintf("stream %s reads Kafka topic %s from the next start on; Kafka consumers join their group at start", st.Name, c.Kafka.Topic)
	default:
		if h := s.httpStream(st.Name); h != nil { // a deleted stream deployed again: its source has stopped
			<-h.done
		}
		err = s.startHTTP(st)
	}
	if err != nil {
		s.log.Error("starting the source of a new stream", "stream", st.Name, "err", err)
		return fmt.Sprintf("stream %s: its source did not start: %v", st.Name, err)
	}
	return ""
}

// stopStream stops the HTTP source of a deleted stream and drops its ingest
// log: nothing reads it any more.
func (s *Service) stopStream(name string) {
	h := s.httpStream(name)
	if h == nil {
		return
	}
	h.stop()
	<-h.done
	s.httpMu.Lock()
	if s.http[name] == h {
		delete(s.http, name)
	}
	s.httpMu.Unlock()
	if last, err := s.db.LastSeq(name); err == nil && last > 0 {
		if err := s.db.TrimEvents(name, last+1); err != nil {
			s.log.Warn("dropping the ingest log of a deleted stream", "stream", name, "err", err)
		}
	}
}

// Get returns the current definition of kind/name.
func (s *Service) Get(kind, name string) (state.Definition, error) {
	if err := checkKind(kind); err != nil {
		return state.Definition{}, err
	}
	d, err := s.db.GetDefinition(kind, name)
	return d, defErr(err)
}

// List returns the current definitions of a kind, by name.
func (s *Service) List(kind string) ([]state.Definition, error) {
	if err := checkKind(kind); err != nil {
		return nil, err
	}
	defs, err := s.db.ListDefinitions(kind)
	return defs, defErr(err)
}

// Versions returns every version of kind/name, newest first.
func (s *Service) Versions(kind, name string) ([]state.Definition, error) {
	if err := checkKind(kind); err != nil {
		return nil, err
	}
	vs, err := s.db.Versions(kind, name)
	return vs, defErr(err)
}

// GetVersion returns version v of kind/name as it was deployed.
func (s *Service) GetVersion(kind, name string, v int) (state.Definition, error) {
	if err := checkKind(kind); err != nil {
		return state.Definition{}, err
	}
	d, err := s.db.GetVersion(kind, name, v)
	return d, defErr(err)
}

// Rollback deploys the source of version v of a rule again, as a new
// version with the rule's current mode (live for a deleted rule).
func (s *Service) Rollback(name string, v int, author string) (DeployResult, error) {
	if err := s.lockDefs(); err != nil {
		return DeployResult{}, err
	}
	defer s.defs.mu.Unlock()
	src, err := s.db.GetVersion(KindRule, name, v)
	if err != nil {
		return DeployResult{}, defErr(err)
	}
	id := defID{KindRule, name}
	old, exists := s.defs.cur[id]
	mode := state.ModeLive
	if exists {
		mode = old.Mode
	}
	if mode == state.ModeShadow {
		mode = src.Mode // dropping a candidate: the version comes back as it ran
	}
	next, err := s.nextVersion(KindRule, name)
	if err != nil {
		return DeployResult{}, defErr(err)
	}
	cand := maps.Clone(s.defs.cur)
	cand[id] = state.Definition{Kind: KindRule, Name: name, Source: src.Source, Mode: mode, Author: author, Version: next}
	c, err := s.prepareDefs(fmt.Sprintf("version %d of rule %s does not compile with the deployed definitions; the running version is unchanged", v, name), cand, s.defs.tombs)
	if err != nil {
		return DeployResult{}, err
	}
	stored, err := s.putDef(KindRule, name, state.Definition{Source: src.Source, Mode: mode, Author: author}, 0, c.rs)
	if err != nil {
		return DeployResult{}, err
	}
	cand[id] = stored
	res, err := s.applyDefs(cand, s.defs.tombs, c, stored, old.Version)
	res.Notes = append(res.Notes, fmt.Sprintf("version %d has the source of version %d", stored.Version, v))
	return res, err
}

// SetMode sets a rule's mode: live, shadow (its alerts go to the shadow
// output) or disabled (it no longer runs). The version stays, so alert ids
// and partial matches carry on between live and shadow; disabling drops the
// partial matches.
func (s *Service) SetMode(name, mode string) (DeployResult, error) {
	switch mode {
	case state.ModeLive, state.ModeShadow, state.ModeDisabled:
	default:
		return DeployResult{}, fmt.Errorf("%w: mode %q (want live, shadow or disabled)", ErrBadArgument, mode)
	}
	if err := s.lockDefs(); err != nil {
		return DeployResult{}, err
	}
	defer s.defs.mu.Unlock()
	id := defID{KindRule, name}
	old, ok := s.defs.cur[id]
	if !ok {
		return DeployResult{}, fmt.Errorf("%w: rule %s", ErrNotFound, name)
	}
	if old.Mode == mode {
		return DeployResult{Definition: old, Previous: old.Version, Dropped: map[string]int{}}, nil
	}
	cand := maps.Clone(s.defs.cur)
	nd := old
	nd.Mode = mode
	cand[id] = nd
	c, err := s.prepareDefs(fmt.Sprintf("rule %s does not compile with the deployed definitions; its mode is unchanged", name), cand, s.defs.tombs)
	if err != nil {
		return DeployResult{}, err
	}
	stored, err := s.db.SetMode(KindRule, name, mode)
	if err != nil {
		return DeployResult{}, defErr(err)
	}
	cand[id] = stored
	return s.applyDefs(cand, s.defs.tombs, c, stored, old.Version)
}

// Delete deletes kind/name: it no longer runs, and its versions are kept.
// A stream, table or feature that a definition still uses is not deleted
// (ErrInUse, naming them).
func (s *Service) Delete(kind, name string) (DeployResult, error) {
	if err := checkKind(kind); err != nil {
		return DeployResult{}, err
	}
	if err := s.lockDefs(); err != nil {
		return DeployResult{}, err
	}
	defer s.defs.mu.Unlock()
	id := defID{kind, name}
	old, ok := s.defs.cur[id]
	if !ok {
		return DeployResult{}, fmt.Errorf("%w: %s %s", ErrNotFound, kindWord(kind), name)
	}
	if kind != KindRule {
		if users := s.usersOf(id); len(users) > 0 {
			return DeployResult{}, fmt.Errorf("%w: %s %s is used by %s; delete or change them first", ErrInUse, kindWord(kind), name, strings.Join(users, ", "))
		}
	}
	cand := maps.Clone(s.defs.cur)
	delete(cand, id)
	tombs := s.defs.tombs
	if kind == KindStream {
		tombs = maps.Clone(tombs)
		tombs[name] = old
	}
	c, err := s.prepareDefs(fmt.Sprintf("the deployed definitions do not compile without %s %s", kindWord(kind), name), cand, tombs)
	if err != nil {
		return DeployResult{}, err
	}
	if err := s.db.DeleteDefinition(kind, name); err != nil {
		return DeployResult{}, defErr(err)
	}
	if kind == KindStream {
		s.stopStream(name)
	}
	res, err := s.applyDefs(cand, tombs, c, old, old.Version)
	res.Deleted = true
	return res, err
}

// usersOf names the definitions that use id: those that compile with it and
// not without it (disabled rules count: they would not compile when enabled).
func (s *Service) usersOf(id defID) []string {
	all := maps.Clone(s.defs.cur)
	for k, d := range all {
		if d.Mode == state.ModeDisabled {
			d.Mode = state.ModeLive
			all[k] = d
		}
	}
	broken := map[defID]bool{}
	c, errs := compileDefs(nil, all, s.defs.tombs)
	for _, e := range errs {
		broken[c.files[e.Pos.File]] = true
	}
	delete(all, id)
	c, errs = compileDefs(nil, all, s.defs.tombs)
	seen := map[defID]bool{}
	var users []string
	for _, e := range errs {
		u, ok := c.files[e.Pos.File]
		if !ok || broken[u] || seen[u] {
			continue
		}
		seen[u] = true
		users = append(users, kindWord(u.kind)+" "+u.name)
	}
	slices.Sort(users)
	return users
}

// AlertsLastHour counts a rule's alerts of the last hour per version, for its
// newest versions (at most 5): the current one always, the others when they
// have alerts. A version deployed in shadow next to the live version's count
// before it is how an analyst compares a candidate.
func (s *Service) AlertsLastHour(name string) (map[int]int, error) {
	vs, err := s.db.Versions(KindRule, name)
	if err != nil {
		return nil, defErr(err)
	}
	since := time.Now().Add(-time.Hour).UnixMilli()
	out := map[int]int{}
	for i, d := range vs[:min(len(vs), 5)] {
		n, err := s.db.CountAlerts(state.AlertQuery{Rule: name, Version: d.Version, Since: since})
		if err != nil {
			return nil, err
		}
		if n > 0 || i == 0 {
			out[d.Version] = n
		}
	}
	return out, nil
}

// companionSuffix renames a shadow candidate's live version while it is
// compiled; no declared name can contain it.
const companionSuffix = "\x00live"

// liveVersion is the version of a rule that runs live next to its shadow
// candidate at version v: the newest earlier version deployed live.
func (s *Service) liveVersion(name string, v int) (state.Definition, bool) {
	vs, err := s.db.Versions(KindRule, name)
	if err != nil {
		return state.Definition{}, false
	}
	for _, d := range vs { // newest first
		if d.Version < v && d.Mode == state.ModeLive && !d.Deleted {
			return d, true
		}
	}
	return state.Definition{}, false
}
