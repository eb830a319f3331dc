package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"
)

// The OpenAPI 3.1 document served at GET /v1/openapi.json is built here from
// a table of operations, one per route. New keeps the operations whose route
// the router serves, so the document never describes a route that is not
// there; TestOpenAPIMatchesRoutes fails when the router serves a route the
// table does not describe: whoever adds a route adds its operation below.
// The operations of routes not built yet (api.md's) are written already.

// operation describes one route.
type operation struct {
	method, path string
	tag, summary string
	query        []param
	header       []param
	body         *content // the request body
	ok           int      // the success status
	okBody       *content // nil: no body
	errors       []int    // the error statuses besides those every route may give
}

type param struct {
	name, desc string
	schema     map[string]any
}

type content struct {
	mediaType string
	schema    map[string]any
	desc      string
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }
func str(desc string) map[string]any { return map[string]any{"type": "string", "description": desc} }
func integer(desc string) map[string]any {
	return map[string]any{"type": "integer", "description": desc}
}
func jsonOf(name string) *content { return &content{mediaType: "application/json", schema: ref(name)} }
func krlText() *content {
	return &content{mediaType: "text/plain", schema: map[string]any{"type": "string"}, desc: "KRL source text"}
}

var definitionKinds = []string{"streams", "tables", "features", "rules"}

