package loadgen

import (
	"runtime"
	"syscall"
	"time"
)

// preciseSleeper locks the calling goroutine to its thread and sets the
// thread's timer slack to 1 µs, so that preciseSleep wakes within tens of
// microseconds. The goroutine must end still locked: the runtime then
// ends the thread, slack and all, rather than reuse it.
func preciseSleeper() func() {
	runtime.LockOSThread()
	const prSetTimerslack = 29
	syscall.RawSyscall(syscall.SYS_PRCTL, prSetTimerslack, 1000, 0)
	return func() {}
}

// preciseSleep sleeps d in the kernel (the thread blocks; Go's scheduler
// hands its processor to other goroutines meanwhile).
func preciseSleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}
