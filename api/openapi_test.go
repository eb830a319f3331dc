package api

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes walks chi's routes and the served document's
// paths and methods: they must be the same. A route added to the router
// needs its operation in operations() (api/openapi.go).
func TestOpenAPIMatchesRoutes(t *testing.T) {
	ta := startAPI(t)
	r := ta.do(req{method: "GET", path: "/v1/openapi.json", token: ingestToken})
	if r.status != 200 {
		t.Fatalf("GET /v1/openapi.json: %d %s", r.status, r.body)
	}
	var doc map[string]any
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi %v", doc["openapi"])
	}
	documented := documentedRoutes(doc)
	served := routeList(New(ta.svc, Options{}))
	for _, rt := range served {
		if !slices.Contains(documented, rt) {
			t.Errorf("route %s is served but not in the OpenAPI document: add its operation to operations() in api/openapi.go", rt)
		}
	}
	for _, rt := range documented {
		if !slices.Contains(served, rt) {
			t.Errorf("the OpenAPI document describes %s, which the router does not serve", rt)
		}
	}
	// Every $ref resolves.
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, ref := range refs(doc, nil) {
		if _, ok := schemas[strings.TrimPrefix(ref, "#/components/schemas/")]; !ok {
			t.Errorf("dangling $ref %s", ref)
		}
	}
	// Open endpoints say so; the others carry the bearer scheme.
	get := func(path, method string) map[string]any {
		return doc["paths"].(map[string]any)[path].(map[string]any)[method].(map[string]any)
	}
	if sec, ok := get("/healthz", "get")["security"].([]any); !ok || len(sec) != 0 {
		t.Errorf("/healthz security %v", get("/healthz", "get")["security"])
	}
	if _, ok := get("/v1/alerts", "get")["responses"].(map[string]any)["401"]; !ok {
		t.Error("GET /v1/alerts lacks its 401")
	}
}

func refs(v any, out []string) []string {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "$ref" {
				out = append(out, s)
			} else {
				out = refs(e, out)
			}
		}
	case []any:
		for _, e := range x {
			out = refs(e, out)
		}
	}
	return out
}

// TestOpenAPIOperationsHaveAccess: every operation of the table has its line
// in the role table, so the document's roles are right.
func TestOpenAPIOperationsHaveAccess(t *testing.T) {
	for _, op := range operations() {
		if _, ok := routeAccess[op.method+" "+op.path]; !ok {
			t.Errorf("%s %s has no line in routeAccess", op.method, op.path)
		}
	}
}
