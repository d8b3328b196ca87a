package profiles

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// BleveConfig configures the embedded store. The zero value is an
// in-memory index, suitable for tests and demos.
type BleveConfig struct {
	// Dir holds the index on disk (created when missing). Empty: in memory.
	Dir string
	// Now gives the current time, for UpdatedAt and "immediate"
	// availability. Default time.Now.
	Now func() time.Time
}

// BleveStore is the embedded profile store: a Bleve index whose documents
// carry the profile JSON (stored, not indexed) and the derived search fields.
type BleveStore struct {
	mu   sync.RWMutex // guards idx against Reset
	idx  bleve.Index
	now  func() time.Time
	path string // "" in memory
	// stale: the index on disk was built with another mapping; it can be
	// read (to move its profiles to the bucket) until Reset rebuilds it.
	stale bool

	closeOnce sync.Once
	closeErr  error

	facetTables facetTables

	// legacySearch: text with filters goes through Bleve's boolean filter
	// clause (not filteredQuery) and facets through Bleve's facet builder
	// (not facetTable): the paths before them, kept for the A/B benchmark
	// (BenchmarkOfficerQueryStore), which checks both give the same result.
	legacySearch bool

	// fast answers searches from columns kept beside Bleve (bleve_fast.go);
	// plainSearch turns it off (the plain path, for the A/B benchmark and
	// the tests that compare both).
	fast        fastTables
	plainSearch bool

	// docs builds the documents Put writes.
	docs *docBuilder
	// legacyDoc, set by the A/B benchmark only, writes documents of an
	// earlier mapping through Bleve's mapping instead (bleve_v5_test.go).
	legacyDoc func(Profile) (map[string]any, docRow, error)
}

var _ Store = (*BleveStore)(nil)

// Names inside the Bleve index. bleveMappingVersion changes whenever the
// mapping does, so an index built by an older binary is detected on open.
const (
	bleveDirName        = "profiles.bleve"
	bleveMappingVersion = "passerelle-profiles-6"
	bleveVersionKey     = "passerelle_mapping_version"

	fieldDoc       = "doc"
	fieldTextPlain = "text_plain"
	fieldTextFr    = "text_fr"
	fieldTextEn    = "text_en"
	fieldFacet     = "facet" // every facet value as "name=value" (facetTerm)
	fieldYear      = "year"
	fieldAvailable = "available_on"
	fieldUpdated   = "updated_unix"

	// The filters' names in filter keys (filterKey: the terms of fieldKey
	// and the fast path's bitmaps).
	fieldSkill      = "skill"
	fieldCity       = "city"
	fieldCountry    = "country"
	fieldLanguage   = "language"
	fieldSearchable = "searchable"
	fieldCohort     = "cohort"
	fieldWorkplace  = "workplace"
	fieldRecruiters = "recruiters" // consent to recruiters
	fieldSeniority  = "seniority"

	analyzerPlain = "passerelle_plain"
	analyzerFr    = "passerelle_fr"
	analyzerEn    = "passerelle_en"
)

// ErrIndexBusy: another process holds the embedded index.
var ErrIndexBusy = errors.New("profiles: index in use by another process")

// bleveLockWait is how long OpenBleve waits for another process's lock.
const bleveLockWait = 3 * time.Second

// eachPageSize is how many documents Each reads per search.
const eachPageSize = 500

