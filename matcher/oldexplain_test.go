package matcher

// The explained path as it was before the speed work (branch speed): a
// verbatim copy of Index.Match, Index.matches, Index.explain and the
// reason building of reasons.go at that time, kept as the baseline that
// BenchmarkExplain measures beside today's code and that
// TestExplainSameAsOld compares today's output with. Only the names
// changed (old prefix; oldPlan carries the old reason cache).

import (
	"strconv"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// oldPlan is a plan with the old reason cache.
type oldPlan struct {
	*plan
	cache oldReasonCache
}

// oldIndexMatch is Index.Match as it was.
func oldIndexMatch(ix *Index, o jobs.Offer) []Match {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc := ix.getScratch()
	defer ix.scratch.Put(sc)
	pl, hits := ix.rank(&o, sc)
	if len(hits) == 0 {
		return nil
	}
	return oldMatches(ix, &oldPlan{plan: pl}, hits, &o)
}

// oldMatches is Index.matches as it was.
func oldMatches(ix *Index, pl *oldPlan, hits []hit, o *jobs.Offer) []Match {
	out := make([]Match, len(hits))
	for i, h := range hits {
		out[i] = pl.match(ix.ids[h.o], &ix.entries[h.o], oldExplain(ix, pl.plan, h))
		out[i].Offer = o
	}
	return out
}

// oldExplain is Index.explain as it was.
func oldExplain(ix *Index, pl *plan, h hit) scored {
	e := &ix.entries[h.o]
	r := scored{score: h.score, gate: gateResult{loc: -1}, role: pl.roleOf(e.head())}
	if pl.g.workplace == wpRemote {
		r.gate.scopeUnknown = !pl.eligKnown
	} else {
		r.gate.loc = pl.placeIndex(e.locs())
	}
	return r
}

type oldReasonCache struct {
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
	ok      []bool // per offer skill: matched by the current profile
	// Arenas the per-match slices are cut from, so a match allocates none
	// of its own; each cut is clipped, so appending to one copies it.
	strs  []string
	texts []string
	keys  []Reason
	chunk int
}

func (p *oldPlan) reasons() *oldReasonCache {
	c := &p.cache
	if c.ready {
		return c
	}
	c.ready = true
	o := p.o
	c.byCountry = map[uint16]reason{}
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
	c.byLocation, c.locSet = make([]reason, len(o.Locations)), make([]bool, len(o.Locations))
	c.empBits = make([]uint8, len(o.Employment))
	for i, t := range o.Employment {
		c.empBits[i] = employmentBit(t)
	}
	c.byType, c.typeSet = make([]reason, len(o.Employment)), make([]bool, len(o.Employment))
	c.labels = make([]string, len(p.skills))
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
	c.counts, c.countSet = make([]reason, t+1), make([]bool, t+1)
	c.ok = make([]bool, len(p.skills))
	c.chunk = 32
	return c
}

// where is the reason saying why the place fits.
func (p *oldPlan) where(e *entry, g gateResult) (reason, bool) {
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
func (c *oldReasonCache) grow(n int) int {
	size := max(n, c.chunk)
	c.chunk = min(2*c.chunk, 4096)
	return size
}

func (c *oldReasonCache) takeStrs(n int) []string {
	if len(c.strs) < n || c.strs == nil {
		c.strs = make([]string, c.grow(n))
	}
	s := c.strs[:n:n]
	c.strs = c.strs[n:]
	return s
}

func (c *oldReasonCache) takeReasons(rs []reason) ([]string, []Reason) {
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

// match builds the explained Match of a scored profile.
func (p *oldPlan) match(profileID string, e *entry, r scored) Match {
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
	var buf [8]reason
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
func (c *oldReasonCache) count(n, t int, what string) reason {
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
func (c *oldReasonCache) missingReason(p *oldPlan, mask uint64) reason {
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
