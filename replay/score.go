package replay

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/patterns"
)

// Scorer scores a replay's alerts against a boolean label field, the
// backtest of `kestrel replay --label`. It sees every event through Observe
// (Options.Observe) and every record through the sink that Wrap returns, and
// keeps only what the scores need: the identities and times of labelled
// events with a bit per rule that caught them, and per rule and partition key
// the time of the first labelled event and of the first alert that caught
// one. Work per event is O(1) for an unlabelled event.
//
// Which records count: every match of every rule, on whichever output it goes
// (`alerts` or a rule's `to NAME`); not timeouts, and not shadow records.
// An event is identified as in alert ids (language.md): by its stream and its
// id field, else its source position; two labelled events with the same
// identity count once.
type Scorer struct {
	rs     *patterns.RuleSet
	label  string
	slot   []int // per stream index: the label's slot; -1 for a stream not replayed, unscored for feedback
	inputs []string
	rules  []*ruleScorer
	byName map[string]*ruleScorer

	ids   map[labelID]int32 // labelled event → its index in times
	times []int64           // per labelled event: its time
	words int               // words per labelled event in caught
	// caught holds, per labelled event, a bit per rule whose alerts hold it.
	caught []uint64

	// The union's keys, when every rule has the same key (UnionKeysShared).
	shared     bool
	unionKeys  map[string]*keyTimes
	unionRules []int // per stream: the first rule that reads it, or -1

	events, missing int64
	unscored        int64    // events of feedback streams
	feedback        []string // their names
	labelledLate    int64
	lastLabelled    bool // the event observed last is labelled
	first, last     int64
	series          map[int64]*bucket // per hour
	lastHour        int64
	lastBucket      *bucket
	scratch         []int32
}

type labelID struct {
	stream int32
	id     string
}

// keyTimes are a partition key's first labelled event and first alert that
// contained a labelled event (math.MaxInt64: none).
type keyTimes struct {
	firstLabel, firstCatch int64
}

type ruleScorer struct {
	r     *patterns.Rule
	index int
	// streams maps a step name to the streams its events may come from.
	streams map[string][]int32
	keys    map[string]*keyTimes
	keyBuf  []byte

	alerts, tp int64
	// The labelled events of each true positive, for unique_tp: tpEvents
	// holds them one alert after another, tpEnds where each alert's end.
	tpEvents []int32
	tpEnds   []int32
}

// bucket counts what happened in one hour.
type bucket struct {
	events, labelled, alerts, tp int64
}

// unscored marks, in Scorer.slot, a feedback stream: replayed, read by no
// rule's pattern (only by features) and without the label.
const unscored = -2

