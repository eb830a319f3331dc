package store

import (
	"testing"

	"github.com/kestrelcep/kestrel/expr"
)

func TestRecordRoundTrip(t *testing.T) {
	for _, v := range roundTripValues() {
		b := appendRecord(nil, v.Value, v.AsOf, v.Expires)
		got, err := decodeRecord(string(b))
		v.Found = true
		if err != nil || !sameStored(got, v) {
			t.Errorf("%+v: decoded %+v, %v", v, got, err)
		}
	}
}

func TestRecordSize(t *testing.T) {
	// A count as of 2026 with a 10-minute window: 1 + 6 + 3 + 1 bytes.
	b := appendRecord(nil, expr.IntValue(3), 1764000000000, 1764000600000)
	if len(b) != 11 {
		t.Errorf("%d bytes", len(b))
	}
}

func TestDecodeRejects(t *testing.T) {
	good := string(appendRecord(nil, expr.IntValue(3), 5, 6))
	for name, s := range map[string]string{
		"empty":           "",
		"format 2":        "\x21" + good[1:],
		"type 9":          "\x19" + good[1:],
		"truncated":       good[:2],
		"trailing int":    good + "\x00",
		"short float":     string(appendRecord(nil, expr.FloatValue(1), 0, 0)[:5]),
		"trailing null":   string(appendRecord(nil, expr.Value{}, 0, 0)) + "x",
		"overlong varint": "\x12\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f\x00\x00",
	} {
		if _, err := decodeRecord(s); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}

// FuzzDecode: no input panics, and what decodes encodes back to itself.
func FuzzDecode(f *testing.F) {
	for _, v := range roundTripValues()[:20] {
		f.Add(appendRecord(nil, v.Value, v.AsOf, v.Expires))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := decodeRecord(string(b))
		if err == nil {
			again := appendRecord(nil, st.Value, st.AsOf, st.Expires)
			st2, err := decodeRecord(string(again))
			if err != nil || !sameStored(st, st2) {
				t.Fatalf("%x decodes to %+v, which re-encodes to %x (%+v, %v)", b, st, again, st2, err)
			}
		}
		_ = decodeEntity(string(b), func(string, Stored) {})
	})
}
