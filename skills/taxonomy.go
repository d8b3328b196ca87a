// Package skills owns Passerelle's skills taxonomy and the extraction of
// skills from free text.
//
// The taxonomy is a hand-written data file (data/taxonomy.txt, described in
// README.md) embedded in the binary: each concept has a stable lowercase id,
// a kind, labels in English, French and Arabic, synonyms and spelling
// variants, and broader/related links. Lookup and MapLabels turn the free
// labels graduates type into ids; Extract and Mentions find skills in job ads
// written in English, French or Arabic, with context rules for ambiguous
// words ("R", "C", "Go", "Excel", "Spark", "apprentissage", ...) and with
// nice-to-have mentions told apart from required ones.
//
// A Taxonomy is immutable once parsed and safe for concurrent use.
package skills

import (
	_ "embed"
	"log/slog"
	"slices"
	"strings"
	"sync"
)

// Concept is one skill of the taxonomy.
type Concept struct {
	ID   string
	Kind string
	// Labels are display labels keyed by locale: "en" (always set), "fr",
	// "ar" (set when the file gives one).
	Labels   map[string]string
	Synonyms []string
	// Broader are the direct parents (pandas -> python); Taxonomy.Broader
	// gives all ancestors.
	Broader []string
	// Related are siblings in either direction (pytorch ~ tensorflow).
	Related []string
}

// Kinds a concept may have.
var kinds = []string{
	"language", "library", "framework", "tool", "platform", "cloud",
	"database", "domain", "method", "soft", "standard",
}

// Taxonomy is a parsed skills taxonomy. The zero value is an empty taxonomy.
type Taxonomy struct {
	concepts []Concept
	byID     map[string]int
	// ancestors[i] lists the transitive broader ids of concepts[i], nearest first.
	ancestors [][]string
	// rules[i] holds the context rules of concepts[i] (nil when none).
	rules []*rules
	// root is the trie of folded token sequences (labels, synonyms and
	// derived variants) used by Lookup and Extract.
	root map[string]*node
}

// node is one step in the trie of folded tokens.
type node struct {
	next map[string]*node
	// surfs usually holds one surface; several only when exact-case
	// spellings of different concepts fold alike (LoRA, LoRa).
	surfs []*surface
}

// guard levels of a surface that needs tech context.
const (
	ctxNone  = 0
	ctxLocal = 1 // '?': a neighbouring skill or a cue word
	ctxDoc   = 2 // '~': local context, or at least two other skills in the text
)

// surface is one way of writing a concept.
type surface struct {
	concept int
	// raw are the tokens as written in the file, for exact-case checks.
	raw     []string
	exact   bool // '=': tokens must match raw in case (or be all caps)
	ctx     int  // ctxNone, ctxLocal or ctxDoc
	guarded bool // any marker: the concept's not/avoid rules apply
	derived bool // plural, concatenated or dot variant made by Parse
	// spans is set when the spelling itself holds list punctuation
	// ("extract, transform, load", "Claude (Anthropic)"); other multi-word
	// spellings match only words not split by it ("Spark, Scala" is two skills).
	spans bool
}

// rules are a concept's context rules for its marked surfaces.
type rules struct {
	// not patterns: folded tokens around "*" (the mention); "#" is any number.
	not [][]string
	// avoid words: a marked mention is dropped when one appears within
	// avoidWindow tokens.
	avoid map[string]bool
}

//go:embed data/taxonomy.txt
var embedded string

// defaultTaxonomy parses the embedded file once. The parse result never
// changes, so this is an immutable table, not mutable state.
var defaultTaxonomy = sync.OnceValue(func() *Taxonomy {
	t, err := Parse(strings.NewReader(embedded))
	if err != nil {
		// The embedded file is validated by TestEmbeddedTaxonomy; an empty
		// taxonomy is safer than a panic if it ever slips through.
		slog.Error("skills: embedded taxonomy is invalid", "err", err)
		return &Taxonomy{}
	}
	return t
})

// Default returns the taxonomy embedded in the binary, parsed once.
func Default() *Taxonomy { return defaultTaxonomy() }

// Len returns the number of concepts.
func (t *Taxonomy) Len() int { return len(t.concepts) }

// IDs returns every concept id in file order.
func (t *Taxonomy) IDs() []string {
	ids := make([]string, len(t.concepts))
	for i, c := range t.concepts {
		ids[i] = c.ID
	}
	return ids
}

// Concept returns a copy of the concept with this id.
func (t *Taxonomy) Concept(id string) (Concept, bool) {
	i, ok := t.byID[id]
	if !ok {
		return Concept{}, false
	}
	c := t.concepts[i]
	labels := make(map[string]string, len(c.Labels))
	for k, v := range c.Labels {
		labels[k] = v
	}
	c.Labels = labels
	c.Synonyms = slices.Clone(c.Synonyms)
	c.Broader = slices.Clone(c.Broader)
	c.Related = slices.Clone(c.Related)
	return c, true
}

// Label returns the concept's label in locale ("en", "fr", "ar"), falling
// back to English, then to the id itself (also for unknown ids).
func (t *Taxonomy) Label(id, locale string) string {
	i, ok := t.byID[id]
	if !ok {
		return id
	}
	c := t.concepts[i]
	if l := c.Labels[locale]; l != "" {
		return l
	}
	if l := c.Labels["en"]; l != "" {
		return l
	}
	return id
}

