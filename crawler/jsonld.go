package crawler

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/passerelle/passerelle/jobs"
)

// JSON-LD ("jsonld" kind): schema.org JobPosting objects in
// <script type="application/ld+json"> blocks, wherever they sit in the JSON
// (top level, arrays, @graph, ItemList.itemListElement[].item, mainEntity).
//
// Real pages are messy, so a block that is not valid JSON is repaired before
// it is given up: raw control characters inside strings are escaped, invalid
// escapes (\' or \_) are fixed, trailing commas dropped, HTML comment or
// CDATA wrappers removed, and an HTML-escaped block (&quot;) is unescaped.
// Keys are matched case-insensitively (some sites write "Title",
// "HiringOrganization") and "schema:" prefixes are ignored.

// Limits on JSON-LD input.
const (
	ldMaxBlocks   = 200     // ld+json blocks read per page
	ldMaxBlock    = 4 << 20 // bytes of one block
	ldMaxDepth    = 64      // nesting depth kept
	ldMaxArray    = 5000    // elements of one array kept
	ldMaxIDs      = 10000   // @id nodes indexed for references
	ldMaxItemList = 2000    // thin ListItem postings kept
)

// ldPage is what a scan of an HTML page found for JSON-LD.
type ldPage struct {
	blocks    [][]byte
	baseHref  string // <base href>
	canonical string // <link rel=canonical> or og:url
	more      bool   // more blocks than ldMaxBlocks
}

// ldScan tokenizes the page (no tree is built) and collects the ld+json
// blocks, the <base> and the canonical URL.
func ldScan(body []byte) ldPage {
	var page ldPage
	z := xhtml.NewTokenizer(bytes.NewReader(body))
	inLD := false
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return page
		case xhtml.TextToken:
			if inLD {
				if len(page.blocks) >= ldMaxBlocks {
					page.more = true
				} else {
					page.blocks = append(page.blocks, bytes.Clone(z.Text()))
				}
			}
		case xhtml.EndTagToken:
			inLD = false
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			inLD = false
			name, hasAttr := z.TagName()
			if !hasAttr {
				continue
			}
			attrs := stTokenAttrs(z)
			switch atom.Lookup(name) {
			case atom.Script:
				inLD = tt == xhtml.StartTagToken && strings.Contains(strings.ToLower(attrs["type"]), "ld+json")
			case atom.Base:
				if page.baseHref == "" {
					page.baseHref = attrs["href"]
				}
			case atom.Link:
				if page.canonical == "" && strings.EqualFold(strings.TrimSpace(attrs["rel"]), "canonical") {
					page.canonical = attrs["href"]
				}
			case atom.Meta:
				if page.canonical == "" && strings.EqualFold(attrs["property"], "og:url") {
					page.canonical = attrs["content"]
				}
			}
		}
	}
}

// stTokenAttrs returns the current tag's attributes (first wins, keys lower case).
func stTokenAttrs(z *xhtml.Tokenizer) map[string]string {
	attrs := map[string]string{}
	for {
		k, v, more := z.TagAttr()
		key := strings.ToLower(string(k))
		if _, ok := attrs[key]; !ok && len(attrs) < 64 {
			attrs[key] = string(v)
		}
		if !more {
			return attrs
		}
	}
}

func detectJSONLD(doc Document) bool {
	if !stLooksHTML(doc) {
		return false
	}
	body, _ := stBody(doc)
	if !stContainsFold(body, "ld+json") {
		return false
	}
	for _, b := range ldScan(body).blocks {
		if stContainsFold(b, "jobposting") || stContainsFold(b, "itemlist") {
			return true
		}
	}
	return false
}

// ldContext is what a posting needs from its page.
type ldContext struct {
	base    *url.URL
	pageURL string
	ids     map[string]map[string]any // @id -> node, for references
}

