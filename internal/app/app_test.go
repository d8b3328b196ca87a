package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/demo"
	"github.com/passerelle/passerelle/internal/mailpit"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
)

// e2eProfiles are the graduates of the end-to-end test: three who should get
// alerts and one whose wishes no demo offer meets (onsite only, in Tangier).
func e2eProfiles() []profiles.Profile {
	ps := demo.Profiles()[:2] // Salma (data analyst, Oujda/Casablanca), Youssef (ML, remote only)
	ps = append(ps, profiles.Profile{
		ID: "g-tanger", Name: "Nora T.", Email: "nora@example.org", Locale: "fr", City: "Oujda", Country: "MA",
		Headline: "Ingénieure machine learning", Skills: []string{"Python", "PyTorch", "scikit-learn", "pandas", "SQL"},
		Languages: []string{"fr", "ar", "en"}, GraduationYear: 2025,
		Seeking: profiles.Seeking{Seniority: []string{"junior"}, Employment: []string{"full_time"}, Workplace: []string{"onsite"}, Locations: []string{"Tanger"}},
		Alerts:  profiles.Alerts{Frequency: profiles.FrequencyInstant}, Consent: profiles.Consent{Alerts: true, Searchable: true},
	})
	return ps
}

type harness struct {
	t       *testing.T
	mp      *mailpit.Server
	site    *httptest.Server
	dataDir string
	sources string
	logs    *bytes.Buffer
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, mp: mailpit.Start(t), dataDir: t.TempDir(), logs: &bytes.Buffer{}}
	h.site = httptest.NewServer(demo.NewSite().Handler())
	t.Cleanup(h.site.Close)
	h.sources = filepath.Join(t.TempDir(), "sources.json")
	if err := os.WriteFile(h.sources, []byte(demo.SourcesJSON(h.site.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	return h
}

// start runs the all-in-one on the harness's data dir until the returned
// stop function is called.
func (h *harness) start(components []string) (*App, func()) {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := Start(ctx, Config{
		DataDir:         h.dataDir,
		HTTPAddr:        "127.0.0.1:0",
		SMTPURL:         h.mp.SMTPURL(),
		SourcesFile:     h.sources,
		RecruiterTokens: map[string]string{"rec-token-0123456789": "Acme RH"},
		Components:      components,
		NoCrawlOnStart:  true,
		AllowPrivate:    true,
		Logger:          slog.New(slog.NewTextHandler(io.MultiWriter(h.logs, testWriter{h.t}), &slog.HandlerOptions{Level: slog.LevelInfo})),
	})
	if err != nil {
		cancel()
		h.t.Fatalf("start: %v", err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := a.Wait(); err != nil {
			h.t.Errorf("app stopped with: %v", err)
		}
	}
	h.t.Cleanup(stop)
	return a, stop
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// waitIdle polls until the pipeline has nothing in flight.
func waitIdle(t *testing.T, a *App) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		idle, err := a.Idle(ctx)
		if err == nil && idle {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pipeline not idle after 30s (err=%v)", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// importDemoProfiles imports e2eProfiles into a and waits for the
// pipeline to be idle.
func importDemoProfiles(t *testing.T, a *App) {
	t.Helper()
	if rep, err := a.ImportProfiles(context.Background(), profilesJSONL(t, e2eProfiles())); err != nil || rep.Rejected > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	waitIdle(t, a)
}

// analystOffer is a junior data-analyst offer on site in Oujda at Atlas
// Data, posted two hours ago, which the demo graduate Salma fits:
// source:id, its URL on that source, with title and terms.
func analystOffer(source, id, title string, terms jobs.Terms) jobs.Offer {
	posted := time.Now().Add(-2 * time.Hour)
	return jobs.Offer{
		ID: source + ":" + id, Source: source, URL: "https://" + source + ".example/jobs/" + id, Title: title, Company: "Atlas Data",
		Description: "Analyse de données avec SQL, Python et pandas ; tableaux de bord Power BI. Poste junior basé à Oujda.",
		Skills:      []string{"sql", "python", "pandas", "power-bi"}, Seniority: jobs.SeniorityJunior, Employment: []string{jobs.FullTime},
		Workplace: jobs.Onsite, Locations: []jobs.Location{{City: "Oujda", Country: "MA"}}, PostedAt: &posted,
		Terms: terms,
	}
}

// mailsByRecipient lists the subjects+bodies received per address.
func mailsByRecipient(t *testing.T, mp *mailpit.Server) map[string][]*mailpit.Message {
	t.Helper()
	ctx := context.Background()
	sums, err := mp.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]*mailpit.Message{}
	for _, s := range sums {
		m, err := mp.Message(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, to := range m.To {
			out[strings.ToLower(to.Address)] = append(out[strings.ToLower(to.Address)], m)
		}
	}
	return out
}

func bodies(ms []*mailpit.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Subject + "\n" + m.Text + "\n")
	}
	return b.String()
}

func postOffer(t *testing.T, a *App, token string, body any) (*http.Response, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, "http://"+a.HTTPAddr()+"/api/offers", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rb, _ := io.ReadAll(resp.Body)
	return resp, string(rb)
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test starts NATS, Mailpit and HTTP servers")
	}
	h := newHarness(t)
	ctx := context.Background()
	a, stop := h.start(nil)

	importDemoProfiles(t, a)
	if err := a.CrawlNow(ctx); err != nil {
		t.Fatalf("crawl: %v", err)
	}
	waitIdle(t, a)

	got := mailsByRecipient(t, h.mp)
	salma, youssef := bodies(got["salma.demo@example.org"]), bodies(got["youssef.demo@example.org"])
	if !strings.Contains(salma, "Data Analyst junior") {
		t.Errorf("Salma (data analyst seeking Oujda) did not get the Oujda data analyst offer; her mail:\n%s", salma)
	}
	if !strings.Contains(youssef, "Junior Machine Learning Engineer") {
		t.Errorf("Youssef (ML, remote) did not get the remote Africa ML offer; his mail:\n%s", youssef)
	}
	for who, body := range map[string]string{"Salma": salma, "Youssef": youssef} {
		if strings.Contains(body, "Silicon Prairie") {
			t.Errorf("%s got the US-only offer", who)
		}
		if strings.Contains(body, "Spree Logistics") {
			t.Errorf("%s got the Berlin offer that requires German and onsite in Germany", who)
		}
	}
	if n := len(got["nora@example.org"]); n != 0 {
		t.Errorf("Nora (onsite only, Tangier) got %d mails, want none:\n%s", n, bodies(got["nora@example.org"]))
	}
	// Every alert carries a working one-click unsubscribe header.
	for _, m := range got["salma.demo@example.org"] {
		if m.Header("List-Unsubscribe") == "" || !strings.Contains(m.Header("List-Unsubscribe-Post"), "One-Click") {
			t.Errorf("alert %q lacks List-Unsubscribe headers: %v", m.Subject, m.Headers)
		}
	}
	before := countMails(t, h.mp)

	// A recruiter posts an offer directly; it is matched like a crawled one.
	resp, body := postOffer(t, a, "rec-token-0123456789", map[string]any{
		"id": "bi-2026-01", "title": "Analyste BI junior", "company": "Acme RH",
		"url":         "https://acme.example.org/jobs/bi-2026-01",
		"description": "Analyse de données avec SQL, Python et pandas ; tableaux de bord Power BI. Poste junior basé à Oujda.",
		"locations":   []map[string]string{{"city": "Oujda", "country": "MA"}},
		"workplace":   "onsite", "employment": []string{"full_time"}, "seniority": "junior",
	})
	if resp.StatusCode != http.StatusAccepted || !strings.Contains(body, "recruiter-acme-rh:bi-2026-01") {
		t.Fatalf("POST /api/offers: %d %s", resp.StatusCode, body)
	}
	waitIdle(t, a)
	got = mailsByRecipient(t, h.mp)
	if !strings.Contains(bodies(got["salma.demo@example.org"]), "Analyste BI junior") {
		t.Errorf("the recruiter's offer did not reach Salma:\n%s", bodies(got["salma.demo@example.org"]))
	}
	if strings.Contains(bodies(got["nora@example.org"]), "Analyste BI junior") {
		t.Errorf("the recruiter's Oujda offer reached Nora, who seeks Tangier only")
	}
	afterRecruiter := countMails(t, h.mp)
	if afterRecruiter <= before {
		t.Fatalf("no mail for the recruiter offer (before %d, after %d)", before, afterRecruiter)
	}

	// The unsubscribe link of Salma's alert works (RFC 8058 one-click POST):
	// a later offer that fits her sends her nothing.
	var unsub string
	for _, l := range got["salma.demo@example.org"][0].ListUnsubscribe.Links {
		if strings.HasPrefix(l, "http://"+a.HTTPAddr()+"/unsubscribe?") {
			unsub = l
		}
	}
	if unsub == "" {
		t.Fatalf("no unsubscribe link to this instance in %+v", got["salma.demo@example.org"][0].ListUnsubscribe)
	}
	uresp, err := http.Post(unsub, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	uresp.Body.Close()
	if uresp.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d", uresp.StatusCode)
	}
	waitIdle(t, a)
	if resp, body := postOffer(t, a, "rec-token-0123456789", map[string]any{
		"id": "bi-2026-02", "title": "Data analyst Power BI", "company": "Acme RH",
		"description": "SQL, Python, pandas et Power BI. Poste junior à Oujda.",
		"locations":   []map[string]string{{"city": "Oujda", "country": "MA"}},
		"workplace":   "onsite", "employment": []string{"full_time"}, "seniority": "junior",
	}); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST: %d %s", resp.StatusCode, body)
	}
	waitIdle(t, a)
	if n := countMails(t, h.mp); n != afterRecruiter {
		t.Errorf("%d mails sent after Salma unsubscribed, want 0", n-afterRecruiter)
	}

	// Bad input: 400 naming the field, 401 without a token.
	if resp, body := postOffer(t, a, "rec-token-0123456789", map[string]any{"id": "x", "title": "T", "workplace": "moon"}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "workplace") {
		t.Errorf("bad workplace: %d %s", resp.StatusCode, body)
	}
	if resp, _ := postOffer(t, a, "wrong", map[string]any{"id": "x", "title": "T"}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %d, want 401", resp.StatusCode)
	}

	// Restart on the same data dir: re-crawling the same offers sends nothing new.
	stop()
	a, stop = h.start(nil)
	if err := a.CrawlNow(ctx); err != nil {
		t.Fatalf("crawl after restart: %v", err)
	}
	waitIdle(t, a)
	if n := countMails(t, h.mp); n != afterRecruiter {
		t.Errorf("re-crawl after restart sent %d new mails, want 0", n-afterRecruiter)
	}
	stop()

	// An offer published while the matcher is down is matched after restart.
	a, stop = h.start([]string{Serve, Notify})
	if resp, body := postOffer(t, a, "rec-token-0123456789", map[string]any{
		"id": "ml-remote-2", "title": "Stagiaire Machine Learning (100% télétravail, Afrique)", "company": "Acme RH",
		"description": "Stage en télétravail ouvert aux candidats basés en Afrique (Maroc inclus). Python, PyTorch, scikit-learn.",
		"workplace":   "remote", "employment": []string{"internship"}, "seniority": "internship",
		"eligibility": map[string]any{"regions": []string{"Africa"}, "known": true},
	}); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST while matcher down: %d %s", resp.StatusCode, body)
	}
	stop()
	if n := countMails(t, h.mp); n != afterRecruiter {
		t.Fatalf("a mail was sent while the matcher was down")
	}
	a, stop = h.start(nil)
	waitIdle(t, a)
	got = mailsByRecipient(t, h.mp)
	if !strings.Contains(bodies(got["youssef.demo@example.org"]), "Stagiaire Machine Learning") {
		t.Errorf("offer published while the matcher was down never reached Youssef:\n%s", bodies(got["youssef.demo@example.org"]))
	}
	stop()
}

