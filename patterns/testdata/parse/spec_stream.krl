// The stream of the spec's "stream" section.
stream txn (
  id        string,
  card_id   string,
  amount    float,
  country   string,
  merchant  string,
  is_fraud  bool,
  ts        time
)
  id        id        // optional: field that identifies an event; else its source position
  timestamp ts        // required: event-time field, of type time
  watermark 5s        // optional: bounded out-of-orderness, default 0s
  lateness  1m        // optional: allowed lateness behind the watermark, default 0s
