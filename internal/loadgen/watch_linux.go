package loadgen

import (
	"context"
	"os"
	"syscall"
	"time"
)

// watcher wakes up when a file is written to (inotify), so that alerts are
// seen as they are written rather than at the next poll.
type watcher struct{ f *os.File }

func newWatcher(path string) (*watcher, error) {
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("inotify_init1", err)
	}
	if _, err := syscall.InotifyAddWatch(fd, path, syscall.IN_MODIFY); err != nil {
		syscall.Close(fd)
		return nil, os.NewSyscallError("inotify_add_watch", err)
	}
	// Non-blocking: reads wait in the runtime's poller, and deadlines work.
	return &watcher{f: os.NewFile(uintptr(fd), "inotify")}, nil
}

// Wait returns when the file has been written to since the last Wait, or
// after 100ms, or with ctx's error.
func (w *watcher) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var buf [4096]byte
	w.f.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	w.f.Read(buf[:]) // the events themselves do not matter
	return nil
}

func (w *watcher) Close() error { return w.f.Close() }
