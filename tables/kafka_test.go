package tables

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/internal/testkafka"
	"github.com/segmentio/kafka-go"
)

func produce(t *testing.T, brokers []string, topic string, kv ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: topic, Balancer: &kafka.Hash{}, BatchTimeout: time.Millisecond,
		RequiredAcks: kafka.RequireAll} // acknowledged means stored: the high-water marks include it
	defer w.Close()
	msgs := make([]kafka.Message, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		m := kafka.Message{Key: []byte(kv[i])}
		if kv[i+1] != "" {
			m.Value = []byte(kv[i+1])
		}
		msgs = append(msgs, m)
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
}

// eventually polls cond until it holds or 20s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func startKafka(t *testing.T, tab *Table, brokers []string, topic string, log *syncBuffer) *Kafka {
	t.Helper()
	opt := KafkaOptions{Brokers: brokers, Topic: topic, MaxWait: 50 * time.Millisecond}
	if log != nil {
		opt.Logger = slog.New(slog.NewTextHandler(log, nil))
	}
	k, err := StartKafka(tab, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

func score(tab *Table, merchant string) (float64, bool) {
	r := tab.Get(str(merchant))
	if r == nil {
		return 0, false
	}
	f, _ := r.Float(1)
	return f, true
}

func TestKafkaSource(t *testing.T) {
	c := testkafka.Start(t, map[string]int{"merchants": 3})
	var kv []string
	for i := range 300 {
		kv = append(kv, fmt.Sprintf("m%d", i), fmt.Sprintf(`{"score":%d,"category":"c%d"}`, i, i%7))
	}
	kv = append(kv,
		"m1", `{"score":1.5}`, // an update: the category becomes null
		"m2", "", // a tombstone
		"m3", "", "m3", `{"score":33}`, // deleted then back
		"m4", `{"score":"high"}`, // bad: keeps the old row
		"m5", `not json`,
		"", `{"score":1}`, // no key
		"gone", "", // a tombstone for a key never seen
	)
	produce(t, c.Brokers, "merchants", kv...)

	var log syncBuffer
	tab := merchantRisk(t)
	k := startKafka(t, tab, c.Brokers, "merchants", &log)

	// Lookups run all along, for the race detector.
	stop := make(chan struct{})
	var lookers sync.WaitGroup
	for range 2 {
		lookers.Add(1)
		go func() {
			defer lookers.Done()
			key := []expr.Value{str("")}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				key[0] = str(fmt.Sprintf("m%d", i%310))
				if r := tab.Lookup(key); r != nil {
					r.Float(1)
					r.Str(2)
				}
			}
		}()
	}
	defer func() { close(stop); lookers.Wait() }()

	wait(t, k)

	// At Ready, everything produced before the start is in.
	if tab.Len() != 299 {
		t.Errorf("Len = %d, want 299", tab.Len())
	}
	if s, ok := score(tab, "m299"); !ok || s != 299 {
		t.Errorf("m299: %v, %v", s, ok)
	}
	if s, _ := score(tab, "m1"); s != 1.5 {
		t.Errorf("m1 score %v", s)
	}
	if _, ok := tab.Get(str("m1")).Str(2); ok {
		t.Error("m1 category kept: an update replaces the whole row")
	}
	if _, ok := score(tab, "m2"); ok {
		t.Error("m2 not deleted")
	}
	if s, _ := score(tab, "m3"); s != 33 {
		t.Errorf("m3 score %v", s)
	}
	if s, _ := score(tab, "m4"); s != 4 {
		t.Errorf("m4 score %v: a bad update keeps the row", s)
	}
	st := k.Stats()
	if st.Partitions != 3 || st.CaughtUp != 3 || st.BadMessages != 3 || st.Deletes != 3 || st.Messages != int64(len(kv)/2) {
		t.Errorf("stats %+v", st)
	}
	for _, want := range []string{"offset=", `expected a number, got a string`, "expected a JSON object", "empty key"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}

	// Live updates converge.
	produce(t, c.Brokers, "merchants",
		"m0", `{"score":100}`,
		"new", `{"score":7,"category":"x"}`,
		"m10", "",
	)
	eventually(t, "live updates", func() bool {
		s0, _ := score(tab, "m0")
		sn, _ := score(tab, "new")
		_, has10 := score(tab, "m10")
		return s0 == 100 && sn == 7 && !has10
	})
	if tab.Len() != 299 {
		t.Errorf("Len = %d after live updates, want 299", tab.Len())
	}
}

// A composite key is a JSON array in the message key.
func TestKafkaSourceCompositeKey(t *testing.T) {
	c := testkafka.Start(t, map[string]int{"cards": 2})
	produce(t, c.Brokers, "cards",
		`[411111,"DE"]`, `{"limit":500}`,
		`[411111,"FR"]`, `{"limit":100,"country":"FR"}`,
		`[411111,"IT"]`, `{"limit":100,"country":"FR"}`, // bad: the value's key differs
		`["411111","ES"]`, `{"limit":1}`, // bad: bin is an int
		`[411111,"FR"]`, "",
	)
	tab := cards(t)
	k := startKafka(t, tab, c.Brokers, "cards", nil)
	wait(t, k)
	if tab.Len() != 1 || k.Stats().BadMessages != 2 {
		t.Fatalf("len %d, stats %+v", tab.Len(), k.Stats())
	}
	if l, _ := tab.Get(num(411111), str("DE")).Float(2); l != 500 {
		t.Errorf("DE limit %v", l)
	}
}

