package profiles

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// The officer's fast path. Bleve answers a filtered search by walking the
// postings of every filter term and of the text, sorting the matches with
// an id tie-break that decodes each match's stored document, and loading
// the stored document of the page. At 100,000 profiles that is most of an
// officer's query. The fast path keeps, beside Bleve, columns of every
// indexed profile (its filter keys as per-value bitmaps, its numeric sort
// keys, its facet values, its id and its rank in id order), read once per
// Bleve segment (segments never change; a write adds one, a merge
// replaces several by one). A search then:
//   - evaluates the filters on the bitmaps and columns, never asking Bleve;
//   - when there is free text, scores the filtered profiles only, from
//     the text's postings cached per segment and the snapshot's counts,
//     with Bleve's own tf-idf arithmetic (bleve_text.go; a query shape it
//     does not mirror is walked by Bleve's searcher, led by the filtered
//     profiles), so relevance is Bleve's own;
//   - orders by score or sort key with the id rank as tie-break (no
//     stored document decoded), keeps the page, counts the facets;
//   - loads the stored documents of the page alone.
// Results are those of the plain path (TestBleveFastPathMatchesPlain,
// TestBleveFastPathInterleavedWrites with writes between searches). A
// write does not start it over: a view carries what the previous one
// knew of the segments the write left alone (assemble), and a background
// goroutine prepares the view of the new snapshot (warmFast).

// warmPause is how long the fast path's warming waits, after a run, before
// it runs again for the writes that came meanwhile. An import writes a
// batch every few milliseconds; each run reads the new segments' columns
// and assembles a view of every document (O(documents)), so warming after
// each batch cost about 15 % of the index's CPU at 20,000 profiles, more
// at 100,000. Waiting lets the writes of the pause (and the merges that
// replace their segments) be read in one run. A search meanwhile is not
// held: it reads the few new segments itself (below fastSyncLimit).
const warmPause = 250 * time.Millisecond

// fastSyncLimit is how many documents of new segments a search reads
// itself before answering by the fast path; beyond it (a merge into a big
// segment, an index just opened) the columns are read in the background
// and searches take the plain path meanwhile.
const fastSyncLimit = 20000

// noValue marks a missing numeric column value.
const noValue = math.MinInt64

// segCols holds the columns of one Bleve segment, by local document
// number (deleted documents included: deletions belong to snapshots).
type segCols struct {
	n       int
	ids     []string
	byID    []uint32                   // local document numbers in id order
	terms   map[string]*roaring.Bitmap // filterKey(field, value) -> documents
	year    []int64                    // noValue: none
	avail   []int64                    // availability day; noValue: none
	updated []int64                    // Unix seconds; noValue: none
	// facetStart[d]..facetStart[d+1] index facetOrds, the ordinals
	// (fastTables.terms) of document d's facet terms.
	facetStart []uint32
	facetOrds  []uint32
}

// filterKey names a filter value in segCols.terms.
func filterKey(field, value string) string { return field + filterKeySep + value }

// filterKeySep separates a filter's field from its value in a filter key.
const filterKeySep = "\x00"

// fastView is the fast path's picture of one index snapshot.
type fastView struct {
	snapshot weak.Pointer[scorch.IndexSnapshot]
	segs     []*segCols
	offsets  []uint64          // first global document number of each segment
	live     []*roaring.Bitmap // per segment, its documents not deleted
	// rank gives each live document's place in id order (global document
	// number -> rank).
	rank       []uint32
	byRank     []uint64 // rank -> global document number
	facetTerms []string // ordinal -> "name=value", as known when built

	// orders holds, per sort (SortYear...), every live document by that
	// sort's key (missing last), then id; built by the first search
	// sorted so.
	orderMu sync.Mutex
	orders  map[string][]uint64

	// liveFacets counts the facet values of every live document (built
	// once, by the first search that wants it).
	liveMu     sync.Mutex
	liveFacets []int

	// scores holds, per free text, the score of every live document the
	// text matches in this snapshot (by global document number; NaN: no
	// match), computed in the background from the text's cached postings
	// after its first search here: the searches that refine filters
	// around the same text read them instead of scoring their candidates.
	scoresMu sync.Mutex
	scores   map[string][]float64
	filling  bool
}

// maxCachedTexts bounds the texts whose postings are cached (textCache).
const maxCachedTexts = 8

// fastTables caches the columns of the segments of the latest snapshot
// and the view of that snapshot.
type fastTables struct {
	mu       sync.Mutex
	segs     map[segment.Segment]*segCols
	cur      *fastView
	ords     map[string]uint32 // facet term -> ordinal
	terms    []string          // ordinal -> facet term
	building bool              // a background read of big segments runs
	// warming: warmFast's goroutine runs; warmAgain: a write came
	// meanwhile, it runs once more.
	warming, warmAgain bool
	noWarm             atomic.Bool // tests: no warming after writes
	// warmPause: how long warming waits before it runs again for the
	// writes that came while it ran (warmPause, or another for the A/B
	// benchmark; negative: no wait).
	warmPause time.Duration
	closed    bool          // no more background work (Close)
	closing   chan struct{} // closed by Close: waits end

	wg sync.WaitGroup
	// texts caches the postings of the last texts searched, per segment.
	texts textCache
	// rows keeps the keys Put computed until their segment is read.
	rows rowCache
	// noTextCache turns the cache of text postings off (tests, benchmark).
	noTextCache atomic.Bool
	// before12 makes the fast path work as it did before its writes work
	// (issue 12), for the A/B benchmark: every view built from scratch,
	// texts walked by Bleve's searcher (led by the candidates).
	before12 atomic.Bool
	// syncLimit: fastSyncLimit, or another for tests.
	syncLimit int
	served    atomic.Uint64 // searches answered by the fast path
}