func parseJSONLD(doc Document) (ParseResult, error) {
	var res ParseResult
	body, cut := stBody(doc)
	if cut {
		res.Skipped = append(res.Skipped, stTruncatedSkip())
	}
	page := ldScan(body)
	if page.more {
		res.Skipped = append(res.Skipped, Skip{Index: -1, Reason: fmt.Sprintf("more than %d ld+json blocks: the rest was not read", ldMaxBlocks)})
	}
	var roots []any
	for i, b := range page.blocks {
		vals, err := ldDecode(b)
		if err != nil {
			// Only a block that was meant to hold a posting is worth a Skip;
			// a broken WebSite or BreadcrumbList block is not a lost job.
			if stContainsFold(b, "jobposting") {
				res.Skipped = append(res.Skipped, Skip{Index: -1, Reason: fmt.Sprintf("ld+json block %d: %v", i+1, err)})
			}
			continue
		}
		roots = append(roots, vals...)
	}
	base := stBase(doc.URL, page.baseHref)
	ctx := ldContext{base: base, ids: map[string]map[string]any{}}
	if c := stResolve(base, page.canonical); c != "" {
		ctx.pageURL = c
	} else {
		ctx.pageURL = stResolve(base, doc.URL)
	}
	ldReadRoots(roots, &ctx, &res)
	return res, nil
}

// ldReadRoots turns decoded JSON-LD values into postings.
func ldReadRoots(roots []any, ctx *ldContext, res *ParseResult) {
	var c ldCollector
	for _, r := range roots {
		c.collect(r, 0)
	}
	for id, n := range c.ids {
		ctx.ids[id] = n
	}
	single := len(c.postings) == 1
	for i, m := range c.postings {
		if len(res.Postings) >= stMaxPostings {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: fmt.Sprintf("more than %d postings: the rest was not read", stMaxPostings)})
			break
		}
		p, why := ldPosting(m, ctx, single, i)
		if why != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: "JobPosting " + fmt.Sprint(i+1) + ": " + why})
			continue
		}
		res.Postings = append(res.Postings, p)
	}
	if len(c.postings) > 0 {
		return
	}
	// A listing page with no JobPosting but an ItemList of links: each
	// entry with a name is a posting known by title and URL only.
	for i, li := range c.listItems {
		if len(res.Postings) >= ldMaxItemList {
			break
		}
		title, link := ldListItem(li, ctx)
		switch {
		case title == "" && link == "":
			continue
		case title == "":
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: "ItemList entry " + fmt.Sprint(i+1) + " has a URL but no name: " + link})
			continue
		}
		p := jobs.Posting{Title: title, URL: link, SourceID: link}
		stSetRaw(&p, "jsonld_type", "ListItem")
		res.Postings = append(res.Postings, p)
	}
}

// ldCollector walks decoded JSON-LD and gathers JobPosting nodes, ListItems
// of ItemLists, and @id nodes.
type ldCollector struct {
	postings  []map[string]any
	listItems []map[string]any
	ids       map[string]map[string]any
}

func (c *ldCollector) collect(v any, depth int) {
	if depth > ldMaxDepth {
		return
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			c.collect(e, depth+1)
		}
	case map[string]any:
		if id, ok := t["@id"].(string); ok && len(t) > 1 {
			if c.ids == nil {
				c.ids = map[string]map[string]any{}
			}
			if len(c.ids) < ldMaxIDs {
				c.ids[id] = t
			}
		}
		if ldIsType(t, "jobposting") {
			if len(c.postings) < stMaxPostings+1 {
				c.postings = append(c.postings, t)
			}
			return // postings do not nest
		}
		if ldIsType(t, "listitem") && len(c.listItems) < ldMaxItemList {
			c.listItems = append(c.listItems, t)
		}
		for _, k := range ldSortedKeys(t) {
			c.collect(t[k], depth+1)
		}
	}
}

// ldListItem reads the title and URL of an ItemList entry.
func ldListItem(li map[string]any, ctx *ldContext) (title, link string) {
	title = ldText(li["name"])
	link = ldText(li["url"])
	switch it := ctx.deref(li["item"]).(type) {
	case string:
		if link == "" {
			link = it
		}
	case map[string]any:
		if ldIsType(it, "jobposting") {
			return "", "" // read as a posting already
		}
		if title == "" {
			title = ldText(it["name"])
		}
		if link == "" {
			link = ldFirst(ldText(it["url"]), ldText(it["@id"]))
		}
	}
	return stText(title), stResolve(ctx.base, link)
}

