package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/patterns"
	"github.com/kestrelcep/kestrel/replay"
)

func (ta *testAPI) upload(body, ctype, name string) string {
	ta.t.Helper()
	path := "/v1/uploads"
	if name != "" {
		path += "?name=" + name
	}
	r := ta.do(req{method: "POST", path: path, token: analystToken, ctype: ctype, body: body})
	if r.status != 201 {
		ta.t.Fatalf("upload: %d %s", r.status, r.body)
	}
	id, _ := r.json(ta.t)["id"].(string)
	if id == "" {
		ta.t.Fatalf("upload: no id: %s", r.body)
	}
	return id
}

func (ta *testAPI) startReplay(body string) string {
	ta.t.Helper()
	r := ta.do(req{method: "POST", path: "/v1/replays", token: analystToken, ctype: "application/json", body: body})
	if r.status != 202 {
		ta.t.Fatalf("POST /v1/replays: %d %s", r.status, r.body)
	}
	return r.json(ta.t)["id"].(string)
}

type replayStatus struct {
	ID       string            `json:"id"`
	Status   string            `json:"status"`
	Rules    []string          `json:"rules"`
	Author   string            `json:"author"`
	Error    string            `json:"error"`
	Outputs  map[string]int64  `json:"outputs"`
	Scores   json.RawMessage   `json:"scores"`
	Links    map[string]string `json:"links"`
	Progress struct {
		Events, Read, Total int64
	} `json:"progress"`
}

func (ta *testAPI) waitReplay(id string) replayStatus {
	ta.t.Helper()
	var st replayStatus
	eventually(ta.t, 30*time.Second, "replay "+id+" to finish", func() bool {
		r := ta.do(req{method: "GET", path: "/v1/replays/" + id, token: deployerToken})
		if r.status != 200 {
			ta.t.Fatalf("GET /v1/replays/%s: %d %s", id, r.status, r.body)
		}
		st = replayStatus{}
		json.Unmarshal(r.body, &st)
		return st.Status != "queued" && st.Status != "running"
	})
	return st
}

// labelled is a stream with a label, and a rule over it, as KRL.
const labelled = `
stream pay (id string, card_id string, amount float, ts time, is_fraud bool)
  id id
  timestamp ts

rule tiny_then_big
  by card_id
  pattern small: pay[amount < 2.00]{3,} -> big: pay[amount > 500]
  within 10m
`

// payEvents: card f1 is tested and robbed (labelled), card n1 pays normally,
// card f2 is labelled but never caught.
func payEvents() string {
	var b strings.Builder
	n := 0
	ev := func(card string, amount float64, fraud bool) {
		fmt.Fprintf(&b, `{"id":"p%d","card_id":%q,"amount":%v,"ts":"2026-03-01T10:%02d:00Z","is_fraud":%v}`+"\n",
			n, card, amount, n, fraud)
		n++
	}
	for _, a := range []float64{1, 1, 1.5, 800} {
		ev("f1", a, true)
	}
	ev("n1", 40, false)
	ev("n1", 1, false)
	ev("f2", 300, true)
	return b.String()
}

