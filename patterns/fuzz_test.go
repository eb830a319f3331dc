package patterns

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics or fails internally, that its
// errors have positions, and that a declaration's Source parses on its own
// to the same declaration. It is seeded from every .krl file under a
// testdata directory of the repository.
//
//	go test -fuzz FuzzParse -fuzztime 2m ./patterns/
func FuzzParse(f *testing.F) {
	for _, name := range repoKRLFiles(f) {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		"",
		"rule r pattern a: txn[amount > 1]{2,} greedy -> not b: any within gap 5m",
		"stream s (a int, ts time) timestamp ts watermark 1h30m lateness 250ms id a",
		"feature f = count() of s[x in [1, 2]] by a, b over hopping 1h every 5m offset 7d emit every 1h",
		"rule r emit { a: -x.y[1, 2].z * (3 + 4) % 5, b: \"\\u00e9\\\"\", c: y between 1 and 2 or z is not null }",
		"rule r pattern (a: t -> b: t){0,3} optional until [not a] => c: t* combinations consecutive",
		"rule r skip to_first a timeout emit {} to `out put` severity critical",
		"table t (k string) key k, `j`",
		"rule r within 10min",
		"rule r pattern a: txn[x == \"unclosed",
		"/* unclosed",
		"rule r pattern ((((a: t",
		"stream s (a int,,)",
		"rule r pattern a: txn{5,3}{",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkParse(t, src)
		if !utf8.Valid(src) {
			// Parse stops at invalid UTF-8; check the rest of the input too.
			checkParse(t, bytes.ToValidUTF8(src, []byte("\uFFFD")))
		}
	})
}

func checkParse(t *testing.T, src []byte) {
	t.Helper()
	file, errs := Parse("fuzz.krl", src)
	for i, e := range errs {
		if strings.HasPrefix(e.Msg, "internal parser error") {
			t.Fatalf("%v\ninput: %q", e, src)
		}
		if e.Pos.File != "fuzz.krl" || e.Pos.Line < 1 || e.Pos.Col < 1 || e.Msg == "" {
			t.Errorf("bad error %#v", e)
		}
		if i > 0 && less(e.Pos, errs[i-1].Pos) {
			t.Errorf("errors not sorted: %v before %v", errs[i-1], e)
		}
	}
	if file == nil {
		if len(errs) == 0 {
			t.Fatalf("nil File and no errors for %q", src)
		}
		return
	}
	if len(errs) > 0 {
		return
	}
	for _, d := range file.Decls {
		alone, errs := Parse("fuzz.krl", []byte(declSource(d)))
		if len(errs) > 0 || alone == nil || len(alone.Decls) != 1 {
			t.Fatalf("Source %q of a declaration does not parse alone: %v", declSource(d), errs)
		}
		if got, want := dumpDecl(alone.Decls[0]), dumpDecl(d); got != want {
			t.Fatalf("Source parses to\n%s\nnot\n%s", got, want)
		}
	}
}

func less(a, b Pos) bool {
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

func declSource(d Decl) string {
	switch d := d.(type) {
	case *StreamDecl:
		return d.Source
	case *TableDecl:
		return d.Source
	case *FeatureDecl:
		return d.Source
	case *RuleDecl:
		return d.Source
	}
	return ""
}

// repoKRLFiles returns every .krl file under a testdata directory of the
// module, which is the parent of this package's directory.
func repoKRLFiles(tb testing.TB) []string {
	var files []string
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != ".." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".krl") &&
			strings.Contains(filepath.ToSlash(path), "/testdata/") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}
