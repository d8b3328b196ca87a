package profiles

import "time"

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

// WaitBleveFast waits for the fast path's background work (columns, text
// scores) to end.
func WaitBleveFast(s *BleveStore) { s.fast.wg.Wait() }
