package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"t": translate,
	// itemOf pairs a page with one of its matched offers, for the
	// "matchitem" template (my offers, an offer's page).
	"itemOf": func(page pageData, it matchItem) matchItemOf { return matchItemOf{page, it} },
	// tf translates a message with {placeholders}: tf L key "name" value…
	"tf": func(locale, key string, kv ...string) string {
		out := translate(locale, key)
		for i := 0; i+1 < len(kv); i += 2 {
			out = strings.ReplaceAll(out, "{"+kv[i]+"}", kv[i+1])
		}
		return out
	},
	"langURL": langURL,
	"locales": func() []string { return localeValues },
	"list":    func(xs ...string) []string { return xs },
	"join":    func(xs []string) string { return strings.Join(xs, ", ") },
	"required": func(f field) field {
		f.Required = true
		return f
	},
	"seniorityValues":  func() []string { return seniorityValues },
	"employmentValues": func() []string { return employmentValues },
	"workplaceValues":  func() []string { return workplaceValues },
	"frequencyValues":  func() []string { return frequencyValues },
	"localeValues":     func() []string { return localeValues },
	"offerWorkplaces":  func() []string { return offerWorkplaces },
	"offerSeniorities": func() []string { return offerSeniorities },
}).ParseFS(templateFS, "templates/*.html"))

// langURL is self (a path and query) with lang set to l.
func langURL(self, l string) string {
	u, err := url.Parse(self)
	if err != nil || self == "" {
		return "?lang=" + url.QueryEscape(l)
	}
	q := u.Query()
	q.Set("lang", l)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// pageData is what every template receives; each page fills its part.
type pageData struct {
	L string
	// Self is this page's GET address (path and query) for language links.
	Self string
	// CSRF is the token of the page's form(s).
	CSRF string
	// Errors maps a form field to the message key of its problem; the ""
	// key is a problem with the whole form.
	Errors map[string]string
	// Notice is the message key of a status banner.
	Notice string

	Offers  []offerView
	State   string // unsubscribe: confirm | done | bad | failed
	Token   string
	Status  int    // error page
	Message string // error page: message key
	Role    string // login pages
	User    string // logged-in officer or recruiter
	// Scope is the cohorts a scoped placement officer sees (empty: all).
	Scope     []string
	Profile   *profileView
	Search    *searchView
	OfferForm *offerFormView
	// RecruiterOffers is a recruiter's "my offers" page.
	RecruiterOffers *recruiterOffersView
	Email           string
	// LinkCSRF is the token of the "send me my link" form on the join page.
	LinkCSRF string
	// Consent lists the consent layers ticked (join pages).
	Consent []string
	Matches *matchesView
	Market  *marketView
	Import  *importView
}

// Ticked reports whether v is among the consent layers ticked.
func (d pageData) Ticked(v string) bool { return slices.Contains(d.Consent, v) }

// field is one form control as the "input", "textarea", "select",
// "checks" and "radios" templates draw it.
type field struct {
	L, Name, Type, Value, Label, Hint, Err, Auto string
	Required                                     bool
	Max                                          int
	Options                                      []option
}

type option struct {
	Value, Label string // Label is a message key
	Checked      bool
}

// Describe is the aria-describedby value: hint and error ids.
func (f field) Describe() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, "f-"+f.Name+"-hint")
	}
	if f.Err != "" {
		ids = append(ids, "f-"+f.Name+"-err")
	}
	return strings.Join(ids, " ")
}

// Input describes a text-like control; its label is the message "f_"+name
// and its hint "h_"+name when the catalog has one.
func (d pageData) Input(name, typ, value string) field {
	f := field{L: d.L, Name: name, Type: typ, Value: value, Label: "f_" + name, Err: d.Errors[name], Auto: autocomplete[name]}
	if _, ok := messages["fr"]["h_"+name]; ok {
		f.Hint = "h_" + name
	}
	return f
}

// autocomplete hints for browsers and password managers.
var autocomplete = map[string]string{
	"email": "email", "name": "name", "city": "address-level2", "country": "country",
	"token": "current-password", "q": "off", "skills": "off",
}

// Req is Input for a required control.
func (d pageData) Req(name, typ, value string) field {
	f := d.Input(name, typ, value)
	f.Required = true
	return f
}

// Choice describes a select, checkbox or radio group over values, labelled
// by the messages prefix+value.
func (d pageData) Choice(name, prefix string, values, selected []string) field {
	f := d.Input(name, "", "")
	for _, v := range values {
		f.Options = append(f.Options, option{Value: v, Label: prefix + v, Checked: slices.Contains(selected, v)})
	}
	return f
}

func (s *Server) render(w http.ResponseWriter, status int, name string, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, d); err != nil {
		s.cfg.Logger.Error("render page", "page", name, "err", err)
	}
}

