package engine

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/patterns"
)

// The feature stage's checkpoints: a run stopped after a checkpoint and
// resumed from it, in a new engine, writes what the run without a stop
// writes. The rule is a one-step pattern (no partial matches) that emits
// every feature, and the watermark follows the events, so that the
// features are all the state there is.
const checkpointRules = `
stream txn (card string, merchant string, amount float, fraud bool, ts time)
  timestamp ts

feature n_1h     = count()        of txn by card over sliding 1h
feature avg_1h   = avg(amount)    of txn by card over sliding 1h
feature max_1d   = max(amount)    of txn[fraud] by card over sliding 1d
feature sd_1d    = stddev(amount) of txn by card over sliding 1d offset 1h
feature first_1d = first(merchant) of txn[amount > 100] by card over sliding 1d
feature m_n_1h   = count()        of txn by merchant over sliding 1h
feature tick     = sum(amount)    of txn by card over sliding 1h emit every 30m
feature m_sum    = sum(amount)    of txn by merchant over tumbling 1h emit
feature sess     = count()        of txn by card over session 10m emit
feature m_last   = last(card)     of txn by merchant

rule all
  by card
  pattern t: txn[amount > 0]
  emit { n: n_1h, avg: avg_1h, max: max_1d, sd: sd_1d, first: first_1d, mn: m_n_1h,
         tick: tick, msum: m_sum, sess: sess, last: m_last }
`

// lines is a sink that writes each record as a line.
type lines struct{ b strings.Builder }

func (l *lines) Alert(output string, r *alerts.Record) error {
	fmt.Fprintf(&l.b, "%s %s %s @%d", output, r.Rule, r.Key, r.Time)
	for _, f := range r.Fields {
		fmt.Fprintf(&l.b, " %s=%s", f.Name, f.Value)
	}
	l.b.WriteByte('\n')
	return nil
}
func (l *lines) Late(a *alerts.Late) error { fmt.Fprintf(&l.b, "late %d\n", a.Position); return nil }
func (l *lines) Window(w *alerts.Window) error {
	fmt.Fprintf(&l.b, "window %s %s [%d,%d) %s rev %d\n", w.Feature, w.Key, w.Start, w.End, w.Value, w.Revision)
	return nil
}
func (l *lines) DeadLetter(d *alerts.DeadLetter) error { return nil }

func checkpointEvents(t *testing.T, rs *patterns.RuleSet, n int, seed uint64) []*event.Event {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 3))
	st := rs.Streams[0]
	dec := event.NewJSONDecoder(st.Schema)
	var evs []*event.Event
	ts := int64(1_700_000_000_000)
	for i := range n {
		ts += int64(r.IntN(120_000)) // ties now and then
		amount := float64(r.IntN(30000))/100 - 20
		js := fmt.Sprintf(`{"card":"c%d","merchant":"m%d","amount":%v,"fraud":%v,"ts":%d}`,
			r.IntN(12), r.IntN(5), amount, r.IntN(7) == 0, ts)
		ev := st.Schema.NewEvent()
		if err := dec.Decode([]byte(js), ev); err != nil {
			t.Fatal(err)
		}
		ev.Pos = event.Position{Source: "input", Offset: int64(i + 1)}
		evs = append(evs, ev)
	}
	return evs
}

