rule r
  severity low
  by card_id
  pattern a: txn
  within 10m
  skip past_last
  emit { n: 1 }
  timeout emit { n: 2 }
  to alerts
  // every clause again
  to other
  timeout emit { n: 2 }
  emit { n: 1 }
  skip no_skip
  within 5m
  pattern b: txn
  by country
  severity high
