package crawler

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/passerelle/passerelle/jobs"
)

// Feeds ("feed" kind): RSS 2.0 and 1.0 items, Atom entries, and ad-hoc XML
// job feeds (Indeed-style <source><job>, partner exports such as
// <jobs><job>, <offers><offer>, <Export_offres><Offre_emploi>).
//
// Every record is read the same way: its elements are looked up by name,
// case and punctuation ignored ("company_name", "companyName" and
// "Nom_entreprise" are keys "companyname", "nomentreprise"), shallowest
// first, from ordered lists of the names job feeds use in English and
// French. So a feed never seen before is read when its elements carry
// common names, without a rule per site. Job-board RSS extensions
// (We Work Remotely's <region>, <country>, <state>, <type>, <skills>,
// <category>) are read by the same lists; in RSS and Atom, <region> says
// where applicants may live (WWR "Anywhere in the World"), while in other
// XML feeds it is the job's region.

// Limits on feed input.
const (
	feedMaxNodes = 500_000 // elements kept from one document
	feedMaxDepth = 128     // nesting kept
)

// feedNode is one XML element.
type feedNode struct {
	key    string // normalized name: namespace short prefix + local name, lower case, letters and digits only
	attrs  []xml.Attr
	pieces []feedPiece // text and child elements in document order
	kids   []*feedNode
	parent *feedNode
	depth  int
}

type feedPiece struct {
	text string
	kid  *feedNode
}

// feedNamespaces gives short prefixes to the namespaces whose element names
// would otherwise collide (dc:description is not the description).
var feedNamespaces = map[string]string{
	"http://purl.org/dc/elements/1.1/":            "dc",
	"http://purl.org/dc/terms/":                   "dc",
	"http://purl.org/rss/1.0/modules/content/":    "content",
	"http://search.yahoo.com/mrss/":               "media",
	"http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
	"dc":      "dc",
	"content": "content",
	"media":   "media",
	"rdf":     "rdf",
}

// feedKey normalizes an element or attribute name.
func feedKey(space, local string) string {
	prefix := feedNamespaces[space]
	var b strings.Builder
	for _, r := range strings.ToLower(prefix + local) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// feedParseTree builds the element tree; a syntax error ends the tree where
// it happened (what came before is kept) and is returned.
func feedParseTree(body []byte) (*feedNode, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = charset.NewReaderLabel
	var root, cur *feedNode
	nodes, skipDepth := 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return root, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skipDepth > 0 || (cur != nil && cur.depth >= feedMaxDepth) || nodes >= feedMaxNodes {
				skipDepth++
				continue
			}
			n := &feedNode{key: feedKey(t.Name.Space, t.Name.Local), attrs: t.Attr, parent: cur}
			nodes++
			if cur == nil {
				if root != nil {
					return root, nil // a second root: stop there
				}
				root = n
			} else {
				n.depth = cur.depth + 1
				cur.kids = append(cur.kids, n)
				cur.pieces = append(cur.pieces, feedPiece{kid: n})
			}
			cur = n
		case xml.EndElement:
			if skipDepth > 0 {
				skipDepth--
				continue
			}
			if cur != nil {
				cur = cur.parent
			}
		case xml.CharData:
			if cur != nil && skipDepth == 0 {
				cur.pieces = append(cur.pieces, feedPiece{text: string(t)})
			}
		}
	}
}

// text is the element's text content (descendants included), trimmed.
func (n *feedNode) text() string {
	var b strings.Builder
	n.writeText(&b)
	return strings.TrimSpace(b.String())
}

func (n *feedNode) writeText(b *strings.Builder) {
	for _, p := range n.pieces {
		if b.Len() > stMaxText {
			return
		}
		if p.kid != nil {
			p.kid.writeText(b)
		} else {
			b.WriteString(p.text)
		}
	}
}

