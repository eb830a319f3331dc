package synth

import (
	"bufio"
	"cmp"
	"io"
	"slices"
	"strconv"
	"time"
)

// Streams is the KRL declaration of the three generated streams, written
// next to the data (testdata/synth/streams.krl is a copy).
const Streams = `// Streams of a dataset written by ` + "`kestrel gen`" + `: card payments, account logins,
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
`

func appendTime(b []byte, ms int64) []byte {
	b = append(b, '"')
	b = time.UnixMilli(ms).UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
	return append(b, '"')
}

func appendStr(b []byte, s string) []byte {
	// Every generated string is plain ASCII without quotes or backslashes.
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendOptStr(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendStr(b, s)
}

func (g *gen) writeTxn(e *event) error {
	g.txnSeq++
	id := "tx" + pad(g.txnSeq, 9)
	c := &g.customers[e.cust]
	t := &g.w.terminals[e.terminal]
	m := &g.w.merchants[t.merchant]
	g.stats.Transactions++
	if e.scenario != 0 {
		g.stats.FraudTransactions++
		g.stats.Scenarios[e.scenario-1].Transactions++
	}
	g.maybeChargeback(e, id)
	if g.txnOut == nil {
		return nil
	}
	b := g.buf[:0]
	b = append(b, `{"id":`...)
	b = appendStr(b, id)
	b = append(b, `,"ts":`...)
	b = appendTime(b, e.ts)
	b = append(b, `,"card_id":`...)
	b = appendStr(b, c.cardID)
	b = append(b, `,"user_id":`...)
	b = appendStr(b, c.userID)
	b = append(b, `,"amount":`...)
	b = strconv.AppendFloat(b, e.amount, 'f', 2, 64)
	b = append(b, `,"channel":`...)
	if m.ecom {
		b = appendStr(b, "ecom")
	} else {
		b = appendStr(b, "pos")
	}
	b = append(b, `,"merchant":`...)
	b = appendStr(b, m.id)
	b = append(b, `,"category":`...)
	b = appendStr(b, categories[m.cat].name)
	b = append(b, `,"terminal_id":`...)
	b = appendStr(b, t.id)
	b = append(b, `,"country":`...)
	b = appendStr(b, m.country)
	if m.ecom {
		b = append(b, `,"lat":null,"lon":null`...)
	} else {
		b = append(b, `,"lat":`...)
		b = strconv.AppendFloat(b, m.lat, 'f', 4, 64)
		b = append(b, `,"lon":`...)
		b = strconv.AppendFloat(b, m.lon, 'f', 4, 64)
	}
	b = append(b, `,"device":`...)
	b = appendOptStr(b, e.device)
	b = append(b, `,"is_fraud":`...)
	b = strconv.AppendBool(b, e.scenario != 0)
	b = append(b, `,"scenario":`...)
	b = appendStr(b, scenarioName(e.scenario))
	b = append(b, "}\n"...)
	g.buf = b
	_, err := g.txnOut.Write(b)
	return err
}

var actions = [...]string{actLogin: "login", actReset: "password_reset"}

func (g *gen) writeLogin(e *event) error {
	g.loginSeq++
	g.stats.Logins++
	if e.scenario != 0 {
		g.stats.FraudLogins++
		g.stats.Scenarios[e.scenario-1].Logins++
	}
	if g.loginOut == nil {
		return nil
	}
	b := g.buf[:0]
	b = append(b, `{"id":`...)
	b = appendStr(b, "lg"+pad(g.loginSeq, 9))
	b = append(b, `,"ts":`...)
	b = appendTime(b, e.ts)
	b = append(b, `,"user_id":`...)
	b = appendStr(b, g.customers[e.cust].userID)
	b = append(b, `,"action":`...)
	b = appendStr(b, actions[e.action])
	b = append(b, `,"success":`...)
	b = strconv.AppendBool(b, e.success)
	b = append(b, `,"device":`...)
	b = appendStr(b, e.device)
	b = append(b, `,"new_device":`...)
	b = strconv.AppendBool(b, e.newDevice)
	b = append(b, `,"failed_attempts":`...)
	b = strconv.AppendInt(b, int64(e.failed), 10)
	b = append(b, `,"country":`...)
	b = appendStr(b, e.country)
	b = append(b, `,"is_fraud":`...)
	b = strconv.AppendBool(b, e.scenario != 0)
	b = append(b, `,"scenario":`...)
	b = appendStr(b, scenarioName(e.scenario))
	b = append(b, "}\n"...)
	g.buf = b
	_, err := g.loginOut.Write(b)
	return err
}

// maybeChargeback decides whether the payment is reported as fraud, and
// when. Most frauds are, 2 hours to 20 days later, half of them within a day
// and a half (the cardholder sees the payment in the banking app; the tiny
// amounts of card testing often go unnoticed); a few legitimate payments are disputed too
// (friendly fraud). Reports that would arrive after the end are not written:
// the file holds what is known by then.
func (g *gen) maybeChargeback(e *event, id string) {
	r := g.cbRand
	p := 0.0002
	if e.scenario != 0 {
		p = 0.92
		if e.amount < 5 {
			p = 0.4
		}
	}
	if r.Float64() >= p {
		return
	}
	delay := int64(lognormal(r, 1.5, .7)*float64(day)) + uniform(r, 0, 6*hour)
	delay = min(max(delay, 2*hour), 20*day)
	ts := e.ts + delay
	if ts >= g.end {
		return
	}
	g.chargebks = append(g.chargebks, chargeback{ts: ts, txnID: id, txnTS: e.ts, cust: e.cust, term: e.terminal, amt: e.amount})
}

func (g *gen) writeChargebacks(w io.Writer) error {
	slices.SortStableFunc(g.chargebks, func(a, b chargeback) int { return cmp.Compare(a.ts, b.ts) })
	g.stats.Chargebacks = len(g.chargebks)
	if w == nil {
		return nil
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	for i, cb := range g.chargebks {
		c := &g.customers[cb.cust]
		t := &g.w.terminals[cb.term]
		b := g.buf[:0]
		b = append(b, `{"id":`...)
		b = appendStr(b, "cb"+pad(int64(i)+1, 7))
		b = append(b, `,"ts":`...)
		b = appendTime(b, cb.ts)
		b = append(b, `,"txn_id":`...)
		b = appendStr(b, cb.txnID)
		b = append(b, `,"txn_ts":`...)
		b = appendTime(b, cb.txnTS)
		b = append(b, `,"card_id":`...)
		b = appendStr(b, c.cardID)
		b = append(b, `,"user_id":`...)
		b = appendStr(b, c.userID)
		b = append(b, `,"merchant":`...)
		b = appendStr(b, g.w.merchants[t.merchant].id)
		b = append(b, `,"terminal_id":`...)
		b = appendStr(b, t.id)
		b = append(b, `,"amount":`...)
		b = strconv.AppendFloat(b, cb.amt, 'f', 2, 64)
		b = append(b, "}\n"...)
		g.buf = b
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}
