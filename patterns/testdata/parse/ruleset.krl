/*
 * A small but complete rule set: streams, a table, features and rules
 * that use every kind of pattern element.
 */
stream txn (id string, card_id string, amount float, country string,
            merchant string, terminal_id string, ts time)
  timestamp ts
  id id
  lateness 30s
  watermark 2s

stream login (user_id string, card_id string, ip string, ok bool, at time)
  timestamp at

stream chargeback (card_id string, terminal_id string, ts time) timestamp ts

table merchant_risk (merchant string, score float, category string) key merchant
table geo (country string, region string, risk float) key country, region

feature card_spend_1h  = sum(amount) of txn[amount > 0] by card_id over sliding 1h
feature hourly_volume  = sum(amount) of txn over hopping 1h every 5m emit
feature global_count   = count(amount) of txn emit every 1h
feature terminal_cb_7d = count() of chargeback by terminal_id over sliding 7d offset 7d

// Card testing: several tiny amounts, then a big one elsewhere.
rule card_testing
  pattern small: txn[amount < 2.00]{3,} -> big: txn[amount > 500 and country != last(small).country]
  by card_id
  within 10m
  severity critical

// Account takeover: failed logins, a success, then a risky purchase with no
// intervening login, strictly next.
rule takeover
  severity high
  by card_id
  pattern fail: login[not ok]{3} consecutive => win: login[ok] -> not other: login
          -> buy: txn[merchant_risk[merchant].score >= 0.8 and ts - win.at < 5m]
  within gap 15m
  skip to_first fail
  emit { ip: win.ip, risk: merchant_risk[buy.merchant].score, region: geo[buy.country, "eu"].region }
  to takeover_alerts

// Bursts: groups, optional steps and every quantifier.
rule bursts
  pattern start: any
          ~> (a: txn[amount > 100]+ greedy -> b: txn[amount between 1 and 10]?){2,4}
          -> c: txn* combinations until [c.amount > 1000]
          -> d: txn{2,} optional
          -> e: txn{0,3}
          => f: txn[country in ["FR", "DE", "IT"] and merchant is not null]
  within 1h30m
  skip no_skip
  timeout emit { started: start.ts, seen: count(a) }

// Filter and route: a one-step pattern.
rule big_spend
  pattern t: txn[amount >= 10000 or card_spend_1h > 50000]
  to big_spend
  emit {}

// No purchase within a day of a chargeback (absence).
rule silent_after_chargeback
  by card_id
  pattern cb: chargeback -> not t: txn
  within 1d
  skip to_last cb
  severity low