// ldDecode parses one block, repairing it when it is not valid JSON.
func ldDecode(block []byte) ([]any, error) {
	if len(block) > ldMaxBlock {
		return nil, fmt.Errorf("block longer than %d bytes", ldMaxBlock)
	}
	vals, err := ldUnmarshal(block)
	if err == nil {
		return vals, nil
	}
	b := ldStripWrappers(block)
	if v, err2 := ldUnmarshal(ldRepair(b)); err2 == nil {
		return v, nil
	}
	if bytes.Contains(b, []byte("&quot;")) || bytes.Contains(b, []byte("&#34;")) {
		if v, err2 := ldUnmarshal(ldRepair([]byte(html.UnescapeString(string(b))))); err2 == nil {
			return v, nil
		}
	}
	return nil, fmt.Errorf("invalid JSON that could not be repaired: %w", err)
}

// ldUnmarshal decodes every JSON value in b (some pages put several
// objects in one block) into normalized form.
func ldUnmarshal(b []byte) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		out = append(out, ldNormalize(v, 0))
		if len(out) >= ldMaxArray {
			break
		}
	}
	if len(out) == 0 {
		return nil, errors.New("empty block")
	}
	return out, nil
}

// ldStripWrappers removes what pages wrap JSON in: HTML comments, CDATA
// markers, a trailing semicolon.
func ldStripWrappers(b []byte) []byte {
	b = bytes.TrimSpace(stTrimLeft(b))
	for _, w := range [][2]string{{"<!--", "-->"}, {"//<![CDATA[", "//]]>"}, {"/*<![CDATA[*/", "/*]]>*/"}, {"<![CDATA[", "]]>"}} {
		if bytes.HasPrefix(b, []byte(w[0])) {
			b = bytes.TrimPrefix(b, []byte(w[0]))
			b = bytes.TrimSuffix(bytes.TrimSpace(b), []byte(w[1]))
			b = bytes.TrimSpace(b)
		}
	}
	return bytes.TrimRight(b, "; \t\r\n")
}

// ldRepair fixes the JSON mistakes real pages make: raw control characters
// inside strings, invalid escapes (\' and \ before any other character),
// stray control characters and trailing commas outside strings.
func ldRepair(b []byte) []byte {
	out := make([]byte, 0, len(b)+64)
	inStr := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !inStr {
			switch {
			case c == '"':
				inStr = true
				out = append(out, c)
			case c == ',':
				j := i + 1
				for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
					j++
				}
				if j < len(b) && (b[j] == '}' || b[j] == ']') {
					continue // trailing comma
				}
				out = append(out, c)
			case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
				// stray control character between tokens
			default:
				out = append(out, c)
			}
			continue
		}
		switch {
		case c == '"':
			inStr = false
			out = append(out, c)
		case c == '\\':
			if i+1 >= len(b) {
				out = append(out, '\\', '\\')
				continue
			}
			switch n := b[i+1]; n {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				out = append(out, c, n)
				i++
			case 'u':
				if i+5 < len(b) && ldIsHex4(b[i+2:i+6]) {
					out = append(out, b[i:i+6]...)
					i += 5
				} else {
					out = append(out, '\\', '\\')
				}
			case '\'':
				out = append(out, '\'')
				i++
			default:
				// A lone backslash: keep it as a character.
				out = append(out, '\\', '\\')
			}
		case c < 0x20:
			switch c {
			case '\n':
				out = append(out, '\\', 'n')
			case '\r':
				out = append(out, '\\', 'r')
			case '\t':
				out = append(out, '\\', 't')
			default:
				out = append(out, fmt.Sprintf(`\u%04x`, c)...)
			}
		default:
			out = append(out, c)
		}
	}
	return out
}

func ldIsHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return len(b) == 4
}

// ldNormalize lower-cases keys and drops schema.org prefixes, so "Title",
// "schema:title" and "http://schema.org/title" all read as "title". When
// two keys collide, the one already in canonical form wins, then the
// smallest, so the result does not depend on map order.
func ldNormalize(v any, depth int) any {
	if depth > ldMaxDepth {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		from := make(map[string]string, len(t))
		for k, e := range t {
			nk := ldKey(k)
			if prev, ok := from[nk]; ok && !ldKeyBetter(k, prev, nk) {
				continue
			}
			from[nk] = k
			out[nk] = ldNormalize(e, depth+1)
		}
		return out
	case []any:
		n := min(len(t), ldMaxArray)
		out := make([]any, 0, n)
		for _, e := range t[:n] {
			out = append(out, ldNormalize(e, depth+1))
		}
		return out
	}
	return v
}

