package source

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
)

// Errors of the Kafka source.
var (
	// ErrNotAssigned is wrapped by Commit's error for offsets of partitions
	// this member does not own (any more): they were not committed, and the
	// others were.
	ErrNotAssigned = errors.New("partition not assigned to this member")
	// ErrNotCoPartitioned is wrapped by CheckCoPartitioned's error.
	ErrNotCoPartitioned = errors.New("streams read by one rule must be co-partitioned")
)

// TopicPartition names a partition of a topic.
type TopicPartition struct {
	Topic     string
	Partition int
}

func (tp TopicPartition) String() string { return fmt.Sprintf("%s/%d", tp.Topic, tp.Partition) }

// KafkaOptions configure a Kafka consumer. Brokers, a topic and Group are
// required; the zero values of the others give the defaults.
type KafkaOptions struct {
	Brokers []string // bootstrap brokers, host:port
	Topic   string   // the topic to read
	// Topics are more topics read by the same group, for streams that one
	// rule reads together: they must be co-partitioned (CheckCoPartitioned),
	// and the range assignment then gives partition p of every topic to the
	// same member. Topic, when set, comes first.
	Topics []string
	Group  string // the consumer group id

	// Dialer connects to the brokers (TLS, SASL, client id, timeouts).
	// Default: a plain dialer with a 10s timeout.
	Dialer *kafka.Dialer

	// Fetching, per partition (see kafka.ReaderConfig). MinBytes is what a
	// fetch waits for at the broker, up to MaxWait: default 1 byte, so that
	// an event is passed on as soon as it is there. MaxBytes bounds a fetch
	// response: default 1 MiB (Kafka's max.partition.fetch.bytes). MaxWait
	// default 500ms. QueueCapacity is how many messages a partition's
	// reader decodes ahead of the handler: default 1024. Larger fetches or
	// queues did not read faster from kfake on 2 cores, and cost memory
	// (BenchmarkKafkaConsume).
	MinBytes, MaxBytes int
	MaxWait            time.Duration
	QueueCapacity      int

	// Group membership (see kafka.ConsumerGroupConfig). A member that has
	// not sent a heartbeat for SessionTimeout (default 10s; Kafka's
	// group.min.session.timeout.ms is 6s by default, kfake's too) is
	// considered dead and its partitions move; HeartbeatInterval default
	// 1s; RebalanceTimeout (default 30s) is how long the coordinator waits
	// for members to rejoin, so it bounds OnRevoked's work.
	SessionTimeout, HeartbeatInterval, RebalanceTimeout time.Duration
	// JoinGroupBackoff is the wait before joining the group again after an
	// error. Default 1s.
	JoinGroupBackoff time.Duration

	// Logger receives group changes and connection errors. Default: discard.
	Logger *slog.Logger
}

