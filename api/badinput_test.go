package api

import (
	"net/http"
	"strings"
	"testing"
)

// TestBadInput sends every endpoint garbage through a real service and a
// real listener. The rules (docs/api.md, "Errors"): malformed JSON → 400;
// a content type the endpoint does not take → 415; a JSON field the
// endpoint does not know → 400 naming it; a body past the limit → 413; an
// unknown name or id → 404; and never a 5xx for a client's mistake, always
// the error shape {"error": {"code", "message"}}.
func TestBadInput(t *testing.T) {
	const maxBody = 16 << 10
	ta := startAPI(t, func(s *apiSetup) { s.api.MaxBody = maxBody; s.api.MaxUpload = 2 * maxBody })
	tooBig := strings.Repeat(`{"id":"x","card_id":"c","amount":1,"merchant":"m","ts":"2026-03-01T10:00:00Z"}`+"\n", 2*maxBody/50)
	hugeUpload := strings.Repeat("a,b\n", maxBody)
	json := "application/json"
	cases := []struct {
		name   string
		q      req
		status int
		code   string // "" when any code will do
	}{
		// Events.
		{"events: malformed JSON", req{method: "POST", path: "/v1/streams/txn/events", ctype: json, body: `{"id":`}, 400, ""},
		{"events: not JSON at all", req{method: "POST", path: "/v1/streams/txn/events", ctype: json, body: "\x00\xff\xfe garbage"}, 400, ""},
		{"events: wrong content type", req{method: "POST", path: "/v1/streams/txn/events", ctype: "text/csv", body: "a,b\n1,2\n"}, 415, "unsupported_media_type"},
		{"events: too large", req{method: "POST", path: "/v1/streams/txn/events", ctype: "application/x-ndjson", body: tooBig}, 413, "body_too_large"},
		{"events: unknown stream", req{method: "POST", path: "/v1/streams/nope/events", ctype: json, body: `{}`}, 404, "unknown_stream"},

		// Alerts and streams.
		{"alerts: bad limit", req{method: "GET", path: "/v1/alerts?limit=-1"}, 400, "bad_parameter"},
		{"alerts: bad time", req{method: "GET", path: "/v1/alerts?since=last+tuesday"}, 400, "bad_parameter"},
		{"alerts: bad cursor", req{method: "GET", path: "/v1/alerts?cursor=%00%01"}, 400, "bad_cursor"},
		{"alerts: unknown parameter", req{method: "GET", path: "/v1/alerts?rulez=x"}, 400, "bad_parameter"},
		{"alert: unknown id", req{method: "GET", path: "/v1/alerts/ffffffffffffffffffffffffffffffff"}, 404, "unknown_alert"},
		{"alert: traversal", req{method: "GET", path: "/v1/alerts/..%2F..%2Fetc%2Fpasswd"}, 404, ""},
		{"stream: unknown output", req{method: "GET", path: "/v1/outputs/nope/stream"}, 404, "unknown_output"},

		// Uploads and replays.
		{"upload: wrong content type", req{method: "POST", path: "/v1/uploads", ctype: "application/x-www-form-urlencoded", body: "a=b"}, 415, "unsupported_media_type"},
		{"upload: too large", req{method: "POST", path: "/v1/uploads", ctype: "text/csv", body: hugeUpload}, 413, "body_too_large"},
		{"upload: empty", req{method: "POST", path: "/v1/uploads", ctype: "text/csv"}, 422, "bad_dataset"},
		{"replay: malformed JSON", req{method: "POST", path: "/v1/replays", ctype: json, body: `{"rules": [`}, 400, "bad_json"},
		{"replay: not an object", req{method: "POST", path: "/v1/replays", ctype: json, body: `[1,2]`}, 400, "bad_json"},
		{"replay: wrong type", req{method: "POST", path: "/v1/replays", ctype: json, body: `{"rules":"card_testing"}`}, 400, "bad_json"},
		{"replay: two values", req{method: "POST", path: "/v1/replays", ctype: json, body: `{} {}`}, 400, "bad_json"},
		{"replay: empty body", req{method: "POST", path: "/v1/replays", ctype: json}, 400, "bad_json"},
		{"replay: unknown field", req{method: "POST", path: "/v1/replays", ctype: json, body: `{"rulez":["card_testing"]}`}, 400, "bad_json"},
		{"replay: wrong content type", req{method: "POST", path: "/v1/replays", ctype: "text/plain", body: `{}`}, 415, "unsupported_media_type"},
		{"replay: too large", req{method: "POST", path: "/v1/replays", ctype: json, body: `{"krl":"` + strings.Repeat("x", 2*maxBody) + `"}`}, 413, "body_too_large"},
		{"replay: unknown rule", req{method: "POST", path: "/v1/replays", ctype: json, body: `{"rules":["nope"],"events":{"txn":"x"}}`}, 422, "unknown_rule"},
		{"replay: unknown id", req{method: "GET", path: "/v1/replays/nope"}, 404, "unknown_replay"},
		{"replay alerts: unknown id", req{method: "GET", path: "/v1/replays/nope/alerts"}, 404, "unknown_replay"},
		{"replay cancel: unknown id", req{method: "DELETE", path: "/v1/replays/nope"}, 404, "unknown_replay"},

		// The router.
		{"no such endpoint", req{method: "GET", path: "/v1/nothing/here"}, 404, "not_found"},
		{"method not allowed", req{method: "PATCH", path: "/v1/alerts"}, 405, "method_not_allowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := c.q
			q.token = adminToken
			r := ta.do(q)
			if r.status != c.status || (c.code != "" && r.errorCode() != c.code) {
				t.Errorf("%s %s: %d %s, want %d %s", q.method, q.path, r.status, r.body, c.status, c.code)
			}
			if r.errorCode() == "" {
				t.Errorf("not the error shape: %s", r.body)
			}
			if c.code == "bad_json" && c.name == "replay: unknown field" && !strings.Contains(string(r.body), `rulez`) {
				t.Errorf("the unknown field is not named: %s", r.body)
			}
		})
	}
}

