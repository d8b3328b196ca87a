package profiles_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/passerelle/passerelle/profiles"
)

// TestBleveFastPathsMatchBleve: filteredQuery (text and filters walked in
// step) with the facet table, and the columns of the fast path, each give
// the same page, order, total and facet counts as Bleve's boolean filter
// clause and facet builder, on profiles
// whose texts score differently (repeated words, lengths, stems) and with
// several segments, deletions and updates in the index, in memory and on
// disk.
func TestBleveFastPathsMatchBleve(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testFastPaths(t, profiles.BleveConfig{}) })
	t.Run("disk", func(t *testing.T) { testFastPaths(t, profiles.BleveConfig{Dir: t.TempDir()}) })
}

func testFastPaths(t *testing.T, cfg profiles.BleveConfig) {
	s, err := profiles.OpenBleve(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := rand.New(rand.NewPCG(7, 11))
	words := []string{"analyste", "analystes", "données", "data", "analyst", "ingénieur", "learning", "machine", "junior", "senior", "python", "statistiques"}
	cities := []string{"Oujda", "Nador", "Berkane", "Fès", ""}
	skillSets := [][]string{{"Python", "SQL", "pandas"}, {"Java", "Spring"}, {"Machine learning", "PyTorch"}, {"Power BI", "Excel"}, nil, {"Analyse de données", "R"}}
	var all []profiles.Profile
	for i := range 3000 {
		var hl []string
		for range 1 + r.IntN(8) {
			hl = append(hl, words[r.IntN(len(words))])
		}
		p := profiles.Profile{ID: fmt.Sprintf("p-%05d", r.IntN(1_000_000)), Name: fmt.Sprintf("Diplômé %d %s", i, words[r.IntN(len(words))]),
			Headline: strings.Join(hl, " "), City: cities[r.IntN(len(cities))], Cohort: fmt.Sprintf("Promo %d", 2022+r.IntN(4)),
			GraduationYear: 2021 + r.IntN(6), Skills: skillSets[r.IntN(len(skillSets))], Languages: []string{"fr", "ar", "en"}[:1+r.IntN(3)],
			Seeking: profiles.Seeking{Workplace: []string{"remote", "onsite", "hybrid"}[:r.IntN(4)]},
			Consent: profiles.Consent{Searchable: r.IntN(10) > 0, Recruiters: r.IntN(2) == 0}}
		all = append(all, p)
	}
	// Several batches (segments), then deletions and updates.
	for chunk := range slices.Chunk(all, 400) {
		if err := s.Put(context.Background(), chunk...); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range all[:200] {
		if err := s.Delete(context.Background(), p.ID); err != nil {
			t.Fatal(err)
		}
	}
	for i := 300; i < 400; i++ {
		p := all[i]
		p.Headline, p.City = "analyste analyste données", "Oujda"
		if err := s.Put(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	queries := []profiles.Query{
		{Text: "analyste", City: "Oujda", YearFrom: 2024, YearTo: 2026},
		{Text: "analyste données", OnlySearchable: true},
		{Text: "data learning", Languages: []string{"en"}},
		{Text: "python", Workplace: []string{"remote", "hybrid"}, Recruiters: true},
		{Text: "ingénieur", Cohorts: []string{"Promo 2023", "Promo 2025"}, Offset: 5},
		{Text: "statistiques", Sort: profiles.SortYear},
		{Text: "machine"},
		{City: "Nador", YearFrom: 2023},
		{},
	}
	served := profiles.BleveFastServed(s)
	for _, q := range queries {
		q.Facets, q.Limit = true, 30
		profiles.SetBleveLegacySearch(s, true)
		want, err := s.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		profiles.SetBleveLegacySearch(s, false)
		if want.Total == 0 || len(want.Profiles) == 0 {
			t.Errorf("%+v: no match, the comparison proves nothing", q)
		}
		// Both paths of today against Bleve's own: the plain one
		// (filteredQuery and the facet table) and the columns of
		// bleve_fast.go.
		for _, plain := range []bool{true, false} {
			profiles.SetBlevePlainSearch(s, plain)
			got, err := s.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("plain path %v, %+v:\ngot  %d %v %v\nwant %d %v %v", plain, q, got.Total, ids(got.Profiles), got.Facets, want.Total, ids(want.Profiles), want.Facets)
			}
		}
	}
	if n := profiles.BleveFastServed(s) - served; n != uint64(len(queries)) {
		t.Errorf("the fast path served %d of the %d queries: the comparison does not cover it", n, len(queries))
	}
}

func ids(ps []profiles.Profile) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}
