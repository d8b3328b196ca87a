package matcher

import (
	"math/bits"
	"slices"

	"github.com/passerelle/passerelle/jobs"
)

// Eligibility bitmaps. Before it reads any posting, a query computes the
// set of profiles that pass every gate not depending on skills, as a
// bitmap over profile ordinals: the profiles whose wished place, spoken
// languages, country, workplace, employment type and level the offer
// admits. It is built from one ordinal set per value of each of those
// attributes (a few dozen sets of a few bits per profile), with word-wide
// AND/OR/AND-NOT, so the walk over postings then skips ineligible
// profiles with one bit test, without touching their state.

// ordSet is a set of profile ordinals: an unordered list while small, a
// bitmap once the bitmap is no larger than the list (4 bytes a member
// against one bit per ordinal up to the largest).
type ordSet struct {
	n    int
	hi   uint32 // largest ordinal added while a list
	list []uint32
	bits []uint64
}

// add adds o, which the set must not hold.
func (s *ordSet) add(o uint32) {
	s.n++
	if s.bits != nil {
		w := int(o >> 6)
		if w >= len(s.bits) {
			s.bits = append(s.bits, make([]uint64, w+1-len(s.bits))...)
		}
		s.bits[w] |= 1 << (o & 63)
		return
	}
	s.list = append(s.list, o)
	s.hi = max(s.hi, o)
	if len(s.list) >= 64 && len(s.list)*denseShare > int(s.hi)+64 {
		b := make([]uint64, s.hi/64+1)
		for _, x := range s.list {
			b[x>>6] |= 1 << (x & 63)
		}
		s.bits, s.list = b, nil
	}
}

func (s *ordSet) remove(o uint32) {
	if s.bits != nil {
		if w := int(o >> 6); w < len(s.bits) && s.bits[w]&(1<<(o&63)) != 0 {
			s.bits[w] &^= 1 << (o & 63)
			s.n--
		}
		return
	}
	if i := slices.Index(s.list, o); i >= 0 {
		s.list[i] = s.list[len(s.list)-1]
		s.list = s.list[:len(s.list)-1]
		s.n--
	}
}

// cost is the number of words or ordinals an operation with s reads.
func (s *ordSet) cost() int {
	if s.bits != nil {
		return len(s.bits)
	}
	return len(s.list)
}

// orInto adds s to the bitmap dst.
func (s *ordSet) orInto(dst []uint64) {
	if s.bits != nil {
		b := s.bits[:min(len(s.bits), len(dst))]
		for i, w := range b {
			dst[i] |= w
		}
		return
	}
	for _, o := range s.list {
		if int(o>>6) < len(dst) {
			dst[o>>6] |= 1 << (o & 63)
		}
	}
}

// andNotInto removes s from the bitmap dst.
func (s *ordSet) andNotInto(dst []uint64) {
	if s.bits != nil {
		b := s.bits[:min(len(s.bits), len(dst))]
		for i, w := range b {
			dst[i] &^= w
		}
		return
	}
	for _, o := range s.list {
		if int(o>>6) < len(dst) {
			dst[o>>6] &^= 1 << (o & 63)
		}
	}
}

// gateSets holds, for each value of each gate attribute, the profiles
// with that value.
type gateSets struct {
	live       ordSet // every live profile, always a bitmap
	seniority  [32]ordSet
	employment [128]ordSet
	workplace  [8]ordSet
	lang       [64]ordSet // per language bit
	country    [677]ordSet
	loc        []ordSet // per interned location wish
	// byPlace lists the location wishes under each of their place keys
	// (jobs.PlaceKeys), so an on-site offer tries only the wishes one of
	// its places can match, however many distinct wishes profiles type.
	byPlace map[string][]uint32
}

// update adds (or removes) profile o of entry e; locKeys are the interned
// location wishes.
func (g *gateSets) update(o uint32, e *entry, add bool, locKeys []string) {
	op := (*ordSet).remove
	if add {
		op = (*ordSet).add
	}
	if g.live.bits == nil {
		g.live.bits = []uint64{}
	}
	op(&g.live, o)
	op(&g.seniority[e.seniority&31], o)
	op(&g.employment[e.employment&127], o)
	op(&g.workplace[e.workplace&7], o)
	for l := e.langs; l != 0; l &= l - 1 {
		op(&g.lang[bits.TrailingZeros64(l)], o)
	}
	if int(e.country) < len(g.country) {
		op(&g.country[e.country], o)
	}
	for _, k := range e.locs() {
		for int(k) >= len(g.loc) {
			g.loc = append(g.loc, ordSet{})
			g.indexPlace(uint32(len(g.loc)-1), locKeys)
		}
		op(&g.loc[k], o)
	}
}

