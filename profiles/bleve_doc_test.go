package profiles

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// TestBleveSharedAnalysisIsEachAnalyzers: the documents' text, analyzed
// once for the three analyzers (docBuilder.analyzeText), gives each
// analyzer's own tokens, which the queries' words are analyzed with.
func TestBleveSharedAnalysisIsEachAnalyzers(t *testing.T) {
	m, err := bleveMapping()
	if err != nil {
		t.Fatal(err)
	}
	db, err := newDocBuilder(m)
	if err != nil {
		t.Fatal(err)
	}
	if !db.shared || db.common != 1 {
		t.Fatalf("the three analyzers should share their tokenizer and lower case: shared %v, common filters %d", db.shared, db.common)
	}
	texts := []string{
		"Diplômée en Data Science\nAnalyste de données junior\nPython\nSQL",
		"L'ingénieure d'études\nDéveloppeuse Full-Stack\nNode.js\nC++\nC#",
		"The company's analysts\nManaging teams' projects\nMachine learning\nPower BI",
		"Conflated troubled hoping sized filing\nagreed conflated data",
		"مهندسة برمجيات\nتحليل البيانات\nPython",
		"ÉCOLE NATIONALE des Sciences Appliquées d’Oujda\nQA / tests\nœuvre, Ærø, straße",
		"",
		"  \n\n  ",
	}
	for _, text := range texts {
		got := db.analyzeText(text)
		for i, a := range db.text {
			want := a.Analyze([]byte(text))
			if !sameTokens(got[i], want) {
				t.Errorf("%s of %q:\n got %s\nwant %s", textFields[i], text, tokensString(got[i]), tokensString(want))
			}
		}
	}
}

func sameTokens(a, b analysis.TokenStream) bool {
	return slices.EqualFunc(a, b, func(x, y *analysis.Token) bool {
		return string(x.Term) == string(y.Term) && x.Position == y.Position && x.Start == y.Start && x.End == y.End && x.Type == y.Type && x.KeyWord == y.KeyWord
	})
}

func tokensString(ts analysis.TokenStream) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.String())
	}
	return out
}

// TestSortKeyOrdersAsNumbers: sortKey's byte order is the numbers' order,
// negative numbers and the extremes included (term ranges and sorts of
// year, availability and update time rely on it).
func TestSortKeyOrdersAsNumbers(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 6))
	vals := []int64{math.MinInt64 + 1, -1 << 40, -86400, -1, 0, 1, 2024, 20000, 1 << 40, math.MaxInt64}
	for range 2000 {
		vals = append(vals, r.Int64()-r.Int64(), int64(r.IntN(5000))-2500)
	}
	for _, a := range vals {
		for _, b := range vals[:40] {
			ka, kb := sortKey(a), sortKey(b)
			if len(ka) != 16 || (a < b) != (ka < kb) || (a == b) != (ka == kb) {
				t.Fatalf("sortKey(%d) = %s, sortKey(%d) = %s: not in the numbers' order", a, ka, b, kb)
			}
		}
	}
}
