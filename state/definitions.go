package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Definitions: the streams, tables, features and rules deployed through
// the API, each kind a namespace of names, every deploy a new version.
// Each name has a head (the current definition: its version, its mode, and
// whether it was deleted) and one immutable record per version, as it was
// deployed.

// Modes of a definition (rules; other kinds are always live).
const (
	ModeLive     = "live"
	ModeShadow   = "shadow"
	ModeDisabled = "disabled"
)

// Definition is one version of a declaration, as deployed.
type Definition struct {
	Kind       string    `json:"kind"`
	Name       string    `json:"name"`
	Source     string    `json:"source"` // KRL text
	Mode       string    `json:"mode"`   // live, shadow or disabled
	Author     string    `json:"author,omitempty"`
	DeployedAt time.Time `json:"deployed_at"`
	Version    int       `json:"version"`
	Deleted    bool      `json:"deleted,omitempty"`
	// ModeChangedAt is when SetMode last changed the mode (head only).
	ModeChangedAt time.Time `json:"mode_changed_at,omitzero"`
}

func defKey(tag byte, kind, name string) []byte {
	b := append(prefix(tag), kind...)
	b = append(b, 0)
	b = append(b, name...)
	if tag == tagDefVersion {
		b = append(b, 0)
	}
	return b
}

func defVersionKey(kind, name string, v int) []byte {
	return appendU64(defKey(tagDefVersion, kind, name), uint64(v))
}

func checkMode(mode string) (string, error) {
	switch mode {
	case "":
		return ModeLive, nil
	case ModeLive, ModeShadow, ModeDisabled:
		return mode, nil
	}
	return "", fmt.Errorf("%w: mode %q (want live, shadow or disabled)", ErrInvalid, mode)
}

func checkKindName(kind, name string) error {
	if err := checkName("kind", kind); err != nil {
		return err
	}
	return checkName("name", name)
}

// getDef reads the definition at key; ok is false when there is none.
func getDef(txn *badger.Txn, key []byte) (d Definition, ok bool, err error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return d, false, nil
	}
	if err == nil {
		err = item.Value(func(v []byte) error { return json.Unmarshal(v, &d) })
	}
	if err != nil {
		return d, false, fmt.Errorf("%w: definition %x: %v", ErrCorrupt, key, err)
	}
	return d, true, nil
}

func setDef(txn *badger.Txn, key []byte, d *Definition) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return txn.Set(key, b)
}

// PutDefinition stores d as the next version of kind/name and returns that
// version (1 for a new name; numbering goes on after a delete). With
// ifMatch > 0 it fails with ErrVersionConflict unless ifMatch is the
// current version. An empty Mode is live; a zero DeployedAt is now.
func (db *DB) PutDefinition(kind, name string, d Definition, ifMatch int) (int, error) {
	if err := checkKindName(kind, name); err != nil {
		return 0, err
	}
	mode, err := checkMode(d.Mode)
	if err != nil {
		return 0, err
	}
	d.Kind, d.Name, d.Mode, d.Deleted, d.ModeChangedAt = kind, name, mode, false, time.Time{}
	if d.DeployedAt.IsZero() {
		d.DeployedAt = time.Now().UTC()
	}
	err = db.updateDefs(func(txn *badger.Txn) error {
		head, ok, err := getDef(txn, defKey(tagDefHead, kind, name))
		if err != nil {
			return err
		}
		if ifMatch > 0 && (!ok || head.Deleted || head.Version != ifMatch) {
			cur := 0
			if ok && !head.Deleted {
				cur = head.Version
			}
			return fmt.Errorf("%w: %s/%s is at version %d, not %d", ErrVersionConflict, kind, name, cur, ifMatch)
		}
		d.Version = head.Version + 1
		if err := setDef(txn, defVersionKey(kind, name, d.Version), &d); err != nil {
			return err
		}
		return setDef(txn, defKey(tagDefHead, kind, name), &d)
	})
	if err != nil {
		return 0, err
	}
	return d.Version, nil
}

// updateDefs runs fn in one transaction; definition writes are serialized.
func (db *DB) updateDefs(fn func(txn *badger.Txn) error) error {
	if err := db.enter(); err != nil {
		return err
	}
	defer db.life.RUnlock()
	db.defs.Lock()
	defer db.defs.Unlock()
	txn := db.bdb.NewTransaction(true)
	defer txn.Discard()
	if err := fn(txn); err != nil {
		return err // not a write failure: Healthy is unchanged
	}
	return db.wrote("definitions", txn.Commit())
}

func (db *DB) viewDefs(fn func(txn *badger.Txn) error) error {
	if err := db.enter(); err != nil {
		return err
	}
	defer db.life.RUnlock()
	return db.bdb.View(fn)
}