// fail renders the error page with a message key and no internal detail.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, status, "error.html", pageData{L: locale(r), Self: r.URL.Path, Status: status, Message: msg})
}

// parseForm limits and parses a form POST; it answers the error itself.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.fail(w, r, http.StatusRequestEntityTooLarge, "err_too_large")
			return false
		}
		s.fail(w, r, http.StatusBadRequest, "err_bad_form")
		return false
	}
	return true
}

// locale picks fr (default), en or ar from ?lang= then Accept-Language.
func locale(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); messages[l] != nil {
		return l
	}
	return acceptLanguage(r)
}

// acceptLanguage is the request's Accept-Language among fr, en and ar
// (fr when none).
func acceptLanguage(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		base, _, _ := strings.Cut(tag, "-")
		if messages[base] != nil {
			return base
		}
	}
	return "fr"
}

// offerView is an offer as the home page lists it.
type offerView struct {
	Title, Company, Link, Places, Workplace, Attribution, Posted string
	// Listing is the offer's page on its source: the attribution links
	// there, named, as the owners ask.
	Listing string
}

func viewOffer(o jobs.Offer) offerView {
	v := offerView{Title: o.Title, Company: o.Company, Workplace: "wp_" + string(o.Workplace), Attribution: o.Terms.Attribution}
	if v.Attribution == "" {
		v.Attribution = o.Source
	}
	if o.Workplace == "" {
		v.Workplace = "wp_unknown"
	}
	links := []string{o.ApplyURL, o.URL}
	if o.Terms.ApplyViaListing {
		links = []string{o.URL} // the source requires applications through its listing
	}
	for _, u := range links {
		if p, err := url.Parse(u); err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != "" {
			v.Link = u
			break
		}
	}
	if p, err := url.Parse(o.URL); err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != "" {
		v.Listing = o.URL
	}
	var places []string
	for _, l := range o.Locations {
		if p := strings.TrimSpace(strings.Join(nonEmpty(l.City, l.Country), ", ")); p != "" {
			places = append(places, p)
		}
	}
	v.Places = strings.Join(places, " · ")
	if o.PostedAt != nil {
		v.Posted = o.PostedAt.Format("2006-01-02")
	}
	return v
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// homeOffers is how many offers the home page lists.
const homeOffers = 20

func (s *Server) latestOffers(ctx context.Context) []jobs.Offer {
	if s.deps.RecentOffers != nil {
		return s.deps.RecentOffers.RecentOffers(ctx, homeOffers)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.recent)
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	var views []offerView
	for _, o := range s.latestOffers(r.Context()) {
		if o.Expired(now) {
			continue
		}
		views = append(views, viewOffer(o))
		if len(views) == homeOffers {
			break
		}
	}
	s.render(w, http.StatusOK, "home.html", pageData{L: locale(r), Self: "/", Offers: views})
}

func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	d := pageData{L: locale(r), Self: "/unsubscribe?" + url.Values{"token": {tok}}.Encode()}
	if _, ok := s.verify(tok); !ok {
		d.State = "bad"
		s.render(w, http.StatusBadRequest, "unsubscribe.html", d)
		return
	}
	d.State, d.Token = "confirm", tok
	s.render(w, http.StatusOK, "unsubscribe.html", d)
}

// unsubscribePost handles both the confirmation form and RFC 8058 one-click
// unsubscribe (List-Unsubscribe-Post), where the token is in the query. It
// takes no CSRF token: mail clients post it without cookies, and the signed
// token itself is the authority a forged request would need.
func (s *Server) unsubscribePost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	tok := r.URL.Query().Get("token")
	if tok == "" {
		tok = r.PostFormValue("token")
	}
	d := pageData{L: locale(r), Self: "/"}
	id, ok := s.verify(tok)
	if !ok {
		d.State = "bad"
		s.render(w, http.StatusBadRequest, "unsubscribe.html", d)
		return
	}
	if s.deps.Unsubscriber == nil {
		d.State = "failed"
		s.render(w, http.StatusServiceUnavailable, "unsubscribe.html", d)
		return
	}
	if err := s.deps.Unsubscriber.Unsubscribe(r.Context(), id); err != nil {
		s.cfg.Logger.Error("unsubscribe", "profile_id", id, "err", err)
		d.State = "failed"
		s.render(w, http.StatusServiceUnavailable, "unsubscribe.html", d)
		return
	}
	s.cfg.Logger.Info("profile unsubscribed", "profile_id", id)
	d.State = "done"
	s.render(w, http.StatusOK, "unsubscribe.html", d)
}

func (s *Server) verify(tok string) (string, bool) {
	if s.deps.Tokens == nil || tok == "" || len(tok) > 512 {
		return "", false
	}
	return s.deps.Tokens.Verify(tok)
}

// matchItemOf is the data of the "matchitem" template.
type matchItemOf struct {
	Page pageData
	Item matchItem
}
