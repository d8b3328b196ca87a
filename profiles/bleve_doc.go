package profiles

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// The documents of the embedded index (mapping passerelle-profiles-6).
// What a search asks Bleve for decides what a document holds, and each
// field costs at every write (analysis, the segment's dictionaries and
// postings, merges), so a document holds, in 9 fields:
//   - doc: the profile JSON, stored, not indexed;
//   - text_plain, text_fr, text_en: the free text, analyzed three ways
//     (folded words, French stems, English stems); the three analyzers
//     share their character filter and tokenizer, run once;
//   - key: every filter value, as filterKey(field, value) (the fast
//     path's own keys: "skill\x00id:python", "searchable\x00T"...);
//   - facet: every facet value as "name=value", with doc values;
//   - year, available_on, updated_unix: one term each, the value as a
//     sortKey (16 hex digits ordered as the numbers), with doc values:
//     range filters are term ranges, sorts read the doc values.
//
// Mapping 5 (before issue 12's second round) held a field per filter
// value (one Bleve field per skill key, language, facet value...: about
// 30 for the benchmark's graduates), the numbers as Bleve numeric fields
// (16 terms each, all in doc values) and an empty "_all" field, and went
// through Bleve's mapping of a map[string]any. BenchmarkBlevePut, same
// run, 500 profiles a Put: mapping 6 costs 0.53-0.63 of mapping 5's CPU
// a profile (at 20,000 and 100,000 profiles).
const (
	fieldKey = "key"
)

// bleveMapping builds the index mapping. Documents are built by
// docBuilder (IndexAdvanced), not mapped by Bleve: the mapping declares
// the same fields for what reads it (query analyzers, index_meta.json).
func bleveMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := addTextAnalyzers(m); err != nil {
		return nil, err
	}
	field := func(f *mapping.FieldMapping, dv bool) *mapping.FieldMapping {
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = dv
		return f
	}
	text := func(analyzer string) *mapping.FieldMapping {
		f := field(bleve.NewTextFieldMapping(), false)
		f.Analyzer = analyzer
		return f
	}
	kw := func(dv bool) *mapping.FieldMapping {
		f := field(bleve.NewKeywordFieldMapping(), dv)
		f.Analyzer = keyword.Name
		return f
	}
	doc := field(bleve.NewTextFieldMapping(), false)
	doc.Index = false
	doc.Store = true

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldDoc, doc)
	dm.AddFieldMappingsAt(fieldTextPlain, text(analyzerPlain))
	dm.AddFieldMappingsAt(fieldTextFr, text(analyzerFr))
	dm.AddFieldMappingsAt(fieldTextEn, text(analyzerEn))
	dm.AddFieldMappingsAt(fieldKey, kw(false))
	dm.AddFieldMappingsAt(fieldFacet, kw(true))
	dm.AddFieldMappingsAt(fieldYear, kw(true))
	dm.AddFieldMappingsAt(fieldAvailable, kw(true))
	dm.AddFieldMappingsAt(fieldUpdated, kw(true))
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	m.DefaultMapping = dm
	m.DefaultAnalyzer = analyzerPlain
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m, nil
}

// addTextAnalyzers declares the three analyzers of the free text: ASCII
// folding and Unicode words, then lower case (and French or English
// stems).
func addTextAnalyzers(m *mapping.IndexMappingImpl) error {
	analyzers := []struct {
		name    string
		filters []string
	}{
		{analyzerPlain, []string{lowercase.Name}},
		{analyzerFr, []string{lowercase.Name, fr.ElisionName, fr.LightStemmerName}},
		{analyzerEn, []string{lowercase.Name, en.PossessiveName, porter.Name}},
	}
	for _, a := range analyzers {
		err := m.AddCustomAnalyzer(a.name, map[string]any{
			"type":          custom.Name,
			"char_filters":  []string{asciifolding.Name},
			"tokenizer":     unicode.Name,
			"token_filters": a.filters,
		})
		if err != nil {
			return fmt.Errorf("profiles: build mapping: analyzer %s: %w", a.name, err)
		}
	}
	return nil
}