// OpenBleve opens the embedded store under cfg.Dir, creating it when
// missing, or an in-memory store when cfg.Dir is empty.
func OpenBleve(cfg BleveConfig) (*BleveStore, error) {
	m, err := bleveMapping()
	if err != nil {
		return nil, err
	}
	docs, err := newDocBuilder(m)
	if err != nil {
		return nil, err
	}
	s := &BleveStore{now: nowFunc(cfg.Now), docs: docs}
	if cfg.Dir == "" {
		// Scorch without a path keeps its segments in memory; it is much
		// faster to search than the upsidedown/gtreap pair of NewMemOnly.
		idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
		if err != nil {
			return nil, fmt.Errorf("profiles: create in-memory index: %w", err)
		}
		s.idx = idx
		return s, nil
	}
	if err := os.MkdirAll(cfg.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("profiles: create index dir %s: %w", cfg.Dir, err)
	}
	path := filepath.Join(cfg.Dir, bleveDirName)
	_, statErr := os.Stat(path)
	switch {
	case statErr == nil:
		// One process at a time: a second one waits for the lock only
		// briefly, then says who to ask.
		idx, err := bleve.OpenUsing(path, map[string]any{"bolt_timeout": bleveLockWait.String()})
		if err != nil && strings.Contains(err.Error(), "timeout") { // bbolt's ErrTimeout
			return nil, fmt.Errorf("profiles: the index %s is in use by another process (a running Passerelle?): go through it (--http) or stop it: %w", path, ErrIndexBusy)
		}
		if err != nil {
			return nil, fmt.Errorf("profiles: open index %s: %w", path, err)
		}
		v, err := idx.GetInternal([]byte(bleveVersionKey))
		if err != nil || string(v) != bleveMappingVersion {
			// Built by another version: readable, to be rebuilt from the
			// profiles bucket (Stale, Reset).
			s.stale = true
		}
		s.idx = idx
	case errors.Is(statErr, fs.ErrNotExist):
		idx, err := newBleveAt(path, m, bleveMappingVersion)
		if err != nil {
			return nil, err
		}
		s.idx = idx
	default:
		return nil, fmt.Errorf("profiles: open index %s: %w", path, statErr)
	}
	s.path = path
	// The fast path's columns of an existing index, read in the
	// background from now on rather than at the first search.
	s.warmFast()
	return s, nil
}

func newBleveAt(path string, m mapping.IndexMapping, version string) (bleve.Index, error) {
	idx, err := bleve.New(path, m)
	if err != nil {
		return nil, fmt.Errorf("profiles: create index %s: %w", path, err)
	}
	if err := idx.SetInternal([]byte(bleveVersionKey), []byte(version)); err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("profiles: create index %s: %w", path, err)
	}
	return idx, nil
}

// Local reports that reading one document is cheap (the indexer skips
// unchanged profiles by reading them).
func (s *BleveStore) Local() bool { return true }

// Stale reports an index built by another version (another mapping): its
// documents can be read, and Reset rebuilds it empty.
func (s *BleveStore) Stale() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.stale
}

// Reset drops every document: the index is made anew, empty, with the
// current mapping.
func (s *BleveStore) Reset(ctx context.Context) error {
	m, err := bleveMapping()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.idx.Close(); err != nil {
		return fmt.Errorf("profiles: reset index: %w", err)
	}
	var idx bleve.Index
	if s.path == "" {
		idx, err = bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	} else {
		if err := os.RemoveAll(s.path); err != nil {
			return fmt.Errorf("profiles: reset index: %w", err)
		}
		idx, err = newBleveAt(s.path, m, bleveMappingVersion)
	}
	if err != nil {
		return fmt.Errorf("profiles: reset index: %w", err)
	}
	s.idx, s.stale = idx, false
	return nil
}

// Put upserts profiles: all are validated first, then written in one batch.
func (s *BleveStore) Put(ctx context.Context, ps ...Profile) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("profiles: put: %w", err)
	}
	prepared, err := prepareAll(ps, s.now())
	if err != nil {
		return err
	}
	if len(prepared) == 0 {
		return nil
	}
	b := s.idx.NewBatch()
	for _, p := range prepared {
		if s.legacyDoc != nil {
			d, row, err := s.legacyDoc(p)
			if err != nil {
				return err
			}
			s.fast.rows.put(p.ID, d[fieldDoc].(string), row)
			if err := b.Index(p.ID, d); err != nil {
				return fmt.Errorf("profiles: put %s: %w", p.ID, err)
			}
			continue
		}
		d, raw, row, err := s.docs.document(p)
		if err != nil {
			return err
		}
		s.fast.rows.put(p.ID, raw, row)
		if err := b.IndexAdvanced(d); err != nil {
			return fmt.Errorf("profiles: put %s: %w", p.ID, err)
		}
	}
	if err := s.idx.Batch(b); err != nil {
		return fmt.Errorf("profiles: put %d profiles: %w", len(prepared), err)
	}
	s.warmFast()
	return nil
}

