// Account takeover: repeated failed logins, a successful login from a device
// the failures did not use, then a large payment, all within an hour.
rule account_takeover
  severity critical
  by user_id
  pattern fails: login[not success]{3,} consecutive
       => ok: login[success and device != last(fails).device]
       -> spend: txn[amount > 200]
  within 1h
  emit { failures: count(fails), device: ok.device, amount: spend.amount }
  timeout emit { failures: count(fails) }
