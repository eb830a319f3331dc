package replay

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// ProgressBar draws a replay's progress on one terminal line: a bar of the
// input read, the events read, their rate, and the time left estimated from
// the bytes read. It redraws at most ten times a second; Finish erases it.
type ProgressBar struct {
	w     io.Writer
	now   func() time.Time
	start time.Time
	last  time.Time
	drawn bool
}

// NewProgressBar returns a bar that draws on w, a terminal.
func NewProgressBar(w io.Writer) *ProgressBar {
	p := &ProgressBar{w: w, now: time.Now}
	p.start = p.now()
	return p
}

// redrawEvery is the least time between two drawings.
const redrawEvery = 100 * time.Millisecond

// Update draws p, unless it was drawn less than a tenth of a second ago. It
// is Options.Progress.
func (p *ProgressBar) Update(pr Progress) {
	now := p.now()
	if now.Sub(p.last) < redrawEvery || now.Sub(p.start) < redrawEvery {
		return
	}
	p.last = now
	p.drawn = true
	io.WriteString(p.w, "\r"+progressLine(pr, now.Sub(p.start))+"\x1b[K")
}

// Finish erases the bar, if it was drawn.
func (p *ProgressBar) Finish() {
	if p.drawn {
		io.WriteString(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

const barWidth = 24

// progressLine renders the bar after elapsed time:
// "[███████░░░░░░░]  47%  823,011 events  1.2M events/s  ETA 2s".
func progressLine(pr Progress, elapsed time.Duration) string {
	frac := 0.0
	if pr.Size > 0 {
		frac = min(1, float64(pr.Read)/float64(pr.Size))
	}
	full := int(frac * barWidth)
	bar := strings.Repeat("█", full) + strings.Repeat("░", barWidth-full)
	line := fmt.Sprintf("[%s] %3.0f%%  %s events", bar, frac*100, thousands(pr.Events))
	if s := elapsed.Seconds(); s > 0 {
		line += "  " + rate(float64(pr.Events)/s) + " events/s"
	}
	if frac > 0 && frac < 1 {
		left := time.Duration(float64(elapsed) * (1 - frac) / frac).Round(time.Second)
		if left < time.Second {
			line += "  ETA <1s"
		} else {
			line += "  ETA " + FormatDelay(left.Milliseconds())
		}
	}
	return line
}

// rate renders a rate briefly: 950, 12.3k, 1.4M.
func rate(r float64) string {
	switch {
	case r >= 1e6:
		return fmt.Sprintf("%.1fM", r/1e6)
	case r >= 1e3:
		return fmt.Sprintf("%.1fk", r/1e3)
	}
	return fmt.Sprintf("%.0f", r)
}
