package nfa

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

// encTev and decTev are the payload codec of the snapshot tests: a *tev
// written out in full, so that restored states hold new payloads.
func encTev(b []byte, d any) []byte {
	e := d.(*tev)
	b = binary.AppendUvarint(b, uint64(len(e.label)))
	b = append(b, e.label...)
	b = binary.AppendUvarint(b, uint64(len(e.name)))
	b = append(b, e.name...)
	b = binary.AppendVarint(b, int64(e.id))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(e.price))
	return binary.AppendVarint(b, e.time)
}

var errTev = errors.New("bad test payload")

func decTev(b []byte) (any, []byte, error) {
	e := &tev{}
	str := func() string {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			b = nil
			return ""
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s
	}
	e.label = str()
	if b == nil {
		return nil, nil, errTev
	}
	e.name = str()
	id, k := binary.Varint(b)
	if b == nil || k <= 0 || len(b) < k+8 {
		return nil, nil, errTev
	}
	e.id = int(id)
	e.price = math.Float64frombits(binary.LittleEndian.Uint64(b[k:]))
	b = b[k+8:]
	t, k := binary.Varint(b)
	if k <= 0 {
		return nil, nil, errTev
	}
	e.time = t
	return e, b[k:], nil
}

// checkRefs verifies the shared buffer's bookkeeping against its structure:
// reference counts and live counters are what the partial and held matches
// and their nodes account for. RestoreState recomputes them so.
func checkRefs(t testing.TB, s *State) {
	t.Helper()
	m := s.m
	if m == nil {
		return
	}
	nrefs := make(map[int32]int32)
	erefs := make(map[int32]int32)
	seen := make(map[int32]bool)
	walk := func(n int32) {
		for ; n >= 0 && !seen[n]; n = m.nodes[n].prev {
			seen[n] = true
			erefs[m.nodes[n].ev]++
			if p := m.nodes[n].prev; p >= 0 {
				nrefs[p]++
			}
		}
	}
	for _, rs := range [][]run{m.runs, m.held} {
		for _, r := range rs {
			if r.node < 0 {
				t.Fatalf("a match without events: %+v", r)
			}
			nrefs[r.node]++
			walk(r.node)
		}
	}
	for n := range seen {
		if got := m.nodes[n].refs; got != nrefs[n] {
			t.Fatalf("node %d has %d references, accounted for %d", n, got, nrefs[n])
		}
	}
	for e, want := range erefs {
		if got := m.evs[e].refs; got != want {
			t.Fatalf("event %d has %d references, accounted for %d", e, got, want)
		}
	}
	if int(m.liveNodes) != len(seen) || int(m.liveEvs) != len(erefs) {
		t.Fatalf("live nodes %d events %d, reachable %d and %d", m.liveNodes, m.liveEvs, len(seen), len(erefs))
	}
}

// roundTrip snapshots st, restores it into p and checks that the restored
// state snapshots to the same bytes.
func roundTrip(t testing.TB, st *State, p *Program) *State {
	t.Helper()
	checkRefs(t, st)
	snap := st.AppendSnapshot(nil, encTev)
	got, err := p.RestoreState(snap, decTev)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	checkRefs(t, got)
	if again := got.AppendSnapshot(nil, encTev); !bytes.Equal(again, snap) {
		t.Fatalf("the restored state snapshots differently:\n%x\n%x", snap, again)
	}
	if got.Empty() != st.Empty() {
		t.Fatalf("Empty: %v, restored %v", st.Empty(), got.Empty())
	}
	return got
}

// TestDataDrivenSnapshot runs testdata/*.txt with the state snapshotted and
// restored before every event and watermark: the output must be the same.
func TestDataDrivenSnapshot(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			return runCommand(t, d, func(st *State) *State { return roundTrip(t, st, st.p) })
		})
	})
}

// snapCase is a random pattern for the snapshot property test, built twice
// to get two Programs of one pattern (as a restart compiles the rules again).
type snapCase struct {
	elems    []oelem
	negated  Contiguity
	negate   bool
	reads    []bool // element i's condition also reads the partial match
	pat      Pattern
	skipStep int
}

