// Package loadgen is a bounded, open-loop load generator for `kestrel serve`'s
// HTTP ingest. It posts NDJSON batches of card payments for the tour's
// card-testing rule (testdata/tour) at a fixed rate and measures
// event-to-alert latency: from the moment the request carrying an alert's
// completing event was due to be sent to the moment the alert is observable
// (a line of the alerts JSONL file, or an event of the output's
// Server-Sent-Events stream).
//
// Sends follow a fixed schedule, not the responses: request k is due at
// start + k·Batch/Rate, and every latency is measured from that due time,
// so a slow response that delays the requests behind it shows up in their
// latencies instead of being hidden (coordinated omission). Requests go out
// one at a time on one connection, in order: with a watermark delay of 0,
// events of a later request that overtook an earlier one would make the
// earlier one's events late.
//
// Every request of Batch events carries one card-testing scenario: three
// payments under 2.00 then one over 500 on a card of its own, spread among
// ordinary payments (20–220) over Cards cards that never match. So each
// request completes exactly one alert, whose completing event ("big") names
// the request.
//
// The test in this package runs it against a `kestrel serve` subprocess
// when KESTREL_LOAD=1 (see docs/benchmarks.md, "Service").
package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a run. URL and one of AlertsFile or StreamURL are
// required.
type Options struct {
	URL    string // the service, e.g. http://127.0.0.1:8080
	Stream string // default "txn"
	Rate   int    // events per second; default 20000
	Batch  int    // events per request; default 100
	// Duration is how long requests are sent, Warmup the first part of it
	// whose latencies are not counted. Defaults 10s and 1s.
	Duration, Warmup time.Duration
	// Drain is how long to wait for the last alerts after the last request;
	// default 2s.
	Drain time.Duration
	Cards int    // ordinary cards; default 10000
	Seed  uint64 // of the ordinary payments

	// Where alerts are observed: the alerts JSONL file the service writes
	// (tailed with inotify on Linux, polled every millisecond elsewhere), or
	// GET {URL}/v1/outputs/alerts/stream.
	AlertsFile string
	StreamURL  string
}

func (o *Options) ensureDefaults() {
	if o.Stream == "" {
		o.Stream = "txn"
	}
	if o.Rate <= 0 {
		o.Rate = 20000
	}
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.Warmup <= 0 {
		o.Warmup = time.Second
	}
	if o.Drain <= 0 {
		o.Drain = 2 * time.Second
	}
	if o.Cards <= 0 {
		o.Cards = 10000
	}
}

// Result is what a run measured, over the requests due after the warm-up.
type Result struct {
	Requests, Events int           // sent after the warm-up
	Elapsed          time.Duration // from the first to the last due time after the warm-up, plus one interval
	Rate             float64       // events per second achieved: Events / the time the last response came, from the first due time
	Failed           int           // requests not answered 202
	Alerts           int           // alerts observed for those requests
	Missing          int           // requests whose alert was not observed within Drain
	Unexpected       int           // alerts that name no request of the run
	Behind           time.Duration // the most a request was sent after its due time

	Alert Percentiles // event-to-alert
	Ack   Percentiles // due time to the 202 response
	// PerSecond is the largest event-to-alert latency of the requests due
	// in each second of the run, the warm-up included: where the slow ones
	// were.
	PerSecond []time.Duration
}

// Percentiles of a latency distribution.
type Percentiles struct {
	P50, P90, P99, P999, Max time.Duration
	N                        int
}

func (p Percentiles) String() string {
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) }
	return fmt.Sprintf("p50 %s ms, p90 %s ms, p99 %s ms, p99.9 %s ms, max %s ms (n=%d)",
		ms(p.P50), ms(p.P90), ms(p.P99), ms(p.P999), ms(p.Max), p.N)
}

func msList(ds []time.Duration) string {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(float64(d)/1e6, 'f', 1, 64))
	}
	return b.String()
}

func percentiles(ds []time.Duration) Percentiles {
	if len(ds) == 0 {
		return Percentiles{}
	}
	slices.Sort(ds)
	at := func(q float64) time.Duration {
		i := int(q*float64(len(ds))+0.5) - 1
		return ds[max(0, min(i, len(ds)-1))]
	}
	return Percentiles{P50: at(0.5), P90: at(0.9), P99: at(0.99), P999: at(0.999), Max: ds[len(ds)-1], N: len(ds)}
}

func (r Result) String() string {
	return fmt.Sprintf("%d events in %d requests, %.0f events/s achieved (sender at most %v behind schedule), %d failed\n"+
		"event-to-alert: %v; %d alerts, %d missing, %d unexpected\n"+
		"due-to-202:     %v\n"+
		"max event-to-alert per second (ms): %v",
		r.Events, r.Requests, r.Rate, r.Behind.Round(time.Microsecond), r.Failed,
		r.Alert, r.Alerts, r.Missing, r.Unexpected, r.Ack, msList(r.PerSecond))
}

