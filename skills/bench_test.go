package skills

import (
	"strings"
	"testing"
	"time"
)

// BenchmarkExtract measures Extract on a realistic job ad against a
// baseline that only lowercases and splits the same text; the ratio is
// reported as x_baseline. Run with: go test -run=^$ -bench=Extract ./skills/
func BenchmarkExtract(b *testing.B) {
	text := readTestdata(b, "testdata/ad-en.txt")
	tx := Default()
	// The baseline is timed in the same run, before the measured loop
	// (testing.Benchmark cannot be nested in a benchmark).
	const baseRuns = 2000
	start := time.Now()
	for range baseRuns {
		_ = strings.Fields(strings.ToLower(text))
	}
	baseNs := float64(time.Since(start).Nanoseconds()) / baseRuns
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		tx.Extract(text)
	}
	b.StopTimer()
	if baseNs > 0 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/baseNs, "x_baseline")
		b.ReportMetric(baseNs, "baseline_ns/op")
	}
}

// BenchmarkDefaultParse measures parsing the embedded taxonomy.
func BenchmarkDefaultParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(strings.NewReader(embedded)); err != nil {
			b.Fatal(err)
		}
	}
}
