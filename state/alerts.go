package state

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The alert store behind GET /v1/alerts: alerts by id, and three indexes
// in time order, newest first: all alerts, by rule, and by key. Each index
// entry's value is the alert's summary (every field but the JSON), so that
// filters and counts need not read the records.

// StoredAlert is an alert or timeout record as the store keeps it: the
// fields the API filters on, and the record's JSON (alerts.Record's
// AppendJSON) as it is served.
type StoredAlert struct {
	ID      string // deterministic alert id: the store's key
	Rule    string
	Version int    // the rule's version
	Key     []byte // the partition key as JSON
	Kind    string // match or timeout
	Output  string // alerts, shadow, timeouts or a `to NAME` output
	Mode    string // live or shadow
	Time    int64  // epoch ms: when it fired
	JSON    []byte // the record
}

// AlertQuery selects alerts; zero fields do not filter.
type AlertQuery struct {
	Rule    string
	Version int    // with Rule: only this version
	Key     []byte // the key as JSON, byte for byte as stored
	Kind    string
	Output  string
	Mode    string
	Since   int64 // epoch ms, inclusive
	Until   int64 // epoch ms, exclusive
	Limit   int   // default 100, at most 1000
	Cursor  string
}

// Limits of AlertQuery.Limit.
const (
	DefaultAlertLimit = 100
	MaxAlertLimit     = 1000
)

type alertStore struct {
	mu sync.Mutex // serializes PutAlerts, so that the check for an id and its write are one step
}

func alertKey(id string) []byte { return append(prefix(tagAlert), id...) }

// indexKey is the key of an alert in index tag: the index's prefix (with
// the rule or key), the alert's position (inverted time, id).
func indexPrefix(tag byte, part []byte) []byte {
	p := prefix(tag)
	if tag != tagAlertTime {
		p = appendLen(p, part)
	}
	return p
}

func appendPosition(dst []byte, ms int64, id string) []byte {
	return append(appendU64(dst, invTime(ms)), id...)
}

// encodeAlert appends the summary of a (every field but JSON) and, when
// withJSON, the JSON.
func encodeAlert(dst []byte, a *StoredAlert, withJSON bool) []byte {
	dst = appendLen(dst, []byte(a.ID))
	dst = appendLen(dst, []byte(a.Rule))
	dst = binary.AppendUvarint(dst, uint64(a.Version))
	dst = appendLen(dst, a.Key)
	dst = appendLen(dst, []byte(a.Kind))
	dst = appendLen(dst, []byte(a.Output))
	dst = appendLen(dst, []byte(a.Mode))
	dst = binary.BigEndian.AppendUint64(dst, uint64(a.Time))
	if withJSON {
		dst = append(dst, a.JSON...)
	}
	return dst
}

// decodeAlert decodes what encodeAlert wrote; JSON is what follows the
// summary and points into b.
func decodeAlert(b []byte) (StoredAlert, error) {
	var a StoredAlert
	var id, rule, kind, output, mode []byte
	ok := true
	next := func(dst *[]byte) {
		if ok {
			*dst, b, ok = cutLen(b)
		}
	}
	next(&id)
	next(&rule)
	if ok {
		v, w := binary.Uvarint(b)
		if w <= 0 {
			ok = false
		} else {
			a.Version, b = int(v), b[w:]
		}
	}
	next(&a.Key)
	next(&kind)
	next(&output)
	next(&mode)
	if !ok || len(b) < 8 {
		return a, fmt.Errorf("%w: alert record", ErrCorrupt)
	}
	a.ID, a.Rule, a.Kind, a.Output, a.Mode = string(id), string(rule), string(kind), string(output), string(mode)
	a.Key = bytes.Clone(a.Key)
	a.Time = int64(binary.BigEndian.Uint64(b))
	a.JSON = b[8:]
	return a, nil
}

