package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
)

// latencyCities are where the benchmark's offers are: offer i is on site
// in city i, sought by its own group of graduates, so each offer reaches
// one group and no graduate hits the daily cap of instant mails.
var latencyCities = []string{"Oujda", "Casablanca", "Rabat", "Fès", "Tanger", "Marrakech", "Agadir", "Meknès",
	"Kénitra", "Tétouan", "Nador", "Berkane", "Taza", "El Jadida", "Safi", "Béni Mellal", "Khouribga", "Settat",
	"Laâyoune", "Essaouira"}

// percentile is the p-th percentile (nearest rank) of sorted ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := int(p/100*float64(len(ds))+0.999999) - 1
	return ds[max(0, min(i, len(ds)-1))]
}

// TestAlertLatency measures post → mail: a recruiter posts offers through
// the API, one after the other, and each reaches the graduates it fits as
// an instant alert in Mailpit (coalescing window 0). Latency is Mailpit's
// reception time minus the time the POST was sent, per mail; the baseline
// in the same run is a direct SMTP send of the same mails (composed by the
// notifier, handed to the SMTP mailer). The full run (100 graduates, 20
// offers) is behind PASSERELLE_LATENCY_FULL=1; CI runs a short one (25
// graduates, 5 offers). Both require p95 ≤ 2 s.
func TestAlertLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("latency test starts NATS, Mailpit and HTTP servers")
	}
	groups, perGroup := 5, 5
	if os.Getenv("PASSERELLE_LATENCY_FULL") == "1" {
		groups = 20
	}
	h := newHarness(t)
	ctx := context.Background()
	a, _ := h.start(nil)
	var ps []profiles.Profile
	for g := range groups {
		for i := range perGroup {
			n := g*perGroup + i
			ps = append(ps, profiles.Profile{
				ID: fmt.Sprintf("g-lat-%03d", n), Name: fmt.Sprintf("Graduate %d", n),
				Email:  fmt.Sprintf("g%03d@d%03d.example.org", n, n),
				Locale: []string{"fr", "ar", "en"}[n%3], City: latencyCities[g], Country: "MA",
				Headline: "Data analyst", Skills: []string{"Python", "SQL", "pandas", "Power BI"},
				Languages: []string{"fr", "ar", "en"}, GraduationYear: 2025,
				Seeking: profiles.Seeking{Seniority: []string{"junior"}, Employment: []string{"full_time"},
					Workplace: []string{"onsite"}, Locations: []string{latencyCities[g]}},
				Alerts:  profiles.Alerts{Frequency: profiles.FrequencyInstant},
				Consent: profiles.Consent{Alerts: true},
			})
		}
	}
	if rep, err := a.ImportProfiles(ctx, profilesJSONL(t, ps)); err != nil || rep.Rejected > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	waitIdle(t, a)
	if err := h.mp.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}

	var lat, first []time.Duration
	for g := range groups {
		title := fmt.Sprintf("Analyste de données junior %02d", g)
		start := time.Now()
		resp, body := postOffer(t, a, "rec-token-0123456789", map[string]any{
			"id": fmt.Sprintf("lat-%02d", g), "title": title, "company": "Acme RH",
			"url":         fmt.Sprintf("https://acme.example.org/jobs/lat-%02d", g),
			"description": "Analyse de données avec Python, SQL et pandas ; tableaux de bord Power BI. Poste junior, jeune diplômé.",
			"locations":   []map[string]string{{"city": latencyCities[g], "country": "MA"}},
			"workplace":   "onsite", "employment": []string{"full_time"}, "seniority": "junior",
		})
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("POST /api/offers: %d %s", resp.StatusCode, body)
		}
		want := (g + 1) * perGroup
		msgs, err := h.mp.WaitFor(ctx, want, 20*time.Second)
		if err != nil {
			t.Fatalf("offer %d: %v", g, err)
		}
		var mine []time.Duration
		for _, m := range msgs {
			if strings.Contains(m.Snippet, title) {
				mine = append(mine, m.Created.Sub(start))
			}
		}
		if len(mine) > 0 {
			// The first mail of an offer is the pipeline alone; the
			// others also wait their turn under the send rate.
			first = append(first, slices.Min(mine))
		}
		lat = append(lat, mine...)
	}
	if len(lat) != groups*perGroup {
		t.Fatalf("%d mails carry the offers, want %d", len(lat), groups*perGroup)
	}
	slices.Sort(lat)
	slices.Sort(first)

	// Baseline: the same mails sent straight to Mailpit.
	direct, err := notifier.NewSMTPMailer(h.mp.SMTPURL())
	if err != nil {
		t.Fatal(err)
	}
	cons, err := a.js.OrderedConsumer(ctx, bus.StreamMatches, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(len(ps), jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	byProfile := map[string]matcher.Match{}
	for msg := range batch.Messages() {
		var m matcher.Match
		if json.Unmarshal(msg.Data(), &m) == nil {
			byProfile[m.ProfileID] = m
		}
	}
	var base []time.Duration
	for _, p := range ps {
		m, ok := byProfile[p.ID]
		if !ok {
			t.Fatalf("no match of %s on the MATCHES stream", p.ID)
		}
		msg, err := a.notifier.Compose(p, []matcher.Match{m}, profiles.FrequencyInstant)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := direct.Send(ctx, msg); err != nil {
			t.Fatal(err)
		}
		base = append(base, time.Since(start))
	}
	slices.Sort(base)
	p50, p95 := percentile(lat, 50), percentile(lat, 95)
	b50, b95 := percentile(base, 50), percentile(base, 95)
	t.Logf("figures: first mail of each offer: p50 %d ms, p95 %d ms", percentile(first, 50).Milliseconds(), percentile(first, 95).Milliseconds())
	t.Logf("figures: post → mail, %d graduates, %d offers, %d mails (window 0, send rate %d/s): p50 %d ms, p95 %d ms, max %d ms; "+
		"direct SMTP send of the same mails: p50 %.1f ms, p95 %.1f ms; ratio p50 %.0f×, p95 %.0f×",
		len(ps), groups, len(lat), notifier.DefaultSendRate, p50.Milliseconds(), p95.Milliseconds(), lat[len(lat)-1].Milliseconds(),
		float64(b50.Microseconds())/1000, float64(b95.Microseconds())/1000,
		float64(p50)/float64(max(b50, time.Microsecond)), float64(p95)/float64(max(b95, time.Microsecond)))
	if p95 > 2*time.Second {
		t.Errorf("post → mail p95 %s, target ≤ 2 s", p95)
	}
}
