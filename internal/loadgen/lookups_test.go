package loadgen

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lookupKRL: three sliding features by card.
const lookupKRL = `stream txn (id string, card_id string, amount float, merchant string, ts time)
  id id
  timestamp ts

feature n_1h     = count()     of txn by card_id over sliding 1h
feature spend_1h = sum(amount) of txn by card_id over sliding 1h
feature max_24h  = max(amount) of txn by card_id over sliding 24h
`

// TestLookupLoad measures feature lookups over HTTP from the embedded
// store against a `kestrel serve` subprocess, only when KESTREL_LOAD=1:
//
//	KESTREL_LOAD=1 go test ./internal/loadgen -run LookupLoad -v -timeout 5m
//
// The service first takes 5 events on each of 10,000 cards over the last
// half hour; then GET /v1/features/{n_1h|spend_1h|max_24h}/values/{card}
// goes out on a fixed schedule. KESTREL_LOAD_RATE (requests/s, default
// 10000), KESTREL_LOAD_SECONDS (default 20), KESTREL_LOAD_CONNS (default
// 8), KESTREL_LOAD_CHECKPOINT (the checkpoint interval, default 10s) and
// KESTREL_BIN change it. It logs the result and the server's CPU time.
func TestLookupLoad(t *testing.T) {
	if os.Getenv("KESTREL_LOAD") != "1" {
		t.Skip("a load run; set KESTREL_LOAD=1")
	}
	rate := envInt("KESTREL_LOAD_RATE", 10000)
	secs := envInt("KESTREL_LOAD_SECONDS", 20)
	conns := envInt("KESTREL_LOAD_CONNS", 8)
	checkpoint := cmp.Or(os.Getenv("KESTREL_LOAD_CHECKPOINT"), "10s") // the default interval
	const cards, perCard = 10000, 5
	bin := os.Getenv("KESTREL_BIN")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "kestrel")
		if out, err := exec.Command("go", "build", "-o", bin, "github.com/kestrelcep/kestrel/cmd/kestrel").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules")
	os.MkdirAll(rules, 0o755)
	os.WriteFile(filepath.Join(rules, "features.krl"), []byte(lookupKRL), 0o644)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := filepath.Join(dir, "kestrel.yaml")
	os.WriteFile(cfg, fmt.Appendf(nil, "listen: %s\ndata: %s/data\nrules: [%s]\ncheckpoint: {interval: %s}\noutputs:\n  alerts: [{file: {path: %s/alerts.jsonl}}]\n",
		addr, dir, rules, checkpoint, dir), 0o644)
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "serve", "--config", cfg, "--log-level", "warn")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("kestrel serve: %v\n%s", err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Errorf("kestrel serve did not stop\n%s", stderr.String())
		}
	}()
	base := "http://" + addr
	waitUntil(t, "ready", func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})

	// The state: perCard events per card over the last half hour, in time
	// order (the stream has no lateness).
	now := time.Now().Add(-time.Second).UnixMilli()
	var body bytes.Buffer
	n := cards * perCard
	for i := range n {
		ts := now - 30*60_000 + int64(i)*30*60_000/int64(n)
		fmt.Fprintf(&body, `{"id":"e%d","card_id":"c%d","amount":%d.5,"merchant":"m%d","ts":%d}`+"\n", i, (i*7919)%cards, i%300, i%50, ts)
		if (i+1)%5000 == 0 {
			resp, err := http.Post(base+"/v1/streams/txn/events", "application/x-ndjson", &body)
			if err != nil || resp.StatusCode != 202 {
				t.Fatalf("posting events: %v %v", err, resp)
			}
			resp.Body.Close()
			body.Reset()
		}
	}
	keys := make([]string, cards)
	for i := range keys {
		keys[i] = fmt.Sprintf(`"c%d"`, i)
	}
	lookupAll := fmt.Sprintf(`{"features":["n_1h"],"keys":[%s]}`, strings.Join(keys, ","))
	waitUntil(t, "the features to hold every event", func() bool {
		resp, err := http.Post(base+"/v1/features:lookup", "application/json", strings.NewReader(lookupAll))
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var out struct {
			Results []struct {
				Values map[string]float64 `json:"values"`
			} `json:"results"`
		}
		json.NewDecoder(resp.Body).Decode(&out)
		total := 0.0
		for _, r := range out.Results {
			total += r.Values["n_1h"]
		}
		return total == float64(n)
	})

	feats := []string{"n_1h", "spend_1h", "max_24h"}
	o := LookupOptions{URL: base, Rate: rate, Duration: time.Duration(secs) * time.Second, Warmup: 2 * time.Second, Conns: conns,
		Path: func(k int) string { return fmt.Sprintf("/v1/features/%s/values/c%d", feats[k%3], (k*7919+k/3)%cards) }}
	cpu0, wall0 := procCPU(t, cmd.Process.Pid), time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), o.Duration+time.Minute)
	defer cancel()
	res, err := RunLookups(ctx, o)
	cpu, wall := procCPU(t, cmd.Process.Pid)-cpu0, time.Since(wall0)
	if err != nil {
		t.Fatal(err)
	}
	load, _ := os.ReadFile("/proc/loadavg")
	verdict := "met"
	if res.Latency.P99 > time.Millisecond {
		verdict = "NOT met"
	}
	t.Logf("GET feature lookups at %d requests/s for %ds over %d connections, %d cards × 3 features, checkpoints every %s\n%v\np99 target 1 ms: %s\nserver CPU %.2f s over %.1f s wall (%.2f cores); load average %s",
		rate, secs, conns, cards, checkpoint, res, verdict, cpu.Seconds(), wall.Seconds(), cpu.Seconds()/wall.Seconds(), strings.TrimSpace(string(load)))
	if res.Failed > 0 {
		t.Errorf("%d requests failed", res.Failed)
	}
}

// waitUntil polls cond for up to a minute.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not %s after a minute", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRunLookups runs the lookup generator briefly against a stub server:
// every request due is sent, to the paths asked, and answered.
func TestRunLookups(t *testing.T) {
	var mu sync.Mutex
	paths := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths[r.URL.Path]++
		mu.Unlock()
		if r.URL.Path == "/v1/x/bad" {
			w.WriteHeader(404)
		}
		w.Write([]byte(`{"value":1}`))
	}))
	defer srv.Close()
	res, err := RunLookups(context.Background(), LookupOptions{URL: srv.URL, Rate: 2000, Duration: 400 * time.Millisecond,
		Warmup: 100 * time.Millisecond, Conns: 4, Path: func(k int) string {
			if k%100 == 99 {
				return "/v1/x/bad"
			}
			return fmt.Sprintf("/v1/x/%d", k%3)
		}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 600 || res.Failed != 6 || res.Latency.N != 600 {
		t.Errorf("%d requests, %d failed, %d latencies: %v", res.Requests, res.Failed, res.Latency.N, res)
	}
	mu.Lock()
	defer mu.Unlock()
	if paths["/v1/x/0"] != 264 || paths["/v1/x/bad"] != 8 {
		t.Errorf("paths: %v", paths)
	}
}
