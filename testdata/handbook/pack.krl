// A first rule pack for the handbook dataset (../shared/data), one rule per injected
// scenario: 1, amounts over 220; 3, a customer's payment far above their own 30-day
// average; 2, terminals whose payments of a week ago (labels arrive with a 7-day
// delay) were mostly fraud. Scores and the command: docs/backtesting.md.

stream txn (id int, ts time, customer_id int, terminal_id int, amount float,
            is_fraud bool, fraud_scenario int)
  id id
  timestamp ts

feature customer_avg_30d = avg(amount) of txn by customer_id over sliding 30d
feature customer_n_30d   = count()     of txn by customer_id over sliding 30d
feature terminal_n_7d     = count() of txn           by terminal_id over sliding 7d offset 7d
feature terminal_fraud_7d = count() of txn[is_fraud] by terminal_id over sliding 7d offset 7d

rule large_amount
  by customer_id
  pattern t: txn[amount > 220]

rule customer_spike
  by customer_id
  pattern t: txn[amount <= 220 and customer_n_30d >= 10 and amount > 2.5 * customer_avg_30d]

rule compromised_terminal
  by terminal_id
  pattern t: txn[terminal_n_7d >= 3 and terminal_fraud_7d * 1.0 / terminal_n_7d >= 0.5]
