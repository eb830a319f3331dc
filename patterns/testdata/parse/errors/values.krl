// These parse, but their values are wrong.
stream txn (id string, amount float, ts time)
  timestamp ts
  watermark 5m1h
  timestamp id

feature f = summ(amount) of txn over sliding 99999999999999d

rule r
  severity urgent
  pattern a: txn[amount > 99999999999999999999 and id == "\q"]{5,3}
       -> b: txn{0}
       -> c: txn+ greedy greedy
  within 10m
  within gap 5m
  emit { x: "\u00zz" }
