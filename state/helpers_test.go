package state

import (
	"testing"
)

// open opens a DB in dir (a new temp dir when empty) and closes it when the
// test ends.
func open(t testing.TB, dir string, opts Options) *DB {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	db, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// reopen closes db and opens its directory again.
func reopen(t testing.TB, db *DB, dir string, opts Options) *DB {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return open(t, dir, opts)
}
