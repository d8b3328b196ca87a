package app

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestRecruiterOfferWithoutWebLink: a recruiter posts an offer with no web
// link, only an e-mail address to apply to. The graduate it fits gets a
// mail that links to the offer's page on Passerelle and gives the address;
// that page shows the whole ad (as text: the markup typed is gone) and
// the address to write to.
func TestRecruiterOfferWithoutWebLink(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, Mailpit and HTTP servers")
	}
	h := newHarness(t)
	a, _ := h.start(nil)
	importDemoProfiles(t, a)
	waitIdle(t, a)

	resp, body := postOffer(t, a, "rec-token-0123456789", map[string]any{
		"id": "bi-mail-1", "title": "Analyste BI junior", "apply_url": "mailto:rh@acme.example.org",
		"description": "<p>Analyse de données avec SQL, Python et pandas ; tableaux de bord Power BI.</p><p>Poste junior basé à Oujda. Envoyez CV et lettre avant le 15 janvier.</p>",
		"locations":   []map[string]string{{"city": "Oujda", "country": "MA"}},
		"workplace":   "onsite", "employment": []string{"full_time"}, "seniority": "junior",
	})
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /api/offers: %d %s", resp.StatusCode, body)
	}
	waitIdle(t, a)
	mail := bodies(mailsByRecipient(t, h.mp)["salma.demo@example.org"])
	if !strings.Contains(mail, "Analyste BI junior") {
		t.Fatalf("the offer did not reach Salma:\n%s", mail)
	}
	if !strings.Contains(mail, "Postuler par e-mail : rh@acme.example.org") {
		t.Errorf("Salma's mail does not give the address to apply to:\n%s", mail)
	}
	link := regexp.MustCompile(`Voir l'offre : (http://\S+/profile/offer\?\S+)`).FindStringSubmatch(mail)
	if link == nil {
		t.Fatalf("Salma's mail does not link to the offer's page:\n%s", mail)
	}
	r, err := http.Get(link[1])
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("offer page %s: %d", link[1], r.StatusCode)
	}
	for _, want := range []string{"Analyste BI junior", "Envoyez CV et lettre avant le 15 janvier.", `href="mailto:rh@acme.example.org"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("offer page lacks %q", want)
		}
	}
	if strings.Contains(string(page), "&lt;p&gt;") {
		t.Errorf("offer page shows the markup the recruiter typed")
	}
}
