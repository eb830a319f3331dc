package event

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math/bits"
	"sync/atomic"
	"unsafe"
)

// The binary form of an event, for checkpoints (Event.AppendBinary,
// Schema.DecodeBinary):
//
//	version    byte (binVersion)
//	flags      byte: binLate, binRaw (Raw is non-nil), binCSV (a CSV layout follows)
//	layout     uint32, little endian: the schema's layoutHash
//	Time       varint
//	Seq        uvarint
//	Pos.Offset varint
//	lengths    uvarint ×3: Pos.Source, Raw, and the strings not in Raw
//	[csv]      uvarint columns, then per column uvarint field+1, and for an
//	           undeclared column (0) uvarint length and the name
//	bytes      Pos.Source, Raw, the strings not in Raw (in slot order)
//	nulls      a bit per slot of the schema, 1 for non-null, ⌈slots/8⌉ bytes
//	values     per non-null slot, by its type: int, time: varint; float: uvarint
//	           of its bits byte-reversed (as gob does: short for round
//	           numbers); bool and others: uvarint; string: uvarint length<<1|inRaw,
//	           and when inRaw, uvarint offset into Raw
//
// A string that points into Raw, as the decoders leave the ones without
// escapes, is stored as its offset; after decoding it points into the new
// event's Raw again. The slots, Raw and every other string of a decoded event
// share one pointer-free allocation, as after JSONDecoder.Decode.

const binVersion = 1

// emptyRaw is the Raw of a decoded event whose Raw was empty but not nil.
var emptyRaw = []byte{}

const (
	binLate = 1 << iota
	binRaw
	binCSV
	binFlags = binLate | binRaw | binCSV
)

// binCache is a schema's cache of the CSV layouts of decoded events, so that
// the events of one CSV header share one layout, as decoded ones do.
type binCache struct {
	csv atomic.Pointer[binCSVEntry]
}

type binCSVEntry struct {
	key string // the encoded layout
	l   *csvLayout
}

// layoutHash fingerprints what the binary form depends on: the slots' types,
// the declared fields' names and the id and timestamp fields.
func (s *Schema) layoutHash() uint32 {
	h := fnv.New32a()
	var buf [binary.MaxVarintLen64]byte
	w := func(v int) { h.Write(binary.AppendVarint(buf[:0], int64(v))) }
	w(len(s.Fields))
	for _, f := range s.Fields {
		w(len(f.Name))
		h.Write([]byte(f.Name))
		w(int(f.Type))
	}
	w(len(s.Extra))
	for _, t := range s.Extra {
		w(int(t))
	}
	w(s.ID)
	w(s.Time)
	return h.Sum32()
}

// AppendBinary appends the event's binary form to b, for Schema.DecodeBinary:
// Time, Seq, Pos, Raw, Late, the CSV header for an event decoded from CSV, and
// every slot of the schema (declared fields and extra slots, nulls too). Slots
// beyond the schema's, which only a misuse of the Set methods creates, are not
// kept.
func (e *Event) AppendBinary(b []byte) []byte {
	s := e.Schema
	var hash uint32
	nslots := 0
	if s != nil {
		hash, nslots = s.bhash, s.Slots()
	}
	flags := byte(0)
	if e.Late {
		flags |= binLate
	}
	if e.Raw != nil {
		flags |= binRaw
	}
	if e.csv != nil {
		flags |= binCSV
	}
	b = append(b, binVersion, flags)
	b = binary.LittleEndian.AppendUint32(b, hash)
	b = binary.AppendVarint(b, e.Time)
	b = binary.AppendUvarint(b, e.Seq)
	b = binary.AppendVarint(b, e.Pos.Offset)

	// The strings that do not point into Raw.
	extra := 0
	for i := range nslots {
		if str, ok := e.binStr(i); ok {
			if _, in := inRaw(e.Raw, str); !in {
				extra += len(str)
			}
		}
	}
	b = binary.AppendUvarint(b, uint64(len(e.Pos.Source)))
	b = binary.AppendUvarint(b, uint64(len(e.Raw)))
	b = binary.AppendUvarint(b, uint64(extra))
	if l := e.csv; l != nil {
		b = binary.AppendUvarint(b, uint64(len(l.field)))
		for i, f := range l.field {
			b = binary.AppendUvarint(b, uint64(f+1))
			if f < 0 {
				b = binary.AppendUvarint(b, uint64(len(l.cols[i])))
				b = append(b, l.cols[i]...)
			}
		}
	}
	b = append(b, e.Pos.Source...)
	b = append(b, e.Raw...)
	if extra > 0 {
		for i := range nslots {
			if str, ok := e.binStr(i); ok {
				if _, in := inRaw(e.Raw, str); !in {
					b = append(b, str...)
				}
			}
		}
	}

	// Null bits, then values.
	for i := 0; i < nslots; i += 8 {
		var m byte
		for j := i; j < min(i+8, nslots); j++ {
			if e.binNonNull(j) {
				m |= 1 << (j - i)
			}
		}
		b = append(b, m)
	}
	for i := range nslots {
		if !e.binNonNull(i) {
			continue
		}
		w, _ := e.word(i)
		switch s.SlotType(i) {
		case String:
			str := e.strs[w]
			if off, in := inRaw(e.Raw, str); in {
				b = binary.AppendUvarint(b, uint64(len(str))<<1|1)
				b = binary.AppendUvarint(b, uint64(off))
			} else {
				b = binary.AppendUvarint(b, uint64(len(str))<<1)
			}
		case Int, Time:
			b = binary.AppendVarint(b, int64(w))
		case Float:
			b = binary.AppendUvarint(b, bits.ReverseBytes64(w))
		default:
			b = binary.AppendUvarint(b, w)
		}
	}
	return b
}

