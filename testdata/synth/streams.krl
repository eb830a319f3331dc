// Streams of a dataset written by `kestrel gen`: card payments, account logins,
// and fraud reports (chargebacks) that arrive days after the payment.
// is_fraud and scenario are the labels: true and the injected scenario's name
// on every event of a fraud, false and "" otherwise.

stream txn (
  id          string,
  ts          time,
  card_id     string,
  user_id     string,
  amount      float,
  channel     string,   // pos (card present) or ecom
  merchant    string,
  category    string,
  terminal_id string,
  country     string,   // the terminal's country; an online merchant's
  lat         float,    // the terminal's position; null for ecom
  lon         float,
  device      string,   // the shopper's device for ecom; null for pos
  is_fraud    bool,
  scenario    string
)
  id        id
  timestamp ts
  watermark 5s

stream login (
  id              string,
  ts              time,
  user_id         string,
  action          string,  // login or password_reset
  success         bool,
  device          string,
  new_device      bool,    // no successful login from this device before
  failed_attempts int,     // failed logins in a row before this event
  country         string,  // where the IP address is
  is_fraud        bool,
  scenario        string
)
  id        id
  timestamp ts
  watermark 5s

stream chargeback (
  id          string,
  ts          time,      // when the report arrived
  txn_id      string,
  txn_ts      time,
  card_id     string,
  user_id     string,
  merchant    string,
  terminal_id string,
  amount      float
)
  id        id
  timestamp ts
  watermark 5s