func operations() []operation {
	ops := []operation{
		{method: "GET", path: "/healthz", tag: "operations", summary: "Liveness", ok: 200, okBody: jsonOf("Status")},
		{method: "GET", path: "/readyz", tag: "operations", summary: "Readiness: state restored and sources attached", ok: 200, okBody: jsonOf("Status"), errors: []int{503}},
		{method: "GET", path: "/metrics", tag: "operations", summary: "Prometheus metrics", ok: 200,
			okBody: &content{mediaType: "text/plain", schema: map[string]any{"type": "string"}, desc: "Prometheus text exposition format"}},
		{method: "GET", path: "/v1/openapi.json", tag: "operations", summary: "This document", ok: 200,
			okBody: &content{mediaType: "application/json", schema: map[string]any{"type": "object"}}},

		{method: "POST", path: "/v1/streams/{name}/events", tag: "events", summary: "Post events to a stream: a JSON object, a JSON array or NDJSON; 202 once durable",
			body: &content{mediaType: "application/json", schema: map[string]any{"oneOf": []any{
				map[string]any{"type": "object"}, map[string]any{"type": "array", "items": map[string]any{"type": "object"}}}},
				desc: "also application/x-ndjson: one JSON object per line"},
			ok: 202, okBody: jsonOf("IngestResult"), errors: []int{409, 503}},

		{method: "GET", path: "/v1/alerts", tag: "alerts", summary: "Stored alerts, newest first, a page at a time",
			query: []param{
				{"rule", "only this rule's alerts", str("")},
				{"version", "with rule: only this version's", integer("")},
				{"key", "only this partition key's: text is a string key; a quoted string or a JSON array (composite key) is JSON", str("")},
				{"kind", "match or timeout", map[string]any{"type": "string", "enum": []string{"match", "timeout"}}},
				{"mode", "live or shadow", map[string]any{"type": "string", "enum": []string{"live", "shadow"}}},
				{"output", "only this output's (alerts, shadow, timeouts or a rule's `to NAME`)", str("")},
				{"since", "fired at or after (RFC 3339)", map[string]any{"type": "string", "format": "date-time"}},
				{"until", "fired before (RFC 3339)", map[string]any{"type": "string", "format": "date-time"}},
				{"limit", "page size, 1 to 1000 (default 100)", map[string]any{"type": "integer", "minimum": 1, "maximum": 1000}},
				{"cursor", "next_cursor of the previous page", str("")},
			},
			ok: 200, okBody: jsonOf("AlertPage")},
		{method: "GET", path: "/v1/alerts/{id}", tag: "alerts", summary: "One alert", ok: 200, okBody: jsonOf("Alert")},
		{method: "GET", path: "/v1/outputs/{output}/stream", tag: "alerts", summary: "An output's records as they are written, as Server-Sent Events",
			query: []param{{"rule", "only this rule's records", str("")}, {"key", "only this partition key's records", str("")}},
			ok:    200, okBody: &content{mediaType: "text/event-stream", schema: map[string]any{"type": "string"},
				desc: "one event per record: `id:` the alert id, `event:` the output, `data:` the JSON record; `: heartbeat` comments; a final `dropped` or `closed` event"}},

		{method: "POST", path: "/v1/uploads", tag: "replays", summary: "Upload a dataset (JSON lines or CSV, optionally gzip) for replays",
			query: []param{{"name", "the file's name; its extension gives the format", str("")}},
			body: &content{mediaType: "application/octet-stream", schema: map[string]any{"type": "string", "contentEncoding": "binary"},
				desc: "also text/csv, application/x-ndjson, application/gzip"},
			ok: 201, okBody: jsonOf("Upload"), errors: []int{413, 415, 422}},
		{method: "GET", path: "/v1/replays", tag: "replays", summary: "The replays remembered, newest first", ok: 200, okBody: jsonOf("ReplayList")},
		{method: "POST", path: "/v1/replays", tag: "replays", summary: "Start a replay (backtest) on an engine of its own", body: jsonOf("ReplayRequest"),
			ok: 202, okBody: jsonOf("ReplayStarted"), errors: []int{413, 415, 422}},
		{method: "GET", path: "/v1/replays/{id}", tag: "replays", summary: "A replay's status, progress and, once done, scores", ok: 200, okBody: jsonOf("Replay")},
		{method: "GET", path: "/v1/replays/{id}/alerts", tag: "replays", summary: "A replay's alert records as NDJSON (those so far while it runs)",
			ok: 200, okBody: &content{mediaType: "application/x-ndjson", schema: map[string]any{"type": "string"}, desc: "one alert record per line"}},
		{method: "DELETE", path: "/v1/replays/{id}", tag: "replays", summary: "Cancel a replay", ok: 200, okBody: jsonOf("Replay")},

		{method: "GET", path: "/v1/features/{name}/values/{key}", tag: "features", summary: "A feature's value for a single-field key",
			query: []param{{"at", "point in time (RFC 3339); default now", map[string]any{"type": "string", "format": "date-time"}}},
			ok:    200, okBody: jsonOf("FeatureValue"), errors: []int{422, 503}},
		{method: "POST", path: "/v1/features:lookup", tag: "features", summary: "Several features for several keys", body: jsonOf("LookupRequest"),
			ok: 200, okBody: jsonOf("LookupResult"), errors: []int{413, 415, 422, 503}},

		{method: "POST", path: "/v1/validate", tag: "definitions", summary: "Check KRL text against the deployed declarations",
			body: krlText(), ok: 200, okBody: jsonOf("Validation"), errors: []int{413, 415, 422}},
		{method: "POST", path: "/v1/rules/{name}/rollback", tag: "definitions", summary: "A new version of a rule with an older version's source",
			body: jsonOf("Rollback"), ok: 201, okBody: jsonOf("Definition"), errors: []int{413, 415, 422}},
		{method: "PATCH", path: "/v1/rules/{name}", tag: "definitions", summary: "Set a rule's mode: live, shadow or disabled",
			body: jsonOf("ModeChange"), ok: 200, okBody: jsonOf("Definition"), errors: []int{413, 415}},
	}
	for _, kind := range definitionKinds {
		p := "/v1/" + kind
		ops = append(ops,
			operation{method: "GET", path: p, tag: "definitions", summary: "The " + kind + " deployed, current versions", ok: 200, okBody: jsonOf("DefinitionList")},
			operation{method: "PUT", path: p + "/{name}", tag: "definitions", summary: "Deploy a new version (KRL declaring exactly that name), live at once",
				header: []param{{"If-Match", "the current version; 409 if it differs", str("")}},
				query:  queryIf(kind == "rules", param{"mode", "shadow or live (default live)", map[string]any{"type": "string", "enum": []string{"live", "shadow"}}}),
				body:   krlText(), ok: 201, okBody: jsonOf("Definition"), errors: []int{409, 413, 415, 422}},
			operation{method: "GET", path: p + "/{name}", tag: "definitions", summary: "The current version", ok: 200, okBody: jsonOf("Definition")},
			operation{method: "GET", path: p + "/{name}/versions", tag: "definitions", summary: "Every version, newest first", ok: 200, okBody: jsonOf("Versions")},
			operation{method: "GET", path: p + "/{name}/versions/{v}", tag: "definitions", summary: "One version, with its source", ok: 200, okBody: jsonOf("Definition")},
			operation{method: "DELETE", path: p + "/{name}", tag: "definitions", summary: "Remove it; 409 while a rule uses it", ok: 200, okBody: jsonOf("Definition"), errors: []int{409}},
		)
	}
	return ops
}

