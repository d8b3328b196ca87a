package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/passerelle/passerelle/jobs"
)

// RecruiterOffer is one offer a recruiter posted, as their list shows it.
type RecruiterOffer struct {
	Offer    jobs.Offer
	PostedAt time.Time
	Closed   bool
}

// RecruiterOfferLister lists the offers whose id starts with prefix (one
// recruiter's namespace), newest first, at most limit.
type RecruiterOfferLister interface {
	RecruiterOffers(ctx context.Context, prefix string, limit int) ([]RecruiterOffer, error)
}

// maxRecruiterOffers bounds a recruiter's list.
const maxRecruiterOffers = 200

// recruiterOffersView is the "my offers" page of a recruiter.
type recruiterOffersView struct {
	Rows []recruiterOfferRow
	// Closed names the offer just closed (a banner), if any.
	Closed string
}

type recruiterOfferRow struct {
	ID, Title, Where, Workplace, Posted string
	Closed                              bool
}

func recruiterPrefix(name string) string { return "recruiter-" + RecruiterSlug(name) + ":" }

// recruiterOffersPage is GET /recruiters/offers: the offers this
// recruiter posted, open or closed, each open one with a button to close
// it (no more mail about it; it leaves the graduates' lists).
func (s *Server) recruiterOffersPage(w http.ResponseWriter, r *http.Request) {
	l := locale(r)
	name, binding, ok := s.auth(r, roleRecruiter)
	if !ok {
		http.Redirect(w, r, "/recruiters/login?lang="+l, http.StatusSeeOther)
		return
	}
	d := pageData{L: l, Self: "/recruiters/offers", User: name}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), binding)
	view := &recruiterOffersView{}
	if id := r.URL.Query().Get("closed"); strings.HasPrefix(id, recruiterPrefix(name)) {
		view.Closed = strings.TrimPrefix(id, recruiterPrefix(name))
		d.Notice = "rec_closed_notice"
	}
	if lister := s.deps.RecruiterOffers; lister == nil {
		d.Errors = map[string]string{"": "err_unavailable"}
	} else {
		offers, err := lister.RecruiterOffers(r.Context(), recruiterPrefix(name), maxRecruiterOffers)
		if err != nil {
			s.cfg.Logger.Error("recruiter offers", "recruiter", name, "err", err)
			d.Errors = map[string]string{"": "err_unavailable"}
		}
		for _, ro := range offers {
			ov := viewOffer(ro.Offer)
			row := recruiterOfferRow{ID: strings.TrimPrefix(ro.Offer.ID, recruiterPrefix(name)), Title: ov.Title,
				Where: ov.Places, Workplace: ov.Workplace, Closed: ro.Closed}
			if !ro.PostedAt.IsZero() {
				row.Posted = ro.PostedAt.Format("2006-01-02")
			}
			view.Rows = append(view.Rows, row)
		}
	}
	d.RecruiterOffers = view
	status := http.StatusOK
	if d.Errors != nil {
		status = http.StatusServiceUnavailable
	}
	s.render(w, status, "recruiter_offers.html", d)
}

// recruiterClosePost is POST /recruiters/offers/close: the page's
// button, with the same rules as POST /api/offers/{id}/close.
func (s *Server) recruiterClosePost(w http.ResponseWriter, r *http.Request) {
	l := locale(r)
	name, binding, ok := s.auth(r, roleRecruiter)
	if !ok {
		http.Redirect(w, r, "/recruiters/login?lang="+l, http.StatusSeeOther)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	if !s.checkCSRF(r, binding) {
		s.fail(w, r, http.StatusForbidden, "err_csrf")
		return
	}
	cl, ok := s.deps.Offers.(OfferCloser)
	id := strings.TrimSpace(r.PostForm.Get("id"))
	if !ok || id == "" || len(id) > 256 || !utf8.ValidString(id) {
		s.fail(w, r, http.StatusBadRequest, "err_invalid")
		return
	}
	// Namespaced: a recruiter reaches only their own offers.
	if !strings.HasPrefix(id, recruiterPrefix(name)) {
		id = recruiterPrefix(name) + id
	}
	if err := cl.CloseOffer(r.Context(), id); err != nil {
		s.cfg.Logger.Error("close recruiter offer", "offer_id", id, "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	s.forgetRecent(id)
	s.cfg.Logger.Info("recruiter offer closed", "offer_id", id, "recruiter", name, "via", "page")
	http.Redirect(w, r, "/recruiters/offers?"+url.Values{"closed": {id}, "lang": {l}}.Encode(), http.StatusSeeOther)
}

// recruiterOfferJSON is one offer in GET /api/offers.
type recruiterOfferJSON struct {
	// ID is the recruiter's own reference (as posted, without the
	// namespace Passerelle adds); OfferID is Passerelle's.
	ID       string     `json:"id"`
	OfferID  string     `json:"offer_id"`
	Title    string     `json:"title"`
	PostedAt *time.Time `json:"posted_at,omitempty"`
	Closed   bool       `json:"closed"`
}

// listRecruiterOffers is GET /api/offers: the offers the calling recruiter
// posted in the last 45 days, newest first (at most 200), open or closed.
func (s *Server) listRecruiterOffers(w http.ResponseWriter, r *http.Request) {
	name, ok := s.requireBearer(w, r, roleRecruiter, "a valid recruiter token is required (Authorization: Bearer <token>)")
	if !ok {
		return
	}
	if s.deps.RecruiterOffers == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "offers cannot be listed by this process"})
		return
	}
	offers, err := s.deps.RecruiterOffers.RecruiterOffers(r.Context(), recruiterPrefix(name), maxRecruiterOffers)
	if err != nil {
		s.cfg.Logger.Error("recruiter offers", "recruiter", name, "err", err)
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "the offers could not be read; try again"})
		return
	}
	out := make([]recruiterOfferJSON, 0, len(offers))
	for _, ro := range offers {
		j := recruiterOfferJSON{ID: strings.TrimPrefix(ro.Offer.ID, recruiterPrefix(name)), OfferID: ro.Offer.ID, Title: ro.Offer.Title, Closed: ro.Closed}
		if !ro.PostedAt.IsZero() {
			t := ro.PostedAt.UTC()
			j.PostedAt = &t
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"offers": out})
}
