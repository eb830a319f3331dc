package api

import (
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/kestrelcep/kestrel/service"
	"github.com/kestrelcep/kestrel/source"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// postEvents is POST /v1/streams/{name}/events: 202 once the accepted events
// are in the ingest log, with the rejected ones listed.
func (s *server) postEvents(w http.ResponseWriter, r *http.Request) {
	ct := r.Header.Get("Content-Type")
	if ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !jsonLike(mt) {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type",
				"events are JSON (application/json) or NDJSON (application/x-ndjson), not "+ct, nil)
			return
		}
	}
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	accepted, rejects, err := s.svc.Ingest(chi.URLParam(r, "name"), ct, body)
	switch {
	case errors.Is(err, service.ErrUnknownStream):
		writeError(w, http.StatusNotFound, "unknown_stream", err.Error(), nil)
	case errors.Is(err, service.ErrNotHTTP):
		writeError(w, http.StatusConflict, "not_http_stream", err.Error(), nil)
	case errors.Is(err, source.ErrBadBody):
		writeError(w, http.StatusBadRequest, "bad_body", err.Error(), nil)
	case errors.Is(err, service.ErrNotDurable):
		writeError(w, http.StatusServiceUnavailable, "not_durable", err.Error(), nil)
	case err != nil:
		writeError(w, http.StatusInternalServerError, "internal", err.Error(), nil)
	default:
		if rejects == nil {
			rejects = []service.Reject{}
		}
		writeJSON(w, http.StatusAccepted, map[string]any{"accepted": accepted, "rejected": rejects})
	}
}

func jsonLike(mt string) bool {
	switch mt {
	case "application/json", "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "text/plain":
		return true
	}
	return false
}