func (c *snapCase) pattern() Pattern {
	p := c.pat
	p.Elements = nil
	for i, e := range c.elems {
		el := e.element()
		if c.reads[i] {
			inner := el.Cond
			el.Cond = func(ctx *Context) bool {
				if !inner(ctx) {
					return false
				}
				n := ctx.Len(0)
				return n == 0 || (ctx.Time()-ctx.EventAt(0, n-1).Time)%3 != 1
			}
		}
		p.Elements = append(p.Elements, el)
	}
	if c.negate {
		p.Elements = append(p.Elements, Element{Name: "z", Negated: true, Contiguity: c.negated,
			Cond: func(ctx *Context) bool { return ctx.Event().(*tev).name == "c" }})
	}
	if p.Skip == SkipToFirst || p.Skip == SkipToLast {
		p.SkipTo = c.elems[c.skipStep].name
	}
	return p
}

func randomSnapCase(r *rand.Rand) *snapCase {
	c := &snapCase{elems: randomPattern(r)}
	for i := range c.elems {
		c.reads = append(c.reads, i > 0 && r.IntN(4) == 0)
	}
	c.pat.Skip = SkipStrategy(r.IntN(5))
	c.skipStep = r.IntN(len(c.elems))
	if r.IntN(4) > 0 {
		c.pat.Within = int64(2 + r.IntN(8))
		c.pat.WithinGap = r.IntN(3) == 0
	}
	c.pat.Timeouts = r.IntN(2) == 0
	if r.IntN(4) == 0 {
		c.pat.MaxPartials = 1 + r.IntN(4)
	}
	if r.IntN(3) == 0 {
		c.negate = true
		c.negated = []Contiguity{Relaxed, Strict}[r.IntN(2)]
	}
	return c
}

type snapOp struct {
	ev *tev
	wm int64 // when ev is nil
}

// randomOps makes up to 14 events of one key with watermarks in between,
// never past the next event, and two at the end.
func randomOps(r *rand.Rand) []snapOp {
	names := []string{"a", "b", "c"}
	var ops []snapOp
	t := int64(0)
	for i := range 1 + r.IntN(14) {
		if r.IntN(3) > 0 {
			t += int64(1 + r.IntN(3))
		}
		if r.IntN(3) == 0 {
			ops = append(ops, snapOp{wm: t - int64(r.IntN(3))})
		}
		nm := names[r.IntN(len(names))]
		ops = append(ops, snapOp{ev: &tev{label: fmt.Sprintf("%s%d", nm, i), name: nm, time: t, price: float64(i)}})
	}
	return append(ops, snapOp{wm: t + int64(r.IntN(10))}, snapOp{wm: math.MaxInt64})
}

// step runs one op and describes everything it produced and what the state
// reports afterwards.
func step(st *State, op snapOp, seq uint64, out *Output) string {
	out.Reset()
	if op.ev != nil {
		st.Process(Event{Time: op.ev.time, Seq: seq, Data: op.ev}, out)
	} else {
		st.AdvanceTime(op.wm, out)
	}
	var b strings.Builder
	for _, m := range out.Matches {
		fmt.Fprintf(&b, "%v@%d", m.Timeout, m.Time)
		for _, s := range m.Steps {
			fmt.Fprintf(&b, " %d[", s.Step)
			for _, e := range s.Events {
				d := e.Data.(*tev)
				fmt.Fprintf(&b, " %s/%s#%d/%g@%d@%d#%d", d.label, d.name, d.id, d.price, d.time, e.Time, e.Seq)
			}
			b.WriteString("]")
		}
		b.WriteString("; ")
	}
	tm, ok := st.NextTimer()
	fmt.Fprintf(&b, "dropped=%d timer=%d,%v empty=%v", out.Dropped, tm, ok, st.Empty())
	return b.String()
}

