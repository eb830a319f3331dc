package replay

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kestrelcep/kestrel/patterns"
)

// ReportOptions are what a report says besides the scores.
type ReportOptions struct {
	Command   string    // the command line that produced it
	Generated time.Time // when; zero: not shown
}

// WriteReport writes the scores as one self-contained HTML page: the table,
// each rule's precision and recall, labelled events and alerts over time,
// the detection delays, and the sources of the streams and rules. It refers
// to nothing outside itself: CSS, script and SVG charts are inline.
func WriteReport(w io.Writer, sc *Scores, opts ReportOptions) error {
	v := reportView(sc, opts)
	return reportTmpl.Execute(w, v)
}

type view struct {
	Title, Subtitle string
	Generated       string
	Command         []string // the command line's words
	KPIs            []kpi
	Quality         []kpi
	Warnings        []string
	Notes           []string
	Rows            []tableRow
	Union           tableRow
	PR              template.HTML
	Timeline        template.HTML
	TimelineUnit    string
	Delays          []delayChart
	Sources         []sourceDecl
	Label           string
}

type kpi struct {
	Label, Value, Detail string
	Warn                 bool
}

type tableRow struct {
	Color  string
	Cells  []cell
	Output string
}

type cell struct {
	Text string
	Sort string // the value to sort by
}

type delayChart struct {
	Title, Color, Detail string
	SVG                  template.HTML
}

type sourceDecl struct {
	Kind, Name, Where, Text string
}

var palette = []string{"#2563eb", "#0d9488", "#d97706", "#7c3aed", "#db2777", "#65a30d", "#0891b2", "#ea580c", "#4f46e5", "#b45309"}

const (
	unionColor    = "#334155"
	labelledColor = "#dc2626"
	tpColor       = "#16a34a"
	fpColor       = "#94a3b8"
)

func ruleColor(i int) string { return palette[i%len(palette)] }

