package patterns

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// RuleFiles expands paths (.krl files or directories of them, searched
// recursively) into a sorted list of files, each listed once.
func RuleFiles(paths []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		if !info.IsDir() {
			add(p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), ".krl") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("rules: no .krl files in %s", p)
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
}

// Load parses and compiles the rule files under paths as one rule set. A file
// that cannot be read is an error; rule errors come back as an ErrorList.
func Load(paths []string, opts Options) (*RuleSet, error) {
	files, err := RuleFiles(paths)
	if err != nil {
		return nil, err
	}
	var parsed []*File
	var errs ErrorList
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, perrs := Parse(name, src)
		errs = append(errs, perrs...)
		if f != nil {
			parsed = append(parsed, f)
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	rs, cerrs := Compile(parsed, opts)
	if len(cerrs) > 0 {
		return nil, cerrs
	}
	return rs, nil
}
