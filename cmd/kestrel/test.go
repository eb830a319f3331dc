package main

import (
	"fmt"

	"github.com/kestrelcep/kestrel/replay"
)

// test runs rule unit test files; exit 1 when any test fails.
func (c *cli) test(args []string) error {
	fs := c.flags("test", "test FILE...")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return &usageError{msg: "test needs at least one test file"}
	}
	var all []replay.TestResult
	for _, path := range fs.Args() {
		results, err := replay.RunTestFile(path)
		if err != nil {
			return err
		}
		all = append(all, results...)
	}
	failed := replay.PrintResults(c.stdout, all)
	fmt.Fprintf(c.stdout, "%d passed, %d failed\n", len(all)-failed, failed)
	if failed > 0 {
		return &failure{err: fmt.Errorf("%d of %d rule tests failed", failed, len(all))}
	}
	return nil
}
