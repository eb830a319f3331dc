package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/config"
	"github.com/kestrelcep/kestrel/service"
)

// Tokens of the test service, one per role.
const (
	adminToken    = "t-admin-0123456789"
	deployerToken = "t-deployer-0123456789"
	analystToken  = "t-analyst-0123456789"
	ingestToken   = "t-ingest-0123456789"
)

var testTokens = []config.Token{
	{Token: adminToken, Role: config.RoleAdmin, Name: "ada"},
	{Token: deployerToken, Role: config.RoleDeployer, Name: "dee"},
	{Token: analystToken, Role: config.RoleAnalyst}, // no name: the role is the author
	{Token: ingestToken, Role: config.RoleIngest, Name: "feeder"},
}

// testAPI is a real service on a temporary directory with the tour's rules,
// behind a real loopback listener.
type testAPI struct {
	t    *testing.T
	svc  *service.Service
	srv  *httptest.Server
	data string
}

type apiSetup struct {
	tokens   []config.Token
	api      Options
	svc      service.Options
	noTokens bool
}

func startAPI(t *testing.T, setup ...func(*apiSetup)) *testAPI {
	t.Helper()
	su := apiSetup{tokens: testTokens}
	for _, f := range setup {
		f(&su)
	}
	if su.noTokens {
		su.tokens = nil
	}
	dir := t.TempDir()
	cfg := config.Default()
	cfg.Data = filepath.Join(dir, "data")
	cfg.Rules = []string{"../testdata/tour"}
	cfg.Tokens = su.tokens
	cfg.Outputs["alerts"][0].File.Path = filepath.Join(dir, "alerts.jsonl")
	cfg.Checkpoint.Interval = time.Hour
	svc, err := service.Start(cfg, su.svc)
	if err != nil {
		t.Fatal(err)
	}
	su.api.Tokens = su.tokens
	srv := httptest.NewServer(New(svc, su.api))
	ta := &testAPI{t: t, svc: svc, srv: srv, data: cfg.Data}
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := svc.Close(ctx); err != nil {
			t.Errorf("closing the service: %v", err)
		}
	})
	return ta
}

// req is one request to the test API.
type req struct {
	method, path string
	token        string
	ctype        string
	body         string
	header       map[string]string
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// errorCode returns the code of an api.md error body, "" if it is not one.
func (r resp) errorCode() string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	json.Unmarshal(r.body, &e)
	return e.Error.Code
}

func (ta *testAPI) do(q req) resp {
	ta.t.Helper()
	var body io.Reader
	if q.body != "" {
		body = strings.NewReader(q.body)
	}
	hr, err := http.NewRequest(q.method, ta.srv.URL+q.path, body)
	if err != nil {
		ta.t.Fatal(err)
	}
	if q.token != "" {
		hr.Header.Set("Authorization", "Bearer "+q.token)
	}
	if q.ctype != "" {
		hr.Header.Set("Content-Type", q.ctype)
	}
	for k, v := range q.header {
		hr.Header.Set(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := ta.srv.Client().Do(hr.WithContext(ctx))
	if err != nil {
		ta.t.Fatalf("%s %s: %v", q.method, q.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		ta.t.Fatalf("%s %s: reading the response: %v", q.method, q.path, err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