// EnsureDefaults fills in the zero fields.
func (o *KafkaOptions) EnsureDefaults() {
	if o.Dialer == nil {
		o.Dialer = &kafka.Dialer{Timeout: 10 * time.Second, DualStack: true}
	}
	if o.MinBytes <= 0 {
		o.MinBytes = 1
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 1 << 20
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 500 * time.Millisecond
	}
	if o.QueueCapacity <= 0 {
		o.QueueCapacity = 1024
	}
	if o.SessionTimeout <= 0 {
		o.SessionTimeout = 10 * time.Second
	}
	if o.HeartbeatInterval <= 0 {
		o.HeartbeatInterval = time.Second
	}
	if o.RebalanceTimeout <= 0 {
		o.RebalanceTimeout = 30 * time.Second
	}
	if o.JoinGroupBackoff <= 0 {
		o.JoinGroupBackoff = time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// topics is Topic followed by Topics, without duplicates.
func (o *KafkaOptions) topics() []string {
	var ts []string
	if o.Topic != "" {
		ts = append(ts, o.Topic)
	}
	for _, t := range o.Topics {
		if !slices.Contains(ts, t) {
			ts = append(ts, t)
		}
	}
	return ts
}

// KafkaHandler is what a Kafka consumer calls. OnRecord is required.
type KafkaHandler struct {
	// OnAssigned is called when the group gives this member partitions,
	// before any of them is read. It returns the offset to start each at:
	// the checkpointed Next of its last record processed. A partition
	// missing from the map, or with a negative offset, starts at the
	// group's committed offset, or at the earliest offset if the group has
	// none. An error stops the consumer (Run returns it).
	OnAssigned func(ctx context.Context, parts []TopicPartition) (map[TopicPartition]int64, error)
	// OnRevoked is called when the partitions of OnAssigned are taken away
	// (a rebalance, or the end of Run), once their readers have stopped and
	// before this member rejoins the group: no other member reads them yet,
	// so it is the moment to take a last checkpoint and Commit it. It must
	// finish within RebalanceTimeout.
	OnRevoked func(parts []TopicPartition)
	// OnRecord is called for each record, from its partition's own
	// goroutine, in offset order; the partitions are read concurrently. The
	// record's slices are its own: they may be kept. An error stops the
	// consumer (Run returns it); ctx ends when the partition is revoked.
	OnRecord func(ctx context.Context, rec Record) error
	// OnRecords, when set, is called instead of OnRecord with the records
	// of one partition that were read ahead and are there to take without
	// waiting, in offset order: at least one, at most QueueCapacity+1. A
	// busy partition thus hands its records over in batches, an idle one
	// each as it comes. The slice is reused once the call returns; the
	// records' slices are their own.
	OnRecords func(ctx context.Context, recs []Record) error
}

// Kafka consumes topics as a member of a consumer group (kafka-go's
// ConsumerGroup): the processes that share the group share the partitions,
// and a rebalance moves them. Each assigned partition is read by a reader
// goroutine of its own, in order. Offsets are committed to the group only
// by Commit, at checkpoints, never automatically; so after a crash the
// next owner of a partition resumes at the last checkpoint, the engine's
// own (OnAssigned) or else the group's.
type Kafka struct {
	opt    KafkaOptions
	h      KafkaHandler
	topics []string

	mu    sync.Mutex
	gen   *kafka.Generation // the current generation, nil between two
	owned map[TopicPartition]bool
}

// NewKafka returns a consumer; Run runs it.
func NewKafka(opt KafkaOptions, h KafkaHandler) (*Kafka, error) {
	opt.EnsureDefaults()
	k := &Kafka{opt: opt, h: h, topics: opt.topics()}
	switch {
	case len(opt.Brokers) == 0:
		return nil, errors.New("kafka source: no brokers")
	case len(k.topics) == 0:
		return nil, errors.New("kafka source: no topic")
	case opt.Group == "":
		return nil, fmt.Errorf("kafka source %s: a consumer group is required", strings.Join(k.topics, ","))
	case h.OnRecord == nil && h.OnRecords == nil:
		return nil, errors.New("kafka source: no OnRecord handler")
	}
	return k, nil
}

// Run joins the group and consumes the partitions it is given until ctx
// ends or a handler fails. It returns nil after ctx ends, once the
// partitions are revoked (OnRevoked) and the member has left the group;
// otherwise the handler's error. Connection and group errors are logged and
// retried. Run must not be called twice at once.
func (k *Kafka) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	log := k.opt.Logger.With("group", k.opt.Group, "topics", k.topics)
	cg, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID:                k.opt.Group,
		Brokers:           k.opt.Brokers,
		Dialer:            k.opt.Dialer,
		Topics:            k.topics,
		GroupBalancers:    []kafka.GroupBalancer{sortedRange{}}, // co-partitioned topics stay together
		HeartbeatInterval: k.opt.HeartbeatInterval,
		SessionTimeout:    k.opt.SessionTimeout,
		RebalanceTimeout:  k.opt.RebalanceTimeout,
		JoinGroupBackoff:  k.opt.JoinGroupBackoff,
		StartOffset:       kafka.FirstOffset,
		ErrorLogger: kafka.LoggerFunc(func(format string, args ...any) {
			log.Warn("kafka consumer group: " + fmt.Sprintf(format, args...))
		}),
	})
	if err != nil {
		return fmt.Errorf("kafka source: %w", err)
	}
	for {
		gen, err := cg.Next(ctx)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, kafka.ErrGroupClosed) {
				break
			}
			log.Warn("kafka source: joining the group failed; retrying", "err", err)
			continue // the group backs off by itself
		}
		k.startGeneration(ctx, cancel, gen, log)
	}
	cg.Close() // ends the generation, waits for OnRevoked, leaves the group
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// sortedRange is kafka-go's range balancer given the partitions in order.
// kafka-go ranges over the partitions in the order of the metadata
// response, which the Kafka protocol does not specify (kfake's comes from a
// map, so it varies): then partition p of two co-partitioned topics can go
// to different members. Java's RangeAssignor sorts them.
type sortedRange struct{ kafka.RangeGroupBalancer }

func (b sortedRange) AssignGroups(members []kafka.GroupMember, parts []kafka.Partition) kafka.GroupMemberAssignments {
	parts = slices.Clone(parts)
	slices.SortFunc(parts, func(a, b kafka.Partition) int {
		if c := strings.Compare(a.Topic, b.Topic); c != 0 {
			return c
		}
		return a.ID - b.ID
	})
	return b.RangeGroupBalancer.AssignGroups(members, parts)
}