// Get returns the profile with the given id, or an error wrapping
// ErrNotFound.
func (s *BleveStore) Get(ctx context.Context, id string) (Profile, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return Profile{}, fmt.Errorf("profiles: get %s: %w", id, err)
	}
	doc, err := s.idx.Document(id)
	if err != nil {
		return Profile{}, fmt.Errorf("profiles: get %s: %w", id, err)
	}
	if doc == nil {
		return Profile{}, fmt.Errorf("profiles: get %q: %w", id, ErrNotFound)
	}
	var raw []byte
	doc.VisitFields(func(f index.Field) {
		if f.Name() == fieldDoc {
			raw = f.Value()
		}
	})
	if raw == nil {
		return Profile{}, fmt.Errorf("profiles: get %q: %w", id, ErrNotFound)
	}
	return decodeStored(id, raw)
}

// decodeStored decodes the stored profile JSON.
func decodeStored(id string, raw []byte) (Profile, error) {
	var p Profile
	if err := json.Unmarshal(raw, &p); err != nil {
		return Profile{}, fmt.Errorf("profiles: decode stored profile %s: %w", id, err)
	}
	return p, nil
}

// Delete removes a profile; deleting an unknown id is not an error.
func (s *BleveStore) Delete(ctx context.Context, id string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("profiles: delete %s: %w", id, err)
	}
	if err := s.idx.Delete(id); err != nil {
		return fmt.Errorf("profiles: delete %s: %w", id, err)
	}
	s.warmFast()
	return nil
}

// Search runs q: free text (AND of words, each matched in folded, French-
// or English-stemmed form) restricted by the filters.
func (s *BleveStore) Search(ctx context.Context, q Query) (Result, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sp, err := params(q, s.now())
	if err != nil {
		return Result{}, err
	}
	// An index of an older mapping (stale) is searched as Bleve reads it
	// until it is rebuilt.
	if !s.legacySearch && !s.plainSearch && !s.stale {
		if res, ok, err := s.searchFast(ctx, sp); ok || err != nil {
			return res, err
		}
	}
	bq, hasText, err := s.buildQuery(sp)
	if err != nil {
		return Result{}, err
	}
	var counting *facetCountingQuery
	if sp.facets && !s.legacySearch {
		counting = &facetCountingQuery{q: bq, tables: &s.facetTables}
		bq = counting
	}
	req := bleve.NewSearchRequestOptions(bq, sp.limit, sp.offset, false)
	req.Fields = []string{fieldDoc}
	if sp.facets && counting == nil {
		// Every value of the facet field is counted (it holds all the
		// facets); Search keeps the top FacetSize of each facet.
		req.AddFacet(fieldFacet, bleve.NewFacetRequest(fieldFacet, math.MaxInt32))
	}
	switch {
	case sp.sort == SortYear:
		req.SortByCustom(search.SortOrder{&search.SortField{Field: fieldYear, Desc: true, Type: search.SortFieldAsString, Missing: search.SortFieldMissingLast}, &search.SortDocID{}})
	case sp.sort == SortAvailability:
		req.SortByCustom(search.SortOrder{&search.SortField{Field: fieldAvailable, Type: search.SortFieldAsString, Missing: search.SortFieldMissingLast}, &search.SortDocID{}})
	case sp.sort == SortUpdated:
		req.SortByCustom(search.SortOrder{&search.SortField{Field: fieldUpdated, Desc: true, Type: search.SortFieldAsString, Missing: search.SortFieldMissingLast}, &search.SortDocID{}})
	case hasText:
		req.SortBy([]string{"-_score", "_id"})
	default:
		req.SortBy([]string{"_id"})
		req.Score = "none"
	}
	res, err := s.idx.SearchInContext(ctx, req)
	if err == nil && counting != nil && counting.bad {
		// Internal ids the facet table cannot read: Bleve counts instead.
		req.Query = counting.q
		req.AddFacet(fieldFacet, bleve.NewFacetRequest(fieldFacet, math.MaxInt32))
		counting = nil
		res, err = s.idx.SearchInContext(ctx, req)
	}
	if err != nil {
		return Result{}, fmt.Errorf("profiles: search: %w", err)
	}
	out := Result{Total: int(res.Total), Profiles: make([]Profile, 0, len(res.Hits))}
	if sp.facets {
		var counts map[string]map[string]int
		if counting != nil {
			counts = counting.facets()
		} else {
			counts = make(map[string]map[string]int, len(FacetNames))
			for _, name := range FacetNames {
				counts[name] = map[string]int{}
			}
			if fr := res.Facets[fieldFacet]; fr != nil && fr.Terms != nil {
				for _, tf := range fr.Terms.Terms() {
					addFacetTerm(counts, tf.Term, tf.Count)
				}
			}
		}
		out.Facets = make(map[string][]FacetCount, len(FacetNames))
		for _, name := range FacetNames {
			out.Facets[name] = topFacet(name, counts[name])
		}
	}
	for _, h := range res.Hits {
		p, err := hitProfile(h.ID, h.Fields)
		if err != nil {
			return Result{}, err
		}
		out.Profiles = append(out.Profiles, p)
	}
	return out, nil
}

