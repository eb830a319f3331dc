package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// kestrel runs the command in process and returns its exit code and output.
func kestrel(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRuleTests(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/tests/*.yaml")
	if len(files) == 0 {
		t.Fatal("no rule tests in testdata/tests")
	}
	code, out, stderr := kestrel(t, append([]string{"test"}, files...)...)
	if code != exitOK {
		t.Fatalf("kestrel test: exit %d\n%s%s", code, out, stderr)
	}
	t.Log(out)
}

func TestRuleTestFailureShowsDiff(t *testing.T) {
	dir := t.TempDir()
	test := `rules: [` + abs(t, "../../testdata/rules/streams.krl") + `, ` + abs(t, "../../testdata/rules/velocity.krl") + `]
tests:
  - name: expects the wrong events
    events:
      txn:
        - {id: t1, card_id: c1, amount: 1, ts: 1000}
        - {id: t2, card_id: c1, amount: 1, ts: 2000}
        - {id: t3, card_id: c1, amount: 1, ts: 3000}
        - {id: t4, card_id: c1, amount: 1, ts: 4000}
        - {id: t5, card_id: c1, amount: 1, ts: 5000}
    alerts:
      - {rule: velocity_burst, key: c1, events: {burst: [t1, t2, t3, t4]}}
`
	path := filepath.Join(dir, "wrong_test.yaml")
	os.WriteFile(path, []byte(test), 0o644)
	code, out, _ := kestrel(t, "test", path)
	if code != exitFailed {
		t.Fatalf("exit %d, want %d\n%s", code, exitFailed, out)
	}
	for _, want := range []string{
		"FAIL " + path + ": expects the wrong events",
		"missing:    rule velocity_burst, match, key \"c1\", events {burst: [t1, t2, t3, t4]}",
		"unexpected: rule velocity_burst, match, key \"c1\", events {burst: [t1, t2, t3, t4, t5]} (on alerts)",
		"0 passed, 1 failed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func abs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCheckReportsEveryError(t *testing.T) {
	code, _, stderr := kestrel(t, "check", "../../testdata/bad/errors.krl")
	if code != exitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	pos := regexp.MustCompile(`^\.\./\.\./testdata/bad/errors\.krl:\d+:\d+: \S`)
	if len(lines) < 3 {
		t.Fatalf("want every error, got:\n%s", stderr)
	}
	for _, l := range lines {
		if !pos.MatchString(l) {
			t.Errorf("not FILE:LINE:COL: message: %q", l)
		}
	}
	for _, want := range []string{"errors.krl:6:6: rule typo is partitioned by card", `errors.krl:7:27: amount is float; cannot compare with string "high"`, "errors.krl:7:41: unknown stream tx"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestCheckOK(t *testing.T) {
	code, out, stderr := kestrel(t, "check", "../../testdata/rules")
	if code != exitOK || !strings.HasPrefix(out, "ok: 2 streams, 0 tables, 0 features, 4 rules") {
		t.Fatalf("exit %d: %s%s", code, out, stderr)
	}
}

// TestReplayGolden replays the example events and compares every output with
// testdata/golden. Run with -update to rewrite the golden files after a change
// that is meant to change them, and review the diff.
func TestReplayGolden(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := kestrel(t, "replay", "--rules", "../../testdata/rules",
		"--events", "txn=../../testdata/events/txn.jsonl", "--events", "login=../../testdata/events/login.jsonl",
		"--outputs", dir, "--quiet")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("--quiet, yet stderr: %s", stderr)
	}
	alerts, _ := os.ReadFile(filepath.Join(dir, "alerts.jsonl"))
	if stdout != string(alerts) {
		t.Errorf("stdout differs from alerts.jsonl")
	}
	for _, name := range []string{"alerts", "travel", "timeouts", "late", "deadletter"} {
		got, err := os.ReadFile(filepath.Join(dir, name+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("../../testdata/golden", "example_"+name+".jsonl")
		if *update {
			os.WriteFile(golden, got, 0o644)
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s:\ngot:\n%s\nwant:\n%s", name, golden, got, want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{nil, "Usage"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"replay", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"replay", "--rules", "../../testdata/rules"}, "replay needs --rules and --events"},
		{[]string{"replay", "--rules", "nope.krl", "--events", "x.jsonl"}, "kestrel: rules: stat nope.krl"},
		{[]string{"replay", "--rules", "../../testdata/rules", "--events", "missing.jsonl"}, "say which one as STREAM=FILE"},
		{[]string{"replay", "--rules", "../../testdata/rules", "--events", "txn=missing.jsonl"}, "missing.jsonl: no such file"},
		{[]string{"replay", "--rules", "../../testdata/rules", "--events", "card=x.jsonl"}, "no stream named card"},
		{[]string{"check"}, "check needs at least one"},
		{[]string{"test", "nope.yaml"}, "nope.yaml"},
	} {
		code, _, stderr := kestrel(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.msg) {
			t.Errorf("kestrel %v: exit %d, stderr %q; want exit 2 with %q", tc.args, code, stderr, tc.msg)
		}
	}
}

// TestBinary builds the binary and runs it the way a user does.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "kestrel")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "replay", "--rules", "../../testdata/rules", "--events", "txn=../../testdata/events/txn.jsonl",
		"--events", "login=../../testdata/events/login.jsonl")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("replay: %v\n%s", err, stderr.String())
	}
	want, _ := os.ReadFile("../../testdata/golden/example_alerts.jsonl")
	if stdout.String() != string(want) {
		t.Errorf("binary's alerts differ from the golden file:\n%s", stdout.String())
	}
	if !strings.Contains(stderr.String(), "kestrel: replayed 216 events") {
		t.Errorf("no summary on stderr: %q", stderr.String())
	}
	err := exec.Command(bin, "check", "../../testdata/bad/errors.krl").Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Errorf("check of a bad file: %v, want exit status 2", err)
	}
}
