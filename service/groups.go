package service

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/segmentio/kafka-go"

	"github.com/kestrelcep/kestrel/engine"
	"github.com/kestrelcep/kestrel/source"
	"github.com/kestrelcep/kestrel/state"
)

// Partition groups and the changelog. The engine keeps the state of the keys
// read from Kafka partition p as group p (the streams of a rule are
// co-partitioned). When the consumer group gives this process partition p,
// its state comes back from where it was last checkpointed: this process's
// own checkpoint if it was the last to checkpoint p, else the changelog
// topic, to which every owner writes the state of its groups after each
// checkpoint (a compacted topic, one partition per group, the state key as
// message key). When p is taken away, a last checkpoint is written and the
// group is dropped.
//
// A group's checkpoint in the changelog ends with its `m` record (its
// partitions and offsets), so a reader applies the records up to the last
// `m` and ignores the rest, the part of a checkpoint whose writer died midway.

// Headers of changelog records.
const (
	hdrInstance   = "kestrel-instance"
	hdrCheckpoint = "kestrel-checkpoint"
)

// changelog is one consumer group's changelog topic.
type changelog struct {
	topic   string
	brokers []string
	w       *kafka.Writer
}

func changelogTopic(group string) string { return group + "-changelog" }

// openChangelog makes sure the topic exists, compacted, with one partition
// per input partition.
func openChangelog(ctx context.Context, brokers []string, topic string, partitions int) (*changelog, error) {
	conn, err := kafka.DialContext(ctx, "tcp", brokers[0])
	if err != nil {
		return nil, fmt.Errorf("changelog %s: %w", topic, err)
	}
	defer conn.Close()
	ps, err := conn.ReadPartitions(topic)
	if err != nil || len(ps) == 0 {
		ctrl, err := conn.Controller()
		if err != nil {
			return nil, fmt.Errorf("changelog %s: %w", topic, err)
		}
		cc, err := kafka.DialContext(ctx, "tcp", ctrl.Host+":"+strconv.Itoa(ctrl.Port))
		if err != nil {
			return nil, fmt.Errorf("changelog %s: %w", topic, err)
		}
		defer cc.Close()
		err = cc.CreateTopics(kafka.TopicConfig{Topic: topic, NumPartitions: partitions, ReplicationFactor: 1,
			ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: "compact"}}})
		if err != nil && !errors.Is(err, kafka.TopicAlreadyExists) {
			return nil, fmt.Errorf("creating changelog %s: %w", topic, err)
		}
	} else if len(ps) < partitions {
		return nil, fmt.Errorf("changelog %s has %d partitions, the input topics %d", topic, len(ps), partitions)
	}
	return &changelog{topic: topic, brokers: brokers, w: &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: topic,
		Balancer:     kafka.BalancerFunc(func(m kafka.Message, _ ...int) int { return m.Partition }),
		RequiredAcks: kafka.RequireAll, BatchSize: 1000, BatchTimeout: time.Millisecond, BatchBytes: 16 << 20}}, nil
}

// write appends a checkpoint's records of the groups to the changelog and
// waits until the brokers have them.
func (c *changelog) write(ctx context.Context, msgs []kafka.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	return c.w.WriteMessages(ctx, msgs...)
}

// read returns the state of a group as of its last complete checkpoint in
// the changelog, and who wrote it; ok is false when there is none.
func (c *changelog) read(ctx context.Context, group int32) (state map[string][]byte, instance string, ckID uint64, ok bool, err error) {
	conn, err := kafka.DialLeader(ctx, "tcp", c.brokers[0], c.topic, int(group))
	if err != nil {
		return nil, "", 0, false, err
	}
	defer conn.Close()
	first, last, err := conn.ReadOffsets()
	if err != nil || last <= first {
		return nil, "", 0, false, err
	}
	if _, err := conn.Seek(first, kafka.SeekAbsolute); err != nil {
		return nil, "", 0, false, err
	}
	var msgs []kafka.Message
	for off := first; off < last; {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		b := conn.ReadBatch(1, 64<<20)
		for {
			m, err := b.ReadMessage()
			if err != nil {
				break
			}
			msgs = append(msgs, m)
			off = m.Offset + 1
		}
		if err := b.Close(); err != nil {
			return nil, "", 0, false, err
		}
	}
	mKey := append(engine.GroupPrefix(group), "/m"...)
	lastM := -1
	for i := len(msgs) - 1; i >= 0; i-- {
		if bytes.Equal(msgs[i].Key, mKey) {
			lastM = i
			break
		}
	}
	if lastM < 0 {
		return nil, "", 0, false, nil
	}
	state = map[string][]byte{}
	for _, m := range msgs[:lastM+1] {
		if m.Value == nil {
			delete(state, string(m.Key))
		} else {
			state[string(m.Key)] = m.Value
		}
	}
	for _, h := range msgs[lastM].Headers {
		switch h.Key {
		case hdrInstance:
			instance = string(h.Value)
		case hdrCheckpoint:
			ckID, _ = strconv.ParseUint(string(h.Value), 10, 64)
		}
	}
	return state, instance, ckID, true, nil
}

