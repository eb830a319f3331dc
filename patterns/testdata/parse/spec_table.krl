table merchant_risk (merchant string, score float, category string) key merchant
