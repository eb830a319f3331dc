package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// sseEvent is one Server-Sent Event, or a comment (comment set).
type sseEvent struct {
	id, event, data, comment string
}

// sseStream reads a live stream's events into a channel.
type sseStream struct {
	events chan sseEvent
	res    *http.Response
	cancel context.CancelFunc
}

func (ta *testAPI) stream(path, token string) *sseStream {
	ta.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	hr, _ := http.NewRequestWithContext(ctx, "GET", ta.srv.URL+path, nil)
	hr.Header.Set("Authorization", "Bearer "+token)
	res, err := ta.srv.Client().Do(hr)
	if err != nil {
		cancel()
		ta.t.Fatal(err)
	}
	if res.StatusCode != 200 {
		cancel()
		ta.t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		ta.t.Errorf("Content-Type %q", ct)
	}
	s := &sseStream{events: make(chan sseEvent, 100), res: res, cancel: cancel}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				s.events <- ev
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				ev.comment = strings.TrimSpace(line[1:])
			case strings.HasPrefix(line, "id: "):
				ev.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.event = line[7:]
			case strings.HasPrefix(line, "data: "):
				if ev.data != "" {
					ev.data += "\n"
				}
				ev.data += line[6:]
			}
		}
	}()
	ta.t.Cleanup(s.close)
	return s
}

func (s *sseStream) close() { s.cancel(); s.res.Body.Close() }

// next returns the next event that is not a comment.
func (s *sseStream) next(t *testing.T) sseEvent {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatal("the stream ended")
			}
			if ev.comment == "" {
				return ev
			}
		case <-timeout:
			t.Fatal("no event within 20s")
		}
	}
}

// cardTesting returns the tour's events for a card: three tiny payments then
// a big one, which fires card_testing.
func cardTesting(card string, minute int) string {
	var b strings.Builder
	for i, amt := range []float64{1, 1.5, 0.5, 900} {
		fmt.Fprintf(&b, `{"id":"%s-%d","card_id":%q,"amount":%v,"merchant":"m1","ts":"2026-03-01T10:%02d:%02dZ"}`+"\n",
			card, i, card, amt, minute, i)
	}
	return b.String()
}

func (ta *testAPI) post(stream, ndjson string) {
	ta.t.Helper()
	r := ta.do(req{method: "POST", path: "/v1/streams/" + stream + "/events", token: ingestToken,
		ctype: "application/x-ndjson", body: ndjson})
	if r.status != 202 {
		ta.t.Fatalf("posting events: %d %s", r.status, r.body)
	}
}

func TestStreamAlerts(t *testing.T) {
	ta := startAPI(t)
	s := ta.stream("/v1/outputs/alerts/stream?rule=card_testing&key=c2", analystToken)
	eventually(t, 10*time.Second, "the subscription", func() bool { return ta.svc.Subscribers() == 1 })
	ta.post("txn", cardTesting("c1", 0)) // another key: filtered out
	ta.post("txn", cardTesting("c2", 1))
	ev := s.next(t)
	if ev.event != "alerts" || ev.id == "" {
		t.Fatalf("event %+v", ev)
	}
	var rec struct {
		ID, Rule string
		Key      string
		Version  int
	}
	if err := json.Unmarshal([]byte(ev.data), &rec); err != nil {
		t.Fatalf("data is not a record: %v\n%s", err, ev.data)
	}
	if rec.ID != ev.id || rec.Rule != "card_testing" || rec.Key != "c2" {
		t.Errorf("record %+v for event %+v", rec, ev)
	}
	// The client goes away: the subscription ends.
	s.close()
	eventually(t, 10*time.Second, "the subscription to end", func() bool { return ta.svc.Subscribers() == 0 })
}

func TestStreamHeartbeat(t *testing.T) {
	ta := startAPI(t, func(s *apiSetup) { s.api.Heartbeat = 20 * time.Millisecond })
	s := ta.stream("/v1/outputs/late/stream", adminToken)
	timeout := time.After(20 * time.Second)
	for beats := 0; beats < 2; {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatal("the stream ended")
			}
			if ev.comment == "heartbeat" {
				beats++
			}
		case <-timeout:
			t.Fatal("no heartbeats")
		}
	}
}

func TestStreamUnknownOutput(t *testing.T) {
	ta := startAPI(t)
	r := ta.do(req{method: "GET", path: "/v1/outputs/nosuch/stream", token: analystToken})
	if r.status != 404 || r.errorCode() != "unknown_output" {
		t.Errorf("%d %s", r.status, r.body)
	}
}

// TestStreamDropsSlowClient: a client that does not read falls a buffer
// behind and is dropped; the engine goes on (alerts keep being written).
func TestStreamDropsSlowClient(t *testing.T) {
	ta := startAPI(t, func(s *apiSetup) { s.api.StreamBuffer = 1 })
	sub := ta.svc.Subscribe("alerts", "", "", 1) // the same as a client that reads nothing
	defer sub.Close()
	for i := range 3 {
		ta.post("txn", cardTesting(fmt.Sprintf("slow%d", i), i))
	}
	eventually(t, 20*time.Second, "the slow subscriber to be dropped", sub.Dropped)
}

// TestStreamClosed: when the service ends the streams (kestrel serve does as
// it shuts down), each client gets the event closed and the stream ends.
func TestStreamClosed(t *testing.T) {
	ta := startAPI(t)
	s := ta.stream("/v1/outputs/alerts/stream", analystToken)
	eventually(t, 10*time.Second, "the subscription", func() bool { return ta.svc.Subscribers() == 1 })
	ta.svc.CloseStreams()
	if ev := s.next(t); ev.event != "closed" {
		t.Errorf("event %+v, want closed", ev)
	}
	timeout := time.After(10 * time.Second)
	for {
		select {
		case _, ok := <-s.events:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatal("the stream did not end")
		}
	}
}
