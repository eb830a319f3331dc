rule card_testing
  severity high                              // low | medium | high | critical; default medium
  by card_id                                 // partition key; omit for one global partition
  pattern small: txn[amount < 2.00]{3,} -> big: txn[amount > 500 and country != last(small).country]
  within 10m
  skip past_last
  emit { small_count: count(small), total: sum(small.amount) + big.amount }
  timeout emit { first_small: first(small).amount }
  to alerts
