// Compromised terminal: every payment a terminal takes is fraud for weeks,
// and nothing in the payment shows it. What does is feedback: the fraud
// reports (chargebacks) of earlier payments at the terminal, which arrive
// hours to weeks after the payment. A card-present payment is flagged when
// the terminal has had a report in the last 2 days about a payment made at
// most 2 days before the report: fresh reports mean the terminal is being
// used for fraud now, while reports of old payments keep coming for weeks
// after a compromise ends.
feature terminal_fresh_reports_2d = count() of chargeback[ts - txn_ts < 2d] by terminal_id over sliding 2d

rule compromised_terminal
  severity high
  by terminal_id
  pattern p: txn[channel == "pos" and terminal_fresh_reports_2d >= 1]
  emit { reports_2d: terminal_fresh_reports_2d }
