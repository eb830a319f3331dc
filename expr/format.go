package expr

import (
	"strconv"
	"strings"
	"time"
)

// String formats v as KRL source would write it: null, true, 42, 2.5, "NL"
// (quoted), 1h30m; a time as RFC 3339 in UTC with milliseconds.
func (v Value) String() string {
	switch v.Type {
	case Bool:
		return strconv.FormatBool(v.I != 0)
	case Int:
		return strconv.FormatInt(v.I, 10)
	case Float:
		return strconv.FormatFloat(v.F, 'g', -1, 64)
	case String:
		return strconv.Quote(v.S)
	case Duration:
		return formatDuration(v.I)
	case Time:
		return time.UnixMilli(v.I).UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return "null"
}

// formatDuration writes ms as a KRL duration literal such as 1h30m.
func formatDuration(ms int64) string {
	if ms == 0 {
		return "0s"
	}
	var b strings.Builder
	if ms < 0 {
		b.WriteByte('-')
		ms = -ms // MinInt64 stays negative; its units print negative
	}
	for _, u := range []struct {
		name string
		ms   int64
	}{{"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}} {
		if ms >= u.ms {
			b.WriteString(strconv.FormatInt(ms/u.ms, 10))
			b.WriteString(u.name)
			ms %= u.ms
		}
	}
	return b.String()
}
