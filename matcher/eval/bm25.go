package eval

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

// BM25 is the keyword baseline: each offer's title and description is a
// document, each profile's skills and headline a query; no gates, no
// taxonomy. Title words are counted twice, as search engines boost titles.
type BM25 struct {
	K1, B  float64 // 1.2 and 0.75 when zero
	docs   []map[string]int
	lens   []float64
	avgLen float64
	df     map[string]int
}

// NewBM25 indexes the offers.
func NewBM25(offers []jobs.Offer) *BM25 {
	m := &BM25{K1: 1.2, B: 0.75, df: map[string]int{}}
	total := 0.0
	for _, o := range offers {
		tf := map[string]int{}
		n := 0
		for _, w := range words(o.Title) {
			tf[w] += 2
			n += 2
		}
		for _, w := range words(o.Description) {
			tf[w]++
			n++
		}
		for w := range tf {
			m.df[w]++
		}
		m.docs = append(m.docs, tf)
		m.lens = append(m.lens, float64(n))
		total += float64(n)
	}
	if len(offers) > 0 {
		m.avgLen = total / float64(len(offers))
	}
	return m
}

// Rank returns offer indexes by decreasing BM25 score for the profile's
// query, at most top, leaving out offers with no query word.
func (m *BM25) Rank(p profiles.Profile, top int) []int {
	q := map[string]bool{}
	for _, s := range p.Skills {
		for _, w := range words(s) {
			q[w] = true
		}
	}
	for _, w := range words(p.Headline) {
		q[w] = true
	}
	n := float64(len(m.docs))
	type hit struct {
		i int
		s float64
	}
	var hits []hit
	for i, d := range m.docs {
		s := 0.0
		for w := range q {
			f := float64(d[w])
			if f == 0 {
				continue
			}
			df := float64(m.df[w])
			idf := math.Log(1 + (n-df+0.5)/(df+0.5))
			s += idf * f * (m.K1 + 1) / (f + m.K1*(1-m.B+m.B*m.lens[i]/m.avgLen))
		}
		if s > 0 {
			hits = append(hits, hit{i, s})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].s > hits[b].s })
	if top > 0 && len(hits) > top {
		hits = hits[:top]
	}
	out := make([]int, len(hits))
	for i, h := range hits {
		out[i] = h.i
	}
	return out
}

// stopwords are dropped from both sides (French and English function
// words); everything else counts.
var stopwords = map[string]bool{
	"de": true, "des": true, "du": true, "la": true, "le": true, "les": true, "et": true, "en": true,
	"a": true, "au": true, "aux": true, "un": true, "une": true, "pour": true, "par": true, "sur": true,
	"dans": true, "avec": true, "vous": true, "nous": true, "tu": true, "est": true, "the": true,
	"and": true, "of": true, "to": true, "in": true, "for": true, "with": true, "on": true, "you": true,
	"we": true, "our": true, "is": true, "are": true, "an": true, "or": true, "ou": true, "l": true, "d": true,
}

// words folds text to lower-case unaccented words without stopwords.
func words(s string) []string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+' || r == '#':
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	var out []string
	for _, w := range strings.Fields(b.String()) {
		if !stopwords[w] {
			out = append(out, w)
		}
	}
	return out
}
