package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// env is a fixed environment for parse.
func env(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

var testEnv = map[string]string{
	"KESTREL_ADMIN_TOKEN": "admin-secret",
	"ADMIN_TOKEN":         "admin-secret",
	"REDIS_PASSWORD":      "hunter2",
	"EMPTY":               "",
}

// strip returns a copy of c without where its values came from, for
// comparing Configs.
func strip(c *Config) Config {
	s := *c
	s.file, s.lines = "", nil
	return s
}

// masked returns a copy of c with tokens and passwords as Print writes them.
func masked(c *Config) Config {
	s := strip(c)
	s.Tokens = append([]Token(nil), c.Tokens...)
	for i := range s.Tokens {
		if s.Tokens[i].Token != "" {
			s.Tokens[i].Token = Masked
		}
	}
	if s.Features.Redis.Password != "" {
		s.Features.Redis.Password = Masked
	}
	return s
}

func mustParse(t *testing.T, src string, vars map[string]string) *Config {
	t.Helper()
	c, err := parse("kestrel.yaml", []byte(src), env(vars))
	if err != nil {
		t.Fatalf("parse:\n%v\nsource:\n%s", err, src)
	}
	return c
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDefault(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatalf("Default does not validate: %v", err)
	}
	want := &Config{
		Listen:            "127.0.0.1:8080",
		Data:              "./data",
		Features:          Features{Store: "embedded", Redis: Redis{Prefix: "kestrel:"}},
		Kafka:             Kafka{Group: "kestrel", SessionTimeout: 10 * time.Second},
		Outputs:           map[string][]Sink{"alerts": {{File: &FileSink{Path: "./data/alerts.jsonl"}}}},
		Checkpoint:        Checkpoint{Interval: 10 * time.Second},
		IdleSourceTimeout: 30 * time.Second,
		Limits:            Limits{MaxBody: 10 << 20},
		Alerts:            AlertStore{Retention: 168 * time.Hour},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Default() = %+v, want %+v", c, want)
	}
	// Each call is a fresh value.
	Default().Outputs["alerts"][0].File.Path = "changed"
	if Default().Outputs["alerts"][0].File.Path != "./data/alerts.jsonl" {
		t.Error("Default shares its values between calls")
	}
	// An empty file, or one with only comments, is the default.
	for _, src := range []string{"", "# nothing\n", "---\n", "~\n"} {
		if got := strip(mustParse(t, src, nil)); !reflect.DeepEqual(got, strip(want)) {
			t.Errorf("parse(%q) = %+v, want the default", src, got)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		check func(t *testing.T, c *Config)
	}{{
		name: "spec example",
		src:  readFile(t, "spec.yaml"),
		check: func(t *testing.T, c *Config) {
			if got := c.Tokens; len(got) != 1 || got[0] != (Token{Token: "admin-secret", Role: "admin"}) {
				t.Errorf("tokens = %+v", got)
			}
			if k := c.Sources["txn"].Kafka; k == nil || k.Topic != "transactions" || k.Group != "kestrel" || k.Brokers[0] != "127.0.0.1:9092" {
				t.Errorf("sources.txn = %+v", c.Sources["txn"])
			}
			if f := c.Sources["login"].File; f == nil || f.Path != "./logins.jsonl" || !f.Follow {
				t.Errorf("sources.login = %+v", c.Sources["login"])
			}
			if a := c.Outputs["alerts"]; len(a) != 2 || a[0].Kafka.Topic != "alerts" || a[1].File.Path != "./data/alerts.jsonl" {
				t.Errorf("outputs.alerts = %+v", a)
			}
			// Defaults filled in: the webhook's timeout and queue, the redis
			// sink's addr from features.redis.
			if w := c.Outputs["shadow"][0].Webhook; w.Timeout != DefaultWebhookTimeout || w.Queue != DefaultWebhookQueue {
				t.Errorf("webhook = %+v", w)
			}
			if r := c.Outputs["windows"][0].Redis; r.Addr != "127.0.0.1:6379" || r.Stream != "kestrel:windows" {
				t.Errorf("redis sink = %+v", r)
			}
			if c.Checkpoint.Interval != 10*time.Second || c.IdleSourceTimeout != 30*time.Second {
				t.Errorf("durations = %v, %v", c.Checkpoint.Interval, c.IdleSourceTimeout)
			}
		},
	}, {
		name: "every kind",
		src:  readFile(t, "full.yaml"),
		check: func(t *testing.T, c *Config) {
			wantTokens := []Token{
				{Token: "admin-secret", Role: "admin", Name: "ops"},
				{Token: "ingest-dev-token", Role: "ingest"},
				{Token: "literal-$token-with-${braces}", Role: "analyst", Name: "fraud team"},
			}
			if !reflect.DeepEqual(c.Tokens, wantTokens) {
				t.Errorf("tokens = %+v", c.Tokens)
			}
			if c.Features.Redis != (Redis{Addr: "redis:6379", Prefix: "k:", Password: "hunter2", DB: 2}) {
				t.Errorf("features.redis = %+v", c.Features.Redis)
			}
			if k := c.Sources["txn"].Kafka; !reflect.DeepEqual(k, &KafkaSource{Brokers: []string{"kafka-0:9092", "kafka-1:9092"}, Topic: "transactions", Group: "kestrel-prod"}) {
				t.Errorf("sources.txn.kafka = %+v (kafka defaults not applied)", k)
			}
			if k := c.Sources["refunds"].Kafka; !reflect.DeepEqual(k, &KafkaSource{Brokers: []string{"other:9092"}, Topic: "refunds", Group: "pay"}) {
				t.Errorf("sources.refunds.kafka = %+v (merge key)", k)
			}
			if f := c.Sources["login"].File; *f != (FileSource{Path: "./logins.csv.gz", Follow: true, Format: "csv"}) {
				t.Errorf("sources.login.file = %+v", f)
			}
			if c.Sources["device"].HTTP == nil || c.Sources["odd stream"].HTTP == nil {
				t.Errorf("http sources = %+v, %+v", c.Sources["device"], c.Sources["odd stream"])
			}
			if a, ok := c.Outputs["alerts"]; !ok || len(a) != 0 {
				t.Errorf("outputs.alerts = %+v, %v; want present and empty", a, ok)
			}
			if w := c.Outputs["shadow"][0].Webhook; w.Timeout != 2500*time.Millisecond || w.Queue != 50 {
				t.Errorf("webhook = %+v", w)
			}
			if c.Outputs["shadow"][1].API == nil {
				t.Error("api sink missing")
			}
			if b := c.Outputs["timeouts"][0].Kafka.Brokers; len(b) != 2 {
				t.Errorf("alias brokers = %v", b)
			}
			if r := c.Tables["blocklist"].Redis; r.Addr != "other-redis:6379" || r.Hash != "blocklist" {
				t.Errorf("tables.blocklist = %+v", r)
			}
			if k := c.Tables["country_risk"].Kafka; k.Brokers[1] != "kafka-1:9092" {
				t.Errorf("tables.country_risk = %+v", k)
			}
			if c.IdleSourceTimeout != 0 || c.Limits.MaxBody != 512<<10 || c.Alerts.Retention != 30*24*time.Hour {
				t.Errorf("idle %v, max_body %v, retention %v", c.IdleSourceTimeout, c.Limits.MaxBody, c.Alerts.Retention)
			}
		},
	}, {
		name: "default alerts sink follows data",
		src:  "data: /var/lib/kestrel\n",
		check: func(t *testing.T, c *Config) {
			if p := c.Outputs["alerts"][0].File.Path; p != "/var/lib/kestrel/alerts.jsonl" {
				t.Errorf("alerts path = %q", p)
			}
		},
	}, {
		name: "outputs merge over the default",
		src:  "outputs:\n  deadletter: [{file: {path: ./dl.jsonl}}]\n",
		check: func(t *testing.T, c *Config) {
			if len(c.Outputs) != 2 || c.Outputs["alerts"][0].File.Path != "./data/alerts.jsonl" {
				t.Errorf("outputs = %+v", c.Outputs)
			}
		},
	}, {
		name: "null keeps the default",
		src:  "listen:\ncheckpoint:\n  interval: ~\nrules:\n",
		check: func(t *testing.T, c *Config) {
			if c.Listen != "127.0.0.1:8080" || c.Checkpoint.Interval != 10*time.Second || c.Rules != nil {
				t.Errorf("got %q %v %v", c.Listen, c.Checkpoint.Interval, c.Rules)
			}
		},
	}, {
		name: "a string for a list of one",
		src:  "rules: ./rules\nkafka: {brokers: k:9092}\n",
		check: func(t *testing.T, c *Config) {
			if !reflect.DeepEqual(c.Rules, []string{"./rules"}) || !reflect.DeepEqual(c.Kafka.Brokers, []string{"k:9092"}) {
				t.Errorf("rules %v, brokers %v", c.Rules, c.Kafka.Brokers)
			}
		},
	}, {
		name: "tokens allow any listen address",
		src:  "listen: 0.0.0.0:8080\ntokens: [{token: t, role: ingest}]\n",
		check: func(t *testing.T, c *Config) {
			if c.Listen != "0.0.0.0:8080" {
				t.Errorf("listen = %q", c.Listen)
			}
		},
	}, {
		name:  "loopback without tokens: localhost",
		src:   "listen: localhost:0\n",
		check: func(t *testing.T, c *Config) {},
	}, {
		name:  "loopback without tokens: ::1",
		src:   "listen: '[::1]:8080'\n",
		check: func(t *testing.T, c *Config) {},
	}, {
		name:  "loopback without tokens: 127.1.2.3",
		src:   "listen: 127.1.2.3:8080\n",
		check: func(t *testing.T, c *Config) {},
	}, {
		name: "env in every kind of value",
		src:  "features: {redis: {db: '${DB}'}}\nsources: {s: {file: {path: '${DIR}/x', follow: '${FOLLOW}'}}}\ncheckpoint: {interval: '${EVERY:-5s}'}\n",
		check: func(t *testing.T, c *Config) {
			if c.Features.Redis.DB != 3 || c.Sources["s"].File.Path != "/tmp/x" || !c.Sources["s"].File.Follow || c.Checkpoint.Interval != 5*time.Second {
				t.Errorf("got db %d, file %+v, interval %v", c.Features.Redis.DB, c.Sources["s"].File, c.Checkpoint.Interval)
			}
		},
	}, {
		name: "env is not expanded in comments or keys",
		src:  "# ${UNSET} in a comment\nlisten: 127.0.0.1:1 # ${UNSET}\n",
		check: func(t *testing.T, c *Config) {
			if c.Listen != "127.0.0.1:1" {
				t.Errorf("listen = %q", c.Listen)
			}
		},
	}, {
		name: "a printed token loads back",
		src:  "tokens: [{token: '***', role: admin}, {token: '***', role: ingest}]\n",
		check: func(t *testing.T, c *Config) {
			if len(c.Tokens) != 2 {
				t.Errorf("tokens = %+v", c.Tokens)
			}
		},
	}}
	vars := map[string]string{"DB": "3", "DIR": "/tmp", "FOLLOW": "true"}
	for k, v := range testEnv {
		vars[k] = v
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, mustParse(t, tt.src, vars))
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // every line of the error
	}{{
		name: "yaml syntax",
		src:  "listen: [\n",
		want: `kestrel.yaml:1: did not find expected node content`,
	}, {
		name: "tab indentation",
		src:  "features:\n\tstore: redis\n",
		want: `kestrel.yaml:2: found character that cannot start any token`,
	}, {
		name: "unknown keys, with suggestions",
		src:  "listn: 127.0.0.1:8080\noutputs:\n  alerts:\n    - kafka: {topik: alerts, brokers: [k:1]}\nsources: {txn: {http: {x: 1}}}\nzzz: 1\n",
		want: `kestrel.yaml:1: unknown key "listn" (did you mean "listen"?)
kestrel.yaml:4: outputs.alerts[0].kafka: unknown key "topik" (did you mean "topic"?)
kestrel.yaml:5: sources.txn.http: unknown key "x"; it takes no keys
kestrel.yaml:6: unknown key "zzz"; known keys: listen, data, rules, tokens, features, kafka, sources, outputs, tables, checkpoint, idle_source_timeout, limits, alerts`,
	}, {
		name: "duplicate key",
		src:  "data: a\ndata: b\n",
		want: `kestrel.yaml:2: key "data" appears twice (first on line 1)`,
	}, {
		name: "type errors",
		src: "rules: {a: b}\nfeatures: embedded\ntokens: [x]\nsources: {s: {file: {path: p, follow: maybe}}}\nfeatures2: 1\n" +
			"checkpoint: {interval: 10}\nidle_source_timeout: 1m1h\nlimits: {max_body: 10 MB}\nalerts: {retention: [1]}\n" +
			"outputs: {x: [{webhook: {url: 'http://h', queue: lots}}]}\n",
		want: `kestrel.yaml:1: rules: expected a list, found a mapping
kestrel.yaml:2: features: expected a mapping, found "embedded"
kestrel.yaml:3: tokens[0]: expected a mapping, found "x"
kestrel.yaml:4: sources.s.file.follow: expected true or false, found "maybe"
kestrel.yaml:5: unknown key "features2" (did you mean "features"?)
kestrel.yaml:6: checkpoint.interval: "10" is not a duration: write an integer and a unit (d, h, m, s, ms), as in 10s, 5m, 1h30m
kestrel.yaml:7: idle_source_timeout: duration 1m1h: units must go from the largest to the smallest, each at most once, as in 1h30m
kestrel.yaml:8: limits.max_body: "10 MB" is not a size: write an integer and an optional unit (B, KB, MB, GB, KiB, MiB, GiB), as in 10MiB
kestrel.yaml:9: alerts.retention: expected a duration such as 10s, found a list
kestrel.yaml:10: outputs.x[0].webhook.queue: expected an integer, found "lots"`,
	}, {
		name: "environment",
		src:  "tokens:\n  - token: ${NOPE}\n    role: admin\n  - token: ${EMPTY}\n    role: admin\n  - token: '${1X}'\n    role: admin\ndata: ${UNCLOSED\nlisten: ${A}:${B}\n",
		want: `kestrel.yaml:2: tokens[0].token: environment variable NOPE is not set
kestrel.yaml:4: tokens[1].token: empty (an environment variable set to nothing?)
kestrel.yaml:6: tokens[2].token: ${1X}: "1X" is not a variable name (letters, digits and _, not first a digit)
kestrel.yaml:8: data: "${UNCLOSED": ${ without a closing }; write $${ for a literal ${
kestrel.yaml:9: listen: environment variable A is not set
kestrel.yaml:9: listen: environment variable B is not set`,
	}, {
		name: "not loopback without tokens",
		src:  "listen: 0.0.0.0:8080\n",
		want: `kestrel.yaml:1: listen: 0.0.0.0:8080 is not a loopback address, and no tokens are configured: without tokens the API has no authentication, so it listens only on loopback (127.0.0.1, ::1, localhost); add tokens or listen on 127.0.0.1`,
	}, {
		name: "every interface without tokens",
		src:  "listen: :8080\n",
		want: `kestrel.yaml:1: listen: :8080 is not a loopback address, and no tokens are configured: without tokens the API has no authentication, so it listens only on loopback (127.0.0.1, ::1, localhost); add tokens or listen on 127.0.0.1`,
	}, {
		name: "bad listen",
		src:  "listen: localhost\ndata: ''\nrules: ['']\n",
		want: `kestrel.yaml:1: listen: "localhost" is not host:port, as in 127.0.0.1:8080
kestrel.yaml:2: data: empty; write the Badger directory, as in ./data
kestrel.yaml:3: rules[0]: an empty path`,
	}, {
		name: "bad port",
		src:  "listen: 127.0.0.1:http\n",
		want: `kestrel.yaml:1: listen: "127.0.0.1:http": the port must be a number from 0 to 65535`,
	}, {
		name: "tokens",
		src:  "tokens:\n  - {token: a, role: boss}\n  - {token: a, role: admin}\n  - {token: ' b', role: admin}\n  - {token: c}\n",
		want: `kestrel.yaml:2: tokens[0].role: "boss" is not a role; one of admin, deployer, analyst, ingest
kestrel.yaml:3: tokens[1].token: the same token as tokens[0]: each token has one role
kestrel.yaml:4: tokens[2].token: begins or ends with white space
kestrel.yaml:5: tokens[3].role: missing; one of admin, deployer, analyst, ingest`,
	}, {
		name: "feature store",
		src:  "features:\n  store: redis\n",
		want: `kestrel.yaml:2: features.redis.addr: missing; the redis store needs the server's host:port`,
	}, {
		name: "feature store kind and redis",
		src:  "features:\n  store: memcached\n  redis: {addr: nohost, db: -1}\n",
		want: `kestrel.yaml:2: features.store: "memcached" is not a store; embedded or redis
kestrel.yaml:3: features.redis.addr: "nohost" is not host:port
kestrel.yaml:3: features.redis.db: must not be negative`,
	}, {
		name: "sources",
		src: "kafka: {group: ''}\nsources:\n  a: {}\n  b: {kafka: {topic: t}, file: {path: p}}\n  c: {kafka: {}}\n  d: {file: {format: xml}}\n" +
			"  e:\n  f: {kafka: {brokers: [nohost], topic: t}}\n",
		want: `kestrel.yaml:3: sources.a: no source; write one of kafka, file, http
kestrel.yaml:4: sources.b: kafka and file are both set; a source is exactly one of kafka, file, http
kestrel.yaml:5: sources.c.kafka.brokers: missing, and kafka.brokers is empty
kestrel.yaml:5: sources.c.kafka.topic: missing
kestrel.yaml:5: sources.c.kafka.group: missing, and kafka.group is empty
kestrel.yaml:6: sources.d.file.path: missing
kestrel.yaml:6: sources.d.file.format: "xml" is not a format; jsonl or csv (or leave it out: from the file name)
kestrel.yaml:7: sources.e: no source; write one of kafka, file, http
kestrel.yaml:8: sources.f.kafka.brokers[0]: "nohost" is not host:port
kestrel.yaml:8: sources.f.kafka.group: missing, and kafka.group is empty`,
	}, {
		name: "sinks",
		src: "outputs:\n  alerts:\n    - {}\n    - {file: {path: ./a.jsonl}, api: {}, kafka: {topic: t}}\n    - file: {path: ./out/../a.jsonl}\n" +
			"  x:\n    - {file: {path: a.jsonl}}\n    - {kafka: {}}\n    - {webhook: {}}\n    - {webhook: {url: 'ftp://h/x', timeout: 0s}}\n    - {webhook: {url: '/relative'}}\n    - {redis: {}}\n",
		want: `kestrel.yaml:3: outputs.alerts[0]: no sink; write one of kafka, file, webhook, redis, api
kestrel.yaml:4: outputs.alerts[1]: kafka and file and api are all set; a sink is exactly one of kafka, file, webhook, redis, api
kestrel.yaml:7: outputs.x[0].file.path: a.jsonl is also written by outputs.alerts[2]; two sinks cannot share a file
kestrel.yaml:8: outputs.x[1].kafka.brokers: missing, and kafka.brokers is empty
kestrel.yaml:8: outputs.x[1].kafka.topic: missing
kestrel.yaml:9: outputs.x[2].webhook.url: missing
kestrel.yaml:10: outputs.x[3].webhook.url: "ftp://h/x" is not an http:// or https:// URL
kestrel.yaml:11: outputs.x[4].webhook.url: "/relative" is not an http:// or https:// URL
kestrel.yaml:12: outputs.x[5].redis.addr: missing, and features.redis.addr is empty
kestrel.yaml:12: outputs.x[5].redis.stream: missing`,
	}, {
		name: "tables",
		src:  "tables:\n  a: {}\n  b: {file: {}}\n  c: {redis: {}}\n  d: {kafka: {}}\n  e: {file: {path: p}, redis: {hash: h}}\n",
		want: `kestrel.yaml:2: tables.a: no table source; write one of file, redis, kafka
kestrel.yaml:3: tables.b.file.path: missing
kestrel.yaml:4: tables.c.redis.addr: missing, and features.redis.addr is empty
kestrel.yaml:4: tables.c.redis.hash: missing
kestrel.yaml:5: tables.d.kafka.brokers: missing, and kafka.brokers is empty
kestrel.yaml:5: tables.d.kafka.topic: missing
kestrel.yaml:6: tables.e: file and redis are both set; a table source is exactly one of file, redis, kafka`,
	}, {
		name: "durations and sizes out of range",
		src:  "checkpoint: {interval: 0s}\nlimits: {max_body: 0}\nalerts: {retention: 99999999999999999d}\n",
		want: `kestrel.yaml:1: checkpoint.interval: must be more than 0s, as in 10s
kestrel.yaml:2: limits.max_body: must be more than 0, as in 10MiB
kestrel.yaml:3: alerts.retention: duration 99999999999999999d is too long`,
	}, {
		name: "root not a mapping",
		src:  "- listen\n",
		want: `kestrel.yaml:1: expected a mapping, found a list`,
	}, {
		name: "two documents",
		src:  "data: a\n---\ndata: b\n",
		want: `kestrel.yaml:2: a second YAML document; the configuration is one document`,
	}, {
		name: "odd names in paths",
		src:  "sources:\n  \"my stream\": {file: {}}\n",
		want: `kestrel.yaml:2: sources["my stream"].file.path: missing`,
	}, {
		name: "a merge of a scalar",
		src:  "checkpoint: {<<: 1}\n",
		want: `kestrel.yaml:1: checkpoint: << merges a mapping or a list of them, not "1"`,
	}, {
		name: "a key that is not a name",
		src:  "? [a]\n: 1\n",
		want: `kestrel.yaml:1: expected a name as key, found a list`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parse("kestrel.yaml", []byte(tt.src), env(testEnv))
			if err == nil {
				t.Fatalf("no error; config %+v", c)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", got, tt.want)
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) != strings.Count(tt.want, "\n")+1 {
				t.Errorf("error is %T with %d entries", err, len(list))
			}
		})
	}
}

