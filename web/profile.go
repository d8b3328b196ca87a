package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

// Choices offered by the profile form, in display order.
var (
	seniorityValues  = []string{jobs.SeniorityInternship, jobs.SeniorityJunior, jobs.SeniorityMid, jobs.SenioritySenior, jobs.SeniorityLead}
	employmentValues = []string{jobs.FullTime, jobs.PartTime, jobs.Contract, jobs.Freelance, jobs.Internship, jobs.Apprenticeship, jobs.Temporary}
	workplaceValues  = []string{string(jobs.Remote), string(jobs.Hybrid), string(jobs.Onsite)}
	frequencyValues  = []string{profiles.FrequencyInstant, profiles.FrequencyDaily, profiles.FrequencyWeekly, profiles.FrequencyOff}
	localeValues     = []string{"fr", "en", "ar"}
)

// Limits of profile form fields, in characters.
const (
	maxNameLen     = 120
	maxCityLen     = 100
	maxHeadlineLen = 200
	maxLabelLen    = 80
	maxSkills      = 100
	maxLocations   = 30
	maxLanguages   = 20
)

// profileView is the profile form: the profile, its list fields as typed,
// and the skills the taxonomy recognised.
type profileView struct {
	P                                                 profiles.Profile
	Skills, Languages, Locations, Year, AvailableFrom string
	AvailableNow, Saved, Mapped                       bool
	Known                                             []string // labels in the page's language
	Unknown                                           []string
	Consents                                          []option
	// Gaps are the skill-gap lines ("Learning Docker would open…").
	Gaps []gapLine
	// Proposed are the skills found in a pasted CV; CVRead says a CV was read.
	Proposed []proposal
	CVRead   bool
	// Suggestions are the taxonomy's labels in the three languages, for
	// the "add a skill" field's list (the browser filters it as one types).
	Suggestions []string
}

// skillLister is what Deps.SkillMapper offers when it can list its
// concepts (skills.Taxonomy does).
type skillLister interface{ IDs() []string }

// skillSuggestions lists every concept's label in fr, en and ar, once.
func (s *Server) skillSuggestions() []string {
	sl, ok := s.deps.SkillMapper.(skillLister)
	if !ok {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, id := range sl.IDs() {
		for _, l := range localeValues {
			if x := s.deps.SkillMapper.Label(id, l); x != "" && !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
	}
	return out
}

func (s *Server) newProfileView(p profiles.Profile, l string) *profileView {
	v := &profileView{
		P:         p,
		Skills:    strings.Join(p.Skills, ", "),
		Languages: strings.Join(p.Languages, ", "),
		Locations: strings.Join(p.Seeking.Locations, ", "),
	}
	if p.GraduationYear > 0 {
		v.Year = strconv.Itoa(p.GraduationYear)
	}
	if p.Availability == profiles.AvailabilityImmediate {
		v.AvailableNow = true
	} else {
		v.AvailableFrom = p.Availability
	}
	v.Consents = []option{
		{Value: "consent_alerts", Label: "f_consent_alerts", Checked: p.Consent.Alerts},
		{Value: "consent_searchable", Label: "f_consent_searchable", Checked: p.Consent.Searchable},
		{Value: "consent_recruiters", Label: "f_consent_recruiters", Checked: p.Consent.Recruiters},
	}
	v.Suggestions = s.skillSuggestions()
	if m := s.deps.SkillMapper; m != nil {
		ids, unknown := m.MapLabels(p.Skills)
		v.Mapped, v.Unknown = true, unknown
		for _, id := range ids {
			v.Known = append(v.Known, m.Label(id, l))
		}
	}
	return v
}

// profileLocale is ?lang= when given, else the profile's own language.
func profileLocale(r *http.Request, p profiles.Profile) string {
	if l := r.URL.Query().Get("lang"); messages[l] != nil {
		return l
	}
	if messages[p.Locale] != nil {
		return p.Locale
	}
	return locale(r)
}

// openProfile checks a profile token and loads its profile; it answers
// the failure itself.
func (s *Server) openProfile(w http.ResponseWriter, r *http.Request, tok string) (profiles.Profile, bool) {
	if s.deps.ProfileTokens == nil || s.deps.ProfileRepo == nil || s.deps.ProfileSaver == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return profiles.Profile{}, false
	}
	var id string
	ok := tok != "" && len(tok) <= 1024
	if ok {
		id, ok = s.deps.ProfileTokens.Verify(tok)
	}
	if !ok {
		s.render(w, http.StatusBadRequest, "error.html", pageData{L: locale(r), Self: "/profile/link",
			Status: http.StatusBadRequest, Message: "err_profile_link"})
		return profiles.Profile{}, false
	}
	p, err := s.deps.ProfileRepo.Get(r.Context(), id)
	if errors.Is(err, profiles.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_profile_gone")
		return profiles.Profile{}, false
	}
	if err != nil {
		s.cfg.Logger.Error("load profile", "profile_id", id, "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return profiles.Profile{}, false
	}
	return p, true
}

func profileSelf(tok string) string { return ProfileLinkPath(tok, "") }

func (s *Server) profilePage(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	p, ok := s.openProfile(w, r, tok)
	if !ok {
		return
	}
	l := profileLocale(r, p)
	d := pageData{L: l, Self: profileSelf(tok), Token: tok, Profile: s.newProfileView(p, l)}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), "profile|"+tok)
	d.Profile.Gaps = s.gapLines(r, p.ID, l)
	if r.URL.Query().Get("welcome") == "1" {
		d.Notice = "welcome"
	}
	s.render(w, http.StatusOK, "profile.html", d)
}

