// Package storetest is the conformance suite every profiles.Store
// implementation must pass (the embedded Bleve store and the Meilisearch
// store). The profiles below were written by us for the suite.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passerelle/passerelle/profiles"
)

// Run runs the suite. newStore must return a new, empty store each time it
// is called; Run closes it at the end of each subtest (a second Close by the
// caller must be harmless).
func Run(t *testing.T, newStore func(t *testing.T) profiles.Store) {
	open := func(t *testing.T) profiles.Store {
		t.Helper()
		s := newStore(t)
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return s
	}
	t.Run("PutGetRoundTrip", func(t *testing.T) { testPutGet(t, open(t)) })
	t.Run("PutUpserts", func(t *testing.T) { testUpsert(t, open(t)) })
	t.Run("PutRejectsInvalidAtomically", func(t *testing.T) { testInvalid(t, open(t)) })
	t.Run("PutDoesNotAliasCaller", func(t *testing.T) { testNoAlias(t, open(t)) })
	t.Run("GetUnknown", func(t *testing.T) { testGetUnknown(t, open(t)) })
	t.Run("DeleteIdempotent", func(t *testing.T) { testDelete(t, open(t)) })
	t.Run("Search", func(t *testing.T) { testSearch(t, open(t)) })
	t.Run("TextSemantics", func(t *testing.T) { testTextSemantics(t, open(t)) })
	t.Run("SkillsThroughTheTaxonomy", func(t *testing.T) { testSkillGroups(t, open(t)) })
	t.Run("YearRange", func(t *testing.T) { testYearRange(t, open(t)) })
	t.Run("FacetsAndFilters", func(t *testing.T) { testFacets(t, open(t)) })
	t.Run("SortAndSeniority", func(t *testing.T) { testSort(t, open(t)) })
	t.Run("CohortScope", func(t *testing.T) { testCohortScope(t, open(t)) })
	t.Run("SearchInvalidAvailability", func(t *testing.T) { testSearchInvalid(t, open(t)) })
	t.Run("Paging", func(t *testing.T) { testPaging(t, open(t)) })
	t.Run("SortByIDBytes", func(t *testing.T) { testSortBytes(t, open(t)) })
	t.Run("EachAndLimits", func(t *testing.T) { testEachAndLimits(t, open(t)) })
	t.Run("EachDuringWrites", func(t *testing.T) { testEachDuringWrites(t, open(t)) })
	t.Run("CanceledContext", func(t *testing.T) { testCanceled(t, open(t)) })
	t.Run("ConcurrentPutSearch", func(t *testing.T) { testConcurrent(t, open(t)) })
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

func put(t *testing.T, s profiles.Store, ps ...profiles.Profile) {
	t.Helper()
	if err := s.Put(ctx(t), ps...); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

func ids(ps []profiles.Profile) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// day returns the date n days from today as YYYY-MM-DD. The suite keeps
// 30 days away from today so a run across midnight or time zones cannot
// change a result.
func day(n int) string {
	return time.Now().AddDate(0, 0, n).Format("2006-01-02")
}

func full() profiles.Profile {
	return profiles.Profile{
		ID:             "g-0042",
		Name:           "Salma Bennani",
		Email:          "salma@example.org",
		Locale:         "en",
		City:           "Oujda",
		Country:        "MA",
		Headline:       "Data analyst, Master Big Data",
		Skills:         []string{"Python", "pandas", "SQL"},
		Languages:      []string{"fr", "ar", "en"},
		GraduationYear: 2025,
		Availability:   "immediate",
		Seeking: profiles.Seeking{
			Seniority:  []string{"internship", "junior"},
			Employment: []string{"full_time"},
			Workplace:  []string{"remote", "hybrid"},
			Locations:  []string{"Oujda", "MA"},
		},
		Alerts:    profiles.Alerts{Frequency: profiles.FrequencyWeekly},
		Consent:   profiles.Consent{Alerts: true, Searchable: true, Recruiters: true},
		UpdatedAt: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
	}
}

func testPutGet(t *testing.T, s profiles.Store) {
	want := full()
	put(t, s, want)
	got, err := s.Get(ctx(t), want.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Errorf("UpdatedAt = %v, want %v (a set value must be kept)", got.UpdatedAt, want.UpdatedAt)
	}
	got.UpdatedAt, want.UpdatedAt = time.Time{}, time.Time{}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}

	// Put normalizes and stamps UpdatedAt when zero.
	before := time.Now().Add(-time.Second)
	raw := profiles.Profile{ID: "  g-0043 ", Country: "ma", Skills: []string{" Go "}, Languages: []string{" FR"}, Availability: " Immediate "}
	put(t, s, raw)
	got, err = s.Get(ctx(t), "g-0043")
	if err != nil {
		t.Fatalf("Get normalized: %v", err)
	}
	if got.UpdatedAt.Before(before) || got.UpdatedAt.After(time.Now().Add(time.Second)) {
		t.Errorf("UpdatedAt = %v, want about now", got.UpdatedAt)
	}
	if got.Country != "MA" || got.Locale != "fr" || got.Alerts.Frequency != profiles.FrequencyDaily ||
		!slices.Equal(got.Skills, []string{"Go"}) || !slices.Equal(got.Languages, []string{"fr"}) || got.Availability != "immediate" {
		t.Errorf("normalized profile = %+v", got)
	}
}

func testUpsert(t *testing.T, s profiles.Store) {
	p := profiles.Profile{ID: "u1", Name: "Yassine", Skills: []string{"Kotlin"}, City: "Nador"}
	put(t, s, p)
	p.Skills = []string{"Rust"}
	p.City = "Berkane"
	put(t, s, p)
	got, err := s.Get(ctx(t), "u1")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if !slices.Equal(got.Skills, []string{"Rust"}) || got.City != "Berkane" {
		t.Errorf("after upsert got %+v", got)
	}
	for _, q := range []profiles.Query{{Skills: []string{"kotlin"}}, {City: "nador"}} {
		res, err := s.Search(ctx(t), q)
		if err != nil {
			t.Fatalf("Search %+v: %v", q, err)
		}
		if res.Total != 0 {
			t.Errorf("Search %+v after upsert: old values still match: %v", q, ids(res.Profiles))
		}
	}
	res, err := s.Search(ctx(t), profiles.Query{})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if res.Total != 1 {
		t.Errorf("Total = %d after two puts of one id, want 1", res.Total)
	}
	// Same id twice in one call: the last one wins.
	put(t, s, profiles.Profile{ID: "u2", Name: "first"}, profiles.Profile{ID: "u2", Name: "second"})
	got, err = s.Get(ctx(t), "u2")
	if err != nil || got.Name != "second" {
		t.Errorf("Get u2 = %+v, %v; want name second", got, err)
	}
}

func testInvalid(t *testing.T, s profiles.Store) {
	cases := []profiles.Profile{
		{},
		{ID: "a/b"},
		{ID: "ok", Email: "not an address"},
		{ID: "ok", Country: "Morocco"},
		{ID: "ok", Availability: "next week"},
		{ID: "ok", Alerts: profiles.Alerts{Frequency: "hourly"}},
	}
	for _, bad := range cases {
		err := s.Put(ctx(t), profiles.Profile{ID: "good"}, bad)
		if !errors.Is(err, profiles.ErrInvalid) {
			t.Errorf("Put(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := s.Get(ctx(t), "good"); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("a rejected Put stored its valid profile: Get = %v", err)
	}
}

func testNoAlias(t *testing.T, s profiles.Store) {
	skills := []string{" Go ", "SQL"}
	put(t, s, profiles.Profile{ID: "a1", Skills: skills})
	if skills[0] != " Go " {
		t.Errorf("Put modified the caller's slice: %q", skills)
	}
}

func testGetUnknown(t *testing.T, s profiles.Store) {
	for _, id := range []string{"nobody", "", "a/b"} {
		if _, err := s.Get(ctx(t), id); !errors.Is(err, profiles.ErrNotFound) {
			t.Errorf("Get(%q) = %v, want ErrNotFound", id, err)
		}
	}
}

func testDelete(t *testing.T, s profiles.Store) {
	put(t, s, profiles.Profile{ID: "d1", Skills: []string{"Go"}}, profiles.Profile{ID: "d2", Skills: []string{"Go"}})
	for range 2 {
		if err := s.Delete(ctx(t), "d1"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
	}
	if err := s.Delete(ctx(t), "never-there"); err != nil {
		t.Errorf("Delete unknown: %v", err)
	}
	if _, err := s.Get(ctx(t), "d1"); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("Get after Delete = %v, want ErrNotFound", err)
	}
	res, err := s.Search(ctx(t), profiles.Query{Skills: []string{"go"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(res.Profiles), []string{"d2"}) || res.Total != 1 {
		t.Errorf("Search after Delete = %v (total %d), want [d2]", ids(res.Profiles), res.Total)
	}
}

// corpus is the search fixture. Names and words are chosen so that no
// word is a prefix of, or one typo away from, a word of another profile
// where a case below expects it not to match (Meilisearch tolerates both).
func corpus() []profiles.Profile {
	return []profiles.Profile{
		{ID: "p01", Name: "Salma Bennani", City: "Oujda", Country: "MA", Headline: "Ingénieure données, Master Big Data",
			Skills: []string{"Python", "SQL", "Power BI"}, Languages: []string{"fr", "ar", "en"}, GraduationYear: 2025,
			Availability: "immediate", Consent: profiles.Consent{Searchable: true}},
		{ID: "p02", Name: "Karim Ouazzani", City: "Fès", Country: "MA", Headline: "Machine learning engineer, computer vision",
			Skills: []string{"python", "PyTorch", "Scikit-Learn"}, Languages: []string{"fr", "en"}, GraduationYear: 2024,
			Availability: day(-30), Consent: profiles.Consent{Searchable: true}},
		{ID: "p03", Name: "Nadia Tazi", City: "FES", Country: "MA", Headline: "Apprentissage automatique et statistiques",
			Skills: []string{"R", "Statistiques", "Python"}, Languages: []string{"fr"}, GraduationYear: 2025,
			Availability: day(30), Consent: profiles.Consent{Searchable: false}},
		{ID: "p04", Name: "Omar Idrissi", City: "Casablanca", Country: "MA", Headline: "Développeur JavaScript",
			Skills: []string{"JavaScript", "React"}, Languages: []string{"fr", "en"}, GraduationYear: 2023,
			Availability: day(90), Consent: profiles.Consent{Searchable: true}},
		{ID: "p05", Name: "Lucie Martin", City: "Paris", Country: "FR", Headline: "Data engineer, Spark and Airflow",
			Skills: []string{"Spark", "Airflow", "SQL", "Java"}, Languages: []string{"fr", "en"}, GraduationYear: 2025,
			Consent: profiles.Consent{Searchable: true}},
		{ID: "p06", Name: "Hamza El Alami", City: "Oujda", Country: "MA", Headline: "Analyste de données junior",
			Skills: []string{"Analyse de données", "Excel", "sql"}, Languages: []string{"ar", "fr"}, GraduationYear: 2024,
			Availability: "immediate", Consent: profiles.Consent{Searchable: true}},
	}
}

func testSearch(t *testing.T, s profiles.Store) {
	put(t, s, corpus()...)
	cases := []struct {
		name string
		q    profiles.Query
		want []string // in order
	}{
		{"empty query returns all by id", profiles.Query{}, []string{"p01", "p02", "p03", "p04", "p05", "p06"}},
		{"skill case-insensitive", profiles.Query{Skills: []string{"PYTHON"}}, []string{"p01", "p02", "p03"}},
		{"all skills required", profiles.Query{Skills: []string{"python", "sql"}}, []string{"p01"}},
		{"skill exact, not substring", profiles.Query{Skills: []string{"java"}}, []string{"p05"}},
		{"skill with accents and spaces", profiles.Query{Skills: []string{"analyse de donnees"}}, []string{"p06"}},
		{"skill dash or space", profiles.Query{Skills: []string{"scikit learn"}}, []string{"p02"}},
		{"unknown skill", profiles.Query{Skills: []string{"cobol"}}, nil},
		{"city accent-insensitive", profiles.Query{City: "fes"}, []string{"p02", "p03"}},
		{"city with accent", profiles.Query{City: "FÈS"}, []string{"p02", "p03"}},
		{"country lower case", profiles.Query{Country: "fr"}, []string{"p05"}},
		{"graduation year", profiles.Query{GraduationYear: 2024}, []string{"p02", "p06"}},
		{"all languages required", profiles.Query{Languages: []string{"AR", "en"}}, []string{"p01"}},
		{"available immediately", profiles.Query{Availability: "immediate"}, []string{"p01", "p02", "p06"}},
		{"available by a date", profiles.Query{Availability: day(45)}, []string{"p01", "p02", "p03", "p06"}},
		{"available by an earlier date", profiles.Query{Availability: day(-40)}, []string{"p01", "p06"}},
		{"only searchable", profiles.Query{OnlySearchable: true, Skills: []string{"python"}}, []string{"p01", "p02"}},
		{"filters combine", profiles.Query{City: "oujda", Skills: []string{"SQL"}, GraduationYear: 2024}, []string{"p06"}},
		{"text in name", profiles.Query{Text: "bennani"}, []string{"p01"}},
		{"text accent-insensitive", profiles.Query{Text: "ingenieure"}, []string{"p01"}},
		{"text with accents in query", profiles.Query{Text: "DÉVELOPPEUR"}, []string{"p04"}},
		{"text in skills", profiles.Query{Text: "pytorch"}, []string{"p02"}},
		{"text English words, all required", profiles.Query{Text: "computer vision"}, []string{"p02"}},
		{"text French words", profiles.Query{Text: "apprentissage automatique"}, []string{"p03"}},
		{"text and filter", profiles.Query{Text: "airflow", Country: "FR"}, []string{"p05"}},
		{"text and filter exclude", profiles.Query{Text: "airflow", Country: "MA"}, nil},
		{"text no match", profiles.Query{Text: "zzyzx"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Search(ctx(t), tc.q)
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			got := ids(res.Profiles)
			want := tc.want
			if tc.q.Text != "" {
				// Relevance order is the store's own: compare as sets.
				got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
			}
			if !slices.Equal(got, want) {
				t.Errorf("ids = %v, want %v", got, want)
			}
			if res.Total != len(tc.want) {
				t.Errorf("Total = %d, want %d", res.Total, len(tc.want))
			}
		})
	}

	// Results with text are in a stable order.
	q := profiles.Query{Text: "data"}
	first, err := s.Search(ctx(t), q)
	if err != nil {
		t.Fatal(err)
	}
	if first.Total == 0 {
		t.Fatalf("Search %q found nothing", q.Text)
	}
	for range 3 {
		again, err := s.Search(ctx(t), q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(again.Profiles), ids(first.Profiles)) {
			t.Errorf("order changed between identical searches: %v then %v", ids(first.Profiles), ids(again.Profiles))
		}
	}
}

// textCorpus is the fixture of the free-text semantics every index must
// share (see profiles/textterms.go): whole words, accents and case folded,
// French and English stems, no prefixes, no typos, no phrase or exclusion
// operators, no limit on the number of words.
func textCorpus() []profiles.Profile {
	return []profiles.Profile{
		{ID: "t01", Name: "Youssef Amrani", Headline: "Software engineer building web apps with JavaScript and React in Rabat",
			Skills: []string{"JavaScript", "React"}},
		{ID: "t02", Name: "Ines Alaoui", Headline: "Engineering student, data pipelines",
			Skills: []string{"Java", "Spark"}},
		{ID: "t03", Name: "Rachid Berrada", Headline: "Analystes des données de l'entreprise",
			Skills: []string{"R", "Python"}},
	}
}

func testTextSemantics(t *testing.T, s profiles.Store) {
	put(t, s, textCorpus()...)
	cases := []struct {
		name, text string
		want       []string
	}{
		{"whole word, not a prefix", "java", []string{"t02"}},
		{"one letter is a whole word", "r", []string{"t03"}},
		{"last word is not a prefix", "youssef java", nil},
		{"no typo tolerance", "javascrpt", nil},
		{"English stem", "engineering", []string{"t01", "t02"}},
		{"English stem, other form", "engineers", []string{"t01", "t02"}},
		{"French stems", "analyste donnee", []string{"t03"}},
		{"elision", "entreprise", []string{"t03"}},
		{"quotes are not a phrase", `"data engineer"`, []string{"t02"}},
		{"quoted words in any order", `"engineering data"`, []string{"t02"}},
		{"minus is not an exclusion", "-spark", []string{"t02"}},
		{"minus inside the query", "java -spark", []string{"t02"}},
		{"more than ten words, all required",
			"youssef amrani software engineer building web apps with javascript and react rabat", []string{"t01"}},
		{"eleventh word must match too",
			"youssef amrani software engineer building web apps with javascript and react zzyzx", nil},
		{"punctuation only is no text filter", " ,;! ", []string{"t01", "t02", "t03"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Search(ctx(t), profiles.Query{Text: tc.text})
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			got := slices.Sorted(slices.Values(ids(res.Profiles)))
			if !slices.Equal(got, tc.want) || res.Total != len(tc.want) {
				t.Errorf("Text %q = %v (total %d), want %v", tc.text, got, res.Total, tc.want)
			}
		})
	}
}

func testSearchInvalid(t *testing.T, s profiles.Store) {
	for _, a := range []string{"soon", "2026-13-01", "01/02/2026"} {
		if _, err := s.Search(ctx(t), profiles.Query{Availability: a}); !errors.Is(err, profiles.ErrInvalid) {
			t.Errorf("Search(Availability %q) = %v, want ErrInvalid", a, err)
		}
	}
}

func numbered(n int, prefix string) []profiles.Profile {
	ps := make([]profiles.Profile, n)
	for i := range ps {
		ps[i] = profiles.Profile{ID: fmt.Sprintf("%s%04d", prefix, i), Skills: []string{"Go"}, City: "Oujda"}
	}
	return ps
}

func testPaging(t *testing.T, s profiles.Store) {
	all := numbered(60, "n")
	put(t, s, all...)
	res, err := s.Search(ctx(t), profiles.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Profiles) != profiles.DefaultLimit || res.Total != 60 {
		t.Errorf("default page: %d profiles, total %d; want %d, 60", len(res.Profiles), res.Total, profiles.DefaultLimit)
	}
	var got []string
	for _, off := range []int{0, 25, 50} {
		res, err := s.Search(ctx(t), profiles.Query{Skills: []string{"go"}, Limit: 25, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 60 {
			t.Errorf("offset %d: Total = %d, want 60", off, res.Total)
		}
		got = append(got, ids(res.Profiles)...)
	}
	if !slices.Equal(got, ids(all)) {
		t.Errorf("pages concatenated = %v, want %v", got, ids(all))
	}
	// An offset that is not a multiple of the limit.
	res, err = s.Search(ctx(t), profiles.Query{Limit: 7, Offset: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(res.Profiles), ids(all[10:17])) {
		t.Errorf("limit 7 offset 10 = %v, want %v", ids(res.Profiles), ids(all[10:17]))
	}
	res, err = s.Search(ctx(t), profiles.Query{Offset: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Profiles) != 0 || res.Total != 60 {
		t.Errorf("offset past the end: %d profiles, total %d; want 0, 60", len(res.Profiles), res.Total)
	}
	res, err = s.Search(ctx(t), profiles.Query{Offset: math.MaxInt, Limit: math.MaxInt})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Profiles) != 0 || res.Total != 60 {
		t.Errorf("huge offset: %d profiles, total %d; want 0, 60", len(res.Profiles), res.Total)
	}
	res, err = s.Search(ctx(t), profiles.Query{Limit: -3, Offset: -5})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(res.Profiles), ids(all[:profiles.DefaultLimit])) {
		t.Errorf("negative limit/offset = %v, want the first default page", ids(res.Profiles))
	}
}

// testSortBytes: without text, results are in the byte order of the ids
// (upper case before '_' before lower case), whatever the index's own
// string collation.
func testSortBytes(t *testing.T, s profiles.Store) {
	in := []string{"b-2", "a-1", "B-1", "Z-9", "_x", "a-10", "A-2", "0-0"}
	for _, id := range in {
		put(t, s, profiles.Profile{ID: id, Skills: []string{"Go"}})
	}
	want := slices.Sorted(slices.Values(in))
	res, err := s.Search(ctx(t), profiles.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Profiles); !slices.Equal(got, want) {
		t.Errorf("order = %v, want byte order %v", got, want)
	}
	var paged []string
	for off := 0; off < len(in); off += 3 {
		res, err := s.Search(ctx(t), profiles.Query{Skills: []string{"go"}, Limit: 3, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, ids(res.Profiles)...)
	}
	if !slices.Equal(paged, want) {
		t.Errorf("pages of 3 = %v, want %v", paged, want)
	}
}

var errStop = errors.New("stop here")

func testEachAndLimits(t *testing.T, s profiles.Store) {
	const n = profiles.MaxLimit + 50
	all := numbered(n, "e")
	put(t, s, all...)

	seen := map[string]int{}
	err := s.Each(ctx(t), func(p profiles.Profile) error {
		seen[p.ID]++
		return nil
	})
	if err != nil {
		t.Fatalf("Each: %v", err)
	}
	if len(seen) != n {
		t.Errorf("Each visited %d distinct profiles, want %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("Each visited %s %d times", id, c)
		}
	}

	calls := 0
	err = s.Each(ctx(t), func(profiles.Profile) error {
		calls++
		if calls == 3 {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) || calls != 3 {
		t.Errorf("Each with failing fn: err %v after %d calls, want errStop after 3", err, calls)
	}

	res, err := s.Search(ctx(t), profiles.Query{Limit: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Profiles) != profiles.MaxLimit || res.Total != n {
		t.Errorf("Limit 5000: %d profiles, total %d; want %d, %d", len(res.Profiles), res.Total, profiles.MaxLimit, n)
	}
}

// testEachDuringWrites: profiles that exist for the whole scan are each
// given exactly once while others are added, updated and deleted.
func testEachDuringWrites(t *testing.T, s profiles.Store) {
	stable := numbered(300, "s")
	churn := numbered(100, "c")
	put(t, s, stable...)
	put(t, s, churn...)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			var err error
			switch i % 3 {
			case 0: // update a stable profile
				p := stable[i%len(stable)]
				p.Name = fmt.Sprintf("update %d", i)
				err = s.Put(ctx(t), p)
			case 1: // add a new one
				err = s.Put(ctx(t), profiles.Profile{ID: fmt.Sprintf("new%05d", i)})
			case 2: // delete a churn one
				err = s.Delete(ctx(t), churn[i%len(churn)].ID)
			}
			if err != nil {
				writeErr = err
				return
			}
		}
	})
	seen := map[string]int{}
	err := s.Each(ctx(t), func(p profiles.Profile) error {
		seen[p.ID]++
		return nil
	})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Each: %v", err)
	}
	if writeErr != nil {
		t.Fatalf("writes during Each: %v", writeErr)
	}
	for _, p := range stable {
		if seen[p.ID] != 1 {
			t.Errorf("Each gave %s %d times, want once", p.ID, seen[p.ID])
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("Each gave %s %d times", id, n)
		}
	}
}

func testCanceled(t *testing.T, s profiles.Store) {
	c, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Put(c, profiles.Profile{ID: "c1"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with canceled context = %v, want context.Canceled", err)
	}
	if _, err := s.Search(c, profiles.Query{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Search with canceled context = %v, want context.Canceled", err)
	}
}

func testConcurrent(t *testing.T, s profiles.Store) {
	const writers, perWriter = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*perWriter*2)
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				p := profiles.Profile{ID: fmt.Sprintf("w%d-%03d", w, i), Skills: []string{"Go", fmt.Sprintf("skill%d", w)}, City: "Oujda"}
				if err := s.Put(ctx(t), p); err != nil {
					errs <- err
				}
			}
		})
		wg.Go(func() {
			for range perWriter {
				if _, err := s.Search(ctx(t), profiles.Query{Skills: []string{"go"}, City: "oujda"}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent: %v", err)
	}
	res, err := s.Search(ctx(t), profiles.Query{Skills: []string{"go"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != writers*perWriter {
		t.Errorf("Total after concurrent puts = %d, want %d", res.Total, writers*perWriter)
	}
	res, err = s.Search(ctx(t), profiles.Query{Skills: []string{"skill2"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != perWriter {
		t.Errorf("Total for one writer = %d, want %d", res.Total, perWriter)
	}
}

// testSkillGroups: officers' skills go through the taxonomy in any
// language: synonyms and translations, narrower concepts unless exact,
// any-of groups.
func testSkillGroups(t *testing.T, s profiles.Store) {
	put(t, s,
		profiles.Profile{ID: "k1", Name: "A", Skills: []string{"Deep Learning", "Python"}, Consent: profiles.Consent{Searchable: true}},
		profiles.Profile{ID: "k2", Name: "B", Skills: []string{"التعلم الآلي"}, Consent: profiles.Consent{Searchable: true}},
		profiles.Profile{ID: "k3", Name: "C", Skills: []string{"Statistiques", "SQL"}, Consent: profiles.Consent{Searchable: true}},
		profiles.Profile{ID: "k4", Name: "D", Skills: []string{"Machine learning"}, Consent: profiles.Consent{Searchable: true}},
		profiles.Profile{ID: "k5", Name: "E", Skills: []string{"Excel"}, Consent: profiles.Consent{Searchable: true}},
	)
	search := func(skills []string, exact, any bool) []string {
		t.Helper()
		res, err := s.Search(ctx(t), profiles.Query{SkillGroups: profiles.ExpandSkills(skills, exact, any), OnlySearchable: true, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		return ids(res.Profiles)
	}
	for _, c := range []struct {
		skills     []string
		exact, any bool
		want       []string
	}{
		{[]string{"machine learning"}, false, false, []string{"k1", "k2", "k4"}},
		{[]string{"apprentissage automatique"}, false, false, []string{"k1", "k2", "k4"}},
		{[]string{"machine learning"}, true, false, []string{"k2", "k4"}},
		{[]string{"statistics"}, false, false, []string{"k3"}},
		{[]string{"sql", "statistics"}, false, false, []string{"k3"}},
		{[]string{"excel", "deep learning"}, false, true, []string{"k1", "k5"}},
		{[]string{"Jonglage"}, false, false, nil},
	} {
		got := search(c.skills, c.exact, c.any)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("skills %v exact=%v any=%v: %v, want %v", c.skills, c.exact, c.any, got, c.want)
		}
	}
}

func testYearRange(t *testing.T, s profiles.Store) {
	put(t, s, corpus()...)
	for _, c := range []struct {
		from, to int
		want     []string
	}{
		{2024, 2025, []string{"p01", "p02", "p05", "p06"}},
		{2025, 0, []string{"p01", "p05"}},
		{0, 2023, []string{"p04"}},
	} {
		res, err := s.Search(ctx(t), profiles.Query{YearFrom: c.from, YearTo: c.to, OnlySearchable: true, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		got := ids(res.Profiles)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("years %d–%d: %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

// testFacets: facet counts over every match (not one page), skills by
// taxonomy id, and the cohort, workplace and recruiter-consent filters.
func testFacets(t *testing.T, s profiles.Store) {
	mk := func(id, city, cohort string, year int, wp []string, rec bool, skills ...string) profiles.Profile {
		return profiles.Profile{ID: id, Name: id, City: city, Cohort: cohort, GraduationYear: year, Skills: skills,
			Languages: []string{"fr"}, Seeking: profiles.Seeking{Workplace: wp},
			Consent: profiles.Consent{Searchable: true, Recruiters: rec}}
	}
	put(t, s,
		mk("f1", "Oujda", "Master SDIA 2025", 2025, []string{"remote"}, true, "Python", "SQL"),
		mk("f2", "Oujda", "Master SDIA 2025", 2025, []string{"remote", "onsite"}, false, "python", "Docker"),
		mk("f3", "Nador", "Licence IA 2024", 2024, []string{"onsite"}, true, "SQL"),
		mk("f4", "Berkane", "Master SDIA 2025", 2025, []string{"hybrid"}, false, "Apprentissage automatique"),
	)
	res, err := s.Search(ctx(t), profiles.Query{OnlySearchable: true, Facets: true, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 4 || len(res.Profiles) != 1 {
		t.Fatalf("total %d, page %d", res.Total, len(res.Profiles))
	}
	count := func(facet, value string) int {
		for _, c := range res.Facets[facet] {
			if c.Value == value {
				return c.Count
			}
		}
		return 0
	}
	for _, c := range []struct {
		facet, value string
		want         int
	}{
		{profiles.FacetSkill, "python", 2}, {profiles.FacetSkill, "sql", 2}, {profiles.FacetSkill, "machine-learning", 1},
		{profiles.FacetCity, "oujda", 2}, {profiles.FacetCohort, "master sdia 2025", 3}, {profiles.FacetYear, "2025", 3},
		{profiles.FacetLanguage, "fr", 4}, {profiles.FacetWorkplace, "remote", 2}, {profiles.FacetWorkplace, "onsite", 2},
	} {
		if got := count(c.facet, c.value); got != c.want {
			t.Errorf("facet %s=%s: %d, want %d (all: %v)", c.facet, c.value, got, c.want, res.Facets[c.facet])
		}
	}
	if f := res.Facets[profiles.FacetSkill]; len(f) > 0 && f[0].Count < f[len(f)-1].Count {
		t.Errorf("skill facet not most frequent first: %v", f)
	}
	for _, c := range []struct {
		q    profiles.Query
		want []string
	}{
		{profiles.Query{Cohort: "master sdia 2025"}, []string{"f1", "f2", "f4"}},
		{profiles.Query{Workplace: []string{"remote", "hybrid"}}, []string{"f1", "f2", "f4"}},
		{profiles.Query{Recruiters: true}, []string{"f1", "f3"}},
	} {
		c.q.OnlySearchable, c.q.Limit = true, 50
		r, err := s.Search(ctx(t), c.q)
		if err != nil {
			t.Fatal(err)
		}
		got := ids(r.Profiles)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%+v: %v, want %v", c.q, got, c.want)
		}
	}
}

// testSort: the officers' sort orders (missing values last, ties by id)
// and the seniority-sought filter.
func testSort(t *testing.T, s profiles.Store) {
	put(t, s, corpus()...)
	for _, c := range []struct {
		sort string
		want []string
	}{
		{profiles.SortYear, []string{"p01", "p05", "p02", "p06", "p04"}},
		{profiles.SortAvailability, []string{"p01", "p06", "p02", "p04", "p05"}}, // immediate, then by date
	} {
		res, err := s.Search(ctx(t), profiles.Query{Sort: c.sort, OnlySearchable: true, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(res.Profiles); !slices.Equal(got, c.want) {
			t.Errorf("sort %s: %v, want %v", c.sort, got, c.want)
		}
	}
	if _, err := s.Search(ctx(t), profiles.Query{Sort: "salary"}); !errors.Is(err, profiles.ErrInvalid) {
		t.Errorf("unknown sort: %v, want ErrInvalid", err)
	}
	put(t, s,
		profiles.Profile{ID: "s1", Name: "S1", Seeking: profiles.Seeking{Seniority: []string{"internship"}}, Consent: profiles.Consent{Searchable: true}},
		profiles.Profile{ID: "s2", Name: "S2", Seeking: profiles.Seeking{Seniority: []string{"junior", "mid"}}, Consent: profiles.Consent{Searchable: true}},
	)
	res, err := s.Search(ctx(t), profiles.Query{Seniority: []string{"internship", "mid"}, OnlySearchable: true, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Profiles); !slices.Equal(got, []string{"s1", "s2"}) {
		t.Errorf("seniority internship or mid: %v", got)
	}
}

// testCohortScope: a scope of cohorts (an officer of one school) bounds
// the results, the total and every facet count, whatever the other
// filters ask; a blank scope is an error, never "every cohort".
func testCohortScope(t *testing.T, s profiles.Store) {
	mk := func(id, cohort string, searchable bool, skills ...string) profiles.Profile {
		return profiles.Profile{ID: id, Name: id, City: "Oujda", Cohort: cohort, GraduationYear: 2025, Skills: skills,
			Consent: profiles.Consent{Searchable: searchable}}
	}
	put(t, s,
		mk("s1", "ENSAO — Génie informatique 2025", true, "Python"),
		mk("s2", "ensao genie informatique 2025", true, "SQL"),
		mk("s3", "EST Oujda — LP Big Data 2025", true, "Python"),
		mk("s4", "FSO Master IA 2025", true, "Python", "SQL"),
		mk("s5", "ENSAO — Génie informatique 2025", false, "Python"),
	)
	scope := []string{"ENSAO - Genie Informatique 2025", "EST Oujda — LP Big Data 2025"}
	for _, c := range []struct {
		q    profiles.Query
		want []string
	}{
		{profiles.Query{}, []string{"s1", "s2", "s3"}},
		{profiles.Query{Text: "python"}, []string{"s1", "s3"}},
		{profiles.Query{Text: "s4"}, nil},
		{profiles.Query{Skills: []string{"python"}}, []string{"s1", "s3"}},
		{profiles.Query{Cohort: "FSO Master IA 2025"}, nil},
		{profiles.Query{Cohort: "EST Oujda — LP Big Data 2025"}, []string{"s3"}},
	} {
		c.q.Cohorts, c.q.OnlySearchable, c.q.Limit, c.q.Facets = scope, true, 50, true
		r, err := s.Search(ctx(t), c.q)
		if err != nil {
			t.Fatal(err)
		}
		got := ids(r.Profiles)
		slices.Sort(got)
		if !slices.Equal(got, c.want) || r.Total != len(c.want) {
			t.Errorf("%+v: %v (total %d), want %v", c.q, got, r.Total, c.want)
		}
		for facet, counts := range r.Facets {
			for _, fc := range counts {
				if fc.Count > len(c.want) {
					t.Errorf("%+v: facet %s=%s counts %d, more than the %d in scope", c.q, facet, fc.Value, fc.Count, len(c.want))
				}
				if facet == profiles.FacetCohort && strings.Contains(fc.Value, "fso") {
					t.Errorf("%+v: another school's cohort in the facets: %v", c.q, counts)
				}
			}
		}
	}
	if _, err := s.Search(ctx(t), profiles.Query{Cohorts: []string{" ", ""}, OnlySearchable: true}); err == nil {
		t.Error("a blank scope searched every cohort")
	}
	if !profiles.InCohorts("ENSAO — GÉNIE informatique 2025", scope) || profiles.InCohorts("FSO Master IA 2025", scope) ||
		profiles.InCohorts("", scope) || !profiles.InCohorts("", nil) {
		t.Error("InCohorts")
	}
}