// attr returns the attribute whose normalized name is key.
func (n *feedNode) attr(key string) string {
	for _, a := range n.attrs {
		if feedKey("", a.Name.Local) == key {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// value is the element's text, or for an empty element (Atom <link href>,
// <category term>, <location label>) the attribute that carries it.
func (n *feedNode) value() string {
	if t := n.text(); t != "" {
		return t
	}
	for _, k := range []string{"label", "name", "value", "term", "href", "url", "datetime"} {
		if v := n.attr(k); v != "" {
			return v
		}
	}
	return ""
}

// feedRecords finds the job records of a feed and tells whether it is a
// syndication format (RSS/Atom) or an ad-hoc XML feed.
func feedRecords(root *feedNode) (recs []*feedNode, syndication bool) {
	if root == nil {
		return nil, false
	}
	switch root.key {
	case "rss", "rdfrdf", "rdf":
		var walk func(n *feedNode)
		walk = func(n *feedNode) {
			for _, k := range n.kids {
				if k.key == "item" {
					recs = append(recs, k)
				} else if k.key == "channel" && n == root {
					walk(k)
				}
			}
		}
		walk(root)
		return recs, true
	case "feed":
		for _, k := range root.kids {
			if k.key == "entry" {
				recs = append(recs, k)
			}
		}
		return recs, true
	case "html", "body", "head":
		return nil, false
	}
	return feedGenericRecords(root), false
}

// feedGenericRecords picks the record elements of an ad-hoc XML feed: the
// shallowest element name repeated under one parent, among elements that
// have children and a title; a single such element when none repeats.
func feedGenericRecords(root *feedNode) []*feedNode {
	type cand struct {
		parent *feedNode
		key    string
		count  int
	}
	var cands []cand
	var walk func(n *feedNode)
	walk = func(n *feedNode) {
		if n.depth > 4 {
			return
		}
		counts := map[string]int{}
		var order []string
		for _, k := range n.kids {
			if len(k.kids) == 0 {
				continue
			}
			if counts[k.key] == 0 {
				order = append(order, k.key)
			}
			counts[k.key]++
		}
		for _, key := range order {
			cands = append(cands, cand{parent: n, key: key, count: counts[key]})
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(root)
	best := -1
	for i, c := range cands {
		var first *feedNode
		for _, k := range c.parent.kids {
			if k.key == c.key {
				first = k
				break
			}
		}
		if first == nil || (feedRec{node: first}).first(feedTitleKeys, false) == nil {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		b := cands[best]
		if (c.count >= 2) != (b.count >= 2) {
			if c.count >= 2 {
				best = i
			}
			continue
		}
		if c.parent.depth < b.parent.depth || c.parent.depth == b.parent.depth && c.count > b.count {
			best = i
		}
	}
	if best < 0 {
		if (feedRec{node: root}).first(feedTitleKeys, false) != nil && len(root.kids) > 0 {
			return []*feedNode{root} // the document is one job
		}
		return nil
	}
	var recs []*feedNode
	for _, k := range cands[best].parent.kids {
		if k.key == cands[best].key {
			recs = append(recs, k)
		}
	}
	return recs
}

// feedRec looks fields up in one record.
type feedRec struct {
	node *feedNode
}

// match reports whether element n answers to pattern: its key, or
// "parent/key" for an element inside a parent of that name.
func feedMatch(n *feedNode, pattern string) bool {
	if i := strings.IndexByte(pattern, '/'); i >= 0 {
		return n.key == pattern[i+1:] && n.parent != nil && n.parent.key == pattern[:i]
	}
	return n.key == pattern
}

// each visits the record's elements breadth first (shallowest first).
func (r feedRec) each(fn func(n *feedNode) bool) {
	queue := append([]*feedNode(nil), r.node.kids...)
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if !fn(n) {
			return
		}
		queue = append(queue, n.kids...)
	}
}

// first returns the shallowest element matching any pattern; among
// elements at the same depth, the earliest pattern wins. So a record's own
// <texte_offre> beats the <description> of its <entreprise>. leaf
// restricts matches to elements without children.
func (r feedRec) first(patterns []string, leaf bool) *feedNode {
	level := r.node.kids
	for len(level) > 0 {
		for _, p := range patterns {
			for _, n := range level {
				if feedMatch(n, p) && (!leaf || len(n.kids) == 0) && n.value() != "" {
					return n
				}
			}
		}
		var next []*feedNode
		for _, n := range level {
			next = append(next, n.kids...)
		}
		level = next
	}
	return nil
}

// all returns every element, at any depth, matching any pattern.
func (r feedRec) all(patterns []string, leaf bool) []*feedNode {
	var out []*feedNode
	for _, p := range patterns {
		r.each(func(n *feedNode) bool {
			if feedMatch(n, p) && (!leaf || len(n.kids) == 0) {
				out = append(out, n)
			}
			return len(out) < stMaxLocations
		})
	}
	return out
}

func (r feedRec) firstValue(patterns []string, leaf bool) string {
	if n := r.first(patterns, leaf); n != nil {
		return n.value()
	}
	return ""
}

func (r feedRec) allValues(patterns []string) []string {
	var out []string
	for _, n := range r.all(patterns, true) {
		out = append(out, n.value())
	}
	return out
}

// Element names, most specific first. Keys are normalized (see feedKey).
var (
	feedTitleKeys   = []string{"title", "jobtitle", "intitule", "intituleposte", "intituleoffre", "titre", "poste", "position", "offertitle", "positiontitle"}
	feedURLKeys     = []string{"link", "url", "joburl", "offerurl", "urloffre", "lien", "permalink", "detailurl"}
	feedApplyKeys   = []string{"applyurl", "applicationurl", "applylink", "urlcandidature", "urlpostuler"}
	feedCompanyKeys = []string{"companyname", "company/name", "hiringorganization/name", "hiringorganization", "employer/name", "employername", "employer", "employeur", "nomentreprise", "entreprise/nom", "entreprise", "raisonsociale", "company", "companytitle", "startup", "advertisername", "advertiser", "recruitername", "recruiter", "author/name", "author", "dccreator", "dcpublisher"}
	feedDescKeys    = []string{"contentencoded", "description", "content", "summary", "texteoffre", "descriptif", "descriptionposte", "jobdescription", "body", "details"}
	feedCityKeys    = []string{"city", "ville", "locationcity", "commune", "town"}
	feedRegionKeys  = []string{"region", "state", "locationstate", "province", "department", "departement", "county"}
	feedCountryKeys = []string{"country", "countrycode", "locationcountrycode", "pays", "locationcountryname", "countryname"}
	feedPlaceKeys   = []string{"location", "joblocation", "lieu", "libellelieu", "localisation", "lieutravail", "place", "address", "dccoverage", "workplaceaddress"}
	feedRemoteKeys  = []string{"remote", "isremote", "teletravail", "telework", "telecommute", "remotetype", "remotework", "workplacetype"}
	feedEligKeys    = []string{"applicantlocationrequirements", "candidaterequiredlocation", "eligibility", "remoteregion"}
	feedTZKeys      = []string{"timezone", "timezones", "timezonerestrictions"}
	feedEmployKeys  = []string{"employmenttype", "jobtype", "contracttype", "typecontrat", "typedecontrat", "contract", "contrat", "type", "jobtime", "worktime", "schedule", "tempstravail"}
	feedSeniorKeys  = []string{"seniority", "experiencelevel", "experience", "niveauexperience", "joblevel", "level", "experiencerequirements", "yearsofexperience"}
	feedTagKeys     = []string{"category", "tag", "tags", "skill", "skills", "industry", "sector", "secteur", "libellesecteur", "function", "fonction", "libellefonction", "jobcategory", "dcsubject"}
	feedLangKeys    = []string{"language", "languages", "langue", "langues"}
	feedPostedKeys  = []string{"pubdate", "published", "datepublished", "dateposted", "publicationdate", "datepublication", "dateparution", "date", "postedat", "posted", "createdat", "created", "datecreated", "creationdate", "firstactivatedat", "dcdate", "issued", "updated", "lastupdate", "updateddate", "dateupdated", "lastmodificationdate", "modified"}
	feedValidKeys   = []string{"validthrough", "expiresat", "expires", "expirydate", "expirationdate", "dateexpired", "dateexpiration", "datefin", "enddate", "closingdate", "deadline"}
	feedIDKeys      = []string{"guid", "id", "jobid", "referencenumber", "reference", "referenceapec", "jobreference", "ref", "dcidentifier", "identifier"}
	feedSalaryKeys  = []string{"salary", "salaire", "salaireaffiche", "remuneration", "salaryrange", "basesalary", "pay", "compensation"}
	feedRawKeys     = map[string]string{"profile": "profile", "profil": "profile", "companydescription": "company_description", "benefits": "benefits", "avantages": "benefits", "education": "education", "qualification": "qualification", "postalcode": "postal_code", "codepostal": "postal_code", "zipcode": "postal_code", "postcode": "postal_code"}
)

func detectFeed(doc Document) bool {
	if stLooksHTML(doc) {
		return false
	}
	body, _ := stBody(doc)
	if b := stTrimLeft(body); len(b) == 0 || b[0] != '<' {
		return false
	}
	root, _ := feedParseTree(body)
	recs, syndication := feedRecords(root)
	return syndication || len(recs) > 0
}

func parseFeed(doc Document) (ParseResult, error) {
	var res ParseResult
	body, cut := stBody(doc)
	if cut {
		res.Skipped = append(res.Skipped, stTruncatedSkip())
	}
	root, err := feedParseTree(body)
	if root == nil {
		if err == nil {
			err = errors.New("no XML element")
		}
		return res, fmt.Errorf("crawler: parse feed %s: %w", doc.URL, err)
	}
	if err != nil {
		res.Skipped = append(res.Skipped, Skip{Index: -1, Reason: fmt.Sprintf("XML error, the rest of the feed was not read: %v", err)})
	}
	recs, syndication := feedRecords(root)
	if !syndication && len(recs) == 0 {
		return res, fmt.Errorf("crawler: parse feed %s: no job records found under <%s>", doc.URL, root.key)
	}
	base := stBase(doc.URL, root.attr("base"))
	for i, n := range recs {
		if len(res.Postings) >= stMaxPostings {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: fmt.Sprintf("more than %d postings: the rest was not read", stMaxPostings)})
			break
		}
		p, why := feedPosting(feedRec{node: n}, syndication, base)
		if why != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: fmt.Sprintf("record %d: %s", i+1, why)})
			continue
		}
		res.Postings = append(res.Postings, p)
	}
	return res, nil
}