func reportView(sc *Scores, opts ReportOptions) *view {
	v := &view{Command: strings.Fields(opts.Command), Label: sc.Label}
	var names []string
	for _, in := range sc.Inputs {
		names = append(names, filepath.Base(in))
	}
	dataset := strings.Join(names, ", ")
	if dataset == "" {
		dataset = "no input"
	}
	v.Title = "Backtest: " + dataset
	period := "no events"
	if sc.From != "" {
		period = dateRange(sc.FromMs, sc.ToMs)
	}
	rules := len(sc.Rules)
	v.Subtitle = fmt.Sprintf("%s · %s %s scored against", period, strconv.Itoa(rules), plural(rules, "rule", "rules"))
	if !opts.Generated.IsZero() {
		v.Generated = opts.Generated.UTC().Format("2 January 2006, 15:04 UTC")
	}
	u := &sc.Union
	v.KPIs = []kpi{
		{Label: "Precision", Value: pct(u.Precision), Detail: thousands(u.TP) + " of " + thousands(u.Alerts) + " alerts hold a labelled event"},
		{Label: "Recall", Value: pct(u.Recall), Detail: thousands(u.LabelledCaught) + " of " + thousands(sc.Labelled) + " labelled events inside an alert"},
		{Label: "Keys caught", Value: pct(u.KeyRecall), Detail: thousands(u.KeysCaught) + " of " + thousands(u.KeysLabelled) + " labelled keys" + map[bool]string{true: "", false: " (rule, key pairs)"}[sc.UnionKeys == "shared"]},
		{Label: "Median delay", Value: delayText(u.MedianDelayMs), Detail: "first label of a key → first alert that caught it"},
		{Label: "Alert rate", Value: strconv.FormatFloat(u.AlertsPer1k, 'f', 2, 64), Detail: "alerts per 1,000 events"},
	}
	v.Quality = []kpi{
		{Label: "Events", Value: thousands(sc.Events)},
		{Label: "Labelled", Value: thousands(sc.Labelled), Detail: share(ratio(sc.Labelled, sc.Events)) + " of events"},
		{Label: "Label missing", Value: thousands(sc.LabelMissing), Detail: "scored as not labelled", Warn: sc.LabelMissing > 0},
		{Label: "Late", Value: thousands(sc.Late), Detail: thousands(sc.LabelledLate) + " labelled, unseen by rules", Warn: sc.Late > 0},
		{Label: "Dead letters", Value: thousands(sc.DeadLetter), Detail: "lines that could not be decoded", Warn: sc.DeadLetter > 0},
	}
	if sc.Late > 0 {
		v.Warnings = append(v.Warnings, fmt.Sprintf("%s %s (%s labelled) came behind the watermark by more than the stream's lateness. No rule saw them; they are in the late output. Labelled ones count as missed.",
			thousands(sc.Late), plural(int(sc.Late), "event", "events"), thousands(sc.LabelledLate)))
	}
	if sc.LabelMissing > 0 {
		v.Warnings = append(v.Warnings, fmt.Sprintf("%s %s no value for %s; scored as not labelled.", thousands(sc.LabelMissing),
			plural(int(sc.LabelMissing), "event has", "events have"), sc.Label))
	}
	if sc.UnionKeys == "rule" && rules > 1 {
		v.Notes = append(v.Notes, "The rules are partitioned by different keys, so the keys of “all rules” are (rule, key) pairs and its delays those of every rule.")
	}
	for i := range sc.Rules {
		v.Rows = append(v.Rows, rowOf(&sc.Rules[i], ruleColor(i)))
	}
	v.Union = rowOf(u, unionColor)
	v.PR = prChart(sc)
	v.Timeline, v.TimelineUnit = timeline(sc)
	for i := range sc.Rules {
		r := &sc.Rules[i]
		v.Delays = append(v.Delays, delayChart{Title: r.Rule, Color: ruleColor(i), Detail: delayDetail(r), SVG: histogram(r.Delays, ruleColor(i))})
	}
	if len(sc.Rules) > 1 {
		v.Delays = append(v.Delays, delayChart{Title: UnionName, Color: unionColor, Detail: delayDetail(u), SVG: histogram(u.Delays, unionColor)})
	}
	if rs := sc.RuleSet; rs != nil {
		v.Sources = sources(rs)
	}
	return v
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func delayText(ms *int64) string {
	if ms == nil {
		return "–"
	}
	return FormatDelay(*ms)
}

func delayDetail(r *RuleScore) string {
	if len(r.Delays) == 0 {
		return "no key caught"
	}
	return fmt.Sprintf("%s caught %s · median %s", thousands(int64(len(r.Delays))), plural(len(r.Delays), "key", "keys"), delayText(r.MedianDelayMs))
}

func dateRange(from, to int64) string {
	a, b := time.UnixMilli(from).UTC(), time.UnixMilli(to).UTC()
	if b.Sub(a) < 72*time.Hour {
		if a.YearDay() == b.YearDay() && a.Year() == b.Year() {
			return a.Format("2 Jan 2006, 15:04") + "–" + b.Format("15:04 UTC")
		}
		return a.Format("2 Jan 2006 15:04") + " – " + b.Format("2 Jan 2006 15:04 UTC")
	}
	return a.Format("2 Jan 2006") + " – " + b.Format("2 Jan 2006")
}

func rowOf(r *RuleScore, color string) tableRow {
	num := func(n int64) cell { return cell{Text: thousands(n), Sort: strconv.FormatInt(n, 10)} }
	ratioCell := func(x *float64) cell {
		if x == nil {
			return cell{Text: "–", Sort: "-1"}
		}
		return cell{Text: pct(x), Sort: strconv.FormatFloat(*x, 'g', -1, 64)}
	}
	delay := cell{Text: "–", Sort: strconv.FormatInt(math.MaxInt64, 10)}
	if r.MedianDelayMs != nil {
		delay = cell{Text: FormatDelay(*r.MedianDelayMs), Sort: strconv.FormatInt(*r.MedianDelayMs, 10)}
	}
	unique := cell{Text: "–", Sort: "-1"}
	if r.UniqueTP != nil {
		unique = num(*r.UniqueTP)
	}
	keys := cell{Text: thousands(r.KeysCaught) + " / " + thousands(r.KeysLabelled), Sort: strconv.FormatInt(r.KeysCaught, 10)}
	return tableRow{Color: color, Output: r.Output, Cells: []cell{
		{Text: r.Rule, Sort: r.Rule}, num(r.Alerts), num(r.TP), num(r.FP), ratioCell(r.Precision), ratioCell(r.Recall),
		keys, ratioCell(r.KeyRecall), delay, {Text: strconv.FormatFloat(r.AlertsPer1k, 'f', 2, 64), Sort: strconv.FormatFloat(r.AlertsPer1k, 'g', -1, 64)}, unique,
	}}
}

func sources(rs *patterns.RuleSet) []sourceDecl {
	var out []sourceDecl
	where := func(p patterns.Pos) string {
		if p.File == "" {
			return ""
		}
		return fmt.Sprintf("%s:%d", filepath.Base(p.File), p.Line)
	}
	for _, s := range rs.Streams {
		if s.Decl != nil {
			out = append(out, sourceDecl{Kind: "stream", Name: s.Name, Where: where(s.Decl.At), Text: strings.TrimSpace(s.Decl.Source)})
		}
	}
	for _, t := range rs.Tables {
		if t.Decl != nil {
			out = append(out, sourceDecl{Kind: "table", Name: t.Name, Where: where(t.Decl.At), Text: strings.TrimSpace(t.Decl.Source)})
		}
	}
	for _, f := range rs.Features {
		if f.Decl != nil {
			out = append(out, sourceDecl{Kind: "feature", Name: f.Name, Where: where(f.Decl.At), Text: strings.TrimSpace(f.Decl.Source)})
		}
	}
	for _, r := range rs.Rules {
		if r.Decl != nil {
			out = append(out, sourceDecl{Kind: "rule", Name: r.Name, Where: where(r.Decl.At), Text: strings.TrimSpace(r.Decl.Source)})
		}
	}
	return out
}

// svgText escapes s for SVG text and attributes.
func svgText(s string) string { return html.EscapeString(s) }

// prChart draws each rule's precision and recall as horizontal bars.
func prChart(sc *Scores) template.HTML {
	type bar struct {
		name  string
		color string
		p, r  *float64
	}
	var bars []bar
	for i, r := range sc.Rules {
		bars = append(bars, bar{r.Rule, ruleColor(i), r.Precision, r.Recall})
	}
	if len(sc.Rules) > 1 {
		bars = append(bars, bar{UnionName, unionColor, sc.Union.Precision, sc.Union.Recall})
	}
	const (
		width = 1000
		left  = 190
		right = 70
		rowH  = 50
		top   = 34
		barH  = 15
		plotW = width - left - right
	)
	height := top + rowH*len(bars) + 24
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" width="100%%" role="img" aria-label="precision and recall per rule">`, width, height)
	// Legend.
	fmt.Fprintf(&b, `<g class="legend"><rect x="%d" y="6" width="12" height="12" rx="2" class="prec"/><text x="%d" y="16">precision</text>`, left, left+18)
	fmt.Fprintf(&b, `<rect x="%d" y="6" width="12" height="12" rx="2" class="rec"/><text x="%d" y="16">recall (labelled events)</text></g>`, left+110, left+128)
	for _, t := range []float64{0, 0.25, 0.5, 0.75, 1} {
		x := left + t*plotW
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" class="grid"/>`, x, top-4, x, height-20)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%.0f%%</text>`, x, height-6, t*100)
	}
	for i, br := range bars {
		y := top + i*rowH
		fmt.Fprintf(&b, `<rect x="4" y="%d" width="5" height="%d" rx="2" fill="%s"/>`, y+3, 2*barH+2, br.color)
		fmt.Fprintf(&b, `<text x="16" y="%d" class="rname">%s</text>`, y+barH+6, svgText(clip(br.name, 22)))
		for j, x := range []*float64{br.p, br.r} {
			cls := []string{"prec", "rec"}[j]
			by := y + j*(barH+2)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="track"/>`, left, by, plotW, barH)
			label := "–"
			w := 0.0
			if x != nil {
				w = *x * plotW
				label = pct(x)
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" rx="2" class="%s"><title>%s %s: %s</title></rect>`,
				left, by, w, barH, cls, svgText(br.name), []string{"precision", "recall"}[j], label)
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="val">%s</text>`, float64(left)+w+6, by+barH-3, label)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// series aggregates the hourly buckets into hours, days or weeks, whichever
// gives at most a few hundred points.
func series(sc *Scores) ([]Bucket, string) {
	if len(sc.Series) == 0 {
		return nil, ""
	}
	hours := len(sc.Series)
	var per int
	var unit string
	switch {
	case hours <= 96:
		per, unit = 1, "hour"
	case hours <= 24*400:
		per, unit = 24, "day"
	default:
		per, unit = 24*7, "week"
	}
	var out []Bucket
	for _, h := range sc.Series {
		start := floorDiv(h.Start, int64(per)*hourMs) * int64(per) * hourMs
		if per == 24*7 { // weeks from Monday
			start = floorDiv(h.Start-4*24*hourMs, int64(per)*hourMs)*int64(per)*hourMs + 4*24*hourMs
		}
		if len(out) == 0 || out[len(out)-1].Start != start {
			out = append(out, Bucket{Start: start})
		}
		o := &out[len(out)-1]
		o.Events += h.Events
		o.Labelled += h.Labelled
		o.Alerts += h.Alerts
		o.TP += h.TP
	}
	return out, unit
}

// timeline draws labelled events and alerts (true and false positives) per
// hour or day, as two panels over one time axis.
func timeline(sc *Scores) (template.HTML, string) {
	bs, unit := series(sc)
	if len(bs) == 0 {
		return "", ""
	}
	const (
		width  = 1000
		left   = 64
		right  = 16
		panelH = 150
		gap    = 46
		top    = 30
	)
	plotW := float64(width - left - right)
	height := top + 2*panelH + gap + 40
	n := len(bs)
	step := plotW / float64(n)
	x := func(i int) float64 { return float64(left) + (float64(i)+0.5)*step }
	var maxL, maxA int64
	for _, b := range bs {
		maxL, maxA = max(maxL, b.Labelled), max(maxA, b.Alerts)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" width="100%%" role="img" aria-label="labelled events and alerts per %s">`, width, height, unit)
	panel := func(y0 int, title string, maxV int64, layers []layer) {
		ticks := niceTicks(maxV)
		top := ticks[len(ticks)-1]
		y := func(v float64) float64 { return float64(y0+panelH) - v/float64(top)*panelH }
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="ptitle">%s</text>`, left, y0-10, svgText(title))
		for _, t := range ticks {
			fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="grid"/>`, left, y(float64(t)), width-right, y(float64(t)))
			fmt.Fprintf(&b, `<text x="%d" y="%.1f" class="tick" text-anchor="end">%s</text>`, left-8, y(float64(t))+4, compact(t))
		}
		for _, l := range layers {
			if n > 120 {
				// An area: the top edge through each bucket's value, over the layer below.
				var p strings.Builder
				fmt.Fprintf(&p, "M%.1f,%.1f", x(0), y(float64(l.base(0))))
				for i := range n {
					fmt.Fprintf(&p, " L%.1f,%.1f", x(i), y(float64(l.base(i)+l.value(i))))
				}
				for i := n - 1; i >= 0; i-- {
					fmt.Fprintf(&p, " L%.1f,%.1f", x(i), y(float64(l.base(i))))
				}
				fmt.Fprintf(&b, `<path d="%s Z" fill="%s" fill-opacity="0.85"/>`, p.String(), l.color)
				continue
			}
			bw := math.Max(1, step*0.78)
			for i := range n {
				v := l.value(i)
				if v == 0 {
					continue
				}
				y1, y2 := y(float64(l.base(i)+v)), y(float64(l.base(i)))
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s %s</title></rect>`,
					x(i)-bw/2, y1, bw, y2-y1, l.color, bucketLabel(bs[i].Start, unit), thousands(v), l.name)
			}
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, left, y0+panelH, width-right, y0+panelH)
	}
	zero := func(int) int64 { return 0 }
	panel(top, "Labelled events per "+unit, maxL, []layer{
		{name: "labelled events", color: labelledColor, value: func(i int) int64 { return bs[i].Labelled }, base: zero},
	})
	panel(top+panelH+gap, "Alerts per "+unit+" (all rules): true positives and false positives", maxA, []layer{
		{name: "true positives", color: tpColor, value: func(i int) int64 { return bs[i].TP }, base: zero},
		{name: "false positives", color: fpColor, value: func(i int) int64 { return bs[i].Alerts - bs[i].TP }, base: func(i int) int64 { return bs[i].TP }},
	})
	// The time axis: about eight labels.
	every := max(1, n/8)
	for i := 0; i < n; i += every {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%s</text>`, x(i), height-14, axisLabel(bs[i].Start, unit))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()), unit
}

