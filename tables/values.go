package tables

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/expr"
)

// The typing rules are the streams' (language.md, "stream"; docs/language.md,
// "Events"): a CSV cell or key text is read as its column's type, an empty
// cell being null; in JSON, null is null, a string is a string or an RFC 3339
// time, a number is a number or epoch milliseconds. An int (or an epoch-ms
// time) must be integral: 1e3 and 2.0 are, 1.5 is not.

var textExpected = [...]string{
	expr.Int:   "an integer",
	expr.Float: "a number",
	expr.Bool:  "true, false, 1 or 0",
	expr.Time:  "an RFC 3339 time or epoch milliseconds",
}

var jsonExpected = [...]string{
	expr.String: "a string",
	expr.Int:    "an integer",
	expr.Float:  "a number",
	expr.Bool:   "true or false",
	expr.Time:   "an RFC 3339 string or epoch milliseconds",
}

// parseText reads a CSV cell (already unquoted) or the text of a single-column
// key as type t. An empty cell is null; so is one of blanks for a type other
// than string, whose cells are read without surrounding blanks.
func parseText(t expr.Type, cell string) (expr.Value, error) {
	if cell == "" {
		return expr.Value{}, nil
	}
	if t == expr.String {
		return expr.StringValue(cell), nil
	}
	tok := strings.Trim(cell, " \t")
	if tok == "" {
		return expr.Value{}, nil
	}
	switch t {
	case expr.Int:
		if !isNumber(tok) {
			break
		}
		v, err := parseIntegral(tok)
		if err != nil {
			return expr.Value{}, numErr(textExpected[t], tok, err)
		}
		return expr.IntValue(v), nil
	case expr.Float:
		if !isNumber(tok) {
			break
		}
		f, err := strconv.ParseFloat(tok, 64)
		if err != nil {
			return expr.Value{}, fmt.Errorf("number %s out of range", cut(tok))
		}
		return expr.FloatValue(f), nil
	case expr.Bool:
		switch {
		case tok == "1" || strings.EqualFold(tok, "true"):
			return expr.BoolValue(true), nil
		case tok == "0" || strings.EqualFold(tok, "false"):
			return expr.BoolValue(false), nil
		}
	case expr.Time:
		if isNumber(tok) {
			v, err := parseIntegral(tok)
			if err != nil {
				return expr.Value{}, numErr(textExpected[t], tok, err)
			}
			return expr.TimeValue(v), nil
		}
		if ms, err := event.ParseTime(tok); err == nil {
			return expr.TimeValue(ms), nil
		}
	}
	return expr.Value{}, fmt.Errorf("expected %s, got %s", textExpected[t], quoteCut(tok))
}

// parseJSON reads a JSON value (valid JSON, as encoding/json hands it over)
// as type t.
func parseJSON(t expr.Type, raw []byte) (expr.Value, error) {
	if len(raw) == 0 {
		return expr.Value{}, nil
	}
	var kind string
	switch c := raw[0]; {
	case c == 'n':
		return expr.Value{}, nil
	case c == '"':
		kind = "a string"
		if t != expr.String && t != expr.Time {
			break
		}
		var s string
		if bytes.IndexByte(raw, '\\') < 0 {
			s = string(raw[1 : len(raw)-1])
		} else if err := json.Unmarshal(raw, &s); err != nil {
			return expr.Value{}, err
		}
		if t == expr.String {
			return expr.StringValue(s), nil
		}
		if !isNumber(s) {
			if ms, err := event.ParseTime(s); err == nil {
				return expr.TimeValue(ms), nil
			}
		}
		return expr.Value{}, fmt.Errorf("invalid RFC 3339 time %s", quoteCut(s))
	case c == '-' || c-'0' <= 9:
		kind = "a number"
		tok := string(raw)
		switch t {
		case expr.Float:
			f, err := strconv.ParseFloat(tok, 64)
			if err != nil {
				return expr.Value{}, fmt.Errorf("number %s out of range", cut(tok))
			}
			return expr.FloatValue(f), nil
		case expr.Int, expr.Time:
			v, err := parseIntegral(tok)
			if err != nil {
				return expr.Value{}, numErr(jsonExpected[t], tok, err)
			}
			return expr.Value{Type: t, I: v}, nil
		}
	case c == 't' || c == 'f':
		kind = "a bool"
		if t == expr.Bool {
			return expr.BoolValue(c == 't'), nil
		}
	case c == '{':
		kind = "an object"
	case c == '[':
		kind = "an array"
	}
	return expr.Value{}, fmt.Errorf("expected %s, got %s", jsonExpected[t], kind)
}

var (
	errNotIntegral = errors.New("not integral")
	errRange       = errors.New("out of range")
)

func numErr(expected string, tok string, err error) error {
	if err == errRange {
		return fmt.Errorf("integer %s out of range", cut(tok))
	}
	return fmt.Errorf("expected %s, got %s", expected, cut(tok))
}

// isNumber reports whether s is a number as CSV cells write them: an
// optional sign, digits with an optional decimal point (".5" and "5." are
// fine), an optional exponent. No hex, infinities, NaN or separators.
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	nd := 0
	for i < len(s) && s[i]-'0' <= 9 {
		i++
		nd++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i]-'0' <= 9 {
			i++
			nd++
		}
	}
	if nd == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for i < len(s) && s[i]-'0' <= 9 {
			i++
		}
		if i == j {
			return false
		}
	}
	return i == len(s)
}

// parseIntegral reads a number (isNumber) whose value must be an integer
// that fits in an int64, exactly: from its decimal digits, not through a
// float. It fails with errNotIntegral or errRange.
func parseIntegral(s string) (int64, error) {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e := s[i+1:]
		sign := 1
		if e != "" && (e[0] == '+' || e[0] == '-') {
			if e[0] == '-' {
				sign = -1
			}
			e = e[1:]
		}
		for _, c := range e {
			if exp < 1e7 { // beyond this the answer no longer changes
				exp = exp*10 + int(c-'0')
			}
		}
		exp *= sign
	}
	// value = digits × 10^exp, digits without the point.
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	exp -= len(frac)
	if digits == "" {
		return 0, nil
	}
	for exp < 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		exp++
	}
	if exp < 0 {
		return 0, errNotIntegral
	}
	if len(digits)+exp > 19 {
		return 0, errRange
	}
	u, err := strconv.ParseUint(digits+strings.Repeat("0", exp), 10, 64)
	if err != nil {
		return 0, errRange
	}
	switch {
	case !neg && u <= math.MaxInt64:
		return int64(u), nil
	case neg && u <= 1<<63:
		return int64(-u), nil
	}
	return 0, errRange
}

// quoteCut quotes a token for a message, shortened when long.
func quoteCut(s string) string {
	const max = 40
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}

// cut shortens a token for a message.
func cut(s string) string {
	const max = 40
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
