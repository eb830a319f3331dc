package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/kestrelcep/kestrel/alerts"
	"github.com/kestrelcep/kestrel/config"
	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/internal/testredis"
)

// featureKRL declares a stream with an hour of lateness and features of
// every window kind over it.
const featureKRL = `
stream pay (id string, card_id string, merchant int, amount float, country string, ts time)
  id id
  timestamp ts
  lateness 1h

feature n_1h         = count()          of pay by card_id over sliding 1h
feature spend_1h     = sum(amount)      of pay by card_id over sliding 1h
feature max_30m      = max(amount)      of pay[amount > 10] by card_id over sliding 30m
feature n_lag        = count()          of pay by card_id over sliding 30m offset 20m
feature n_hour       = count()          of pay by card_id over tumbling 1h
feature n_sess       = count()          of pay by card_id over session 10m
feature last_country = last(country)    of pay by card_id
feature n_cc         = count()          of pay by card_id, country over sliding 2h
feature m_n          = count()          of pay by merchant over sliding 1h
feature total        = count()          of pay over sliding 1h
`

// payEvent is an event of the test stream.
type payEvent struct {
	id, card, country string
	merchant          int
	amount            float64
	ts                int64
}

func (e payEvent) json() string {
	return fmt.Sprintf(`{"id":%q,"card_id":%q,"merchant":%d,"amount":%v,"country":%q,"ts":%q}`,
		e.id, e.card, e.merchant, e.amount, e.country, time.UnixMilli(e.ts).UTC().Format(time.RFC3339Nano))
}

// payEvents draws n events over about three hours on three cards, a tenth
// of them out of order by up to 20 minutes (late, but within the lateness).
func payEvents(seed uint64, n int, base int64) []payEvent {
	r := rand.New(rand.NewPCG(seed, 7))
	var out []payEvent
	now := base
	for i := range n {
		now += int64(r.IntN(90_000))
		ts := now
		if r.IntN(10) == 0 {
			ts -= int64(r.IntN(20 * 60_000))
		}
		out = append(out, payEvent{id: fmt.Sprintf("p%d", i), card: fmt.Sprintf("c%d", r.IntN(3)),
			country: []string{"DE", "FR"}[r.IntN(2)], merchant: r.IntN(3), amount: float64(r.IntN(400)) / 4, ts: ts})
	}
	return out
}