type layer struct {
	name        string
	color       string
	value, base func(int) int64
}

func bucketLabel(ms int64, unit string) string {
	t := time.UnixMilli(ms).UTC()
	switch unit {
	case "hour":
		return t.Format("2 Jan 15:04")
	case "week":
		return "week of " + t.Format("2 Jan 2006")
	}
	return t.Format("Mon 2 Jan 2006")
}

func axisLabel(ms int64, unit string) string {
	t := time.UnixMilli(ms).UTC()
	if unit == "hour" {
		return t.Format("2 Jan 15:04")
	}
	return t.Format("2 Jan")
}

// niceTicks returns 0 and round steps up to at least maxV (at least 1).
func niceTicks(maxV int64) []int64 {
	if maxV < 1 {
		maxV = 1
	}
	raw := float64(maxV) / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	var step float64
	switch r := raw / mag; {
	case r <= 1:
		step = mag
	case r <= 2:
		step = 2 * mag
	case r <= 2.5:
		step = 2.5 * mag
	case r <= 5:
		step = 5 * mag
	default:
		step = 10 * mag
	}
	s := max(1, int64(math.Ceil(step)))
	ticks := []int64{0}
	for t := s; ; t += s {
		ticks = append(ticks, t)
		if t >= maxV {
			break
		}
	}
	return ticks
}

