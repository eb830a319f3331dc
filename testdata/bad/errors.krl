// A rule file with several mistakes, for `kestrel check`.
stream txn (id string, card_id string, amount float, ts time)
  timestamp ts

rule typo
  by card
  pattern a: txn[amount > "high"] -> b: tx
  within 5m

rule bad_types
  pattern a: txn[card_id * 2 > 1]
