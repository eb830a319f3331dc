package api

import (
	"bufio"
	"bytes"
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

// defServer is a real service on a directory, with the tour's rules, behind
// a real loopback listener without tokens; it can be restarted on the same
// directory.
type defServer struct {
	t   *testing.T
	dir string
	svc *service.Service
	srv *httptest.Server
}

func startDefServer(t *testing.T, dir string) *defServer {
	t.Helper()
	cfg := config.Default()
	cfg.Data = filepath.Join(dir, "data")
	cfg.Rules = []string{"../testdata/tour"}
	cfg.Outputs["alerts"][0].File.Path = filepath.Join(dir, "alerts.jsonl")
	cfg.Outputs["shadow"] = []config.Sink{{File: &config.FileSink{Path: filepath.Join(dir, "shadow.jsonl")}}}
	cfg.Checkpoint.Interval = time.Hour
	cfg.IdleSourceTimeout = 50 * time.Millisecond
	svc, err := service.Start(cfg, service.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := &defServer{t: t, dir: dir, svc: svc, srv: httptest.NewServer(New(svc, Options{}))}
	t.Cleanup(d.close)
	return d
}

func (d *defServer) close() {
	if d.srv == nil {
		return
	}
	d.srv.CloseClientConnections()
	d.srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := d.svc.Close(ctx); err != nil {
		d.t.Errorf("closing the service: %v", err)
	}
	d.srv = nil
}

// call sends a request; header holds name, value pairs.
func (d *defServer) call(method, path, ctype, body string, header ...string) (int, map[string]any) {
	d.t.Helper()
	req, err := http.NewRequest(method, d.srv.URL+path, strings.NewReader(body))
	if err != nil {
		d.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := d.srv.Client().Do(req.WithContext(ctx))
	if err != nil {
		d.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		d.t.Fatal(err)
	}
	var m map[string]any
	if len(b) > 0 && json.Unmarshal(b, &m) != nil {
		m = map[string]any{"text": string(b)}
	}
	return res.StatusCode, m
}

// must is call expecting a status.
func (d *defServer) must(status int, method, path, ctype, body string, header ...string) map[string]any {
	d.t.Helper()
	got, m := d.call(method, path, ctype, body, header...)
	if got != status {
		d.t.Fatalf("%s %s: status %d, want %d: %v", method, path, got, status, m)
	}
	return m
}

func (d *defServer) deploy(kind, name, src string, query ...string) map[string]any {
	d.t.Helper()
	path := "/v1/" + kind + "/" + name
	if len(query) > 0 {
		path += "?" + query[0]
	}
	return d.must(http.StatusCreated, "PUT", path, "text/plain", src)
}

// alertsIn returns the alert records of an output file.
func (d *defServer) alertsIn(file string) []map[string]any {
	d.t.Helper()
	f, err := os.Open(filepath.Join(d.dir, file))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		d.t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// waitAlert waits until the output file has an alert of the rule for key,
// and returns it. While it waits, it posts an event that matches nothing
// to the rule's stream now and then, at the time of the last event: the
// engine's watermark does not move while every input is idle, which in a
// quiet test happens when the other stream's partition went idle after
// these events came.
func (d *defServer) waitAlert(file, rule, key string) map[string]any {
	d.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; ; i++ {
		if i%10 == 9 {
			d.nudge(rule)
		}
		for _, a := range d.alertsIn(file) {
			if a["rule"] == rule && a["key"] == key {
				return a
			}
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("no alert of %s for %s in %s: %v", rule, key, file, d.alertsIn(file))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// defEventTime is the time of the last event posted: the events of every
// stream follow one another in time, so that none is late. They begin a
// little before now, so that their alerts count in "the last hour".
var defEventTime = time.Now().UTC().Add(-10 * time.Minute).Truncate(time.Second)

func nextEventTime() string {
	defEventTime = defEventTime.Add(time.Second)
	return defEventTime.Format(time.RFC3339)
}

func (d *defServer) nudge(rule string) {
	d.t.Helper()
	ts := defEventTime.Format(time.RFC3339)
	if rule == "brute_force" {
		d.must(202, "POST", "/v1/streams/login/events", "application/json", `{"id":"nudge","user":"nudge","ok":true,"ts":"`+ts+`"}`)
		return
	}
	d.must(202, "POST", "/v1/streams/txn/events", "application/json", `{"id":"nudge","card_id":"nudge","amount":100,"merchant":"m","ts":"`+ts+`"}`)
}

// cardTest posts the tour's card testing story for a card: three small
// payments, then one of amount big.
func (d *defServer) cardTest(card string, big float64) {
	d.t.Helper()
	var b bytes.Buffer
	for i, amt := range []float64{1, 1.5, 0.5, big} {
		fmt.Fprintf(&b, `{"id":"%s-%d","card_id":"%s","amount":%g,"merchant":"m","ts":"%s"}`+"\n", card, i, card, amt, nextEventTime())
	}
	m := d.must(http.StatusAccepted, "POST", "/v1/streams/txn/events", "application/x-ndjson", b.String())
	if m["accepted"] != 4.0 {
		d.t.Fatalf("events not accepted: %v", m)
	}
}

const (
	loginStream = `// Logins, posted over HTTP.
stream login (id string, user string, ok bool, ts time)
  id id
  timestamp ts
`
	loginFeature = `feature user_failures_10m = count() of login[not ok] by user over sliding 10m`
	loginRule    = `rule brute_force
  severity high
  by user
  pattern f: login[not ok and user_failures_10m >= 3]
  emit { failures: user_failures_10m }
`
)

func num(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// TestDefinitions tells the story of definitions through HTTP: deploy a
// stream, a feature and a rule, see their alerts; a new version in shadow,
// promoted, rolled back; conflicts, refusals and validation; a restart that
// keeps it all.
func TestDefinitions(t *testing.T) {
	dir := t.TempDir()
	d := startDefServer(t, dir)

	// The rule files are deployed at start, one definition per declaration.
	m := d.must(200, "GET", "/v1/streams", "", "")
	if s := m["streams"].([]any); len(s) != 1 || s[0].(map[string]any)["author"] != "kestrel serve --rules" {
		t.Fatalf("streams at start: %v", m)
	}
	m = d.must(200, "GET", "/v1/rules/card_testing", "", "")
	if num(m["version"]) != 1 || m["mode"] != "live" || !strings.HasPrefix(m["source"].(string), "// Card testing") {
		t.Fatalf("card_testing at start: %v", m)
	}

	// A stream, a feature and a rule, live at once. A new stream changes the
	// events' layout; the features (none here) keep their state across it.
	if m := d.deploy("streams", "login", loginStream); num(m["version"]) != 1 || m["features_reset"] != false {
		t.Fatalf("deploy of a stream: %v", m)
	}
	d.deploy("features", "user_failures_10m", loginFeature)
	if m := d.deploy("rules", "brute_force", loginRule); num(m["version"]) != 1 || m["author"] != "anonymous" || m["features_reset"] != false {
		t.Fatalf("deploy of a rule: %v", m)
	}
	var logins bytes.Buffer
	for i := range 3 {
		fmt.Fprintf(&logins, `{"id":"l%d","user":"ana","ok":false,"ts":"%s"}`+"\n", i, nextEventTime())
	}
	d.must(202, "POST", "/v1/streams/login/events", "application/x-ndjson", logins.String())
	if a := d.waitAlert("alerts.jsonl", "brute_force", "ana"); num(a["fields"].(map[string]any)["failures"]) != 3 {
		t.Fatalf("brute_force alert: %v", a)
	}

	d.cardTest("c1", 900)
	if a := d.waitAlert("alerts.jsonl", "card_testing", "c1"); num(a["version"]) != 1 {
		t.Fatalf("card_testing v1 alert: %v", a)
	}

	// Version 2 in shadow: its alerts go to the shadow output.
	v1 := d.must(200, "GET", "/v1/rules/card_testing/versions/1", "", "")["source"].(string)
	v2 := strings.Replace(v1, "amount > 500", "amount > 400", 1)
	m = d.deploy("rules", "card_testing", v2, "mode=shadow")
	if num(m["version"]) != 2 || num(m["previous"]) != 1 || m["mode"] != "shadow" || !strings.Contains(m["note"].(string), "partial matches were dropped") {
		t.Fatalf("v2 in shadow: %v", m)
	}
	d.cardTest("c2", 450)
	if a := d.waitAlert("shadow.jsonl", "card_testing", "c2"); num(a["version"]) != 2 || a["mode"] != "shadow" {
		t.Fatalf("shadow alert: %v", a)
	}
	// Alerts per version over the last hour, from the alert store.
	deadline := time.Now().Add(20 * time.Second)
	for {
		m = d.must(200, "GET", "/v1/rules/card_testing", "", "")
		counts := m["alerts_last_hour"].(map[string]any)
		if m["mode"] != "shadow" {
			t.Fatalf("card_testing in shadow: %v", m)
		}
		if num(counts["1"]) == 1 && num(counts["2"]) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("alerts of the last hour: %v", m)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Promoted: the same version, live.
	m = d.must(200, "PATCH", "/v1/rules/card_testing", "application/json", `{"mode":"live"}`)
	if num(m["version"]) != 2 || m["mode"] != "live" {
		t.Fatalf("promote: %v", m)
	}
	d.cardTest("c3", 450)
	if a := d.waitAlert("alerts.jsonl", "card_testing", "c3"); num(a["version"]) != 2 || a["mode"] != "live" {
		t.Fatalf("alert after promotion: %v", a)
	}

	// Rolled back to version 1: version 3 with its source.
	m = d.must(201, "POST", "/v1/rules/card_testing/rollback", "application/json", `{"version":1}`)
	if num(m["version"]) != 3 || m["mode"] != "live" {
		t.Fatalf("rollback: %v", m)
	}
	if src := d.must(200, "GET", "/v1/rules/card_testing/versions/3", "", "")["source"]; src != v1 {
		t.Fatalf("version 3's source is not version 1's:\n%s", src)
	}
	vs := d.must(200, "GET", "/v1/rules/card_testing/versions", "", "")["versions"].([]any)
	if len(vs) != 3 || num(vs[0].(map[string]any)["version"]) != 3 {
		t.Fatalf("versions: %v", vs)
	}
	d.cardTest("c4", 450) // under version 3's threshold
	d.cardTest("c5", 900)
	if a := d.waitAlert("alerts.jsonl", "card_testing", "c5"); num(a["version"]) != 3 {
		t.Fatalf("alert after rollback: %v", a)
	}
	for _, a := range d.alertsIn("alerts.jsonl") {
		if a["key"] == "c4" {
			t.Fatalf("version 3 alerted on 450: %v", a)
		}
	}

	// If-Match.
	_, m = d.call("PUT", "/v1/rules/card_testing", "text/plain", v2, "If-Match", "2")
	if m["error"].(map[string]any)["code"] != "version_conflict" {
		t.Fatalf("If-Match 2 at version 3: %v", m)
	}
	d.must(201, "PUT", "/v1/rules/card_testing", "text/plain", v1, "If-Match", `"3"`)

	// A rule that does not compile never replaces the running version.
	bad := strings.Replace(v1, "amount > 500", "amount > \"x\"", 1)
	_, m = d.call("PUT", "/v1/rules/card_testing", "text/plain", bad)
	e := m["error"].(map[string]any)
	det := e["details"].([]any)
	if e["code"] != "invalid_rule" || len(det) == 0 || det[0].(map[string]any)["file"] != "rules/card_testing@v5.krl" || num(det[0].(map[string]any)["line"]) == 0 {
		t.Fatalf("a rule that does not compile: %v", m)
	}
	d.cardTest("c6", 900)
	if a := d.waitAlert("alerts.jsonl", "card_testing", "c6"); num(a["version"]) != 4 {
		t.Fatalf("the running version after a failed deploy: %v", a)
	}

	// Refusals.
	for _, c := range []struct {
		method, path, ctype, body string
		status                    int
		code                      string
	}{
		{"PUT", "/v1/rules/card_testing", "application/json", v1, 415, "unsupported_media_type"},
		{"PUT", "/v1/rules/other", "text/plain", v1, 422, "invalid_rule"},
		{"PUT", "/v1/streams/card_testing", "text/plain", v1, 422, "invalid_rule"},
		{"PUT", "/v1/rules/card_testing?mode=sideways", "text/plain", v1, 400, "bad_request"},
		{"PUT", "/v1/rules/card_testing", "text/plain", v1 + "\n" + loginRule, 422, "invalid_rule"},
		{"DELETE", "/v1/streams/login", "", "", 409, "in_use"},
		{"DELETE", "/v1/features/user_failures_10m", "", "", 409, "in_use"},
		{"DELETE", "/v1/rules/nope", "", "", 404, "not_found"},
		{"GET", "/v1/tables/nope", "", "", 404, "not_found"},
		{"GET", "/v1/rules/card_testing/versions/99", "", "", 404, "not_found"},
		{"GET", "/v1/rules/card_testing/versions/x", "", "", 400, "bad_request"},
		{"PATCH", "/v1/rules/card_testing", "application/json", `{"mode":"loud"}`, 400, "bad_request"},
		{"PATCH", "/v1/rules/card_testing", "application/json", `{"mode":"live","x":1}`, 400, "bad_request"},
		{"PATCH", "/v1/rules/nope", "application/json", `{"mode":"live"}`, 404, "not_found"},
		{"POST", "/v1/rules/card_testing/rollback", "application/json", `{"version":42}`, 404, "not_found"},
		{"POST", "/v1/rules/card_testing/rollback", "application/json", `{`, 400, "bad_request"},
	} {
		status, m := d.call(c.method, c.path, c.ctype, c.body)
		code := ""
		if e, ok := m["error"].(map[string]any); ok {
			code, _ = e["code"].(string)
		}
		if status != c.status || code != c.code {
			t.Errorf("%s %s: %d %s, want %d %s: %v", c.method, c.path, status, code, c.status, c.code, m)
		}
	}
	_, m = d.call("DELETE", "/v1/streams/login", "", "")
	if msg := m["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "rule brute_force") || !strings.Contains(msg, "feature user_failures_10m") {
		t.Fatalf("409 names the users: %s", msg)
	}

	// Validation: every error with its position; declarations otherwise.
	_, m = d.call("POST", "/v1/validate", "text/plain", "rule r\n  pattern a: txn[amount > \"x\"] -> b: nostream\n")
	det = m["error"].(map[string]any)["details"].([]any)
	if len(det) < 2 || det[0].(map[string]any)["file"] != "input.krl" || num(det[0].(map[string]any)["line"]) != 2 {
		t.Fatalf("validate: %v", m)
	}
	m = d.must(200, "POST", "/v1/validate", "text/plain", loginRule+"\nrule r2 pattern a: txn\n")
	if decls := m["declarations"].([]any); len(decls) != 2 || num(decls[0].(map[string]any)["current_version"]) != 1 {
		t.Fatalf("validate: %v", m)
	}

	// Modes survive a restart: disable the brute force rule.
	d.must(200, "PATCH", "/v1/rules/brute_force", "application/json", `{"mode":"disabled"}`)
	want := map[string]any{}
	for _, k := range service.Kinds {
		want[k] = d.must(200, "GET", "/v1/"+k, "", "")[k]
	}
	rules := fmt.Sprint(ruleVersions(d.svc))
	d.close()

	d = startDefServer(t, dir)
	for _, k := range service.Kinds {
		if got := d.must(200, "GET", "/v1/"+k, "", "")[k]; fmt.Sprint(got) != fmt.Sprint(want[k]) {
			t.Errorf("%s after a restart:\n%v\nwant\n%v", k, got, want[k])
		}
	}
	if got := fmt.Sprint(ruleVersions(d.svc)); got != rules {
		t.Errorf("running rules after a restart: %s, want %s", got, rules)
	}
	if vs := d.must(200, "GET", "/v1/rules/card_testing/versions", "", "")["versions"].([]any); len(vs) != 4 {
		t.Errorf("versions after a restart: %v", vs)
	}
	d.cardTest("c7", 900)
	if a := d.waitAlert("alerts.jsonl", "card_testing", "c7"); num(a["version"]) != 4 {
		t.Fatalf("alert after a restart: %v", a)
	}

	// Delete the rule, then the feature, then the stream; the stream's
	// ingest stops, and it can come back.
	d.must(200, "DELETE", "/v1/rules/brute_force", "", "")
	d.must(200, "DELETE", "/v1/features/user_failures_10m", "", "")
	d.must(200, "DELETE", "/v1/streams/login", "", "")
	d.must(404, "GET", "/v1/streams/login", "", "")
	d.must(404, "POST", "/v1/streams/login/events", "application/json", `{"id":"x","user":"u","ok":true,"ts":1}`)
	if err := d.svc.Checkpoint(context.Background()); err != nil {
		t.Fatalf("checkpoint after a stream's delete: %v", err)
	}
	if m := d.deploy("streams", "login", loginStream); num(m["version"]) != 2 {
		t.Fatalf("the stream deployed again: %v", m)
	}
	d.must(202, "POST", "/v1/streams/login/events", "application/json", `{"id":"x","user":"u","ok":true,"ts":1}`)
	if err := d.svc.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// ruleVersions lists the running rules as name@version/output.
func ruleVersions(svc *service.Service) []string {
	var out []string
	for _, r := range svc.RuleSet().Rules {
		out = append(out, fmt.Sprintf("%s@%d/%s", r.Name, r.Version, r.Output))
	}
	return out
}
