package patterns

import (
	"fmt"
	"strings"

	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/nfa"
)

// stepInfo is one step of a rule's pattern, numbered depth-first (the nfa step id).
type stepInfo struct {
	decl    *Step
	elem    *Element
	index   int
	looping bool
	negated bool
	streams []*Stream // the streams whose events it may take
}

// ruleCheck compiles one rule.
type ruleCheck struct {
	c      *checker
	d      *RuleDecl
	file   string
	steps  []*stepInfo
	byName map[string]*stepInfo
	reads  []*Stream
	key    string
}

func (c *checker) rule(d *RuleDecl) {
	rc := &ruleCheck{c: c, d: d, file: d.At.File, byName: map[string]*stepInfo{}}
	r := &Rule{Decl: d, Name: d.Name, Version: 1, Severity: d.Severity, Output: "alerts", Mode: "live",
		Within: d.Within, WithinGap: d.WithinGap}
	if r.Severity == "" {
		r.Severity = "medium"
	} else if !oneOf(r.Severity, severities) {
		c.errorf(d.At, "unknown severity %s; expected low, medium, high or critical", d.Severity)
	}
	if d.To != "" {
		if reservedOutputs[d.To] {
			c.errorf(d.At, "to %s: %s is a side output that Kestrel writes itself; choose another output name", d.To, d.To)
		}
		r.Output = d.To
	}
	if d.Pattern == nil {
		c.errorf(d.At, "rule %s has no pattern", d.Name)
		return
	}
	before := len(c.errs)
	rc.collect(d.Pattern, false)
	rc.streamsRead()
	rc.checkKey(r)
	rc.checkShape()
	r.Steps = make([]string, len(rc.steps))
	for i, s := range rc.steps {
		r.Steps[i] = s.decl.Name
	}
	r.Reads = make([]bool, len(c.rs.Streams))
	for _, s := range rc.reads {
		r.Reads[s.Index] = true
	}
	elems := rc.elements(d.Pattern.Elements)
	r.Emit = rc.record(d.Emit)
	r.TimeoutEmit = rc.record(d.TimeoutEmit)
	if len(c.errs) > before {
		return
	}
	r.Pattern = nfa.Pattern{
		Elements:    elems,
		Within:      d.Within,
		WithinGap:   d.WithinGap,
		SkipTo:      d.SkipTo,
		MaxPartials: c.opts.MaxPartials,
		Timeouts:    d.TimeoutEmit != nil,
	}
	switch d.Skip {
	case "", "past_last":
		r.Pattern.Skip = nfa.SkipPastLast
	case "no_skip":
		r.Pattern.Skip = nfa.NoSkip
	case "to_next":
		r.Pattern.Skip = nfa.SkipToNext
	case "to_first":
		r.Pattern.Skip = nfa.SkipToFirst
	case "to_last":
		r.Pattern.Skip = nfa.SkipToLast
	}
	prog, err := nfa.Compile(r.Pattern)
	if err != nil {
		c.errorf(d.Pattern.At, "%v", err)
		return
	}
	if got := prog.Steps(); strings.Join(got, ",") != strings.Join(r.Steps, ",") {
		c.errorf(d.Pattern.At, "internal error: nfa numbered the steps %v, expected %v", got, r.Steps)
		return
	}
	r.Program = prog
	if d.Within == 0 && r.Pattern.Skip != nfa.NoSkip && rc.canHold() {
		c.warnf(d.At, "rule %s has no within: a match can be held back indefinitely by an older partial match", d.Name)
	}
	c.rs.Rules = append(c.rs.Rules, r)
}

// collect numbers the steps depth-first. inList is set inside a quantified group.
func (rc *ruleCheck) collect(p *Pattern, inList bool) {
	for _, e := range p.Elements {
		if e.Group != nil {
			rc.collect(e.Group, inList || (e.Quant != nil && !(e.Quant.Min == 1 && e.Quant.Max == 1)))
			continue
		}
		s := e.Step
		info := &stepInfo{decl: s, elem: e, index: len(rc.steps), negated: e.Not,
			looping: inList || (e.Quant != nil && !(e.Quant.Min == 1 && e.Quant.Max == 1))}
		if _, dup := rc.byName[s.Name]; dup {
			rc.c.errorf(s.At, "step name %s is used twice in rule %s", s.Name, rc.d.Name)
		}
		rc.byName[s.Name] = info
		rc.steps = append(rc.steps, info)
	}
}

