rule r
  pattern a: txn[amount > 10min and name == 'x' and note == "unclosed]
  within 1.5h
  emit { `device-id: 1 }
/* this comment never ends
rule s
