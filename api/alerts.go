package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/state"
)

// alertParams are the query parameters of GET /v1/alerts.
var alertParams = []string{"rule", "version", "key", "kind", "mode", "output", "since", "until", "limit", "cursor"}

// listAlerts is GET /v1/alerts: the stored alerts, newest first, filtered,
// a page at a time: {"alerts": [records], "next_cursor": "..." | null}.
// Each record is as the sinks write it, with "output" and "links" added.
func (s *server) listAlerts(w http.ResponseWriter, r *http.Request) {
	q, ok := s.alertQuery(w, r.URL.Query())
	if !ok {
		return
	}
	found, next, err := s.svc.DB().QueryAlerts(q)
	if errors.Is(err, state.ErrInvalid) {
		writeError(w, http.StatusBadRequest, "bad_cursor", "cursor: not a cursor this endpoint returned", nil)
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", err.Error(), nil)
		return
	}
	b := []byte(`{"alerts":[`)
	for i := range found {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendAlert(b, &found[i])
	}
	b = append(b, `],"next_cursor":`...)
	if next == "" {
		b = append(b, "null"...)
	} else {
		b = alerts.AppendString(b, next)
	}
	b = append(b, "}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// alertQuery reads GET /v1/alerts' parameters; false when it wrote a 400.
func (s *server) alertQuery(w http.ResponseWriter, v url.Values) (state.AlertQuery, bool) {
	bad := func(msg string) (state.AlertQuery, bool) {
		writeError(w, http.StatusBadRequest, "bad_parameter", msg, nil)
		return state.AlertQuery{}, false
	}
	for name, vals := range v {
		if !slices.Contains(alertParams, name) {
			return bad("unknown parameter " + strconv.Quote(name) + "; the parameters are rule, version, key, kind, mode, output, since, until, limit and cursor")
		}
		if len(vals) > 1 {
			return bad("parameter " + name + " is given more than once")
		}
	}
	q := state.AlertQuery{Rule: v.Get("rule"), Kind: v.Get("kind"), Mode: v.Get("mode"), Output: v.Get("output"),
		Cursor: v.Get("cursor"), Limit: state.DefaultAlertLimit}
	switch q.Kind {
	case "", alerts.KindMatch, alerts.KindTimeout:
	default:
		return bad("kind: " + strconv.Quote(q.Kind) + " is neither match nor timeout")
	}
	switch q.Mode {
	case "", "live", "shadow":
	default:
		return bad("mode: " + strconv.Quote(q.Mode) + " is neither live nor shadow")
	}
	if x := v.Get("version"); x != "" {
		n, err := strconv.Atoi(x)
		if err != nil || n < 1 {
			return bad("version: " + strconv.Quote(x) + " is not a version number (1, 2, ...)")
		}
		if q.Rule == "" {
			return bad("version: a version is a rule's; give rule too")
		}
		q.Version = n
	}
	if x := v.Get("limit"); x != "" {
		n, err := strconv.Atoi(x)
		if err != nil || n < 1 || n > state.MaxAlertLimit {
			return bad("limit: " + strconv.Quote(x) + " is not a whole number from 1 to " + strconv.Itoa(state.MaxAlertLimit))
		}
		q.Limit = n
	}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"since", &q.Since}, {"until", &q.Until}} {
		x := v.Get(p.name)
		if x == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, x)
		if err != nil {
			return bad(p.name + ": " + strconv.Quote(x) + " is not an RFC 3339 time, as in 2026-03-01T10:00:00Z")
		}
		*p.dst = t.UnixMilli()
	}
	if q.Since != 0 && q.Until != 0 && q.Since >= q.Until {
		return bad("since must be before until")
	}
	if x := v.Get("key"); x != "" {
		key, ok := s.queryKey(x, q)
		if !ok {
			return bad("key: " + strconv.Quote(x) + " begins like JSON but is not; write a string key as it is (key=c1) or quoted, a composite key as a JSON array")
		}
		q.Key = key
	}
	return q, true
}

// queryKey is the stored form (JSON) of key=: text beginning with `"` or
// `[` is JSON as it is (a quoted string, a composite key); other text is a
// string key, except a number, true, false or null when the store holds no
// alert under the key as a string, but does under the JSON literal (a key
// field of type int, for instance).
func (s *server) queryKey(x string, q state.AlertQuery) ([]byte, bool) {
	if x[0] == '"' || x[0] == '[' {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(x)); err != nil {
			return nil, false
		}
		return buf.Bytes(), true
	}
	str := alerts.AppendString(nil, x)
	if !json.Valid([]byte(x)) {
		return str, true
	}
	probe := state.AlertQuery{Rule: q.Rule, Key: str, Limit: 1}
	if got, _, err := s.svc.DB().QueryAlerts(probe); err == nil && len(got) > 0 {
		return str, true
	}
	probe.Key = []byte(x)
	if got, _, err := s.svc.DB().QueryAlerts(probe); err == nil && len(got) > 0 {
		return []byte(x), true
	}
	return str, true
}

// getAlert is GET /v1/alerts/{id}.
func (s *server) getAlert(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	a, err := s.svc.DB().GetAlert(id)
	if errors.Is(err, state.ErrNotFound) || errors.Is(err, state.ErrInvalid) {
		writeError(w, http.StatusNotFound, "unknown_alert", "no alert with id "+id+" (alerts are kept for the configured retention)", nil)
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", err.Error(), nil)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(appendAlert(nil, &a), '\n'))
}

// appendAlert appends a stored alert's record with its output and links:
// the alert itself and the version of the rule that fired it.
func appendAlert(b []byte, a *state.StoredAlert) []byte {
	rec := bytes.TrimSpace(a.JSON)
	if len(rec) < 2 || rec[len(rec)-1] != '}' {
		return append(b, rec...) // not an object: served as stored
	}
	b = append(b, rec[:len(rec)-1]...)
	if len(rec) > 2 {
		b = append(b, ',')
	}
	b = append(b, `"output":`...)
	b = alerts.AppendString(b, a.Output)
	b = append(b, `,"links":{"self":`...)
	b = alerts.AppendString(b, "/v1/alerts/"+url.PathEscape(a.ID))
	b = append(b, `,"rule":`...)
	b = alerts.AppendString(b, "/v1/rules/"+url.PathEscape(a.Rule)+"/versions/"+strconv.Itoa(a.Version))
	return append(b, "}}"...)
}
