package matcher

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

// testTaxonomyText is a small taxonomy written for these tests, so gate and
// scoring tests do not depend on the content of the embedded one.
const testTaxonomyText = `
[python]
kind: language
en: Python
[pandas]
kind: library
en: pandas
broader: python
[sql]
kind: language
en: SQL
[machine-learning]
kind: domain
en: Machine learning
fr: Apprentissage automatique
[deep-learning]
kind: domain
en: Deep learning
broader: machine-learning
[pytorch]
kind: framework
en: PyTorch
broader: deep-learning, python
related: tensorflow
[tensorflow]
kind: framework
en: TensorFlow
broader: deep-learning, python
[scikit-learn]
kind: library
en: scikit-learn
syn: sklearn
broader: machine-learning, python
[nlp]
kind: domain
en: Natural language processing
syn: NLP
broader: machine-learning
[spark]
kind: framework
en: Apache Spark
[airflow]
kind: tool
en: Airflow
[power-bi]
kind: tool
en: Power BI
[docker]
kind: tool
en: Docker
[kubernetes]
kind: tool
en: Kubernetes
related: docker
[excel]
kind: tool
en: Excel
[java]
kind: language
en: Java
[react]
kind: framework
en: React
`

var testTax = sync.OnceValues(func() (*skills.Taxonomy, error) {
	return skills.Parse(strings.NewReader(testTaxonomyText))
})

func taxonomy(t testing.TB) *skills.Taxonomy {
	t.Helper()
	tax, err := testTax()
	if err != nil {
		t.Fatalf("parse test taxonomy: %v", err)
	}
	return tax
}

var testNow = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

func testOptions(t testing.TB) Options {
	return Options{Taxonomy: taxonomy(t), Now: func() time.Time { return testNow }, MinScore: 0.01}
}

func ptrTime(t time.Time) *time.Time { return &t }

// graduate is a junior data profile in Oujda.
func graduate() profiles.Profile {
	return profiles.Profile{
		ID: "g-1", Name: "Salma B.", Email: "salma@example.org", City: "Oujda", Country: "MA",
		Headline:  "Data analyst, Master Big Data",
		Skills:    []string{"Python", "pandas", "SQL", "sklearn", "Power BI", "Tableau-like thing"},
		Languages: []string{"fr", "ar", "en"},
		Seeking: profiles.Seeking{
			Seniority:  []string{"internship", "junior"},
			Employment: []string{"full_time", "internship"},
			Workplace:  []string{"remote", "hybrid", "onsite"},
			Locations:  []string{"Oujda", "Casablanca"},
		},
		Alerts:  profiles.Alerts{Frequency: "daily"},
		Consent: profiles.Consent{Alerts: true, Searchable: true},
	}
}

// remoteOffer is open worldwide and fits graduate().
func remoteOffer() jobs.Offer {
	return jobs.Offer{
		ID: "t:1", Source: "t", URL: "https://example.org/1", Title: "Junior Data Analyst", Company: "Acme",
		Workplace:   jobs.Remote,
		Eligibility: jobs.Eligibility{Worldwide: true, Known: true},
		Employment:  []string{jobs.FullTime},
		Seniority:   jobs.SeniorityJunior,
		Skills:      []string{"python", "sql", "pandas"},
		PostedAt:    ptrTime(testNow.Add(-48 * time.Hour)),
		Terms:       jobs.Terms{EmailAllowed: true},
	}
}

func hasKey(m Match, key string) bool {
	for _, r := range m.ReasonKeys {
		if r.Key == key {
			return true
		}
	}
	return false
}