// TestSnapshotProperty: for random patterns (every skip strategy, windows,
// timeouts, negations, bounds on partial matches, conditions that read the
// partial match) and random events and watermarks, a key snapshotted and
// restored between steps, into the same Program or into one compiled again
// from the same pattern, produces the same output as a key that ran
// uninterrupted.
func TestSnapshotProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	tested := 0
	for iter := 0; tested < 3000*propertyScale; iter++ {
		c := randomSnapCase(r)
		p1, err := Compile(c.pattern())
		if err != nil {
			continue // e.g. a negation after an optional element
		}
		p2, err := Compile(c.pattern())
		if err != nil {
			t.Fatal(err)
		}
		tested++
		ops := randomOps(r)
		every := r.IntN(2) == 0
		var want, got []string
		var out Output
		a := p1.NewState()
		for i, op := range ops {
			want = append(want, step(a, op, uint64(i), &out))
		}
		b := p1.NewState()
		for i, op := range ops {
			if every || r.IntN(2) == 0 {
				p := p1
				if r.IntN(2) == 0 {
					p = p2
				}
				b = roundTrip(t, b, p)
			}
			got = append(got, step(b, op, uint64(i), &out))
		}
		for i := range want {
			if want[i] != got[i] {
				var evs []string
				for _, op := range ops {
					if op.ev != nil {
						evs = append(evs, fmt.Sprintf("%s@%d", op.ev.label, op.ev.time))
					} else {
						evs = append(evs, fmt.Sprintf("!%d", op.wm))
					}
				}
				t.Fatalf("iteration %d: pattern %v negate %v/%v reads %v %+v\nops %v\nstep %d:\nuninterrupted %s\nrestored      %s",
					iter, c.elems, c.negate, c.negated, c.reads, c.pat, evs, i, want[i], got[i])
			}
		}
	}
}

