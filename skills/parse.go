package skills

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Limits that keep Parse bounded on hostile input.
const (
	maxLineLen     = 4096
	maxSurfaceToks = 10
)

// field is one "key: value" line of a concept block.
type field struct {
	key, value string
	line       int
}

type block struct {
	id     string
	line   int
	fields []field
}

// Parse reads a taxonomy in the format described in README.md. Errors name
// the line: unknown keys or kinds, malformed ids, duplicate ids, a label or
// synonym used by two concepts, links to unknown ids, broader cycles.
func Parse(r io.Reader) (*Taxonomy, error) {
	blocks, err := readBlocks(r)
	if err != nil {
		return nil, err
	}
	t := &Taxonomy{byID: make(map[string]int, len(blocks)), root: make(map[string]*node)}
	linkLines := make([]map[string]int, 0, len(blocks))
	for _, b := range blocks {
		if prev, dup := t.byID[b.id]; dup {
			return nil, fmt.Errorf("skills: line %d: duplicate id %q (first defined on line %d)", b.line, b.id, blocks[prev].line)
		}
		t.byID[b.id] = len(t.concepts)
		c, rl, links, err := buildConcept(b)
		if err != nil {
			return nil, err
		}
		t.concepts = append(t.concepts, c)
		t.rules = append(t.rules, rl)
		linkLines = append(linkLines, links)
	}
	// Links must point to known concepts.
	for i, c := range t.concepts {
		for _, l := range append(slices.Clone(c.Broader), c.Related...) {
			if _, ok := t.byID[l]; !ok {
				return nil, fmt.Errorf("skills: line %d: concept %q links to unknown id %q", linkLines[i][l], c.ID, l)
			}
			if l == c.ID {
				return nil, fmt.Errorf("skills: line %d: concept %q links to itself", linkLines[i][l], c.ID)
			}
		}
	}
	// Related links are symmetric.
	for i, c := range t.concepts {
		for _, l := range c.Related {
			j := t.byID[l]
			if !slices.Contains(t.concepts[j].Related, c.ID) {
				t.concepts[j].Related = append(t.concepts[j].Related, t.concepts[i].ID)
			}
		}
	}
	if err := t.buildAncestors(blocks); err != nil {
		return nil, err
	}
	if err := t.buildIndex(blocks); err != nil {
		return nil, err
	}
	return t, nil
}

func readBlocks(r io.Reader) ([]block, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLineLen)
	var blocks []block
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if !strings.HasSuffix(line, "]") {
				return nil, fmt.Errorf("skills: line %d: concept header %q must be [id]", n, line)
			}
			id := strings.TrimSpace(line[1 : len(line)-1])
			if !validID(id) {
				return nil, fmt.Errorf("skills: line %d: id %q must be lowercase letters, digits and single hyphens", n, id)
			}
			blocks = append(blocks, block{id: id, line: n})
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("skills: line %d: expected \"key: value\" or \"[id]\", got %q", n, line)
		}
		if len(blocks) == 0 {
			return nil, fmt.Errorf("skills: line %d: %q comes before the first [id] header", n, line)
		}
		b := &blocks[len(blocks)-1]
		b.fields = append(b.fields, field{key: strings.ToLower(strings.TrimSpace(key)), value: strings.TrimSpace(value), line: n})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("skills: line %d: longer than %d bytes", n+1, maxLineLen)
		}
		return nil, fmt.Errorf("skills: read taxonomy: %w", err)
	}
	return blocks, nil
}

