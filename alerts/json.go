package alerts

import (
	"math"
	"strconv"

	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/expr"
)

// AppendString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func AppendString(b []byte, s string) []byte { return event.AppendJSONString(b, s) }

func appendInt(b []byte, i int64) []byte { return strconv.AppendInt(b, i, 10) }

// AppendFloat appends f as a JSON number the way encoding/json writes it;
// NaN and infinities, which JSON cannot hold, become null.
func AppendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// AppendValue appends v as JSON: times as RFC 3339 strings, durations as
// milliseconds, null as null.
func AppendValue(b []byte, v expr.Value) []byte {
	switch v.Type {
	case expr.Bool:
		if v.I != 0 {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case expr.Int, expr.Duration:
		return appendInt(b, v.I)
	case expr.Float:
		return AppendFloat(b, v.F)
	case expr.String:
		return AppendString(b, v.S)
	case expr.Time:
		b = append(b, '"')
		b = AppendTime(b, v.I)
		return append(b, '"')
	}
	return append(b, "null"...)
}