// PutAlerts stores alerts. An alert whose id is already stored is left as
// it is, so a replayed alert is dropped. The alerts of one call are written
// together (in several transactions when there are very many); each is
// kept for Options.AlertRetention from now.
func (db *DB) PutAlerts(recs []StoredAlert) error {
	for i := range recs {
		if err := checkName("alert id", recs[i].ID); err != nil {
			return err
		}
	}
	if err := db.enter(); err != nil {
		return err
	}
	defer db.life.RUnlock()
	db.alerts.mu.Lock()
	defer db.alerts.mu.Unlock()
	maxCount, maxSize := db.txnLimits()
	txn := db.bdb.NewTransaction(true)
	defer func() { txn.Discard() }()
	var count, size int64
	seen := make(map[string]bool, len(recs))
	for i := range recs {
		a := &recs[i]
		if seen[a.ID] {
			continue
		}
		seen[a.ID] = true
		_, err := txn.Get(alertKey(a.ID))
		if err == nil {
			continue
		}
		if !errors.Is(err, badger.ErrKeyNotFound) {
			return db.wrote("put alerts", err)
		}
		rec := encodeAlert(nil, a, true)
		sum := rec[:len(rec)-len(a.JSON)]
		pos := appendPosition(nil, a.Time, a.ID)
		entries := []*badger.Entry{
			badger.NewEntry(alertKey(a.ID), rec),
			badger.NewEntry(append(indexPrefix(tagAlertTime, nil), pos...), sum),
			badger.NewEntry(append(indexPrefix(tagAlertRule, []byte(a.Rule)), pos...), sum),
			badger.NewEntry(append(indexPrefix(tagAlertKey, a.Key), pos...), sum),
		}
		var es int64
		for _, e := range entries {
			es += entrySize(len(e.Key), len(e.Value))
			if db.opts.AlertRetention > 0 {
				e.WithTTL(db.opts.AlertRetention)
			}
		}
		if count+4 > maxCount || size+es > maxSize {
			if err := txn.Commit(); err != nil {
				return db.wrote("put alerts", err)
			}
			txn = db.bdb.NewTransaction(true)
			count, size = 0, 0
		}
		for _, e := range entries {
			if err := txn.SetEntry(e); err != nil {
				return db.wrote("put alerts", err)
			}
		}
		count, size = count+4, size+es
	}
	return db.wrote("put alerts", txn.Commit())
}

// GetAlert returns the alert with the id, or ErrNotFound.
func (db *DB) GetAlert(id string) (StoredAlert, error) {
	if err := db.enter(); err != nil {
		return StoredAlert{}, err
	}
	defer db.life.RUnlock()
	var a StoredAlert
	err := db.bdb.View(func(txn *badger.Txn) error {
		var err error
		a, err = getAlert(txn, id)
		return err
	})
	return a, err
}

func getAlert(txn *badger.Txn, id string) (StoredAlert, error) {
	item, err := txn.Get(alertKey(id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return StoredAlert{}, fmt.Errorf("%w: alert %q", ErrNotFound, id)
	}
	if err != nil {
		return StoredAlert{}, err
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return StoredAlert{}, err
	}
	return decodeAlert(v)
}

// QueryAlerts returns the alerts q selects, newest first (equal times in
// id order), at most q.Limit of them, and a cursor for the next page ("" at
// the end). A cursor is a position in that order, so paging is stable
// while alerts are added: an alert is never returned twice, and every
// alert stored before the first page is returned once.
func (db *DB) QueryAlerts(q AlertQuery) ([]StoredAlert, string, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultAlertLimit
	}
	limit = min(limit, MaxAlertLimit)
	var out []StoredAlert
	var next string
	err := db.scanAlerts(q, func(txn *badger.Txn, sum *StoredAlert) (bool, error) {
		if len(out) == limit {
			last := out[len(out)-1]
			next = base64.RawURLEncoding.EncodeToString(appendPosition(nil, last.Time, last.ID))
			return false, nil
		}
		a, err := getAlert(txn, sum.ID)
		if err != nil {
			return false, err
		}
		out = append(out, a)
		return true, nil
	})
	return out, next, err
}

// CountAlerts counts the alerts q selects (Limit and Cursor aside); with
// Rule, Version and Since, "alerts of version 3 over the last hour".
func (db *DB) CountAlerts(q AlertQuery) (int, error) {
	q.Cursor = ""
	n := 0
	err := db.scanAlerts(q, func(*badger.Txn, *StoredAlert) (bool, error) {
		n++
		return true, nil
	})
	return n, err
}

