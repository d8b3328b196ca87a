package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
)

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// pageCase is one HTTP scenario of the pages: optional set-up (a login, a
// CSRF token taken from a page), the request, and what the answer must and
// must not contain.
type pageCase struct {
	name, method, path string
	bearer             string
	login              string // role to log in as first (officer with offTok, recruiter with recTok)
	csrfFrom           string // page whose form CSRF token is added to form
	form               url.Values
	header             map[string]string
	cookie             *http.Cookie
	status             int
	location           string // prefix of the Location header
	contains           []string
	notContains        []string
	check              func(t *testing.T, e *env, r response)
}

func (e *env) runCases(t *testing.T, cases []pageCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := e.client(t)
			if tc.login != "" {
				tok := map[string]string{roleOfficer: offTok, roleRecruiter: recTok}[tc.login]
				e.login(t, c, tc.login, tok)
			}
			form := tc.form
			if tc.csrfFrom != "" {
				form = url.Values{}
				for k, v := range tc.form {
					form[k] = slices.Clone(v)
				}
				form.Set(csrfField, e.csrfOf(t, c, tc.csrfFrom))
			}
			if tc.cookie != nil {
				u, _ := url.Parse(e.srv.URL + "/")
				tc.cookie.Path = "/"
				c.Jar.SetCookies(u, []*http.Cookie{tc.cookie})
			}
			h := map[string]string{}
			for k, v := range tc.header {
				h[k] = v
			}
			if tc.bearer != "" {
				h["Authorization"] = "Bearer " + tc.bearer
			}
			r := e.do(t, c, tc.method, tc.path, form, h)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d; body: %s", r.status, tc.status, mainPart(r.body))
			}
			if tc.location != "" && !strings.HasPrefix(r.header.Get("Location"), tc.location) {
				t.Errorf("Location = %q, want prefix %q", r.header.Get("Location"), tc.location)
			}
			for _, s := range tc.contains {
				if !strings.Contains(r.body, s) {
					t.Errorf("body lacks %q:\n%s", s, mainPart(r.body))
				}
			}
			for _, s := range tc.notContains {
				if strings.Contains(r.body, s) {
					t.Errorf("body contains %q:\n%s", s, mainPart(r.body))
				}
			}
			if strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				for _, hd := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"} {
					if r.header.Get(hd) == "" {
						t.Errorf("header %s missing", hd)
					}
				}
				if r.header.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control = %q, want no-store", r.header.Get("Cache-Control"))
				}
			}
			if tc.check != nil {
				tc.check(t, e, r)
			}
		})
	}
}

// mainPart is the page's <main> element, or the whole body, for messages.
func mainPart(body string) string {
	if _, after, ok := strings.Cut(body, `<main id="main">`); ok {
		return after
	}
	return body
}

// profileForm is a complete, valid profile form for g-1.
func profileForm(token string, change func(url.Values)) url.Values {
	v := url.Values{
		"token": {token}, "name": {"Salma B."}, "city": {"Oujda"}, "country": {"Maroc"}, "headline": {"Data analyst"},
		"skills": {"Python, SQL, Jonglage"}, "languages": {"fr, AR, en"}, "graduation_year": {"2025"},
		"available_from": {"2026-12-01"}, "seniority": {"junior", "internship"}, "employment": {"full_time"},
		"workplace": {"remote", "hybrid"}, "locations": {"Oujda, Casablanca"}, "frequency": {"weekly"},
		"consent": {"consent_alerts", "consent_searchable"}, "locale": {"fr"},
	}
	if change != nil {
		change(v)
	}
	return v
}

func offerForm(change func(url.Values)) url.Values {
	v := url.Values{
		"title": {"Data engineer junior"}, "description": {"Python, Spark et SQL. Télétravail depuis le Maroc."},
		"city": {"Oujda"}, "country": {"MA"}, "workplace": {"remote"}, "seniority": {"junior"}, "employment": {"full_time", "internship"},
		"eligibility": {"MA, France, EMEA"}, "apply_url": {"https://acme.example/jobs/1"},
	}
	if change != nil {
		change(v)
	}
	return v
}

