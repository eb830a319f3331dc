// Any very large payment; not partitioned.
rule huge
  severity critical
  pattern a: txn[amount > 2000]
