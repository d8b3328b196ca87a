package web

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/crawler"
	"github.com/passerelle/passerelle/internal/browser"
	"github.com/passerelle/passerelle/internal/natstest"
	"github.com/passerelle/passerelle/jobs"
)

// crawlerAdmin serves the sources routes from a real crawler (KV registry
// on an embedded NATS server), as internal/app's App does.
type crawlerAdmin struct{ c *crawler.Crawler }

func (a crawlerAdmin) SourceStatus(ctx context.Context) ([]crawler.SourceStatus, error) {
	return a.c.Status(ctx)
}

func (a crawlerAdmin) CheckSources(ctx context.Context, names []string, force bool) ([]crawler.CheckReport, error) {
	var out []crawler.CheckReport
	for _, n := range names {
		rep, err := a.c.Check(ctx, n, crawler.CheckOptions{Force: force})
		if err != nil {
			return out, err
		}
		out = append(out, rep)
	}
	return out, nil
}

func (a crawlerAdmin) SetSourceEnabled(ctx context.Context, name string, enabled bool, by string) (crawler.SourceRecord, error) {
	return a.c.SetEnabled(ctx, name, enabled, by)
}

func (a crawlerAdmin) AddSource(ctx context.Context, req crawler.AddRequest) (crawler.CheckReport, error) {
	return a.c.AddSource(ctx, req)
}

// partnerPage is a partner company's careers page: two JSON-LD postings,
// one in Oujda, one in Paris.
const partnerPage = `<html><head>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"Data Analyst junior","identifier":"c1",
 "hiringOrganization":{"@type":"Organization","name":"Oriental Data Lab"},
 "jobLocation":{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Oujda","addressCountry":"MA"}},"description":"SQL"}</script>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"Data Engineer","identifier":"c2",
 "hiringOrganization":{"@type":"Organization","name":"Oriental Data Lab"},
 "jobLocation":{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Paris","addressCountry":"FR"}},"description":"Spark"}</script>
</head><body></body></html>`

// Tokens of these tests, added to the env's own (long enough for any
// minimum token length).
const (
	srcOffTok = "sources-officer-token-0123456789"
	srcRecTok = "sources-recruiter-token-0123456789"
)

// withSourceTokens adds this file's tokens to a test server's config.
func withSourceTokens(c *Config) {
	c.OfficerTokens = maps.Clone(c.OfficerTokens)
	c.OfficerTokens[srcOffTok] = "Career center"
	c.RecruiterTokens = maps.Clone(c.RecruiterTokens)
	c.RecruiterTokens[srcRecTok] = "Acme RH"
}