func TestGraduatePages(t *testing.T) {
	e := newEnv(t, nil)
	g1 := e.profLinks.Make("g-1")
	g3 := e.profLinks.Make("g-3")
	expired := e.profLinks.MakeAt("g-1", time.Now().Add(-8*24*time.Hour))
	otherSecret := NewProfileLinks([]byte("another-secret-another-secret-00"), 0).Make("g-1")
	page := "/profile?token=" + url.QueryEscape(g1)
	e.runCases(t, []pageCase{
		{name: "no token", method: "GET", path: "/profile", status: 400, contains: []string{"n&#39;est pas valide ou a expiré", `href="/profile/link?lang=fr"`}},
		{name: "forged token", method: "GET", path: "/profile?token=Zy0x.abc.def", status: 400},
		{name: "token of another secret", method: "GET", path: "/profile?token=" + url.QueryEscape(otherSecret), status: 400},
		{name: "expired token", method: "GET", path: "/profile?token=" + url.QueryEscape(expired), status: 400, contains: []string{"expiré"}},
		{name: "unsubscribe token cannot open a profile", method: "GET", path: "/profile?token=" + url.QueryEscape(e.unsubTokens.Make("g-1")), status: 400, notContains: []string{"Salma"}},
		{name: "valid token of a deleted profile", method: "GET", path: "/profile?token=" + url.QueryEscape(e.profLinks.Make("g-404")), status: 404},
		{name: "profile page", method: "GET", path: page, status: 200, contains: []string{
			`lang="fr"`, `value="Salma"`, `>Python, SQL</textarea>`, "salma@example.org", `name="csrf"`,
			`id="f-available_now" checked`, `value="daily" id="f-frequency-daily" checked`, `value="remote" id="f-workplace-remote" checked`,
			`<ul class="tags" id="skills-known"><li>Python</li><li>SQL</li></ul>`,
		}, notContains: []string{"skills-unknown"}},
		{name: "profile page in Arabic", method: "GET", path: page + "&lang=ar", status: 200, contains: []string{`dir="rtl"`, "ملفي", "بايثون"}},
		{name: "language links keep the token", method: "GET", path: page, status: 200, contains: []string{`href="/profile?lang=en&amp;token=` + url.QueryEscape(g1)}},
		{name: "save without CSRF", method: "POST", path: "/profile", form: profileForm(g1, nil), status: 403, contains: []string{"a expiré ou ne vient pas de ce site"},
			check: func(t *testing.T, e *env, _ response) {
				if _, n := e.saver.last(); n != 0 {
					t.Errorf("saved %d profiles without CSRF", n)
				}
			}},
		{name: "CSRF of another profile's page", method: "POST", path: "/profile", csrfFrom: "/profile?token=" + url.QueryEscape(g3), form: profileForm(g1, nil), status: 403},
		{name: "save with forged token", method: "POST", path: "/profile", csrfFrom: page, form: profileForm("forged", nil), status: 400},
		{name: "missing name, bad year, bad date", method: "POST", path: "/profile", csrfFrom: page, status: 422,
			form: profileForm(g1, func(v url.Values) {
				v.Set("name", " ")
				v.Set("graduation_year", "20x5")
				v.Set("available_from", "demain")
				v.Set("skills", "Python, <script>alert(1)</script>")
			}),
			contains: []string{`id="f-name-err">Ce champ est obligatoire.`, `id="f-graduation_year-err">Donnez une année`, `id="f-available_from-err"`,
				`aria-invalid="true"`, `value="20x5"`, "&lt;script&gt;alert(1)&lt;/script&gt;"},
			notContains: []string{"<script>alert"}},
		{name: "unknown frequency and country", method: "POST", path: "/profile", csrfFrom: page, status: 422,
			form:     profileForm(g1, func(v url.Values) { v.Set("frequency", "hourly"); v.Set("country", "Atlantide") }),
			contains: []string{`id="f-frequency-err"`, `id="f-country-err"`}},
		{name: "bad language code", method: "POST", path: "/profile", csrfFrom: page, status: 422,
			form: profileForm(g1, func(v url.Values) { v.Set("languages", "français") }), contains: []string{`id="f-languages-err"`}},
		{name: "body too large", method: "POST", path: "/profile", status: 413,
			form: profileForm(g1, func(v url.Values) { v.Set("headline", strings.Repeat("x", 5000)) })},
		{name: "save", method: "POST", path: "/profile?lang=en", csrfFrom: page, form: profileForm(g1, nil), status: 200,
			contains: []string{`id="notice">Your profile was saved`, `<li>Python</li><li>SQL</li>`, `id="skills-unknown"><li>Jonglage</li>`},
			check: func(t *testing.T, e *env, _ response) {
				p, n := e.saver.last()
				if n != 1 {
					t.Fatalf("saved %d profiles, want 1", n)
				}
				want := []string{"Python", "SQL", "Jonglage"}
				if p.ID != "g-1" || p.Email != "salma@example.org" || p.Name != "Salma B." || p.Country != "MA" ||
					!slices.Equal(p.Skills, want) || !slices.Equal(p.Languages, []string{"fr", "ar", "en"}) ||
					p.Alerts.Frequency != "weekly" || p.Availability != "2026-12-01" || p.GraduationYear != 2025 ||
					!slices.Equal(p.Seeking.Seniority, []string{"junior", "internship"}) || !slices.Equal(p.Seeking.Locations, []string{"Oujda", "Casablanca"}) ||
					!p.Consent.Alerts || !p.Consent.Searchable || p.Consent.Recruiters {
					t.Errorf("saved profile = %+v", p)
				}
				got, err := e.store.Get(context.Background(), "g-1")
				if err != nil || got.Alerts.Frequency != "weekly" {
					t.Errorf("stored profile = %+v, %v", got, err)
				}
			}},
		{name: "link form", method: "GET", path: "/profile/link?lang=en", status: 200, contains: []string{`type="email"`, `autocomplete="email"`, "Send the link"}},
		{name: "link without CSRF", method: "POST", path: "/profile/link", form: url.Values{"email": {"salma@example.org"}}, status: 403},
		{name: "link with a bad address", method: "POST", path: "/profile/link", csrfFrom: "/profile/link", form: url.Values{"email": {"Salma <salma@example.org>"}}, status: 422,
			contains: []string{`id="f-email-err"`}},
	})
}

