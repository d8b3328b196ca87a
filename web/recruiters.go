package web

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/passerelle/passerelle/jobs"
)

var (
	offerWorkplaces  = []string{string(jobs.Onsite), string(jobs.Hybrid), string(jobs.Remote)}
	offerSeniorities = []string{jobs.SeniorityInternship, jobs.SeniorityJunior, jobs.SeniorityMid, jobs.SenioritySenior, jobs.SeniorityLead}
)

// offerFormView is the recruiter form as typed.
type offerFormView struct {
	Title, Description, City, Country, Workplace, Seniority, Eligibility, ApplyURL string
	Employment                                                                     []string
	// Posted is the confirmation: the id and title of the queued offer.
	PostedID, PostedTitle string
}

func (s *Server) offerFormPage(w http.ResponseWriter, r *http.Request) {
	l := locale(r)
	name, binding, ok := s.auth(r, roleRecruiter)
	if !ok {
		http.Redirect(w, r, "/recruiters/login?lang="+l, http.StatusSeeOther)
		return
	}
	d := pageData{L: l, Self: "/recruiters/offers/new", User: name, OfferForm: &offerFormView{}}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), binding)
	s.render(w, http.StatusOK, "offer_form.html", d)
}

func (s *Server) offerFormPost(w http.ResponseWriter, r *http.Request) {
	l := locale(r)
	name, binding, ok := s.auth(r, roleRecruiter)
	if !ok {
		http.Redirect(w, r, "/recruiters/login?lang="+l, http.StatusSeeOther)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	o, view, errs := parseOfferForm(r.PostForm)
	d := pageData{L: l, Self: "/recruiters/offers/new", User: name, OfferForm: view, Errors: errs}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), binding)
	if !s.checkCSRF(r, binding) {
		d.Errors = map[string]string{"": "err_csrf"}
		s.render(w, http.StatusForbidden, "offer_form.html", d)
		return
	}
	if len(errs) > 0 {
		s.render(w, http.StatusUnprocessableEntity, "offer_form.html", d)
		return
	}
	o.ID = "web-" + strings.ToLower(rand.Text()[:16])
	if err := s.acceptOffer(r.Context(), name, &o); err != nil {
		var fe *jobs.FieldError
		if errors.As(err, &fe) {
			f := offerFormField(fe.Field)
			d.Errors[f] = "err_offer_" + f
			if f == "" {
				d.Errors[""] = "err_invalid"
			}
			s.render(w, http.StatusUnprocessableEntity, "offer_form.html", d)
			return
		}
		d.Errors[""] = "err_not_queued"
		s.render(w, http.StatusServiceUnavailable, "offer_form.html", d)
		return
	}
	http.Redirect(w, r, "/recruiters/offers/posted?"+url.Values{"id": {o.ID}, "lang": {l}}.Encode(), http.StatusSeeOther)
}

// offerFormField maps a jobs.FieldError field to the form control that
// edits it ("" for none).
func offerFormField(f string) string {
	switch {
	case f == "title", f == "company", f == "description", f == "workplace", f == "employment", f == "seniority", f == "apply_url":
		return f
	case strings.HasPrefix(f, "locations"):
		return "country"
	case strings.HasPrefix(f, "eligibility"):
		return "eligibility"
	}
	return ""
}

// offerPostedPage confirms a queued offer to the recruiter who posted it.
func (s *Server) offerPostedPage(w http.ResponseWriter, r *http.Request) {
	l := locale(r)
	name, _, ok := s.auth(r, roleRecruiter)
	if !ok {
		http.Redirect(w, r, "/recruiters/login?lang="+l, http.StatusSeeOther)
		return
	}
	id := r.URL.Query().Get("id")
	v := &offerFormView{}
	prefix := "recruiter-" + RecruiterSlug(name) + ":"
	if strings.HasPrefix(id, prefix) && len(id) <= 256 {
		v.PostedID = id
		s.mu.Lock()
		for _, o := range s.recent {
			if o.ID == id {
				v.PostedTitle = o.Title
			}
		}
		s.mu.Unlock()
	}
	s.render(w, http.StatusOK, "offer_posted.html", pageData{L: l, Self: "/recruiters/offers/new", User: name, OfferForm: v})
}

