// Package testkafka starts an in-process Kafka-protocol broker for a test
// (github.com/twmb/franz-go/pkg/kfake) on loopback; Kestrel's Kafka code talks
// to it over TCP with kafka-go, as it would to Apache Kafka.
package testkafka

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
)

// Cluster is a running fake Kafka cluster.
type Cluster struct {
	*kfake.Cluster
	Brokers []string
}

// Start starts a one-broker cluster with the given topics (name → partitions)
// and stops it when the test ends.
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
	return &Cluster{Cluster: c, Brokers: c.ListenAddrs()}
}
