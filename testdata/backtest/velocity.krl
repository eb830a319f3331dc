// Four or more payments on a card within two minutes, routed to the
// review queue rather than the alerts output.
rule velocity
  severity low
  by card_id
  pattern burst: txn{4,}
  within 2m
  to review
