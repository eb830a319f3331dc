// A rule pack for the handbook dataset (../shared/data), one rule per injected
// scenario. Labels (is_fraud) are taken to be known 7 days after the payment,
// as in the handbook: a feature that reads them is offset by 7d. Scores per
// scenario and the command that reproduces them: docs/backtesting.md.
//
//   1. every payment over 220 is fraud                    → large_amount
//   2. a compromised terminal: every payment for 28 days  → compromised_terminal
//   3. a compromised customer: a third of the payments
//      for 14 days, at 5 times the amount                 → customer_spike

stream txn (id int, ts time, customer_id int, terminal_id int, amount float,
            is_fraud bool, fraud_scenario int)
  id id
  timestamp ts

// The customer's usual amount: the average of their payments known to be
// legitimate, over the 30 days before labels are known (frauds left out, so
// an ongoing compromise does not raise it).
feature customer_legit_avg = avg(amount) of txn[not is_fraud] by customer_id over sliding 30d offset 7d
feature customer_legit_n   = count()     of txn[not is_fraud] by customer_id over sliding 30d offset 7d

// The terminal's known history over the 28 days before labels are known:
// frauds (not explained by a large amount) and the first of them, and the
// last legitimate payment.
feature terminal_frauds      = count()   of txn[is_fraud and amount <= 220] by terminal_id over sliding 28d offset 7d
feature terminal_first_fraud = first(ts) of txn[is_fraud and amount <= 220] by terminal_id over sliding 28d offset 7d
feature terminal_legit       = count()   of txn[not is_fraud]               by terminal_id over sliding 28d offset 7d
feature terminal_last_legit  = last(ts)  of txn[not is_fraud]               by terminal_id over sliding 28d offset 7d

// Scenario 1: large amounts.
rule large_amount
  by customer_id
  pattern t: txn[amount > 220]

// Scenario 3: a payment at over 3 times the customer's usual amount. Legitimate
// amounts vary by half their mean, so 3 times is 4 standard deviations out;
// a compromised customer's are 5 times.
rule customer_spike
  by customer_id
  pattern t: txn[amount <= 220 and customer_legit_n >= 10 and amount > 3 * customer_legit_avg]

// Scenario 2: a terminal whose known payments turned to fraud and stayed
// fraud: at least two frauds, no legitimate payment since the first one, and
// that first one less than 28 days ago (compromises last 28 days). The last
// condition ends the alerts when the compromise ends, not 7 days later when
// the labels say so; the second rules out terminals where a compromised
// customer happened to pay.
rule compromised_terminal
  by terminal_id
  pattern t: txn[terminal_frauds >= 2 and ts - terminal_first_fraud < 28d
                 and (terminal_legit == 0 or terminal_last_legit < terminal_first_fraud)]
