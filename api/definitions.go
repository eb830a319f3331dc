package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/kestrelcep/kestrel/service"
	"github.com/kestrelcep/kestrel/state"
)

// Definitions: api.md's "Definitions: streams, tables, features, rules".
// KRL comes in as text/plain (or application/x-krl); everything else is
// JSON. A JSON body with a field the endpoint does not know is a 400.

// definitionRoutes registers the definition endpoints under /v1, each kind's
// paths written out as the router serves them (the OpenAPI document lists
// them the same way).
func (s *server) definitionRoutes(r chi.Router) {
	r.Post("/validate", s.validateKRL)
	for _, kind := range service.Kinds {
		base := "/" + kind
		r.Get(base, s.listDefinitions(kind))
		r.Put(base+"/{name}", s.putDefinition(kind))
		r.Get(base+"/{name}", s.getDefinition(kind))
		r.Get(base+"/{name}/versions", s.definitionVersions(kind))
		r.Get(base+"/{name}/versions/{v}", s.definitionVersion(kind))
		r.Delete(base+"/{name}", s.deleteDefinition(kind))
	}
	r.Post("/rules/{name}/rollback", s.rollbackRule)
	r.Patch("/rules/{name}", s.patchRule)
}

// author is who deploys: the name of the request's token.
func author(r *http.Request) string {
	if a := Author(r.Context()); a != "" {
		return a
	}
	return "anonymous"
}

// definitionJSON is a definition as the API shows it.
type definitionJSON struct {
	Kind          string     `json:"kind"`
	Name          string     `json:"name"`
	Version       int        `json:"version"`
	Mode          string     `json:"mode"`
	Author        string     `json:"author"`
	DeployedAt    time.Time  `json:"deployed_at"`
	ModeChangedAt *time.Time `json:"mode_changed_at,omitempty"`
	Deleted       bool       `json:"deleted,omitempty"`
	Source        string     `json:"source,omitempty"`
	// AlertsLastHour counts a rule's alerts per version over the last hour.
	AlertsLastHour map[string]int `json:"alerts_last_hour,omitempty"`
}

func toJSON(d state.Definition, withSource bool) definitionJSON {
	j := definitionJSON{Kind: d.Kind, Name: d.Name, Version: d.Version, Mode: d.Mode, Author: d.Author,
		DeployedAt: d.DeployedAt.UTC(), Deleted: d.Deleted}
	if !d.ModeChangedAt.IsZero() {
		t := d.ModeChangedAt.UTC()
		j.ModeChangedAt = &t
	}
	if withSource {
		j.Source = d.Source
	}
	return j
}

// deployJSON is the answer of a deploy, a rollback, a mode change and a
// delete.
type deployJSON struct {
	definitionJSON
	Previous      int               `json:"previous,omitempty"`
	Kept          []string          `json:"kept"`
	Dropped       map[string]int    `json:"dropped"`
	FeaturesReset bool              `json:"features_reset"`
	Warnings      []service.Problem `json:"warnings,omitempty"`
	Note          string            `json:"note,omitempty"`
}

func toDeployJSON(res service.DeployResult) deployJSON {
	j := deployJSON{definitionJSON: toJSON(res.Definition, false), Previous: res.Previous, Kept: res.Kept,
		Dropped: res.Dropped, FeaturesReset: res.FeaturesReset, Warnings: res.Warnings}
	if j.Kept == nil {
		j.Kept = []string{}
	}
	if j.Dropped == nil {
		j.Dropped = map[string]int{}
	}
	var notes []string
	if res.Kind == service.KindRule && res.Previous > 0 && res.Previous != res.Version {
		notes = append(notes, fmt.Sprintf("the previous version's %d partial matches were dropped", res.Dropped[res.Name]))
	} else if res.Kind == service.KindRule && (res.Deleted || res.Mode == state.ModeDisabled) {
		notes = append(notes, fmt.Sprintf("the rule's %d partial matches were dropped", res.Dropped[res.Name]))
	}
	if res.FeaturesReset {
		notes = append(notes, "the features' windows start empty")
	}
	j.Note = strings.Join(append(notes, res.Notes...), "; ")
	return j
}

