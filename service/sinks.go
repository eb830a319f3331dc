package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/kestrelcep/kestrel/alerts"
)

// engineSink hands the engine's records to the router. Records of the
// engine's goroutines are written at once: the router queues them per sink.
type engineSink struct {
	router  *alerts.Router
	metrics *metrics
}

func (s *engineSink) write(m alerts.Message) error {
	return s.router.Write(context.Background(), []alerts.Message{m})
}

func (s *engineSink) Alert(output string, r *alerts.Record) error {
	s.metrics.alerts.WithLabelValues(r.Rule, output).Inc()
	return s.write(alerts.AlertMessage(output, r))
}

func (s *engineSink) Late(l *alerts.Late) error {
	s.metrics.late.WithLabelValues(l.Stream).Inc()
	return s.write(alerts.LateMessage(l))
}

func (s *engineSink) DeadLetter(d *alerts.DeadLetter) error {
	s.metrics.deadLetters.WithLabelValues(d.Stream).Inc()
	return s.write(alerts.DeadLetterMessage(d))
}

func (s *engineSink) Window(w *alerts.Window) error {
	return s.write(alerts.WindowMessage(w))
}

// openSinks builds the router of the configured outputs. A file sink is cut
// back to its length at the restored checkpoint, so that what the engine
// writes again after it replaces what was there: the files are exactly-once.
// Without a checkpoint, files are appended to.
func (s *Service) openSinks(lengths map[string]int64, restored bool) (*alerts.Router, error) {
	var routes []alerts.Route
	files := map[string]int{} // path → index in routes: one sink per file
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range s.cfg.Outputs {
			if !yield(k) {
				return
			}
		}
	})
	fail := func(err error) (*alerts.Router, error) {
		for _, r := range routes {
			r.Sink.Close()
		}
		return nil, err
	}
	for _, output := range names {
		for i, c := range s.cfg.Outputs[output] {
			var sink alerts.Sink
			var err error
			switch {
			case c.File != nil:
				if j, ok := files[c.File.Path]; ok {
					routes[j].Outputs = append(routes[j].Outputs, output)
					continue
				}
				truncate := alerts.NoTruncate
				if restored {
					truncate = lengths[c.File.Path] // 0 when it was not there: empty it
				}
				sink, err = alerts.NewFileSink(alerts.FileOptions{Path: c.File.Path}, truncate)
				if err == nil {
					files[c.File.Path] = len(routes)
				}
			case c.Kafka != nil:
				sink, err = alerts.NewKafkaSink(alerts.KafkaOptions{Brokers: c.Kafka.Brokers, Topic: c.Kafka.Topic})
			case c.Webhook != nil:
				sink, err = alerts.NewWebhookSink(alerts.WebhookOptions{URL: c.Webhook.URL, Timeout: c.Webhook.Timeout,
					QueueSize: c.Webhook.Queue, Logger: s.log, Metrics: s.metrics.sinks,
					Name: fmt.Sprintf("webhook:%s[%d]", output, i)})
			case c.Redis != nil:
				sink, err = alerts.NewRedisStreamSink(alerts.RedisStreamOptions{Addr: c.Redis.Addr, Stream: c.Redis.Stream,
					Password: s.cfg.Features.Redis.Password})
			case c.API != nil:
				continue // every alert output goes to the API store anyway
			}
			if err != nil {
				return fail(fmt.Errorf("outputs.%s[%d]: %w", output, i, err))
			}
			routes = append(routes, alerts.Route{Outputs: []string{output}, Sink: sink})
		}
	}
	// Every output also goes to the API: its alert store and live streams.
	routes = append(routes, s.alertStoreRoute(), s.broadcastRoute())
	return alerts.NewRouter(routes, alerts.RouterOptions{Metrics: s.metrics.sinks, Logger: s.log})
}
