package web

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/browser"
	"github.com/passerelle/passerelle/jobs"
)

// shot saves a screenshot into dir; with WEB_SCREENSHOTS set it also keeps
// a copy there, to look at the layout after the test.
func shot(t *testing.T, b *browser.Session, dir, name string) {
	t.Helper()
	p := filepath.Join(dir, name+".png")
	if err := b.Screenshot(p); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if keep := os.Getenv("WEB_SCREENSHOTS"); keep != "" {
		data, err := os.ReadFile(p)
		if err == nil {
			err = os.WriteFile(filepath.Join(keep, name+".png"), data, 0o644)
		}
		if err != nil {
			t.Errorf("keep screenshot %s: %v", name, err)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func text(t *testing.T, b *browser.Session, css string) string {
	t.Helper()
	s, err := b.Text(css)
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// TestGraduateProfileInBrowser: a graduate opens the e-mailed link, edits
// skills and alert frequency, saves, and sees the confirmation with the
// recognised and unknown skills.
func TestGraduateProfileInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e := newEnv(t, nil)
	b := browser.Start(t)
	dir := t.TempDir()
	must(t, b.Go(e.srv.URL+ProfileLinkPath(e.profLinks.Make("g-1"), "fr")))
	must(t, b.WaitFor("#save", 10*time.Second))
	if v, _ := b.Attr("#f-name", "value"); v != "Salma" {
		t.Errorf("name field = %q", v)
	}
	if on, err := b.Selected("#f-frequency-daily"); err != nil || !on {
		t.Errorf("daily radio selected = %v, %v", on, err)
	}
	shot(t, b, dir, "graduate-profile")

	must(t, b.Type("#f-skills", "Python, Docker, apprentissage automatique, Jonglage"))
	must(t, b.Click("#f-frequency-weekly"))
	must(t, b.Click("#save"))
	must(t, b.WaitFor("#notice", 10*time.Second))
	if got := text(t, b, "#notice"); !strings.Contains(got, "Votre profil a été enregistré") {
		t.Errorf("notice = %q", got)
	}
	known := text(t, b, "#skills-known")
	for _, want := range []string{"Python", "Docker", "Apprentissage automatique"} {
		if !strings.Contains(known, want) {
			t.Errorf("recognised skills %q lack %q", known, want)
		}
	}
	if unknown := text(t, b, "#skills-unknown"); unknown != "Jonglage" {
		t.Errorf("unknown skills = %q, want Jonglage", unknown)
	}
	if on, _ := b.Selected("#f-frequency-weekly"); !on {
		t.Error("weekly not selected after saving")
	}
	p, n := e.saver.last()
	if n != 1 || p.Alerts.Frequency != "weekly" || !slices.Equal(p.Skills, []string{"Python", "Docker", "apprentissage automatique", "Jonglage"}) ||
		p.Email != "salma@example.org" || !p.Consent.Searchable {
		t.Errorf("saved %d, last = %+v", n, p)
	}
	shot(t, b, dir, "graduate-saved")

	// The same page on a phone, in Arabic.
	must(t, b.Resize(390, 844))
	must(t, b.Go(e.srv.URL+ProfileLinkPath(e.profLinks.Make("g-1"), "ar")))
	must(t, b.WaitFor("#save", 10*time.Second))
	if dir, _ := b.Attr("html", "dir"); dir != "rtl" {
		t.Errorf("Arabic page dir = %q", dir)
	}
	shot(t, b, dir, "graduate-profile-ar-phone")
}

// TestOfficerSearchInBrowser: an officer logs in with a token, filters by
// skill and city, and sees only the matching searchable graduates.
func TestOfficerSearchInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e := newEnv(t, nil)
	b := browser.Start(t)
	dir := t.TempDir()
	must(t, b.Go(e.srv.URL+"/officers?lang=en"))
	must(t, b.WaitFor("#login", 10*time.Second)) // sent to the login form
	must(t, b.Type("#f-token", offTok))
	must(t, b.Click("#login"))
	must(t, b.WaitFor("#results", 10*time.Second))
	all := text(t, b, "#results tbody")
	if !strings.Contains(all, "Youssef") || strings.Contains(all, "Hidden") {
		t.Errorf("unfiltered rows = %q", all)
	}
	must(t, b.Type("#f-skills", "python"))
	must(t, b.Type("#f-city", "Oujda"))
	must(t, b.Click("#search"))
	deadline := time.Now().Add(10 * time.Second)
	for {
		if u, _ := b.CurrentURL(); strings.Contains(u, "city=Oujda") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("search did not load")
		}
		time.Sleep(50 * time.Millisecond)
	}
	must(t, b.WaitFor("#results", 10*time.Second))
	rows := text(t, b, "#results tbody")
	if !strings.Contains(rows, "Salma") || strings.Contains(rows, "Youssef") || strings.Contains(rows, "Amine") || strings.Contains(rows, "Hidden") {
		t.Errorf("filtered rows = %q, want only Salma", rows)
	}
	if href, _ := b.Attr("#export", "href"); !strings.Contains(href, "city=Oujda") || !strings.Contains(href, "skills=python") {
		t.Errorf("export link = %q", href)
	}
	shot(t, b, dir, "officer-search")
}

// TestRecruiterOfferInBrowser: a recruiter logs in, posts an offer with
// the form, sees the confirmation, and the publisher receives the offer.
func TestRecruiterOfferInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e := newEnv(t, func(c *Config, _ *Deps) { c.MaxBodyBytes = 64 << 10 })
	b := browser.Start(t)
	dir := t.TempDir()
	must(t, b.Go(e.srv.URL+"/recruiters/offers/new?lang=en"))
	must(t, b.WaitFor("#login", 10*time.Second))
	must(t, b.Type("#f-token", recTok))
	must(t, b.Click("#login"))
	must(t, b.WaitFor("#publish", 10*time.Second))
	// A first try without a title shows the error next to the field.
	must(t, b.Type("#f-city", "Oujda"))
	must(t, b.Click("#publish"))
	must(t, b.WaitFor("#f-title-err", 10*time.Second))
	if v, _ := b.Attr("#f-city", "value"); v != "Oujda" {
		t.Errorf("city kept as %q", v)
	}
	if got := text(t, b, "#company"); got != "Acme RH" {
		t.Errorf("company shown as %q, want the account's", got)
	}
	must(t, b.Type("#f-title", "Data analyst (stage)"))
	must(t, b.Type("#f-description", "Stage de 6 mois : SQL, Power BI et Python. Télétravail possible depuis le Maroc."))
	must(t, b.Type("#f-country", "Maroc"))
	must(t, b.Click(`#f-workplace option[value="hybrid"]`))
	must(t, b.Click(`#f-seniority option[value="internship"]`))
	must(t, b.Click("#f-employment-internship"))
	must(t, b.Type("#f-eligibility", "MA, Maghreb"))
	must(t, b.Type("#f-apply_url", "mailto:rh@oriental-data.example"))
	shot(t, b, dir, "recruiter-form")
	must(t, b.Click("#publish"))
	must(t, b.WaitFor("#posted", 10*time.Second))
	if got := text(t, b, "#posted-title"); got != "Data analyst (stage)" {
		t.Errorf("confirmation title = %q", got)
	}
	shot(t, b, dir, "recruiter-posted")
	e.pub.mu.Lock()
	defer e.pub.mu.Unlock()
	if len(e.pub.offers) != 1 {
		t.Fatalf("publisher received %d offers", len(e.pub.offers))
	}
	o := e.pub.offers[0]
	if o.Title != "Data analyst (stage)" || o.Company != "Acme RH" || o.Fingerprint == "" || o.Workplace != jobs.Hybrid || o.Seniority != "internship" ||
		!slices.Equal(o.Employment, []string{"internship"}) || !slices.Equal(o.Eligibility.Countries, []string{"MA"}) ||
		!slices.Equal(o.Eligibility.Regions, []string{"Maghreb"}) || o.ApplyURL != "mailto:rh@oriental-data.example" ||
		o.Locations[0].Country != "MA" || !slices.Contains(o.Skills, "sql") {
		t.Errorf("published offer = %+v", o)
	}
	if got := text(t, b, "#posted-id"); got != o.ID {
		t.Errorf("confirmation id = %q, published %q", got, o.ID)
	}
}