// defError writes the response for an error of the service's definition
// methods.
func defError(w http.ResponseWriter, err error) {
	var inv *service.DefinitionError
	switch {
	case errors.As(err, &inv):
		writeError(w, http.StatusUnprocessableEntity, "invalid_rule", inv.Msg, inv.Problems)
	case errors.Is(err, service.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", err.Error(), nil)
	case errors.Is(err, service.ErrVersionConflict):
		writeError(w, http.StatusConflict, "version_conflict", err.Error(), nil)
	case errors.Is(err, service.ErrInUse):
		writeError(w, http.StatusConflict, "in_use", err.Error(), nil)
	case errors.Is(err, service.ErrBadArgument):
		writeError(w, http.StatusBadRequest, "bad_request", err.Error(), nil)
	case errors.Is(err, service.ErrNotRunning):
		writeError(w, http.StatusServiceUnavailable, "not_running", err.Error(), nil)
	default:
		writeError(w, http.StatusInternalServerError, "internal", err.Error(), nil)
	}
}

// readKRL reads a KRL body: text/plain or application/x-krl (or no
// Content-Type), UTF-8.
func (s *server) readKRL(w http.ResponseWriter, r *http.Request) (string, bool) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "text/plain" && mt != "application/x-krl") {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type",
				"KRL is sent as text/plain or application/x-krl, not "+ct, nil)
			return "", false
		}
	}
	body, ok := s.readBody(w, r)
	if !ok {
		return "", false
	}
	if !utf8.Valid(body) {
		writeError(w, http.StatusBadRequest, "bad_request", "the KRL text is not UTF-8", nil)
		return "", false
	}
	return string(body), true
}

// readJSONBody decodes a JSON request body into v; unknown fields are a 400.
func (s *server) readJSONBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "the body is JSON (application/json), not "+ct, nil)
			return false
		}
	}
	body, ok := s.readBody(w, r)
	if !ok {
		return false
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "the body is not the JSON expected: "+err.Error(), nil)
		return false
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "bad_request", "the body has more than one JSON value", nil)
		return false
	}
	return true
}

// validateKRL is POST /v1/validate.
func (s *server) validateKRL(w http.ResponseWriter, r *http.Request) {
	src, ok := s.readKRL(w, r)
	if !ok {
		return
	}
	decls, err := s.svc.Validate(src)
	if err != nil {
		defError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"declarations": decls})
}

// listDefinitions is GET /v1/{kind}: the current definitions, by name.
func (s *server) listDefinitions(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defs, err := s.svc.List(kind)
		if err != nil {
			defError(w, err)
			return
		}
		out := make([]definitionJSON, len(defs))
		for i, d := range defs {
			out[i] = toJSON(d, true)
		}
		writeJSON(w, http.StatusOK, map[string]any{kind: out})
	}
}

// ifMatch reads an If-Match header: a version, bare or quoted as an entity
// tag ("3", W/"3"); 0 when absent.
func ifMatch(r *http.Request) (int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, nil
	}
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("If-Match: %q is not a version", h)
	}
	return v, nil
}

func etag(v int) string { return `"` + strconv.Itoa(v) + `"` }

// putDefinition is PUT /v1/{kind}/{name}: a new version, live at once.
func (s *server) putDefinition(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		match, err := ifMatch(r)
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", err.Error(), nil)
			return
		}
		mode := r.URL.Query().Get("mode")
		src, ok := s.readKRL(w, r)
		if !ok {
			return
		}
		name := chi.URLParam(r, "name")
		res, err := s.svc.Deploy(kind, name, src, mode, author(r), match)
		if err != nil {
			defError(w, err)
			return
		}
		w.Header().Set("Location", "/v1/"+kind+"/"+name+"/versions/"+strconv.Itoa(res.Version))
		w.Header().Set("ETag", etag(res.Version))
		writeJSON(w, http.StatusCreated, toDeployJSON(res))
	}
}

