package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/kestrelcep/kestrel/internal/testkafka"
	"github.com/kestrelcep/kestrel/state"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds kestrel once for the package's tests.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "kestrel-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "kestrel")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// server is a `kestrel serve` subprocess.
type server struct {
	cmd    *exec.Cmd
	addr   string
	stderr *syncBuffer
	done   chan error
}

// syncBuffer is a bytes.Buffer written by the process's output copier and
// read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs kestrel serve with args and waits until it is ready.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	s := &server{addr: freeAddr(t), stderr: &syncBuffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(binary(t), append([]string{"serve", "--listen", s.addr}, args...)...)
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("kestrel serve exited: %v\n%s", err, s.stderr)
		default:
		}
		if time.Now().After(deadline) {
			s.cmd.Process.Kill()
			t.Fatalf("kestrel serve not ready after 20s\n%s", s.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("kestrel serve: %v\n%s", err, s.stderr)
		}
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		t.Fatalf("kestrel serve did not stop\n%s", s.stderr)
	}
}

func (s *server) kill() {
	s.cmd.Process.Kill()
	<-s.done
}

// post sends NDJSON events; it reports whether they were acknowledged (202).
func (s *server) post(stream string, lines [][]byte) (bool, error) {
	resp, err := http.Post("http://"+s.addr+"/v1/streams/"+stream+"/events", "application/x-ndjson",
		bytes.NewReader(bytes.Join(lines, []byte("\n"))))
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return false, fmt.Errorf("status %s", resp.Status)
	}
	return true, nil
}

// cardEvents is a deterministic stream of card payments for the tour's rule:
// tiny payments, big ones, ordinary ones, over many cards, in time order.
func cardEvents(n int, seed uint64) [][]byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	t0 := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC).UnixMilli()
	out := make([][]byte, n)
	for i := range out {
		amount := 20 + rng.Float64()*200
		switch r := rng.IntN(10); {
		case r < 4:
			amount = 0.1 + rng.Float64()*1.8
		case r == 4:
			amount = 501 + rng.Float64()*1000
		}
		out[i] = fmt.Appendf(nil, `{"id":"t%d","card_id":"c%d","amount":%.2f,"merchant":"m%d","ts":%d}`,
			i, rng.IntN(150), amount, rng.IntN(30), t0+int64(i)*1000)
	}
	return out
}

// alertIDs reads a JSONL alerts file and returns its ids, failing on a
// duplicate.
func alertIDs(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ids []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var rec struct{ ID string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("%s: %v: %q", path, err, sc.Text())
		}
		if seen[rec.ID] {
			t.Errorf("%s: alert %s written twice", path, rec.ID)
		}
		seen[rec.ID] = true
		ids = append(ids, rec.ID)
	}
	slices.Sort(ids)
	return ids
}

// replayIDs runs kestrel replay over the events and returns the alert ids.
func replayIDs(t *testing.T, rules string, events [][]byte) []string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "events.jsonl")
	if err := os.WriteFile(in, append(bytes.Join(events, []byte("\n")), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "alerts.jsonl")
	cmd := exec.Command(binary(t), "replay", "--rules", rules, "--events", in, "--out", out, "--quiet")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("replay: %v\n%s", err, b)
	}
	return alertIDs(t, out)
}

// TestServeLiveEqualsReplay: events posted over HTTP to kestrel serve give the
// alerts kestrel replay gives for the same events.
func TestServeLiveEqualsReplay(t *testing.T) {
	events := cardEvents(6000, 1)
	data := t.TempDir()
	s := startServe(t, "--rules", "../../testdata/tour", "--data", data)
	for i := 0; i < len(events); i += 100 {
		if ok, err := s.post("txn", events[i:min(i+100, len(events))]); !ok {
			t.Fatal(err)
		}
	}
	// The metrics the service reports for what it did, once the source has
	// read back everything the ingest log took.
	var metrics []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		resp, err := http.Get("http://" + s.addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		metrics, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if bytes.Contains(metrics, []byte(`kestrel_events_in_total{stream="txn"} 6000`)) {
			break
		}
	}
	for _, m := range []string{`kestrel_ingest_events_accepted_total{stream="txn"} 6000`, `kestrel_events_in_total{stream="txn"} 6000`,
		"kestrel_event_to_alert_seconds_count", `kestrel_partial_match_keys{rule="card_testing"}`, `kestrel_watermark_lag_seconds{partition="http:txn",stream="txn"}`,
		`kestrel_alerts_total{output="alerts",rule="card_testing"}`, "kestrel_checkpoint_duration_seconds_count"} {
		if !strings.Contains(string(metrics), m) {
			t.Errorf("/metrics has no %s", m)
		}
	}
	s.stop(t)
	got := alertIDs(t, filepath.Join(data, "alerts.jsonl"))
	want := replayIDs(t, "../../testdata/tour", events)
	if len(want) < 50 {
		t.Fatalf("only %d alerts: the events do not exercise the rule", len(want))
	}
	if !slices.Equal(got, want) {
		t.Errorf("serve wrote %d alerts, replay %d; they differ", len(got), len(want))
	}
}

