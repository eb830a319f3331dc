package event

import (
	"math"
	"strconv"
	"unsafe"
)

// Position is where an event came from: a file name and 1-based line number,
// or another source's own scheme (such as a Kafka partition and offset).
type Position struct {
	Source string
	Offset int64
}

// String renders the position as "source:offset", e.g. "txn.jsonl:17".
func (p Position) String() string { return string(p.Append(nil)) }

// Append appends the position as rendered by String.
func (p Position) Append(dst []byte) []byte {
	dst = append(dst, p.Source...)
	dst = append(dst, ':')
	return strconv.AppendInt(dst, p.Offset, 10)
}

// Event is one decoded event: typed slots, the event time and the original bytes.
//
// Slot i < len(Schema.Fields) is declared field i; later slots are the schema's
// extra slots, set by the engine with the Set methods. Values are stored
// unboxed: one 64-bit word per slot (int and time as int64, float as its bits,
// bool as 0 or 1, string as an index into a small string table) plus a bit per
// slot that says whether it is non-null. Strings decoded without escapes point
// into Raw, which the event owns and which is never reused.
//
// An Event is not safe for concurrent modification; concurrent reads are fine.
type Event struct {
	Schema *Schema
	Time   int64  // epoch milliseconds, from the timestamp field
	Seq    uint64 // arrival sequence, set by the engine
	Pos    Position
	// Raw is the input the event was decoded from: the JSON line or the CSV
	// row, trimmed. It must not be modified.
	Raw []byte
	// Late is set by the engine on an event that came behind its stream's
	// watermark but within its lateness; matches that contain it are flagged.
	Late bool
	// Part is the group of the input partition the event came from: its
	// Kafka partition number, or -1 for an input that is not partitioned.
	// Set by the engine; not part of the binary form.
	Part int32
	// Received is when the service received the event (Unix nanoseconds),
	// for the event-to-alert latency; 0 in replay. Not part of the binary form.
	Received int64

	// vals holds the slots in groups of 65 words: a word of non-null bits,
	// then the values of 64 slots. Slot s is in group s/64.
	vals []uint64
	strs []string
	csv  *csvLayout // set for events decoded from CSV
}

// maxSlot bounds the slots a setter will create, so that a bad slot number
// cannot allocate without limit.
const maxSlot = 1 << 16

// valsLen is the length of vals for n slots.
func valsLen(n int) int {
	return n/64*65 + min(n%64, 1) + n%64
}

// NewEvent returns an empty event of the schema, allocated together with
// room for its strings so that decoding into it allocates only its Raw copy.
func (s *Schema) NewEvent() *Event {
	var e *Event
	switch n := s.nstr; {
	case n == 0:
		e = new(Event)
	case n <= 2:
		w := new(struct {
			e Event
			s [2]string
		})
		e = &w.e
		e.strs = w.s[:0]
	case n <= 4:
		w := new(struct {
			e Event
			s [4]string
		})
		e = &w.e
		e.strs = w.s[:0]
	case n <= 8:
		w := new(struct {
			e Event
			s [8]string
		})
		e = &w.e
		e.strs = w.s[:0]
	default:
		e = &Event{strs: make([]string, 0, n)}
	}
	e.Schema = s
	return e
}

// reset prepares e to be decoded from line for schema s. The slots and Raw
// share one fresh pointer-free allocation: Raw is never overwritten, so the
// strings of an earlier decode stay valid even when e is reused.
func (e *Event) reset(s *Schema, line []byte, csv *csvLayout) {
	nv := valsLen(s.Slots())
	blk := make([]uint64, nv+(len(line)+7)/8)
	e.vals = blk[:nv:nv]
	if len(line) > 0 {
		raw := unsafe.Slice((*byte)(unsafe.Pointer(&blk[nv])), len(line))
		copy(raw, line)
		e.Raw = raw
	} else {
		e.Raw = nil
	}
	e.Schema, e.Time, e.csv = s, 0, csv
	if cap(e.strs) >= s.nstr {
		e.strs = e.strs[:s.nstr]
		clear(e.strs)
	} else {
		e.strs = make([]string, s.nstr)
	}
}

