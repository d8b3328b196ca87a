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
// matches: treat them as read-only. So are, with at most 64 offer skills,
// the skill lists and reason lists: matches of one offer that have the
// same ones share them (see plan.match).
type reasonCache struct {
	ready     bool
	level     *reason
	languages *reason
	fresh     *reason
	role      *reason
	scope     *reason // worldwide or unknown scope
	byCountry map[uint16]reason
	// lastCountry caches the latest byCountry lookup (most graduates share
	// one country).
	lastCountry  uint16
	lastCountryR reason
	haveCountry  bool
	byLocation   []reason // per offer location
	locSet       []bool
	empBits      []uint8  // per offer employment type
	byType       []reason // per offer employment type
	typeSet      []bool
	// counts[n] is the "n of t (required) skills" reason.
	counts   []reason
	countSet []bool
	// missing caches the "missing: ..." reason per set of missing offer
	// skills (a bit mask over p.skills when it has at most 64).
	missing map[uint64]reason
	labels  []string
	// labelBuf is scratch for skillSet's missing labels.
	labelBuf []string
	ok       []bool // per offer skill: matched by the current profile
	// Arenas the per-match slices are cut from, so a match allocates none
	// of its own; each cut is clipped, so appending to one copies it.
	strs  []string
	texts []string
	keys  []Reason
	chunk int
	// With at most 64 offer skills, the explanation of a match depends on
	// the profile only through a few keys: the skill lists and their
	// reasons per set of matched offer skills (bySkills, into skillSets),
	// and the whole reason list per explainKey (byKey, into lists).
	bySkills  keyTable
	skillSets []skillSet
	byKey     keyTable // by explainKey.pack
	lists     []reasonList
	// okLevels selects the credit levels of plan.masks that make an
	// offer skill matched (see skillMask).
	okLevels [4]uint64
}

func (p *plan) reasons() *reasonCache {
	c := &p.cache
	if c.ready {
		return c
	}
	c.ready = true
	o := p.o
	if c.byCountry == nil {
		c.byCountry = map[uint16]reason{}
	}
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
	c.byLocation, c.locSet = zeroed(c.byLocation, len(o.Locations)), zeroed(c.locSet, len(o.Locations))
	c.empBits = zeroed(c.empBits, len(o.Employment))
	for i, t := range o.Employment {
		c.empBits[i] = employmentBit(t)
	}
	c.byType, c.typeSet = zeroed(c.byType, len(o.Employment)), zeroed(c.typeSet, len(o.Employment))
	c.labels = zeroed(c.labels, len(p.skills))
	nReq := 0
	for i, sk := range p.skills {
		c.labels[i] = p.label(sk.id)
		if sk.required {
			nReq++
		}
	}
	t := nReq
	if t == 0 {
		t = len(p.skills)
	}
	c.counts, c.countSet = zeroed(c.counts, t+1), zeroed(c.countSet, t+1)
	c.ok = zeroed(c.ok, len(p.skills))
	c.chunk = max(c.chunk, 32) // kept from earlier offers with the arenas' tails
	c.okLevels = matchedLevels()
	return c
}

// reset returns an empty cache that keeps c's buffers, for the plan of
// another offer (see reusePlan). The arenas keep the part of their chunk
// not cut yet: what was cut belongs to the matches of earlier offers and
// is never written again.
func (c *reasonCache) reset() reasonCache {
	n := reasonCache{
		byCountry:  c.byCountry,
		byLocation: c.byLocation[:0],
		locSet:     c.locSet[:0],
		empBits:    c.empBits[:0],
		byType:     c.byType[:0],
		typeSet:    c.typeSet[:0],
		counts:     c.counts[:0],
		countSet:   c.countSet[:0],
		missing:    c.missing,
		labels:     c.labels[:0],
		labelBuf:   c.labelBuf[:0],
		ok:         c.ok[:0],
		chunk:      c.chunk,
		strs:       c.strs,
		texts:      c.texts,
		keys:       c.keys,
		bySkills:   c.bySkills,
		skillSets:  c.skillSets[:0],
		byKey:      c.byKey,
		lists:      c.lists[:0],
	}
	// Drop what the buffers point to (beyond their lengths they hold
	// nothing).
	clear(n.byCountry)
	clear(n.missing)
	clear(c.byLocation)
	clear(c.byType)
	clear(c.counts)
	clear(c.skillSets)
	clear(c.lists)
	n.bySkills.reset()
	n.byKey.reset()
	return n
}