// sortKey encodes v as 16 hex digits whose byte order is v's order (the
// sign bit flipped), so that a term range is a numeric range and a sort
// of the doc values as strings a numeric sort.
func sortKey(v int64) string {
	const hex = "0123456789abcdef"
	u := uint64(v) ^ (1 << 63)
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = hex[u&0xf]
		u >>= 4
	}
	return string(b[:])
}

// docBuilder builds the Bleve documents of profiles with the analyzers of
// an index's mapping.
type docBuilder struct {
	// text are the plain, French and English analyzers, in the order of
	// textFields.
	text [3]*analysis.DefaultAnalyzer
	// shared: the three share their character filters, tokenizer and the
	// first `shared` token filters, which then run once per text.
	shared bool
	common int
}

// textFields are the fields of the free text, one per analyzer.
var textFields = [3]string{fieldTextPlain, fieldTextFr, fieldTextEn}

// newDocBuilder takes the text analyzers from m.
func newDocBuilder(m mapping.IndexMapping) (*docBuilder, error) {
	db := &docBuilder{}
	for i, name := range []string{analyzerPlain, analyzerFr, analyzerEn} {
		a, ok := m.AnalyzerNamed(name).(*analysis.DefaultAnalyzer)
		if !ok || a == nil {
			return nil, fmt.Errorf("profiles: analyzer %s missing from the index mapping", name)
		}
		db.text[i] = a
	}
	p := db.text[0]
	db.shared = true
	db.common = len(p.TokenFilters)
	for _, a := range db.text[1:] {
		if a.Tokenizer != p.Tokenizer || !slices.Equal(a.CharFilters, p.CharFilters) {
			db.shared = false
		}
		n := 0
		for n < min(len(a.TokenFilters), db.common) && a.TokenFilters[n] == p.TokenFilters[n] {
			n++
		}
		db.common = n
	}
	return db, nil
}

// analyzeText returns text's tokens by each text analyzer (as each
// analyzer's Analyze would: TestBleveSharedAnalysisIsEachAnalyzers).
func (db *docBuilder) analyzeText(text string) [3]analysis.TokenStream {
	var out [3]analysis.TokenStream
	if !db.shared {
		for i, a := range db.text {
			out[i] = a.Analyze([]byte(text))
		}
		return out
	}
	p := db.text[0]
	input := []byte(text)
	for _, cf := range p.CharFilters {
		input = cf.Filter(input)
	}
	tokens := p.Tokenizer.Tokenize(input)
	for _, tf := range p.TokenFilters[:db.common] {
		tokens = tf.Filter(tokens)
	}
	// Token filters may change terms in place: each analyzer past the
	// common ones gets its own copy.
	for i := range db.text {
		out[i] = tokens
		if i > 0 {
			out[i] = cloneTokens(tokens)
		}
	}
	for i, a := range db.text {
		for _, tf := range a.TokenFilters[db.common:] {
			out[i] = tf.Filter(out[i])
		}
	}
	return out
}

func cloneTokens(ts analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, len(ts))
	copies := make([]analysis.Token, len(ts))
	size := 0
	for _, t := range ts {
		size += len(t.Term)
	}
	buf := make([]byte, 0, size)
	for i, t := range ts {
		copies[i] = *t
		start := len(buf)
		buf = append(buf, t.Term...)
		// Capped: a filter that lengthens a term in place (a stemmer)
		// reallocates it rather than write over the next one.
		copies[i].Term = buf[start:len(buf):len(buf)]
		out[i] = &copies[i]
	}
	return out
}

// tokensAnalyzer hands Bleve tokens computed beforehand (its input is
// ignored).
type tokensAnalyzer analysis.TokenStream

func (a tokensAnalyzer) Analyze([]byte) analysis.TokenStream { return analysis.TokenStream(a) }

