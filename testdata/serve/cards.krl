// The service's crash test pack: a stream that allows late events, a
// velocity feature, and rules that read it, so that a crash must bring back
// NFA state, feature windows and the history kept for late events.

stream txn (
  id       string,
  card_id  string,
  amount   float,
  merchant string,
  ts       time
)
  id        id
  timestamp ts
  lateness  5s

feature card_small_10m = count() of txn[amount < 2.00] by card_id over sliding 10m
feature card_spend_1h  = sum(amount) of txn by card_id over sliding 1h

// Card testing, counted by the feature: a big payment after three tiny ones.
rule tested_then_big
  severity high
  by card_id
  pattern big: txn[amount > 500 and card_small_10m >= 3]
  emit { small: card_small_10m, spend: card_spend_1h }

// The pattern form, with a timeout.
rule card_testing
  severity high
  by card_id
  pattern small: txn[amount < 2.00]{3,} -> big: txn[amount > 500]
  within 10m
  emit { small_count: count(small), total: sum(small.amount) + big.amount }
  timeout emit { small_count: count(small) }