// compact renders a count for an axis: 950, 12k, 1.5M.
func compact(n int64) string {
	switch {
	case n >= 1_000_000:
		return strings.TrimSuffix(strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64), ".0") + "M"
	case n >= 10_000:
		return strconv.FormatInt(n/1000, 10) + "k"
	}
	return thousands(n)
}

// delayBins are the histogram's bins of detection delay: upper bounds in ms.
var delayBins = []struct {
	upTo  int64
	label string
}{
	{60_000, "<1m"},
	{600_000, "1–10m"},
	{3_600_000, "10–60m"},
	{6 * 3_600_000, "1–6h"},
	{24 * 3_600_000, "6–24h"},
	{3 * 24 * 3_600_000, "1–3d"},
	{7 * 24 * 3_600_000, "3–7d"},
	{math.MaxInt64, "≥7d"},
}

// histogram draws the detection delays of caught keys in delayBins.
func histogram(delays []int64, color string) template.HTML {
	counts := make([]int64, len(delayBins))
	for _, d := range delays {
		for i, bin := range delayBins {
			if d < bin.upTo {
				counts[i]++
				break
			}
		}
	}
	var maxC int64
	for _, c := range counts {
		maxC = max(maxC, c)
	}
	const (
		width  = 340
		height = 160
		left   = 8
		bottom = 34
		top    = 18
	)
	plotH := float64(height - bottom - top)
	slot := float64(width-2*left) / float64(len(counts))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" width="100%%" role="img" aria-label="detection delay histogram">`, width, height)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, left, height-bottom, width-left, height-bottom)
	for i, c := range counts {
		x := float64(left) + float64(i)*slot
		h := 0.0
		if maxC > 0 {
			h = float64(c) / float64(maxC) * plotH
		}
		y := float64(height-bottom) - h
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="2" fill="%s"><title>%s: %s %s</title></rect>`,
			x+slot*0.12, y, slot*0.76, h, color, delayBins[i].label, thousands(c), plural(int(c), "key", "keys"))
		if c > 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="val" text-anchor="middle">%s</text>`, x+slot/2, y-4, compact(c))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%s</text>`, x+slot/2, height-bottom+16, delayBins[i].label)
	}
	if len(delays) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" class="empty" text-anchor="middle">no key caught</text>`, width/2, float64(top)+plotH/2)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