// sourcesEnv is a web env whose Sources is a crawler on a real registry,
// plus a partner site on 127.0.0.1 (the only non-public address allowed).
func sourcesEnv(t *testing.T) (*env, string, crawler.Registry) {
	t.Helper()
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/careers" {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(partnerPage))
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(site.Close)
	js := natstest.JetStream(t)
	kv, err := js.KeyValue(context.Background(), bus.KVSources)
	if err != nil {
		t.Fatal(err)
	}
	reg := crawler.NewKVRegistry(kv)
	base := []crawler.SourceConfig{{Name: "board", Kind: "jsonld", URL: site.URL + "/careers", AllowPrivate: true,
		Terms: jobs.Terms{Attribution: "Test board", AttributionURL: "https://board.example"}}}
	c, err := crawler.New(crawler.Config{PrivateAllowlist: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, Logger: discardLogger()},
		base, crawler.Deps{Publisher: &recordingPublisher{}, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(cfg *Config, d *Deps) {
		withSourceTokens(cfg)
		d.Sources = crawlerAdmin{c}
		d.Officers = oneAccount{token: scopedOffTok, account: OfficerAccount{Name: "ENSAO insertion", Cohorts: []string{"ENSAO 2025"}, Ref: "ensao"}}
	})
	return e, site.URL + "/careers", reg
}

// scopedOffTok is an officer account scoped to one school's cohort.
const scopedOffTok = "scoped-officer-token-0123456789"

// oneAccount is an officer account store holding one account.
type oneAccount struct {
	token   string
	account OfficerAccount
}

func (a oneAccount) OfficerByToken(_ context.Context, tok string) (OfficerAccount, bool) {
	return a.account, tok == a.token
}

func (a oneAccount) OfficerByRef(_ context.Context, ref string) (OfficerAccount, bool) {
	return a.account, ref == a.account.Ref
}

func TestOfficerSourcesPage(t *testing.T) {
	e, good, reg := sourcesEnv(t)
	form := func(u string) url.Values { return url.Values{"src_url": {u}, "src_name": {"oriental-data-lab"}} }
	e.runCases(t, []pageCase{
		{name: "anonymous is sent to login", method: "GET", path: "/officers/sources?lang=en", status: 303, location: "/officers/login?lang=en"},
		{name: "recruiter token is not an officer", method: "GET", path: "/officers/sources", bearer: srcRecTok, status: 303},
		{name: "officer token", method: "GET", path: "/officers/sources", bearer: srcOffTok, status: 200, contains: []string{`data-source="board"`}},
		{name: "reachable from the officers' page", method: "GET", path: "/officers", login: roleOfficer, status: 200,
			contains: []string{`href="/officers/sources?lang=fr"`}},
		{name: "page with the sources", method: "GET", path: "/officers/sources", login: roleOfficer, status: 200,
			contains: []string{`id="check-form"`, `name="src_url"`, `data-source="board"`, "Test board", "configuration", `<option value="" selected>`}},
		{name: "English", method: "GET", path: "/officers/sources?lang=en", login: roleOfficer, status: 200,
			contains: []string{"Add a partner company&#39;s careers page", "Check (nothing is added)"}},
		{name: "Arabic", method: "GET", path: "/officers/sources?lang=ar", login: roleOfficer, status: 200,
			contains: []string{`dir="rtl"`, "إضافة صفحة التوظيف لشركة شريكة"}},
		{name: "check without CSRF", method: "POST", path: "/officers/sources/check", login: roleOfficer, form: form(good), status: 403},
		{name: "check without an address", method: "POST", path: "/officers/sources/check", login: roleOfficer, csrfFrom: "/officers/sources",
			form: url.Values{"src_url": {""}}, status: 400, contains: []string{`id="f-src_url-err"`}},
		{name: "check of a private address", method: "POST", path: "/officers/sources/check", login: roleOfficer, csrfFrom: "/officers/sources",
			form: form("http://10.9.8.7/careers"), status: 422,
			contains: []string{`data-code="private_address"`, "réseau privé"}, notContains: []string{`id="add-form"`}},
		{name: "check of a good page: the dry run", method: "POST", path: "/officers/sources/check", login: roleOfficer, csrfFrom: "/officers/sources",
			form: form(good), status: 200,
			contains: []string{`id="check-ok"`, "Data Analyst junior", "Oujda, MA", "2 annonces lues, 2 offres complètes, 1 ouvertes",
				`id="add-form"`, `name="src_url" value="` + good + `"`, `data-key="email_allowed"`, "<code>jsonld</code>"},
			check: func(t *testing.T, _ *env, _ response) {
				if recs, _ := reg.List(context.Background()); len(recs) != 0 {
					t.Errorf("a dry run recorded %+v", recs)
				}
			}},
		{name: "add without CSRF", method: "POST", path: "/officers/sources/add", login: roleOfficer, form: form(good), status: 403},
		{name: "add", method: "POST", path: "/officers/sources/add?lang=en", login: roleOfficer, csrfFrom: "/officers/sources",
			form: form(good), status: 303, location: "/officers/sources?added=oriental-data-lab&lang=en",
			check: func(t *testing.T, _ *env, _ response) {
				rec, ok, err := reg.Get(context.Background(), "oriental-data-lab")
				if err != nil || !ok || rec.AddedBy != "Career center" || rec.Added == nil || rec.Added.Kind != "jsonld" || rec.Added.Terms.EmailAllowed {
					t.Errorf("record %+v, %v", rec, err)
				}
			}},
		{name: "the added source is listed", method: "GET", path: "/officers/sources?added=oriental-data-lab", login: roleOfficer, status: 200,
			contains: []string{`id="notice"`, "« oriental-data-lab » est ajoutée", `data-source="oriental-data-lab"`, "ajoutée par Career center"}},
		{name: "the same name again", method: "POST", path: "/officers/sources/add", login: roleOfficer, csrfFrom: "/officers/sources",
			form: form(good), status: 409, contains: []string{`id="f-src_name-err"`}},
		{name: "a bad name", method: "POST", path: "/officers/sources/check", login: roleOfficer, csrfFrom: "/officers/sources",
			form: url.Values{"src_url": {good}, "src_name": {"Mon Entreprise"}}, status: 400, contains: []string{`id="f-src_name-err"`}},
		{name: "an unknown kind", method: "POST", path: "/officers/sources/check", login: roleOfficer, csrfFrom: "/officers/sources",
			form: url.Values{"src_url": {good}, "src_kind": {"nope"}}, status: 400},
	})
}

func TestSourcesAPI(t *testing.T) {
	e, good, reg := sourcesEnv(t)
	post := func(path, body, bearer string) response {
		t.Helper()
		h := map[string]string{"Content-Type": "application/json"}
		if bearer != "" {
			h["Authorization"] = "Bearer " + bearer
		}
		req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(body))
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
	}
	if r := post("/api/sources", `{"url":"`+good+`"}`, ""); r.status != 401 {
		t.Errorf("anonymous add: %d", r.status)
	}
	r := post("/api/sources", `{"url":"`+good+`","dry_run":true}`, srcOffTok)
	var rep crawler.CheckReport
	if r.status != 200 || json.Unmarshal([]byte(r.body), &rep) != nil || !rep.OK || rep.OpenToMorocco != 1 {
		t.Fatalf("dry run: %d %s", r.status, r.body)
	}
	if r := post("/api/sources", `{"url":"http://10.1.1.1/x"}`, srcOffTok); r.status != 422 || !strings.Contains(r.body, "private_address") {
		t.Errorf("private: %d %s", r.status, r.body)
	}
	if r := post("/api/sources", `{"url":"ftp://x"}`, srcOffTok); r.status != 400 {
		t.Errorf("bad url: %d %s", r.status, r.body)
	}
	if r := post("/api/sources", `{"url":"`+good+`","name":"partner","by":"Salma"}`, srcOffTok); r.status != 201 {
		t.Fatalf("add: %d %s", r.status, r.body)
	}
	if rec, _, _ := reg.Get(context.Background(), "partner"); rec.AddedBy != "Salma" {
		t.Errorf("record %+v", rec)
	}
	if r := post("/api/sources", `{"url":"`+good+`","name":"partner"}`, srcOffTok); r.status != 409 {
		t.Errorf("same name: %d", r.status)
	}
	// Switching a source off changes every school's alerts: not for an
	// officer scoped to one school (the source stays on).
	if r := post("/api/sources/partner/disable", `{}`, scopedOffTok); r.status != 403 {
		t.Errorf("disable by a scoped officer: %d %s, want 403", r.status, r.body)
	}
	if rec, _, _ := reg.Get(context.Background(), "partner"); rec.Enabled != nil && !*rec.Enabled {
		t.Errorf("a scoped officer's request switched the source off: %+v", rec)
	}
	if r := post("/api/sources/partner/disable", `{}`, srcOffTok); r.status != 200 || !strings.Contains(r.body, `"by":"Career center"`) {
		t.Errorf("disable: %d %s", r.status, r.body)
	}
	if r := post("/api/sources/nope/enable", `{"by":"x"}`, srcOffTok); r.status != 404 {
		t.Errorf("unknown: %d", r.status)
	}
	r = post("/api/sources/check", `{"names":["board","partner"],"force":true}`, srcOffTok)
	var reps []crawler.CheckReport
	if r.status != 200 || json.Unmarshal([]byte(r.body), &reps) != nil || len(reps) != 2 || !reps[0].OK || !reps[1].OK {
		t.Errorf("check: %d %s", r.status, r.body)
	}
	if r := post("/api/sources/check", `{"names":["nope"]}`, srcOffTok); r.status != 404 {
		t.Errorf("check unknown: %d", r.status)
	}

	bare := newEnv(t, func(c *Config, _ *Deps) { withSourceTokens(c) })
	req, _ := http.NewRequest("POST", bare.srv.URL+"/api/sources/check", strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer "+srcOffTok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Errorf("without a source admin: %d, want 503", resp.StatusCode)
	}
}

