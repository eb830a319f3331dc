// Card testing: a few tiny payments, then a real one.
rule card_testing
  severity high
  by card_id
  pattern small: txn[amount < 2.00]{3,} -> big: txn[amount > 100]
  within 10m
  timeout emit { small: count(small) }
