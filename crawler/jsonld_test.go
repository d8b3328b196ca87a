package crawler

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/passerelle/passerelle/internal/fixtures"
	"github.com/passerelle/passerelle/jobs"
)

func stReadTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "structured", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func stParse(t *testing.T, kind string, doc Document) ParseResult {
	t.Helper()
	f, ok := FormatByName(kind)
	if !ok {
		t.Fatalf("no format %q", kind)
	}
	res, err := f.Parse(doc)
	if err != nil {
		t.Fatalf("Parse(%s): %v", kind, err)
	}
	return res
}

func stLDPage(blocks ...string) []byte {
	var b strings.Builder
	b.WriteString("<html><head>")
	for _, s := range blocks {
		b.WriteString(`<script type="application/ld+json">` + s + "</script>")
	}
	b.WriteString("</head><body></body></html>")
	return []byte(b.String())
}

func TestJSONLDRepair(t *testing.T) {
	tests := []struct {
		name  string
		block string
		title string // "" = must fail
	}{
		{"valid", `{"@type":"JobPosting","title":"A"}`, "A"},
		{"raw newline in string", "{\"@type\":\"JobPosting\",\"title\":\"A\nB\"}", "A\nB"},
		{"raw tab and CR", "{\"@type\":\"JobPosting\",\"title\":\"A\t\rB\"}", "A\t\rB"},
		{"other control char", "{\"@type\":\"JobPosting\",\"title\":\"A\x01B\"}", "A\x01B"},
		{`escaped apostrophe \'`, `{"@type":"JobPosting","title":"it\'s"}`, "it's"},
		{`invalid escape \_`, `{"@type":"JobPosting","title":"¯\_(ツ)_/¯"}`, `¯\_(ツ)_/¯`},
		{`\u without hex`, `{"@type":"JobPosting","title":"\user"}`, `\user`},
		{"valid escapes kept", `{"@type":"JobPosting","title":"a\"b\\c\/d\u00e9"}`, `a"b\c/dé`},
		{"trailing commas", `{"@type":"JobPosting","title":"A","employmentType":["X",],}`, "A"},
		{"html comment wrapper", `<!-- {"@type":"JobPosting","title":"A"} -->`, "A"},
		{"cdata wrapper", `//<![CDATA[
{"@type":"JobPosting","title":"A"}
//]]>`, "A"},
		{"html-escaped json", `{&quot;@type&quot;:&quot;JobPosting&quot;,&quot;title&quot;:&quot;R&amp;D&quot;}`, "R&D"},
		{"two objects in one block", `{"@type":"WebSite"} {"@type":"JobPosting","title":"A"}`, "A"},
		{"trailing semicolon", `{"@type":"JobPosting","title":"A"};`, "A"},
		{"unbalanced quote", `{"@type":"JobPosting","title":"the "best" job"}`, ""},
		{"truncated", `{"@type":"JobPosting","title":"A"`, ""},
		{"empty", `   `, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals, err := ldDecode([]byte(tt.block))
			if tt.title == "" {
				if err == nil {
					t.Fatalf("decoded %v, want an error", vals)
				}
				return
			}
			if err != nil {
				t.Fatalf("ldDecode: %v", err)
			}
			var got string
			for _, v := range vals {
				if m, ok := v.(map[string]any); ok && ldIsType(m, "jobposting") {
					got, _ = m["title"].(string)
				}
			}
			if got != tt.title {
				t.Errorf("title = %q, want %q", got, tt.title)
			}
		})
	}
}

