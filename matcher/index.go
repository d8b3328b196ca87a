package matcher

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

// DefaultMinScore is the score below which Match drops a pair when
// Options.MinScore is zero. A score of 0.20 needs roughly a fifth of the
// offer's weighted skills covered by a well-fitting graduate, or about a
// third of them when the role or the scope is uncertain. The matcher's
// list is for recall: the graduate's page shows what lies under the web's
// floor apart, as partial fits, and mails keep their own, higher floor
// (notifier.DefaultMinScore). History: 0.3, then 0.25 (graduates got 2–3
// offers when 4–7 fitted), then 0.20: on the blind heldout2 set 0.25 left
// relevant offers out (P@5 0.580 → 0.640, nDCG@10 0.867 → 0.896), and on
// the other sets nDCG@10 rose 0.855 → 0.866 (dev), 0.854 → 0.903 (with the
// real fixtures), 0.891 → 0.923 (heldout), P@5 unchanged; the matcher's
// list then keeps 94–95 of the 97 relevant matches (TestScoreFloors).
const DefaultMinScore = 0.20

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
	// counted is the number of offers counted in df without being
	// remembered (CountSpecificity).
	counted int
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
	return 1 + math.Log(float64(len(s.offers)+s.counted+1)/float64(s.df[id]+1))
}

// Len returns the number of offers counted.
func (s *Specificity) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.offers) + s.counted
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
	// exp caches plan.expand per offer skill id while the interned skills
	// (expN of them) stay the same; queries share it, hence expMu.
	expMu sync.Mutex
	expN  int
	exp   map[string][]link
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
//
// A query (rank) runs in three steps, cheapest first, so that little is
// read about profiles that cannot match:
//
//  0. Eligibility: a bitmap of the profiles whose languages, workplace,
//     employment, level and wished places (or country, for remote offers)
//     the offer admits, combined word-wide from one ordinal set per value
//     of each attribute (eligible.go).
//  1. Term at a time over the posting lists of the offer's skills,
//     accumulating each eligible profile's credit, in integer units, in a
//     pooled []uint32 per profile (no allocation per candidate). Array
//     lists are read only in the gate classes the offer admits; lists
//     holding many profiles are bitmaps, ANDed a word at a time with the
//     eligibility bitmap (postings.go). MaxScore pruning (plan.lists): the
//     lists of the offer skills that cannot lift a profile to MinScore on
//     their own only add credit to profiles met elsewhere.
//  2. The walked credit is exact, as integer sums do not depend on their
//     order: in ordinal order, candidates below the credit MinScore needs
//     (from the bound with the missing-skill penalty) are dropped, then
//     those below their class's own need; the others are scored with the
//     code Score runs, from their credit, gate factor and the role words
//     of their headline (once per distinct set). Only hits are
//     materialised and sorted (radix sort on the score when there are
//     many).
type Index struct {
	opts Options

	mu sync.RWMutex
	indexData

	scratch sync.Pool
}

// indexData is the whole content of an Index, which Compact replaces.
type indexData struct {
	// gen counts the Compact calls that replaced the data: a pooled
	// scratch of another generation is dropped (its caches are keyed by
	// the old ordinals).
	gen     uint64
	t       *tables
	entries []entry
	// ch[o] is what step 2 reads about a candidate, packed densely.
	ch    []classHead
	ids   []string
	pre   []uint64 // idPrefix of ids, so sorting hits reads no strings
	blobs [][]byte // encoded profiles, for Profile
	ord   map[string]uint32
	free  []uint32
	// disorder is set once a new id gets an ordinal out of the ids' order
	// (a reused slot, or an id below lastID, the largest appended): until
	// then, ties in ordinal order are in id order (see sortHits). Compact
	// clears it.
	disorder bool
	lastID   string
	// postings[skill] lists profile ordinals holding the skill, split by
	// gate class so an offer skips whole classes its static gates reject.
	postings []postings
	// under[a] lists the profiles holding a skill narrower than a.
	under    []postings
	classes  classTable
	headSets setTable
	// gates holds the profiles per value of each gate attribute, from
	// which a query computes who is eligible before reading postings.
	gates gateSets
	live  int
}

// NewIndex returns an empty index.
func NewIndex(opts Options) *Index {
	opts = opts.withDefaults()
	if opts.Specificity == nil {
		opts.Specificity = NewSpecificity(0)
	}
	return &Index{opts: opts, indexData: newIndexData(opts)}
}

func newIndexData(opts Options) indexData {
	return indexData{t: newTables(opts.Taxonomy), ord: map[string]uint32{}}
}

