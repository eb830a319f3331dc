// A large payment.
rule big
  severity high
  by card_id
  pattern a: txn[amount > 500]
