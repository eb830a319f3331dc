// Velocity: five or more payments on one card within two minutes.
rule velocity_burst
  severity medium
  by card_id
  pattern burst: txn{5,}
  within 2m
  emit { payments: count(burst), spent: sum(burst.amount) }