// Every problem code and checklist key the page may show has its words in
// every locale.
func TestSourcesCatalog(t *testing.T) {
	var keys []string
	for _, c := range []string{crawler.ProblemBadURL, crawler.ProblemPrivateAddress, crawler.ProblemRobotsUnreachable, crawler.ProblemRobotsDisallowed,
		crawler.ProblemTooSoon, crawler.ProblemHTTPStatus, crawler.ProblemFetchFailed, crawler.ProblemNoFormat, crawler.ProblemUnreadable,
		crawler.ProblemNoPostings, crawler.ProblemNotNormalized} {
		keys = append(keys, "srcp_"+c)
	}
	for _, it := range (crawler.CheckReport{}).Checklist {
		keys = append(keys, "chk_"+it.Key)
	}
	for _, k := range []string{"attribution", "attribution_url", "email_allowed", "apply_via_listing", "show_behind_signup",
		"min_poll_interval", "publication_delay", "schedule", "notes"} {
		keys = append(keys, "chk_"+k)
	}
	for _, h := range []string{crawler.HealthOK, crawler.HealthDegraded, crawler.HealthBroken} {
		keys = append(keys, "health_"+h)
	}
	for _, l := range localeValues {
		for _, k := range keys {
			if messages[l][k] == "" {
				t.Errorf("locale %s lacks %q", l, k)
			}
		}
	}
}