// NewScorer returns a scorer of rs's rules against the bool field label, which
// every stream that inputs read must declare, except feedback streams: those
// that no rule's pattern reads (features may), such as chargebacks. A
// feedback stream without the label is not scored: its events are counted
// apart (Scores.Unscored) and hold no labels.
func NewScorer(rs *patterns.RuleSet, inputs []Input, label string) (*Scorer, error) {
	s := &Scorer{
		rs: rs, label: label,
		slot:      make([]int, len(rs.Streams)),
		byName:    map[string]*ruleScorer{},
		ids:       map[labelID]int32{},
		words:     max(1, (len(rs.Rules)+63)/64),
		first:     math.MaxInt64,
		last:      math.MinInt64,
		series:    map[int64]*bucket{},
		lastHour:  math.MinInt64,
		unionKeys: map[string]*keyTimes{},
	}
	for i := range s.slot {
		s.slot[i] = -1
	}
	for _, in := range inputs {
		st, err := inputStream(rs, in)
		if err != nil {
			return nil, err
		}
		s.inputs = append(s.inputs, in.Path)
		if s.slot[st.Index] != -1 {
			continue
		}
		i := slices.Index(st.Fields, label)
		switch {
		case i < 0 && !readByRule(rs, st.Index):
			s.slot[st.Index] = unscored
			s.feedback = append(s.feedback, st.Name)
			continue
		case i < 0:
			return nil, fmt.Errorf("%w: --label %s: stream %s has no field %s; declare it as `%s bool`", ErrInput, label, st.Name, label, label)
		case st.Types[i] != expr.Bool:
			return nil, fmt.Errorf("%w: --label %s: stream %s declares %s as %s; the label must be a bool", ErrInput, label, st.Name, label, st.Types[i])
		}
		s.slot[st.Index] = i
	}
	for i, r := range rs.Rules {
		rsc := &ruleScorer{r: r, index: i, streams: map[string][]int32{}, keys: map[string]*keyTimes{}}
		var reads []int32
		for si, ok := range r.Reads {
			if ok {
				reads = append(reads, int32(si))
			}
		}
		walkSteps(r.Decl.Pattern, func(st *patterns.Step) {
			if st.Stream == "any" {
				rsc.streams[st.Name] = reads
			} else if x := rs.Stream(st.Stream); x != nil {
				rsc.streams[st.Name] = []int32{int32(x.Index)}
			}
		})
		s.rules = append(s.rules, rsc)
		s.byName[r.Name] = rsc
	}
	s.shared = len(rs.Rules) > 0
	for _, r := range rs.Rules[min(1, len(rs.Rules)):] {
		if !slices.Equal(r.Decl.By, rs.Rules[0].Decl.By) || !slices.Equal(r.KeyTypes, rs.Rules[0].KeyTypes) {
			s.shared = false
		}
	}
	s.unionRules = make([]int, len(rs.Streams))
	for si := range s.unionRules {
		s.unionRules[si] = -1
		for ri, r := range rs.Rules {
			if r.Reads[si] {
				s.unionRules[si] = ri
				break
			}
		}
	}
	return s, nil
}

// readByRule tells whether a rule's pattern reads stream si.
func readByRule(rs *patterns.RuleSet, si int) bool {
	for _, r := range rs.Rules {
		if r.Reads[si] {
			return true
		}
	}
	return false
}

// inputStream is the stream an input reads, as openInputs resolves it.
func inputStream(rs *patterns.RuleSet, in Input) (*patterns.Stream, error) {
	switch {
	case in.Stream != "":
		if st := rs.Stream(in.Stream); st != nil {
			return st, nil
		}
		return nil, fmt.Errorf("%w: --events %s=%s: no stream named %s in the rules", ErrInput, in.Stream, in.Path, in.Stream)
	case len(rs.Streams) == 1:
		return rs.Streams[0], nil
	}
	return nil, fmt.Errorf("%w: --events %s: the rules declare %d streams; say which one as STREAM=FILE", ErrInput, in.Path, len(rs.Streams))
}

func walkSteps(p *patterns.Pattern, fn func(*patterns.Step)) {
	if p == nil {
		return
	}
	for _, e := range p.Elements {
		if e.Group != nil {
			walkSteps(e.Group, fn)
		} else if e.Step != nil {
			fn(e.Step)
		}
	}
}

const hourMs = 3_600_000

// count adds to the hour of t.
func (s *Scorer) bucket(t int64) *bucket {
	h := t / hourMs
	if t < 0 && t%hourMs != 0 {
		h--
	}
	if h != s.lastHour {
		b := s.series[h]
		if b == nil {
			b = &bucket{}
			s.series[h] = b
		}
		s.lastHour, s.lastBucket = h, b
	}
	return s.lastBucket
}

// Observe records an event before the engine processes it; it is the
// replay's Options.Observe.
func (s *Scorer) Observe(ev *event.Event) {
	st := ev.Stream()
	s.lastLabelled = false
	if s.slot[st] == unscored {
		s.unscored++
		return
	}
	s.events++
	s.first = min(s.first, ev.Time)
	s.last = max(s.last, ev.Time)
	b := s.bucket(ev.Time)
	b.events++
	v, ok := ev.Bool(s.slot[st])
	if !ok {
		s.missing++
		return
	}
	if !v {
		return
	}
	s.lastLabelled = true
	id := labelID{stream: int32(st), id: ev.Identity()}
	if i, dup := s.ids[id]; dup {
		s.times[i] = min(s.times[i], ev.Time)
	} else {
		s.ids[id] = int32(len(s.times))
		s.times = append(s.times, ev.Time)
		s.caught = append(s.caught, make([]uint64, s.words)...)
		b.labelled++
	}
	for _, rsc := range s.rules {
		r := rsc.r
		if !r.Reads[st] {
			continue
		}
		var ok bool
		rsc.keyBuf, ok = engine.AppendKey(rsc.keyBuf[:0], ev, r.Key[st], r.KeyTypes)
		if !ok {
			continue // the engine skips the event for this rule too
		}
		firstLabel(rsc.keys, rsc.keyBuf, ev.Time)
		if s.shared && s.unionRules[st] == rsc.index {
			firstLabel(s.unionKeys, rsc.keyBuf, ev.Time)
		}
	}
}

