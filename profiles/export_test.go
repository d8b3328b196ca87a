package profiles

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/nats-io/nats.go/jetstream"
)

// Test-only access to internals for the external test package.
var FoldKey = foldKey

// MeiliFilter is the Meilisearch filter for q at time now.
func MeiliFilter(q Query, now time.Time) ([]string, error) {
	sp, err := params(q, now)
	if err != nil {
		return nil, err
	}
	ta, err := loadTextAnalyzers()
	if err != nil {
		return nil, err
	}
	return meiliFilter(sp, ta), nil
}

var (
	MeiliKey       = meiliKey
	MeiliQuote     = meiliQuote
	MeiliWindow    = meiliWindow
	MeiliSortKey   = meiliSortKey
	MeiliEachKeyOf = meiliEachKeyOf
	CapValue       = capValue
)

// SetBleveLegacySearch makes s search the way it did before filteredQuery
// and facetTable (Bleve's boolean filter clause and facet builder), for
// A/B runs.
func SetBleveLegacySearch(s *BleveStore, on bool) { s.legacySearch = on }

// SetBlevePlainSearch turns the fast path off (on) for A/B runs.
func SetBlevePlainSearch(s *BleveStore, on bool) { s.plainSearch = on }

// SetBleveFastSyncLimit sets how many documents of new segments a search
// reads itself before taking the fast path (beyond: in the background).
func SetBleveFastSyncLimit(s *BleveStore, n int) {
	s.fast.mu.Lock()
	defer s.fast.mu.Unlock()
	s.fast.syncLimit = n
}

// BleveFastServed counts the searches s answered by the fast path.
func BleveFastServed(s *BleveStore) uint64 { return s.fast.served.Load() }

// FoldUnicode is foldKey without its ASCII shortcut.
var FoldUnicode = foldUnicode

// SetBleveTextCache turns the fast path's cache of text scores on or off.
func SetBleveTextCache(s *BleveStore, on bool) { s.fast.noTextCache.Store(!on) }

// SetBleveFastBefore12 makes the fast path work as before its writes
// work (views built from scratch, texts walked by Bleve), for A/B runs.
func SetBleveFastBefore12(s *BleveStore, on bool) { s.fast.before12.Store(on) }

// SetBleveFastWarm turns off (on) the fast path's background warming
// after writes, for tests of what a search does alone.
func SetBleveFastWarm(s *BleveStore, on bool) { s.fast.noWarm.Store(!on) }

// WaitBleveFast waits for the fast path's background work (columns, text
// scores) to end.
func WaitBleveFast(s *BleveStore) { s.fast.wg.Wait() }

// BleveTextScores scores text on s's latest snapshot twice: by Bleve's
// own searcher (the fast path's query: every document the text matches,
// by global document number) and by the fast path's plan on the cached
// postings of every live document (planned is false when the plan does
// not mirror the query).
func BleveTextScores(s *BleveStore, text string) (bleveScores, ours map[uint64]float64, planned bool, err error) {
	ctx := context.Background()
	sp := searchParams{text: text}
	must, err := s.textQuery(sp)
	if err != nil || must == nil {
		return nil, nil, false, err
	}
	adv, err := s.idx.Advanced()
	if err != nil {
		return nil, nil, false, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, nil, false, err
	}
	defer func() { _ = r.Close() }()
	snap := r.(*scorch.IndexSnapshot)
	wrapped := query.NewConjunctionQuery([]query.Query{must})
	ms, err := wrapped.Searcher(ctx, snap, s.idx.Mapping(), search.SearcherOptions{})
	if err != nil {
		return nil, nil, false, err
	}
	defer func() { _ = ms.Close() }()
	bleveScores = map[uint64]float64{}
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(ms.DocumentMatchPoolSize()+1, 0)}
	for {
		d, err := ms.Next(sctx)
		if err != nil {
			return nil, nil, false, err
		}
		if d == nil {
			break
		}
		bleveScores[d.IndexInternalID.Value()] = d.Score
		sctx.DocumentMatchPool.Put(d)
	}
	v, err := s.fast.view(ctx, snap)
	if err != nil || v == nil {
		return nil, nil, false, fmt.Errorf("no fast view: %v", err)
	}
	e := s.fast.texts.entry(text, wrapped, s.idx.Mapping())
	if e == nil {
		return bleveScores, nil, false, nil
	}
	ts, err := newTextScorer(ctx, e.plan, snap)
	if err != nil {
		return nil, nil, false, err
	}
	ours = map[uint64]float64{}
	err = ts.scoreCandidates(ctx, e, v, snap.Segments(), v.live, true, func(seg int, local uint32, score float64) {
		ours[v.offsets[seg]+uint64(local)] = score
	})
	return bleveScores, ours, true, err
}

// EmailEntry is the profile id the address index holds for email ("" when
// it holds none), stale or not.
func EmailEntry(ctx context.Context, r *Repo, email string) (string, error) {
	e, err := r.emails.Get(ctx, emailKey(email))
	if err != nil {
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return "", nil
		}
		return "", err
	}
	return string(e.Value()), nil
}

// BleveQuiet reports that scorch has persisted and merged its latest root.
func BleveQuiet(s *BleveStore) bool {
	if im, ok := s.idx.StatsMap()["index"].(map[string]any); ok {
		if active, ok := im["index_bgthreads_active"].(bool); ok {
			return !active
		}
	}
	return true
}

// OpenBleveV5 opens a new index under dir that writes documents of
// mapping 5 (before issue 12's second round), for the A/B benchmark of Put
// and the test of an old index rebuilt.
func OpenBleveV5(dir string) (*BleveStore, error) { return openBleveV5(dir) }

// SetBleveWarmPause sets how long warming waits before running again
// (negative: no wait), for A/B runs.
func SetBleveWarmPause(s *BleveStore, d time.Duration) {
	s.fast.mu.Lock()
	defer s.fast.mu.Unlock()
	s.fast.warmPause = d
}

// SetIndexerLinger sets how long ix waits for more changes while they
// stream in (negative: no wait), for A/B runs.
func SetIndexerLinger(ix *Indexer, d time.Duration) { ix.linger = d }