func TestSnapshotErrors(t *testing.T) {
	elems, err := parsePattern("a[name==a] -> b[name==b]+ -> c[name==c]")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Compile(Pattern{Elements: elems, Within: 10})
	if err != nil {
		t.Fatal(err)
	}
	st := prog.NewState()
	var out Output
	for i, l := range []string{"a", "b", "b"} {
		st.Process(Event{Time: int64(i), Seq: uint64(i), Data: &tev{label: l, name: l}}, &out)
	}
	snap := st.AppendSnapshot(nil, encTev)

	// Another program: other steps, another window.
	for _, pat := range []Pattern{
		{Elements: elems, Within: 11},
		{Elements: elems[:2], Within: 10},
		{Elements: elems, Within: 10, Skip: NoSkip},
	} {
		other, err := Compile(pat)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := other.RestoreState(snap, decTev); !errors.Is(err, ErrSnapshotMismatch) {
			t.Errorf("%+v: %v", pat, err)
		}
	}
	// The same pattern compiled again, with a different MaxPartials.
	again, err := Compile(Pattern{Elements: elems, Within: 10, MaxPartials: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := again.RestoreState(snap, decTev); err != nil {
		t.Errorf("recompiled: %v", err)
	}
	// Every truncation, and trailing bytes.
	for n := range len(snap) {
		if _, err := prog.RestoreState(snap[:n], decTev); !errors.Is(err, ErrSnapshotCorrupt) {
			t.Fatalf("truncated to %d of %d: %v", n, len(snap), err)
		}
	}
	if _, err := prog.RestoreState(append(snap, 0), decTev); !errors.Is(err, ErrSnapshotCorrupt) {
		t.Errorf("trailing byte: %v", err)
	}
	// The payload decoder's error is wrapped.
	failing := func([]byte) (any, []byte, error) { return nil, nil, errTev }
	if _, err := prog.RestoreState(snap, failing); !errors.Is(err, ErrSnapshotCorrupt) || !errors.Is(err, errTev) {
		t.Errorf("decoder error: %v", err)
	}
	// An idle key.
	idle := prog.NewState().AppendSnapshot(nil, encTev)
	if len(idle) != 12 {
		t.Errorf("idle key: %d bytes", len(idle))
	}
	if st, err := prog.RestoreState(idle, decTev); err != nil || !st.Empty() {
		t.Errorf("idle key: %v", err)
	}
}

// fuzzPrograms are the programs FuzzRestoreState restores into, chosen by
// the input's first byte.
func fuzzPrograms(tb testing.TB) []*Program {
	srcs := []struct {
		src string
		pat Pattern
	}{
		{"a[name==a] -> b[name==b]{2,} -> c[name==c && price > sum(b)]", Pattern{Within: 10, Skip: SkipPastLast, Timeouts: true}},
		{"a[name==a] ~> b[name==b]+ -> not z[name==c]", Pattern{Within: 5, Skip: NoSkip}},
		{"a => (b[name==b] -> c?){1,2} => not z[name==a]", Pattern{Skip: SkipToFirst, SkipTo: "b", MaxPartials: 4}},
	}
	var ps []*Program
	for _, s := range srcs {
		elems, err := parsePattern(s.src)
		if err != nil {
			tb.Fatal(err)
		}
		s.pat.Elements = elems
		p, err := Compile(s.pat)
		if err != nil {
			tb.Fatalf("%s: %v", s.src, err)
		}
		ps = append(ps, p)
	}
	return ps
}

// FuzzRestoreState: restoring never panics, and a restored state has
// consistent reference counts, snapshots and restores again to the same, and
// runs without panicking or leaking (checkLeaks is set in the tests).
func FuzzRestoreState(f *testing.F) {
	progs := fuzzPrograms(f)
	r := rand.New(rand.NewPCG(5, 5))
	for k, p := range progs {
		for range 30 {
			st := p.NewState()
			var out Output
			ops := randomOps(r)
			n := r.IntN(len(ops))
			for i, op := range ops[:n] {
				step(st, op, uint64(i), &out)
			}
			f.Add(append([]byte{byte(k)}, st.AppendSnapshot(nil, encTev)...))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		p := progs[int(data[0])%len(progs)]
		st, err := p.RestoreState(data[1:], decTev)
		if err != nil {
			if strings.Contains(err.Error(), internalError) {
				t.Fatal(err)
			}
			if !errors.Is(err, ErrSnapshotCorrupt) && !errors.Is(err, ErrSnapshotMismatch) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		checkRefs(t, st)
		// The input need not be canonical, but what it restores to is.
		st = roundTrip(t, st, p)
		st.NextTimer()
		// Events after every event the state holds, as the contract wants.
		t0 := int64(math.MinInt64 / 2)
		if m := st.m; m != nil {
			for _, e := range m.evs {
				t0 = max(t0, e.ev.Time)
			}
		}
		var out Output
		if t0 < math.MaxInt64/2 {
			for i, l := range []string{"a", "b", "c", "b", "a"} {
				st.Process(Event{Time: t0 + 1 + int64(i), Seq: uint64(i), Data: &tev{label: l, name: l, price: 1}}, &out)
			}
		}
		st.AdvanceTime(math.MaxInt64, &out)
		_ = st.AppendSnapshot(nil, encTev)
	})
}

// BenchmarkSnapshot measures a checkpoint of one key and its restore: a key
// with one partial match of one event, and one with ten buffered events.
//
//	go test ./nfa -run '^$' -bench Snapshot
func BenchmarkSnapshot(b *testing.B) {
	prog := benchProgram(b)
	small := &benchTxn{amount: 1, country: 2}
	enc := func(b []byte, d any) []byte {
		t := d.(*benchTxn)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(t.amount))
		return append(b, t.country)
	}
	dec := func(b []byte) (any, []byte, error) {
		if len(b) < 9 {
			return nil, nil, errTev
		}
		return &benchTxn{amount: math.Float64frombits(binary.LittleEndian.Uint64(b)), country: b[8]}, b[9:], nil
	}
	for _, c := range []struct {
		name   string
		events int
	}{{"one-partial", 1}, {"ten-events", 10}} {
		st := prog.NewState()
		var out Output
		for i := range c.events {
			st.Process(Event{Time: 1795515300000 + int64(i)*1000, Seq: 1e9 + uint64(i), Data: small}, &out)
		}
		if st.Empty() || int(st.m.liveEvs) != c.events {
			b.Fatalf("%s: %d events buffered", c.name, st.m.liveEvs)
		}
		snap := st.AppendSnapshot(nil, enc)
		b.Run("snapshot/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			var buf []byte
			for b.Loop() {
				buf = st.AppendSnapshot(buf[:0], enc)
			}
			b.ReportMetric(float64(len(snap)), "snapshot-bytes")
		})
		b.Run("restore/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := prog.RestoreState(snap, dec); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(snap)), "snapshot-bytes")
		})
	}
}
