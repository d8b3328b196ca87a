package jobs

import (
	"slices"
	"testing"
)

// Classes found by the lead's blind ranking set (matcher/testdata/eval/
// heldout2), each with fresh wordings and counter-examples.

func TestLoneLanguageSentence(t *testing.T) {
	for desc, want := range map[string][]string{
		"Full-time. English.":                                {"en"},
		"CDI, sur site.\nFrançais.":                          {"fr"},
		"Remote within the EU. Full-time. German.":           {"de"},
		"Stage de 6 mois. Anglais opérationnel.":             {"en"},
		"Contrat freelance. العربية.":                        {"ar"},
		"English\nFrançais\nالعربية":                         {}, // a language switcher: no sentence
		"Read this page in English.":                         {},
		"We build tools for Arabic. English or French.":      {},
		"Our customers are in France. Remote.":               {},
		"Apply now · English · Français":                     {},
		"Arabic NLP. Arabic.\nSee the Arabic version below.": {"ar"},
	} {
		got := languages(nil, desc)
		if len(want) == 0 {
			want = []string{}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", desc, got, want)
		}
	}
}

// A length of months in a title is the contract's, not experience asked.
func TestMonthsInTitleAreNoLevel(t *testing.T) {
	for title, want := range map[string]string{
		"Mission freelance Data Engineer Spark/Kafka – 6 mois": SeniorityUnknown,
		"Data Analyst (12 months, extendable)":                 SeniorityUnknown,
		"Consultant BI – mission de trois mois":                SeniorityUnknown,
		"Data Analyst – 6 mois d'expérience":                   SeniorityJunior,
		"Data engineer 3-5 ans – mission 6 mois":               SeniorityMid,
		"Stage PFE 6 mois – Data science":                      SeniorityInternship,
	} {
		o, err := Normalizer{Now: fixedNow}.Normalize(Posting{Source: "t", SourceID: "1", Title: title})
		if err != nil {
			t.Fatal(err)
		}
		if o.Seniority != want {
			t.Errorf("%q: %s, want %s", title, o.Seniority, want)
		}
	}
}
