package alerts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/segmentio/kafka-go"
)

// KafkaOptions configure a Kafka sink. Brokers and Topic are required.
type KafkaOptions struct {
	Brokers []string // bootstrap brokers, host:port
	Topic   string   // must exist: the sink does not create it
	// Balancer picks a message's partition from its key. Default: murmur2,
	// as Kafka's Java client does, so a key's records share a partition and
	// keep their order, and a keyless record goes to any partition.
	Balancer kafka.Balancer
	// BatchSize and BatchTimeout: a partition's messages go out when there are
	// BatchSize of them or BatchTimeout after the first. Defaults 1000, 2ms.
	BatchSize    int
	BatchTimeout time.Duration
	// BatchBytes bounds a partition's batch, and so a record: a larger one
	// is dropped. Default 1 MiB, the broker's default message.max.bytes.
	BatchBytes int64
	// MaxAttempts is the writer's own attempts at a batch before Write
	// returns the error (and a Router tries again). Default 3.
	MaxAttempts int
	// Transport connects to the brokers (TLS, SASL, client id). Default:
	// kafka-go's.
	Transport kafka.RoundTripper
	// Name labels the sink in metrics and logs. Default "kafka:" + Topic.
	Name    string
	Metrics *SinkMetrics // nil: no metrics
	Logger  *slog.Logger // nil: no logs
}

// KafkaSink writes records to a Kafka topic with a kafka-go Writer: the
// record as the value, the message's Key as the key, headers kestrel-output
// and kestrel-id. Write returns once all in-sync replicas have every message
// (acks=all), or with the error; writing the batch again may duplicate some
// of its messages, which their ids make droppable (at-least-once). A record
// larger than the broker takes is dropped, counted and logged.
type KafkaSink struct {
	w       *kafka.Writer
	name    string
	log     *slog.Logger
	metrics *sinkMetrics
}

// NewKafkaSink makes the writer; it connects at the first Write.
func NewKafkaSink(opts KafkaOptions) (*KafkaSink, error) {
	if len(opts.Brokers) == 0 {
		return nil, errors.New("kafka sink: no brokers")
	}
	if opts.Topic == "" {
		return nil, errors.New("kafka sink: no topic")
	}
	if opts.Balancer == nil {
		opts.Balancer = kafka.Murmur2Balancer{}
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	if opts.BatchTimeout <= 0 {
		opts.BatchTimeout = 2 * time.Millisecond
	}
	if opts.BatchBytes <= 0 {
		opts.BatchBytes = 1 << 20
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 3
	}
	if opts.Name == "" {
		opts.Name = "kafka:" + opts.Topic
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	w := &kafka.Writer{
		Addr:         kafka.TCP(opts.Brokers...),
		Topic:        opts.Topic,
		Balancer:     opts.Balancer,
		MaxAttempts:  opts.MaxAttempts,
		BatchSize:    opts.BatchSize,
		BatchTimeout: opts.BatchTimeout,
		BatchBytes:   opts.BatchBytes,
		RequiredAcks: kafka.RequireAll,
		Transport:    opts.Transport,
	}
	return &KafkaSink{w: w, name: opts.Name, log: opts.Logger, metrics: opts.Metrics.forSink(opts.Name)}, nil
}

// Write produces msgs and waits for their acknowledgement.
func (k *KafkaSink) Write(ctx context.Context, msgs []Message) error {
	if len(msgs) == 0 {
		return nil
	}
	km := make([]kafka.Message, len(msgs))
	for i := range msgs {
		m := &msgs[i]
		km[i] = kafka.Message{Value: m.JSON, Headers: []kafka.Header{{Key: "kestrel-output", Value: []byte(m.Output)}}}
		if len(m.Key) > 0 {
			km[i].Key = m.Key
		}
		if m.ID != "" {
			km[i].Headers = append(km[i].Headers, kafka.Header{Key: "kestrel-id", Value: []byte(m.ID)})
		}
	}
	for {
		err := k.w.WriteMessages(ctx, km...)
		var big kafka.MessageTooLargeError
		if !errors.As(err, &big) {
			if err != nil {
				return fmt.Errorf("kafka sink %s: %w", k.name, err)
			}
			return nil
		}
		// kafka-go refused the batch before sending any of it.
		drop := Message{Output: headerValue(big.Message, "kestrel-output"), ID: headerValue(big.Message, "kestrel-id")}
		k.metrics.drop([]Message{drop})
		k.log.Error("kafka record dropped: larger than a batch may be", "sink", k.name, "output", drop.Output, "id", drop.ID, "bytes", len(big.Message.Value))
		km = big.Remaining
		if len(km) == 0 {
			return nil
		}
	}
}

func headerValue(m kafka.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

// Name returns the sink's name in metrics and logs.
func (k *KafkaSink) Name() string { return k.name }

// Close flushes and closes the writer.
func (k *KafkaSink) Close() error { return k.w.Close() }
