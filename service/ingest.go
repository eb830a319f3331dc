package service

import (
	"errors"
	"fmt"

	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/source"
)

// Errors of Ingest, which the API maps to status codes.
var (
	ErrUnknownStream = errors.New("no such stream")                   // 404
	ErrNotHTTP       = errors.New("stream does not take HTTP ingest") // 409
	ErrBadBody       = source.ErrBadBody                              // 400
	ErrNotDurable    = errors.New("events could not be stored")       // 503
)

// Reject is an event of a request that was not accepted, and why.
type Reject = source.Reject

// rejectMark begins an ingest log entry that stands for an item that is not
// a JSON object (its bytes are not kept): the source turns it into a dead
// letter with the reason that follows the mark.
const rejectMark = 0

// Ingest takes the body of POST /v1/streams/{name}/events: a JSON object, an
// array, or NDJSON. Every item goes to the stream's ingest log, in order, and
// is durable when Ingest returns; those that do not decode against the
// stream's schema are reported as rejected and go on to `deadletter` from
// the log, like any event that fails to decode. accepted counts the others.
func (s *Service) Ingest(stream, contentType string, body []byte) (accepted int, rejects []Reject, err error) {
	st := s.rs.Load().Stream(stream)
	_, configured := s.cfg.Sources[stream]
	if st == nil || s.httpStream(stream) == nil && !configured { // (a deleted stream)
		return 0, nil, fmt.Errorf("%w: %s", ErrUnknownStream, stream)
	}
	if s.httpStream(stream) == nil {
		return 0, nil, fmt.Errorf("%w: %s reads from its configured source", ErrNotHTTP, stream)
	}
	items, bad, err := source.SplitBody(contentType, body)
	if err != nil {
		return 0, nil, err
	}
	// Items and rejects of SplitBody are in order of position; merge them so
	// that the log holds every item in the order sent.
	all := make([][]byte, 0, len(items)+len(bad))
	dec := event.NewJSONDecoder(st.Schema)
	ev := st.Schema.NewEvent()
	bi := 0
	for i := 0; len(all) < len(items)+len(bad); i++ {
		if bi < len(bad) && bad[bi].Index == i {
			rejects = append(rejects, bad[bi])
			all = append(all, append([]byte{rejectMark}, bad[bi].Message...))
			bi++
			continue
		}
		item := items[i-bi]
		if err := dec.Decode(item, ev); err != nil {
			rejects = append(rejects, Reject{Index: i, Message: err.Error()})
		}
		all = append(all, item)
	}
	if err := s.db.Healthy(); err != nil {
		return 0, nil, fmt.Errorf("%w: %v", ErrNotDurable, err)
	}
	if _, err := s.db.AppendEvents(stream, all); err != nil {
		s.metrics.ingestFailures.Inc()
		return 0, nil, fmt.Errorf("%w: %v", ErrNotDurable, err)
	}
	s.metrics.ingested.WithLabelValues(stream).Add(float64(len(all) - len(rejects)))
	s.metrics.rejected.WithLabelValues(stream).Add(float64(len(rejects)))
	return len(all) - len(rejects), rejects, nil
}