// TestServeCrash kills kestrel serve (SIGKILL) at random moments while a
// client posts events, restarts it, and goes on where the acknowledged (or,
// for the request cut by the kill, the logged) events end. The alerts file
// must end up with exactly the alerts of replay: none lost, none twice.
func TestServeCrash(t *testing.T) {
	// The pack with features and lateness; some events come a second late.
	const rules = "../../testdata/serve"
	events := cardEvents(20000, 2)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i+1 < len(events); i++ {
		if rng.IntN(20) == 0 {
			events[i], events[i+1] = events[i+1], events[i]
			i++
		}
	}
	data := t.TempDir()
	// Checkpoints every 30ms, so that kills fall between checkpoints of
	// every age: restores start from state taken mid-stream.
	cfg := filepath.Join(t.TempDir(), "kestrel.yaml")
	os.WriteFile(cfg, fmt.Appendf(nil, "data: %s\nrules: [%s]\ncheckpoint: {interval: 30ms}\n"+
		"outputs:\n  alerts: [{file: {path: %s/alerts.jsonl}}]\n", data, rules, data), 0o644)
	args := []string{"--config", cfg}
	sent := 0 // events known to be in the ingest log
	for round := 0; sent < len(events); round++ {
		s := startServe(t, args...)
		if round == 5 { // the last round runs to the end and stops cleanly
			for sent < len(events) {
				n := min(100, len(events)-sent)
				if ok, err := s.post("txn", events[sent:sent+n]); !ok {
					t.Fatal(err)
				}
				sent += n
			}
			s.stop(t)
			break
		}
		killAt := time.Now().Add(time.Duration(20+rng.IntN(200)) * time.Millisecond)
		for time.Now().Before(killAt) && sent < len(events) {
			n := min(1+rng.IntN(40), len(events)-sent)
			if ok, err := s.post("txn", events[sent:sent+n]); !ok {
				t.Fatalf("round %d: %v", round, err)
			}
			sent += n
		}
		// Kill while a request is in flight: it may or may not be logged.
		n := min(100, len(events)-sent)
		go s.post("txn", events[sent:sent+n])
		time.Sleep(time.Duration(rng.IntN(3)) * time.Millisecond)
		s.kill()
		logged := loggedEvents(t, data, "txn")
		if logged != sent && logged != sent+n {
			t.Fatalf("round %d: the log holds %d events; %d were acknowledged and %d in flight", round, logged, sent, n)
		}
		t.Logf("round %d: killed after %d events (%d acknowledged)", round, logged, sent)
		sent = logged
	}
	got := alertIDs(t, filepath.Join(data, "alerts.jsonl"))
	want := replayIDs(t, rules, events)
	if b, _ := os.ReadFile(filepath.Join(data, "alerts.jsonl")); bytes.Count(b, []byte(`"late":true`)) == 0 ||
		bytes.Count(b, []byte(`"rule":"tested_then_big"`)) == 0 {
		t.Errorf("the run had no late alert or none of the feature rule: the test does not test them")
	}
	if !slices.Equal(got, want) {
		missing, extra := diff(want, got)
		t.Errorf("after the crashes: %d alerts, replay %d; missing %d %v, extra %d %v", len(got), len(want), len(missing), head(missing), len(extra), head(extra))
	}
}

