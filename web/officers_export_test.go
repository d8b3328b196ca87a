package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/passerelle/passerelle/profiles"
)

// Exports stream every graduate who consented, past one page of results
// (the export stopped at 1,000 while the page said 1,106), and nobody who
// did not.
func TestExportIsNotCutAtOnePage(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	var ps []profiles.Profile
	for i := range 1106 {
		ps = append(ps, profiles.Profile{ID: fmt.Sprintf("x-%05d", i), Name: fmt.Sprintf("Diplômé %d", i), Email: fmt.Sprintf("x%d@example.org", i),
			City: "Zaio", Skills: []string{"Python"}, Alerts: profiles.Alerts{Frequency: "weekly"}, Consent: profiles.Consent{Searchable: i%50 != 0}})
	}
	if err := e.store.Put(ctx, ps...); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, p := range ps {
		if p.Consent.Searchable {
			want++
		}
	}
	get := func(path string) *http.Response {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+offTok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return resp
	}
	rows, err := csv.NewReader(get("/api/profiles/export.csv?city=Zaio").Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != want {
		t.Errorf("CSV export: %d rows, want %d", len(rows)-1, want)
	}
	n := 0
	sc := bufio.NewScanner(get("/api/profiles/export.jsonl?city=Zaio").Body)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"x-00050"`) {
			t.Error("a graduate who did not consent was exported")
		}
		n++
	}
	if n != want {
		t.Errorf("JSON lines export: %d, want %d", n, want)
	}
}

// The officers' API reads skills through the taxonomy in any language,
// takes a year range, and "any of" skills.
func TestOfficerSearchUnderstandsSkills(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if err := e.store.Put(ctx,
		profiles.Profile{ID: "ml-1", Name: "A", City: "Berkane", Skills: []string{"التعلم الآلي"}, GraduationYear: 2024, Alerts: profiles.Alerts{Frequency: "weekly"}, Consent: profiles.Consent{Searchable: true}},
		profiles.Profile{ID: "ml-2", Name: "B", City: "Berkane", Skills: []string{"Deep learning"}, GraduationYear: 2026, Alerts: profiles.Alerts{Frequency: "weekly"}, Consent: profiles.Consent{Searchable: true}},
		profiles.Profile{ID: "st-1", Name: "C", City: "Berkane", Skills: []string{"Statistiques"}, GraduationYear: 2022, Alerts: profiles.Alerts{Frequency: "weekly"}, Consent: profiles.Consent{Searchable: true}},
	); err != nil {
		t.Fatal(err)
	}
	search := func(query string) []string {
		t.Helper()
		code, ids := officerSearch(t, e, "city=Berkane&"+query)
		if code != 200 {
			t.Fatalf("%s: %d", query, code)
		}
		slices.Sort(ids)
		return ids
	}
	for q, want := range map[string][]string{
		"skill=apprentissage+automatique":                {"ml-1", "ml-2"},
		"skill=machine+learning&exact=1":                 {"ml-1"},
		"skill=statistics":                               {"st-1"},
		"skill=statistics&skill=deep+learning&match=any": {"ml-2", "st-1"},
		"year=2024-2026":                                 {"ml-1", "ml-2"},
	} {
		if got := search(q); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
}

// The officers' page shows facet counts as links that add the filter;
// the API gives them with facets=1; the recruiter-consent column shows.
func TestOfficerFacets(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if err := e.store.Put(ctx,
		profiles.Profile{ID: "fa-1", Name: "A", City: "Taourirt", Cohort: "SDIA 2025", Skills: []string{"Python"}, Alerts: profiles.Alerts{Frequency: "weekly"}, Consent: profiles.Consent{Searchable: true, Recruiters: true}},
		profiles.Profile{ID: "fa-2", Name: "B", City: "Taourirt", Cohort: "SDIA 2025", Skills: []string{"python", "SQL"}, Alerts: profiles.Alerts{Frequency: "weekly"}, Consent: profiles.Consent{Searchable: true}},
	); err != nil {
		t.Fatal(err)
	}
	c := e.client(t)
	e.login(t, c, roleOfficer, offTok)
	r := e.do(t, c, "GET", "/officers?city=Taourirt&lang=fr", nil, nil)
	for _, want := range []string{`id="facets"`, `Python</bdi> (2)`, `SQL</bdi> (1)`, "sdia 2025</bdi> (2)", `href="/officers?city=Taourirt&amp;lang=fr&amp;skill=sql"`, "<td>oui</td>", "<td>non</td>"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("officers page lacks %s", want)
		}
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/profiles?city=Taourirt&facets=1&skill=sql", nil)
	req.Header.Set("Authorization", "Bearer "+offTok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res struct {
		Total  int                              `json:"total"`
		Facets map[string][]profiles.FacetCount `json:"facets"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || res.Total != 1 || len(res.Facets["skill"]) != 2 {
		t.Errorf("API facets: %v total %d facets %v", err, res.Total, res.Facets)
	}
}

func TestOfficerSortAndSeniority(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if err := e.store.Put(ctx,
		profiles.Profile{ID: "so-1", Name: "A", City: "Jerada", GraduationYear: 2022, Seeking: profiles.Seeking{Seniority: []string{"internship"}}, Alerts: profiles.Alerts{Frequency: "weekly"}, Consent: profiles.Consent{Searchable: true}},
		profiles.Profile{ID: "so-2", Name: "B", City: "Jerada", GraduationYear: 2026, Seeking: profiles.Seeking{Seniority: []string{"junior"}}, Alerts: profiles.Alerts{Frequency: "weekly"}, Consent: profiles.Consent{Searchable: true}},
	); err != nil {
		t.Fatal(err)
	}
	get := func(q string) (int, []string) { return officerSearch(t, e, "city=Jerada&"+q) }
	if code, ids := get("sort=year"); code != 200 || !slices.Equal(ids, []string{"so-2", "so-1"}) {
		t.Errorf("sort=year: %d %v", code, ids)
	}
	if code, ids := get("seniority=internship"); code != 200 || !slices.Equal(ids, []string{"so-1"}) {
		t.Errorf("seniority=internship: %d %v", code, ids)
	}
	if code, _ := get("sort=salary"); code != http.StatusBadRequest {
		t.Errorf("unknown sort: %d, want 400", code)
	}
}

// officerSearch calls the officers' search API and returns the status and
// the ids found, in the order of the answer.
func officerSearch(t *testing.T, e *env, query string) (int, []string) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/profiles?"+query, nil)
	req.Header.Set("Authorization", "Bearer "+offTok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res struct {
		Profiles []profiles.Profile `json:"profiles"`
	}
	if resp.StatusCode == 200 {
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	var ids []string
	for _, p := range res.Profiles {
		ids = append(ids, p.ID)
	}
	return resp.StatusCode, ids
}
