package matcher

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

// Scoring.
//
// score = base × (0.75 + 0.15·role + 0.10·fresh) × reservations
//
// base = C × (1 − 0.3·M): C is the specificity-weighted share of the offer's
// skills the graduate covers, required skills counting double optional ones,
// with one extra unit of weight in the denominator so an ad naming a single
// skill cannot look like a perfect fit; M is the weighted share of required
// skills missing, an extra penalty that optional skills do not carry.
// Coverage of one offer skill is 1 when the graduate has it, 0.9 when they
// have a narrower one (pytorch for "deep learning"), 0.5 for a related skill
// (tensorflow for pytorch) and 0.35 when they only have the broader field.
// role is the share of the offer title's role words found in the graduate's
// headline; fresh is 1 for an ad posted today, falling to 0 at 30 days.
// Reservations: 0.6 for a remote ad of unknown scope, 0.8 for a mid-level
// role offered to a junior seeker. Every factor is ≤ 1, so the score is in
// [0,1], and an upper bound from skills alone lets the index skip profiles
// that cannot reach MinScore.

// Credit for each link between an offer skill and a graduate skill.
const (
	creditExact    = 1.0
	creditNarrower = 0.9
	creditRelated  = 0.6 // a close skill (pandas for polars) is most of the way there
	creditBroader  = 0.35
	// matchedCredit is the least credit listed as a matched skill.
	matchedCredit = creditNarrower
)

const (
	optionalShare  = 0.5 // weight of an optional skill relative to a required one
	priorWeight    = 1.0 // extra weight in the coverage denominator
	missingPenalty = 0.3
	baseShare      = 0.75
	roleShare      = 0.15
	freshShare     = 0.10
	freshDays      = 30.0
	maxTitleTokens = 16
)

// link is one graduate skill that gives credit for an offer skill.
type link struct {
	ord    uint32
	credit float64
}

// offerSkill is one skill of the offer with its weight and expansion.
type offerSkill struct {
	id       string
	required bool
	w        float64 // specificity weight × optionalShare for optional skills
	exp      []link  // graduate skills giving credit, highest credit first
}

// plan is everything about one offer that does not depend on the profile.
type plan struct {
	o         *jobs.Offer
	t         *tables
	now       time.Time
	minScore  float64
	g         offerGates
	allowUnk  bool
	requireEm bool
	eligKnown bool
	skills    []offerSkill
	// credits[first[q]:first[q+1]] are the offer skills graduate skill
	// ordinal q credits (see creditsOf).
	first   []uint16
	credits []skillCredit
	// With at most 64 offer skills, masks[maskAt[q]][l] has bit i set when
	// graduate skill ordinal q gives offer skill i the credit of level l
	// (creditLevels); masks[0] is empty. Nil otherwise.
	maskAt []uint16
	masks  [][4]uint64
	req    []uint32 // per offer skill: all ones when required, else 0
	// Credit is counted in integer units, scale of them per unit of
	// weight: creditScale over the total weight plus priorWeight (see
	// creditScale); units[4*i+l] is what offer skill i earns at
	// creditLevels[l].
	scale float64
	units []uint32
	maxU  int // units of a profile holding every offer skill
	reqU  int // the same for the required skills
	// The share of required credit missing is missAll - gotReq*perReqU:
	// 1 - gotReq/reqU, or 0 when no skill is required.
	missAll, perReqU float64
	title            []uint32
	fresh            float64
	mMax             float64 // largest multiplier a profile can get
	admit            [677]int8
	locCache         []int8
	cache            reasonCache
	// fillBuf is newPlan's scratch; bufs, that of lists.
	fillBuf []uint16
	bufs    planBufs
}

// planBufs are the buffers of plan.lists, kept for the next plan.
type planBufs struct {
	all, keep, probe []postingList
	cost, order      []int
	probeSkill       []bool
}