// startFeatureService starts a service with featureKRL and HTTP ingest;
// edit changes the configuration first.
func startFeatureService(t *testing.T, edit func(*config.Config)) *Service {
	t.Helper()
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules")
	os.MkdirAll(rules, 0o755)
	if err := os.WriteFile(filepath.Join(rules, "pay.krl"), []byte(featureKRL), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Data = filepath.Join(dir, "data")
	cfg.Rules = []string{rules}
	cfg.Outputs["alerts"][0].File.Path = filepath.Join(dir, "alerts.jsonl")
	cfg.Checkpoint.Interval = time.Hour
	if edit != nil {
		edit(cfg)
	}
	s, err := Start(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// ingestPay posts events over the HTTP ingest path and waits until the
// engine has taken them all (it counts events as the front goroutine pushes
// them, and lookups run on that goroutine after).
func ingestPay(t *testing.T, s *Service, evs []payEvent) {
	t.Helper()
	before, err := s.rt.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(evs); i += 100 {
		var b strings.Builder
		for _, e := range evs[i:min(i+100, len(evs))] {
			b.WriteString(e.json() + "\n")
		}
		if _, rej, err := s.Ingest("pay", "application/x-ndjson", []byte(b.String())); err != nil || len(rej) > 0 {
			t.Fatalf("ingest: %v %v", err, rej)
		}
	}
	want := before.Events + int64(len(evs))
	waitFor(t, fmt.Sprintf("the engine to take %d events", want), func() bool {
		st, err := s.rt.Stats(context.Background())
		return err == nil && st.Events >= want
	})
}

// waitFor polls cond, a bounded number of times with a growing pause.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for pause := time.Millisecond; !cond(); pause = min(2*pause, 50*time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(pause)
	}
}

// scanFeature computes a feature of featureKRL for key as of t by a plain
// scan over the events: its value and whether it is stale.
func scanFeature(name string, evs []payEvent, key string, t int64) (expr.Value, bool) {
	const minute = 60_000
	type window struct {
		kind      string
		size, off int64
	}
	win := map[string]window{
		"n_1h": {"sliding", 60 * minute, 0}, "spend_1h": {"sliding", 60 * minute, 0}, "max_30m": {"sliding", 30 * minute, 0},
		"n_lag": {"sliding", 30 * minute, 20 * minute}, "n_hour": {"tumbling", 60 * minute, 0}, "n_sess": {"session", 10 * minute, 0},
		"last_country": {"global", 0, 0}, "n_cc": {"sliding", 120 * minute, 0}, "m_n": {"sliding", 60 * minute, 0},
		"total": {"sliding", 60 * minute, 0},
	}[name]
	u := t - win.off
	var mine []payEvent // the feature's events of key at or before u, by time then arrival
	for _, e := range evs {
		k := e.card
		switch name {
		case "n_cc":
			k = e.card + "/" + e.country
		case "m_n":
			k = fmt.Sprint(e.merchant)
		case "total":
			k = ""
		}
		if k == key && e.ts <= u && (name != "max_30m" || e.amount > 10) {
			mine = append(mine, e)
		}
	}
	slices.SortStableFunc(mine, func(a, b payEvent) int { return int(a.ts - b.ts) })
	var in []payEvent
	switch win.kind {
	case "sliding":
		for _, e := range mine {
			if e.ts > u-win.size {
				in = append(in, e)
			}
		}
	case "tumbling":
		start := u - ((u%win.size)+win.size)%win.size
		for _, e := range mine {
			if e.ts >= start {
				in = append(in, e)
			}
		}
	case "session":
		if n := len(mine); n > 0 && u-mine[n-1].ts < win.size {
			a := n - 1
			for a > 0 && mine[a].ts-mine[a-1].ts < win.size {
				a--
			}
			in = mine[a:]
		}
	case "global":
		in = mine
	}
	stale := len(in) == 0
	switch name {
	case "spend_1h":
		sum := 0.0
		for _, e := range in {
			sum += e.amount
		}
		return expr.FloatValue(sum), stale
	case "max_30m":
		if stale {
			return expr.Value{}, true
		}
		m := in[0].amount
		for _, e := range in {
			m = max(m, e.amount)
		}
		return expr.FloatValue(m), false
	case "last_country":
		if stale {
			return expr.Value{}, true
		}
		return expr.StringValue(in[len(in)-1].country), false
	}
	return expr.IntValue(int64(len(in))), stale
}

// TestFeatureLookupPointInTime posts events (some late, within the
// lateness) and looks every feature up at several times from the retention's
// start on, comparing with a plain scan; then the errors.
func TestFeatureLookupPointInTime(t *testing.T) {
	s := startFeatureService(t, nil)
	base := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC).UnixMilli()
	evs := payEvents(1, 400, base)
	ingestPay(t, s, evs)
	wm := int64(0)
	for _, e := range evs {
		wm = max(wm, e.ts)
	}
	const minute = 60_000
	ctx := context.Background()
	cardFeatures := []string{"n_1h", "spend_1h", "max_30m", "n_lag", "n_hour", "n_sess", "last_country"}
	type query struct {
		features []string
		keys     []string // JSON
		scanKeys []string // as scanFeature names them
	}
	queries := []query{
		{cardFeatures, []string{`"c0"`, `"c1"`, `"c2"`, `"nobody"`}, []string{"c0", "c1", "c2", "nobody"}},
		{[]string{"n_cc"}, []string{`["c0","DE"]`, `["c1", "FR"]`, `["c2","XX"]`}, []string{"c0/DE", "c1/FR", "c2/XX"}},
		{[]string{"m_n"}, []string{`0`, `1`, `"2"`, `7`}, []string{"0", "1", "2", "7"}},
		{[]string{"total"}, []string{`null`}, []string{""}},
	}
	checked, stale := 0, 0
	for _, at := range []int64{wm - 60*minute, wm - 45*minute + 123, wm - 17*minute, wm - 9*minute - 1, wm, wm + 10*minute, wm + 2*60*minute} {
		for _, q := range queries {
			keys := make([]json.RawMessage, len(q.keys))
			for i, k := range q.keys {
				keys[i] = json.RawMessage(k)
			}
			res, err := s.LookupFeatures(ctx, q.features, keys, time.UnixMilli(at))
			if err != nil {
				t.Fatalf("at %s: %v", fmtMs(at), err)
			}
			if res.At.UnixMilli() != at || len(res.Results) != len(keys) {
				t.Fatalf("at %s: answer at %v with %d results", fmtMs(at), res.At, len(res.Results))
			}
			for k, r := range res.Results {
				if r.Source != "engine" || string(r.Key) != q.keys[k] {
					t.Errorf("key %s: source %s, key %s", q.keys[k], r.Source, r.Key)
				}
				for i, f := range q.features {
					want, wantStale := scanFeature(f, evs, q.scanKeys[k], at)
					got := r.Values[i]
					if string(got.Value) != string(alerts.AppendValue(nil, want)) || got.Stale != wantStale {
						t.Errorf("%s[%s] at %s: %s stale %v, want %s stale %v", f, q.scanKeys[k], fmtMs(at),
							got.Value, got.Stale, alerts.AppendValue(nil, want), wantStale)
					}
					if got.AsOf.UnixMilli() != min(at, wm) {
						t.Errorf("%s[%s] at %s: as of %v, want %s", f, q.scanKeys[k], fmtMs(at), got.AsOf, fmtMs(min(at, wm)))
					}
					checked++
					if got.Stale {
						stale++
					}
				}
			}
		}
	}
	if stale == 0 || stale == checked {
		t.Errorf("%d of %d values stale: the times asked do not tell stale from fresh", stale, checked)
	}

	// Before the retention: the watermark less the lateness (1h).
	_, err := s.LookupFeatures(ctx, []string{"n_lag"}, []json.RawMessage{json.RawMessage(`"c0"`)}, time.UnixMilli(wm-60*minute-1))
	var re *engine.RetentionError
	if !errors.As(err, &re) || !errors.Is(err, ErrRetention) || re.Earliest != wm-60*minute ||
		!strings.Contains(err.Error(), "older than the feature's retention of n_lag") {
		t.Errorf("before the retention: %v", err)
	}
	// Now (the zero time) is after the events: everything is stale.
	res, err := s.LookupFeatures(ctx, []string{"n_1h", "last_country"}, []json.RawMessage{json.RawMessage(`"c0"`)}, time.Time{})
	if err != nil || time.Since(res.At) > time.Minute || !res.Results[0].Values[0].Stale || string(res.Results[0].Values[0].Value) != "0" ||
		res.Results[0].Values[1].Stale {
		t.Errorf("now: %+v %v", res, err)
	}

	bad := []struct {
		features []string
		keys     []string
		want     error
		msg      string
	}{
		{[]string{"nope"}, []string{`"c0"`}, ErrUnknownFeature, "nope"},
		{[]string{"n_1h"}, []string{`1`}, ErrBadKey, "card_id string"},
		{[]string{"n_1h"}, []string{`["c0","DE"]`}, ErrBadKey, "single field"},
		{[]string{"n_1h"}, []string{`null`}, ErrBadKey, "null"},
		{[]string{"n_cc"}, []string{`"c0"`}, ErrBadKey, "JSON array of 2 values"},
		{[]string{"n_cc"}, []string{`["c0"]`}, ErrBadKey, "JSON array of 2 values"},
		{[]string{"m_n"}, []string{`"x"`}, ErrBadKey, "not an integer"},
		{[]string{"m_n"}, []string{`1.5`}, ErrBadKey, "not an integer"},
		{[]string{"n_1h", "m_n"}, []string{`"c0"`}, ErrBadKey, "merchant int"},
		{[]string{"total"}, []string{`"c0"`}, ErrBadKey, "no key"},
	}
	for _, b := range bad {
		keys := make([]json.RawMessage, len(b.keys))
		for i, k := range b.keys {
			keys[i] = json.RawMessage(k)
		}
		_, err := s.LookupFeatures(ctx, b.features, keys, time.Time{})
		if !errors.Is(err, b.want) || !strings.Contains(err.Error(), b.msg) {
			t.Errorf("%v %v: %v, want %v mentioning %q", b.features, b.keys, err, b.want, b.msg)
		}
	}
	many := make([]json.RawMessage, MaxLookupValues/2+1)
	for i := range many {
		many[i] = json.RawMessage(`"c0"`)
	}
	if _, err := s.LookupFeatures(ctx, []string{"n_1h", "spend_1h"}, many, time.Time{}); !errors.Is(err, ErrTooManyValues) {
		t.Errorf("%d values: %v", 2*len(many), err)
	}
	// The text form of a single-field key.
	for _, c := range []struct{ feature, text, want string }{
		{"n_1h", "c0", `"c0"`}, {"n_1h", `a "quoted" key`, `"a \"quoted\" key"`}, {"m_n", "2", "2"}, {"m_n", "-7", "-7"},
	} {
		if k, err := s.FeatureKeyFromText(c.feature, c.text); err != nil || string(k) != c.want {
			t.Errorf("%s %q: %s %v, want %s", c.feature, c.text, k, err, c.want)
		}
	}
	for _, c := range []struct {
		feature, text string
		want          error
	}{{"m_n", "two", ErrBadKey}, {"n_cc", "c0", ErrBadKey}, {"total", "c0", ErrBadKey}, {"nope", "c0", ErrUnknownFeature}} {
		if _, err := s.FeatureKeyFromText(c.feature, c.text); !errors.Is(err, c.want) {
			t.Errorf("%s %q: %v, want %v", c.feature, c.text, err, c.want)
		}
	}
}

