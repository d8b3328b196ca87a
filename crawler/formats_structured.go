package crawler

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/passerelle/passerelle/jobs"
)

// The structured kinds read job postings that pages and feeds carry in a
// standard or configurable shape:
//
//	"feed"      RSS 2.0, RSS 1.0, Atom, and ad-hoc XML job feeds (feed.go)
//	"jsonld"    schema.org JobPosting in JSON-LD, incl. ItemList (jsonld.go)
//	"microdata" schema.org JobPosting in microdata or RDFa (microdata.go)
//	"html"      list or detail pages read with CSS selectors (htmlselect.go)
//
// Every parser returns values as found; jobs.Normalize interprets them.

// Defensive limits shared by the structured kinds. Inputs beyond them are
// cut (with a Skip saying so), never read whole into unbounded structures.
const (
	stMaxBody      = 16 << 20 // bytes of one document that are parsed
	stMaxPostings  = 2000     // postings kept from one document
	stMaxLocations = jobs.MaxListLen
	stMaxTexts     = 100     // entries of one free-text list (tags, employment, ...)
	stMaxText      = 200_000 // bytes of one text value (descriptions)
	stMaxRawValue  = 2000    // bytes of one Raw value
)

// structuredFormats lists the page and feed kinds (JSON-LD, microdata, RSS/Atom, CSS selectors).
// Feeds come first (XML is cheap to tell from HTML), then the schema.org
// kinds, then the selector kind, which only claims a page when selectors
// were configured.
func structuredFormats() []Format {
	return []Format{
		smartrecruitersPagesFormat(),
		wordpressFormat(),
		{Name: "feed", Detect: detectFeed, Parse: parseFeed},
		{Name: "jsonld", Detect: detectJSONLD, Parse: parseJSONLD},
		{Name: "microdata", Detect: detectMicrodata, Parse: parseMicrodata},
		{Name: "html", Detect: detectHTMLSelect, Parse: parseHTMLSelect},
	}
}

// stBody returns the part of the body that is parsed and whether it was cut.
func stBody(doc Document) ([]byte, bool) {
	if len(doc.Body) > stMaxBody {
		return doc.Body[:stMaxBody], true
	}
	return doc.Body, false
}

// stTruncatedSkip is recorded when a document was longer than stMaxBody.
func stTruncatedSkip() Skip {
	return Skip{Index: -1, Reason: fmt.Sprintf("document longer than %d bytes: the rest was not read", stMaxBody)}
}

// stLooksHTML reports whether the document is an HTML page or fragment, as
// opposed to JSON or an XML feed: by Content-Type when it says, else by its
// doctype or first element.
func stLooksHTML(doc Document) bool {
	ct := strings.ToLower(doc.ContentType)
	switch {
	case strings.Contains(ct, "html"):
		return true
	case strings.Contains(ct, "json"), strings.Contains(ct, "xml"), strings.Contains(ct, "rss"), strings.Contains(ct, "atom"):
		return false
	}
	b := stTrimLeft(doc.Body)
	for len(b) > 0 && b[0] == '<' {
		var end []byte
		switch {
		case bytes.HasPrefix(b, []byte("<?")):
			end = []byte("?>")
		case bytes.HasPrefix(b, []byte("<!--")):
			end = []byte("-->")
		case len(b) > 2 && b[1] == '!':
			return stContainsFold(b[:min(len(b), 200)], "html") // <!DOCTYPE html>
		default:
			i := 1
			for i < len(b) && i < 40 && (b[i] == '-' || b[i] == ':' || b[i] == '_' || 'a' <= b[i]|0x20 && b[i]|0x20 <= 'z' || '0' <= b[i] && b[i] <= '9') {
				i++
			}
			return stHTMLStart[strings.ToLower(string(b[1:i]))]
		}
		j := bytes.Index(b, end)
		if j < 0 {
			return false
		}
		b = stTrimLeft(b[j+len(end):])
	}
	return false
}

// stHTMLStart are the elements an HTML page or fragment starts with; an
// XML feed starts with something else (<rss>, <feed>, <jobs>, <source>).
var stHTMLStart = map[string]bool{
	"html": true, "head": true, "body": true, "script": true, "style": true,
	"meta": true, "link": true, "base": true, "div": true, "span": true,
	"p": true, "section": true, "article": true, "main": true, "header": true,
	"footer": true, "nav": true, "form": true, "table": true, "ul": true,
	"ol": true, "li": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"a": true, "img": true, "br": true, "noscript": true, "template": true,
}

// stTrimLeft drops a UTF-8 BOM and leading white space.
func stTrimLeft(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	return bytes.TrimLeftFunc(b, unicode.IsSpace)
}