// streamsRead resolves each step's stream. `any` means every stream the
// rule's other steps read, or every declared stream when all steps say any.
func (rc *ruleCheck) streamsRead() {
	seen := map[int]bool{}
	for _, s := range rc.steps {
		if s.decl.Stream == "any" {
			continue
		}
		st := rc.c.rs.Stream(s.decl.Stream)
		if st == nil {
			rc.c.unknownStream(s.decl.StreamAt, s.decl.Stream)
			continue
		}
		s.streams = []*Stream{st}
		if !seen[st.Index] {
			seen[st.Index] = true
			rc.reads = append(rc.reads, st)
		}
	}
	if len(rc.reads) == 0 {
		rc.reads = rc.c.rs.Streams
	}
	for _, s := range rc.steps {
		if s.decl.Stream == "any" {
			s.streams = rc.reads
		}
	}
}

// checkKey checks the `by` fields: each must exist, with one type, in every
// stream the pattern reads.
func (rc *ruleCheck) checkKey(r *Rule) {
	d := rc.d
	r.Key = make([][]int, len(rc.c.rs.Streams))
	for _, name := range d.By {
		var typ expr.Type
		for i, s := range rc.reads {
			f, ok := s.field(name)
			if !ok {
				rc.c.errorf(d.ByAt, "rule %s is partitioned by %s, which stream %s lacks%s", d.Name, name, s.Name, suggest(name, s.Fields))
				continue
			}
			if i > 0 && f.Type != typ {
				rc.c.errorf(d.ByAt, "key field %s is %s in stream %s but %s in stream %s", name, f.Type, s.Name, typ, rc.reads[0].Name)
			}
			typ = f.Type
			r.Key[s.Index] = append(r.Key[s.Index], f.Slot)
		}
		r.KeyTypes = append(r.KeyTypes, typ)
	}
	if len(d.By) == 1 {
		rc.key = d.By[0]
	}
}

// checkShape checks what the pattern's structure allows (the Flink rules).
func (rc *ruleCheck) checkShape() {
	d := rc.d
	var walk func(p *Pattern, top bool)
	walk = func(p *Pattern, top bool) {
		for i, e := range p.Elements {
			if e.Group != nil {
				if len(e.Group.Elements) == 0 {
					rc.c.errorf(e.At, "empty group")
				}
				walk(e.Group, false)
			}
			if !e.Not {
				continue
			}
			switch {
			case i == 0 && top:
				rc.c.errorf(e.At, "a pattern cannot start with a negated step; put the step it must follow first")
			case i == 0:
				rc.c.errorf(e.At, "a group cannot start with a negated step")
			case e.Op == "~>":
				rc.c.errorf(e.At, "~> not is not allowed: a negation under followed-by-any would never hold; use -> not")
			}
			if e.Quant != nil {
				rc.c.errorf(e.Quant.At, "a negated step cannot have a quantifier")
			}
			switch {
			case i < len(p.Elements)-1:
			case !top:
				rc.c.errorf(e.At, "a group cannot end with a negated step")
			case d.Within == 0 && e.Op != "=>":
				// `=> not` last (notNext) waits only for the next event; `-> not` last
				// is an absence, which needs a window to end.
				rc.c.errorf(e.At, "a pattern can end with `-> not` only with `within D`, which bounds how long the absence is awaited")
			}
		}
	}
	walk(d.Pattern, true)
	if d.Skip == "to_first" || d.Skip == "to_last" {
		if _, ok := rc.byName[d.SkipTo]; !ok {
			rc.c.errorf(d.SkipAt, "skip %s %s: no step named %s in the pattern", d.Skip, d.SkipTo, d.SkipTo)
		}
	}
	if d.TimeoutEmit != nil && d.Within == 0 {
		rc.c.errorf(d.TimeoutEmit.At, "timeout emit needs within: partial matches time out only when a window bounds them")
	}
}

