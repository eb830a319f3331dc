package event

import (
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"
)

// Results of parseIntegral.
const (
	numOK = iota
	numNotIntegral
	numRange
)

// parseIntegral parses a number token (JSON syntax, or the laxer CSV syntax
// accepted by isNumber) that must have an integral value fitting in int64.
// 1e3 and 2.0 are integral; the check is exact, on the decimal digits.
func parseIntegral(tok []byte) (int64, int) {
	i := 0
	neg := false
	if len(tok) > 0 && (tok[0] == '-' || tok[0] == '+') {
		neg = tok[0] == '-'
		i++
	}
	if n := len(tok) - i; n > 0 && n <= 18 {
		var v int64
		j := i
		for ; j < len(tok); j++ {
			c := tok[j] - '0'
			if c > 9 {
				break
			}
			v = v*10 + int64(c)
		}
		if j == len(tok) {
			if neg {
				v = -v
			}
			return v, numOK
		}
	}
	return parseIntegralSlow(tok[i:], neg)
}

func parseIntegralSlow(t []byte, neg bool) (int64, int) {
	end := len(t)
	exp := 0
	for k, c := range t {
		if c == 'e' || c == 'E' {
			end = k
			sign := 1
			k++
			if k < len(t) && (t[k] == '+' || t[k] == '-') {
				if t[k] == '-' {
					sign = -1
				}
				k++
			}
			for ; k < len(t); k++ {
				if exp < 1e7 { // beyond this the answer no longer changes
					exp = exp*10 + int(t[k]-'0')
				}
			}
			exp *= sign
			break
		}
	}
	// Decimal digits of the mantissa: value = digits × 10^e.
	e := exp
	first, last, nd := -1, -1, 0 // positions among digits of the first and last non-zero
	afterDot := false
	for _, c := range t[:end] {
		if c == '.' {
			afterDot = true
			continue
		}
		if afterDot {
			e--
		}
		if c != '0' {
			if first < 0 {
				first = nd
			}
			last = nd
		}
		nd++
	}
	if first < 0 {
		return 0, numOK
	}
	e += nd - 1 - last // trailing zeros
	nsig := last - first + 1
	if e < 0 {
		return 0, numNotIntegral
	}
	if nsig+e > 19 {
		return 0, numRange
	}
	var v uint64
	k := 0
	for _, c := range t[:end] {
		if c == '.' {
			continue
		}
		if k >= first && k <= last {
			v = v*10 + uint64(c-'0')
		}
		k++
	}
	for ; e > 0; e-- {
		v *= 10 // cannot overflow: at most 19 digits
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	if v > limit {
		return 0, numRange
	}
	if neg {
		return -int64(v), numOK
	}
	return int64(v), numOK
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFloat parses a number token; false when it is out of float64 range.
func parseFloat(tok []byte) (float64, bool) {
	if f, ok := plainFloat(tok); ok {
		return f, true
	}
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(tok), len(tok)), 64)
	return f, err == nil
}

// plainFloat parses a plain decimal ([+-]digits[.digits], at most 15 digits)
// exactly: the mantissa and the power of ten are exact float64s and one IEEE
// division rounds correctly. It reports false for anything else.
func plainFloat(tok []byte) (float64, bool) {
	i := 0
	neg := false
	if len(tok) > 0 && (tok[0] == '-' || tok[0] == '+') {
		neg = tok[0] == '-'
		i++
	}
	if len(tok)-i > 16 || len(tok) == i {
		return 0, false
	}
	var m uint64
	nd, frac := 0, -1
	for ; i < len(tok); i++ {
		c := tok[i]
		if c-'0' <= 9 {
			m = m*10 + uint64(c-'0')
			nd++
			continue
		}
		if c != '.' || frac >= 0 {
			return 0, false
		}
		frac = nd
	}
	if nd == 0 || nd > 15 {
		return 0, false
	}
	f := float64(m)
	if frac >= 0 {
		f /= pow10[nd-frac]
	}
	if neg {
		f = -f
	}
	return f, true
}

