// Velocity burst: five or more online payments of 10 or more on one card
// within five minutes, each at a different merchant from the one before.
// Every window of the burst is reported (skip to_next), so each payment of
// it is in an alert.
rule velocity_burst
  severity high
  by card_id
  pattern burst: txn[channel == "ecom" and amount >= 10
                     and (count(burst) == 0 or merchant != last(burst).merchant)]{5,}
  within 5m
  skip to_next
  emit { payments: count(burst), spent: sum(burst.amount) }
