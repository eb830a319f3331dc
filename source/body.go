package source

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/kestrelcep/kestrel/event"
)

// ErrBadBody is wrapped by the error SplitBody returns for a body that is
// empty or not JSON at all: the whole request is refused (400), nothing is
// ingested.
var ErrBadBody = errors.New("request body is not a JSON object, a JSON array or NDJSON")

// Reject is an item of a request body that is not an event, as the events
// endpoint lists it: {"index": i, "message": "..."}. Index counts from 0 over
// the array's elements, or over the non-blank lines of NDJSON.
type Reject struct {
	Index   int    `json:"index"`
	Message string `json:"message"`
}

// SplitBody splits the body of POST /v1/streams/{name}/events into the
// raw bytes of its events, without decoding them: a JSON object is one
// event; a JSON array's elements are events; with Content-Type
// application/x-ndjson (or application/ndjson, application/jsonl,
// application/x-jsonlines; parameters such as charset are ignored) each
// non-blank line is one. The items are subslices of body, trimmed of space,
// in order; decoding them against the stream's schema is the caller's next
// step.
//
// An item that is not a JSON object (an array element that is a string, an
// NDJSON line that is not valid JSON or holds something after its object)
// becomes a Reject; items and rejects together cover every element or line
// once. A JSON value that is neither object nor array (such as 42) is one
// rejected item. The error, which wraps ErrBadBody, is for a body that is
// empty or not JSON at all (400), and then there are no items. That
// includes an array broken inside one of its elements (a bad escape,
// invalid UTF-8, a missing bracket): the elements after it cannot be found,
// so the request is refused as a whole.
//
// The scan checks the syntax (and UTF-8 in strings) of every item, using
// event's scanner; it allocates only the two result slices.
func SplitBody(contentType string, body []byte) (items [][]byte, rejects []Reject, err error) {
	if isNDJSON(contentType) {
		return splitLines(body)
	}
	i := skipSpace(body, 0)
	if i == len(body) {
		return nil, nil, fmt.Errorf("%w: the body is empty", ErrBadBody)
	}
	if body[i] == '[' {
		return splitArray(body, i)
	}
	end, err := event.SkipJSON(body, i)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrBadBody, err)
	}
	if err := trailing(body, end, true); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrBadBody, err)
	}
	if body[i] != '{' {
		return nil, []Reject{{Index: 0, Message: notObject(body[i])}}, nil
	}
	return [][]byte{body[i:end]}, nil, nil
}

// splitArray splits the array that starts at body[i] == '['.
func splitArray(body []byte, i int) (items [][]byte, rejects []Reject, err error) {
	i = skipSpace(body, i+1)
	if i < len(body) && body[i] == ']' {
		if err := trailing(body, i+1, false); err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrBadBody, err)
		}
		return nil, nil, nil
	}
	items = make([][]byte, 0, 16)
	for n := 0; ; n++ {
		start := skipSpace(body, i)
		end, err := event.SkipJSON(body, start)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: array element %d: %v", ErrBadBody, n, err)
		}
		if body[start] == '{' {
			items = append(items, body[start:end])
		} else {
			rejects = append(rejects, Reject{Index: n, Message: notObject(body[start])})
		}
		i = skipSpace(body, end)
		if i == len(body) {
			return nil, nil, fmt.Errorf("%w: invalid JSON at byte %d: unexpected end of input in the array", ErrBadBody, i)
		}
		switch body[i] {
		case ',':
			i++
		case ']':
			if err := trailing(body, i+1, false); err != nil {
				return nil, nil, fmt.Errorf("%w: %v", ErrBadBody, err)
			}
			return items, rejects, nil
		default:
			return nil, nil, fmt.Errorf("%w: invalid JSON at byte %d: expected ',' or ']' after array element %d, got %q", ErrBadBody, i, n, body[i])
		}
	}
}

// splitLines splits an NDJSON body.
func splitLines(body []byte) (items [][]byte, rejects []Reject, err error) {
	items = make([][]byte, 0, bytes.Count(body, []byte{'\n'})+1)
	n := 0 // non-blank lines so far
	for lineNo := 1; len(body) > 0; lineNo++ {
		line := body
		if k := bytes.IndexByte(body, '\n'); k >= 0 {
			line, body = body[:k], body[k+1:]
		} else {
			body = nil
		}
		start := skipSpace(line, 0)
		if start == len(line) {
			continue
		}
		if end, msg := checkLine(line, start); msg != "" {
			rejects = append(rejects, Reject{Index: n, Message: fmt.Sprintf("line %d: %s", lineNo, msg)})
		} else {
			items = append(items, line[start:end])
		}
		n++
	}
	if n == 0 {
		return nil, nil, fmt.Errorf("%w: the body is empty", ErrBadBody)
	}
	return items, rejects, nil
}

// checkLine returns the end of the JSON object that starts at line[start],
// or why the line is not one JSON object.
func checkLine(line []byte, start int) (end int, msg string) {
	end, err := event.SkipJSON(line, start)
	if err != nil {
		return 0, err.Error()
	}
	if err := trailing(line, end, false); err != nil {
		return 0, err.Error()
	}
	if line[start] != '{' {
		return 0, notObject(line[start])
	}
	return end, ""
}

// trailing checks that only space follows a value that ends at b[end].
func trailing(b []byte, end int, hint bool) error {
	i := skipSpace(b, end)
	if i == len(b) {
		return nil
	}
	msg := fmt.Sprintf("invalid JSON at byte %d: unexpected %q after the value", i, b[i])
	if hint && b[i] == '{' {
		msg += " (for several events send a JSON array, or NDJSON with Content-Type application/x-ndjson)"
	}
	return errors.New(msg)
}

func notObject(c byte) string {
	return "expected a JSON object, got " + jsonKind(c)
}

// jsonKind names the JSON type of a valid value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// isNDJSON reports whether a Content-Type names newline-delimited JSON.
func isNDJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	for _, t := range [...]string{"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"} {
		if strings.EqualFold(mt, t) {
			return true
		}
	}
	return false
}
