package alerts

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// Kinds of alert records.
const (
	KindMatch   = "match"
	KindTimeout = "timeout"
)

// Record is one alert or timeout, exactly as language.md's "Alert record" says.
type Record struct {
	ID       string
	Rule     string
	Version  int
	Severity string
	Mode     string // live or shadow
	Kind     string // match or timeout
	Key      []byte // the partition key as JSON: a value, an array (composite) or null
	Time     int64  // epoch ms: when it fired
	Start    int64  // epoch ms: first matched event
	End      int64  // epoch ms: last matched event (the window's end for an absence or timeout)
	Steps    []Step
	Fields   []Field
	Late     bool
}

// Step is one step's matched events, each as its JSON object.
type Step struct {
	Name   string
	Events []Event
}

// Event is a matched event: its identity (for the id) and its JSON object.
type Event struct {
	Identity string
	JSON     []byte
}

// Field is one emitted field, its value already encoded as JSON.
type Field struct {
	Name  string
	Value []byte
}

// ComputeID returns the deterministic id of r: a hash of the rule's name and
// version, the kind, the key, and for each step its name and its events'
// identities. Times, fields and the late flag are not part of it, so a replay or a
// restart reproduces the same id for the same match.
func ComputeID(r *Record) string {
	h := sha256.New()
	var n [8]byte
	put := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	put([]byte(r.Rule))
	binary.BigEndian.PutUint64(n[:], uint64(r.Version))
	h.Write(n[:])
	put([]byte(r.Kind))
	put(r.Key)
	for _, s := range r.Steps {
		put([]byte(s.Name))
		binary.BigEndian.PutUint64(n[:], uint64(len(s.Events)))
		h.Write(n[:])
		for _, e := range s.Events {
			put([]byte(e.Identity))
		}
	}
	sum := h.Sum(nil)
	return hex.EncodeToString(sum[:16])
}

// AppendTime appends ms as RFC 3339 in UTC with exactly three fractional digits.
func AppendTime(dst []byte, ms int64) []byte {
	return time.UnixMilli(ms).UTC().AppendFormat(dst, "2006-01-02T15:04:05.000Z")
}

// AppendJSON appends r as one JSON object (no newline).
func (r *Record) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = AppendString(b, r.ID)
	b = append(b, `,"rule":`...)
	b = AppendString(b, r.Rule)
	b = append(b, `,"version":`...)
	b = appendInt(b, int64(r.Version))
	b = append(b, `,"severity":`...)
	b = AppendString(b, r.Severity)
	b = append(b, `,"mode":`...)
	b = AppendString(b, r.Mode)
	b = append(b, `,"kind":`...)
	b = AppendString(b, r.Kind)
	b = append(b, `,"key":`...)
	if len(r.Key) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, r.Key...)
	}
	b = append(b, `,"time":"`...)
	b = AppendTime(b, r.Time)
	b = append(b, `","start":"`...)
	b = AppendTime(b, r.Start)
	b = append(b, `","end":"`...)
	b = AppendTime(b, r.End)
	b = append(b, `","events":{`...)
	for i, s := range r.Steps {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, s.Name)
		b = append(b, ":["...)
		for j, e := range s.Events {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, e.JSON...)
		}
		b = append(b, ']')
	}
	b = append(b, `},"fields":{`...)
	for i, f := range r.Fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, f.Name)
		b = append(b, ':')
		b = append(b, f.Value...)
	}
	b = append(b, `},"late":`...)
	if r.Late {
		b = append(b, "true"...)
	} else {
		b = append(b, "false"...)
	}
	return append(b, '}')
}