// Disordered reports whether the index's ordinals stopped following the
// profile ids (see indexData.disorder) or left free slots: Compact would
// then make matching faster or the index smaller.
func (ix *Index) Disordered() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.disorder || len(ix.free) > 0
}

// Compact renumbers the profiles in id order without free slots, which
// makes ties cheap to order again (see sortHits) and gives back the memory
// of removed profiles. It rebuilds the index from the profiles it keeps,
// holding the write lock meanwhile (about a second per 100,000 profiles on
// one core). It returns false when there was nothing to do, or when a kept
// profile no longer decodes (the index is then left as it was).
func (ix *Index) Compact() bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.disorder && len(ix.free) == 0 {
		return false
	}
	ids := make([]string, 0, len(ix.ord))
	for id := range ix.ord {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	fresh := newIndexData(ix.opts)
	for _, id := range ids {
		blob := ix.blobs[ix.ord[id]]
		p, err := decodeProfile(blob)
		if err != nil {
			return false
		}
		fresh.put(id, &p, blob)
	}
	fresh.gen = ix.gen + 1
	ix.indexData = fresh
	return true
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
	ix.put(id, &p, blob)
}

// put adds or replaces normalized profile p, encoded as blob.
func (ix *indexData) put(id string, p *profiles.Profile, blob []byte) {
	e, _ := compile(ix.t, p)
	o, exists := ix.ord[id]
	if exists {
		ix.unlink(o)
	} else if n := len(ix.free); n > 0 {
		o = ix.free[n-1]
		ix.free = ix.free[:n-1]
		ix.disorder = true
	} else {
		if id <= ix.lastID {
			ix.disorder = true
		}
		ix.lastID = max(ix.lastID, id)
		o = uint32(len(ix.entries))
		ix.entries = append(ix.entries, entry{})
		ix.ch = append(ix.ch, classHead{})
		ix.ids = append(ix.ids, "")
		ix.pre = append(ix.pre, 0)
		ix.blobs = append(ix.blobs, nil)
	}
	ix.entries[o] = e
	ix.ids[o] = id
	ix.pre[o] = idPrefix(id)
	ix.blobs[o] = blob
	ix.ord[id] = o
	class := ix.classes.intern(e.seniority, e.employment, e.workplace)
	ix.ch[o] = classHead{head: ix.headSets.intern(e.head()), class: class}
	for _, s := range e.skills() {
		for int(s) >= len(ix.postings) {
			ix.postings = append(ix.postings, postings{})
		}
		ix.postings[s].add(o, class)
	}
	for _, a := range ix.t.ancestorsOf(e.skills()) {
		for int(a) >= len(ix.under) {
			ix.under = append(ix.under, postings{})
		}
		ix.under[a].add(o, class)
	}
	ix.gates.update(o, &ix.entries[o], true, ix.t.locKeys)
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
func (ix *indexData) unlink(o uint32) {
	e := &ix.entries[o]
	if !e.live {
		return
	}
	ch := ix.ch[o]
	class := ch.class
	for _, s := range e.skills() {
		ix.postings[s].remove(o, class)
	}
	for _, a := range ix.t.ancestorsOf(e.skills()) {
		ix.under[a].remove(o, class)
	}
	ix.gates.update(o, e, false, ix.t.locKeys)
	ix.headSets.release(ch.head)
	ix.live--
	*e = entry{}
	ix.ch[o] = classHead{}
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
	ix.pre[o] = 0
	ix.blobs[o] = nil
	ix.free = append(ix.free, o)
}

// IDs returns the ids of the indexed profiles, in no particular order.
func (ix *Index) IDs() []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]string, 0, ix.live)
	for id := range ix.ord {
		out = append(out, id)
	}
	return out
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

// classHead is a profile's gate class and the key of its headline's role
// words in Index.headSets.
type classHead struct {
	head  uint32
	class uint16
}

// A query accumulates each candidate's credit in a pooled []uint32 slot
// per profile ordinal, in the plan's credit units (see creditScale): all
// of it in the low 16 bits, the required skills' share in the high 16.
// Slots are zero between queries (step 2 clears the ones it reads).

// maxGens bounds the distinct offer skills a query walks: each adds at
// most one unit of rounding to a credit of at most creditScale units, so
// the halves of a slot do not overflow. Beyond it rank scans every
// profile.
const maxGens = 1 << 12

// classGate is the outcome of the class gates for one offer.
type classGate struct {
	ok     bool
	factor float64
	need   int // least credit (in units) that can reach MinScore
}

