package event

import (
	"encoding/json"
	"math"
	"testing"
)

func TestEventSlots(t *testing.T) {
	s := allSchema(t)
	score := s.AddExtra(Float)
	label := s.AddExtra(String)
	dec := NewJSONDecoder(s)
	ev := s.NewEvent()
	if err := dec.Decode([]byte(`{"s":"a","i":7,"t":5}`), ev); err != nil {
		t.Fatal(err)
	}
	if v, ok := ev.Float(score); ok || v != 0 {
		t.Errorf("extra slot before set: %v %v", v, ok)
	}
	ev.SetFloat(score, 0.5)
	ev.SetStr(label, "risky")
	if v, ok := ev.Float(score); !ok || v != 0.5 {
		t.Errorf("score %v %v", v, ok)
	}
	if v, ok := ev.Str(label); !ok || v != "risky" {
		t.Errorf("label %q %v", v, ok)
	}
	if v, _ := ev.Str(0); v != "a" {
		t.Errorf("s = %q after setting extras", v)
	}
	ev.SetNull(score)
	if !ev.IsNull(score) || ev.IsNull(1) || !ev.IsNull(2) {
		t.Error("IsNull")
	}
	// An extra added after decoding: the event grows when it is set.
	late := s.AddExtra(Int)
	if _, ok := ev.Int(late); ok {
		t.Error("late slot non-null")
	}
	ev.SetInt(late, -3)
	if v, ok := ev.Int(late); !ok || v != -3 {
		t.Errorf("late slot %v %v", v, ok)
	}
	if v, _ := ev.Int(1); v != 7 {
		t.Errorf("i = %d after growing", v)
	}
	ev.SetBool(3, true)
	if v, ok := ev.Bool(3); !ok || !v {
		t.Error("SetBool")
	}
	ev.SetInt(s.Time, 99)
	if ev.Time != 99 {
		t.Errorf("SetInt on the timestamp slot: Time %d", ev.Time)
	}
	// Never panics, whatever the slot.
	for _, slot := range []int{-1, -65, math.MinInt, 100, 1 << 20, math.MaxInt} {
		ev.SetInt(slot, 1)
		ev.SetStr(slot, "x")
		ev.SetNull(slot)
		ev.Int(slot)
		ev.Float(slot)
		ev.Bool(slot)
		ev.Str(slot)
		ev.IsNull(slot)
	}
	var zero Event
	zero.Int(0)
	zero.Str(0)
	zero.SetNull(3)
	if zero.Stream() != -1 || string(zero.JSON()) != "{}" || zero.Identity() != ":0" {
		t.Errorf("zero event: %d %s %s", zero.Stream(), zero.JSON(), zero.Identity())
	}
}

func TestEventManySlots(t *testing.T) {
	var fields []Field
	for i := range 150 {
		fields = append(fields, Field{Name: "f" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Type: Int})
	}
	fields = append(fields, Field{"ts", Time})
	s, err := NewSchema("wide", 0, fields, "", "ts")
	if err != nil {
		t.Fatal(err)
	}
	ev := s.NewEvent()
	for i := range 150 {
		if i%3 != 0 {
			ev.SetInt(i, int64(i))
		}
	}
	for i := range 150 {
		v, ok := ev.Int(i)
		if ok != (i%3 != 0) || (ok && v != int64(i)) {
			t.Fatalf("slot %d: %d %v", i, v, ok)
		}
	}
}

func TestEventBuiltByHand(t *testing.T) {
	s := allSchema(t)
	ev := s.NewEvent()
	ev.SetStr(0, `q"`)
	ev.SetFloat(2, 2.5)
	ev.SetInt(4, 1522540831000)
	ev.Pos = Position{"hand", 3}
	want := `{"s":"q\"","i":null,"f":2.5,"b":null,"t":"2018-04-01T00:00:31.000Z"}`
	if got := string(ev.JSON()); got != want {
		t.Errorf("JSON() = %s", got)
	}
	if !json.Valid(ev.JSON()) || ev.Time != 1522540831000 {
		t.Error("invalid")
	}
}

