package api

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/kestrelcep/kestrel/service"
)

// DefaultMaxUpload bounds an uploaded dataset unless configured.
const DefaultMaxUpload = 1 << 30

// postUpload is POST /v1/uploads: the body is a dataset file (JSON lines or
// CSV, optionally gzip), stored under the data directory for replays.
// ?name=FILE gives its name, whose extension says the format; without one
// the content type (text/csv, application/x-ndjson) does, else its first
// bytes. 201 {"id", "format", "gzip", "size"}; 413 past Options.MaxUpload.
func (s *server) postUpload(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil {
			mt = "?"
		}
		switch mt {
		case "text/csv":
			if name == "" {
				name = "upload.csv"
			}
		case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/json":
			if name == "" {
				name = "upload.jsonl"
			}
		case "application/octet-stream", "application/gzip", "application/x-gzip", "text/plain":
		default:
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type",
				"an upload is the dataset file itself (Content-Type text/csv, application/x-ndjson, application/gzip or application/octet-stream), not "+ct+
					"; with curl: --data-binary @FILE -H 'Content-Type: application/octet-stream'", nil)
			return
		}
	}
	if r.ContentLength > s.opts.MaxUpload {
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", "the upload is larger than the limit of "+itoa(s.opts.MaxUpload)+" bytes", nil)
		return
	}
	up, err := s.svc.SaveUpload(http.MaxBytesReader(w, r.Body, s.opts.MaxUpload), name)
	var tooBig *http.MaxBytesError
	var bad *service.ReplayError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", "the upload is larger than the limit of "+itoa(tooBig.Limit)+" bytes", nil)
	case errors.As(err, &bad):
		writeError(w, http.StatusUnprocessableEntity, bad.Code, bad.Message, nil)
	case err != nil:
		writeError(w, http.StatusInternalServerError, "internal", err.Error(), nil)
	default:
		w.Header().Set("Location", "/v1/uploads/"+up.ID)
		writeJSON(w, http.StatusCreated, up)
	}
}

// postReplay is POST /v1/replays: 202 {"id", "status"}; the replay runs in
// the background.
func (s *server) postReplay(w http.ResponseWriter, r *http.Request) {
	var req service.ReplayRequest
	if !s.decodeJSON(w, r, &req) {
		return
	}
	id, err := s.svc.StartReplay(req, Author(r.Context()))
	if err != nil {
		s.replayError(w, err)
		return
	}
	w.Header().Set("Location", "/v1/replays/"+id)
	writeJSON(w, http.StatusAccepted, map[string]any{"id": id, "status": service.ReplayQueued,
		"links": replayLinks(id)})
}

func replayLinks(id string) map[string]string {
	return map[string]string{"self": "/v1/replays/" + id, "alerts": "/v1/replays/" + id + "/alerts"}
}

// replayError writes the response for an error of the service's replays.
func (s *server) replayError(w http.ResponseWriter, err error) {
	var bad *service.ReplayError
	switch {
	case errors.Is(err, service.ErrReplayNotFound):
		writeError(w, http.StatusNotFound, "unknown_replay", err.Error()+" (finished replays are kept only up to a bound, and not across restarts)", nil)
	case errors.As(err, &bad) && bad.Code == "bad_request":
		writeError(w, http.StatusBadRequest, bad.Code, bad.Message, nil)
	case errors.As(err, &bad):
		var details any
		if len(bad.Details) > 0 {
			details = bad.Details
		}
		writeError(w, http.StatusUnprocessableEntity, bad.Code, bad.Message, details)
	default:
		writeError(w, http.StatusInternalServerError, "internal", err.Error(), nil)
	}
}

type replayView struct {
	service.ReplayStatus
	Links map[string]string `json:"links"`
}

// listReplays is GET /v1/replays: the replays remembered, newest first.
func (s *server) listReplays(w http.ResponseWriter, _ *http.Request) {
	all := s.svc.Replays()
	out := make([]replayView, 0, len(all))
	for _, st := range all {
		st.Scores = nil // with each replay's own GET
		out = append(out, replayView{st, replayLinks(st.ID)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"replays": out})
}

// getReplay is GET /v1/replays/{id}: status, progress and, once done with a
// label, the scores.
func (s *server) getReplay(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.Replay(chi.URLParam(r, "id"))
	if err != nil {
		s.replayError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, replayView{st, replayLinks(st.ID)})
}

// getReplayAlerts is GET /v1/replays/{id}/alerts: the replay's alert
// records as NDJSON; while it runs, those written so far.
func (s *server) getReplayAlerts(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	st, err := s.svc.Replay(id)
	if err != nil {
		s.replayError(w, err)
		return
	}
	rc, err := s.svc.ReplayAlerts(id)
	if err != nil {
		s.replayError(w, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("X-Replay-Status", st.Status)
	w.WriteHeader(http.StatusOK)
	io.Copy(w, rc)
}

// deleteReplay is DELETE /v1/replays/{id}: cancels a queued or running
// replay and returns its status; a finished replay is left as it is.
func (s *server) deleteReplay(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.CancelReplay(chi.URLParam(r, "id"))
	if err != nil {
		s.replayError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, replayView{st, replayLinks(st.ID)})
}