// indexPlace files location wish k under its place keys.
func (g *gateSets) indexPlace(k uint32, locKeys []string) {
	if int(k) >= len(locKeys) {
		return
	}
	if g.byPlace == nil {
		g.byPlace = map[string][]uint32{}
	}
	for _, key := range jobs.PlaceKeys(locKeys[k]) {
		g.byPlace[key] = append(g.byPlace[key], k)
	}
}

// filter restricts the bitmap elig to the profiles holding one of the
// values accept says yes to, among sets; tmp is scratch of len(elig).
// It reports whether any set accepted has a member. Depending on which
// reads less, it ORs the accepted sets into tmp and ANDs, or removes the
// rejected ones.
func filter(elig, tmp []uint64, sets []ordSet, accept func(v int) bool) bool {
	accCost, rejCost, accN, rej := len(elig), 0, 0, 0
	for v := range sets {
		s := &sets[v]
		if s.n == 0 {
			continue
		}
		if accept(v) {
			accCost += s.cost()
			accN += s.n
		} else {
			rejCost += s.cost()
			rej++
		}
	}
	switch {
	case accN == 0:
		return false
	case rej == 0:
		return true
	case rejCost <= accCost:
		for v := range sets {
			if s := &sets[v]; s.n > 0 && !accept(v) {
				s.andNotInto(elig)
			}
		}
		return true
	}
	clear(tmp)
	for v := range sets {
		if s := &sets[v]; s.n > 0 && accept(v) {
			s.orInto(tmp)
		}
	}
	for i := range elig {
		elig[i] &= tmp[i]
	}
	return true
}

// eligible fills elig (one bit per ordinal) with the profiles that pass
// the offer's gates other than skills: languages, workplace, employment,
// seniority and place (plan.gate without scores). It reports false when
// nobody does.
func (g *gateSets) eligible(pl *plan, elig, tmp []uint64) bool {
	copy(elig, g.live.bits)
	clear(elig[min(len(g.live.bits), len(elig)):])
	for l := pl.g.langs; l != 0; l &= l - 1 {
		// Unlike the other attributes, a profile holds several languages
		// or none: intersect with the set itself.
		s := &g.lang[bits.TrailingZeros64(l)]
		if s.n == 0 {
			return false
		}
		src := s.bits
		if src == nil {
			clear(tmp)
			s.orInto(tmp)
			src = tmp
		}
		for i := range elig {
			if i < len(src) {
				elig[i] &= src[i]
			} else {
				elig[i] = 0
			}
		}
	}
	if !filter(elig, tmp, g.workplace[:], func(v int) bool { return pl.g.workplaceOK(uint8(v)) }) ||
		!filter(elig, tmp, g.employment[:], func(v int) bool { return pl.g.employmentOK(uint8(v)) }) ||
		!filter(elig, tmp, g.seniority[:], func(v int) bool { _, ok := pl.g.seniorityOK(uint8(v)); return ok }) {
		return false
	}
	if pl.g.workplace == wpRemote {
		if !pl.eligKnown {
			return pl.allowUnk
		}
		return filter(elig, tmp, g.country[:], func(c int) bool { return pl.admits(uint16(c)) })
	}
	// On site, hybrid or unknown: one of the graduate's wished places must
	// be one of the offer's. A profile may wish several places, so only
	// the accepted sets can be combined (OR).
	// The wishes filed under a key of one of the offer's places are the
	// only ones that can match; plan.locOK decides (and a wish reached
	// twice is ORed twice, harmlessly).
	clear(tmp)
	any := false
	for _, l := range pl.o.Locations {
		for _, key := range l.MatchKeys() {
			for _, k := range g.byPlace[key] {
				if s := &g.loc[k]; s.n > 0 && pl.locOK(k) {
					s.orInto(tmp)
					any = true
				}
			}
		}
	}
	if !any {
		return false
	}
	for i := range elig {
		elig[i] &= tmp[i]
	}
	if pl.eligKnown {
		// An offer abroad that hires only people allowed to work there
		// (abroad.go).
		return filter(elig, tmp, g.country[:], func(c int) bool { return !pl.closedAbroad(uint16(c)) })
	}
	return true
}
