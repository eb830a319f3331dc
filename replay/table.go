package replay

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteJSON writes the scores as one JSON object (cli.md's shape, with more
// fields: docs/backtesting.md).
func WriteJSON(w io.Writer, sc *Scores) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sc)
}

// WriteTable writes the scores as an aligned table with a heading: one row
// per rule and one for the union of all rules.
func WriteTable(w io.Writer, sc *Scores) error {
	var b strings.Builder
	fmt.Fprintf(&b, "label %s: %s events, %s labelled (%s), %s label missing, %s late, %s deadletter\n",
		sc.Label, thousands(sc.Events), thousands(sc.Labelled), share(ratio(sc.Labelled, sc.Events)),
		thousands(sc.LabelMissing), thousands(sc.Late), thousands(sc.DeadLetter))
	if sc.From != "" {
		fmt.Fprintf(&b, "events from %s to %s\n", sc.From, sc.To)
	}
	b.WriteByte('\n')
	rows := [][]string{{"rule", "alerts", "tp", "fp", "precision", "recall", "keys caught/labelled", "key recall", "median delay", "alerts/1k", "unique tp"}}
	row := func(r *RuleScore) []string {
		unique := "-"
		if r.UniqueTP != nil {
			unique = thousands(*r.UniqueTP)
		}
		delay := "-"
		if r.MedianDelayMs != nil {
			delay = FormatDelay(*r.MedianDelayMs)
		}
		return []string{r.Rule, thousands(r.Alerts), thousands(r.TP), thousands(r.FP),
			pct(r.Precision), pct(r.Recall),
			thousands(r.KeysCaught) + "/" + thousands(r.KeysLabelled), pct(r.KeyRecall),
			delay, strconv.FormatFloat(r.AlertsPer1k, 'f', 2, 64), unique}
	}
	for i := range sc.Rules {
		rows = append(rows, row(&sc.Rules[i]))
	}
	rows = append(rows, nil, row(&sc.Union))
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	total := 0
	for _, n := range width {
		total += n + 2
	}
	for _, r := range rows {
		if r == nil {
			b.WriteString(strings.Repeat("-", total-2))
			b.WriteByte('\n')
			continue
		}
		var line strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			switch {
			case i == 0:
				line.WriteString(c + pad)
			default:
				line.WriteString("  " + pad + c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	if sc.UnionKeys == "rule" && len(sc.Rules) > 1 {
		fmt.Fprintf(&b, "\nThe rules have different keys: the keys of %q are (rule, key) pairs.\n", UnionName)
	}
	if len(sc.Feedback) > 0 {
		fmt.Fprintf(&b, "\n%s %s of %s (no %s; read only by features) %s not scored.\n", thousands(sc.Unscored),
			plural(int(sc.Unscored), "event", "events"), strings.Join(sc.Feedback, ", "), sc.Label,
			plural(int(sc.Unscored), "was", "were"))
	}
	if sc.LabelMissing > 0 {
		fmt.Fprintf(&b, "\n%s %s no value for %s: scored as not labelled.\n", thousands(sc.LabelMissing),
			plural(int(sc.LabelMissing), "event has", "events have"), sc.Label)
	}
	if sc.Late > 0 {
		fmt.Fprintf(&b, "\n%s %s (%s labelled) came behind the watermark by more than the stream's lateness:\n"+
			"no rule saw them; they are in the late output (see --outputs). Labelled ones count as missed.\n",
			thousands(sc.Late), plural(int(sc.Late), "event", "events"), thousands(sc.LabelledLate))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// pct renders a ratio as a percentage with one decimal; "-" for none.
func pct(r *float64) string {
	if r == nil {
		return "-"
	}
	return strconv.FormatFloat(*r*100, 'f', 1, 64) + "%"
}

// share renders a small ratio as a percentage with two decimals.
func share(r *float64) string {
	if r == nil {
		return "-"
	}
	return strconv.FormatFloat(*r*100, 'f', 2, 64) + "%"
}

// thousands renders n with thousands separators: 1,754,155.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// FormatDelay renders a delay in ms briefly, to two units: 850ms, 42s,
// 12m30s, 3h20m, 2d4h.
func FormatDelay(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	switch {
	case ms == 0:
		return "0s"
	case d < time.Second:
		return fmt.Sprintf("%dms", ms)
	case d < time.Minute:
		return fmt.Sprintf("%ds", int64(d/time.Second))
	case d < time.Hour:
		return twoUnits(int64(d/time.Minute), "m", int64(d%time.Minute/time.Second), "s")
	case d < 24*time.Hour:
		return twoUnits(int64(d/time.Hour), "h", int64(d%time.Hour/time.Minute), "m")
	}
	return twoUnits(int64(d/(24*time.Hour)), "d", int64(d%(24*time.Hour)/time.Hour), "h")
}

func twoUnits(a int64, ua string, b int64, ub string) string {
	if b == 0 {
		return fmt.Sprintf("%d%s", a, ua)
	}
	return fmt.Sprintf("%d%s%d%s", a, ua, b, ub)
}
