// Two large payments at one merchant within five minutes, whatever the card.
rule merchant_spree
  by merchant
  pattern a: txn[amount > 300] -> b: txn[amount > 300]
  within 5m
