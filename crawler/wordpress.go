package crawler

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// WordPress job feeds ("wordpress" kind): the RSS a WordPress site serves
// at /feed/ (Dreamjob.ma, many Moroccan and African job blogs), read like
// any feed and then corrected for how WordPress sites write job posts:
//
//   - <dc:creator> is the author of the post (the site's editor), not the
//     employer: the company comes from the title instead ("Acme recrute
//     …", "Acme is hiring …", "Recrutement chez Acme …"), or stays empty;
//   - categories often name the place ("Offres d'Emploi à Oujda", "Emploi
//     Rabat", "Jobs in Casablanca"): they become location texts when what
//     follows the words is a known place; a title ending in " – Tanger" or
//     "(Fès)" says it too;
//   - the footer WordPress appends ("L'article … est apparu en premier sur
//     …", "The post … appeared first on …") is removed;
//   - the feed pages with ?paged=N: the next page is asked for while a
//     page is full (wpFeedPage items; the crawler's max_pages bounds it).
//
// WP Job Manager feeds (<job_listing:location>, <job_listing:company>,
// <job_listing:job_type>) are read by the feed reader's element names.

func wordpressFormat() Format {
	return Format{Name: "wordpress", Detect: detectWordPress, Parse: parseWordPress}
}

// wpFeedPage is WordPress's default number of posts per feed page.
const wpFeedPage = 10

func detectWordPress(doc Document) bool {
	if stLooksHTML(doc) {
		return false
	}
	body, _ := stBody(doc)
	head := body[:min(len(body), 4096)]
	return bytes.Contains(head, []byte("<rss")) &&
		(bytes.Contains(head, []byte("wordpress.org/?v=")) || bytes.Contains(head, []byte("wordpress.com/")))
}

var (
	// wpFooterRE matches the footer WordPress appends to feed items.
	wpFooterRE = regexp.MustCompile(`(?is)(<p>)?\s*(L[’']article|The post)\b.{0,600}?(est apparu en premier sur|appeared first on).{0,400}?(</p>|$)`)
	// wpPlacePrefixRE strips the words before a place in a category.
	wpPlacePrefixRE = regexp.MustCompile(`(?i)^(?:offres?\s+d['’]\s*emplois?|emplois?|jobs?|recrutements?|stages?|offres?)(?:\s+(?:à|a|au|en|in|sur|at))?\s+`)
	// wpCompanyRE reads the employer from a job post's title.
	wpCompanyRE = []*regexp.Regexp{
		regexp.MustCompile(`(?i)^\s*(.{2,80}?)\s+(?:recrute|recrutent|embauche|is hiring|are hiring|hiring|cherche|lance (?:un|une|des) (?:recrutement|appel))\b`),
		regexp.MustCompile(`(?i)^\s*(?:recrutement|offres? d['’]emploi|emplois?|stages?)\s+(?:chez|at)\s+(.{2,80}?)(?:\s*[-–—:(|,]|\s+\d|$)`),
	}
	// wpTitlePlaceRE reads a place at the end of a title.
	wpTitlePlaceRE = regexp.MustCompile(`(?:\s[-–—|]\s*|\()\s*([^-–—|()]{2,60}?)\s*\)?\s*$`)
)

func parseWordPress(doc Document) (ParseResult, error) {
	res, err := parseFeed(doc)
	if err != nil {
		return res, err
	}
	creators := wpCreators(doc)
	for i := range res.Postings {
		p := &res.Postings[i]
		if _, isAuthor := creators[strings.ToLower(p.Company)]; isAuthor || p.Company == "" {
			p.Company = wpCompanyFromTitle(p.Title)
		}
		for _, t := range p.Tags {
			if place, ok := wpPlace(wpPlacePrefixRE.ReplaceAllString(t, "")); ok && wpPlacePrefixRE.MatchString(t) {
				p.LocationTexts = stAppend(p.LocationTexts, stMaxLocations, place)
			}
		}
		if m := wpTitlePlaceRE.FindStringSubmatch(p.Title); m != nil {
			if place, ok := wpPlace(m[1]); ok {
				p.LocationTexts = stAppend(p.LocationTexts, stMaxLocations, place)
			}
		}
		p.DescriptionHTML = strings.TrimSpace(wpFooterRE.ReplaceAllString(p.DescriptionHTML, ""))
		p.Description = strings.TrimSpace(wpFooterRE.ReplaceAllString(p.Description, ""))
	}
	if len(res.Postings)+len(res.Skipped) >= wpFeedPage {
		res.Next = wpNextPage(doc.URL)
	}
	return res, nil
}

// wpCreators are the post authors named in the feed (lower case).
func wpCreators(doc Document) map[string]bool {
	body, _ := stBody(doc)
	root, _ := feedParseTree(body)
	out := map[string]bool{}
	recs, _ := feedRecords(root)
	for _, r := range recs {
		for _, n := range (feedRec{node: r}).all([]string{"dccreator", "author"}, true) {
			if v := strings.ToLower(stText(n.value())); v != "" {
				out[v] = true
			}
		}
	}
	return out
}

// wpCompanyFromTitle reads the employer from a title, "" when it does not say.
func wpCompanyFromTitle(title string) string {
	for _, re := range wpCompanyRE {
		if m := re.FindStringSubmatch(title); m != nil {
			c := strings.Trim(strings.TrimSpace(m[1]), "«»\"'’:-–—")
			if c != "" && !strings.EqualFold(c, "on") && !strings.EqualFold(c, "nous") {
				return c
			}
		}
	}
	return ""
}

// wpPlace reports whether s names a known place, and returns it cleaned.
func wpPlace(s string) (string, bool) {
	s = stText(s)
	if s == "" || len(s) > 60 {
		return "", false
	}
	if l, ok := jobs.ParseLocation(s); ok && (l.City != "" || l.Country != "") {
		return s, true
	}
	return "", false
}

// wpNextPage is the feed URL with paged=N+1.
func wpNextPage(cur string) string {
	u, err := url.Parse(cur)
	if err != nil {
		return ""
	}
	q := u.Query()
	n, err := strconv.Atoi(q.Get("paged"))
	if err != nil || n < 1 {
		n = 1
	}
	q.Set("paged", strconv.Itoa(n+1))
	u.RawQuery = q.Encode()
	return u.String()
}
