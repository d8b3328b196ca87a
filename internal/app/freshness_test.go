package app

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
)

// TestRecruiterCloseStopsMail: a recruiter's offer matched to a graduate
// with daily alerts waits for the digest; the recruiter closes it
// (POST /api/offers/{id}/close): it leaves the digest queue and the
// graduate's list, and the digest sends nothing.
func TestRecruiterCloseStopsMail(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, Mailpit and HTTP servers")
	}
	h := newHarness(t)
	a, _ := h.start(nil)
	ctx := context.Background()
	ps := e2eProfiles()
	for i := range ps {
		ps[i].Alerts.Frequency = profiles.FrequencyDaily
	}
	if rep, err := a.ImportProfiles(ctx, profilesJSONL(t, ps)); err != nil || rep.Rejected > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	waitIdle(t, a)
	salma, err := a.repo.ByEmail(ctx, "salma.demo@example.org")
	if err != nil {
		t.Fatal(err)
	}
	const token = "rec-token-0123456789"
	resp, body := postOffer(t, a, token, map[string]any{
		"id": "bi-close-1", "title": "Analyste BI junior", "company": "Acme RH",
		"url":         "https://acme.example.org/jobs/bi-close-1",
		"description": "Analyse de données avec SQL, Python et pandas ; tableaux de bord Power BI. Poste junior basé à Oujda.",
		"locations":   []map[string]string{{"city": "Oujda", "country": "MA"}},
		"workplace":   "onsite", "employment": []string{"full_time"}, "seniority": "junior",
	})
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /api/offers: %d %s", resp.StatusCode, body)
	}
	const id = "recruiter-acme-rh:bi-close-1"
	waitIdle(t, a)
	queued := func() bool {
		list, err := a.alerts.Digests.List(ctx, profiles.FrequencyDaily)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(list, func(p notifier.Pending) bool { return p.Match.OfferID == id && p.Match.ProfileID == salma.ID })
	}
	listed := func() bool {
		ms, err := a.MatchesFor(ctx, salma.ID)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(ms, func(m matcher.Match) bool { return m.OfferID == id })
	}
	if !queued() || !listed() {
		t.Fatalf("the offer is not waiting for Salma's digest (queued %v, listed %v)", queued(), listed())
	}

	// Without a token: refused; then the recruiter closes it.
	req, _ := http.NewRequest(http.MethodPost, "http://"+a.HTTPAddr()+"/api/offers/bi-close-1/close", nil)
	if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("close without a token: %v %v", r, err)
	}
	req, _ = http.NewRequest(http.MethodPost, "http://"+a.HTTPAddr()+"/api/offers/bi-close-1/close", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var rb bytes.Buffer
	_, _ = rb.ReadFrom(r.Body)
	r.Body.Close()
	if r.StatusCode != http.StatusAccepted || !strings.Contains(rb.String(), id) {
		t.Fatalf("close: %d %s", r.StatusCode, rb.String())
	}
	deadline := time.Now().Add(15 * time.Second)
	for queued() {
		if time.Now().After(deadline) {
			t.Fatal("the closed offer is still waiting for the digest")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if listed() {
		t.Error("the closed offer is still in Salma's list")
	}
	if closed, err := a.alerts.Closed.Closed(ctx, id); err != nil || !closed {
		t.Errorf("offers_closed: %v %v", closed, err)
	}
	if err := a.FlushDigests(ctx, profiles.FrequencyDaily); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, a)
	for addr, ms := range mailsByRecipient(t, h.mp) {
		if strings.Contains(bodies(ms), "Analyste BI junior") {
			t.Errorf("%s got the closed offer:\n%s", addr, bodies(ms))
		}
	}
	// The event is on the OFFERS stream for every consumer.
	st, err := a.js.Stream(ctx, bus.StreamOffers)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := st.GetLastMsgForSubject(ctx, bus.SubjectOfferClosed); err != nil || !strings.Contains(string(m.Data), `"reason":"recruiter"`) {
		t.Errorf("offers.closed: %v %v", m, err)
	}
}