// Run sends load until Duration has passed, waits up to Drain for the last
// alerts, and reports. It stops early, with what it has, when ctx ends.
func Run(ctx context.Context, o Options) (Result, error) {
	o.ensureDefaults()
	if o.URL == "" || (o.AlertsFile == "") == (o.StreamURL == "") {
		return Result{}, errors.New("loadgen: need URL and one of AlertsFile or StreamURL")
	}
	interval := time.Duration(float64(time.Second) * float64(o.Batch) / float64(o.Rate))
	n := int(o.Duration / interval)
	warm := int(o.Warmup / interval)
	if n <= warm {
		return Result{}, fmt.Errorf("loadgen: %d requests, all in the warm-up", n)
	}

	// Alerts are observed from before the first request.
	obsCtx, stopObs := context.WithCancel(ctx)
	defer stopObs()
	seen := make([]time.Time, n) // request → when its alert was observed
	var mu sync.Mutex
	unexpected := 0
	onAlert := func(line []byte, at time.Time) {
		k, ok := alertRequest(line)
		mu.Lock()
		defer mu.Unlock()
		if !ok || k < 0 || k >= n || !seen[k].IsZero() {
			unexpected++
			return
		}
		seen[k] = at
	}
	ready := make(chan error, 1)
	obsDone := make(chan error, 1)
	go func() {
		if o.StreamURL != "" {
			obsDone <- watchStream(obsCtx, o.StreamURL, onAlert, ready)
		} else {
			obsDone <- tailFile(obsCtx, o.AlertsFile, onAlert, ready)
		}
	}()
	if err := <-ready; err != nil {
		return Result{}, err
	}

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}, Timeout: 30 * time.Second}
	url := strings.TrimSuffix(o.URL, "/") + "/v1/streams/" + o.Stream + "/events"
	g := &generator{rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), batch: o.Batch, cards: o.Cards}
	acks := make([]time.Duration, 0, n)
	var res Result
	var body []byte
	var lastResp time.Time
	start := time.Now().Add(50 * time.Millisecond)
	due := func(k int) time.Time { return start.Add(time.Duration(k) * interval) }
	for k := range n {
		if ctx.Err() != nil {
			n = k
			break
		}
		body = g.request(body[:0], k, due(k))
		if d := time.Until(due(k)); d > 0 {
			time.Sleep(d)
		}
		if k >= warm {
			res.Behind = max(res.Behind, time.Since(due(k)))
		}
		ok := post(client, url, body)
		lastResp = time.Now()
		if k < warm {
			continue
		}
		res.Requests++
		res.Events += o.Batch
		if !ok {
			res.Failed++
			continue
		}
		acks = append(acks, lastResp.Sub(due(k)))
	}
	res.Elapsed = due(n).Sub(due(warm))
	res.Rate = float64(res.Events) / lastResp.Sub(due(warm)).Seconds()

	// Wait for the alerts of the last requests.
	deadline := time.Now().Add(o.Drain)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		mu.Lock()
		all := !slices.ContainsFunc(seen[warm:n], time.Time.IsZero)
		mu.Unlock()
		if all {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	stopObs()
	if err := <-obsDone; err != nil && !errors.Is(err, context.Canceled) {
		return res, err
	}
	lat := make([]time.Duration, 0, n-warm)
	for k := range n {
		if seen[k].IsZero() {
			if k >= warm {
				res.Missing++
			}
			continue
		}
		d := seen[k].Sub(due(k))
		sec := int(due(k).Sub(start) / time.Second)
		for len(res.PerSecond) <= sec {
			res.PerSecond = append(res.PerSecond, 0)
		}
		res.PerSecond[sec] = max(res.PerSecond[sec], d)
		if k >= warm {
			lat = append(lat, d)
		}
	}
	res.Alerts, res.Unexpected = len(lat), unexpected
	res.Alert, res.Ack = percentiles(lat), percentiles(acks)
	return res, nil
}

func post(c *http.Client, url string, body []byte) bool {
	resp, err := c.Post(url, "application/x-ndjson", bytes.NewReader(body))
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusAccepted
}

// generator writes the requests' events.
type generator struct {
	rng   *rand.Rand
	batch int
	cards int
}

// request appends request k's NDJSON body: batch events timestamped at its
// due time (ms), with one card-testing scenario on card "s<k>" whose last
// event, id "b<k>", completes the alert.
func (g *generator) request(b []byte, k int, due time.Time) []byte {
	ts := due.UnixMilli()
	// Where the scenario's four events go among the batch.
	var at [4]int
	for i := range at {
		at[i] = g.rng.IntN(g.batch)
	}
	slices.Sort(at[:])
	for i := 1; i < len(at); i++ { // distinct positions, in order
		at[i] = max(at[i], at[i-1]+1)
	}
	if over := at[3] - (g.batch - 1); over > 0 {
		for i := range at {
			at[i] -= over
		}
	}
	s := 0
	for i := range g.batch {
		if s < 4 && i == at[s] {
			if s < 3 {
				b = fmt.Appendf(b, `{"id":"s%d_%d","card_id":"s%d","amount":%.2f,"merchant":"m%d","ts":%d}`+"\n",
					k, s, k, 0.1+g.rng.Float64()*1.8, g.rng.IntN(100), ts)
			} else {
				b = fmt.Appendf(b, `{"id":"b%d","card_id":"s%d","amount":%.2f,"merchant":"m%d","ts":%d}`+"\n",
					k, k, 501+g.rng.Float64()*1000, g.rng.IntN(100), ts)
			}
			s++
			continue
		}
		b = fmt.Appendf(b, `{"id":"e%d_%d","card_id":"c%d","amount":%.2f,"merchant":"m%d","ts":%d}`+"\n",
			k, i, g.rng.IntN(g.cards), 20+g.rng.Float64()*200, g.rng.IntN(100), ts)
	}
	return b
}

// alertRequest returns the request an alert record belongs to: the k of its
// completing event's id "b<k>".
func alertRequest(line []byte) (int, bool) {
	var rec struct {
		Events struct {
			Big []struct {
				ID string `json:"id"`
			} `json:"big"`
		} `json:"events"`
	}
	if err := json.Unmarshal(line, &rec); err != nil || len(rec.Events.Big) != 1 {
		return 0, false
	}
	id, ok := strings.CutPrefix(rec.Events.Big[0].ID, "b")
	if !ok {
		return 0, false
	}
	k, err := strconv.Atoi(id)
	return k, err == nil
}