// view returns the view of snap, or nil when its columns are being read in
// the background (the caller then takes the plain path).
func (ft *fastTables) view(ctx context.Context, snap *scorch.IndexSnapshot) (*fastView, error) {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	if ft.cur != nil && ft.cur.snapshot.Value() == snap {
		return ft.cur, nil
	}
	if ft.segs == nil {
		ft.segs = map[segment.Segment]*segCols{}
		ft.ords = map[string]uint32{}
	}
	var missing []*scorch.SegmentSnapshot
	pending := 0
	for _, ss := range snap.Segments() {
		if ft.segs[ss.Segment()] == nil {
			missing = append(missing, ss)
			pending += int(ss.FullSize())
		}
	}
	limit := ft.syncLimit
	if limit == 0 {
		limit = fastSyncLimit
	}
	if pending > limit {
		if !ft.building && !ft.closed {
			ft.building = true
			snap.AddRef()
			ft.wg.Add(1)
			go ft.readInBackground(snap, missing)
		}
		return nil, nil
	}
	for _, ss := range missing {
		c, err := ft.readSegment(ctx, ss)
		if err != nil {
			return nil, err
		}
		ft.segs[ss.Segment()] = c
	}
	prev := ft.cur
	if ft.before12.Load() {
		prev = nil
	}
	v := ft.assemble(snap, prev)
	ft.cur = v
	return v, nil
}

// readInBackground reads the columns of segments of snap (holding a
// reference to it meanwhile), for the searches that follow.
func (ft *fastTables) readInBackground(snap *scorch.IndexSnapshot, missing []*scorch.SegmentSnapshot) {
	defer ft.wg.Done()
	defer func() { _ = snap.DecRef() }()
	read := make(map[segment.Segment]*segCols, len(missing))
	for _, ss := range missing {
		c, err := ft.readSegmentAlone(context.Background(), ss)
		if err != nil {
			slog.Warn("profiles: fast search columns", "err", err)
			break
		}
		read[ss.Segment()] = c
	}
	ft.mu.Lock()
	defer ft.mu.Unlock()
	for k, c := range read {
		if ft.segs[k] == nil {
			ft.segs[k] = c
		}
	}
	ft.building = false
}

// warmFast brings the fast path up to the latest snapshot in the
// background, after a write (or on open): the columns of the segments it
// does not know are read (outside ft.mu: searches meanwhile are not held)
// and the view assembled, so that the first search after a write, an
// import or a restart finds it ready instead of building it (or, beyond
// fastSyncLimit new documents, taking the plain path). One goroutine at a
// time; a write while it runs makes it run once more.
func (s *BleveStore) warmFast() {
	ft := &s.fast
	if ft.noWarm.Load() || s.plainSearch || s.legacySearch {
		return
	}
	ft.mu.Lock()
	defer ft.mu.Unlock()
	if ft.closed {
		return
	}
	if ft.warming {
		ft.warmAgain = true
		return
	}
	ft.warming = true
	if ft.closing == nil {
		ft.closing = make(chan struct{})
	}
	closing := ft.closing
	pause := ft.warmPause
	if pause == 0 {
		pause = warmPause
	}
	ft.wg.Add(1)
	go func() {
		defer ft.wg.Done()
		for {
			if err := s.warmOnce(); err != nil {
				slog.Warn("profiles: fast search columns", "err", err)
			}
			ft.mu.Lock()
			again := ft.warmAgain && !ft.closed
			if !again {
				ft.warming = false
			}
			ft.mu.Unlock()
			if !again {
				return
			}
			if pause > 0 {
				t := time.NewTimer(pause)
				select {
				case <-t.C:
				case <-closing:
					t.Stop()
				}
			}
			ft.mu.Lock()
			ft.warmAgain = false
			if ft.closed {
				ft.warming = false
				ft.mu.Unlock()
				return
			}
			ft.mu.Unlock()
		}
	}()
}

// warmOnce reads the columns the latest snapshot lacks and assembles its
// view, unless a newer snapshot came meanwhile (its own warming follows).
func (s *BleveStore) warmOnce() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.stale {
		return nil
	}
	adv, err := s.idx.Advanced()
	if err != nil {
		return nil // not scorch: no fast path
	}
	latest := func() (*scorch.IndexSnapshot, func(), error) {
		r, err := adv.Reader()
		if err != nil {
			return nil, nil, err
		}
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			_ = r.Close()
			return nil, nil, nil
		}
		return snap, func() { _ = r.Close() }, nil
	}
	snap, done, err := latest()
	if err != nil || snap == nil {
		return err
	}
	defer done()
	ft := &s.fast
	ft.mu.Lock()
	if ft.cur != nil && ft.cur.snapshot.Value() == snap {
		ft.mu.Unlock()
		return nil
	}
	var missing []*scorch.SegmentSnapshot
	for _, ss := range snap.Segments() {
		if ft.segs[ss.Segment()] == nil {
			missing = append(missing, ss)
		}
	}
	ft.mu.Unlock()
	read := make(map[segment.Segment]*segCols, len(missing))
	for _, ss := range missing {
		c, err := ft.readSegmentAlone(context.Background(), ss)
		if err != nil {
			return err
		}
		read[ss.Segment()] = c
	}
	// Assemble only the latest snapshot: an older view must not replace
	// a newer one a search built meanwhile.
	now, doneNow, err := latest()
	if err != nil || now == nil {
		return err
	}
	defer doneNow()
	ft.mu.Lock()
	defer ft.mu.Unlock()
	if ft.segs == nil {
		ft.segs = map[segment.Segment]*segCols{}
		ft.ords = map[string]uint32{}
	}
	for k, c := range read {
		if ft.segs[k] == nil {
			ft.segs[k] = c
		}
	}
	if now != snap || (ft.cur != nil && ft.cur.snapshot.Value() == snap) {
		return nil
	}
	for _, ss := range snap.Segments() {
		if ft.segs[ss.Segment()] == nil {
			return nil // forgotten meanwhile by a newer view
		}
	}
	prev := ft.cur
	if ft.before12.Load() {
		prev = nil
	}
	ft.cur = ft.assemble(snap, prev)
	return nil
}

