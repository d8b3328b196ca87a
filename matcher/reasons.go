package matcher

import (
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/passerelle/passerelle/jobs"
)

// Reason keys (the notifier renders them in fr/en/ar). Args are listed
// beside each key.
const (
	ReasonRemoteOpenTo       = "remote_open_to"       // country name, country code
	ReasonRemoteWorldwide    = "remote_worldwide"     //
	ReasonRemoteScopeUnknown = "remote_scope_unknown" //
	ReasonOnsiteIn           = "onsite_in"            // city (or country name), country code
	ReasonHybridIn           = "hybrid_in"            // city (or country name), country code
	ReasonSeniorityFit       = "seniority_fit"        // level: internship junior mid senior lead
	ReasonEmploymentFit      = "employment_fit"       // type: full_time, internship, ...
	ReasonSkillsMatched      = "skills_matched"       // n, total
	ReasonSkillsMissing      = "skills_missing"       // comma-separated labels
	ReasonLanguageOK         = "language_ok"          // comma-separated ISO 639-1 codes
	ReasonFresh              = "fresh"                // days since posted
	ReasonRoleFit            = "role_fit"             // offer title
)

// Thresholds for the optional reasons.
const (
	roleFitReason = 0.5 // share of title role words found in the headline
	freshReason   = 7   // days
)

// countryName returns the English name of an alpha-2 code.
func countryName(cc string) string {
	r, err := language.ParseRegion(cc)
	if err != nil {
		return cc
	}
	if n := display.English.Regions().Name(r); n != "" {
		return n
	}
	return cc
}

var levelText = map[string]string{
	jobs.SeniorityInternship: "internship",
	jobs.SeniorityJunior:     "junior role",
	jobs.SeniorityMid:        "mid-level role, a step above junior",
	jobs.SenioritySenior:     "senior role",
	jobs.SeniorityLead:       "lead role",
}

var employmentText = map[string]string{
	jobs.FullTime:       "full-time",
	jobs.PartTime:       "part-time",
	jobs.Contract:       "contract",
	jobs.Freelance:      "freelance",
	jobs.Internship:     "internship",
	jobs.Apprenticeship: "apprenticeship",
	jobs.Temporary:      "temporary",
}

// reason is one rendered reason: English text and key with arguments.
type reason struct {
	text string
	key  Reason
}

func newReason(key, text string, args ...string) reason {
	return reason{text, Reason{Key: key, Args: slices.Clip(args)}}
}

// reasonCache keeps the reasons that do not depend on the profile, or
// depend on it only through a small key, so building thousands of matches
// for one offer renders each text once. Args slices are shared between
// matches: treat them as read-only.
type reasonCache struct {
	ready      bool
	level      *reason
	languages  *reason
	fresh      *reason
	role       *reason
	scope      *reason // worldwide or unknown scope
	byCountry  map[uint16]reason
	byLocation map[int]reason
	byType     map[string]reason
	labels     []string
}

func (p *plan) reasons() *reasonCache {
	c := &p.cache
	if c.ready {
		return c
	}
	c.ready = true
	o := p.o
	c.byCountry, c.byLocation, c.byType = map[uint16]reason{}, map[int]reason{}, map[string]reason{}
	if t, ok := levelText[o.Seniority]; ok {
		r := newReason(ReasonSeniorityFit, t, o.Seniority)
		c.level = &r
	}
	if len(o.Languages) > 0 {
		l := strings.Join(o.Languages, ", ")
		r := newReason(ReasonLanguageOK, "requires "+l+", which you speak", l)
		c.languages = &r
	}
	if o.PostedAt != nil && !o.PostedAt.IsZero() {
		days := int(p.now.Sub(*o.PostedAt).Hours() / 24)
		if days >= 0 && days <= freshReason {
			d := strconv.Itoa(days)
			text := "posted " + d + " days ago"
			switch days {
			case 0:
				text = "posted today"
			case 1:
				text = "posted yesterday"
			}
			r := newReason(ReasonFresh, text, d)
			c.fresh = &r
		}
	}
	r := newReason(ReasonRoleFit, "the title fits your profile: "+o.Title, o.Title)
	c.role = &r
	switch {
	case p.g.workplace == wpRemote && !p.eligKnown:
		r := newReason(ReasonRemoteScopeUnknown, "remote, but the ad does not say from which countries you may apply")
		c.scope = &r
	case p.g.workplace == wpRemote && o.Eligibility.Worldwide:
		r := newReason(ReasonRemoteWorldwide, "remote, open worldwide")
		c.scope = &r
	}
	c.labels = make([]string, len(p.skills))
	for i, sk := range p.skills {
		c.labels[i] = p.label(sk.id)
	}
	return c
}

