//go:build tools

package kestrel

import (
	_ "github.com/antlr4-go/antlr/v4"
	_ "github.com/cockroachdb/datadriven"
	_ "gopkg.in/yaml.v3"
)