func TestFeatureCheckpoint(t *testing.T) {
	f, errs := patterns.Parse("rules.krl", []byte(checkpointRules))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	rs, errs := patterns.Compile([]*patterns.File{f}, patterns.Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for seed := range uint64(4) {
		evs := checkpointEvents(t, rs, 1500, seed)
		run := func(e *Engine, evs []*event.Event) {
			if len(e.parts) == 0 {
				e.AddPartition(0)
			}
			for _, ev := range evs {
				if err := e.Push(0, ev); err != nil {
					t.Fatal(err)
				}
			}
		}
		var want lines
		e, err := New(rs, Options{Sink: &want})
		if err != nil {
			t.Fatal(err)
		}
		if len(e.feat.groups) != 2 || len(e.feat.groups[0].members) != 5 {
			t.Fatalf("groups: %d, want 2 (card: 5 members, merchant: 1)", len(e.feat.groups))
		}
		run(e, evs)
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}

		// Checkpoints, the later ones incremental, then a new engine.
		evs = checkpointEvents(t, rs, 1500, seed)
		var got lines
		e, _ = New(rs, Options{Sink: &got})
		store := map[string][]byte{}
		put := func(k, v []byte) { store[string(k)] = v }
		del := func(k []byte) { delete(store, string(k)) }
		a, b := 500+int(seed)*37, 1100-int(seed)*53
		run(e, evs[:a])
		e.feat.appendCheckpoint(put, del)
		run(e, evs[a:a+2])
		written := 0
		e.feat.appendCheckpoint(func(k, v []byte) { written++; put(k, v) }, del)
		if written >= len(store)/2 {
			t.Errorf("after two events, a checkpoint wrote %d of %d keys: not incremental", written, len(store))
		}
		run(e, evs[a+2:b])
		e.feat.appendCheckpoint(put, del)
		wm := e.featWM
		e2, _ := New(rs, Options{Sink: &got})
		for k, v := range store {
			if err := e2.feat.restore([]byte(k), v); err != nil {
				t.Fatal(err)
			}
		}
		e2.featWM = wm
		run(e2, evs[b:])
		if err := e2.Close(); err != nil {
			t.Fatal(err)
		}
		if got.b.String() != want.b.String() {
			g, w := strings.Split(got.b.String(), "\n"), strings.Split(want.b.String(), "\n")
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Fatalf("seed %d: line %d:\n got %s\nwant %s\n(before: %s)", seed, i+1, g[i], w[i], strings.Join(w[max(0, i-3):i], "\n"))
				}
			}
			t.Fatalf("seed %d: %d lines, want %d", seed, len(g), len(w))
		}
	}
}

// TestFeatureCheckpointStale: state of a feature that is gone or whose
// declaration changed is not restored and is deleted by the next
// checkpoint; a corrupt entry is an error.
func TestFeatureCheckpointStale(t *testing.T) {
	compile := func(src string) *patterns.RuleSet {
		f, errs := patterns.Parse("rules.krl", []byte(src))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		rs, errs := patterns.Compile([]*patterns.File{f}, patterns.Options{})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		return rs
	}
	rs := compile(checkpointRules)
	e, _ := New(rs, Options{Sink: &lines{}})
	p := e.AddPartition(0)
	for _, ev := range checkpointEvents(t, rs, 200, 9) {
		e.Push(p, ev)
	}
	store := map[string][]byte{}
	e.feat.appendCheckpoint(func(k, v []byte) { store[string(k)] = v }, func(k []byte) { delete(store, string(k)) })

	// m_sum is now over 2h; sess is gone.
	src := strings.Replace(checkpointRules, "over tumbling 1h emit", "over tumbling 2h emit", 1)
	src = strings.Replace(src, "feature sess     = count()        of txn by card over session 10m emit\n", "", 1)
	src = strings.Replace(src, ", sess: sess", "", 1)
	e2, err := New(compile(src), Options{Sink: &lines{}})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range store {
		if err := e2.feat.restore([]byte(k), v); err != nil {
			t.Fatal(err)
		}
	}
	var deleted []string
	e2.feat.appendCheckpoint(func(k, v []byte) {}, func(k []byte) { deleted = append(deleted, string(k)) })
	n := 0
	for k := range store {
		if strings.HasPrefix(k, "f/m_sum") || strings.HasPrefix(k, "f/sess") {
			n++
		}
	}
	if n == 0 || len(deleted) != n {
		t.Errorf("deleted %d keys, want the %d of m_sum and sess", len(deleted), n)
	}
	for k, v := range store {
		if strings.HasPrefix(k, "f/n_1h\x00") {
			err := e2.feat.restore([]byte(k), v[:len(v)/2])
			if err == nil || !strings.Contains(err.Error(), "cannot restore") {
				t.Errorf("a corrupt entry: %v", err)
			}
			break
		}
	}
}
