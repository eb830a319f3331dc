package alerts

import "github.com/prometheus/client_golang/prometheus"

// SinkMetrics are the metrics of the sinks, labelled by sink name (and output
// where it applies). One value serves a Router and every sink built with it;
// a nil *SinkMetrics records nothing.
//
//	kestrel_sink_records_total{sink,output}  records a sink has taken (written, acknowledged, delivered)
//	kestrel_sink_failures_total{sink}        failed attempts: a batch write, or one webhook request
//	kestrel_sink_retries_total{sink}         attempts made again after a failure
//	kestrel_sink_dropped_total{sink,output}  records given up: rejected for good, retries exhausted, or still queued when Close gave up
//	kestrel_sink_queue_length{sink}          records waiting for the sink (queued or being written)
type SinkMetrics struct {
	records  *prometheus.CounterVec
	failures *prometheus.CounterVec
	retries  *prometheus.CounterVec
	dropped  *prometheus.CounterVec
	queue    *prometheus.GaugeVec
}

// NewSinkMetrics builds the metrics and registers them with reg, unless reg
// is nil.
func NewSinkMetrics(reg prometheus.Registerer) (*SinkMetrics, error) {
	m := &SinkMetrics{
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kestrel_sink_records_total",
			Help: "Records a sink has taken: written to its file, acknowledged by Kafka or Redis, delivered to its webhook, stored.",
		}, []string{"sink", "output"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kestrel_sink_failures_total",
			Help: "Failed attempts to write to a sink: one per failed batch, or per failed webhook request.",
		}, []string{"sink"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kestrel_sink_retries_total",
			Help: "Attempts to write to a sink made again after a failure.",
		}, []string{"sink"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kestrel_sink_dropped_total",
			Help: "Records a sink gave up on: rejected for good, retries exhausted, or still queued when the sink was closed. Alerts among them are still in the API store.",
		}, []string{"sink", "output"}),
		queue: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "kestrel_sink_queue_length",
			Help: "Records waiting for a sink, queued or being written.",
		}, []string{"sink"}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.records, m.failures, m.retries, m.dropped, m.queue} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

// sinkMetrics are the metrics of one sink, resolved once.
type sinkMetrics struct {
	m        *SinkMetrics
	name     string
	records  map[string]prometheus.Counter // by output; used by one goroutine
	failures prometheus.Counter
	retries  prometheus.Counter
	queue    prometheus.Gauge
}

func (m *SinkMetrics) forSink(name string) *sinkMetrics {
	if m == nil {
		return &sinkMetrics{}
	}
	return &sinkMetrics{
		m:        m,
		name:     name,
		records:  map[string]prometheus.Counter{},
		failures: m.failures.WithLabelValues(name),
		retries:  m.retries.WithLabelValues(name),
		queue:    m.queue.WithLabelValues(name),
	}
}

// written counts msgs as taken by the sink. Only the sink's one writing
// goroutine calls it.
func (s *sinkMetrics) written(msgs []Message) {
	if s.m == nil {
		return
	}
	for i := range msgs {
		c, ok := s.records[msgs[i].Output]
		if !ok {
			c = s.m.records.WithLabelValues(s.name, msgs[i].Output)
			s.records[msgs[i].Output] = c
		}
		c.Inc()
	}
}

func (s *sinkMetrics) drop(msgs []Message) {
	if s.m == nil {
		return
	}
	for i := range msgs {
		s.m.dropped.WithLabelValues(s.name, msgs[i].Output).Inc()
	}
}

func (s *sinkMetrics) failure() {
	if s.m != nil {
		s.failures.Inc()
	}
}

func (s *sinkMetrics) retry() {
	if s.m != nil {
		s.retries.Inc()
	}
}

func (s *sinkMetrics) queued(delta int) {
	if s.m != nil {
		s.queue.Add(float64(delta))
	}
}