// plainInt parses [-]digits with at most 18 digits, which cannot overflow.
func plainInt(tok []byte) (int64, bool) {
	i := 0
	if len(tok) > 0 && tok[0] == '-' {
		i++
	}
	if n := len(tok) - i; n == 0 || n > 18 {
		return 0, false
	}
	var v int64
	for _, c := range tok[i:] {
		if c-'0' > 9 {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if i > 0 {
		v = -v
	}
	return v, true
}

// scanNumber checks a JSON number starting at b[i] and returns its end.
func scanNumber(b []byte, i int) (int, bool) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		return i, false
	case b[i] == '0':
		i++
	case b[i]-'1' < 9:
		i++
		for i < len(b) && b[i]-'0' <= 9 {
			i++
		}
	default:
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		j := i
		for i < len(b) && b[i]-'0' <= 9 {
			i++
		}
		if i == j {
			return i, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := i
		for i < len(b) && b[i]-'0' <= 9 {
			i++
		}
		if i == j {
			return i, false
		}
	}
	return i, true
}

// isJSONNumber reports whether tok is exactly a JSON number.
func isJSONNumber(tok []byte) bool {
	end, ok := scanNumber(tok, 0)
	return ok && end == len(tok)
}

// isNumber reports whether a CSV cell is a number: an optional sign, digits
// with an optional decimal point (".5" and "5." are fine, leading zeros too),
// and an optional exponent. No hex, infinities, NaN or digit separators.
func isNumber(tok []byte) bool {
	i := 0
	if i < len(tok) && (tok[i] == '+' || tok[i] == '-') {
		i++
	}
	nd := 0
	for i < len(tok) && tok[i]-'0' <= 9 {
		i++
		nd++
	}
	if i < len(tok) && tok[i] == '.' {
		i++
		for i < len(tok) && tok[i]-'0' <= 9 {
			i++
			nd++
		}
	}
	if nd == 0 {
		return false
	}
	if i < len(tok) && (tok[i] == 'e' || tok[i] == 'E') {
		i++
		if i < len(tok) && (tok[i] == '+' || tok[i] == '-') {
			i++
		}
		j := i
		for i < len(tok) && tok[i]-'0' <= 9 {
			i++
		}
		if i == j {
			return false
		}
	}
	return i == len(tok)
}

// parseRFC3339 parses an RFC 3339 date-time (T or t, Z or z or a ±hh:mm
// offset, a fraction of any length) into epoch milliseconds. The fraction is
// truncated to milliseconds, which rounds toward -∞ for any instant.
func parseRFC3339(b []byte) (int64, bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != 't') ||
		b[13] != ':' || b[16] != ':' {
		return 0, false
	}
	_ = b[19]
	century, yy := dig2(b, 0), dig2(b, 2)
	year := century*100 + yy
	month, day := dig2(b, 5), dig2(b, 8)
	hour, minute, sec := dig2(b, 11), dig2(b, 14), dig2(b, 17)
	if century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return 0, false
	}
	i := 19
	var ms int64
	if b[i] == '.' {
		i++
		j := i
		for i < len(b) && b[i]-'0' <= 9 {
			if i-j < 3 {
				ms = ms*10 + int64(b[i]-'0')
			}
			i++
		}
		switch i - j {
		case 0:
			return 0, false
		case 1:
			ms *= 100
		case 2:
			ms *= 10
		}
	}
	if i >= len(b) {
		return 0, false
	}
	var offset int64 // seconds east of UTC
	switch b[i] {
	case 'Z', 'z':
		i++
	case '+', '-':
		if len(b)-i != 6 || b[i+3] != ':' {
			return 0, false
		}
		oh, om := dig2(b, i+1), dig2(b, i+4)
		if oh < 0 || oh > 23 || om < 0 || om > 59 {
			return 0, false
		}
		offset = oh*3600 + om*60
		if b[i] == '-' {
			offset = -offset
		}
		i += 6
	default:
		return 0, false
	}
	if i != len(b) {
		return 0, false
	}
	secs := daysFromCivil(year, month, day)*86400 + hour*3600 + minute*60 + sec - offset
	return secs*1000 + ms, true
}

// dig2 reads two decimal digits at b[k], or returns -1000 if they are not digits.
func dig2(b []byte, k int) int64 {
	c0, c1 := b[k]-'0', b[k+1]-'0'
	if c0 > 9 || c1 > 9 {
		return -1000
	}
	return int64(c0)*10 + int64(c1)
}

func daysIn(month, year int64) int64 {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is the number of days from 1970-01-01 to a proleptic
// Gregorian date (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// errTime is returned by ParseTime.
var errTime = errors.New("expected an RFC 3339 time or epoch milliseconds")

// ParseTime parses a time as the decoders read one: an integral number of
// epoch milliseconds, or an RFC 3339 string (truncated to milliseconds).
func ParseTime(s string) (int64, error) {
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	if isNumber(b) {
		v, r := parseIntegral(b)
		if r != numOK {
			return 0, errTime
		}
		return v, nil
	}
	if ms, ok := parseRFC3339(b); ok {
		return ms, nil
	}
	return 0, errTime
}

// appendRFC3339 writes epoch milliseconds as RFC 3339 in UTC with three
// fractional digits, the form of times in alert records.
func appendRFC3339(dst []byte, ms int64) []byte {
	return time.UnixMilli(ms).UTC().AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the ASCII bytes that need no escaping inside a JSON string.
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// AppendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// as encoding/json does, so the output is always valid JSON.
func AppendJSONString[S string | []byte](dst []byte, s S) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if jsonSafe[c] {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func floatBits(f float64) uint64 { return math.Float64bits(f) }