// binNonNull reports whether slot i is stored as non-null: a string slot
// whose index is out of the string table reads as null and is stored so.
func (e *Event) binNonNull(i int) bool {
	w, ok := e.word(i)
	if ok && e.Schema.SlotType(i) == String {
		return w < uint64(len(e.strs))
	}
	return ok
}

// binStr returns a string slot's value, if it is one and non-null.
func (e *Event) binStr(i int) (string, bool) {
	if e.Schema.SlotType(i) != String {
		return "", false
	}
	return e.Str(i)
}

// inRaw returns where str lies in raw, if it points into it.
func inRaw(raw []byte, str string) (int, bool) {
	if len(str) == 0 || len(raw) == 0 {
		return 0, false
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(str)))
	r := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	if p < r || p-r > uintptr(len(raw)) || uintptr(len(str)) > uintptr(len(raw))-(p-r) {
		return 0, false
	}
	return int(p - r), true
}

// binReader reads the binary form; it records the first problem and then
// returns zeros.
type binReader struct {
	b   []byte
	err string
}

func (r *binReader) fail(what string) {
	if r.err == "" {
		r.err = what
	}
	r.b = nil
}

func (r *binReader) byte(what string) byte {
	if len(r.b) == 0 {
		r.fail("truncated " + what)
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *binReader) uvarint(what string) uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("bad " + what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *binReader) varint(what string) int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("bad " + what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// length reads a length that the rest of the input must be able to hold.
func (r *binReader) length(what string) int {
	v := r.uvarint(what)
	if v > uint64(len(r.b)) {
		r.fail(what + " beyond the end of the input")
		return 0
	}
	return int(v)
}

func (r *binReader) bytes(n int, what string) []byte {
	if n > len(r.b) {
		r.fail("truncated " + what)
		return nil
	}
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}

// DecodeBinary decodes an event that Event.AppendBinary encoded with a schema
// of the same layout (the same fields, extra slots, id and timestamp fields)
// from the start of b, and returns it with the rest of b. The event is of s:
// equal to the encoded one in Time, Seq, Pos, Raw, Late, every slot, JSON and
// Identity. Input that is truncated or malformed gives an error wrapping
// ErrCorrupt; one encoded for another layout, ErrSchemaMismatch.
func (s *Schema) DecodeBinary(b []byte) (ev *Event, rest []byte, err error) {
	r := binReader{b: b}
	if v := r.byte("version"); r.err == "" && v != binVersion {
		return nil, b, fmt.Errorf("%w: unknown version %d", ErrCorrupt, v)
	}
	flags := r.byte("flags")
	if flags&^binFlags != 0 {
		r.fail("unknown flags")
	}
	h := r.bytes(4, "layout hash")
	if r.err != "" {
		return nil, b, fmt.Errorf("%w: %s", ErrCorrupt, r.err)
	}
	if hash := binary.LittleEndian.Uint32(h); hash != s.bhash {
		return nil, b, fmt.Errorf("%w: event encoded for another layout of stream %q", ErrSchemaMismatch, s.Name)
	}
	t := r.varint("time")
	seq := r.uvarint("seq")
	off := r.varint("offset")
	nsrc := r.length("source length")
	nraw := r.length("raw length")
	nextra := r.length("string length")
	var l *csvLayout
	if flags&binCSV != 0 {
		l = s.binCSVLayout(&r)
	}
	if r.err != "" {
		return nil, b, fmt.Errorf("%w: %s", ErrCorrupt, r.err)
	}
	area := r.bytes(nsrc+nraw+nextra, "bytes")
	if r.err != "" {
		return nil, b, fmt.Errorf("%w: %s", ErrCorrupt, r.err)
	}

	ev = s.NewEvent()
	nslots := s.Slots()
	nv := valsLen(nslots)
	blk := make([]uint64, nv+(len(area)+7)/8)
	ev.vals = blk[:nv:nv]
	var mem []byte
	if len(area) > 0 {
		mem = unsafe.Slice((*byte)(unsafe.Pointer(&blk[nv])), len(area))
		copy(mem, area)
	}
	str := func(a, n int) string {
		if n == 0 {
			return ""
		}
		return unsafe.String(&mem[a], n)
	}
	ev.Time, ev.Seq, ev.Late = t, seq, flags&binLate != 0
	ev.Pos = Position{Source: str(0, nsrc), Offset: off}
	switch {
	case flags&binRaw == 0:
	case nraw == 0:
		ev.Raw = emptyRaw
	default:
		ev.Raw = mem[nsrc : nsrc+nraw : nsrc+nraw]
	}
	ev.csv = l
	ev.strs = ev.strs[:s.nstr]
	clear(ev.strs)

	nulls := r.bytes((nslots+7)/8, "null bits")
	xoff := nsrc + nraw // the next string not in Raw
	for i := 0; i < nslots && r.err == ""; i++ {
		if nulls[i/8]&(1<<(i%8)) == 0 {
			continue
		}
		var w uint64
		switch s.SlotType(i) {
		case String:
			x := r.uvarint("string")
			n := x >> 1
			var a int
			if x&1 != 0 {
				o := r.uvarint("string offset")
				if o > uint64(nraw) || n > uint64(nraw)-o {
					r.fail("string beyond Raw")
					break
				}
				a = nsrc + int(o)
			} else {
				if n > uint64(len(mem)-xoff) {
					r.fail("string beyond the string bytes")
					break
				}
				a = xoff
				xoff += int(n)
			}
			k := s.sidx[i]
			ev.strs[k] = str(a, int(n))
			w = uint64(k)
		case Int, Time:
			w = uint64(r.varint("int"))
		case Float:
			w = bits.ReverseBytes64(r.uvarint("float"))
		default:
			w = r.uvarint("value")
		}
		ev.setWord(i, w)
	}
	switch {
	case r.err != "":
	case xoff != len(mem):
		r.fail("unused string bytes")
	case nslots > 0 && nslots%8 != 0 && nulls[len(nulls)-1]>>(nslots%8) != 0:
		r.fail("null bits beyond the last slot")
	case l != nil && !csvRowFits(ev.Raw, len(l.field)):
		r.fail("Raw is not a CSV row of the header's columns")
	}
	if r.err != "" {
		return nil, b, fmt.Errorf("%w: %s", ErrCorrupt, r.err)
	}
	return ev, r.b, nil
}

// binCSVLayout reads a CSV layout, reusing the last one decoded for s when it
// is the same.
func (s *Schema) binCSVLayout(r *binReader) *csvLayout {
	start := r.b
	n := r.length("columns")
	for range n {
		f := r.uvarint("column")
		if f > uint64(len(s.Fields)) {
			r.fail("column of an unknown field")
		}
		if f == 0 {
			r.bytes(r.length("column name"), "column name")
		}
		if r.err != "" {
			return nil
		}
	}
	if r.err != "" {
		return nil
	}
	key := start[:len(start)-len(r.b)]
	var c *binCache
	if s.bin != nil {
		c = s.bin
		if e := c.csv.Load(); e != nil && e.key == string(key) {
			return e.l
		}
	}
	// Read it again, now known to be well-formed.
	q := binReader{b: key}
	n = int(q.uvarint(""))
	l := &csvLayout{cols: make([]string, n), keys: make([][]byte, n), field: make([]int, n)}
	for i := range n {
		f := int(q.uvarint("")) - 1
		name := ""
		if f < 0 {
			name = string(q.bytes(int(q.uvarint("")), ""))
		} else {
			name = s.Fields[f].Name
		}
		l.cols[i], l.field[i] = name, f
		l.keys[i] = append(AppendJSONString(nil, name), ':')
	}
	if c != nil {
		c.csv.Store(&binCSVEntry{key: string(key), l: l})
	}
	return l
}

// csvRowFits reports whether row splits into n well-formed cells, so that
// the layout's appendJSON can walk it.
func csvRowFits(row []byte, n int) bool {
	i := 0
	for k := range n {
		_, _, _, next, reason := scanCell(row, i)
		if reason != "" {
			return false
		}
		if next > len(row) {
			return k == n-1
		}
		i = next
	}
	return false
}
