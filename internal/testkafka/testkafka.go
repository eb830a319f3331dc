// Package testkafka starts an in-process Kafka-protocol broker for a test
// (github.com/twmb/franz-go/pkg/kfake) on loopback; Kestrel's Kafka code talks
// to it over TCP with kafka-go, as it would to Apache Kafka.
package testkafka

import (
	"context"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
)

// Cluster is a running fake Kafka cluster.
type Cluster struct {
	*kfake.Cluster
	Brokers []string
}

// Start starts a one-broker cluster with the given topics (name → partitions)
// and stops it when the test ends. It returns once every partition of the
// topics has a leader that answers, so that a first produce is not refused.
func Start(t testing.TB, topics map[string]int) *Cluster {
	t.Helper()
	opts := []kfake.Opt{kfake.NumBrokers(1)} // kfake listens on 127.0.0.1
	for name, parts := range topics {
		opts = append(opts, kfake.SeedTopics(int32(parts), name))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	cl := &Cluster{Cluster: c, Brokers: c.ListenAddrs()}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for name, parts := range topics {
		for p := range parts {
			if err := waitLeader(ctx, cl.Brokers[0], name, p); err != nil {
				t.Fatalf("kafka topic %s partition %d never got a leader: %v", name, p, err)
			}
		}
	}
	return cl
}

func waitLeader(ctx context.Context, broker, topic string, partition int) error {
	for {
		conn, err := kafka.DialLeader(ctx, "tcp", broker, topic, partition)
		if err == nil {
			_, err = conn.ReadLastOffset()
			conn.Close()
			if err == nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(10 * time.Millisecond):
		}
	}
}