func TestIdentity(t *testing.T) {
	pos := Position{"txn.jsonl", 17}
	if pos.String() != "txn.jsonl:17" {
		t.Errorf("Position.String() = %q", pos)
	}
	mk := func(ty Type, line string) *Event {
		s, err := NewSchema("s", 0, []Field{{"id", ty}, {"ts", Time}}, "id", "ts")
		if err != nil {
			t.Fatal(err)
		}
		ev := s.NewEvent()
		if err := NewJSONDecoder(s).Decode([]byte(line), ev); err != nil {
			t.Fatal(err)
		}
		ev.Pos = pos
		return ev
	}
	tests := []struct {
		ev   *Event
		want string
	}{
		{mk(String, `{"id":"t-1","ts":1}`), "t-1"},
		{mk(String, `{"id":"","ts":1}`), ""},
		{mk(String, `{"id":null,"ts":1}`), "txn.jsonl:17"},
		{mk(String, `{"ts":1}`), "txn.jsonl:17"},
		{mk(Int, `{"id":42,"ts":1}`), "42"},
		{mk(Float, `{"id":1.5,"ts":1}`), "1.5"},
		{mk(Bool, `{"id":true,"ts":1}`), "true"},
		{mk(Time, `{"id":"1970-01-01T00:00:01Z","ts":1}`), "1000"},
	}
	for _, tt := range tests {
		if got := tt.ev.Identity(); got != tt.want {
			t.Errorf("%s: Identity() = %q, want %q", tt.ev.Raw, got, tt.want)
		}
		if got := string(tt.ev.AppendIdentity([]byte("x"))); got != "x"+tt.want {
			t.Errorf("%s: AppendIdentity = %q", tt.ev.Raw, got)
		}
	}
	// No id field: the position.
	s := allSchema(t)
	ev := s.NewEvent()
	ev.Pos = pos
	if ev.Identity() != "txn.jsonl:17" {
		t.Errorf("Identity() = %q", ev.Identity())
	}
}

const txnLine = `{"id":"t-000123456","card_id":"c-4921","amount":57.16,"country":"FR","merchant":"m-0193","is_fraud":false,"ts":"2026-11-24T10:15:00.250Z"}`

func TestMemSize(t *testing.T) {
	s := txnSchema(t)
	ev := s.NewEvent()
	if err := NewJSONDecoder(s).Decode([]byte(txnLine), ev); err != nil {
		t.Fatal(err)
	}
	// A 7-field event is a few hundred bytes with its Raw.
	if n := ev.MemSize(); n > 420 {
		t.Errorf("MemSize = %d for a %d-byte line", n, len(txnLine))
	}
	t.Logf("MemSize = %d for a %d-byte line", ev.MemSize(), len(txnLine))
}

func TestDecodeAllocs(t *testing.T) {
	s := txnSchema(t)
	dec := NewJSONDecoder(s)
	line := []byte(txnLine)
	ev := s.NewEvent()
	if n := testing.AllocsPerRun(100, func() { dec.Decode(line, ev) }); n != 1 {
		t.Errorf("JSON into a reused event: %v allocations, want 1 (Raw)", n)
	}
	if n := testing.AllocsPerRun(100, func() { dec.Decode(line, s.NewEvent()) }); n != 2 {
		t.Errorf("JSON into a new event: %v allocations, want 2", n)
	}
	hs := handbookSchema(t)
	cdec, err := NewCSVDecoder(hs, []byte("id,ts,customer_id,terminal_id,amount,is_fraud,fraud_scenario"))
	if err != nil {
		t.Fatal(err)
	}
	row := []byte("2,2018-04-01T00:07:56Z,2,1365,146.0,false,0")
	hev := hs.NewEvent()
	if n := testing.AllocsPerRun(100, func() { cdec.Decode(row, hev) }); n != 1 {
		t.Errorf("CSV into a reused event: %v allocations, want 1", n)
	}
}

// row is expr.Row, copied: *Event must satisfy it without importing expr.
type row interface {
	Stream() int
	Int(slot int) (int64, bool)
	Float(slot int) (float64, bool)
	Str(slot int) (string, bool)
	Bool(slot int) (bool, bool)
}

var _ row = (*Event)(nil)