// readSegmentAlone reads a segment's columns without holding ft.mu, but
// for numbering facet terms.
func (ft *fastTables) readSegmentAlone(ctx context.Context, ss *scorch.SegmentSnapshot) (*segCols, error) {
	return readSegCols(ctx, ss, func(terms []string) []uint32 {
		ft.mu.Lock()
		defer ft.mu.Unlock()
		return ft.ordinals(terms)
	}, &ft.rows)
}

// readSegment reads a segment's columns with ft.mu held.
func (ft *fastTables) readSegment(ctx context.Context, ss *scorch.SegmentSnapshot) (*segCols, error) {
	return readSegCols(ctx, ss, ft.ordinals, &ft.rows)
}

// ordinals gives the ordinals of facet terms, numbering new ones.
func (ft *fastTables) ordinals(terms []string) []uint32 {
	if ft.ords == nil {
		ft.ords = map[string]uint32{}
	}
	out := make([]uint32, len(terms))
	for i, t := range terms {
		o, ok := ft.ords[t]
		if !ok {
			o = uint32(len(ft.terms))
			ft.ords[t] = o
			ft.terms = append(ft.terms, t)
		}
		out[i] = o
	}
	return out
}

// assemble builds the view of snap from the columns of its segments (all
// read), and forgets the columns of segments snap no longer holds. What
// prev (the view of an earlier snapshot, or nil) ordered is carried over
// for the segments snap still holds: a write adds a small segment and
// deletes a few documents, so the id order, the sort orders and the facet
// counts of every live document are prev's less the documents gone, with
// the new segments' documents merged in (no id compared but theirs).
func (ft *fastTables) assemble(snap *scorch.IndexSnapshot, prev *fastView) *fastView {
	sss := snap.Segments()
	v := &fastView{snapshot: weak.Make(snap), facetTerms: ft.terms}
	keep := make(map[segment.Segment]*segCols, len(sss))
	var running uint64
	for _, ss := range sss {
		c := ft.segs[ss.Segment()]
		keep[ss.Segment()] = c
		live := roaring.New()
		live.AddRange(0, uint64(c.n))
		if d := ss.Deleted(); d != nil {
			live.AndNot(d)
		}
		v.segs = append(v.segs, c)
		v.offsets = append(v.offsets, running)
		v.live = append(v.live, live)
		running += uint64(c.n)
	}
	ft.segs = keep
	v.rank = make([]uint32, running)
	d := v.diff(prev)
	var kept []uint64
	if prev != nil {
		kept = d.carry(prev.byRank)
	}
	v.byRank = v.mergeByID(kept, d.freshByID)
	for r, g := range v.byRank {
		v.rank[g] = uint32(r)
	}
	if prev == nil {
		return v
	}
	prev.orderMu.Lock()
	orders := maps.Clone(prev.orders)
	prev.orderMu.Unlock()
	for name, o := range orders {
		col, desc := sortColumn(name)
		if col == nil {
			continue
		}
		fresh := slices.Clone(d.freshByID)
		cmp := v.orderCmp(col, desc)
		slices.SortStableFunc(fresh, cmp)
		if v.orders == nil {
			v.orders = map[string][]uint64{}
		}
		v.orders[name] = mergeSorted(d.carry(o), fresh, cmp)
	}
	if counts := prev.liveFacetCounts(false); counts != nil {
		all := make([]int, len(v.facetTerms))
		copy(all, counts)
		for _, g := range d.gone {
			i, l := prev.locate(g)
			c := prev.segs[i]
			for _, o := range c.facetOrds[c.facetStart[l]:c.facetStart[l+1]] {
				all[o]--
			}
		}
		for _, g := range d.freshByID {
			i, l := v.locate(g)
			c := v.segs[i]
			for _, o := range c.facetOrds[c.facetStart[l]:c.facetStart[l+1]] {
				all[o]++
			}
		}
		v.liveFacets = all
	}
	return v
}

// viewDiff tells what changed from a view to the next one.
type viewDiff struct {
	// gone are the documents live in the previous view and not in this
	// one (previous numbering).
	gone []uint64
	// goneBits marks gone; remap gives each previous segment's documents
	// their number in this view (segment removed: never asked).
	goneBits []uint64
	prevOffs []uint64
	newOffs  []int64 // -1: segment gone
	same     bool    // every previous document keeps its number
	// freshByID are the live documents of segments the previous view did
	// not hold, in id order.
	freshByID []uint64
}

