package state

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// badgerLogger routes Badger's log lines to slog: errors and warnings pass,
// info and debug are dropped (Badger is chatty at info level: every
// compaction and memtable flush).
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, args ...any) { b.log(slog.LevelError, f, args) }

func (b badgerLogger) Warningf(f string, args ...any) { b.log(slog.LevelWarn, f, args) }

func (b badgerLogger) Infof(string, ...any) {}

func (b badgerLogger) Debugf(string, ...any) {}

func (b badgerLogger) log(level slog.Level, f string, args []any) {
	if !b.l.Enabled(context.Background(), level) {
		return
	}
	b.l.Log(context.Background(), level, strings.TrimSpace(fmt.Sprintf(f, args...)), "component", "badger")
}
