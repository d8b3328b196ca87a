package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
)

// Each offer in an alert carries signed one-click 👍 / 👎 links: a click is
// recorded per graduate and offer (exported for evaluation), a forged link
// is refused, and a 👎 hides the offer from the graduate's list.
func TestFeedbackLinksInMails(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, Mailpit and HTTP servers")
	}
	h := newHarness(t)
	a, _ := h.start(nil)
	ctx := context.Background()
	if rep, err := a.ImportProfiles(ctx, profilesJSONL(t, e2eProfiles()[:1])); err != nil || rep.Rejected > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	waitIdle(t, a)
	posted := time.Now().Add(-3 * time.Hour)
	if err := a.PublishOffer(ctx, jobs.Offer{
		ID: "board:fb-1", Source: "board", URL: "https://board.example/jobs/fb-1", Title: "Data analyst junior", Company: "Atlas",
		Skills: []string{"sql", "python", "pandas"}, Seniority: jobs.SeniorityJunior, Employment: []string{jobs.FullTime},
		Workplace: jobs.Onsite, Locations: []jobs.Location{{City: "Oujda", Country: "MA"}}, PostedAt: &posted,
		Terms: jobs.Terms{Attribution: "Board", EmailAllowed: true, ShowBehindSignup: true},
	}); err != nil {
		t.Fatal(err)
	}
	sums, err := h.mp.WaitFor(ctx, 1, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m, err := h.mp.Message(ctx, sums[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var down string
	for _, f := range strings.Fields(m.Text) {
		if strings.HasPrefix(f, "http://"+a.HTTPAddr()+"/feedback?") {
			down = f // 👍 comes first, 👎 last
		}
	}
	if down == "" || !strings.Contains(m.HTML, "👍") {
		t.Fatalf("no feedback links in the alert:\n%s", m.Text)
	}
	resp, err := http.Get(down)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("feedback link: %d", resp.StatusCode)
	}
	if resp, err := http.Get(down[:len(down)-5] + "AAAAA"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("forged feedback link: %d, want 400", resp.StatusCode)
		}
	}
	var got []FeedbackExport
	if err := a.EachFeedback(ctx, func(f FeedbackExport) error { got = append(got, f); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].OfferID != "board:fb-1" || got[0].Verdict != "down" {
		t.Fatalf("feedback kept: %+v", got)
	}
	ms, err := a.MatchesFor(ctx, got[0].ProfileID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.OfferID == "board:fb-1" {
			t.Error("an offer answered 👎 is still listed")
		}
	}
}
