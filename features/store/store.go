package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kestrelcep/kestrel/expr"
)

// Store keeps the latest value of every (feature, key) and serves it.
// Embedded and Redis implement it; both are safe for concurrent use.
//
// A package that only reads or only writes features should declare the
// narrower interface it needs (a Getter, a Putter) next to its own code.
type Store interface {
	// Put stores a batch of values. Within a batch, the last entry for a
	// (feature, key) wins; across batches, the last Put wins (there is no
	// comparison of AsOf). An invalid entry fails the whole batch before
	// anything is stored.
	Put(ctx context.Context, entries []Entry) error

	// Get looks up every feature of features for every key of keys in one
	// call. It returns one Result per key, in the order of keys, each with
	// one Stored per feature, in the order of features. A (feature, key)
	// that has no value has Found false; that is not an error.
	Get(ctx context.Context, features []string, keys []string) ([]Result, error)

	// Close releases the store. Put and Get fail with ErrClosed afterwards.
	Close() error
}

// Entry is one value to store.
type Entry struct {
	Feature string // the feature's name; not empty
	// Key identifies the entity: the value of the feature's `by` field, or
	// an encoding of several fields chosen by the caller (a composite key),
	// or "" for a feature without `by`. The store treats it as opaque bytes.
	Key     string
	Value   expr.Value
	AsOf    int64 // event time (epoch ms) the value is as of
	Expires int64 // event time (epoch ms) after which the value is stale: last event + window; math.MaxInt64 for never

	// TTL is how long Redis keeps the value after it is written (wall
	// clock): the feature's retention, window + offset + allowed lateness.
	// 0 takes RedisOptions.TTL; NoExpiry keeps it until overwritten.
	// The embedded store ignores it (see Embedded.DeleteExpired).
	TTL time.Duration
}

// MaxKeyLen bounds the length of a key and of a feature name, in bytes
// (Badger refuses keys longer than 65000).
const MaxKeyLen = 16 << 10

// NoExpiry as an Entry's TTL keeps the value in Redis without expiry.
const NoExpiry time.Duration = -1

// Stored is one looked-up value.
type Stored struct {
	Value   expr.Value
	AsOf    int64 // event time (epoch ms) the value is as of
	Expires int64 // event time after which the value is stale
	Found   bool  // false: no value is stored; the other fields are zero
}

// Stale reports whether a found value no longer holds at event time at:
// the window has moved past the last event that made it.
func (s Stored) Stale(at int64) bool { return s.Found && at > s.Expires }

// Result holds the values of one key, one per requested feature.
type Result struct {
	Key    string
	Values []Stored // in the order of the requested features

	// Local is set by the Redis store when Redis could not be reached and
	// the values come from the in-process copy of what this instance wrote:
	// they may be behind values written by other instances, and keys that
	// only other instances wrote are not found.
	Local bool
}

// Errors. Compare with errors.Is.
var (
	// ErrClosed: the store has been closed.
	ErrClosed = errors.New("feature store is closed")
	// ErrInvalidEntry: an entry cannot be stored (no feature name, or a
	// value of an unknown type). The batch is not stored.
	ErrInvalidEntry = errors.New("invalid feature entry")
	// ErrQueueFull: Redis is unreachable and the queue of writes waiting
	// for it is full; the entries that did not fit are only in the local
	// copy and are counted in kestrel_feature_store_dropped_writes_total.
	ErrQueueFull = errors.New("feature store write queue is full")
	// ErrUnreachable: NewRedis could not reach Redis.
	ErrUnreachable = errors.New("redis is unreachable")
	// ErrCorrupt: a stored value cannot be decoded.
	ErrCorrupt = errors.New("corrupt feature value")
)

// validate checks a batch before any of it is stored.
func validate(entries []Entry) error {
	for i := range entries {
		e := &entries[i]
		if e.Feature == "" {
			return fmt.Errorf("%w: entry %d (key %q) has no feature name", ErrInvalidEntry, i, e.Key)
		}
		if len(e.Key) > MaxKeyLen || len(e.Feature) > MaxKeyLen {
			return fmt.Errorf("%w: entry %d (%.40q...) has a key or feature name longer than %d bytes", ErrInvalidEntry, i, e.Feature+"/"+e.Key, MaxKeyLen)
		}
		if e.Value.Type > expr.Duration {
			return fmt.Errorf("%w: entry %d (%s/%q) has a value of unknown type %v", ErrInvalidEntry, i, e.Feature, e.Key, e.Value.Type)
		}
	}
	return nil
}

// canonical keeps only the field of v that its type uses, so that both
// stores return exactly what the encoding can carry.
func canonical(v expr.Value) expr.Value {
	switch v.Type {
	case expr.Null:
		return expr.Value{}
	case expr.Float:
		return expr.Value{Type: expr.Float, F: v.F}
	case expr.String:
		return expr.Value{Type: expr.String, S: v.S}
	default: // Bool, Int, Time, Duration
		return expr.Value{Type: v.Type, I: v.I}
	}
}