// TestJSONLDMessyPage reads our own fixture, which has a @graph with an
// @id reference and @type array, PascalCase keys, raw control characters
// and bad escapes, an HTML-escaped block, an unrepairable block, a posting
// with no title and an ItemList of JobPostings.
func TestJSONLDMessyPage(t *testing.T) {
	doc := Document{URL: "https://board.example/list?page=1", Body: stReadTestdata(t, "jsonld-messy.html")}
	if f, ok := DetectFormat(doc); !ok || f.Name != "jsonld" {
		t.Fatalf("DetectFormat = %q, %v", f.Name, ok)
	}
	res := stParse(t, "jsonld", doc)
	if len(res.Postings) != 4 || len(res.Skipped) != 2 {
		t.Fatalf("%d postings, skips %v; want 4 and 2", len(res.Postings), res.Skipped)
	}
	if !strings.Contains(res.Skipped[0].Reason, "ld+json block 3") || !strings.Contains(res.Skipped[1].Reason, "no title") {
		t.Errorf("skip reasons: %v", res.Skipped)
	}

	p := res.Postings[0]
	stEq(t, "title", p.Title, "Data Engineer (Python)")
	stEq(t, "company via @id", p.Company, "Atlas Data SARL")
	stEq(t, "url", p.URL, "https://board.example/jobs/data-engineer-42")
	stEq(t, "apply", p.ApplyURL, "https://apply.atlas.example/42")
	stEq(t, "id", p.SourceID, "AT-42")
	stEq(t, "description", p.DescriptionHTML, "<p>Build pipelines.\nLine two with a raw newline and a tab\there, it's fine, path C:\\data</p>")
	stEq(t, "posted", p.PostedAt, "12/03/2026")
	stEq(t, "valid", p.ValidThrough, "2026-05-01")
	stEq(t, "employment", fmt.Sprint(p.EmploymentTexts), "[FULL_TIME CONTRACTOR]")
	stEq(t, "locations", fmt.Sprint(p.Locations), "[{Oujda Oriental MA}]")
	stEq(t, "location texts", fmt.Sprint(p.LocationTexts), "[Casablanca, Maroc]")
	stEq(t, "salary", fmt.Sprint(*p.Salary), "{9000 12000 MAD month}")

	p = res.Postings[1]
	stEq(t, "escaped title (name)", p.Title, "ML Intern")
	stEq(t, "company string", p.Company, "Oriental AI")
	stEq(t, "remote", fmt.Sprint(p.Remote != nil && *p.Remote), "true")
	stEq(t, "eligibility", fmt.Sprint(p.EligibilityTexts), "[Morocco France]")
	stEq(t, "salary text", p.SalaryText, "selon profil")
	if p.Salary != nil {
		t.Errorf("text salary read as %+v", *p.Salary)
	}

	p = res.Postings[2]
	stEq(t, "itemlist title", p.Title, "BI Analyst")
	stEq(t, "salary currency on posting, unitCode", fmt.Sprint(*p.Salary), "{15000 15000 MAD month}")
	p = res.Postings[3]
	stEq(t, "company string in list", p.Company, "Tanger Labs")
	stEq(t, "experience months", fmt.Sprint(p.SeniorityTexts), "[24 months of experience]")
}

