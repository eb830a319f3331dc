package source

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kestrelcep/kestrel/internal/testkafka"
	"github.com/segmentio/kafka-go"
)

// produce writes n messages to topic, message i to partition i%parts with
// value "topic-i", and waits until they are stored.
func produce(t testing.TB, brokers []string, topic string, parts, from, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w := &kafka.Writer{
		Addr:  kafka.TCP(brokers...),
		Topic: topic,
		Balancer: kafka.BalancerFunc(func(m kafka.Message, ps ...int) int {
			return int(m.Key[0]) % len(ps)
		}),
		BatchSize:    10000,
		BatchBytes:   16 << 20,
		BatchTimeout: time.Millisecond,
		RequiredAcks: kafka.RequireAll,
	}
	defer w.Close()
	const chunk = 10000
	msgs := make([]kafka.Message, 0, chunk)
	for i := from; i < from+n; i++ {
		msgs = append(msgs, kafka.Message{Key: []byte{byte(i % parts)}, Value: fmt.Appendf(nil, "%s-%d", topic, i)})
		if len(msgs) == chunk || i == from+n-1 {
			if err := w.WriteMessages(ctx, msgs...); err != nil {
				t.Fatalf("producing to %s: %v", topic, err)
			}
			msgs = msgs[:0]
		}
	}
}

// consumer runs a Kafka source in the background and records what it sees.
type consumer struct {
	t      *testing.T
	k      *Kafka
	cancel context.CancelFunc
	done   chan error

	mu             sync.Mutex
	seen           []Record                 // every record delivered, in delivery order
	next           map[TopicPartition]int64 // Next of the last record per partition
	expect         map[TopicPartition]int64 // the same, in the current generation
	assigned       [][]TopicPartition
	revoked        [][]TopicPartition
	commitOnRevoke bool
	commitErrs     []error
	starts         map[TopicPartition]int64 // what OnAssigned returns
	topics         []string                 // KafkaOptions.Topics
	batched        bool                     // OnRecords instead of OnRecord
	maxBatch       int                      // the largest batch OnRecords had
}

func startConsumer(t *testing.T, brokers []string, topic, group string, configure func(*consumer)) *consumer {
	t.Helper()
	c := &consumer{t: t, next: map[TopicPartition]int64{}, done: make(chan error, 1)}
	if configure != nil {
		configure(c)
	}
	onRecord := func(ctx context.Context, rec Record) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		tp := TopicPartition{rec.Source, rec.Partition}
		if n, ok := c.expect[tp]; ok && rec.Offset != n {
			c.t.Errorf("%s: offset %d after %d", tp, rec.Offset, n-1)
		}
		c.expect[tp] = rec.Next
		c.next[tp] = rec.Next
		c.seen = append(c.seen, rec)
		return nil
	}
	var onRecords func(ctx context.Context, recs []Record) error
	if c.batched {
		onRecords = func(ctx context.Context, recs []Record) error {
			c.mu.Lock()
			c.maxBatch = max(c.maxBatch, len(recs))
			c.mu.Unlock()
			for _, r := range recs {
				if r.Source != recs[0].Source || r.Partition != recs[0].Partition {
					c.t.Errorf("a batch of %s/%d has a record of %s/%d", recs[0].Source, recs[0].Partition, r.Source, r.Partition)
				}
				onRecord(ctx, r)
			}
			return nil
		}
	}
	k, err := NewKafka(KafkaOptions{
		Brokers: brokers, Topic: topic, Topics: c.topics, Group: group,
		MaxWait: 50 * time.Millisecond, SessionTimeout: 6 * time.Second, HeartbeatInterval: 100 * time.Millisecond,
		RebalanceTimeout: 5 * time.Second, JoinGroupBackoff: 100 * time.Millisecond,
	}, KafkaHandler{
		OnAssigned: func(ctx context.Context, parts []TopicPartition) (map[TopicPartition]int64, error) {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.assigned = append(c.assigned, parts)
			c.expect = map[TopicPartition]int64{}
			return c.starts, nil
		},
		OnRevoked: func(parts []TopicPartition) {
			c.mu.Lock()
			c.revoked = append(c.revoked, parts)
			commit := c.commitOnRevoke
			offsets := maps.Clone(c.next)
			c.mu.Unlock()
			if commit {
				for tp := range offsets {
					if !slices.Contains(parts, tp) {
						delete(offsets, tp)
					}
				}
				if err := c.k.Commit(context.Background(), offsets); err != nil {
					c.mu.Lock()
					c.commitErrs = append(c.commitErrs, err)
					c.mu.Unlock()
				}
			}
		},
		OnRecord:  onRecord,
		OnRecords: onRecords,
	})
	if err != nil {
		t.Fatal(err)
	}
	c.k = k
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	go func() { c.done <- k.Run(ctx) }()
	t.Cleanup(func() { c.stop(t) })
	return c
}

