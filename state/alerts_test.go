package state

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

func alert(id, rule string, version int, key, kind, output string, ms int64) StoredAlert {
	return StoredAlert{
		ID: id, Rule: rule, Version: version, Key: []byte(key), Kind: kind, Output: output,
		Mode: map[string]string{"shadow": "shadow"}[output], Time: ms,
		JSON: fmt.Appendf(nil, `{"id":%q,"rule":%q}`, id, rule),
	}
}

func ids(as []StoredAlert) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func TestAlertsPutGetQuery(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir, Options{NoSync: true})
	all := []StoredAlert{
		alert("a1", "velocity", 1, `"c1"`, "match", "alerts", 1000),
		alert("a2", "velocity", 2, `"c2"`, "match", "alerts", 2000),
		alert("a3", "takeover", 1, `"c1"`, "timeout", "timeouts", 3000),
		alert("a4", "velocity", 2, `"c1"`, "match", "shadow", 4000),
		alert("a5", "takeover", 1, `["c1","m9"]`, "match", "alerts", 4000),
	}
	if err := db.PutAlerts(all[:3]); err != nil {
		t.Fatal(err)
	}
	// A second put of the same id is a no-op, even with other contents.
	again := alert("a1", "other", 9, `"zz"`, "match", "alerts", 9999)
	if err := db.PutAlerts(append([]StoredAlert{again}, all[3:]...)); err != nil {
		t.Fatal(err)
	}
	check := func(db *DB) {
		t.Helper()
		a, err := db.GetAlert("a1")
		if err != nil || a.Rule != "velocity" || a.Time != 1000 || string(a.JSON) != string(all[0].JSON) || string(a.Key) != `"c1"` {
			t.Fatalf("GetAlert(a1) = %+v, %v", a, err)
		}
		if _, err := db.GetAlert("nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("GetAlert(nope): %v", err)
		}
		cases := []struct {
			name string
			q    AlertQuery
			want []string
		}{
			{"all", AlertQuery{}, []string{"a4", "a5", "a3", "a2", "a1"}},
			{"rule", AlertQuery{Rule: "velocity"}, []string{"a4", "a2", "a1"}},
			{"rule+version", AlertQuery{Rule: "velocity", Version: 2}, []string{"a4", "a2"}},
			{"key", AlertQuery{Key: []byte(`"c1"`)}, []string{"a4", "a3", "a1"}},
			{"composite key", AlertQuery{Key: []byte(`["c1","m9"]`)}, []string{"a5"}},
			{"key+rule", AlertQuery{Key: []byte(`"c1"`), Rule: "takeover"}, []string{"a3"}},
			{"kind", AlertQuery{Kind: "timeout"}, []string{"a3"}},
			{"output", AlertQuery{Output: "shadow"}, []string{"a4"}},
			{"mode", AlertQuery{Mode: "shadow"}, []string{"a4"}},
			{"since", AlertQuery{Since: 3000}, []string{"a4", "a5", "a3"}},
			{"until", AlertQuery{Until: 3000}, []string{"a2", "a1"}},
			{"since+until", AlertQuery{Since: 2000, Until: 4000}, []string{"a3", "a2"}},
			{"rule+since", AlertQuery{Rule: "velocity", Since: 1500}, []string{"a4", "a2"}},
			{"none", AlertQuery{Rule: "nope"}, []string{}},
		}
		for _, c := range cases {
			got, next, err := db.QueryAlerts(c.q)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if !slices.Equal(ids(got), c.want) || next != "" {
				t.Errorf("%s: %v (next %q), want %v", c.name, ids(got), next, c.want)
			}
			n, err := db.CountAlerts(c.q)
			if err != nil || n != len(c.want) {
				t.Errorf("%s: CountAlerts = %d, %v; want %d", c.name, n, err, len(c.want))
			}
		}
	}
	check(db)
	check(reopen(t, db, dir, Options{NoSync: true}))
}

func TestAlertsBadCursor(t *testing.T) {
	db := open(t, "", Options{NoSync: true})
	for _, c := range []string{"!!!", "AAAA"} {
		if _, _, err := db.QueryAlerts(AlertQuery{Cursor: c}); !errors.Is(err, ErrInvalid) {
			t.Errorf("cursor %q: %v, want ErrInvalid", c, err)
		}
	}
}

