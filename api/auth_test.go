package api

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/kestrelcep/kestrel/config"
)

func TestAuthOpenEndpoints(t *testing.T) {
	ta := startAPI(t)
	for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
		if r := ta.do(req{method: "GET", path: p}); r.status != 200 {
			t.Errorf("GET %s without a token: %d %s", p, r.status, r.body)
		}
	}
}

func TestAuthUnauthenticated(t *testing.T) {
	ta := startAPI(t)
	for _, q := range []req{
		{method: "GET", path: "/v1/alerts"},
		{method: "GET", path: "/v1/alerts", token: "wrong"},
		{method: "GET", path: "/v1/alerts", token: adminToken + "x"},
		{method: "GET", path: "/v1/alerts", header: map[string]string{"Authorization": "Basic " + adminToken}},
		{method: "POST", path: "/v1/streams/txn/events", body: "{"},
		{method: "GET", path: "/v1/no/such/route"}, // no route: still a token first
	} {
		r := ta.do(q)
		if r.status != http.StatusUnauthorized || r.errorCode() != "unauthorized" {
			t.Errorf("%s %s %q: %d %s, want 401", q.method, q.path, q.token, r.status, r.body)
		}
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s %s: WWW-Authenticate %q", q.method, q.path, r.header.Get("WWW-Authenticate"))
		}
	}
	// A valid token on no route gets the router's 404.
	if r := ta.do(req{method: "GET", path: "/v1/no/such/route", token: ingestToken}); r.status != 404 {
		t.Errorf("no route: %d %s", r.status, r.body)
	}
}

// TestAuthBeforeBody: a caller without the role gets 403 whatever the body;
// an allowed caller with a bad body gets 400.
func TestAuthBeforeBody(t *testing.T) {
	ta := startAPI(t)
	bad := req{method: "POST", path: "/v1/streams/txn/events", ctype: "application/json", body: "{not json"}
	for _, tok := range []string{analystToken, deployerToken} {
		q := bad
		q.token = tok
		if r := ta.do(q); r.status != http.StatusForbidden || r.errorCode() != "forbidden" {
			t.Errorf("events with a %s token: %d %s, want 403", tok, r.status, r.body)
		}
	}
	q := bad
	q.token = ingestToken
	if r := ta.do(q); r.status != http.StatusBadRequest {
		t.Errorf("events with the ingest token and a bad body: %d %s, want 400", r.status, r.body)
	}
	q = req{method: "GET", path: "/v1/outputs/alerts/stream", token: ingestToken}
	if r := ta.do(q); r.status != http.StatusForbidden {
		t.Errorf("a live stream with the ingest token: %d %s, want 403", r.status, r.body)
	}
}

// TestAuthRoleTable checks api.md's role table against every route the
// router serves: an allowed role never gets 401 or 403, another always 403.
func TestAuthRoleTable(t *testing.T) {
	ta := startAPI(t)
	tokens := map[string]string{config.RoleAdmin: adminToken, config.RoleDeployer: deployerToken,
		config.RoleAnalyst: analystToken, config.RoleIngest: ingestToken}
	want := func(method, path, role string) bool {
		switch role {
		case config.RoleAdmin:
			return true
		case config.RoleDeployer:
			return method == "GET" || path == "/v1/validate" || path == "/v1/features:lookup" ||
				(!strings.HasPrefix(path, "/v1/replays") && path != "/v1/uploads" && !strings.HasSuffix(path, "/events"))
		case config.RoleAnalyst:
			return method == "GET" || path == "/v1/validate" || path == "/v1/features:lookup" ||
				strings.HasPrefix(path, "/v1/replays") || path == "/v1/uploads"
		case config.RoleIngest:
			return path == "/v1/openapi.json" || strings.HasSuffix(path, "/events") && method == "POST"
		}
		return false
	}
	routes := routeList(New(ta.svc, Options{Tokens: testTokens}))
	for _, rt := range routes {
		method, pattern, _ := strings.Cut(rt, " ")
		if routeAccess[rt] == open {
			continue
		}
		path := concretePath(pattern)
		for role, tok := range tokens {
			// An empty JSON object: nothing that a handler could act on
			// (no such names), so allowed calls change nothing.
			r := ta.do(req{method: method, path: path, token: tok, ctype: "application/json", body: "{}"})
			denied := r.status == http.StatusForbidden && r.errorCode() == "forbidden"
			if r.status == http.StatusUnauthorized {
				t.Errorf("%s %s as %s: 401 %s", method, path, role, r.body)
			}
			if w := want(method, pattern, role); w == denied {
				t.Errorf("%s %s as %s: %d %s; allowed should be %v", method, path, role, r.status, r.body, w)
			}
		}
	}
}

