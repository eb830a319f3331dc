package config

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Validate reports every problem of c at once, as an [ErrorList], each with
// the line the file set it on when c came from [Load]. It checks what can be
// checked without the file system or the network. serve calls it again
// after its flags (--listen, --data, --rules) change a loaded Config.
func (c *Config) Validate() error {
	v := &validator{c: c, files: map[string]string{}}
	v.listen()
	if c.Data == "" {
		v.add("data", "empty; write the Badger directory, as in ./data")
	}
	for i, r := range c.Rules {
		if r == "" {
			v.add(fmt.Sprintf("rules[%d]", i), "an empty path")
		}
	}
	v.tokens()
	v.features()
	for i, b := range c.Kafka.Brokers {
		v.broker(fmt.Sprintf("kafka.brokers[%d]", i), b)
	}
	for _, name := range sorted(c.Sources) {
		v.source(join("sources", name), c.Sources[name])
	}
	for _, name := range sorted(c.Outputs) {
		for i, s := range c.Outputs[name] {
			v.sink(fmt.Sprintf("%s[%d]", join("outputs", name), i), s)
		}
	}
	for _, name := range sorted(c.Tables) {
		v.table(join("tables", name), c.Tables[name])
	}
	if c.Checkpoint.Interval <= 0 {
		v.add("checkpoint.interval", "must be more than 0s, as in 10s")
	}
	if c.IdleSourceTimeout < 0 {
		v.add("idle_source_timeout", "must not be negative (0: a partition never counts as idle)")
	}
	if c.Limits.MaxBody <= 0 {
		v.add("limits.max_body", "must be more than 0, as in 10MiB")
	}
	if c.Alerts.Retention < 0 {
		v.add("alerts.retention", "must not be negative (0: keep alerts forever)")
	}
	if len(v.errs) == 0 {
		return nil
	}
	v.errs.sort()
	return v.errs
}

type validator struct {
	c     *Config
	errs  ErrorList
	files map[string]string // cleaned path of a file sink → the sink's path in the config
}

// add reports a problem at path, on the line of path or, when the file did
// not set path itself (a missing key), of the nearest key above it.
func (v *validator) add(path, format string, args ...any) {
	e := v.c.errorf(path, format, args...)
	for p := path; e.Line == 0 && p != ""; {
		p = p[:max(strings.LastIndexAny(p, ".["), 0)]
		e.Line = v.c.line(p)
	}
	v.errs = append(v.errs, e)
}