// TestBadInputEveryRoute sends every route the router serves, whoever
// wrote it, the same garbage: malformed JSON, binary junk, a body past the
// limit, names that exist nowhere. Nothing may answer 5xx, every error has
// the error shape, and a body past the limit is 413 wherever a body is read.
func TestBadInputEveryRoute(t *testing.T) {
	const maxBody = 16 << 10
	ta := startAPI(t, func(s *apiSetup) { s.api.MaxBody = maxBody; s.api.MaxUpload = maxBody })
	bodies := []struct{ name, ctype, body string }{
		{"malformed JSON", "application/json", `{"a": [1, 2`},
		{"junk", "application/octet-stream", "\x00\xff\x1f\x8b junk \x00"},
		{"text", "text/plain", "rule rule rule {{{"},
		{"too large", "application/json", `{"x":"` + strings.Repeat("y", 4*maxBody) + `"}`},
	}
	for _, rt := range routeList(New(ta.svc, Options{})) {
		method, pattern, _ := strings.Cut(rt, " ")
		if routeAccess[rt] == open || rt == "GET /v1/openapi.json" {
			continue
		}
		path := concretePath(pattern)
		for _, b := range bodies {
			q := req{method: method, path: path, token: adminToken, ctype: b.ctype, body: b.body}
			if method == http.MethodGet || method == http.MethodDelete {
				q.ctype, q.body = "", ""
				q.path += "?at=%zz&limit=x"
			}
			r := ta.do(q)
			if r.status >= 500 {
				t.Errorf("%s %s with %s: %d %s", method, path, b.name, r.status, r.body)
			}
			if r.status >= 400 && r.errorCode() == "" {
				t.Errorf("%s %s with %s: %d without the error shape: %.200s", method, path, b.name, r.status, r.body)
			}
			oneColumnCSV := rt == "POST /v1/uploads" && b.name == "text" // a dataset, as far as one can tell
			if r.status < 300 && method != http.MethodGet && !oneColumnCSV {
				t.Errorf("%s %s with %s: %d, a success for garbage: %.200s", method, path, b.name, r.status, r.body)
			}
		}
	}
}
