package event

import "sync"

// SkipJSON checks the JSON value that starts at b[i] and returns the index
// just after it, for callers that split a body into values without decoding
// them (source.SplitBody). Space before the value is skipped; space after it
// is not. It is the scanner the JSON decoder uses for undeclared fields:
// strings must be valid UTF-8, nesting is bounded, nothing is allocated, and
// it is safe for concurrent use.
//
// A value that is not valid JSON gives a *DecodeError whose message counts
// bytes from the start of b, e.g. "invalid JSON at byte 31: unexpected end of
// input"; the returned index is then where the scan stopped.
func SkipJSON(b []byte, i int) (end int, err error) {
	defer recoverInto(&err)
	i = skipWS(b, i)
	d := skippers.Get().(*JSONDecoder)
	defer skippers.Put(d)
	return d.skip(b, i, 0)
}

// skippers hold the bracket stacks of SkipJSON.
var skippers = sync.Pool{New: func() any { return new(JSONDecoder) }}