// diff compares v with prev (nil: every document is fresh).
func (v *fastView) diff(prev *fastView) *viewDiff {
	d := &viewDiff{}
	isNew := make([]bool, len(v.segs))
	for i := range isNew {
		isNew[i] = true
	}
	if prev != nil {
		where := make(map[*segCols]int, len(v.segs))
		for i, c := range v.segs {
			where[c] = i
		}
		d.prevOffs = prev.offsets
		d.newOffs = make([]int64, len(prev.segs))
		d.same = true
		d.goneBits = make([]uint64, (len(prev.rank)+63)/64)
		for j, c := range prev.segs {
			i, ok := where[c]
			var gone *roaring.Bitmap
			if ok {
				isNew[i] = false
				d.newOffs[j] = int64(v.offsets[i])
				if v.offsets[i] != prev.offsets[j] {
					d.same = false
				}
				gone = roaring.AndNot(prev.live[j], v.live[i])
			} else {
				d.newOffs[j] = -1
				d.same = false
				gone = prev.live[j]
			}
			it := gone.Iterator()
			for it.HasNext() {
				g := prev.offsets[j] + uint64(it.Next())
				d.gone = append(d.gone, g)
				d.goneBits[g/64] |= 1 << (g % 64)
			}
		}
	}
	d.freshByID = v.idOrder(isNew)
	return d
}

// carry returns the documents of order (a previous view's numbering)
// still live, in the same order, numbered as in the new view.
func (d *viewDiff) carry(order []uint64) []uint64 {
	if d.goneBits == nil {
		return nil
	}
	out := make([]uint64, 0, len(order))
	if d.same && len(d.gone) == 0 {
		return append(out, order...)
	}
	for _, g := range order {
		if d.goneBits[g/64]&(1<<(g%64)) != 0 {
			continue
		}
		if !d.same {
			j := sort.Search(len(d.prevOffs), func(j int) bool { return d.prevOffs[j] > g }) - 1
			g = g - d.prevOffs[j] + uint64(d.newOffs[j])
		}
		out = append(out, g)
	}
	return out
}

// idOrder lists the live documents of the segments marked in segs, in id
// order (the segments' id orders merged).
func (v *fastView) idOrder(segs []bool) []uint64 {
	type head struct {
		seg   int
		order []uint32 // the segment's live documents in id order, from the next
	}
	var heads []head
	size := 0
	for i, c := range v.segs {
		if !segs[i] {
			continue
		}
		order := c.byID
		if n := v.live[i].GetCardinality(); n < uint64(c.n) {
			order = make([]uint32, 0, n)
			for _, l := range c.byID {
				if v.live[i].Contains(l) {
					order = append(order, l)
				}
			}
		}
		if len(order) > 0 {
			heads = append(heads, head{i, order})
			size += len(order)
		}
	}
	id := func(h head) string { return v.segs[h.seg].ids[h.order[0]] }
	less := func(a, b head) bool { return id(a) < id(b) }
	// A min-heap of the segments by their next id.
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(heads) {
				return
			}
			m := l
			if r := l + 1; r < len(heads) && less(heads[r], heads[l]) {
				m = r
			}
			if !less(heads[m], heads[i]) {
				return
			}
			heads[i], heads[m] = heads[m], heads[i]
			i = m
		}
	}
	for i := len(heads)/2 - 1; i >= 0; i-- {
		down(i)
	}
	out := make([]uint64, 0, size)
	for len(heads) > 0 {
		h := &heads[0]
		out = append(out, v.offsets[h.seg]+uint64(h.order[0]))
		h.order = h.order[1:]
		if len(h.order) == 0 {
			heads[0] = heads[len(heads)-1]
			heads = heads[:len(heads)-1]
		}
		down(0)
	}
	return out
}

// id is the profile id of document g.
func (v *fastView) id(g uint64) string {
	i, l := v.locate(g)
	return v.segs[i].ids[l]
}

// mergeByID merges two lists of documents in id order (no id in both).
func (v *fastView) mergeByID(a, b []uint64) []uint64 {
	return mergeSorted(a, b, func(x, y uint64) int { return strings.Compare(v.id(x), v.id(y)) })
}

