package config

import (
	"bytes"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// roundTrip prints c, parses the text and checks that it is c again, tokens
// and passwords masked. It returns the text.
func roundTrip(t *testing.T, c *Config) string {
	t.Helper()
	var b bytes.Buffer
	if err := c.Print(&b); err != nil {
		t.Fatalf("Print: %v", err)
	}
	back, err := parse("printed.yaml", b.Bytes(), env(nil))
	if err != nil {
		t.Fatalf("the printed configuration does not load:\n%v\n%s", err, b.String())
	}
	if got, want := strip(back), masked(c); !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip differs:\n got %+v\nwant %+v\nprinted:\n%s", got, want, b.String())
	}
	return b.String()
}

func TestPrintRoundTrip(t *testing.T) {
	configs := map[string]*Config{"default": Default()}
	for _, name := range []string{"spec.yaml", "full.yaml"} {
		configs[name] = mustParse(t, readFile(t, name), testEnv)
	}
	odd := Default()
	odd.Data = "./${not a var}/data"
	odd.Rules = []string{"yes", "123", "null", "~", "*star", "- dash", "a: b", "#hash", "$${x}", "'quoted'", "multi\nline", " padded "}
	odd.Tokens = []Token{{Token: "t", Role: "admin", Name: "true"}}
	odd.Sources = map[string]Source{"<<": {HTTP: &HTTPSource{}}, "null": {HTTP: &HTTPSource{}}, "a.b": {HTTP: &HTTPSource{}}, "": {HTTP: &HTTPSource{}}}
	configs["odd values"] = odd
	for name, c := range configs {
		t.Run(name, func(t *testing.T) {
			if name == "odd values" {
				// "" is not a valid name: leave it out, the rest must survive.
				delete(c.Sources, "")
			}
			roundTrip(t, c)
		})
	}
}

// keyLine is a line of YAML that holds a key.
var keyLine = regexp.MustCompile(`^\s*(- )?("[^"]*"|[A-Za-z_][\w.-]*):(\s|$)`)

func TestPrintComments(t *testing.T) {
	text := roundTrip(t, mustParse(t, readFile(t, "full.yaml"), testEnv))
	for i, line := range strings.Split(text, "\n") {
		if keyLine.MatchString(line) && !strings.Contains(line, " # ") {
			t.Errorf("line %d has no comment: %s", i+1, line)
		}
	}
	for _, secret := range []string{"admin-secret", "hunter2", "literal-"} {
		if strings.Contains(text, secret) {
			t.Errorf("the printed configuration shows %q:\n%s", secret, text)
		}
	}
	if testing.Verbose() {
		os.Stdout.WriteString(text)
	}
}

// TestDocs checks that docs has a comment for every key of Config, and no
// comment for a key that is gone.
func TestDocs(t *testing.T) {
	var paths []string
	var walk func(t reflect.Type, gp string)
	walk = func(typ reflect.Type, gp string) {
		switch typ.Kind() {
		case reflect.Pointer:
			walk(typ.Elem(), gp)
		case reflect.Map:
			paths = append(paths, gp+".*")
			walk(typ.Elem(), gp+".*")
		case reflect.Slice:
			walk(typ.Elem(), gp+"[]")
		case reflect.Struct:
			for i := range typ.NumField() {
				tag := typ.Field(i).Tag.Get("yaml")
				if tag == "" {
					continue
				}
				p := tag
				if gp != "" {
					p = gp + "." + tag
				}
				paths = append(paths, p)
				walk(typ.Field(i).Type, p)
			}
		}
	}
	walk(reflect.TypeFor[Config](), "")
	for _, p := range paths {
		if docs[p] == "" && !strings.HasSuffix(p, "[].*") {
			t.Errorf("no comment for %s", p)
		}
	}
	for p := range docs {
		if !slices.Contains(paths, p) {
			t.Errorf("a comment for %s, which is not a key", p)
		}
	}
}
