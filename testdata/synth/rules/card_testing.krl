// Card testing: stolen card details checked with tiny online payments, a few
// seconds apart, then one large online purchase at another merchant (a travel
// site's own verification charges are followed by its booking at the same
// merchant, so they do not count).
rule card_testing
  severity high
  by card_id
  pattern small: txn[channel == "ecom" and amount < 2.00
                     and (count(small) == 0 or ts - last(small).ts < 2m)]{3,}
       -> big: txn[channel == "ecom" and amount >= 250 and merchant != last(small).merchant]
  within 30m
  emit { tests: count(small), tested: sum(small.amount), amount: big.amount, merchant: big.merchant }
