// Account takeover: a run of failed logins on an account that had none
// before, the password reset right after them, a login from a device the
// account has never used, then online purchases from that device. One alert
// per purchase.
rule account_takeover
  severity critical
  by user_id
  pattern first: login[action == "login" and not success and failed_attempts == 0]
       => fails: login[action == "login" and not success]{2,} consecutive
       => reset: login[action == "password_reset"]
       -> ok: login[action == "login" and success and new_device]
       ~> spend: txn[channel == "ecom" and device == ok.device and amount >= 100]
  within 2h
  skip no_skip
  emit { failures: count(fails) + 1, device: ok.device, country: ok.country, amount: spend.amount }
