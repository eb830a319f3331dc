package api

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"
)

type alertPage struct {
	Alerts []struct {
		ID      string          `json:"id"`
		Rule    string          `json:"rule"`
		Version int             `json:"version"`
		Kind    string          `json:"kind"`
		Key     json.RawMessage `json:"key"`
		Time    string          `json:"time"`
		Output  string          `json:"output"`
		Links   struct {
			Self string `json:"self"`
			Rule string `json:"rule"`
		} `json:"links"`
	} `json:"alerts"`
	NextCursor *string `json:"next_cursor"`
}

func (ta *testAPI) alerts(query string) alertPage {
	ta.t.Helper()
	r := ta.do(req{method: "GET", path: "/v1/alerts?" + query, token: analystToken})
	if r.status != 200 {
		ta.t.Fatalf("GET /v1/alerts?%s: %d %s", query, r.status, r.body)
	}
	var p alertPage
	if err := json.Unmarshal(r.body, &p); err != nil {
		ta.t.Fatalf("GET /v1/alerts?%s: %v\n%s", query, err, r.body)
	}
	if p.Alerts == nil {
		ta.t.Fatalf("GET /v1/alerts?%s: no alerts array: %s", query, r.body)
	}
	return p
}

func TestAlerts(t *testing.T) {
	ta := startAPI(t)
	ta.post("txn", cardTesting("c1", 0))
	ta.post("txn", cardTesting("c2", 5))
	var page alertPage
	eventually(t, 20*time.Second, "two alerts in the store", func() bool {
		page = ta.alerts("")
		return len(page.Alerts) == 2
	})
	if page.NextCursor != nil {
		t.Errorf("next_cursor %q on the last page", *page.NextCursor)
	}
	newest := page.Alerts[0]
	if string(newest.Key) != `"c2"` || string(page.Alerts[1].Key) != `"c1"` {
		t.Errorf("not newest first: %s, %s", newest.Key, page.Alerts[1].Key)
	}
	if newest.Rule != "card_testing" || newest.Output != "alerts" || newest.Kind != "match" || newest.Version < 1 {
		t.Errorf("alert %+v", newest)
	}
	if want := "/v1/rules/card_testing/versions/" + itoa(int64(newest.Version)); newest.Links.Rule != want {
		t.Errorf("links.rule %q, want %q", newest.Links.Rule, want)
	}
	if newest.Links.Self != "/v1/alerts/"+newest.ID {
		t.Errorf("links.self %q", newest.Links.Self)
	}

	// One alert by id.
	r := ta.do(req{method: "GET", path: newest.Links.Self, token: deployerToken})
	var one struct{ ID, Rule string }
	if r.status != 200 || json.Unmarshal(r.body, &one) != nil || one.ID != newest.ID {
		t.Errorf("GET %s: %d %s", newest.Links.Self, r.status, r.body)
	}
	if r := ta.do(req{method: "GET", path: "/v1/alerts/0123456789abcdef", token: analystToken}); r.status != 404 || r.errorCode() != "unknown_alert" {
		t.Errorf("unknown id: %d %s", r.status, r.body)
	}

	// Filters.
	for query, want := range map[string]int{
		"rule=card_testing":              2,
		"rule=nope":                      0,
		"key=c1":                         1,
		"key=" + url.QueryEscape(`"c1"`): 1,
		"key=c3":                         0,
		"kind=match":                     2,
		"kind=timeout":                   0,
		"mode=live":                      2,
		"output=alerts":                  2,
		"output=shadow":                  0,
		"rule=card_testing&version=1":    2,
		"rule=card_testing&version=9":    0,
		"since=2000-01-01T00:00:00Z":     2,
		"until=2000-01-01T00:00:00Z":     0,
		"since=2100-01-01T00:00:00Z":     0,
	} {
		if got := len(ta.alerts(query).Alerts); got != want {
			t.Errorf("%s: %d alerts, want %d", query, got, want)
		}
	}

	// Pages of one.
	p1 := ta.alerts("limit=1")
	if len(p1.Alerts) != 1 || p1.NextCursor == nil || p1.Alerts[0].ID != newest.ID {
		t.Fatalf("first page %+v", p1)
	}
	p2 := ta.alerts("limit=1&cursor=" + url.QueryEscape(*p1.NextCursor))
	if len(p2.Alerts) != 1 || p2.Alerts[0].ID != page.Alerts[1].ID {
		t.Fatalf("second page %+v", p2)
	}
	if p2.NextCursor != nil {
		if p3 := ta.alerts("limit=1&cursor=" + url.QueryEscape(*p2.NextCursor)); len(p3.Alerts) != 0 || p3.NextCursor != nil {
			t.Errorf("third page %+v", p3)
		}
	}
}

func TestAlertsBadParameters(t *testing.T) {
	ta := startAPI(t)
	for _, q := range []string{
		"limit=0", "limit=1001", "limit=ten", "since=yesterday", "until=2026-13-01T00:00:00Z",
		"since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z", "kind=fraud", "mode=dark",
		"version=2", "rule=r&version=x", "cursor=%21%21", "colour=red", "rule=a&rule=b",
		"key=" + url.QueryEscape(`["a",`),
	} {
		r := ta.do(req{method: "GET", path: "/v1/alerts?" + q, token: analystToken})
		if r.status != 400 || r.errorCode() == "" {
			t.Errorf("%s: %d %s, want 400", q, r.status, r.body)
		}
	}
}
