package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStory tells the whole story through HTTP alone, against the binary
// with API tokens: deploy a stream, a feature and a rule; post events; see
// the alert by query and by Server-Sent Events; deploy version 2 in shadow
// next to version 1 and compare their counts; promote it; roll back; query
// the feature as of a time; upload a dataset, replay it and read its scores.
func TestStory(t *testing.T) {
	data := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "kestrel.yaml")
	os.WriteFile(cfg, fmt.Appendf(nil, `data: %s
tokens:
  - {token: admin-secret, role: admin, name: ana}
  - {token: ingest-secret, role: ingest, name: gateway}
  - {token: analyst-secret, role: analyst, name: ben}
`, data), 0o644)
	s := startServe(t, "--config", cfg)
	defer s.stop(t)
	c := &client{t: t, base: "http://" + s.addr}

	// Definitions, live at once.
	c.do("admin", "PUT", "/v1/streams/txn", "text/plain", `stream txn (id string, card_id string, amount float, is_fraud bool, ts time)
  id id
  timestamp ts`, 201)
	c.do("admin", "PUT", "/v1/features/card_small_10m", "text/plain",
		`feature card_small_10m = count() of txn[amount < 2] by card_id over sliding 10m`, 201)
	c.do("admin", "PUT", "/v1/rules/card_testing", "text/plain", `rule card_testing
  severity high
  by card_id
  pattern big: txn[amount > 500 and card_small_10m >= 3]
  emit { small: card_small_10m }`, 201)
	c.do("analyst", "PUT", "/v1/rules/card_testing", "text/plain", "rule x pattern a: txn", 403) // analysts read

	// The live stream of alerts, before any event.
	sse := c.stream("analyst", "/v1/outputs/alerts/stream?rule=card_testing")

	// Events of the last hour: GET /v1/rules/{name} counts the alerts of
	// the last hour.
	day := time.Now().UTC().Truncate(time.Minute).Add(-50 * time.Minute)
	card := func(n int, id string, at time.Time) string {
		var b strings.Builder
		for i := range 3 {
			fmt.Fprintf(&b, `{"id":"%s-s%d","card_id":"%s","amount":1.0,"is_fraud":true,"ts":"%s"}`+"\n", id, i, id, at.Add(time.Duration(i)*time.Minute).Format(time.RFC3339))
		}
		fmt.Fprintf(&b, `{"id":"%s-big","card_id":"%s","amount":%d,"is_fraud":true,"ts":"%s"}`+"\n", id, id, n, at.Add(4*time.Minute).Format(time.RFC3339))
		return b.String()
	}
	c.do("ingest", "POST", "/v1/streams/txn/events", "application/x-ndjson", card(900, "c1", day), 202)
	c.do("admin", "POST", "/v1/streams/txn/events", "application/json", "{not json", 400)

	// The alert by query, and on the live stream.
	var page struct {
		Alerts []struct {
			ID      string
			Rule    string
			Version int
			Mode    string
			Key     string
			Fields  map[string]any
		}
	}
	c.poll("the alert by query", func() bool {
		c.getJSON("analyst", "/v1/alerts?rule=card_testing", &page)
		return len(page.Alerts) == 1
	})
	if a := page.Alerts[0]; a.Key != "c1" || a.Version != 1 || a.Mode != "live" || a.Fields["small"] != 3.0 {
		t.Errorf("the alert: %+v", a)
	}
	if ev := sse.next(t); !strings.Contains(ev, `"id":"`+page.Alerts[0].ID+`"`) {
		t.Errorf("the live stream gave %q, want alert %s", ev, page.Alerts[0].ID)
	}

	// Version 2 in shadow, next to version 1: both see the next events.
	c.do("admin", "PUT", "/v1/rules/card_testing?mode=shadow", "text/plain", `rule card_testing
  severity high
  by card_id
  pattern big: txn[amount > 400 and card_small_10m >= 3]
  emit { small: card_small_10m }`, 201)
	c.do("ingest", "POST", "/v1/streams/txn/events", "application/x-ndjson",
		card(450, "c2", day.Add(10*time.Minute))+card(950, "c3", day.Add(20*time.Minute)), 202)
	var rule struct {
		Version        int
		Mode           string
		AlertsLastHour map[string]int `json:"alerts_last_hour"`
	}
	c.poll("both versions' counts", func() bool {
		c.getJSON("analyst", "/v1/rules/card_testing", &rule)
		// v1 fires for c1 and c3, the candidate for c2 and c3.
		return rule.AlertsLastHour["1"] == 2 && rule.AlertsLastHour["2"] == 2
	})
	if rule.Version != 2 || rule.Mode != "shadow" {
		t.Errorf("current version %d in %s, want 2 in shadow", rule.Version, rule.Mode)
	}

	// Promote the candidate; then roll back to version 1 (a new version 3).
	c.do("admin", "PATCH", "/v1/rules/card_testing", "application/json", `{"mode":"live"}`, 200)
	c.do("ingest", "POST", "/v1/streams/txn/events", "application/x-ndjson", card(420, "c4", day.Add(30*time.Minute)), 202)
	c.poll("the promoted version's live alert", func() bool {
		c.getJSON("analyst", "/v1/alerts?rule=card_testing&key=c4", &page)
		return len(page.Alerts) == 1 && page.Alerts[0].Version == 2 && page.Alerts[0].Mode == "live"
	})
	c.do("admin", "POST", "/v1/rules/card_testing/rollback", "application/json", `{"version":1}`, 201)
	c.getJSON("analyst", "/v1/rules/card_testing", &rule)
	if rule.Version != 3 || rule.Mode != "live" {
		t.Errorf("after the rollback: version %d in %s, want 3 live", rule.Version, rule.Mode)
	}

	// The feature as of a time: c4's three small payments (at +30m, +31m,
	// +32m), in and out of the 10-minute window; and a time before the
	// feature's retention.
	var fv struct {
		Value any
		Stale bool
	}
	c.getJSON("analyst", "/v1/features/card_small_10m/values/c4?at="+day.Add(34*time.Minute).Format(time.RFC3339), &fv)
	if fv.Value != 3.0 || fv.Stale {
		t.Errorf("card_small_10m of c4 at +34m: %+v, want 3", fv)
	}
	c.getJSON("analyst", "/v1/features/card_small_10m/values/c4?at="+day.Add(41*time.Minute+30*time.Second).Format(time.RFC3339), &fv)
	if fv.Value != 1.0 {
		t.Errorf("card_small_10m of c4 at +41m30s: %+v, want 1 (two payments left the window)", fv)
	}
	c.do("analyst", "GET", "/v1/features/card_small_10m/values/c4?at="+day.Format(time.RFC3339), "", "", 422)

	// A replay of the deployed rule over an uploaded dataset, scored.
	var up struct{ ID string }
	c.doJSON("analyst", "POST", "/v1/uploads?name=txn.jsonl", "application/x-ndjson",
		card(900, "r1", day)+card(100, "r2", day.Add(10*time.Minute))+card(800, "r3", day.Add(20*time.Minute)), 201, &up)
	var rp struct{ ID string }
	c.doJSON("analyst", "POST", "/v1/replays", "application/json",
		fmt.Sprintf(`{"rules":["card_testing"],"events":{"txn":%q},"label":"is_fraud"}`, up.ID), 202, &rp)
	var done struct {
		Status string
		Scores struct {
			Rules []struct {
				Rule      string
				Alerts    int
				Precision float64
				Recall    float64
			}
		}
	}
	c.poll("the replay", func() bool {
		c.getJSON("analyst", "/v1/replays/"+rp.ID, &done)
		return done.Status == "done" || done.Status == "failed"
	})
	if done.Status != "done" || len(done.Scores.Rules) != 1 || done.Scores.Rules[0].Alerts != 2 || done.Scores.Rules[0].Precision != 1 {
		t.Errorf("replay: %+v", done)
	}
}

