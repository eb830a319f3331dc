package service

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/event"
)

// broadcast hands every output record to the live subscribers of its output
// (the API's Server-Sent Events). It is a route of the sinks' router that
// takes every output, so it sees the records in the order the router does,
// on the router's goroutine for it. It never blocks that goroutine: each
// subscriber has a bounded buffer, and one whose buffer is full is dropped
// (its channel closed, Dropped true) rather than slowing the engine.
type broadcast struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

func newBroadcast() *broadcast {
	return &broadcast{subs: map[*Subscription]struct{}{}}
}

// Subscription is a live subscriber to one output's records. Records arrives
// in the order the engine wrote them; it is closed when the subscription
// ends: by Close, by the service closing, or because the subscriber fell a
// whole buffer behind (then Dropped is true).
type Subscription struct {
	Records <-chan alerts.Message

	b       *broadcast
	ch      chan alerts.Message
	output  string
	rule    string
	keys    [][]byte // the key filter's accepted encodings; nil: every key
	closed  bool     // under b.mu
	dropped bool     // under b.mu
}

// Subscribe starts a subscription to output's records; rule and key, when
// not empty, keep only the records of that rule and of that partition key.
// The key is matched as the record's key in JSON, or, for a string key, as
// its text: key=c1 and key="c1" both match the key "c1", key=7 matches the
// number 7 and the string "7", key=["a",1] a composite key. buffer bounds
// the records waiting for the subscriber.
func (s *Service) Subscribe(output, rule, key string, buffer int) *Subscription {
	return s.bcast.subscribe(output, rule, key, buffer)
}

func (b *broadcast) subscribe(output, rule, key string, buffer int) *Subscription {
	sub := &Subscription{b: b, ch: make(chan alerts.Message, max(1, buffer)), output: output, rule: rule}
	sub.Records = sub.ch
	if key != "" {
		sub.keys = keyForms(key)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs[sub] = struct{}{}
	return sub
}

// keyForms are the JSON encodings of a partition key that key= in a query
// stands for: the text as JSON when it is JSON, and the text as a string.
func keyForms(key string) [][]byte {
	forms := [][]byte{event.AppendJSONString(nil, key)}
	if json.Valid([]byte(key)) {
		var buf bytes.Buffer
		if json.Compact(&buf, []byte(key)) == nil && !bytes.Equal(buf.Bytes(), forms[0]) {
			forms = append(forms, buf.Bytes())
		}
	}
	return forms
}

// Close ends the subscription; its channel is closed.
func (sub *Subscription) Close() {
	sub.b.mu.Lock()
	defer sub.b.mu.Unlock()
	sub.b.remove(sub, false)
}

// Dropped tells whether the subscription ended because the subscriber did
// not keep up.
func (sub *Subscription) Dropped() bool {
	sub.b.mu.Lock()
	defer sub.b.mu.Unlock()
	return sub.dropped
}

// remove ends sub; b.mu is held.
func (b *broadcast) remove(sub *Subscription, dropped bool) {
	if sub.closed {
		return
	}
	sub.closed, sub.dropped = true, dropped
	delete(b.subs, sub)
	close(sub.ch)
}

// close ends every subscription (the service is closing).
func (b *broadcast) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for sub := range b.subs {
		b.remove(sub, false)
	}
}

// CloseStreams ends every live subscription: each client gets the event
// `closed`. kestrel serve calls it as the HTTP server shuts down, which waits
// for open connections and would otherwise wait for the streams' clients.
func (s *Service) CloseStreams() { s.bcast.close() }

// Subscribers returns the number of live subscriptions.
func (s *Service) Subscribers() int {
	s.bcast.mu.Lock()
	defer s.bcast.mu.Unlock()
	return len(s.bcast.subs)
}

// write is the router's sink: it offers each record to the subscribers of its
// output, never waiting.
func (b *broadcast) write(_ context.Context, msgs []alerts.Message) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.subs) == 0 {
		return nil
	}
	for i := range msgs {
		m := &msgs[i]
		var rule string
		ruleRead := false
		var own *alerts.Message // the copy handed out: the router reuses nothing, but the sink contract says copy
		for sub := range b.subs {
			if sub.output != m.Output {
				continue
			}
			if sub.keys != nil && !slices.ContainsFunc(sub.keys, func(k []byte) bool { return bytes.Equal(k, m.Key) }) {
				continue
			}
			if sub.rule != "" {
				if !ruleRead {
					rule, ruleRead = recordRule(m.JSON), true
				}
				if rule != sub.rule {
					continue
				}
			}
			if own == nil {
				own = &alerts.Message{Output: m.Output, ID: m.ID, Key: bytes.Clone(m.Key), JSON: bytes.Clone(m.JSON)}
			}
			select {
			case sub.ch <- *own:
			default:
				b.remove(sub, true)
			}
		}
	}
	return nil
}

// recordRule returns the "rule" field of a record, "" when it has none.
func recordRule(rec []byte) string {
	var r struct {
		Rule string `json:"rule"`
	}
	json.Unmarshal(rec, &r)
	return r.Rule
}

// Outputs returns the names of the outputs records can be written to: the
// standard ones and every rule's `to NAME`.
func (s *Service) Outputs() []string {
	outs := slices.Clone(alerts.StandardOutputs)
	for _, r := range s.RuleSet().Rules {
		if !slices.Contains(outs, r.Output) {
			outs = append(outs, r.Output)
		}
	}
	return outs
}

// broadcastRoute is the router's route to the live subscribers.
func (s *Service) broadcastRoute() alerts.Route {
	if s.bcast == nil {
		s.bcast = newBroadcast()
	}
	return alerts.Route{Name: "api-streams", AllOutputs: true, Sink: broadcastSink{s.bcast}}
}

// broadcastSink is the broadcast as a sink; closing the router ends every
// subscription.
type broadcastSink struct{ b *broadcast }

func (k broadcastSink) Write(ctx context.Context, msgs []alerts.Message) error {
	return k.b.write(ctx, msgs)
}
func (k broadcastSink) Close() error { k.b.close(); return nil }
