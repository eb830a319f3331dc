package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kestrelcep/kestrel/patterns"
)

// genTo runs kestrel gen with args and --out dir/data.jsonl and returns the
// four files' contents: transactions, logins, chargebacks, streams.
func genTo(t *testing.T, dir string, args ...string) [4][]byte {
	t.Helper()
	out := filepath.Join(dir, "data.jsonl")
	code, stdout, stderr := kestrel(t, append(append([]string{"gen"}, args...), "--out", out)...)
	if code != exitOK {
		t.Fatalf("kestrel gen %v: exit %d\n%s", args, code, stderr)
	}
	if stdout != "" {
		t.Errorf("gen --out wrote to stdout: %q", stdout)
	}
	var got [4][]byte
	for i, name := range []string{"data.jsonl", "data.logins.jsonl", "data.chargebacks.jsonl", "data.krl"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 && i != 2 {
			t.Errorf("%s is empty", name)
		}
		got[i] = b
	}
	return got
}

func TestGenSameSeedSameBytes(t *testing.T) {
	args := []string{"--seed", "1"} // the defaults: the dataset the rule pack is measured on
	a := genTo(t, t.TempDir(), args...)
	b := genTo(t, t.TempDir(), args...)
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Errorf("file %d differs between two runs of gen --seed 1", i)
		}
	}
	// Without --out: the same transactions, on stdout.
	code, stdout, stderr := kestrel(t, append([]string{"gen"}, args...)...)
	if code != exitOK || stdout != string(a[0]) {
		t.Errorf("gen to stdout: exit %d, %d bytes, want the %d bytes of the transactions file\n%s", code, len(stdout), len(a[0]), stderr)
	}
	if !strings.Contains(stderr, "kestrel: gen --seed 1 --cards 2000 --days 28 --fraud-rate 0.2: ") {
		t.Errorf("no summary on stderr: %q", stderr)
	}
	c := genTo(t, t.TempDir(), "--seed", "2", "--cards", "300", "--days", "3")
	if bytes.Equal(a[0], c[0]) || bytes.Equal(a[1], c[1]) {
		t.Error("seeds 1 and 2 give the same data")
	}
	if !bytes.Equal(a[3], c[3]) {
		t.Error("the stream declarations depend on the seed")
	}
}

func TestGenGzip(t *testing.T) {
	plain := genTo(t, t.TempDir(), "--seed", "4", "--cards", "100", "--days", "2")
	var gz [2][]byte
	for i := range gz {
		dir := t.TempDir()
		code, _, stderr := kestrel(t, "gen", "--seed", "4", "--cards", "100", "--days", "2", "--out", filepath.Join(dir, "d.jsonl.gz"))
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for j, name := range []string{"d.jsonl.gz", "d.logins.jsonl.gz", "d.chargebacks.jsonl.gz"} {
			f, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(f))
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(zr)
			if err != nil || !bytes.Equal(b, plain[j]) {
				t.Errorf("%s: %v; content differs from the plain file", name, err)
			}
			if j == 0 {
				gz[i] = f
			}
		}
		if k, err := os.ReadFile(filepath.Join(dir, "d.krl")); err != nil || !bytes.Equal(k, plain[3]) {
			t.Errorf("d.krl: %v", err)
		}
	}
	if !bytes.Equal(gz[0], gz[1]) {
		t.Error("two gzip runs differ")
	}
}

