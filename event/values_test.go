package event

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// integralOracle computes parseIntegral's answer with math/big.
func integralOracle(tok string) (int64, int) {
	r, ok := new(big.Rat).SetString(strings.TrimPrefix(tok, "+"))
	if !ok {
		panic("bad token " + tok)
	}
	if !r.IsInt() {
		return 0, numNotIntegral
	}
	if !r.Num().IsInt64() {
		return 0, numRange
	}
	return r.Num().Int64(), numOK
}

func TestParseIntegral(t *testing.T) {
	toks := []string{"0", "-0", "+0", "7", "-7", "007", "1e3", "1E+3", "1e-3", "1.0", "1.5", ".5", "5.", "0.0",
		"1200e-2", "1201e-2", "123456789012345678", "1234567890123456789", "9223372036854775807",
		"9223372036854775808", "-9223372036854775808", "-9223372036854775809", "92233720368547758.07e2",
		"0.00000000000000000000001e23", "1e18", "1e19", "10e17", "100000000000000000000e-2", "0e100",
		"0.1e1", "-0.0000e-5", "1.000000000000000000000000000001"}
	for _, tok := range toks {
		v, r := parseIntegral([]byte(tok))
		wv, wr := integralOracle(tok)
		if v != wv || r != wr {
			t.Errorf("parseIntegral(%s) = %d, %d; want %d, %d", tok, v, r, wv, wr)
		}
	}
	// Random tokens against the oracle.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		tok := randomNumber(rng)
		v, r := parseIntegral([]byte(tok))
		wv, wr := integralOracle(tok)
		if v != wv || r != wr {
			t.Fatalf("parseIntegral(%s) = %d, %d; want %d, %d", tok, v, r, wv, wr)
		}
		f, ok := parseFloat([]byte(tok))
		wf, err := strconv.ParseFloat(tok, 64)
		if ok != (err == nil) || (ok && math.Float64bits(f) != math.Float64bits(wf)) {
			t.Fatalf("parseFloat(%s) = %v, %v; strconv %v, %v", tok, f, ok, wf, err)
		}
	}
}

func randomNumber(rng *rand.Rand) string {
	var b strings.Builder
	switch rng.IntN(3) {
	case 0:
		b.WriteByte('-')
	case 1:
		if rng.IntN(4) == 0 {
			b.WriteByte('+')
		}
	}
	digits := func(n int) {
		for range n {
			if rng.IntN(3) == 0 {
				b.WriteByte('0')
			} else {
				b.WriteByte(byte('0' + rng.IntN(10)))
			}
		}
	}
	digits(1 + rng.IntN(20))
	if rng.IntN(2) == 0 {
		b.WriteByte('.')
		digits(1 + rng.IntN(20))
	}
	if rng.IntN(3) == 0 {
		b.WriteString([]string{"e", "E", "e+", "e-"}[rng.IntN(4)])
		digits(1 + rng.IntN(2))
	}
	return b.String()
}

func TestParseFloat(t *testing.T) {
	for _, tok := range []string{"0", "-0", "57.16", "146.0", "0.1", "0.30000000000000004", "123456789012345",
		"1234567890123456", "9007199254740993", "1e22", "1e23", "4.9e-324", "2e-324", "1e-400", "1.7976931348623157e308",
		"1e400", "-1e400", ".5", "5.", "+3.25"} {
		f, ok := parseFloat([]byte(tok))
		wf, err := strconv.ParseFloat(tok, 64)
		if ok != (err == nil) || (ok && math.Float64bits(f) != math.Float64bits(wf)) {
			t.Errorf("parseFloat(%s) = %v, %v; strconv %v, %v", tok, f, ok, wf, err)
		}
	}
}

func TestNumberSyntax(t *testing.T) {
	tests := []struct {
		tok        string
		json, csv_ bool
	}{
		{"0", true, true}, {"-1.5e+3", true, true}, {"01", false, true}, {"+1", false, true},
		{".5", false, true}, {"5.", false, true}, {"1e", false, false}, {"-", false, false},
		{"", false, false}, {".", false, false}, {"1e+", false, false}, {"0x10", false, false},
		{"Inf", false, false}, {"NaN", false, false}, {"1_000", false, false}, {" 1", false, false},
		{"1.2.3", false, false}, {"--1", false, false}, {"1E5", true, true},
	}
	for _, tt := range tests {
		if got := isJSONNumber([]byte(tt.tok)); got != tt.json {
			t.Errorf("isJSONNumber(%q) = %v", tt.tok, got)
		}
		if got := isNumber([]byte(tt.tok)); got != tt.csv_ {
			t.Errorf("isNumber(%q) = %v", tt.tok, got)
		}
	}
}

