package jobs

import (
	"slices"
	"strings"
	"testing"
)

// phraseSkills finds a fixed phrase, as a taxonomy would find an alias.
type phraseSkills map[string]string

func (f phraseSkills) Extract(text string) (req, opt []string) {
	for phrase, id := range f {
		if strings.Contains(strings.ToLower(text), strings.ToLower(phrase)) {
			req = append(req, id)
		}
	}
	slices.Sort(req)
	return req, nil
}

func TestSkillsNotReadFromCompanyName(t *testing.T) {
	ex := phraseSkills{"data factory": "azure-data-factory", "snowflake": "snowflake", "python": "python", "cloud": "cloud"}
	for _, c := range []struct {
		company, title, desc string
		want                 []string
	}{
		{"Sahara Data Factory", "Ingénieur ML", "Sahara Data Factory (Casablanca) recrute. Python.", []string{"python"}},
		{"Sahara Data Factory", "Ingénieur ML", "SAHARA DATA FACTORY recrute ; vous utiliserez Azure Data Factory.", []string{"azure-data-factory"}},
		{"Sahara  Data Factory ", "Data engineer", "Chez sahara data factory, on code en Python.", []string{"python"}},
		// A one-word name is the vendor's product too.
		{"Snowflake", "Sales engineer", "Snowflake is hiring someone who knows Snowflake.", []string{"snowflake"}},
		// Only whole words of the name are masked.
		{"Atlas Cloud", "Data engineer", "Atlas Cloudwatch is a tool.", []string{"cloud"}},
		{"Atlas Cloud", "Data engineer", "Atlas Cloud is a brand.", []string{}},
		{"", "Data engineer", "Data Factory pipelines", []string{"azure-data-factory"}},
	} {
		o, err := Normalizer{Skills: ex, Now: fixedNow}.Normalize(Posting{Source: "t", SourceID: "1", Title: c.title, Company: c.company, Description: c.desc})
		if err != nil {
			t.Fatal(err)
		}
		got := o.Skills
		if got == nil {
			got = []string{}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("company %q, %q: skills %v, want %v", c.company, c.desc, got, c.want)
		}
	}
}

func FuzzMaskCompany(f *testing.F) {
	f.Add("Sahara Data Factory recrute", "Sahara Data Factory")
	f.Add("İİ data factory", "i̇ data")
	f.Fuzz(func(t *testing.T, text, company string) {
		got := maskCompany(text, company)
		if len(got) != len(text) {
			t.Fatalf("length changed: %d -> %d", len(text), len(got))
		}
	})
}
