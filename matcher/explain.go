package matcher

import (
	"math/bits"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// Explained matches, fast path. An offer with many matches (thousands on
// the clustered generator) used to build each one's skill lists and
// reasons anew: that cost several times the ranking. With at most 64
// offer skills, everything a match says besides its profile id and score
// depends on the profile through a few small keys: the set of offer
// skills it matches (a bit mask), the place or country that admits it,
// the employment type it seeks and whether the title fits its headline.
// plan.match computes those keys and takes the skill lists and the
// reason list from the plan's reasonCache, built once per distinct key;
// matches sharing a key share the slices (read-only, like Reason.Args).
// The texts are those matchGeneral (the code as it was) writes: the
// tests compare both on every generator (TestExplainSameAsOld).

// skillSet is what one set of matched offer skills explains.
type skillSet struct {
	matched, missing []string
	count, miss      reason
	hasCount         bool
}

// explainKey is everything, besides the offer, that the reasons of a
// match depend on (see plan.match).
type explainKey struct {
	where  int32 // plan.whereKey
	skills int32 // index in reasonCache.skillSets
	emp    int8  // index of the employment type reason, -1 for none
	role   bool  // the title fits
}

// reasonList is one list of reasons, as Match carries it.
type reasonList struct {
	texts []string
	keys  []Reason
}

// match builds the explained Match of a scored profile.
func (p *plan) match(profileID string, e *entry, r scored) Match {
	var m Match
	p.explainInto(&m, profileID, e, r)
	return m
}

// explainInto fills the zero Match m with the explained match of a scored
// profile (but not m.Offer).
func (p *plan) explainInto(m *Match, profileID string, e *entry, r scored) {
	if len(p.skills) > 64 {
		*m = p.matchGeneral(profileID, e, r)
		return
	}
	c := p.reasons()
	m.ProfileID = profileID
	p.fill(c, m, e, r, c.skillMask(p, e))
}

// skillMask has bit i set when the profile matches offer skill i: when
// one of its skills gives it at least matchedCredit (at most 64 offer
// skills). It reads the plan's masks per graduate skill when it has them.
func (c *reasonCache) skillMask(p *plan, e *entry) uint64 {
	var mask uint64
	if p.masks != nil {
		for _, q := range e.skills() {
			if int(q) < len(p.maskAt) {
				m := &p.masks[p.maskAt[q]]
				mask |= m[0]&c.okLevels[0] | m[1]&c.okLevels[1] | m[2]&c.okLevels[2] | m[3]&c.okLevels[3]
			}
		}
		return mask
	}
	for _, q := range e.skills() {
		for _, sc := range p.creditsOf(q) {
			if sc.credit >= matchedCredit {
				mask |= 1 << uint(sc.skill)
			}
		}
	}
	return mask
}

// matchedLevels has all ones for the credit levels (creditLevels) that
// make an offer skill matched, zero for the others.
func matchedLevels() (ok [4]uint64) {
	for l, cr := range creditLevels {
		if cr >= matchedCredit {
			ok[l] = ^uint64(0)
		}
	}
	return ok
}

// fill is explainInto once the skill mask is known and m.ProfileID set.
func (p *plan) fill(c *reasonCache, m *Match, e *entry, r scored, mask uint64) {
	o := p.o
	m.OfferID = o.ID
	m.URL = o.URL
	if m.URL == "" {
		m.URL = o.ApplyURL
	}
	m.Title = o.Title
	m.Company = o.Company
	m.Score = r.score
	m.EligibilityUnknown = r.gate.scopeUnknown
	m.MatchedAt = p.now
	k := explainKey{
		where:  p.whereKey(c, e, r.gate),
		skills: c.skillSet(p, mask),
		emp:    p.employmentIndex(c, e),
		role:   r.role >= roleFitReason,
	}
	li, ok := c.byKey.get(k.pack())
	if !ok {
		li = c.list(p, e, r.gate, k)
	}
	ss := &c.skillSets[k.skills]
	m.MatchedSkills, m.MissingSkills = ss.matched, ss.missing
	l := &c.lists[li]
	m.Reasons, m.ReasonKeys = l.texts, l.keys
}

// pack is k as one integer, the key of reasonCache.byKey.
func (k explainKey) pack() uint64 {
	role := uint64(0)
	if k.role {
		role = 1
	}
	// where+1 < 1<<17 (countries are uint16), skills >= 0.
	return uint64(k.where+1)<<46 | uint64(k.skills)<<9 | uint64(uint8(k.emp))<<1 | role
}

// whereKey identifies the place reason of a match (plan.where): -1 for
// none, 0 for the remote scope reason, 1+country for "remote, open to",
// else the index of the offer's location.
func (p *plan) whereKey(c *reasonCache, e *entry, g gateResult) int32 {
	if p.g.workplace == wpRemote {
		if c.scope != nil {
			return 0
		}
		return 1 + int32(e.country)
	}
	if g.loc < 0 || g.loc >= len(p.o.Locations) {
		return -1
	}
	return int32(g.loc)
}

// employmentIndex is the index in the offer's employment types of the
// one the employment reason names, -1 for none (as matchGeneral decides).
func (p *plan) employmentIndex(c *reasonCache, e *entry) int8 {
	if e.employment == 0 {
		return -1
	}
	for i, b := range c.empBits {
		if b != 0 && b&e.employment != 0 {
			if i > 127 || p.o.Employment[i] == jobs.Internship && p.o.Seniority == jobs.SeniorityInternship && c.level != nil {
				return -1 // "internship" is already the level reason
			}
			return int8(i)
		}
	}
	return -1
}

// skillSet returns the index in c.skillSets of what the set of matched
// offer skills mask explains, building it the first time.
func (c *reasonCache) skillSet(p *plan, mask uint64) int32 {
	if i, ok := c.bySkills.get(mask); ok {
		return i
	}
	nReq, gotReq, nOpt, gotOpt, nMatched := 0, 0, 0, 0, 0
	for i, s := range p.skills {
		ok := mask>>uint(i)&1 != 0
		if ok {
			nMatched++
		}
		switch {
		case s.required && ok:
			nReq++
			gotReq++
		case s.required:
			nReq++
		case ok:
			nOpt++
			gotOpt++
		default:
			nOpt++
		}
	}
	nMiss := nReq - gotReq
	lists := c.takeStrs(nMatched + nMiss)
	ss := skillSet{matched: lists[:0:nMatched], missing: lists[nMatched : nMatched : nMatched+nMiss]}
	labels := c.labelBuf[:0]
	for i, s := range p.skills {
		switch {
		case mask>>uint(i)&1 != 0:
			ss.matched = append(ss.matched, s.id)
		case s.required:
			ss.missing = append(ss.missing, s.id)
			labels = append(labels, c.labels[i])
		}
	}
	switch {
	case nReq > 0:
		ss.count, ss.hasCount = c.count(gotReq, nReq, " required skills"), true
	case nOpt > 0:
		ss.count, ss.hasCount = c.count(gotOpt, nOpt, " skills"), true
	}
	if nMiss > 0 {
		l := strings.Join(labels, ", ")
		ss.miss = newReason(ReasonSkillsMissing, "missing: "+l, l)
	}
	c.labelBuf = labels[:0]
	i := int32(len(c.skillSets))
	c.skillSets = append(c.skillSets, ss)
	c.bySkills.put(mask, i)
	return i
}

// list builds the reason list of key k (for a match of profile e, whose
// gate result is g), in matchGeneral's order, and returns its index in
// c.lists.
func (c *reasonCache) list(p *plan, e *entry, g gateResult, k explainKey) int32 {
	var buf [maxReasons]reason
	rs := buf[:0]
	if w, ok := p.where(e, g); ok {
		rs = append(rs, w)
	}
	if c.level != nil {
		rs = append(rs, *c.level)
	}
	if k.emp >= 0 {
		i := int(k.emp)
		if !c.typeSet[i] {
			t := p.o.Employment[i]
			c.byType[i], c.typeSet[i] = newReason(ReasonEmploymentFit, employmentText[t], t), true
		}
		rs = append(rs, c.byType[i])
	}
	ss := &c.skillSets[k.skills]
	if ss.hasCount {
		rs = append(rs, ss.count)
	}
	if len(ss.missing) > 0 {
		rs = append(rs, ss.miss)
	}
	if c.languages != nil {
		rs = append(rs, *c.languages)
	}
	if c.fresh != nil {
		rs = append(rs, *c.fresh)
	}
	if k.role {
		rs = append(rs, *c.role)
	}
	var l reasonList
	l.texts, l.keys = c.takeReasons(rs)
	i := int32(len(c.lists))
	c.lists = append(c.lists, l)
	c.byKey.put(k.pack(), i)
	return i
}

// keyTable maps uint64 keys to int32 values: an open-addressing hash table
// with linear probing, several times cheaper per lookup than a Go map for
// the thousands of lookups an offer with many matches makes.
type keyTable struct {
	keys  []uint64
	vals  []int32 // value+1; 0 marks an empty slot
	n     int
	shift uint
}

func (t *keyTable) slot(k uint64) int {
	return int((k * 0x9e3779b97f4a7c15) >> t.shift)
}

// get returns the value of k, if any.
func (t *keyTable) get(k uint64) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	mask := len(t.keys) - 1
	for i := t.slot(k); ; i = (i + 1) & mask {
		switch {
		case t.vals[i] == 0:
			return 0, false
		case t.keys[i] == k:
			return t.vals[i] - 1, true
		}
	}
}

// put sets the value of k, absent from t.
func (t *keyTable) put(k uint64, v int32) {
	if 4*(t.n+1) > 3*len(t.keys) {
		t.grow()
	}
	mask := len(t.keys) - 1
	i := t.slot(k)
	for t.vals[i] != 0 {
		i = (i + 1) & mask
	}
	t.keys[i], t.vals[i] = k, v+1
	t.n++
}

// reset empties t, keeping its memory.
func (t *keyTable) reset() {
	if t.n > 0 {
		clear(t.vals)
		t.n = 0
	}
}

func (t *keyTable) grow() {
	keys, vals := t.keys, t.vals
	size := max(64, 2*len(keys))
	t.keys, t.vals, t.n = make([]uint64, size), make([]int32, size), 0
	t.shift = uint(64 - bits.TrailingZeros(uint(size)))
	for i, v := range vals {
		if v != 0 {
			t.put(keys[i], v-1)
		}
	}
}