// scratch is per-query working memory, pooled so Match does not allocate
// arrays sized by the number of profiles.
type scratch struct {
	gen     uint64   // indexData.gen this scratch was made for
	slots   []uint32 // per profile ordinal, zero between queries
	seen    []uint64 // bit per profile ordinal credited for the current offer skill
	met     []uint64 // bit per profile ordinal met in step 1; cleared after
	cands   []uint32 // walker.buf: the admitted part of one run of postings
	loc     []int8   // per location ordinal: 0 unknown, >0 index+1 of the matching place, <0 none
	classes []classGate
	// classKey is the offer gates classes were computed for; anyClass
	// whether one class passes.
	classKey [3]uint8
	anyClass bool
	// elig has a bit per profile ordinal that passes the offer's gates
	// other than skills; tmp is scratch of the same size.
	elig, tmp []uint64
	// Per-query cache keyed by head set; an entry is valid when its stamp
	// equals epoch.
	epoch   uint32
	roleAt  []uint32
	role    []float64
	pend    []pending
	hits    []hit
	hitsAlt []hit
	ties    []tie
	rows    []explainRow // see matches
	okAt    []uint64     // see matches; zero between queries
	touched uint32       // keeps matches' loads
	// plan is the plan of the last query, whose buffers the next reuses.
	plan *plan
}

func (ix *Index) getScratch() *scratch {
	s, _ := ix.scratch.Get().(*scratch)
	if s == nil || s.gen != ix.gen {
		s = &scratch{gen: ix.gen}
	}
	if n := len(ix.entries); len(s.slots) < n {
		s.slots = make([]uint32, n+n/8)
		s.met = make([]uint64, (len(s.slots)+63)/64)
		s.elig = make([]uint64, len(s.met))
		s.tmp = make([]uint64, len(s.met))
		s.seen = make([]uint64, len(s.met))
	}
	if nh := len(ix.headSets.vals); len(s.roleAt) < nh {
		nh += nh / 8
		s.roleAt, s.role = make([]uint32, nh), make([]float64, nh)
		s.epoch = 0
	}
	if s.epoch++; s.epoch == 0 {
		clear(s.roleAt)
		s.epoch = 1
	}
	nloc := len(ix.t.locKeys)
	if cap(s.loc) < nloc {
		s.loc = make([]int8, nloc)
	}
	s.loc = s.loc[:nloc]
	clear(s.loc)
	s.cands = s.cands[:0]
	s.hits = s.hits[:0]
	return s
}

// Match returns the profiles that pass every gate for o with a score of at
// least MinScore, best first (ties by profile id). Each Match carries &o.
// Matches of one offer may share their skill and reason slices: treat
// them as read-only.
func (ix *Index) Match(o jobs.Offer) []Match {
	return ix.AppendMatches(nil, o)
}

// AppendMatches appends to dst what Match returns for o and returns the
// extended slice. A caller matching offer after offer can pass the same
// buffer each time (dst[:0]), so that matching allocates no []Match: the
// matches of the previous offer are then overwritten.
func (ix *Index) AppendMatches(dst []Match, o jobs.Offer) []Match {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc := ix.getScratch()
	defer ix.scratch.Put(sc)
	pl, hits := ix.rank(&o, sc)
	if len(hits) == 0 {
		return dst
	}
	n := len(dst)
	dst = slices.Grow(dst, len(hits))[:n+len(hits)]
	ix.matches(dst[n:], pl, sc, hits, &o)
	return dst
}