// Paging through all alerts while others are inserted: every alert stored
// before the first page is seen exactly once, none twice, in order.
func TestAlertsPaginationWhileInserting(t *testing.T) {
	for _, c := range []struct {
		name string
		q    AlertQuery
	}{
		{"all", AlertQuery{Limit: 7}},
		{"rule", AlertQuery{Rule: "r1", Limit: 5}},
		{"key since", AlertQuery{Key: []byte(`"k2"`), Since: 100, Limit: 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := open(t, "", Options{NoSync: true})
			rng := rand.New(rand.NewPCG(1, 2))
			mk := func(i int) StoredAlert {
				// Few distinct times, so that many alerts share one.
				return alert(fmt.Sprintf("id%05d", i), fmt.Sprintf("r%d", rng.IntN(3)), 1,
					fmt.Sprintf(`"k%d"`, rng.IntN(4)), "match", "alerts", int64(rng.IntN(50)*10))
			}
			var initial []StoredAlert
			for i := range 300 {
				initial = append(initial, mk(i))
			}
			if err := db.PutAlerts(initial); err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{}
			for i := range initial {
				if c.q.matches(&initial[i]) && initial[i].Time >= c.q.Since {
					want[initial[i].ID] = true
				}
			}
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { // inserts, older and newer, while paging
				defer wg.Done()
				irng := rand.New(rand.NewPCG(3, 4))
				for i := 1000; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					a := alert(fmt.Sprintf("new%05d", i), "r1", 1, `"k2"`, "match", "alerts", int64(irng.IntN(60)*10))
					if err := db.PutAlerts([]StoredAlert{a}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
			seen := map[string]bool{}
			q := c.q
			var prev *StoredAlert
			for pages := 0; ; pages++ {
				page, next, err := db.QueryAlerts(q)
				if err != nil {
					t.Fatal(err)
				}
				for i := range page {
					a := &page[i]
					if seen[a.ID] {
						t.Fatalf("alert %s seen twice", a.ID)
					}
					seen[a.ID] = true
					if prev != nil && (a.Time > prev.Time || a.Time == prev.Time && a.ID < prev.ID) {
						t.Fatalf("order: %s@%d after %s@%d", a.ID, a.Time, prev.ID, prev.Time)
					}
					prev = a
				}
				if next == "" {
					break
				}
				if len(page) != q.Limit {
					t.Fatalf("a short page (%d) with a next cursor", len(page))
				}
				q.Cursor = next
			}
			close(stop)
			wg.Wait()
			for id := range want {
				if !seen[id] {
					t.Errorf("alert %s never seen", id)
				}
			}
		})
	}
}

func TestAlertsExpire(t *testing.T) {
	db := open(t, "", Options{NoSync: true})
	var as []StoredAlert
	for i := range 10 {
		as = append(as, alert(fmt.Sprint("a", i), "r", 1, `"k"`, "match", "alerts", int64(i)*1000))
	}
	if err := db.PutAlerts(as); err != nil {
		t.Fatal(err)
	}
	n, err := db.ExpireAlerts(time.UnixMilli(4000))
	if err != nil || n != 4 {
		t.Fatalf("ExpireAlerts = %d, %v; want 4", n, err)
	}
	for _, q := range []AlertQuery{{}, {Rule: "r"}, {Key: []byte(`"k"`)}} {
		if n, _ := db.CountAlerts(q); n != 6 {
			t.Errorf("%+v: %d alerts left, want 6", q, n)
		}
	}
	if _, err := db.GetAlert("a3"); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired alert: %v", err)
	}
	if _, err := db.GetAlert("a4"); err != nil {
		t.Errorf("kept alert: %v", err)
	}
}

func TestAlertsRetention(t *testing.T) {
	db := open(t, "", Options{NoSync: true, AlertRetention: time.Second})
	if err := db.PutAlerts([]StoredAlert{alert("a", "r", 1, `"k"`, "match", "alerts", 1)}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := db.GetAlert("a")
		n, _ := db.CountAlerts(AlertQuery{})
		if errors.Is(err, ErrNotFound) && n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("alert still there after its retention: %v, %d", err, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
