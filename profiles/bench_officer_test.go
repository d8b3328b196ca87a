package profiles_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/profiles/storetest"
)

// BenchmarkOfficerQueryStore: the officer query of web's
// BenchmarkOfficerQueryAPI (text + 2 filters + facets, searchable only)
// on the embedded store alone, with the same generated profiles
// (10,000 by default; PASSERELLE_BENCH_PROFILES=100000 for the issue's
// size). It reports the p50 and p95 latency.
func BenchmarkOfficerQueryStore(b *testing.B) {
	n := storetest.OfficerBenchSize()
	s, err := profiles.OpenBleve(profiles.BleveConfig{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := storetest.PutOfficerBenchProfiles(ctx, s, n); err != nil {
		b.Fatal(err)
	}
	q := storetest.OfficerBenchQuery
	// Both paths, interleaved, on the same store; their results must be
	// identical (same page in the same order, same total, same facets).
	var before, after []time.Duration
	b.ResetTimer()
	for range b.N {
		profiles.SetBleveLegacySearch(s, true)
		t0 := time.Now()
		old, err := s.Search(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		before = append(before, time.Since(t0))
		profiles.SetBleveLegacySearch(s, false)
		t0 = time.Now()
		res, err := s.Search(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		after = append(after, time.Since(t0))
		if !reflect.DeepEqual(old, res) {
			b.Fatalf("the two paths differ:\nbefore %+v\nafter  %+v", old, res)
		}
	}
	// The first search after a write builds the facet table of the new
	// snapshot: its cost, reported apart.
	b.StopTimer()
	var rebuild []time.Duration
	for i := range 5 {
		p := profiles.Profile{ID: fmt.Sprintf("w-%d", i), Name: fmt.Sprintf("Nouveau %d", i), Headline: "Analyste",
			City: "Oujda", GraduationYear: 2025, Skills: []string{"Python"}, Consent: profiles.Consent{Searchable: true}}
		if err := s.Put(ctx, p); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if _, err := s.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
		rebuild = append(rebuild, time.Since(t0))
	}
	pct := func(ds []time.Duration, p float64) float64 {
		slices.Sort(ds)
		return float64(ds[int(float64(len(ds)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(pct(before, 0.5), "before_p50_ms")
	b.ReportMetric(pct(before, 0.95), "before_p95_ms")
	b.ReportMetric(pct(after, 0.5), "p50_ms")
	b.ReportMetric(pct(after, 0.95), "p95_ms")
	b.ReportMetric(pct(rebuild, 0.5), "after_write_p50_ms")
}