func fmtMs(ms int64) string { return string(alerts.AppendTime(nil, ms)) }

// metricValue sums a metric's samples in reg (0 when absent).
func metricValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			switch {
			case m.Counter != nil:
				sum += m.Counter.GetValue()
			case m.Gauge != nil:
				sum += m.Gauge.GetValue()
			}
		}
	}
	return sum
}

// TestFeatureStoreRedisUnreachableAtStart: serve refuses to start, saying
// where Redis was expected.
func TestFeatureStoreRedisUnreachableAtStart(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	dir := t.TempDir()
	cfg := config.Default()
	cfg.Data = filepath.Join(dir, "data")
	cfg.Outputs["alerts"][0].File.Path = filepath.Join(dir, "alerts.jsonl")
	cfg.Features.Store, cfg.Features.Redis.Addr = config.StoreRedis, addr
	start := time.Now()
	s, err := Start(cfg, Options{})
	if err == nil {
		s.Close(context.Background())
		t.Fatal("the service started without its Redis")
	}
	want := "features.store redis at " + addr + ": unreachable: "
	if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "refused") {
		t.Errorf("error %q, want it to begin with %q and say why", err, want)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("it took %v to give up", d)
	}
	if _, err := os.Stat(cfg.Data); err == nil {
		t.Errorf("the state directory was made before Redis was checked")
	}
}

