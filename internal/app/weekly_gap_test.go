package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/demo"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

// A weekly digest carries the graduate's skill gap over the month's
// offers (insights.SkillGaps through App.weeklyGap), in her language
// (Mailpit). That other mails do not is notifier's TestWeeklyGapLine.
func TestWeeklyDigestSkillGap(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, Mailpit and HTTP servers")
	}
	h := newHarness(t)
	a, _ := h.start(nil)
	ctx := context.Background()
	salma := demo.Profiles()[0] // data analyst: Python, pandas, SQL, Power BI; Oujda
	salma.Alerts.Frequency = profiles.FrequencyWeekly
	if rep, err := a.ImportProfiles(ctx, profilesJSONL(t, []profiles.Profile{salma})); err != nil || rep.Rejected > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	waitIdle(t, a)
	posted := time.Now().Add(-50 * time.Hour)
	offer := func(id, title string, skills ...string) jobs.Offer {
		return jobs.Offer{ID: "board:" + id, Source: "board", URL: "https://board.example/jobs/" + id, Title: title, Company: "Co " + id,
			Skills: skills, Seniority: jobs.SeniorityJunior, Employment: []string{jobs.FullTime},
			Workplace: jobs.Onsite, Locations: []jobs.Location{{City: "Oujda", Country: "MA"}}, PostedAt: &posted,
			Terms: jobs.Terms{Attribution: "Board", EmailAllowed: true}}
	}
	offers := []jobs.Offer{offer("ba-1", "Data analyst junior", "sql", "python", "pandas", "power-bi")}
	for i := range 5 {
		offers = append(offers, offer(fmt.Sprintf("de-%d", i), "Data engineer junior", "docker", "kubernetes", "terraform", "python"))
	}
	for _, o := range offers {
		if err := a.PublishOffer(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, a)
	gap, err := a.weeklyGap(ctx, salma)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gap: %+v", gap)
	if gap.Skill != "docker" || gap.Opens < 3 {
		t.Fatalf("gap %+v, want Docker opening the data engineer offers", gap)
	}
	if err := a.FlushDigests(ctx, profiles.FrequencyWeekly); err != nil {
		t.Fatal(err)
	}
	msgs, err := h.mp.WaitFor(ctx, 1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m, err := h.mp.Message(ctx, msgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("Docker : l'apprendre vous ouvrirait %d offres de plus ce mois-ci", gap.Opens)
	if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, `class="gap"`) {
		t.Errorf("weekly digest lacks %q:\n%s", want, m.Text)
	}
}
