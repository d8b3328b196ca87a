package profiles

// Mapping 5 and its documents, as the store wrote them before issue 12's
// second round: kept for the A/B benchmark of Put (BenchmarkBlevePut) and
// the test of an index of an earlier mapping (TestBleveOldMappingRebuilt).

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Names of mapping 5 gone from mapping 6.
const (
	bleveVersionV5 = "passerelle-profiles-5"
)

// openBleveV5 opens (creates) an index of mapping 5 under dir, written as
// mapping 5 wrote it.
func openBleveV5(dir string) (*BleveStore, error) {
	m, err := bleveMappingV5()
	if err != nil {
		return nil, err
	}
	docs, err := newDocBuilder(m)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, bleveDirName)
	idx, err := newBleveAt(path, m, bleveVersionV5)
	if err != nil {
		return nil, err
	}
	s := &BleveStore{now: nowFunc(nil), docs: docs, idx: idx, path: path, legacyDoc: bleveDocV5}
	s.fast.warmPause = -1 // warming ran again at once
	s.warmFast()
	return s, nil
}

// bleveMapping builds the index mapping. Free text is indexed three times
// (folded words, French stems, English stems) so a query word matches
// whichever form the graduate used; filters use exact keyword fields
// holding the same folded keys the Meilisearch store filters on.
func bleveMappingV5() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := addTextAnalyzers(m); err != nil {
		return nil, err
	}

	text := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	// Facets are counted from one field holding every facet value of the
	// profile, with doc values: counting reads them for every match, and
	// one field is read in one step where six took six (and a field
	// without doc values is uninverted by Bleve into a map per segment,
	// slower still).
	facet := kw()
	facet.DocValues = true
	num := func() *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = true // the numeric fields are the sort keys (Query.Sort)
		return f
	}
	doc := bleve.NewTextFieldMapping()
	doc.Index = false
	doc.Store = true
	doc.IncludeInAll = false
	doc.IncludeTermVectors = false
	doc.DocValues = false
	searchable := bleve.NewBooleanFieldMapping()
	searchable.Store = false
	searchable.IncludeInAll = false
	searchable.DocValues = false

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldDoc, doc)
	dm.AddFieldMappingsAt(fieldTextPlain, text(analyzerPlain))
	dm.AddFieldMappingsAt(fieldTextFr, text(analyzerFr))
	dm.AddFieldMappingsAt(fieldTextEn, text(analyzerEn))
	dm.AddFieldMappingsAt(fieldSkill, kw())
	dm.AddFieldMappingsAt(fieldFacet, facet)
	dm.AddFieldMappingsAt(fieldCity, kw())
	dm.AddFieldMappingsAt(fieldCountry, kw())
	dm.AddFieldMappingsAt(fieldLanguage, kw())
	dm.AddFieldMappingsAt(fieldYear, num())
	dm.AddFieldMappingsAt(fieldAvailable, num())
	dm.AddFieldMappingsAt(fieldSearchable, searchable)
	dm.AddFieldMappingsAt(fieldRecruiters, searchable)
	dm.AddFieldMappingsAt(fieldCohort, kw())
	dm.AddFieldMappingsAt(fieldWorkplace, kw())
	dm.AddFieldMappingsAt(fieldSeniority, kw())
	dm.AddFieldMappingsAt(fieldUpdated, num())
	m.DefaultMapping = dm
	m.DefaultAnalyzer = analyzerPlain
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m, nil
}

// bleveDoc is the document indexed for p, and p's row (its keys).
func bleveDocV5(p Profile) (map[string]any, docRow, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, docRow{}, fmt.Errorf("profiles: encode profile %s: %w", p.ID, err)
	}
	text := strings.Join(append([]string{p.Name, p.Headline}, p.Skills...), "\n")
	r := profileRow(p)
	d := map[string]any{
		fieldDoc:        string(raw),
		fieldTextPlain:  text,
		fieldTextFr:     text,
		fieldTextEn:     text,
		fieldSkill:      r.skills,
		fieldFacet:      r.facets,
		fieldLanguage:   r.languages,
		fieldSearchable: r.searchable,
		fieldRecruiters: r.recruiters,
		fieldWorkplace:  r.workplace,
		fieldSeniority:  r.seniority,
	}
	if r.updated != noValue {
		d[fieldUpdated] = float64(r.updated)
	}
	if r.cohort != "" {
		d[fieldCohort] = r.cohort
	}
	if r.city != "" {
		d[fieldCity] = r.city
	}
	if r.country != "" {
		d[fieldCountry] = r.country
	}
	if r.year != noValue {
		d[fieldYear] = float64(r.year)
	}
	if r.avail != noValue {
		d[fieldAvailable] = float64(r.avail)
	}
	return d, r, nil
}
