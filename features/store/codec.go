package store

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/kestrelcep/kestrel/expr"
)

// The encoding of one stored value, used for Redis hash fields and inside
// Badger records (see doc.go):
//
//	byte 0      format (high nibble, 1) | expr.Type (low nibble)
//	uvarint     zigzag(AsOf)
//	uvarint     uint64(Expires) - uint64(AsOf), wrapping (small for real windows)
//	payload     null: nothing; bool, int, time, duration: uvarint zigzag(I);
//	            float: 8 bytes, little-endian IEEE 754 bits; string: the bytes, to the end
const recordFormat = 1

// appendRecord appends the encoding of a value to dst.
func appendRecord(dst []byte, v expr.Value, asOf, expires int64) []byte {
	dst = append(dst, recordFormat<<4|byte(v.Type))
	dst = binary.AppendUvarint(dst, zigzag(asOf))
	dst = binary.AppendUvarint(dst, uint64(expires)-uint64(asOf))
	switch v.Type {
	case expr.Null:
	case expr.Float:
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v.F))
	case expr.String:
		dst = append(dst, v.S...)
	default:
		dst = binary.AppendUvarint(dst, zigzag(v.I))
	}
	return dst
}

// decodeRecord decodes a value encoded by appendRecord. A string value
// shares s's bytes.
func decodeRecord(s string) (Stored, error) {
	if len(s) == 0 {
		return Stored{}, fmt.Errorf("%w: empty", ErrCorrupt)
	}
	if s[0]>>4 != recordFormat {
		return Stored{}, fmt.Errorf("%w: unknown format %d", ErrCorrupt, s[0]>>4)
	}
	t := expr.Type(s[0] & 0xf)
	if t > expr.Duration {
		return Stored{}, fmt.Errorf("%w: unknown type %d", ErrCorrupt, t)
	}
	i := 1
	asOf, n := uvarint(s[i:])
	if n <= 0 {
		return Stored{}, fmt.Errorf("%w: bad as-of time", ErrCorrupt)
	}
	i += n
	d, n := uvarint(s[i:])
	if n <= 0 {
		return Stored{}, fmt.Errorf("%w: bad expiry", ErrCorrupt)
	}
	i += n
	st := Stored{AsOf: unzigzag(asOf), Found: true}
	st.Expires = int64(uint64(st.AsOf) + d)
	st.Value.Type = t
	switch t {
	case expr.Null:
		if i != len(s) {
			return Stored{}, fmt.Errorf("%w: trailing bytes", ErrCorrupt)
		}
	case expr.Float:
		if len(s)-i != 8 {
			return Stored{}, fmt.Errorf("%w: float of %d bytes", ErrCorrupt, len(s)-i)
		}
		var b [8]byte
		copy(b[:], s[i:])
		st.Value.F = math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
	case expr.String:
		st.Value.S = s[i:]
	default:
		v, n := uvarint(s[i:])
		if n <= 0 || i+n != len(s) {
			return Stored{}, fmt.Errorf("%w: bad %v payload", ErrCorrupt, t)
		}
		st.Value.I = unzigzag(v)
	}
	return st, nil
}

// uvarint is binary.Uvarint over a string.
func uvarint(s string) (uint64, int) {
	var x uint64
	var sh uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		b := s[i]
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				return 0, -1 // overflow
			}
			return x | uint64(b)<<sh, i + 1
		}
		x |= uint64(b&0x7f) << sh
		sh += 7
	}
	return 0, 0
}

func zigzag(v int64) uint64   { return uint64(v<<1) ^ uint64(v>>63) }
func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// The encoding of one entity (all features of one key) in Badger:
//
//	byte 0      entity format, 1
//	repeated    uvarint len(feature), feature, uvarint len(record), record
const entityFormat = 1

// appendEntity appends the encoding of e; name gives the name of a feature id.
func appendEntity(dst []byte, e *entity, name func(uint32) string) []byte {
	dst = append(dst, entityFormat)
	for i := range e.feats {
		sl := &e.feats[i]
		f := name(sl.id)
		dst = binary.AppendUvarint(dst, uint64(len(f)))
		dst = append(dst, f...)
		n := len(dst)
		dst = append(dst, 0) // room for a one-byte length, the usual case
		dst = appendRecord(dst, sl.value, sl.asOf, sl.expires)
		rl := len(dst) - n - 1
		if rl >= 0x80 { // shift the record right to make room for a longer length
			var lb [binary.MaxVarintLen64]byte
			ln := binary.PutUvarint(lb[:], uint64(rl))
			dst = append(dst, lb[:ln-1]...)
			copy(dst[n+ln:], dst[n+1:n+1+rl])
			copy(dst[n:], lb[:ln])
		} else {
			dst[n] = byte(rl)
		}
	}
	return dst
}

// decodeEntity calls fn for each (feature, record) of an encoded entity.
// The strings share s's bytes.
func decodeEntity(s string, fn func(feature string, st Stored)) error {
	if len(s) == 0 || s[0] != entityFormat {
		return fmt.Errorf("%w: unknown entity format", ErrCorrupt)
	}
	for i := 1; i < len(s); {
		fl, n := uvarint(s[i:])
		if n <= 0 || fl > uint64(len(s)-i-n) {
			return fmt.Errorf("%w: bad feature name length", ErrCorrupt)
		}
		i += n
		f := s[i : i+int(fl)]
		i += int(fl)
		rl, n := uvarint(s[i:])
		if n <= 0 || rl > uint64(len(s)-i-n) {
			return fmt.Errorf("%w: bad record length", ErrCorrupt)
		}
		i += n
		st, err := decodeRecord(s[i : i+int(rl)])
		if err != nil {
			return fmt.Errorf("feature %q: %w", f, err)
		}
		i += int(rl)
		fn(f, st)
	}
	return nil
}