func ldKeyBetter(k, prev, canonical string) bool {
	kc := ldKeyCanonical(k, canonical)
	pc := ldKeyCanonical(prev, canonical)
	if kc != pc {
		return kc
	}
	return k < prev
}

// ldKeyCanonical: the key as schema.org spells it (lower-case first letter,
// no prefix).
func ldKeyCanonical(k, canonical string) bool {
	return len(k) > 0 && !('A' <= k[0] && k[0] <= 'Z') && strings.EqualFold(k, canonical)
}

// ldKey is the normalized form of a property name or type.
func ldKey(k string) string {
	k = strings.TrimSpace(k)
	if i := strings.LastIndexAny(k, "/#"); i >= 0 && i < len(k)-1 {
		k = k[i+1:]
	}
	if i := strings.LastIndexByte(k, ':'); i >= 0 && i < len(k)-1 {
		k = k[i+1:]
	}
	return strings.ToLower(k)
}

// ldIsType reports whether node m has schema.org type t (lower case).
func ldIsType(m map[string]any, t string) bool {
	for _, s := range ldTexts(m["@type"]) {
		if ldKey(s) == t {
			return true
		}
	}
	return false
}

// ldSortedKeys returns m's keys in a fixed order, so walks are deterministic.
func ldSortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// small maps: insertion sort keeps this allocation-light
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// ldText reads one text from a value that may be a string, a number, an
// object (its @value, name, ...) or a list (its first text).
func ldText(v any) string {
	return ldTextDepth(v, 0)
}

