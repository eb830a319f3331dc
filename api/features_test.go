package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/config"
	"github.com/kestrelcep/kestrel/service"
)

// TestFeatureLookups deploys features through the API, posts events, and
// looks them up with GET and POST, now and at points in time, through a
// real service behind a real listener; then every bad input.
func TestFeatureLookups(t *testing.T) {
	ta := startAPI(t)
	for name, src := range map[string]string{
		"n_1h":     "feature n_1h = count() of txn by card_id over sliding 1h",
		"spend_1h": "feature spend_1h = sum(amount) of txn by card_id over sliding 1h",
		"n_cm":     "feature n_cm = count() of txn by card_id, merchant over sliding 1h",
	} {
		if r := ta.do(req{method: "PUT", path: "/v1/features/" + name, token: deployerToken, ctype: "text/plain", body: src}); r.status != 201 {
			t.Fatalf("deploy %s: %d %s", name, r.status, r.body)
		}
	}
	T := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	ts := func(d time.Duration) string { return T.Add(d).Format("2006-01-02T15:04:05.000Z") }
	var body strings.Builder
	for i, e := range []struct {
		card, merchant string
		amount         float64
		at             time.Duration
	}{
		{"c1", "m1", 10, 0}, {"c2", "m1", 7.5, 5 * time.Minute}, {"c1", "m2", 20.25, 10 * time.Minute},
		{"a/b c%", "m1", 1, 15 * time.Minute}, {"c1", "m1", 30, 20 * time.Minute},
	} {
		fmt.Fprintf(&body, `{"id":"e%d","card_id":%q,"amount":%v,"merchant":%q,"ts":%q}`+"\n", i, e.card, e.amount, e.merchant, ts(e.at))
	}
	if r := ta.do(req{method: "POST", path: "/v1/streams/txn/events", token: ingestToken, ctype: "application/x-ndjson", body: body.String()}); r.status != 202 {
		t.Fatalf("events: %d %s", r.status, r.body)
	}
	get := func(path string) map[string]any {
		t.Helper()
		r := ta.do(req{method: "GET", path: path, token: analystToken})
		if r.status != 200 {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
		return r.json(t)
	}
	at20 := "?at=" + ts(20*time.Minute)
	eventually(t, 30*time.Second, "the events to reach the features", func() bool {
		return get("/v1/features/n_1h/values/c1" + at20)["value"] == 3.0
	})

	// One value: now and at points in time (the watermark is T+20m; the
	// stream allows no lateness, so the retention starts there).
	for _, c := range []struct {
		path  string
		value any
		stale bool
		asOf  string
	}{
		{"/v1/features/n_1h/values/c1" + at20, 3.0, false, ts(20 * time.Minute)},
		{"/v1/features/spend_1h/values/c1" + at20, 60.25, false, ts(20 * time.Minute)},
		{"/v1/features/n_1h/values/c1?at=" + ts(70*time.Minute), 1.0, false, ts(20 * time.Minute)},
		{"/v1/features/spend_1h/values/c1?at=" + ts(70*time.Minute), 30.0, false, ts(20 * time.Minute)},
		{"/v1/features/n_1h/values/c1?at=" + ts(80*time.Minute), 0.0, true, ts(20 * time.Minute)},
		{"/v1/features/n_1h/values/c2" + at20, 1.0, false, ts(20 * time.Minute)},
		{"/v1/features/n_1h/values/nobody" + at20, 0.0, true, ts(20 * time.Minute)},
		{"/v1/features/n_1h/values/a%2Fb%20c%25" + at20, 1.0, false, ts(20 * time.Minute)},
		{"/v1/features/n_1h/values/c1", 0.0, true, ts(20 * time.Minute)}, // now: long after
	} {
		m := get(c.path)
		if m["value"] != c.value || m["stale"] != c.stale || m["as_of"] != c.asOf || m["feature"] == nil || m["source"] != "engine" {
			t.Errorf("GET %s: %v, want value %v stale %v as_of %s", c.path, m, c.value, c.stale, c.asOf)
		}
	}
	if m := get("/v1/features/n_1h/values/c1" + at20); m["key"] != "c1" || m["at"] != ts(20*time.Minute) {
		t.Errorf("key and at: %v", m)
	}
	if m := get("/v1/features/n_1h/values/c1"); m["at"] == nil || m["at"].(string) < time.Now().Add(-time.Minute).UTC().Format(time.RFC3339) {
		t.Errorf("at defaults to now: %v", m)
	}

	// Several features and keys, a composite key.
	post := func(token, body string) resp {
		return ta.do(req{method: "POST", path: "/v1/features:lookup", token: token, ctype: "application/json", body: body})
	}
	r := post(analystToken, `{"features":["n_1h","spend_1h"],"keys":["c1","c2","zz"],"at":"`+ts(20*time.Minute)+`"}`)
	if r.status != 200 {
		t.Fatalf("lookup: %d %s", r.status, r.body)
	}
	var got struct {
		At      string `json:"at"`
		Results []struct {
			Key    any                `json:"key"`
			Values map[string]any     `json:"values"`
			Stale  map[string]bool    `json:"stale"`
			AsOf   map[string]*string `json:"as_of"`
			Source string             `json:"source"`
		} `json:"results"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint([][]any{{"c1", 3.0, 60.25, false}, {"c2", 1.0, 7.5, false}, {"zz", 0.0, 0.0, true}})
	var have [][]any
	for _, res := range got.Results {
		have = append(have, []any{res.Key, res.Values["n_1h"], res.Values["spend_1h"], res.Stale["spend_1h"]})
	}
	if fmt.Sprint(have) != want || got.At != ts(20*time.Minute) {
		t.Errorf("lookup: %s\nwant %s", r.body, want)
	}
	r = post(analystToken, `{"features":["n_cm"],"keys":[["c1","m1"],["c1","m2"],["c2","m2"]],"at":"`+ts(20*time.Minute)+`"}`)
	if !strings.Contains(string(r.body), `{"key":["c1","m1"],"values":{"n_cm":2},"stale":{"n_cm":false}`) ||
		!strings.Contains(string(r.body), `{"key":["c2","m2"],"values":{"n_cm":0},"stale":{"n_cm":true}`) {
		t.Errorf("composite keys: %d %s", r.status, r.body)
	}

	// Bad input.
	many := `"c1"` + strings.Repeat(`,"c1"`, 10000)
	for _, c := range []struct {
		method, path, body string
		status             int
		code, msg          string
	}{
		{"GET", "/v1/features/nope/values/c1", "", 404, "unknown_feature", "nope"},
		{"GET", "/v1/features/n_1h/values/c1?at=yesterday", "", 400, "bad_parameter", "RFC 3339"},
		{"GET", "/v1/features/n_1h/values/c1?when=now", "", 400, "bad_parameter", "when"},
		{"GET", "/v1/features/n_cm/values/c1", "", 400, "bad_key", "features:lookup"},
		{"GET", "/v1/features/n_1h/values/c1?at=" + ts(19*time.Minute), "", 422, "outside_retention", "older than the feature's retention of n_1h"},
		{"POST", "/v1/features:lookup", `{"features":["nope"],"keys":["c1"]}`, 404, "unknown_feature", "nope"},
		{"POST", "/v1/features:lookup", `{"features":["n_1h"],"keys":["c1"],"at":"soon"}`, 400, "bad_request", "RFC 3339"},
		{"POST", "/v1/features:lookup", `{"features":["n_1h"],"keys":[["c1","m1"]]}`, 400, "bad_key", "single field"},
		{"POST", "/v1/features:lookup", `{"features":["n_cm"],"keys":["c1"]}`, 400, "bad_key", "composite"},
		{"POST", "/v1/features:lookup", `{"features":[],"keys":["c1"]}`, 400, "bad_request", "features"},
		{"POST", "/v1/features:lookup", `{"features":["n_1h"]}`, 400, "bad_request", "keys"},
		{"POST", "/v1/features:lookup", `{"features":["n_1h"],"keys":["c1"],"extra":1}`, 400, "bad_json", "extra"},
		{"POST", "/v1/features:lookup", `{"features":["n_1h"],"keys":[` + many + `]}`, 413, "too_many_values", "10000"},
		{"POST", "/v1/features:lookup", `{"features":["n_1h"],"keys":["c1"],"at":"` + ts(time.Minute) + `"}`, 422, "outside_retention", "retention"},
	} {
		q := req{method: c.method, path: c.path, token: analystToken, body: c.body}
		if c.body != "" {
			q.ctype = "application/json"
		}
		r := ta.do(q)
		if r.status != c.status || r.errorCode() != c.code || !strings.Contains(string(r.body), c.msg) {
			t.Errorf("%s %s %.80s: %d %s, want %d %s mentioning %q", c.method, c.path, c.body, r.status, r.body, c.status, c.code, c.msg)
		}
	}
	// Empty keys: no results.
	if r := post(analystToken, `{"features":["n_1h"],"keys":[]}`); r.status != 200 || !strings.Contains(string(r.body), `"results":[]`) {
		t.Errorf("no keys: %d %s", r.status, r.body)
	}
	// Roles: reads are for admin, deployer and analyst.
	if r := post(ingestToken, `{"features":["n_1h"],"keys":["c1"]}`); r.status != 403 {
		t.Errorf("ingest token: %d", r.status)
	}
	if r := ta.do(req{method: "GET", path: "/v1/features/n_1h/values/c1", token: ingestToken}); r.status != 403 {
		t.Errorf("ingest token: %d", r.status)
	}
	if r := post(deployerToken, `{"features":["n_1h"],"keys":["c1"]}`); r.status != 200 {
		t.Errorf("deployer token: %d", r.status)
	}

	// Metrics.
	m := ta.do(req{method: "GET", path: "/metrics"})
	for _, s := range []string{`kestrel_feature_lookups_total{result="ok"}`, `kestrel_feature_lookups_total{result="unknown_feature"} 2`,
		`kestrel_feature_lookups_total{result="retention"} 2`, `kestrel_feature_lookups_total{result="too_many"} 1`,
		`kestrel_feature_lookup_seconds_bucket{le="0.0001"}`, `kestrel_feature_lookup_seconds_count`} {
		if !strings.Contains(string(m.body), s) {
			t.Errorf("/metrics lacks %s", s)
		}
	}
}

// BenchmarkFeatureGET is one GET /v1/features/{name}/values/{key} over a
// real loopback connection, client and server in this process (for
// profiles of the server's path; the load run is internal/loadgen's
// TestLookupLoad):
//
//	go test ./api -run '^$' -bench FeatureGET -cpuprofile /tmp/cpu.out
func BenchmarkFeatureGET(b *testing.B) {
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "f.krl"), []byte(`stream txn (id string, card_id string, amount float, merchant string, ts time)
  id id
  timestamp ts
feature n_1h = count() of txn by card_id over sliding 1h
`), 0o644)
	cfg := config.Default()
	cfg.Data = filepath.Join(dir, "data")
	cfg.Rules = []string{dir}
	cfg.Outputs["alerts"][0].File.Path = filepath.Join(dir, "alerts.jsonl")
	cfg.Checkpoint.Interval = time.Hour
	svc, err := service.Start(cfg, service.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close(context.Background())
	srv := httptest.NewServer(New(svc, Options{}))
	defer srv.Close()
	var body strings.Builder
	ts := time.Now().Add(-time.Minute).UnixMilli()
	for i := range 1000 {
		fmt.Fprintf(&body, `{"id":"e%d","card_id":"c%d","amount":1,"merchant":"m","ts":%d}`+"\n", i, i%100, ts)
	}
	if _, _, err := svc.Ingest("txn", "application/x-ndjson", []byte(body.String())); err != nil {
		b.Fatal(err)
	}
	url := srv.URL + "/v1/features/n_1h/values/c7"
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		v, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(v), `"value":10,`) {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("no value: %s", v)
		}
		time.Sleep(10 * time.Millisecond)
	}
	c := srv.Client()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := c.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
