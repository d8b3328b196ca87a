package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

// TestBearerGuessingIsRateLimited: wrong bearer tokens from one client are
// counted; once its allowance is spent, even the right token is refused
// (429) until it refills, so tokens cannot be guessed at full speed. Other
// clients are not affected.
func TestBearerGuessingIsRateLimited(t *testing.T) {
	e := newEnv(t, func(c *Config, _ *Deps) { c.FailedTokensPerHour = 5 })
	c := e.client(t)
	api := func(tok string) int {
		return e.do(t, c, "GET", "/api/profiles?city=Oujda", nil, map[string]string{"Authorization": "Bearer " + tok}).status
	}
	if st := api(offTok); st != 200 {
		t.Fatalf("right token: %d", st)
	}
	for i := range 5 {
		if st := api("guess-guess-guess-" + string(rune('a'+i))); st != 401 {
			t.Fatalf("wrong token %d: %d, want 401", i, st)
		}
	}
	if st := api("guess-guess-guess-z"); st != 429 {
		t.Errorf("6th wrong token: %d, want 429", st)
	}
	if st := api(offTok); st != 429 {
		t.Errorf("right token after the allowance is spent: %d, want 429", st)
	}
	// Recruiter routes share the allowance.
	r := e.do(t, c, "POST", "/api/offers", nil, map[string]string{"Authorization": "Bearer " + recTok, "Content-Type": "application/json"})
	if r.status != 429 {
		t.Errorf("recruiter API after the allowance is spent: %d, want 429", r.status)
	}
	e.clock.add(13 * time.Minute) // refills one try (5 per hour)
	if st := api(offTok); st != 200 {
		t.Errorf("right token after refill: %d, want 200", st)
	}
}

// TestShortTokensRefused: a configured token shorter than MinTokenLen is
// never accepted, even when presented exactly.
func TestShortTokensRefused(t *testing.T) {
	e := newEnv(t, func(c *Config, _ *Deps) { c.OfficerTokens["a"] = "weak"; c.OfficerTokens["0123456789abcde"] = "weak15" })
	c := e.client(t)
	for _, tok := range []string{"a", "0123456789abcde"} {
		if st := e.do(t, c, "GET", "/api/profiles", nil, map[string]string{"Authorization": "Bearer " + tok}).status; st != 401 {
			t.Errorf("short token %q: status %d, want 401", tok, st)
		}
	}
	if _, ok := lookupToken(map[string]string{"abc": "x"}, "abc"); ok {
		t.Error("lookupToken accepts a 3-character token")
	}
}

// TestLogoutRevokesSession: after logout, a copy of the session cookie
// taken before it no longer opens the officers' pages.
func TestLogoutRevokesSession(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client(t)
	e.login(t, c, roleOfficer, offTok)
	u, _ := url.Parse(e.srv.URL + "/officers")
	var stolen *http.Cookie
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == officerCookie {
			stolen = ck
		}
	}
	if stolen == nil {
		t.Fatal("no session cookie after login")
	}
	csrf := e.csrfOf(t, c, "/officers")
	if r := e.do(t, c, "POST", "/officers/logout", url.Values{"csrf": {csrf}}, nil); r.status != http.StatusSeeOther {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	other := e.client(t)
	other.Jar.SetCookies(u, []*http.Cookie{{Name: officerCookie, Value: stolen.Value, Path: "/officers"}})
	if r := e.do(t, other, "GET", "/officers", nil, nil); r.status != http.StatusSeeOther {
		t.Errorf("copied cookie after logout: status %d, want 303 to the login page", r.status)
	}
}

// panickyStore is a profile store whose search panics.
type panickyStore struct{ profiles.Store }

func (panickyStore) Search(context.Context, profiles.Query) (profiles.Result, error) {
	panic("search exploded")
}

// TestHandlerPanicIs500: a handler that panics answers 500 without detail,
// and the server goes on serving.
func TestHandlerPanicIs500(t *testing.T) {
	e := newEnv(t, func(_ *Config, d *Deps) { d.Profiles = panickyStore{d.Profiles} })
	c := e.client(t)
	r := e.do(t, c, "GET", "/api/profiles", nil, map[string]string{"Authorization": "Bearer " + offTok})
	if r.status != 500 || strings.Contains(r.body, "nil map") {
		t.Errorf("API: status %d body %s, want 500 without the panic's text", r.status, r.body)
	}
	r = e.do(t, c, "GET", "/officers?lang=en", nil, map[string]string{"Authorization": "Bearer " + offTok})
	if r.status != 500 || !strings.Contains(r.body, "internal error") {
		t.Errorf("page: status %d, want 500 with the internal-error page", r.status)
	}
	if r := e.do(t, c, "GET", "/healthz", nil, nil); r.status != 200 {
		t.Errorf("after the panics: /healthz %d", r.status)
	}
}

