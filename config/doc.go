// Package config is the configuration of `kestrel serve`: the kestrel.yaml
// file of ../shared/spec/cli.md ("Configuration"), read over an embedded
// default, with ${VAR} expansion, every problem reported at once with its
// line, and a commented printout for `kestrel serve --print-config`.
//
// The main entry points are [Load] (a file), [Parse] (bytes), [Default],
// [Config.Validate] and [Config.Print]. Errors are an [ErrorList] of
// [*Error], each printed as FILE:LINE: PATH: message, one per line.
//
// Decisions where cli.md is silent (each is also said in the comment that
// --print-config writes next to its key):
//
//   - Merging: the file is read over [Default]. A key that is absent, or whose
//     value is null (`key:` with nothing after it), keeps the default; a key
//     that is present replaces it. Lists are replaced, never appended to;
//     maps (sources, outputs, tables) gain or replace entries, so outputs.alerts
//     keeps its default JSONL sink unless the file names outputs.alerts (write
//     `alerts: []` for the API store only). The one exception to "null keeps the
//     default" is a kind selector: `http:` or `api:` with no value selects that
//     kind.
//   - The default alerts sink follows data: with `data: /var/lib/kestrel` and no
//     outputs.alerts, alerts go to /var/lib/kestrel/alerts.jsonl.
//   - ${VAR} is expanded in the values of the parsed YAML (every scalar, never a
//     key and never a comment), so a value cannot change the file's structure
//     and a variable named in a comment is not needed. Only the braced form is
//     expanded; a lone $ is literal (tokens and passwords may contain one);
//     $${ writes a literal ${. ${VAR:-word} gives word when VAR is unset or
//     empty. An unset variable without a default is an error that names it.
//   - Relative paths (data, rules, file sinks) are relative to the working
//     directory, as the flags and the embedded default are, not to the file.
//   - Durations are KRL durations (language.md): an integer and a unit,
//     concatenated, units d h m s ms from largest to smallest: 250ms, 10s, 1h30m,
//     7d. A bare number is an error, not seconds.
//   - Sizes (limits.max_body) are an integer with an optional unit: B, KB, MB,
//     GB (powers of 1000) or KiB, MiB, GiB (powers of 1024): 10MiB.
//   - A kafka entry without brokers takes kafka.brokers; a Kafka source without
//     a group takes kafka.group (default "kestrel"); a redis sink or table
//     without addr takes features.redis.addr (and its password and db). Load
//     fills these in, so the printed configuration shows where each goes.
//   - Additional keys a service needs: kafka {brokers, group} (the defaults
//     above), limits {max_body} (HTTP request bodies; 413 above it),
//     alerts {retention} (how long the API alert store keeps alerts; 0 keeps
//     them forever), webhook sinks' timeout and queue, and an `api: {}` sink
//     (the API alert store, for outputs other than alerts, which always go
//     there).
//   - Validation does not touch the file system or the network: a rules path
//     that does not exist is found by serve when it starts.
package config