// matches writes into out the explained matches of hits, carrying o; sc
// is the scratch rank used for them. Every field of out is written.
//
// The hits come best first, in no order of memory, and each needs a few
// cache misses (its entry, its packed skills and places, its id). One
// loop doing all the work per hit would wait for them one hit at a time;
// instead, short loops each read one level for every hit (entries and
// ids, then packed skills), so that the processor has many misses in
// flight, and the reasons are then assembled from what is in cache.
func (ix *Index) matches(out []Match, pl *plan, sc *scratch, hits []hit, o *jobs.Offer) {
	if len(pl.skills) > 64 {
		for i, h := range hits {
			out[i] = pl.match(ix.ids[h.o], &ix.entries[h.o], ix.explain(pl, sc, h))
			out[i].Offer = o
		}
		return
	}
	c := pl.reasons()
	rows := slices.Grow(sc.rows[:0], len(hits))[:len(hits)]
	for i, h := range hits {
		rows[i] = explainRow{e: ix.entries[h.o], head: h.head}
		out[i].ProfileID = ix.ids[h.o]
	}
	// Load the packed skills and places of every row first, without a
	// branch on what is loaded, so that their misses overlap; the loop
	// computing the masks (whose branches depend on the skills) then reads
	// them from cache.
	touched := uint32(0)
	for i := range rows {
		if ints := rows[i].e.ints; len(ints) > 0 {
			touched += ints[0] + ints[len(ints)-1]
		}
	}
	sc.touched = touched
	// okAt[q]: the offer skills graduate skill q matches (see
	// reasonCache.skillMask), zero beyond the offer's links; zero again
	// on return.
	n := len(ix.t.skillIDs)
	if len(sc.okAt) < n {
		sc.okAt = make([]uint64, n+n/8)
	}
	okAt := sc.okAt[:n]
	for i := range pl.skills {
		for _, l := range pl.skills[i].exp {
			if l.credit >= matchedCredit {
				okAt[l.ord] |= 1 << uint(i)
			}
		}
	}
	for i := range rows {
		row := &rows[i]
		var mask uint64
		for _, q := range row.e.skills() {
			mask |= okAt[q]
		}
		row.mask = mask
		if pl.g.workplace != wpRemote {
			row.loc = int32(pl.placeIndex(row.e.locs()))
		}
	}
	remote := pl.g.workplace == wpRemote
	for i, h := range hits {
		row := &rows[i]
		r := scored{score: h.score, gate: gateResult{loc: -1}, role: ix.role(pl, sc, row.head)}
		if remote {
			r.gate.scopeUnknown = !pl.eligKnown
		} else {
			r.gate.loc = int(row.loc)
		}
		m := &out[i]
		pl.fill(c, m, &row.e, r, row.mask)
		m.Offer = o
	}
	clear(rows) // they point into the index
	sc.rows = rows[:0]
	for i := range pl.skills {
		for _, l := range pl.skills[i].exp {
			okAt[l.ord] = 0
		}
	}
}

// explainRow is what matches gathers about one hit.
type explainRow struct {
	e    entry
	mask uint64
	head uint32
	loc  int32
}

// explain rebuilds, for the reasons of an explained match, what rank kept
// only implicitly: which of the offer's places the graduate wishes, whether
// the remote scope is unknown, and the role fit of the headline (from the
// query's cache per set of role words). Gate factors are left out: only
// the score, already computed, uses them.
func (ix *Index) explain(pl *plan, sc *scratch, h hit) scored {
	r := scored{score: h.score, gate: gateResult{loc: -1}, role: ix.role(pl, sc, ix.ch[h.o].head)}
	if pl.g.workplace == wpRemote {
		r.gate.scopeUnknown = !pl.eligKnown
	} else {
		r.gate.loc = pl.placeIndex(ix.entries[h.o].locs())
	}
	return r
}

// pending is a candidate of step 2 with what its gates read.
type pending struct {
	o, head uint32
	class   uint16
	acc     uint32 // walked credit, in units: all (low half), required (high half)
}

// hit is one profile that passed every gate and MinScore (how it passed
// is rebuilt by explain when the match is explained).
type hit struct {
	o     uint32
	head  uint32 // Index.ch[o].head, read by rank already
	score float64
}