// Stream is the index of the event's stream in the rule set (Schema.Index),
// or -1 for an event without a schema.
func (e *Event) Stream() int {
	if e.Schema == nil {
		return -1
	}
	return e.Schema.Index
}

// word returns the value word of a slot and whether it is non-null.
func (e *Event) word(slot int) (uint64, bool) {
	if slot < 0 {
		return 0, false
	}
	i := uint(slot)
	base := (i >> 6) * 65
	j := base + 1 + (i & 63)
	if j >= uint(len(e.vals)) || e.vals[base]&(1<<(i&63)) == 0 {
		return 0, false
	}
	return e.vals[j], true
}

// Int returns an int or time slot (epoch milliseconds); false means null.
// Like the other getters it never panics: a slot out of range is null, and
// a slot of another type gives a meaningless value.
func (e *Event) Int(slot int) (int64, bool) {
	w, ok := e.word(slot)
	return int64(w), ok
}

// Float returns a float slot; false means null.
func (e *Event) Float(slot int) (float64, bool) {
	w, ok := e.word(slot)
	return math.Float64frombits(w), ok
}

// Bool returns a bool slot; false as second result means null.
func (e *Event) Bool(slot int) (bool, bool) {
	w, ok := e.word(slot)
	return w != 0, ok
}

// Str returns a string slot; false means null.
func (e *Event) Str(slot int) (string, bool) {
	w, ok := e.word(slot)
	if !ok || w >= uint64(len(e.strs)) {
		return "", false
	}
	return e.strs[w], true
}

// Words returns the event's storage, for readers that decode slots in place
// (expr.WordRow, which documents the layout): vals holds the slots in groups
// of 65 words, a word of non-null bits then the values of 64 slots, and a
// string slot's value is an index into strs (null when out of range). The
// slices are the event's own: the caller must not modify or keep them.
func (e *Event) Words() (vals []uint64, strs []string) { return e.vals, e.strs }

// IsNull reports whether a slot is null (or out of range).
func (e *Event) IsNull(slot int) bool {
	_, ok := e.word(slot)
	return !ok
}

// setWord stores a slot known to be in range (the decoders' fast path).
func (e *Event) setWord(slot int, w uint64) {
	i := uint(slot)
	base := (i >> 6) * 65
	e.vals[base] |= 1 << (i & 63)
	e.vals[base+1+(i&63)] = w
}

// set stores a slot, growing the event for an extra slot added to the schema
// after it was decoded. Slots < 0 or beyond maxSlot are ignored.
func (e *Event) set(slot int, w uint64) {
	if slot < 0 || slot >= maxSlot {
		return
	}
	if j := slot/64*65 + 1 + slot%64; j >= len(e.vals) {
		n := slot + 1
		if e.Schema != nil {
			n = max(n, e.Schema.Slots())
		}
		v := make([]uint64, valsLen(n))
		copy(v, e.vals)
		e.vals = v
	}
	e.setWord(slot, w)
	if e.Schema != nil && slot == e.Schema.Time {
		e.Time = int64(w)
	}
}

// SetInt sets an int or time slot. Setting the timestamp field's slot also
// sets Time.
func (e *Event) SetInt(slot int, v int64) { e.set(slot, uint64(v)) }

// SetFloat sets a float slot.
func (e *Event) SetFloat(slot int, v float64) { e.set(slot, math.Float64bits(v)) }

// SetBool sets a bool slot.
func (e *Event) SetBool(slot int, v bool) {
	var w uint64
	if v {
		w = 1
	}
	e.set(slot, w)
}

// SetStr sets a string slot.
func (e *Event) SetStr(slot int, v string) {
	k := -1
	if s := e.Schema; s != nil && slot >= 0 && slot < len(s.sidx) {
		k = int(s.sidx[slot])
	}
	if k < 0 {
		// A slot the schema does not know as a string: reuse its entry if it has one.
		if w, ok := e.word(slot); ok && w < uint64(len(e.strs)) {
			k = int(w)
		} else {
			k = len(e.strs)
		}
	}
	for len(e.strs) <= k {
		e.strs = append(e.strs, "")
	}
	e.strs[k] = v
	e.set(slot, uint64(k))
}

