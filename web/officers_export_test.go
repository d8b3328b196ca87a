package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
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