// where is the reason saying why the place fits.
func (p *plan) where(e *entry, g gateResult) (reason, bool) {
	c := p.reasons()
	if p.g.workplace == wpRemote {
		if c.scope != nil {
			return *c.scope, true
		}
		if c.haveCountry && c.lastCountry == e.country {
			return c.lastCountryR, true
		}
		r, ok := c.byCountry[e.country]
		if !ok {
			cc := countryCodes[e.country]
			name := countryName(cc)
			r = newReason(ReasonRemoteOpenTo, "remote, open to "+name, name, cc)
			c.byCountry[e.country] = r
		}
		c.haveCountry, c.lastCountry, c.lastCountryR = true, e.country, r
		return r, true
	}
	if g.loc < 0 || g.loc >= len(p.o.Locations) {
		return reason{}, false
	}
	if c.locSet[g.loc] {
		return c.byLocation[g.loc], true
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
	c.byLocation[g.loc], c.locSet[g.loc] = r, true
	return r, true
}

// grow returns the size of the next arena chunk holding at least n.
func (c *reasonCache) grow(n int) int {
	size := max(n, c.chunk)
	c.chunk = min(2*c.chunk, 1024)
	return size
}

func (c *reasonCache) takeStrs(n int) []string {
	if len(c.strs) < n || c.strs == nil {
		c.strs = make([]string, c.grow(n))
	}
	s := c.strs[:n:n]
	c.strs = c.strs[n:]
	return s
}

func (c *reasonCache) takeReasons(rs []reason) ([]string, []Reason) {
	n := len(rs)
	if len(c.texts) < n || c.texts == nil {
		size := c.grow(8 * n)
		c.texts, c.keys = make([]string, size), make([]Reason, size)
	}
	texts, keys := c.texts[:n:n], c.keys[:n:n]
	c.texts, c.keys = c.texts[n:], c.keys[n:]
	for i, r := range rs {
		texts[i], keys[i] = r.text, r.key
	}
	return texts, keys
}

// maxReasons is the most reasons one match can carry.
const maxReasons = 8

// matchGeneral builds the explained Match of a scored profile: what
// plan.match does, for offers with more than 64 skills.
func (p *plan) matchGeneral(profileID string, e *entry, r scored) Match {
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
	}
	if m.URL == "" {
		m.URL = o.ApplyURL
	}
	var buf [maxReasons]reason
	rs := buf[:0]

	if w, ok := p.where(e, r.gate); ok {
		rs = append(rs, w)
	}
	if c.level != nil {
		rs = append(rs, *c.level)
	}
	if e.employment != 0 {
		for i, b := range c.empBits {
			if b != 0 && b&e.employment != 0 {
				if o.Employment[i] == jobs.Internship && o.Seniority == jobs.SeniorityInternship && c.level != nil {
					break // "internship" is already the level reason
				}
				if !c.typeSet[i] {
					t := o.Employment[i]
					c.byType[i], c.typeSet[i] = newReason(ReasonEmploymentFit, employmentText[t], t), true
				}
				rs = append(rs, c.byType[i])
				break
			}
		}
	}

	// Skills: an offer skill is matched when a profile skill gives it at
	// least matchedCredit.
	ok := c.ok
	clear(ok)
	for _, q := range e.skills() {
		for _, sc := range p.creditsOf(q) {
			if sc.credit >= matchedCredit {
				ok[sc.skill] = true
			}
		}
	}
	nReq, gotReq, nOpt, gotOpt, nMatched := 0, 0, 0, 0, 0
	var missMask uint64
	for i, s := range p.skills {
		if ok[i] {
			nMatched++
		}
		switch {
		case s.required && ok[i]:
			nReq++
			gotReq++
		case s.required:
			nReq++
			if i < 64 {
				missMask |= 1 << i
			}
		case ok[i]:
			nOpt++
			gotOpt++
		default:
			nOpt++
		}
	}
	nMiss := nReq - gotReq
	lists := c.takeStrs(nMatched + nMiss)
	m.MatchedSkills, m.MissingSkills = lists[:0:nMatched], lists[nMatched:nMatched:nMatched+nMiss]
	for i, s := range p.skills {
		switch {
		case ok[i]:
			m.MatchedSkills = append(m.MatchedSkills, s.id)
		case s.required:
			m.MissingSkills = append(m.MissingSkills, s.id)
		}
	}
	switch {
	case nReq > 0:
		rs = append(rs, c.count(gotReq, nReq, " required skills"))
	case nOpt > 0:
		rs = append(rs, c.count(gotOpt, nOpt, " skills"))
	}
	if nMiss > 0 {
		rs = append(rs, c.missingReason(p, missMask))
	}
	if c.languages != nil {
		rs = append(rs, *c.languages)
	}
	if c.fresh != nil {
		rs = append(rs, *c.fresh)
	}
	if r.role >= roleFitReason {
		rs = append(rs, *c.role)
	}
	m.Reasons, m.ReasonKeys = c.takeReasons(rs)
	return m
}

// count returns the "n of t" skills reason; t is the same for every match
// of one offer.
func (c *reasonCache) count(n, t int, what string) reason {
	if n < len(c.counts) && c.countSet[n] {
		return c.counts[n]
	}
	ns, ts := strconv.Itoa(n), strconv.Itoa(t)
	r := newReason(ReasonSkillsMatched, ns+" of "+ts+what, ns, ts)
	if n < len(c.counts) {
		c.counts[n], c.countSet[n] = r, true
	}
	return r
}

// missingReason lists the labels of the required skills c.ok does not
// mark, cached per missing set when the offer has at most 64 skills.
func (c *reasonCache) missingReason(p *plan, mask uint64) reason {
	cacheable := len(p.skills) <= 64
	if cacheable {
		if r, ok := c.missing[mask]; ok {
			return r
		}
	}
	var missing []string
	for i, s := range p.skills {
		if s.required && !c.ok[i] {
			missing = append(missing, c.labels[i])
		}
	}
	l := strings.Join(missing, ", ")
	r := newReason(ReasonSkillsMissing, "missing: "+l, l)
	if cacheable {
		if c.missing == nil {
			c.missing = map[uint64]reason{}
		}
		c.missing[mask] = r
	}
	return r
}

// label is the English label of a skill id, the id itself when unknown.
func (p *plan) label(id string) string {
	if l := p.t.tax.Label(id, "en"); l != "" {
		return l
	}
	return id
}