func queryIf(cond bool, p param) []param {
	if cond {
		return []param{p}
	}
	return nil
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

var statusText = map[int]string{400: "malformed request", 401: "no or bad bearer token", 403: "the token's role may not do this",
	404: "no such name or id", 409: "conflict", 413: "body too large", 415: "unsupported content type",
	422: "does not validate", 429: "too many requests", 503: "not ready"}

// openAPI builds the document of the operations whose route "METHOD
// pattern" is in served.
func openAPI(served map[string]bool) map[string]any {
	paths := map[string]any{}
	for _, op := range operations() {
		if !served[op.method+" "+op.path] {
			continue
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(op.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, q := range op.query {
			params = append(params, map[string]any{"name": q.name, "in": "query", "description": q.desc, "schema": q.schema})
		}
		for _, h := range op.header {
			params = append(params, map[string]any{"name": h.name, "in": "header", "description": h.desc, "schema": h.schema})
		}
		o := map[string]any{
			"operationId": operationID(op),
			"summary":     op.summary,
			"tags":        []string{op.tag},
		}
		if params != nil {
			o["parameters"] = params
		}
		access := routeAccess[op.method+" "+op.path]
		if access == open {
			o["security"] = []any{}
		} else {
			o["description"] = "Roles: " + access.String() + "."
		}
		if op.body != nil {
			o["requestBody"] = map[string]any{"required": true, "description": op.body.desc,
				"content": map[string]any{op.body.mediaType: map[string]any{"schema": op.body.schema}}}
		}
		res := map[string]any{}
		okRes := map[string]any{"description": "success"}
		if op.okBody != nil {
			if op.okBody.desc != "" {
				okRes["description"] = op.okBody.desc
			}
			okRes["content"] = map[string]any{op.okBody.mediaType: map[string]any{"schema": op.okBody.schema}}
		}
		res[itoa(int64(op.ok))] = okRes
		errs := append([]int(nil), op.errors...)
		if access != open {
			errs = append(errs, 400, 401, 403)
		}
		if strings.Contains(op.path, "{") {
			errs = append(errs, 404)
		}
		for _, code := range errs {
			res[itoa(int64(code))] = map[string]any{"description": statusText[code],
				"content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}}
		}
		o["responses"] = res
		item, _ := paths[op.path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.path] = item
		}
		item[strings.ToLower(op.method)] = o
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Kestrel", "version": "1",
			"description": "Kestrel's HTTP API: definitions, events, alerts, features, replays. Errors are {\"error\": {\"code\", \"message\", \"details\"}}. See docs/api.md."},
		"security": []any{map[string]any{"bearer": []any{}}},
		"paths":    paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer",
				"description": "a token of kestrel.yaml's tokens, with its role: admin, deployer, analyst or ingest"}},
			"schemas": schemas(),
		},
	}
}