// where is the reason saying why the place fits.
func (p *plan) where(e *entry, g gateResult) (reason, bool) {
	c := p.reasons()
	if p.g.workplace == wpRemote {
		if c.scope != nil {
			return *c.scope, true
		}
		if r, ok := c.byCountry[e.country]; ok {
			return r, true
		}
		cc := countryCodes[e.country]
		name := countryName(cc)
		r := newReason(ReasonRemoteOpenTo, "remote, open to "+name, name, cc)
		c.byCountry[e.country] = r
		return r, true
	}
	if g.loc < 0 || g.loc >= len(p.o.Locations) {
		return reason{}, false
	}
	if r, ok := c.byLocation[g.loc]; ok {
		return r, true
	}
	l := p.o.Locations[g.loc]
	place := l.City
	if place == "" {
		place = countryName(l.Country)
	}
	r := newReason(ReasonOnsiteIn, "on site in "+place, place, l.Country)
	if p.g.workplace == wpHybrid {
		r = newReason(ReasonHybridIn, "hybrid in "+place, place, l.Country)
	}
	c.byLocation[g.loc] = r
	return r, true
}

// match builds the explained Match of a scored profile.
func (p *plan) match(profileID string, e *entry, r scored) Match {
	o := p.o
	c := p.reasons()
	m := Match{
		ProfileID:          profileID,
		OfferID:            o.ID,
		URL:                o.URL,
		Title:              o.Title,
		Company:            o.Company,
		Score:              r.score,
		EligibilityUnknown: r.gate.scopeUnknown,
		MatchedAt:          p.now,
		Reasons:            make([]string, 0, 9),
		ReasonKeys:         make([]Reason, 0, 9),
	}
	if m.URL == "" {
		m.URL = o.ApplyURL
	}
	add := func(r reason) {
		m.Reasons = append(m.Reasons, r.text)
		m.ReasonKeys = append(m.ReasonKeys, r.key)
	}

	if w, ok := p.where(e, r.gate); ok {
		add(w)
	}
	if c.level != nil {
		add(*c.level)
	}
	if e.employment != 0 {
		for _, t := range o.Employment {
			if b := employmentBit(t); b != 0 && b&e.employment != 0 {
				rr, ok := c.byType[t]
				if !ok {
					rr = newReason(ReasonEmploymentFit, employmentText[t], t)
					c.byType[t] = rr
				}
				add(rr)
				break
			}
		}
	}

	// Skills.
	best := make([]float64, len(p.skills))
	for _, q := range e.skills() {
		if int(q) < len(p.byOrd) {
			for _, sc := range p.byOrd[q] {
				best[sc.skill] = max(best[sc.skill], sc.credit)
			}
		}
	}
	nReq, gotReq, nOpt, gotOpt, nMatched := 0, 0, 0, 0, 0
	for i, s := range p.skills {
		if best[i] >= matchedCredit {
			nMatched++
		}
		if s.required {
			nReq++
		} else {
			nOpt++
		}
	}
	m.MatchedSkills = make([]string, 0, nMatched)
	m.MissingSkills = make([]string, 0, nReq-min(nReq, nMatched))
	var missing []string
	for i, s := range p.skills {
		ok := best[i] >= matchedCredit
		if ok {
			m.MatchedSkills = append(m.MatchedSkills, s.id)
		}
		switch {
		case s.required && ok:
			gotReq++
		case s.required:
			m.MissingSkills = append(m.MissingSkills, s.id)
			missing = append(missing, c.labels[i])
		case ok:
			gotOpt++
		}
	}
	switch {
	case nReq > 0:
		n, t := strconv.Itoa(gotReq), strconv.Itoa(nReq)
		add(newReason(ReasonSkillsMatched, n+" of "+t+" required skills", n, t))
	case nOpt > 0:
		n, t := strconv.Itoa(gotOpt), strconv.Itoa(nOpt)
		add(newReason(ReasonSkillsMatched, n+" of "+t+" skills", n, t))
	}
	if len(missing) > 0 {
		l := strings.Join(missing, ", ")
		add(newReason(ReasonSkillsMissing, "missing: "+l, l))
	}
	if c.languages != nil {
		add(*c.languages)
	}
	if c.fresh != nil {
		add(*c.fresh)
	}
	if r.role >= roleFitReason {
		add(*c.role)
	}
	return m
}

// label is the English label of a skill id, the id itself when unknown.
func (p *plan) label(id string) string {
	if l := p.t.tax.Label(id, "en"); l != "" {
		return l
	}
	return id
}
