package main

import (
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kestrelcep/kestrel/synth"
)

const genSynopsis = `gen --seed N [--cards N] [--days N] [--fraud-rate R] [--out FILE]

Writes a synthetic, labelled dataset: card payments (stream txn), account
logins (stream login) and fraud reports that arrive days later (stream
chargeback), with fraud scenarios injected: card_testing, account_takeover,
velocity_burst, impossible_travel, compromised_terminal. Every event of a
fraud has is_fraud true and scenario naming it. The same flags give the same
bytes. See docs/gen.md.

With --out FILE (FILE.gz: gzip-compressed; a trailing .jsonl is the stem):
  FILE                        transactions
  STEM.logins.jsonl[.gz]      logins
  STEM.chargebacks.jsonl[.gz] chargebacks
  STEM.krl                    the stream declarations
Without --out (or with --out -), only the transactions, on stdout.`

func (c *cli) gen(args []string) error {
	fs := c.flags("gen", genSynopsis)
	seed := fs.Int64("seed", 0, "random seed (required): the same seed and flags give the same bytes")
	cards := fs.Int("cards", synth.DefaultCards, fmt.Sprintf("cards (one per customer), 1 to %d", synth.MaxCards))
	days := fs.Int("days", synth.DefaultDays, fmt.Sprintf("days of data from %s, 1 to %d", synth.Start.Format("2006-01-02"), synth.MaxDays))
	rate := fs.Float64("fraud-rate", synth.DefaultFraudRate, "incidents per card, 0 to 1: round(R×cards) incidents, shared in turn by the five scenarios")
	out := fs.String("out", "-", "transactions file; logins, chargebacks and the .krl go next to it; - for stdout (transactions only)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	seedSet := false
	fs.Visit(func(f *flag.Flag) { seedSet = seedSet || f.Name == "seed" })
	if !seedSet {
		fs.Usage()
		return &usageError{msg: "gen needs --seed N"}
	}
	cfg := synth.Config{Seed: *seed, Cards: *cards, Days: *days, FraudRate: *rate}
	if err := cfg.Validate(); err != nil {
		return &usageError{msg: "gen: " + err.Error()}
	}

	if *out == "-" || *out == "" {
		stats, err := synth.Generate(cfg, synth.Writers{Txn: c.stdout})
		if err != nil {
			return &failure{err: err}
		}
		c.genSummary(cfg, stats, nil)
		return nil
	}
	if strings.HasSuffix(*out, ".csv") || strings.HasSuffix(*out, ".csv.gz") {
		return &usageError{msg: "gen writes JSON lines; replay would read " + *out + " as CSV"}
	}
	files := genFiles(*out)
	outs := make([]*genOutput, len(files))
	for i, name := range files {
		o, err := createOutput(name)
		if err != nil {
			for _, o := range outs[:i] {
				o.abort()
			}
			return err // cannot create: bad usage (exit 2), as replay --out
		}
		outs[i] = o
	}
	stats, err := synth.Generate(cfg, synth.Writers{Txn: outs[0], Login: outs[1], Chargeback: outs[2]})
	if err == nil {
		_, err = io.WriteString(outs[3], synth.Streams)
	}
	for _, o := range outs {
		if cerr := o.close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return &failure{err: err}
	}
	c.genSummary(cfg, stats, files)
	return nil
}

// genFiles names the outputs for --out FILE: transactions, logins,
// chargebacks, stream declarations.
func genFiles(file string) []string {
	gz := strings.HasSuffix(file, ".gz")
	stem := strings.TrimSuffix(file, ".gz")
	for _, ext := range []string{".jsonl", ".json"} {
		if s, ok := strings.CutSuffix(stem, ext); ok && s != "" && !strings.HasSuffix(s, "/") {
			stem = s
			break
		}
	}
	z := ""
	if gz {
		z = ".gz"
	}
	return []string{file, stem + ".logins.jsonl" + z, stem + ".chargebacks.jsonl" + z, stem + ".krl"}
}

// genOutput is one output file, gzip-compressed when its name ends in .gz
// (with no name or time in the header, so the bytes depend on the data only).
type genOutput struct {
	f  *os.File
	zw *gzip.Writer
}

func createOutput(name string) (*genOutput, error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(name)
	if err != nil {
		return nil, err
	}
	o := &genOutput{f: f}
	if strings.HasSuffix(name, ".gz") {
		o.zw = gzip.NewWriter(f)
	}
	return o, nil
}

func (o *genOutput) Write(p []byte) (int, error) {
	if o.zw != nil {
		return o.zw.Write(p)
	}
	return o.f.Write(p)
}

func (o *genOutput) close() error {
	var err error
	if o.zw != nil {
		err = o.zw.Close()
	}
	return errors.Join(err, o.f.Close())
}

func (o *genOutput) abort() {
	o.f.Close()
	os.Remove(o.f.Name())
}

func (c *cli) genSummary(cfg synth.Config, s synth.Stats, files []string) {
	var inc []string
	for _, sc := range s.Scenarios {
		inc = append(inc, fmt.Sprintf("%s %d", sc.Name, sc.Incidents))
	}
	fmt.Fprintf(c.stderr, "kestrel: gen --seed %d --cards %d --days %d --fraud-rate %v: %d transactions (%d fraud), %d logins (%d fraud), %d chargebacks; incidents: %s\n",
		cfg.Seed, cfg.Cards, cfg.Days, cfg.FraudRate, s.Transactions, s.FraudTransactions, s.Logins, s.FraudLogins, s.Chargebacks, strings.Join(inc, ", "))
	if len(files) > 0 {
		fmt.Fprintf(c.stderr, "kestrel: wrote %s\n", strings.Join(files, ", "))
	}
}
