// Impossible travel: two consecutive payments on one card from different
// countries less than 30 minutes apart.
rule impossible_travel
  severity high
  by card_id
  pattern a: txn => b: txn[country != a.country]
  within 30m
  emit { from: a.country, to: b.country, gap_ms: b.ts - a.ts }
  to travel
