package crawler

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/passerelle/passerelle/jobs"
)

// SmartRecruiters job pages ("smartrecruiters-pages" kind). The postings
// API (api.smartrecruiters.com) disallows every robot but LinkedIn's in its
// robots.txt, so the "smartrecruiters" kind cannot be crawled without the
// company's or SmartRecruiters' permission. What remains are the public
// pages: a company's careers listing (careers.smartrecruiters.com/{Company},
// links to its job pages) and each job page
// (jobs.smartrecruiters.com/{Company}/{id}-{slug}), which carries a
// schema.org JobPosting in JSON-LD. This kind reads both: a job page
// through the JSON-LD reader, a listing as one posting per job-page link
// (title and place as the listing shows them), to be completed from the
// job pages (follow_detail, detail_kind jsonld, detail_hosts
// jobs.smartrecruiters.com). Robots rules of both hosts are checked like
// any other; our fixtures are written by us from the shapes other
// projects' readers show.

const smartrecruitersPagesKind = "smartrecruiters-pages"

func smartrecruitersPagesFormat() Format {
	return Format{Name: smartrecruitersPagesKind, Detect: detectSmartRecruitersPages, Parse: parseSmartRecruitersPages}
}

// srJobPathRE is the path of a job page: /{Company}/{numeric id}[-{slug}].
var srJobPathRE = regexp.MustCompile(`^/([^/]+)/(\d{6,20})(?:-[^/]*)?/?$`)

func srIsHost(host string) bool {
	host = strings.ToLower(host)
	return host == "smartrecruiters.com" || strings.HasSuffix(host, ".smartrecruiters.com")
}

func detectSmartRecruitersPages(doc Document) bool {
	u, err := url.Parse(doc.URL)
	if err != nil || !srIsHost(u.Hostname()) || !stLooksHTML(doc) {
		return false
	}
	return bytes.Contains(doc.Body, []byte("jobs.smartrecruiters.com/")) || detectJSONLD(doc)
}

func parseSmartRecruitersPages(doc Document) (ParseResult, error) {
	body, cut := stBody(doc)
	var res ParseResult
	if cut {
		res.Skipped = append(res.Skipped, stTruncatedSkip())
	}
	if detectJSONLD(doc) {
		if ld, err := parseJSONLD(doc); err == nil && len(ld.Postings) > 0 {
			return ld, nil
		}
	}
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return res, fmt.Errorf("crawler: parse smartrecruiters page %s: %w", doc.URL, err)
	}
	base := stBase(doc.URL, d.Find("base[href]").First().AttrOr("href", ""))
	seen := map[string]bool{}
	d.Find("a[href]").EachWithBreak(func(i int, a *goquery.Selection) bool {
		if len(res.Postings) >= stMaxPostings {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: fmt.Sprintf("more than %d postings: the rest was not read", stMaxPostings)})
			return false
		}
		link := stResolve(base, a.AttrOr("href", ""))
		u, err := url.Parse(link)
		if link == "" || err != nil || !strings.EqualFold(u.Hostname(), "jobs.smartrecruiters.com") {
			return true
		}
		m := srJobPathRE.FindStringSubmatch(u.Path)
		if m == nil {
			return true
		}
		u.RawQuery, u.Fragment = "", ""
		link = u.String()
		if seen[link] {
			return true
		}
		seen[link] = true
		item := a.Closest("li")
		if item.Length() == 0 {
			item = a
		}
		title := stText(ldFirst(
			a.Find("h1, h2, h3, h4, h5, .job-title, [class*=title]").First().Text(),
			a.AttrOr("title", ""),
			a.Text()))
		p := jobs.Posting{
			Source:   apiSource(doc, smartrecruitersPagesKind),
			SourceID: m[2],
			URL:      link,
			Title:    title,
		}
		item.Find("[class*=location], [itemprop=addressLocality], [itemprop=jobLocation]").Each(func(_ int, s *goquery.Selection) {
			p.LocationTexts = stAppend(p.LocationTexts, stMaxLocations, s.Text())
		})
		if p.Title == "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: "job link without a title: " + link})
			return true
		}
		res.Postings = append(res.Postings, p)
		return true
	})
	return res, nil
}
