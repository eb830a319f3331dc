package store_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kestrelcep/kestrel/expr"
	"github.com/kestrelcep/kestrel/features/store"
)

func ExampleNewEmbedded() {
	ctx := context.Background()
	s := store.NewEmbedded(store.EmbeddedOptions{})
	defer s.Close()

	// The engine writes the values its windows computed ...
	asOf := time.Date(2025, 11, 24, 16, 5, 0, 0, time.UTC).UnixMilli()
	err := s.Put(ctx, []store.Entry{
		{Feature: "card_txn_10m", Key: "c1", Value: expr.IntValue(4), AsOf: asOf, Expires: asOf + 10*60*1000},
		{Feature: "card_last_cc", Key: "c1", Value: expr.StringValue("FR"), AsOf: asOf, Expires: asOf + 60*60*1000},
	})
	if err != nil {
		log.Fatal(err)
	}

	// ... and the API looks them up, many keys × many features at once.
	res, err := s.Get(ctx, []string{"card_txn_10m", "card_last_cc"}, []string{"c1", "c2"})
	if err != nil {
		log.Fatal(err)
	}
	at := asOf + 15*60*1000 // a quarter of an hour later
	for _, r := range res {
		for i, v := range r.Values {
			fmt.Printf("%s %s found=%v value=%v stale=%v\n", r.Key, []string{"card_txn_10m", "card_last_cc"}[i], v.Found, v.Value, v.Stale(at))
		}
	}
	// Output:
	// c1 card_txn_10m found=true value=4 stale=true
	// c1 card_last_cc found=true value="FR" stale=false
	// c2 card_txn_10m found=false value=null stale=false
	// c2 card_last_cc found=false value=null stale=false
}

func ExampleNewRedis() {
	ctx := context.Background()
	s, err := store.NewRedis(ctx, store.RedisOptions{Addr: "127.0.0.1:6379", Prefix: "kestrel:"})
	if err != nil {
		log.Fatal(err) // redis at 127.0.0.1:6379 is unreachable: dial tcp ...: connection refused
	}
	defer s.Close()
	err = s.Put(ctx, []store.Entry{{
		Feature: "card_txn_10m", Key: "c1", Value: expr.IntValue(4),
		AsOf: 1764000300000, Expires: 1764000900000,
		TTL: 10*time.Minute + 5*time.Minute, // window + allowed lateness
	}})
	if err != nil {
		log.Print(err)
	}
}