// parseOfferForm reads the recruiter form into an offer (without id) and
// returns the form as typed and field problems as message keys. Rules of
// jobs.Offer.Validate are checked again by acceptOffer.
func parseOfferForm(v url.Values) (jobs.Offer, *offerFormView, map[string]string) {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	view := &offerFormView{
		Title: get("title"), Description: get("description"),
		City: get("city"), Country: get("country"), Workplace: get("workplace"),
		Seniority: get("seniority"), Eligibility: get("eligibility"), ApplyURL: get("apply_url"),
		Employment: v["employment"],
	}
	errs := map[string]string{}
	text := func(name, val string, limit int, required bool) {
		switch {
		case required && val == "":
			errs[name] = "err_required"
		case len(val) > limit || !utf8.ValidString(val):
			errs[name] = "err_too_long"
		}
	}
	text("title", view.Title, jobs.MaxTitleLen, true)
	text("description", view.Description, jobs.MaxDescriptionLen, true)
	text("city", view.City, 100, false)
	// The company is the account's (acceptOffer): the form shows it and
	// takes none.
	o := jobs.Offer{Title: view.Title, Description: view.Description, ApplyURL: view.ApplyURL}
	loc := jobs.Location{City: view.City}
	if view.Country != "" {
		if cc, ok := jobs.CountryCode(view.Country); ok {
			loc.Country = cc
		} else {
			errs["country"] = "err_country"
		}
	}
	if loc.City != "" || loc.Country != "" {
		o.Locations = []jobs.Location{loc}
	}
	switch {
	case view.Workplace == "":
	case slices.Contains(offerWorkplaces, view.Workplace):
		o.Workplace = jobs.Workplace(view.Workplace)
	default:
		errs["workplace"] = "err_choice"
	}
	switch {
	case view.Seniority == "":
	case slices.Contains(offerSeniorities, view.Seniority):
		o.Seniority = view.Seniority
	default:
		errs["seniority"] = "err_choice"
	}
	for _, e := range view.Employment {
		if !slices.Contains(employmentValues, e) {
			errs["employment"] = "err_choice"
		} else if !slices.Contains(o.Employment, e) {
			o.Employment = append(o.Employment, e)
		}
	}
	if view.Eligibility != "" {
		el, ok := parseEligibilityList(view.Eligibility)
		if !ok {
			errs["eligibility"] = "err_eligibility"
		}
		o.Eligibility = el
	}
	if u := view.ApplyURL; u != "" {
		// An e-mail address typed as such is a mailto link.
		if !strings.Contains(u, ":") && emailProblem(u) == "" {
			u = "mailto:" + u
			o.ApplyURL = u
		}
		p, err := url.Parse(u)
		if len(u) > 2000 || err != nil || !((p.Scheme == "https" || p.Scheme == "http") && p.Host != "" || p.Scheme == "mailto" && p.Opaque != "") {
			errs["apply_url"] = "err_url"
		}
	}
	return o, view, errs
}

// parseEligibilityList reads "MA, France, EMEA, worldwide": each item is a
// country (code or name in en/fr/ar), a region or "worldwide"; ok is false
// when an item is none of these.
func parseEligibilityList(s string) (jobs.Eligibility, bool) {
	var e jobs.Eligibility
	ok := true
	items := splitList(s)
	if len(items) > jobs.MaxListLen {
		return e, false
	}
	for _, it := range items {
		if cc, found := jobs.CountryCode(it); found {
			if !slices.Contains(e.Countries, cc) {
				e.Countries = append(e.Countries, cc)
			}
			continue
		}
		p := jobs.ParseEligibility(it)
		if !p.Known || p.UTCOffsetMin != nil || p.UTCOffsetMax != nil {
			ok = false
			continue
		}
		e.Worldwide = e.Worldwide || p.Worldwide
		for _, c := range p.Countries {
			if !slices.Contains(e.Countries, c) {
				e.Countries = append(e.Countries, c)
			}
		}
		for _, r := range p.Regions {
			if !slices.Contains(e.Regions, r) {
				e.Regions = append(e.Regions, r)
			}
		}
	}
	e.Known = e.Worldwide || len(e.Countries) > 0 || len(e.Regions) > 0
	return e, ok && e.Known
}

// OfferCloser closes a recruiter's offer: no more mail about it, and it
// leaves the graduates' lists (offers.closed). The OfferPublisher given
// in Deps.Offers implements it when closing is possible.
type OfferCloser interface {
	CloseOffer(ctx context.Context, offerID string) error
}

// closeOffer is POST /api/offers/{id}/close: a recruiter closes one of
// their own offers (the id they posted, with or without the namespace
// Passerelle added). Closing is idempotent; an id never posted closes
// nothing anyone sees.
func (s *Server) closeOffer(w http.ResponseWriter, r *http.Request) {
	name, ok := s.requireBearer(w, r, roleRecruiter, "a valid recruiter token is required (Authorization: Bearer <token>)")
	if !ok {
		return
	}
	cl, ok := s.deps.Offers.(OfferCloser)
	if !ok {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "offers cannot be closed by this process"})
		return
	}
	id := strings.TrimSpace(r.PathValue("id"))
	if id == "" || len(id) > 256 || !utf8.ValidString(id) {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "id: your reference of the offer, at most 256 characters", Field: "id"})
		return
	}
	// Namespaced as when it was posted: a recruiter reaches only their own.
	if prefix := recruiterPrefix(name); !strings.HasPrefix(id, prefix) {
		id = prefix + id
	}
	if err := cl.CloseOffer(r.Context(), id); err != nil {
		s.cfg.Logger.Error("close recruiter offer", "offer_id", id, "err", err)
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "the offer could not be closed; try again"})
		return
	}
	s.forgetRecent(id)
	s.cfg.Logger.Info("recruiter offer closed", "offer_id", id, "recruiter", name)
	writeJSON(w, http.StatusAccepted, map[string]any{"id": id, "closed": true})
}

// forgetRecent drops a closed offer from the offers posted to this
// process (the home page's fallback list).
func (s *Server) forgetRecent(id string) {
	s.mu.Lock()
	s.recent = slices.DeleteFunc(s.recent, func(o jobs.Offer) bool { return o.ID == id })
	s.mu.Unlock()
}
