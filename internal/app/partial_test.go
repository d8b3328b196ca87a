package app

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/notifier"
)

// TestPartialFitsListedApart: what the matcher publishes under the web's
// floor is on the graduate's page, after the close fits, folded under
// "partly fit" in the page's language; what is at the web floor and above
// is in the main list.
func TestPartialFitsListedApart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, Mailpit and HTTP servers")
	}
	if matcher.DefaultMinScore >= notifier.DefaultWebMinScore {
		t.Fatalf("the matcher's floor %.2f is not under the web's %.2f: nothing is a partial fit", matcher.DefaultMinScore, notifier.DefaultWebMinScore)
	}
	h := newHarness(t)
	a, _ := h.start([]string{Serve})
	ctx := context.Background()
	if rep, err := a.ImportProfiles(ctx, profilesJSONL(t, e2eProfiles())); err != nil || rep.Rejected > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	p, err := a.repo.ByEmail(ctx, "salma.demo@example.org")
	if err != nil {
		t.Fatal(err)
	}
	terms := jobs.Terms{Attribution: "Board", EmailAllowed: true, ShowBehindSignup: true}
	publish := func(id, title string, score float64) {
		o := analystOffer("board", id, title, terms)
		m := matcher.Match{ProfileID: p.ID, OfferID: o.ID, URL: o.URL, Title: o.Title, Company: o.Company,
			Score: score, Offer: &o, MatchedAt: time.Now().UTC()}
		b, _ := json.Marshal(m)
		if _, err := a.js.Publish(ctx, bus.MatchSubject(p.ID), b, jetstream.WithMsgID(bus.MatchMsgID(o.ID, p.ID))); err != nil {
			t.Fatal(err)
		}
	}
	mid := (matcher.DefaultMinScore + notifier.DefaultWebMinScore) / 2
	publish("close", "Analyste de données proche", notifier.DefaultWebMinScore+0.1)
	publish("partial", "Ingénieur données partiel", mid)
	publish("below", "Offre sous le plancher", matcher.DefaultMinScore/2)
	tok := a.profileLinks.Make(p.ID)
	b := newBrowserless(t)
	for lang, summary := range map[string]string{"fr": "Offres qui vous correspondent en partie (1)", "en": "Offers that partly fit you (1)", "ar": "عروض تناسبك جزئياً (1)"} {
		_, page, _ := b.get("http://" + a.HTTPAddr() + "/profile/matches?lang=" + lang + "&token=" + url.QueryEscape(tok))
		page = strings.NewReplacer("\u2068", "", "\u2069", "").Replace(page)
		main, partial, ok := strings.Cut(page, `id="partial-matches"`)
		if !ok || !strings.Contains(partial, summary) {
			t.Fatalf("%s: no partial-fit section saying %q:\n%s", lang, summary, page)
		}
		if !strings.Contains(main, "Analyste de données proche") || strings.Contains(main, "Ingénieur données partiel") {
			t.Errorf("%s: the main list should hold the close fit only", lang)
		}
		if !strings.Contains(partial, "Ingénieur données partiel") || strings.Contains(partial, "Analyste de données proche") {
			t.Errorf("%s: the partial section should hold the partial fit only", lang)
		}
		if strings.Contains(page, "Offre sous le plancher") {
			t.Errorf("%s: a match under the matcher's floor is listed", lang)
		}
	}
}
