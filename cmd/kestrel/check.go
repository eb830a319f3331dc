package main

import (
	"fmt"

	"github.com/kestrelcep/kestrel/patterns"
)

// check compiles rule files and reports every error, FILE:LINE:COL: message.
func (c *cli) check(args []string) error {
	fs := c.flags("check", "check PATH...")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return &usageError{msg: "check needs at least one .krl file or directory"}
	}
	rs, err := patterns.Load(fs.Args(), patterns.Options{})
	if err != nil {
		return err
	}
	c.printWarnings(rs)
	fmt.Fprintf(c.stdout, "ok: %d streams, %d tables, %d features, %d rules\n",
		len(rs.Streams), len(rs.Tables), len(rs.Features), len(rs.Rules))
	return nil
}
