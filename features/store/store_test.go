package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

// testStore runs the behaviour every Store must have against the stores
// newStore makes (a fresh, empty one per case).
func testStore(t *testing.T, newStore func(t *testing.T) Store) {
	ctx := context.Background()
	cases := []struct {
		name string
		run  func(t *testing.T, s Store)
	}{
		{"put and get", func(t *testing.T, s Store) {
			mustPut(t, s, Entry{Feature: "spend_1h", Key: "c1", Value: expr.FloatValue(12.5), AsOf: 1000, Expires: 3601000})
			got := mustGet(t, s, []string{"spend_1h"}, []string{"c1"})
			want := Stored{Value: expr.FloatValue(12.5), AsOf: 1000, Expires: 3601000, Found: true}
			if got[0].Key != "c1" || len(got[0].Values) != 1 || !sameStored(got[0].Values[0], want) {
				t.Fatalf("got %+v, want key c1 with %+v", got, want)
			}
		}},
		{"batch of keys and features", func(t *testing.T, s Store) {
			feats := []string{"f0", "f1", "f2", "f3", "f4"}
			var es []Entry
			var keys []string
			for k := range 50 {
				key := fmt.Sprintf("key-%d", k)
				keys = append(keys, key)
				for f, name := range feats {
					es = append(es, Entry{Feature: name, Key: key, Value: expr.IntValue(int64(k*10 + f)), AsOf: int64(k), Expires: int64(k + f)})
				}
			}
			mustPut(t, s, es...)
			got := mustGet(t, s, feats, keys)
			if len(got) != len(keys) {
				t.Fatalf("%d results for %d keys", len(got), len(keys))
			}
			for k, r := range got {
				if r.Key != keys[k] || len(r.Values) != len(feats) {
					t.Fatalf("result %d: key %q with %d values", k, r.Key, len(r.Values))
				}
				for f, v := range r.Values {
					want := Stored{Value: expr.IntValue(int64(k*10 + f)), AsOf: int64(k), Expires: int64(k + f), Found: true}
					if !sameStored(v, want) {
						t.Fatalf("%s/%s: got %+v, want %+v", feats[f], keys[k], v, want)
					}
				}
			}
		}},
		{"missing keys and features", func(t *testing.T, s Store) {
			mustPut(t, s, Entry{Feature: "a", Key: "k1", Value: expr.IntValue(1), AsOf: 5, Expires: 6})
			got := mustGet(t, s, []string{"nope", "a"}, []string{"k0", "k1", "k2"})
			if len(got) != 3 {
				t.Fatalf("%d results", len(got))
			}
			for i, r := range got {
				if r.Values[0].Found {
					t.Errorf("key %q: unknown feature found: %+v", r.Key, r.Values[0])
				}
				if r.Values[1].Found != (i == 1) {
					t.Errorf("key %q: feature a found=%v", r.Key, r.Values[1].Found)
				}
				if !r.Values[0].Found && r.Values[0] != (Stored{}) {
					t.Errorf("key %q: a value not found is not zero: %+v", r.Key, r.Values[0])
				}
			}
			if got := mustGet(t, s, nil, []string{"k1"}); len(got) != 1 || got[0].Key != "k1" || len(got[0].Values) != 0 {
				t.Errorf("no features: got %+v", got)
			}
			if got := mustGet(t, s, []string{"a"}, nil); len(got) != 0 {
				t.Errorf("no keys: got %+v", got)
			}
		}},
		{"repeated key in a lookup", func(t *testing.T, s Store) {
			mustPut(t, s, Entry{Feature: "a", Key: "k", Value: expr.IntValue(7), AsOf: 1, Expires: 2})
			got := mustGet(t, s, []string{"a"}, []string{"k", "k"})
			if len(got) != 2 || got[0].Values[0].Value.I != 7 || got[1].Values[0].Value.I != 7 {
				t.Fatalf("got %+v", got)
			}
		}},
		{"overwrite", func(t *testing.T, s Store) {
			mustPut(t, s, Entry{Feature: "a", Key: "k", Value: expr.StringValue("first"), AsOf: 10, Expires: 20},
				Entry{Feature: "b", Key: "k", Value: expr.IntValue(1), AsOf: 10, Expires: 20})
			mustPut(t, s, Entry{Feature: "a", Key: "k", Value: expr.IntValue(2), AsOf: 11, Expires: 21})
			got := mustGet(t, s, []string{"a", "b"}, []string{"k"})[0].Values
			if !sameStored(got[0], Stored{Value: expr.IntValue(2), AsOf: 11, Expires: 21, Found: true}) {
				t.Errorf("a: got %+v", got[0])
			}
			if !sameStored(got[1], Stored{Value: expr.IntValue(1), AsOf: 10, Expires: 20, Found: true}) {
				t.Errorf("b (not overwritten): got %+v", got[1])
			}
			// The last Put wins even with an older AsOf.
			mustPut(t, s, Entry{Feature: "a", Key: "k", Value: expr.IntValue(3), AsOf: 5, Expires: 6})
			if got := mustGet(t, s, []string{"a"}, []string{"k"})[0].Values[0]; got.Value.I != 3 || got.AsOf != 5 {
				t.Errorf("older put: got %+v", got)
			}
		}},
		{"last wins within a batch", func(t *testing.T, s Store) {
			mustPut(t, s,
				Entry{Feature: "a", Key: "k", Value: expr.IntValue(1), AsOf: 30, Expires: 40},
				Entry{Feature: "b", Key: "k", Value: expr.IntValue(9), AsOf: 1, Expires: 2},
				Entry{Feature: "a", Key: "k", Value: expr.IntValue(2), AsOf: 10, Expires: 20},
			)
			got := mustGet(t, s, []string{"a", "b"}, []string{"k"})[0].Values
			if got[0].Value.I != 2 || got[0].AsOf != 10 || got[1].Value.I != 9 {
				t.Fatalf("got %+v", got)
			}
		}},
		{"types round trip", func(t *testing.T, s Store) {
			vals := roundTripValues()
			var es []Entry
			var feats []string
			for i, v := range vals {
				f := fmt.Sprintf("f%02d", i)
				feats = append(feats, f)
				es = append(es, Entry{Feature: f, Key: "k", Value: v.Value, AsOf: v.AsOf, Expires: v.Expires})
			}
			mustPut(t, s, es...)
			got := mustGet(t, s, feats, []string{"k"})[0].Values
			for i, v := range vals {
				v.Found = true
				if !sameStored(got[i], v) {
					t.Errorf("%s: got %+v, want %+v", feats[i], got[i], v)
				}
			}
		}},
		{"only the field of the type is kept", func(t *testing.T, s Store) {
			mustPut(t, s,
				Entry{Feature: "i", Key: "k", Value: expr.Value{Type: expr.Int, I: 4, F: 1.5, S: "x"}},
				Entry{Feature: "n", Key: "k", Value: expr.Value{Type: expr.Null, I: 4, S: "x"}},
				Entry{Feature: "s", Key: "k", Value: expr.Value{Type: expr.String, I: 4, S: "x"}},
			)
			got := mustGet(t, s, []string{"i", "n", "s"}, []string{"k"})[0].Values
			if got[0].Value != expr.IntValue(4) || got[1].Value != (expr.Value{}) || got[2].Value != expr.StringValue("x") {
				t.Fatalf("got %+v", got)
			}
		}},
		{"keys are opaque", func(t *testing.T, s Store) {
			keys := []string{"", "with space", "a:b:c", `["c1","FR"]`, "\x00\xff", "ключ", strings.Repeat("k", 1000)}
			var es []Entry
			for i, k := range keys {
				es = append(es, Entry{Feature: "f", Key: k, Value: expr.IntValue(int64(i)), AsOf: 1, Expires: 2})
			}
			mustPut(t, s, es...)
			for i, r := range mustGet(t, s, []string{"f"}, keys) {
				if !r.Values[0].Found || r.Values[0].Value.I != int64(i) {
					t.Errorf("key %q: got %+v", keys[i], r.Values[0])
				}
			}
		}},
		{"invalid entries store nothing", func(t *testing.T, s Store) {
			for _, bad := range []Entry{
				{Feature: "", Key: "k", Value: expr.IntValue(1)},
				{Feature: "f", Key: "k", Value: expr.Value{Type: 99}},
				{Feature: "f", Key: strings.Repeat("k", MaxKeyLen+1)},
			} {
				err := s.Put(ctx, []Entry{{Feature: "ok", Key: "k", Value: expr.IntValue(1)}, bad})
				if !errors.Is(err, ErrInvalidEntry) {
					t.Errorf("Put(%+v): %v, want ErrInvalidEntry", bad, err)
				}
			}
			if got := mustGet(t, s, []string{"ok"}, []string{"k"})[0].Values[0]; got.Found {
				t.Errorf("a valid entry of a rejected batch was stored: %+v", got)
			}
			mustPut(t, s) // an empty batch is fine
		}},
		{"large batch", func(t *testing.T, s Store) {
			const nkeys, nfeat = 5000, 4
			es := make([]Entry, 0, nkeys*nfeat)
			keys := make([]string, nkeys)
			feats := make([]string, nfeat)
			for f := range feats {
				feats[f] = fmt.Sprintf("feature_%d", f)
			}
			for k := range keys {
				keys[k] = fmt.Sprintf("card-%06d", k)
				for f := range feats {
					es = append(es, Entry{Feature: feats[f], Key: keys[k], Value: expr.IntValue(int64(k*nfeat + f)), AsOf: int64(k), Expires: int64(k) + 60000})
				}
			}
			mustPut(t, s, es...)
			got := mustGet(t, s, feats, keys)
			for k, r := range got {
				for f, v := range r.Values {
					if !v.Found || v.Value.I != int64(k*nfeat+f) || v.AsOf != int64(k) {
						t.Fatalf("%s/%s: got %+v", feats[f], keys[k], v)
					}
				}
			}
		}},
		{"concurrent puts and gets", func(t *testing.T, s Store) {
			// Writers put Value == AsOf, increasing, on shared keys; readers check
			// that a value read is whole (its value equals its AsOf).
			const writers, readers, rounds, nkeys = 4, 4, 200, 8
			keys := make([]string, nkeys)
			for i := range keys {
				keys[i] = fmt.Sprintf("k%d", i)
			}
			var wg sync.WaitGroup
			errs := make(chan error, writers+readers)
			for w := range writers {
				wg.Go(func() {
					for r := range rounds {
						v := int64(r*writers + w)
						var es []Entry
						for _, k := range keys {
							es = append(es, Entry{Feature: fmt.Sprintf("w%d", w%2), Key: k, Value: expr.IntValue(v), AsOf: v, Expires: v + 1})
						}
						if err := s.Put(ctx, es); err != nil {
							errs <- err
							return
						}
					}
				})
			}
			for range readers {
				wg.Go(func() {
					for range rounds {
						res, err := s.Get(ctx, []string{"w0", "w1"}, keys)
						if err != nil {
							errs <- err
							return
						}
						for _, r := range res {
							for _, v := range r.Values {
								if v.Found && (v.Value.I != v.AsOf || v.Expires != v.AsOf+1) {
									errs <- fmt.Errorf("torn value %+v", v)
									return
								}
							}
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			for _, r := range mustGet(t, s, []string{"w0", "w1"}, keys) {
				for _, v := range r.Values {
					if !v.Found {
						t.Fatalf("key %q: a value is missing after the writers finished", r.Key)
					}
				}
			}
		}},
		{"closed", func(t *testing.T, s Store) {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if err := s.Put(ctx, []Entry{{Feature: "a", Key: "k"}}); !errors.Is(err, ErrClosed) {
				t.Errorf("Put after Close: %v", err)
			}
			if _, err := s.Get(ctx, []string{"a"}, []string{"k"}); !errors.Is(err, ErrClosed) {
				t.Errorf("Get after Close: %v", err)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newStore(t)
			defer s.Close()
			c.run(t, s)
		})
	}
}

// roundTripValues covers every type and the edges of each.
func roundTripValues() []Stored {
	return []Stored{
		{Value: expr.Value{}, AsOf: 0, Expires: 0},
		{Value: expr.BoolValue(true), AsOf: 1, Expires: 2},
		{Value: expr.BoolValue(false), AsOf: 1, Expires: 2},
		{Value: expr.IntValue(0), AsOf: 1764000000000, Expires: 1764003600000},
		{Value: expr.IntValue(-1), AsOf: -5, Expires: -1},
		{Value: expr.IntValue(math.MaxInt64), AsOf: math.MinInt64, Expires: math.MaxInt64},
		{Value: expr.IntValue(math.MinInt64), AsOf: math.MaxInt64, Expires: math.MinInt64},
		{Value: expr.FloatValue(0), AsOf: 1, Expires: 1},
		{Value: expr.FloatValue(math.Copysign(0, -1)), AsOf: 1, Expires: 1},
		{Value: expr.FloatValue(753.25), AsOf: 1, Expires: 1},
		{Value: expr.FloatValue(-1e-300), AsOf: 1, Expires: 1},
		{Value: expr.FloatValue(math.MaxFloat64), AsOf: 1, Expires: 1},
		{Value: expr.FloatValue(math.Inf(1)), AsOf: 1, Expires: 1},
		{Value: expr.FloatValue(math.Inf(-1)), AsOf: 1, Expires: 1},
		{Value: expr.FloatValue(math.NaN()), AsOf: 1, Expires: 1},
		{Value: expr.StringValue(""), AsOf: 1, Expires: 1},
		{Value: expr.StringValue("FR"), AsOf: 1, Expires: 1},
		{Value: expr.StringValue("Zürich — 東京 🚀"), AsOf: 1, Expires: 1},
		{Value: expr.StringValue("\x00\x01\xff\r\n"), AsOf: 1, Expires: 1},
		{Value: expr.StringValue(strings.Repeat("x", 1<<16)), AsOf: 1, Expires: 1},
		{Value: expr.TimeValue(1764000000123), AsOf: 1764000000123, Expires: 1764000600123},
		{Value: expr.TimeValue(-86400000), AsOf: 1, Expires: 1},
		{Value: expr.DurationValue(600000), AsOf: 1, Expires: 1},
		{Value: expr.DurationValue(0), AsOf: 1, Expires: 1},
	}
}

// sameStored compares exactly, floats by their bits (NaN, -0).
func sameStored(a, b Stored) bool {
	if a.Value.Type == expr.Float && b.Value.Type == expr.Float {
		if math.Float64bits(a.Value.F) != math.Float64bits(b.Value.F) {
			return false
		}
		a.Value.F, b.Value.F = 0, 0
	}
	return a == b
}

func mustPut(t *testing.T, s Store, es ...Entry) {
	t.Helper()
	if err := s.Put(context.Background(), es); err != nil {
		t.Fatal(err)
	}
}

func mustGet(t *testing.T, s Store, features, keys []string) []Result {
	t.Helper()
	res, err := s.Get(context.Background(), features, keys)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestEmbeddedStore(t *testing.T) {
	for _, shards := range []int{1, 32} {
		t.Run(fmt.Sprintf("shards=%d", shards), func(t *testing.T) {
			testStore(t, func(t *testing.T) Store { return NewEmbedded(EmbeddedOptions{Shards: shards}) })
		})
	}
}
