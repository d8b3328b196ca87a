package crawler

import (
	"fmt"
	"strings"
	"testing"
)

func TestFeedRSS(t *testing.T) {
	doc := Document{URL: "https://board.example/remote-jobs.rss", Body: stReadTestdata(t, "feed-rss.xml")}
	if f, ok := DetectFormat(doc); !ok || f.Name != "feed" {
		t.Fatalf("DetectFormat = %q, %v", f.Name, ok)
	}
	res := stParse(t, "feed", doc)
	if len(res.Postings) != 2 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "record 3: no title") {
		t.Fatalf("%d postings, skips %v", len(res.Postings), res.Skipped)
	}
	p := res.Postings[0]
	stEq(t, "title kept as found", p.Title, "Acme: Junior Data Engineer")
	stEq(t, "url resolved", p.URL, "https://board.example/remote-jobs/acme-junior-data-engineer")
	stEq(t, "id: guid", p.SourceID, "acme-junior-data-engineer")
	stEq(t, "company: dc:creator", p.Company, "Acme Corp")
	stEq(t, "description: content:encoded", p.DescriptionHTML, "<p>Full <b>HTML</b> description.</p>")
	stEq(t, "region is eligibility in RSS", fmt.Sprint(p.EligibilityTexts), "[Anywhere in the World]")
	stEq(t, "country", fmt.Sprint(p.Locations), "[{  Morocco}]")
	stEq(t, "type", fmt.Sprint(p.EmploymentTexts), "[Full-Time]")
	stEq(t, "tags: category then skills", fmt.Sprint(p.Tags), "[Programming Python SQL]")
	stEq(t, "posted", p.PostedAt, "Tue, 11 Aug 2026 07:30:41 +0000")
	stEq(t, "expires", p.ValidThrough, "Thu, 10 Sep 2026 07:30:41 +0000")

	p = res.Postings[1]
	stEq(t, "title from <a> child, entities decoded", p.Title, "Stage data 'BI'")
	stEq(t, "author e-mail (name)", p.Company, "Ministère de l'Exemple")
	stEq(t, "permalink guid as url", p.URL, "https://board.example/offre/stage")
	stEq(t, "dc:coverage", fmt.Sprint(p.LocationTexts), "[RABAT]")
}

func TestFeedAtom(t *testing.T) {
	res := stParse(t, "feed", Document{URL: "https://careers.example/feed.atom", Body: stReadTestdata(t, "feed-atom.xml")})
	if len(res.Postings) != 2 {
		t.Fatalf("%d postings, skips %v", len(res.Postings), res.Skipped)
	}
	p := res.Postings[0]
	stEq(t, "url: rel=alternate", p.URL, "https://careers.example/jobs/ml-engineer")
	stEq(t, "company: author/name", p.Company, "Example Robotics")
	stEq(t, "posted: published before updated", p.PostedAt, "2026-04-01T09:00:00Z")
	stEq(t, "tags: category@term", fmt.Sprint(p.Tags), "[Engineering AI]")
	stEq(t, "summary html", p.DescriptionHTML, "<p>Train models.</p>")
	p = res.Postings[1]
	stEq(t, "relative link", p.URL, "https://careers.example/jobs/data-steward")
	stEq(t, "content", p.DescriptionHTML, "<p>Keep data clean.</p>")
	stEq(t, "id", p.SourceID, "tag:careers.example,2026:2")
}