func firstLabel(keys map[string]*keyTimes, key []byte, t int64) {
	if kt := keys[string(key)]; kt != nil {
		kt.firstLabel = min(kt.firstLabel, t)
		return
	}
	keys[string(key)] = &keyTimes{firstLabel: t, firstCatch: math.MaxInt64}
}

// Wrap returns a sink that scores the records passing through it on their way
// to next.
func (s *Scorer) Wrap(next engine.Sink) engine.Sink { return &scoringSink{s: s, next: next} }

type scoringSink struct {
	s    *Scorer
	next engine.Sink
}

func (k *scoringSink) Alert(output string, r *alerts.Record) error {
	k.s.alert(output, r)
	return k.next.Alert(output, r)
}

func (k *scoringSink) Late(l *alerts.Late) error {
	// The engine writes a late record while it is given the event, which
	// Observe has just seen.
	if k.s.lastLabelled {
		k.s.labelledLate++
	}
	return k.next.Late(l)
}

func (k *scoringSink) DeadLetter(d *alerts.DeadLetter) error { return k.next.DeadLetter(d) }
func (k *scoringSink) Window(w *alerts.Window) error         { return k.next.Window(w) }

func (s *Scorer) alert(output string, rec *alerts.Record) {
	if rec.Kind != alerts.KindMatch || output == "shadow" || rec.Mode == "shadow" {
		return
	}
	rsc := s.byName[rec.Rule]
	if rsc == nil {
		return
	}
	rsc.alerts++
	b := s.bucket(rec.Time)
	b.alerts++
	found := s.scratch[:0]
	for _, step := range rec.Steps {
		streams := rsc.streams[step.Name]
		for _, e := range step.Events {
			i, ok := s.lookup(streams, &e)
			if ok && !slices.Contains(found, i) {
				found = append(found, i)
			}
		}
	}
	s.scratch = found
	if len(found) == 0 {
		return
	}
	rsc.tp++
	b.tp++
	word, bit := rsc.index/64, uint64(1)<<(rsc.index%64)
	for _, i := range found {
		s.caught[int(i)*s.words+word] |= bit
	}
	rsc.tpEvents = append(rsc.tpEvents, found...)
	rsc.tpEnds = append(rsc.tpEnds, int32(len(rsc.tpEvents)))
	caught(rsc.keys, rec.Key, rec.Time, s.times, found)
	if s.shared {
		caught(s.unionKeys, rec.Key, rec.Time, s.times, found)
	}
}

// lookup finds a matched event among the labelled ones. The event may come
// from any of streams. When there are several (an `any` step), an identity
// labelled in one of them may be another stream's event with the same id, so
// the event's own label decides.
func (s *Scorer) lookup(streams []int32, e *alerts.Event) (int32, bool) {
	if len(streams) == 1 {
		i, ok := s.ids[labelID{stream: streams[0], id: e.Identity}]
		return i, ok
	}
	for _, st := range streams {
		if i, ok := s.ids[labelID{stream: st, id: e.Identity}]; ok {
			var ev map[string]json.RawMessage
			if json.Unmarshal(e.JSON, &ev) == nil && string(ev[s.label]) == "true" {
				return i, true
			}
			return 0, false
		}
	}
	return 0, false
}