// mergeSorted merges a and b, both ordered by cmp (a's first on ties).
// When b is much shorter, each of its elements finds its place in a by
// binary search, so most of a is copied without comparing.
func mergeSorted(a, b []uint64, cmp func(x, y uint64) int) []uint64 {
	out := make([]uint64, 0, len(a)+len(b))
	if len(b)*bits.Len(uint(len(a))) < len(a) {
		for _, x := range b {
			k := sort.Search(len(a), func(k int) bool { return cmp(a[k], x) > 0 })
			out = append(out, a[:k]...)
			out = append(out, x)
			a = a[k:]
		}
		return append(out, a...)
	}
	for len(a) > 0 && len(b) > 0 {
		if cmp(b[0], a[0]) < 0 {
			out = append(out, b[0])
			b = b[1:]
		} else {
			out = append(out, a[0])
			a = a[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}

// readSegCols reads the stored profiles of a segment into columns,
// deriving every key as bleveDoc does.
func readSegCols(ctx context.Context, ss *scorch.SegmentSnapshot, ordinals func([]string) []uint32, rows *rowCache) (*segCols, error) {
	n := int(ss.FullSize())
	c := &segCols{n: n, ids: make([]string, n), terms: map[string]*roaring.Bitmap{},
		year: make([]int64, n), avail: make([]int64, n), updated: make([]int64, n), facetStart: make([]uint32, n+1)}
	// Bitmaps by field then value while reading (no key made per
	// document), keyed by filterKey at the end.
	byField := map[string]map[string]*roaring.Bitmap{}
	add := func(field, v string, d int) {
		vs := byField[field]
		if vs == nil {
			vs = map[string]*roaring.Bitmap{}
			byField[field] = vs
		}
		bm := vs[v]
		if bm == nil {
			bm = roaring.New()
			vs[v] = bm
		}
		bm.Add(uint32(d))
	}
	// The ordinals of the facet terms met so far (asked of ordinals once
	// per term, not per document).
	ords := map[string]uint32{}
	var fresh []string
	for d := range n {
		if d%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("profiles: fast search columns: %w", err)
			}
		}
		var id string
		var raw []byte
		err := ss.VisitDocument(uint64(d), func(field string, _ byte, value []byte, _ []uint64) bool {
			switch field {
			case "_id":
				id = string(value)
			case fieldDoc:
				raw = slices.Clone(value)
			}
			return true
		})
		if err != nil {
			return nil, fmt.Errorf("profiles: fast search columns: document %d: %w", d, err)
		}
		c.ids[d] = id
		c.year[d], c.avail[d], c.updated[d] = noValue, noValue, noValue
		c.facetStart[d+1] = c.facetStart[d]
		if raw == nil {
			continue // not a profile: matches no filter, as in Bleve
		}
		r, ok := rows.take(id, raw)
		if !ok {
			var cp columnProfile
			if err := json.Unmarshal(raw, &cp); err != nil {
				return nil, fmt.Errorf("profiles: fast search columns: decode %s: %w", id, err)
			}
			r = profileRow(cp.profile())
		}
		for _, k := range r.skills {
			add(fieldSkill, k, d)
		}
		for _, k := range r.languages {
			add(fieldLanguage, k, d)
		}
		for _, k := range r.workplace {
			add(fieldWorkplace, k, d)
		}
		for _, k := range r.seniority {
			add(fieldSeniority, k, d)
		}
		if r.searchable {
			add(fieldSearchable, "T", d)
		}
		if r.recruiters {
			add(fieldRecruiters, "T", d)
		}
		if r.cohort != "" {
			add(fieldCohort, r.cohort, d)
		}
		if r.city != "" {
			add(fieldCity, r.city, d)
		}
		if r.country != "" {
			add(fieldCountry, r.country, d)
		}
		c.year[d], c.avail[d], c.updated[d] = r.year, r.avail, r.updated
		fresh = fresh[:0]
		for _, f := range r.facets {
			if _, ok := ords[f]; !ok {
				fresh = append(fresh, f)
			}
		}
		if len(fresh) > 0 {
			for i, o := range ordinals(fresh) {
				ords[fresh[i]] = o
			}
		}
		for _, f := range r.facets {
			c.facetOrds = append(c.facetOrds, ords[f])
		}
		c.facetStart[d+1] = uint32(len(c.facetOrds))
	}
	for field, vs := range byField {
		for v, bm := range vs {
			c.terms[filterKey(field, v)] = bm
		}
	}
	c.byID = make([]uint32, n)
	for i := range c.byID {
		c.byID[i] = uint32(i)
	}
	slices.SortFunc(c.byID, func(a, b uint32) int { return strings.Compare(c.ids[a], c.ids[b]) })
	for _, bm := range c.terms {
		bm.RunOptimize()
	}
	return c, nil
}

// columnProfile is the part of a stored profile the columns are made of
// (decoding only it is twice as fast as decoding a Profile).
type columnProfile struct {
	City           string   `json:"city"`
	Country        string   `json:"country"`
	Skills         []string `json:"skills"`
	Languages      []string `json:"languages"`
	GraduationYear int      `json:"graduation_year"`
	Availability   string   `json:"availability"`
	Seeking        struct {
		Seniority []string `json:"seniority"`
		Workplace []string `json:"workplace"`
	} `json:"seeking"`
	Consent struct {
		Searchable bool `json:"searchable"`
		Recruiters bool `json:"recruiters"`
	} `json:"consent"`
	Cohort    string    `json:"cohort"`
	UpdatedAt time.Time `json:"updated_at"`
}

// profile is the Profile with cp's fields.
func (cp *columnProfile) profile() Profile {
	return Profile{City: cp.City, Country: cp.Country, Skills: cp.Skills, Languages: cp.Languages,
		GraduationYear: cp.GraduationYear, Availability: cp.Availability,
		Seeking: Seeking{Seniority: cp.Seeking.Seniority, Workplace: cp.Seeking.Workplace},
		Consent: Consent{Searchable: cp.Consent.Searchable, Recruiters: cp.Consent.Recruiters},
		Cohort:  cp.Cohort, UpdatedAt: cp.UpdatedAt}
}

// fastMatch is one match of a fast search.
type fastMatch struct {
	doc   uint64 // global document number
	rank  uint32 // in id order
	score float64
	key   int64 // sort key (noValue: none)
}

// fastSearch answers sp on snap through v; must is the text query (nil
// without text).
func (s *BleveStore) fastSearch(ctx context.Context, snap *scorch.IndexSnapshot, v *fastView, sp searchParams, must query.Query) (Result, error) {
	var counts []int
	if sp.facets {
		counts = make([]int, len(v.facetTerms))
	}
	cands := make([]*roaring.Bitmap, len(v.segs))
	for i, c := range v.segs {
		cands[i] = v.candidates(i, c, sp)
	}
	col, desc := sortColumn(sp.sort)
	less := func(a, b *fastMatch) bool {
		switch {
		case col != nil:
			if a.key != b.key {
				if a.key == noValue || b.key == noValue {
					return b.key == noValue
				}
				return (a.key < b.key) != desc
			}
		case must != nil:
			if a.score != b.score {
				return a.score > b.score
			}
		}
		return a.rank < b.rank
	}
	if must == nil {
		order := v.byRank
		if col != nil {
			order = v.sortedBy(sp.sort, col, desc)
		}
		return s.fastInOrder(ctx, snap, v, sp, cands, counts, order)
	}
	top := topK{k: sp.offset + sp.limit, less: less}
	keep := func(seg int, local uint32, score float64) {
		c := v.segs[seg]
		g := v.offsets[seg] + uint64(local)
		m := fastMatch{doc: g, rank: v.rank[g], score: score, key: noValue}
		if col != nil {
			m.key = col(c)[local]
		}
		top.push(m)
		if counts != nil {
			for _, o := range c.facetOrds[c.facetStart[local]:c.facetStart[local+1]] {
				counts[o]++
			}
		}
	}
	if must == nil {
		for i, bm := range cands {
			if err := ctx.Err(); err != nil {
				return Result{}, fmt.Errorf("profiles: search: %w", err)
			}
			it := bm.Iterator()
			for it.HasNext() {
				keep(i, it.Next(), 0)
			}
		}
	} else if err := s.fastText(ctx, snap, v, cands, sp.text, must, sp.sort == "", keep); err != nil {
		return Result{}, err
	}
	page := top.sorted()
	if sp.offset < len(page) {
		page = page[sp.offset:]
	} else {
		page = nil
	}
	return v.result(snap, sp, top.total, counts, page)
}

// result is the page of a fast search with its total and facet counts.
func (v *fastView) result(snap *scorch.IndexSnapshot, sp searchParams, total int, counts []int, page []fastMatch) (Result, error) {
	out := Result{Total: total, Profiles: make([]Profile, 0, len(page))}
	if sp.facets {
		byName := make(map[string]map[string]int, len(FacetNames))
		for _, name := range FacetNames {
			byName[name] = map[string]int{}
		}
		for o, n := range counts {
			if n > 0 {
				addFacetTerm(byName, v.facetTerms[o], n)
			}
		}
		out.Facets = make(map[string][]FacetCount, len(FacetNames))
		for _, name := range FacetNames {
			out.Facets[name] = topFacet(name, byName[name])
		}
	}
	sss := snap.Segments()
	for _, m := range page {
		seg, local := v.locate(m.doc)
		var raw []byte
		id := v.segs[seg].ids[local]
		err := sss[seg].VisitDocument(local, func(field string, _ byte, value []byte, _ []uint64) bool {
			if field == fieldDoc {
				raw = slices.Clone(value)
				return false
			}
			return true
		})
		if err != nil {
			return Result{}, fmt.Errorf("profiles: search: load %s: %w", id, err)
		}
		if raw == nil {
			return Result{}, fmt.Errorf("profiles: search hit %s has no stored document", id)
		}
		p, err := decodeStored(id, raw)
		if err != nil {
			return Result{}, err
		}
		out.Profiles = append(out.Profiles, p)
	}
	return out, nil
}

// locate turns a global document number into its segment and local number.
func (v *fastView) locate(g uint64) (int, uint64) {
	i := sort.Search(len(v.offsets), func(i int) bool { return v.offsets[i] > g }) - 1
	return i, g - v.offsets[i]
}

// candidates are the live documents of segment i that pass sp's filters.
func (v *fastView) candidates(i int, c *segCols, sp searchParams) *roaring.Bitmap {
	all := []*roaring.Bitmap{v.live[i]}
	empty := false
	term := func(field, value string) {
		bm := c.terms[filterKey(field, value)]
		if bm == nil {
			empty = true
			return
		}
		all = append(all, bm)
	}
	anyOf := func(field string, values []string) {
		if len(values) == 0 {
			return
		}
		var bms []*roaring.Bitmap
		for _, k := range values {
			if bm := c.terms[filterKey(field, k)]; bm != nil {
				bms = append(bms, bm)
			}
		}
		switch len(bms) {
		case 0:
			empty = true
		case 1:
			all = append(all, bms[0])
		default:
			all = append(all, roaring.FastOr(bms...))
		}
	}
	sp.eachKeywordFilter(term, anyOf, func(field string) { term(field, "T") })
	if empty {
		return roaring.New()
	}
	var bm *roaring.Bitmap
	if len(all) == 1 {
		bm = all[0].Clone()
	} else {
		bm = roaring.FastAnd(all...)
	}
	numeric := sp.year != 0 || sp.yearFrom != 0 || sp.yearTo != 0 || sp.hasAvail
	if !numeric {
		return bm
	}
	out := roaring.New()
	it := bm.Iterator()
	for it.HasNext() {
		d := it.Next()
		y := c.year[d]
		if sp.year != 0 && y != int64(sp.year) {
			continue
		}
		if (sp.yearFrom != 0 || sp.yearTo != 0) && (y == noValue || (sp.yearFrom != 0 && y < int64(sp.yearFrom)) || (sp.yearTo != 0 && y > int64(sp.yearTo))) {
			continue
		}
		if sp.hasAvail && (c.avail[d] == noValue || c.avail[d] > sp.availBy) {
			continue
		}
		out.Add(d)
	}
	return out
}

// fastText runs the text query over the candidates only, calling keep
// with each match and its Bleve score.
func (s *BleveStore) fastText(ctx context.Context, snap *scorch.IndexSnapshot, v *fastView, cands []*roaring.Bitmap, text string, must query.Query, scored bool, keep func(seg int, local uint32, score float64)) error {
	wrapped := query.NewConjunctionQuery([]query.Query{must})
	var e *textEntry
	switch {
	case s.fast.before12.Load():
	case s.fast.noTextCache.Load():
		// As on a text's first search: no postings read yet.
		if plan, ok := planText(wrapped, s.idx.Mapping()); ok {
			e = &textEntry{plan: plan, segs: map[*segCols][]leafPostings{}}
		}
	default:
		e = s.fast.texts.entry(text, wrapped, s.idx.Mapping())
	}
	if e != nil {
		var scores []float64
		if !s.fast.noTextCache.Load() {
			v.scoresMu.Lock()
			scores = v.scores[text]
			v.scoresMu.Unlock()
		}
		if scores != nil {
			for i, bm := range cands {
				it := bm.Iterator()
				for it.HasNext() {
					l := it.Next()
					if sc := scores[v.offsets[i]+uint64(l)]; !math.IsNaN(sc) {
						if !scored {
							sc = 0
						}
						keep(i, l, sc)
					}
				}
			}
			return nil
		}
		ts, err := newTextScorer(ctx, e.plan, snap)
		if err != nil {
			return err
		}
		if err := ts.scoreCandidates(ctx, e, v, snap.Segments(), cands, scored, keep); err != nil {
			return err
		}
		if !s.fast.noTextCache.Load() {
			s.fillScoresLater(snap, v, text, e)
		}
		return nil
	}
	// A query the plan does not mirror: Bleve's searcher, led by the
	// candidates.
	var docs []uint64
	for i, bm := range cands {
		it := bm.Iterator()
		for it.HasNext() {
			docs = append(docs, v.offsets[i]+uint64(it.Next()))
		}
	}
	if len(docs) == 0 {
		return nil
	}
	opts := search.SearcherOptions{}
	if !scored {
		opts.Score = "none"
	}
	ms, err := wrapped.Searcher(ctx, snap, s.idx.Mapping(), opts)
	if err != nil {
		return fmt.Errorf("profiles: search: %w", err)
	}
	if _, none := ms.(*searcher.MatchNoneSearcher); none {
		return ms.Close()
	}
	defer func() { _ = ms.Close() }()
	// The candidates lead: the text searcher is advanced to each, and
	// where it lands past it, the candidates before its document are
	// skipped.
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(ms.DocumentMatchPoolSize()+1, 0)}
	var target index.IndexInternalID
	var d *search.DocumentMatch
	for i := 0; i < len(docs); {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("profiles: search: %w", err)
			}
		}
		if d == nil || d.IndexInternalID.Value() < docs[i] {
			if d != nil {
				sctx.DocumentMatchPool.Put(d)
			}
			target = index.NewIndexInternalID(target, docs[i])
			var err error
			if d, err = ms.Advance(sctx, target); err != nil {
				return fmt.Errorf("profiles: search: %w", err)
			}
			if d == nil {
				return nil // no more text matches
			}
		}
		at := d.IndexInternalID.Value()
		if at == docs[i] {
			seg, local := v.locate(at)
			keep(seg, uint32(local), d.Score)
			sctx.DocumentMatchPool.Put(d)
			d = nil
			i++
			continue
		}
		// The text's next match is past docs[i]: skip to it.
		rest := docs[i:]
		i += sort.Search(len(rest), func(j int) bool { return rest[j] >= at })
	}
	if d != nil {
		sctx.DocumentMatchPool.Put(d)
	}
	return nil
}

