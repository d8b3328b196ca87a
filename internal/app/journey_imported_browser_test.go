package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/browser"
	"github.com/passerelle/passerelle/jobs"
)

// TestImportedGraduateJourneyInBrowser: in headless Chromium, a placement
// officer imports the school's spreadsheet (French Excel CSV) on the
// officers' page; a graduate of it signs up at /join with the imported
// address, confirms through the mail read from Mailpit, and takes over the
// profile — the school's data stays, her consent choices win — then sees
// her matches (new since her last visit), the skill gap, downloads her
// data and erases it. Screenshots of each page in fr, ar and en (390 px).
func TestImportedGraduateJourneyInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	b := browser.Start(t)
	h := newHarness(t)
	a, _ := h.start(nil)
	ctx := context.Background()
	base := "http://" + a.HTTPAddr()
	posted := time.Now().Add(-26 * time.Hour)
	offer := func(id, title string, skills ...string) jobs.Offer {
		return jobs.Offer{
			ID: "board:" + id, Source: "board", URL: "https://board.example/jobs/" + id, Title: title, Company: "Atlas Data " + id,
			Skills: skills, Seniority: jobs.SeniorityJunior, Employment: []string{jobs.FullTime},
			Workplace: jobs.Onsite, Locations: []jobs.Location{{City: "Oujda", Country: "MA"}}, PostedAt: &posted,
			Terms: jobs.Terms{Attribution: "Board", EmailAllowed: true, ShowBehindSignup: true},
		}
	}
	for _, o := range []jobs.Offer{
		offer("da-1", "Data analyst junior — Oujda", "sql", "python", "pandas", "power-bi"),
		offer("de-1", "Data engineer junior", "docker", "kubernetes", "python"),
		offer("de-2", "Data engineer junior", "docker", "kubernetes", "python"),
		offer("de-3", "Data engineer junior", "docker", "kubernetes", "python"),
	} {
		if err := a.PublishOffer(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, a)
	dir := artifactsDir(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	shot := func(name string) {
		t.Helper()
		must(b.Screenshot(filepath.Join(dir, name+".png")))
	}

	// The officer imports the school's spreadsheet, consent to be found
	// and shown to recruiters as the school recorded it.
	const email = "lina.haddou@example.org"
	sheet := filepath.Join(t.TempDir(), "promo-ensao.csv")
	must(os.WriteFile(sheet, []byte("\uFEFFPrénom;Nom;Adresse e-mail;Ville;Pays;Promotion;Année de diplôme;Compétences;Langues;Niveau recherché;Type de contrat;Télétravail;Villes souhaitées;Consentement alertes;Consentement recherche;Consentement recruteurs\r\n"+
		"Lina;Haddou;"+email+";Oujda;Maroc;ENSAO — Génie informatique 2025;2025;\"Python; SQL; pandas; Power BI\";\"Français, Arabe, Anglais\";junior;CDI;non;Oujda;oui;oui;oui\r\n"), 0o644))
	admin, err := AdminToken(h.dataDir)
	must(err)
	must(b.Resize(1280, 900))
	must(b.Go(base + "/officers/login?lang=fr"))
	must(b.WaitFor("#login", 10*time.Second))
	must(b.Type("#f-token", admin))
	must(b.Click("#login"))
	must(b.WaitFor("#import-form", 10*time.Second))
	must(b.Type("#f-file", sheet))
	must(b.Click("#import-send"))
	must(b.WaitFor("#import-result", 10*time.Second))
	if res, _ := b.Text("#import-result"); !strings.Contains(res, "1 profils créés") {
		t.Fatalf("officer's import: %q", res)
	}
	shot("imported-officer-import-fr")
	imported, err := a.repo.ByEmail(ctx, email)
	must(err)
	if !imported.Consent.Searchable || !imported.Consent.Recruiters {
		t.Fatalf("the school's consent not imported: %+v", imported.Consent)
	}
	waitIdle(t, a)

	// The graduate signs up with that address, choosing alerts only.
	must(b.Resize(390, 844))
	for _, l := range []string{"ar", "en", "fr"} {
		must(b.Go(base + "/join?lang=" + l))
		must(b.WaitFor("#join-send", 10*time.Second))
		shot("imported-join-" + l)
	}
	must(b.Type("#f-email", email))
	must(b.Click("#f-consent_alerts"))
	must(b.Click("#join-send"))
	must(b.WaitFor("#notice", 10*time.Second))
	sums, err := h.mp.WaitFor(ctx, 1, 30*time.Second)
	must(err)
	var link string
	for _, s := range sums {
		m, err := h.mp.Message(ctx, s.ID)
		must(err)
		for _, f := range strings.Fields(m.Text) {
			if strings.HasPrefix(f, base+"/join/confirm?") {
				link = f
			}
		}
	}
	if link == "" {
		t.Fatal("no confirmation link in the mail")
	}
	must(b.Go(link))
	must(b.WaitFor("#confirm", 10*time.Second))
	shot("imported-confirm-fr")
	must(b.Click("#confirm"))
	must(b.WaitFor("#my-matches", 10*time.Second))
	profileURL, err := b.CurrentURL()
	must(err)

	// Took over: the school's data stays, her consent choices win.
	p, err := a.repo.ByEmail(ctx, email)
	must(err)
	if p.ID != imported.ID || p.Cohort != "ENSAO — Génie informatique 2025" || !slices.Contains(p.Skills, "Power BI") || p.GraduationYear != 2025 || p.City != "Oujda" {
		t.Errorf("the school's data did not stay: %+v", p)
	}
	if !p.Consent.Alerts || p.Consent.Searchable || p.Consent.Recruiters {
		t.Errorf("her consent choices did not win over the school's: %+v", p.Consent)
	}
	if main, _ := b.Text("main"); !strings.Contains(main, "Power BI") {
		t.Errorf("the imported skills are not on her profile page:\n%s", main)
	}
	if gap, err := b.Text("#skill-gap"); err != nil || !strings.Contains(gap, "Docker") {
		t.Errorf("no skill gap naming Docker: %q %v", gap, err)
	}
	for _, l := range []string{"fr", "ar", "en"} {
		must(b.Go(strings.Replace(profileURL, "lang=fr", "lang="+l, 1)))
		must(b.WaitFor("#my-matches", 10*time.Second))
		shot("imported-profile-" + l)
	}
	// The officer no longer finds her: she did not consent to be found.
	req, _ := http.NewRequest("GET", base+"/api/profiles?q=Haddou", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.DefaultClient.Do(req)
		must(err)
		var r struct {
			Total int `json:"total"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if r.Total == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the officer still finds a graduate who withdrew her consent to be found")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Her matches: everything is new on her first visit.
	must(b.Go(profileURL))
	must(b.WaitFor("#my-matches", 10*time.Second))
	must(b.Click("#my-matches"))
	must(b.WaitFor("#filter-new", 10*time.Second))
	page, _ := b.Text("main")
	if !strings.Contains(page, "Data analyst junior") || !strings.Contains(page, "Nouveau") {
		t.Errorf("my offers lack the matched offer or its new mark:\n%s", page)
	}
	matchesURL, err := b.CurrentURL()
	must(err)
	for _, l := range []string{"fr", "ar", "en"} {
		must(b.Go(strings.Replace(matchesURL, "lang=fr", "lang="+l, 1) + "&new=1"))
		must(b.WaitFor("#filter-new", 10*time.Second))
		shot("imported-matches-new-" + l)
	}

	// Her data: the school's fields and her consent history.
	must(b.Go(profileURL))
	must(b.WaitFor("#my-data", 10*time.Second))
	href, err := b.Attr("#my-data", "href")
	must(err)
	resp, err := http.Get(base + strings.TrimPrefix(href, base))
	must(err)
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var md struct {
		Profile struct {
			Cohort string `json:"cohort"`
		} `json:"profile"`
		ConsentHistory []struct {
			Searchable bool `json:"searchable"`
		} `json:"consent_history"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(data, &md) != nil || md.Profile.Cohort == "" || len(md.ConsentHistory) < 2 {
		t.Errorf("my data: %d %+v\n%.500s", resp.StatusCode, md, data)
	}

	// Erase.
	must(b.Click("#erase-me"))
	must(b.WaitFor("#erase-confirm", 10*time.Second))
	shot("imported-erase-confirm-fr")
	must(b.Click("#erase-confirm"))
	must(b.WaitFor("#notice", 10*time.Second))
	shot("imported-erase-done-fr")
	if _, err := a.repo.ByEmail(ctx, email); err == nil {
		t.Error("profile still there after she erased it")
	}
	t.Logf("screenshots in %s (imported-*.png)", dir)
}
