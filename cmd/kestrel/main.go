// Command kestrel is Kestrel's one binary: serve, replay, check, test, gen.
// See docs/ and ../shared/spec/cli.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kestrelcep/kestrel/patterns"
)

// Exit codes (cli.md).
const (
	exitOK     = 0
	exitFailed = 1 // the work failed: a rule test, a sink
	exitUsage  = 2 // bad usage or bad input
)

const usage = `kestrel: real-time fraud and anomaly detection on complex event patterns

Usage:
  kestrel serve [--config kestrel.yaml] [--rules PATH ...]     run the service (HTTP API on 127.0.0.1:8080)
  kestrel replay --rules PATH --events [STREAM=]FILE [flags]   run rules over recorded events
  kestrel check PATH...                                        compile rule files, report every error
  kestrel test FILE...                                         run rule unit tests
  kestrel gen --seed N [--cards N] [--days N] [--fraud-rate R] [--out FILE]
                                                               write a synthetic, labelled dataset

Run 'kestrel COMMAND -h' for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// cli carries a command's standard streams.
type cli struct {
	stdout, stderr io.Writer
}

// usageError is bad usage: exit 2 with the message.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// failure is work that failed: exit 1.
type failure struct{ err error }

func (e *failure) Error() string { return e.err.Error() }

func run(args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "serve":
		err = c.serve(args[1:])
	case "replay":
		err = c.replay(args[1:])
	case "check":
		err = c.check(args[1:])
	case "test":
		err = c.test(args[1:])
	case "gen":
		err = c.gen(args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "kestrel: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
	return c.exit(err)
}

// exit prints err as cli.md says and returns the exit code.
func (c *cli) exit(err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var list patterns.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(c.stderr, e.Error())
		}
		return exitUsage
	}
	fmt.Fprintf(c.stderr, "kestrel: %v\n", err)
	var f *failure
	if errors.As(err, &f) {
		return exitFailed
	}
	return exitUsage
}

// flags returns a flag set for a command that reports to stderr.
func (c *cli) flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "Usage: kestrel %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; a flag error is a usage error (already printed by flag).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{msg: err.Error()}
	}
	return nil
}

// strings is a repeatable string flag.
type stringsFlag []string

func (s *stringsFlag) String() string     { return fmt.Sprint(*s) }
func (s *stringsFlag) Set(v string) error { *s = append(*s, v); return nil }

func (c *cli) printWarnings(rs *patterns.RuleSet) {
	for _, w := range rs.Warnings {
		fmt.Fprintln(c.stderr, w.Error())
	}
}
