package matcher

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

// DefaultMinScore is the score below which Match drops a pair when
// Options.MinScore is zero. A score of 0.3 needs roughly a third of the
// offer's weighted skills covered by a well-fitting graduate, or half of
// them when the role or the scope is uncertain.
const DefaultMinScore = 0.3

// Options configure matching. The zero value works.
type Options struct {
	// Taxonomy maps labels to skill ids; default skills.Default().
	Taxonomy *skills.Taxonomy
	// Now is the clock for expiry and freshness; default time.Now.
	Now func() time.Time
	// MinScore is the lowest score Match returns; 0 means DefaultMinScore.
	MinScore float64
	// AllowUnknownEligibility lets a remote offer whose page does not say
	// where applicants may live through as a labelled, lower-ranked match
	// (Match.EligibilityUnknown). Default true; see DenyUnknownEligibility.
	AllowUnknownEligibility bool
	// DenyUnknownEligibility rejects such offers instead. It exists because
	// the zero value of a bool cannot mean "true": set it to turn the
	// default off.
	DenyUnknownEligibility bool
	// RequireEmailAllowed rejects offers whose source forbids emailing them
	// (Terms.EmailAllowed=false). Off by default: the notifier enforces it.
	RequireEmailAllowed bool
	// Specificity holds skill document frequencies over current offers. An
	// Index makes its own when nil; Score then weighs every skill alike.
	Specificity *Specificity
}

