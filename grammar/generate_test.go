package grammar

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestGenerated regenerates the parser into a temporary directory with the
// generate commands of generate.go and fails when the result differs from
// the committed files, as Prometheus's check-generated-parser does.
func TestGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping parser regeneration in -short mode")
	}
	for _, tool := range []string{"npx", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("skipping parser regeneration: %s is not on PATH", tool)
		}
	}

	dir := t.TempDir()
	for _, args := range generateCommands(t, dir) {
		cmd := exec.Command(args[0], args[1:]...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			if offline.Match(out) {
				t.Skipf("skipping parser regeneration: npm registry unreachable:\n%s", out)
			}
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	want := generatedFiles(t, ".")
	got := generatedFiles(t, dir)
	if !slices.Equal(names(want), names(got)) {
		t.Fatalf("regenerated files %v, committed %v; run go generate ./grammar/...", names(got), names(want))
	}
	for name, w := range want {
		if g := got[name]; !bytes.Equal(g, w) {
			t.Errorf("%s is out of date (first difference at line %d); run go generate ./grammar/... and commit the result",
				name, firstDiffLine(w, g))
		}
	}
}

// offline matches npm's messages when it cannot reach the registry.
var offline = regexp.MustCompile(`ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH`)

// generateCommands reads the go:generate lines of generate.go and points
// their output directory (antlr-ng's -o, postgen's -dir) at dir.
func generateCommands(t *testing.T, dir string) [][]string {
	t.Helper()
	f, err := os.Open("generate.go")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cmds [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "//go:generate ")
		if !ok {
			continue
		}
		args := strings.Fields(line)
		redirected := false
		for i := 1; i < len(args); i++ {
			if args[i-1] == "-o" || args[i-1] == "-dir" {
				args[i] = dir
				redirected = true
			}
		}
		if !redirected {
			t.Fatalf("generate.go: cannot redirect the output of %q (no -o or -dir)", line)
		}
		cmds = append(cmds, args)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cmds) == 0 {
		t.Fatal("generate.go has no go:generate lines")
	}
	return cmds
}

// generatedFiles returns the contents of the generated files in dir, by base
// name: the Go files antlr-ng writes, and any side file postgen failed to drop.
func generatedFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, pattern := range []string{"krl_*.go", "*.interp", "*.tokens"} {
		matches, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range matches {
			b, err := os.ReadFile(m)
			if err != nil {
				t.Fatal(err)
			}
			files[filepath.Base(m)] = b
		}
	}
	return files
}

func names(m map[string][]byte) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	slices.Sort(s)
	return s
}

func firstDiffLine(a, b []byte) int {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range min(len(al), len(bl)) {
		if !bytes.Equal(al[i], bl[i]) {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}