// TestOfficerSourcesInBrowser: an officer opens the sources page from the
// search page on a phone-sized window, checks a partner's careers page,
// sees what would be read, adds it, and finds it in the list.
func TestOfficerSourcesInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e, good, _ := sourcesEnv(t)
	b := browser.Start(t)
	dir := t.TempDir()
	must(t, b.Resize(390, 844))
	must(t, b.Go(e.srv.URL+"/officers?lang=fr"))
	must(t, b.WaitFor("#login", 10*time.Second))
	must(t, b.Type("#f-token", srcOffTok))
	must(t, b.Click("#login"))
	must(t, b.WaitFor("#sources-link", 10*time.Second))
	must(t, b.Click("#sources-link"))
	must(t, b.WaitFor("#check-form", 10*time.Second))
	must(t, b.Type("#f-src_url", good))
	must(t, b.Type("#f-src_name", "oriental-data-lab"))
	must(t, b.Click("#check"))
	must(t, b.WaitFor("#check-result", 15*time.Second))
	if s := text(t, b, "#sample"); !strings.Contains(s, "Data Analyst junior") || !strings.Contains(s, "Oujda") {
		t.Errorf("dry run sample = %q", s)
	}
	shot(t, b, dir, "officer-sources-check")
	must(t, b.Click("#add"))
	must(t, b.WaitFor("#notice", 15*time.Second))
	if s := text(t, b, `#sources tr[data-source="oriental-data-lab"]`); !strings.Contains(s, "Career center") {
		t.Errorf("added row = %q", s)
	}
	shot(t, b, dir, "officer-sources-added")
}