// scanAlerts calls fn with the summary of each alert q selects, in order,
// until fn returns false.
func (db *DB) scanAlerts(q AlertQuery, fn func(txn *badger.Txn, sum *StoredAlert) (bool, error)) error {
	var pfx []byte
	switch {
	case q.Key != nil:
		pfx = indexPrefix(tagAlertKey, q.Key)
	case q.Rule != "":
		pfx = indexPrefix(tagAlertRule, []byte(q.Rule))
	default:
		pfx = indexPrefix(tagAlertTime, nil)
	}
	start := pfx
	if q.Until != 0 {
		start = appendU64(append([]byte(nil), pfx...), invTime(q.Until-1))
	}
	var after []byte // the cursor's entry, itself excluded
	if q.Cursor != "" {
		pos, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil || len(pos) < 8 {
			return fmt.Errorf("%w: malformed cursor", ErrInvalid)
		}
		after = append(append([]byte(nil), pfx...), pos...)
		if string(after) > string(start) {
			start = after
		}
	}
	if err := db.enter(); err != nil {
		return err
	}
	defer db.life.RUnlock()
	return db.bdb.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.PrefetchValues = false
		o.Prefix = pfx
		it := txn.NewIterator(o)
		defer it.Close()
		for it.Seek(start); it.Valid(); it.Next() {
			item := it.Item()
			k := item.Key()
			if after != nil && string(k) == string(after) {
				continue
			}
			if len(k) < len(pfx)+8 {
				return fmt.Errorf("%w: alert index key %x", ErrCorrupt, k)
			}
			if q.Since != 0 && uninvTime(binary.BigEndian.Uint64(k[len(pfx):])) < q.Since {
				return nil
			}
			var sum StoredAlert
			if err := item.Value(func(v []byte) error {
				var err error
				sum, err = decodeAlert(v)
				return err
			}); err != nil {
				return err
			}
			if !q.matches(&sum) {
				continue
			}
			more, err := fn(txn, &sum)
			if err != nil || !more {
				return err
			}
		}
		return nil
	})
}

func (q *AlertQuery) matches(a *StoredAlert) bool {
	return (q.Rule == "" || a.Rule == q.Rule) &&
		(q.Version == 0 || a.Version == q.Version) &&
		(q.Key == nil || string(a.Key) == string(q.Key)) &&
		(q.Kind == "" || a.Kind == q.Kind) &&
		(q.Output == "" || a.Output == q.Output) &&
		(q.Mode == "" || a.Mode == q.Mode)
}

// ExpireAlerts deletes the alerts that fired before the given time and
// returns how many. (Options.AlertRetention also expires alerts, counted
// from when they were stored.)
func (db *DB) ExpireAlerts(before time.Time) (int, error) {
	if err := db.enter(); err != nil {
		return 0, err
	}
	defer db.life.RUnlock()
	db.alerts.mu.Lock()
	defer db.alerts.mu.Unlock()
	pfx := indexPrefix(tagAlertTime, nil)
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	n := 0
	err := db.bdb.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.PrefetchValues = false
		o.Prefix = pfx
		it := txn.NewIterator(o)
		defer it.Close()
		for it.Seek(appendU64(append([]byte(nil), pfx...), invTime(before.UnixMilli()-1))); it.Valid(); it.Next() {
			var sum StoredAlert
			if err := it.Item().Value(func(v []byte) error {
				var err error
				sum, err = decodeAlert(v)
				return err
			}); err != nil {
				return err
			}
			pos := appendPosition(nil, sum.Time, sum.ID)
			for _, k := range [][]byte{
				alertKey(sum.ID),
				append(indexPrefix(tagAlertTime, nil), pos...),
				append(indexPrefix(tagAlertRule, []byte(sum.Rule)), pos...),
				append(indexPrefix(tagAlertKey, sum.Key), pos...),
			} {
				if err := wb.Delete(k); err != nil {
					return err
				}
			}
			n++
		}
		return nil
	})
	if err == nil {
		err = wb.Flush()
	}
	return n, db.wrote("expire alerts", err)
}