// canHold reports whether a partial match can outlive a completed one: any
// pattern of more than one step, or with a looping step.
func (rc *ruleCheck) canHold() bool {
	if len(rc.steps) > 1 {
		return true
	}
	return rc.steps[0].looping
}

// scope returns the scope for expressions whose current event comes from cur
// and that see the steps up to and including upto (all steps when upto < 0).
func (rc *ruleCheck) scope(cur []*Stream, upto int) *ruleScope {
	steps := map[string]expr.StepRef{}
	for _, s := range rc.steps {
		if upto >= 0 && s.index > upto {
			break
		}
		streams := s.streams
		steps[s.decl.Name] = expr.StepRef{
			Index:   s.index,
			Looping: s.looping,
			Negated: s.negated,
			Field: func(name string) (expr.FieldRef, bool) {
				return multiField(rc.c.rs.Streams, streams, name, func(st *Stream) (expr.FieldRef, bool) { return st.field(name) })
			},
		}
	}
	return &ruleScope{c: rc.c, cur: cur, steps: steps, key: rc.key}
}

// checkNames reports names that the scope cannot resolve for a reason expr
// cannot know: a step declared later, a feature whose key the event lacks.
// It returns false when it reported something.
func (rc *ruleCheck) checkNames(n expr.Node, cur []*Stream, upto int) bool {
	ok := true
	walkNames(n, func(name *expr.Name) {
		if s, isStep := rc.byName[name.Name]; isStep && upto >= 0 && s.index > upto {
			if _, isField := (&ruleScope{c: rc.c, cur: cur}).Field(name.Name); !isField {
				rc.c.errorf(rc.pos(name), "step %s comes later in the pattern; a condition can refer only to earlier steps and its own", name.Name)
				ok = false
			}
			return
		}
		f := rc.c.featureNamed(name.Name)
		if f == nil {
			return
		}
		if _, isField := (&ruleScope{c: rc.c, cur: cur}).Field(name.Name); isField {
			return
		}
		for _, s := range cur {
			if !featureKeyed(f, s) {
				rc.c.errorf(rc.pos(name), "feature %s is keyed by %s, which stream %s lacks", f.Name, featureKeyNames(f), s.Name)
				ok = false
			}
		}
	})
	return ok
}

func featureKeyNames(f *Feature) string {
	var names []string
	for _, slot := range f.By {
		names = append(names, f.Stream.Fields[slot])
	}
	return strings.Join(names, ", ")
}

func (rc *ruleCheck) pos(n expr.Node) Pos {
	p := n.Position()
	return Pos{File: rc.file, Line: p.Line, Col: p.Col}
}

// walkNames calls fn for every bare name in n.
func walkNames(n expr.Node, fn func(*expr.Name)) {
	switch n := n.(type) {
	case *expr.Name:
		fn(n)
	case *expr.Selector:
		if x, ok := n.X.(*expr.Name); ok && x.Name == "this" {
			return
		}
		walkNames(n.X, fn)
	case *expr.Index:
		walkNames(n.X, fn)
		for _, k := range n.Keys {
			walkNames(k, fn)
		}
	case *expr.Call:
		for _, a := range n.Args {
			walkNames(a, fn)
		}
	case *expr.Unary:
		walkNames(n.X, fn)
	case *expr.Binary:
		walkNames(n.L, fn)
		walkNames(n.R, fn)
	case *expr.In:
		walkNames(n.X, fn)
		for _, a := range n.List {
			walkNames(a, fn)
		}
	case *expr.Between:
		walkNames(n.X, fn)
		walkNames(n.Lo, fn)
		walkNames(n.Hi, fn)
	case *expr.IsNull:
		walkNames(n.X, fn)
	}
}