// rank finds, gates and scores the profiles for o, best first; the caller
// holds ix.mu. The hits live in sc until it is put back.
func (ix *Index) rank(o *jobs.Offer, sc *scratch) (*plan, []hit) {
	if ix.live == 0 {
		return nil, nil
	}
	pl := reusePlan(sc.plan, o, ix.t, ix.opts)
	sc.plan = pl
	if pl.dismissed() {
		return nil, nil
	}
	pl.locCache = sc.loc
	need := pl.needCredit()
	if need == noCredit {
		return nil, nil
	}
	// Who passes every gate but skills, as a bitmap.
	elig := sc.elig[:len(sc.met)]
	if !ix.gates.eligible(pl, elig, sc.tmp[:len(elig)]) {
		return nil, nil
	}

	// Static gates per class: whole runs of array postings are skipped,
	// and each class gets the credit its best possible profile needs.
	// Offers with the same level, employment and workplace share the
	// outcome (classes are only ever added): the scratch keeps the last.
	key := [3]uint8{pl.g.seniority, pl.g.employment, pl.g.workplace}
	if sc.classKey != key || len(sc.classes) != len(ix.classes.keys) {
		classes := sc.classes[:0]
		sc.anyClass = false
		for c, k := range ix.classes.keys {
			g := classGate{ok: true, factor: 1}
			if c != overflowClass {
				g.factor, g.ok = pl.g.class(k.seniority, k.employment, k.workplace)
			}
			sc.anyClass = sc.anyClass || g.ok
			classes = append(classes, g)
		}
		sc.classes, sc.classKey = classes, key
	}
	classes := sc.classes
	if !sc.anyClass {
		return nil, nil
	}

	// Step 1: accumulate, for every eligible profile met in the essential
	// lists, its credit (the best link per offer skill); the non-essential
	// lists (probe) only add to profiles met (see plan.lists, which weighs
	// lists by their whole length, every class: a good enough guide that
	// costs nothing).
	lists, probe := pl.lists(need, func(l postingList) int {
		if p := ix.postingsOf(l); p != nil {
			return p.len()
		}
		return 0
	})
	nGens := 0
	for _, ls := range [2][]postingList{lists, probe} {
		for i, l := range ls { // sorted by skill
			if i == 0 || l.skill != ls[i-1].skill {
				nGens++
			}
		}
	}
	if nGens > maxGens {
		return pl, ix.scan(pl, sc)
	}
	var factors [4]float64 // the few distinct gate factors, and their needs
	var needs [4]int
	nf := 0
	for c := range classes {
		cg := &classes[c]
		if !cg.ok {
			continue
		}
		i := slices.Index(factors[:nf], cg.factor)
		if i < 0 {
			i = min(nf, len(factors)-1)
			factors[i] = cg.factor
			needs[i] = pl.needFor(cg.factor)
			nf = i + 1
		}
		cg.need = needs[i]
	}
	w := walker{classes: classes, slots: sc.slots, met: sc.met, seen: sc.seen[:len(elig)], buf: sc.cands}
	// Essential lists: every eligible holder becomes a candidate. Then
	// the non-essential ones add credit to candidates only.
	for pass, ls := range [2][]postingList{lists, probe} {
		w.filter, w.mark = elig, true
		if pass == 1 {
			w.filter, w.mark = sc.met, false
		}
		for i, l := range ls {
			// A new offer skill: nobody credited for it yet.
			if i == 0 || l.skill != ls[i-1].skill {
				clear(w.seen)
			}
			if p := ix.postingsOf(l); p != nil {
				// The credit in the low half of the slot, the required
				// credit in the high half.
				w.walk(p, l.q|l.q<<16&pl.req[l.skill])
			}
		}
	}
	slots, met, buf := w.slots, w.met, w.buf
	sc.cands = buf[:0]

	// Step 2: the walked credit is exact (integer sums do not depend on
	// their order): candidates below the credit MinScore needs are left
	// out, then each class's own need, then the score is computed with
	// Score's code (plan.finish).
	hits := sc.hits
	// Candidates in ordinal order, so that their slots and classes are
	// read in address order; the slots are cleared for the next query.
	// Which candidates have the credit is unpredictable: each is written,
	// and kept (n advances) when acc >= need, without a branch.
	pend := sc.pend[:0]
	for w, bitsW := range met {
		if bitsW == 0 {
			continue
		}
		met[w] = 0
		n := len(pend)
		pend = slices.Grow(pend, 64)[:n+64]
		for ; bitsW != 0; bitsW &= bitsW - 1 {
			o := uint32(w<<6 | bits.TrailingZeros64(bitsW))
			acc := slots[o]
			slots[o] = 0
			pend[n] = pending{o: o, acc: acc}
			n += int(uint(need-1-int(acc&0xffff)) >> 63)
		}
		pend = pend[:n]
	}
	// Gather the classes in a loop without branches, so the processor
	// overlaps the cache misses.
	for i := range pend {
		ch := ix.ch[pend[i].o]
		pend[i].class, pend[i].head = ch.class, ch.head
	}
	sc.pend = pend
	remoteUnknown := pl.g.workplace == wpRemote && !pl.eligKnown
	for _, p := range pend {
		o := p.o
		got, gotReq := int(p.acc&0xffff), int(p.acc>>16)
		cg := &classes[p.class]
		if got < cg.need || got == 0 {
			continue
		}
		// The same operations, in the same order, as plan.gate.
		g := gateResult{factor: cg.factor, loc: -1}
		if p.class == overflowClass {
			var ok bool
			if g, ok = pl.gate(&ix.entries[o]); !ok {
				continue
			}
		} else if remoteUnknown {
			g.scopeUnknown = true
			g.factor *= unknownScopeFactor
		}
		// Score's code (plan.score), with the credit from the walk.
		role := ix.role(pl, sc, p.head)
		if score := pl.finish(got, gotReq, role, g.factor); accept(score, pl.minScore) {
			hits = append(hits, hit{o, p.head, score}) // details: see explain
		}
	}
	return pl, ix.sortHits(sc, hits)
}

