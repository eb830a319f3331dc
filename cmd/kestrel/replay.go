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
	fs := c.flags("replay", "replay --rules PATH --events [STREAM=]FILE [--out FILE] [--outputs DIR] [--quiet]")
	var rules, events stringsFlag
	fs.Var(&rules, "rules", "a .krl file or a directory of them (repeatable)")
	fs.Var(&events, "events", "[STREAM=]FILE: JSONL or CSV (.csv), optionally .gz (repeatable)")
	out := fs.String("out", "-", "the alerts output as JSON lines; - for stdout")
	outputs := fs.String("outputs", "", "write every output to DIR/<output>.jsonl")
	quiet := fs.Bool("quiet", false, "no summary or progress on stderr")
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
	rs, err := patterns.Load(rules, patterns.Options{MaxPartials: *maxPartials})
	if err != nil {
		return err
	}
	if !*quiet {
		c.printWarnings(rs)
	}
	var inputs []replay.Input
	for _, ev := range events {
		in := replay.Input{Path: ev}
		if name, path, ok := strings.Cut(ev, "="); ok {
			in = replay.Input{Stream: name, Path: path}
		}
		inputs = append(inputs, in)
	}
	var alertsTo io.Writer = c.stdout
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
	start := time.Now()
	stats, runErr := replay.Run(rs, inputs, replay.Options{Sink: sink})
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
	return nil
}
