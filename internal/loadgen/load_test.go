package loadgen

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeLoad runs the load against a `kestrel serve` subprocess with the
// tour's rule, only when KESTREL_LOAD=1:
//
//	KESTREL_LOAD=1 go test ./internal/loadgen -run ServeLoad -v -timeout 5m
//
// KESTREL_LOAD_RATE (events/s, default 20000), KESTREL_LOAD_SECONDS (default
// 20), KESTREL_LOAD_CHECKPOINT (the checkpoint interval, default 10s),
// KESTREL_LOAD_SSE=1 (observe alerts on GET /v1/outputs/alerts/stream
// rather than in the alerts file) and KESTREL_BIN (a kestrel binary to run
// rather than one built from this tree) change it. It logs the result and
// the server's CPU time over the run.
func TestServeLoad(t *testing.T) {
	if os.Getenv("KESTREL_LOAD") != "1" {
		t.Skip("a load run; set KESTREL_LOAD=1")
	}
	rate := envInt("KESTREL_LOAD_RATE", 20000)
	secs := envInt("KESTREL_LOAD_SECONDS", 20)
	checkpoint := cmp.Or(os.Getenv("KESTREL_LOAD_CHECKPOINT"), "10s") // the default interval
	bin := os.Getenv("KESTREL_BIN")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "kestrel")
		if out, err := exec.Command("go", "build", "-o", bin, "github.com/kestrelcep/kestrel/cmd/kestrel").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	data := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var stderr bytes.Buffer
	rules, err := filepath.Abs("../../testdata/tour")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "kestrel.yaml")
	os.WriteFile(cfg, fmt.Appendf(nil, "listen: %s\ndata: %s\nrules: [%s]\ncheckpoint: {interval: %s}\n"+
		"outputs:\n  alerts: [{file: {path: %s/alerts.jsonl}}]\n", addr, data, rules, checkpoint, data), 0o644)
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
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready after 20s\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}

	o := Options{URL: base, Rate: rate, Duration: time.Duration(secs) * time.Second, Warmup: 2 * time.Second,
		AlertsFile: filepath.Join(data, "alerts.jsonl")}
	if os.Getenv("KESTREL_LOAD_SSE") == "1" {
		o.AlertsFile, o.StreamURL = "", base+"/v1/outputs/alerts/stream"
	}
	cpu0, wall0 := procCPU(t, cmd.Process.Pid), time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), o.Duration+time.Minute)
	defer cancel()
	res, err := Run(ctx, o)
	cpu, wall := procCPU(t, cmd.Process.Pid)-cpu0, time.Since(wall0)
	if err != nil {
		t.Fatal(err)
	}
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("rate %d events/s for %ds, batches of %d, checkpoints every %s, alerts from %s\n%v\nserver CPU %.2f s over %.1f s wall (%.2f cores); load average %s",
		rate, secs, 100, checkpoint, map[bool]string{true: "the SSE stream", false: "the alerts file"}[o.StreamURL != ""],
		res, cpu.Seconds(), wall.Seconds(), cpu.Seconds()/wall.Seconds(), strings.TrimSpace(string(load)))
	if res.Failed > 0 || res.Missing > 0 || res.Unexpected > 0 {
		t.Errorf("%d failed requests, %d alerts missing, %d unexpected", res.Failed, res.Missing, res.Unexpected)
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// procCPU is a process's user and system CPU time so far (Linux).
func procCPU(t *testing.T, pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Logf("no CPU time: %v", err)
		return 0
	}
	// Fields after the command's closing parenthesis: utime and stime are
	// the 12th and 13th, in clock ticks (100 per second).
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	u, _ := strconv.Atoi(f[11])
	s, _ := strconv.Atoi(f[12])
	return time.Duration(u+s) * 10 * time.Millisecond
}
