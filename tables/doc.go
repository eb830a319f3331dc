// Package tables holds the lookup tables of stream-table joins: a KRL
// declaration such as
//
//	table merchant_risk (merchant string, score float, category string) key merchant
//
// is bound at run time to a Table, filled from a file, a Redis hash or a
// compacted Kafka topic, and rules read it with merchant_risk[merchant].score.
//
// # Tables
//
// New makes an empty Table from a Schema: column names and types (string,
// int, float, bool, time, as in expr) and the indexes of the key columns, in
// key order. Schema mirrors patterns.Table, and *Table satisfies
// patterns.TableRows, so the engine binds a declared table with
//
//	t, err := tables.New(tables.Schema{Name: d.Name, Fields: d.Fields, Types: d.Types, Keys: d.Keys})
//	d.Rows = t
//
// Lookup takes the key's values in key order and returns the row as an
// expr.Row, or nil when there is none. A null key value finds no row, and so
// does a value of another type than its column's, except that an int is
// widened for a float key column (as expressions do); -0 and +0 are the same
// float key. A *Row reads its columns by slot, the column's index in
// Schema.Fields (time as epoch milliseconds through Int); a null column
// reads as (zero, false). Row.Stream is -1: a table row belongs to no
// stream, and expressions never ask for it.
//
// Lookups never block, never allocate and are safe from any number of
// goroutines while a source updates the table (about 20–60 ns; see
// bench_test.go). The rows live in 256 shards of immutable snapshots read
// with an atomic load; a writer publishes a new snapshot of the shards it
// changes. For a remote source the table in memory is the cache: a lookup
// never waits for Redis or Kafka, and reads the last rows loaded; when the
// source is unreachable the table keeps them.
//
// # Typing
//
// Files, Redis values and Kafka values are typed by the table's columns with
// the rules of stream events (docs/language.md, "Events"). In CSV (and in the
// text of a single-column key) an empty cell is null, strings included; int
// cells are integral numbers (1e3 and 2.0 are, 1.5 is not); bool cells are
// true or false in any case, 1 or 0; time cells are epoch milliseconds or
// RFC 3339 (truncated to the millisecond). In JSON, null or an absent member
// is null; a time is an integral number of epoch milliseconds or an RFC 3339
// string; an int is an integral number; a float any number; of a member given
// twice the last wins (both must be well typed). Undeclared columns and members are ignored. Rows must be
// valid UTF-8, and every key column must be present and non-null.
//
// # Files
//
// Table.LoadFile reads a CSV file with a header row (a name ending in .csv or
// .csv.gz) or JSON lines (any other name), gzip-compressed when the name
// ends in .gz, and replaces the table's rows at once. Blank lines are
// skipped; when a key occurs on several rows the last wins (counted in
// LoadStats.Duplicates); declared columns missing from a CSV header are null
// (listed in LoadStats.Missing). A CSV header without a key column fails.
//
// A bad row fails the whole load. A broken reference file should stop
// `kestrel replay --tables` loudly rather than turn into null columns and
// silently different alerts, so LoadFile reads the file to its end and
// returns a *LoadError (it wraps ErrBadRow) that lists the bad rows, the
// first 20 of them, as
//
//	merchants.csv: 2 bad rows
//	merchants.csv:3: column "score": expected a number, got "high"
//	merchants.csv:9: key column "merchant" is null
//
// and the table keeps the rows it had.
//
// # Redis
//
// StartRedis keeps a table loaded from one Redis hash (the `hash:` of the
// table's config). Each field of the hash is a row: the field is the row's
// key, the value a JSON object of its columns, typed as above:
//
//	HSET merchant_risk m-42 '{"score":0.93,"category":"gambling"}'
//	HSET card_bins '[411111,"DE"]' '{"limit":500}'   # key (bin int, country string)
//	HDEL merchant_risk m-42
//
// A single-column key is written as its text, read as a CSV cell of the
// column's type (m-42, 411111, 2026-11-27T10:15:00Z); it is never JSON, so
// a string key may contain anything. A composite key is a JSON array of the
// key's values in key order. The value may repeat the key columns; if it
// does they must equal the field's key. One hash per table makes the table
// one Redis key: replace it atomically by filling another hash and RENAME-ing
// it over, and drop it with DEL.
//
// The source reads the whole hash with HSCAN (COUNT 1000 by default, so a
// large hash never blocks Redis) in the background, at start and then every
// RedisOptions.Interval (30s by default), and swaps the table's rows for the
// new load at once, so deletions show at the next load. A field that does
// not fit the columns is skipped, counted in RedisStats.BadRows and logged:
// the data is live and owned by another system, and one bad field must not
// empty the table or stop the service. A failed load (Redis unreachable, the
// key not a hash) keeps the rows loaded before and is retried. Ready is
// closed, and Wait returns, after the first successful load.
//
// # Kafka
//
// StartKafka keeps a table loaded from a compacted Kafka topic (the `topic:`
// of the table's config), with kafka-go and no consumer group: each
// partition is read from its earliest offset at every start, and then
// followed. A message is one row:
//
//   - key: the row's key, encoded as a Redis hash field is (the text of a
//     single-column key; a JSON array for a composite key, as
//     ["411111","DE"] would be for (bin string, country string));
//   - value: a JSON object of the row's columns, typed as above; it may
//     repeat the key columns, which must then equal the key. A message
//     replaces the whole row: columns it leaves out become null;
//   - an empty value (a tombstone) deletes the row.
//
// Producers should partition by key (the default partitioners do): the
// messages of a key are applied in partition order. A message that does not
// fit the columns is skipped, counted in KafkaStats.BadMessages and logged;
// the row keeps its previous value. kafka-go does not hide transaction
// markers, so a topic written by transactional producers counts its markers
// as bad messages. Partitions added after the start are not read until a
// restart.
//
// At start the source records each partition's high-water mark. Until every
// partition has been read up to it, the rows go into a private map and
// lookups see the table as it was; then they are published at once and
// Ready is closed. A service reports ready only after Wait returns for every
// table. The last record of a partition is in its active segment, which
// compaction never cleans, so the high-water mark is always reached. After
// Ready, messages are applied in batches as they arrive. Close stops the
// readers; the table keeps its rows.
package tables
