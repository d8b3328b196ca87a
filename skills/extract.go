package skills

import (
	"strings"
)

// Mention is one skill found in a text: bytes text[Start:End] name concept
// ID. Optional is set when the sentence or section calls it nice-to-have.
type Mention struct {
	ID         string
	Start, End int
	Optional   bool
}

// listBreaks are the characters that separate items of a list or a
// parenthesis from its text: a multi-word spelling does not match across
// them unless it holds one itself.
const listBreaks = ",;:()[]|\n•·"

// avoidWindow is how many tokens around a marked mention its avoid words
// are looked for.
const avoidWindow = 12

// Extract returns the ids of the skills a job ad asks for, in order of first
// mention: required ones, and optional ones (only mentioned as nice to have).
// A skill mentioned both ways is required. It satisfies the jobs package's
// skill extractor.
func (t *Taxonomy) Extract(text string) (required, optional []string) {
	ms := t.Mentions(text)
	req := make(map[string]bool)
	for _, m := range ms {
		if !m.Optional && !req[m.ID] {
			req[m.ID] = true
			required = append(required, m.ID)
		}
	}
	opt := make(map[string]bool)
	for _, m := range ms {
		if m.Optional && !req[m.ID] && !opt[m.ID] {
			opt[m.ID] = true
			optional = append(optional, m.ID)
		}
	}
	return required, optional
}

// candidate is a longest match before context rules are applied.
type candidate struct {
	s, e     int // token span
	surf     *surface
	accepted bool
	rejected bool
}

// Mentions returns every skill mention in text, in order, after context
// rules, with byte offsets into text.
func (t *Taxonomy) Mentions(text string) []Mention {
	if len(t.root) == 0 || text == "" {
		return nil
	}
	toks := tokenize(text)
	cands := t.match(text, toks)
	if len(cands) == 0 {
		return nil
	}
	t.applyRules(text, toks, cands)
	opt := optionalSentences(text, toks, cands)
	var out []Mention
	for _, c := range cands {
		if !c.accepted {
			continue
		}
		out = append(out, Mention{
			ID:       t.concepts[c.surf.concept].ID,
			Start:    toks[c.s].start,
			End:      toks[c.e-1].end,
			Optional: opt[toks[c.s].sent],
		})
	}
	return out
}

// match finds the longest surface starting at each token, left to right,
// without overlaps.
func (t *Taxonomy) match(text string, toks []token) []candidate {
	var cands []candidate
	for i := 0; i < len(toks); {
		m := t.root
		var best *surface
		bestEnd := 0
		split := false // a list break or sentence end lies between the words so far
		for j := i; j < len(toks) && j-i < maxSurfaceToks; j++ {
			if j > i && !split {
				split = toks[j].sent != toks[j-1].sent || strings.ContainsAny(text[toks[j-1].end:toks[j].start], listBreaks)
			}
			n := m[toks[j].fold]
			if n == nil && j == i {
				n = m[stripArabicPrefix(toks[j].fold)]
			}
			if n == nil {
				break
			}
			for _, s := range n.surfs {
				// Exact case is checked here so that a failed longer
				// match leaves room for a shorter one.
				if (!split || s.spans) && (!s.exact || exactCase(text, toks[i:j+1], s.raw)) {
					best, bestEnd = s, j+1
					break
				}
			}
			m = n.next
		}
		if best == nil {
			i++
			continue
		}
		cands = append(cands, candidate{s: i, e: bestEnd, surf: best})
		i = bestEnd
	}
	return cands
}

