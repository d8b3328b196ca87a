package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/passerelle/passerelle/profiles"
)

// BenchmarkOfficerQueryAPI: an officer's query (text + 2 filters + facets)
// through the HTTP API against the embedded index holding N profiles
// (10,000 by default; PASSERELLE_BENCH_PROFILES=100000 for the issue's
// size). It reports the p50 and p95 latency of the requests, and, as the
// baseline of the same run, the p95 of the same query on the store
// without HTTP.
func BenchmarkOfficerQueryAPI(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("PASSERELLE_BENCH_PROFILES")); err == nil && v > 0 {
		n = v
	}
	e := newEnv(&testing.T{}, nil)
	r := rand.New(rand.NewPCG(1, 2))
	cities := []string{"Oujda", "Nador", "Berkane", "Taourirt", "Jerada", "Casablanca", "Rabat", "Fès"}
	skillSets := [][]string{{"Python", "SQL", "pandas"}, {"Java", "Spring"}, {"Machine learning", "PyTorch"}, {"Power BI", "Excel"}, {"Docker", "Kubernetes"}, {"JavaScript", "React"}}
	ctx := context.Background()
	batch := make([]profiles.Profile, 0, 1000)
	for i := range n {
		batch = append(batch, profiles.Profile{ID: fmt.Sprintf("b-%07d", i), Name: fmt.Sprintf("Diplômé %d", i),
			Headline: "Analyste de données junior", City: cities[r.IntN(len(cities))], Cohort: fmt.Sprintf("Promo %d", 2022+r.IntN(4)),
			GraduationYear: 2022 + r.IntN(5), Skills: skillSets[r.IntN(len(skillSets))], Languages: []string{"fr", "ar"},
			Seeking: profiles.Seeking{Workplace: []string{"remote"}}, Alerts: profiles.Alerts{Frequency: "weekly"},
			Consent: profiles.Consent{Searchable: r.IntN(10) > 0}})
		if len(batch) == cap(batch) {
			if err := e.store.Put(ctx, batch...); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if err := e.store.Put(ctx, batch...); err != nil {
		b.Fatal(err)
	}
	url := e.srv.URL + "/api/profiles?q=analyste&city=Oujda&year=2024-2026&facets=1&limit=20"
	q := profiles.Query{Text: "analyste", City: "Oujda", YearFrom: 2024, YearTo: 2026, Facets: true, OnlySearchable: true, Limit: 20}
	var api, direct []time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+offTok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("%v %v", err, resp)
		}
		resp.Body.Close()
		api = append(api, time.Since(t0))
		t0 = time.Now()
		if _, err := e.store.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
		direct = append(direct, time.Since(t0))
	}
	pct := func(ds []time.Duration, p float64) float64 {
		slices.Sort(ds)
		return float64(ds[int(float64(len(ds)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(pct(api, 0.5), "p50_ms")
	b.ReportMetric(pct(api, 0.95), "p95_ms")
	b.ReportMetric(pct(direct, 0.95), "store_p95_ms")
	b.ReportMetric(float64(n), "profiles")
}