// stop ends the consumer's Run and waits for it.
func (c *consumer) stop(t *testing.T) {
	t.Helper()
	c.cancel()
	select {
	case err, ok := <-c.done:
		if ok && err != nil {
			t.Errorf("Run: %v", err)
		}
		if ok {
			close(c.done)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

// eventually polls cond until it holds, or fails the test after d.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// values counts the records seen by value.
func values(cs ...*consumer) map[string]int {
	m := map[string]int{}
	for _, c := range cs {
		c.mu.Lock()
		for _, r := range c.seen {
			m[string(r.Value)]++
		}
		c.mu.Unlock()
	}
	return m
}

func TestKafkaConsumeAll(t *testing.T) {
	for _, batched := range []bool{false, true} {
		t.Run(fmt.Sprintf("batched=%v", batched), func(t *testing.T) { testKafkaConsumeAll(t, batched) })
	}
}

func testKafkaConsumeAll(t *testing.T, batched bool) {
	cl := testkafka.Start(t, map[string]int{"txn": 6})
	const n = 3000
	produce(t, cl.Brokers, "txn", 6, 0, n)
	c := startConsumer(t, cl.Brokers, "txn", "g", func(c *consumer) { c.batched = batched })
	eventually(t, 30*time.Second, "all messages", func() bool { return len(values(c)) == n })
	c.stop(t)
	seen := values(c)
	for i := range n {
		if v := fmt.Sprintf("txn-%d", i); seen[v] != 1 {
			t.Fatalf("%s seen %d times", v, seen[v])
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.seen {
		if r.Source != "txn" || r.Next != r.Offset+1 || r.Time.IsZero() || r.Line != 0 {
			t.Fatalf("record %+v", r)
		}
		if p := r.Position(); p.Source != fmt.Sprintf("txn/%d", r.Partition) || p.Offset != r.Offset {
			t.Fatalf("position %v of %+v", p, r)
		}
	}
	// Everything was produced before the consumer started: a partition's
	// record at offset o had (its count − o − 1) behind it.
	count := map[int]int64{}
	for _, r := range c.seen {
		count[r.Partition]++
	}
	for _, r := range c.seen {
		if want := count[r.Partition] - r.Offset - 1; r.Lag != want {
			t.Fatalf("record %d/%d: lag %d, want %d", r.Partition, r.Offset, r.Lag, want)
		}
	}
	if len(c.assigned) != 1 || len(c.assigned[0]) != 6 || !slices.EqualFunc(c.revoked, c.assigned, slices.Equal) {
		t.Errorf("assigned %v, revoked %v", c.assigned, c.revoked)
	}
	if batched && c.maxBatch < 2 {
		t.Errorf("%d records read ahead, and every batch had one", n)
	}
}

// Two members of a group split the partitions; a rebalance commits at the
// revocation and moves partitions without a duplicate; when one member
// goes, the other takes its partitions over from their committed offsets,
// reading again only what came after the last commit.
func TestKafkaGroupTakeover(t *testing.T) {
	cl := testkafka.Start(t, map[string]int{"txn": 6})
	const n1, n2 = 600, 600
	produce(t, cl.Brokers, "txn", 6, 0, n1)

	commit := func(c *consumer) { c.commitOnRevoke = true }
	a := startConsumer(t, cl.Brokers, "txn", "g", commit)
	eventually(t, 30*time.Second, "a reads the first batch", func() bool { return len(values(a)) == n1 })

	// b joins: a's partitions are revoked (and committed), the range
	// balancer gives each member three.
	b := startConsumer(t, cl.Brokers, "txn", "g", commit)
	eventually(t, 30*time.Second, "both members assigned", func() bool {
		pa, pb := a.k.Assigned(), b.k.Assigned()
		return len(pa) == 3 && len(pb) == 3 && !slices.ContainsFunc(pa, func(tp TopicPartition) bool { return slices.Contains(pb, tp) })
	})
	produce(t, cl.Brokers, "txn", 6, n1, n2)
	eventually(t, 30*time.Second, "both read the second batch", func() bool { return len(values(a, b)) == n1+n2 })
	if dup := duplicates(values(a, b)); len(dup) > 0 {
		t.Fatalf("duplicates at a rebalance that committed: %v", dup)
	}
	a.mu.Lock()
	if len(a.commitErrs) > 0 {
		t.Fatalf("commits in OnRevoked failed: %v", a.commitErrs)
	}
	a.mu.Unlock()

	// A checkpoint of a's partitions, half-way through the second batch.
	partsA := a.k.Assigned()
	checkpoint := map[TopicPartition]int64{}
	for _, tp := range partsA {
		checkpoint[tp] = int64(n1/6 + n2/12)
	}
	if err := a.k.Commit(context.Background(), checkpoint); err != nil {
		t.Fatal(err)
	}
	// Commit refuses what a does not own, and commits the rest.
	bPart := b.k.Assigned()[0]
	err := a.k.Commit(context.Background(), map[TopicPartition]int64{bPart: 1, partsA[0]: checkpoint[partsA[0]]})
	if !errors.Is(err, ErrNotAssigned) || !strings.Contains(err.Error(), bPart.String()) {
		t.Fatalf("commit of another member's partition: %v", err)
	}

	// a goes away without committing further; b takes over.
	a.mu.Lock()
	a.commitOnRevoke = false
	a.mu.Unlock()
	a.stop(t)
	eventually(t, 30*time.Second, "b owns every partition", func() bool { return len(b.k.Assigned()) == 6 })
	eventually(t, 30*time.Second, "b reads a's partitions again from the checkpoint", func() bool {
		return len(values(b)) == n2/2+n2/4 // its own second batch, and the second half of a's again
	})
	all := values(a, b)
	if len(all) != n1+n2 {
		t.Fatalf("%d distinct messages, want %d", len(all), n1+n2)
	}
	// Duplicates: exactly a's messages after the checkpoint.
	var want []string
	for i := n1; i < n1+n2; i++ {
		tp := TopicPartition{"txn", i % 6}
		if off, ok := checkpoint[tp]; ok && int64(i/6) >= off { // message i is at offset i/6
			want = append(want, fmt.Sprintf("txn-%d", i))
		}
	}
	slices.Sort(want)
	if got := duplicates(all); !slices.Equal(got, want) {
		t.Fatalf("duplicates %v, want those after the checkpoint %v", got, want)
	}
	produce(t, cl.Brokers, "txn", 6, n1+n2, 60)
	eventually(t, 30*time.Second, "b reads new messages on all partitions", func() bool { return len(values(a, b)) == n1+n2+60 })
}

// Two co-partitioned topics read by one group: each member gets the same
// partitions of both.
func TestKafkaCoPartitionedAssignment(t *testing.T) {
	cl := testkafka.Start(t, map[string]int{"txn": 6, "login": 6})
	produce(t, cl.Brokers, "txn", 6, 0, 60)
	produce(t, cl.Brokers, "login", 6, 0, 60)
	both := func(c *consumer) { c.topics = []string{"login"} }
	var cs []*consumer
	for range 3 {
		cs = append(cs, startConsumer(t, cl.Brokers, "txn", "g", both))
	}
	eventually(t, 30*time.Second, "three members with four partitions each", func() bool {
		for _, c := range cs {
			if len(c.k.Assigned()) != 4 {
				return false
			}
		}
		return true
	})
	for _, c := range cs {
		got := c.k.Assigned()
		if got[0].Topic != "login" || got[2].Topic != "txn" || got[0].Partition != got[2].Partition || got[1].Partition != got[3].Partition {
			t.Errorf("assignment %v is not co-partitioned", got)
		}
	}
	eventually(t, 30*time.Second, "all messages", func() bool { return len(values(cs...)) == 120 })
}

func duplicates(m map[string]int) []string {
	var d []string
	for v, n := range m {
		if n > 1 {
			d = append(d, v)
		}
	}
	slices.Sort(d)
	return d
}

// OnAssigned's offsets win; a partition it leaves out starts at the
// group's committed offset, else at the earliest.
func TestKafkaStartOffsets(t *testing.T) {
	cl := testkafka.Start(t, map[string]int{"txn": 6})
	produce(t, cl.Brokers, "txn", 6, 0, 60) // 10 per partition

	first := startConsumer(t, cl.Brokers, "txn", "g", nil)
	eventually(t, 30*time.Second, "group joined", func() bool { return len(first.k.Assigned()) == 6 })
	if err := first.k.Commit(context.Background(), map[TopicPartition]int64{{"txn", 3}: 7, {"txn", 4}: 2}); err != nil {
		t.Fatal(err)
	}
	first.stop(t)

	c := startConsumer(t, cl.Brokers, "txn", "g", func(c *consumer) {
		c.starts = map[TopicPartition]int64{{"txn", 0}: 5, {"txn", 1}: -1, {"txn", 2}: 10, {"txn", 4}: 9}
	})
	want := map[int]int64{0: 5, 1: 0, 2: 10, 3: 7, 4: 9, 5: 0}
	total := 0
	for _, off := range want {
		total += 10 - int(off)
	}
	eventually(t, 30*time.Second, "messages from the start offsets", func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return len(c.seen) == total
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	firsts := map[int]int64{}
	for _, r := range c.seen {
		if _, ok := firsts[r.Partition]; !ok {
			firsts[r.Partition] = r.Offset
		}
	}
	for p, off := range want {
		if f, ok := firsts[p]; off < 10 && (!ok || f != off) {
			t.Errorf("partition %d started at %d (read: %v), want %d", p, f, ok, off)
		}
	}
}

func TestKafkaHandlerError(t *testing.T) {
	cl := testkafka.Start(t, map[string]int{"txn": 2})
	produce(t, cl.Brokers, "txn", 2, 0, 10)
	boom := errors.New("boom")
	revoked := make(chan []TopicPartition, 1)
	k, err := NewKafka(KafkaOptions{Brokers: cl.Brokers, Topic: "txn", Group: "g", MaxWait: 50 * time.Millisecond}, KafkaHandler{
		OnRevoked: func(parts []TopicPartition) { revoked <- parts },
		OnRecord: func(ctx context.Context, rec Record) error {
			if rec.Offset == 3 {
				return boom
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = k.Run(ctx)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "offset 3") {
		t.Fatalf("Run = %v, want the handler's error", err)
	}
	if parts := <-revoked; len(parts) != 2 {
		t.Errorf("revoked %v", parts)
	}
	if len(k.Assigned()) != 0 {
		t.Errorf("still assigned %v after Run", k.Assigned())
	}
}

func TestNewKafkaOptions(t *testing.T) {
	h := KafkaHandler{OnRecord: func(context.Context, Record) error { return nil }}
	for _, tc := range []struct {
		opt KafkaOptions
		h   KafkaHandler
		err string
	}{
		{KafkaOptions{Topic: "t", Group: "g"}, h, "no brokers"},
		{KafkaOptions{Brokers: []string{"b"}, Group: "g"}, h, "no topic"},
		{KafkaOptions{Brokers: []string{"b"}, Topic: "t"}, h, "consumer group is required"},
		{KafkaOptions{Brokers: []string{"b"}, Topic: "t", Group: "g"}, KafkaHandler{}, "no OnRecord"},
	} {
		if _, err := NewKafka(tc.opt, tc.h); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("NewKafka(%+v) = %v, want %q", tc.opt, err, tc.err)
		}
	}
	k, err := NewKafka(KafkaOptions{Brokers: []string{"b"}, Topic: "a", Topics: []string{"b", "a"}, Group: "g"}, h)
	if err != nil || !slices.Equal(k.topics, []string{"a", "b"}) {
		t.Errorf("topics %v, %v", k.topics, err)
	}
}

func TestCheckCoPartitioned(t *testing.T) {
	cl := testkafka.Start(t, map[string]int{"transactions": 6, "logins": 6, "devices": 4})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if n, err := PartitionCount(ctx, cl.Brokers, "devices"); n != 4 || err != nil {
		t.Fatalf("PartitionCount = %d, %v", n, err)
	}
	if err := CheckCoPartitioned(ctx, cl.Brokers, []string{"transactions", "logins"}); err != nil {
		t.Fatal(err)
	}
	err := CheckCoPartitioned(ctx, cl.Brokers, []string{"transactions", "logins", "devices"})
	const want = "streams read by one rule must be co-partitioned: topics transactions, logins and devices have different partition counts: transactions 6, logins 6, devices 4"
	if !errors.Is(err, ErrNotCoPartitioned) || err.Error() != want {
		t.Fatalf("error %q\nwant %q", err, want)
	}
	if _, err := PartitionCount(ctx, cl.Brokers, "nope"); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("unknown topic: %v", err)
	}
}
