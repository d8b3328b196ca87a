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

// officerQueries are the officer queries timed beside the one
// (storetest.OfficerBenchQuery: text, two filters, facets): filters on
// cohort, skills, city and availability with facets, sorted pages.
var officerQueries = []struct {
	name string
	q    profiles.Query
}{
	{"issue", storetest.OfficerBenchQuery},
	{"cohort_skills", profiles.Query{Cohort: "Promo 2024", SkillGroups: profiles.ExpandSkills([]string{"Python"}, false, false), Facets: true, OnlySearchable: true, Limit: 50}},
	{"city_avail_sorted", profiles.Query{City: "Nador", Availability: profiles.AvailabilityImmediate, Sort: profiles.SortYear, Facets: true, OnlySearchable: true, Limit: 20}},
	{"any_skills_years", profiles.Query{SkillGroups: profiles.ExpandSkills([]string{"Java", "Docker"}, false, true), YearFrom: 2023, YearTo: 2025, Sort: profiles.SortUpdated, Facets: true, OnlySearchable: true, Limit: 50}},
	{"all_facets", profiles.Query{Facets: true, OnlySearchable: true, Limit: 20}},
	{"text_cohort", profiles.Query{Text: "analyste junior", Cohorts: []string{"Promo 2023", "Promo 2025"}, Workplace: []string{"remote"}, Facets: true, OnlySearchable: true, Limit: 20}},
}

// BenchmarkOfficerQueryStore: the officer queries on the embedded store
// alone, with the profiles of web's BenchmarkOfficerQueryAPI (10,000 by
// default; PASSERELLE_BENCH_PROFILES=100000 for the size). Each
// iteration runs every query on the plain Bleve path (before) and on the
// fast path (after), interleaved on the same store, and checks both give
// the same result. It reports p50 and p95 per query and path, the p95
// ratio, and the first search after a one-profile write on each path.
// The fast path caches the scores of a free text once searched (until the
// next write): queries with text are also timed with that cache off
// (_uncached_), the cost of a text's first search.
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
	// The first fast search reads every segment's columns (in the
	// background beyond a size; here in the search, to time it).
	profiles.SetBleveFastSyncLimit(s, 1<<30)
	t0 := time.Now()
	if _, err := s.Search(ctx, storetest.OfficerBenchQuery); err != nil {
		b.Fatal(err)
	}
	columnsRead := time.Since(t0)
	served := profiles.BleveFastServed(s)

	search := func(plain bool, q profiles.Query) (profiles.Result, time.Duration) {
		profiles.SetBlevePlainSearch(s, plain)
		t0 := time.Now()
		res, err := s.Search(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		return res, time.Since(t0)
	}
	before := make([][]time.Duration, len(officerQueries))
	after := make([][]time.Duration, len(officerQueries))
	cold := make([][]time.Duration, len(officerQueries)) // text scores not cached
	fastRuns := 0
	b.ResetTimer()
	for range b.N {
		for i, oq := range officerQueries {
			old, d := search(true, oq.q)
			before[i] = append(before[i], d)
			if oq.q.Text != "" {
				profiles.SetBleveTextCache(s, false)
				res, d := search(false, oq.q)
				cold[i] = append(cold[i], d)
				fastRuns++
				profiles.SetBleveTextCache(s, true)
				if !reflect.DeepEqual(old, res) {
					b.Fatalf("%s (uncached text): the two paths differ:\nbefore %d %v\nafter  %d %v", oq.name, old.Total, ids(old.Profiles), res.Total, ids(res.Profiles))
				}
			}
			res, d := search(false, oq.q)
			after[i] = append(after[i], d)
			fastRuns++
			if !reflect.DeepEqual(old, res) {
				b.Fatalf("%s: the two paths differ:\nbefore %d %v\nafter  %d %v", oq.name, old.Total, ids(old.Profiles), res.Total, ids(res.Profiles))
			}
		}
	}
	b.StopTimer()
	if got := profiles.BleveFastServed(s) - served; got != uint64(fastRuns) {
		b.Fatalf("the fast path answered %d of %d searches", got, fastRuns)
	}
	// The first search after a write: the plain path builds its facet
	// table anew, the fast path reads the new segment and merges id ranks.
	var rebuildBefore, rebuildAfter []time.Duration
	for i := range 6 {
		p := profiles.Profile{ID: fmt.Sprintf("w-%d", i), Name: fmt.Sprintf("Nouveau %d", i), Headline: "Analyste",
			City: "Oujda", GraduationYear: 2025, Skills: []string{"Python"}, Consent: profiles.Consent{Searchable: true}}
		if err := s.Put(ctx, p); err != nil {
			b.Fatal(err)
		}
		plain := i%2 == 0
		_, d := search(plain, storetest.OfficerBenchQuery)
		if plain {
			rebuildBefore = append(rebuildBefore, d)
		} else {
			rebuildAfter = append(rebuildAfter, d)
		}
	}
	pct := func(ds []time.Duration, p float64) float64 {
		ds = slices.Clone(ds)
		slices.Sort(ds)
		return float64(ds[int(float64(len(ds)-1)*p)].Microseconds()) / 1000
	}
	worst := 0.0
	for i, oq := range officerQueries {
		b.ReportMetric(pct(before[i], 0.5), oq.name+"_before_p50_ms")
		b.ReportMetric(pct(before[i], 0.95), oq.name+"_before_p95_ms")
		b.ReportMetric(pct(after[i], 0.5), oq.name+"_p50_ms")
		b.ReportMetric(pct(after[i], 0.95), oq.name+"_p95_ms")
		b.ReportMetric(pct(before[i], 0.95)/max(pct(after[i], 0.95), 0.001), oq.name+"_p95_ratio")
		if len(cold[i]) > 0 {
			b.ReportMetric(pct(cold[i], 0.5), oq.name+"_uncached_p50_ms")
			b.ReportMetric(pct(cold[i], 0.95), oq.name+"_uncached_p95_ms")
		}
		worst = max(worst, pct(after[i], 0.95))
	}
	b.ReportMetric(worst, "worst_p95_ms")
	b.ReportMetric(float64(columnsRead.Microseconds())/1000, "columns_read_ms")
	b.ReportMetric(pct(rebuildBefore, 0.5), "after_write_before_p50_ms")
	b.ReportMetric(pct(rebuildAfter, 0.5), "after_write_p50_ms")
}