// topK keeps the first k matches pushed, in less order, and counts all.
type topK struct {
	k     int
	less  func(a, b *fastMatch) bool
	h     []fastMatch // a max-heap: its root is the worst kept
	total int
}

func (t *topK) push(m fastMatch) {
	t.total++
	switch {
	case len(t.h) < t.k:
		t.h = append(t.h, m)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if !t.less(&t.h[p], &t.h[i]) {
				break
			}
			t.h[p], t.h[i] = t.h[i], t.h[p]
			i = p
		}
	case len(t.h) > 0 && t.less(&m, &t.h[0]):
		t.h[0] = m
		for i := 0; ; {
			l := 2*i + 1
			if l >= len(t.h) {
				break
			}
			w := l
			if r := l + 1; r < len(t.h) && t.less(&t.h[l], &t.h[r]) {
				w = r
			}
			if !t.less(&t.h[i], &t.h[w]) {
				break
			}
			t.h[i], t.h[w] = t.h[w], t.h[i]
			i = w
		}
	}
}

// sorted returns the kept matches in less order.
func (t *topK) sorted() []fastMatch {
	slices.SortFunc(t.h, func(a, b fastMatch) int {
		switch {
		case t.less(&a, &b):
			return -1
		case t.less(&b, &a):
			return 1
		}
		return 0
	})
	return t.h
}

