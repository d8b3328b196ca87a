package profiles

import (
	"context"
	"reflect"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// filteredQuery is text relevance restricted by filters, as Bleve's
// boolean query with a must and a filter clause scores it, but walked
// differently: Bleve's filter clause visits (and scores) every text match
// and then asks the filter; here the text and the filter searchers leapfrog,
// each advanced to the other's document, so the rarer side leads. An
// officer's "analyste" matching every profile, filtered to one city and
// three years, scores only the few thousand profiles in both. The scores,
// and so the order of the hits, are those of the boolean query.
type filteredQuery struct {
	must   query.Query // scored
	filter query.Query // restricts, not scored
}

func (q *filteredQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	// The must side is the conjunction query.BooleanQuery builds. Bleve
	// puts a boolean searcher over it, which only reads one document ahead
	// (a second text step per leapfrog step) and scores as the
	// conjunction does: a sum of the one score, under the same query norm
	// (1/sqrt of the same summed weights), so the scores are the same.
	ms, err := query.NewConjunctionQuery([]query.Query{q.must}).Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	if _, none := ms.(*searcher.MatchNoneSearcher); none {
		return ms, nil
	}
	// Filters are not scored (as Bleve's filter clause).
	fs, err := q.filter.Searcher(ctx, i, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		_ = ms.Close()
		return nil, err
	}
	return &leapfrogSearcher{scored: ms, filter: fs}, nil
}

// leapfrogSearcher returns the documents of scored that filter also
// matches, with scored's scores.
type leapfrogSearcher struct {
	scored, filter search.Searcher
	cur            *search.DocumentMatch // filter's current document; nil before the start
	done           bool                  // filter exhausted
}

var sizeLeapfrogSearcher = int(reflect.TypeOf(leapfrogSearcher{}).Size())

// align returns d if filter matches it, or else the next document of
// scored that filter matches (nil at the end).
func (s *leapfrogSearcher) align(ctx *search.SearchContext, d *search.DocumentMatch) (*search.DocumentMatch, error) {
	var err error
	for d != nil {
		if s.done {
			ctx.DocumentMatchPool.Put(d)
			return nil, nil
		}
		if s.cur == nil || s.cur.IndexInternalID.Compare(d.IndexInternalID) < 0 {
			if s.cur != nil {
				ctx.DocumentMatchPool.Put(s.cur)
			}
			s.cur, err = s.filter.Advance(ctx, d.IndexInternalID)
			if err != nil || s.cur == nil {
				s.done = true
				ctx.DocumentMatchPool.Put(d)
				return nil, err
			}
		}
		if s.cur.IndexInternalID.Equals(d.IndexInternalID) {
			return d, nil
		}
		// The filter is ahead: skip the text matches before its document.
		ctx.DocumentMatchPool.Put(d)
		if d, err = s.scored.Advance(ctx, s.cur.IndexInternalID); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func (s *leapfrogSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	d, err := s.scored.Next(ctx)
	if err != nil {
		return nil, err
	}
	return s.align(ctx, d)
}

func (s *leapfrogSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	d, err := s.scored.Advance(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.align(ctx, d)
}

func (s *leapfrogSearcher) Close() error {
	err := s.scored.Close()
	if ferr := s.filter.Close(); err == nil {
		err = ferr
	}
	return err
}

func (s *leapfrogSearcher) Weight() float64        { return s.scored.Weight() }
func (s *leapfrogSearcher) SetQueryNorm(n float64) { s.scored.SetQueryNorm(n) }
func (s *leapfrogSearcher) Count() uint64          { return min(s.scored.Count(), s.filter.Count()) }
func (s *leapfrogSearcher) Min() int               { return s.scored.Min() }
func (s *leapfrogSearcher) DocumentMatchPoolSize() int {
	return s.scored.DocumentMatchPoolSize() + s.filter.DocumentMatchPoolSize() + 1
}
func (s *leapfrogSearcher) Size() int {
	return sizeLeapfrogSearcher + s.scored.Size() + s.filter.Size()
}
