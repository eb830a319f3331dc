//go:build tools

// Package kestrel pins dependencies used by packages under way, so that
// go mod tidy keeps them.
package kestrel

import (
	_ "github.com/dgraph-io/badger/v4"
	_ "github.com/go-chi/chi/v5"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/segmentio/kafka-go"
	_ "github.com/twmb/franz-go/pkg/kfake"
	_ "github.com/twmb/franz-go/pkg/kgo"
)