// searchFast answers sp by the fast path; ok is false when it cannot (an
// index that is not scorch's, columns still being read), and the caller
// takes the plain path.
func (s *BleveStore) searchFast(ctx context.Context, sp searchParams) (res Result, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return Result{}, false, fmt.Errorf("profiles: search: %w", err)
	}
	must, err := s.textQuery(sp)
	if err != nil {
		return Result{}, false, err
	}
	adv, err := s.idx.Advanced()
	if err != nil {
		return Result{}, false, nil
	}
	r, err := adv.Reader()
	if err != nil {
		return Result{}, false, fmt.Errorf("profiles: search: %w", err)
	}
	defer func() { _ = r.Close() }()
	snap, isScorch := r.(*scorch.IndexSnapshot)
	if !isScorch {
		return Result{}, false, nil
	}
	v, err := s.fast.view(ctx, snap)
	if err != nil || v == nil {
		return Result{}, false, err
	}
	res, err = s.fastSearch(ctx, snap, v, sp, must)
	if err == nil {
		s.fast.served.Add(1)
	}
	return res, true, err
}

// fillScoresLater computes in the background the score of every live
// document of v for text (e: its cached postings), for the searches of
// the same text on the same snapshot that follow (one text at a time).
func (s *BleveStore) fillScoresLater(snap *scorch.IndexSnapshot, v *fastView, text string, e *textEntry) {
	ft := &s.fast
	ft.mu.Lock()
	defer ft.mu.Unlock()
	if ft.closed {
		return
	}
	v.scoresMu.Lock()
	defer v.scoresMu.Unlock()
	if v.filling || v.scores[text] != nil {
		return
	}
	v.filling = true
	snap.AddRef()
	ft.wg.Add(1)
	go func() {
		defer ft.wg.Done()
		defer func() { _ = snap.DecRef() }()
		scores := make([]float64, len(v.rank))
		for i := range scores {
			scores[i] = math.NaN()
		}
		ctx := context.Background()
		ts, err := newTextScorer(ctx, e.plan, snap)
		if err == nil {
			err = ts.scoreCandidates(ctx, e, v, snap.Segments(), v.live, true, func(seg int, local uint32, score float64) {
				scores[v.offsets[seg]+uint64(local)] = score
			})
		}
		if err != nil {
			slog.Warn("profiles: fast search text scores", "err", err)
			scores = nil
		}
		v.scoresMu.Lock()
		defer v.scoresMu.Unlock()
		v.filling = false
		if scores == nil {
			return
		}
		if v.scores == nil {
			v.scores = map[string][]float64{}
		}
		if len(v.scores) >= maxCachedTexts {
			for k := range v.scores {
				delete(v.scores, k)
				break
			}
		}
		v.scores[text] = scores
	}()
}