func ldTextDepth(v any, depth int) string {
	if depth > 8 {
		return ""
	}
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case json.Number:
		return t.String()
	case bool:
		if t {
			return "true"
		}
		return "false"
	case []any:
		for _, e := range t {
			if s := ldTextDepth(e, depth+1); s != "" {
				return s
			}
		}
	case map[string]any:
		for _, k := range []string{"@value", "name", "legalname", "value", "description", "credentialcategory"} {
			if s := ldTextDepth(t[k], depth+1); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldTexts reads a value that may be one text or a list of them.
func ldTexts(v any) []string {
	var out []string
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			if s := ldText(e); s != "" && len(out) < stMaxTexts {
				out = append(out, s)
			}
		}
	default:
		if s := ldText(t); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// ldList returns v as a list.
func ldList(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	}
	return []any{v}
}

func ldFirst(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// deref replaces a bare {"@id": ...} reference by the node it names.
func (ctx *ldContext) deref(v any) any {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 || ctx == nil {
		return v
	}
	id, ok := m["@id"].(string)
	if !ok {
		return v
	}
	if n, ok := ctx.ids[id]; ok {
		return n
	}
	return v
}

// ldPosting reads one JobPosting node (from JSON-LD, microdata or RDFa,
// all normalized to the same map form). It returns a reason when the node
// cannot be read as a posting.
func ldPosting(m map[string]any, ctx *ldContext, single bool, index int) (jobs.Posting, string) {
	var p jobs.Posting
	p.Title = stText(ldFirst(ldText(m["title"]), ldText(m["name"])))
	if p.Title == "" {
		return p, "no title or name"
	}

	org := ctx.deref(ldFirstValue(m["hiringorganization"]))
	var orgURLs []string
	switch o := org.(type) {
	case map[string]any:
		p.Company = stText(ldFirst(ldText(o["name"]), ldText(o["legalname"])))
		orgURLs = append(ldTexts(o["sameas"]), ldTexts(o["url"])...)
	default:
		p.Company = stText(ldText(o))
	}
	if len(orgURLs) > 0 {
		stSetRaw(&p, "company_url", orgURLs[0])
	}

	// url: some boards (We Work Remotely) put the company's site in the
	// posting's url; a url equal to the organization's is not the posting's.
	link := ldText(m["url"])
	for _, u := range orgURLs {
		if strings.EqualFold(strings.TrimRight(u, "/"), strings.TrimRight(link, "/")) {
			link = ""
		}
	}
	p.URL = stResolve(ctx.base, link)
	if p.URL == "" {
		if me := ctx.deref(m["mainentityofpage"]); me != nil {
			if mm, ok := me.(map[string]any); ok {
				p.URL = stResolve(ctx.base, ldFirst(ldText(mm["url"]), ldText(mm["@id"])))
			} else {
				p.URL = stResolve(ctx.base, ldText(me))
			}
		}
	}
	if p.URL == "" {
		p.URL = ctx.pageURL // the posting is on this page
	}
	p.ApplyURL = ldApplyURL(m, ctx)

	desc := ldText(m["description"])
	if strings.IndexByte(desc, '<') < 0 && strings.Contains(desc, "&lt;") {
		desc = html.UnescapeString(desc) // HTML escaped twice
	}
	p.DescriptionHTML = stCap(strings.TrimSpace(desc), stMaxText)

	ldLocations(&p, m["joblocation"], ctx)
	for _, t := range ldTexts(m["joblocationtype"]) {
		if strings.Contains(strings.ToLower(t), "telecommute") {
			remote := true
			p.Remote = &remote
		} else {
			p.WorkplaceTexts = stAppend(p.WorkplaceTexts, stMaxTexts, t)
		}
	}
	for _, v := range ldList(m["applicantlocationrequirements"]) {
		p.EligibilityTexts = stAppend(p.EligibilityTexts, stMaxTexts, ldText(ctx.deref(v)))
	}
	p.EmploymentTexts = stAppend(p.EmploymentTexts, stMaxTexts, ldTexts(m["employmenttype"])...)
	for _, v := range append(ldList(m["experiencerequirements"]), ldList(m["experiencelevel"])...) {
		p.SeniorityTexts = stAppend(p.SeniorityTexts, stMaxTexts, ldExperience(v))
	}

	salary := m["basesalary"]
	if salary == nil && m["estimatedsalary"] != nil {
		salary = m["estimatedsalary"]
		stSetRaw(&p, "salary_kind", "estimated")
	}
	ldSalary(&p, salary, ldText(m["salarycurrency"]))

	p.Tags = stAppend(p.Tags, stMaxTexts, ldTexts(m["occupationalcategory"])...)
	p.Tags = stAppend(p.Tags, stMaxTexts, ldTexts(m["industry"])...)
	switch sk := m["skills"].(type) {
	case []any:
		p.Tags = stAppend(p.Tags, stMaxTexts, ldTexts(sk)...)
	default:
		stSetRaw(&p, "skills", ldText(sk))
	}
	if kw, ok := m["keywords"].([]any); ok {
		p.Tags = stAppend(p.Tags, stMaxTexts, ldTexts(kw)...)
	}

	p.PostedAt = strings.TrimSpace(ldText(m["dateposted"]))
	p.ValidThrough = strings.TrimSpace(ldText(m["validthrough"]))

	switch id := ldFirstValue(m["identifier"]).(type) {
	case map[string]any:
		p.SourceID = ldFirst(ldText(id["value"]), ldText(id["@value"]), ldText(id["name"]))
	default:
		p.SourceID = ldText(id)
	}
	if p.SourceID == "" && p.URL != "" {
		p.SourceID = p.URL
		if !single && p.URL == ctx.pageURL {
			// several postings without their own URL on one page
			p.SourceID = fmt.Sprintf("%s#jobposting-%d", p.URL, index+1)
		}
	}

	for key, prop := range map[string]string{
		"education_requirements": "educationrequirements",
		"qualifications":         "qualifications",
		"work_hours":             "workhours",
		"responsibilities":       "responsibilities",
		"job_benefits":           "jobbenefits",
		"total_job_openings":     "totaljobopenings",
		"direct_apply":           "directapply",
	} {
		stSetRaw(&p, key, strings.Join(ldTexts(m[prop]), "; "))
	}
	return p, ""
}

func ldFirstValue(v any) any {
	if l, ok := v.([]any); ok {
		for _, e := range l {
			if e != nil {
				return e
			}
		}
		return nil
	}
	return v
}

// ldApplyURL reads potentialAction ApplyAction targets and
// applicationContact urls.
func ldApplyURL(m map[string]any, ctx *ldContext) string {
	for _, a := range ldList(m["potentialaction"]) {
		am, ok := a.(map[string]any)
		if !ok || !ldIsType(am, "applyaction") {
			continue
		}
		for _, t := range ldList(am["target"]) {
			var s string
			if tm, ok := t.(map[string]any); ok {
				s = ldFirst(ldText(tm["urltemplate"]), ldText(tm["url"]))
			} else {
				s = ldText(t)
			}
			if u := stResolve(ctx.base, s); u != "" {
				return u
			}
		}
	}
	for _, c := range ldList(m["applicationcontact"]) {
		if cm, ok := c.(map[string]any); ok {
			if u := stResolve(ctx.base, ldText(cm["url"])); u != "" {
				return u
			}
		}
	}
	return ""
}

// ldLocations reads jobLocation: a Place or list of them, whose address is
// a PostalAddress, a list of them, or a string.
func ldLocations(p *jobs.Posting, v any, ctx *ldContext) {
	list := ldList(v)
	dropped := 0
	for _, e := range list {
		if len(p.Locations) >= stMaxLocations {
			dropped++
			continue
		}
		e = ctx.deref(e)
		place, ok := e.(map[string]any)
		if !ok {
			p.LocationTexts = stAppend(p.LocationTexts, stMaxLocations, ldText(e))
			continue
		}
		addrs := ldList(ctx.deref(place["address"]))
		if len(addrs) == 0 && (place["addresslocality"] != nil || place["addresscountry"] != nil) {
			addrs = []any{place} // address fields put on the Place itself
		}
		if len(addrs) == 0 {
			p.LocationTexts = stAppend(p.LocationTexts, stMaxLocations, ldText(place["name"]))
		}
		for _, a := range addrs {
			am, ok := ctx.deref(a).(map[string]any)
			if !ok {
				p.LocationTexts = stAppend(p.LocationTexts, stMaxLocations, ldText(a))
				continue
			}
			stAddLocation(p, jobs.Location{
				City:    ldText(am["addresslocality"]),
				Region:  ldText(am["addressregion"]),
				Country: ldText(am["addresscountry"]),
			})
		}
	}
	if dropped > 0 {
		stSetRaw(p, "locations_dropped", fmt.Sprint(dropped))
	}
}

// ldExperience renders experienceRequirements: a text, or an
// OccupationalExperienceRequirements object.
func ldExperience(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ldText(v)
	}
	if s := ldFirst(ldText(m["description"]), ldText(m["name"])); s != "" {
		return s
	}
	if months := ldText(m["monthsofexperience"]); months != "" {
		return months + " months of experience"
	}
	return ""
}

// ldSalary reads baseSalary: a number, a string, a MonetaryAmount whose
// value is a number or a QuantitativeValue, with the currency on either
// level. What cannot be read as numbers is kept as SalaryText.
func ldSalary(p *jobs.Posting, v any, currency string) {
	v = ldFirstValue(v)
	if v == nil {
		return
	}
	var s jobs.Salary
	var unit string
	var text string
	amount := func(x any) {
		switch t := x.(type) {
		case map[string]any: // QuantitativeValue
			if u := ldFirst(ldText(t["unittext"]), ldText(t["unitcode"])); u != "" {
				unit = u
			}
			lo, okLo := stNumber(ldText(t["minvalue"]))
			hi, okHi := stNumber(ldText(t["maxvalue"]))
			val, okVal := stNumber(ldText(t["value"]))
			if okVal && !okLo && !okHi {
				lo, hi = val, val
			}
			s.Min, s.Max = lo, hi
			if s.Min == 0 && s.Max == 0 {
				text = ldFirst(ldText(t["value"]), ldText(t["minvalue"]), ldText(t["maxvalue"]))
			}
		default:
			raw := ldText(t)
			if f, ok := stNumber(raw); ok {
				s.Min, s.Max = f, f
			} else {
				text = raw
			}
		}
	}
	switch t := v.(type) {
	case map[string]any: // MonetaryAmount
		currency = ldFirst(ldText(t["currency"]), ldText(t["salarycurrency"]), currency)
		unit = ldFirst(ldText(t["unittext"]), ldText(t["unitcode"]))
		if t["value"] != nil {
			amount(ldFirstValue(t["value"]))
		} else {
			amount(t) // min/max directly on the amount
		}
	default:
		amount(t)
	}
	if s.Min == 0 && s.Max == 0 {
		p.SalaryText = stText(text)
		return
	}
	s.Currency = strings.TrimSpace(currency)
	s.Period = stPeriod(unit)
	if s.Period == "" && unit != "" {
		stSetRaw(p, "salary_unit", unit)
	}
	p.Salary = &s
}
