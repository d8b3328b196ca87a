package crawler

import (
	"fmt"
	"strings"
	"testing"
)

var stListingOpts = map[string]string{
	"item": "li.job", "title": "a.title", "url": "a.title@href", "company": ".company",
	"location": ".loc", "date": "time@datetime", "description": ".desc",
	"employment": ".contract", "id": "@data-id",
}

func TestHTMLSelectListing(t *testing.T) {
	doc := Document{URL: "https://emplois.example/offres?page=2", Body: stReadTestdata(t, "listing.html"), Options: stListingOpts}
	if f, ok := DetectFormat(doc); !ok || f.Name != "html" {
		t.Fatalf("DetectFormat = %q, %v", f.Name, ok)
	}
	res := stParse(t, "html", doc)
	if len(res.Postings) != 2 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "item 3: no title") {
		t.Fatalf("%d postings, skips %v", len(res.Postings), res.Skipped)
	}
	p := res.Postings[0]
	stEq(t, "title (space collapsed)", p.Title, "Data Analyst | Oujda")
	stEq(t, "url resolved", p.URL, "https://emplois.example/offre/101-data-analyst")
	stEq(t, "company", p.Company, "Oujda Tech")
	stEq(t, "locations: every match", fmt.Sprint(p.LocationTexts), "[Oujda Remote (Maroc)]")
	stEq(t, "date attribute", p.PostedAt, "2026-04-12")
	stEq(t, "description inner html", p.DescriptionHTML, "<p>Analyse de <b>données</b>.</p>")
	stEq(t, "employment", fmt.Sprint(p.EmploymentTexts), "[CDI]")
	stEq(t, "id: item attribute", p.SourceID, "101")
	stEq(t, "absolute url kept", res.Postings[1].URL, "https://other.example/jobs/102")
}

func TestHTMLSelectDefaults(t *testing.T) {
	// only the item selector: title is the first heading or link with
	// text, url the item's first link
	res := stParse(t, "html", Document{URL: "https://emplois.example/", Body: stReadTestdata(t, "listing.html"), Options: map[string]string{"item": "li.job"}})
	if len(res.Postings) != 2 {
		t.Fatalf("%d postings, skips %v", len(res.Postings), res.Skipped)
	}
	stEq(t, "title", res.Postings[0].Title, "Data Analyst | Oujda")
	stEq(t, "url: first link of the item", res.Postings[0].URL, "https://emplois.example/entreprise/oujda-tech")
	stEq(t, "id defaults to url", res.Postings[0].SourceID, res.Postings[0].URL)

	// an item that is itself a link
	body := `<div><a class="card" href="/j/1"><h3>One</h3></a><a class="card" href="/j/2"><h3>Two</h3></a></div>`
	res = stParse(t, "html", Document{URL: "https://x.example/jobs", Body: []byte(body), Options: map[string]string{"item": "a.card", "title": "h3"}})
	stEq(t, "link items", fmt.Sprint(res.Postings[0].URL, " ", res.Postings[1].Title), "https://x.example/j/1 Two")
}

func TestHTMLSelectDetail(t *testing.T) {
	opts := map[string]string{"title": "h1.job-title", "company": ".company-name", "location": "li.city",
		"employment": "li.contract", "description": ".job-body", "apply_url": "a.apply@href"}
	res := stParse(t, "html", Document{URL: "https://emplois.example/offre/101?utm=x", Body: stReadTestdata(t, "detail.html"), Options: opts})
	if len(res.Postings) != 1 {
		t.Fatalf("%d postings, skips %v", len(res.Postings), res.Skipped)
	}
	p := res.Postings[0]
	stEq(t, "title", p.Title, "Data Analyst")
	stEq(t, "url: canonical", p.URL, "https://emplois.example/offre/101-data-analyst")
	stEq(t, "apply", p.ApplyURL, "https://emplois.example/postuler/101")
	stEq(t, "company", p.Company, "Oujda Tech")
	stEq(t, "location", fmt.Sprint(p.LocationTexts), "[Oujda]")
	stEq(t, "description", p.DescriptionHTML, "<p>Missions : tableaux de bord.</p>")
}

func TestHTMLSelectOptions(t *testing.T) {
	for _, opts := range []map[string]string{
		{"item": "li[", "title": "a"},
		{"item": "li", "title": "a:nosuch(1)"},
		{"item": "li", "url": "@"},
	} {
		f, _ := FormatByName("html")
		if _, err := f.Parse(Document{Body: []byte("<ul><li><a>x</a></li></ul>"), Options: opts}); err == nil {
			t.Errorf("options %v: no error", opts)
		}
	}
	tests := []struct {
		in, attr string
		self     bool
	}{
		{"a.title@href", "href", false},
		{"@data-id", "data-id", true},
		{`a[href*="@x"]`, "", false},
		{"img@alt", "alt", false},
	}
	for _, tt := range tests {
		q, err := selParseQuery(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if q.attr != tt.attr || (q.match == nil) != tt.self {
			t.Errorf("%q: attr %q self %v", tt.in, q.attr, q.match == nil)
		}
	}
}

func TestHTMLSelectDetect(t *testing.T) {
	page := []byte("<html><body><ul><li>x</li></ul></body></html>")
	tests := []struct {
		name string
		doc  Document
		want bool
	}{
		{"page with selectors", Document{Body: page, Options: map[string]string{"item": "li"}}, true},
		{"detail selectors", Document{Body: page, Options: map[string]string{"title": "h1"}}, true},
		{"no selectors", Document{Body: page}, false},
		{"feed with selectors", Document{Body: []byte("<rss><channel/></rss>"), Options: map[string]string{"item": "li"}}, false},
	}
	for _, tt := range tests {
		if got := detectHTMLSelect(tt.doc); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func FuzzHTMLSelect(f *testing.F) {
	stFuzzSeeds(f, []string{"listing.html", "detail.html"}, []string{"other/rekrute-ma-listing-fr.html", "other/nacef-*.html"})
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, opts := range []map[string]string{stListingOpts, stRekruteOpts, {"title": "h1", "company": ".company-name"}} {
			res, err := parseHTMLSelect(Document{URL: "https://fuzz.example/l", Body: body, Options: opts})
			if err != nil {
				t.Fatalf("valid options rejected: %v", err)
			}
			stCheckResult(t, res)
		}
	})
}
