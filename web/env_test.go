package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

// Fakes of the server's dependencies, recording what they are given.

type storeSaver struct {
	store profiles.Store
	mu    sync.Mutex
	saved []profiles.Profile
	fail  error
}

func (s *storeSaver) SaveProfile(ctx context.Context, p profiles.Profile) error {
	s.mu.Lock()
	fail := s.fail
	if fail == nil {
		s.saved = append(s.saved, p)
	}
	s.mu.Unlock()
	if fail != nil {
		return fail
	}
	return s.store.Put(ctx, p)
}

func (s *storeSaver) last() (profiles.Profile, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.saved) == 0 {
		return profiles.Profile{}, 0
	}
	return s.saved[len(s.saved)-1], len(s.saved)
}

type recordingLinks struct {
	mu     sync.Mutex
	emails []string
}

func (l *recordingLinks) SendProfileLink(_ context.Context, email, locale string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.emails = append(l.emails, email+"|"+locale)
	return nil
}

func (l *recordingLinks) sent() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.emails...)
}

type fixedOffers []jobs.Offer

func (f fixedOffers) RecentOffers(_ context.Context, n int) []jobs.Offer {
	return f[:min(n, len(f))]
}

type countingImporter struct{}

func (countingImporter) ImportProfiles(_ context.Context, r io.Reader) (profiles.ImportReport, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return profiles.ImportReport{}, fmt.Errorf("read: %w", err)
	}
	return profiles.ImportReport{Imported: strings.Count(string(b), "\n")}, nil
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a server with fakes and a seeded embedded profile store.
type env struct {
	srv         *httptest.Server
	server      *Server
	pub         *recordingPublisher
	unsub       *recordingUnsub
	saver       *storeSaver
	links       *recordingLinks
	store       profiles.Store
	clock       *clock
	unsubTokens notifier.Tokens
	profLinks   ProfileLinks
}

var testSecret = []byte("test-secret-test-secret-test-secret")

// seedProfiles are the graduates of the test store. Only consent.searchable
// ones may show to officers.
func seedProfiles() []profiles.Profile {
	return []profiles.Profile{
		{ID: "g-1", Name: "Salma", Email: "salma@example.org", City: "Oujda", Country: "MA", Skills: []string{"Python", "SQL"},
			Languages: []string{"fr"}, GraduationYear: 2025, Availability: "immediate", Alerts: profiles.Alerts{Frequency: "daily"},
			Seeking: profiles.Seeking{Workplace: []string{"remote"}, Locations: []string{"Oujda"}},
			Consent: profiles.Consent{Searchable: true, Alerts: true}},
		{ID: "g-2", Name: "Hidden", City: "Oujda", Country: "MA", Skills: []string{"Python"}, Consent: profiles.Consent{Searchable: false}},
		{ID: "g-3", Name: "Youssef", City: "Casablanca", Country: "MA", Skills: []string{"Python", "Docker"}, GraduationYear: 2024, Consent: profiles.Consent{Searchable: true}},
		{ID: "g-4", Name: "Amine", City: "Oujda", Country: "MA", Skills: []string{"Excel"}, GraduationYear: 2025, Consent: profiles.Consent{Searchable: true}},
		{ID: "g-5", Name: `<img src=x onerror=alert(1)>`, City: "Nador", Country: "MA", Skills: []string{"R"}, Consent: profiles.Consent{Searchable: true}},
	}
}

// newEnv starts a server; tweak may change the config and deps first.
func newEnv(t *testing.T, tweak func(*Config, *Deps)) *env {
	t.Helper()
	store, err := profiles.OpenBleve(profiles.BleveConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Put(context.Background(), seedProfiles()...); err != nil {
		t.Fatal(err)
	}
	e := &env{
		pub: &recordingPublisher{}, unsub: &recordingUnsub{}, saver: &storeSaver{store: store},
		links: &recordingLinks{}, store: store, clock: &clock{t: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)},
		unsubTokens: notifier.NewTokens(testSecret), profLinks: NewProfileLinks(testSecret, 0),
	}
	cfg := Config{
		RecruiterTokens:     map[string]string{recTok: "Acme RH"},
		OfficerTokens:       map[string]string{offTok: "Career center"},
		MaxBodyBytes:        4096,
		SessionSecret:       []byte("session-secret-session-secret-32"),
		LinkRequestsPerHour: 1000,
		Now:                 e.clock.now,
		Logger:              discardLogger(),
	}
	deps := Deps{Offers: e.pub, Normalizer: &jobs.Normalizer{Skills: skills.Default()}, Profiles: store, Unsubscriber: e.unsub, Tokens: e.unsubTokens,
		ProfileTokens: e.profLinks, ProfileSaver: e.saver, LinkSender: e.links, SkillMapper: skills.Default(), Importer: countingImporter{}}
	if tweak != nil {
		tweak(&cfg, &deps)
	}
	e.server = New(cfg, deps)
	e.srv = httptest.NewServer(e.server)
	t.Cleanup(e.srv.Close)
	return e
}

// client is a browser-like client: a cookie jar, redirects not followed.
func (e *env) client(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(t *testing.T, c *http.Client, method, path string, form url.Values, header map[string]string) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

var hiddenRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf fetches a page with c and returns its form's CSRF token.
func (e *env) csrfOf(t *testing.T, c *http.Client, path string) string {
	t.Helper()
	r := e.do(t, c, "GET", path, nil, nil)
	m := hiddenRe.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("GET %s (%d): no csrf field in %s", path, r.status, r.body)
	}
	return m[1]
}

// login opens a role's session in c's cookie jar.
func (e *env) login(t *testing.T, c *http.Client, role, token string) {
	t.Helper()
	base := cookiePath(role)
	csrf := e.csrfOf(t, c, base+"/login")
	r := e.do(t, c, "POST", base+"/login", url.Values{"csrf": {csrf}, "token": {token}}, nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("login %s: status %d: %s", role, r.status, r.body)
	}
}

func (e *env) profileURL(id string) string { return ProfileLinkPath(e.profLinks.Make(id), "") }

// Test bearer tokens (tokens shorter than MinTokenLen are refused).
const (
	recTok = "rec-token-0123456789"
	offTok = "off-token-0123456789"
)
