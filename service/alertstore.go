package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/state"
)

// alertStoreRoute is the route of every alert record (the alerts, shadow
// and timeouts outputs and every rule's `to NAME`: each message with an id)
// to the state's alert store, which GET /v1/alerts reads. It takes every
// output, so an output a rule names at deploy time needs no configuration.
// Its writes are durable before the router's Flush returns, so a checkpoint
// covers them; an alert written twice (after a restart) is stored once.
func (s *Service) alertStoreRoute() alerts.Route {
	return alerts.Route{Name: "api-alerts", AllOutputs: true, Sink: alerts.SinkFunc(s.storeAlerts)}
}

func (s *Service) storeAlerts(_ context.Context, msgs []alerts.Message) error {
	recs := make([]state.StoredAlert, 0, len(msgs))
	for i := range msgs {
		m := &msgs[i]
		if m.ID == "" {
			continue
		}
		a, err := storedAlert(m)
		if err != nil {
			// Not a record the engine writes; storing it cannot succeed on a
			// retry either, so it is skipped rather than block the sink.
			s.log.Error("an alert record that cannot be stored", "output", m.Output, "id", m.ID, "err", err)
			continue
		}
		recs = append(recs, a)
	}
	if len(recs) == 0 {
		return nil
	}
	return s.db.PutAlerts(recs)
}

// storedAlert reads from an alert record (alerts.Record.AppendJSON) the
// fields the store indexes.
func storedAlert(m *alerts.Message) (state.StoredAlert, error) {
	var r struct {
		Rule    string          `json:"rule"`
		Version int             `json:"version"`
		Mode    string          `json:"mode"`
		Kind    string          `json:"kind"`
		Key     json.RawMessage `json:"key"`
		Time    string          `json:"time"`
	}
	if err := json.Unmarshal(m.JSON, &r); err != nil {
		return state.StoredAlert{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, r.Time)
	if err != nil {
		return state.StoredAlert{}, fmt.Errorf("time: %w", err)
	}
	key := m.Key
	if len(key) == 0 {
		key = r.Key
	}
	if len(key) == 0 {
		key = []byte("null")
	}
	return state.StoredAlert{ID: m.ID, Rule: r.Rule, Version: r.Version, Key: key, Kind: r.Kind,
		Output: m.Output, Mode: r.Mode, Time: t.UnixMilli(), JSON: m.JSON}, nil
}
