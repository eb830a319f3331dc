package config

import (
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// docs is the comment that Print writes on each key, by generic path: a
// map's entries are *, a list's items [].
var docs = map[string]string{
	"listen":                      "HTTP API address, host:port; without tokens only a loopback address",
	"data":                        "Badger directory: rules and their versions, checkpoints, online features, alerts",
	"rules":                       ".krl files or directories, deployed at start",
	"tokens":                      "API bearer tokens (masked here); none: no auth, loopback only",
	"tokens[].token":              "the bearer token; ${VAR} takes it from the environment",
	"tokens[].role":               "admin | deployer | analyst | ingest",
	"tokens[].name":               "who holds it, for audit fields and logs (optional)",
	"features":                    "the online feature store",
	"features.store":              "embedded (Badger, in data) | redis",
	"features.redis":              "Redis: the feature store when store is redis, and redis sinks' and tables' default",
	"features.redis.addr":         "host:port",
	"features.redis.prefix":       "prefix of every key Kestrel writes",
	"features.redis.password":     "AUTH password (masked here); empty: none",
	"features.redis.db":           "database number",
	"kafka":                       "defaults of kafka entries that leave them out",
	"kafka.brokers":               "bootstrap brokers, host:port",
	"kafka.group":                 "consumer group of Kafka sources: shared by the instances of one deployment, never by two deployments",
	"kafka.session_timeout":       "a member silent this long is dead and its partitions move (the broker's minimum is 6s)",
	"sources":                     "per stream, where its events come from; a stream with no entry takes HTTP ingest",
	"sources.*":                   "a stream: exactly one of kafka, file, http",
	"sources.*.kafka":             "a topic, read through a consumer group; offsets committed with checkpoints",
	"sources.*.kafka.brokers":     "bootstrap brokers, host:port",
	"sources.*.kafka.topic":       "the topic",
	"sources.*.kafka.group":       "the consumer group",
	"sources.*.file":              "a JSONL or CSV file, gzip-compressed if named .gz",
	"sources.*.file.path":         "the file",
	"sources.*.file.follow":       "keep reading as the file grows",
	"sources.*.file.format":       "jsonl | csv; empty: from the name (.csv or .csv.gz: CSV, else JSONL)",
	"sources.*.http":              "HTTP ingest: POST /v1/streams/{name}/events",
	"outputs":                     "per output (alerts, shadow, timeouts, late, deadletter, windows, each `to NAME`), its sinks; alerts also always go to the API store",
	"outputs.*":                   "an output's sinks, each exactly one of kafka, file, webhook, redis, api",
	"outputs.*[].kafka":           "a Kafka topic, message key = partition key; at-least-once, the record id makes duplicates droppable",
	"outputs.*[].kafka.brokers":   "bootstrap brokers, host:port",
	"outputs.*[].kafka.topic":     "the topic",
	"outputs.*[].file":            "a JSONL file, exactly-once: truncated to its checkpointed length on recovery",
	"outputs.*[].file.path":       "the file",
	"outputs.*[].webhook":         "POST each record as JSON, retried with backoff",
	"outputs.*[].webhook.url":     "http:// or https:// URL",
	"outputs.*[].webhook.timeout": "per request",
	"outputs.*[].webhook.queue":   "records held for retry while the hook fails",
	"outputs.*[].redis":           "XADD to a Redis stream",
	"outputs.*[].redis.addr":      "host:port; password and db are features.redis's",
	"outputs.*[].redis.stream":    "the stream's key",
	"outputs.*[].api":             "the API alert store (GET /v1/alerts)",
	"tables":                      "per table, where its rows come from",
	"tables.*":                    "a table: exactly one of file, redis, kafka",
	"tables.*.file":               "a CSV or JSONL file",
	"tables.*.file.path":          "the file",
	"tables.*.redis":              "a Redis hash",
	"tables.*.redis.addr":         "host:port; password and db are features.redis's",
	"tables.*.redis.hash":         "the hash's key",
	"tables.*.kafka":              "a compacted topic; the latest record of a key wins",
	"tables.*.kafka.brokers":      "bootstrap brokers, host:port",
	"tables.*.kafka.topic":        "the topic",
	"checkpoint":                  "checkpoints of state, source positions and watermarks",
	"checkpoint.interval":         "time between checkpoints",
	"idle_source_timeout":         "a partition with no events for this long no longer holds the watermark back; 0: never",
	"limits":                      "bounds on what clients send",
	"limits.max_body":             "largest HTTP request body, larger gets 413 (B, KB, MB, GB, KiB, MiB, GiB)",
	"alerts":                      "the API alert store",
	"alerts.retention":            "how long alerts are kept; 0: forever",
}

// secrets are the generic paths whose values Print masks.
var secrets = map[string]bool{
	"tokens[].token":          true,
	"features.redis.password": true,
}

// Masked is what Print writes in place of a token or a password.
const Masked = "***"

const printHeader = `The effective configuration of kestrel serve (kestrel serve --print-config).
Tokens and passwords are masked as "***". Durations as in KRL: 250ms, 10s, 5m, 1h30m, 7d.`

// Print writes the configuration as YAML, with a comment on every key.
// Tokens and passwords are written as [Masked]; apart from them, the text
// loads back to an equal Config.
func (c *Config) Print(w io.Writer) error {
	root := printNode(reflect.ValueOf(c).Elem(), "")
	root.HeadComment = printHeader
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return err
	}
	return enc.Close()
}

