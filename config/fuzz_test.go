package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds Parse arbitrary text: it must never panic, every problem
// must be an Error with a message, and whatever loads must print and load
// back to the same Config.
//
//	go test ./config -run '^$' -fuzz FuzzParse -fuzztime 1m
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"listen: 127.0.0.1:1\n",
		"tokens: [{token: ${ADMIN_TOKEN}, role: admin}]\nlisten: :80\n",
		"sources: {a: {http: }, b: {kafka: {brokers: k:1, topic: t}}}\n",
		"outputs: {x: [{webhook: {url: 'http://h', timeout: 1s}}, {api: {}}]}\n",
		"a: &a [*a]\n",
		"checkpoint: {<<: [{interval: 1s}, {interval: 2s}]}\n",
		"x: !!binary aGVsbG8=\n",
		"? [a]\n: 1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := parse("fuzz.yaml", src, env(testEnv))
		if err != nil {
			list, ok := err.(ErrorList)
			if !ok || len(list) == 0 {
				t.Fatalf("error %T %v, want a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e.Msg == "" || strings.HasPrefix(e.Msg, "internal error") {
					t.Fatalf("bad error %q for %q", e.Error(), src)
				}
			}
			return
		}
		roundTrip(t, c)
	})
}
