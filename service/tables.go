package service

import (
	"fmt"

	"github.com/kestrelcep/kestrel/patterns"
	"github.com/kestrelcep/kestrel/tables"
)

// bindTables loads the declared tables of rs from their configured sources. A
// declared table without one stays empty: its lookups find no row.
func (s *Service) bindTables(rs *patterns.RuleSet) error {
	for _, d := range rs.Tables {
		c, ok := s.cfg.Tables[d.Name]
		if !ok {
			s.log.Warn("table has no source in the configuration; its lookups find nothing", "table", d.Name)
			continue
		}
		t, err := tables.New(tables.Schema{Name: d.Name, Fields: d.Fields, Types: d.Types, Keys: d.Keys})
		if err != nil {
			return fmt.Errorf("tables.%s: %w", d.Name, err)
		}
		switch {
		case c.File != nil:
			if _, err := t.LoadFile(c.File.Path); err != nil {
				return fmt.Errorf("tables.%s: %w", d.Name, err)
			}
		default:
			return fmt.Errorf("tables.%s: only file tables are bound by serve so far", d.Name)
		}
		d.Rows = t
	}
	return nil
}
