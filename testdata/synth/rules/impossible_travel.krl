// Impossible travel: two card-present payments on one card farther apart
// than anyone could travel in the time between them. Distance is rough:
// |Δlat| + |Δlon| in degrees (in Europe 1° is 70 to 110 km). Payments on
// board a plane are left out: an airline's terminals are registered at its
// head office, wherever the plane is.
rule impossible_travel
  severity high
  by card_id
  pattern a: txn[channel == "pos" and category != "airline"]
       ~> b: txn[channel == "pos" and category != "airline" and country != a.country
                 and ((abs(lat - a.lat) + abs(lon - a.lon) > 6 and ts - a.ts < 1h)
                   or (abs(lat - a.lat) + abs(lon - a.lon) > 12 and ts - a.ts < 2h)
                   or abs(lat - a.lat) + abs(lon - a.lon) > 24)]
  within 3h
  skip no_skip
  emit { from: a.country, to: b.country, gap_ms: b.ts - a.ts }