func countMails(t *testing.T, mp *mailpit.Server) int {
	t.Helper()
	sums, err := mp.Messages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(sums)
}

func profilesJSONL(t *testing.T, ps []profiles.Profile) io.Reader {
	t.Helper()
	var b bytes.Buffer
	for _, p := range ps {
		if err := json.NewEncoder(&b).Encode(p); err != nil {
			t.Fatal(err)
		}
	}
	return &b
}

// Two crawler processes share one schedule through the CRAWL work queue:
// both crons dispatch the same tick, the source runs once.
func TestCrawlDispatchRunsOncePerTick(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS and HTTP servers")
	}
	h := newHarness(t)
	a, _ := h.start([]string{Crawl})
	ctx := context.Background()
	tick := time.Date(2026, 11, 24, 8, 0, 30, 0, time.UTC)
	for range 2 { // two processes' crons firing the same minute
		if err := a.dispatchCrawl(ctx, "demo-api", tick); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := a.SourceStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var runs int
		for _, s := range st {
			if s.Name == "demo-api" && !s.LastRun.IsZero() {
				runs = 1
			}
		}
		if runs == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("dispatched crawl never ran")
		}
		time.Sleep(50 * time.Millisecond)
	}
	stream, err := a.js.Stream(ctx, "CRAWL")
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx)
	for err == nil && info.State.Msgs > 0 && time.Now().Before(deadline) { // the ack follows the run
		time.Sleep(20 * time.Millisecond)
		info, err = stream.Info(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	// The work queue removes a job once acked: LastSeq counts the jobs ever
	// accepted, and nothing may be left.
	if info.State.LastSeq != 1 || info.State.Msgs != 0 {
		t.Errorf("CRAWL stream accepted %d jobs (%d left), want exactly one for the shared tick", info.State.LastSeq, info.State.Msgs)
	}

	// The crawl at start goes through the queue too, as each source's
	// current activation: two crawler processes starting a second apart
	// (or one restarted) put each source on the queue once.
	a.crawler.DispatchAll(ctx)
	if info, err = stream.Info(ctx); err != nil {
		t.Fatal(err)
	}
	first := info.State.LastSeq
	if first < 2 {
		t.Fatalf("DispatchAll put nothing on the queue (last seq %d)", first)
	}
	time.Sleep(1100 * time.Millisecond)
	a.crawler.DispatchAll(ctx)
	if info, err = stream.Info(ctx); err != nil {
		t.Fatal(err)
	}
	if info.State.LastSeq != first {
		t.Errorf("a second start in the same period queued %d more crawls, want none", info.State.LastSeq-first)
	}
}

// A graduate asks for a link to their profile: the mail goes through the
// real SMTP server, its link opens their own profile page, and an unknown
// address gets no mail at all.
func TestProfileLinkByMail(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, Mailpit and HTTP servers")
	}
	h := newHarness(t)
	a, _ := h.start([]string{Serve, Notify})
	ctx := context.Background()
	if rep, err := a.ImportProfiles(ctx, profilesJSONL(t, e2eProfiles())); err != nil || rep.Rejected > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	// Both requests go through the notifier's outbox, in order: once the
	// known address's mail is in, the unknown one was handled before it.
	if err := a.SendProfileLink(ctx, "nobody@example.org", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := a.SendProfileLink(ctx, "Nora@Example.org", ""); err != nil {
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
	if len(m.To) != 1 || m.To[0].Address != "nora@example.org" || !strings.Contains(m.Subject, "profil") {
		t.Fatalf("link mail to %v, subject %q", m.To, m.Subject)
	}
	var link string
	for _, f := range strings.Fields(m.Text) {
		if strings.HasPrefix(f, "http://"+a.HTTPAddr()+"/profile?") {
			link = f
		}
	}
	if link == "" {
		t.Fatalf("no profile link in:\n%s", m.Text)
	}
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Nora T.") || !strings.Contains(string(body), "Tanger") {
		t.Errorf("profile page: %d, lacks the graduate's own data", resp.StatusCode)
	}
	// The same token with one character changed opens nothing.
	forged := link[:len(link)-3] + "xyz"
	if resp, err := http.Get(forged); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("a forged profile link opened a page")
		}
	}
	if n := countMails(t, h.mp); n != 1 {
		t.Errorf("%d mails, want 1 (none for the unknown address)", n)
	}
}