// TestLinkRequestIsNeutral checks that the answer does not depend on
// whether the address belongs to a profile, and that requests are limited
// per IP.
func TestLinkRequestIsNeutral(t *testing.T) {
	e := newEnv(t, func(c *Config, _ *Deps) { c.LinkRequestsPerHour = 2 })
	c := e.client(t)
	csrf := e.csrfOf(t, c, "/profile/link")
	known := e.do(t, c, "POST", "/profile/link?lang=en", url.Values{"csrf": {csrf}, "email": {"salma@example.org"}}, nil)
	unknown := e.do(t, c, "POST", "/profile/link?lang=en", url.Values{"csrf": {csrf}, "email": {"nobody@example.org"}}, nil)
	if known.status != 200 || unknown.status != 200 || known.body != unknown.body || !strings.Contains(known.body, "If a profile matches this address") {
		t.Errorf("known %d / unknown %d answers differ or lack the neutral message:\n%s\n---\n%s", known.status, unknown.status, known.body, unknown.body)
	}
	if got := e.links.sent(); !slices.Equal(got, []string{"salma@example.org|en", "nobody@example.org|en"}) {
		t.Errorf("links sent = %v", got)
	}
	limited := e.do(t, c, "POST", "/profile/link", url.Values{"csrf": {csrf}, "email": {"salma@example.org"}}, nil)
	if limited.status != http.StatusTooManyRequests || len(e.links.sent()) != 2 {
		t.Errorf("third request: status %d, %d links sent; want 429 and 2", limited.status, len(e.links.sent()))
	}
	e.clock.add(31 * time.Minute) // refills one token of 2 per hour
	if r := e.do(t, c, "POST", "/profile/link", url.Values{"csrf": {csrf}, "email": {"salma@example.org"}}, nil); r.status != 200 {
		t.Errorf("after refill: status %d", r.status)
	}
}

func TestSaveFailureShowsNoInternals(t *testing.T) {
	e := newEnv(t, nil)
	e.saver.fail = errors.New("bleve: disk full at /var/lib/secret")
	c := e.client(t)
	page := e.profileURL("g-1")
	tok, _ := url.ParseQuery(strings.TrimPrefix(page, "/profile?"))
	form := profileForm(tok.Get("token"), nil)
	form.Set("csrf", e.csrfOf(t, c, page))
	r := e.do(t, c, "POST", "/profile", form, nil)
	if r.status != http.StatusServiceUnavailable || strings.Contains(r.body, "disk full") || !strings.Contains(r.body, "n&#39;a pas pu être enregistré") {
		t.Errorf("status %d body %s", r.status, r.body)
	}
}