// loggedEvents opens the ingest log of a stopped server and counts what it
// holds.
func loggedEvents(t *testing.T, data, stream string) int {
	t.Helper()
	db, err := state.Open(data, state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := db.LastSeq(stream)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func diff(want, got []string) (missing, extra []string) {
	for _, id := range want {
		if _, ok := slices.BinarySearch(got, id); !ok {
			missing = append(missing, id)
		}
	}
	for _, id := range got {
		if _, ok := slices.BinarySearch(want, id); !ok {
			extra = append(extra, id)
		}
	}
	return missing, extra
}

func head(s []string) []string { return s[:min(len(s), 5)] }

// TestServeKafka reads events from a Kafka topic (the in-process broker, 3
// partitions, keyed by card) and kills kestrel serve at random moments while
// it does; the alerts file ends up with exactly the alerts of replay.
func TestServeKafka(t *testing.T) {
	events := cardEvents(30000, 3)
	want := replayIDs(t, "../../testdata/tour", events)
	kc := testkafka.Start(t, map[string]int{"txn": 3})
	produce(t, kc.Brokers, "txn", events)

	data := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "kestrel.yaml")
	os.WriteFile(cfg, fmt.Appendf(nil, `data: %s
rules: [../../testdata/tour]
checkpoint: {interval: 50ms}
idle_source_timeout: 2s
kafka: {session_timeout: 6s}
sources:
  txn: {kafka: {brokers: [%s], topic: txn, group: kestrel-test}}
outputs:
  alerts: [{file: {path: %s/alerts.jsonl}}]
`, data, kc.Brokers[0], data), 0o644)
	rng := rand.New(rand.NewPCG(9, 9))
	alertsFile := filepath.Join(data, "alerts.jsonl")
	for round := range 2 {
		s := startServe(t, "--config", cfg)
		// Kill at a random point of the progress, not of the clock: group
		// joins take seconds.
		at := len(want) * (round*30 + 5 + rng.IntN(20)) / 100
		deadline := time.Now().Add(30 * time.Second)
		for lineCount(alertsFile) < at && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		s.kill()
		t.Logf("round %d: killed with %d alert lines written", round, lineCount(alertsFile))
	}
	s := startServe(t, "--config", cfg)
	deadline := time.Now().Add(60 * time.Second)
	for lineCount(alertsFile) < len(want) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	// Every partition this last run read from is read to its end.
	lags := grepLines(scrape(t, s), "kestrel_kafka_consumer_lag{")
	if lags == "" {
		t.Error("/metrics has no kestrel_kafka_consumer_lag")
	}
	for _, l := range strings.Split(lags, "\n") {
		if l != "" && !strings.HasSuffix(l, " 0") {
			t.Errorf("consumer lag once everything is read: %s", l)
		}
	}
	s.stop(t)
	got := alertIDs(t, alertsFile)
	if !slices.Equal(got, want) {
		missing, extra := diff(want, got)
		t.Errorf("kafka: %d alerts, replay %d; missing %d %v, extra %d %v", len(got), len(want), len(missing), head(missing), len(extra), head(extra))
	}
}

// produce writes events to a topic keyed by card_id, so that a card's events
// stay in order in one partition.
func produce(t *testing.T, brokers []string, topic string, events [][]byte) {
	t.Helper()
	if err := produceErr(brokers, topic, events); err != nil {
		t.Fatal(err)
	}
}

func produceErr(brokers []string, topic string, events [][]byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: topic, Balancer: &kafka.Hash{},
		RequiredAcks: kafka.RequireAll, BatchTimeout: time.Millisecond, BatchSize: 500}
	defer w.Close()
	msgs := make([]kafka.Message, len(events))
	for i, ev := range events {
		var k struct {
			Card string `json:"card_id"`
		}
		json.Unmarshal(ev, &k)
		msgs[i] = kafka.Message{Key: []byte(k.Card), Value: ev}
	}
	return w.WriteMessages(ctx, msgs...)
}

func lineCount(path string) int {
	b, _ := os.ReadFile(path)
	return bytes.Count(b, []byte("\n"))
}

