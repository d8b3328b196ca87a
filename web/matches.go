package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
)

// MatchLister gives a graduate's matches (best first, without the hidden
// ones) and records "not interested".
type MatchLister interface {
	MatchesFor(ctx context.Context, profileID string) ([]matcher.Match, error)
	HideMatch(ctx context.Context, profileID, offerID string) error
}

// matchItem is one offer on "my matches".
type matchItem struct {
	notifier.MatchView
	OfferID string
	// Description is the ad's text, for an offer with no web link of its
	// own (a recruiter's: the matcher keeps it for them), on its page.
	Description string
	Posted      string
	New         bool // matched since the graduate's last visit
}

// matchesView is the "my matches" page.
type matchesView struct {
	Items []matchItem
	// Partial are the offers that fit only in part (under the web's
	// floor, notifier.DefaultWebMinScore): listed after the others,
	// folded, never mailed.
	Partial []matchItem
	Where   string // "", "remote" or "ma"
	Total   int    // before the filter
	// OnlyNew lists only the offers matched since the last visit
	// (new=1); NewCount counts them (with the where filter).
	OnlyNew  bool
	NewCount int
}

// visibleMatch applies the owners' terms and the offer's own dates: an
// offer whose source does not allow showing it behind a sign-in, or that
// is past its closing date, is not listed.
func visibleMatch(m matcher.Match, now time.Time) bool {
	if m.Offer == nil || !m.Offer.Terms.ShowBehindSignup {
		return false
	}
	if vt := m.Offer.ValidThrough; vt != nil && vt.Before(now) {
		return false
	}
	return true
}

func inMorocco(o *jobs.Offer) bool {
	for _, l := range o.Locations {
		if strings.EqualFold(l.Country, "MA") {
			return true
		}
	}
	return false
}

func (s *Server) matchesPage(w http.ResponseWriter, r *http.Request) {
	tok, l, ms, ok := s.graduateMatches(w, r)
	if !ok {
		return
	}
	v := &matchesView{Where: r.URL.Query().Get("where"), OnlyNew: r.URL.Query().Get("new") == "1"}
	now := s.now()
	since, known := s.matchesSince(r.Context(), s.tokenProfileID(tok))
	for _, m := range ms {
		if !visibleMatch(m, now) {
			continue
		}
		v.Total++
		switch v.Where {
		case "remote":
			if m.Offer.Workplace != jobs.Remote {
				continue
			}
		case "ma":
			if !inMorocco(m.Offer) {
				continue
			}
		}
		it := s.matchItem(l, m)
		it.New = known && m.MatchedAt.After(since)
		if it.New {
			v.NewCount++
		}
		if v.OnlyNew && !it.New {
			continue
		}
		if m.Score < notifier.DefaultWebMinScore {
			v.Partial = append(v.Partial, it)
			continue
		}
		v.Items = append(v.Items, it)
	}
	d := pageData{L: l, Self: matchesPath(tok, ""), Token: tok, Matches: v}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), "matches|"+tok)
	s.render(w, http.StatusOK, "matches.html", d)
}

func (s *Server) hidePost(w http.ResponseWriter, r *http.Request) {
	p, tok, ok := s.graduatePost(w, r, "matches|")
	if !ok {
		return
	}
	offer := r.PostForm.Get("offer")
	if s.deps.Matches == nil || offer == "" || len(offer) > 512 {
		s.fail(w, r, http.StatusBadRequest, "err_bad_form")
		return
	}
	if err := s.deps.Matches.HideMatch(r.Context(), p.ID, offer); err != nil {
		s.cfg.Logger.Error("hide match", "profile_id", p.ID, "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	http.Redirect(w, r, matchesPath(tok, profileLocale(r, p)), http.StatusSeeOther)
}

// offerPage shows one matched offer on its own page (linked from "my
// offers"), with the same reasons and terms.
func (s *Server) offerPage(w http.ResponseWriter, r *http.Request) {
	tok, l, ms, ok := s.graduateMatches(w, r)
	if !ok {
		return
	}
	id := r.URL.Query().Get("id")
	for _, m := range ms {
		if m.OfferID != id || !visibleMatch(m, s.now()) {
			continue
		}
		d := pageData{L: l, Self: "/profile/offer?" + r.URL.Query().Encode(), Token: tok,
			Matches: &matchesView{Items: []matchItem{s.matchItem(l, m)}}}
		d.CSRF = s.csrfToken(s.csrfNonce(w, r), "matches|"+tok)
		s.render(w, http.StatusOK, "offer.html", d)
		return
	}
	s.fail(w, r, http.StatusNotFound, "err_offer_gone")
}

// matchItem renders a visible match (its offer set) for the pages.
func (s *Server) matchItem(l string, m matcher.Match) matchItem {
	var label func(id, locale string) string
	if sm := s.deps.SkillMapper; sm != nil {
		label = sm.Label
	}
	it := matchItem{MatchView: notifier.ViewMatch(l, m, label), OfferID: m.OfferID}
	if m.Offer != nil && m.Offer.PostedAt != nil {
		it.Posted = m.Offer.PostedAt.Format("2006-01-02")
	}
	if m.Offer != nil && it.URL == "" {
		it.Description = m.Offer.Description
	}
	return it
}

// graduatePost is the start of a graduate's form POST: the form parsed,
// the profile of its token opened, its CSRF token (bound to purpose and
// the profile token) checked; each failure is answered here.
func (s *Server) graduatePost(w http.ResponseWriter, r *http.Request, purpose string) (profiles.Profile, string, bool) {
	if !s.parseForm(w, r) {
		return profiles.Profile{}, "", false
	}
	tok := r.PostForm.Get("token")
	p, ok := s.openProfile(w, r, tok)
	if !ok {
		return profiles.Profile{}, "", false
	}
	if !s.checkCSRF(r, purpose+tok) {
		s.fail(w, r, http.StatusForbidden, "err_csrf")
		return profiles.Profile{}, "", false
	}
	return p, tok, true
}

// matchesPath is the address of a graduate's "my offers" page.
func matchesPath(tok, locale string) string {
	return "/profile/matches?" + strings.TrimPrefix(ProfileLinkPath(tok, locale), "/profile?")
}

// graduateMatches opens the profile of the request's token and lists its
// matches, for "my offers" and an offer's page; it answers failures.
func (s *Server) graduateMatches(w http.ResponseWriter, r *http.Request) (tok, l string, ms []matcher.Match, ok bool) {
	tok = r.URL.Query().Get("token")
	p, ok := s.openProfile(w, r, tok)
	if !ok {
		return "", "", nil, false
	}
	if s.deps.Matches == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return "", "", nil, false
	}
	ms, err := s.deps.Matches.MatchesFor(r.Context(), p.ID)
	if err != nil {
		s.cfg.Logger.Error("list matches", "profile_id", p.ID, "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return "", "", nil, false
	}
	return tok, profileLocale(r, p), ms, true
}
