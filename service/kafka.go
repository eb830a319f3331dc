package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kestrelcep/kestrel/config"
	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/event"
	"github.com/kestrelcep/kestrel/patterns"
	"github.com/kestrelcep/kestrel/source"
)

// kafkaSource is one consumer group member reading the topics of every
// stream configured with that group: partition p of all of them comes to the
// same member, so streams that one rule reads meet in one process.
type kafkaSource struct {
	s       *Service
	group   string
	brokers []string
	streams map[string]*patterns.Stream // by topic
	k       *source.Kafka
	// changelog receives the state of this consumer's partition groups at
	// every checkpoint (groups.go).
	changelog *changelog

	mu    sync.Mutex
	parts map[source.TopicPartition]*kafkaPart // the assigned ones
}

// kafkaPart is an assigned partition, as its reader goroutine needs it.
type kafkaPart struct {
	part int // the engine's partition
	dec  *decoder
	pos  string // its events' Position.Source: "topic/partition", as Record.Position has it
}

func kafkaPartName(tp source.TopicPartition) string {
	return "kafka:" + tp.Topic + "/" + strconv.Itoa(tp.Partition)
}

// parseKafkaPartName is the inverse of kafkaPartName.
func parseKafkaPartName(name string) (source.TopicPartition, bool) {
	rest, ok := strings.CutPrefix(name, "kafka:")
	if !ok {
		return source.TopicPartition{}, false
	}
	i := strings.LastIndexByte(rest, '/')
	if i < 0 {
		return source.TopicPartition{}, false
	}
	p, err := strconv.Atoi(rest[i+1:])
	return source.TopicPartition{Topic: rest[:i], Partition: p}, err == nil
}

// startKafka registers a stream's topic with its group's consumer; the
// consumers start once every stream is registered (startKafkaConsumers).
func (s *Service) startKafka(st *patterns.Stream, c *config.KafkaSource) error {
	key := c.Group + "\x00" + strings.Join(c.Brokers, ",")
	ks := s.kafka[key]
	if ks == nil {
		ks = &kafkaSource{s: s, group: c.Group, brokers: c.Brokers, streams: map[string]*patterns.Stream{},
			parts: map[source.TopicPartition]*kafkaPart{}}
		s.kafka[key] = ks
	}
	if other := ks.streams[c.Topic]; other != nil {
		return fmt.Errorf("topic %s is already the source of stream %s", c.Topic, other.Name)
	}
	ks.streams[c.Topic] = st
	return nil
}

// startKafkaConsumers checks that the topics of streams read by one rule are
// co-partitioned, and starts each group's consumer.
func (s *Service) startKafkaConsumers() error {
	for _, ks := range s.kafka {
		topics := slices.Sorted(func(yield func(string) bool) {
			for t := range ks.streams {
				if !yield(t) {
					return
				}
			}
		})
		ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
		for _, r := range s.rs.Load().Rules {
			var read []string
			for _, t := range topics {
				if r.Reads[ks.streams[t].Index] {
					read = append(read, t)
				}
			}
			if len(read) > 1 {
				if err := source.CheckCoPartitioned(ctx, ks.brokers, read); err != nil {
					cancel()
					return fmt.Errorf("rule %s: %w", r.Name, err)
				}
			}
		}
		cancel()
		cctx, ccancel := context.WithTimeout(s.ctx, 30*time.Second)
		n, err := source.PartitionCount(cctx, ks.brokers, topics[0])
		if err == nil {
			ks.changelog, err = openChangelog(cctx, ks.brokers, changelogTopic(ks.group), n)
		}
		ccancel()
		if err != nil {
			return fmt.Errorf("kafka group %s: %w", ks.group, err)
		}
		k, err := source.NewKafka(source.KafkaOptions{Brokers: ks.brokers, Topics: topics, Group: ks.group, Logger: s.log,
			SessionTimeout: s.cfg.Kafka.SessionTimeout},
			source.KafkaHandler{OnAssigned: ks.assigned, OnRevoked: ks.revoked, OnRecords: ks.records})
		if err != nil {
			return err
		}
		ks.k = k
		s.goSource("kafka group "+ks.group, k.Run)
	}
	return nil
}

func (ks *kafkaSource) assigned(ctx context.Context, tps []source.TopicPartition) (map[source.TopicPartition]int64, error) {
	from := map[source.TopicPartition]int64{}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if err := ks.restoreGroups(ctx, tps); err != nil {
		return nil, err
	}
	ks.s.feed.RLock() // no deploy between the index and AddPartition
	defer ks.s.feed.RUnlock()
	for _, tp := range tps {
		st := ks.streams[tp.Topic]
		if cur := ks.s.rs.Load().Stream(st.Name); cur != nil {
			st = cur // its index now, after deploys
		}
		part, next, err := ks.s.rt.AddPartition(ctx, st.Index, kafkaPartName(tp), -1, int32(tp.Partition))
		if err != nil {
			return nil, err
		}
		ks.parts[tp] = &kafkaPart{part: part, dec: &decoder{stream: st, json: event.NewJSONDecoder(st.Schema)},
			pos: tp.Topic + "/" + strconv.Itoa(tp.Partition)}
		from[tp] = next
	}
	ks.s.log.Info("kafka partitions assigned", "group", ks.group, "partitions", len(tps))
	return from, nil
}

// revoked takes a checkpoint, which commits the partitions' offsets, before
// another member takes them over.
func (ks *kafkaSource) revoked(tps []source.TopicPartition) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := ks.s.Checkpoint(ctx); err != nil {
		ks.s.log.Warn("checkpoint at a rebalance", "err", err)
	}
	ks.dropGroups(ctx, tps)
	ks.mu.Lock()
	for _, tp := range tps {
		delete(ks.parts, tp)
	}
	ks.mu.Unlock()
	ks.s.log.Info("kafka partitions revoked", "group", ks.group, "partitions", len(tps))
}

// records hands the engine, as one batch, the records a partition's reader
// had queued.
func (ks *kafkaSource) records(ctx context.Context, recs []source.Record) error {
	tp := source.TopicPartition{Topic: recs[0].Source, Partition: recs[0].Partition}
	ks.mu.Lock()
	p := ks.parts[tp]
	ks.mu.Unlock()
	ks.s.metrics.consumerLag.WithLabelValues(tp.Topic, strconv.Itoa(tp.Partition)).Set(float64(recs[len(recs)-1].Lag))
	_, err := ks.s.pushDecoded(ctx, p.dec, p.part, func(b *engine.Batch) error {
		b.Next, b.Events = recs[len(recs)-1].Next, make([]*event.Event, 0, len(recs))
		for i := range recs {
			p.dec.decode(b, recs[i].Value, event.Position{Source: p.pos, Offset: recs[i].Offset})
		}
		return nil
	})
	if errors.Is(err, errStreamGone) {
		return nil // the stream was deleted
	}
	return err
}

// commit commits the offsets of a checkpoint's Kafka partitions to the
// group, where another member resumes if it has no checkpoint of its own.
func (s *Service) commitKafka(ctx context.Context, parts []engine.PartitionInfo) {
	for _, ks := range s.kafka {
		if ks.k == nil {
			continue
		}
		offsets := map[source.TopicPartition]int64{}
		for _, p := range parts {
			if tp, ok := parseKafkaPartName(p.Name); ok && ks.streams[tp.Topic] != nil && p.Next >= 0 {
				offsets[tp] = p.Next
			}
		}
		if len(offsets) == 0 {
			continue
		}
		if err := ks.k.Commit(ctx, offsets); err != nil {
			s.log.Debug("committing kafka offsets", "group", ks.group, "err", err)
		}
	}
}
