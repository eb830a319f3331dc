package alerts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisStreamOptions configure a Redis stream sink. Only Stream is required.
type RedisStreamOptions struct {
	Addr     string // host:port; default 127.0.0.1:6379
	Username string
	Password string
	DB       int
	Stream   string // the stream's key
	// MaxLen, when positive, trims the stream to about that many entries at
	// each XADD (MAXLEN ~), so it does not grow without bound.
	MaxLen int64
	// DialTimeout and IOTimeout bound a connection attempt and a round trip.
	// Defaults 2s and 5s.
	DialTimeout, IOTimeout time.Duration
	// Name labels the sink in metrics and logs. Default "redis:" + Stream.
	Name string
}

// RedisStreamSink appends each record to a Redis stream with XADD: field
// "record" holds the JSON, field "id" the alert's id when it has one. A
// batch is one MULTI/EXEC transaction, so it is added whole or not at all;
// when the reply is lost, writing it again may add it twice (at-least-once),
// which the ids make droppable.
type RedisStreamSink struct {
	c      *redis.Client
	stream string
	maxLen int64
	name   string
}

// NewRedisStreamSink makes the client; it connects at the first Write.
func NewRedisStreamSink(opts RedisStreamOptions) (*RedisStreamSink, error) {
	if opts.Stream == "" {
		return nil, errors.New("redis stream sink: no stream")
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:6379"
	}
	if opts.DialTimeout <= 0 {
		opts.DialTimeout = 2 * time.Second
	}
	if opts.IOTimeout <= 0 {
		opts.IOTimeout = 5 * time.Second
	}
	if opts.Name == "" {
		opts.Name = "redis:" + opts.Stream
	}
	c := redis.NewClient(&redis.Options{
		Addr:         opts.Addr,
		Username:     opts.Username,
		Password:     opts.Password,
		DB:           opts.DB,
		DialTimeout:  opts.DialTimeout,
		ReadTimeout:  opts.IOTimeout,
		WriteTimeout: opts.IOTimeout,
		MaxRetries:   -1, // a Router retries the whole batch, with backoff
	})
	return &RedisStreamSink{c: c, stream: opts.Stream, maxLen: opts.MaxLen, name: opts.Name}, nil
}

// Write adds msgs to the stream, in order, in one transaction.
func (s *RedisStreamSink) Write(ctx context.Context, msgs []Message) error {
	if len(msgs) == 0 {
		return nil
	}
	_, err := s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for i := range msgs {
			values := []any{"record", msgs[i].JSON}
			if msgs[i].ID != "" {
				values = append(values, "id", msgs[i].ID)
			}
			p.XAdd(ctx, &redis.XAddArgs{Stream: s.stream, MaxLen: s.maxLen, Approx: s.maxLen > 0, Values: values})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("redis stream sink %s: %w", s.name, err)
	}
	return nil
}

// Name returns the sink's name in metrics and logs.
func (s *RedisStreamSink) Name() string { return s.name }

// Close closes the client.
func (s *RedisStreamSink) Close() error { return s.c.Close() }
