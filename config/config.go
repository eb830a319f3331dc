package config

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// Config is the configuration of `kestrel serve`: kestrel.yaml as cli.md
// describes it, plus the keys this package adds (see the package comment).
// The yaml tags are the file's keys; the decoder reads them itself, so only
// the types listed in decode.go may appear here.
type Config struct {
	Listen            string            `yaml:"listen"`
	Data              string            `yaml:"data"`
	Rules             []string          `yaml:"rules"`
	Tokens            []Token           `yaml:"tokens"`
	Features          Features          `yaml:"features"`
	Kafka             Kafka             `yaml:"kafka"`
	Sources           map[string]Source `yaml:"sources"`
	Outputs           map[string][]Sink `yaml:"outputs"`
	Tables            map[string]Table  `yaml:"tables"`
	Checkpoint        Checkpoint        `yaml:"checkpoint"`
	IdleSourceTimeout time.Duration     `yaml:"idle_source_timeout"`
	Limits            Limits            `yaml:"limits"`
	Alerts            AlertStore        `yaml:"alerts"`

	// Where each value came from, for validation messages: the file's name
	// and the line of each path that the file set. Empty for a Config built in
	// code.
	file  string
	lines map[string]int
}

// Token is an API bearer token and the role it grants (api.md, Auth).
type Token struct {
	Token string `yaml:"token"`
	Role  string `yaml:"role"` // admin | deployer | analyst | ingest
	Name  string `yaml:"name"` // optional: who holds it, for audit fields and logs
}

// API roles (api.md, Auth).
const (
	RoleAdmin    = "admin"
	RoleDeployer = "deployer"
	RoleAnalyst  = "analyst"
	RoleIngest   = "ingest"
)

// Features is the online feature store.
type Features struct {
	Store string `yaml:"store"` // StoreEmbedded | StoreRedis
	Redis Redis  `yaml:"redis"`
}

// Online feature stores.
const (
	StoreEmbedded = "embedded"
	StoreRedis    = "redis"
)

// Redis is the one Redis server: the feature store's, and the default of the
// redis sinks and tables that name no addr.
type Redis struct {
	Addr     string `yaml:"addr"`
	Prefix   string `yaml:"prefix"`
	Password string `yaml:"password"`
	DB       int    `yaml:"db"`
}

// Kafka holds defaults for every kafka entry that leaves them out.
type Kafka struct {
	Brokers        []string      `yaml:"brokers"`
	Group          string        `yaml:"group"`
	SessionTimeout time.Duration `yaml:"session_timeout"` // consumer group session; default 10s
}

// Source binds a stream to where its events come from: exactly one of the
// three is set. A stream with no Source takes HTTP ingest.
type Source struct {
	Kafka *KafkaSource `yaml:"kafka"`
	File  *FileSource  `yaml:"file"`
	HTTP  *HTTPSource  `yaml:"http"`
}

// KafkaSource reads a topic through a consumer group.
type KafkaSource struct {
	Brokers []string `yaml:"brokers"`
	Topic   string   `yaml:"topic"`
	Group   string   `yaml:"group"`
}

// FileSource reads a JSONL or CSV file, optionally gzip-compressed (.gz).
type FileSource struct {
	Path   string `yaml:"path"`
	Follow bool   `yaml:"follow"` // keep reading as the file grows
	Format string `yaml:"format"` // "" (from the name, as replay does) | jsonl | csv
}

// File formats of a FileSource.
const (
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
)

// HTTPSource is HTTP ingest (POST /v1/streams/{name}/events). It has no
// settings; it exists so that a file can say so explicitly.
type HTTPSource struct{}

// Sink is one destination of an output: exactly one of its fields is set.
type Sink struct {
	Kafka   *KafkaSink   `yaml:"kafka"`
	File    *FileSink    `yaml:"file"`
	Webhook *WebhookSink `yaml:"webhook"`
	Redis   *RedisSink   `yaml:"redis"`
	API     *APISink     `yaml:"api"`
}

// KafkaSink writes records to a topic, keyed by partition key.
type KafkaSink struct {
	Brokers []string `yaml:"brokers"`
	Topic   string   `yaml:"topic"`
}

// FileSink appends JSONL records to a file.
type FileSink struct {
	Path string `yaml:"path"`
}

// WebhookSink POSTs each record as JSON.
type WebhookSink struct {
	URL     string        `yaml:"url"`
	Timeout time.Duration `yaml:"timeout"` // per request; default DefaultWebhookTimeout
	Queue   int           `yaml:"queue"`   // records held while the hook is down; default DefaultWebhookQueue
}

// Webhook defaults, filled in by Load.
const (
	DefaultWebhookTimeout = 10 * time.Second
	DefaultWebhookQueue   = 10000
)

// RedisSink XADDs records to a Redis stream.
type RedisSink struct {
	Addr   string `yaml:"addr"` // default features.redis.addr
	Stream string `yaml:"stream"`
}

// APISink is the API alert store (GET /v1/alerts). The alerts output always
// goes there; this sends another output there too.
type APISink struct{}

// Table binds a lookup table to its source: exactly one of the three is set.
type Table struct {
	File  *FileTable  `yaml:"file"`
	Redis *RedisTable `yaml:"redis"`
	Kafka *KafkaTable `yaml:"kafka"`
}

// FileTable loads a table from a CSV or JSONL file.
type FileTable struct {
	Path string `yaml:"path"`
}

// RedisTable reads a table's rows from a Redis hash.
type RedisTable struct {
	Addr string `yaml:"addr"` // default features.redis.addr
	Hash string `yaml:"hash"`
}