func TestReplayKRLWithScores(t *testing.T) {
	ta := startAPI(t)
	data := payEvents()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(data))
	zw.Close()
	up := ta.upload(gz.String(), "application/octet-stream", "") // gzip and JSON lines, sniffed
	body, _ := json.Marshal(map[string]any{"krl": labelled, "events": map[string]string{"pay": up}, "label": "is_fraud"})
	id := ta.startReplay(string(body))
	st := ta.waitReplay(id)
	if st.Status != "done" || st.Outputs["alerts"] != 1 || st.Progress.Events != 7 || st.Author != "analyst" {
		t.Fatalf("status %+v", st)
	}
	if st.Progress.Total == 0 || st.Progress.Read != st.Progress.Total {
		t.Errorf("progress %+v", st.Progress)
	}

	// The scores are those of `kestrel replay --label is_fraud --json`.
	f, _ := patterns.Parse("replay.krl", []byte(labelled))
	rs, errs := patterns.Compile([]*patterns.File{f}, patterns.Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	path := filepath.Join(t.TempDir(), "pay.jsonl")
	os.WriteFile(path, []byte(data), 0o644)
	inputs := []replay.Input{{Stream: "pay", Path: path}}
	sc, err := replay.NewScorer(rs, inputs, "is_fraud")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := alerts.NewOutputs("", nil)
	stats, err := replay.Run(rs, inputs, replay.Options{Sink: sc.Wrap(out), Observe: sc.Observe})
	if err != nil {
		t.Fatal(err)
	}
	var cli bytes.Buffer
	replay.WriteJSON(&cli, sc.Scores(stats))
	var want, got any
	json.Unmarshal(cli.Bytes(), &want)
	json.Unmarshal(st.Scores, &got)
	// The input's name differs (the CLI's path, the upload's file).
	for _, m := range []any{want, got} {
		if mm, ok := m.(map[string]any); ok {
			delete(mm, "inputs")
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("scores differ from the CLI's:\napi %s\ncli %s", st.Scores, cli.Bytes())
	}

	// The alerts, as NDJSON.
	r := ta.do(req{method: "GET", path: "/v1/replays/" + id + "/alerts", token: analystToken})
	if r.status != 200 || r.header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("alerts: %d %s", r.status, r.body)
	}
	lines := strings.Split(strings.TrimSpace(string(r.body)), "\n")
	var rec struct{ Rule, Key string }
	if len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &rec) != nil || rec.Rule != "tiny_then_big" || rec.Key != "f1" {
		t.Errorf("alerts %q", r.body)
	}
	// Live outputs saw nothing of it.
	if p := ta.alerts(""); len(p.Alerts) != 0 {
		t.Errorf("the replay's alerts reached the live store: %+v", p)
	}
	// Listed.
	r = ta.do(req{method: "GET", path: "/v1/replays", token: analystToken})
	if r.status != 200 || !strings.Contains(string(r.body), id) {
		t.Errorf("list: %d %s", r.status, r.body)
	}
	// Cancelling a finished replay leaves it done.
	r = ta.do(req{method: "DELETE", path: "/v1/replays/" + id, token: analystToken})
	if r.status != 200 || r.json(t)["status"] != "done" {
		t.Errorf("DELETE of a finished replay: %d %s", r.status, r.body)
	}
}

// TestReplayDeployedRules replays the deployed rule by name over an
// uploaded CSV file.
func TestReplayDeployedRules(t *testing.T) {
	ta := startAPI(t)
	var csv strings.Builder
	csv.WriteString("id,card_id,amount,merchant,ts\n")
	for i, a := range []string{"1.00", "1.50", "0.50", "900"} {
		fmt.Fprintf(&csv, "t%d,c9,%s,m1,2026-03-01T10:00:%02dZ\n", i, a, i)
	}
	up := ta.upload(csv.String(), "text/csv", "")
	id := ta.startReplay(`{"rules":["card_testing"],"events":{"txn":"` + up + `"}}`)
	st := ta.waitReplay(id)
	if st.Status != "done" || st.Outputs["alerts"] != 1 || len(st.Rules) != 1 || st.Rules[0] != "card_testing" || st.Scores != nil {
		t.Fatalf("status %+v", st)
	}
}

