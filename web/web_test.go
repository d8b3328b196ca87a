package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/browser"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/notifier"
)

type recordingPublisher struct {
	mu     sync.Mutex
	offers []jobs.Offer
	fail   error
}

func (p *recordingPublisher) PublishOffer(_ context.Context, o jobs.Offer) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return p.fail
	}
	p.offers = append(p.offers, o)
	return nil
}

type recordingUnsub struct {
	mu  sync.Mutex
	ids []string
}

func (u *recordingUnsub) Unsubscribe(_ context.Context, id string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.ids = append(u.ids, id)
	return nil
}

func newTestServer(t *testing.T) (*httptest.Server, *recordingPublisher, *recordingUnsub, notifier.Tokens) {
	t.Helper()
	e := newEnv(t, nil)
	return e.srv, e.pub, e.unsub, e.unsubTokens
}

func TestHTTPScenarios(t *testing.T) {
	srv, pub, un, tokens := newTestServer(t)
	good := tokens.Make("g-1")
	for _, tc := range []struct {
		name, method, path, token, body, contentType string
		status                                       int
		contains, notContains                        []string
	}{
		{name: "health", method: "GET", path: "/healthz", status: 200, contains: []string{"ok"}},
		{name: "home in French by default", method: "GET", path: "/", status: 200, contains: []string{`lang="fr"`, "Des offres que vous pouvez vraiment prendre"}},
		{name: "home in Arabic is right-to-left", method: "GET", path: "/?lang=ar", status: 200, contains: []string{`dir="rtl"`}},
		{name: "offer without token", method: "POST", path: "/api/offers", body: `{"id":"1","title":"Data analyst"}`, status: 401},
		{name: "offer with officer token", method: "POST", path: "/api/offers", token: offTok, body: `{"id":"1","title":"Data analyst"}`, status: 401},
		{name: "offer not JSON", method: "POST", path: "/api/offers", token: recTok, body: `title=x`, status: 400, contains: []string{"not a valid Offer JSON"}},
		{name: "offer unknown field", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1","title":"x","salaire":3}`, status: 400, contains: []string{"salaire"}},
		{name: "offer missing title", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1"}`, status: 400, contains: []string{`"field":"title"`}},
		{name: "offer missing id", method: "POST", path: "/api/offers", token: recTok, body: `{"title":"x"}`, status: 400, contains: []string{`"field":"id"`}},
		{name: "offer wrong type", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1","title":"x","employment":"full_time"}`, status: 400, contains: []string{"employment"}},
		{name: "offer bad country", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1","title":"x","locations":[{"city":"Oujda","country":"Morocco"}]}`, status: 400, contains: []string{"locations[0].country"}},
		{name: "offer too large", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1","title":"x","description":"` + strings.Repeat("a", 5000) + `"}`, status: 413},
		{name: "offer as a form", method: "POST", path: "/api/offers", token: recTok, contentType: "application/x-www-form-urlencoded", body: `{"id":"1","title":"x"}`, status: 415},
		{name: "offer without content type", method: "POST", path: "/api/offers", token: recTok, contentType: "-", body: `{"id":"1","title":"x"}`, status: 415},
		{name: "offer with trailing garbage", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1","title":"x"}garbage`, status: 400, contains: []string{"nothing after it"}},
		{name: "offer body an array", method: "POST", path: "/api/offers", token: recTok, body: `[{"id":"1"}]`, status: 400, contains: []string{"must be one Offer JSON object, not a JSON array"}},
		{name: "offer field of the wrong type", method: "POST", path: "/api/offers", token: recTok, body: `{"id":123}`, status: 400, contains: []string{"id: must be string"}},
		{name: "offer with a second object", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1","title":"x"} {"id":"2","title":"y"}`, status: 400},
		{name: "offer with a fingerprint", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1","title":"x","fingerprint":"abc"}`, status: 400, contains: []string{`"field":"fingerprint"`}},
		{name: "offer with its own terms", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1","title":"x","terms":{"attribution":"Remote OK","email_allowed":true}}`, status: 400, contains: []string{`"field":"terms"`}},
		{name: "offer for another company", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1","title":"x","company":"Rival SARL"}`, status: 400, contains: []string{`"field":"company"`}},
		{name: "offer with a huge list", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1","title":"x","languages":[` + strings.Repeat(`"fr",`, 400) + `"fr"]}`, status: 400, contains: []string{`"field":"languages"`}},
		{name: "offer posted in year 1", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1","title":"x","posted_at":"0001-01-01T00:00:00Z"}`, status: 400, contains: []string{`"field":"posted_at"`}},
		{name: "offer valid until 9999", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"1","title":"x","valid_through":"9999-12-31T00:00:00Z"}`, status: 400, contains: []string{`"field":"valid_through"`}},
		{name: "offer accepted", method: "POST", path: "/api/offers", token: recTok, body: `{"id":"bi-1","title":"Analyste BI","description":"SQL et Power BI à Oujda","locations":[{"city":"Oujda","country":"MA"}],"workplace":"onsite","company":"ACME rh"}`, status: 202, contains: []string{`"id":"recruiter-acme-rh:bi-1"`}},
		{name: "unsubscribe page, valid token", method: "GET", path: "/unsubscribe?token=" + url.QueryEscape(good), status: 200, contains: []string{"Me désabonner"}},
		{name: "unsubscribe page, forged token", method: "GET", path: "/unsubscribe?token=abc", status: 400, contains: []string{"pas valide"}},
		{name: "one-click unsubscribe", method: "POST", path: "/unsubscribe?token=" + url.QueryEscape(good), body: "List-Unsubscribe=One-Click", status: 200, contains: []string{"vous ne recevrez plus"}},
		{name: "search needs officer", method: "GET", path: "/api/profiles?city=Oujda", token: recTok, status: 401},
		{name: "search by city and skill", method: "GET", path: "/api/profiles?city=oujda&skill=python", token: offTok, status: 200, contains: []string{`"total":1`, "Salma"}, notContains: []string{"Hidden"}},
		{name: "search bad year", method: "GET", path: "/api/profiles?year=abc", token: offTok, status: 400, contains: []string{"year"}},
		{name: "export csv", method: "GET", path: "/api/profiles/export.csv?city=Oujda", token: offTok, status: 200, contains: []string{"Salma"}, notContains: []string{"Hidden"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			switch {
			case strings.HasPrefix(tc.body, "List-"):
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			case tc.contentType == "-": // none
			case tc.contentType != "":
				req.Header.Set("Content-Type", tc.contentType)
			case tc.path == "/api/offers":
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body: %s", resp.StatusCode, tc.status, b)
			}
			for _, c := range tc.contains {
				if !strings.Contains(string(b), c) {
					t.Errorf("body lacks %q: %s", c, b)
				}
			}
			for _, c := range tc.notContains {
				if strings.Contains(string(b), c) {
					t.Errorf("body contains %q: %s", c, b)
				}
			}
		})
	}
	if len(pub.offers) != 1 || pub.offers[0].Source != "recruiter-acme-rh" || pub.offers[0].Terms.Attribution != "Acme RH" {
		t.Errorf("published offers = %+v", pub.offers)
	}
	if len(un.ids) != 1 || un.ids[0] != "g-1" {
		t.Errorf("unsubscribed = %v, want [g-1]", un.ids)
	}
}

func TestPublishFailureIs503(t *testing.T) {
	srv, pub, _, _ := newTestServer(t)
	pub.fail = errors.New("nats down")
	req, _ := http.NewRequest("POST", srv.URL+"/api/offers", strings.NewReader(`{"id":"1","title":"x"}`))
	req.Header.Set("Authorization", "Bearer "+recTok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || strings.Contains(string(b), "nats down") {
		t.Errorf("status %d body %s: want 503 without internal detail", resp.StatusCode, b)
	}
}

// TestUnsubscribeInBrowser follows the e-mail's unsubscribe link in a real
// headless Chromium, clicks the button, and checks the confirmation.
func TestUnsubscribeInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	srv, _, un, tokens := newTestServer(t)
	b := browser.Start(t)
	// The browser asks for English (Accept-Language); the link in a French
	// e-mail carries lang=fr, which wins and is kept through the form.
	if err := b.Go(srv.URL + "/unsubscribe?lang=fr&token=" + url.QueryEscape(tokens.Make("g-1"))); err != nil {
		t.Fatal(err)
	}
	if err := b.Click("#unsubscribe"); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitFor("#done", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	txt, err := b.Text("#done")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(txt, "vous ne recevrez plus d'alertes") {
		t.Errorf("confirmation text = %q", txt)
	}
	if len(un.ids) != 1 || un.ids[0] != "g-1" {
		t.Errorf("unsubscribed = %v, want [g-1]", un.ids)
	}
	// A forged link shows the error page, in Arabic when asked, right to left.
	if err := b.Go(srv.URL + "/unsubscribe?lang=ar&token=forged"); err != nil {
		t.Fatal(err)
	}
	if dir, _ := b.Attr("html", "dir"); dir != "rtl" {
		t.Errorf("Arabic page dir = %q, want rtl", dir)
	}
	if _, err := b.Text("#bad"); err != nil {
		t.Errorf("forged token page: %v", err)
	}
}