// zeroed returns a slice of n zero values, reusing buf's memory when it
// is large enough.
func zeroed[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

type skillCredit struct {
	skill  int
	credit float64
}

func newPlan(o *jobs.Offer, t *tables, opts Options) *plan {
	return reusePlan(nil, o, t, opts)
}

// reusePlan is newPlan writing into p, a plan of an earlier offer whose
// matches are built (nil for a new one): it reuses p's buffers, none of
// which a Match refers to (the reasons' texts, keys and skill lists are
// cut from arenas whose cuts are never handed out twice).
func reusePlan(p *plan, o *jobs.Offer, t *tables, opts Options) *plan {
	var old plan
	if p == nil {
		p = new(plan)
	} else {
		old.skills, old.first, old.credits, old.fillBuf = p.skills[:0], p.first[:0], p.credits[:0], p.fillBuf[:0]
		old.req, old.units, old.maskAt, old.masks = p.req[:0], p.units[:0], p.maskAt[:0], p.masks[:0]
		old.bufs = p.bufs
		old.cache = p.cache.reset()
	}
	*p = plan{
		o:         o,
		t:         t,
		now:       opts.Now(),
		minScore:  opts.MinScore,
		allowUnk:  opts.AllowUnknownEligibility,
		requireEm: opts.RequireEmailAllowed,
		eligKnown: o.Eligibility.Known,
		skills:    old.skills,
		fillBuf:   old.fillBuf,
		bufs:      old.bufs,
		cache:     old.cache,
	}
	p.g = newOfferGates(o, p)
	spec := opts.Specificity
	if spec != nil {
		spec.mu.RLock()
	}
	add := func(id string, required bool) {
		if id == "" || slices.ContainsFunc(p.skills, func(s offerSkill) bool { return s.id == id }) {
			return
		}
		w := 1.0
		if spec != nil {
			w = spec.weightLocked(id)
		}
		if !required {
			w *= optionalShare
		}
		p.skills = append(p.skills, offerSkill{id: id, required: required, w: w})
	}
	for _, id := range o.Skills {
		add(id, true)
	}
	for _, id := range o.OptionalSkills {
		add(id, false)
	}
	if spec != nil {
		spec.mu.RUnlock()
	}
	// The credit table only reaches the largest ordinal an offer skill links
	// to: readers treat ordinals beyond it as giving no credit.
	n := 0
	for i := range p.skills {
		s := &p.skills[i]
		s.exp = p.expand(s.id)
		for _, l := range s.exp {
			n = max(n, int(l.ord)+1)
		}
	}
	// A counting sort of the links by graduate ordinal.
	p.first = zeroed(old.first, n+1)
	for i := range p.skills {
		for _, l := range p.skills[i].exp {
			p.first[l.ord+1]++
		}
	}
	for q := 1; q <= n; q++ {
		p.first[q] += p.first[q-1]
	}
	p.credits = zeroed(old.credits, int(p.first[n]))
	fill := append(p.fillBuf[:0], p.first[:n]...)
	p.fillBuf = fill
	total := 0.0
	for i := range p.skills {
		s := &p.skills[i]
		for _, l := range s.exp {
			p.credits[fill[l.ord]] = skillCredit{i, l.credit}
			fill[l.ord]++
		}
		total += s.w
	}
	p.scale = creditScale / (total + priorWeight)
	p.req = zeroed(old.req, len(p.skills))
	p.units = zeroed(old.units, 4*len(p.skills))
	for i := range p.skills {
		for l, cr := range creditLevels {
			p.units[4*i+l] = p.unit(i, cr)
		}
		p.maxU += int(p.units[4*i])
		if p.skills[i].required {
			p.req[i] = math.MaxUint32
			p.reqU += int(p.units[4*i])
		}
	}
	if p.reqU > 0 {
		p.missAll, p.perReqU = 1, 1/float64(p.reqU)
	}
	p.maskAt, p.masks = old.maskAt, old.masks
	p.buildMasks(n)
	p.title = roleTokens(o.Title, maxTitleTokens)
	if o.PostedAt != nil && !o.PostedAt.IsZero() {
		days := p.now.Sub(*o.PostedAt).Hours() / 24
		p.fresh = math.Max(0, math.Min(1, 1-days/freshDays))
	}
	p.mMax = baseShare + freshShare*p.fresh
	if len(p.title) > 0 {
		p.mMax += roleShare
	}
	if !p.eligKnown && p.g.workplace == wpRemote {
		p.mMax *= unknownScopeFactor
	}
	return p
}

// creditLevels are the credits of the links, highest first.
var creditLevels = [4]float64{creditExact, creditNarrower, creditRelated, creditBroader}

// Credit units. The credit of a profile is a sum of integers, one per
// offer skill: that skill's weight times the credit of the profile's best
// link, in units of 1/creditScale of the plan's denominator, rounded up
// (so the coverage C of the score is the credit over creditScale).
// Integer sums do not depend on the order of the terms, so Score, the scan
// and the index's walk over posting lists (which adds the same units in
// its own order, see Index.rank) compute the same score to the bit. The
// rounding moves a score by less than one part in 60,000 per offer skill.
// A walk counts at most maxGens offer skills, so a profile's units stay
// below 1<<16.
const creditScale = math.MaxUint16 - maxGens

// unit is the credit, in units, that offer skill i earns at credit.
func (p *plan) unit(i int, credit float64) uint32 {
	return uint32(math.Ceil(p.skills[i].w * credit * p.scale))
}

// buildMasks fills maskAt and masks for graduate ordinals below n.
func (p *plan) buildMasks(n int) {
	if len(p.skills) > 64 {
		p.maskAt, p.masks = nil, nil
		return
	}
	p.maskAt = zeroed(p.maskAt, n)
	p.masks = append(p.masks[:0], [4]uint64{})
	for q := range n {
		cs := p.creditsOf(uint32(q))
		if len(cs) == 0 {
			continue
		}
		var m [4]uint64
		for _, c := range cs {
			l := slices.Index(creditLevels[:], c.credit)
			if l < 0 {
				p.maskAt, p.masks = nil, nil // not a level: the general path
				return
			}
			m[l] |= 1 << uint(c.skill)
		}
		p.maskAt[q] = uint16(len(p.masks))
		p.masks = append(p.masks, m)
	}
}

// creditsOf returns the offer skills graduate skill ordinal q credits.
func (p *plan) creditsOf(q uint32) []skillCredit {
	if int(q)+1 >= len(p.first) {
		return nil
	}
	return p.credits[p.first[q]:p.first[q+1]]
}

// expand lists the interned graduate skills that give credit for offer
// skill id, each once with its best credit, highest first. The tables
// keep the answer until a new skill is interned; callers must not modify
// it.
func (p *plan) expand(id string) []link {
	t := p.t
	t.expMu.Lock()
	if t.expN != len(t.skillIDs) {
		clear(t.exp)
		t.expN = len(t.skillIDs)
	}
	out, ok := t.exp[id]
	t.expMu.Unlock()
	if ok {
		return out
	}
	out = p.expandUncached(id)
	t.expMu.Lock()
	if t.exp == nil {
		t.exp = map[string][]link{}
	}
	if t.expN == len(t.skillIDs) && len(t.exp) < maxExpansions {
		t.exp[id] = out
	}
	t.expMu.Unlock()
	return out
}

// maxExpansions bounds the expansions tables keep (offer skills are
// taxonomy ids, so the bound is rarely reached).
const maxExpansions = 1 << 14

func (p *plan) expandUncached(id string) []link {
	var out []link
	put := func(o uint32, c float64) {
		for i := range out {
			if out[i].ord == o {
				out[i].credit = max(out[i].credit, c)
				return
			}
		}
		out = append(out, link{o, c})
	}
	if o, ok := p.t.skillOrd[id]; ok {
		put(o, creditExact)
	}
	for _, o := range p.t.children[id] {
		put(o, creditNarrower)
	}
	for _, r := range p.t.tax.Related(id) {
		if o, ok := p.t.skillOrd[r]; ok && r != id {
			put(o, creditRelated)
		}
	}
	for _, b := range p.t.tax.Broader(id) {
		if o, ok := p.t.skillOrd[b]; ok && b != id {
			put(o, creditBroader)
		}
	}
	slices.SortStableFunc(out, func(a, b link) int { return cmp.Compare(b.credit, a.credit) })
	return slices.Clip(out)
}

// dismissed reports an offer no profile can take whatever its data.
func (p *plan) dismissed() bool {
	return p.g.expired || !p.g.langsOK || len(p.skills) == 0 || (p.requireEm && !p.o.Terms.EmailAllowed)
}

// admits caches Eligibility.Admits per packed country.
func (p *plan) admits(c uint16) bool {
	if c == 0 || int(c) >= len(p.admit) {
		return p.o.Eligibility.Known && p.o.Eligibility.Worldwide
	}
	switch p.admit[c] {
	case 1:
		return true
	case 2:
		return false
	}
	ok := p.o.Eligibility.Admits(countryCodes[c])
	p.admit[c] = 2
	if ok {
		p.admit[c] = 1
	}
	return ok
}

// locOK caches whether location wish k matches one of the offer's places.
func (p *plan) locOK(k uint32) bool {
	return p.locIndex(k) >= 0
}

// locIndex returns the index of the first offer location matching wish k,
// or -1.
func (p *plan) locIndex(k uint32) int {
	if int(k) < len(p.locCache) {
		switch v := p.locCache[k]; {
		case v == 0:
		case v < 0:
			return -1
		default:
			return int(v) - 1
		}
	}
	idx := -1
	for i, l := range p.o.Locations {
		if jobs.LocationMatches(l, p.t.locKeys[k]) {
			idx = i
			break
		}
	}
	if int(k) < len(p.locCache) && idx < 126 {
		if idx < 0 {
			p.locCache[k] = -1
		} else {
			p.locCache[k] = int8(idx + 1)
		}
	}
	return idx
}

// gate applies every gate to one profile.
func (p *plan) gate(e *entry) (gateResult, bool) {
	factor, ok := p.g.static(e)
	if !ok {
		return gateResult{}, false
	}
	return p.place(factor, e.country, e.locs())
}

// place applies the place gates to a profile that passed the static ones
// with factor.
func (p *plan) place(factor float64, country uint16, locs []uint32) (gateResult, bool) {
	r := gateResult{factor: factor, loc: -1}
	if p.g.workplace == wpRemote {
		if !p.eligKnown {
			if !p.allowUnk {
				return gateResult{}, false
			}
			r.scopeUnknown = true
			r.factor *= unknownScopeFactor
			return r, true
		}
		if !p.admits(country) {
			return gateResult{}, false
		}
		return r, true
	}
	// On site, hybrid or unknown workplace: one of the offer's places must
	// be one the graduate wants; no known place, no match.
	if r.loc = p.placeIndex(locs); r.loc >= 0 && !p.closedAbroad(country) {
		return r, true
	}
	return gateResult{}, false
}

// placeIndex returns the index of the offer location matching the first
// of the graduate's wished places that one matches, or -1.
func (p *plan) placeIndex(locs []uint32) int {
	for _, k := range locs {
		if i := p.locIndex(k); i >= 0 {
			return i
		}
	}
	return -1
}

// postingList is one link of the plan: profiles holding graduate skill ord
// (or, under, a skill narrower than ord) earn credit, q units, for offer
// skill skill.
type postingList struct {
	skill  int
	ord    uint32
	under  bool
	credit float64
	q      uint32
}

// lists splits the plan's posting lists in two, MaxScore style, so that
// few profiles become candidates:
//
//   - probe: every list of the non-essential offer skills, whose credits
//     add up to less than needCredit. A profile holding none of the other
//     skills cannot reach MinScore, so these lists only add credit to
//     profiles already met (for a bitmap list, one AND with the met bitmap
//     per word). Which skills is a knapsack: greedily, the most postings
//     per unit of credit first (a skill graduates often list but offers
//     rarely ask for is heavy, yet best left to probing); on the synthetic
//     generators this makes 7 to 19% fewer candidates than taking the
//     lightest skills first.
//   - keep: the lists of the other (essential) skills, walked in full:
//     their eligible holders become candidates.
//
// Both are grouped by offer skill, highest credit first. need is
// needCredit; length gives the number of postings the index would walk for
// a list. (Leaving the longest
// essential lists out and bounding their credit from a per-profile
// signature was measured too: since the walk counts exact credit, the
// profiles it would then have to recount cost more than it saves.)
func (p *plan) lists(need int, length func(postingList) int) (keep, probe []postingList) {
	n := 0
	for i := range p.skills {
		n += 2 + len(p.skills[i].exp)
	}
	b := &p.bufs
	all := slices.Grow(b.all[:0], n)
	cost := zeroed(b.cost, len(p.skills)) // postings of each skill's lists
	add := func(l postingList) {
		if n := length(l); n > 0 {
			all = append(all, l)
			cost[l.skill] += n
		}
	}
	for i := range p.skills {
		s := &p.skills[i]
		if o, ok := p.t.skillOrd[s.id]; ok {
			add(postingList{i, o, false, creditExact, p.unit(i, creditExact)})
			// One list for every narrower skill, instead of one per child.
			add(postingList{i, o, true, creditNarrower, p.unit(i, creditNarrower)})
		}
		for _, l := range s.exp {
			if l.credit == creditRelated || l.credit == creditBroader {
				add(postingList{i, l.ord, false, l.credit, p.unit(i, l.credit)})
			}
		}
	}
	// Non-essential skills: the most postings per unit of credit first,
	// as long as their credit fits the budget.
	order := b.order[:0]
	for i := range p.skills {
		order = append(order, i)
	}
	slices.SortFunc(order, func(a, b int) int {
		ua, ub := int(p.units[4*a]), int(p.units[4*b])
		if c := cmp.Compare(cost[b]*ua, cost[a]*ub); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	probeSkill := zeroed(b.probeSkill, len(p.skills))
	keep, probe = b.keep[:0], b.probe[:0]
	light := 0
	for _, i := range order {
		if u := int(p.units[4*i]); light+u < need {
			light += u
			probeSkill[i] = true
		}
	}
	for _, l := range all {
		if probeSkill[l.skill] {
			probe = append(probe, l)
		} else {
			keep = append(keep, l)
		}
	}
	bySkill := func(a, b postingList) int {
		if a.skill != b.skill {
			return cmp.Compare(a.skill, b.skill)
		}
		if a.credit != b.credit {
			return cmp.Compare(b.credit, a.credit)
		}
		if a.under != b.under {
			if a.under {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.ord, b.ord)
	}
	slices.SortFunc(keep, bySkill)
	slices.SortFunc(probe, bySkill)
	*b = planBufs{all: all[:0], keep: keep[:0], probe: probe[:0], cost: cost[:0], order: order[:0], probeSkill: probeSkill[:0]}
	return keep, probe
}

// needCredit is the credit, in units, below which a profile cannot reach
// MinScore (with a safety margin for rounding).
func (p *plan) needCredit() int { return p.needFor(1) }

// noCredit is needFor's answer when no credit reaches MinScore.
const noCredit = math.MaxInt32

// needFor is needCredit for profiles whose gates pass with factor: the
// least credit whose bound, with the best multiplier and the missing-skill
// penalty that credit still leaves, reaches MinScore; noCredit when none
// does. The bound grows with the credit, so a bisection finds it.
func (p *plan) needFor(factor float64) int {
	target := p.minScore * (1 - 1e-6)
	if p.mMax <= 0 || factor <= 0 || p.bound(p.maxU, p.mMax, factor) < target {
		return noCredit
	}
	lo, hi := -1, p.maxU // bound(lo) < target <= bound(hi)
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if p.bound(mid, p.mMax, factor) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// scored is the outcome of scoring one profile against the plan.
type scored struct {
	score float64
	gate  gateResult
	role  float64
}

// score computes the exact score of a gated profile: the same as
// Index.rank's, which adds the same credit units from the posting lists
// and calls finish. best is scratch of len(p.skills).
func (p *plan) score(e *entry, g gateResult, best []float64) scored {
	r := scored{gate: g}
	got, gotReq := creditOf(p, e.skills(), best)
	if got == 0 {
		return r
	}
	r.role = p.roleOf(e.head())
	r.score = p.finish(got, gotReq, r.role, g.factor)
	return r
}

// creditOf returns the credit, in units, that a profile with skills gets
// for the offer's skills, in all and for the required ones. best is scratch
// of len(p.skills).
func creditOf(p *plan, skills []uint32, best []float64) (got, gotReq int) {
	if p.masks != nil {
		// The offer skills credited at each level, ORed over the
		// graduate's skills; then, in offer-skill order, the best level of
		// each: the same sums as the general path (which adds zeros for
		// the others; so does req, 0 for optional skills).
		var m [4]uint64
		for _, q := range skills {
			if int(q) < len(p.maskAt) {
				mm := &p.masks[p.maskAt[q]]
				m[0], m[1], m[2], m[3] = m[0]|mm[0], m[1]|mm[1], m[2]|mm[2], m[3]|mm[3]
			}
		}
		for all := m[0] | m[1] | m[2] | m[3]; all != 0; all &= all - 1 {
			i := bits.TrailingZeros64(all)
			b := uint64(1) << uint(i)
			l := 3
			switch {
			case m[0]&b != 0:
				l = 0
			case m[1]&b != 0:
				l = 1
			case m[2]&b != 0:
				l = 2
			}
			v := p.units[4*i+l]
			got += int(v)
			gotReq += int(v & p.req[i])
		}
		return got, gotReq
	}
	clear(best)
	for _, q := range skills {
		for _, sc := range p.creditsOf(q) {
			best[sc.skill] = max(best[sc.skill], sc.credit) // no branch
		}
	}
	for i := range p.skills {
		v := p.unit(i, best[i])
		got += int(v)
		gotReq += int(v & p.req[i])
	}
	return got, gotReq
}

// finish turns a profile's credit in units (got > 0; gotReq of it for
// required skills), role fit and gate factor into its score.
func (p *plan) finish(got, gotReq int, role, factor float64) float64 {
	if p.reqU == 0 && role == 0 {
		// Only nice-to-have skills named ("Excel apprécié" in a coaching
		// ad): too little evidence unless the title fits the graduate.
		return 0
	}
	c := float64(got) * (1.0 / creditScale)
	miss := p.missAll - float64(gotReq)*p.perReqU
	s := c * (1 - missingPenalty*miss) * p.multiplier(role) * factor
	if s > 1 {
		s = 1
	} else if s < 0 {
		s = 0
	}
	return s
}

// roleOf is the share of the offer title's role words found in head.
func (p *plan) roleOf(head []uint32) float64 {
	if len(p.title) == 0 {
		return 0
	}
	n := 0
	for _, t := range p.title {
		if slices.Contains(head, t) {
			n++
		}
	}
	return float64(n) / float64(len(p.title))
}

// multiplier is the factor of the score that role fit and freshness give.
func (p *plan) multiplier(role float64) float64 {
	return baseShare + roleShare*role + freshShare*p.fresh
}

// bound is an upper bound of the score of a profile whose credit is at
// most credit units, with multiplier m and gate factor. The score grows
// with the credit and more so with required credit, so the bound gives the
// credit to required skills first. It makes the same operations as finish
// on values at least as large: finish never exceeds it.
func (p *plan) bound(credit int, m, factor float64) float64 {
	got := min(credit, p.maxU)
	miss := p.missAll - float64(min(got, p.reqU))*p.perReqU
	return float64(got) * (1.0 / creditScale) * (1 - missingPenalty*miss) * m * factor
}

// accept is the final filter shared by the index and the brute force.
func accept(score, minScore float64) bool { return score > 0 && score >= minScore }

// Score scores one profile against one offer, applying every gate; ok is
// false when a gate rejects the pair or the score is below MinScore (a pair
// with no skill in common scores 0), so ok means "Index.Match would return
// this pair". It is the brute-force reference the index is tested against:
// it builds its own tables for the one profile, so it is slow. Pass
// Index.Options() to weigh skills as the index does.
func Score(p profiles.Profile, o jobs.Offer, opts Options) (Match, bool) {
	m, passed := scorePair(p, o, opts)
	if !passed || !accept(m.Score, opts.withDefaults().MinScore) {
		return Match{}, false
	}
	return m, true
}

// scorePair is Score without the MinScore filter: ok reports the gates.
func scorePair(p profiles.Profile, o jobs.Offer, opts Options) (Match, bool) {
	opts = opts.withDefaults()
	normalize(&p)
	t := newTables(opts.Taxonomy)
	e, _ := compile(t, &p)
	pl := newPlan(&o, t, opts)
	if pl.g.expired || !pl.g.langsOK || (pl.requireEm && !o.Terms.EmailAllowed) {
		return Match{}, false
	}
	g, ok := pl.gate(&e)
	if !ok {
		return Match{}, false
	}
	best := make([]float64, len(pl.skills))
	r := pl.score(&e, g, best)
	m := pl.match(p.ID, &e, r)
	m.Offer = &o
	return m, true
}

// Role-fit tokens: offer titles and graduate headlines are reduced to a few
// hashed role words, French and English spellings of one word meeting on a
// single key.

// roleSynonyms maps a folded word to its role key.
var roleSynonyms = map[string]string{
	"analyste": "analyst", "analystes": "analyst", "analysts": "analyst", "analytics": "analyst",
	"analyse": "analyst", "analysis": "analyst", "analytique": "analyst",
	"ingenieur": "engineer", "ingenieure": "engineer", "ingenieurs": "engineer", "engineers": "engineer",
	"engineering": "engineer", "ingenierie": "engineer",
	"donnees": "data", "donnee": "data",
	"developpeur": "developer", "developpeuse": "developer", "developers": "developer",
	"development": "developer", "developpement": "developer", "dev": "developer",
	"scientist": "science", "scientists": "science", "scientifique": "science", "sciences": "science",
	"statisticien": "statistics", "statisticienne": "statistics", "statistician": "statistics",
	"statistique": "statistics", "statistiques": "statistics", "statistical": "statistics",
	"ia": "ai", "chercheur": "researcher", "chercheuse": "researcher",
	"research": "researcher", "recherche": "researcher",
	"consultante": "consultant", "architecte": "architect",
}

// rolePhrases are two-word phrases folded into one key (a stopword between
// the two words is skipped: "vision par ordinateur").
var rolePhrases = map[string]string{
	"machine learning":          "ml",
	"apprentissage automatique": "ml",
	"deep learning":             "dl",
	"apprentissage profond":     "dl",
	"computer vision":           "vision",
	"vision ordinateur":         "vision",
	"artificial intelligence":   "ai",
	"intelligence artificielle": "ai",
	"business intelligence":     "bi",
	"big data":                  "bigdata",
	"full stack":                "fullstack",
	"language processing":       "nlp",
	"traitement langage":        "nlp",
}

// roleStopwords carry no role: articles, levels, contract words.
var roleStopwords = map[string]bool{
	"de": true, "des": true, "du": true, "la": true, "le": true, "les": true, "l": true, "d": true,
	"en": true, "et": true, "a": true, "au": true, "aux": true, "pour": true, "par": true, "sur": true,
	"un": true, "une": true, "h": true, "f": true, "m": true, "x": true, "hf": true, "fh": true,
	"and": true, "of": true, "the": true, "for": true, "in": true, "at": true, "with": true, "to": true,
	"an": true, "or": true, "ou": true, "junior": true, "senior": true, "jr": true, "sr": true,
	"stage": true, "stagiaire": true, "intern": true, "internship": true, "alternance": true,
	"alternant": true, "apprenti": true, "apprentie": true, "cdi": true, "cdd": true, "remote": true,
	"teletravail": true, "hybride": true, "hybrid": true, "mid": true, "lead": true, "confirme": true,
	"debutant": true, "i": true, "ii": true, "iii": true, "pfe": true, "fin": true, "etudes": true,
	"offre": true, "poste": true, "job": true, "master": true, "licence": true, "diplome": true,
	"graduate": true, "laureat": true, "jeune": true, "new": true, "grad": true, "freelance": true,
	"principal": true, "staff": true, "chef": true, "head": true, "manager": true,
}

// foldText lower-cases, strips accents and turns punctuation into spaces.
func foldText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	if isASCII(s) { // nothing to decompose
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				b.WriteByte(c)
			case 'A' <= c && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
			default:
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// roleTokens returns the distinct hashed role words of s, at most limit.
func roleTokens(s string, limit int) []uint32 {
	words := strings.Fields(foldText(s))
	var out []uint32
	add := func(w string) {
		if len(out) >= limit {
			return
		}
		if v := fnv32a(w); !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for i := 0; i < len(words); i++ {
		if i+1 < len(words) {
			if k, ok := rolePhrases[words[i]+" "+words[i+1]]; ok {
				add(k)
				i++
				continue
			}
			if i+2 < len(words) && roleStopwords[words[i+1]] {
				if k, ok := rolePhrases[words[i]+" "+words[i+2]]; ok {
					add(k)
					i += 2
					continue
				}
			}
		}
		w := words[i]
		if roleStopwords[w] || len(w) < 2 {
			continue
		}
		if k, ok := roleSynonyms[w]; ok {
			w = k
		}
		add(w)
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// fnv32a is FNV-1a (hash/fnv's New32a) of s, without allocating.
func fnv32a(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}
