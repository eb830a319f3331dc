// Features fraud teams compute from the handbook dataset (../shared/data), as in
// the "Reproducible Machine Learning for Credit Card Fraud Detection" handbook:
// per customer over (t − w, t], the current transaction included; per terminal
// over (t − 7d − w, t − 7d], the 7 days standing for the delay before labels
// (chargebacks) are known.
stream txn (id int, ts time, customer_id int, terminal_id int, amount float,
            is_fraud bool, fraud_scenario int)
  id id
  timestamp ts

feature customer_n_1d    = count()     of txn by customer_id over sliding 1d
feature customer_avg_1d  = avg(amount) of txn by customer_id over sliding 1d
feature customer_n_7d    = count()     of txn by customer_id over sliding 7d
feature customer_avg_7d  = avg(amount) of txn by customer_id over sliding 7d
feature customer_n_30d   = count()     of txn by customer_id over sliding 30d
feature customer_avg_30d = avg(amount) of txn by customer_id over sliding 30d
feature terminal_n_1d      = count() of txn           by terminal_id over sliding 1d offset 7d
feature terminal_fraud_1d  = count() of txn[is_fraud] by terminal_id over sliding 1d offset 7d
feature terminal_n_7d      = count() of txn           by terminal_id over sliding 7d offset 7d
feature terminal_fraud_7d  = count() of txn[is_fraud] by terminal_id over sliding 7d offset 7d
