package state

import (
	"errors"
	"slices"
	"testing"
)

func TestDefinitions(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir, Options{NoSync: true})
	put := func(kind, name, src, mode string, ifMatch int) (int, error) {
		return db.PutDefinition(kind, name, Definition{Source: src, Mode: mode, Author: "ana"}, ifMatch)
	}
	steps := []struct {
		name    string
		do      func() (int, error)
		want    int
		wantErr error
	}{
		{"new rule", func() (int, error) { return put("rules", "velocity", "rule v1", "", 0) }, 1, nil},
		{"second version", func() (int, error) { return put("rules", "velocity", "rule v2", "shadow", 1) }, 2, nil},
		{"stale If-Match", func() (int, error) { return put("rules", "velocity", "rule v3", "", 1) }, 0, ErrVersionConflict},
		{"If-Match on a new name", func() (int, error) { return put("rules", "other", "x", "", 1) }, 0, ErrVersionConflict},
		{"bad mode", func() (int, error) { return put("rules", "velocity", "x", "loud", 0) }, 0, ErrInvalid},
		{"bad name", func() (int, error) { return put("rules", "", "x", "", 0) }, 0, ErrInvalid},
		{"third version", func() (int, error) { return put("rules", "velocity", "rule v3", "live", 2) }, 3, nil},
		{"a stream", func() (int, error) { return put("streams", "txn", "stream txn", "", 0) }, 1, nil},
		{"same name, other kind", func() (int, error) { return put("features", "velocity", "feature", "", 0) }, 1, nil},
		{"another rule", func() (int, error) { return put("rules", "takeover", "rule t1", "", 0) }, 1, nil},
		{"delete", func() (int, error) { return 0, db.DeleteDefinition("rules", "takeover") }, 0, nil},
		{"delete again", func() (int, error) { return 0, db.DeleteDefinition("rules", "takeover") }, 0, ErrNotFound},
		{"If-Match on a deleted one", func() (int, error) { return put("rules", "takeover", "t2", "", 1) }, 0, ErrVersionConflict},
		{"mode change", func() (int, error) { d, err := db.SetMode("rules", "velocity", "shadow"); return d.Version, err }, 3, nil},
		{"mode of a deleted one", func() (int, error) { d, err := db.SetMode("rules", "takeover", "live"); return d.Version, err }, 0, ErrNotFound},
		{"rollback", func() (int, error) { return db.Rollback("rules", "velocity", 1, "bo") }, 4, nil},
	}
	for _, s := range steps {
		got, err := s.do()
		if !errors.Is(err, s.wantErr) || (s.wantErr == nil && got != s.want) {
			t.Fatalf("%s: %d, %v; want %d, %v", s.name, got, err, s.want, s.wantErr)
		}
	}
	check := func(db *DB) {
		t.Helper()
		d, err := db.GetDefinition("rules", "velocity")
		if err != nil || d.Version != 4 || d.Source != "rule v1" || d.Mode != ModeShadow || d.Author != "bo" || d.DeployedAt.IsZero() {
			t.Fatalf("GetDefinition(velocity) = %+v, %v", d, err)
		}
		if _, err := db.GetDefinition("rules", "takeover"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("deleted definition: %v", err)
		}
		vs, err := db.Versions("rules", "velocity")
		var nums []int
		var srcs []string
		for _, v := range vs {
			nums = append(nums, v.Version)
			srcs = append(srcs, v.Source+"/"+v.Mode)
		}
		if err != nil || !slices.Equal(nums, []int{4, 3, 2, 1}) ||
			!slices.Equal(srcs, []string{"rule v1/shadow", "rule v3/live", "rule v2/shadow", "rule v1/live"}) {
			t.Fatalf("Versions = %v %v, %v", nums, srcs, err)
		}
		if v, err := db.GetVersion("rules", "velocity", 2); err != nil || v.Source != "rule v2" {
			t.Fatalf("GetVersion(2) = %+v, %v", v, err)
		}
		if _, err := db.GetVersion("rules", "velocity", 9); !errors.Is(err, ErrNotFound) {
			t.Fatalf("GetVersion(9): %v", err)
		}
		if vs, err := db.Versions("rules", "takeover"); err != nil || len(vs) != 1 {
			t.Fatalf("history of a deleted one: %v, %v", vs, err)
		}
		if _, err := db.Versions("rules", "nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Versions(nope): %v", err)
		}
		for kind, want := range map[string][]string{
			"rules": {"velocity"}, "streams": {"txn"}, "features": {"velocity"}, "tables": nil,
		} {
			ds, err := db.ListDefinitions(kind)
			var names []string
			for _, d := range ds {
				names = append(names, d.Name)
			}
			if err != nil || !slices.Equal(names, want) {
				t.Errorf("ListDefinitions(%s) = %v, %v; want %v", kind, names, err, want)
			}
		}
	}
	check(db)
	db = reopen(t, db, dir, Options{NoSync: true})
	check(db)
	// After a delete, numbering goes on.
	if v, err := db.PutDefinition("rules", "takeover", Definition{Source: "t2"}, 0); err != nil || v != 2 {
		t.Fatalf("re-create = %d, %v; want 2", v, err)
	}
	if d, err := db.GetDefinition("rules", "takeover"); err != nil || d.Deleted || d.Mode != ModeLive {
		t.Fatalf("re-created: %+v, %v", d, err)
	}
	if err := db.Healthy(); err != nil {
		t.Fatalf("Healthy after refused writes: %v", err)
	}
}
