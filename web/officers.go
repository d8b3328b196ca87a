package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/passerelle/passerelle/profiles"
)

// queryProblem is one bad search parameter: Reason in English for the JSON
// API, Key a message key for the page.
type queryProblem struct {
	Field, Reason, Key string
}

// officerPageSize is the number of rows per page of the officers' table.
const officerPageSize = 20

// parseProfileQuery reads the placement officers' filters, shared by the
// JSON API and the page: q, skill (repeatable) and skills (comma
// separated), city, country, year, languages under langKey ("lang" in the
// API; "language" on pages, where lang is the interface language),
// availability ("immediate" or YYYY-MM-DD), limit, offset.
func parseProfileQuery(v url.Values, langKey string) (profiles.Query, []queryProblem) {
	q := profiles.Query{
		Text:           strings.TrimSpace(v.Get("q")),
		Skills:         append(splitList(strings.Join(v["skill"], ",")), splitList(v.Get("skills"))...),
		City:           strings.TrimSpace(v.Get("city")),
		Country:        strings.ToUpper(strings.TrimSpace(v.Get("country"))),
		Languages:      splitList(strings.Join(v[langKey], ",")),
		Availability:   strings.ToLower(strings.TrimSpace(v.Get("availability"))),
		Cohort:         strings.TrimSpace(v.Get("cohort")),
		Workplace:      splitList(strings.Join(v["workplace"], ",")),
		Recruiters:     v.Get("recruiters") == "1",
		Facets:         v.Get("facets") == "1",
		Seniority:      splitList(strings.Join(v["seniority"], ",")),
		Sort:           strings.TrimSpace(v.Get("sort")),
		OnlySearchable: true,
	}
	for _, m := range messages {
		// The word the page shows for "immediate", in any language.
		if q.Availability != "" && q.Availability == strings.ToLower(m["immediate"]) {
			q.Availability = profiles.AvailabilityImmediate
		}
	}
	var probs []queryProblem
	switch q.Sort {
	case "", "relevance", profiles.SortYear, profiles.SortAvailability, profiles.SortUpdated:
	default:
		probs = append(probs, queryProblem{"sort", "sort: relevance, year, availability or updated", "err_choice"})
	}
	// Skills go through the taxonomy: synonyms and translations, and
	// narrower concepts unless exact=1; match=any for "any of these".
	if len(q.Skills) > 0 {
		q.SkillGroups = profiles.ExpandSkills(q.Skills, v.Get("exact") == "1", v.Get("match") == "any")
		q.Skills = nil
	}
	// year: one year, or a range "2024-2026" (also year_from, year_to).
	if y := strings.TrimSpace(v.Get("year")); strings.Contains(y, "-") {
		a, b, _ := strings.Cut(y, "-")
		from, err1 := strconv.Atoi(strings.TrimSpace(a))
		to, err2 := strconv.Atoi(strings.TrimSpace(b))
		if err1 != nil || err2 != nil || from < 1900 || to > 2200 || from > to {
			probs = append(probs, queryProblem{"year", "year: a year (2025) or a range (2024-2026)", "err_number"})
		} else {
			q.YearFrom, q.YearTo = from, to
		}
		v = cloneWithout(v, "year")
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"year", &q.GraduationYear}, {"year_from", &q.YearFrom}, {"year_to", &q.YearTo}, {"limit", &q.Limit}, {"offset", &q.Offset}} {
		if raw := strings.TrimSpace(v.Get(f.name)); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n < 0 {
				probs = append(probs, queryProblem{f.name, f.name + ": must be a non-negative whole number", "err_number"})
				continue
			}
			*f.dst = n
		}
	}
	if a := q.Availability; a != "" && a != profiles.AvailabilityImmediate {
		if _, err := time.Parse("2006-01-02", a); err != nil {
			probs = append(probs, queryProblem{"availability", `availability: must be "immediate" or a date YYYY-MM-DD`, "err_date"})
		}
	}
	return q, probs
}

