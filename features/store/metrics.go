package store

import "github.com/prometheus/client_golang/prometheus"

// metrics of the Redis store; see doc.go.
type metrics struct {
	writeErrors   prometheus.Counter
	droppedWrites prometheus.Counter
	fallbackReads prometheus.Counter
	queuedWrites  prometheus.Gauge
	redisUp       prometheus.Gauge
}

// newMetrics builds the metrics and registers them with reg unless reg is nil.
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		writeErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kestrel_feature_store_write_errors_total",
			Help: "Writes of feature values to Redis that failed (one per failed pipelined batch); the values are queued and retried unless the error is permanent.",
		}),
		droppedWrites: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kestrel_feature_store_dropped_writes_total",
			Help: "Feature values never written to Redis: the write queue was full, Redis rejected them, or the store closed with them queued.",
		}),
		fallbackReads: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kestrel_feature_store_fallback_reads_total",
			Help: "Keys looked up in the in-process copy because Redis was unreachable.",
		}),
		queuedWrites: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kestrel_feature_store_queued_writes",
			Help: "Feature values waiting to be written to Redis.",
		}),
		redisUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kestrel_feature_store_redis_up",
			Help: "1 when the feature store last reached Redis, 0 while it is unreachable.",
		}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.writeErrors, m.droppedWrites, m.fallbackReads, m.queuedWrites, m.redisUp} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}
