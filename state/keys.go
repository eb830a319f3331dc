package state

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// The key space. Every key the package writes begins with 0x00 and a tag
// byte; keys not beginning with 0x00 belong to others sharing the Badger
// instance through DB.Badger (the embedded feature store uses a text prefix).
const (
	tagEventHead  = 'h' // stream → next sequence number (8 bytes)
	tagEventTrim  = 't' // stream → first sequence number still kept (8 bytes)
	tagEvent      = 'e' // stream 0x00 seq(8) → raw event
	tagCheckpoint = 'c' // id(8) → time(8) meta
	tagStaging    = 'p' // id(8) chunk(4) → encoded operations of a large checkpoint
	tagState      = 's' // engine key → engine value
	tagAlert      = 'a' // id → alert record
	tagAlertTime  = 'T' // inv(time)(8) id → alert summary
	tagAlertRule  = 'R' // len rule inv(time)(8) id → alert summary
	tagAlertKey   = 'K' // len key inv(time)(8) id → alert summary
	tagDefHead    = 'd' // kind 0x00 name → current definition (JSON)
	tagDefVersion = 'v' // kind 0x00 name 0x00 version(8) → definition (JSON)
)

func prefix(tag byte) []byte { return []byte{0, tag} }

// checkName rejects names that cannot be part of a key.
func checkName(what, s string) error {
	if s == "" {
		return fmt.Errorf("%w: empty %s", ErrInvalid, what)
	}
	if bytes.IndexByte([]byte(s), 0) >= 0 {
		return fmt.Errorf("%w: %s %q contains a NUL byte", ErrInvalid, what, s)
	}
	return nil
}

func appendU64(b []byte, v uint64) []byte { return binary.BigEndian.AppendUint64(b, v) }

// invTime maps epoch milliseconds to a uint64 that sorts newest first.
func invTime(ms int64) uint64 { return ^(uint64(ms) ^ 1<<63) }

func uninvTime(v uint64) int64 { return int64(^v ^ 1<<63) }

// appendLen appends a uvarint length and b, so that a variable-length part
// can be followed by more key without a separator.
func appendLen(dst, b []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}