func (s *Server) profilePost(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	tok := r.PostForm.Get("token")
	old, ok := s.openProfile(w, r, tok)
	if !ok {
		return
	}
	p, view, errs := parseProfileForm(r.PostForm, old, s.now())
	l := profileLocale(r, old)
	d := pageData{L: l, Self: profileSelf(tok), Token: tok, Errors: errs}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), "profile|"+tok)
	if !s.checkCSRF(r, "profile|"+tok) {
		d.Profile = s.newProfileView(old, l)
		d.Errors = map[string]string{"": "err_csrf"}
		s.render(w, http.StatusForbidden, "profile.html", d)
		return
	}
	if len(errs) > 0 {
		d.Profile = view
		s.render(w, http.StatusUnprocessableEntity, "profile.html", d)
		return
	}
	if err := s.deps.ProfileSaver.SaveProfile(r.Context(), p); err != nil {
		s.cfg.Logger.Error("save profile", "profile_id", p.ID, "err", err)
		d.Profile = view
		status := http.StatusServiceUnavailable
		d.Errors = map[string]string{"": "err_save"}
		if errors.Is(err, profiles.ErrInvalid) {
			status, d.Errors[""] = http.StatusUnprocessableEntity, "err_invalid"
		}
		s.render(w, status, "profile.html", d)
		return
	}
	s.cfg.Logger.Info("profile saved from web", "profile_id", p.ID)
	d.Profile = s.newProfileView(p, l)
	d.Profile.Saved = true
	d.Notice = "profile_saved"
	s.render(w, http.StatusOK, "profile.html", d)
}