func TestParseRFC3339(t *testing.T) {
	tests := []struct {
		in   string
		want int64 // -1<<63: rejected
	}{
		{"1970-01-01T00:00:00Z", 0},
		{"2018-04-01T00:00:31Z", 1522540831000},
		{"2018-04-01T00:00:31.1Z", 1522540831100},
		{"2018-04-01T00:00:31.12Z", 1522540831120},
		{"2018-04-01T00:00:31.123Z", 1522540831123},
		{"2018-04-01T00:00:31.1239999Z", 1522540831123},
		{"2018-04-01T05:30:31+05:30", 1522540831000},
		{"2018-03-31T19:00:31-05:00", 1522540831000},
		{"1969-12-31T23:59:59.999Z", -1},
		{"1969-12-31T23:59:59.9995Z", -1},
		{"0000-01-01T00:00:00Z", -62167219200000},
		{"9999-12-31T23:59:59.999Z", 253402300799999},
		{"2000-02-29T00:00:00Z", 951782400000},
		{"2024-02-29T12:00:00Z", 1709208000000},
		{"1900-02-29T00:00:00Z", math.MinInt64},
		{"2023-02-29T00:00:00Z", math.MinInt64},
		{"2018-04-31T00:00:00Z", math.MinInt64},
		{"2018-04-01T24:00:00Z", math.MinInt64},
		{"2018-04-01T00:60:00Z", math.MinInt64},
		{"2018-04-01T00:00:60Z", math.MinInt64},
		{"2018-04-01T00:00:00.Z", math.MinInt64},
		{"2018-04-01T00:00:00+24:00", math.MinInt64},
		{"2018-04-01T00:00:00+0100", math.MinInt64},
		{"2018-04-01T00:00:00", math.MinInt64},
		{"2018-04-01T00:00:00ZZ", math.MinInt64},
		{"2018-4-01T00:00:00Z", math.MinInt64},
		{"2018-04-01 00:00:00Z", math.MinInt64},
		{"+018-04-01T00:00:00Z", math.MinInt64},
		{"20x8-04-01T00:00:00Z", math.MinInt64},
		{"2018-04-01T00:00:0xZ", math.MinInt64},
		{"2018-04-01T00:00:00+01:0x", math.MinInt64},
		{"2018-04-01", math.MinInt64},
	}
	for _, tt := range tests {
		got, ok := parseRFC3339([]byte(tt.in))
		if !ok {
			got = math.MinInt64
		}
		if got != tt.want {
			t.Errorf("parseRFC3339(%s) = %d, %v; want %d", tt.in, got, ok, tt.want)
		}
		// time.Parse agrees, wherever it accepts (it also accepts hour 24 in offsets etc.).
		if tm, err := time.Parse(time.RFC3339Nano, tt.in); err == nil && ok && tm.UnixMilli() != got {
			t.Errorf("%s: time.Parse gives %d", tt.in, tm.UnixMilli())
		}
	}
	// Random instants, formatted by the time package with various precisions and zones.
	rng := rand.New(rand.NewPCG(3, 4))
	zones := []*time.Location{time.UTC, time.FixedZone("x", 5*3600+30*60), time.FixedZone("y", -(9*3600 + 45*60))}
	layouts := []string{time.RFC3339, time.RFC3339Nano, "2006-01-02T15:04:05.000Z07:00", "2006-01-02T15:04:05.000000Z07:00"}
	for range 20000 {
		ns := rng.Int64N(253402300799999999999/1000) - 62135596800000000000/1000
		tm := time.Unix(ns/1e6, (ns%1e6+1e6)%1e6*1000) // microseconds
		s := tm.In(zones[rng.IntN(len(zones))]).Format(layouts[rng.IntN(len(layouts))])
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			continue
		}
		got, ok := parseRFC3339([]byte(s))
		if !ok || got != want.UnixMilli() {
			t.Fatalf("parseRFC3339(%s) = %d, %v; want %d", s, got, ok, want.UnixMilli())
		}
	}
}

func TestParseTime(t *testing.T) {
	for in, want := range map[string]int64{"1000": 1000, "-5": -5, "1e3": 1000, "1970-01-01T00:00:01Z": 1000} {
		if got, err := ParseTime(in); err != nil || got != want {
			t.Errorf("ParseTime(%s) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "1.5", "x", "2018-04-01", "1e30"} {
		if _, err := ParseTime(in); err == nil {
			t.Errorf("ParseTime(%q) succeeded", in)
		}
	}
}

func TestAppendJSONString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`}, {"abc", `"abc"`}, {`a"b\c`, `"a\"b\\c"`}, {"\n\r\t\x00\x1f", `"\n\r\t\u0000\u001f"`},
		{"é€😀", `"é€😀"`}, {"a\xffb", `"a\ufffdb"`}, {"\xe2\x82", `"\ufffd\ufffd"`}, {"<>&", `"<>&"`},
	}
	for _, tt := range tests {
		if got := string(AppendJSONString(nil, tt.in)); got != tt.want {
			t.Errorf("AppendJSONString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestSpecial8(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	check := func(b [8]byte) {
		want := false
		for _, c := range b {
			want = want || !jsonSafe[c]
		}
		x := uint64(0)
		for k := 7; k >= 0; k-- {
			x = x<<8 | uint64(b[k])
		}
		if got := special8(x); got != want {
			t.Fatalf("special8(%q) = %v", b, got)
		}
	}
	for c := range 256 {
		for pos := range 8 {
			b := [8]byte{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}
			b[pos] = byte(c)
			check(b)
		}
	}
	for range 100000 {
		var b [8]byte
		for k := range b {
			b[k] = byte(0x20 + rng.IntN(0x60))
			if rng.IntN(20) == 0 {
				b[k] = byte(rng.IntN(256))
			}
		}
		check(b)
	}
}