func TestOfficerPages(t *testing.T) {
	e := newEnv(t, nil)
	forged := &http.Cookie{Name: officerCookie, Value: "eyJ4IjoxfQ.bm9wZQ"}
	recruiterSession := &http.Cookie{Name: officerCookie, Value: e.server.newSession(roleRecruiter, recTok, who{})}
	officerSession := &http.Cookie{Name: officerCookie, Value: e.server.newSession(roleOfficer, offTok, who{})}
	e.runCases(t, []pageCase{
		{name: "anonymous is sent to login", method: "GET", path: "/officers?lang=en", status: 303, location: "/officers/login?lang=en"},
		{name: "recruiter token is not an officer", method: "GET", path: "/officers", bearer: recTok, status: 303},
		{name: "forged session", method: "GET", path: "/officers", cookie: forged, status: 303},
		{name: "recruiter session in the officer cookie", method: "GET", path: "/officers", cookie: recruiterSession, status: 303},
		{name: "signed officer session", method: "GET", path: "/officers", cookie: officerSession, status: 200, contains: []string{"Salma"}},
		{name: "bearer token", method: "GET", path: "/officers", bearer: offTok, status: 200,
			contains: []string{"Salma", "Youssef", "Amine", "&lt;img src=x onerror=alert(1)&gt;", "4 profil(s)"}, notContains: []string{"Hidden", "<img src=x"}},
		{name: "login form", method: "GET", path: "/officers/login", status: 200, contains: []string{`type="password"`, `name="csrf"`}},
		{name: "login without CSRF", method: "POST", path: "/officers/login", form: url.Values{"token": {offTok}}, status: 403},
		{name: "login with a wrong token", method: "POST", path: "/officers/login", csrfFrom: "/officers/login", form: url.Values{"token": {"of"}}, status: 401,
			contains: []string{"Ce jeton n&#39;est pas reconnu"}},
		{name: "login with a recruiter token", method: "POST", path: "/officers/login", csrfFrom: "/officers/login", form: url.Values{"token": {recTok}}, status: 401},
		{name: "login", method: "POST", path: "/officers/login?lang=ar", csrfFrom: "/officers/login", form: url.Values{"token": {offTok}}, status: 303, location: "/officers?lang=ar",
			check: func(t *testing.T, _ *env, r response) {
				sc := r.header.Get("Set-Cookie")
				for _, want := range []string{officerCookie + "=", "HttpOnly", "SameSite=Strict", "Path=/officers"} {
					if !strings.Contains(sc, want) {
						t.Errorf("Set-Cookie %q lacks %q", sc, want)
					}
				}
				if strings.Contains(sc, "Secure") {
					t.Errorf("Set-Cookie %q is Secure on plain HTTP", sc)
				}
			}},
		{name: "filter by skill and city", method: "GET", path: "/officers?skills=python&city=oujda", login: roleOfficer, status: 200,
			contains:    []string{`data-id="g-1"`, "1 profil(s)", `value="python"`, `href="/officers/export.csv?city=oujda&amp;skills=python"`},
			notContains: []string{`data-id="g-2"`, `data-id="g-3"`, `data-id="g-4"`}},
		{name: "filter by year and language", method: "GET", path: "/officers?year=2025&language=fr", login: roleOfficer, status: 200,
			contains: []string{`data-id="g-1"`}, notContains: []string{`data-id="g-4"`, `data-id="g-3"`}},
		{name: "bad year", method: "GET", path: "/officers?year=deux", login: roleOfficer, status: 400, contains: []string{`id="f-year-err"`}},
		{name: "bad availability", method: "GET", path: "/officers?availability=bientot", login: roleOfficer, status: 400, contains: []string{`id="f-availability-err"`}},
		{name: "availability word of the page", method: "GET", path: "/officers?availability=imm%C3%A9diate", login: roleOfficer, status: 200,
			contains: []string{`data-id="g-1"`}, notContains: []string{`data-id="g-3"`}},
		{name: "bad page", method: "GET", path: "/officers?page=0", login: roleOfficer, status: 400},
		{name: "export with session", method: "GET", path: "/officers/export.csv?city=Oujda", login: roleOfficer, status: 200,
			// French Excel: BOM, ';', French headers.
			contains: []string{"\uFEFFIdentifiant;Nom complet;E-mail", "g-1;Salma", "g-4;Amine"}, notContains: []string{"Hidden", "Youssef"}},
		{name: "export anonymous", method: "GET", path: "/officers/export.csv", status: 303},
		{name: "logout without CSRF", method: "POST", path: "/officers/logout", login: roleOfficer, form: url.Values{}, status: 403},
		{name: "logout", method: "POST", path: "/officers/logout", login: roleOfficer, csrfFrom: "/officers", form: url.Values{}, status: 303,
			check: func(t *testing.T, _ *env, r response) {
				if sc := r.header.Get("Set-Cookie"); !strings.Contains(sc, "Max-Age=0") {
					t.Errorf("logout Set-Cookie = %q", sc)
				}
			}},
		{name: "API bad availability", method: "GET", path: "/api/profiles?availability=soon", bearer: offTok, status: 400, contains: []string{`"field":"availability"`}},
		{name: "API languages filter", method: "GET", path: "/api/profiles?lang=fr", bearer: offTok, status: 200, contains: []string{`"total":1`, "Salma"}},
		{name: "API sources without lister", method: "GET", path: "/api/sources", bearer: offTok, status: 503},
		{name: "API sources anonymous", method: "GET", path: "/api/sources", status: 401},
		{name: "API import", method: "POST", path: "/api/profiles/import", bearer: offTok, form: url.Values{"x": {"1"}}, status: 200, contains: []string{`"imported":0`}},
		{name: "API import anonymous", method: "POST", path: "/api/profiles/import", status: 401},
	})
}

func TestOfficerSessionExpires(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client(t)
	e.login(t, c, roleOfficer, offTok)
	if r := e.do(t, c, "GET", "/officers", nil, nil); r.status != 200 {
		t.Fatalf("fresh session: %d", r.status)
	}
	e.clock.add(8*time.Hour + time.Second)
	if r := e.do(t, c, "GET", "/officers", nil, nil); r.status != 303 {
		t.Errorf("expired session: status %d, want 303", r.status)
	}
}

// TestSessionEndsWithItsToken: removing a token from the config ends the
// sessions opened with it.
func TestSessionEndsWithItsToken(t *testing.T) {
	e := newEnv(t, nil)
	v := e.server.newSession(roleOfficer, offTok, who{})
	if _, ok := e.server.session(roleOfficer, v); !ok {
		t.Fatal("fresh session refused")
	}
	delete(e.server.cfg.OfficerTokens, offTok)
	if _, ok := e.server.session(roleOfficer, v); ok {
		t.Error("session of a removed token still accepted")
	}
}