// splitList splits a comma, semicolon or newline separated list, trimming
// items and dropping empty ones.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '\n' || r == '\r' || r == '،'
	}) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// searchProfiles is the placement officers' search API:
// GET /api/profiles?q=&skill=&skill=&city=&country=&year=&lang=&availability=&limit=&offset=
func (s *Server) searchProfiles(w http.ResponseWriter, r *http.Request) {
	q, ok := s.officerQuery(w, r)
	if !ok {
		return
	}
	res, err := s.deps.Profiles.Search(r.Context(), q)
	if err != nil {
		s.cfg.Logger.Error("search profiles", "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "search failed"})
		return
	}
	out := map[string]any{"total": res.Total, "profiles": res.Profiles}
	if q.Facets {
		out["facets"] = res.Facets
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) exportProfiles(w http.ResponseWriter, r *http.Request) {
	q, ok := s.officerQuery(w, r)
	if !ok {
		return
	}
	// In the API, lang filters on the languages spoken; the headers'
	// language is headers= (fr, en, ar), else Accept-Language.
	hl := r.URL.Query().Get("headers")
	if messages[hl] == nil {
		hl = acceptLanguage(r)
	}
	s.writeCSV(w, r, q, hl)
}

// writeCSV answers the export of every searchable profile matching q,
// streamed page after page (no cap).
func (s *Server) writeCSV(w http.ResponseWriter, r *http.Request, q profiles.Query, headers string) {
	q.OnlySearchable = true
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="diplomes.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	each := func(ctx context.Context, fn func(profiles.Profile) error) error {
		return profiles.EachResult(ctx, s.deps.Profiles, q, fn)
	}
	if _, err := profiles.ExportCSVFor(r.Context(), w, each, headers); err != nil {
		// The header is out: the truncated file ends here, and the log says why.
		s.cfg.Logger.Error("write csv", "err", err)
	}
}

// exportJSONL streams every searchable profile matching the filters as
// JSON lines (the import format): GET /api/profiles/export.jsonl.
func (s *Server) exportJSONL(w http.ResponseWriter, r *http.Request) {
	q, ok := s.officerQuery(w, r)
	if !ok {
		return
	}
	q.OnlySearchable = true
	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	each := func(ctx context.Context, fn func(profiles.Profile) error) error {
		return profiles.EachResult(ctx, s.deps.Profiles, q, fn)
	}
	if _, err := profiles.Export(r.Context(), w, each); err != nil {
		s.cfg.Logger.Error("write json lines", "err", err)
	}
}

func (s *Server) officerQuery(w http.ResponseWriter, r *http.Request) (profiles.Query, bool) {
	u, ok := s.requireWho(w, r, roleOfficer, officerTokenRequired)
	if !ok {
		return profiles.Query{}, false
	}
	if s.deps.Profiles == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "profile search is not available in this process"})
		return profiles.Query{}, false
	}
	q, probs := parseProfileQuery(r.URL.Query(), "lang")
	if len(probs) > 0 {
		writeJSON(w, http.StatusBadRequest, apiError{Error: probs[0].Reason, Field: probs[0].Field})
		return profiles.Query{}, false
	}
	// An officer scoped to their school sees only its cohorts, whatever
	// the parameters ask.
	q.Cohorts = u.scope()
	return q, true
}

// searchView is the officers' page: the filters as typed, and one page of
// results.
type searchView struct {
	Q, Skills, City, Year, Language, Availability string
	Cohort, Sort                                  string
	Any, Recruiters                               bool
	Rows                                          []profiles.Profile
	Total, Page, Pages                            int
	Prev, Next, Export                            string
	Facets                                        []facetView
}

// facetView is one facet of the officers' page: its values with their
// counts, each a link adding it to the filters.
type facetView struct {
	Name  string // message key
	Items []facetItem
}

type facetItem struct {
	Label, Link string
	Count       int
}

