package event

import (
	"testing"
)

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkDecodeJSON(b *testing.B) {
	s := txnSchema(b)
	dec := NewJSONDecoder(s)
	line := []byte(txnLine)
	b.Run("new-event", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(line)))
		for b.Loop() {
			if err := dec.Decode(line, s.NewEvent()); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
	b.Run("reused-event", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(line)))
		ev := s.NewEvent()
		for b.Loop() {
			if err := dec.Decode(line, ev); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
	b.Run("epoch-ms-and-extra-fields", func(b *testing.B) {
		line := []byte(`{"id":"t-000123456","card_id":"c-4921","amount":57.16,"country":"FR","merchant":"m-0193","is_fraud":false,"ts":1795515300250,"device":{"os":"ios","v":[17,1]},"ip":"10.0.0.1"}`)
		b.ReportAllocs()
		b.SetBytes(int64(len(line)))
		for b.Loop() {
			if err := dec.Decode(line, s.NewEvent()); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
}

const handbookHeader = "id,ts,customer_id,terminal_id,amount,is_fraud,fraud_scenario"

func BenchmarkDecodeCSV(b *testing.B) {
	s := handbookSchema(b)
	dec, err := NewCSVDecoder(s, []byte(handbookHeader))
	if err != nil {
		b.Fatal(err)
	}
	row := []byte("1754154,2018-09-30T23:59:57Z,4990,8917,44.22,false,0")
	b.Run("new-event", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(row)))
		for b.Loop() {
			if err := dec.Decode(row, s.NewEvent()); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
	b.Run("reused-event", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(row)))
		ev := s.NewEvent()
		for b.Loop() {
			if err := dec.Decode(row, ev); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
}

// BenchmarkEventJSON measures what writing an event into an alert costs.
func BenchmarkEventJSON(b *testing.B) {
	s := handbookSchema(b)
	dec, _ := NewCSVDecoder(s, []byte(handbookHeader))
	ev := s.NewEvent()
	if err := dec.Decode([]byte("1754154,2018-09-30T23:59:57Z,4990,8917,44.22,false,0"), ev); err != nil {
		b.Fatal(err)
	}
	b.Run("csv", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = ev.AppendJSON(buf[:0])
		}
		reportRate(b)
	})
}

func BenchmarkEventGetters(b *testing.B) {
	s := txnSchema(b)
	ev := s.NewEvent()
	if err := NewJSONDecoder(s).Decode([]byte(txnLine), ev); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		f, _ := ev.Float(2)
		c, _ := ev.Str(3)
		t, _ := ev.Int(6)
		n += int(f) + len(c) + int(t&1)
	}
	_ = n
}

// BenchmarkParseOnly leaves out the allocation of Raw, to see the scanning
// cost apart from the allocator's (and the GC's, which is noisy on a shared
// machine).
func BenchmarkParseOnly(b *testing.B) {
	b.Run("json", func(b *testing.B) {
		s := txnSchema(b)
		dec := NewJSONDecoder(s)
		ev := s.NewEvent()
		ev.reset(s, []byte(txnLine), nil)
		b.ReportAllocs()
		for b.Loop() {
			clear(ev.vals)
			if err := dec.object(ev.Raw, ev, 0); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
	b.Run("csv", func(b *testing.B) {
		s := handbookSchema(b)
		dec, _ := NewCSVDecoder(s, []byte(handbookHeader))
		ev := s.NewEvent()
		row := []byte("1754154,2018-09-30T23:59:57Z,4990,8917,44.22,false,0")
		ev.reset(s, row, dec.l)
		b.ReportAllocs()
		for b.Loop() {
			clear(ev.vals)
			if err := dec.cells(ev); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
}