// GetDefinition returns the current definition of kind/name, or
// ErrNotFound (also when it was deleted).
func (db *DB) GetDefinition(kind, name string) (Definition, error) {
	if err := checkKindName(kind, name); err != nil {
		return Definition{}, err
	}
	var d Definition
	err := db.viewDefs(func(txn *badger.Txn) error {
		var ok bool
		var err error
		d, ok, err = getDef(txn, defKey(tagDefHead, kind, name))
		if err == nil && (!ok || d.Deleted) {
			err = fmt.Errorf("%w: %s/%s", ErrNotFound, kind, name)
		}
		return err
	})
	return d, err
}

// ListDefinitions returns the current definitions of a kind, by name,
// without the deleted ones.
func (db *DB) ListDefinitions(kind string) ([]Definition, error) {
	if err := checkName("kind", kind); err != nil {
		return nil, err
	}
	var out []Definition
	err := db.viewDefs(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.Prefix = defKey(tagDefHead, kind, "")
		it := txn.NewIterator(o)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var d Definition
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &d) }); err != nil {
				return fmt.Errorf("%w: definition %x: %v", ErrCorrupt, it.Item().Key(), err)
			}
			if !d.Deleted {
				out = append(out, d)
			}
		}
		return nil
	})
	return out, err
}

// Versions returns every version of kind/name, newest first, deleted or
// not; ErrNotFound when there is none.
func (db *DB) Versions(kind, name string) ([]Definition, error) {
	if err := checkKindName(kind, name); err != nil {
		return nil, err
	}
	var out []Definition
	err := db.viewDefs(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.Prefix = defKey(tagDefVersion, kind, name)
		o.Reverse = true
		it := txn.NewIterator(o)
		defer it.Close()
		for it.Seek(defVersionKey(kind, name, 1<<62)); it.Valid(); it.Next() {
			var d Definition
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &d) }); err != nil {
				return fmt.Errorf("%w: definition %x: %v", ErrCorrupt, it.Item().Key(), err)
			}
			out = append(out, d)
		}
		if len(out) == 0 {
			return fmt.Errorf("%w: %s/%s", ErrNotFound, kind, name)
		}
		return nil
	})
	return out, err
}

// GetVersion returns version v of kind/name as it was deployed.
func (db *DB) GetVersion(kind, name string, v int) (Definition, error) {
	if err := checkKindName(kind, name); err != nil {
		return Definition{}, err
	}
	var d Definition
	err := db.viewDefs(func(txn *badger.Txn) error {
		var ok bool
		var err error
		d, ok, err = getDef(txn, defVersionKey(kind, name, v))
		if err == nil && !ok {
			err = fmt.Errorf("%w: %s/%s version %d", ErrNotFound, kind, name, v)
		}
		return err
	})
	return d, err
}

// DeleteDefinition deletes kind/name: it is no longer current, and its
// versions are kept. ErrNotFound when it is not there.
func (db *DB) DeleteDefinition(kind, name string) error {
	if err := checkKindName(kind, name); err != nil {
		return err
	}
	return db.updateDefs(func(txn *badger.Txn) error {
		key := defKey(tagDefHead, kind, name)
		head, ok, err := getDef(txn, key)
		if err != nil {
			return err
		}
		if !ok || head.Deleted {
			return fmt.Errorf("%w: %s/%s", ErrNotFound, kind, name)
		}
		head.Deleted = true
		return setDef(txn, key, &head)
	})
}

// SetMode changes the mode of the current version in place and returns
// the definition: not a new version, because a mode change does not change
// what the rule is — its alert ids (which hash the version) and its partial
// matches carry on. The version records keep the mode they were deployed
// with; the head (GetDefinition, ListDefinitions) has the current one.
func (db *DB) SetMode(kind, name, mode string) (Definition, error) {
	if err := checkKindName(kind, name); err != nil {
		return Definition{}, err
	}
	if mode == "" {
		return Definition{}, fmt.Errorf("%w: empty mode", ErrInvalid)
	}
	mode, err := checkMode(mode)
	if err != nil {
		return Definition{}, err
	}
	var head Definition
	err = db.updateDefs(func(txn *badger.Txn) error {
		key := defKey(tagDefHead, kind, name)
		var ok bool
		var err error
		head, ok, err = getDef(txn, key)
		if err != nil {
			return err
		}
		if !ok || head.Deleted {
			return fmt.Errorf("%w: %s/%s", ErrNotFound, kind, name)
		}
		head.Mode, head.ModeChangedAt = mode, time.Now().UTC()
		return setDef(txn, key, &head)
	})
	return head, err
}

// Rollback deploys the source of version v of kind/name again, as a new
// version with the current mode, and returns that version.
func (db *DB) Rollback(kind, name string, v int, author string) (int, error) {
	old, err := db.GetVersion(kind, name, v)
	if err != nil {
		return 0, err
	}
	mode := old.Mode
	if cur, err := db.GetDefinition(kind, name); err == nil {
		mode = cur.Mode
	}
	return db.PutDefinition(kind, name, Definition{Source: old.Source, Mode: mode, Author: author}, 0)
}