// SetNull makes a slot null.
func (e *Event) SetNull(slot int) {
	if slot < 0 {
		return
	}
	i := uint(slot)
	if base := (i >> 6) * 65; base < uint(len(e.vals)) {
		e.vals[base] &^= 1 << (i & 63)
	}
}

// JSON returns the event as a JSON object, as alerts and side outputs show it:
// for JSON input, the original line (the returned slice is Raw itself and must
// not be modified); for CSV input, an object of the row's columns in header
// order, built on each call (see AppendJSON). An event built with the Set
// methods, without Raw, gives an object of its declared fields.
func (e *Event) JSON() []byte {
	if e.csv == nil && e.Raw != nil {
		return e.Raw
	}
	return e.AppendJSON(nil)
}

// AppendJSON appends the event's JSON object (see JSON) to dst.
//
// For CSV input the columns are written in header order: declared columns
// typed as declared (numbers and bools unquoted, an empty cell as null, a time
// as in the input: a number stays a number, a string stays a string), the
// other columns as strings. The object is synthesised on each call and not
// cached, so events stay immutable and safe to share between goroutines.
func (e *Event) AppendJSON(dst []byte) []byte {
	switch {
	case e.csv != nil:
		return e.csv.appendJSON(dst, e)
	case e.Raw != nil:
		return append(dst, e.Raw...)
	}
	dst = append(dst, '{')
	if s := e.Schema; s != nil {
		for i, f := range s.Fields {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSONString(dst, f.Name)
			dst = append(dst, ':')
			dst = e.appendSlotJSON(dst, i, f.Type)
		}
	}
	return append(dst, '}')
}

// appendSlotJSON writes a slot's value as JSON; a time as an RFC 3339 string
// in UTC with milliseconds.
func (e *Event) appendSlotJSON(dst []byte, slot int, t Type) []byte {
	w, ok := e.word(slot)
	if !ok {
		return append(dst, "null"...)
	}
	switch t {
	case Int:
		return strconv.AppendInt(dst, int64(w), 10)
	case Float:
		f := math.Float64frombits(w)
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return append(dst, "null"...)
		}
		return strconv.AppendFloat(dst, f, 'g', -1, 64)
	case Bool:
		return strconv.AppendBool(dst, w != 0)
	case String:
		s, _ := e.Str(slot)
		return AppendJSONString(dst, s)
	case Time:
		dst = append(dst, '"')
		dst = appendRFC3339(dst, int64(w))
		return append(dst, '"')
	}
	return append(dst, "null"...)
}

// Identity identifies the event in alert ids: the value of the stream's id
// field rendered as text when the schema has one and it is non-null, else
// the position ("txn.jsonl:17").
func (e *Event) Identity() string {
	if s := e.Schema; s != nil && s.ID >= 0 && s.Fields[s.ID].Type == String {
		if v, ok := e.Str(s.ID); ok {
			return v // no copy needed
		}
	}
	return string(e.AppendIdentity(nil))
}

// AppendIdentity appends the event's Identity to dst.
func (e *Event) AppendIdentity(dst []byte) []byte {
	if s := e.Schema; s != nil && s.ID >= 0 {
		if w, ok := e.word(s.ID); ok {
			switch s.Fields[s.ID].Type {
			case String:
				v, _ := e.Str(s.ID)
				return append(dst, v...)
			case Int, Time:
				return strconv.AppendInt(dst, int64(w), 10)
			case Float:
				return strconv.AppendFloat(dst, math.Float64frombits(w), 'g', -1, 64)
			case Bool:
				return strconv.AppendBool(dst, w != 0)
			}
		}
	}
	return e.Pos.Append(dst)
}

// MemSize is an estimate of the bytes the event holds: the Event itself, its
// slots and Raw, and the string table (not the bytes of escaped strings).
func (e *Event) MemSize() int {
	return int(unsafe.Sizeof(*e)) + 8*len(e.vals) + len(e.Raw) + 16*cap(e.strs)
}