func TestReplayRefusals(t *testing.T) {
	ta := startAPI(t)
	up := ta.upload(payEvents(), "application/x-ndjson", "")
	outside := filepath.Join(t.TempDir(), "secret.jsonl")
	os.WriteFile(outside, []byte(payEvents()), 0o644)
	// A link inside uploads to a file outside them is outside.
	link := filepath.Join(ta.data, "uploads", "link.jsonl")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	krl, _ := json.Marshal(labelled)
	for _, c := range []struct {
		body   string
		status int
		code   string
	}{
		{`{"rules":["nope"],"events":{"txn":"` + up + `"}}`, 422, "unknown_rule"},
		{`{"krl":"rule r pattern a: nosuch","events":{"txn":"` + up + `"}}`, 422, "invalid_rule"},
		{`{"krl":` + string(krl) + `,"events":{"pay":"/etc/passwd"}}`, 422, "path_not_allowed"},
		{`{"krl":` + string(krl) + `,"events":{"pay":"` + outside + `"}}`, 422, "path_not_allowed"},
		{`{"krl":` + string(krl) + `,"events":{"pay":"link.jsonl"}}`, 422, "path_not_allowed"},
		{`{"krl":` + string(krl) + `,"events":{"pay":"../../../../../../etc/passwd"}}`, 422, "path_not_allowed"},
		{`{"krl":` + string(krl) + `,"events":{"pay":"0000000000000000"}}`, 422, "bad_dataset"},
		{`{"krl":` + string(krl) + `,"events":{"nostream":"` + up + `"}}`, 422, "unknown_stream"},
		{`{"krl":` + string(krl) + `,"events":{"pay":"` + up + `"},"label":"amount"}`, 422, "bad_label"},
		{`{"krl":` + string(krl) + `,"events":{}}`, 400, "bad_request"},
		{`{"rules":["card_testing"],"krl":"x","events":{"txn":"` + up + `"}}`, 400, "bad_request"},
		{`{"rules":["card_testing"],"events":{"txn":"` + up + `"},"colour":"red"}`, 400, "bad_json"},
	} {
		r := ta.do(req{method: "POST", path: "/v1/replays", token: analystToken, ctype: "application/json", body: c.body})
		if r.status != c.status || r.errorCode() != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.body, r.status, r.body, c.status, c.code)
		}
	}
	// A rule error comes with its position.
	r := ta.do(req{method: "POST", path: "/v1/replays", token: analystToken, ctype: "application/json",
		body: `{"krl":"rule r\n  pattern a: nosuch","events":{"txn":"` + up + `"}}`})
	var e struct {
		Error struct {
			Details []struct {
				File      string
				Line, Col int
				Message   string
			}
		}
	}
	if json.Unmarshal(r.body, &e) != nil || len(e.Error.Details) == 0 || e.Error.Details[0].Line != 2 || e.Error.Details[0].File != "replay.krl" {
		t.Errorf("rule error without its position: %s", r.body)
	}
	for _, p := range []string{"/v1/replays/nope", "/v1/replays/nope/alerts"} {
		if r := ta.do(req{method: "GET", path: p, token: analystToken}); r.status != 404 {
			t.Errorf("GET %s: %d %s", p, r.status, r.body)
		}
	}
	if r := ta.do(req{method: "DELETE", path: "/v1/replays/nope", token: analystToken}); r.status != 404 {
		t.Errorf("DELETE unknown: %d %s", r.status, r.body)
	}
}

func TestUploadLimits(t *testing.T) {
	ta := startAPI(t, func(s *apiSetup) { s.api.MaxUpload = 100 })
	big := strings.Repeat(`{"a":1}`+"\n", 50)
	if r := ta.do(req{method: "POST", path: "/v1/uploads", token: analystToken, ctype: "application/x-ndjson", body: big}); r.status != 413 {
		t.Errorf("too large: %d %s", r.status, r.body)
	}
	if r := ta.do(req{method: "POST", path: "/v1/uploads", token: analystToken, ctype: "multipart/form-data; boundary=x", body: "--x"}); r.status != 415 {
		t.Errorf("multipart: %d %s", r.status, r.body)
	}
	if r := ta.do(req{method: "POST", path: "/v1/uploads", token: analystToken, ctype: "application/octet-stream"}); r.status != 422 {
		t.Errorf("empty: %d %s", r.status, r.body)
	}
	if r := ta.do(req{method: "POST", path: "/v1/uploads?name=x.csv.gz", token: analystToken, body: "id,ts\n"}); r.status != 422 {
		t.Errorf(".gz that is not gzip: %d %s", r.status, r.body)
	}
	ents, _ := os.ReadDir(filepath.Join(ta.data, "uploads"))
	if len(ents) != 0 {
		t.Errorf("refused uploads left files: %v", ents)
	}
}
