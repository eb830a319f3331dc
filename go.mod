module github.com/kestrelcep/kestrel

go 1.26

require (
	github.com/antlr4-go/antlr/v4 v4.13.1
	github.com/cockroachdb/datadriven v1.0.3
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/pmezard/go-difflib v1.0.0 // indirect
	golang.org/x/exp v0.0.0-20240506185415-9bf2ced13842 // indirect
)