var reportTmpl = template.Must(template.New("report").Parse(reportHTML))

const reportHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
:root {
  --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --soft: #f8fafc; --accent: #2563eb;
  --prec: #2563eb; --rec: #0d9488; --warn: #b45309; --warnbg: #fffbeb;
}
* { box-sizing: border-box; }
html { background: #f1f5f9; }
body {
  margin: 0 auto; max-width: 1120px; padding: 40px 48px 56px; background: #fff; color: var(--ink);
  font: 15px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif;
  font-variant-numeric: tabular-nums; min-height: 100vh;
}
header { border-bottom: 3px solid var(--ink); padding-bottom: 18px; margin-bottom: 28px; }
.eyebrow { text-transform: uppercase; letter-spacing: .12em; font-size: 12px; font-weight: 600; color: var(--accent); margin: 0 0 6px; }
h1 { font-size: 30px; line-height: 1.2; margin: 0 0 6px; letter-spacing: -.01em; }
.subtitle { font-size: 17px; color: #334155; margin: 0; }
.meta { color: var(--muted); font-size: 13px; margin-top: 10px; }
.meta code { font-size: 12px; }
.meta code .w { white-space: nowrap; }
.subtitle code.lbl { font-size: 15px; background: #f1f5f9; padding: 1px 6px; border-radius: 5px; }
h2 { font-size: 19px; margin: 40px 0 4px; letter-spacing: -.005em; }
h2 + .lead { color: var(--muted); margin: 0 0 16px; font-size: 14px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 14px; }
.card { border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; background: #fff; }
.card .k { font-size: 12px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); font-weight: 600; }
.card .v { font-size: 28px; font-weight: 650; margin: 2px 0; }
.card .d { font-size: 12.5px; color: var(--muted); line-height: 1.35; }
.quality { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 18px 0 0; padding: 12px 16px; background: var(--soft); border-radius: 10px; font-size: 13.5px; }
.quality span b { font-weight: 650; }
.quality .q-d { color: var(--muted); }
.quality .warn b { color: var(--warn); }
.callout { margin: 14px 0 0; padding: 10px 14px; border-left: 4px solid var(--warn); background: var(--warnbg); font-size: 14px; border-radius: 0 8px 8px 0; }
.note { margin: 10px 0 0; color: var(--muted); font-size: 13.5px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { padding: 8px 9px; text-align: right; white-space: nowrap; }
th { white-space: normal; vertical-align: bottom; line-height: 1.3; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--ink); cursor: pointer; user-select: none; }
th:first-child, td:first-child { text-align: left; }
th.sorted::after { content: " ▾"; } th.sorted.asc::after { content: " ▴"; }
tbody tr:nth-child(even) { background: var(--soft); }
tbody td { border-bottom: 1px solid var(--line); }
tfoot td { font-weight: 650; border-top: 2px solid var(--ink); }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 3px; margin-right: 8px; vertical-align: 0; }
.out { color: var(--muted); font-size: 12px; margin-left: 6px; }
svg text { font-family: inherit; fill: #334155; font-size: 13px; }
svg .tick { font-size: 11.5px; fill: var(--muted); }
svg .val { font-size: 12px; fill: #334155; font-weight: 600; }
svg .rname { font-size: 14px; font-weight: 600; fill: var(--ink); }
svg .ptitle { font-size: 13px; font-weight: 600; fill: var(--ink); }
svg .empty { fill: var(--muted); font-style: italic; }
svg .grid { stroke: #e2e8f0; stroke-width: 1; }
svg .axis { stroke: #94a3b8; stroke-width: 1; }
svg .track { fill: #f1f5f9; }
svg .prec { fill: var(--prec); }
svg .rec { fill: var(--rec); }
.legend-row { display: flex; gap: 18px; font-size: 13px; color: #334155; margin: 4px 0 0; }
.legend-row i { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
.hists { display: grid; grid-template-columns: repeat(3, 1fr); gap: 18px 24px; }
.hist h3 { font-size: 15px; margin: 0; }
.hist .d { font-size: 12.5px; color: var(--muted); margin: 0 0 4px; }
.src { border: 1px solid var(--line); border-radius: 10px; margin: 0 0 12px; overflow: hidden; }
.src .h { display: flex; justify-content: space-between; padding: 7px 14px; background: var(--soft); border-bottom: 1px solid var(--line); font-size: 13px; }
.src .h b { font-weight: 650; } .src .h .kind { color: var(--muted); text-transform: uppercase; letter-spacing: .08em; font-size: 11px; margin-right: 8px; }
.src pre { margin: 0; padding: 12px 14px; font-size: 13px; line-height: 1.5; overflow-x: auto; color: #1e293b; }
footer { margin-top: 44px; padding-top: 14px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12.5px; }
@media print { html { background: #fff; } body { padding: 0; } }
</style>
</head>
<body>
<header>
  <p class="eyebrow">Kestrel backtest</p>
  <h1>{{.Title}}</h1>
  <p class="subtitle">{{.Subtitle}} <code class="lbl">{{.Label}}</code></p>
  <div class="meta">{{if .Generated}}Generated {{.Generated}}{{end}}{{if .Command}} · <code>{{range $i, $w := .Command}}{{if $i}} {{end}}<span class="w">{{$w}}</span>{{end}}</code>{{end}}</div>
</header>

<section class="cards">
{{range .KPIs}}  <div class="card"><div class="k">{{.Label}}</div><div class="v">{{.Value}}</div><div class="d">{{.Detail}}</div></div>
{{end}}</section>
<div class="quality">
{{range .Quality}}  <span{{if .Warn}} class="warn"{{end}}>{{.Label}} <b>{{.Value}}</b>{{if .Detail}} <span class="q-d">· {{.Detail}}</span>{{end}}</span>
{{end}}</div>
{{range .Warnings}}<p class="callout">{{.}}</p>
{{end}}
<h2>Scores</h2>
<p class="lead">One row per rule, then the union of all rules. Click a column to sort.</p>
<table id="scores">
<thead><tr><th>Rule</th><th>Alerts</th><th>TP</th><th>FP</th><th>Precision</th><th>Recall</th><th>Keys caught / labelled</th><th>Key recall</th><th>Median delay</th><th>Alerts / 1k</th><th>Unique TP</th></tr></thead>
<tbody>
{{range .Rows}}{{$row := .}}<tr>{{range $i, $c := .Cells}}<td data-sort="{{$c.Sort}}">{{if eq $i 0}}<span class="swatch" style="background:{{$row.Color}}"></span>{{end}}{{$c.Text}}{{if and (eq $i 0) (ne $row.Output "alerts")}}<span class="out">→ {{$row.Output}}</span>{{end}}</td>{{end}}</tr>
{{end}}</tbody>
<tfoot><tr>{{range .Union.Cells}}<td>{{.Text}}</td>{{end}}</tr></tfoot>
</table>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}
<h2>Precision and recall</h2>
<p class="lead">Precision: the share of a rule's alerts that hold a labelled event. Recall: the share of labelled events inside at least one of its alerts.</p>
{{.PR}}

{{if .Timeline}}<h2>Over time</h2>
<p class="lead">Labelled events by their time; alerts by the time they fired, all rules together, per {{.TimelineUnit}} (UTC).</p>
<div class="legend-row"><span><i style="background:#dc2626"></i>labelled events</span><span><i style="background:#16a34a"></i>true-positive alerts</span><span><i style="background:#94a3b8"></i>false-positive alerts</span></div>
{{.Timeline}}
{{end}}
<h2 id="delay">Detection delay</h2>
<p class="lead">For each caught key: from its first labelled event to the first alert that held a labelled event.</p>
<div class="hists">
{{range .Delays}}<div class="hist"><h3><span class="swatch" style="background:{{.Color}}"></span>{{.Title}}</h3><p class="d">{{.Detail}}</p>{{.SVG}}</div>
{{end}}</div>

<h2 id="sources">Rule sources</h2>
<p class="lead">The declarations this backtest ran, as written.</p>
{{range .Sources}}<div class="src"><div class="h"><span><span class="kind">{{.Kind}}</span><b>{{.Name}}</b></span><span>{{.Where}}</span></div><pre>{{.Text}}</pre></div>
{{end}}
<footer>Kestrel · <code>kestrel replay --label {{.Label}}</code> · definitions of every measure in docs/backtesting.md</footer>
<script>
(function () {
  var table = document.getElementById("scores");
  var heads = table.tHead.rows[0].cells;
  var body = table.tBodies[0];
  Array.prototype.forEach.call(heads, function (th, col) {
    th.addEventListener("click", function () {
      var asc = th.classList.contains("sorted") && !th.classList.contains("asc");
      Array.prototype.forEach.call(heads, function (h) { h.classList.remove("sorted", "asc"); });
      th.classList.add("sorted");
      if (asc) th.classList.add("asc");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-sort"), y = b.cells[col].getAttribute("data-sort");
        var nx = parseFloat(x), ny = parseFloat(y), c;
        c = (col === 0 || isNaN(nx) || isNaN(ny)) ? x.localeCompare(y) : nx - ny;
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
</script>
</body>
</html>
`