func TestGenFlags(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file") // a file where the output directory would be
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{}, "gen needs --seed N"},
		{[]string{"--cards", "10"}, "gen needs --seed N"},
		{[]string{"--seed", "x"}, `invalid value "x" for flag -seed`},
		{[]string{"--seed", "1", "--cards", "0"}, "cards must be between 1 and"},
		{[]string{"--seed", "1", "--cards", "-3"}, "cards must be between 1 and"},
		{[]string{"--seed", "1", "--cards", "10000001"}, "cards must be between 1 and"},
		{[]string{"--seed", "1", "--days", "0"}, "days must be between 1 and 366"},
		{[]string{"--seed", "1", "--days", "367"}, "days must be between 1 and 366"},
		{[]string{"--seed", "1", "--fraud-rate", "-0.1"}, "fraud rate must be between 0 and 1"},
		{[]string{"--seed", "1", "--fraud-rate", "1.5"}, "fraud rate must be between 0 and 1"},
		{[]string{"--seed", "1", "--fraud-rate", "NaN"}, "fraud rate must be between 0 and 1"},
		{[]string{"--seed", "1", "--fraud-rate", "lots"}, `invalid value "lots" for flag -fraud-rate`},
		{[]string{"--seed", "1", "extra"}, `unexpected argument "extra"`},
		{[]string{"--seed", "1", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"--seed", "1", "--out", filepath.Join(dir, "d.csv")}, "would read"},
		{[]string{"--seed", "1", "--out", filepath.Join(blocker, "d.jsonl")}, "not a directory"},
	} {
		code, stdout, stderr := kestrel(t, append([]string{"gen"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tc.msg) || stdout != "" {
			t.Errorf("kestrel gen %v: exit %d, stderr %q; want exit 2 with %q and no output", tc.args, code, stderr, tc.msg)
		}
	}
	if code, _, _ := kestrel(t, "gen", "-h"); code != exitOK {
		t.Errorf("gen -h: exit %d", code)
	}
}

// TestGenOutputLoads: the generated declarations compile, equal
// testdata/synth/streams.krl, and the rule pack replays the generated
// files with no dead letters and no late events.
func TestGenOutputLoads(t *testing.T) {
	dir := t.TempDir()
	files := genTo(t, dir, "--seed", "1", "--cards", "500", "--days", "3", "--fraud-rate", "0.05")
	krl := filepath.Join(dir, "data.krl")
	rs, err := patterns.Load([]string{krl}, patterns.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"txn", "login", "chargeback"} {
		if rs.Stream(s) == nil {
			t.Errorf("no stream %s in the generated declarations", s)
		}
	}
	want, err := os.ReadFile("../../testdata/synth/streams.krl")
	if err != nil || !bytes.Equal(files[3], want) {
		t.Errorf("the generated .krl differs from testdata/synth/streams.krl (%v)", err)
	}
	outputs := filepath.Join(dir, "out")
	code, _, stderr := kestrel(t, "replay", "--rules", krl, "--rules", "../../testdata/synth/rules",
		"--events", "txn="+filepath.Join(dir, "data.jsonl"),
		"--events", "login="+filepath.Join(dir, "data.logins.jsonl"),
		"--events", "chargeback="+filepath.Join(dir, "data.chargebacks.jsonl"),
		"--outputs", outputs)
	if code != exitOK {
		t.Fatalf("replay: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, " 0 late, 0 deadletter") {
		t.Errorf("replay summary: %s", stderr)
	}
	for _, side := range []string{"deadletter", "late"} {
		if b, err := os.ReadFile(filepath.Join(outputs, side+".jsonl")); err != nil || len(b) > 0 {
			t.Errorf("%s: %v %q", side, err, b)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(outputs, "alerts.jsonl")); len(b) == 0 {
		t.Error("the rule pack raised no alert")
	}
}

func TestGenFiles(t *testing.T) {
	for in, want := range map[string]string{
		"d.jsonl":        "d.jsonl d.logins.jsonl d.chargebacks.jsonl d.krl",
		"x/txn.json":     "x/txn.json x/txn.logins.jsonl x/txn.chargebacks.jsonl x/txn.krl",
		"d.jsonl.gz":     "d.jsonl.gz d.logins.jsonl.gz d.chargebacks.jsonl.gz d.krl",
		"data":           "data data.logins.jsonl data.chargebacks.jsonl data.krl",
		"dir/.jsonl":     "dir/.jsonl dir/.jsonl.logins.jsonl dir/.jsonl.chargebacks.jsonl dir/.jsonl.krl",
		"a.b.jsonl":      "a.b.jsonl a.b.logins.jsonl a.b.chargebacks.jsonl a.b.krl",
		"plain.gz":       "plain.gz plain.logins.jsonl.gz plain.chargebacks.jsonl.gz plain.krl",
		"/tmp/s/x.jsonl": "/tmp/s/x.jsonl /tmp/s/x.logins.jsonl /tmp/s/x.chargebacks.jsonl /tmp/s/x.krl",
	} {
		if got := strings.Join(genFiles(in), " "); got != want {
			t.Errorf("genFiles(%q) = %s, want %s", in, got, want)
		}
	}
}