// parseProfileForm applies the form to a copy of old (id, e-mail and
// anything the form does not show are kept) and returns it, the form as
// typed, and field problems as message keys.
func parseProfileForm(v map[string][]string, old profiles.Profile, now time.Time) (profiles.Profile, *profileView, map[string]string) {
	get := func(k string) string {
		if x := v[k]; len(x) > 0 {
			return strings.TrimSpace(x[0])
		}
		return ""
	}
	errs := map[string]string{}
	p := old
	p.UpdatedAt = time.Time{}
	text := func(name string, limit int, required bool) string {
		x := get(name)
		switch {
		case required && x == "":
			errs[name] = "err_required"
		case utf8.RuneCountInString(x) > limit || !utf8.ValidString(x):
			errs[name] = "err_too_long"
		}
		return x
	}
	list := func(name string, limit, items int) []string {
		xs := splitList(get(name))
		if len(xs) > items {
			errs[name] = "err_too_many"
		}
		for _, x := range xs {
			if utf8.RuneCountInString(x) > limit || !utf8.ValidString(x) {
				errs[name] = "err_too_long"
			}
		}
		return xs
	}
	choices := func(name string, allowed []string) []string {
		var out []string
		for _, x := range v[name] {
			if !slices.Contains(allowed, x) {
				errs[name] = "err_choice"
				continue
			}
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
		return out
	}
	p.Name = text("name", maxNameLen, true)
	p.City = text("city", maxCityLen, false)
	p.Headline = text("headline", maxHeadlineLen, false)
	p.Country = ""
	if c := get("country"); c != "" {
		if cc, ok := jobs.CountryCode(c); ok {
			p.Country = cc
		} else {
			errs["country"] = "err_country"
		}
	}
	p.Skills = list("skills", maxLabelLen, maxSkills)
	p.Languages = nil
	for _, x := range list("languages", maxLabelLen, maxLanguages) {
		x = strings.ToLower(x)
		if !isLangCode(x) {
			errs["languages"] = "err_language"
			continue
		}
		if !slices.Contains(p.Languages, x) {
			p.Languages = append(p.Languages, x)
		}
	}
	p.GraduationYear = 0
	if y := get("graduation_year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1950 || n > now.Year()+8 {
			errs["graduation_year"] = "err_year"
		} else {
			p.GraduationYear = n
		}
	}
	p.Availability = ""
	if get("available_now") != "" {
		p.Availability = profiles.AvailabilityImmediate
	} else if a := get("available_from"); a != "" {
		if _, err := time.Parse("2006-01-02", a); err != nil {
			errs["available_from"] = "err_date"
		} else {
			p.Availability = a
		}
	}
	// "Add a skill" (with the taxonomy's suggestions): appended to the list.
	if add := get("add_skill"); add != "" {
		if utf8.RuneCountInString(add) > maxLabelLen {
			errs["add_skill"] = "err_too_long"
		} else if !slices.ContainsFunc(p.Skills, func(x string) bool { return strings.EqualFold(x, add) }) {
			p.Skills = append(p.Skills, add)
		}
	}
	p.Seeking = profiles.Seeking{
		Seniority:  choices("seniority", seniorityValues),
		Employment: choices("employment", employmentValues),
		Workplace:  choices("workplace", workplaceValues),
		Locations:  list("locations", maxLabelLen, maxLocations),
	}
	p.Alerts.PausedUntil = ""
	if d := get("paused_until"); d != "" {
		if t, err := time.Parse("2006-01-02", d); err != nil || t.Year() > now.Year()+2 {
			errs["paused_until"] = "err_date"
		} else if !t.Before(now.Truncate(24 * time.Hour)) {
			p.Alerts.PausedUntil = d // a date in the past pauses nothing: dropped
		}
	}
	if f := choices("frequency", frequencyValues); len(f) == 1 {
		p.Alerts.Frequency = f[0]
	} else if _, bad := errs["frequency"]; !bad {
		errs["frequency"] = "err_choice"
	}
	if l := choices("locale", localeValues); len(l) == 1 {
		p.Locale = l[0]
	} else if _, bad := errs["locale"]; !bad {
		errs["locale"] = "err_choice"
	}
	cons := choices("consent", []string{"consent_alerts", "consent_searchable", "consent_recruiters"})
	p.Consent = profiles.Consent{
		Alerts:     slices.Contains(cons, "consent_alerts"),
		Searchable: slices.Contains(cons, "consent_searchable"),
		Recruiters: slices.Contains(cons, "consent_recruiters"),
	}
	if len(errs) == 0 {
		p.Normalize()
		if err := p.Validate(); err != nil {
			errs[""] = "err_invalid"
		}
	}
	view := &profileView{
		P: p, Skills: get("skills"), Languages: get("languages"), Locations: get("locations"),
		Year: get("graduation_year"), AvailableFrom: get("available_from"), AvailableNow: get("available_now") != "",
		Consents: []option{
			{Value: "consent_alerts", Label: "f_consent_alerts", Checked: p.Consent.Alerts},
			{Value: "consent_searchable", Label: "f_consent_searchable", Checked: p.Consent.Searchable},
			{Value: "consent_recruiters", Label: "f_consent_recruiters", Checked: p.Consent.Recruiters},
		},
	}
	return p, view, errs
}

// isLangCode accepts ISO 639-1 (and 639-2/3) codes: 2 or 3 letters a-z.
func isLangCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, c := range s {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// maxEmailLen is RFC 5321's limit on a forward path.
const maxEmailLen = 254

func (s *Server) linkPage(w http.ResponseWriter, r *http.Request) {
	d := pageData{L: locale(r), Self: "/profile/link"}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), "link")
	s.render(w, http.StatusOK, "link.html", d)
}

// linkPost sends a profile link to an address. The answer is the same
// whether or not a profile has this address, so the form cannot be used
// to learn who is registered.
func (s *Server) linkPost(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	l := locale(r)
	d := pageData{L: l, Self: "/profile/link", Errors: map[string]string{}}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), "link")
	email := strings.TrimSpace(r.PostForm.Get("email"))
	d.Email = email
	if !s.checkCSRF(r, "link") {
		d.Errors[""] = "err_csrf"
		s.render(w, http.StatusForbidden, "link.html", d)
		return
	}
	if s.deps.LinkSender == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	if key := emailProblem(email); key != "" {
		d.Errors["email"] = key
		s.render(w, http.StatusUnprocessableEntity, "link.html", d)
		return
	}
	if !s.linkLimit.allow(clientIP(r)) {
		d.Errors[""] = "err_rate"
		s.render(w, http.StatusTooManyRequests, "link.html", d)
		return
	}
	// The request is queued whatever the address: the answer is the same
	// for known and unknown ones. Failing to queue it is not about the
	// address, and the visitor must know to try again.
	if err := s.deps.LinkSender.SendProfileLink(r.Context(), email, l); err != nil {
		s.cfg.Logger.Error("queue profile link", "err", err)
		d.Errors[""] = "err_unavailable"
		s.render(w, http.StatusServiceUnavailable, "link.html", d)
		return
	}
	d.Email, d.Notice = "", "link_sent"
	s.render(w, http.StatusOK, "link.html", d)
}
