// Several syntax errors: each is reported, once, with its position.
stream txn (id string card_id string, ts time)
  timestamp ts

rule card_testing
  pattern small: txn[amount < 2.00]{3,} -> big: txn[amount > 500 && country != last(small).country]
  within ten

feature f = count() of txn over windy 1h

rule fine pattern a: txn within 10m

rul late_typo
  pattern a: txn

rule r2 pattern a: txn[amount = 5]