// walker credits the holders of posting lists in one query's slots.
type walker struct {
	classes []classGate
	slots   []uint32
	met     []uint64 // bit per profile credited by a marking walk
	// seen has a bit per profile credited for the current offer skill, so
	// that a profile in several lists of one skill gets only the first
	// (the lists of a skill come highest credit first): the best link.
	seen []uint64
	// filter has a bit per profile the walk may credit: the eligible ones
	// for essential lists (mark: they become candidates), the candidates
	// for non-essential ones.
	filter []uint64
	mark   bool
	buf    []uint32
}

// walk adds q to the slot of every holder in p that filter admits and
// that the current offer skill has not credited yet.
func (w *walker) walk(p *postings, q uint32) {
	slots, filter, met, seen := w.slots, w.filter, w.met, w.seen
	var markMask uint64 // all ones when the walk marks candidates
	if w.mark {
		markMask = ^uint64(0)
	}
	if p.bits != nil {
		// A word at a time: only admitted holders are touched.
		b := p.bits[:min(len(p.bits), len(filter))]
		met, seen = met[:len(b)], seen[:len(b)]
		for i, x := range b {
			x &= filter[i] &^ seen[i]
			if x == 0 {
				continue
			}
			seen[i] |= x
			if markMask != 0 { // a store less per word when probing
				met[i] |= x
			}
			for ; x != 0; x &= x - 1 {
				slots[i<<6|bits.TrailingZeros64(x)] += q
			}
		}
		return
	}
	// The runs of the admitted classes, then the tail (whose other
	// classes the filter rejects: it only admits eligible profiles). When
	// the runs are short, skipping them costs more than reading them: the
	// whole array is read instead.
	buf := w.buf
	start := uint32(0)
	whole := len(p.dir)*minRun > len(p.ords)
	for ri := 0; ri <= len(p.dir); ri++ {
		var ords []uint32
		switch {
		case whole && ri < len(p.dir):
			ords, ri = p.ords, len(p.dir)-1
		case ri < len(p.dir):
			r := p.dir[ri]
			ords, start = p.ords[start:r.end], r.end
			if !w.classes[r.class].ok {
				continue
			}
		default:
			ords = p.tail
		}
		// Keep the admitted ordinals without a branch (which ones are is
		// unpredictable), then credit them.
		if cap(buf) < len(ords) {
			buf = make([]uint32, len(ords)+len(ords)/4)
		}
		buf = buf[:len(ords)]
		n := 0
		for _, o := range ords {
			buf[n] = o
			n += int((filter[o>>6] &^ seen[o>>6]) >> (o & 63) & 1)
		}
		for _, o := range buf[:n] {
			bit := uint64(1) << (o & 63)
			slots[o] += q
			seen[o>>6] |= bit
			met[o>>6] |= bit & markMask
		}
	}
	w.buf = buf
}

// minRun is the average run length of a posting array below which a walk
// reads the whole array rather than the runs of the admitted classes (4 to
// 8 measure alike on the synthetic data; 16 is slower).
const minRun = 6

// scan gates and scores every live profile: the fallback for offers with
// more skills than a query can track.
func (ix *Index) scan(pl *plan, sc *scratch) []hit {
	best := make([]float64, len(pl.skills))
	hits := sc.hits
	for o := range ix.entries {
		e := &ix.entries[o]
		if !e.live {
			continue
		}
		g, ok := pl.gate(e)
		if !ok {
			continue
		}
		if r := pl.score(e, g, best); accept(r.score, pl.minScore) {
			hits = append(hits, hit{uint32(o), ix.ch[o].head, r.score})
		}
	}
	return ix.sortHits(sc, hits)
}

// sortHits orders hits, given in ordinal order, best first, ties by
// profile id (tie.before). Many hits are radix-sorted on a key of the
// score's top bits, then each run sharing one is ordered by sortRun.
func (ix *Index) sortHits(sc *scratch, hits []hit) []hit {
	if len(hits) < 2 {
		return hits
	}
	if len(hits) < radixMin {
		ix.sortRun(sc, hits)
		return hits
	}
	hits, sc.hitsAlt = radixByScore(hits, sc.hitsAlt)
	// The radix sort ordered the scores' keys: finish each run sharing
	// one by score, then id.
	for i := 0; i < len(hits); {
		j := i + 1
		for j < len(hits) && scoreKey(hits[j].score) == scoreKey(hits[i].score) {
			j++
		}
		if j-i > 1 {
			ix.sortRun(sc, hits[i:j])
		}
		i = j
	}
	sc.hits = hits
	return hits
}