// stContainsFold reports whether s contains sub, ASCII case-insensitively;
// sub must be lower case.
func stContainsFold(s []byte, sub string) bool {
	n := len(sub)
	if n == 0 {
		return true
	}
	for i := 0; i+n <= len(s); i++ {
		c := s[i]
		if c|0x20 != sub[0] && c != sub[0] {
			continue
		}
		ok := true
		for j := 1; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// stBase returns the URL that relative links are resolved against: href
// (a <base> or canonical link) resolved against the document URL.
func stBase(docURL, href string) *url.URL {
	base, err := url.Parse(strings.TrimSpace(docURL))
	if err != nil {
		base = nil
	}
	if href = strings.TrimSpace(href); href != "" {
		if u, err := url.Parse(href); err == nil {
			if base != nil {
				return base.ResolveReference(u)
			}
			if u.IsAbs() {
				return u
			}
		}
	}
	return base
}

// stResolve makes ref absolute against base. A value that is not a usable
// http(s) URL is dropped: an unusable link is worse than none.
func stResolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || len(ref) > 4096 || strings.ContainsAny(ref, " \t\r\n<>\"") {
		ref = strings.Join(strings.Fields(ref), "%20")
		if ref == "" || len(ref) > 4096 || strings.ContainsAny(ref, "<>\"") {
			return ""
		}
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		if base == nil || !base.IsAbs() {
			return ""
		}
		u = base.ResolveReference(u)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" || strings.Contains(u.Host, "%20") {
			return ""
		}
	case "mailto":
	default:
		return ""
	}
	return u.String()
}

// stText cleans a text value as found: HTML entities decoded (pages and
// feeds often escape twice), white space collapsed, invalid UTF-8 replaced,
// length capped.
func stText(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	s = strings.Join(strings.Fields(s), " ")
	return stCap(s, stMaxText)
}

// stCap cuts s to at most n bytes on a rune boundary and makes it valid UTF-8.
func stCap(s string, n int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// stAppend adds the non-empty, not yet present texts to list, up to max entries.
func stAppend(list []string, max int, texts ...string) []string {
	for _, t := range texts {
		t = stText(t)
		if t == "" || len(list) >= max {
			continue
		}
		dup := false
		for _, have := range list {
			if have == t {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, t)
		}
	}
	return list
}

// stAddLocation appends l unless it is empty, a duplicate, or over the cap.
func stAddLocation(p *jobs.Posting, l jobs.Location) {
	l = jobs.Location{City: stText(l.City), Region: stText(l.Region), Country: stText(l.Country)}
	if l == (jobs.Location{}) || len(p.Locations) >= stMaxLocations {
		return
	}
	for _, have := range p.Locations {
		if have == l {
			return
		}
	}
	p.Locations = append(p.Locations, l)
}

// stSetRaw keeps a value the parser could not place.
func stSetRaw(p *jobs.Posting, key, value string) {
	value = stCap(strings.TrimSpace(value), stMaxRawValue)
	if value == "" {
		return
	}
	if p.Raw == nil {
		p.Raw = map[string]string{}
	}
	if _, ok := p.Raw[key]; !ok {
		p.Raw[key] = value
	}
}

// stNumber reads a plain number ("55000", "55,000", "55 000.50", "11,88").
// Anything else (ranges, words, currency signs) is not a number.
func stNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 40 {
		return 0, false
	}
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'':
			return -1
		}
		return r
	}, s)
	if strings.Count(clean, ",") == 1 && !strings.Contains(clean, ".") && len(clean)-strings.IndexByte(clean, ',') != 4 {
		clean = strings.Replace(clean, ",", ".", 1) // decimal comma: "11,88"
	} else {
		clean = strings.ReplaceAll(clean, ",", "") // thousands: "55,000"
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil || f < 0 || f != f || f > 1e12 {
		return 0, false
	}
	return f, true
}

// stPeriod maps a pay-period word or code (schema.org unitText, UN/CEFACT
// unitCode, feed attributes) to a jobs.Salary period; "" when unknown.
func stPeriod(unit string) string {
	u := strings.ToLower(strings.TrimSpace(unit))
	u = strings.TrimPrefix(u, "per ")
	switch u {
	case "hour", "hours", "hourly", "hur", "h", "heure", "horaire":
		return "hour"
	case "day", "days", "daily", "jour", "journalier":
		return "day"
	case "week", "weeks", "weekly", "wee", "wk", "semaine":
		return "week"
	case "month", "months", "monthly", "mon", "mois", "mensuel":
		return "month"
	case "year", "years", "yearly", "annual", "annually", "annum", "ann", "an", "année", "annuel", "yr":
		return "year"
	}
	return ""
}
