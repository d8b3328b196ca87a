package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/profiles"
)

// FuzzForms feeds arbitrary form bodies to the three form parsers: they
// must not panic, and whatever they accept must pass the domain rules.
func FuzzForms(f *testing.F) {
	f.Add(profileForm("tok", nil).Encode())
	f.Add(offerForm(nil).Encode())
	f.Add("q=python&skills=SQL,%20R&skill=Go&city=Oujda&year=2025&language=fr&availability=2026-01-31&page=2")
	f.Add("eligibility=MA%2C+Mars%2C+UTC%2B1&country=%D8%A7%D9%84%D9%85%D8%BA%D8%B1%D8%A8&apply_url=mailto%3A")
	f.Add("skills=%C3%A9%2C%2C%3B%0A&languages=FR%2Car&graduation_year=-1&available_now=1&frequency=instant&frequency=off&locale=ar")
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		old := profiles.Profile{ID: "g-1", Email: "a@b.org"}
		p, view, errs := parseProfileForm(v, old, now)
		if view == nil {
			t.Fatal("nil view")
		}
		if len(errs) == 0 {
			if err := p.Validate(); err != nil {
				t.Errorf("accepted profile is invalid: %v (%+v)", err, p)
			}
			if p.ID != "g-1" || p.Email != "a@b.org" {
				t.Errorf("form changed id or e-mail: %+v", p)
			}
		}
		o, _, oerrs := parseOfferForm(v)
		if len(oerrs) == 0 {
			o.ID = "web-x"
			if err := o.Validate(); err != nil {
				t.Errorf("accepted offer is invalid: %v (%+v)", err, o)
			}
		}
		q, probs := parseProfileQuery(v, "language")
		if len(probs) == 0 && (q.GraduationYear < 0 || q.Limit < 0 || q.Offset < 0 || !q.OnlySearchable) {
			t.Errorf("accepted query %+v", q)
		}
		for _, s := range splitList(raw) {
			if s == "" || strings.TrimSpace(s) != s {
				t.Errorf("splitList item %q", s)
			}
		}
	})
}

// FuzzTokens: profile link tokens and session cookies from outside are
// never accepted unless made with the secret.
func FuzzTokens(f *testing.F) {
	pl := NewProfileLinks(testSecret, time.Hour)
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	good := pl.MakeAt("g-1", now)
	s := New(Config{OfficerTokens: map[string]string{offTok: "x"}, SessionSecret: testSecret, Now: func() time.Time { return now }, Logger: discardLogger()}, Deps{})
	session := s.newSession(roleOfficer, offTok, who{name: "x"})
	f.Add(good)
	f.Add(session)
	f.Add("Zy0x.zz.AAAA")
	f.Add("..")
	f.Fuzz(func(t *testing.T, tok string) {
		if id, ok := pl.VerifyAt(tok, now); ok && (tok != good || id != "g-1") {
			t.Errorf("forged profile token %q accepted for %q", tok, id)
		}
		if _, ok := s.session(roleOfficer, tok); ok && tok != session {
			t.Errorf("forged session %q accepted", tok)
		}
		if _, ok := s.session(roleRecruiter, tok); ok {
			t.Errorf("officer or forged session %q accepted as recruiter", tok)
		}
	})
}
