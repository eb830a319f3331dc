package replay

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func exampleScores(t *testing.T) *Scores {
	t.Helper()
	return backtest(t, load(t, "."), Input{Path: filepath.Join(backtestDir, "txn.jsonl")})
}

func exampleReport(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	opts := ReportOptions{Command: "kestrel replay --rules testdata/backtest --events testdata/backtest/txn.jsonl --label is_fraud --report r.html",
		Generated: time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC)}
	if err := WriteReport(&b, exampleScores(t), opts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReportSelfContained: the page refers to nothing outside itself, so it
// can be mailed and opened anywhere, offline.
func TestReportSelfContained(t *testing.T) {
	page := string(exampleReport(t))
	for _, bad := range []string{"http://", "https://", "src=", "url(", "@import", "<link", "<iframe", "<object", "<embed", "xlink:"} {
		if i := strings.Index(strings.ToLower(page), bad); i >= 0 {
			t.Errorf("the report holds %q: …%s…", bad, page[max(0, i-60):min(len(page), i+60)])
		}
	}
	for _, m := range regexp.MustCompile(`(?i)href\s*=\s*["']?([^"'\s>]*)`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("a link out of the page: %s", m[0])
		}
	}
	for _, want := range []string{
		"<title>Backtest: txn.jsonl</title>",
		"2 Mar 2026, 09:00–13:00 UTC",
		"is_fraud",
		"card_testing", "merchant_spree", "round_amount", "→ review",
		"rule big\n  severity high\n  by card_id\n  pattern a: txn[amount &gt; 500]",
		"stream txn (",
		"Labelled events per hour",
		"1 event (1 labelled) came behind the watermark",
		"2 events have no value for is_fraud",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if n := strings.Count(page, "<svg"); n != 2+7 { // precision/recall, timeline, 6 rules' delays and the union's
		t.Errorf("%d charts, want 9", n)
	}
}

// TestReportScreenshot renders the report in headless Chromium, when it is
// installed, and checks that the screenshot shows a page: the size asked
// for, and many colours over much of it. Set KESTREL_REPORT_PNG=FILE to keep
// the screenshot.
func TestReportScreenshot(t *testing.T) {
	var browser string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("no chromium on the PATH: install it (apt-get install chromium) to render the report")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, exampleReport(t), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "report.png")
	if keep := os.Getenv("KESTREL_REPORT_PNG"); keep != "" {
		shot, _ = filepath.Abs(keep)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot, "--window-size=1400,2000",
		"file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1400 || b.Dy() != 2000 {
		t.Errorf("screenshot %v, want 1400×2000", b)
	}
	colours, inked := inspect(img)
	t.Logf("screenshot %s: %d colours, %.0f%% of it ink", shot, colours, inked*100)
	if colours < 100 || inked < 0.05 {
		t.Errorf("the screenshot looks blank: %d colours, %.1f%% not background", colours, inked*100)
	}
}

// inspect counts an image's colours and the share of its pixels that differ
// from the most common colour.
func inspect(img image.Image) (int, float64) {
	count := map[uint32]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			count[r>>8<<16|g>>8<<8|bl>>8]++
		}
	}
	most, total := 0, 0
	for _, n := range count {
		most = max(most, n)
		total += n
	}
	return len(count), 1 - float64(most)/float64(total)
}

func TestWriteTable(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, exampleScores(t)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(out, "\n")
	if lines[0] != "label is_fraud: 24 events, 11 labelled (45.83%), 2 label missing, 1 late, 1 deadletter" {
		t.Errorf("heading %q", lines[0])
	}
	// The table: from the header to the union's row, every line as wide.
	var table []string
	for i, l := range lines {
		if strings.HasPrefix(l, "rule ") {
			table = lines[i : i+9]
			break
		}
	}
	if len(table) != 9 || !strings.HasPrefix(table[8], UnionName+" ") {
		t.Fatalf("no table:\n%s", out)
	}
	width := len([]rune(table[0]))
	for _, l := range table {
		if len([]rune(l)) != width {
			t.Errorf("not aligned:\n%s", strings.Join(table, "\n"))
			break
		}
	}
	// Columns end where the header's do.
	head := table[0]
	for _, col := range []string{"alerts", "precision", "median delay", "unique tp"} {
		end := strings.Index(head, col) + len(col)
		for _, l := range table[1:] {
			if l[0] != '-' && (l[end-1] == ' ' || (end < len(l) && l[end] != ' ')) {
				t.Errorf("column %q does not end at %d in %q", col, end, l)
			}
		}
	}
	for _, want := range [][]string{
		{"big", "5", "3", "2", "60.0%", "27.3%", "2/4", "50.0%", "2m", "208.33", "0"},
		{"round_amount", "2", "0", "2", "0.0%", "0.0%", "0/4", "0.0%", "-", "83.33", "0"},
		{"velocity", "1", "1", "0", "100.0%", "18.2%", "1/4", "25.0%", "20s", "41.67", "1"},
		{"all", "rules", "13", "7", "6", "53.8%", "72.7%", "6/20", "30.0%", "2m", "541.67", "-"},
	} {
		found := false
		for _, l := range table {
			if strings.Join(strings.Fields(l), " ") == strings.Join(want, " ") {
				found = true
			}
		}
		if !found {
			t.Errorf("no row %v in\n%s", want, strings.Join(table, "\n"))
		}
	}
	for _, want := range []string{
		`The rules have different keys: the keys of "all rules" are (rule, key) pairs.`,
		"2 events have no value for is_fraud: scored as not labelled.",
		"1 event (1 labelled) came behind the watermark",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// An input without events still gives a table, JSON and a report.
func TestEmptyInput(t *testing.T) {
	sc := backtest(t, load(t, "."), Input{Path: "empty.jsonl", Data: []byte{}})
	if sc.Events != 0 || sc.Labelled != 0 || sc.Union.Recall != nil || sc.Union.Precision != nil || sc.From != "" {
		t.Errorf("%+v", sc)
	}
	var b bytes.Buffer
	for name, write := range map[string]func() error{
		"table":  func() error { return WriteTable(&b, sc) },
		"json":   func() error { return WriteJSON(&b, sc) },
		"report": func() error { return WriteReport(&b, sc, ReportOptions{}) },
	} {
		b.Reset()
		if err := write(); err != nil || b.Len() == 0 {
			t.Errorf("%s: %v, %d bytes", name, err, b.Len())
		}
	}
}
