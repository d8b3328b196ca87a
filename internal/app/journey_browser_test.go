package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/browser"
	"github.com/passerelle/passerelle/jobs"
)

// artifactsDir is where the browser journeys keep their screenshots for a
// reviewer: $PASSERELLE_ARTIFACTS, or artifacts/screenshots at the root of
// the repository (ignored by git).
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PASSERELLE_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "artifacts")
	}
	dir = filepath.Join(dir, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestGraduateJourneyInBrowser walks a graduate whose school imported her
// through the site on a phone-sized window (390 px), in headless Chromium:
// sign-up → confirmation mail read from Mailpit → confirm → profile →
// my offers (in French, Arabic and English) → my data → erase, with a
// screenshot of each page.
func TestGraduateJourneyInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	b := browser.Start(t)
	h := newHarness(t)
	a, _ := h.start(nil)
	ctx := context.Background()
	importDemoProfiles(t, a)
	posted := time.Now().Add(-26 * time.Hour)
	if err := a.PublishOffer(ctx, jobs.Offer{
		ID: "board:ba-1", Source: "board", URL: "https://board.example/jobs/ba-1", Title: "Data analyst junior — Oujda", Company: "Atlas Data",
		Description: "Analyse de données avec SQL, Python et pandas ; tableaux de bord Power BI. Poste junior basé à Oujda.",
		Skills:      []string{"sql", "python", "pandas", "power-bi"}, Seniority: jobs.SeniorityJunior, Employment: []string{jobs.FullTime},
		Workplace: jobs.Onsite, Locations: []jobs.Location{{City: "Oujda", Country: "MA"}}, PostedAt: &posted,
		Salary: &jobs.Salary{Min: 8000, Max: 10000, Currency: "MAD", Period: "month"},
		Terms:  jobs.Terms{Attribution: "Board", EmailAllowed: true, ShowBehindSignup: true},
	}); err != nil {
		t.Fatal(err)
	}
	// Offers she cannot quite reach: they ask for Docker and Kubernetes
	// besides Python; the skill gap on her page says so.
	for i := range 3 {
		if err := a.PublishOffer(ctx, jobs.Offer{
			ID: fmt.Sprintf("board:de-%d", i), Source: "board", URL: fmt.Sprintf("https://board.example/jobs/de-%d", i),
			Title: "Data engineer junior", Company: fmt.Sprintf("Cloud %d", i),
			Skills: []string{"docker", "kubernetes", "terraform", "python"}, Seniority: jobs.SeniorityJunior, Employment: []string{jobs.FullTime},
			Workplace: jobs.Onsite, Locations: []jobs.Location{{City: "Oujda", Country: "MA"}}, PostedAt: &posted,
			Terms: jobs.Terms{Attribution: "Board", EmailAllowed: true, ShowBehindSignup: true},
		}); err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, a)

	dir := artifactsDir(t)
	shot := func(name string) {
		t.Helper()
		if err := b.Screenshot(filepath.Join(dir, name+".png")); err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(b.Resize(390, 844))
	base := "http://" + a.HTTPAddr()
	for _, l := range []string{"fr", "ar", "en"} {
		must(b.Go(base + "/join?lang=" + l))
		must(b.WaitFor("#join-send", 10*time.Second))
		shot("graduate-join-" + l)
	}
	must(b.Go(base + "/join?lang=fr"))
	must(b.WaitFor("#join-send", 10*time.Second))
	must(b.Type("#f-email", "salma.demo@example.org"))
	must(b.Click("#f-consent_alerts"))
	must(b.Click("#join-send"))
	must(b.WaitFor("#notice", 10*time.Second))
	shot("graduate-join-sent-fr")

	sums, err := h.mp.WaitFor(ctx, 1, 30*time.Second)
	must(err)
	m, err := h.mp.Message(ctx, sums[0].ID)
	must(err)
	var link string
	for _, f := range strings.Fields(m.Text) {
		if strings.HasPrefix(f, base+"/join/confirm?") {
			link = f
		}
	}
	if link == "" {
		t.Fatalf("no confirmation link in the mail:\n%s", m.Text)
	}
	must(b.Go(link))
	must(b.WaitFor("#confirm", 10*time.Second))
	shot("graduate-confirm-fr")
	must(b.Click("#confirm"))
	must(b.WaitFor("#my-matches", 10*time.Second))
	if s, _ := b.Text("#notice"); !strings.Contains(s, "Bienvenue") {
		t.Errorf("no welcome on the profile page: %q", s)
	}
	shot("graduate-profile-fr")
	if gap, err := b.Text("#skill-gap"); err != nil || !strings.Contains(gap, "Docker") {
		t.Errorf("no skill gap naming Docker on the profile page: %q %v", gap, err)
	}
	profileURL, err := b.CurrentURL()
	must(err)

	must(b.Click("#my-matches"))
	must(b.WaitFor("h1", 10*time.Second))
	page, _ := b.Text("main")
	if !strings.Contains(page, "Data analyst junior") || !strings.Contains(page, "MAD / mois") {
		t.Errorf("my offers lack the matched offer or its pay:\n%s", page)
	}
	shot("graduate-matches-fr")
	matchesURL, err := b.CurrentURL()
	must(err)
	for _, l := range []string{"ar", "en"} {
		must(b.Go(strings.Replace(matchesURL, "lang=fr", "lang="+l, 1)))
		must(b.WaitFor("h1", 10*time.Second))
		if dir, _ := b.Attr("html", "dir"); l == "ar" && dir != "rtl" {
			t.Errorf("Arabic page not right-to-left: dir=%q", dir)
		}
		shot("graduate-matches-" + l)
	}
	if href, _ := func() (string, error) {
		must(b.Go(profileURL))
		must(b.WaitFor("#my-data", 10*time.Second))
		return b.Attr("#my-data", "href")
	}(); !strings.Contains(href, "/profile/data?token=") {
		t.Errorf("no data download link: %q", href)
	}
	must(b.Click("#erase-me"))
	must(b.WaitFor("#erase-confirm", 10*time.Second))
	shot("graduate-erase-confirm-fr")
	must(b.Click("#erase-confirm"))
	must(b.WaitFor("#notice", 10*time.Second))
	shot("graduate-erase-done-fr")
	if _, err := a.repo.ByEmail(ctx, "salma.demo@example.org"); err == nil {
		t.Error("profile still there after the graduate erased it")
	}
	t.Logf("screenshots in %s", dir)
}

// TestOfficerJourneyInBrowser: a placement officer logs in with the admin
// token, searches with facets, opens the market dashboard of a cohort (in
// French and Arabic, at laptop and phone widths) and downloads it as CSV;
// screenshots of each page.
func TestOfficerJourneyInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	b := browser.Start(t)
	h := newHarness(t)
	a, _ := h.start(nil)
	ctx := context.Background()
	ps := e2eProfiles()
	for i := range ps {
		ps[i].Cohort = "Master SDIA 2025"
	}
	if rep, err := a.ImportProfiles(ctx, profilesJSONL(t, ps)); err != nil || rep.Rejected > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	posted := time.Now().Add(-50 * time.Hour)
	for i, sk := range [][]string{{"sql", "python", "power-bi"}, {"python", "docker", "sql"}, {"python", "pytorch", "docker"}} {
		if err := a.PublishOffer(ctx, jobs.Offer{
			ID: fmt.Sprintf("board:m-%d", i), Source: "board", URL: fmt.Sprintf("https://board.example/jobs/m-%d", i),
			Title: "Data analyst junior", Company: fmt.Sprintf("Atlas %d", i%2), Skills: sk, Seniority: jobs.SeniorityJunior,
			Employment: []string{jobs.FullTime}, Workplace: jobs.Onsite, Locations: []jobs.Location{{City: "Oujda", Country: "MA"}},
			PostedAt: &posted, Terms: jobs.Terms{Attribution: "Board", EmailAllowed: true, ShowBehindSignup: true},
		}); err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, a)
	tok, err := AdminToken(h.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	dir := artifactsDir(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	base := "http://" + a.HTTPAddr()
	must(b.Resize(1280, 900))
	must(b.Go(base + "/officers/login?lang=fr"))
	must(b.WaitFor("#login", 10*time.Second))
	must(b.Type("#f-token", tok))
	must(b.Click("#login"))
	must(b.WaitFor("#facets", 10*time.Second))
	must(b.Screenshot(filepath.Join(dir, "officer-search-fr.png")))
	if f, _ := b.Text("#facets"); !strings.Contains(f, "master sdia 2025") {
		t.Errorf("facets lack the cohort: %q", f)
	}
	// A school's spreadsheet as French Excel saves it, with bad rows.
	sheet, err := filepath.Abs(filepath.Join("..", "..", "profiles", "testdata", "ecole-exemple.csv"))
	must(err)
	must(b.Type("#f-file", sheet))
	must(b.Click("#import-send"))
	must(b.WaitFor("#import-result", 10*time.Second))
	res, _ := b.Text("#import-result")
	if !strings.Contains(res, "4 profils créés") || !strings.Contains(res, "4 lignes refusées") || !strings.Contains(res, `ligne 5, colonne « Adresse e-mail » : "karim.ouahbi(at)example.org" n'est pas une adresse e-mail valide`) {
		t.Errorf("import result on the page: %q", res)
	}
	must(b.Screenshot(filepath.Join(dir, "officer-import-fr.png")))
	must(b.Go(base + "/officers/market?lang=fr&cohort=Master+SDIA+2025"))
	must(b.WaitFor("#market-summary", 10*time.Second))
	sum, _ := b.Text("#market-summary")
	if !strings.Contains(sum, "3 diplômés") || strings.Contains(sum, " 0 offres") {
		t.Errorf("market summary: %q", sum)
	}
	if _, err := b.Text("#chart-skills"); err != nil {
		t.Errorf("no skills chart: %v", err)
	}
	must(b.Screenshot(filepath.Join(dir, "officer-market-fr.png")))
	must(b.Resize(390, 844))
	must(b.Go(base + "/officers/market?lang=ar&cohort=Master+SDIA+2025"))
	must(b.WaitFor("#market-summary", 10*time.Second))
	must(b.Screenshot(filepath.Join(dir, "officer-market-ar-phone.png")))
	if href, _ := b.Attr("#market-csv", "href"); !strings.Contains(href, "/officers/market.csv?") {
		t.Errorf("CSV link %q", href)
	}
	// The importer's messages in Arabic, on a phone: line and column kept.
	// This time the same list as Excel keeps it (.xlsx): the same rows are
	// refused, named by their row in the sheet.
	workbook, err := filepath.Abs(filepath.Join("..", "..", "profiles", "testdata", "ecole-exemple.xlsx"))
	must(err)
	must(b.Go(base + "/officers?lang=ar"))
	must(b.WaitFor("#import-form", 10*time.Second))
	must(b.Type("#f-file", workbook))
	must(b.Click("#f-dry_run"))
	must(b.Click("#import-send"))
	must(b.WaitFor("#import-result", 10*time.Second))
	res, _ = b.Text("#import-result")
	res = strings.NewReplacer("\u2068", "", "\u2069", "").Replace(res) // directional isolates
	if !strings.Contains(res, "السطر 5، العمود «Adresse e-mail»:") || !strings.Contains(res, "ليس عنوان بريد إلكتروني صالحًا") || strings.Contains(res, "line 5") {
		t.Errorf("import result on the Arabic page: %q", res)
	}
	must(b.Screenshot(filepath.Join(dir, "officer-import-ar-phone.png")))
}
