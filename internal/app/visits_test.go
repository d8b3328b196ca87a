package app

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/jobs"
)

// TestNewSinceLastVisit: "my matches" marks the offers matched since the
// graduate's previous visit and filters on them (new=1, with the other
// filters); on the first visit everything is new; reloading within a
// visit keeps the marks; the visit record is erased with the graduate.
func TestNewSinceLastVisit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, Mailpit and HTTP servers")
	}
	h := newHarness(t)
	a, _ := h.start(nil)
	ctx := context.Background()
	importDemoProfiles(t, a)
	posted := time.Now().Add(-2 * time.Hour)
	mk := func(id, title string, wp jobs.Workplace) jobs.Offer {
		return jobs.Offer{
			ID: "board:" + id, Source: "board", URL: "https://board.example/jobs/" + id, Title: title, Company: "Atlas Data",
			Description: "Analyse de données avec SQL, Python et pandas ; tableaux de bord Power BI. Poste junior.",
			Skills:      []string{"sql", "python", "pandas", "power-bi"}, Seniority: jobs.SeniorityJunior, Employment: []string{jobs.FullTime},
			Workplace: wp, PostedAt: &posted,
			Eligibility: jobs.Eligibility{Countries: []string{"MA"}, Known: true},
			Terms:       jobs.Terms{Attribution: "Board", ShowBehindSignup: true},
		}
	}
	onsite := mk("1", "Data analyst junior Oujda", jobs.Onsite)
	onsite.Locations = []jobs.Location{{City: "Oujda", Country: "MA"}}
	if err := a.PublishOffer(ctx, onsite); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, a)
	p, err := a.repo.ByEmail(ctx, "salma.demo@example.org")
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowserless(t)
	base := "http://" + a.HTTPAddr() + "/profile/matches?lang=fr&token=" + url.QueryEscape(a.profileLinks.Make(p.ID))
	badges := func(page string) int { return strings.Count(page, `class="badge new"`) }
	open := func(q string) string {
		t.Helper()
		code, page, _ := b.get(base + q)
		if code != http.StatusOK {
			t.Fatalf("my matches%s: %d\n%s", q, code, page)
		}
		return page
	}

	// First visit: everything is new.
	page := open("")
	if !strings.Contains(page, "Data analyst junior Oujda") || badges(page) != 1 || !strings.Contains(page, "Nouvelles depuis ma dernière visite (1)") {
		t.Fatalf("first visit: %d new marks\n%s", badges(page), page)
	}

	// A later visit: only what was matched since the previous one.
	if err := a.PublishOffer(ctx, mk("2", "Data engineer junior remote", jobs.Remote)); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, a)
	visitGapNs.Store(0) // the next opening is a new visit
	page = open("")
	visitGapNs.Store(int64(DefaultVisitGap))
	if !strings.Contains(page, "Data engineer junior remote") || badges(page) != 1 {
		t.Fatalf("second visit: %d new marks, want 1 (the remote offer)\n%s", badges(page), page)
	}
	if i, j := strings.Index(page, `class="badge new"`), strings.Index(page, "Data engineer junior remote"); i < 0 || j < 0 || strings.LastIndex(page[:j], `<article`) > i {
		t.Errorf("the new mark is not on the new offer")
	}
	// Within the visit: the filter lists only the new offer, the marks stay.
	page = open("&new=1")
	if !strings.Contains(page, "Data engineer junior remote") || strings.Contains(page, "Data analyst junior Oujda") || badges(page) != 1 {
		t.Errorf("new=1: %d new marks\n%s", badges(page), page)
	}
	if page = open("&new=1&where=ma"); strings.Contains(page, "Data engineer junior remote") || !strings.Contains(page, "Aucune nouvelle offre depuis votre dernière visite.") {
		t.Errorf("new=1&where=ma kept a remote offer")
	}
	base = strings.Replace(base, "lang=fr", "lang=ar", 1)
	if page = open(""); badges(page) != 1 || !strings.Contains(page, "الجديد منذ زيارتي الأخيرة (1)") {
		t.Errorf("Arabic page: %d marks", badges(page))
	}

	// Erased with the graduate.
	kv, err := a.js.KeyValue(ctx, bus.KVVisits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Get(ctx, bus.KeyToken(p.ID)); err != nil {
		t.Fatalf("no visit recorded: %v", err)
	}
	if d, err := a.MyData(ctx, p.ID); err != nil || d.Visits == nil || d.Visits.Last.IsZero() || d.Visits.Previous.IsZero() {
		t.Errorf("my data lacks the visits: %+v %v", d.Visits, err)
	}
	if _, err := a.EraseProfile(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Get(ctx, bus.KeyToken(p.ID)); !errors.Is(err, jetstream.ErrKeyNotFound) {
		t.Errorf("the visit record survived the erasure: %v", err)
	}
}