// startGeneration starts reading the partitions of a new generation, and a
// goroutine that calls OnRevoked once they have stopped.
func (k *Kafka) startGeneration(ctx context.Context, fail context.CancelCauseFunc, gen *kafka.Generation, log *slog.Logger) {
	var parts []TopicPartition
	committed := make(map[TopicPartition]int64)
	for topic, as := range gen.Assignments {
		for _, a := range as {
			tp := TopicPartition{topic, a.ID}
			parts = append(parts, tp)
			committed[tp] = a.Offset
		}
	}
	slices.SortFunc(parts, func(a, b TopicPartition) int {
		if c := strings.Compare(a.Topic, b.Topic); c != 0 {
			return c
		}
		return a.Partition - b.Partition
	})
	owned := make(map[TopicPartition]bool, len(parts))
	for _, tp := range parts {
		owned[tp] = true
	}
	k.mu.Lock()
	k.gen, k.owned = gen, owned
	k.mu.Unlock()
	log.Info("kafka partitions assigned", "generation", gen.ID, "partitions", parts)

	var starts map[TopicPartition]int64
	if k.h.OnAssigned != nil && len(parts) > 0 {
		var err error
		if starts, err = k.h.OnAssigned(ctx, parts); err != nil {
			fail(fmt.Errorf("kafka source: assigning %v: %w", parts, err))
			parts = nil // nothing to read or revoke
		}
	}
	var readers sync.WaitGroup
	readers.Add(len(parts))
	for _, tp := range parts {
		offset, ok := starts[tp]
		if !ok || offset < 0 {
			offset = committed[tp]
		}
		gen.Start(func(gctx context.Context) {
			defer readers.Done()
			rctx, stop := mergeDone(ctx, gctx)
			defer stop()
			if err := k.read(rctx, tp, offset, log); err != nil {
				fail(err)
			}
		})
	}
	// The generation waits for this before the member rejoins the group.
	gen.Start(func(gctx context.Context) {
		select {
		case <-gctx.Done():
		case <-ctx.Done():
		}
		readers.Wait()
		if k.h.OnRevoked != nil && len(parts) > 0 {
			k.h.OnRevoked(parts)
		}
		k.mu.Lock()
		if k.gen == gen {
			k.gen, k.owned = nil, nil
		}
		k.mu.Unlock()
		log.Info("kafka partitions revoked", "generation", gen.ID, "partitions", parts)
	})
}

// mergeDone returns a context that ends when ctx or other does.
func mergeDone(ctx, other context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(other, cancel)
	return ctx, func() { stop(); cancel() }
}

// read reads one partition from offset until ctx ends, and returns the
// handler's error if it fails.
func (k *Kafka) read(ctx context.Context, tp TopicPartition, offset int64, log *slog.Logger) error {
	log = log.With("topic", tp.Topic, "partition", tp.Partition)
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers:         k.opt.Brokers,
		Topic:           tp.Topic,
		Partition:       tp.Partition,
		Dialer:          k.opt.Dialer,
		MinBytes:        k.opt.MinBytes,
		MaxBytes:        k.opt.MaxBytes,
		MaxWait:         k.opt.MaxWait,
		QueueCapacity:   k.opt.QueueCapacity,
		ReadLagInterval: -1,
		ErrorLogger: kafka.LoggerFunc(func(format string, args ...any) {
			log.Warn("kafka reader: " + fmt.Sprintf(format, args...))
		}),
	})
	defer r.Close()
	if err := r.SetOffset(offset); err != nil {
		return fmt.Errorf("kafka source %s: %w", tp, err)
	}
	var batch []Record
	for {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			// The reader retries by itself; this is for the log.
			log.Warn("kafka source: fetch failed", "err", err)
			continue
		}
		batch = append(batch[:0], kafkaRecord(m))
		if k.h.OnRecords == nil {
			if err := k.h.OnRecord(ctx, batch[0]); err != nil {
				if ctx.Err() != nil {
					return nil // revoked while the handler was busy
				}
				return fmt.Errorf("kafka source %s offset %d: %w", tp, m.Offset, err)
			}
			continue
		}
		// Take what the reader has queued: this goroutine is the queue's
		// only consumer, so these fetches do not wait.
		var ferr error
		for n := r.Stats().QueueLength; n > 0; n-- {
			if m, ferr = r.FetchMessage(ctx); ferr != nil {
				break
			}
			batch = append(batch, kafkaRecord(m))
		}
		if err := k.h.OnRecords(ctx, batch); err != nil {
			if ctx.Err() != nil {
				return nil // revoked while the handler was busy
			}
			return fmt.Errorf("kafka source %s offsets %d-%d: %w", tp, batch[0].Offset, batch[len(batch)-1].Offset, err)
		}
		clear(batch) // the records' slices are the handler's now
		if ferr != nil {
			if ctx.Err() != nil {
				return nil
			}
			log.Warn("kafka source: fetch failed", "err", ferr)
		}
	}
}

