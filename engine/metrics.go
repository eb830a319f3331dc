package engine

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the engine's Prometheus metrics. NewMetrics registers them;
// a nil *Metrics records nothing.
type Metrics struct {
	eventToAlert prometheus.Histogram
	runtimes     []*Runtime // read by the collector
	partials     *prometheus.Desc
	lag          *prometheus.Desc
}

// NewMetrics makes the engine's metrics and registers them with reg (nil:
// not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		eventToAlert: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "kestrel_event_to_alert_seconds",
			Help:    "From the service receiving the event that completes a match to its alert being handed to the sinks.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16),
		}),
		partials: prometheus.NewDesc("kestrel_partial_match_keys", "Keys of a rule holding partial matches (or, for rules with lateness, history).", []string{"rule"}, nil),
		lag:      prometheus.NewDesc("kestrel_watermark_lag_seconds", "Wall-clock time minus a partition's watermark (its largest event time less the stream's delay).", []string{"stream", "partition"}, nil),
	}
	if reg != nil {
		reg.MustRegister(m.eventToAlert, m)
	}
	return m
}

func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.partials
	ch <- m.lag
}

func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	for _, r := range m.runtimes {
		counts := map[string]int64{}
		for _, w := range r.workers {
			for name, n := range w.keyCounts() {
				counts[name] += n
			}
		}
		for name, n := range counts {
			ch <- prometheus.MustNewConstMetric(m.partials, prometheus.GaugeValue, float64(n), name)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		parts, err := r.Partitions(ctx)
		cancel()
		if err != nil {
			continue
		}
		now := time.Now().UnixMilli()
		for _, p := range parts {
			if p.MaxTs == minTime || p.Ended {
				continue
			}
			wm := p.MaxTs
			if s := r.front.rs.Stream(p.Stream); s != nil {
				wm -= s.Watermark
			}
			ch <- prometheus.MustNewConstMetric(m.lag, prometheus.GaugeValue, float64(now-wm)/1000, p.Stream, p.Name)
		}
	}
}

// observeAlert records the latency of an alert completed by ev.
func (m *Metrics) observeAlert(received int64) {
	if m == nil || received == 0 {
		return
	}
	m.eventToAlert.Observe(float64(time.Now().UnixNano()-received) / 1e9)
}

// keyCounts are the rules' key counts, published by the shard goroutine
// after each batch.
func (w *worker) keyCounts() map[string]int64 {
	p := w.counts.Load()
	if p == nil {
		return nil
	}
	return *p
}

// publishCounts makes the shard's key counts readable by the collector.
func (w *worker) publishCounts() {
	m := make(map[string]int64, len(w.s.rules))
	for _, rs := range w.s.rules {
		m[rs.r.Name] = int64(len(rs.keys))
	}
	w.counts.Store(&m)
}
