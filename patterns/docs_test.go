package patterns

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDocExamples compiles every ```krl block of docs/language.md: a block
// that declares no stream is compiled with the example streams.
func TestDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../docs/language.md")
	if err != nil {
		t.Fatal(err)
	}
	streams, err := os.ReadFile("../testdata/rules/streams.krl")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```krl\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) == 0 {
		t.Fatal("no ```krl blocks in docs/language.md")
	}
	for _, b := range blocks {
		files := []*File{}
		if !strings.Contains(b[1], "stream ") {
			f, errs := Parse("streams.krl", streams)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			files = append(files, f)
		}
		f, errs := Parse("example.krl", []byte(b[1]))
		if len(errs) == 0 {
			_, errs = Compile(append(files, f), Options{})
		}
		if len(errs) > 0 {
			t.Errorf("docs/language.md example does not compile:\n%s\n%v", b[1], errs)
		}
	}
}