func (c *changelog) close() error { return c.w.Close() }

// mapScanner scans a map of state as the engine's StateScanner.
func mapScanner(m map[string][]byte) engine.StateScanner {
	return func(prefix []byte, fn func(k, v []byte) error) error {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if bytes.HasPrefix([]byte(k), prefix) {
				if err := fn([]byte(k), m[k]); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// restoreGroups brings back the groups of newly assigned partitions, each
// from the newer of this process's checkpoint and the changelog.
func (ks *kafkaSource) restoreGroups(ctx context.Context, tps []source.TopicPartition) error {
	s := ks.s
	for _, g := range partitionGroups(tps) {
		scan := engine.StateScanner(s.db.ScanState)
		from := "local checkpoint"
		if ks.changelog != nil {
			state, inst, id, ok, err := ks.changelog.read(ctx, g)
			if err != nil {
				return fmt.Errorf("reading the changelog of partition %d: %w", g, err)
			}
			if ok && (inst != s.instance || id > s.lastCheckpoint()) {
				scan, from = mapScanner(state), fmt.Sprintf("changelog (checkpoint %d of %s)", id, inst)
			}
		}
		if err := s.rt.RestoreGroup(ctx, g, scan); err != nil {
			return err
		}
		s.log.Info("partition state restored", "group", ks.group, "partition", g, "from", from)
	}
	return nil
}

// dropGroups forgets the groups of revoked partitions (after the last
// checkpoint has saved them).
func (ks *kafkaSource) dropGroups(ctx context.Context, tps []source.TopicPartition) {
	for _, g := range partitionGroups(tps) {
		if err := ks.s.rt.DropGroup(ctx, g); err != nil {
			ks.s.log.Warn("dropping a revoked partition's state", "partition", g, "err", err)
		}
	}
}

// changelogWriter passes a checkpoint's state to the local checkpoint and
// keeps the records of partition groups for the changelog.
type changelogWriter struct {
	engine.StateWriter
	msgs []kafka.Message
	keep bool
}

func (w *changelogWriter) Put(k, v []byte) error {
	w.add(k, v)
	return w.StateWriter.Put(k, v)
}

func (w *changelogWriter) Delete(k []byte) error {
	w.add(k, nil)
	return w.StateWriter.Delete(k)
}

func (w *changelogWriter) add(k, v []byte) {
	if !w.keep {
		return
	}
	if g, ok := engine.KeyGroup(k); ok && g >= 0 {
		w.msgs = append(w.msgs, kafka.Message{Partition: int(g), Key: bytes.Clone(k), Value: bytes.Clone(v)})
	}
}

// writeChangelogs writes a committed checkpoint's group records to the
// changelog of each consumer group that has one, stamped with the instance
// and checkpoint id.
func (s *Service) writeChangelogs(ctx context.Context, msgs []kafka.Message, id uint64) error {
	if len(msgs) == 0 {
		return nil
	}
	hdrs := []kafka.Header{{Key: hdrInstance, Value: []byte(s.instance)}, {Key: hdrCheckpoint, Value: strconv.AppendUint(nil, id, 10)}}
	for i := range msgs {
		msgs[i].Headers = hdrs
	}
	for _, ks := range s.kafka {
		if ks.changelog == nil {
			continue
		}
		owned := ks.ownedGroups()
		var mine []kafka.Message
		for _, m := range msgs {
			if owned[int32(m.Partition)] {
				mine = append(mine, m)
			}
		}
		if err := ks.changelog.write(ctx, mine); err != nil {
			return fmt.Errorf("changelog %s: %w", ks.changelog.topic, err)
		}
	}
	return nil
}

// ownedGroups are the partition groups the consumer reads.
func (ks *kafkaSource) ownedGroups() map[int32]bool {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	owned := map[int32]bool{}
	for tp := range ks.parts {
		owned[int32(tp.Partition)] = true
	}
	return owned
}

// partitionGroups are the distinct groups of partitions: partition p of
// every topic is group p.
func partitionGroups(tps []source.TopicPartition) []int32 {
	var gs []int32
	for _, tp := range tps {
		if g := int32(tp.Partition); !slices.Contains(gs, g) {
			gs = append(gs, g)
		}
	}
	return gs
}

func (s *Service) hasChangelog() bool {
	for _, ks := range s.kafka {
		if ks.changelog != nil {
			return true
		}
	}
	return false
}

func (s *Service) lastCheckpoint() uint64 { return s.lastCk.Load() }

// instanceID is this state directory's identity, made at its first start.
func instanceID(db *state.DB) (string, error) {
	key := []byte("kestrel/instance")
	var id string
	err := db.Badger().Update(func(txn *badger.Txn) error {
		item, err := txn.Get(key)
		if err == nil {
			return item.Value(func(v []byte) error { id = string(v); return nil })
		}
		if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		var b [8]byte
		rand.Read(b[:])
		id = hex.EncodeToString(b[:])
		return txn.Set(key, []byte(id))
	})
	return id, err
}
