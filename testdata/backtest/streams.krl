// The backtest example: card payments labelled by the fraud team.
stream txn (
  id       string,
  card_id  string,
  merchant string,
  amount   float,
  is_fraud bool,
  ts       time
)
  id        id
  timestamp ts
  watermark 30s