// apiCall calls the running app's API with the data dir's admin token and
// decodes a 2xx answer into out.
func apiCall(t *testing.T, a *App, dataDir, method, path string, out any) int {
	t.Helper()
	tok, err := AdminToken(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(method, "http://"+a.HTTPAddr()+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode < 300 && out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

// TestDeadLetterReplay: a match for a graduate the store does not know yet
// is kept as a dead letter; once the profile exists, replaying it through
// the API sends the alert.
func TestDeadLetterReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, HTTP and SMTP servers")
	}
	h := newHarness(t)
	a, _ := h.start([]string{Notify, Serve})
	ctx := context.Background()
	posted := time.Now().Add(-time.Hour)
	o := &jobs.Offer{
		ID: "demo:late", Source: "demo", URL: "https://jobs.example.org/late", Title: "Data Analyst junior", Company: "Oriental Data",
		Workplace: jobs.Remote, Eligibility: jobs.Eligibility{Countries: []string{"MA"}, Known: true},
		Skills: []string{"sql"}, PostedAt: &posted, Terms: jobs.Terms{Attribution: "Demo", EmailAllowed: true},
	}
	m := matcher.Match{ProfileID: "g-late", OfferID: o.ID, URL: o.URL, Title: o.Title, Company: o.Company, Score: 0.8,
		MatchedSkills: []string{"sql"}, Reasons: []string{"remote, open to Morocco"}, Offer: o}
	if err := bus.PublishJSON(ctx, a.js, bus.MatchSubject(m.ProfileID), bus.MatchMsgID(m.OfferID, m.ProfileID), m); err != nil {
		t.Fatal(err)
	}
	var dead []bus.Dead
	for deadline := time.Now().Add(30 * time.Second); len(dead) == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no dead letter after 30 s")
		}
		if code := apiCall(t, a, h.dataDir, http.MethodGet, "/api/dead", &dead); code != 200 {
			t.Fatalf("GET /api/dead: %d", code)
		}
	}
	if len(dead) != 1 || dead[0].Consumer != "notifier" || dead[0].Subject != bus.MatchSubject("g-late") || !strings.HasPrefix(dead[0].Reason, "unknown profile") {
		t.Fatalf("dead letters %+v", dead)
	}
	if n := countMails(t, h.mp); n != 0 {
		t.Fatalf("%d mails before the profile exists", n)
	}

	late := profiles.Profile{ID: "g-late", Name: "Karim L.", Email: "karim@example.org", Locale: "fr", City: "Oujda", Country: "MA",
		Skills: []string{"SQL"}, Alerts: profiles.Alerts{Frequency: profiles.FrequencyInstant}, Consent: profiles.Consent{Alerts: true}}
	if err := a.Repo().Put(ctx, late); err != nil {
		t.Fatal(err)
	}
	var replayed struct {
		Subject string `json:"subject"`
	}
	if code := apiCall(t, a, h.dataDir, http.MethodPost, fmt.Sprintf("/api/dead/%d/replay", dead[0].Seq), &replayed); code != 200 || replayed.Subject != bus.MatchSubject("g-late") {
		t.Fatalf("replay: %d %+v", code, replayed)
	}
	if _, err := h.mp.WaitFor(ctx, 1, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	got := mailsByRecipient(t, h.mp)["karim@example.org"]
	if len(got) != 1 || !strings.Contains(got[0].Text, "Data Analyst junior") {
		t.Fatalf("mails to karim: %d\n%s", len(got), bodies(got))
	}
	if code := apiCall(t, a, h.dataDir, http.MethodGet, "/api/dead", &dead); code != 200 || len(dead) != 0 {
		t.Errorf("after replay: %d, %d dead letters", code, len(dead))
	}
	if code := apiCall(t, a, h.dataDir, http.MethodPost, fmt.Sprintf("/api/dead/%d/replay", 1), nil); code != 404 {
		t.Errorf("second replay: %d, want 404", code)
	}
	if code := apiCall(t, a, h.dataDir, http.MethodGet, "/api/dead?max=0", nil); code != 400 {
		t.Errorf("max=0: %d, want 400", code)
	}
}