// caught records an alert at t of key that holds the labelled events found.
func caught(keys map[string]*keyTimes, key []byte, t int64, times []int64, found []int32) {
	kt := keys[string(key)]
	if kt == nil {
		// Not seen by Observe (an identity shared by events of two streams
		// that an `any` step reads): the key's first label is the earliest
		// of the alert's.
		kt = &keyTimes{firstLabel: math.MaxInt64, firstCatch: math.MaxInt64}
		for _, i := range found {
			kt.firstLabel = min(kt.firstLabel, times[i])
		}
		keys[string(key)] = kt
	}
	kt.firstCatch = min(kt.firstCatch, t)
}

// Scores are the results of a backtest (docs/backtesting.md defines each).
type Scores struct {
	Label        string   `json:"label"`
	Inputs       []string `json:"inputs"`
	From         string   `json:"from,omitempty"` // the earliest event time, RFC 3339
	To           string   `json:"to,omitempty"`   // the latest
	Events       int64    `json:"events"`
	Labelled     int64    `json:"labelled"`
	LabelMissing int64    `json:"label_missing"`
	Late         int64    `json:"late"`
	LabelledLate int64    `json:"labelled_late"`
	DeadLetter   int64    `json:"deadletter"`
	// Unscored counts the events of the feedback streams (Feedback): read
	// by features only and without the label, they are not in Events.
	Unscored int64       `json:"unscored,omitempty"`
	Feedback []string    `json:"feedback,omitempty"`
	Rules    []RuleScore `json:"rules"`
	Union    RuleScore   `json:"union"`
	// UnionKeys says what the union's keys are: "shared" when every rule has
	// the same key (the keys themselves), "rule" otherwise ((rule, key) pairs).
	UnionKeys string `json:"union_keys"`

	// For the report.
	FromMs, ToMs int64             `json:"-"`
	Series       []Bucket          `json:"-"` // per hour, from the first event's hour to the last's
	RuleSet      *patterns.RuleSet `json:"-"`
}

// RuleScore is one rule's scores, or the union's. Ratios are null where
// their denominator is zero; MedianDelayMs is null when no key was caught.
type RuleScore struct {
	Rule           string   `json:"rule"`
	Output         string   `json:"output,omitempty"`
	Alerts         int64    `json:"alerts"`
	TP             int64    `json:"tp"`
	FP             int64    `json:"fp"`
	Precision      *float64 `json:"precision"`
	Recall         *float64 `json:"recall"`
	KeysCaught     int64    `json:"keys_caught"`
	KeysLabelled   int64    `json:"keys_labelled"`
	MedianDelayMs  *int64   `json:"median_delay_ms"`
	LabelledCaught int64    `json:"labelled_caught"`
	KeyRecall      *float64 `json:"key_recall"`
	AlertsPer1k    float64  `json:"alerts_per_1k"`
	UniqueTP       *int64   `json:"unique_tp,omitempty"`
	UniqueLabelled *int64   `json:"unique_labelled,omitempty"`
	// Delays are the detection delays of the caught keys, in ms, ascending.
	Delays []int64 `json:"-"`
}

// Bucket counts one hour: events read, labelled events (by their time),
// alerts and true-positive alerts (by the time they fired).
type Bucket struct {
	Start                        int64 // epoch ms
	Events, Labelled, Alerts, TP int64
}