// feedPosting reads one record.
func feedPosting(r feedRec, syndication bool, base *url.URL) (jobs.Posting, string) {
	var p jobs.Posting
	p.Title = stText(r.firstValue(feedTitleKeys, false))
	if p.Title == "" {
		return p, "no title"
	}
	p.URL = feedLink(r, base)
	p.ApplyURL = stResolve(base, r.firstValue(feedApplyKeys, true))
	for _, n := range r.all(feedCompanyKeys, true) {
		if c := feedCompany(n.value()); c != "" {
			p.Company = c
			break
		}
	}
	p.DescriptionHTML = stCap(r.firstValue(feedDescKeys, false), stMaxText)

	regionKeys := feedRegionKeys
	if syndication {
		regionKeys = regionKeys[1:] // <region> says who may apply (see above)
	}
	region := stText(r.firstValue(regionKeys, true))
	country := stText(r.firstValue(feedCountryKeys, true))
	cities := r.allValues(feedCityKeys)
	for _, c := range cities {
		if c = stText(c); c != "" {
			stAddLocation(&p, jobs.Location{City: c, Region: region, Country: country})
		}
	}
	if len(p.Locations) == 0 && (region != "" || country != "") {
		stAddLocation(&p, jobs.Location{Region: region, Country: country})
	}
	p.LocationTexts = stAppend(p.LocationTexts, stMaxLocations, r.allValues(feedPlaceKeys)...)

	if v := r.firstValue(feedRemoteKeys, true); v != "" {
		switch strings.ToLower(stText(v)) {
		case "yes", "true", "1", "oui", "y", "remote", "full remote", "fully remote", "100% remote":
			t := true
			p.Remote = &t
		case "no", "false", "0", "non", "n":
			f := false
			p.Remote = &f
		default:
			p.WorkplaceTexts = stAppend(p.WorkplaceTexts, stMaxTexts, v)
		}
	}
	elig := feedEligKeys
	if syndication {
		elig = append([]string{"region"}, elig...)
	}
	p.EligibilityTexts = stAppend(p.EligibilityTexts, stMaxTexts, r.allValues(elig)...)
	p.TimezoneTexts = stAppend(p.TimezoneTexts, stMaxTexts, r.allValues(feedTZKeys)...)
	p.EmploymentTexts = stAppend(p.EmploymentTexts, stMaxTexts, r.allValues(feedEmployKeys)...)
	p.SeniorityTexts = stAppend(p.SeniorityTexts, stMaxTexts, r.allValues(feedSeniorKeys)...)
	p.Tags = stAppend(p.Tags, stMaxTexts, r.allValues(feedTagKeys)...)
	p.Languages = stAppend(p.Languages, stMaxTexts, r.allValues(feedLangKeys)...)
	p.PostedAt = stText(r.firstValue(feedPostedKeys, true))
	p.ValidThrough = stText(r.firstValue(feedValidKeys, true))
	feedSalary(&p, r)

	p.SourceID = stText(r.firstValue(feedIDKeys, true))
	if p.SourceID == "" {
		p.SourceID = stText(ldFirst(r.node.attr("id"), r.node.attr("reference"), r.node.attr("ref")))
	}
	if p.SourceID == "" {
		p.SourceID = p.URL
	}
	r.each(func(n *feedNode) bool {
		if key, ok := feedRawKeys[n.key]; ok && len(n.kids) == 0 {
			stSetRaw(&p, key, n.value())
		}
		return true
	})
	return p, ""
}