// TestValidateInCode checks a Config built in code: no file, no lines; and
// a kafka entry that leaves brokers to kafka.brokers before EnsureDefaults.
func TestValidateInCode(t *testing.T) {
	c := Default()
	c.Listen = "0.0.0.0:8080"
	c.Tokens = []Token{{Token: "t", Role: "ops"}}
	err := c.Validate()
	want := `tokens[0].role: "ops" is not a role; one of admin, deployer, analyst, ingest`
	if err == nil || err.Error() != want {
		t.Errorf("Validate() = %v, want %s", err, want)
	}

	c = Default()
	c.Kafka.Brokers = []string{"k:9092"}
	c.Sources = map[string]Source{"txn": {Kafka: &KafkaSource{Topic: "t"}}}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate() before EnsureDefaults = %v", err)
	}
	c.EnsureDefaults()
	if k := c.Sources["txn"].Kafka; k.Group != "kestrel" || k.Brokers[0] != "k:9092" {
		t.Errorf("after EnsureDefaults: %+v", k)
	}
}

func TestLoad(t *testing.T) {
	t.Setenv("KESTREL_ADMIN_TOKEN", "from-the-environment")
	c, err := Load("testdata/spec.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Tokens[0].Token != "from-the-environment" {
		t.Errorf("token = %q", c.Tokens[0].Token)
	}

	dir := t.TempDir()
	bad := filepath.Join(dir, "kestrel.yaml")
	if err := os.WriteFile(bad, []byte("listen: 127.0.0.1:8080\nlistn: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(bad)
	if want := bad + `:2: unknown key "listn" (did you mean "listen"?)`; err == nil || err.Error() != want {
		t.Errorf("Load(bad) = %v, want %s", err, want)
	}

	_, err = Load(filepath.Join(dir, "missing.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want a not-exist error", err)
	}
}

func TestExpand(t *testing.T) {
	lookup := env(map[string]string{"A": "1", "B": "two", "E": ""})
	tests := []struct {
		in, want, err string
	}{
		{in: "plain", want: "plain"},
		{in: "${A}", want: "1"},
		{in: "x${A}y${B}z", want: "x1ytwoz"},
		{in: "$A and $B stay", want: "$A and $B stay"},
		{in: "pa$$word", want: "pa$$word"},
		{in: "$${A}", want: "${A}"},
		{in: "$$${A}", want: "$${A}"},
		{in: "${E}", want: ""},
		{in: "${E:-d}", want: "d"},
		{in: "${U:-default value}", want: "default value"},
		{in: "${A:-d}", want: "1"},
		{in: "${U}", err: "environment variable U is not set"},
		{in: "${}", err: `${}: "" is not a variable name (letters, digits and _, not first a digit)`},
		{in: "${A", err: `"${A": ${ without a closing }; write $${ for a literal ${`},
	}
	for _, tt := range tests {
		got, errs := expand(tt.in, lookup)
		if tt.err != "" {
			if len(errs) != 1 || errs[0] != tt.err {
				t.Errorf("expand(%q) errors %q, want %q", tt.in, errs, tt.err)
			}
			continue
		}
		if len(errs) > 0 || got != tt.want {
			t.Errorf("expand(%q) = %q, %q; want %q", tt.in, got, errs, tt.want)
		}
	}
}

func TestDuration(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
	}{
		{"250ms", 250 * time.Millisecond}, {"10s", 10 * time.Second}, {"5m", 5 * time.Minute},
		{"2h", 2 * time.Hour}, {"7d", 7 * 24 * time.Hour}, {"1h30m", 90 * time.Minute},
		{"0s", 0}, {"1d2h3m4s5ms", 26*time.Hour + 3*time.Minute + 4*time.Second + 5*time.Millisecond},
	} {
		got, err := ParseDuration(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if back, _ := ParseDuration(FormatDuration(got)); back != got {
			t.Errorf("FormatDuration(%v) = %q does not read back", got, FormatDuration(got))
		}
	}
	for _, in := range []string{"", "10", "s", "1.5s", "-1s", "10 s", "1s1h", "1m1m", "1ms1s", "1w", "1ns", "10S"} {
		if d, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", in, d)
		}
	}
	for d, want := range map[time.Duration]string{0: "0s", time.Microsecond: "0s", 90 * time.Minute: "1h30m", 168 * time.Hour: "7d", 1500 * time.Millisecond: "1s500ms"} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestByteSize(t *testing.T) {
	for in, want := range map[string]ByteSize{"0": 0, "1024": 1024, "10MiB": 10 << 20, "512KiB": 512 << 10, "1GiB": 1 << 30, "1GB": 1e9, "5KB": 5000, "7B": 7} {
		got, err := ParseByteSize(in)
		if err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %v, %v; want %d", in, got, err, want)
		}
		if back, _ := ParseByteSize(got.String()); back != got {
			t.Errorf("%d prints as %q, which reads back as %d", got, got.String(), back)
		}
	}
	for _, in := range []string{"", "MiB", "10 MiB", "10mb", "-1", "1.5MiB", "99999999999GiB"} {
		if b, err := ParseByteSize(in); err == nil {
			t.Errorf("ParseByteSize(%q) = %v, want an error", in, b)
		}
	}
	for b, want := range map[ByteSize]string{10 << 20: "10MiB", 1000: "1KB", 1024: "1KiB", 1001: "1001B", 0: "0B"} {
		if got := b.String(); got != want {
			t.Errorf("ByteSize(%d).String() = %q, want %q", int64(b), got, want)
		}
	}
}

// TestLargeInputs checks that aliases cannot make a small file expensive,
// and that a file with a great many problems reports a bounded number.
func TestLargeInputs(t *testing.T) {
	var b strings.Builder
	b.WriteString("x0: &a0 [{file: {path: p}}, {file: {path: p}}, {file: {path: p}}, {file: {path: p}}]\n")
	for i := 1; i < 12; i++ {
		fmt.Fprintf(&b, "x%d: &a%d [*a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1)
	}
	b.WriteString("outputs: {a: *a11, b: *a11, c: *a11}\nrules: *a11\ntokens: *a11\n")
	start := time.Now()
	_, err := parse("bomb.yaml", []byte(b.String()), env(nil))
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("parse took %v", d)
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) > maxErrors+1 || len(list) < 10 {
		t.Fatalf("got %d errors: %v", len(list), err)
	}

	b.Reset()
	b.WriteString("outputs:\n  x:\n")
	for range 500 {
		b.WriteString("    - {file: {path: same.jsonl}}\n")
	}
	_, err = parse("many.yaml", []byte(b.String()), env(nil))
	if !errors.As(err, &list) || len(list) != maxErrors+1 || list[maxErrors].Msg != "and 449 more problems" {
		t.Fatalf("got %d errors, last %v", len(list), list[len(list)-1])
	}
}
