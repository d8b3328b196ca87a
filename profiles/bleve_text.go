package profiles

import (
	"context"
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Text scores that survive writes. Bleve scores a free text with tf-idf:
// each term of the text contributes sqrt(freq)·norm·idf·queryWeight for a
// document, where freq and norm are the document's own (read from the
// term's postings in the document's segment) and idf and queryWeight come
// from counts over the whole snapshot (documents, documents holding the
// term). Sums and coordination factors combine the terms as the query's
// searchers are nested. A write changes the counts, hence every score, but
// not the postings of the segments it leaves alone. So the fast path keeps
// per text and per segment the postings of the text's terms (document,
// sqrt(freq)·norm), reads them once per immutable segment (after a write,
// only the new segment's), asks Bleve for the snapshot's counts (a
// dictionary look-up per term and segment), and computes each candidate's
// score with Bleve's own arithmetic in Bleve's own order: the children of
// a conjunction or disjunction searcher summed in the order Bleve sorts
// them (by count), the same products and divisions (scorer_term.go,
// scorer_conjunction.go, scorer_disjunction.go of bleve v2). The scores are
// then the same float64 values Bleve computes: TestBleveTextScoresAreBleves
// compares them with Bleve's for every matching document, and the
// randomized tests compare pages and orders with the plain path, writes
// between searches.

// Kinds of scoreNode.
const (
	nodeTerm = iota
	nodeConj
	nodeDisj
	nodeNone // matches nothing (a word an analyzer drops)
)

// scoreNode mirrors one searcher of the tree Bleve builds for a text
// query.
type scoreNode struct {
	kind     int
	id       int // index in textPlan.nodes
	children []*scoreNode
	min      int // disjunction: fewest matching children
	field    string
	term     string
	boost    float64
	leaf     int // term: index in textPlan.leaves
}

// textPlan is the searcher tree of a text query.
type textPlan struct {
	root   *scoreNode
	nodes  []*scoreNode
	leaves []*scoreNode
}

// planText mirrors the searchers Bleve builds for q (conjunctions,
// disjunctions, match and term queries without fuzziness, as textQuery
// builds them); ok is false for any other query.
func planText(q query.Query, m mapping.IndexMapping) (*textPlan, bool) {
	p := &textPlan{}
	var walk func(q query.Query) (*scoreNode, bool)
	add := func(n *scoreNode) *scoreNode {
		n.id = len(p.nodes)
		p.nodes = append(p.nodes, n)
		if n.kind == nodeTerm {
			n.leaf = len(p.leaves)
			p.leaves = append(p.leaves, n)
		}
		return n
	}
	depth := 0
	composite := func(kind int, qs []query.Query, min int) (*scoreNode, bool) {
		n := &scoreNode{kind: kind, min: min}
		depth++
		for _, c := range qs {
			cn, ok := walk(c)
			if !ok {
				return nil, false
			}
			n.children = append(n.children, cn)
		}
		depth--
		switch {
		case len(n.children) == 0:
			return add(&scoreNode{kind: nodeNone}), true
		case len(n.children) == 1 && depth > 0 && (kind == nodeConj || min <= 1):
			// Below the root, a searcher of one child scores as its
			// child: 0+x, and x·(1/1) for a disjunction, are x exactly;
			// its weight is its child's, its count too. (The root stays:
			// its query norm is every leaf's.)
			return n.children[0], true
		}
		return add(n), true
	}
	walk = func(q query.Query) (*scoreNode, bool) {
		switch q := q.(type) {
		case *query.ConjunctionQuery:
			return composite(nodeConj, q.Conjuncts, 0)
		case *query.DisjunctionQuery:
			if q.Min < 0 || q.Min != math.Trunc(q.Min) {
				return nil, false
			}
			return composite(nodeDisj, q.Disjuncts, int(q.Min))
		case *query.TermQuery:
			field := q.FieldVal
			if field == "" {
				field = m.DefaultSearchField()
			}
			return add(&scoreNode{kind: nodeTerm, field: field, term: q.Term, boost: q.BoostVal.Value()}), true
		case *query.MatchQuery:
			if q.Fuzziness != 0 || q.Operator != query.MatchQueryOperatorOr {
				return nil, false
			}
			field := q.FieldVal
			if field == "" {
				field = m.DefaultSearchField()
			}
			name := q.Analyzer
			if name == "" {
				name = m.AnalyzerNameForPath(field)
			}
			a := m.AnalyzerNamed(name)
			if a == nil {
				return nil, false
			}
			tokens := a.Analyze([]byte(q.Match))
			if len(tokens) == 0 {
				return add(&scoreNode{kind: nodeNone}), true
			}
			// MatchQuery.Searcher: a disjunction (min 1) of term queries.
			tqs := make([]query.Query, len(tokens))
			for i, tok := range tokens {
				tq := query.NewTermQuery(string(tok.Term))
				tq.SetField(field)
				tq.SetBoost(q.BoostVal.Value())
				tqs[i] = tq
			}
			return composite(nodeDisj, tqs, 1)
		}
		return nil, false
	}
	// Only tf-idf (the mapping's default) is mirrored.
	impl, ok := m.(*mapping.IndexMappingImpl)
	if !ok || (impl.ScoringModel != "" && impl.ScoringModel != index.TFIDFScoring) {
		return nil, false
	}
	if _, conj := q.(*query.ConjunctionQuery); !conj {
		return nil, false // the fast path's query: a conjunction at the root
	}
	root, ok := walk(q)
	if !ok {
		return nil, false
	}
	p.root = root
	return p, true
}

// leafPostings are a term's postings in one segment: local document
// numbers, ascending, and each one's sqrt(freq)·norm (the first product
// of Bleve's TermQueryScorer).
type leafPostings struct {
	docs []uint32
	tn   []float64
}

// readLeafPostings reads the postings of field:term in seg.
func readLeafPostings(seg segment.Segment, field, term string) (leafPostings, error) {
	var lp leafPostings
	dict, err := seg.Dictionary(field)
	if err != nil {
		return lp, fmt.Errorf("profiles: text postings %s: %w", field, err)
	}
	pl, err := dict.PostingsList([]byte(term), nil, nil)
	if err != nil {
		return lp, fmt.Errorf("profiles: text postings %s:%s: %w", field, term, err)
	}
	if n := pl.Count(); n > 0 {
		lp.docs = make([]uint32, 0, n)
		lp.tn = make([]float64, 0, n)
	}
	it := pl.Iterator(true, true, false, nil)
	for {
		p, err := it.Next()
		if err != nil {
			return lp, fmt.Errorf("profiles: text postings %s:%s: %w", field, term, err)
		}
		if p == nil {
			return lp, nil
		}
		// TermQueryScorer: tf is sqrt(freq) (its table holds the same
		// math.Sqrt values), times the norm.
		lp.docs = append(lp.docs, uint32(p.Number()))
		lp.tn = append(lp.tn, math.Sqrt(float64(p.Frequency()))*p.Norm())
	}
}

// textEntry caches the postings of one text's terms per segment.
type textEntry struct {
	plan *textPlan
	mu   sync.Mutex
	segs map[*segCols][]leafPostings // per segment, per leaf
	used uint64                      // for eviction
}

// textCache holds the entries of the last texts searched.
type textCache struct {
	mu      sync.Mutex
	entries map[string]*textEntry
	clock   uint64
}

// entry returns the cached entry of text (a new one, planned from q, when
// missing; nil when the plan is not supported).
func (tc *textCache) entry(text string, q query.Query, m mapping.IndexMapping) *textEntry {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.clock++
	if e := tc.entries[text]; e != nil {
		e.used = tc.clock
		return e
	}
	plan, ok := planText(q, m)
	if !ok {
		return nil
	}
	if tc.entries == nil {
		tc.entries = map[string]*textEntry{}
	}
	if len(tc.entries) >= maxCachedTexts {
		var oldest string
		for k, e := range tc.entries {
			if oldest == "" || e.used < tc.entries[oldest].used {
				oldest = k
			}
		}
		delete(tc.entries, oldest)
	}
	e := &textEntry{plan: plan, segs: map[*segCols][]leafPostings{}, used: tc.clock}
	tc.entries[text] = e
	return e
}

// postings returns the postings of every leaf in segment i of v, read
// when not cached; it forgets the segments v no longer holds.
func (e *textEntry) postings(v *fastView, sss []*scorch.SegmentSnapshot, i int) ([]leafPostings, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if lp := e.segs[v.segs[i]]; lp != nil {
		return lp, nil
	}
	if len(e.segs) >= len(v.segs) {
		held := make(map[*segCols]bool, len(v.segs))
		for _, c := range v.segs {
			held[c] = true
		}
		for c := range e.segs {
			if !held[c] {
				delete(e.segs, c)
			}
		}
	}
	lp := make([]leafPostings, len(e.plan.leaves))
	for k, n := range e.plan.leaves {
		var err error
		if lp[k], err = readLeafPostings(sss[i].Segment(), n.field, n.term); err != nil {
			return nil, err
		}
	}
	e.segs[v.segs[i]] = lp
	return lp, nil
}

// textScorer holds what a snapshot's counts make of a plan: each node's
// count, children order, and each leaf's idf and query weight.
type textScorer struct {
	plan  *textPlan
	count []uint64
	order [][]*scoreNode
	idf   []float64
	qw    []float64
	// per document being scored: whether each leaf matches and its tn
	hit []bool
	tn  []float64
}

// byCount sorts searchers as bleve's OrderedSearcherList does.
type byCount struct {
	ns    []*scoreNode
	count []uint64
}

func (b byCount) Len() int           { return len(b.ns) }
func (b byCount) Less(i, j int) bool { return b.count[b.ns[i].id] < b.count[b.ns[j].id] }
func (b byCount) Swap(i, j int)      { b.ns[i], b.ns[j] = b.ns[j], b.ns[i] }

// newTextScorer computes the plan's weights on snap, as Bleve's searchers
// do when built: term counts and the document count from the snapshot,
// children sorted by count, the query norm of the root.
func newTextScorer(ctx context.Context, plan *textPlan, snap *scorch.IndexSnapshot) (*textScorer, error) {
	ts := &textScorer{plan: plan, count: make([]uint64, len(plan.nodes)), order: make([][]*scoreNode, len(plan.nodes)),
		idf: make([]float64, len(plan.nodes)), qw: make([]float64, len(plan.nodes)),
		hit: make([]bool, len(plan.leaves)), tn: make([]float64, len(plan.leaves))}
	docTotal, err := snap.DocCount()
	if err != nil {
		return nil, fmt.Errorf("profiles: search: %w", err)
	}
	weight := make([]float64, len(plan.nodes))
	// Nodes are numbered children first.
	for _, n := range plan.nodes {
		switch n.kind {
		case nodeTerm:
			r, err := snap.TermFieldReader(ctx, []byte(n.term), n.field, false, false, false)
			if err != nil {
				return nil, fmt.Errorf("profiles: search: %w", err)
			}
			docTerm := r.Count()
			_ = r.Close()
			ts.count[n.id] = docTerm
			// TermQueryScorer.computeIDF (tf-idf).
			ts.idf[n.id] = 1.0 + math.Log(float64(docTotal)/float64(docTerm+1.0))
			sum := n.boost * ts.idf[n.id]
			weight[n.id] = sum * sum
		case nodeConj, nodeDisj:
			var c uint64
			for _, ch := range n.children {
				c += ts.count[ch.id]
			}
			ts.count[n.id] = c
			o := append([]*scoreNode(nil), n.children...)
			sort.Sort(byCount{o, ts.count})
			ts.order[n.id] = o
			var w float64
			for _, ch := range o {
				w += weight[ch.id]
			}
			weight[n.id] = w
		}
	}
	// The root's computeQueryNorm is the last to run: its norm is every
	// leaf's.
	qnorm := 1.0 / math.Sqrt(weight[plan.root.id])
	for _, n := range plan.leaves {
		ts.qw[n.id] = n.boost * ts.idf[n.id] * qnorm
	}
	return ts, nil
}

// score is node n's score of the document whose leaves are in ts.hit and
// ts.tn; ok is false when n does not match it.
func (ts *textScorer) score(n *scoreNode) (float64, bool) {
	switch n.kind {
	case nodeTerm:
		if !ts.hit[n.leaf] {
			return 0, false
		}
		s := ts.tn[n.leaf] * ts.idf[n.id]
		if q := ts.qw[n.id]; q != 1.0 {
			s = s * q
		}
		return s, true
	case nodeConj:
		var sum float64
		for _, c := range ts.order[n.id] {
			s, ok := ts.score(c)
			if !ok {
				return 0, false
			}
			sum += s
		}
		return sum, true
	case nodeDisj:
		var sum float64
		matched := 0
		for _, c := range ts.order[n.id] {
			if s, ok := ts.score(c); ok {
				sum += s
				matched++
			}
		}
		if matched == 0 || matched < n.min {
			return 0, false
		}
		coord := float64(matched) / float64(len(n.children))
		return sum * coord, true
	}
	return 0, false
}

// scoreCandidates calls keep with each candidate of cands the text matches
// and its score (0 when not scored), from the cached postings.
func (ts *textScorer) scoreCandidates(ctx context.Context, e *textEntry, v *fastView, sss []*scorch.SegmentSnapshot, cands []*roaring.Bitmap, scored bool, keep func(seg int, local uint32, score float64)) error {
	cur := make([]int, len(ts.plan.leaves))
	for i, bm := range cands {
		if bm.IsEmpty() {
			continue
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("profiles: search: %w", err)
		}
		lps, err := e.postings(v, sss, i)
		if err != nil {
			return err
		}
		clear(cur)
		it := bm.Iterator()
		for it.HasNext() {
			l := it.Next()
			for k := range lps {
				docs := lps[k].docs
				c := cur[k]
				if c < len(docs) && docs[c] < l {
					// Gallop to the first posting at or after l.
					step := 1
					for c+step < len(docs) && docs[c+step] < l {
						c += step
						step *= 2
					}
					hi := min(c+step, len(docs))
					c += sort.Search(hi-c, func(j int) bool { return docs[c+j] >= l })
				}
				cur[k] = c
				ts.hit[k] = c < len(docs) && docs[c] == l
				if ts.hit[k] {
					ts.tn[k] = lps[k].tn[c]
				}
			}
			s, ok := ts.score(ts.plan.root)
			if !ok {
				continue
			}
			if !scored {
				s = 0
			}
			keep(i, l, s)
		}
	}
	return nil
}