// TestFeatureStoreRedis writes the features through to a real Redis and
// reads them back; then loses Redis: lookups still answer from the local
// copy, writes queue, and the metrics count it; then Redis comes back and
// gets the queued values.
func TestFeatureStoreRedis(t *testing.T) {
	srv := testredis.Start(t)
	const prefix = "kt:"
	s := startFeatureService(t, func(c *config.Config) {
		c.Features.Store, c.Features.Redis.Addr, c.Features.Redis.Prefix = config.StoreRedis, srv.Addr, prefix
	})
	base := time.Now().Add(-6 * time.Hour).UnixMilli() // the last event about 2 hours ago
	evs := payEvents(2, 300, base)
	ingestPay(t, s, evs)
	wm := int64(0)
	for _, e := range evs {
		wm = max(wm, e.ts)
	}
	ctx := context.Background()
	names := []string{"n_1h", "spend_1h", "last_country"}
	keys := []json.RawMessage{json.RawMessage(`"c0"`), json.RawMessage(`"c1"`), json.RawMessage(`"c2"`)}

	// What Redis should get: the values as of the watermark, which the
	// engine gives for `at` = the watermark.
	exact, err := s.LookupFeatures(ctx, names, keys, time.UnixMilli(wm))
	if err != nil {
		t.Fatal(err)
	}
	same := func(res FeatureLookups, source string) bool {
		for k, r := range res.Results {
			if r.Source != source {
				return false
			}
			for i := range names {
				got, want := r.Values[i], exact.Results[k].Values[i]
				if string(got.Value) != string(want.Value) || got.AsOf.UnixMilli() != wm {
					return false
				}
			}
		}
		return true
	}
	var last FeatureLookups
	waitFor(t, "Redis to hold the values as of the watermark", func() bool {
		last, err = s.LookupFeatures(ctx, names, keys, time.Time{})
		return err == nil && same(last, "redis")
	})
	// Stale as of now: the last event is more than an hour before now,
	// but the global window's value holds.
	if v := last.Results[0].Values; !v[0].Stale || v[2].Stale {
		t.Errorf("as of now: %+v", v)
	}
	// The layout: one hash per key, a field per feature, with a TTL.
	rc := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer rc.Close()
	fields, err := rc.HKeys(ctx, prefix+"c0").Result()
	slices.Sort(fields)
	if want := []string{"last_country", "max_30m", "n_1h", "n_hour", "n_lag", "n_sess", "spend_1h"}; err != nil || !slices.Equal(fields, want) {
		t.Errorf("hash %sc0: fields %v %v", prefix, fields, err)
	}
	if ttl, err := rc.PTTL(ctx, prefix+"c0").Result(); err != nil || ttl != -1 && ttl < time.Hour {
		t.Errorf("TTL of %sc0: %v %v", prefix, ttl, err) // last_country has no window: no expiry
	}
	if ttl, err := rc.PTTL(ctx, prefix+"1").Result(); err != nil || ttl <= time.Hour || ttl > 2*time.Hour+time.Minute {
		t.Errorf("TTL of %s1 (m_n, sliding 1h + lateness 1h): %v %v", prefix, ttl, err)
	}
	if n, err := rc.HLen(ctx, prefix+`["c0","DE"]`).Result(); err != nil || n != 1 {
		t.Errorf("composite key's hash: %d fields %v", n, err)
	}

	// Redis lost.
	srv.Stop()
	res, err := s.LookupFeatures(ctx, names, keys, time.Time{})
	if err != nil {
		t.Fatalf("lookup with Redis down: %v", err)
	}
	if !same(res, "local") {
		t.Errorf("with Redis down: %+v, want the values written before, from the local copy", res.Results)
	}
	if n := metricValue(t, s.Registry(), "kestrel_feature_store_fallback_reads_total"); n < 3 {
		t.Errorf("fallback reads counted: %v", n)
	}
	if up := metricValue(t, s.Registry(), "kestrel_feature_store_redis_up"); up != 0 {
		t.Errorf("redis_up %v with Redis down", up)
	}
	// Events while Redis is down: the writes queue; lookups see them.
	more := payEvents(3, 50, wm+1)
	for i := range more {
		more[i].card = "c9"
		more[i].id = fmt.Sprintf("q%d", i)
	}
	ingestPay(t, s, more)
	wm2 := wm
	for _, e := range more {
		wm2 = max(wm2, e.ts)
	}
	c9 := []json.RawMessage{json.RawMessage(`"c9"`)}
	want9, err := s.LookupFeatures(ctx, []string{"n_1h"}, c9, time.UnixMilli(wm2))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the local copy to have c9", func() bool {
		r, err := s.LookupFeatures(ctx, []string{"n_1h"}, c9, time.Time{})
		return err == nil && r.Results[0].Source == "local" && string(r.Results[0].Values[0].Value) == string(want9.Results[0].Values[0].Value)
	})
	if q := metricValue(t, s.Registry(), "kestrel_feature_store_queued_writes"); q == 0 {
		t.Errorf("nothing queued while Redis is down")
	}

	// Redis back (empty: it kept nothing): the queue drains into it.
	srv = testredis.StartOn(t, srv.Port())
	waitFor(t, "the queued values to reach Redis", func() bool {
		v, err := rc.HExists(ctx, prefix+"c9", "n_1h").Result()
		return err == nil && v
	})
	waitFor(t, "lookups to read Redis again", func() bool {
		r, err := s.LookupFeatures(ctx, []string{"n_1h"}, c9, time.Time{})
		return err == nil && r.Results[0].Source == "redis" && string(r.Results[0].Values[0].Value) == string(want9.Results[0].Values[0].Value)
	})
	// A point-in-time lookup is the engine's, Redis or not.
	if r, err := s.LookupFeatures(ctx, names, keys, time.UnixMilli(wm)); err != nil || r.Results[0].Source != "engine" {
		t.Errorf("point in time with Redis: %+v %v", r, err)
	}
}