// getDefinition is GET /v1/{kind}/{name}: the current version.
func (s *server) getDefinition(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := chi.URLParam(r, "name")
		d, err := s.svc.Get(kind, name)
		if err != nil {
			defError(w, err)
			return
		}
		j := toJSON(d, true)
		if kind == service.KindRule {
			counts, err := s.svc.AlertsLastHour(name)
			if err != nil {
				defError(w, err)
				return
			}
			j.AlertsLastHour = map[string]int{}
			for v, n := range counts {
				j.AlertsLastHour[strconv.Itoa(v)] = n
			}
		}
		w.Header().Set("ETag", etag(d.Version))
		writeJSON(w, http.StatusOK, j)
	}
}

// definitionVersions is GET /v1/{kind}/{name}/versions, newest first.
func (s *server) definitionVersions(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		vs, err := s.svc.Versions(kind, chi.URLParam(r, "name"))
		if err != nil {
			defError(w, err)
			return
		}
		out := make([]definitionJSON, len(vs))
		for i, d := range vs {
			out[i] = toJSON(d, false)
		}
		writeJSON(w, http.StatusOK, map[string]any{"versions": out})
	}
}

// definitionVersion is GET /v1/{kind}/{name}/versions/{v}: JSON with the
// source, or the KRL alone when the client accepts text/plain and not JSON.
func (s *server) definitionVersion(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := strconv.Atoi(chi.URLParam(r, "v"))
		if err != nil || v <= 0 {
			writeError(w, http.StatusBadRequest, "bad_request", "a version is a positive integer, not "+strconv.Quote(chi.URLParam(r, "v")), nil)
			return
		}
		d, err := s.svc.GetVersion(kind, chi.URLParam(r, "name"), v)
		if err != nil {
			defError(w, err)
			return
		}
		w.Header().Set("ETag", etag(d.Version))
		if acc := r.Header.Get("Accept"); strings.Contains(acc, "text/plain") && !strings.Contains(acc, "json") {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			w.Write([]byte(d.Source))
			return
		}
		writeJSON(w, http.StatusOK, toJSON(d, true))
	}
}

// deleteDefinition is DELETE /v1/{kind}/{name}.
func (s *server) deleteDefinition(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		res, err := s.svc.Delete(kind, chi.URLParam(r, "name"))
		if err != nil {
			defError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, toDeployJSON(res))
	}
}

// rollbackRule is POST /v1/rules/{name}/rollback {"version": n}.
func (s *server) rollbackRule(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Version int `json:"version"`
	}
	if !s.readJSONBody(w, r, &body) {
		return
	}
	if body.Version <= 0 {
		writeError(w, http.StatusBadRequest, "bad_request", `the body names the version to roll back to: {"version": 3}`, nil)
		return
	}
	name := chi.URLParam(r, "name")
	res, err := s.svc.Rollback(name, body.Version, author(r))
	if err != nil {
		defError(w, err)
		return
	}
	w.Header().Set("Location", "/v1/rules/"+name+"/versions/"+strconv.Itoa(res.Version))
	w.Header().Set("ETag", etag(res.Version))
	writeJSON(w, http.StatusCreated, toDeployJSON(res))
}

// patchRule is PATCH /v1/rules/{name} {"mode": "live"|"shadow"|"disabled"}.
func (s *server) patchRule(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Mode *string `json:"mode"`
	}
	if !s.readJSONBody(w, r, &body) {
		return
	}
	if body.Mode == nil {
		writeError(w, http.StatusBadRequest, "bad_request", `the body sets the mode: {"mode": "live"|"shadow"|"disabled"}`, nil)
		return
	}
	res, err := s.svc.SetMode(chi.URLParam(r, "name"), *body.Mode)
	if err != nil {
		defError(w, err)
		return
	}
	w.Header().Set("ETag", etag(res.Version))
	writeJSON(w, http.StatusOK, toDeployJSON(res))
}