func validID(id string) bool {
	if id == "" || len(id) > 64 || id[0] == '-' || id[len(id)-1] == '-' || strings.Contains(id, "--") {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// stripMarkers splits the leading markers (= ? ~ !) off a label or synonym.
func stripMarkers(s string) (markers, text string) {
	i := 0
	for i < len(s) && strings.IndexByte("=?~!", s[i]) >= 0 {
		i++
	}
	return s[:i], strings.TrimSpace(s[i:])
}

func splitList(v string, sep string) []string {
	var out []string
	for _, p := range strings.Split(v, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func buildConcept(b block) (Concept, *rules, map[string]int, error) {
	c := Concept{ID: b.id, Labels: make(map[string]string)}
	links := make(map[string]int)
	var rl *rules
	for _, f := range b.fields {
		errf := func(format string, a ...any) error {
			return fmt.Errorf("skills: line %d: concept %q: %s", f.line, b.id, fmt.Sprintf(format, a...))
		}
		switch f.key {
		case "kind":
			if c.Kind != "" {
				return c, nil, nil, errf("kind given twice")
			}
			if !slices.Contains(kinds, f.value) {
				return c, nil, nil, errf("unknown kind %q (want one of %s)", f.value, strings.Join(kinds, ", "))
			}
			c.Kind = f.value
		case "en", "fr", "ar":
			if _, dup := c.Labels[f.key]; dup {
				return c, nil, nil, errf("label %q given twice", f.key)
			}
			_, text := stripMarkers(f.value)
			if text == "" || foldKey(text) == "" {
				return c, nil, nil, errf("empty %s label", f.key)
			}
			c.Labels[f.key] = text
		case "syn":
			for _, s := range splitList(f.value, "|") {
				if _, text := stripMarkers(s); text == "" || foldKey(text) == "" {
					return c, nil, nil, errf("empty synonym in %q", f.value)
				}
				c.Synonyms = append(c.Synonyms, s)
			}
		case "broader", "related":
			for _, l := range splitList(f.value, ",") {
				if !validID(l) {
					return c, nil, nil, errf("%s target %q is not a valid id", f.key, l)
				}
				if _, dup := links[l]; dup {
					return c, nil, nil, errf("link to %q given twice", l)
				}
				links[l] = f.line
				if f.key == "broader" {
					c.Broader = append(c.Broader, l)
				} else {
					c.Related = append(c.Related, l)
				}
			}
		case "not":
			if rl == nil {
				rl = &rules{}
			}
			for _, p := range splitList(f.value, "|") {
				toks := strings.Fields(p)
				stars := 0
				for i, tk := range toks {
					if tk == "*" {
						stars++
						continue
					}
					if tk == "#" {
						continue
					}
					toks[i] = foldKey(tk)
					if toks[i] == "" || strings.Contains(toks[i], " ") {
						return c, nil, nil, errf("not pattern %q: %q must be one word", p, tk)
					}
				}
				if stars != 1 || len(toks) < 2 {
					return c, nil, nil, errf("not pattern %q must have one '*' and at least one word", p)
				}
				rl.not = append(rl.not, toks)
			}
		case "avoid":
			if rl == nil {
				rl = &rules{}
			}
			if rl.avoid == nil {
				rl.avoid = make(map[string]bool)
			}
			for _, w := range splitList(f.value, "|") {
				k := foldKey(w)
				if k == "" || strings.Contains(k, " ") {
					return c, nil, nil, errf("avoid word %q must be one word", w)
				}
				rl.avoid[k] = true
			}
		default:
			return c, nil, nil, errf("unknown key %q (want kind, en, fr, ar, syn, broader, related, not, avoid)", f.key)
		}
	}
	if c.Kind == "" {
		return c, nil, nil, fmt.Errorf("skills: line %d: concept %q has no kind", b.line, b.id)
	}
	if c.Labels["en"] == "" {
		return c, nil, nil, fmt.Errorf("skills: line %d: concept %q has no en label", b.line, b.id)
	}
	if c.Labels["fr"] == "" {
		c.Labels["fr"] = c.Labels["en"]
	}
	// Synonyms are exposed without their markers.
	for i, s := range c.Synonyms {
		_, c.Synonyms[i] = stripMarkers(s)
	}
	return c, rl, links, nil
}

// buildAncestors computes transitive broader links and rejects cycles.
func (t *Taxonomy) buildAncestors(blocks []block) error {
	const (
		white = iota
		grey
		black
	)
	state := make([]int, len(t.concepts))
	t.ancestors = make([][]string, len(t.concepts))
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case grey:
			return fmt.Errorf("skills: line %d: broader links of %q form a cycle", blocks[i].line, t.concepts[i].ID)
		case black:
			return nil
		}
		state[i] = grey
		var anc []string
		seen := map[string]bool{}
		for _, p := range t.concepts[i].Broader {
			j := t.byID[p]
			if err := visit(j); err != nil {
				return err
			}
			if !seen[p] {
				seen[p] = true
				anc = append(anc, p)
			}
		}
		for _, p := range t.concepts[i].Broader {
			for _, a := range t.ancestors[t.byID[p]] {
				if !seen[a] {
					seen[a] = true
					anc = append(anc, a)
				}
			}
		}
		t.ancestors[i] = anc
		state[i] = black
		return nil
	}
	for i := range t.concepts {
		if err := visit(i); err != nil {
			return err
		}
	}
	return nil
}

// entry is one surface waiting to enter the index.
type entry struct {
	key  string
	surf *surface
	line int
}

// buildIndex puts every label and synonym in the trie, then derived
// variants (plural, concatenated, dotted) where they collide with nothing.
func (t *Taxonomy) buildIndex(blocks []block) error {
	owner := make(map[string]entry)
	alt := make(map[string][]*surface)
	var derived []entry
	for i, b := range blocks {
		for _, f := range b.fields {
			var values []string
			switch f.key {
			case "en", "fr", "ar":
				values = []string{f.value}
			case "syn":
				values = splitList(f.value, "|")
			default:
				continue
			}
			for _, v := range values {
				s, toks := newSurface(i, v)
				if len(toks) == 0 {
					continue
				}
				if len(toks) > maxSurfaceToks {
					return fmt.Errorf("skills: line %d: %q has more than %d words", f.line, v, maxSurfaceToks)
				}
				key := joinFold(toks)
				if prev, ok := owner[key]; ok && prev.surf.concept != i && s.exact && prev.surf.exact && !slices.Equal(prev.surf.raw, s.raw) {
					// Same letters, different case (LoRA vs LoRa): both exact-case
					// surfaces share the key.
					alt[key] = append(alt[key], s)
					continue
				}
				if prev, ok := owner[key]; ok {
					if prev.surf.concept != i {
						return fmt.Errorf("skills: line %d: %q of %q is already used by %q (line %d)",
							f.line, v, b.id, t.concepts[prev.surf.concept].ID, prev.line)
					}
					spans := prev.surf.spans || s.spans
					if s.guarded && !prev.surf.guarded {
						// The more careful spelling wins within one concept.
						*prev.surf = *s
					}
					// Written once with list punctuation, it may span it.
					prev.surf.spans = spans
					continue
				}
				owner[key] = entry{key: key, surf: s, line: f.line}
				derived = append(derived, variants(toks, s)...)
			}
		}
	}
	// Derived variants: dropped when they collide with a real surface or
	// with a variant of another concept.
	clash := make(map[string]bool)
	dkeys := make(map[string]entry)
	for _, d := range derived {
		if _, ok := owner[d.key]; ok {
			continue
		}
		if prev, ok := dkeys[d.key]; ok && prev.surf.concept != d.surf.concept {
			clash[d.key] = true
			continue
		}
		if _, ok := dkeys[d.key]; !ok {
			dkeys[d.key] = d
		}
	}
	add := func(key string, s ...*surface) {
		m := t.root
		var n *node
		for _, w := range strings.Split(key, " ") {
			n = m[w]
			if n == nil {
				n = &node{}
				m[w] = n
			}
			if n.next == nil {
				n.next = make(map[string]*node)
			}
			m = n.next
		}
		n.surfs = append(n.surfs, s...)
	}
	keys := make([]string, 0, len(owner)+len(dkeys))
	for k := range owner {
		keys = append(keys, k)
	}
	for k := range dkeys {
		if !clash[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if e, ok := owner[k]; ok {
			add(k, append([]*surface{e.surf}, alt[k]...)...)
		} else {
			add(k, dkeys[k].surf)
		}
	}
	return nil
}

func newSurface(concept int, v string) (*surface, []token) {
	markers, text := stripMarkers(v)
	toks := tokenize(text)
	s := &surface{concept: concept, guarded: markers != "", spans: strings.ContainsAny(text, listBreaks)}
	for _, m := range markers {
		switch m {
		case '=':
			s.exact = true
		case '?':
			s.ctx = ctxLocal
		case '~':
			s.ctx = ctxDoc
		}
	}
	s.raw = make([]string, len(toks))
	for i, tk := range toks {
		s.raw[i] = text[tk.start:tk.end]
	}
	return s, toks
}

func joinFold(toks []token) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.fold
	}
	return strings.Join(parts, " ")
}

// variants derives spellings people use for a surface: an English plural
// ("llms", "data warehouses"), the words run together ("powerbi", "nodejs")
// and dotted words split or joined ("node js", "nodejs").
func variants(toks []token, s *surface) []entry {
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = t.fold
	}
	var out []entry
	mk := func(w []string) {
		d := *s
		d.derived = true
		d.raw = nil
		if s.exact {
			// Exact-case surfaces get no variants: their raw form is the rule.
			return
		}
		out = append(out, entry{key: strings.Join(w, " "), surf: &d})
	}
	last := words[len(words)-1]
	if len(last) >= 3 && isASCIILetters(last) && !strings.HasSuffix(last, "s") && !strings.HasSuffix(last, "x") && !strings.HasSuffix(last, "z") {
		w := slices.Clone(words)
		w[len(w)-1] = last + "s"
		mk(w)
	}
	if len(words) >= 2 && len(words) <= 3 {
		all := true
		for _, w := range words {
			if !isASCIIAlnum(w) {
				all = false
			}
		}
		if all {
			mk([]string{strings.Join(words, "")})
		}
	}
	for i, w := range words {
		if j := strings.IndexByte(w, '.'); j > 0 && isASCIIAlnum(strings.ReplaceAll(w, ".", "")) {
			joined := slices.Clone(words)
			joined[i] = strings.ReplaceAll(w, ".", "")
			mk(joined)
			split := slices.Concat(words[:i:i], strings.Split(w, "."), words[i+1:])
			mk(split)
		}
	}
	return out
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}

func isASCIIAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return s != ""
}
