package replay

import (
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/patterns"
)

func compile(t *testing.T, src string) *patterns.RuleSet {
	t.Helper()
	f, errs := patterns.Parse("test.krl", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	rs, errs := patterns.Compile([]*patterns.File{f}, patterns.Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return rs
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if strings.HasSuffix(name, ".gz") {
		f, _ := os.Create(path)
		zw := gzip.NewWriter(f)
		zw.Write([]byte(content))
		zw.Close()
		f.Close()
		return path
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// seq is a rule that matches every pair of consecutive events, so its alerts
// show the order in which events were processed.
const seq = `
stream e (id string, ts time) id id timestamp ts
rule pairs pattern a: e => b: e within 1h skip to_next
`

func run(t *testing.T, rs *patterns.RuleSet, inputs ...Input) []string {
	t.Helper()
	var c collector
	if _, err := Run(rs, inputs, Options{Sink: &c}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range c.alerts {
		got = append(got, a.rec.Steps[0].Events[0].Identity+">"+a.rec.Steps[1].Events[0].Identity)
	}
	return got
}

func TestFilesInterleaveByTimeTiesToFirstNamed(t *testing.T) {
	rs := compile(t, seq)
	a := write(t, "a.jsonl", `{"id":"a1","ts":1}`+"\n"+`{"id":"a2","ts":3}`+"\n"+`{"id":"a3","ts":5}`+"\n")
	b := write(t, "b.jsonl", `{"id":"b1","ts":2}`+"\n"+`{"id":"b2","ts":3}`+"\n"+`{"id":"b3","ts":4}`+"\n")
	got := strings.Join(run(t, rs, Input{Path: b}, Input{Path: a}), " ")
	// b is named first, so at ts 3 b2 comes before a2.
	if want := "a1>b1 b1>b2 b2>a2 a2>b3 b3>a3"; got != want {
		t.Errorf("order %s, want %s", got, want)
	}
}

func TestCSVAndGzip(t *testing.T) {
	rs := compile(t, `
stream e (id int, amount float, ok bool, ts time) id id timestamp ts
rule big pattern a: e[amount > 10 and ok]
`)
	csv := "ts,id,amount,ok,extra\n2026-01-01T00:00:00Z,1,5,true,x\n2026-01-01T00:00:01Z,2,50,1,y\n2026-01-01T00:00:02Z,3,50,false,z\n2026-01-01T00:00:03Z,4,\"1,5\"\n"
	for _, name := range []string{"e.csv", "e.csv.gz"} {
		var c collector
		stats, err := Run(rs, []Input{{Path: write(t, name, csv)}}, Options{Sink: &c})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.alerts) != 1 || c.alerts[0].rec.Steps[0].Events[0].Identity != "2" {
			t.Fatalf("%s: alerts %v", name, c.alerts)
		}
		if got := string(c.alerts[0].rec.Steps[0].Events[0].JSON); got != `{"ts":"2026-01-01T00:00:01Z","id":2,"amount":50,"ok":true,"extra":"y"}` {
			t.Errorf("%s: event JSON %s", name, got)
		}
		if stats.DeadLetter != 1 || c.dead != 1 {
			t.Errorf("%s: the short row should go to deadletter: %+v", name, stats)
		}
	}
}

func TestBadInputs(t *testing.T) {
	rs := compile(t, seq)
	noTS := write(t, "e.csv", "id,when\n1,2\n")
	for _, in := range []Input{{Path: noTS}, {Path: "/does/not/exist.jsonl"}, {Stream: "nope", Path: noTS}} {
		_, err := Run(rs, []Input{in}, Options{Sink: &collector{}})
		if !errors.Is(err, ErrInput) {
			t.Errorf("%+v: err %v, want ErrInput", in, err)
		}
	}
}

// A sink that fails stops the replay with its error.
type failing struct{ collector }

func (*failing) Alert(string, *alerts.Record) error { return errors.New("disk full") }

func TestSinkFailure(t *testing.T) {
	rs := compile(t, seq)
	path := write(t, "e.jsonl", `{"id":"1","ts":1}`+"\n"+`{"id":"2","ts":2}`+"\n")
	_, err := Run(rs, []Input{{Path: path}}, Options{Sink: &failing{}})
	if err == nil || !strings.Contains(err.Error(), "disk full") || errors.Is(err, ErrInput) {
		t.Fatalf("err %v", err)
	}
}
