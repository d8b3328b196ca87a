package app

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/mailpit"
	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
)

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

type browserless struct {
	t *testing.T
	c *http.Client
}

func newBrowserless(t *testing.T) *browserless {
	jar, _ := cookiejar.New(nil)
	return &browserless{t: t, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browserless) get(u string) (int, string, http.Header) {
	b.t.Helper()
	resp, err := b.c.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func (b *browserless) post(u string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	resp, err := b.c.PostForm(u, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%s", page)
	}
	return m[1]
}

// signupLink signs up through the page and returns the confirmation link
// mailed (the n-th mail in Mailpit).
func signupLink(t *testing.T, a *App, mp *mailpit.Server, email string, consent []string, nth int) string {
	t.Helper()
	b := newBrowserless(t)
	base := "http://" + a.HTTPAddr()
	_, page, _ := b.get(base + "/join?lang=fr")
	form := url.Values{"csrf": {csrfOf(t, page)}, "email": {email}, "consent": consent}
	code, body, _ := b.post(base+"/join?lang=fr", form)
	if code != http.StatusOK || !strings.Contains(body, `id="notice"`) {
		t.Fatalf("join: %d\n%s", code, body)
	}
	ctx := context.Background()
	sums, err := mp.WaitFor(ctx, nth, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mp.Message(ctx, sums[0].ID) // newest first
	if err != nil {
		t.Fatal(err)
	}
	if len(m.To) != 1 || !strings.EqualFold(m.To[0].Address, email) || !strings.Contains(m.Subject, "confirmez") {
		t.Fatalf("confirmation mail to %v, subject %q", m.To, m.Subject)
	}
	for _, f := range strings.Fields(m.Text) {
		if strings.HasPrefix(f, "http://"+a.HTTPAddr()+"/join/confirm?") {
			return f
		}
	}
	t.Fatalf("no confirmation link in:\n%s", m.Text)
	return ""
}

// confirm opens the confirmation link and presses the button; it returns
// the status and where it leads.
func confirm(t *testing.T, link string) (int, string) {
	t.Helper()
	b := newBrowserless(t)
	code, page, _ := b.get(link)
	if code != http.StatusOK {
		return code, ""
	}
	u, _ := url.Parse(link)
	form := url.Values{"csrf": {csrfOf(t, page)}, "token": {u.Query().Get("token")}}
	code, _, h := b.post(u.Scheme+"://"+u.Host+"/join/confirm?lang=fr", form)
	return code, h.Get("Location")
}

// A graduate signs up with double opt-in: the address gets a confirmation
// link whether or not it is known, following it without pressing the
// button creates nothing, confirming creates the profile with exactly the
// consent chosen and opens it; the link works once; a forged one does
// not. An address an officer imported is taken over: the school's data
// stays, the graduate's consent wins.
func TestSignupDoubleOptIn(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, Mailpit and HTTP servers")
	}
	h := newHarness(t)
	a, _ := h.start([]string{Serve, Notify})
	ctx := context.Background()
	if rep, err := a.ImportProfiles(ctx, profilesJSONL(t, e2eProfiles())); err != nil || rep.Rejected > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}

	link := signupLink(t, a, h.mp, "amina@example.org", []string{"consent_alerts", "consent_searchable"}, 1)
	if _, err := a.repo.ByEmail(ctx, "amina@example.org"); err == nil {
		t.Fatal("a profile exists before the address was confirmed")
	}
	code, loc := confirm(t, link)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/profile?") {
		t.Fatalf("confirm: %d → %q, want 303 to the profile", code, loc)
	}
	p, err := a.repo.ByEmail(ctx, "amina@example.org")
	if err != nil {
		t.Fatalf("no profile after confirmation: %v", err)
	}
	if !p.Consent.Alerts || !p.Consent.Searchable || p.Consent.Recruiters || p.Consent.SetBy != profiles.SetByGraduate || p.Source != profiles.SourceSelf {
		t.Errorf("consent %+v source %q, want alerts and searchable only, set by the graduate", p.Consent, p.Source)
	}
	_, page, _ := newBrowserless(t).get("http://" + a.HTTPAddr() + loc)
	if !strings.Contains(page, "amina@example.org") || !strings.Contains(page, `id="notice"`) {
		t.Errorf("the profile page after confirmation lacks the address or the welcome")
	}
	if code, _ := confirm(t, link); code != http.StatusConflict {
		t.Errorf("second use of the link: %d, want 409", code)
	}
	if code, _ := confirm(t, link[:len(link)-4]+"AAAA"); code != http.StatusBadRequest {
		t.Errorf("forged link: %d, want 400", code)
	}

	// Nora was imported by her school with every consent ticked; she signs
	// up herself and chooses alerts only.
	before, err := a.repo.ByEmail(ctx, "nora@example.org")
	if err != nil {
		t.Fatal(err)
	}
	link = signupLink(t, a, h.mp, "nora@example.org", []string{"consent_alerts"}, 2)
	if code, _ := confirm(t, link); code != http.StatusSeeOther {
		t.Fatalf("confirm Nora: %d", code)
	}
	after, err := a.repo.ByEmail(ctx, "nora@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if after.ID != before.ID || after.Name != before.Name || len(after.Skills) != len(before.Skills) || after.Seeking.Locations[0] != "Tanger" {
		t.Errorf("the school's data was not kept: %+v", after)
	}
	if !after.Consent.Alerts || after.Consent.Searchable || after.Consent.Recruiters || after.Source != profiles.SourceSelf {
		t.Errorf("Nora's own choices did not win: %+v source %q", after.Consent, after.Source)
	}
	// A later import by the school no longer changes her consent.
	imp := e2eProfiles()[2]
	imp.Consent = profiles.Consent{Alerts: true, Searchable: true, Recruiters: true}
	if _, err := a.ImportProfiles(ctx, profilesJSONL(t, []profiles.Profile{imp})); err != nil {
		t.Fatal(err)
	}
	if p, _ := a.repo.ByEmail(ctx, "nora@example.org"); p.Consent.Searchable || p.Consent.Recruiters {
		t.Errorf("an import overrode the graduate's consent: %+v", p.Consent)
	}

	// Erasing Amina leaves no ledger entry of her sign-up mail.
	kv, err := a.js.KeyValue(ctx, bus.KVAlertsSent)
	if err != nil {
		t.Fatal(err)
	}
	signupKey := bus.KeyToken(notifier.SignupLedgerID("amina@example.org"))
	keys, _ := kv.ListKeys(ctx)
	found := false
	for k := range keys.Keys() {
		found = found || strings.HasPrefix(k, signupKey)
	}
	if !found {
		t.Fatal("the sign-up mail left no ledger entry: the erasure check below would prove nothing")
	}
	if _, err := a.EraseProfile(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	keys, _ = kv.ListKeys(ctx)
	for k := range keys.Keys() {
		if strings.HasPrefix(k, bus.KeyToken(notifier.SignupLedgerID("amina@example.org"))) || strings.HasPrefix(k, bus.KeyToken(p.ID)) {
			t.Errorf("ledger key %s left after erasure", k)
		}
	}
}
