package crawler

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
)

func readFixture(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ANAPEC's listing is crawled page after page by its own pagination member,
// each offer linked to its page on the same host and placed in Morocco.
func TestANAPECCrawl(t *testing.T) {
	site := newTestSite(t)
	const p1 = "/sigec-app-rv/chercheurs/resultat_recherche_json/page:1/tout:all/language:fr"
	const p2 = "/sigec-app-rv/chercheurs/resultat_recherche_json/page:2/tout:all/language:fr"
	site.serve(p1, "application/json", readFixture(t, "api", "anapec.json"))
	site.serve(p2, "application/json", readFixture(t, "api", "anapec-lastpage.json"))
	src := localSource("anapec", "anapec", site.URL+p1)
	now := func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) }
	c, _, pub := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{Normalizer: jobs.Normalizer{Now: now}})
	rep, err := c.RunSource(context.Background(), "anapec")
	if err != nil {
		t.Fatal(err)
	}
	if site.count(p1) != 1 || site.count(p2) != 1 || rep.Fetched != 2 || rep.Published != 5 {
		t.Fatalf("report %+v, pages %d/%d: want both pages read and 5 offers", rep, site.count(p1), site.count(p2))
	}
	o, ok := pub.byID("anapec:1204456")
	if !ok {
		t.Fatalf("offers %v", pub.ids())
	}
	if o.URL != site.URL+"/sigec-app-rv/fr/entreprises/bloc_offre_home/1204456/display" {
		t.Errorf("URL %q", o.URL)
	}
	if len(o.Locations) != 1 || o.Locations[0].City != "Oujda" || o.Locations[0].Country != "MA" {
		t.Errorf("locations %+v", o.Locations)
	}
	if o.PostedAt == nil || o.PostedAt.Format("2006-01-02") != "2026-11-18" {
		t.Errorf("posted %v", o.PostedAt)
	}
	if q, _ := pub.byID("anapec:1204462"); len(q.Locations) == 0 || q.Locations[0].Country != "QA" {
		t.Errorf("international placement located %+v, want Qatar", q.Locations)
	}
	if s, _ := pub.byID("anapec:1204460"); len(s.Locations) == 0 || s.Locations[0].Country != "MA" {
		t.Errorf("a town the gazetteer may not know stays in Morocco: %+v", s.Locations)
	}
}

func TestANAPECNext(t *testing.T) {
	cur := "https://www.anapec.org/sigec-app-rv/chercheurs/resultat_recherche_json/page:7/tout:all/language:fr"
	tests := []struct {
		next string
		want string
	}{
		{`"/sigec-app-rv/chercheurs/resultat_recherche_json/page:8/tout:all/language:fr"`, strings.Replace(cur, "page:7", "page:8", 1)},
		{`true`, strings.Replace(cur, "page:7", "page:8", 1)},
		{`8`, strings.Replace(cur, "page:7", "page:8", 1)},
		{`false`, ""},
		{`null`, ""},
		{`{}`, ""},
	}
	for _, tt := range tests {
		got := anapecNext(cur, map[string]json.RawMessage{"next": json.RawMessage(tt.next)})
		if got != tt.want {
			t.Errorf("next %s: %q, want %q", tt.next, got, tt.want)
		}
	}
}

