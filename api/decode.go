package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// decodeJSON reads a JSON request body into v, strictly: the content type
// must be JSON (application/json or +json; none is taken as JSON), the body
// one JSON value of v's shape, and a field v does not have is an error that
// names it (400), not ignored. It writes the error response and returns
// false when the body does not do.
func (s *server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type",
				"this endpoint takes JSON (Content-Type: application/json), not "+ct, nil)
			return false
		}
	}
	body, ok := s.readBody(w, r)
	if !ok {
		return false
	}
	if len(bytes.TrimSpace(body)) == 0 {
		writeError(w, http.StatusBadRequest, "bad_json", "the body is empty; this endpoint takes a JSON object", nil)
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "bad_json", jsonProblem(err), nil)
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		writeError(w, http.StatusBadRequest, "bad_json", "the body holds more than one JSON value", nil)
		return false
	}
	return true
}

// jsonProblem says what is wrong with a JSON body, for people.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("malformed JSON at byte %d: %v", syn.Offset, err)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("field %q: a JSON %s cannot be a %s", typ.Field, typ.Value, jsonType(typ.Type.Kind().String()))
		}
		return fmt.Sprintf("a JSON %s where a %s was expected", typ.Value, jsonType(typ.Type.Kind().String()))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: the body ends in the middle of a value"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ") + "; see /v1/openapi.json for the fields this endpoint takes"
	}
	return "malformed JSON: " + err.Error()
}

func jsonType(kind string) string {
	switch kind {
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	case "int", "int64", "int32", "float64", "uint64":
		return "number"
	}
	return kind
}
