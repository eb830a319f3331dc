package testkafka

import (
	"context"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// kafka-go produces to and consumes from the fake broker over TCP.
func TestRoundTrip(t *testing.T) {
	c := Start(t, map[string]int{"events": 3})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	w := &kafka.Writer{Addr: kafka.TCP(c.Brokers...), Topic: "events", Balancer: &kafka.Hash{}, BatchTimeout: time.Millisecond,
		RequiredAcks: kafka.RequireAll} // acknowledged means stored: the high-water marks include it
	defer w.Close()
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte("k"), Value: []byte("v1")}, kafka.Message{Key: []byte("k"), Value: []byte("v2")}); err != nil {
		t.Fatal(err)
	}
	got := 0
	for p := range 3 {
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: c.Brokers, Topic: "events", Partition: p, MaxWait: 50 * time.Millisecond})
		conn, err := kafka.DialLeader(ctx, "tcp", c.Brokers[0], "events", p)
		if err != nil {
			t.Fatal(err)
		}
		last, err := conn.ReadLastOffset()
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		for range last {
			if _, err := r.ReadMessage(ctx); err != nil {
				t.Fatal(err)
			}
			got++
		}
		r.Close()
	}
	if got != 2 {
		t.Fatalf("read %d messages, want 2", got)
	}
}