// sortRun orders run by tie.before. A run is in ordinal order (sortHits'
// radix sort is stable), often the ids' order already: then it is only
// checked, from the scores alone while ordinals follow ids (disorder).
func (ix *Index) sortRun(sc *scratch, run []hit) {
	if !ix.disorder {
		sorted := true
		for k := 1; k < len(run); k++ {
			sorted = sorted && run[k].score <= run[k-1].score
		}
		if sorted {
			return
		}
	}
	// Read each prefix once, into a contiguous run.
	ties, sorted := sc.ties[:0], true
	for k, h := range run {
		ties = append(ties, tie{ix.pre[h.o], h})
		sorted = sorted && (k == 0 || ties[k-1].before(&ties[k], ix.ids))
	}
	sc.ties = ties
	if sorted {
		return
	}
	sortTies(ties, ix.ids, bits.Len(uint(len(ties)))*2)
	for k := range ties {
		run[k] = ties[k].h
	}
}

// scoreKey is the radix key of a score in [0,1]: its top keyBits bits in
// fixed point, complemented so that ascending keys are descending scores.
// Scores closer than 2^-keyBits may share a key: sortHits orders runs of
// equal keys by the whole score.
func scoreKey(score float64) uint32 {
	return keyMax - min(uint32(score*(keyMax+1)), keyMax)
}

const (
	keyBits  = 22
	keyMax   = 1<<keyBits - 1
	digitLen = keyBits / 2 // two passes of the radix sort
)

// idPrefix is the first 8 bytes of id, big-endian: their order is the
// ids' order.
func idPrefix(id string) uint64 {
	var b [8]byte
	copy(b[:], id)
	return binary.BigEndian.Uint64(b[:])
}

// tie is a hit with the prefix of its profile id, to sort equal scores.
type tie struct {
	pre uint64
	h   hit
}

// before reports whether a ranks before b: higher score, then lower id,
// comparing whole ids only when their first 8 bytes (big-endian in
// Index.pre, whose order is the ids' order) are equal.
func (a *tie) before(b *tie, ids []string) bool {
	if a.h.score != b.h.score {
		return a.h.score > b.h.score
	}
	if a.pre != b.pre {
		return a.pre < b.pre
	}
	return ids[a.h.o] < ids[b.h.o]
}

// sortTies sorts ties with tie.before: a quicksort with the comparison
// inlined (a generic sort calls it through a closure, which costs more
// than the comparison here), insertion sort for short spans, and a
// generic sort past depth levels of recursion.
func sortTies(ts []tie, ids []string, depth int) {
	for len(ts) > 12 {
		if depth == 0 {
			slices.SortFunc(ts, func(a, b tie) int {
				switch {
				case a.before(&b, ids):
					return -1
				case b.before(&a, ids):
					return 1
				}
				return 0
			})
			return
		}
		depth--
		// Median of three to the front as the pivot, then Hoare's
		// partition.
		m, l := len(ts)/2, len(ts)-1
		if ts[m].before(&ts[0], ids) {
			ts[m], ts[0] = ts[0], ts[m]
		}
		if ts[l].before(&ts[0], ids) {
			ts[l], ts[0] = ts[0], ts[l]
		}
		if ts[l].before(&ts[m], ids) {
			ts[l], ts[m] = ts[m], ts[l]
		}
		ts[0], ts[m] = ts[m], ts[0]
		pivot := ts[0]
		i, j := 0, len(ts)
		for {
			for i++; i < len(ts) && ts[i].before(&pivot, ids); i++ {
			}
			for j--; pivot.before(&ts[j], ids); j-- {
			}
			if i >= j {
				break
			}
			ts[i], ts[j] = ts[j], ts[i]
		}
		ts[0], ts[j] = ts[j], ts[0]
		// Recurse into the shorter side, loop on the longer.
		if j < len(ts)-1-j {
			sortTies(ts[:j], ids, depth)
			ts = ts[j+1:]
		} else {
			sortTies(ts[j+1:], ids, depth)
			ts = ts[:j]
		}
	}
	for i := 1; i < len(ts); i++ {
		for k := i; k > 0 && ts[k].before(&ts[k-1], ids); k-- {
			ts[k], ts[k-1] = ts[k-1], ts[k]
		}
	}
}

// radixMin is the number of hits from which sortHits radix-sorts.
const radixMin = 128