// filterValues are the page's filters as query parameters (no page, no lang).
func filterValues(v url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"q", "skills", "skill", "city", "country", "year", "language", "availability", "cohort", "workplace", "recruiters", "match", "exact", "seniority", "sort"} {
		for _, x := range v[k] {
			if x = strings.TrimSpace(x); x != "" {
				out.Add(k, x)
			}
		}
	}
	return out
}

func (s *Server) officersPage(w http.ResponseWriter, r *http.Request) {
	l := locale(r)
	u, binding, ok := s.authWho(r, roleOfficer)
	if !ok {
		http.Redirect(w, r, "/officers/login?lang="+l, http.StatusSeeOther)
		return
	}
	name := u.name
	if s.deps.Profiles == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	v := r.URL.Query()
	filters := filterValues(v)
	d := pageData{L: l, User: name, Self: "/officers?" + filters.Encode(), Errors: map[string]string{}}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), binding)
	sv := &searchView{Q: v.Get("q"), Skills: strings.Join(append(v["skill"], v["skills"]...), ", "),
		City: v.Get("city"), Year: v.Get("year"), Language: v.Get("language"), Availability: v.Get("availability"),
		Cohort: v.Get("cohort"), Any: v.Get("match") == "any", Recruiters: v.Get("recruiters") == "1", Sort: v.Get("sort")}
	d.Search = sv
	q, probs := parseProfileQuery(v, "language")
	for _, p := range probs {
		d.Errors[p.Field] = p.Key
	}
	page := 1
	if raw := v.Get("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 100000 {
			d.Errors["page"] = "err_number"
		} else {
			page = n
		}
	}
	if len(d.Errors) > 0 {
		s.render(w, http.StatusBadRequest, "officers.html", d)
		return
	}
	q.Limit, q.Offset = officerPageSize, (page-1)*officerPageSize
	q.Facets = true
	q.Cohorts = u.scope()
	d.Scope = u.cohorts
	res, err := s.deps.Profiles.Search(r.Context(), q)
	if err != nil {
		s.cfg.Logger.Error("officer search", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "err_search")
		return
	}
	sv.Rows, sv.Total, sv.Page = res.Profiles, res.Total, page
	sv.Pages = max(1, (res.Total+officerPageSize-1)/officerPageSize)
	link := func(p int) string {
		fv := filterValues(v)
		fv.Set("page", strconv.Itoa(p))
		fv.Set("lang", l)
		return "/officers?" + fv.Encode()
	}
	if page > 1 {
		sv.Prev = link(page - 1)
	}
	if page < sv.Pages {
		sv.Next = link(page + 1)
	}
	sv.Export = "/officers/export.csv?" + filters.Encode()
	sv.Facets = s.facetViews(res.Facets, filters, l)
	s.render(w, http.StatusOK, "officers.html", d)
}

// facetParam is the page filter each facet sets.
var facetParam = map[string]string{
	profiles.FacetSkill: "skill", profiles.FacetCity: "city", profiles.FacetCohort: "cohort",
	profiles.FacetYear: "year", profiles.FacetLanguage: "language", profiles.FacetWorkplace: "workplace",
}

// facetViews turns the facet counts into links that add each value to the
// current filters (skills in the page's language).
func (s *Server) facetViews(fs map[string][]profiles.FacetCount, filters url.Values, l string) []facetView {
	var out []facetView
	for _, name := range profiles.FacetNames {
		counts := fs[name]
		if len(counts) == 0 {
			continue
		}
		fv := facetView{Name: "facet_" + name}
		for _, c := range counts {
			label := c.Value
			switch name {
			case profiles.FacetSkill:
				if m := s.deps.SkillMapper; m != nil {
					if x := m.Label(c.Value, l); x != "" {
						label = x
					}
				}
			case profiles.FacetWorkplace:
				label = translate(l, "wp_"+c.Value)
			}
			v := url.Values{}
			for k, xs := range filters {
				v[k] = append([]string(nil), xs...)
			}
			param := facetParam[name]
			if param == "year" || param == "city" || param == "cohort" || param == "language" {
				v.Set(param, c.Value)
			} else {
				v.Add(param, c.Value)
			}
			v.Set("lang", l)
			fv.Items = append(fv.Items, facetItem{Label: label, Count: c.Count, Link: "/officers?" + v.Encode()})
		}
		out = append(out, fv)
	}
	return out
}

