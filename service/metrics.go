package service

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kestrelcep/kestrel/alerts"
)

// metrics are the service's own; the sinks and the engine have theirs.
type metrics struct {
	ingested           *prometheus.CounterVec // events accepted over HTTP, per stream
	rejected           *prometheus.CounterVec
	ingestFailures     prometheus.Counter
	eventsIn           *prometheus.CounterVec // records read by the sources, per stream
	alerts             *prometheus.CounterVec // per rule and output
	late               *prometheus.CounterVec
	deadLetters        *prometheus.CounterVec
	checkpointSeconds  prometheus.Histogram
	checkpointFailures prometheus.Counter
	consumerLag        *prometheus.GaugeVec // per Kafka topic and partition
	sinks              *alerts.SinkMetrics
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		ingested: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kestrel_ingest_events_accepted_total",
			Help: "Events accepted by HTTP ingest and written to the ingest log."}, []string{"stream"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kestrel_ingest_events_rejected_total",
			Help: "Events of HTTP requests that did not decode; they go to deadletter."}, []string{"stream"}),
		ingestFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "kestrel_ingest_failures_total",
			Help: "HTTP ingest requests refused because the ingest log could not be written."}),
		eventsIn: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kestrel_events_in_total",
			Help: "Records read by the sources and handed to the engine, per stream."}, []string{"stream"}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kestrel_alerts_total",
			Help: "Alert and timeout records written, per rule and output."}, []string{"rule", "output"}),
		late: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kestrel_late_events_total",
			Help: "Events later than their stream's lateness, sent to the late output."}, []string{"stream"}),
		deadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kestrel_decode_errors_total",
			Help: "Records that could not be decoded, sent to deadletter."}, []string{"stream"}),
		checkpointSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "kestrel_checkpoint_duration_seconds",
			Help: "Time to take a checkpoint.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}),
		checkpointFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "kestrel_checkpoint_failures_total",
			Help: "Checkpoints that failed; the next one tries again."}),
		consumerLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "kestrel_kafka_consumer_lag",
			Help: "Messages of a Kafka partition behind the last one read, as of its last fetch."}, []string{"topic", "partition"}),
	}
	reg.MustRegister(m.ingested, m.rejected, m.ingestFailures, m.eventsIn, m.alerts, m.late, m.deadLetters,
		m.checkpointSeconds, m.checkpointFailures, m.consumerLag)
	m.sinks, _ = alerts.NewSinkMetrics(reg)
	return m
}