// condition compiles a step's condition (or its until condition).
func (rc *ruleCheck) condition(s *stepInfo, n expr.Node) *expr.Expr {
	// A step over an unknown stream has been reported; its condition cannot be checked.
	if n == nil || len(s.streams) == 0 || !rc.checkNames(n, s.streams, s.index) {
		return nil
	}
	e, errs := expr.CompileCond(n, rc.scope(s.streams, s.index))
	rc.c.exprErrors(rc.file, errs)
	if len(errs) > 0 {
		return nil
	}
	return e
}

func contiguity(op string) nfa.Contiguity {
	switch op {
	case "=>":
		return nfa.Strict
	case "~>":
		return nfa.NonDeterministic
	}
	return nfa.Relaxed
}

// quantifier translates a quantifier. s is the step it applies to: for a group,
// the group's last step, whose scope its until condition sees.
func (rc *ruleCheck) quantifier(q *Quantifier, s *stepInfo) *nfa.Quantifier {
	if q == nil {
		return nil
	}
	nq := &nfa.Quantifier{Min: q.Min, Max: q.Max, Optional: q.Optional, Greedy: q.Greedy,
		Consecutive: q.Consecutive, Combinations: q.Combinations}
	if q.Until != nil {
		if q.Max >= 0 {
			rc.c.errorf(q.At, "until applies to an unbounded loop (+, * or {n,})")
		} else if e := rc.condition(s, q.Until); e != nil {
			nq.Until = stepCondition(s.streams, len(rc.c.rs.Streams), e)
		}
	}
	if q.Consecutive && q.Combinations {
		rc.c.errorf(q.At, "consecutive and combinations cannot be used together")
	}
	return nq
}

// groupScope returns a step standing for a group in its until condition: it
// sees the steps up to the group's last one, and events of any stream the
// group's steps read.
func (rc *ruleCheck) groupScope(g *Pattern) *stepInfo {
	var last *stepInfo
	seen := map[int]bool{}
	var streams []*Stream
	var walk func(p *Pattern)
	walk = func(p *Pattern) {
		for _, e := range p.Elements {
			if e.Group != nil {
				walk(e.Group)
				continue
			}
			s := rc.byName[e.Step.Name]
			last = s
			for _, st := range s.streams {
				if !seen[st.Index] {
					seen[st.Index] = true
					streams = append(streams, st)
				}
			}
		}
	}
	walk(g)
	if last == nil {
		return &stepInfo{}
	}
	return &stepInfo{index: last.index, streams: streams}
}

// elements translates pattern elements into nfa elements.
func (rc *ruleCheck) elements(elems []*Element) []nfa.Element {
	out := make([]nfa.Element, 0, len(elems))
	for _, e := range elems {
		ne := nfa.Element{Contiguity: contiguity(e.Op), Negated: e.Not}
		if e.Group != nil {
			ne.Group = rc.elements(e.Group.Elements)
			ne.Quant = rc.quantifier(e.Quant, rc.groupScope(e.Group))
		} else {
			s := rc.byName[e.Step.Name]
			ne.Name = e.Step.Name
			ne.Cond = stepCondition(s.streams, len(rc.c.rs.Streams), rc.condition(s, e.Step.Cond))
			ne.Quant = rc.quantifier(e.Quant, s)
		}
		out = append(out, ne)
	}
	return out
}

// record compiles an emit record. Its current event is the match's last event,
// of any stream the rule reads.
func (rc *ruleCheck) record(r *Record) []Emitted {
	if r == nil {
		return nil
	}
	var out []Emitted
	seen := map[string]bool{}
	for _, f := range r.Fields {
		if seen[f.Name] {
			rc.c.errorf(f.At, "field %s is emitted twice", f.Name)
			continue
		}
		seen[f.Name] = true
		if !rc.checkNames(f.Expr, rc.reads, -1) {
			continue
		}
		e, errs := expr.Compile(f.Expr, rc.scope(rc.reads, -1))
		rc.c.exprErrors(rc.file, errs)
		if len(errs) == 0 {
			out = append(out, Emitted{Name: f.Name, Expr: e})
		}
	}
	return out
}

// String describes the rule for logs.
func (r *Rule) String() string { return fmt.Sprintf("rule %s v%d", r.Name, r.Version) }