// KafkaTable reads a table from a (compacted) topic, the last record of a key
// winning.
type KafkaTable struct {
	Brokers []string `yaml:"brokers"` // default kafka.brokers
	Topic   string   `yaml:"topic"`
}

// Checkpoint sets how often state is checkpointed.
type Checkpoint struct {
	Interval time.Duration `yaml:"interval"`
}

// Limits bound what a client may send.
type Limits struct {
	MaxBody ByteSize `yaml:"max_body"` // largest HTTP request body; larger gets 413
}

// AlertStore configures the API's alert store.
type AlertStore struct {
	Retention time.Duration `yaml:"retention"` // 0: keep alerts forever
}

// Default returns the embedded default configuration of cli.md: the API on
// 127.0.0.1:8080 without tokens, Badger in ./data, the embedded feature
// store, alerts to the API store and ./data/alerts.jsonl.
func Default() *Config {
	return &Config{
		Listen: "127.0.0.1:8080",
		Data:   "./data",
		Features: Features{
			Store: StoreEmbedded,
			Redis: Redis{Prefix: "kestrel:"},
		},
		Kafka: Kafka{Group: "kestrel", SessionTimeout: 10 * time.Second},
		Outputs: map[string][]Sink{
			"alerts": {{File: &FileSink{Path: "./data/alerts.jsonl"}}},
		},
		Checkpoint:        Checkpoint{Interval: 10 * time.Second},
		IdleSourceTimeout: 30 * time.Second,
		Limits:            Limits{MaxBody: 10 * MiB},
		Alerts:            AlertStore{Retention: 7 * 24 * time.Hour},
	}
}

// Load reads the configuration file at path over [Default], expands ${VAR}
// from the environment, fills in the defaults of its entries and validates
// the result. The error, if any, is an [ErrorList] with every problem found.
func Load(path string) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, src)
}

// Parse is [Load] of src, named name in messages.
func Parse(name string, src []byte) (*Config, error) {
	return parse(name, src, os.LookupEnv)
}

func parse(name string, src []byte, lookup func(string) (string, bool)) (*Config, error) {
	c := Default()
	c.file = name
	c.lines = map[string]int{}
	d := &decoder{file: name, lookup: lookup, lines: c.lines}
	d.document(src, c)
	if _, set := c.lines["outputs.alerts"]; !set {
		// The default alerts sink lives in the data directory.
		c.Outputs["alerts"] = []Sink{{File: &FileSink{Path: dataFile(c.Data, "alerts.jsonl")}}}
	}
	c.EnsureDefaults()
	errs := d.errs
	if err := c.Validate(); err != nil {
		// Every problem at once, but one problem once: a value that could not
		// be read is not also reported as missing or wrong.
		for _, e := range err.(ErrorList) {
			if !within(e.Path, d.errs) {
				errs = append(errs, e)
			}
		}
	}
	if len(errs) > 0 {
		errs.sort()
		if len(errs) > maxErrors+1 {
			errs = append(errs[:maxErrors], &Error{File: name, Msg: fmt.Sprintf("and %d more problems", len(errs)-maxErrors)})
		}
		return nil, errs
	}
	return c, nil
}

// within says whether path is at or under the path of one of errs.
func within(path string, errs ErrorList) bool {
	for _, e := range errs {
		p := e.Path
		if p != "" && strings.HasPrefix(path, p) && (len(path) == len(p) || path[len(p)] == '.' || path[len(p)] == '[') {
			return true
		}
	}
	return false
}

// dataFile is name inside the directory dir, keeping dir as written ("./data"
// stays "./data/...").
func dataFile(dir, name string) string {
	if dir == "" || strings.HasSuffix(dir, "/") {
		return dir + name
	}
	return dir + "/" + name
}

// EnsureDefaults fills in what entries leave out: kafka brokers and groups
// from c.Kafka, redis addresses from c.Features.Redis, webhook timeouts and
// queues. Load calls it; a Config built in code may.
func (c *Config) EnsureDefaults() {
	brokers := func(b *[]string) {
		if len(*b) == 0 && len(c.Kafka.Brokers) > 0 {
			*b = append([]string(nil), c.Kafka.Brokers...)
		}
	}
	addr := func(a *string) {
		if *a == "" {
			*a = c.Features.Redis.Addr
		}
	}
	for _, s := range c.Sources {
		if k := s.Kafka; k != nil {
			brokers(&k.Brokers)
			if k.Group == "" {
				k.Group = c.Kafka.Group
			}
		}
	}
	for _, sinks := range c.Outputs {
		for _, s := range sinks {
			if s.Kafka != nil {
				brokers(&s.Kafka.Brokers)
			}
			if s.Redis != nil {
				addr(&s.Redis.Addr)
			}
			if w := s.Webhook; w != nil {
				if w.Timeout == 0 {
					w.Timeout = DefaultWebhookTimeout
				}
				if w.Queue == 0 {
					w.Queue = DefaultWebhookQueue
				}
			}
		}
	}
	for _, t := range c.Tables {
		if t.Kafka != nil {
			brokers(&t.Kafka.Brokers)
		}
		if t.Redis != nil {
			addr(&t.Redis.Addr)
		}
	}
}

// line is the line where the file set path, 0 if it did not.
func (c *Config) line(path string) int { return c.lines[path] }

// errorf makes an Error at path.
func (c *Config) errorf(path, format string, args ...any) *Error {
	return &Error{File: c.file, Line: c.line(path), Path: path, Msg: fmt.Sprintf(format, args...)}
}
