//go:build !linux

package loadgen

import "time"

func preciseSleeper() func() { return func() {} }

// preciseSleep is time.Sleep elsewhere: Go's timers may wake it up to a
// millisecond late, which the send lag shows.
func preciseSleep(d time.Duration) { time.Sleep(d) }