// An empty topic is ready at once; rows come later.
func TestKafkaSourceEmptyTopic(t *testing.T) {
	c := testkafka.Start(t, map[string]int{"empty": 2})
	tab := merchantRisk(t)
	k := startKafka(t, tab, c.Brokers, "empty", nil)
	wait(t, k)
	if tab.Len() != 0 {
		t.Fatalf("Len = %d", tab.Len())
	}
	produce(t, c.Brokers, "empty", "m1", `{"score":1}`)
	eventually(t, "the first row", func() bool { return tab.Get(str("m1")) != nil })
}

// Ready waits for the high-water marks of the start, not for later messages;
// and the rows are published all at once.
func TestKafkaSourceReadyAtHighWaterMark(t *testing.T) {
	c := testkafka.Start(t, map[string]int{"big": 4})
	const n = 5000
	kv := make([]string, 0, 2*n)
	for i := range n {
		kv = append(kv, fmt.Sprintf("m%d", i), fmt.Sprintf(`{"score":%d}`, i))
	}
	produce(t, c.Brokers, "big", kv...)
	tab := merchantRisk(t)
	k := startKafka(t, tab, c.Brokers, "big", nil)
	select {
	case <-k.Ready():
		t.Log("ready before the first check")
	default:
		if l := tab.Len(); l != 0 && l != n {
			t.Errorf("before Ready, Len = %d: a partial table is visible", l)
		}
	}
	wait(t, k)
	if tab.Len() != n {
		t.Fatalf("Len = %d at Ready, want %d", tab.Len(), n)
	}
	if st := k.Stats(); st.CaughtUp != 4 || st.Upserts != n {
		t.Errorf("stats %+v", st)
	}
}

// A compacted topic has gaps in its offsets; the latest value per key wins
// and Ready is reached.
func TestKafkaSourceCompactedTopic(t *testing.T) {
	c := testkafka.Start(t, nil)
	if err := c.CreateTopic("compacted", 1, map[string]string{"cleanup.policy": "compact", "delete.retention.ms": "0"}); err != nil {
		t.Fatal(err)
	}
	for v := range 5 { // one batch per produce: compaction keeps only the last batch whole
		produce(t, c.Brokers, "compacted", "a", fmt.Sprintf(`{"score":%d}`, v), "b", fmt.Sprintf(`{"score":%d}`, 10+v))
	}
	produce(t, c.Brokers, "compacted", "c", `{"score":1}`)
	produce(t, c.Brokers, "compacted", "c", "")
	produce(t, c.Brokers, "compacted", "d", `{"score":2}`)
	c.Compact()
	tab := merchantRisk(t)
	k := startKafka(t, tab, c.Brokers, "compacted", nil)
	wait(t, k)
	sa, _ := score(tab, "a")
	sb, _ := score(tab, "b")
	_, hasC := score(tab, "c")
	sd, _ := score(tab, "d")
	if sa != 4 || sb != 14 || hasC || sd != 2 || tab.Len() != 3 {
		t.Errorf("a=%v b=%v c=%v d=%v len=%d", sa, sb, hasC, sd, tab.Len())
	}
	if m := k.Stats().Messages; m >= 13 {
		t.Logf("read %d messages: the topic was not compacted", m)
	}
}

// A topic that is not there: Wait says why; the source keeps trying and is
// ready once the topic exists.
func TestKafkaSourceMissingTopic(t *testing.T) {
	c := testkafka.Start(t, nil)
	tab := merchantRisk(t)
	k := startKafka(t, tab, c.Brokers, "later", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	err := k.Wait(ctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "later") {
		t.Fatalf("Wait: %v", err)
	}
	if k.Stats().LastError == nil {
		t.Errorf("no LastError: %+v", k.Stats())
	}
	if err := c.CreateTopic("later", 1, nil); err != nil {
		t.Fatal(err)
	}
	produce(t, c.Brokers, "later", "m1", `{"score":1}`)
	wait(t, k)
	eventually(t, "m1", func() bool { return tab.Get(str("m1")) != nil })
}

func TestKafkaSourceClose(t *testing.T) {
	// Brokers where nothing listens: the source never becomes ready.
	k, err := StartKafka(merchantRisk(t), KafkaOptions{Brokers: []string{"127.0.0.1:1"}, Topic: "t"})
	if err != nil {
		t.Fatal(err)
	}
	k.Close()
	if err := k.Wait(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Wait after Close: %v", err)
	}
	if _, err := StartKafka(merchantRisk(t), KafkaOptions{Topic: "t"}); err == nil {
		t.Error("no brokers: no error")
	}

	// Close of a running source stops its readers; the rows stay.
	c := testkafka.Start(t, map[string]int{"m": 2})
	produce(t, c.Brokers, "m", "m1", `{"score":1}`)
	tab := merchantRisk(t)
	k = startKafka(t, tab, c.Brokers, "m", nil)
	wait(t, k)
	k.Close()
	select {
	case <-k.done:
	default:
		t.Error("goroutines left after Close")
	}
	if tab.Get(str("m1")) == nil {
		t.Error("rows lost at Close")
	}
}