// client is an HTTP client for the story, one token per role.
type client struct {
	t    *testing.T
	base string
}

var storyTokens = map[string]string{"admin": "admin-secret", "ingest": "ingest-secret", "analyst": "analyst-secret"}

func (c *client) request(role, method, path, ctype, body string) *http.Response {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+storyTokens[role])
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp
}

func (c *client) do(role, method, path, ctype, body string, want int) []byte {
	c.t.Helper()
	resp := c.request(role, method, path, ctype, body)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s as %s: %s, want %d\n%s", method, path, role, resp.Status, want, b)
	}
	return b
}

func (c *client) doJSON(role, method, path, ctype, body string, want int, v any) {
	c.t.Helper()
	if err := json.Unmarshal(c.do(role, method, path, ctype, body, want), v); err != nil {
		c.t.Fatal(err)
	}
}

func (c *client) getJSON(role, path string, v any) {
	c.t.Helper()
	c.doJSON(role, "GET", path, "", "", 200, v)
}

func (c *client) poll(what string, cond func() bool) {
	c.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			c.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// sseStream reads Server-Sent Events.
type sseStream struct {
	events chan string
}

func (c *client) stream(role, path string) *sseStream {
	c.t.Helper()
	resp := c.request(role, "GET", path, "", "")
	if resp.StatusCode != 200 {
		c.t.Fatalf("GET %s: %s", path, resp.Status)
	}
	c.t.Cleanup(func() { resp.Body.Close() })
	s := &sseStream{events: make(chan string, 16)}
	go func() {
		defer close(s.events)
		var data bytes.Buffer
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "data: "):
				data.WriteString(strings.TrimPrefix(line, "data: "))
			case line == "" && data.Len() > 0:
				s.events <- data.String()
				data.Reset()
			}
		}
	}()
	return s
}

func (s *sseStream) next(t *testing.T) string {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			t.Fatal("the event stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event on the stream within 10s")
	}
	return ""
}