// feedLink reads the posting's URL: Atom <link rel="alternate" href>, RSS
// <link>, a url element, or a permalink <guid>.
func feedLink(r feedRec, base *url.URL) string {
	for _, n := range r.node.kids {
		if n.key == "link" && n.attr("href") != "" {
			if rel := strings.ToLower(n.attr("rel")); rel == "" || rel == "alternate" {
				if u := stResolve(base, n.attr("href")); u != "" {
					return u
				}
			}
		}
	}
	for _, k := range feedURLKeys {
		for _, n := range r.all([]string{k}, true) {
			if u := stResolve(base, n.value()); u != "" {
				return u
			}
		}
	}
	if g := r.first([]string{"guid"}, true); g != nil && !strings.EqualFold(g.attr("ispermalink"), "false") {
		return stResolve(base, g.value())
	}
	return ""
}

// feedCompany cleans an author-like value: an e-mail address alone is not
// a company ("jobs@acme.com (Acme)" gives "Acme").
func feedCompany(v string) string {
	v = stText(v)
	if !strings.Contains(v, "@") {
		return v
	}
	if i, j := strings.IndexByte(v, '('), strings.LastIndexByte(v, ')'); i >= 0 && j > i {
		if c := strings.TrimSpace(v[i+1 : j]); !strings.Contains(c, "@") {
			return c
		}
	}
	return ""
}