func TestOfficerPagination(t *testing.T) {
	e := newEnv(t, nil)
	var ps []profiles.Profile
	for i := range 25 {
		ps = append(ps, profiles.Profile{ID: "b-" + string(rune('a'+i)), Name: "Berkani", City: "Berkane", Country: "MA", Consent: profiles.Consent{Searchable: true}})
	}
	if err := e.store.Put(context.Background(), ps...); err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile(`<tr data-id="b-`)
	e.runCases(t, []pageCase{
		{name: "first page", method: "GET", path: "/officers?city=Berkane", bearer: offTok, status: 200,
			contains: []string{"25 profil(s)", "Page 1 sur 2", `href="/officers?city=Berkane&amp;lang=fr&amp;page=2"`}, notContains: []string{`rel="prev"`},
			check: func(t *testing.T, _ *env, r response) {
				if n := len(rows.FindAllString(r.body, -1)); n != officerPageSize {
					t.Errorf("%d rows, want %d", n, officerPageSize)
				}
			}},
		{name: "second page", method: "GET", path: "/officers?city=Berkane&page=2", bearer: offTok, status: 200,
			contains: []string{"Page 2 sur 2", `rel="prev"`}, notContains: []string{`rel="next"`},
			check: func(t *testing.T, _ *env, r response) {
				if n := len(rows.FindAllString(r.body, -1)); n != 5 {
					t.Errorf("%d rows, want 5", n)
				}
			}},
	})
}

func TestRecruiterPages(t *testing.T) {
	e := newEnv(t, nil)
	const form = "/recruiters/offers/new"
	e.runCases(t, []pageCase{
		{name: "anonymous is sent to login", method: "GET", path: form, status: 303, location: "/recruiters/login"},
		{name: "officer token is not a recruiter", method: "GET", path: form, bearer: offTok, status: 303},
		{name: "officer session does not open recruiter pages", method: "GET", path: form, login: roleOfficer, status: 303},
		{name: "form with bearer", method: "GET", path: form + "?lang=en", bearer: recTok, status: 200, contains: []string{"Post an offer", `name="title"`, `<option value="remote">remote</option>`, "Acme RH"}},
		{name: "recruiters root", method: "GET", path: "/recruiters", status: 303, location: "/recruiters/offers?"},
		{name: "my offers anonymous", method: "GET", path: "/recruiters/offers", status: 303, location: "/recruiters/login"},
		{name: "close anonymous", method: "POST", path: "/recruiters/offers/close", csrfFrom: "/recruiters/login", form: url.Values{"id": {"x"}}, status: 303, location: "/recruiters/login"},
		{name: "close without CSRF", method: "POST", path: "/recruiters/offers/close", login: roleRecruiter, form: url.Values{"id": {"x"}}, status: 403},
		{name: "post without CSRF", method: "POST", path: form, login: roleRecruiter, form: offerForm(nil), status: 403},
		{name: "post anonymous", method: "POST", path: form, csrfFrom: "/recruiters/login", form: offerForm(nil), status: 303, location: "/recruiters/login"},
		{name: "missing title", method: "POST", path: form, login: roleRecruiter, csrfFrom: form, status: 422,
			form: offerForm(func(v url.Values) { v.Del("title") }), contains: []string{`id="f-title-err">Ce champ est obligatoire.`, `value="Oujda"`, `<bdi id="company">Acme RH</bdi>`}},
		{name: "unknown country and eligibility", method: "POST", path: form, login: roleRecruiter, csrfFrom: form, status: 422,
			form:     offerForm(func(v url.Values) { v.Set("country", "Atlantis"); v.Set("eligibility", "MA, Mars") }),
			contains: []string{`id="f-country-err"`, `id="f-eligibility-err"`, `value="MA, Mars"`}},
		{name: "script apply URL", method: "POST", path: form, login: roleRecruiter, csrfFrom: form, status: 422,
			form: offerForm(func(v url.Values) { v.Set("apply_url", "javascript:alert(1)") }), contains: []string{`id="f-apply_url-err"`}},
		{name: "unknown workplace", method: "POST", path: form, login: roleRecruiter, csrfFrom: form, status: 422,
			form: offerForm(func(v url.Values) { v.Set("workplace", "moon") }), contains: []string{`id="f-workplace-err"`}},
		{name: "title too long", method: "POST", path: form, login: roleRecruiter, csrfFrom: form, status: 422,
			form: offerForm(func(v url.Values) { v.Set("title", strings.Repeat("é", 200)) }), contains: []string{`id="f-title-err"`}},
		{name: "body too large", method: "POST", path: form, login: roleRecruiter, status: 413,
			form: offerForm(func(v url.Values) { v.Set("description", strings.Repeat("a", 5000)) })},
		{name: "publish", method: "POST", path: form + "?lang=en", login: roleRecruiter, csrfFrom: form, form: offerForm(nil), status: 303,
			location: "/recruiters/offers/posted?id=recruiter-acme-rh%3Aweb-",
			check: func(t *testing.T, e *env, r response) {
				e.pub.mu.Lock()
				defer e.pub.mu.Unlock()
				if len(e.pub.offers) != 1 {
					t.Fatalf("published %d offers", len(e.pub.offers))
				}
				o := e.pub.offers[0]
				if o.Title != "Data engineer junior" || o.Source != "recruiter-acme-rh" || !strings.HasPrefix(o.ID, "recruiter-acme-rh:web-") ||
					o.Workplace != jobs.Remote || o.Seniority != "junior" || !slices.Equal(o.Employment, []string{"full_time", "internship"}) ||
					!slices.Equal(o.Eligibility.Countries, []string{"MA", "FR"}) || !slices.Equal(o.Eligibility.Regions, []string{"EMEA"}) || !o.Eligibility.Known ||
					len(o.Locations) != 1 || o.Locations[0] != (jobs.Location{City: "Oujda", Country: "MA"}) || o.ApplyURL != "https://acme.example/jobs/1" ||
					o.Terms.Attribution != "Acme RH" || !slices.Contains(o.Skills, "python") {
					t.Errorf("published offer = %+v", o)
				}
				c := e.client(t)
				e.login(t, c, roleRecruiter, recTok)
				page := e.do(t, c, "GET", r.header.Get("Location"), nil, nil)
				if !strings.Contains(page.body, "Data engineer junior") || !strings.Contains(page.body, o.ID) || !strings.Contains(page.body, "Offer received") {
					t.Errorf("confirmation page: %s", page.body)
				}
			}},
		{name: "bare e-mail apply address", method: "POST", path: form, login: roleRecruiter, csrfFrom: form, status: 303,
			form:     offerForm(func(v url.Values) { v.Set("apply_url", "rh@acme.example") }),
			location: "/recruiters/offers/posted?",
			check: func(t *testing.T, e *env, r response) {
				e.pub.mu.Lock()
				defer e.pub.mu.Unlock()
				if n := len(e.pub.offers); n == 0 || e.pub.offers[n-1].ApplyURL != "mailto:rh@acme.example" {
					t.Errorf("published offers %+v, want the last applying to mailto:rh@acme.example", e.pub.offers)
				}
			}},
		{name: "e-mail address without domain dot", method: "POST", path: form, login: roleRecruiter, csrfFrom: form, status: 422,
			form: offerForm(func(v url.Values) { v.Set("apply_url", "rh@acme") }), contains: []string{`id="f-apply_url-err"`}},
		{name: "confirmation of someone else's id", method: "GET", path: "/recruiters/offers/posted?id=recruiter-other:web-1", login: roleRecruiter, status: 200,
			notContains: []string{"recruiter-other"}},
	})
}