// radixByScore sorts hits by scoreKey, stably, with a least-significant-
// digit radix sort in two passes, skipping a digit all hits share. It
// returns the sorted hits and the other buffer (either may be hits).
func radixByScore(hits, alt []hit) ([]hit, []hit) {
	var count [2][1 << digitLen]uint32
	const mask = 1<<digitLen - 1
	for _, h := range hits {
		k := scoreKey(h.score)
		count[0][k&mask]++
		count[1][k>>digitLen]++
	}
	alt = slices.Grow(alt[:0], len(hits))[:len(hits)]
	k0 := scoreKey(hits[0].score)
	for d := range 2 {
		c, shift := &count[d], uint(d*digitLen)
		if int(c[k0>>shift&mask]) == len(hits) {
			continue // every hit has this digit
		}
		pos := uint32(0)
		for b := range c {
			c[b], pos = pos, pos+c[b]
		}
		for _, h := range hits {
			b := scoreKey(h.score) >> shift & mask
			alt[c[b]] = h
			c[b]++
		}
		hits, alt = alt, hits
	}
	return hits, alt
}

// role returns plan.roleOf for a set of headline role words, decided
// once per distinct set.
func (ix *Index) role(pl *plan, sc *scratch, k uint32) float64 {
	if sc.roleAt[k] != sc.epoch {
		sc.roleAt[k], sc.role[k] = sc.epoch, pl.roleOf(ix.headSets.vals[k])
	}
	return sc.role[k]
}

// postingsOf returns the postings behind one plan link, nil if none.
func (ix *Index) postingsOf(l postingList) *postings {
	src := ix.postings
	if l.under {
		src = ix.under
	}
	if int(l.ord) >= len(src) {
		return nil
	}
	return &src[l.ord]
}

// setTable interns small sets of ordinals that many profiles share: the
// role words of their headlines. An offer decides the role fit of each
// distinct set once instead of once per profile.
type setTable struct {
	ids  map[string]uint32
	vals [][]uint32
	refs []int32
	free []uint32
	buf  []byte
}

func (t *setTable) intern(v []uint32) uint32 {
	b := t.buf[:0]
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	t.buf = b
	if k, ok := t.ids[string(b)]; ok {
		t.refs[k]++
		return k
	}
	if t.ids == nil {
		t.ids = map[string]uint32{}
	}
	var k uint32
	if n := len(t.free); n > 0 {
		k = t.free[n-1]
		t.free = t.free[:n-1]
		t.vals[k], t.refs[k] = slices.Clone(v), 1
	} else {
		k = uint32(len(t.vals))
		t.vals = append(t.vals, slices.Clone(v))
		t.refs = append(t.refs, 1)
	}
	t.ids[string(b)] = k
	return k
}

func (t *setTable) release(k uint32) {
	if t.refs[k]--; t.refs[k] > 0 {
		return
	}
	b := t.buf[:0]
	for _, x := range t.vals[k] {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	t.buf = b
	delete(t.ids, string(b))
	t.vals[k] = nil
	t.free = append(t.free, k)
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

// Profile codec: the index keeps each profile as a compact binary record
// (a few hundred bytes) rather than the Go value with its many headers.

const codecVersion = 3

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
	for _, s := range []string{p.ID, p.Name, p.Email, p.Locale, p.City, p.Country, p.Headline, p.Availability, p.Alerts.Frequency, p.Alerts.SetBy, p.Consent.SetBy, p.Cohort, p.Source, p.Alerts.PausedUntil} {
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
	tm := func(t *time.Time) {
		if t == nil || t.IsZero() {
			b = append(b, 0)
			return
		}
		enc, err := t.MarshalBinary()
		if err != nil || len(enc) > 255 {
			b = append(b, 0)
			return
		}
		b = append(b, byte(len(enc)))
		b = append(b, enc...)
	}
	tm(&p.UpdatedAt)
	tm(p.Consent.SetAt)
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
	for _, f := range []*string{&p.ID, &p.Name, &p.Email, &p.Locale, &p.City, &p.Country, &p.Headline, &p.Availability, &p.Alerts.Frequency, &p.Alerts.SetBy, &p.Consent.SetBy, &p.Cohort, &p.Source, &p.Alerts.PausedUntil} {
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
	p.Consent.Alerts, p.Consent.Searchable, p.Consent.Recruiters = c&1 != 0, c&2 != 0, c&4 != 0
	b = b[1:]
	tm := func() (time.Time, bool) {
		var t time.Time
		if len(b) < 1 {
			return t, false
		}
		tl := int(b[0])
		b = b[1:]
		if tl > len(b) {
			return t, false
		}
		if tl > 0 {
			if err := t.UnmarshalBinary(b[:tl]); err != nil {
				return t, false
			}
		}
		b = b[tl:]
		return t, true
	}
	var ok bool
	if p.UpdatedAt, ok = tm(); !ok {
		return p, errCodec
	}
	setAt, ok := tm()
	if !ok {
		return p, errCodec
	}
	if !setAt.IsZero() {
		p.Consent.SetAt = &setAt
	}
	return p, nil
}