// TestRecruiterCannotJoinAnotherCompanysCluster: the duplicate cluster of
// a recruiter's offer comes from the company its token belongs to, so a
// copy of a competitor's ad posted with the same title forms its own
// cluster (it cannot silence or take over the competitor's alerts), while
// a crawled copy of the recruiter's own ad joins the recruiter's cluster.
func TestRecruiterCannotJoinAnotherCompanysCluster(t *testing.T) {
	const rivalTok = "rival-token-0123456789"
	e := newEnv(t, func(c *Config, _ *Deps) { c.RecruiterTokens[rivalTok] = "Rival Data" })
	c := e.client(t)
	send := func(tok, body string) int {
		st, _ := postOfferJSON(t, c, e.srv.URL, tok, body)
		return st
	}
	ad := `{"id":"x1","title":"Data Analyst junior","description":"SQL","locations":[{"city":"Oujda","country":"MA"}]}`
	if st := send(recTok, ad); st != 202 {
		t.Fatalf("own offer: %d", st)
	}
	if st := send(rivalTok, `{"id":"x1","title":"Data Analyst junior","company":"Acme RH","locations":[{"city":"Oujda","country":"MA"}]}`); st != 400 {
		t.Errorf("offer in a competitor's name: %d, want 400", st)
	}
	if st := send(rivalTok, ad); st != 202 {
		t.Fatalf("rival's offer: %d", st)
	}
	e.pub.mu.Lock()
	offers := append([]jobs.Offer(nil), e.pub.offers...)
	e.pub.mu.Unlock()
	if len(offers) != 2 {
		t.Fatalf("%d offers published", len(offers))
	}
	if offers[0].Fingerprint == offers[1].Fingerprint {
		t.Errorf("two companies' offers share cluster %s", offers[0].Fingerprint)
	}
	crawled := jobs.Offer{Title: "Data Analyst Junior", Company: "ACME RH SARL", Locations: []jobs.Location{{City: "Oujda", Country: "MA"}}}
	if fp := jobs.Fingerprint(crawled); fp != offers[0].Fingerprint {
		t.Errorf("crawled copy of Acme's ad: cluster %s, want Acme's %s", fp, offers[0].Fingerprint)
	}
}

// TestRecruiterMarkupBecomesText: markup a recruiter types in a title or
// description is published as text (as a crawled offer's would be), and
// a title that is only markup is refused with a field error.
func TestRecruiterMarkupBecomesText(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client(t)
	send := func(body string) (int, string) { return postOfferJSON(t, c, e.srv.URL, recTok, body) }
	st, body := send(`{"id":"m1","title":"Data analyst <script>alert(1)</script>","description":"<p onclick=x>Poste à Oujda.</p><img src=x onerror=alert(2)>","locations":[{"city":"Oujda","country":"MA"}]}`)
	if st != 202 {
		t.Fatalf("offer with markup: %d %s", st, body)
	}
	if st, body := send(`{"id":"m2","title":"<b></b><script>x()</script>"}`); st != 400 || !strings.Contains(body, `"field":"title"`) {
		t.Errorf("markup-only title: %d %s, want 400 on the title", st, body)
	}
	e.pub.mu.Lock()
	offers := append([]jobs.Offer(nil), e.pub.offers...)
	e.pub.mu.Unlock()
	if len(offers) != 1 {
		t.Fatalf("%d offers published, want 1", len(offers))
	}
	o := offers[0]
	if o.Title != "Data analyst" || strings.ContainsAny(o.Description, "<>") || !strings.Contains(o.Description, "Poste à Oujda.") {
		t.Errorf("published title %q description %q", o.Title, o.Description)
	}
}

// postOfferJSON posts body to base's /api/offers with a recruiter token
// and returns the status and the answer.
func postOfferJSON(t *testing.T, c *http.Client, base, tok, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/offers", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