// TestServeRebalance runs three kestrel serve processes in one consumer group
// on a 6-partition topic and kills one of them (SIGKILL) mid-stream; the
// others take its partitions over, restoring their state from the changelog.
// The union of the three alerts files is exactly the alerts of replay.
func TestServeRebalance(t *testing.T) {
	events := cardEvents(30000, 4)
	want := replayIDs(t, "../../testdata/tour", events)
	kc := testkafka.Start(t, map[string]int{"txn": 6})

	var servers []*server
	var files []string
	for range 3 {
		data := t.TempDir()
		cfg := filepath.Join(t.TempDir(), "kestrel.yaml")
		os.WriteFile(cfg, fmt.Appendf(nil, `data: %s
rules: [../../testdata/tour]
checkpoint: {interval: 100ms}
idle_source_timeout: 2s
kafka: {session_timeout: 6s}
sources:
  txn: {kafka: {brokers: [%s], topic: txn, group: kestrel-rebalance}}
outputs:
  alerts: [{file: {path: %s/alerts.jsonl}}]
`, data, kc.Brokers[0], data), 0o644)
		servers = append(servers, startServe(t, "--config", cfg))
		files = append(files, filepath.Join(data, "alerts.jsonl"))
	}
	// Once all three have partitions, the events come, over a few seconds.
	deadline := time.Now().Add(60 * time.Second)
	for _, s := range servers {
		for !strings.Contains(s.stderr.String(), "kafka partitions assigned") && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
	produced := make(chan error, 1)
	go func() {
		for i := 0; i < len(events); i += 1000 {
			if err := produceErr(kc.Brokers, "txn", events[i:min(i+1000, len(events))]); err != nil {
				produced <- err
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		produced <- nil
	}()
	union := func() map[string]bool {
		ids := map[string]bool{}
		for _, f := range files {
			b, _ := os.ReadFile(f)
			for _, line := range bytes.Split(b, []byte("\n")) {
				var rec struct{ ID string }
				if json.Unmarshal(line, &rec) == nil {
					ids[rec.ID] = true
				}
			}
		}
		return ids
	}
	for len(union()) < len(want)*2/5 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	servers[2].kill()
	t.Logf("killed one instance with %d of %d alerts written", len(union()), len(want))
	for len(union()) < len(want) && time.Now().Before(deadline.Add(30*time.Second)) {
		time.Sleep(50 * time.Millisecond)
	}
	servers[0].stop(t)
	servers[1].stop(t)
	if err := <-produced; err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(maps.Keys(union()))
	if !slices.Equal(got, want) {
		missing, extra := diff(want, got)
		t.Errorf("rebalance: %d alerts, replay %d; missing %d %v, extra %d %v", len(got), len(want), len(missing), head(missing), len(extra), head(extra))
	}
	for i, f := range files {
		alertIDs(t, f) // no alert twice in one instance's file
		t.Logf("instance %d wrote %d alerts", i, lineCount(f))
	}
}

// TestServeFiles reads one stream from a gzip-compressed file and another
// configuration follows a plain file as it grows; both give replay's alerts,
// and a restart does not read what was read before.
func TestServeFiles(t *testing.T) {
	events := cardEvents(4000, 5)
	want := replayIDs(t, "../../testdata/tour", events)
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(append(bytes.Join(events, []byte("\n")), '\n'))
	zw.Close()
	os.WriteFile(filepath.Join(dir, "txn.jsonl.gz"), gz.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "txn.jsonl"), append(bytes.Join(events[:2000], []byte("\n")), '\n'), 0o644)

	for _, c := range []struct {
		name, source string
		follow       bool
	}{{"gzip", "txn.jsonl.gz", false}, {"follow", "txn.jsonl", true}} {
		t.Run(c.name, func(t *testing.T) {
			data := t.TempDir()
			cfg := filepath.Join(t.TempDir(), "kestrel.yaml")
			os.WriteFile(cfg, fmt.Appendf(nil, `data: %s
rules: [../../testdata/tour]
checkpoint: {interval: 50ms}
sources:
  txn: {file: {path: %s, follow: %v}}
outputs:
  alerts: [{file: {path: %s/alerts.jsonl}}]
`, data, filepath.Join(dir, c.source), c.follow, data), 0o644)
			alertsFile := filepath.Join(data, "alerts.jsonl")
			s := startServe(t, "--config", cfg)
			if c.follow {
				// The second half arrives while the service follows the file.
				f, err := os.OpenFile(filepath.Join(dir, c.source), os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				for i := 2000; i < len(events); i += 500 {
					f.Write(append(bytes.Join(events[i:i+500], []byte("\n")), '\n'))
				}
				f.Close()
			}
			deadline := time.Now().Add(30 * time.Second)
			for lineCount(alertsFile) < len(want) && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			s.stop(t)
			s = startServe(t, "--config", cfg) // reads nothing again
			time.Sleep(300 * time.Millisecond)
			s.stop(t)
			if got := alertIDs(t, alertsFile); !slices.Equal(got, want) {
				missing, extra := diff(want, got)
				t.Errorf("%d alerts, replay %d; missing %d %v, extra %d %v", len(got), len(want), len(missing), head(missing), len(extra), head(extra))
			}
		})
	}
}

// scrape returns the server's /metrics.
func scrape(t *testing.T, s *server) string {
	t.Helper()
	resp, err := http.Get("http://" + s.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
