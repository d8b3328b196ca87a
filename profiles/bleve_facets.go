package profiles

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"weak"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// facetTable holds the facet values (the terms of fieldFacet) of every
// document of one index snapshot, as ordinals per internal document
// number. Counting the facets of a search's matches with it costs a few
// array reads per match, where Bleve's facet builder decodes the doc
// values of each match (most of an officer's query at 100,000 profiles).
// A snapshot never changes; a write makes a new one, and the next faceted
// search builds the table anew (facetTables).
type facetTable struct {
	// snapshot is the snapshot it describes, held weakly: an old table
	// must not keep an old snapshot's segments in memory (nil once the
	// snapshot is collected, so a new snapshot at its address never
	// matches).
	snapshot weak.Pointer[scorch.IndexSnapshot]
	terms    []string // ordinal -> "name=value"
	start    []uint32 // document number -> its first ordinal in ords; len docs+1
	ords     []uint32
}

// facetTables keeps the table of the latest snapshot searched (a reader
// that is not a scorch snapshot gets a table per search).
type facetTables struct {
	mu  sync.Mutex
	cur *facetTable
}

// get returns the table of reader, building it when reader is a new
// snapshot. Concurrent searches of a new snapshot wait for one build.
func (ft *facetTables) get(ctx context.Context, reader index.IndexReader) (*facetTable, error) {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	snap, ok := reader.(*scorch.IndexSnapshot)
	if ok && ft.cur != nil && ft.cur.snapshot.Value() == snap {
		return ft.cur, nil
	}
	t, err := buildFacetTable(ctx, reader)
	if err != nil {
		return nil, err
	}
	if ok {
		t.snapshot = weak.Make(snap)
		ft.cur = t
	}
	return t, nil
}

// buildFacetTable reads the postings of every facet term of the snapshot.
func buildFacetTable(ctx context.Context, reader index.IndexReader) (*facetTable, error) {
	dict, err := reader.FieldDict(fieldFacet)
	if err != nil {
		return nil, fmt.Errorf("profiles: facet table: %w", err)
	}
	var terms []string
	for {
		de, err := dict.Next()
		if err != nil {
			_ = dict.Close()
			return nil, fmt.Errorf("profiles: facet table: %w", err)
		}
		if de == nil {
			break
		}
		terms = append(terms, de.Term)
	}
	if err := dict.Close(); err != nil {
		return nil, fmt.Errorf("profiles: facet table: %w", err)
	}
	docs := make([][]uint64, len(terms)) // per term, its documents
	var maxDoc uint64
	var tfd index.TermFieldDoc
	for o, term := range terms {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("profiles: facet table: %w", err)
		}
		tfr, err := reader.TermFieldReader(ctx, []byte(term), fieldFacet, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("profiles: facet table: %w", err)
		}
		for {
			d, err := tfr.Next(&tfd)
			if err != nil {
				_ = tfr.Close()
				return nil, fmt.Errorf("profiles: facet table: %w", err)
			}
			if d == nil {
				break
			}
			if len(d.ID) != 8 {
				_ = tfr.Close()
				return nil, fmt.Errorf("profiles: facet table: unexpected internal id %x", []byte(d.ID))
			}
			n := d.ID.Value()
			docs[o] = append(docs[o], n)
			maxDoc = max(maxDoc, n)
		}
		if err := tfr.Close(); err != nil {
			return nil, fmt.Errorf("profiles: facet table: %w", err)
		}
	}
	t := &facetTable{terms: terms}
	nDocs := 0
	total := 0
	for _, ds := range docs {
		total += len(ds)
		if len(ds) > 0 {
			nDocs = int(maxDoc) + 1
		}
	}
	t.start = make([]uint32, nDocs+1)
	for _, ds := range docs {
		for _, n := range ds {
			t.start[n+1]++
		}
	}
	for i := 1; i < len(t.start); i++ {
		t.start[i] += t.start[i-1]
	}
	t.ords = make([]uint32, total)
	next := make([]uint32, nDocs)
	copy(next, t.start[:nDocs])
	for o, ds := range docs {
		for _, n := range ds {
			t.ords[next[n]] = uint32(o)
			next[n]++
		}
	}
	return t, nil
}

// facetCountingQuery runs q and counts, with the facet table of the
// snapshot searched, the facet values of every document its searcher
// returns: every match of the search, as Bleve's collector takes them all.
type facetCountingQuery struct {
	q      query.Query
	tables *facetTables
	table  *facetTable // set by Searcher
	counts []int       // per ordinal of table
	bad    bool        // an internal id the table does not know how to read
}

func (fq *facetCountingQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	t, err := fq.tables.get(ctx, i)
	if err != nil {
		return nil, err
	}
	s, err := fq.q.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	fq.table, fq.counts = t, make([]int, len(t.terms))
	return &facetCountingSearcher{Searcher: s, fq: fq}, nil
}

// facets returns the counts by facet name and value, as topFacet takes them.
func (fq *facetCountingQuery) facets() map[string]map[string]int {
	out := make(map[string]map[string]int, len(FacetNames))
	for _, name := range FacetNames {
		out[name] = map[string]int{}
	}
	if fq.table == nil {
		return out
	}
	for o, c := range fq.counts {
		if c == 0 {
			continue
		}
		addFacetTerm(out, fq.table.terms[o], c)
	}
	return out
}

// addFacetTerm adds count to the facet value that term ("name=value")
// stands for.
func addFacetTerm(counts map[string]map[string]int, term string, count int) {
	name, v, ok := strings.Cut(term, facetTermSep)
	if c := counts[name]; ok && c != nil {
		c[v] += count
	}
}

type facetCountingSearcher struct {
	search.Searcher
	fq *facetCountingQuery
}

func (s *facetCountingSearcher) count(d *search.DocumentMatch) {
	if d == nil {
		return
	}
	if len(d.IndexInternalID) != 8 {
		s.fq.bad = true
		return
	}
	t := s.fq.table
	n := d.IndexInternalID.Value()
	if n+1 >= uint64(len(t.start)) {
		return // no facet value (documents after the last that has one)
	}
	for _, o := range t.ords[t.start[n]:t.start[n+1]] {
		s.fq.counts[o]++
	}
}

func (s *facetCountingSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Next(ctx)
	s.count(d)
	return d, err
}

func (s *facetCountingSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Advance(ctx, id)
	s.count(d)
	return d, err
}
