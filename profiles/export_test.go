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

// SetBleveFilterClause makes s run text with filters the way it did
// before filteredQuery (Bleve's boolean filter clause), for A/B runs.
func SetBleveFilterClause(s *BleveStore, on bool) { s.bleveFilterClause = on }
