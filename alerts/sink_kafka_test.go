package alerts

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/internal/testkafka"
	"github.com/segmentio/kafka-go"
)

// readTopic reads every message of topic, by partition.
func readTopic(t *testing.T, broker, topic string, partitions int) [][]kafka.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out := make([][]kafka.Message, partitions)
	for p := range partitions {
		conn, err := kafka.DialLeader(ctx, "tcp", broker, topic, p)
		if err != nil {
			t.Fatal(err)
		}
		last, err := conn.ReadLastOffset()
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		if last == 0 {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{broker}, Topic: topic, Partition: p, MaxWait: 50 * time.Millisecond})
		for {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				r.Close()
				t.Fatalf("reading partition %d: %v", p, err)
			}
			out[p] = append(out[p], m)
			if m.Offset == last-1 {
				break
			}
		}
		r.Close()
	}
	return out
}

func TestKafkaSink(t *testing.T) {
	const topic, partitions = "alerts", 3
	cluster := testkafka.Start(t, map[string]int{topic: partitions})
	m, reg := newMetrics(t)
	sink, err := NewKafkaSink(KafkaOptions{Brokers: cluster.Brokers, Topic: topic, BatchBytes: 4096, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRouter([]Route{{Outputs: []string{"alerts", "late"}, Sink: sink}}, RouterOptions{MaxBatch: 25, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// 100 alerts over 6 keys, some late records without a key, one record
	// too large for a batch.
	var want []Message
	for i := range 100 {
		key := fmt.Sprintf(`"card%d"`, i%6)
		want = append(want, Message{Output: "alerts", Key: []byte(key), ID: fmt.Sprintf("id%03d", i), JSON: fmt.Appendf(nil, `{"id":"id%03d","key":%s}`, i, key)})
		if i%10 == 0 {
			want = append(want, Message{Output: "late", JSON: fmt.Appendf(nil, `{"late":%d}`, i)})
		}
	}
	big := Message{Output: "alerts", Key: []byte(`"card0"`), ID: "big", JSON: []byte(`{"pad":"` + strings.Repeat("x", 5000) + `"}`)}
	batch := slices.Concat(want[:50], []Message{big}, want[50:])
	for i := 0; i < len(batch); i += 17 {
		if err := r.Write(ctx, batch[i:min(i+17, len(batch))]); err != nil {
			t.Fatal(err)
		}
	}
	fctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := r.Flush(fctx); err != nil {
		t.Fatal(err)
	}

	got := readTopic(t, cluster.Brokers[0], topic, partitions)
	keyPartition := map[string]int{}
	byValue := map[string]kafka.Message{}
	perKey := map[string][]string{} // the ids of each key, in partition order
	n := 0
	for p, msgs := range got {
		for _, km := range msgs {
			n++
			byValue[string(km.Value)] = km
			if km.Key == nil {
				continue
			}
			k := string(km.Key)
			if q, ok := keyPartition[k]; ok && q != p {
				t.Errorf("key %s in partitions %d and %d", k, q, p)
			}
			keyPartition[k] = p
			perKey[k] = append(perKey[k], headerValue(km, "kestrel-id"))
		}
	}
	if n != len(want) {
		t.Errorf("the topic has %d messages, want %d", n, len(want))
	}
	wantPerKey := map[string][]string{}
	for _, w := range want {
		km, ok := byValue[string(w.JSON)]
		if !ok {
			t.Errorf("record %s is not in the topic", w.JSON)
			continue
		}
		if string(km.Key) != string(w.Key) || (w.Key == nil) != (km.Key == nil) {
			t.Errorf("record %s has key %q, want %q", w.JSON, km.Key, w.Key)
		}
		if headerValue(km, "kestrel-id") != w.ID || headerValue(km, "kestrel-output") != w.Output {
			t.Errorf("record %s has headers %v", w.JSON, km.Headers)
		}
		if w.Key != nil {
			wantPerKey[string(w.Key)] = append(wantPerKey[string(w.Key)], w.ID)
		}
	}
	for k, ids := range wantPerKey {
		if !slices.Equal(perKey[k], ids) {
			t.Errorf("key %s: ids in the topic %v, want %v", k, perKey[k], ids)
		}
	}
	if len(keyPartition) < 2 {
		t.Errorf("6 keys went to %d partition(s)", len(keyPartition))
	}
	if got := metricValue(t, reg, "kestrel_sink_dropped_total", map[string]string{"sink": "kafka:alerts", "output": "alerts"}); got != 1 {
		t.Errorf("dropped = %v, want 1 (the record too large)", got)
	}
	if got := metricValue(t, reg, "kestrel_sink_records_total", map[string]string{"sink": "kafka:alerts", "output": "late"}); got != 10 {
		t.Errorf("late records = %v, want 10", got)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestKafkaSinkDown: with no broker, Write returns the error within its
// context rather than claiming success.
func TestKafkaSinkDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	sink, err := NewKafkaSink(KafkaOptions{Brokers: []string{addr}, Topic: "alerts"})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := sink.Write(ctx, lines("alerts", 0, 3)); err == nil {
		t.Fatal("Write with no broker succeeded")
	}
	if _, err := NewKafkaSink(KafkaOptions{Topic: "alerts"}); err == nil {
		t.Error("NewKafkaSink without brokers succeeded")
	}
}
