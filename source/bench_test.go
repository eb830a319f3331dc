package source

import (
	"compress/gzip"
	"io"
	"os"
	"testing"

	"github.com/kestrelcep/kestrel/event"
)

// handbookPath is the dataset of ../shared/data (not in the repository);
// KESTREL_HANDBOOK overrides it.
func handbookPath(b *testing.B) string {
	p := os.Getenv("KESTREL_HANDBOOK")
	if p == "" {
		p = "../../shared/data/handbook-transactions.csv.gz"
	}
	if _, err := os.Stat(p); err != nil {
		b.Skipf("dataset not found: %v", err)
	}
	return p
}

// BenchmarkHandbook reads the 1.75 M-row handbook file: decompressing it
// alone, splitting it into lines, and decoding every row into a new event,
// without and with read-ahead. One iteration is the whole file.
func BenchmarkHandbook(b *testing.B) {
	path := handbookPath(b)
	s, err := event.NewSchema("txn", 0, []event.Field{
		{Name: "id", Type: event.Int}, {Name: "ts", Type: event.Time},
		{Name: "customer_id", Type: event.Int}, {Name: "terminal_id", Type: event.Int},
		{Name: "amount", Type: event.Float}, {Name: "is_fraud", Type: event.Bool},
		{Name: "fraud_scenario", Type: event.Int},
	}, "id", "ts")
	if err != nil {
		b.Fatal(err)
	}
	report := func(b *testing.B, rows int64) {
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/file")
	}
	b.Run("gunzip", func(b *testing.B) {
		for b.Loop() {
			f, _ := os.Open(path)
			zr, err := gzip.NewReader(f)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, zr)
			f.Close()
		}
		report(b, 1754155)
	})
	read := func(b *testing.B, opt Options, decode bool) {
		b.ReportAllocs()
		var rows int64
		for b.Loop() {
			r, err := OpenFileWith(path, opt)
			if err != nil {
				b.Fatal(err)
			}
			h, err := r.ReadHeader()
			if err != nil {
				b.Fatal(err)
			}
			dec, err := event.NewCSVDecoder(s, h)
			if err != nil {
				b.Fatal(err)
			}
			rows = 0
			for {
				line, no, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				rows++
				if decode {
					ev := s.NewEvent()
					if err := dec.Decode(line, ev); err != nil {
						b.Fatalf("line %d: %v", no, err)
					}
					ev.Pos = event.Position{Source: r.Name(), Offset: no}
				}
			}
			r.Close()
		}
		if rows != 1754155 {
			b.Errorf("%d rows", rows)
		}
		report(b, rows)
	}
	b.Run("lines", func(b *testing.B) { read(b, Options{}, false) })
	b.Run("decode", func(b *testing.B) { read(b, Options{}, true) })
	b.Run("lines-readahead", func(b *testing.B) { read(b, Options{ReadAhead: true}, false) })
	b.Run("decode-readahead", func(b *testing.B) { read(b, Options{ReadAhead: true}, true) })
}
