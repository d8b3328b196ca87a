package profiles

import (
	"context"
	"slices"
	"testing"
)

// TestTextTermsAgreeWithBleve evaluates the Meilisearch text filter (every
// query word: text_terms IN [its forms]) in Go over the documents' terms
// and compares with the Bleve index's answers. This checks the terms
// computed here, not a Meilisearch server.
func TestTextTermsAgreeWithBleve(t *testing.T) {
	ta, err := loadTextAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	docs := []Profile{
		{ID: "t01", Name: "Youssef Amrani", Headline: "Software engineer building web apps with JavaScript and React in Rabat", Skills: []string{"JavaScript", "React"}},
		{ID: "t02", Name: "Ines Alaoui", Headline: "Engineering student, data pipelines", Skills: []string{"Java", "Spark"}},
		{ID: "t03", Name: "Rachid Berrada", Headline: "Analystes des données de l'entreprise", Skills: []string{"R", "Python"}},
		{ID: "t04", Name: "Salma Bennani", Headline: "Ingénieure données, Master Big Data", Skills: []string{"Power BI", "Scikit-Learn", "C++", "Node.js"}},
		{ID: "t05", Name: "Karim", Headline: "مهندس بيانات — développeuse full-stack", Skills: []string{"Apprentissage automatique"}},
	}
	s, err := OpenBleve(BleveConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	terms := map[string][]string{}
	for _, d := range docs {
		p, err := prepare(d, s.now())
		if err != nil {
			t.Fatal(err)
		}
		terms[d.ID] = ta.docTerms(p)
	}
	queries := []string{
		"java", "javascript", "r", "react", "engineering", "engineer", "engineers", "analyste", "donnee", "DONNÉES",
		"l'entreprise", "entreprises", `"data engineer"`, "-spark", "scikit-learn", "scikit", "c++", "node.js", "nodejs",
		"ingenieur", "ingénieures", "big data master", "بيانات", "مهندس", "developpeuse", "développeur", "full stack",
		"apprentissage automatiques", "power bi", "zzyzx", "  ", "a", "de",
	}
	for _, q := range queries {
		res, err := s.Search(ctx, Query{Text: q, Limit: MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		var bleve []string
		for _, p := range res.Profiles {
			bleve = append(bleve, p.ID)
		}
		slices.Sort(bleve)
		words := ta.queryTerms(q)
		var meili []string
		for _, d := range docs {
			ok := true
			for _, alts := range words {
				if !slices.ContainsFunc(alts, func(a string) bool { return slices.Contains(terms[d.ID], a) }) {
					ok = false
					break
				}
			}
			if ok {
				meili = append(meili, d.ID)
			}
		}
		if !slices.Equal(bleve, meili) {
			t.Errorf("text %q: Bleve %v, Meilisearch terms %v", q, bleve, meili)
		}
	}
}
