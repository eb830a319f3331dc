package replay

import (
	"fmt"
	"strings"

	"github.com/kestrelcep/kestrel/patterns"
	"github.com/kestrelcep/kestrel/tables"
)

// BindTables loads each `NAME=FILE` (CSV or JSONL, optionally gzipped) into
// the rule set's table NAME, so that `NAME[k].f` finds its rows. A table the
// rules declare but no file names stays empty: its lookups find no row. It
// returns the names of such tables, so the caller can warn.
func BindTables(rs *patterns.RuleSet, specs []string) (unbound []string, err error) {
	bound := map[string]bool{}
	for _, spec := range specs {
		name, path, ok := strings.Cut(spec, "=")
		if !ok || name == "" || path == "" {
			return nil, fmt.Errorf("%w: --tables %s: expected NAME=FILE", ErrInput, spec)
		}
		var decl *patterns.Table
		for _, t := range rs.Tables {
			if t.Name == name {
				decl = t
			}
		}
		if decl == nil {
			return nil, fmt.Errorf("%w: --tables %s: no table named %s in the rules", ErrInput, spec, name)
		}
		t, err := tables.New(tables.Schema{Name: name, Fields: decl.Fields, Types: decl.Types, Keys: decl.Keys})
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInput, err)
		}
		if _, err := t.LoadFile(path); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInput, err)
		}
		decl.Rows = t
		bound[name] = true
	}
	for _, t := range rs.Tables {
		if !bound[t.Name] {
			unbound = append(unbound, t.Name)
		}
	}
	return unbound, nil
}