// Kind returns the concept's kind, or "" for an unknown id.
func (t *Taxonomy) Kind(id string) string {
	if i, ok := t.byID[id]; ok {
		return t.concepts[i].Kind
	}
	return ""
}

// Broader returns all ancestors of id (parents, their parents, ...),
// nearest first, without duplicates. It is nil for an unknown id.
func (t *Taxonomy) Broader(id string) []string {
	i, ok := t.byID[id]
	if !ok {
		return nil
	}
	return slices.Clone(t.ancestors[i])
}

// Related returns the concepts related to id in either direction.
func (t *Taxonomy) Related(id string) []string {
	i, ok := t.byID[id]
	if !ok {
		return nil
	}
	return slices.Clone(t.concepts[i].Related)
}

// Lookup maps one free label, as a graduate would type it in English, French
// or Arabic ("Machine Learning", "apprentissage automatique", "sklearn",
// "التعلم الآلي"), to a concept id. Case, accents, Arabic diacritics and
// punctuation are folded. Context rules of the extractor do not apply: a
// label typed alone as "R" or "Go" is the language. Version numbers
// ("Python 3.11"), a parenthesised note ("SQL (avancé)") and a vendor prefix
// ("Apache Kafka") are ignored when the whole label is not known.
func (t *Taxonomy) Lookup(label string) (string, bool) {
	toks := tokenize(label)
	if len(toks) == 0 || len(t.root) == 0 {
		return "", false
	}
	if id, ok := t.lookupTokens(label, toks); ok {
		return id, true
	}
	// Drop a parenthesised note.
	if i := strings.IndexAny(label, "(["); i > 0 {
		if id, ok := t.Lookup(label[:i]); ok {
			return id, true
		}
	}
	// Drop trailing version numbers.
	n := len(toks)
	for n > 1 && toks[n-1].num {
		n--
	}
	if n < len(toks) {
		if id, ok := t.lookupTokens(label, toks[:n]); ok {
			return id, true
		}
	}
	// Drop a vendor prefix.
	if n > 1 && vendors[toks[0].fold] {
		if id, ok := t.lookupTokens(label, toks[1:n]); ok {
			return id, true
		}
	}
	return "", false
}

var vendors = map[string]bool{
	"apache": true, "microsoft": true, "ms": true, "google": true, "amazon": true,
	"oracle": true, "ibm": true, "sap": true, "adobe": true, "meta": true,
}

// lookupTokens finds the concept named by toks (tokens of label). When
// several exact-case spellings share the folded words, the one written as
// in label wins, else the first.
func (t *Taxonomy) lookupTokens(label string, toks []token) (string, bool) {
	m := t.root
	var n *node
	for _, tk := range toks {
		n = m[tk.fold]
		if n == nil {
			return "", false
		}
		m = n.next
	}
	if n == nil || len(n.surfs) == 0 {
		return "", false
	}
	for _, s := range n.surfs {
		if exactCase(label, toks, s.raw) {
			return t.concepts[s.concept].ID, true
		}
	}
	return t.concepts[n.surfs[0].concept].ID, true
}

// MapLabels maps free labels to concept ids, in order and without
// duplicates. Labels it cannot map are returned in unknown (trimmed), never
// dropped. A label listing several skills ("Python, SQL / Excel") is split
// on , ; | / when it is not known as a whole.
func (t *Taxonomy) MapLabels(labels []string) (ids []string, unknown []string) {
	seen := make(map[string]bool)
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, l := range labels {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if id, ok := t.Lookup(l); ok {
			add(id)
			// "Big Data (Hadoop, Spark)": the skills listed in the note
			// count too; other notes ("avancé") are not reported.
			if _, whole := t.lookupTokens(l, tokenize(l)); !whole {
				for _, p := range noteItems(l) {
					if id, ok := t.Lookup(p); ok {
						add(id)
					}
				}
			}
			continue
		}
		parts := strings.FieldsFunc(l, isLabelSeparator)
		if len(parts) < 2 {
			unknown = append(unknown, l)
			continue
		}
		for _, p := range parts {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if id, ok := t.Lookup(p); ok {
				add(id)
			} else {
				unknown = append(unknown, p)
			}
		}
	}
	return ids, unknown
}

func isLabelSeparator(r rune) bool {
	return r == ',' || r == ';' || r == '|' || r == '/' || r == '،'
}

// noteItems are the items of the parenthesised notes of a label:
// "Big Data (Hadoop, Spark)" gives "Hadoop" and "Spark".
func noteItems(label string) []string {
	var items []string
	for {
		i := strings.IndexAny(label, "([")
		if i < 0 {
			return items
		}
		j := strings.IndexAny(label[i+1:], ")]")
		if j < 0 {
			j = len(label) - i - 1
		}
		for _, p := range strings.FieldsFunc(label[i+1:i+1+j], isLabelSeparator) {
			if p = strings.TrimSpace(p); p != "" {
				items = append(items, p)
			}
		}
		label = label[min(len(label), i+2+j):]
	}
}
