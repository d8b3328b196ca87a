package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"

	"github.com/passerelle/passerelle/profiles"
)

// Officer query benchmarks (web's BenchmarkOfficerQueryAPI and profiles'
// BenchmarkOfficerQueryStore) share their profiles and their query, so
// that their figures compare.

// OfficerBenchQuery is the officer query they time: text, two filters,
// facets, consenting graduates only.
var OfficerBenchQuery = profiles.Query{Text: "analyste", City: "Oujda", YearFrom: 2024, YearTo: 2026, Facets: true, OnlySearchable: true, Limit: 20}

// OfficerBenchSize is how many profiles they index: 10,000, or
// PASSERELLE_BENCH_PROFILES (100000 for issue 12's size).
func OfficerBenchSize() int {
	if v, err := strconv.Atoi(os.Getenv("PASSERELLE_BENCH_PROFILES")); err == nil && v > 0 {
		return v
	}
	return 10000
}

// PutOfficerBenchProfiles puts n generated graduates (the same for the
// same n) into s, 1,000 at a time; nine in ten consent to be searchable.
func PutOfficerBenchProfiles(ctx context.Context, s profiles.Store, n int) error {
	r := rand.New(rand.NewPCG(1, 2))
	cities := []string{"Oujda", "Nador", "Berkane", "Taourirt", "Jerada", "Casablanca", "Rabat", "Fès"}
	skillSets := [][]string{{"Python", "SQL", "pandas"}, {"Java", "Spring"}, {"Machine learning", "PyTorch"}, {"Power BI", "Excel"}, {"Docker", "Kubernetes"}, {"JavaScript", "React"}}
	batch := make([]profiles.Profile, 0, 1000)
	for i := range n {
		batch = append(batch, profiles.Profile{ID: fmt.Sprintf("b-%07d", i), Name: fmt.Sprintf("Diplômé %d", i),
			Headline: "Analyste de données junior", City: cities[r.IntN(len(cities))], Cohort: fmt.Sprintf("Promo %d", 2022+r.IntN(4)),
			GraduationYear: 2022 + r.IntN(5), Skills: skillSets[r.IntN(len(skillSets))], Languages: []string{"fr", "ar"},
			Seeking: profiles.Seeking{Workplace: []string{"remote"}}, Alerts: profiles.Alerts{Frequency: "weekly"},
			Consent: profiles.Consent{Searchable: r.IntN(10) > 0}})
		if len(batch) == cap(batch) {
			if err := s.Put(ctx, batch...); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return s.Put(ctx, batch...)
}

// ImportBenchJSONL is n generated graduates as an officer's JSON lines
// file (the import benchmarks of profiles and internal/app share it); nine
// in ten consent to be searchable.
func ImportBenchJSONL(n int) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, p := range ImportBenchProfiles(n) {
		if err := enc.Encode(p); err != nil {
			return nil, fmt.Errorf("storetest: encode bench profile: %w", err)
		}
	}
	return buf.Bytes(), nil
}

// ImportBenchProfiles are the graduates of ImportBenchJSONL.
func ImportBenchProfiles(n int) []profiles.Profile {
	r := rand.New(rand.NewPCG(3, 12))
	cities := []string{"Oujda", "Nador", "Berkane", "Taourirt", "Jerada", "Casablanca", "Rabat", "Fès"}
	skillSets := [][]string{{"Python", "SQL", "pandas"}, {"Java", "Spring"}, {"Machine learning", "PyTorch"}, {"Power BI", "Excel"}, {"Docker", "Kubernetes"}, {"JavaScript", "React"}}
	out := make([]profiles.Profile, 0, n)
	for i := range n {
		out = append(out, profiles.Profile{ID: fmt.Sprintf("imp-%07d", i), Name: fmt.Sprintf("Diplômé %d", i), Email: fmt.Sprintf("g%d@example.org", i),
			Headline: "Analyste de données junior", City: cities[r.IntN(len(cities))], Country: "MA", Cohort: fmt.Sprintf("Promo %d", 2022+r.IntN(4)),
			GraduationYear: 2022 + r.IntN(5), Skills: skillSets[r.IntN(len(skillSets))], Languages: []string{"fr", "ar"},
			Seeking: profiles.Seeking{Workplace: []string{"remote"}}, Alerts: profiles.Alerts{Frequency: "weekly"},
			Consent: profiles.Consent{Searchable: r.IntN(10) > 0}})
	}
	return out
}
