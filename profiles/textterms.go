package profiles

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Free-text search semantics, the same in both indexes (officers see one
// behaviour whichever index a deployment uses):
//
//   - the text is cut into words by the Unicode word rules, accents folded
//     and case ignored; punctuation is not an operator: `"data engineer"`
//     is the two words data and engineer anywhere, `-spark` is the word
//     spark (no phrases, no exclusions);
//   - every word must match a word of the name, headline or skills, as it
//     is written or by its French or English stem ("analyste" finds
//     "Analystes", "engineering" finds "engineer");
//   - a word matches whole words only: no prefixes ("java" does not find
//     JavaScript, "r" does not find React) and no typo tolerance;
//   - there is no limit on the number of words.
//
// Exact filtering on skills (labels or taxonomy ids) is Query.Skills, not
// the text.
//
// The Bleve index applies these rules with its analyzers at search time.
// Meilisearch's own text search differs on each point (last word as a
// prefix, typos, no stemming, phrases and exclusions, first 10 words
// only), so the Meilisearch index does not use it: each document carries
// the words of its text as filter terms computed here with the Bleve
// analyzers ("p:" folded word, "f:" French stem, "e:" English stem), and a
// query word becomes `text_terms IN [its three forms]`.

// maxFilterValue is the longest filterable value Meilisearch keeps whole
// (longer facet values are truncated); keys are cut to it on both the
// document and the query side.
const maxFilterValue = 468

// capValue cuts v to maxFilterValue bytes at a rune boundary.
func capValue(v string) string {
	if len(v) <= maxFilterValue {
		return v
	}
	cut := maxFilterValue
	for cut > 0 && !utf8.RuneStart(v[cut]) {
		cut--
	}
	return v[:cut]
}

// capValues caps each value, dropping duplicates the cut may create; the
// result is sorted.
func capValues(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, capValue(v))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Prefixes of the text terms, one per analyzer.
const (
	termPlain   = "p:"
	termFrench  = "f:"
	termEnglish = "e:"
)

type textAnalyzers struct {
	plain, fr, en analysis.Analyzer
}

// loadTextAnalyzers builds the analyzers of the Bleve mapping once.
var loadTextAnalyzers = sync.OnceValues(func() (textAnalyzers, error) {
	m, err := bleveMapping()
	if err != nil {
		return textAnalyzers{}, err
	}
	a := textAnalyzers{
		plain: m.AnalyzerNamed(analyzerPlain),
		fr:    m.AnalyzerNamed(analyzerFr),
		en:    m.AnalyzerNamed(analyzerEn),
	}
	if a.plain == nil || a.fr == nil || a.en == nil {
		return textAnalyzers{}, fmt.Errorf("profiles: text analyzers missing from the index mapping")
	}
	return a, nil
})

// profileText is the free text of a profile: name, headline and skills.
func profileText(p Profile) string {
	return strings.Join(append([]string{p.Name, p.Headline}, p.Skills...), "\n")
}

func (a textAnalyzers) forms() []struct {
	prefix string
	an     analysis.Analyzer
} {
	return []struct {
		prefix string
		an     analysis.Analyzer
	}{{termPlain, a.plain}, {termFrench, a.fr}, {termEnglish, a.en}}
}

// docTerms returns the text terms of a profile, sorted and unique.
func (a textAnalyzers) docTerms(p Profile) []string {
	text := []byte(profileText(p))
	var out []string
	for _, f := range a.forms() {
		for _, tok := range f.an.Analyze(text) {
			out = append(out, capValue(f.prefix+string(tok.Term)))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// queryTerms returns, for each distinct word of text, the terms any of
// which a document must hold: the word's folded form and its French and
// English stems.
func (a textAnalyzers) queryTerms(text string) [][]string {
	var out [][]string
	seen := map[string]bool{}
	for _, tok := range a.plain.Analyze([]byte(text)) {
		w := string(tok.Term)
		if seen[w] {
			continue
		}
		seen[w] = true
		var alts []string
		for _, f := range a.forms() {
			for _, t := range f.an.Analyze([]byte(w)) {
				alts = append(alts, capValue(f.prefix+string(t.Term)))
			}
		}
		slices.Sort(alts)
		out = append(out, slices.Compact(alts))
	}
	return out
}