func sorted[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func (v *validator) listen() {
	l := v.c.Listen
	if l == "" {
		v.add("listen", "empty; write host:port, as in 127.0.0.1:8080")
		return
	}
	host, port, err := net.SplitHostPort(l)
	if err != nil {
		v.add("listen", "%q is not host:port, as in 127.0.0.1:8080", l)
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		v.add("listen", "%q: the port must be a number from 0 to 65535", l)
		return
	}
	if len(v.c.Tokens) == 0 && !isLoopback(host) {
		v.add("listen", "%s is not a loopback address, and no tokens are configured: "+
			"without tokens the API has no authentication, so it listens only on loopback "+
			"(127.0.0.1, ::1, localhost); add tokens or listen on 127.0.0.1", l)
	}
}

// isLoopback says whether host names only the local machine. A host name
// other than localhost counts as not: it is not resolved here.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	host, _, _ = strings.Cut(host, "%") // fe80::1%lo0
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (v *validator) tokens() {
	first := map[string]int{}
	for i, t := range v.c.Tokens {
		p := fmt.Sprintf("tokens[%d]", i)
		switch {
		case t.Token == "":
			v.add(p+".token", "empty (an environment variable set to nothing?)")
		case strings.TrimSpace(t.Token) != t.Token:
			v.add(p+".token", "begins or ends with white space")
		case t.Token == Masked:
			// As Print writes every token: a printed configuration loads back.
		default:
			if j, dup := first[t.Token]; dup {
				v.add(p+".token", "the same token as tokens[%d]: each token has one role", j)
			} else {
				first[t.Token] = i
			}
		}
		switch t.Role {
		case RoleAdmin, RoleDeployer, RoleAnalyst, RoleIngest:
		case "":
			v.add(p+".role", "missing; one of admin, deployer, analyst, ingest")
		default:
			v.add(p+".role", "%q is not a role; one of admin, deployer, analyst, ingest", t.Role)
		}
	}
}

func (v *validator) features() {
	f := v.c.Features
	switch f.Store {
	case StoreEmbedded:
	case StoreRedis:
		if f.Redis.Addr == "" {
			v.add("features.redis.addr", "missing; the redis store needs the server's host:port")
			if e := v.errs[len(v.errs)-1]; v.c.line("features.redis") == 0 {
				e.Line = v.c.line("features.store")
			}
		}
	default:
		v.add("features.store", "%q is not a store; embedded or redis", f.Store)
	}
	if f.Redis.Addr != "" {
		v.hostPort("features.redis.addr", f.Redis.Addr)
	}
	if f.Redis.DB < 0 {
		v.add("features.redis.db", "must not be negative")
	}
}

func (v *validator) hostPort(path, s string) {
	if _, port, err := net.SplitHostPort(s); err != nil || port == "" {
		v.add(path, "%q is not host:port", s)
	}
}

func (v *validator) broker(path, b string) {
	v.hostPort(path, b)
}

// brokers checks the brokers of a kafka entry, which EnsureDefaults fills
// from kafka.brokers.
func (v *validator) brokers(path string, bs []string) {
	if len(bs) == 0 && len(v.c.Kafka.Brokers) == 0 {
		v.add(path+".brokers", "missing, and kafka.brokers is empty")
	}
	for i, b := range bs {
		v.broker(fmt.Sprintf("%s.brokers[%d]", path, i), b)
	}
}

func (v *validator) redisAddr(path, addr string) {
	switch {
	case addr != "":
		v.hostPort(path+".addr", addr)
	case v.c.Features.Redis.Addr == "":
		v.add(path+".addr", "missing, and features.redis.addr is empty")
	}
}

func (v *validator) required(path, value string) {
	if value == "" {
		v.add(path, "missing")
	}
}

// kinds checks that exactly one of the kinds of an entry is set.
func (v *validator) kinds(path, what string, names []string, set []bool) bool {
	var on []string
	for i, s := range set {
		if s {
			on = append(on, names[i])
		}
	}
	switch len(on) {
	case 1:
		return true
	case 0:
		v.add(path, "no %s; write one of %s", what, strings.Join(names, ", "))
	default:
		all := "all"
		if len(on) == 2 {
			all = "both"
		}
		v.add(path, "%s are %s set; a %s is exactly one of %s", strings.Join(on, " and "), all, what, strings.Join(names, ", "))
	}
	return false
}

func (v *validator) source(path string, s Source) {
	if !v.kinds(path, "source", []string{"kafka", "file", "http"}, []bool{s.Kafka != nil, s.File != nil, s.HTTP != nil}) {
		return
	}
	switch {
	case s.Kafka != nil:
		p := path + ".kafka"
		v.brokers(p, s.Kafka.Brokers)
		v.required(p+".topic", s.Kafka.Topic)
		if s.Kafka.Group == "" && v.c.Kafka.Group == "" {
			v.add(p+".group", "missing, and kafka.group is empty")
		}
	case s.File != nil:
		p := path + ".file"
		v.required(p+".path", s.File.Path)
		switch s.File.Format {
		case "", FormatJSONL, FormatCSV:
		default:
			v.add(p+".format", "%q is not a format; jsonl or csv (or leave it out: from the file name)", s.File.Format)
		}
	}
}

func (v *validator) sink(path string, s Sink) {
	if !v.kinds(path, "sink", []string{"kafka", "file", "webhook", "redis", "api"},
		[]bool{s.Kafka != nil, s.File != nil, s.Webhook != nil, s.Redis != nil, s.API != nil}) {
		return
	}
	switch {
	case s.Kafka != nil:
		p := path + ".kafka"
		v.brokers(p, s.Kafka.Brokers)
		v.required(p+".topic", s.Kafka.Topic)
	case s.File != nil:
		p := path + ".file.path"
		if s.File.Path == "" {
			v.add(p, "missing")
			return
		}
		clean := filepath.Clean(s.File.Path)
		if other, dup := v.files[clean]; dup {
			v.add(p, "%s is also written by %s; two sinks cannot share a file", s.File.Path, other)
		} else {
			v.files[clean] = path
		}
	case s.Webhook != nil:
		p := path + ".webhook"
		if u, err := url.Parse(s.Webhook.URL); s.Webhook.URL == "" {
			v.add(p+".url", "missing")
		} else if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.add(p+".url", "%q is not an http:// or https:// URL", s.Webhook.URL)
		}
		if s.Webhook.Timeout < 0 {
			v.add(p+".timeout", "must not be negative")
		}
		if s.Webhook.Queue < 0 {
			v.add(p+".queue", "must not be negative")
		}
	case s.Redis != nil:
		p := path + ".redis"
		v.redisAddr(p, s.Redis.Addr)
		v.required(p+".stream", s.Redis.Stream)
	}
}

func (v *validator) table(path string, t Table) {
	if !v.kinds(path, "table source", []string{"file", "redis", "kafka"}, []bool{t.File != nil, t.Redis != nil, t.Kafka != nil}) {
		return
	}
	switch {
	case t.File != nil:
		v.required(path+".file.path", t.File.Path)
	case t.Redis != nil:
		v.redisAddr(path+".redis", t.Redis.Addr)
		v.required(path+".redis.hash", t.Redis.Hash)
	case t.Kafka != nil:
		v.brokers(path+".kafka", t.Kafka.Brokers)
		v.required(path+".kafka.topic", t.Kafka.Topic)
	}
}
