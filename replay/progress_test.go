package replay

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestProgressBarRedrawsAtMostTenTimesASecond(t *testing.T) {
	var out bytes.Buffer
	p := NewProgressBar(&out)
	t0 := p.start
	var now time.Time
	p.now = func() time.Time { return now }
	draws := func() int { return strings.Count(out.String(), "\r") }
	for _, step := range []struct {
		at    time.Duration
		draws int
	}{
		{50 * time.Millisecond, 0}, // not in the first tenth of a second
		{150 * time.Millisecond, 1},
		{200 * time.Millisecond, 1},
		{249 * time.Millisecond, 1},
		{250 * time.Millisecond, 2},
		{2 * time.Second, 3},
	} {
		now = t0.Add(step.at)
		p.Update(Progress{Events: 1000, Read: 25, Size: 100})
		if got := draws(); got != step.draws {
			t.Fatalf("at %v: %d drawings, want %d", step.at, got, step.draws)
		}
	}
	last := out.String()[strings.LastIndex(out.String(), "\r"):]
	// 25% read in 2s: 6s to go.
	if want := "\r[██████░░░░░░░░░░░░░░░░░░]  25%  1,000 events  500 events/s  ETA 6s\x1b[K"; last != want {
		t.Errorf("line %q\nwant %q", last, want)
	}
	out.Reset()
	p.Finish()
	if out.String() != "\r\x1b[K" {
		t.Errorf("Finish wrote %q, want the line erased", out.String())
	}
	out.Reset()
	p.Finish()
	if out.Len() != 0 {
		t.Errorf("a second Finish wrote %q", out.String())
	}
}

func TestProgressBarNeverDrawnNeverErased(t *testing.T) {
	var out bytes.Buffer
	p := NewProgressBar(&out)
	p.Update(Progress{Events: 1, Read: 1, Size: 2})
	p.Finish()
	if out.Len() != 0 {
		t.Errorf("wrote %q", out.String())
	}
}

func TestProgressLine(t *testing.T) {
	for _, tc := range []struct {
		p    Progress
		el   time.Duration
		want string
	}{
		{Progress{Events: 1_754_155, Read: 100, Size: 100}, time.Second, "[████████████████████████] 100%  1,754,155 events  1.8M events/s"},
		{Progress{Events: 20_000, Read: 0, Size: 100}, time.Second, "[░░░░░░░░░░░░░░░░░░░░░░░░]   0%  20,000 events  20.0k events/s"},
		{Progress{Events: 500, Read: 99, Size: 100}, time.Second, "[███████████████████████░]  99%  500 events  500 events/s  ETA <1s"},
		{Progress{Events: 500, Read: 50, Size: 100}, 90 * time.Second, "[████████████░░░░░░░░░░░░]  50%  500 events  6 events/s  ETA 1m30s"},
	} {
		if got := progressLine(tc.p, tc.el); got != tc.want {
			t.Errorf("%+v after %v:\n got %q\nwant %q", tc.p, tc.el, got, tc.want)
		}
	}
}

// Run reports progress every few thousand events and once at the end, with
// the whole file read.
func TestRunReportsProgress(t *testing.T) {
	rs := compile(t, seq)
	var b strings.Builder
	const n = 10_000
	for i := range n {
		b.WriteString(`{"id":"` + string(rune('a'+i%26)) + `","ts":` + strconv.Itoa(i) + "}\n")
	}
	path := write(t, "e.jsonl.gz", b.String())
	var got []Progress
	_, err := Run(rs, []Input{{Path: path}}, Options{Sink: &collector{}, Progress: func(p Progress) { got = append(got, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n/progressEvery+1 {
		t.Fatalf("%d calls, want %d", len(got), n/progressEvery+1)
	}
	for i, p := range got[:len(got)-1] {
		if p.Events != int64(i+1)*progressEvery || p.Size == 0 || p.Read > p.Size {
			t.Errorf("call %d: %+v", i, p)
		}
	}
	if last := got[len(got)-1]; last.Events != n || last.Read != last.Size || last.Size == 0 {
		t.Errorf("last call %+v: want every event and byte", last)
	}
	if filepath.Ext(path) != ".gz" {
		t.Fatal("want a compressed input")
	}
}