// applyRules decides which candidates are real mentions.
func (t *Taxonomy) applyRules(text string, toks []token, cands []candidate) {
	pending := false
	for i := range cands {
		c := &cands[i]
		s := c.surf
		if !s.guarded {
			c.accepted = true
			continue
		}
		if rl := t.rules[s.concept]; rl != nil && (matchesNot(toks, c.s, c.e, rl.not) || nearAvoid(toks, c.s, c.e, rl.avoid)) {
			c.rejected = true
			continue
		}
		if floorNotation(text, toks, c) {
			c.rejected = true
			continue
		}
		if s.ctx == ctxNone || cueContext(text, toks, c.s, c.e) || weakCueContext(text, toks, cands, i) {
			c.accepted = true
			continue
		}
		pending = true
	}
	if !pending {
		return
	}
	// Two ambiguous names side by side in a list vouch for each other
	// ("analyses sous R et SAS", "SAS, R"), unless both are single letters
	// ("C, R" may be a list of anything) or one reads as a person's
	// initial ("SAS, R. Dupont").
	for i := 0; i+1 < len(cands); i++ {
		a, b := &cands[i], &cands[i+1]
		if a.accepted || a.rejected || b.accepted || b.rejected {
			continue
		}
		if (singleLetter(toks, a) && singleLetter(toks, b)) || initialLike(text, toks, cands, i) || initialLike(text, toks, cands, i+1) {
			continue
		}
		if t.adjacent(text, toks, a, b) {
			a.accepted, b.accepted = true, true
		}
	}
	// Neighbouring skills in a list vouch for each other; repeat so that a
	// chain ("Python, R, Julia") settles.
	for changed := true; changed; {
		changed = false
		for i := range cands {
			c := &cands[i]
			if c.accepted || c.rejected {
				continue
			}
			if (i > 0 && cands[i-1].accepted && t.adjacent(text, toks, &cands[i-1], c)) ||
				(i+1 < len(cands) && cands[i+1].accepted && t.adjacent(text, toks, c, &cands[i+1])) {
				c.accepted = true
				changed = true
			}
		}
	}
	// Document context for '~' surfaces: two other tech skills in the text.
	tech := make(map[int]bool)
	for _, c := range cands {
		if c.accepted && t.concepts[c.surf.concept].Kind != "soft" {
			tech[c.surf.concept] = true
		}
	}
	for i := range cands {
		c := &cands[i]
		if c.accepted || c.rejected || c.surf.ctx != ctxDoc {
			continue
		}
		n := len(tech)
		if tech[c.surf.concept] {
			n--
		}
		if n >= 2 {
			c.accepted = true
		}
	}
}

// exactCase reports whether the text tokens are written as raw, or in
// capitals.
func exactCase(text string, toks []token, raw []string) bool {
	if len(toks) != len(raw) {
		return false
	}
	for i, tk := range toks {
		w := text[tk.start:tk.end]
		if w != raw[i] && w != strings.ToUpper(raw[i]) {
			return false
		}
	}
	return true
}

// matchesNot reports whether one of the patterns matches around toks[s:e].
func matchesNot(toks []token, s, e int, pats [][]string) bool {
	for _, p := range pats {
		star := 0
		for star < len(p) && p[star] != "*" {
			star++
		}
		ok := s-star >= 0 && e+len(p)-star-1 <= len(toks)
		for k := 0; ok && k < star; k++ {
			ok = tokMatches(toks[s-star+k], p[k])
		}
		for k := star + 1; ok && k < len(p); k++ {
			ok = tokMatches(toks[e+k-star-1], p[k])
		}
		if ok {
			return true
		}
	}
	return false
}

func tokMatches(t token, p string) bool {
	if p == "#" {
		return t.num
	}
	return t.fold == p
}

func nearAvoid(toks []token, s, e int, avoid map[string]bool) bool {
	if len(avoid) == 0 {
		return false
	}
	lo, hi := max(0, s-avoidWindow), min(len(toks), e+avoidWindow)
	for k := lo; k < hi; k++ {
		if (k < s || k >= e) && avoid[toks[k].fold] {
			return true
		}
	}
	return false
}

// weakCueBefore may stand before a tool or a person ("avec R", "avec
// Julia"): they count only for names written in capitals (R, C, SAS),
// which are not first names, and not before an initial ("avec R. Dupont").
var weakCueBefore = wordSet("avec", "with")

// weakCueContext reports "avec R", "with SAS".
func weakCueContext(text string, toks []token, cands []candidate, i int) bool {
	c := &cands[i]
	if c.s == 0 || toks[c.s-1].sent != toks[c.s].sent || !weakCueBefore[toks[c.s-1].fold] || !cleanGap(text, toks[c.s-1].end, toks[c.s].start) {
		return false
	}
	for k := c.s; k < c.e; k++ {
		w := text[toks[k].start:toks[k].end]
		if w != strings.ToUpper(w) {
			return false
		}
	}
	return !initialLike(text, toks, cands, i)
}

// singleLetter reports a mention of one letter ("R", "C").
func singleLetter(toks []token, c *candidate) bool {
	return c.e-c.s == 1 && toks[c.s].end-toks[c.s].start == 1
}

// floorNotation reports a single letter glued to "+digit" ("R+1", a
// floor in French addresses) rather than a language.
func floorNotation(text string, toks []token, c *candidate) bool {
	if !singleLetter(toks, c) {
		return false
	}
	end := toks[c.s].end
	return end+1 < len(text) && text[end] == '+' && text[end+1] >= '0' && text[end+1] <= '9'
}

// initialLike reports that cands[i] is a single letter followed by a full
// stop and a capitalised word that is no skill: a person's initial, as in
// "R. Dupont".
func initialLike(text string, toks []token, cands []candidate, i int) bool {
	c := &cands[i]
	if !singleLetter(toks, c) || !initialAfter(text, toks, c) {
		return false
	}
	return i+1 >= len(cands) || cands[i+1].s != c.e
}