// Scores computes the scores; stats are the replay's counters.
func (s *Scorer) Scores(stats engine.Stats) *Scores {
	sc := &Scores{
		Label: s.label, Inputs: s.inputs,
		Events: s.events, Labelled: int64(len(s.times)), LabelMissing: s.missing,
		Late: stats.Late, LabelledLate: s.labelledLate, DeadLetter: stats.DeadLetter,
		Unscored: s.unscored, Feedback: s.feedback,
		RuleSet: s.rs, UnionKeys: "rule",
	}
	if s.shared {
		sc.UnionKeys = "shared"
	}
	if s.events > 0 {
		sc.FromMs, sc.ToMs = s.first, s.last
		sc.From = string(alerts.AppendTime(nil, s.first))
		sc.To = string(alerts.AppendTime(nil, s.last))
		h0, h1 := floorDiv(s.first, hourMs), floorDiv(s.last, hourMs)
		// Alerts fire at event times, so within [first, last].
		for h := range s.series {
			h0, h1 = min(h0, h), max(h1, h)
		}
		if h1-h0 < 1<<20 { // a bound against absurd timestamps
			sc.Series = make([]Bucket, h1-h0+1)
			for i := range sc.Series {
				sc.Series[i].Start = (h0 + int64(i)) * hourMs
			}
			for h, b := range s.series {
				x := &sc.Series[h-h0]
				x.Events, x.Labelled, x.Alerts, x.TP = b.events, b.labelled, b.alerts, b.tp
			}
		}
	}
	// Per labelled event: the number of rules that caught it.
	nCaught := make([]uint8, len(s.times))
	var anyCaught int64
	for i := range s.times {
		n := 0
		for _, w := range s.caught[i*s.words : (i+1)*s.words] {
			n += bits.OnesCount64(w)
		}
		nCaught[i] = uint8(min(n, 255))
		if n > 0 {
			anyCaught++
		}
	}
	u := &sc.Union
	u.Rule = UnionName
	var allDelays []int64
	for _, rsc := range s.rules {
		rs := RuleScore{Rule: rsc.r.Name, Output: rsc.r.Output, Alerts: rsc.alerts, TP: rsc.tp, FP: rsc.alerts - rsc.tp}
		word, bit := rsc.index/64, uint64(1)<<(rsc.index%64)
		var uniqueLabelled int64
		for i := range s.times {
			if s.caught[i*s.words+word]&bit != 0 {
				rs.LabelledCaught++
				if nCaught[i] == 1 {
					uniqueLabelled++
				}
			}
		}
		var uniqueTP int64
		start := int32(0)
		for _, end := range rsc.tpEnds {
			for _, i := range rsc.tpEvents[start:end] {
				if nCaught[i] == 1 {
					uniqueTP++
					break
				}
			}
			start = end
		}
		rs.UniqueTP, rs.UniqueLabelled = &uniqueTP, &uniqueLabelled
		rs.KeysLabelled, rs.KeysCaught, rs.Delays = keyScores(rsc.keys)
		rs.finish(sc.Events, sc.Labelled)
		sc.Rules = append(sc.Rules, rs)

		u.Alerts += rs.Alerts
		u.TP += rs.TP
		u.FP += rs.FP
		if !s.shared {
			u.KeysLabelled += rs.KeysLabelled
			u.KeysCaught += rs.KeysCaught
			allDelays = append(allDelays, rs.Delays...)
		}
	}
	if s.shared {
		u.KeysLabelled, u.KeysCaught, u.Delays = keyScores(s.unionKeys)
	} else {
		slices.Sort(allDelays)
		u.Delays = allDelays
	}
	u.LabelledCaught = anyCaught
	u.finish(sc.Events, sc.Labelled)
	return sc
}

// UnionName is the name under which the union of all rules is reported.
const UnionName = "all rules"

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// keyScores counts the labelled and caught keys and returns the caught keys'
// delays in ascending order.
func keyScores(keys map[string]*keyTimes) (labelled, caught int64, delays []int64) {
	for _, kt := range keys {
		if kt.firstLabel == math.MaxInt64 {
			continue
		}
		labelled++
		if kt.firstCatch != math.MaxInt64 {
			caught++
			delays = append(delays, max(0, kt.firstCatch-kt.firstLabel))
		}
	}
	slices.Sort(delays)
	return labelled, caught, delays
}

// finish computes the ratios.
func (rs *RuleScore) finish(events, labelled int64) {
	rs.Precision = ratio(rs.TP, rs.Alerts)
	rs.Recall = ratio(rs.LabelledCaught, labelled)
	rs.KeyRecall = ratio(rs.KeysCaught, rs.KeysLabelled)
	if events > 0 {
		rs.AlertsPer1k = float64(rs.Alerts) * 1000 / float64(events)
	}
	if n := len(rs.Delays); n > 0 {
		m := rs.Delays[(n-1)/2] // the lower median: an observed delay
		rs.MedianDelayMs = &m
	}
}

func ratio(a, b int64) *float64 {
	if b == 0 {
		return nil
	}
	r := float64(a) / float64(b)
	return &r
}
