// Card testing: a fraudster checks a stolen card with a few tiny payments,
// then spends big once it works.
rule card_testing
  severity high
  by card_id
  pattern small: txn[amount < 2.00]{3,} -> big: txn[amount > 500]
  within 10m
  emit { small_count: count(small), total: sum(small.amount) + big.amount }
