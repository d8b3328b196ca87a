package crawler

import (
	"fmt"
	"strings"
	"testing"
)

// TestMicrodataPage reads our own fixture: a microdata JobPosting with
// nested Organization, Place/PostalAddress, MonetaryAmount/
// QuantitativeValue, repeated meta properties and an unrelated nested
// item; a posting without title; and an RDFa Lite posting.
func TestMicrodataPage(t *testing.T) {
	doc := Document{URL: "https://careers.example/list", Body: stReadTestdata(t, "microdata-job.html")}
	if f, ok := DetectFormat(doc); !ok || f.Name != "microdata" {
		t.Fatalf("DetectFormat = %q, %v", f.Name, ok)
	}
	res := stParse(t, "microdata", doc)
	if len(res.Postings) != 2 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "no title") {
		t.Fatalf("%d postings, skips %v", len(res.Postings), res.Skipped)
	}
	p := res.Postings[0]
	stEq(t, "title", p.Title, "Data Analyst Junior")
	stEq(t, "url resolved against <base>", p.URL, "https://careers.example/jobs/data-analyst-7")
	stEq(t, "company", p.Company, "Oujda Analytics")
	stEq(t, "locations", fmt.Sprint(p.Locations), "[{Oujda  MA}]")
	stEq(t, "employment (meta, repeated)", fmt.Sprint(p.EmploymentTexts), "[FULL_TIME INTERN]")
	stEq(t, "posted (time datetime)", p.PostedAt, "2026-03-01")
	stEq(t, "salary", fmt.Sprint(*p.Salary), "{6000 8000 MAD month}")
	stEq(t, "description html", p.DescriptionHTML, "<p>SQL, <b>Power BI</b> and Python.</p><ul><li>Reports</li></ul>")

	p = res.Postings[1]
	stEq(t, "rdfa title", p.Title, "Cloud Intern (RDFa)")
	stEq(t, "rdfa company", p.Company, "Nador Cloud")
	stEq(t, "rdfa url", p.URL, "https://nador.example/jobs/intern")
	stEq(t, "rdfa remote", fmt.Sprint(p.Remote != nil && *p.Remote), "true")
}

func TestMicrodataValues(t *testing.T) {
	tests := []struct {
		name string
		html string
		want string // fmt of Title|URL|Company|PostedAt
	}{
		{"img src and data value", `<div itemscope itemtype="https://schema.org/JobPosting"><data itemprop="title" value="From value">shown</data><img itemprop="url" src="/j/1"></div>`,
			"From value|https://page.example/j/1||"},
		{"content attribute on span", `<div itemscope itemtype="https://schema.org/JobPosting"><span itemprop="title" content="Content wins">text</span></div>`,
			"Content wins|https://page.example/jobs||"},
		{"nested item does not leak", `<div itemscope itemtype="https://schema.org/JobPosting"><h1 itemprop="title">T</h1><div itemscope itemtype="https://schema.org/Person"><span itemprop="name">Not company</span></div></div>`,
			"T|https://page.example/jobs||"},
		{"full itemprop URLs and multiple names", `<div itemscope itemtype="http://schema.org/JobPosting"><span itemprop="http://schema.org/title name">T</span><span itemprop="hiringOrganization">Plain Co</span><time itemprop="datePosted">2026-01-02</time></div>`,
			"T|https://page.example/jobs|Plain Co|2026-01-02"},
		{"rdfa with prefix", `<div vocab="http://schema.org/" typeof="schema:JobPosting"><span property="schema:title">R</span><span property="hiringOrganization" typeof="Organization"><span property="name">Org</span></span></div>`,
			"R|https://page.example/jobs|Org|"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := stParse(t, "microdata", Document{URL: "https://page.example/jobs", Body: []byte("<html><body>" + tt.html + "</body></html>")})
			if len(res.Postings) != 1 {
				t.Fatalf("%d postings, skips %v", len(res.Postings), res.Skipped)
			}
			p := res.Postings[0]
			stEq(t, "fields", strings.Join([]string{p.Title, p.URL, p.Company, p.PostedAt}, "|"), tt.want)
		})
	}
}

func TestMicrodataDetect(t *testing.T) {
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"microdata", `<div itemscope itemtype="https://schema.org/JobPosting"></div>`, true},
		{"rdfa", `<div vocab="https://schema.org/" typeof="JobPosting"></div>`, true},
		{"other type", `<div itemscope itemtype="https://schema.org/Product"><p>JobPosting</p></div>`, false},
		{"no markup", `<p>JobPosting</p>`, false},
	}
	for _, tt := range tests {
		if got := detectMicrodata(Document{Body: []byte(tt.body)}); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func FuzzMicrodata(f *testing.F) {
	stFuzzSeeds(f, []string{"microdata-job.html"}, []string{"microdata-html/*.html", "other/*rdfa*.html"})
	f.Fuzz(func(t *testing.T, body []byte) {
		doc := Document{URL: "https://fuzz.example/a/b", Body: body}
		detectMicrodata(doc)
		res, err := parseMicrodata(doc)
		if err != nil {
			return
		}
		stCheckResult(t, res)
	})
}