// concretePath fills a route pattern's parameters with names that exist
// nowhere.
func concretePath(pattern string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			b.WriteString(pattern)
			return b.String()
		}
		j := strings.IndexByte(pattern[i:], '}')
		b.WriteString(pattern[:i])
		b.WriteString("zz-nothing")
		pattern = pattern[i+j+1:]
	}
}

// routeList lists "METHOD pattern" for every route of h, sorted.
func routeList(h http.Handler) []string {
	var routes []string
	for rt := range servedRoutes(h.(chi.Routes)) {
		routes = append(routes, rt)
	}
	sort.Strings(routes)
	return routes
}

// TestEveryRouteHasAccess fails when a route has no line in routeAccess:
// add one there, saying which roles may call it (api.md, Auth).
func TestEveryRouteHasAccess(t *testing.T) {
	ta := startAPI(t)
	for _, rt := range routeList(New(ta.svc, Options{})) {
		if _, ok := routeAccess[rt]; !ok {
			t.Errorf("route %s has no line in routeAccess (api/auth.go)", rt)
		}
	}
}

func TestAuthNoTokens(t *testing.T) {
	ta := startAPI(t, func(s *apiSetup) { s.noTokens = true })
	if r := ta.do(req{method: "GET", path: "/v1/outputs/nosuch/stream"}); r.status != 404 {
		t.Errorf("no tokens configured, loopback: %d %s", r.status, r.body)
	}
	// The same handler reached through a non-loopback address refuses.
	h := New(ta.svc, Options{})
	hr := httptest.NewRequest("GET", "/v1/outputs/nosuch/stream", nil)
	hr = hr.WithContext(context.WithValue(hr.Context(), http.LocalAddrContextKey,
		&net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 8080}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, hr)
	if w.Code != http.StatusForbidden {
		t.Errorf("no tokens, non-loopback: %d %s", w.Code, w.Body)
	}
	// Open endpoints stay open there.
	hr = httptest.NewRequest("GET", "/healthz", nil)
	hr = hr.WithContext(context.WithValue(hr.Context(), http.LocalAddrContextKey,
		&net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 8080}))
	w = httptest.NewRecorder()
	h.ServeHTTP(w, hr)
	if w.Code != 200 {
		t.Errorf("healthz, no tokens, non-loopback: %d", w.Code)
	}
}

// TestAuthor: the token's name, or its role, is the request's author.
func TestAuthor(t *testing.T) {
	s := &server{log: discard(), auth: newAuthenticator(testTokens)}
	mux := chi.NewRouter()
	mux.Use(s.authorize(mux))
	mux.Get("/v1/alerts", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(Author(r.Context()) + "/" + Role(r.Context())))
	})
	for tok, want := range map[string]string{adminToken: "ada/admin", analystToken: "analyst/analyst", deployerToken: "dee/deployer"} {
		hr := httptest.NewRequest("GET", "/v1/alerts", nil)
		hr.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, hr)
		if w.Body.String() != want {
			t.Errorf("author %q, want %q", w.Body, want)
		}
	}
}

func TestFindToken(t *testing.T) {
	a := newAuthenticator(testTokens)
	for _, tc := range testTokens {
		got, ok := a.find(tc.Token)
		if !ok || got.role != tc.Role {
			t.Errorf("find(%s) = %v %v", tc.Token, got, ok)
		}
	}
	for _, bad := range []string{"", "t-admin", adminToken + " ", strings.ToUpper(adminToken)} {
		if _, ok := a.find(bad); ok {
			t.Errorf("find(%q) found a token", bad)
		}
	}
}

func BenchmarkFindToken(b *testing.B) {
	a := newAuthenticator(testTokens)
	b.ReportAllocs()
	for b.Loop() {
		a.find(ingestToken)
	}
}