// feedSalary reads a salary element: nested <min>/<max>/<currency>/<rate>,
// attributes (lowEnd, highEnd, currency, period), or a text.
func feedSalary(p *jobs.Posting, r feedRec) {
	n := r.first(feedSalaryKeys, false)
	if n == nil {
		// an empty <salary><min/></salary> has no value but may still exist
		for _, k := range feedSalaryKeys {
			if all := r.all([]string{k}, false); len(all) > 0 {
				n = all[0]
				break
			}
		}
		if n == nil {
			return
		}
	}
	sub := feedRec{node: n}
	get := func(keys ...string) string {
		for _, k := range keys {
			if v := n.attr(k); v != "" {
				return v
			}
		}
		return sub.firstValue(keys, true)
	}
	currency := get("currency", "devise", "currencycode")
	if currency == "" {
		currency = r.firstValue([]string{"currency", "salarycurrency", "devise"}, true)
	}
	unit := get("period", "rate", "unit", "unittext", "per", "periode", "interval")
	lo, okLo := stNumber(get("min", "minimum", "minvalue", "minsalary", "lowend", "low", "from"))
	hi, okHi := stNumber(get("max", "maximum", "maxvalue", "maxsalary", "highend", "high", "to"))
	text := ""
	if len(n.kids) == 0 {
		text = stText(n.text())
	}
	if !okLo && !okHi && text != "" {
		if f, ok := stNumber(text); ok {
			lo, hi, okLo = f, f, true
			text = ""
		}
	}
	if okLo || okHi {
		p.Salary = &jobs.Salary{Min: lo, Max: hi, Currency: strings.TrimSpace(currency), Period: stPeriod(unit)}
		if p.Salary.Period == "" && unit != "" {
			stSetRaw(p, "salary_unit", unit)
		}
		stSetRaw(p, "salary_text", text)
		return
	}
	p.SalaryText = text
}
