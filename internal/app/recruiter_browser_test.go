package app

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/browser"
)

// TestRecruiterClosesOfferInBrowser: a recruiter posts an offer through
// the form, finds it open on "my offers" (French, then Arabic at 390 px),
// closes it with the page's button, and sees it closed; the closure is
// recorded for the notifier and the graduates' lists (offers_closed);
// the other offer stays open. GET /api/offers lists the same.
func TestRecruiterClosesOfferInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	b := browser.Start(t)
	h := newHarness(t)
	a, _ := h.start(nil)
	ctx := context.Background()
	dir := artifactsDir(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	o := map[string]any{"id": "keep-1", "title": "Analyste données (archive)", "company": "Acme RH",
		"url": "https://acme.example.org/jobs/keep-1", "description": "Analyse de données avec SQL et Python à Oujda.",
		"locations": []map[string]string{{"city": "Oujda", "country": "MA"}}, "workplace": "onsite"}
	if resp, body := postOffer(t, a, "rec-token-0123456789", o); resp.StatusCode >= 300 {
		t.Fatalf("POST /api/offers: %d %s", resp.StatusCode, body)
	}

	base := "http://" + a.HTTPAddr()
	must(b.Resize(390, 844))
	must(b.Go(base + "/recruiters/login?lang=fr"))
	must(b.WaitFor("#login", 10*time.Second))
	must(b.Type("#f-token", "rec-token-0123456789"))
	must(b.Click("#login"))
	must(b.WaitFor("#publish", 10*time.Second)) // the form, with a link to "my offers"
	must(b.Click("#my-offers"))
	must(b.WaitFor("#rec-offers", 10*time.Second))
	must(b.Click("#new-offer"))
	must(b.WaitFor("#publish", 10*time.Second))
	must(b.Type("#f-title", "Data analyst junior (CDI)"))
	must(b.Type("#f-description", "Analyse de données : SQL, Python, Power BI. Poste junior à Oujda, sur site."))
	must(b.Type("#f-city", "Oujda"))
	must(b.Type("#f-country", "Maroc"))
	must(b.Click("#publish"))
	must(b.WaitFor("#posted", 10*time.Second))
	postedID, _ := b.Text("#posted-id")
	must(b.Click("#my-offers"))
	must(b.WaitFor("#rec-offers", 10*time.Second))
	list, _ := b.Text("#rec-offers")
	if !strings.Contains(list, "Data analyst junior (CDI)") || !strings.Contains(list, "Analyste données (archive)") || strings.Count(list, "Ouverte") != 2 {
		t.Fatalf("my offers before closing: %q", list)
	}
	must(b.Screenshot(filepath.Join(dir, "recruiter-offers-fr-phone.png")))
	must(b.Go(base + "/recruiters/offers?lang=ar"))
	must(b.WaitFor("#rec-offers", 10*time.Second))
	if dirAttr, _ := b.Attr("html", "dir"); dirAttr != "rtl" {
		t.Errorf("Arabic page dir = %q", dirAttr)
	}
	must(b.Screenshot(filepath.Join(dir, "recruiter-offers-ar-phone.png")))

	// Close the archived one from the French page.
	must(b.Go(base + "/recruiters/offers?lang=fr"))
	must(b.WaitFor("#rec-offers", 10*time.Second))
	must(b.Click(`li[data-id="keep-1"] button[type="submit"]`))
	must(b.WaitFor("#notice", 10*time.Second))
	if n, _ := b.Text("#notice"); !strings.Contains(n, "keep-1") {
		t.Errorf("notice after closing: %q", n)
	}
	closedRow, _ := b.Text(`li[data-id="keep-1"] .status`)
	openRow, _ := b.Text(`li[data-id="` + strings.TrimPrefix(postedID, "recruiter-acme-rh:") + `"] .status`)
	if !strings.Contains(closedRow, "Fermée") || !strings.Contains(openRow, "Ouverte") {
		t.Errorf("after closing: closed row %q, other row %q", closedRow, openRow)
	}
	must(b.Screenshot(filepath.Join(dir, "recruiter-offers-closed-fr-phone.png")))
	if closed, err := a.alerts.Closed.Closed(ctx, "recruiter-acme-rh:keep-1"); err != nil || !closed {
		t.Errorf("offers_closed does not record the closure: %v %v", closed, err)
	}
	if closed, err := a.alerts.Closed.Closed(ctx, postedID); err != nil || closed {
		t.Errorf("the other offer is closed too: %v %v", closed, err)
	}

	// The same list through the API, for a recruiter's own tools.
	apiList := func(token string) (int, map[string]bool) {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/offers", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Offers []struct {
				ID     string `json:"id"`
				Closed bool   `json:"closed"`
			} `json:"offers"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		got := map[string]bool{}
		for _, o := range body.Offers {
			got[o.ID] = o.Closed
		}
		return resp.StatusCode, got
	}
	if code, _ := apiList(""); code != http.StatusUnauthorized {
		t.Errorf("GET /api/offers without a token: %d", code)
	}
	code, got := apiList("rec-token-0123456789")
	if code != http.StatusOK || len(got) != 2 || !got["keep-1"] || got[strings.TrimPrefix(postedID, "recruiter-acme-rh:")] {
		t.Errorf("GET /api/offers: %d %v", code, got)
	}
}
