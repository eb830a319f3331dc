package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Duration units of KRL (language.md), largest first.
var durationUnits = []struct {
	name string
	d    time.Duration
}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}, {"ms", time.Millisecond}}

// ParseDuration reads a KRL duration: an integer and a unit, concatenated,
// possibly several from the largest unit to the smallest (250ms, 10s, 5m,
// 2h, 7d, 1h30m). It reads what the KRL parser reads, with the same rules.
func ParseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty duration: write an integer and a unit, as in 10s, 5m, 1h30m")
	}
	var total time.Duration
	last := -1
	for rest := s; rest != ""; {
		i := 0
		for i < len(rest) && '0' <= rest[i] && rest[i] <= '9' {
			i++
		}
		digits := rest[:i]
		rest = rest[i:]
		unit := -1
		switch {
		case strings.HasPrefix(rest, "ms"):
			unit = len(durationUnits) - 1
		case rest != "":
			unit = strings.IndexByte("dhms", rest[0])
		}
		if digits == "" || unit < 0 {
			return 0, fmt.Errorf("%q is not a duration: write an integer and a unit (d, h, m, s, ms), as in 10s, 5m, 1h30m", s)
		}
		if unit <= last {
			return 0, fmt.Errorf("duration %s: units must go from the largest to the smallest, each at most once, as in 1h30m", s)
		}
		last = unit
		rest = rest[len(durationUnits[unit].name):]
		n, err := strconv.ParseInt(digits, 10, 64)
		u := durationUnits[unit].d
		if err != nil || n > (math.MaxInt64-int64(total))/int64(u) {
			return 0, fmt.Errorf("duration %s is too long", s)
		}
		total += time.Duration(n) * u
	}
	return total, nil
}

// FormatDuration writes d as a KRL duration, such as 1h30m or 250ms; what is
// below a millisecond is dropped, as KRL cannot write it.
func FormatDuration(d time.Duration) string {
	if d < time.Millisecond {
		return "0s"
	}
	var b strings.Builder
	for _, u := range durationUnits {
		if d >= u.d {
			b.WriteString(strconv.FormatInt(int64(d/u.d), 10))
			b.WriteString(u.name)
			d %= u.d
		}
	}
	return b.String()
}

// ByteSize is a number of bytes, written in the file as an integer with an
// optional unit: 1048576, 512KiB, 10MiB, 1GB.
type ByteSize int64

// Byte size units.
const (
	KiB ByteSize = 1 << 10
	MiB ByteSize = 1 << 20
	GiB ByteSize = 1 << 30
)

var sizeUnits = []struct {
	name string
	n    ByteSize
}{{"GiB", GiB}, {"MiB", MiB}, {"KiB", KiB}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}

// ParseByteSize reads a size such as 10MiB; see [ByteSize].
func ParseByteSize(s string) (ByteSize, error) {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	digits, unit := s[:i], s[i:]
	bad := fmt.Errorf("%q is not a size: write an integer and an optional unit (B, KB, MB, GB, KiB, MiB, GiB), as in 10MiB", s)
	if digits == "" {
		return 0, bad
	}
	mult := ByteSize(1)
	if unit != "" {
		mult = 0
		for _, u := range sizeUnits {
			if u.name == unit {
				mult = u.n
			}
		}
		if mult == 0 {
			return 0, bad
		}
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > math.MaxInt64/int64(mult) {
		return 0, fmt.Errorf("size %s is too large", s)
	}
	return ByteSize(n) * mult, nil
}

// String writes b with the largest unit that divides it exactly: 10MiB,
// 1GB, 1000B.
func (b ByteSize) String() string {
	for _, u := range sizeUnits {
		if b != 0 && b%u.n == 0 && u.n > 1 {
			return strconv.FormatInt(int64(b/u.n), 10) + u.name
		}
	}
	return strconv.FormatInt(int64(b), 10) + "B"
}
