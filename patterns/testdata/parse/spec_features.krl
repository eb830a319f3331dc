feature card_spend_1h   = sum(amount)            of txn[amount > 0] by card_id over sliding 1h
feature card_txn_10m    = count()                of txn by card_id over sliding 10m
feature card_countries  = distinct_count(country) of txn by card_id over sliding 24h
feature user_clicks     = count()                of click by user_id over session 30m
feature merchant_volume = sum(amount)            of txn by merchant over tumbling 1h emit
feature card_last_cc    = last(country)          of txn by card_id
feature card_country_n  = count()                of txn by card_id, country
feature terminal_frauds = count()                of chargeback by terminal_id over sliding 7d offset 7d
