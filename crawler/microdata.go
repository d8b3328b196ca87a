package crawler

import (
	"bytes"
	"fmt"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Microdata ("microdata" kind): schema.org JobPosting items marked up with
// itemscope/itemtype/itemprop, and the same in RDFa Lite
// (vocab/typeof/property). Each item is turned into the map form that
// JSON-LD decodes to, and read by the same code (ldPosting), so the three
// syntaxes give the same posting for the same item.

// Limits on microdata input.
const (
	mdMaxDepth = 32  // nested items
	mdMaxProps = 500 // values of one property
)

// mdSyntax tells the microdata and RDFa attributes apart.
type mdSyntax struct {
	scopeAttr string // element starting an item: itemscope | typeof
	typeAttr  string // its types: itemtype | typeof
	propAttr  string // property names: itemprop | property
}

var (
	mdMicrodata = mdSyntax{scopeAttr: "itemscope", typeAttr: "itemtype", propAttr: "itemprop"}
	mdRDFa      = mdSyntax{scopeAttr: "typeof", typeAttr: "typeof", propAttr: "property"}
)

func detectMicrodata(doc Document) bool {
	if !stLooksHTML(doc) {
		return false
	}
	body, _ := stBody(doc)
	if !stContainsFold(body, "jobposting") {
		return false
	}
	z := xhtml.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return false
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			if _, has := z.TagName(); !has {
				continue
			}
			a := stTokenAttrs(z)
			for _, t := range append(strings.Fields(a["itemtype"]), strings.Fields(a["typeof"])...) {
				if ldKey(t) == "jobposting" {
					return true
				}
			}
		}
	}
}

func parseMicrodata(doc Document) (ParseResult, error) {
	var res ParseResult
	body, cut := stBody(doc)
	if cut {
		res.Skipped = append(res.Skipped, stTruncatedSkip())
	}
	root, err := xhtml.Parse(bytes.NewReader(body))
	if err != nil {
		return res, fmt.Errorf("crawler: parse microdata page %s: %w", doc.URL, err)
	}
	var baseHref, canonical string
	var items []map[string]any
	var walk func(n *xhtml.Node, depth int)
	walk = func(n *xhtml.Node, depth int) {
		if depth > 512 {
			return
		}
		if n.Type == xhtml.ElementNode {
			switch n.DataAtom {
			case atom.Base:
				if baseHref == "" {
					baseHref = stAttr(n, "href")
				}
			case atom.Link:
				if canonical == "" && strings.EqualFold(strings.TrimSpace(stAttr(n, "rel")), "canonical") {
					canonical = stAttr(n, "href")
				}
			}
		syntaxes:
			for _, syn := range []mdSyntax{mdMicrodata, mdRDFa} {
				if !stHasAttr(n, syn.scopeAttr) || len(items) > stMaxPostings {
					continue
				}
				for _, t := range strings.Fields(stAttr(n, syn.typeAttr)) {
					if ldKey(t) == "jobposting" {
						// one item per element, even when it carries both syntaxes
						items = append(items, syn.item(n, 0))
						break syntaxes
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)

	base := stBase(doc.URL, baseHref)
	ctx := ldContext{base: base, pageURL: stResolve(base, canonical)}
	if ctx.pageURL == "" {
		ctx.pageURL = stResolve(base, doc.URL)
	}
	roots := make([]any, len(items))
	for i, it := range items {
		roots[i] = it
	}
	ldReadRoots(roots, &ctx, &res)
	return res, nil
}

// item builds the map form of the item that element n starts.
func (syn mdSyntax) item(n *xhtml.Node, depth int) map[string]any {
	m := map[string]any{}
	var types []any
	for _, t := range strings.Fields(stAttr(n, syn.typeAttr)) {
		types = append(types, t)
	}
	if len(types) > 0 {
		m["@type"] = types
	}
	if depth > mdMaxDepth {
		return m
	}
	syn.props(n, m, depth, 0)
	return m
}

// props adds the properties found under n (not crossing into other items).
func (syn mdSyntax) props(n *xhtml.Node, m map[string]any, depth, level int) {
	if level > 256 {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xhtml.ElementNode {
			continue
		}
		names := strings.Fields(stAttr(c, syn.propAttr))
		scope := stHasAttr(c, syn.scopeAttr)
		if len(names) > 0 {
			var val any
			if scope {
				val = syn.item(c, depth+1)
			}
			for _, name := range names {
				key := ldKey(name)
				if key == "" {
					continue
				}
				v := val
				if v == nil {
					v = syn.value(c, key)
				}
				mdAdd(m, key, v)
			}
		}
		if scope {
			continue // a nested item's properties are its own
		}
		syn.props(c, m, depth, level+1)
	}
}

// mdAdd sets m[key], turning repeated properties into a list.
func mdAdd(m map[string]any, key string, v any) {
	switch prev := m[key].(type) {
	case nil:
		m[key] = v
	case []any:
		if len(prev) < mdMaxProps {
			m[key] = append(prev, v)
		}
	default:
		m[key] = []any{prev, v}
	}
}

// value is a property's value as the microdata (and RDFa) rules define it;
// a description keeps its inner HTML so paragraphs and lists survive.
func (syn mdSyntax) value(n *xhtml.Node, key string) any {
	if c, ok := stAttrOK(n, "content"); ok {
		return c
	}
	switch n.DataAtom {
	case atom.Meta:
		return ""
	case atom.Audio, atom.Embed, atom.Iframe, atom.Img, atom.Source, atom.Track, atom.Video:
		return stAttr(n, "src")
	case atom.A, atom.Area, atom.Link:
		return stAttr(n, "href")
	case atom.Object:
		return stAttr(n, "data")
	case atom.Data, atom.Meter:
		return stAttr(n, "value")
	case atom.Time:
		if d, ok := stAttrOK(n, "datetime"); ok {
			return d
		}
	}
	if syn.propAttr == "property" {
		for _, a := range []string{"resource", "href", "src"} {
			if v, ok := stAttrOK(n, a); ok {
				return v
			}
		}
	}
	if key == "description" {
		return stInnerHTML(n)
	}
	return stNodeText(n)
}

// stAttr returns n's attribute named key ("" when absent).
func stAttr(n *xhtml.Node, key string) string {
	v, _ := stAttrOK(n, key)
	return v
}

func stAttrOK(n *xhtml.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

func stHasAttr(n *xhtml.Node, key string) bool {
	_, ok := stAttrOK(n, key)
	return ok
}

// stNodeText is n's text content with white space collapsed (scripts and
// styles left out).
func stNodeText(n *xhtml.Node) string {
	var b strings.Builder
	var walk func(n *xhtml.Node, depth int)
	walk = func(n *xhtml.Node, depth int) {
		if depth > 256 || b.Len() > stMaxText {
			return
		}
		switch n.Type {
		case xhtml.TextNode:
			b.WriteString(n.Data)
			b.WriteByte(' ')
		case xhtml.ElementNode:
			if n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Template {
				return
			}
			if n.DataAtom == atom.Br {
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return strings.Join(strings.Fields(b.String()), " ")
}

// stInnerHTML renders n's children as HTML.
func stInnerHTML(n *xhtml.Node) string {
	var b bytes.Buffer
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := xhtml.Render(&b, c); err != nil || b.Len() > stMaxText {
			break
		}
	}
	return stCap(strings.TrimSpace(b.String()), stMaxText)
}
