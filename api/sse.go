package api

import (
	"bytes"
	"net/http"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/kestrelcep/kestrel/alerts"
)

// Defaults of the live output streams.
const (
	DefaultStreamBuffer = 1024
	DefaultHeartbeat    = 15 * time.Second
)

// streamOutput is GET /v1/outputs/{output}/stream?rule=&key=: the output's
// records as they are written, as Server-Sent Events. Each record is one
// event: `id:` the alert id when the record has one, `event:` the output,
// `data:` the JSON record. A comment line every Options.Heartbeat keeps
// proxies from closing an idle stream. A subscriber that falls
// Options.StreamBuffer records behind is dropped: it gets an event
// `dropped` and the stream ends (the engine never waits for a reader); it
// may reconnect and query GET /v1/alerts for what it missed. The stream ends
// when the client goes away or the service closes (event `closed`).
func (s *server) streamOutput(w http.ResponseWriter, r *http.Request) {
	output := chi.URLParam(r, "output")
	if !slices.Contains(s.svc.Outputs(), output) {
		writeError(w, http.StatusNotFound, "unknown_output", "no output named "+output+
			"; outputs are the standard ones (alerts, shadow, timeouts, late, deadletter, windows) and each rule's `to NAME`", nil)
		return
	}
	q := r.URL.Query()
	sub := s.svc.Subscribe(output, q.Get("rule"), q.Get("key"), s.opts.StreamBuffer)
	defer sub.Close()

	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout, if any
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	var buf []byte
	flush := func() bool {
		_, err := w.Write(buf)
		buf = buf[:0]
		return err == nil && rc.Flush() == nil
	}
	buf = append(buf, ": kestrel: live records of output "...)
	buf = append(buf, output...)
	buf = append(buf, "\n\n"...)
	if !flush() {
		return
	}
	tick := time.NewTicker(s.opts.Heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			buf = append(buf, ": heartbeat\n\n"...)
			if !flush() {
				return
			}
		case m, ok := <-sub.Records:
			if !ok {
				if sub.Dropped() {
					buf = append(buf, "event: dropped\ndata: {\"reason\":\"the client fell behind the stream's buffer; reconnect, and query /v1/alerts for what was missed\"}\n\n"...)
				} else {
					buf = append(buf, "event: closed\ndata: {\"reason\":\"the service is stopping\"}\n\n"...)
				}
				flush()
				return
			}
			buf = appendEvent(buf, &m)
			// Take what else is waiting, then write it in one go.
		more:
			for len(buf) < 64<<10 {
				select {
				case m, ok := <-sub.Records:
					if !ok {
						break more // the next round reports the end
					}
					buf = appendEvent(buf, &m)
				default:
					break more
				}
			}
			if !flush() {
				return
			}
		}
	}
}

// appendEvent appends m as one Server-Sent Event.
func appendEvent(b []byte, m *alerts.Message) []byte {
	if m.ID != "" {
		b = append(b, "id: "...)
		b = append(b, m.ID...)
		b = append(b, '\n')
	}
	b = append(b, "event: "...)
	b = append(b, m.Output...)
	b = append(b, '\n')
	// A record is one line, but an event's own JSON, kept as it came, may
	// hold line breaks: each line is a data line.
	data := m.JSON
	for {
		line, rest, more := bytes.Cut(data, []byte{'\n'})
		b = append(b, "data: "...)
		b = append(b, bytes.TrimSuffix(line, []byte{'\r'})...)
		b = append(b, '\n')
		if !more {
			break
		}
		data = rest
	}
	return append(b, '\n')
}
