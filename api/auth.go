package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/kestrelcep/kestrel/config"
)

// access is who may call a route.
type access uint8

const (
	open    access = iota // no token: health, readiness, metrics
	anyRole               // any valid token
	read                  // admin, deployer, analyst: every GET, lookups, validate
	deploy                // admin, deployer: write definitions
	analyze               // admin, analyst: run replays, upload their datasets
	ingest                // admin, ingest: post events
	admin                 // admin only: what the table does not name
)

// allows tells whether role may call a route of access a. Admin may do
// everything.
func (a access) allows(role string) bool {
	switch role {
	case config.RoleAdmin:
		return true
	case config.RoleDeployer:
		return a == anyRole || a == read || a == deploy
	case config.RoleAnalyst:
		return a == anyRole || a == read || a == analyze
	case config.RoleIngest:
		return a == anyRole || a == ingest
	}
	return false
}

func (a access) String() string {
	return [...]string{"open", "any role", "admin, deployer or analyst", "admin or deployer",
		"admin or analyst", "admin or ingest", "admin"}[a]
}

// routeAccess is the role table of api.md's Auth section: every route the
// router serves, as "METHOD pattern" (chi's pattern), and who may call it.
// A route missing here is for admins only, and TestEveryRouteHasAccess fails:
// whoever adds a route adds its line here.
var routeAccess = map[string]access{
	// Operations.
	"GET /healthz":         open,
	"GET /readyz":          open,
	"GET /metrics":         open,
	"GET /v1/openapi.json": anyRole,

	// Events.
	"POST /v1/streams/{name}/events": ingest,

	// Alerts and outputs.
	"GET /v1/alerts":                  read,
	"GET /v1/alerts/{id}":             read,
	"GET /v1/outputs/{output}/stream": read,

	// Replays.
	"POST /v1/uploads":            analyze,
	"GET /v1/replays":             read,
	"POST /v1/replays":            analyze,
	"GET /v1/replays/{id}":        read,
	"GET /v1/replays/{id}/alerts": read,
	"DELETE /v1/replays/{id}":     analyze,

	// Features (reads, including the batch lookup, are for analysts too).
	"GET /v1/features/{name}/values/{key}": read,
	"POST /v1/features:lookup":             read,

	// Definitions.
	"POST /v1/validate":              read,
	"POST /v1/rules/{name}/rollback": deploy,
	"PATCH /v1/rules/{name}":         deploy,
}

func init() {
	// Definitions: the same lines for each kind, written out concretely as
	// the router serves them.
	for _, kind := range []string{"streams", "tables", "features", "rules"} {
		p := "/v1/" + kind
		routeAccess["GET "+p] = read
		routeAccess["GET "+p+"/{name}"] = read
		routeAccess["GET "+p+"/{name}/versions"] = read
		routeAccess["GET "+p+"/{name}/versions/{v}"] = read
		routeAccess["PUT "+p+"/{name}"] = deploy
		routeAccess["DELETE "+p+"/{name}"] = deploy
	}
}

// principal is who made a request: the token's name (its role when it has
// none) and role.
type principal struct {
	name, role string
}

type principalKey struct{}

// Author returns the name of the token that authenticated the request whose
// context ctx is: the token's configured name, or its role when it has none.
// Without tokens configured every caller is "anonymous"; outside a request,
// "".
func Author(ctx context.Context) string {
	p, _ := ctx.Value(principalKey{}).(principal)
	return p.name
}

// Role returns the role of the request's token ("admin" when no token is
// configured).
func Role(ctx context.Context) string {
	p, _ := ctx.Value(principalKey{}).(principal)
	return p.role
}

// token is a configured token, kept as its SHA-256 so every comparison has
// the same length.
type token struct {
	sum  [sha256.Size]byte
	name string
	role string
}

// authenticator checks bearer tokens against the configured ones.
type authenticator struct {
	tokens []token
}

func newAuthenticator(cfg []config.Token) *authenticator {
	a := &authenticator{}
	for _, t := range cfg {
		name := t.Name
		if name == "" {
			name = t.Role
		}
		a.tokens = append(a.tokens, token{sum: sha256.Sum256([]byte(t.Token)), name: name, role: t.Role})
	}
	return a
}

// find returns the token equal to secret. It compares the secret's hash with
// every token's in constant time, and goes through all of them whether or
// not one matched, so neither the time nor the order of tokens tells an
// attacker anything.
func (a *authenticator) find(secret string) (token, bool) {
	sum := sha256.Sum256([]byte(secret))
	found := -1
	for i := range a.tokens {
		eq := subtle.ConstantTimeCompare(sum[:], a.tokens[i].sum[:])
		found = subtle.ConstantTimeSelect(eq, i, found)
	}
	if found < 0 {
		return token{}, false
	}
	return a.tokens[found], true
}

// authorize is the middleware that authenticates every request and checks
// its role against routeAccess, before any handler reads the body: a caller
// without the role gets 403 whatever it sent, a missing or unknown token
// 401. The route is found with the router's own matching, so the table's
// patterns are chi's. A request for no route needs a valid token and then
// gets the router's 404 or 405.
//
// With no token configured every request is allowed as an anonymous admin,
// but only on a loopback address (config.Validate refuses another listen
// address; this holds whatever listener the handler is given).
func (s *server) authorize(mux *chi.Mux) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			need := anyRole
			if pattern := mux.Find(chi.NewRouteContext(), r.Method, r.URL.Path); pattern != "" {
				a, ok := routeAccess[r.Method+" "+pattern]
				if !ok {
					s.log.Warn("route has no line in the role table; admins only", "route", r.Method+" "+pattern)
					a = admin
				}
				need = a
			}
			if need == open {
				next.ServeHTTP(w, r)
				return
			}
			if len(s.auth.tokens) == 0 {
				if !fromLoopback(r) {
					writeError(w, http.StatusForbidden, "no_tokens",
						"no API tokens are configured, so the API answers only on a loopback address", nil)
					return
				}
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{},
					principal{name: "anonymous", role: config.RoleAdmin})))
				return
			}
			secret, ok := bearer(r)
			if !ok {
				w.Header().Set("WWW-Authenticate", `Bearer realm="kestrel"`)
				writeError(w, http.StatusUnauthorized, "unauthorized", "this endpoint needs a bearer token: Authorization: Bearer <token>", nil)
				return
			}
			t, ok := s.auth.find(secret)
			if !ok {
				w.Header().Set("WWW-Authenticate", `Bearer realm="kestrel", error="invalid_token"`)
				writeError(w, http.StatusUnauthorized, "unauthorized", "the bearer token is not valid", nil)
				return
			}
			if !need.allows(t.role) {
				writeError(w, http.StatusForbidden, "forbidden",
					"role "+t.role+" may not "+r.Method+" "+r.URL.Path+"; it needs "+need.String(), nil)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{},
				principal{name: t.name, role: t.role})))
		})
	}
}

// bearer returns the token of an "Authorization: Bearer <token>" header.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// fromLoopback tells whether the request came in on a loopback address of
// this machine. A handler called without a server (tests calling
// ServeHTTP directly) has no local address and counts as loopback.
func fromLoopback(r *http.Request) bool {
	addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return true
	}
	return IsLoopback(addr)
}

// IsLoopback tells whether addr is a loopback address: `kestrel serve`
// refuses to serve without tokens on any other.
func IsLoopback(addr net.Addr) bool {
	host := addr.String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
