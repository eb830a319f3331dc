package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/patterns"
	"github.com/kestrelcep/kestrel/replay"
)

func (c *cli) replay(args []string) error {
	fs := c.flags("replay", "replay --rules PATH --events [STREAM=]FILE [--tables NAME=FILE] [--label FIELD [--json] [--report FILE.html]]\n                      [--out FILE] [--outputs DIR] [--quiet]")
	var rules, events, tableFiles stringsFlag
	fs.Var(&rules, "rules", "a .krl file or a directory of them (repeatable)")
	fs.Var(&events, "events", "[STREAM=]FILE: JSONL or CSV (.csv), optionally .gz (repeatable)")
	fs.Var(&tableFiles, "tables", "NAME=FILE: rows of table NAME, CSV or JSONL, optionally .gz (repeatable)")
	out := fs.String("out", "-", "the alerts output as JSON lines; - for stdout")
	outputs := fs.String("outputs", "", "write every output to DIR/<output>.jsonl")
	quiet := fs.Bool("quiet", false, "no summary or progress on stderr")
	label := fs.String("label", "", "score every rule against this bool field (true: fraud); prints a table")
	asJSON := fs.Bool("json", false, "with --label: print the scores as one JSON object instead of the table")
	report := fs.String("report", "", "with --label: also write the scores as a self-contained HTML page to `FILE.html`")
	maxPartials := fs.Int("max-partials", 10000, "bound on partial matches per rule and key")
	if err := parse(fs, args); err != nil {
		return err
	}
	if len(rules) == 0 || len(events) == 0 {
		fs.Usage()
		return &usageError{msg: "replay needs --rules and --events"}
	}
	if fs.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if *maxPartials < 1 {
		return &usageError{msg: "--max-partials must be at least 1"}
	}
	if *label == "" && (*asJSON || *report != "") {
		return &usageError{msg: "--json and --report score against labels: they need --label FIELD"}
	}
	rs, err := patterns.Load(rules, patterns.Options{MaxPartials: *maxPartials})
	if err != nil {
		return err
	}
	unbound, err := replay.BindTables(rs, tableFiles)
	if err != nil {
		return err
	}
	if !*quiet {
		c.printWarnings(rs)
		for _, name := range unbound {
			fmt.Fprintf(c.stderr, "kestrel: warning: table %s has no rows; bind it with --tables %s=FILE\n", name, name)
		}
	}
	var inputs []replay.Input
	for _, ev := range events {
		in := replay.Input{Path: ev}
		if name, path, ok := strings.Cut(ev, "="); ok {
			in = replay.Input{Stream: name, Path: path}
		}
		inputs = append(inputs, in)
	}
	var scorer *replay.Scorer
	if *label != "" {
		if scorer, err = replay.NewScorer(rs, inputs, *label); err != nil {
			return err
		}
	}
	var reportTo *os.File
	reportDone := false
	if *report != "" {
		// Created now, so that a path that cannot be written fails before a long replay.
		if reportTo, err = os.Create(*report); err != nil {
			return err
		}
		defer func() {
			reportTo.Close()
			if !reportDone {
				os.Remove(*report) // no empty or half-written report
			}
		}()
	}
	var alertsTo io.Writer = c.stdout
	if *asJSON {
		alertsTo = nil // cli.md: with --json, alerts only to a file named by --out
	}
	if *out != "-" && *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		alertsTo = f
	}
	sink, err := alerts.NewOutputs(*outputs, alertsTo)
	if err != nil {
		return err
	}
	opts := replay.Options{Sink: sink}
	if scorer != nil {
		opts.Sink, opts.Observe = scorer.Wrap(sink), scorer.Observe
	}
	var bar *replay.ProgressBar
	if !*quiet && isTerminal(c.stderr) && inputSize(inputs) > progressMinSize {
		bar = replay.NewProgressBar(c.stderr)
		opts.Progress = bar.Update
	}
	start := time.Now()
	stats, runErr := replay.Run(rs, inputs, opts)
	if bar != nil {
		bar.Finish()
	}
	if err := sink.Close(); err != nil && runErr == nil {
		runErr = &failure{err: err}
	}
	if runErr != nil {
		if errors.Is(runErr, replay.ErrInput) {
			return runErr
		}
		return &failure{err: runErr}
	}
	if !*quiet {
		el := time.Since(start)
		fmt.Fprintf(c.stderr, "kestrel: replayed %d events in %s (%.0f events/s): %d alerts, %d timeouts, %d late, %d deadletter\n",
			stats.Events, el.Round(time.Millisecond), float64(stats.Events)/el.Seconds(),
			stats.Outputs["alerts"], stats.Outputs["timeouts"], stats.Late, stats.DeadLetter)
		if stats.Dropped > 0 {
			fmt.Fprintf(c.stderr, "kestrel: %d partial matches were not started: a key reached --max-partials (%d)\n", stats.Dropped, *maxPartials)
		}
	}
	if scorer == nil {
		return nil
	}
	scores := scorer.Scores(stats)
	if *asJSON {
		err = replay.WriteJSON(c.stdout, scores)
	} else {
		err = replay.WriteTable(c.stdout, scores)
	}
	if err != nil {
		return &failure{err: err}
	}
	if reportTo != nil {
		err := replay.WriteReport(reportTo, scores, replay.ReportOptions{
			Command: "kestrel replay " + strings.Join(args, " "), Generated: time.Now()})
		if err == nil {
			err = reportTo.Close()
		}
		if err != nil {
			return &failure{err: fmt.Errorf("--report: %w", err)}
		}
		reportDone = true
	}
	return nil
}

// progressMinSize is the input size above which replay shows a progress bar.
const progressMinSize = 4 << 20

// isTerminal tells whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// inputSize is the inputs' total size on disk; files that cannot be read
// count 0 (the replay reports them).
func inputSize(inputs []replay.Input) int64 {
	var n int64
	for _, in := range inputs {
		if st, err := os.Stat(in.Path); err == nil {
			n += st.Size()
		}
	}
	return n
}