// termsTokens makes one token of each term.
func termsTokens(terms []string) analysis.TokenStream {
	var tb tokenBuilder
	for _, t := range terms {
		tb.add(t, "", "")
	}
	return tb.tokens()
}

// tokenBuilder makes the tokens of a field whose terms are given (filter
// keys, facet terms, a sort key): their bytes in one buffer, each term
// capped to its own length.
type tokenBuilder struct {
	buf  []byte
	ends []int
}

// add appends the term a+b+c.
func (tb *tokenBuilder) add(a, b, c string) {
	tb.buf = append(append(append(tb.buf, a...), b...), c...)
	tb.ends = append(tb.ends, len(tb.buf))
}

func (tb *tokenBuilder) tokens() analysis.TokenStream {
	out := make(analysis.TokenStream, len(tb.ends))
	ts := make([]analysis.Token, len(tb.ends))
	start := 0
	for i, end := range tb.ends {
		ts[i] = analysis.Token{Start: start + i, End: end + i, Term: tb.buf[start:end:end], Position: i + 1, Type: analysis.AlphaNumeric}
		out[i] = &ts[i]
		start = end
	}
	return out
}

const (
	optIndexed   = index.IndexField
	optDocValues = index.IndexField | index.DocValues
)

// document is p's Bleve document, its stored JSON and its row.
func (db *docBuilder) document(p Profile) (*document.Document, string, docRow, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, "", docRow{}, fmt.Errorf("profiles: encode profile %s: %w", p.ID, err)
	}
	r := profileRow(p)
	d := document.NewDocument(p.ID)
	d.AddField(document.NewTextFieldWithIndexingOptions(fieldDoc, nil, raw, index.StoreField))
	// The fields below are indexed, not stored: their value is only
	// counted in Bleve's statistics; the tokens are the analyzer's.
	text := strings.Join(append([]string{p.Name, p.Headline}, p.Skills...), "\n")
	value := []byte(text)
	for i, ts := range db.analyzeText(text) {
		d.AddField(document.NewTextFieldCustom(textFields[i], nil, value, optIndexed, tokensAnalyzer(ts)))
	}
	if keys := r.keyTokens(); len(keys) > 0 {
		d.AddField(document.NewTextFieldCustom(fieldKey, nil, nil, optIndexed, tokensAnalyzer(keys)))
	}
	if len(r.facets) > 0 {
		d.AddField(document.NewTextFieldCustom(fieldFacet, nil, nil, optDocValues, tokensAnalyzer(termsTokens(r.facets))))
	}
	for _, n := range []struct {
		field string
		v     int64
	}{{fieldYear, r.year}, {fieldAvailable, r.avail}, {fieldUpdated, r.updated}} {
		if n.v != noValue {
			k := sortKey(n.v)
			d.AddField(document.NewTextFieldCustom(n.field, nil, []byte(k), optDocValues, tokensAnalyzer(termsTokens([]string{k}))))
		}
	}
	d.SetIndexed()
	return d, string(raw), r, nil
}

// keyTokens are the terms of fieldKey for the row: filterKey(field,
// value) for every filter value, as readSegCols keys its bitmaps.
func (r docRow) keyTokens() analysis.TokenStream {
	var tb tokenBuilder
	add := func(field string, vs ...string) {
		for _, v := range vs {
			if v != "" {
				tb.add(field, filterKeySep, v)
			}
		}
	}
	add(fieldSkill, r.skills...)
	add(fieldLanguage, r.languages...)
	add(fieldWorkplace, r.workplace...)
	add(fieldSeniority, r.seniority...)
	if r.searchable {
		add(fieldSearchable, "T")
	}
	if r.recruiters {
		add(fieldRecruiters, "T")
	}
	add(fieldCohort, r.cohort)
	add(fieldCity, r.city)
	add(fieldCountry, r.country)
	return tb.tokens()
}