func TestRecruiterPublishFailure(t *testing.T) {
	e := newEnv(t, nil)
	e.pub.fail = errors.New("nats: no responders on offers.new")
	c := e.client(t)
	e.login(t, c, roleRecruiter, recTok)
	f := offerForm(nil)
	f.Set("csrf", e.csrfOf(t, c, "/recruiters/offers/new"))
	r := e.do(t, c, "POST", "/recruiters/offers/new", f, nil)
	if r.status != http.StatusServiceUnavailable || strings.Contains(r.body, "nats") || !strings.Contains(r.body, "n&#39;a pas pu être mise en file") ||
		!strings.Contains(r.body, `value="Data engineer junior"`) {
		t.Errorf("status %d body %s", r.status, r.body)
	}
}

func TestHomeListsRecentOffers(t *testing.T) {
	posted := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	offers := fixedOffers{
		{ID: "remoteok:1", Title: "ML engineer <b>now</b>", Company: "Brete", URL: "https://remoteok.com/1", Workplace: jobs.Remote,
			PostedAt: &posted, Terms: jobs.Terms{Attribution: "Remote OK"}},
		{ID: "x:2", Title: "Script link", URL: "javascript:alert(1)", Workplace: jobs.Onsite, Locations: []jobs.Location{{City: "Oujda", Country: "MA"}}, Source: "x"},
		{ID: "x:3", Title: "Expired offer", ValidThrough: &old, Terms: jobs.Terms{Attribution: "Old"}},
		{ID: "jobicy:4", Title: "Data analyst", URL: "https://jobicy.example/jobs/4", ApplyURL: "https://employer.example/apply/4",
			Terms: jobs.Terms{Attribution: "Jobicy", ApplyViaListing: true}},
	}
	e := newEnv(t, func(_ *Config, d *Deps) { d.RecentOffers = offers })
	e.runCases(t, []pageCase{
		{name: "offers with attribution", method: "GET", path: "/", status: 200, contains: []string{
			"ML engineer &lt;b&gt;now&lt;/b&gt;", `href="https://remoteok.com/1"`, "télétravail",
			// The source named, as a link to the offer's listing there.
			`<span class="attribution"><a href="https://remoteok.com/1" rel="noopener">Remote OK</a></span>`,
			`<time datetime="2026-11-20">`, "Oujda, MA", `<span class="attribution">x</span>`,
			`<span class="attribution"><a href="https://jobicy.example/jobs/4" rel="noopener">Jobicy</a></span>`,
		}, notContains: []string{"<b>now", "javascript:", "Expired offer",
			// Jobicy asks that applications go through its listing.
			"employer.example"}},
		{name: "English from Accept-Language", method: "GET", path: "/", header: map[string]string{"Accept-Language": "en-GB,en;q=0.8"}, status: 200,
			contains: []string{`lang="en"`, "Latest offers", "remote"}},
		{name: "lang parameter beats Accept-Language", method: "GET", path: "/?lang=ar", header: map[string]string{"Accept-Language": "en"}, status: 200,
			contains: []string{`lang="ar"`, `dir="rtl"`, "آخر العروض"}},
	})
}

