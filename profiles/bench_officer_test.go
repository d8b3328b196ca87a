package profiles_test

import (
	"context"
	"fmt"
	"math/rand/v2"
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
// ratio. The fast path caches the postings of a free text's terms per
// segment: queries with text are also timed with that cache off
// (_uncached_, the cost of a text's first search) and as the fast path
// searched a text before (_uncached_before_, walked by Bleve's searcher).
// Then, after each of 3×afterWriteRounds one-profile writes, the first
// search (after_write_) and its text's first search since the write
// (text_after_write_) on the plain path, the fast path before and after
// issue 12's writes work, in turn, p50 and p95 of each; and the first
// search after an import of 1,000 profiles (after_import_), before and
// after.
// afterWriteRounds is how many one-profile writes each path of
// BenchmarkOfficerQueryStore is timed after.
const afterWriteRounds = 20

// importRounds is how many imports of 1,000 profiles each fast path of
// BenchmarkOfficerQueryStore is timed after.
const importRounds = 5

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
	cold := make([][]time.Duration, len(officerQueries))       // text postings not cached
	coldBefore := make([][]time.Duration, len(officerQueries)) // text walked by Bleve
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
				// The fast path before issue 12's writes work: a text's
				// first search walked by Bleve's searcher.
				profiles.SetBleveFastBefore12(s, true)
				res, d = search(false, oq.q)
				coldBefore[i] = append(coldBefore[i], d)
				fastRuns++
				profiles.SetBleveFastBefore12(s, false)
				if !reflect.DeepEqual(old, res) {
					b.Fatalf("%s (text walked by Bleve): the two paths differ", oq.name)
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
	// The first searches after a one-profile write (a graduate editing
	// her profile), on three paths in turn: plain Bleve, the fast path as
	// it was before (every view built from scratch, a text's scores walked
	// by Bleve's searcher after any write) and as it is. After each write,
	// the query (the first search of the new snapshot), then
	// text_cohort (its text's first search since the write).
	textCohort := officerQueries[len(officerQueries)-1].q
	paths := []string{"plain", "before", "after"}
	afterWrite := map[string][]time.Duration{}
	textAfterWrite := map[string][]time.Duration{}
	r := rand.New(rand.NewPCG(5, 12))
	for i := range 3 * afterWriteRounds {
		p := profiles.Profile{ID: fmt.Sprintf("b-%07d", r.IntN(n)), Name: fmt.Sprintf("Diplômé modifié %d", i), Headline: "Analyste de données junior",
			City: "Oujda", Cohort: "Promo 2024", GraduationYear: 2024 + r.IntN(3), Skills: []string{"Python", "SQL"}, Languages: []string{"fr", "ar"},
			Seeking: profiles.Seeking{Workplace: []string{"remote"}}, Consent: profiles.Consent{Searchable: true}}
		if err := s.Put(ctx, p); err != nil {
			b.Fatal(err)
		}
		path := paths[i%len(paths)]
		profiles.SetBleveFastBefore12(s, path == "before")
		old, d := search(path == "plain", storetest.OfficerBenchQuery)
		afterWrite[path] = append(afterWrite[path], d)
		res, d2 := search(path == "plain", textCohort)
		textAfterWrite[path] = append(textAfterWrite[path], d2)
		profiles.SetBleveFastBefore12(s, false)
		// Same answers as the plain path on the same snapshot.
		if path != "plain" {
			want, _ := search(true, storetest.OfficerBenchQuery)
			want2, _ := search(true, textCohort)
			if !reflect.DeepEqual(old, want) || !reflect.DeepEqual(res, want2) {
				b.Fatalf("after a write, the %s fast path differs from the plain path", path)
			}
		}
		profiles.WaitBleveFast(s)
	}
	// The first search after an import of 1,000 profiles (a school's
	// spreadsheet) into the index: before (no warming after writes, views
	// built from scratch, texts walked by Bleve) and after, in turn.
	importFirst := map[string][]time.Duration{}
	for i := range 2 * importRounds {
		path := paths[1+i%2]
		before := path == "before"
		profiles.SetBleveFastBefore12(s, before)
		profiles.SetBleveFastWarm(s, !before)
		var ps []profiles.Profile
		for j := range 1000 {
			ps = append(ps, profiles.Profile{ID: fmt.Sprintf("i-%02d-%04d", i, j), Name: fmt.Sprintf("Importé %d", j), Headline: "Analyste de données junior",
				City: "Oujda", Cohort: "Promo 2025", GraduationYear: 2025, Skills: []string{"Python", "SQL"}, Languages: []string{"fr"},
				Seeking: profiles.Seeking{Workplace: []string{"remote"}}, Consent: profiles.Consent{Searchable: true}})
		}
		if err := s.Put(ctx, ps...); err != nil {
			b.Fatal(err)
		}
		_, d := search(false, storetest.OfficerBenchQuery)
		importFirst[path] = append(importFirst[path], d)
		profiles.SetBleveFastBefore12(s, false)
		profiles.SetBleveFastWarm(s, true)
		profiles.WaitBleveFast(s)
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
			b.ReportMetric(pct(coldBefore[i], 0.5), oq.name+"_uncached_before_p50_ms")
			b.ReportMetric(pct(coldBefore[i], 0.95), oq.name+"_uncached_before_p95_ms")
		}
		worst = max(worst, pct(after[i], 0.95))
	}
	b.ReportMetric(worst, "worst_p95_ms")
	b.ReportMetric(float64(columnsRead.Microseconds())/1000, "columns_read_ms")
	for _, path := range paths[1:] {
		b.ReportMetric(pct(importFirst[path], 0.5), "after_import_"+path+"_p50_ms")
		b.ReportMetric(pct(importFirst[path], 0.95), "after_import_"+path+"_p95_ms")
	}
	for _, path := range paths {
		b.ReportMetric(pct(afterWrite[path], 0.5), "after_write_"+path+"_p50_ms")
		b.ReportMetric(pct(afterWrite[path], 0.95), "after_write_"+path+"_p95_ms")
		b.ReportMetric(pct(textAfterWrite[path], 0.5), "text_after_write_"+path+"_p50_ms")
		b.ReportMetric(pct(textAfterWrite[path], 0.95), "text_after_write_"+path+"_p95_ms")
	}
}
