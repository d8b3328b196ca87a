package profiles

import (
	"hash/maphash"
	"sync"
)

// docRow is what the index holds of a profile beside its text: its filter
// keys, sort keys and facet terms. bleveDoc indexes them; the fast path's
// columns are made of them (readSegCols), from the row a Put computed
// (rowCache) or, failing that, from the stored profile.
type docRow struct {
	skills, languages, workplace, seniority, facets []string
	cohort, city, country                           string
	searchable, recruiters                          bool
	year, avail, updated                            int64 // noValue: none
}

// profileRow derives p's row.
func profileRow(p Profile) docRow {
	sk := skillKeys(p.Skills)
	r := docRow{skills: sk, facets: facetTerms(p, sk), languages: foldKeys(p.Languages),
		workplace: foldKeys(p.Seeking.Workplace), seniority: foldKeys(p.Seeking.Seniority),
		cohort: foldKey(p.Cohort), city: foldKey(p.City), country: p.Country,
		searchable: p.Consent.Searchable, recruiters: p.Consent.Recruiters,
		year: noValue, avail: noValue, updated: noValue}
	if p.GraduationYear != 0 {
		r.year = int64(p.GraduationYear)
	}
	if day, ok := availableDay(p.Availability); ok {
		r.avail = day
	}
	if !p.UpdatedAt.IsZero() {
		r.updated = p.UpdatedAt.Unix()
	}
	return r
}

// rowCache keeps the rows Put computed, by profile id, with a hash of the
// stored profile they were computed with: reading a segment then costs a
// stored-field visit and a hash per document, not a JSON decoding and the
// keys' derivation (most of the cost, pprof), so the fast path keeps up
// with an import, and re-reads a segment persisted or merged on disk as
// cheaply. A row is used only for the very stored profile it was computed
// with (same length, same 64-bit hash); any other version is decoded.
type rowCache struct {
	mu   sync.Mutex
	seed maphash.Seed
	m    map[string]putRow
}

type putRow struct {
	sum  uint64
	size int
	row  docRow
}

// maxPutRows bounds rowCache: past it, the rows are forgotten at once
// (and the segments read after decode their profiles).
const maxPutRows = 1 << 17

// put records the row of the profile id stored as raw.
func (rc *rowCache) put(id, raw string, row docRow) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.m == nil || len(rc.m) >= maxPutRows {
		if rc.m == nil {
			rc.seed = maphash.MakeSeed()
		}
		rc.m = map[string]putRow{}
	}
	rc.m[id] = putRow{sum: maphash.String(rc.seed, raw), size: len(raw), row: row}
}

// take returns the row of id when it was computed from exactly the stored
// profile raw.
func (rc *rowCache) take(id string, raw []byte) (docRow, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	pr, ok := rc.m[id]
	if !ok || pr.size != len(raw) || pr.sum != maphash.Bytes(rc.seed, raw) {
		return docRow{}, false
	}
	return pr.row, true
}