func scalar(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

// commented is a key and its value, the key's comment at the end of its
// line: on the key when the value is a block, else on the value (yaml.v3
// drops a key's comment before a flow value such as [] or {}).
func commented(key, comment string, val *yaml.Node) []*yaml.Node {
	k := scalar("!!str", key)
	if key == "<<" {
		k.Style = yaml.DoubleQuotedStyle // plain, it would be a merge key
	}
	if val.Kind == yaml.ScalarNode || val.Style == yaml.FlowStyle {
		val.LineComment = comment
	} else {
		k.LineComment = comment
	}
	return []*yaml.Node{k, val}
}

// printNode is the YAML of v, at the generic path gp.
func printNode(v reflect.Value, gp string) *yaml.Node {
	switch v.Type() {
	case durationType:
		return scalar("!!str", FormatDuration(time.Duration(v.Int())))
	case byteSizeType:
		return scalar("!!str", v.Interface().(ByteSize).String())
	}
	switch v.Kind() {
	case reflect.Pointer:
		return printNode(v.Elem(), gp)
	case reflect.Struct:
		m := &yaml.Node{Kind: yaml.MappingNode}
		t := v.Type()
		for i := range t.NumField() {
			tag := t.Field(i).Tag.Get("yaml")
			f := v.Field(i)
			if tag == "" || (f.Kind() == reflect.Pointer && f.IsNil()) {
				continue
			}
			p := tag
			if gp != "" {
				p = gp + "." + tag
			}
			m.Content = append(m.Content, commented(tag, docs[p], printNode(f, p))...)
		}
		if len(m.Content) == 0 {
			m.Style = yaml.FlowStyle
		}
		return m
	case reflect.Map:
		m := &yaml.Node{Kind: yaml.MappingNode}
		keys := v.MapKeys()
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = k.String()
		}
		slices.Sort(names)
		for _, name := range names {
			val := printNode(v.MapIndex(reflect.ValueOf(name)), gp+".*")
			m.Content = append(m.Content, commented(name, docs[gp+".*"], val)...)
		}
		if len(m.Content) == 0 {
			m.Style = yaml.FlowStyle
		}
		return m
	case reflect.Slice:
		s := &yaml.Node{Kind: yaml.SequenceNode}
		for i := range v.Len() {
			s.Content = append(s.Content, printNode(v.Index(i), gp+"[]"))
		}
		if len(s.Content) == 0 {
			s.Style = yaml.FlowStyle
		}
		return s
	case reflect.String:
		s := v.String()
		if secrets[gp] && s != "" {
			s = Masked
		}
		return scalar("!!str", strings.ReplaceAll(s, "${", "$${"))
	case reflect.Bool:
		return scalar("!!bool", strconv.FormatBool(v.Bool()))
	case reflect.Int:
		return scalar("!!int", strconv.FormatInt(v.Int(), 10))
	}
	panic("config: cannot print " + v.Type().String())
}