// An officer's import never undoes what the graduate chose: an
// unsubscription and a withdrawn consent survive the next import of the
// same profile (which used to replace the whole profile).
func TestImportKeepsGraduateChoices(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS")
	}
	h := newHarness(t)
	a, _ := h.start([]string{Serve})
	ctx := context.Background()
	ps := e2eProfiles()
	imp := func() {
		t.Helper()
		if rep, err := a.ImportProfiles(ctx, profilesJSONL(t, ps)); err != nil || rep.Rejected > 0 || rep.Imported != len(ps) {
			t.Fatalf("import: %+v %v", rep, err)
		}
	}
	imp()
	if err := a.Unsubscribe(ctx, ps[2].ID); err != nil {
		t.Fatal(err)
	}
	p, err := a.Repo().Get(ctx, ps[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	p.Consent.Searchable = false
	if err := a.SaveProfile(ctx, p); err != nil {
		t.Fatal(err)
	}
	imp()
	if got, _ := a.Repo().Get(ctx, ps[2].ID); got.Alerts.Frequency != profiles.FrequencyOff {
		t.Errorf("unsubscribed graduate's alerts after a new import: %+v", got.Alerts)
	}
	if got, _ := a.Repo().Get(ctx, ps[1].ID); got.Consent.Searchable || got.Consent.SetBy != profiles.SetByGraduate {
		t.Errorf("withdrawn consent after a new import: %+v", got.Consent)
	}
	if got, _ := a.Repo().Get(ctx, ps[0].ID); !got.Consent.Searchable || got.Source != profiles.SourceImport {
		t.Errorf("untouched imported profile: %+v source %q", got.Consent, got.Source)
	}
}

// The import API answers with the count of bad lines and names at most
// profiles.MaxKeptLineErrors of them, whatever the size of the input.
func TestImportAPIBoundsItsAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS")
	}
	h := newHarness(t)
	a, _ := h.start([]string{Serve})
	tok, err := AdminToken(h.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	for i := range 20000 {
		fmt.Fprintf(&body, `{"id":"bad %d"}`+"\n", i)
	}
	body.WriteString(`{"id":"g-ok","name":"Ok"}` + "\n")
	status, raw := postImport(t, a.HTTPAddr(), tok, "", &body)
	var res struct {
		Imported   int      `json:"imported"`
		Rejected   int      `json:"rejected"`
		LineErrors []string `json:"line_errors"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatalf("%d %s", status, raw)
	}
	if status != 200 || res.Imported != 1 || res.Rejected != 20000 || len(res.LineErrors) != profiles.MaxKeptLineErrors || len(raw) > 20000 {
		t.Errorf("status %d, imported %d, rejected %d, %d errors named, answer of %d bytes", status, res.Imported, res.Rejected, len(res.LineErrors), len(raw))
	}
}