func kafkaRecord(m kafka.Message) Record {
	return Record{
		Source: m.Topic, Partition: m.Partition, Offset: m.Offset, Next: m.Offset + 1,
		Key: m.Key, Value: m.Value, Time: m.Time, Lag: max(0, m.HighWaterMark-m.Offset-1),
	}
}

// Assigned returns the partitions this member owns now, sorted.
func (k *Kafka) Assigned() []TopicPartition {
	k.mu.Lock()
	defer k.mu.Unlock()
	parts := make([]TopicPartition, 0, len(k.owned))
	for tp := range k.owned {
		parts = append(parts, tp)
	}
	slices.SortFunc(parts, func(a, b TopicPartition) int {
		if c := strings.Compare(a.Topic, b.Topic); c != 0 {
			return c
		}
		return a.Partition - b.Partition
	})
	return parts
}

// Commit commits offsets to the group, for partitions this member owns:
// each the Next of the last record a checkpoint covers, where the next
// owner starts if it has no checkpoint of its own. It may be called from
// OnRevoked. Offsets of partitions not owned are left out, and the error
// then wraps ErrNotAssigned (the others are committed); after a rebalance
// the broker may also refuse the commit as coming from an old generation.
func (k *Kafka) Commit(ctx context.Context, offsets map[TopicPartition]int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	k.mu.Lock()
	gen, owned := k.gen, k.owned
	k.mu.Unlock()
	byTopic := make(map[string]map[int]int64)
	var skipped []TopicPartition
	for tp, off := range offsets {
		if !owned[tp] {
			skipped = append(skipped, tp)
			continue
		}
		if byTopic[tp.Topic] == nil {
			byTopic[tp.Topic] = make(map[int]int64)
		}
		byTopic[tp.Topic][tp.Partition] = off
	}
	if len(byTopic) > 0 {
		if err := gen.CommitOffsets(byTopic); err != nil {
			return fmt.Errorf("kafka source: committing offsets for group %s: %w", k.opt.Group, err)
		}
	}
	if len(skipped) > 0 {
		return fmt.Errorf("kafka source: offsets of %v not committed: %w", skipped, ErrNotAssigned)
	}
	return nil
}

// PartitionCount returns the number of partitions of a topic.
func PartitionCount(ctx context.Context, brokers []string, topic string) (int, error) {
	d := &kafka.Dialer{Timeout: 10 * time.Second, DualStack: true}
	var errs []error
	for _, b := range brokers {
		ps, err := d.LookupPartitions(ctx, "tcp", b, topic)
		if err == nil && len(ps) == 0 {
			err = errors.New("no partitions")
		}
		if err == nil {
			return len(ps), nil
		}
		errs = append(errs, fmt.Errorf("via %s: %w", b, err))
		if ctx.Err() != nil {
			break
		}
	}
	if len(errs) == 0 {
		return 0, fmt.Errorf("kafka topic %s: no brokers", topic)
	}
	return 0, fmt.Errorf("kafka topic %s: %w", topic, errors.Join(errs...))
}

// CheckCoPartitioned checks that topics have the same number of
// partitions, as the streams that one rule reads must (they must also be
// partitioned by the rule's key with the same partitioner, which cannot be
// checked here). The error names every topic with its count and wraps
// ErrNotCoPartitioned, e.g. "streams read by one rule must be
// co-partitioned: topics transactions and logins have different partition
// counts: transactions 6, logins 4".
func CheckCoPartitioned(ctx context.Context, brokers []string, topics []string) error {
	counts := make([]int, len(topics))
	for i, t := range topics {
		n, err := PartitionCount(ctx, brokers, t)
		if err != nil {
			return err
		}
		counts[i] = n
	}
	for _, n := range counts {
		if n != counts[0] {
			parts := make([]string, len(topics))
			for i, t := range topics {
				parts[i] = fmt.Sprintf("%s %d", t, counts[i])
			}
			return fmt.Errorf("%w: topics %s have different partition counts: %s",
				ErrNotCoPartitioned, andList(topics), strings.Join(parts, ", "))
		}
	}
	return nil
}

// andList joins names as "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