// hitProfile decodes the stored document of a search hit.
func hitProfile(id string, fields map[string]any) (Profile, error) {
	raw, ok := fields[fieldDoc].(string)
	if !ok {
		return Profile{}, fmt.Errorf("profiles: search hit %s has no stored document", id)
	}
	return decodeStored(id, []byte(raw))
}

// buildQuery turns normalized parameters into a Bleve query; hasText
// reports whether relevance matters.
func (s *BleveStore) buildQuery(sp searchParams) (q query.Query, hasText bool, err error) {
	must, err := s.textQuery(sp)
	if err != nil {
		return nil, false, err
	}

	var filters []query.Query
	key := func(field, v string) query.Query {
		tq := bleve.NewTermQuery(filterKey(field, v))
		tq.SetField(fieldKey)
		return tq
	}
	term := func(field, v string) { filters = append(filters, key(field, v)) }
	// anyOf keeps documents whose field holds one of values (none given:
	// no filter).
	anyOf := func(field string, values []string) {
		if len(values) == 0 {
			return
		}
		var disj []query.Query
		for _, k := range values {
			disj = append(disj, key(field, k))
		}
		filters = append(filters, bleve.NewDisjunctionQuery(disj...))
	}
	sp.eachKeywordFilter(term, anyOf, func(field string) { term(field, "T") })
	// between keeps documents whose number field is within [lo, hi]
	// (noValue: unbounded).
	between := func(field string, lo, hi int64) {
		incl := true
		var min, max string
		if lo != noValue {
			min = sortKey(lo)
		}
		if hi != noValue {
			max = sortKey(hi)
		}
		if lo != noValue && lo == hi {
			tq := bleve.NewTermQuery(min)
			tq.SetField(field)
			filters = append(filters, tq)
			return
		}
		rq := bleve.NewTermRangeInclusiveQuery(min, max, &incl, &incl)
		rq.SetField(field)
		filters = append(filters, rq)
	}
	if sp.year != 0 {
		between(fieldYear, int64(sp.year), int64(sp.year))
	}
	if sp.yearFrom != 0 || sp.yearTo != 0 {
		lo, hi := int64(noValue), int64(noValue)
		if sp.yearFrom != 0 {
			lo = int64(sp.yearFrom)
		}
		if sp.yearTo != 0 {
			hi = int64(sp.yearTo)
		}
		between(fieldYear, lo, hi)
	}
	if sp.hasAvail {
		between(fieldAvailable, noValue, sp.availBy)
	}

	switch {
	case must == nil && len(filters) == 0:
		return bleve.NewMatchAllQuery(), false, nil
	case len(filters) == 0:
		return must, true, nil
	case must == nil:
		// Without text the order is by id, so scores are not needed and a
		// plain conjunction walks only the postings of the filter terms.
		return bleve.NewConjunctionQuery(filters...), false, nil
	}
	// With text, filters restrict the hits without changing the text
	// relevance (filteredQuery: the text and the filters are walked in
	// step, rather than scoring every text match first).
	if s.legacySearch {
		bq := bleve.NewBooleanQuery()
		bq.AddMust(must)
		bq.AddFilter(bleve.NewConjunctionQuery(filters...))
		return bq, true, nil
	}
	return &filteredQuery{must: must, filter: bleve.NewConjunctionQuery(filters...)}, true, nil
}

