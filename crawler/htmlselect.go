package crawler

import (
	"bytes"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/passerelle/passerelle/jobs"
)

// CSS selectors ("html" kind): list or detail pages of boards that embed no
// structured data (ReKrute, emploitunisie, keejob, career pages), read with
// selectors from the source's Options:
//
//	item           each posting's element on a list page. Absent: the whole
//	               page is one posting (a detail page; the crawler passes
//	               detail_<x> options as <x>).
//	title          default "h1, h2, h3, h4, h5, a" (first with text)
//	url            default: the item itself when it is a link, else its
//	               first a[href]; on a detail page, the canonical URL or
//	               the document URL
//	apply_url, company, description (inner HTML), date (posted),
//	valid_through, salary (text), id (SourceID; default the URL)
//	location, employment, seniority, tags: every match is one value
//
// Selectors are evaluated inside the item. A selector may end with @attr
// to read an attribute instead of the text ("a.titreJob@href",
// "img.photo@title", "time@datetime"); "@attr" alone reads the item's own
// attribute ("@data-href"). A comma-separated group yields the first match
// that has a value, in document order. Values are kept as found (text with
// white space collapsed); nothing is normalized here.

// selFields are the field options; the value says whether every match is kept.
var selFields = map[string]bool{
	"title": false, "url": false, "apply_url": false, "company": false,
	"description": false, "date": false, "valid_through": false,
	"salary": false, "id": false,
	"location": true, "employment": true, "seniority": true, "tags": true,
}

// selQuery is one compiled field option.
type selQuery struct {
	match cascadia.Matcher // nil: the item itself
	attr  string           // "" reads text (or inner HTML for description)
}

// selConfig is the compiled Options.
type selConfig struct {
	item   cascadia.Matcher // nil: the whole page is one posting
	fields map[string]selQuery
	link   selQuery // default url of a list item
}

func detectHTMLSelect(doc Document) bool {
	return (doc.Options["item"] != "" || doc.Options["title"] != "") && stLooksHTML(doc)
}

// selCompile checks and compiles the options; a bad selector is a
// configuration error that makes every document unreadable.
func selCompile(opts map[string]string) (selConfig, error) {
	cfg := selConfig{fields: map[string]selQuery{}}
	if s := strings.TrimSpace(opts["item"]); s != "" {
		m, err := cascadia.ParseGroup(s)
		if err != nil {
			return cfg, fmt.Errorf("option item %q: %w", s, err)
		}
		cfg.item = m
	}
	names := make([]string, 0, len(selFields))
	for name := range selFields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := strings.TrimSpace(opts[name])
		if s == "" {
			continue
		}
		q, err := selParseQuery(s)
		if err != nil {
			return cfg, fmt.Errorf("option %s %q: %w", name, s, err)
		}
		cfg.fields[name] = q
	}
	// Defaults; the selectors are constants, so compiling cannot fail.
	if _, ok := cfg.fields["title"]; !ok {
		def := "h1, h2, h3, h4, h5, a"
		if cfg.item == nil {
			def = "h1"
		}
		m, err := cascadia.ParseGroup(def)
		if err != nil {
			return cfg, fmt.Errorf("default title selector: %w", err)
		}
		cfg.fields["title"] = selQuery{match: m}
	}
	m, err := cascadia.ParseGroup("a[href]")
	if err != nil {
		return cfg, fmt.Errorf("default link selector: %w", err)
	}
	cfg.link = selQuery{match: m, attr: "href"}
	return cfg, nil
}

// selParseQuery splits "selector@attr" and compiles the selector.
func selParseQuery(s string) (selQuery, error) {
	var q selQuery
	if i := strings.LastIndexByte(s, '@'); i >= 0 && selIsAttrName(s[i+1:]) {
		q.attr = strings.ToLower(s[i+1:])
		s = strings.TrimSpace(s[:i])
	}
	if s == "" {
		if q.attr == "" {
			return q, fmt.Errorf("empty selector")
		}
		return q, nil
	}
	m, err := cascadia.ParseGroup(s)
	if err != nil {
		return q, err
	}
	q.match = m
	return q, nil
}

func selIsAttrName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', r == '_', r == ':':
		case i > 0 && ('0' <= r && r <= '9' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}

