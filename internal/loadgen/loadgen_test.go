package loadgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// Each request holds batch events, unique ids, and one scenario on its own
// card: three small payments, then the big one that names the request.
func TestRequest(t *testing.T) {
	g := &generator{rng: rand.New(rand.NewPCG(1, 1)), batch: 100, cards: 10}
	ids := map[string]bool{}
	for k := range 200 {
		lines := bytes.Split(bytes.TrimSuffix(g.request(nil, k, time.UnixMilli(1e12)), []byte("\n")), []byte("\n"))
		if len(lines) != 100 {
			t.Fatalf("request %d: %d lines", k, len(lines))
		}
		var small, big int
		for _, l := range lines {
			var ev struct {
				ID     string
				Card   string `json:"card_id"`
				Amount float64
			}
			if err := json.Unmarshal(l, &ev); err != nil {
				t.Fatal(err)
			}
			id := ev
			if ids[id.ID] {
				t.Fatalf("id %s twice", id.ID)
			}
			ids[id.ID] = true
			if ev.Card != fmt.Sprintf("s%d", k) {
				if ev.Amount < 20 || ev.Amount > 220 {
					t.Fatalf("ordinary payment %s", l)
				}
				continue
			}
			switch {
			case ev.Amount < 2 && big == 0:
				small++
			case ev.Amount > 500 && small == 3 && id.ID == fmt.Sprintf("b%d", k):
				big++
			default:
				t.Fatalf("request %d: scenario event %s out of place", k, l)
			}
		}
		if small != 3 || big != 1 {
			t.Fatalf("request %d: %d small, %d big", k, small, big)
		}
	}
	if k, ok := alertRequest([]byte(`{"rule":"card_testing","events":{"small":[{"id":"s7_0"}],"big":[{"id":"b7"}]}}`)); !ok || k != 7 {
		t.Errorf("alertRequest: %d, %v", k, ok)
	}
}
