// Package api is Kestrel's HTTP API (spec/api.md) on chi: event ingest,
// health, readiness and metrics, and, as they land, definitions, features,
// alerts and replays. Every error has the spec's shape
// {"error": {"code", "message", "details"}}; bodies are bounded; every request
// is logged with its request id.
package api
