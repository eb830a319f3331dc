package event

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors; test for them with errors.Is.
var (
	// ErrBlankLine is returned by the decoders for a line that is empty or
	// only whitespace. Callers skip such lines rather than dead-lettering them.
	ErrBlankLine = errors.New("blank line")
	// ErrCorrupt is wrapped by Schema.DecodeBinary's error for input that is
	// truncated or malformed.
	ErrCorrupt = errors.New("corrupt binary event")
	// ErrSchemaMismatch is wrapped by Schema.DecodeBinary's error for an event
	// encoded with a schema of another layout (other fields or extra slots).
	ErrSchemaMismatch = errors.New("binary event of another schema layout")
)

// DecodeError is why an input line was rejected, for its deadletter record.
// It carries no position: the caller knows it and adds it. The byte offsets
// in messages about broken JSON count from 0 in the line as given.
type DecodeError struct {
	Field  string // the declared field concerned, or "" for the line as a whole
	Reason string
}

func (e *DecodeError) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return "field " + strconv.Quote(e.Field) + ": " + e.Reason
}

// recoverInto turns a panic in a decoder, which would be a bug, into an
// error for the line, so that one bad line cannot stop a stream. The fuzz
// tests fail on it.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = &DecodeError{Reason: fmt.Sprintf("%s: %v", internalError, r)}
	}
}

const internalError = "internal error in the decoder"

func fieldErr(field, format string, args ...any) error {
	return &DecodeError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// syntaxErr reports broken JSON at byte offset off of the line.
func syntaxErr(off int, format string, args ...any) error {
	return &DecodeError{Reason: fmt.Sprintf("invalid JSON at byte %d: ", off) + fmt.Sprintf(format, args...)}
}

// quoteCut quotes a token for an error message, shortened when long.
func quoteCut(b []byte) string {
	const max = 40
	if len(b) > max {
		return strconv.Quote(string(b[:max])) + "..."
	}
	return strconv.Quote(string(b))
}

// cut shortens a token for an error message.
func cut(b []byte) string {
	const max = 40
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}