// initialAfter reports "X. Word": a full stop right after the mention, then
// spaces (no line break) and a word starting with a capital letter.
func initialAfter(text string, toks []token, c *candidate) bool {
	end := toks[c.e-1].end
	if c.e >= len(toks) || end >= len(text) || text[end] != '.' {
		return false
	}
	next := toks[c.e]
	gap := text[end+1 : next.start]
	if gap == "" || strings.TrimLeft(gap, " \u00a0") != "" {
		return false
	}
	r := text[next.start]
	return r >= 'A' && r <= 'Z'
}

// Cue words that make an ambiguous name a technology: "langage R",
// "programming in Go", "R programming", "Rust developer".
var (
	cueBefore = wordSet("langage", "langages", "language", "languages", "programming",
		"programmation", "in", "en", "using", "utilisant", "coding", "code", "scripts",
		"maitrise", "apache", "sous")
	cueAfter = wordSet("programming", "programmation", "language", "langage", "languages",
		"langages", "developer", "developers", "developpeur", "developpeurs", "developpeuse",
		"dev", "devs", "engineer", "engineers", "ingenieur", "code", "coding", "script",
		"scripts", "scripting", "package", "packages", "library", "libraries", "librairie",
		"librairies", "bibliotheque", "bibliotheques", "framework", "frameworks", "cluster",
		"clusters", "job", "jobs", "streaming", "sql", "shiny", "studio", "markdown",
		"module", "modules", "project", "projects", "projet", "projets", "ecosystem",
		"ecosysteme", "experience", "skills", "knowledge", "proficiency", "expertise",
		"development", "developpement", "stack", "backend", "applications", "services",
		"microservices", "api", "apis")
	// listGlue may stand between two neighbouring skills of a list.
	listGlue = wordSet("and", "or", "et", "ou", "&", "as", "well", "also", "ainsi", "que",
		"like", "such", "comme", "including", "notamment", "plus", "with", "avec", "eg",
		"e.g", "ie", "i.e", "vs", "versus", "then", "puis", "voire", "و", "او")
)

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// cueContext reports whether a cue word stands right before or after
// toks[s:e] in the same sentence.
func cueContext(text string, toks []token, s, e int) bool {
	if s > 0 && toks[s-1].sent == toks[s].sent && cueBefore[toks[s-1].fold] && cleanGap(text, toks[s-1].end, toks[s].start) {
		return true
	}
	if e < len(toks) && toks[e].sent == toks[e-1].sent && cueAfter[toks[e].fold] && cleanGap(text, toks[e-1].end, toks[e].start) {
		return true
	}
	return false
}

// cleanGap reports whether text[a:b] holds only spaces, hyphens and
// apostrophes ("langage R", "R-programming", "d'R").
func cleanGap(text string, a, b int) bool {
	for _, r := range text[a:b] {
		switch r {
		case ' ', '\t', '-', '\'', '’', ':', '\u00a0':
		default:
			return false
		}
	}
	return true
}

// adjacent reports whether candidates a and b (a before b) are neighbours
// in a list: only separators and list glue words between them, and no
// sentence end.
func (t *Taxonomy) adjacent(text string, toks []token, a, b *candidate) bool {
	if t.concepts[a.surf.concept].Kind == "soft" || t.concepts[b.surf.concept].Kind == "soft" {
		return false
	}
	if b.s-a.e > 3 || toks[a.e-1].sent != toks[b.s].sent && !listBreak(text, toks[a.e-1].end, toks[b.s].start) {
		return false
	}
	for k := a.e; k < b.s; k++ {
		if !listGlue[toks[k].fold] {
			return false
		}
	}
	for k := a.e; k <= b.s; k++ {
		if strings.ContainsAny(text[toks[k-1].end:toks[k].start], ".!?") {
			return false
		}
	}
	return true
}

// listBreak reports whether the gap between two sentences is a list break
// (a newline, a bullet or a semicolon) rather than a full stop.
func listBreak(text string, a, b int) bool {
	return !strings.ContainsAny(text[a:b], ".!?")
}

// stripArabicPrefix removes one attached Arabic particle (و and, ب with,
// ل for, ف then, ك as) from a word, so "وبايثون" reads as "بايثون". It
// returns "" when w has no such prefix.
func stripArabicPrefix(w string) string {
	if len(w) <= 4 {
		return ""
	}
	switch w[:2] {
	case "و", "ب", "ل", "ف", "ك":
		return w[2:]
	}
	return ""
}