// operationID is a name for the operation: its method and path in camel case.
func operationID(op operation) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(op.method))
	for _, part := range strings.FieldsFunc(op.path, func(r rune) bool { return r == '/' || r == ':' || r == '.' }) {
		by := strings.HasPrefix(part, "{")
		part = strings.Trim(part, "{}")
		if part == "v1" {
			continue
		}
		if by {
			b.WriteString("By")
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func obj(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func arrayOf(items map[string]any) map[string]any {
	return map[string]any{"type": "array", "items": items}
}

func schemas() map[string]any {
	dt := map[string]any{"type": "string", "format": "date-time"}
	count := map[string]any{"type": "integer"}
	strMap := map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}}
	return map[string]any{
		"Error": obj(map[string]any{"error": obj(map[string]any{
			"code":    str("a stable, machine-readable code: bad_json, unauthorized, forbidden, unknown_alert, invalid_rule, ..."),
			"message": str("what went wrong, for people"),
			"details": arrayOf(map[string]any{"type": "object", "description": "rule errors {file, line, col, message} or event rejects {index, message}"}),
		}, "code", "message")}, "error"),
		"Status":       obj(map[string]any{"status": str("ok or ready")}, "status"),
		"IngestResult": obj(map[string]any{"accepted": count, "rejected": arrayOf(obj(map[string]any{"index": count, "message": str("")}))}, "accepted", "rejected"),
		"Alert": obj(map[string]any{
			"id": str("deterministic alert id"), "rule": str(""), "version": count, "severity": str(""),
			"mode": map[string]any{"type": "string", "enum": []string{"live", "shadow"}},
			"kind": map[string]any{"type": "string", "enum": []string{"match", "timeout"}},
			"key":  map[string]any{"description": "the partition key: a value, an array (composite) or null"},
			"time": dt, "start": dt, "end": dt,
			"events": map[string]any{"type": "object", "description": "per step, its matched events", "additionalProperties": arrayOf(map[string]any{"type": "object"})},
			"fields": map[string]any{"type": "object", "description": "the emitted fields"},
			"late":   map[string]any{"type": "boolean"},
			"output": str("the output it was written to: alerts, shadow, timeouts or a rule's `to NAME`"),
			"links":  obj(map[string]any{"self": str(""), "rule": str("the rule version that fired it: /v1/rules/NAME/versions/V")}),
		}, "id", "rule", "version", "kind", "key", "time"),
		"AlertPage": obj(map[string]any{"alerts": arrayOf(ref("Alert")),
			"next_cursor": map[string]any{"type": []string{"string", "null"}, "description": "pass as cursor for the next page; null on the last"}}, "alerts", "next_cursor"),
		"Upload": obj(map[string]any{"id": str("use it in a replay's events"),
			"format": map[string]any{"type": "string", "enum": []string{"jsonl", "csv"}}, "gzip": map[string]any{"type": "boolean"}, "size": count}, "id"),
		"ReplayRequest": map[string]any{"type": "object", "additionalProperties": false,
			"description": "exactly one of rules and krl",
			"properties": map[string]any{
				"rules":  arrayOf(str("a deployed rule's name")),
				"krl":    str("rule text; deployed streams, tables and features it does not declare are added"),
				"events": map[string]any{"type": "object", "description": "stream → an uploaded dataset's id, or a path inside the data directory's uploads or an allowed directory", "additionalProperties": map[string]any{"type": "string"}},
				"label":  str("a bool field to score the alerts against"),
				"tables": map[string]any{"type": "object", "description": "table → a file of its rows (as events); others keep the live rows", "additionalProperties": map[string]any{"type": "string"}},
			}, "required": []string{"events"}},
		"ReplayStarted": obj(map[string]any{"id": str(""), "status": str("queued"), "links": strMap}, "id"),
		"Replay": obj(map[string]any{
			"id": str(""), "status": map[string]any{"type": "string", "enum": []string{"queued", "running", "done", "failed", "cancelled"}},
			"rules": arrayOf(str("")), "events": strMap, "label": str(""), "author": str("the token's name"),
			"created": dt, "started": dt, "finished": dt,
			"progress": obj(map[string]any{"events": integer("events handed to the engine"), "read": integer("bytes of the datasets read"), "total": integer("bytes of the datasets")}),
			"outputs":  map[string]any{"type": "object", "description": "records written per output", "additionalProperties": count},
			"error":    str("why it failed"),
			"scores":   map[string]any{"type": "object", "description": "with a label, once done: exactly `kestrel replay --label FIELD --json`'s output (docs/backtesting.md)"},
			"links":    strMap,
		}, "id", "status", "progress"),
		"ReplayList":     obj(map[string]any{"replays": arrayOf(ref("Replay"))}, "replays"),
		"FeatureValue":   featureValueSchema(dt), // features.go
		"LookupRequest":  obj(map[string]any{"features": arrayOf(str("")), "keys": arrayOf(map[string]any{"description": "a key; a composite key is a JSON array"}), "at": dt}, "features", "keys"),
		"LookupResult":   lookupResultSchema(dt), // features.go
		"Validation":     obj(map[string]any{"declarations": arrayOf(map[string]any{"type": "object"})}),
		"Definition":     obj(map[string]any{"kind": str(""), "name": str(""), "version": count, "source": str("KRL"), "mode": str("rules: live, shadow or disabled"), "author": str(""), "deployed_at": dt}),
		"DefinitionList": map[string]any{"type": "object", "description": "{KIND: [definitions]}", "additionalProperties": arrayOf(ref("Definition"))},
		"Versions":       obj(map[string]any{"versions": arrayOf(ref("Definition"))}, "versions"),
		"Rollback":       obj(map[string]any{"version": count}, "version"),
		"ModeChange":     obj(map[string]any{"mode": map[string]any{"type": "string", "enum": []string{"live", "shadow", "disabled"}}}, "mode"),
	}
}

// servedRoutes returns "METHOD pattern" of every route of r.
func servedRoutes(r chi.Routes) map[string]bool {
	served := map[string]bool{}
	chi.Walk(r, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		served[method+" "+route] = true
		return nil
	})
	return served
}

// openAPIHandler serves the document of the routes of r, built on first use
// (after New has added every route).
func openAPIHandler(r chi.Routes) http.HandlerFunc {
	var once sync.Once
	var doc []byte
	var err error
	return func(w http.ResponseWriter, _ *http.Request) {
		once.Do(func() { doc, err = json.MarshalIndent(openAPI(servedRoutes(r)), "", "  ") })
		if err != nil {
			writeError(w, http.StatusInternalServerError, "internal", err.Error(), nil)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(doc)
	}
}

// documentedRoutes returns "METHOD path" of every operation of doc, sorted.
func documentedRoutes(doc map[string]any) []string {
	var out []string
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(out)
	return out
}