func TestHomeFallsBackToPostedOffers(t *testing.T) {
	e := newEnv(t, nil)
	r := e.do(t, e.client(t), "POST", "/api/offers", nil, nil)
	if r.status != 401 {
		t.Fatalf("status %d", r.status)
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/offers", strings.NewReader(`{"id":"bi-1","title":"Analyste BI","workplace":"onsite"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+recTok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	home := e.do(t, e.client(t), "GET", "/", nil, nil)
	if !strings.Contains(home.body, "Analyste BI") || !strings.Contains(home.body, `<span class="attribution">Acme RH</span>`) {
		t.Errorf("home lacks the posted offer: %s", home.body)
	}
}

// TestUnavailableFeatures: routes whose dependency is missing answer 503
// with a page, not a crash.
func TestUnavailableFeatures(t *testing.T) {
	e := newEnv(t, func(_ *Config, d *Deps) {
		d.ProfileTokens, d.LinkSender, d.Profiles = nil, nil, nil
	})
	e.runCases(t, []pageCase{
		{name: "profile", method: "GET", path: "/profile?token=x", status: 503, contains: []string{"n&#39;est pas disponible"}},
		{name: "link", method: "POST", path: "/profile/link", csrfFrom: "/profile/link", form: url.Values{"email": {"a@b.org"}}, status: 503},
		{name: "officers", method: "GET", path: "/officers", bearer: offTok, status: 503},
	})
}

// TestCatalog: every locale has every key, and templates use only keys
// the catalog has.
func TestCatalog(t *testing.T) {
	for l, m := range messages {
		for k := range messages["fr"] {
			if m[k] == "" {
				t.Errorf("locale %s lacks %q", l, k)
			}
		}
		if len(m) != len(messages["fr"]) {
			t.Errorf("locale %s has %d keys, fr has %d", l, len(m), len(messages["fr"]))
		}
	}
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	use := regexp.MustCompile(`\btf? (?:\.L|\$\.L|\.) "([a-z_]+)"`)
	n := 0
	for _, en := range entries {
		b, err := templateFS.ReadFile("templates/" + en.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range use.FindAllStringSubmatch(string(b), -1) {
			n++
			if _, ok := messages["fr"][m[1]]; !ok {
				t.Errorf("%s uses unknown message %q", en.Name(), m[1])
			}
		}
	}
	if n < 50 {
		t.Errorf("found only %d message uses in templates: is the pattern stale?", n)
	}
	// Keys built in Go: field labels, choices, errors.
	var built []string
	for _, name := range []string{"name", "headline", "city", "country", "graduation_year", "languages", "skills", "locations", "email", "token",
		"q", "year", "language", "availability", "title", "company", "description", "eligibility", "apply_url",
		"seniority", "employment", "workplace", "frequency", "locale"} {
		built = append(built, "f_"+name)
	}
	for _, v := range seniorityValues {
		built = append(built, "sen_"+v)
	}
	for _, v := range employmentValues {
		built = append(built, "emp_"+v)
	}
	for _, v := range append(workplaceValues, "unknown") {
		built = append(built, "wp_"+v)
	}
	for _, v := range frequencyValues {
		built = append(built, "freq_"+v)
	}
	for _, v := range localeValues {
		built = append(built, "lang_name_"+v)
	}
	for _, f := range []string{"title", "company", "description", "workplace", "employment", "seniority", "apply_url", "locations[0].country", "eligibility.countries"} {
		built = append(built, "err_offer_"+offerFormField(f))
	}
	for _, k := range built {
		if _, ok := messages["fr"][k]; !ok {
			t.Errorf("message %q built in Go is missing", k)
		}
	}
}

func TestProfileLinks(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	pl := NewProfileLinks(testSecret, time.Hour)
	tok := pl.MakeAt("g-1", now)
	for _, tc := range []struct {
		name  string
		token string
		at    time.Time
		ok    bool
	}{
		{"fresh", tok, now, true},
		{"just before expiry", tok, now.Add(time.Hour - time.Second), true},
		{"expired", tok, now.Add(time.Hour), false},
		{"expiry pushed forward", strings.Replace(tok, "."+strings.Split(tok, ".")[1]+".", ".zzzzzz.", 1), now, false},
		{"other profile", strings.Replace(tok, strings.Split(tok, ".")[0], b64.EncodeToString([]byte("g-2")), 1), now, false},
		{"unsubscribe token", notifier.NewTokens(testSecret).Make("g-1"), now, false},
		{"empty", "", now, false},
		{"two parts", "Zy0x.abc", now, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, ok := pl.VerifyAt(tc.token, tc.at)
			if ok != tc.ok || (ok && id != "g-1") {
				t.Errorf("VerifyAt = %q, %v; want ok=%v", id, ok, tc.ok)
			}
		})
	}
	if _, ok := (ProfileLinks{}).VerifyAt(tok, now); ok {
		t.Error("zero ProfileLinks accepted a token")
	}
}

func TestLimiter(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l := newLimiter(3, time.Hour, c.now)
	for i := range 3 {
		if !l.allow("a") {
			t.Fatalf("request %d refused", i)
		}
	}
	if l.allow("a") {
		t.Error("4th request allowed")
	}
	if !l.allow("b") {
		t.Error("other key refused")
	}
	c.add(20 * time.Minute)
	if !l.allow("a") || l.allow("a") {
		t.Error("20 minutes should refill exactly one request")
	}
	for i := range maxBuckets + 10 {
		l.allow(strings.Repeat("k", i%7) + string(rune(i)))
	}
	if len(l.buckets) > maxBuckets {
		t.Errorf("%d buckets, want at most %d", len(l.buckets), maxBuckets)
	}
}

// A pasted CV proposes the skills found in it that the profile lacks;
// only those the graduate accepts are added, as labels in their language;
// an oversized paste gets a clear message; a forged skill id adds nothing.
func TestCVPasteProposesSkills(t *testing.T) {
	e := newEnv(t, func(c *Config, _ *Deps) { c.MaxBodyBytes = 1 << 20 })
	g1 := e.profLinks.Make("g-1")
	page := "/profile?token=" + url.QueryEscape(g1)
	cv := "Data analyst. Stage de 6 mois : pipelines en Python et SQL, conteneurs Docker, tableaux de bord Power BI. Notions de Kubernetes."
	e.runCases(t, []pageCase{
		{name: "propose", method: "POST", path: "/profile/cv", csrfFrom: page, status: 200,
			form:        url.Values{"token": {g1}, "cv": {cv}},
			contains:    []string{`id="cv-skill-docker"`, `id="cv-skill-power-bi"`, `id="cv-accept-button"`},
			notContains: []string{`id="cv-skill-python"`, `id="cv-skill-sql"`},
			check: func(t *testing.T, e *env, _ response) {
				if _, n := e.saver.last(); n != 0 {
					t.Errorf("reading a CV saved the profile (%d saves)", n)
				}
			}},
		{name: "too long", method: "POST", path: "/profile/cv", csrfFrom: page, status: 422,
			form: url.Values{"token": {g1}, "cv": {strings.Repeat("Python ", 3000)}}, contains: []string{"trop long", `id="f-cv-err"`}},
		{name: "without CSRF", method: "POST", path: "/profile/cv/accept", status: 403,
			form: url.Values{"token": {g1}, "skill": {"docker"}}},
		{name: "accept", method: "POST", path: "/profile/cv/accept", csrfFrom: page, status: 200,
			form:     url.Values{"token": {g1}, "skill": {"docker", "not-a-skill-<b>"}},
			contains: []string{`id="notice"`},
			check: func(t *testing.T, e *env, _ response) {
				p, n := e.saver.last()
				if n != 1 || !slices.Contains(p.Skills, "Docker") || len(p.Skills) != 3 {
					t.Errorf("saved %d times, skills %v: want Python, SQL and Docker", n, p.Skills)
				}
			}},
	})
}

func TestProfilePauseAlerts(t *testing.T) {
	e := newEnv(t, nil)
	g1 := e.profLinks.Make("g-1")
	page := "/profile?token=" + url.QueryEscape(g1)
	later := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	e.runCases(t, []pageCase{
		{name: "bad date", method: "POST", path: "/profile", csrfFrom: page, status: 422,
			form: profileForm(g1, func(v url.Values) { v.Set("paused_until", "31/12") }), contains: []string{`id="f-paused_until-err"`}},
		{name: "pause", method: "POST", path: "/profile", csrfFrom: page, status: 200,
			form: profileForm(g1, func(v url.Values) { v.Set("paused_until", later) }), contains: []string{`value="` + later + `"`},
			check: func(t *testing.T, e *env, _ response) {
				if p, _ := e.saver.last(); p.Alerts.PausedUntil != later {
					t.Errorf("paused until %q, want %s", p.Alerts.PausedUntil, later)
				}
			}},
	})
}

// The "add a skill" field suggests the taxonomy's labels in the three
// languages and adds what is typed when the profile is saved.
func TestProfileAddSkillWithSuggestions(t *testing.T) {
	e := newEnv(t, nil)
	g1 := e.profLinks.Make("g-1")
	page := "/profile?token=" + url.QueryEscape(g1)
	e.runCases(t, []pageCase{
		{name: "suggestions", method: "GET", path: page, status: 200,
			contains: []string{`list="skill-suggestions"`, `<option value="Machine learning">`, `<option value="Apprentissage automatique">`}},
		{name: "add", method: "POST", path: "/profile", csrfFrom: page, status: 200,
			form: profileForm(g1, func(v url.Values) { v.Set("add_skill", "Apprentissage automatique") }),
			check: func(t *testing.T, e *env, _ response) {
				if p, _ := e.saver.last(); !slices.Contains(p.Skills, "Apprentissage automatique") {
					t.Errorf("skills %v lack the added one", p.Skills)
				}
			}},
	})
}