// textQuery is the query of sp's free text: every word, in any of its
// analysed forms; nil without text.
func (s *BleveStore) textQuery(sp searchParams) (query.Query, error) {
	if sp.text == "" {
		return nil, nil
	}
	words, err := s.words(sp.text)
	if err != nil || len(words) == 0 {
		return nil, err
	}
	conj := make([]query.Query, 0, len(words))
	for _, w := range words {
		disj := make([]query.Query, 0, 3)
		for _, field := range []string{fieldTextPlain, fieldTextFr, fieldTextEn} {
			mq := bleve.NewMatchQuery(w)
			mq.SetField(field)
			disj = append(disj, mq)
		}
		conj = append(conj, bleve.NewDisjunctionQuery(disj...))
	}
	return bleve.NewConjunctionQuery(conj...), nil
}

// words splits free text with the folding analyzer, so punctuation and
// accents are handled as in the index.
func (s *BleveStore) words(text string) ([]string, error) {
	a := s.idx.Mapping().AnalyzerNamed(analyzerPlain)
	if a == nil {
		return nil, fmt.Errorf("profiles: search: analyzer %s missing from index mapping", analyzerPlain)
	}
	var out []string
	seen := map[string]bool{}
	for _, tok := range a.Analyze([]byte(text)) {
		w := string(tok.Term)
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out, nil
}

// Each calls fn for every profile in id order, reading pages of
// eachPageSize, and stops at the first error fn returns (returned as is).
func (s *BleveStore) Each(ctx context.Context, fn func(Profile) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), eachPageSize, 0, false)
		req.Fields = []string{fieldDoc}
		req.SortBy([]string{"_id"})
		if after != nil {
			req.SearchAfter = after
		}
		res, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("profiles: each: %w", err)
		}
		for _, h := range res.Hits {
			p, err := hitProfile(h.ID, h.Fields)
			if err != nil {
				return err
			}
			if err := fn(p); err != nil {
				return err
			}
		}
		if len(res.Hits) < eachPageSize {
			return nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// Close closes the index; later calls return the first result.
func (s *BleveStore) Close() error {
	s.closeOnce.Do(func() {
		// Background work of the fast path holds snapshots: none starts
		// from now on, and the running ones end before the index closes.
		s.fast.mu.Lock()
		s.fast.closed = true
		if s.fast.closing != nil {
			close(s.fast.closing)
		}
		s.fast.mu.Unlock()
		s.fast.wg.Wait()
		s.mu.Lock()
		defer s.mu.Unlock()
		if err := s.idx.Close(); err != nil {
			s.closeErr = fmt.Errorf("profiles: close index: %w", err)
		}
	})
	return s.closeErr
}

// facetTermSep separates a facet's name from its value in the terms of
// fieldFacet (facet names never contain it).
const facetTermSep = "="

// facetTerms are the terms of fieldFacet for p: "name=value" for each
// facet value, the same keys the per-facet fields and Meilisearch hold
// (skills by their "id:" taxonomy keys only; skillKeys gives them).
func facetTerms(p Profile, skillKeys []string) []string {
	var out []string
	add := func(name string, vs ...string) {
		for _, v := range vs {
			if v != "" {
				out = append(out, name+facetTermSep+v)
			}
		}
	}
	for _, k := range skillKeys {
		if strings.HasPrefix(k, skillIDPrefix) {
			add(FacetSkill, k)
		}
	}
	add(FacetCity, foldKey(p.City))
	add(FacetCohort, foldKey(p.Cohort))
	add(FacetYear, yearKey(p.GraduationYear))
	add(FacetLanguage, foldKeys(p.Languages)...)
	add(FacetWorkplace, foldKeys(p.Seeking.Workplace)...)
	return out
}