// fastInOrder answers a search without text, order being every live
// document in the order asked (by id, the officer's default, or by a sort
// key then id): the total is the candidates' count, the page the first
// candidates in order, and the facets, when most documents are
// candidates, the counts of every live document less those of the others.
func (s *BleveStore) fastInOrder(ctx context.Context, snap *scorch.IndexSnapshot, v *fastView, sp searchParams, cands []*roaring.Bitmap, counts []int, order []uint64) (Result, error) {
	total, live := 0, 0
	for i, bm := range cands {
		total += int(bm.GetCardinality())
		live += int(v.live[i].GetCardinality())
	}
	if counts != nil {
		count := func(into []int, i int, bm *roaring.Bitmap, by int) {
			c := v.segs[i]
			it := bm.Iterator()
			for it.HasNext() {
				l := it.Next()
				for _, o := range c.facetOrds[c.facetStart[l]:c.facetStart[l+1]] {
					into[o] += by
				}
			}
		}
		if 2*total > live {
			copy(counts, v.liveFacetCounts(true))
			for i, bm := range cands {
				count(counts, i, roaring.AndNot(v.live[i], bm), -1)
			}
		} else {
			for i, bm := range cands {
				if err := ctx.Err(); err != nil {
					return Result{}, fmt.Errorf("profiles: search: %w", err)
				}
				count(counts, i, bm, 1)
			}
		}
	}
	var page []fastMatch
	skip := sp.offset
	for _, g := range order {
		if len(page) == sp.limit || skip >= total {
			break
		}
		seg, local := v.locate(g)
		if !cands[seg].Contains(uint32(local)) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		page = append(page, fastMatch{doc: g})
	}
	return v.result(snap, sp, total, counts, page)
}

// sortColumn is the column of a sort (SortYear...) and whether it
// orders descending; nil for the order by relevance or id.
func sortColumn(name string) (col func(c *segCols) []int64, desc bool) {
	switch name {
	case SortYear:
		return func(c *segCols) []int64 { return c.year }, true
	case SortAvailability:
		return func(c *segCols) []int64 { return c.avail }, false
	case SortUpdated:
		return func(c *segCols) []int64 { return c.updated }, true
	}
	return nil, false
}

// orderCmp compares two documents by the column col (desc or not, missing
// values last), ties in id order: the order of the plain path's sort by
// that field then _id.
func (v *fastView) orderCmp(col func(c *segCols) []int64, desc bool) func(a, b uint64) int {
	key := func(g uint64) int64 {
		i, l := v.locate(g)
		return col(v.segs[i])[l]
	}
	return func(a, b uint64) int {
		if c := compareKeys(key(a), key(b), desc); c != 0 {
			return c
		}
		return cmp.Compare(v.rank[a], v.rank[b])
	}
}

// compareKeys orders two column values, desc or not, missing values last;
// 0 when they are equal.
func compareKeys(ka, kb int64, desc bool) int {
	switch {
	case ka == kb:
		return 0
	case ka == noValue:
		return 1
	case kb == noValue:
		return -1
	case (ka < kb) != desc:
		return -1
	}
	return 1
}

// sortedBy returns the live documents ordered by the column col (desc or
// not, missing values last), ties in id order.
func (v *fastView) sortedBy(name string, col func(c *segCols) []int64, desc bool) []uint64 {
	v.orderMu.Lock()
	defer v.orderMu.Unlock()
	if o := v.orders[name]; o != nil {
		return o
	}
	keys := make([]int64, len(v.rank))
	for i, c := range v.segs {
		copy(keys[v.offsets[i]:], col(c))
	}
	o := slices.Clone(v.byRank)
	// Stable: documents of equal keys stay in id order.
	slices.SortStableFunc(o, func(a, b uint64) int { return compareKeys(keys[a], keys[b], desc) })
	if v.orders == nil {
		v.orders = map[string][]uint64{}
	}
	v.orders[name] = o
	return o
}

// liveFacetCounts counts the facet values of every live document, once
// per view (build false: nil when not counted yet).
func (v *fastView) liveFacetCounts(build bool) []int {
	v.liveMu.Lock()
	defer v.liveMu.Unlock()
	if v.liveFacets != nil || !build {
		return v.liveFacets
	}
	all := make([]int, len(v.facetTerms))
	for i, c := range v.segs {
		it := v.live[i].Iterator()
		for it.HasNext() {
			l := it.Next()
			for _, o := range c.facetOrds[c.facetStart[l]:c.facetStart[l+1]] {
				all[o]++
			}
		}
	}
	v.liveFacets = all
	return all
}
