// The README's tour: card payments arrive over HTTP, in order, so the
// watermark follows them with no delay and an alert fires with the event that
// completes it.

stream txn (
  id       string,
  card_id  string,
  amount   float,
  merchant string,
  ts       time
)
  id        id
  timestamp ts

// Card testing: a few tiny payments to check a stolen card, then a big one.
rule card_testing
  severity high
  by card_id
  pattern small: txn[amount < 2.00]{3,} -> big: txn[amount > 500]
  within 10m
  emit { small_count: count(small), total: sum(small.amount) + big.amount }