func (o Options) withDefaults() Options {
	if o.Taxonomy == nil {
		o.Taxonomy = skills.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MinScore <= 0 {
		o.MinScore = DefaultMinScore
	}
	o.AllowUnknownEligibility = !o.DenyUnknownEligibility
	return o
}

// Specificity counts, for each skill id, in how many current offers it
// appears, so rare skills weigh more than ubiquitous ones (smoothed IDF).
// It is safe for concurrent use.
type Specificity struct {
	mu     sync.RWMutex
	df     map[string]int32
	offers map[string][]string // offer id -> skills counted
	order  []string            // offer ids in observation order, for the cap
	max    int
}

// DefaultSpecificityWindow is how many offers a Specificity remembers; the
// oldest are forgotten first.
const DefaultSpecificityWindow = 50_000

// NewSpecificity returns an empty table remembering at most window offers
// (DefaultSpecificityWindow when window <= 0).
func NewSpecificity(window int) *Specificity {
	if window <= 0 {
		window = DefaultSpecificityWindow
	}
	return &Specificity{df: map[string]int32{}, offers: map[string][]string{}, max: window}
}

// Observe counts o's skills (required and optional); observing the same
// offer id again replaces its earlier skills.
func (s *Specificity) Observe(o jobs.Offer) {
	ids := make([]string, 0, len(o.Skills)+len(o.OptionalSkills))
	for _, list := range [][]string{o.Skills, o.OptionalSkills} {
		for _, id := range list {
			if id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.offers[o.ID]; ok {
		s.uncount(old)
	} else {
		s.order = append(s.order, o.ID)
	}
	s.offers[o.ID] = ids
	for _, id := range ids {
		s.df[id]++
	}
	for len(s.offers) > s.max && len(s.order) > 0 {
		oldest := s.order[0]
		s.order = s.order[1:]
		if old, ok := s.offers[oldest]; ok {
			s.uncount(old)
			delete(s.offers, oldest)
		}
	}
	if len(s.order) > 2*s.max {
		s.order = slices.DeleteFunc(s.order, func(id string) bool { _, ok := s.offers[id]; return !ok })
	}
}

// Forget stops counting the offer (closed or expired).
func (s *Specificity) Forget(offerID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.offers[offerID]; ok {
		s.uncount(old)
		delete(s.offers, offerID)
	}
}

func (s *Specificity) uncount(ids []string) {
	for _, id := range ids {
		if s.df[id]--; s.df[id] <= 0 {
			delete(s.df, id)
		}
	}
}

// Weight returns 1 + ln((N+1)/(df+1)) for skill id: 1 when nothing was
// observed, larger for rarer skills.
func (s *Specificity) Weight(id string) float64 {
	if s == nil {
		return 1
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.weightLocked(id)
}

func (s *Specificity) weightLocked(id string) float64 {
	return 1 + math.Log(float64(len(s.offers)+1)/float64(s.df[id]+1))
}

// Len returns the number of offers counted.
func (s *Specificity) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.offers)
}

// tables intern what profiles share (skill ids, location wishes) and keep
// the taxonomy links of every interned skill. The index owns one; Score
// builds a throwaway one for a single profile.
type tables struct {
	tax      *skills.Taxonomy
	skillOrd map[string]uint32
	skillIDs []string
	// children[a] are interned skills that have a among their (transitive)
	// broader concepts. Related links are symmetric in the taxonomy, so
	// the offer side finds them with Related.
	children map[string][]uint32
	// ancestors[o] are the interned broader concepts of skill o.
	ancestors [][]uint32
	locOrd    map[string]uint32
	locKeys   []string
}

func newTables(tax *skills.Taxonomy) *tables {
	return &tables{
		tax:      tax,
		skillOrd: map[string]uint32{},
		children: map[string][]uint32{},
		locOrd:   map[string]uint32{},
	}
}

func (t *tables) internSkill(id string) uint32 {
	if o, ok := t.skillOrd[id]; ok {
		return o
	}
	o := uint32(len(t.skillIDs))
	t.skillOrd[id] = o
	t.skillIDs = append(t.skillIDs, id)
	t.ancestors = append(t.ancestors, nil)
	var anc []uint32
	for _, b := range t.tax.Broader(id) {
		if b != id {
			t.children[b] = append(t.children[b], o)
			anc = append(anc, t.internSkill(b))
		}
	}
	t.ancestors[o] = anc
	return o
}

// ancestorsOf returns the distinct broader concepts of skills.
func (t *tables) ancestorsOf(skills []uint32) []uint32 {
	var out []uint32
	for _, q := range skills {
		for _, a := range t.ancestors[q] {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

func (t *tables) internLoc(key string) uint32 {
	if o, ok := t.locOrd[key]; ok {
		return o
	}
	o := uint32(len(t.locKeys))
	t.locOrd[key] = o
	t.locKeys = append(t.locKeys, key)
	return o
}

// Limits of the compact form; extra values are dropped (fewer skills means
// a lower score, fewer locations a stricter gate, never a wrong match).
const (
	maxProfileSkills = 255
	maxProfileLocs   = 64
	maxHeadTokens    = 16
)

// entry is the packed form of one indexed profile: what gates and scoring
// read, with no strings.
type entry struct {
	// ints holds skill ordinals [0,nSkills), location ordinals
	// [nSkills,nSkills+nLocs), then hashed headline role words.
	ints       []uint32
	langs      uint64
	country    uint16
	nSkills    uint8
	nLocs      uint8
	seniority  uint8
	employment uint8
	workplace  uint8
	live       bool
	class      uint16 // gate class (index only)
}

func (e *entry) skills() []uint32 { return e.ints[:e.nSkills] }
func (e *entry) locs() []uint32   { return e.ints[e.nSkills : int(e.nSkills)+int(e.nLocs)] }
func (e *entry) head() []uint32   { return e.ints[int(e.nSkills)+int(e.nLocs):] }

// compile packs p, interning its skills and locations into t. It returns
// the labels the taxonomy does not know.
func compile(t *tables, p *profiles.Profile) (entry, []string) {
	ids, unknown := t.tax.MapLabels(p.Skills)
	var sk []uint32
	for _, id := range ids {
		o := t.internSkill(id)
		if !slices.Contains(sk, o) && len(sk) < maxProfileSkills {
			sk = append(sk, o)
		}
	}
	var locs []uint32
	for _, l := range p.Seeking.Locations {
		k := strings.TrimSpace(l)
		if k == "" {
			continue
		}
		o := t.internLoc(k)
		if !slices.Contains(locs, o) && len(locs) < maxProfileLocs {
			locs = append(locs, o)
		}
	}
	head := roleTokens(p.Headline, maxHeadTokens)
	ints := make([]uint32, 0, len(sk)+len(locs)+len(head))
	ints = append(append(append(ints, sk...), locs...), head...)
	e := entry{
		ints:       ints,
		country:    packCountry(p.Country),
		nSkills:    uint8(len(sk)),
		nLocs:      uint8(len(locs)),
		seniority:  bitsOf(p.Seeking.Seniority, seniorityBit),
		employment: bitsOf(p.Seeking.Employment, employmentBit),
		workplace:  bitsOf(p.Seeking.Workplace, workplaceBit),
		live:       true,
	}
	for _, l := range p.Languages {
		e.langs |= languageBit(l)
	}
	return e, unknown
}

// Index is an in-memory index of profiles for matching offers: an inverted
// index from skill to profile ordinals, with the gate data of every profile
// packed beside it. It is safe for concurrent use.
type Index struct {
	opts Options

	mu      sync.RWMutex
	t       *tables
	entries []entry
	ids     []string
	blobs   [][]byte // encoded profiles, for Profile
	ord     map[string]uint32
	free    []uint32
	// postings[skill] lists profile ordinals holding the skill, split by
	// gate class so an offer skips whole classes its static gates reject.
	postings [][]classList
	// under[a] lists the profiles holding a skill narrower than a.
	under   [][]classList
	classes classTable
	// countries counts live profiles per packed country, so a remote offer
	// open to none of them is dismissed without touching postings.
	countries map[uint16]int32
	live      int

	scratch sync.Pool
}

// NewIndex returns an empty index.
func NewIndex(opts Options) *Index {
	opts = opts.withDefaults()
	if opts.Specificity == nil {
		opts.Specificity = NewSpecificity(0)
	}
	return &Index{
		opts:      opts,
		t:         newTables(opts.Taxonomy),
		ord:       map[string]uint32{},
		countries: map[uint16]int32{},
	}
}

// Options returns the index's options with defaults filled in, including
// its Specificity, so Score on a single pair weighs skills as Match does.
func (ix *Index) Options() Options { return ix.opts }

// Upsert adds or replaces a profile. Skill labels are mapped through the
// taxonomy; labels it does not know stay on the stored profile (see
// Unknown).
func (ix *Index) Upsert(p profiles.Profile) {
	normalize(&p)
	if p.ID == "" {
		return
	}
	blob := encodeProfile(&p)
	id := strings.Clone(p.ID) // keep none of the caller's memory alive
	ix.mu.Lock()
	defer ix.mu.Unlock()
	e, _ := compile(ix.t, &p)
	o, exists := ix.ord[id]
	if exists {
		ix.unlink(o)
	} else if n := len(ix.free); n > 0 {
		o = ix.free[n-1]
		ix.free = ix.free[:n-1]
	} else {
		o = uint32(len(ix.entries))
		ix.entries = append(ix.entries, entry{})
		ix.ids = append(ix.ids, "")
		ix.blobs = append(ix.blobs, nil)
	}
	ix.entries[o] = e
	ix.ids[o] = id
	ix.blobs[o] = blob
	ix.ord[id] = o
	e.class = ix.classes.intern(e.seniority, e.employment, e.workplace)
	ix.entries[o].class = e.class
	for _, s := range e.skills() {
		for int(s) >= len(ix.postings) {
			ix.postings = append(ix.postings, nil)
		}
		ix.postings[s] = addToClass(ix.postings[s], e.class, o)
	}
	for _, a := range ix.t.ancestorsOf(e.skills()) {
		for int(a) >= len(ix.under) {
			ix.under = append(ix.under, nil)
		}
		ix.under[a] = addToClass(ix.under[a], e.class, o)
	}
	ix.countries[e.country]++
	ix.live++
}

// normalize applies Profile.Normalize without writing into the caller's
// slices.
func normalize(p *profiles.Profile) {
	p.Skills = slices.Clone(p.Skills)
	p.Languages = slices.Clone(p.Languages)
	p.Normalize()
}

// unlink removes ordinal o from postings and counters; the caller reuses
// or frees the slot.
func (ix *Index) unlink(o uint32) {
	e := &ix.entries[o]
	if !e.live {
		return
	}
	for _, s := range e.skills() {
		removeFromClass(ix.postings[s], e.class, o)
	}
	for _, a := range ix.t.ancestorsOf(e.skills()) {
		removeFromClass(ix.under[a], e.class, o)
	}
	if ix.countries[e.country]--; ix.countries[e.country] <= 0 {
		delete(ix.countries, e.country)
	}
	ix.live--
	*e = entry{}
}

// Remove deletes a profile; unknown ids are ignored.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	o, ok := ix.ord[id]
	if !ok {
		return
	}
	ix.unlink(o)
	delete(ix.ord, id)
	ix.ids[o] = ""
	ix.blobs[o] = nil
	ix.free = append(ix.free, o)
}

// Len returns the number of indexed profiles.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// Observe counts the offer's skills for specificity weighting. Call it for
// every current offer (before Match); Forget when an offer closes.
func (ix *Index) Observe(o jobs.Offer) { ix.opts.Specificity.Observe(o) }

// Forget stops counting a closed or expired offer's skills.
func (ix *Index) Forget(offerID string) { ix.opts.Specificity.Forget(offerID) }

// Profile returns the indexed profile with id.
func (ix *Index) Profile(id string) (profiles.Profile, bool) {
	ix.mu.RLock()
	o, ok := ix.ord[id]
	var blob []byte
	if ok {
		blob = ix.blobs[o]
	}
	ix.mu.RUnlock()
	if !ok {
		return profiles.Profile{}, false
	}
	p, err := decodeProfile(blob)
	if err != nil {
		return profiles.Profile{}, false
	}
	return p, true
}

// Unknown returns the skill labels of profile id that the taxonomy does not
// know, so they can be reported (and the taxonomy extended).
func (ix *Index) Unknown(id string) []string {
	p, ok := ix.Profile(id)
	if !ok {
		return nil
	}
	_, unknown := ix.opts.Taxonomy.MapLabels(p.Skills)
	return unknown
}

// slot is one profile's state during a query, kept together so a posting
// costs one cache line.
type slot struct {
	acc   float64 // accumulated weighted credit
	stamp uint32  // == epoch when touched by this query
	last  uint16  // offer skill that last credited the profile
}

// scratch is per-query working memory, pooled so Match does not allocate
// arrays sized by the number of profiles.
type scratch struct {
	epoch   uint32
	slots   []slot // per profile ordinal
	cands   []uint32
	loc     []int8 // per location ordinal: 0 unknown, >0 index+1 of the matching place, <0 none
	classOK []bool
}

func (ix *Index) getScratch(n, nloc int) *scratch {
	s, _ := ix.scratch.Get().(*scratch)
	if s == nil {
		s = &scratch{}
	}
	if len(s.slots) < n {
		s.slots = make([]slot, n+n/8)
		s.epoch = 0
	}
	s.epoch++
	if s.epoch == 0 { // wrapped: clear stamps
		clear(s.slots)
		s.epoch = 1
	}
	if cap(s.loc) < nloc {
		s.loc = make([]int8, nloc)
	}
	s.loc = s.loc[:nloc]
	clear(s.loc)
	s.cands = s.cands[:0]
	return s
}

// Match returns the profiles that pass every gate for o with a score of at
// least MinScore, best first (ties by profile id). Each Match carries &o.
func (ix *Index) Match(o jobs.Offer) []Match {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	pl, hits := ix.rank(&o)
	if len(hits) == 0 {
		return nil
	}
	out := make([]Match, len(hits))
	for i, h := range hits {
		out[i] = pl.match(ix.ids[h.o], &ix.entries[h.o], h.sc)
		out[i].Offer = &o
	}
	return out
}

// hit is one profile that passed every gate and MinScore.
type hit struct {
	o  uint32
	sc scored
}

// rank finds, gates and scores the profiles for o, best first; the caller
// holds ix.mu.
func (ix *Index) rank(o *jobs.Offer) (*plan, []hit) {
	if ix.live == 0 {
		return nil, nil
	}
	pl := newPlan(o, ix.t, ix.opts)
	if pl.dismissed() {
		return nil, nil
	}
	// Offer-level early exits: nobody the offer's place admits.
	if pl.g.workplace == wpRemote {
		if !pl.allowRemote() {
			return nil, nil
		}
		if pl.eligKnown {
			any := false
			for c := range ix.countries {
				if pl.admits(c) {
					any = true
					break
				}
			}
			if !any {
				return nil, nil
			}
		}
	}
	sc := ix.getScratch(len(ix.entries), len(ix.t.locKeys))
	defer ix.scratch.Put(sc)
	pl.locCache = sc.loc
	if pl.g.workplace != wpRemote && len(ix.t.locKeys) <= 4096 {
		any := false
		for k := range ix.t.locKeys {
			if pl.locOK(uint32(k)) {
				any = true
			}
		}
		if !any {
			return nil, nil
		}
	}

	// Static gates per class: whole posting sublists are skipped.
	classOK := sc.classOK[:0]
	for c := range ix.classes.keys {
		k := ix.classes.keys[c]
		classOK = append(classOK, c == overflowClass || pl.g.classPasses(k.seniority, k.employment, k.workplace))
	}
	sc.classOK = classOK

	// Phase 1: accumulate, for every profile met in the kept lists, its
	// weighted credit (the best link per offer skill). Lists dropped by
	// plan.lists cannot lift a profile to MinScore on their own.
	lists, restW := pl.lists(func(l postingList) int {
		n := 0
		for _, cl := range ix.postingsOf(l) {
			if classOK[cl.class] {
				n += len(cl.ords)
			}
		}
		return n
	})
	epoch, slots := sc.epoch, sc.slots
	for _, l := range lists {
		si := uint16(l.skill)
		for _, cl := range ix.postingsOf(l) {
			if !classOK[cl.class] {
				continue
			}
			for _, o := range cl.ords {
				st := &slots[o]
				if st.stamp != epoch {
					*st = slot{acc: l.contrib, stamp: epoch, last: si}
					sc.cands = append(sc.cands, o)
					continue
				}
				if st.last != si {
					st.last = si
					st.acc += l.contrib
				}
			}
		}
	}

	// Phase 2: full gates and exact scoring of the candidates whose upper
	// bound can reach MinScore; the same code Score runs.
	need := pl.needCredit()
	var hits []hit
	best := make([]float64, len(pl.skills))
	for _, o := range sc.cands {
		if slots[o].acc+restW < need {
			continue
		}
		e := &ix.entries[o]
		g, ok := pl.gate(e)
		if !ok {
			continue
		}
		r := pl.score(e, g, best)
		if accept(r.score, pl.minScore) {
			hits = append(hits, hit{o, r})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].sc.score != hits[j].sc.score {
			return hits[i].sc.score > hits[j].sc.score
		}
		return ix.ids[hits[i].o] < ix.ids[hits[j].o]
	})
	return pl, hits
}

// postingsOf returns the class lists behind one plan link.
func (ix *Index) postingsOf(l postingList) []classList {
	src := ix.postings
	if l.under {
		src = ix.under
	}
	if int(l.ord) >= len(src) {
		return nil
	}
	return src[l.ord]
}

// Gate classes: profiles with the same seeking bits (seniority,
// employment, workplace) share a class; an offer evaluates its static gates
// once per class. Beyond maxClasses distinct combinations, profiles go to
// the overflow class, which is always walked (the full gate still runs).

const (
	maxClasses    = 4096
	overflowClass = 0
)

type classKey struct{ seniority, employment, workplace uint8 }

type classTable struct {
	ids  map[classKey]uint16
	keys []classKey // keys[0] is the overflow class
}

func (t *classTable) intern(sen, emp, wp uint8) uint16 {
	if t.ids == nil {
		t.ids = map[classKey]uint16{}
		t.keys = []classKey{{}}
	}
	k := classKey{sen, emp, wp}
	if c, ok := t.ids[k]; ok {
		return c
	}
	if len(t.keys) >= maxClasses {
		return overflowClass
	}
	c := uint16(len(t.keys))
	t.ids[k] = c
	t.keys = append(t.keys, k)
	return c
}

// classList is the part of one skill's postings in one gate class.
type classList struct {
	class uint16
	ords  []uint32
}

func addToClass(lists []classList, class uint16, o uint32) []classList {
	for i := range lists {
		if lists[i].class == class {
			lists[i].ords = append(lists[i].ords, o)
			return lists
		}
	}
	return append(lists, classList{class: class, ords: []uint32{o}})
}

func removeFromClass(lists []classList, class uint16, o uint32) {
	for i := range lists {
		if lists[i].class != class {
			continue
		}
		l := lists[i].ords
		if j := slices.Index(l, o); j >= 0 {
			l[j] = l[len(l)-1]
			lists[i].ords = l[:len(l)-1]
		}
		return
	}
}

// Profile codec: the index keeps each profile as a compact binary record
// (a few hundred bytes) rather than the Go value with its many headers.

const codecVersion = 1

var errCodec = errors.New("matcher: corrupt profile record")

func encodeProfile(p *profiles.Profile) []byte {
	b := make([]byte, 0, 256)
	b = append(b, codecVersion)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	list := func(l []string) {
		b = binary.AppendUvarint(b, uint64(len(l)))
		for _, s := range l {
			str(s)
		}
	}
	for _, s := range []string{p.ID, p.Name, p.Email, p.Locale, p.City, p.Country, p.Headline, p.Availability, p.Alerts.Frequency} {
		str(s)
	}
	b = binary.AppendVarint(b, int64(p.GraduationYear))
	for _, l := range [][]string{p.Skills, p.Languages, p.Seeking.Seniority, p.Seeking.Employment, p.Seeking.Workplace, p.Seeking.Locations} {
		list(l)
	}
	var c byte
	if p.Consent.Alerts {
		c |= 1
	}
	if p.Consent.Searchable {
		c |= 2
	}
	if p.Consent.Recruiters {
		c |= 4
	}
	b = append(b, c)
	if p.UpdatedAt.IsZero() {
		b = append(b, 0)
	} else {
		t, err := p.UpdatedAt.MarshalBinary()
		if err != nil {
			b = append(b, 0)
		} else {
			b = append(b, byte(len(t)))
			b = append(b, t...)
		}
	}
	return slices.Clip(b)
}

func decodeProfile(b []byte) (profiles.Profile, error) {
	var p profiles.Profile
	if len(b) == 0 || b[0] != codecVersion {
		return p, errCodec
	}
	b = b[1:]
	bad := false
	uv := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			bad = true
			return 0
		}
		b = b[n:]
		return v
	}
	str := func() string {
		n := uv()
		if bad || n > uint64(len(b)) {
			bad = true
			return ""
		}
		s := string(b[:n])
		b = b[n:]
		return s
	}
	list := func() []string {
		n := uv()
		if bad || n > uint64(len(b)) {
			bad = true
			return nil
		}
		if n == 0 {
			return nil
		}
		l := make([]string, n)
		for i := range l {
			l[i] = str()
		}
		return l
	}
	for _, f := range []*string{&p.ID, &p.Name, &p.Email, &p.Locale, &p.City, &p.Country, &p.Headline, &p.Availability, &p.Alerts.Frequency} {
		*f = str()
	}
	gy, n := binary.Varint(b)
	if n <= 0 {
		return p, errCodec
	}
	b = b[n:]
	p.GraduationYear = int(gy)
	for _, f := range []*[]string{&p.Skills, &p.Languages, &p.Seeking.Seniority, &p.Seeking.Employment, &p.Seeking.Workplace, &p.Seeking.Locations} {
		*f = list()
	}
	if bad || len(b) < 2 {
		return p, errCodec
	}
	c := b[0]
	p.Consent = profiles.Consent{Alerts: c&1 != 0, Searchable: c&2 != 0, Recruiters: c&4 != 0}
	tl := int(b[1])
	b = b[2:]
	if tl > len(b) {
		return p, errCodec
	}
	if tl > 0 {
		if err := p.UpdatedAt.UnmarshalBinary(b[:tl]); err != nil {
			return p, errCodec
		}
	}
	return p, nil
}