func parseHTMLSelect(doc Document) (ParseResult, error) {
	var res ParseResult
	cfg, err := selCompile(doc.Options)
	if err != nil {
		return res, fmt.Errorf("crawler: html selectors for %s: %w", doc.URL, err)
	}
	body, cut := stBody(doc)
	if cut {
		res.Skipped = append(res.Skipped, stTruncatedSkip())
	}
	gd, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return res, fmt.Errorf("crawler: parse html page %s: %w", doc.URL, err)
	}
	base := stBase(doc.URL, gd.Find("base[href]").First().AttrOr("href", ""))
	pageURL := stResolve(base, gd.Find("link[rel=canonical]").First().AttrOr("href", ""))
	if pageURL == "" {
		pageURL = stResolve(base, doc.URL)
	}

	var items []*xhtml.Node
	if cfg.item == nil {
		items = []*xhtml.Node{gd.Nodes[0]}
	} else {
		items = cascadia.QueryAll(gd.Nodes[0], cfg.item)
	}
	for i, n := range items {
		if len(res.Postings) >= stMaxPostings {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: fmt.Sprintf("more than %d postings: the rest was not read", stMaxPostings)})
			break
		}
		p := cfg.posting(n, base)
		if p.Title == "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: fmt.Sprintf("item %d: no title", i+1)})
			continue
		}
		if p.URL == "" && cfg.item == nil {
			p.URL = pageURL
		}
		if p.SourceID == "" {
			p.SourceID = p.URL
		}
		res.Postings = append(res.Postings, p)
	}
	return res, nil
}

// posting reads one item.
func (cfg selConfig) posting(item *xhtml.Node, base *url.URL) jobs.Posting {
	var p jobs.Posting
	p.Title = stText(selFirst(item, cfg.fields["title"], false))

	if q, ok := cfg.fields["url"]; ok {
		p.URL = stResolve(base, selFirst(item, q, false))
	} else if cfg.item != nil {
		if item.DataAtom == atom.A && stAttr(item, "href") != "" {
			p.URL = stResolve(base, stAttr(item, "href"))
		} else {
			p.URL = stResolve(base, selFirst(item, cfg.link, false))
		}
	}
	if q, ok := cfg.fields["apply_url"]; ok {
		p.ApplyURL = stResolve(base, selFirst(item, q, false))
	}
	if q, ok := cfg.fields["company"]; ok {
		p.Company = stText(selFirst(item, q, false))
	}
	if q, ok := cfg.fields["description"]; ok {
		p.DescriptionHTML = selFirst(item, q, true)
	}
	if q, ok := cfg.fields["date"]; ok {
		p.PostedAt = stText(selFirst(item, q, false))
	}
	if q, ok := cfg.fields["valid_through"]; ok {
		p.ValidThrough = stText(selFirst(item, q, false))
	}
	if q, ok := cfg.fields["salary"]; ok {
		p.SalaryText = stText(selFirst(item, q, false))
	}
	if q, ok := cfg.fields["id"]; ok {
		p.SourceID = stText(selFirst(item, q, false))
	}
	if q, ok := cfg.fields["location"]; ok {
		p.LocationTexts = stAppend(p.LocationTexts, stMaxLocations, selAll(item, q)...)
	}
	if q, ok := cfg.fields["employment"]; ok {
		p.EmploymentTexts = stAppend(p.EmploymentTexts, stMaxTexts, selAll(item, q)...)
	}
	if q, ok := cfg.fields["seniority"]; ok {
		p.SeniorityTexts = stAppend(p.SeniorityTexts, stMaxTexts, selAll(item, q)...)
	}
	if q, ok := cfg.fields["tags"]; ok {
		p.Tags = stAppend(p.Tags, stMaxTexts, selAll(item, q)...)
	}
	return p
}

// selNodes returns the nodes q designates inside item.
func selNodes(item *xhtml.Node, q selQuery) []*xhtml.Node {
	if q.match == nil {
		return []*xhtml.Node{item}
	}
	return cascadia.QueryAll(item, q.match)
}

// selValue reads one node: an attribute, the inner HTML, or the text.
func selValue(n *xhtml.Node, q selQuery, html bool) string {
	switch {
	case q.attr != "":
		return strings.TrimSpace(stAttr(n, q.attr))
	case html:
		return stInnerHTML(n)
	}
	return stNodeText(n)
}

// selFirst returns the first non-empty value.
func selFirst(item *xhtml.Node, q selQuery, html bool) string {
	for _, n := range selNodes(item, q) {
		if v := selValue(n, q, html); v != "" {
			return v
		}
	}
	return ""
}

// selAll returns every non-empty value.
func selAll(item *xhtml.Node, q selQuery) []string {
	var out []string
	for _, n := range selNodes(item, q) {
		if v := selValue(n, q, false); v != "" && len(out) < stMaxLocations {
			out = append(out, v)
		}
	}
	return out
}