// officersExport is the page's CSV export: officer bearer token or session,
// the page's filters.
func (s *Server) officersExport(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.authWho(r, roleOfficer)
	if !ok {
		http.Redirect(w, r, "/officers/login?lang="+locale(r), http.StatusSeeOther)
		return
	}
	if s.deps.Profiles == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	q, probs := parseProfileQuery(r.URL.Query(), "language")
	if len(probs) > 0 {
		s.fail(w, r, http.StatusBadRequest, probs[0].Key)
		return
	}
	q.Cohorts = u.scope()
	s.writeCSV(w, r, q, locale(r))
}

// loginPage shows the token login form of a role.
func (s *Server) loginPage(role string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l := locale(r)
		if _, _, ok := s.auth(r, role); ok {
			http.Redirect(w, r, homeOf(role)+"?lang="+l, http.StatusSeeOther)
			return
		}
		d := pageData{L: l, Self: cookiePath(role) + "/login", Role: role}
		d.CSRF = s.csrfToken(s.csrfNonce(w, r), "login-"+role)
		s.render(w, http.StatusOK, "login.html", d)
	}
}

func homeOf(role string) string {
	if role == roleOfficer {
		return "/officers"
	}
	return "/recruiters/offers/new"
}

// loginPost exchanges a role's token for a session cookie.
func (s *Server) loginPost(role string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		l := locale(r)
		d := pageData{L: l, Self: cookiePath(role) + "/login", Role: role, Errors: map[string]string{}}
		if !s.checkCSRF(r, "login-"+role) {
			d.CSRF = s.csrfToken(s.csrfNonce(w, r), "login-"+role)
			d.Errors[""] = "err_csrf"
			s.render(w, http.StatusForbidden, "login.html", d)
			return
		}
		d.CSRF = s.csrfToken(s.csrfNonce(w, r), "login-"+role)
		if !s.loginLimit.allow(clientIP(r)) {
			d.Errors[""] = "err_rate"
			s.render(w, http.StatusTooManyRequests, "login.html", d)
			return
		}
		tok := strings.TrimSpace(r.PostForm.Get("token"))
		u, ok := s.lookupRole(r.Context(), role, tok)
		name := u.name
		if !ok {
			s.cfg.Logger.Warn("login refused", "role", role, "ip", clientIP(r))
			d.Errors["token"] = "err_token"
			s.render(w, http.StatusUnauthorized, "login.html", d)
			return
		}
		s.setSession(w, r, role, s.newSession(role, tok, u), int(s.cfg.SessionTTL.Seconds()))
		s.cfg.Logger.Info("login", "role", role, "user", name)
		http.Redirect(w, r, homeOf(role)+"?lang="+l, http.StatusSeeOther)
	}
}

// logoutPost ends a role's session.
func (s *Server) logoutPost(role string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		_, binding, ok := s.auth(r, role)
		if ok && !s.checkCSRF(r, binding) {
			s.fail(w, r, http.StatusForbidden, "err_csrf")
			return
		}
		if c, err := r.Cookie(cookieName(role)); err == nil {
			if si, ok := s.parseSession(r.Context(), role, c.Value); ok {
				// The cookie is cleared below, but a copy of it must
				// stop working too.
				if err := s.revocations.Revoke(r.Context(), si.id, si.exp); err != nil {
					s.cfg.Logger.Error("logout: session not revoked", "role", role, "err", err)
					s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
					return
				}
			}
		}
		s.setSession(w, r, role, "", -1)
		http.Redirect(w, r, cookiePath(role)+"/login?lang="+locale(r), http.StatusSeeOther)
	}
}

// cloneWithout copies v without key.
func cloneWithout(v url.Values, key string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		if k != key {
			out[k] = vs
		}
	}
	return out
}
