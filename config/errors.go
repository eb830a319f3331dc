package config

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in a configuration.
type Error struct {
	File string // the file's name; "" for a Config built in code
	Line int    // 1-based; 0 when unknown (a default, or a Config built in code)
	Path string // the key, as in outputs.alerts[0].kafka; "" for the whole file
	Msg  string
}

// Error formats e as FILE:LINE: PATH: message, leaving out what is unknown.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found, in the order of the file.
type ErrorList []*Error

// Error is one problem per line.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// sort orders the list by line; problems without a line go last, in the
// order they were found.
func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Line, l[j].Line
		if a == 0 || b == 0 {
			return a != 0 && b == 0
		}
		return a < b
	})
}
