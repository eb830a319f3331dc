// The rule of the replay benchmark (replay/bench_test.go, docs/benchmarks.md).
stream txn (id string, card_id string, amount float, country string, merchant string, ts time)
  id id
  timestamp ts
  watermark 2s

rule card_testing
  severity high
  by card_id
  pattern small: txn[amount < 2.00] -> more: txn[amount < 2.00]{2,} -> big: txn[amount > 500 and country != first(more).country]
  within 10m
  emit { n: count(more) + 1, total: sum(more.amount) + small.amount + big.amount }
