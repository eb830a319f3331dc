package event

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// randomSchema makes a schema of 1-9 declared fields (a time field among
// them, maybe an id field) and 0-4 extra slots, or sometimes more than 64
// slots in all, to cross a null-bit group.
func randomSchema(t testing.TB, r *rand.Rand) *Schema {
	t.Helper()
	types := []Type{String, Int, Float, Bool, Time}
	n := 1 + r.IntN(9)
	if r.IntN(10) == 0 {
		n = 60 + r.IntN(20)
	}
	fields := make([]Field, n)
	ts := r.IntN(n)
	for i := range fields {
		fields[i] = Field{Name: fmt.Sprintf("f%d", i), Type: types[r.IntN(len(types))]}
		if i == 0 && r.IntN(3) == 0 {
			fields[i].Name = `q"é\` // a name that JSON escapes
		}
	}
	fields[ts].Type = Time
	id := ""
	if r.IntN(3) > 0 {
		id = fields[r.IntN(n)].Name
	}
	s, err := NewSchema("s", r.IntN(4), fields, id, fields[ts].Name)
	if err != nil {
		t.Fatal(err)
	}
	for range r.IntN(5) {
		s.AddExtra(types[r.IntN(len(types))])
	}
	return s
}

func randomString(r *rand.Rand) string {
	parts := []string{"a", "bc", "é", "😀", `"`, `\`, "\n", "x y", "", "t-0001", ","}
	var b strings.Builder
	for range r.IntN(4) {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

// randomValue is a value of type t as JSON text and as a CSV cell.
func randomValue(r *rand.Rand, t Type) (js, cell string) {
	switch t {
	case String:
		s := randomString(r)
		c := s
		if strings.ContainsAny(s, "\",\n") || r.IntN(4) == 0 {
			c = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		if strings.Contains(s, "\n") {
			s = strings.ReplaceAll(s, "\n", "")
			c = strings.ReplaceAll(c, "\n", "")
		}
		return string(AppendJSONString(nil, s)), c
	case Int:
		v := strconv.FormatInt(r.Int64N(2000)-1000, 10)
		if r.IntN(5) == 0 {
			v = strconv.FormatInt(int64(r.Uint64()), 10)
		}
		return v, v
	case Float:
		v := strconv.FormatFloat(float64(r.IntN(100000))/100, 'g', -1, 64)
		if r.IntN(5) == 0 {
			v = strconv.FormatFloat(r.NormFloat64()*1e10, 'g', -1, 64)
		}
		return v, v
	case Bool:
		v := strconv.FormatBool(r.IntN(2) == 0)
		return v, v
	case Time:
		ms := 1795515300000 + r.Int64N(1e9)
		if r.IntN(2) == 0 {
			return strconv.FormatInt(ms, 10), strconv.FormatInt(ms, 10)
		}
		s := string(appendRFC3339(nil, ms))
		return `"` + s + `"`, s
	}
	return "null", ""
}

// randomEvent makes an event of s from a JSON line, a CSV row or the Set
// methods, with random extra slots, Seq, Pos and Late.
func randomEvent(t testing.TB, r *rand.Rand, s *Schema) *Event {
	t.Helper()
	ev := s.NewEvent()
	switch r.IntN(3) {
	case 0: // JSON
		var b strings.Builder
		b.WriteByte('{')
		for i, f := range s.Fields {
			if i != s.Time && r.IntN(5) == 0 {
				continue
			}
			if b.Len() > 1 {
				b.WriteByte(',')
			}
			b.Write(AppendJSONString(nil, f.Name))
			b.WriteByte(':')
			js, _ := randomValue(r, f.Type)
			if i != s.Time && r.IntN(6) == 0 {
				js = "null"
			}
			b.WriteString(js)
		}
		if r.IntN(3) == 0 {
			b.WriteString(`,"undeclared":{"x":[1,"two"]}`)
		}
		b.WriteByte('}')
		if err := NewJSONDecoder(s).Decode([]byte(b.String()), ev); err != nil {
			t.Fatalf("%s: %v", b.String(), err)
		}
	case 1: // CSV, columns shuffled, some missing, some undeclared
		var cols []string
		var cells []string
		for i, f := range s.Fields {
			if i != s.Time && r.IntN(5) == 0 {
				continue
			}
			_, c := randomValue(r, f.Type)
			if i != s.Time && r.IntN(6) == 0 {
				c = ""
			}
			cols = append(cols, `"`+strings.ReplaceAll(f.Name, `"`, `""`)+`"`)
			cells = append(cells, c)
		}
		for k := range r.IntN(3) {
			cols = append(cols, fmt.Sprintf("u%d", k))
			cells = append(cells, randomString(r))
			if strings.ContainsAny(cells[len(cells)-1], "\",\n") {
				cells[len(cells)-1] = "plain"
			}
		}
		r.Shuffle(len(cols), func(i, j int) {
			cols[i], cols[j] = cols[j], cols[i]
			cells[i], cells[j] = cells[j], cells[i]
		})
		dec, err := NewCSVDecoder(s, []byte(strings.Join(cols, ",")))
		if err != nil {
			t.Fatal(err)
		}
		row := strings.Join(cells, ",")
		if err := dec.Decode([]byte(row), ev); err != nil {
			t.Fatalf("%s / %s: %v", strings.Join(cols, ","), row, err)
		}
	default: // Set methods, no Raw
		for i, f := range s.Fields {
			if i != s.Time && r.IntN(5) == 0 {
				continue
			}
			setRandom(r, ev, i, f.Type)
		}
	}
	for i := len(s.Fields); i < s.Slots(); i++ {
		if r.IntN(4) > 0 {
			setRandom(r, ev, i, s.SlotType(i))
		}
	}
	ev.Seq = r.Uint64() >> r.IntN(64)
	ev.Pos = Position{Source: []string{"txn.jsonl", "", "kafka:txn/3", "é"}[r.IntN(4)], Offset: r.Int64N(1e6) - 10}
	ev.Late = r.IntN(4) == 0
	return ev
}

func setRandom(r *rand.Rand, ev *Event, slot int, t Type) {
	switch t {
	case String:
		ev.SetStr(slot, randomString(r))
	case Int, Time:
		ev.SetInt(slot, r.Int64N(1<<40)-1<<39)
	case Float:
		f := []float64{0, math.Copysign(0, -1), 1.5, math.Inf(1), math.NaN(), r.NormFloat64()}[r.IntN(6)]
		ev.SetFloat(slot, f)
	case Bool:
		ev.SetBool(slot, r.IntN(2) == 0)
	}
	if r.IntN(8) == 0 {
		ev.SetNull(slot)
	}
}

// sameEvent reports how a and b differ, or "".
func sameEvent(a, b *Event) string {
	switch {
	case a.Schema != b.Schema:
		return "schema"
	case a.Time != b.Time, a.Seq != b.Seq, a.Pos != b.Pos, a.Late != b.Late:
		return fmt.Sprintf("header: %d %d %v %v vs %d %d %v %v", a.Time, a.Seq, a.Pos, a.Late, b.Time, b.Seq, b.Pos, b.Late)
	case (a.Raw == nil) != (b.Raw == nil), !bytes.Equal(a.Raw, b.Raw):
		return fmt.Sprintf("Raw %q vs %q", a.Raw, b.Raw)
	case !bytes.Equal(a.AppendJSON(nil), b.AppendJSON(nil)):
		return fmt.Sprintf("JSON %s vs %s", a.AppendJSON(nil), b.AppendJSON(nil))
	case !bytes.Equal(a.JSON(), b.JSON()):
		return "JSON()"
	case a.Identity() != b.Identity():
		return fmt.Sprintf("Identity %q vs %q", a.Identity(), b.Identity())
	case a.Stream() != b.Stream():
		return "Stream"
	}
	for i := range a.Schema.Slots() + 1 {
		if a.IsNull(i) != b.IsNull(i) {
			return fmt.Sprintf("slot %d null: %v vs %v", i, a.IsNull(i), b.IsNull(i))
		}
		ia, _ := a.Int(i)
		ib, _ := b.Int(i)
		sa, oka := a.Str(i)
		sb, okb := b.Str(i)
		if a.Schema.SlotType(i) != String && ia != ib {
			return fmt.Sprintf("slot %d: %d vs %d", i, ia, ib)
		}
		if a.Schema.SlotType(i) == String && (sa != sb || oka != okb) {
			return fmt.Sprintf("slot %d: %q vs %q", i, sa, sb)
		}
	}
	return ""
}

func TestBinaryRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var buf []byte
	for iter := range 3000 {
		s := randomSchema(t, r)
		ev := randomEvent(t, r, s)
		prefix := []byte("prefix")
		buf = ev.AppendBinary(append(buf[:0], prefix...))
		enc := buf[len(prefix):]
		tail := []byte{1, 2, 3}
		in := append(append([]byte(nil), enc...), tail...)
		got, rest, err := s.DecodeBinary(in)
		if err != nil {
			t.Fatalf("iteration %d: %v\nevent %s", iter, err, ev.AppendJSON(nil))
		}
		if !bytes.Equal(rest, tail) {
			t.Fatalf("iteration %d: rest %v", iter, rest)
		}
		clear(in) // the event must not alias its input
		if d := sameEvent(ev, got); d != "" {
			t.Fatalf("iteration %d: %s\nevent %s", iter, d, ev.AppendJSON(nil))
		}
		if again := got.AppendBinary(nil); !bytes.Equal(again, enc) {
			t.Fatalf("iteration %d: re-encoding differs\n%x\n%x", iter, enc, again)
		}
		// Strings in Raw stay in Raw: the decoded event holds no more memory.
		for i := range s.Slots() {
			if sa, ok := ev.binStr(i); ok {
				_, ina := inRaw(ev.Raw, sa)
				sb, _ := got.binStr(i)
				_, inb := inRaw(got.Raw, sb)
				if ina != inb {
					t.Fatalf("iteration %d: slot %d in Raw %v, decoded %v", iter, i, ina, inb)
				}
			}
		}
		// Every truncation is an error, never a panic.
		if iter%10 == 0 {
			for n := range len(enc) {
				if _, _, err := s.DecodeBinary(enc[:n]); !errors.Is(err, ErrCorrupt) {
					t.Fatalf("iteration %d: truncated to %d of %d: %v", iter, n, len(enc), err)
				}
			}
		}
	}
}

func TestBinaryCSVLayoutShared(t *testing.T) {
	s := handbookSchema(t)
	dec, err := NewCSVDecoder(s, []byte(handbookHeader+",extra"))
	if err != nil {
		t.Fatal(err)
	}
	var evs []*Event
	for _, row := range []string{"1,2018-09-30T23:59:57Z,4990,8917,44.22,false,0,x", "2,1,4990,,1e2,TRUE,0,\"y,\"\"z\""} {
		ev := s.NewEvent()
		if err := dec.Decode([]byte(row), ev); err != nil {
			t.Fatal(err)
		}
		got, _, err := s.DecodeBinary(ev.AppendBinary(nil))
		if err != nil {
			t.Fatal(err)
		}
		if d := sameEvent(ev, got); d != "" {
			t.Fatal(d)
		}
		evs = append(evs, got)
	}
	if evs[0].csv != evs[1].csv {
		t.Error("events of one header decoded with two layouts")
	}
}

func TestBinaryErrors(t *testing.T) {
	s := txnSchema(t)
	ev := s.NewEvent()
	if err := NewJSONDecoder(s).Decode([]byte(txnLine), ev); err != nil {
		t.Fatal(err)
	}
	enc := ev.AppendBinary(nil)
	other := txnSchema(t)
	other.AddExtra(Float)
	if _, _, err := other.DecodeBinary(enc); !errors.Is(err, ErrSchemaMismatch) {
		t.Errorf("other layout: %v", err)
	}
	bad := append([]byte(nil), enc...)
	bad[0] = 99
	if _, _, err := s.DecodeBinary(bad); !errors.Is(err, ErrCorrupt) {
		t.Errorf("bad version: %v", err)
	}
	if _, _, err := s.DecodeBinary(nil); !errors.Is(err, ErrCorrupt) {
		t.Errorf("empty: %v", err)
	}
}

// FuzzDecodeBinary: decoding never panics, and what decodes encodes back to
// an event that decodes the same.
func FuzzDecodeBinary(f *testing.F) {
	schemas := []*Schema{txnSchema(f), allSchema(f), handbookSchema(f)}
	schemas[1].AddExtra(String)
	schemas[1].AddExtra(Float)
	for _, l := range readLines(f, "testdata/txn.jsonl") {
		ev := schemas[0].NewEvent()
		if NewJSONDecoder(schemas[0]).Decode([]byte(l), ev) == nil {
			ev.Pos = Position{Source: "txn.jsonl", Offset: 3}
			f.Add(ev.AppendBinary(nil))
		}
	}
	lines := readLines(f, "testdata/handbook.csv")
	dec, err := NewCSVDecoder(schemas[2], []byte(lines[0]))
	if err != nil {
		f.Fatal(err)
	}
	for _, l := range lines[1:min(len(lines), 20)] {
		ev := schemas[2].NewEvent()
		if dec.Decode([]byte(l), ev) == nil {
			f.Add(ev.AppendBinary(nil))
		}
	}
	r := rand.New(rand.NewPCG(1, 1))
	for range 20 {
		f.Add(randomEvent(f, r, schemas[1]).AppendBinary(nil))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, s := range schemas {
			ev, rest, err := s.DecodeBinary(data)
			if err != nil {
				if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrSchemaMismatch) {
					t.Fatalf("error %v wraps no sentinel", err)
				}
				continue
			}
			if len(rest) > len(data) {
				t.Fatal("rest longer than the input")
			}
			_ = ev.AppendJSON(nil)
			_ = ev.Identity()
			enc := ev.AppendBinary(nil)
			ev2, rest2, err := s.DecodeBinary(enc)
			if err != nil || len(rest2) != 0 {
				t.Fatalf("re-decoding: %v, %d left", err, len(rest2))
			}
			if d := sameEvent(ev, ev2); d != "" {
				t.Fatal(d)
			}
		}
	})
}

func BenchmarkBinary(b *testing.B) {
	s := txnSchema(b)
	feature := s.AddExtra(Float)
	json := s.NewEvent()
	if err := NewJSONDecoder(s).Decode([]byte(txnLine), json); err != nil {
		b.Fatal(err)
	}
	json.SetFloat(feature, 1234.5)
	json.Pos = Position{Source: "txn.jsonl", Offset: 17}
	hs := handbookSchema(b)
	dec, _ := NewCSVDecoder(hs, []byte(handbookHeader))
	csv := hs.NewEvent()
	if err := dec.Decode([]byte("1754154,2018-09-30T23:59:57Z,4990,8917,44.22,false,0"), csv); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		ev   *Event
	}{{"json", json}, {"csv", csv}} {
		enc := c.ev.AppendBinary(nil)
		b.Run("encode/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			var buf []byte
			for b.Loop() {
				buf = c.ev.AppendBinary(buf[:0])
			}
			b.ReportMetric(float64(len(enc)), "bytes/event")
			reportRate(b)
		})
		b.Run("decode/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := c.ev.Schema.DecodeBinary(enc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(enc)), "bytes/event")
			reportRate(b)
		})
	}
}
