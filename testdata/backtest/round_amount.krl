// A payment of exactly 100: a hunch that did not pan out.
rule round_amount
  severity low
  by card_id
  pattern a: txn[amount == 100.0]
