// A stream-table join: payments at risky merchants.
table merchant_risk (merchant string, score float, category string) key merchant

rule risky_merchant
  by card_id
  pattern p: txn[amount > 500 and merchant_risk[merchant].score > 0.5]
  emit { category: merchant_risk[merchant].category, score: merchant_risk[merchant].score }
