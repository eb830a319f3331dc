// Streams of the example rule pack: card transactions and account logins.

stream txn (
  id       string,
  card_id  string,
  user_id  string,
  amount   float,
  country  string,
  merchant string,
  ts       time
)
  id        id
  timestamp ts
  watermark 5s
  lateness  1m

stream login (
  id      string,
  user_id string,
  success bool,
  action  string,
  device  string,
  country string,
  ts      time
)
  id        id
  timestamp ts
  watermark 5s