func TestFeedGenericXML(t *testing.T) {
	doc := Document{URL: "https://emplois.example/export.xml", Body: stReadTestdata(t, "feed-generic.xml")}
	if f, ok := DetectFormat(doc); !ok || f.Name != "feed" {
		t.Fatalf("DetectFormat = %q, %v", f.Name, ok)
	}
	res := stParse(t, "feed", doc)
	if len(res.Postings) != 2 || len(res.Skipped) != 1 {
		t.Fatalf("%d postings, skips %v", len(res.Postings), res.Skipped)
	}
	p := res.Postings[0]
	stEq(t, "title (ISO-8859-1 decoded)", p.Title, "Ingénieur données H/F")
	stEq(t, "company: entreprise/nom", p.Company, "Société Orientale")
	stEq(t, "description: record's own, not the company's", p.DescriptionHTML, "<p>Vous construirez des <b>pipelines</b>.</p>")
	stEq(t, "location", fmt.Sprint(p.Locations), "[{Oujda Oriental MA}]")
	stEq(t, "contract", fmt.Sprint(p.EmploymentTexts), "[CDI]")
	stEq(t, "remote no", fmt.Sprint(p.Remote != nil && !*p.Remote), "true")
	stEq(t, "salary", fmt.Sprint(*p.Salary), "{10000 14000 MAD month}")
	stEq(t, "dates", p.PostedAt+" "+p.ValidThrough, "10/04/2026 10/06/2026")
	stEq(t, "url", p.URL, "https://emplois.example/offres/R-1")
	stEq(t, "id from attribute", p.SourceID, "R-1")
	p = res.Postings[1]
	stEq(t, "location text", fmt.Sprint(p.LocationTexts), "[Berkane (60000)]")
	stEq(t, "salary text", p.SalaryText, "Selon profil")
	stEq(t, "workplace text", fmt.Sprint(p.WorkplaceTexts), "[Partiel]")
}

func TestFeedShapes(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		postings int
		skipped  int
		first    string
	}{
		{"rss 1.0", `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>c</title></channel><item><title>One</title><link>https://a.example/1</link></item></rdf:RDF>`, 1, 0, "One"},
		{"single job document", `<job><title>Solo</title><company>C</company></job>`, 1, 0, "Solo"},
		{"truncated feed keeps what came before", `<rss><channel><item><title>Kept</title></item><item><title>Cut`, 2, 1, "Kept"},
		{"html entities in feed", `<rss><channel><item><title>Caf&eacute; &nbsp;jobs</title></item></channel></rss>`, 1, 0, "Café jobs"},
		{"empty rss", `<rss><channel><title>nothing</title></channel></rss>`, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := stParse(t, "feed", Document{URL: "https://a.example/feed", Body: []byte(tt.body)})
			if len(res.Postings) != tt.postings || len(res.Skipped) != tt.skipped {
				t.Fatalf("%d postings, skips %v; want %d, %d", len(res.Postings), res.Skipped, tt.postings, tt.skipped)
			}
			if tt.first != "" {
				stEq(t, "first title", res.Postings[0].Title, tt.first)
			}
		})
	}
	for _, bad := range []string{``, `not xml`, `<urlset><url><loc>https://a.example/</loc></url><url><loc>https://a.example/b</loc></url></urlset>`} {
		f, _ := FormatByName("feed")
		if _, err := f.Parse(Document{Body: []byte(bad)}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestFeedDetect(t *testing.T) {
	tests := []struct {
		name string
		doc  Document
		want bool
	}{
		{"rss", Document{Body: []byte(`<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`)}, true},
		{"atom", Document{Body: []byte(`<feed xmlns="http://www.w3.org/2005/Atom"></feed>`)}, true},
		{"jobs xml without declaration", Document{Body: []byte(`<jobs><job><title>A</title></job></jobs>`)}, true},
		{"sitemap", Document{Body: []byte(`<urlset><url><loc>x</loc></url><url><loc>y</loc></url></urlset>`)}, false},
		{"html page", Document{Body: []byte(`<!DOCTYPE html><html><head><title>A</title></head></html>`)}, false},
		{"xhtml page", Document{Body: []byte(`<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>A</title></head></html>`)}, false},
		{"json", Document{Body: []byte(`[{"title":"A"}]`)}, false},
		{"html content type", Document{ContentType: "text/html", Body: []byte(`<rss></rss>`)}, false},
	}
	for _, tt := range tests {
		if got := detectFeed(tt.doc); got != tt.want {
			t.Errorf("%s: detect = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func FuzzFeed(f *testing.F) {
	stFuzzSeeds(f, []string{"feed-rss.xml", "feed-atom.xml", "feed-generic.xml"}, []string{"rss/*", "other/*.xml"})
	f.Fuzz(func(t *testing.T, body []byte) {
		doc := Document{URL: "https://fuzz.example/feed", Body: body}
		detectFeed(doc)
		res, err := parseFeed(doc)
		if err != nil {
			return
		}
		stCheckResult(t, res)
	})
}
