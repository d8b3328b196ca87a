package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/jobs"
)

// A graduate's "my matches": every offer matched to them, e-mailed or
// not, best first; an offer whose source forbids showing it behind a
// sign-in is not listed; "not interested" hides it for good and is kept
// as feedback; the filters keep remote offers or offers in Morocco.
func TestMyMatches(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, Mailpit and HTTP servers")
	}
	h := newHarness(t)
	a, _ := h.start(nil)
	ctx := context.Background()
	importDemoProfiles(t, a)
	mk := func(id, title string, terms jobs.Terms) jobs.Offer {
		o := analystOffer("board", id, title, terms)
		o.Salary = &jobs.Salary{Min: 8000, Max: 10000, Currency: "MAD", Period: "month"}
		return o
	}
	for _, o := range []jobs.Offer{
		mk("1", "Data analyst junior Oujda", jobs.Terms{Attribution: "Board", EmailAllowed: false, ShowBehindSignup: true}),
		mk("2", "Analyste BI junior Oujda", jobs.Terms{Attribution: "Board", EmailAllowed: true, ShowBehindSignup: false}),
	} {
		if err := a.PublishOffer(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, a)
	tok := a.profileLinks.Make("g-salma-demo")
	if p, err := a.repo.ByEmail(ctx, "salma.demo@example.org"); err == nil {
		tok = a.profileLinks.Make(p.ID)
	}
	b := newBrowserless(t)
	base := "http://" + a.HTTPAddr() + "/profile/matches?lang=fr&token=" + url.QueryEscape(tok)
	code, page, _ := b.get(base)
	if code != http.StatusOK {
		t.Fatalf("my matches: %d\n%s", code, page)
	}
	if !strings.Contains(page, "Data analyst junior Oujda") {
		t.Errorf("the offer that may not be e-mailed is not on the page either:\n%s", page)
	}
	if strings.Contains(page, "Analyste BI junior Oujda") {
		t.Errorf("an offer whose source forbids showing it behind a sign-in is listed")
	}
	if !strings.Contains(page, "Salaire : 8\u202f000–10\u202f000 MAD / mois") || !strings.Contains(page, `href="https://board.example/jobs/1"`) {
		t.Errorf("salary or listing link missing")
	}
	if code, page, _ := b.get(base + "&where=remote"); code != 200 || strings.Contains(page, "Data analyst junior Oujda") {
		t.Errorf("remote filter kept an onsite offer")
	}
	if _, page, _ := b.get(base + "&where=ma"); !strings.Contains(page, "Data analyst junior Oujda") {
		t.Errorf("Morocco filter dropped an offer in Oujda")
	}
	// Each offer has its own page; an offer the source forbids showing, or
	// an unknown one, has none.
	offerURL := "http://" + a.HTTPAddr() + "/profile/offer?lang=fr&token=" + url.QueryEscape(tok) + "&id="
	if code, op, _ := b.get(offerURL + url.QueryEscape("board:1")); code != 200 || !strings.Contains(op, "Data analyst junior Oujda") || !strings.Contains(op, "MAD / mois") {
		t.Errorf("offer page: %d", code)
	}
	for _, id := range []string{"board:2", "nope"} {
		if code, _, _ := b.get(offerURL + url.QueryEscape(id)); code != http.StatusNotFound {
			t.Errorf("offer page of %s: %d, want 404", id, code)
		}
	}
	form := url.Values{"csrf": {csrfOf(t, page)}, "token": {tok}, "offer": {"board:1"}}
	if code, _, hdr := b.post("http://"+a.HTTPAddr()+"/profile/matches/hide?lang=fr", form); code != http.StatusSeeOther {
		t.Fatalf("not interested: %d %v", code, hdr)
	}
	if _, page, _ := b.get(base); strings.Contains(page, "Data analyst junior Oujda") {
		t.Errorf("a hidden offer is still listed")
	}
	form.Set("csrf", "forged")
	form.Set("offer", "board:2")
	if code, _, _ := b.post("http://"+a.HTTPAddr()+"/profile/matches/hide?lang=fr", form); code != http.StatusForbidden {
		t.Errorf("hide without a valid CSRF token: %d, want 403", code)
	}

	// My data: everything held, as a JSON file.
	code, body, hdr := b.get("http://" + a.HTTPAddr() + "/profile/data?token=" + url.QueryEscape(tok))
	if code != http.StatusOK || !strings.Contains(hdr.Get("Content-Disposition"), "attachment") {
		t.Fatalf("my data: %d %v", code, hdr)
	}
	var d MyData
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("my data is not JSON: %v", err)
	}
	if d.Profile.Email != "salma.demo@example.org" || len(d.Matches) < 2 || len(d.ConsentHistory) == 0 || len(d.AlertsSent) == 0 {
		t.Errorf("my data lacks something: email %q, %d matches, %d consent versions, %d alerts sent",
			d.Profile.Email, len(d.Matches), len(d.ConsentHistory), len(d.AlertsSent))
	}
	if len(d.Feedback) != 1 || d.Feedback[0].OfferID != "board:1" || d.Feedback[0].Verdict != "not_interested" {
		t.Errorf("feedback in my data: %+v", d.Feedback)
	}

	// Erase me: a confirmation page, then everything goes and a mail says so.
	mailsBefore := countMails(t, h.mp)
	_, page, _ = b.get("http://" + a.HTTPAddr() + "/profile/erase?lang=fr&token=" + url.QueryEscape(tok))
	form = url.Values{"csrf": {csrfOf(t, page)}, "token": {tok}}
	if code, page, _ := b.post("http://"+a.HTTPAddr()+"/profile/erase?lang=fr", form); code != http.StatusOK || !strings.Contains(page, `id="notice"`) {
		t.Fatalf("erase: %d\n%s", code, page)
	}
	if _, err := a.repo.ByEmail(ctx, "salma.demo@example.org"); err == nil {
		t.Error("the profile is still there after erasure")
	}
	sums, err := h.mp.WaitFor(ctx, mailsBefore+1, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := h.mp.Message(ctx, sums[0].ID); err != nil || !strings.Contains(m.Subject, "effacées") || m.To[0].Address != "salma.demo@example.org" {
		t.Errorf("no erasure confirmation mail: %v %+v", err, m)
	}
	if code, _, _ := b.get(base); code == http.StatusOK {
		t.Error("the profile link still opens the matches after erasure")
	}
	if fb, err := a.js.KeyValue(ctx, bus.KVFeedback); err == nil {
		if keys, err := fb.ListKeys(ctx); err == nil {
			for k := range keys.Keys() {
				t.Errorf("feedback key %s left after erasure", k)
			}
		}
	}
}
