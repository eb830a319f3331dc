package tables

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
)

// KafkaOptions configure a Kafka source. The zero values give the defaults.
type KafkaOptions struct {
	Brokers []string // bootstrap brokers, host:port; required
	Topic   string   // the compacted topic that holds the table; required
	// Dialer connects to the brokers (TLS, SASL, client id, timeouts).
	// Default: a plain dialer with a 10s timeout.
	Dialer *kafka.Dialer
	// MaxWait is how long a fetch waits at the broker for new messages.
	// Default 500ms.
	MaxWait time.Duration
	// Logger receives connection errors and bad messages. Default: discard.
	Logger *slog.Logger
}

// EnsureDefaults fills in the zero fields.
func (o *KafkaOptions) EnsureDefaults() {
	if o.Dialer == nil {
		o.Dialer = &kafka.Dialer{Timeout: 10 * time.Second, DualStack: true}
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 500 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// KafkaStats describe a Kafka source.
type KafkaStats struct {
	Partitions  int   // partitions of the topic, once found
	CaughtUp    int   // partitions read up to their high-water mark at start
	Messages    int64 // messages applied, bad ones included
	Upserts     int64
	Deletes     int64 // tombstones
	BadMessages int64 // skipped: a key or value that does not fit the table
	LastError   error // the last error finding the topic or reading it
}

// Kafka keeps a table loaded from a compacted Kafka topic: it reads every
// partition from its earliest offset, without a consumer group, and goes on
// reading new messages for as long as it runs. The table is the topic's
// latest value per key; it is rebuilt from the topic at every start.
//
// Until every partition has been read up to the high-water mark it had at
// start the rows go into a private map and lookups see the table as it was
// (empty, for a new table); then they are published at once and Ready is
// closed. After that, each batch of messages is applied as it arrives. The
// source owns the table: do not load it from elsewhere.
type Kafka struct {
	t      *Table
	opt    KafkaOptions
	ready  chan struct{}
	cancel context.CancelFunc
	done   chan struct{} // closed when every goroutine has returned
	items  chan kafkaItem

	partitions, caughtUp             atomic.Int64
	messages, upserts, deletes, bads atomic.Int64
	mu                               sync.Mutex
	lastErr                          error
}

// kafkaItem is one message, decoded by its partition's reader.
type kafkaItem struct {
	partition int
	offset    int64
	key       string // the map key
	row       *Row   // nil: a tombstone
	err       error  // a bad message
}

// maxKafkaBatch is the most messages applied as one update.
const maxKafkaBatch = 4096

// StartKafka starts keeping t loaded from a compacted topic. It fails only
// on bad options; connection errors are retried, logged, and reported by
// Wait and Stats.
func StartKafka(t *Table, opt KafkaOptions) (*Kafka, error) {
	opt.EnsureDefaults()
	if len(opt.Brokers) == 0 || opt.Topic == "" {
		return nil, fmt.Errorf("table %q: kafka source: brokers and topic are required", t.l.Name)
	}
	ctx, cancel := context.WithCancel(context.Background())
	k := &Kafka{
		t: t, opt: opt, cancel: cancel,
		ready: make(chan struct{}),
		done:  make(chan struct{}),
		items: make(chan kafkaItem, maxKafkaBatch),
	}
	go k.run(ctx)
	return k, nil
}

// Ready is closed when the table holds every partition's messages up to
// the high-water mark the partition had when the source started.
func (k *Kafka) Ready() <-chan struct{} { return k.ready }

// Wait waits until Ready. If ctx ends first it returns ctx's error with the
// last connection error, if any; after Close, ErrClosed.
func (k *Kafka) Wait(ctx context.Context) error {
	select {
	case <-k.ready:
		return nil
	case <-k.done:
		select {
		case <-k.ready:
			return nil
		default:
		}
		return fmt.Errorf("table %q: %w", k.t.l.Name, ErrClosed)
	case <-ctx.Done():
		st := k.Stats()
		msg := fmt.Sprintf("table %q: kafka topic %s not loaded (%d of %d partitions caught up)",
			k.t.l.Name, k.opt.Topic, st.CaughtUp, st.Partitions)
		if st.LastError != nil {
			return fmt.Errorf("%s: %w (last error: %v)", msg, ctx.Err(), st.LastError)
		}
		return fmt.Errorf("%s: %w", msg, ctx.Err())
	}
}

// Stats returns the source's statistics.
func (k *Kafka) Stats() KafkaStats {
	k.mu.Lock()
	last := k.lastErr
	k.mu.Unlock()
	return KafkaStats{
		Partitions:  int(k.partitions.Load()),
		CaughtUp:    int(k.caughtUp.Load()),
		Messages:    k.messages.Load(),
		Upserts:     k.upserts.Load(),
		Deletes:     k.deletes.Load(),
		BadMessages: k.bads.Load(),
		LastError:   last,
	}
}

// Close stops reading and waits for the source's goroutines to return. The
// table keeps its rows.
func (k *Kafka) Close() error {
	k.cancel()
	<-k.done
	return nil
}

func (k *Kafka) setErr(err error) {
	k.mu.Lock()
	k.lastErr = err
	k.mu.Unlock()
}

// partition is what the source learns of a partition at start.
type partition struct {
	id          int
	first, high int64 // earliest offset and high-water mark
}

func (k *Kafka) run(ctx context.Context) {
	var readers sync.WaitGroup
	defer func() {
		readers.Wait()
		close(k.done)
	}()
	parts := k.discover(ctx)
	if parts == nil {
		return // closed
	}
	k.partitions.Store(int64(len(parts)))
	for _, p := range parts {
		readers.Add(1)
		go func() {
			defer readers.Done()
			k.read(ctx, p.id)
		}()
	}
	k.apply(ctx, parts)
}

// discover finds the topic's partitions and their offsets, retrying until it
// succeeds or ctx ends (then nil).
func (k *Kafka) discover(ctx context.Context) []partition {
	backoff := 100 * time.Millisecond
	for {
		parts, err := k.offsets(ctx)
		if err == nil {
			return parts
		}
		if ctx.Err() != nil {
			return nil
		}
		k.setErr(err)
		k.opt.Logger.Warn("table source: cannot read the topic's partitions; retrying",
			"table", k.t.l.Name, "topic", k.opt.Topic, "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

func (k *Kafka) offsets(ctx context.Context) ([]partition, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var errs []error
	for _, broker := range k.opt.Brokers {
		ps, err := k.opt.Dialer.LookupPartitions(ctx, "tcp", broker, k.opt.Topic)
		if err == nil && len(ps) == 0 {
			err = fmt.Errorf("no partitions")
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("kafka topic %s via %s: %w", k.opt.Topic, broker, err))
			continue
		}
		parts := make([]partition, len(ps))
		for i, p := range ps {
			conn, err := k.opt.Dialer.DialLeader(ctx, "tcp", broker, k.opt.Topic, p.ID)
			if err != nil {
				return nil, fmt.Errorf("kafka topic %s partition %d: %w", k.opt.Topic, p.ID, err)
			}
			first, high, err := conn.ReadOffsets()
			conn.Close()
			if err != nil {
				return nil, fmt.Errorf("kafka topic %s partition %d: offsets: %w", k.opt.Topic, p.ID, err)
			}
			parts[i] = partition{id: p.ID, first: first, high: high}
		}
		return parts, nil
	}
	return nil, errors.Join(errs...)
}

// read reads one partition from its earliest offset, decodes each message
// and hands it to apply, until ctx ends.
func (k *Kafka) read(ctx context.Context, p int) {
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers:   k.opt.Brokers,
		Topic:     k.opt.Topic,
		Partition: p,
		Dialer:    k.opt.Dialer,
		MinBytes:  1,
		MaxBytes:  10 << 20,
		MaxWait:   k.opt.MaxWait,
		ErrorLogger: kafka.LoggerFunc(func(format string, args ...any) {
			k.opt.Logger.Warn("table source: kafka reader: "+fmt.Sprintf(format, args...), "table", k.t.l.Name)
		}),
	})
	defer r.Close()
	backoff := 100 * time.Millisecond
	for {
		m, err := r.FetchMessage(ctx) // a reader without a group starts at the first offset
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			err = fmt.Errorf("kafka topic %s partition %d: %w", k.opt.Topic, p, err)
			k.setErr(err)
			k.opt.Logger.Warn("table source: read failed; retrying", "table", k.t.l.Name, "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 10*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		it := kafkaItem{partition: p, offset: m.Offset}
		if len(m.Value) == 0 {
			key, err := k.t.l.parseKey(m.Key)
			if err == nil {
				it.key, _ = k.t.l.keyString(key)
			}
			it.err = err
		} else {
			it.key, it.row, it.err = k.t.l.decodeKeyed(m.Key, m.Value)
		}
		select {
		case k.items <- it:
		case <-ctx.Done():
			return
		}
	}
}

// apply applies the decoded messages in batches and signals Ready.
func (k *Kafka) apply(ctx context.Context, parts []partition) {
	high := make(map[int]int64, len(parts))
	waiting := 0 // partitions not caught up
	for _, p := range parts {
		if p.high > p.first {
			high[p.id] = p.high
			waiting++
		}
	}
	k.caughtUp.Store(int64(len(parts) - waiting))
	pending := make(map[string]*Row) // the rows until Ready
	publish := func() {
		k.t.replace(pending)
		pending = nil
		close(k.ready)
		k.opt.Logger.Info("table loaded", "table", k.t.l.Name, "topic", k.opt.Topic,
			"rows", k.t.Len(), "partitions", len(parts), "bad_messages", k.bads.Load())
	}
	if waiting == 0 {
		publish()
	}
	var batch []change
	for {
		var it kafkaItem
		select {
		case <-ctx.Done():
			return
		case it = <-k.items:
		}
		batch = batch[:0]
	drain:
		for n := 0; ; n++ {
			k.messages.Add(1)
			switch {
			case it.err != nil:
				if k.bads.Add(1) <= maxLoggedBadRows || k.bads.Load()%1000 == 0 {
					k.opt.Logger.Warn("table message skipped", "table", k.t.l.Name, "topic", k.opt.Topic,
						"partition", it.partition, "offset", it.offset, "bad_messages", k.bads.Load(),
						"err", fmt.Errorf("%w: %v", ErrBadRow, it.err))
				}
			case pending != nil && it.row == nil:
				k.deletes.Add(1)
				delete(pending, it.key)
			case pending != nil:
				k.upserts.Add(1)
				pending[it.key] = it.row
			default:
				if it.row == nil {
					k.deletes.Add(1)
				} else {
					k.upserts.Add(1)
				}
				batch = append(batch, change{key: it.key, row: it.row})
			}
			if h, ok := high[it.partition]; ok && it.offset+1 >= h {
				delete(high, it.partition)
				waiting--
				k.caughtUp.Add(1)
			}
			if n+1 == maxKafkaBatch {
				break
			}
			select {
			case it = <-k.items:
			default:
				break drain
			}
		}
		if pending != nil {
			if waiting == 0 {
				publish()
			}
			continue
		}
		k.t.apply(batch)
	}
}