func TestJSONLDShapes(t *testing.T) {
	tests := []struct {
		name  string
		block string
		check func(t *testing.T, p jobs.Posting)
	}{
		{"name instead of title", `{"@type":"JobPosting","name":"N"}`, func(t *testing.T, p jobs.Posting) { stEq(t, "title", p.Title, "N") }},
		{"title wins over name", `{"@type":"JobPosting","name":"N","title":"T"}`, func(t *testing.T, p jobs.Posting) { stEq(t, "title", p.Title, "T") }},
		{"title as list", `{"@type":"JobPosting","title":["", "T2"]}`, func(t *testing.T, p jobs.Posting) { stEq(t, "title", p.Title, "T2") }},
		{"organization list", `{"@type":"JobPosting","title":"T","hiringOrganization":[{"@type":"Organization","legalName":"Legal SA"}]}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "company", p.Company, "Legal SA")
		}},
		{"schema prefixed keys and type", `{"@type":"schema:JobPosting","schema:title":"T","http://schema.org/employmentType":"PART_TIME"}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "title", p.Title, "T")
			stEq(t, "employment", fmt.Sprint(p.EmploymentTexts), "[PART_TIME]")
		}},
		{"PascalCase and canonical key both present", `{"@type":"JobPosting","Title":"Pascal","title":"canonical"}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "title", p.Title, "canonical")
		}},
		{"location object, address on place, country object", `{"@type":"JobPosting","title":"T","jobLocation":{"@type":"Place","addressLocality":"Fès","addressCountry":{"@type":"Country","name":"Maroc"}}}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "locations", fmt.Sprint(p.Locations), "[{Fès  Maroc}]")
		}},
		{"location name only", `{"@type":"JobPosting","title":"T","jobLocation":{"@type":"Place","name":"Technopolis Rabat"}}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "texts", fmt.Sprint(p.LocationTexts), "[Technopolis Rabat]")
		}},
		{"salary number", `{"@type":"JobPosting","title":"T","baseSalary":5000,"salaryCurrency":"EUR"}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "salary", fmt.Sprint(*p.Salary), "{5000 5000 EUR }")
		}},
		{"salary amount value number, unitText YEAR", `{"@type":"JobPosting","title":"T","baseSalary":{"@type":"MonetaryAmount","currency":"USD","value":{"@type":"QuantitativeValue","value":90000,"unitText":"YEAR"}}}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "salary", fmt.Sprint(*p.Salary), "{90000 90000 USD year}")
		}},
		{"salary only max", `{"@type":"JobPosting","title":"T","baseSalary":{"@type":"MonetaryAmount","currency":"MAD","value":{"maxValue":"20,000","unitText":"HOUR"}}}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "salary", fmt.Sprint(*p.Salary), "{0 20000 MAD hour}")
		}},
		{"salary unknown unit kept raw", `{"@type":"JobPosting","title":"T","baseSalary":{"@type":"MonetaryAmount","currency":"MAD","value":{"value":"300","unitText":"SHIFT"}}}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "period", p.Salary.Period, "")
			stEq(t, "raw unit", p.Raw["salary_unit"], "SHIFT")
		}},
		{"salary text range", `{"@type":"JobPosting","title":"T","baseSalary":{"@type":"MonetaryAmount","currency":"EUR","value":"40k-50k"}}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "text", p.SalaryText, "40k-50k")
		}},
		{"identifier string", `{"@type":"JobPosting","title":"T","identifier":"J-9","url":"https://a.example/j/9"}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "id", p.SourceID, "J-9")
		}},
		{"no identifier: url", `{"@type":"JobPosting","title":"T","url":"https://a.example/j/9"}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "id", p.SourceID, "https://a.example/j/9")
		}},
		{"url equal to company site is not the posting's", `{"@type":"JobPosting","title":"T","url":"https://acme.example/","hiringOrganization":{"name":"Acme","sameAs":"https://acme.example"}}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "url", p.URL, "https://page.example/job/1")
		}},
		{"unusable url dropped", `{"@type":"JobPosting","title":"T","url":"javascript:alert(1)"}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "url", p.URL, "https://page.example/job/1")
		}},
		{"double-escaped description", `{"@type":"JobPosting","title":"T","description":"&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;"}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "description", p.DescriptionHTML, "<p>Hi &amp; bye</p>")
		}},
		{"html description kept", `{"@type":"JobPosting","title":"T","description":"<p>a &lt; b</p>"}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "description", p.DescriptionHTML, "<p>a &lt; b</p>")
		}},
		{"title entities decoded", `{"@type":"JobPosting","title":"R&amp;D  engineer "}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "title", p.Title, "R&D engineer")
		}},
		{"skills list to tags, string to raw", `{"@type":"JobPosting","title":"T","skills":["python","sql"],"industry":"IT","occupationalCategory":{"@type":"CategoryCode","name":"Data"}}`, func(t *testing.T, p jobs.Posting) {
			stEq(t, "tags", fmt.Sprint(p.Tags), "[Data IT python sql]")
		}},
		{"jobLocationType not telecommute", `{"@type":"JobPosting","title":"T","jobLocationType":"HYBRID"}`, func(t *testing.T, p jobs.Posting) {
			if p.Remote != nil {
				t.Errorf("remote set: %v", *p.Remote)
			}
			stEq(t, "workplace", fmt.Sprint(p.WorkplaceTexts), "[HYBRID]")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := stParse(t, "jsonld", Document{URL: "https://page.example/job/1", Body: stLDPage(tt.block)})
			if len(res.Postings) != 1 {
				t.Fatalf("%d postings, skips %v", len(res.Postings), res.Skipped)
			}
			tt.check(t, res.Postings[0])
		})
	}
}

func TestJSONLDSeveralBlocksAndArrays(t *testing.T) {
	body := stLDPage(
		`{"@type":"Organization","name":"X"}`,
		`[{"@type":"JobPosting","title":"A"},{"@type":"JobPosting","title":"B"}]`,
		`{"@graph":[{"@type":["Thing","JobPosting"],"title":"C"}]}`,
	)
	res := stParse(t, "jsonld", Document{URL: "https://page.example/jobs", Body: body})
	var titles []string
	for _, p := range res.Postings {
		titles = append(titles, p.Title)
	}
	stEq(t, "titles", fmt.Sprint(titles), "[A B C]")
	// three postings share the page URL: their ids must differ
	stEq(t, "ids", res.Postings[0].SourceID+" "+res.Postings[2].SourceID, "https://page.example/jobs#jobposting-1 https://page.example/jobs#jobposting-3")
}

func TestJSONLDManyLocations(t *testing.T) {
	for _, n := range []int{251, 400} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var locs []string
			for i := range n {
				locs = append(locs, fmt.Sprintf(`{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"City %d","addressCountry":"MA"}}`, i))
			}
			block := `{"@type":"JobPosting","title":"Everywhere","jobLocation":[` + strings.Join(locs, ",") + `]}`
			res := stParse(t, "jsonld", Document{URL: "https://page.example/", Body: stLDPage(block)})
			if len(res.Postings) != 1 {
				t.Fatalf("%d postings", len(res.Postings))
			}
			p := res.Postings[0]
			want := min(n, stMaxLocations)
			if len(p.Locations) != want {
				t.Errorf("%d locations, want %d", len(p.Locations), want)
			}
			stEq(t, "last kept", p.Locations[want-1].City, fmt.Sprintf("City %d", want-1))
			if n > stMaxLocations {
				stEq(t, "dropped", p.Raw["locations_dropped"], fmt.Sprint(n-stMaxLocations))
			}
		})
	}
}

func TestJSONLDItemListLinks(t *testing.T) {
	res := stParse(t, "jsonld", Document{URL: "https://emplois.example/annonces", Body: stReadTestdata(t, "jsonld-itemlist-links.html")})
	if len(res.Postings) != 2 || len(res.Skipped) != 1 {
		t.Fatalf("%d postings, skips %v", len(res.Postings), res.Skipped)
	}
	stEq(t, "url", res.Postings[0].URL, "https://emplois.example/annonces/data-scientist-rabat-1")
	stEq(t, "title", res.Postings[1].Title, "Développeur Python & Django")
	stEq(t, "raw type", res.Postings[0].Raw["jsonld_type"], "ListItem")
	if !strings.Contains(res.Skipped[0].Reason, "no-name-3") {
		t.Errorf("skip: %v", res.Skipped)
	}
	// a page that has JobPostings does not also turn its ItemList links into postings
	body := stLDPage(`{"@type":"JobPosting","title":"Real"}`,
		`{"@type":"ItemList","itemListElement":[{"@type":"ListItem","name":"Similar job","url":"/x"}]}`)
	res = stParse(t, "jsonld", Document{URL: "https://emplois.example/", Body: body})
	if len(res.Postings) != 1 || res.Postings[0].Title != "Real" {
		t.Errorf("postings %+v", res.Postings)
	}
}

func TestJSONLDCaps(t *testing.T) {
	big := `{"@type":"JobPosting","title":"Big","description":"` + strings.Repeat("x", ldMaxBlock) + `"}`
	res := stParse(t, "jsonld", Document{Body: stLDPage(big, `{"@type":"JobPosting","title":"Small"}`)})
	if len(res.Postings) != 1 || res.Postings[0].Title != "Small" || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "longer than") {
		t.Errorf("postings %d, skips %v", len(res.Postings), res.Skipped)
	}
	huge := append(stLDPage(`{"@type":"JobPosting","title":"First"}`), make([]byte, stMaxBody)...)
	res = stParse(t, "jsonld", Document{Body: huge})
	if len(res.Postings) != 1 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "not read") {
		t.Errorf("postings %d, skips %v", len(res.Postings), res.Skipped)
	}
	deep := strings.Repeat(`{"a":`, 5000) + `{"@type":"JobPosting","title":"Deep"}` + strings.Repeat(`}`, 5000)
	res = stParse(t, "jsonld", Document{Body: stLDPage(deep, `{"@type":"JobPosting","title":"Shallow"}`)})
	if len(res.Postings) != 1 || res.Postings[0].Title != "Shallow" {
		t.Errorf("deep nesting: %+v", res.Postings)
	}
}

func TestJSONLDDetect(t *testing.T) {
	tests := []struct {
		name string
		doc  Document
		want bool
	}{
		{"job posting", Document{Body: stLDPage(`{"@type":"JobPosting","title":"A"}`)}, true},
		{"item list", Document{Body: stLDPage(`{"@type":"ItemList"}`)}, true},
		{"website only", Document{Body: stLDPage(`{"@type":"WebSite","name":"Board"}`)}, false},
		{"word in text, not in ld+json", Document{Body: []byte(`<html><script type="application/ld+json">{"@type":"WebSite"}</script><p>JobPosting</p></html>`)}, false},
		{"json api", Document{ContentType: "application/json", Body: []byte(`{"@type":"JobPosting"}`)}, false},
		{"rss", Document{Body: []byte(`<?xml version="1.0"?><rss><channel><item><title>JobPosting ld+json</title></item></channel></rss>`)}, false},
	}
	for _, tt := range tests {
		if got := detectJSONLD(tt.doc); got != tt.want {
			t.Errorf("%s: detect = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// stFuzzMaxSeed keeps large pages out of the seed corpus: the fuzzer
// mutates small inputs far faster, and the large pages are covered by the
// golden tests.
const stFuzzMaxSeed = 64 << 10

// stFuzzSeeds adds our testdata and, when present, the shared fixtures of
// the given folders/extensions as seeds.
func stFuzzSeeds(f *testing.F, own []string, shared []string) {
	for _, name := range own {
		f.Add(stReadTestdata(f, name))
	}
	dir, ok := fixtures.Find()
	if !ok {
		return
	}
	for _, pattern := range shared {
		files, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil && len(b) <= stFuzzMaxSeed {
				f.Add(b)
			}
		}
	}
}

// stCheckResult asserts what must hold for any input.
func stCheckResult(t *testing.T, res ParseResult) {
	t.Helper()
	for i, p := range res.Postings {
		if strings.TrimSpace(p.Title) == "" {
			t.Fatalf("posting %d has an empty title", i)
		}
		for _, u := range []string{p.URL, p.ApplyURL} {
			if u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "mailto:") {
				t.Fatalf("posting %d: URL %q is not absolute http(s)", i, u)
			}
		}
		if len(p.Locations) > stMaxLocations {
			t.Fatalf("posting %d: %d locations", i, len(p.Locations))
		}
	}
}

func FuzzJSONLD(f *testing.F) {
	stFuzzSeeds(f, []string{"jsonld-messy.html", "jsonld-itemlist-links.html"}, []string{"jsonld-html/*.html", "other/*itemlist*.html"})
	f.Add(stLDPage(`{"@type":"JobPosting","title":"A\`))
	f.Fuzz(func(t *testing.T, body []byte) {
		doc := Document{URL: "https://fuzz.example/a/b", Body: body}
		detectJSONLD(doc)
		res, err := parseJSONLD(doc)
		if err != nil {
			return
		}
		stCheckResult(t, res)
	})
}