// A WordPress job feed: the employer is read from the title (not the post
// author), the place from the categories and the title, WordPress's
// footer is dropped, and full pages ask for the next one.
func TestWordPressFeed(t *testing.T) {
	doc := Document{URL: "https://jobs.example.ma/feed/", ContentType: "application/rss+xml; charset=UTF-8",
		Body: readFixture(t, "structured", "wordpress-dreamjob.xml")}
	if f, ok := DetectFormat(doc); !ok || f.Name != "wordpress" {
		t.Fatalf("detected %q, want wordpress", f.Name)
	}
	res := stParse(t, "wordpress", doc)
	if len(res.Postings) != 3 || res.Next != "" {
		t.Fatalf("%d postings, next %q; want 3 and no next page for a short feed", len(res.Postings), res.Next)
	}
	want := []struct {
		company string
		place   string
	}{{"Oriental Data Lab", "Oujda"}, {"Atlas Logistique", "Casablanca"}, {"", ""}}
	for i, w := range want {
		p := res.Postings[i]
		if p.Company != w.company {
			t.Errorf("%d: company %q, want %q (the post author is not the employer)", i, p.Company, w.company)
		}
		if w.place != "" && !slices.Contains(p.LocationTexts, w.place) {
			t.Errorf("%d: location texts %q, want %q", i, p.LocationTexts, w.place)
		}
		if w.place == "" && len(p.LocationTexts) != 0 {
			t.Errorf("%d: location texts %q, want none", i, p.LocationTexts)
		}
		for _, s := range []string{"apparu en premier", "appeared first"} {
			if strings.Contains(p.DescriptionHTML, s) {
				t.Errorf("%d: WordPress footer kept: %q", i, p.DescriptionHTML)
			}
		}
	}
	o, err := jobs.Normalizer{}.Normalize(res.Postings[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Locations) == 0 || o.Locations[0].City != "Oujda" || o.Locations[0].Country != "MA" || o.Company != "Oriental Data Lab" {
		t.Errorf("normalized %+v %q", o.Locations, o.Company)
	}

	// A full page asks for the next one, WordPress's way.
	var items strings.Builder
	for i := range wpFeedPage {
		fmt.Fprintf(&items, `<item><title>Job %d</title><link>https://jobs.example.ma/j%d/</link></item>`, i, i)
	}
	full := Document{URL: "https://jobs.example.ma/feed/", Body: []byte(`<?xml version="1.0"?><rss version="2.0"><channel><generator>https://wordpress.org/?v=6.7</generator>` + items.String() + `</channel></rss>`)}
	if r := stParse(t, "wordpress", full); r.Next != "https://jobs.example.ma/feed/?paged=2" {
		t.Errorf("next %q", r.Next)
	}
	full.URL = "https://jobs.example.ma/feed/?paged=2"
	if r := stParse(t, "wordpress", full); r.Next != "https://jobs.example.ma/feed/?paged=3" {
		t.Errorf("next %q", r.Next)
	}
	// Any other feed stays with the feed kind.
	if f, _ := DetectFormat(Document{URL: "x", Body: stReadTestdata(t, "feed-rss.xml")}); f.Name != "feed" {
		t.Errorf("a plain RSS feed detected as %q", f.Name)
	}
}

func TestWordPressCompanyFromTitle(t *testing.T) {
	for title, want := range map[string]string{
		"OCP recrute des Data Scientists – Casablanca": "OCP",
		"Capgemini Maroc recrute 50 Ingénieurs":        "Capgemini Maroc",
		"Recrutement chez Inwi : Chef de projet":       "Inwi",
		"Acme is hiring a Data Engineer":               "Acme",
		"Concours de recrutement de 12 techniciens":    "",
		"On recrute !": "",
		"Offres d'emploi à Oujda – 20 novembre 2026":         "",
		"Stage PFE Data Science":                             "",
		"Nous recrutons":                                     "",
		"Banque Populaire lance une campagne de recrutement": "",
	} {
		if got := wpCompanyFromTitle(title); got != want {
			t.Errorf("%q: %q, want %q", title, got, want)
		}
	}
}

// SmartRecruiters: the careers listing gives one posting per job page
// (deduplicated, tracking parameters dropped); a job page is read through
// its JSON-LD.
func TestSmartRecruitersPages(t *testing.T) {
	list := Document{URL: "https://careers.smartrecruiters.com/AtlasEngineering", ContentType: "text/html",
		Body: readFixture(t, "structured", "smartrecruiters-careers.html")}
	if f, ok := DetectFormat(list); !ok || f.Name != smartrecruitersPagesKind {
		t.Fatalf("listing detected as %q", f.Name)
	}
	res := stParse(t, smartrecruitersPagesKind, list)
	if len(res.Postings) != 2 {
		t.Fatalf("%d postings, want 2: %+v", len(res.Postings), res.Postings)
	}
	p := res.Postings[0]
	if p.URL != "https://jobs.smartrecruiters.com/AtlasEngineering/743999912345678-ingenieur-data-junior-h-f-" ||
		p.SourceID != "743999912345678" || p.Title != "Ingénieur Data Junior (H/F)" ||
		!slices.Contains(p.LocationTexts, "Casablanca, Casablanca-Settat, Morocco") {
		t.Errorf("first posting %+v", p)
	}
	if q := res.Postings[1]; q.URL != "https://jobs.smartrecruiters.com/AtlasEngineering/743999912345999-stage-pfe-machine-learning" || q.Title != "Stage PFE – Machine Learning" {
		t.Errorf("second posting %+v", q)
	}
	job := Document{URL: p.URL, ContentType: "text/html", Body: readFixture(t, "structured", "smartrecruiters-job.html")}
	jr := stParse(t, smartrecruitersPagesKind, job)
	if len(jr.Postings) != 1 || jr.Postings[0].Company != "Atlas Engineering" {
		t.Fatalf("job page: %+v", jr.Postings)
	}
	// The same page on another host is not this kind's.
	list.URL = "https://careers.example.com/jobs"
	if f, _ := DetectFormat(list); f.Name == smartrecruitersPagesKind {
		t.Error("a page off smartrecruiters.com detected as smartrecruiters-pages")
	}
}

// Detail pages on another host are followed only when the source names
// that host in detail_hosts (careers listing and job pages on sibling hosts).
func TestFollowDetailOtherHost(t *testing.T) {
	jobsSite := newTestSite(t)
	jobsSite.serve("/j/1", "text/html", readFixture(t, "structured", "smartrecruiters-job.html"))
	list := newTestSite(t)
	list.serve("/list", "application/json", tjBody(t, tjPosting{ID: "1", Title: "Ingénieur Data Junior (H/F)", URL: jobsSite.URL + "/j/1"}))
	jobsHost := strings.TrimPrefix(jobsSite.URL, "http://")
	for _, hosts := range []string{"", jobsHost} {
		t.Run("detail_hosts="+hosts, func(t *testing.T) {
			src := localSource("s", "tjson", list.URL+"/list")
			src.FollowDetail = true
			src.Options = map[string]string{"detail_hosts": hosts}
			c, _, pub := newTestCrawler(t, Config{}, []SourceConfig{src}, Deps{})
			before := jobsSite.count("/j/1")
			if _, err := c.RunSource(context.Background(), "s"); err != nil {
				t.Fatal(err)
			}
			o, _ := pub.byID("s:1")
			fetched := jobsSite.count("/j/1") - before
			if hosts == "" && (fetched != 0 || o.Company != "") {
				t.Errorf("detail on another host followed without detail_hosts (%d fetches, company %q)", fetched, o.Company)
			}
			if hosts != "" && (fetched != 1 || o.Company != "Atlas Engineering") {
				t.Errorf("detail not merged: %d fetches, company %q", fetched, o.Company)
			}
		})
	}
}

// FuzzSiteKinds feeds arbitrary bytes to the WordPress and SmartRecruiters
// page kinds: no panic, no posting without a title, next pages on http(s).
func FuzzSiteKinds(f *testing.F) {
	f.Add(uint8(0), readFixture(f, "structured", "wordpress-dreamjob.xml"))
	f.Add(uint8(1), readFixture(f, "structured", "smartrecruiters-careers.html"))
	f.Add(uint8(1), readFixture(f, "structured", "smartrecruiters-job.html"))
	f.Add(uint8(0), []byte(`<rss><channel><generator>wordpress.org/?v=1</generator><item><title>X recrute – </title><category>Emploi à </category></item></channel></rss>`))
	kinds := []Format{wordpressFormat(), smartrecruitersPagesFormat()}
	urls := []string{"https://jobs.example.ma/feed/?paged=9", "https://careers.smartrecruiters.com/X"}
	f.Fuzz(func(t *testing.T, k uint8, body []byte) {
		i := int(k) % len(kinds)
		doc := Document{URL: urls[i], Body: body}
		kinds[i].Detect(doc)
		res, err := kinds[i].Parse(doc)
		if err != nil {
			return
		}
		for j, p := range res.Postings {
			if strings.TrimSpace(p.Title) == "" {
				t.Fatalf("%s: posting %d has no title", kinds[i].Name, j)
			}
		}
		if res.Next != "" {
			if u, err := url.Parse(res.Next); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				t.Fatalf("next %q", res.Next)
			}
		}
	})
}
