package jobs

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Go's regexp runs a pattern without a literal prefix (every (?i) pattern,
// every alternation of words) as an automaton over each byte of the text,
// which made the patterns read in descriptions most of the cost of
// Normalize. A fastRe finds the same matches in two steps: a scan for the
// prefixes every match must start with (derived from the pattern itself,
// compared with an ASCII-lower-cased copy of the text), then the pattern,
// anchored, at those places only and on no more text than its longest
// possible match. Its results are exactly those of the pattern
// (fastre_test.go compares them on every text of the tests and fuzzes).

const (
	// maxPrefixes bounds the prefixes kept for one pattern; a pattern with
	// more (or with a match that can start anywhere) runs as before.
	maxPrefixes = 128
	// prefixLen is the length at which a prefix is selective enough and is
	// not extended further (a run of white space counts as one).
	prefixLen = 6
	// wsMark in a prefix stands for a run of \s: wsMark '+' for one or
	// more, wsMark '*' for zero or more. 0xff is never part of a rune's
	// UTF-8 encoding, so a prefix's literal bytes never hold it.
	wsMark = 0xff
)

// fastRe is a regexp with the same results, found faster in long texts.
type fastRe struct {
	re *regexp.Regexp // the pattern: reference semantics, and fallback
	// at matches at the start of a text; atCtx after one rune of context,
	// so that \b and ^ at the match's start see the text before it.
	at, atCtx *regexp.Regexp
	prefixes  []string      // every match starts with one (see wsMark)
	maxLen    lenBound      // longest possible match
	byFirst   [256][]string // prefixes by their first byte
	// pairs is the set of the first two bytes of prefixes (b0<<8 | b1);
	// single marks bytes that are a prefix alone (any byte may follow).
	pairs  *[1 << 16 / 64]uint64
	single [256]bool
}

// fastReAll lists every fastRe compiled, so that tests check each one
// (the package's are compiled as its variables are initialized).
var (
	fastReMu  sync.Mutex
	fastReAll []*fastRe
)

// forgetFastRe takes f off fastReAll (a pattern compiled only to try it).
func forgetFastRe(f *fastRe) {
	fastReMu.Lock()
	defer fastReMu.Unlock()
	if i := slices.Index(fastReAll, f); i >= 0 {
		fastReAll = slices.Delete(fastReAll, i, i+1)
	}
}

// newFastRe compiles pattern; it panics on a bad pattern like
// regexp.MustCompile (patterns are constants of this package).
func newFastRe(pattern string) *fastRe {
	f := &fastRe{re: regexp.MustCompile(pattern)}
	fastReMu.Lock()
	fastReAll = append(fastReAll, f)
	fastReMu.Unlock()
	tree, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		panic("jobs: fastRe " + pattern + ": " + err.Error())
	}
	var set []string
	for _, p := range literalPrefixes(tree) {
		if p.s == "" || p.s[0] == wsMark {
			return f // a match may start anywhere: the plain pattern
		}
		set = append(set, p.s)
	}
	set = minimalPrefixes(set)
	if len(set) == 0 || len(set) > maxPrefixes {
		return f
	}
	f.maxLen = maxMatchLen(tree)
	f.at = regexp.MustCompile(`^(?:` + pattern + `)`)
	f.atCtx = regexp.MustCompile(`^(?s:.)(?:` + pattern + `)`)
	f.prefixes = set
	f.pairs = new([1 << 16 / 64]uint64)
	for _, p := range set {
		b0 := p[0]
		f.byFirst[b0] = append(f.byFirst[b0], p)
		bytes, any := secondBytes(p)
		if any {
			f.single[b0] = true
			for b := range 256 {
				bytes = append(bytes, byte(b))
			}
		}
		for _, b := range bytes {
			k := uint(b0)<<8 | uint(b)
			f.pairs[k>>6] |= 1 << (k & 63)
		}
	}
	return f
}

// asciiWS are the bytes of \s.
const asciiWS = "\t\n\f\r "

// secondBytes returns the bytes that may follow the first one of p in a
// text it starts; any when p may end after its first byte.
func secondBytes(p string) (bytes []byte, any bool) {
	if len(p) == 1 {
		return nil, true
	}
	if p[1] != wsMark {
		return []byte{p[1]}, false
	}
	bytes = []byte(asciiWS)
	if p[2] == '*' {
		if len(p) == 3 {
			return nil, true
		}
		if p[3] == wsMark {
			return nil, true // not built (see joinPrefix), but safe
		}
		bytes = append(bytes, p[3])
	}
	return bytes, false
}

// hasPrefix reports whether low[i:] starts with prefix p.
func hasPrefix(low string, i int, p string) bool {
	for j := 0; j < len(p); j++ {
		if p[j] != wsMark {
			if i >= len(low) || low[i] != p[j] {
				return false
			}
			i++
			continue
		}
		n := 0
		for i < len(low) && isASCIISpace(low[i]) {
			i++
			n++
		}
		if p[j+1] == '+' && n == 0 {
			return false
		}
		j++
	}
	return true
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// scanText is a text prepared once for several fastRe searches.
type scanText struct {
	s   string // the text searched
	low string // s with ASCII letters lower-cased (same byte offsets)
	// slow: s holds a rune outside ASCII that case-folds to an ASCII
	// letter (ſ, the Kelvin sign), which the lower-cased scan would miss.
	slow bool
	// The longest runs of \s bytes and of \w bytes, counted at the first
	// need: they bound how long a match with \s* or \w+ can be.
	runsCounted       bool
	spaceRun, wordRun int
}

func newScanText(s string) *scanText {
	t := &scanText{s: s, low: lowerASCII(s)}
	t.slow = strings.Contains(s, "\u017f") || strings.Contains(s, "\u212a")
	return t
}

// lowerASCII lower-cases A-Z only, keeping every byte offset.
func lowerASCII(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if c := b[i]; c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func (t *scanText) countRuns() {
	t.runsCounted = true
	space, word := 0, 0
	low := t.low
	for i := 0; i < len(low); i++ {
		c := low[i]
		switch {
		case isASCIISpace(c):
			space++
			word = 0
			t.spaceRun = max(t.spaceRun, space)
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_':
			word++
			space = 0
			t.wordRun = max(t.wordRun, word)
		default:
			space, word = 0, 0
		}
	}
}

// next returns the leftmost match starting at or after pos, as submatch
// indices into t.s (like FindStringSubmatchIndex), or nil.
func (f *fastRe) next(t *scanText, pos int, indices bool) []int {
	low := t.low
	n := len(low)
	pairs := f.pairs
	for i := pos; i < n; i++ {
		if i+1 < n {
			k := uint(low[i])<<8 | uint(low[i+1])
			if pairs[k>>6]&(1<<(k&63)) == 0 {
				continue
			}
		} else if !f.single[low[i]] {
			continue
		}
		hit := false
		for _, p := range f.byFirst[low[i]] {
			if hasPrefix(low, i, p) {
				hit = true
				break
			}
		}
		if hit {
			if m := f.matchAt(t, i, indices); m != nil {
				return m
			}
		}
	}
	return nil
}

// matchAt runs the anchored pattern at i, with the rune before i as
// context. Without indices it returns a non-nil slice on a match.
func (f *fastRe) matchAt(t *scanText, i int, indices bool) []int {
	s := t.s
	re, off := f.at, i
	if i > 0 {
		_, k := utf8.DecodeLastRuneInString(s[:i])
		re, off = f.atCtx, i-k
	}
	// No match is longer than maxLen: the text beyond it (but one rune,
	// for \b or $ at its end) cannot change the result.
	end := len(s)
	if !f.maxLen.unbounded {
		if !t.runsCounted {
			t.countRuns()
		}
		if n := f.maxLen.in(t); i+n+utf8.UTFMax < end {
			end = i + n + utf8.UTFMax
		}
	}
	if !indices {
		if re.MatchString(s[off:end]) {
			return []int{}
		}
		return nil
	}
	m := re.FindStringSubmatchIndex(s[off:end])
	if m == nil {
		return nil
	}
	for j, v := range m {
		if v >= 0 {
			m[j] = v + off
		}
	}
	m[0] = i
	return m
}

func (f *fastRe) usable(t *scanText) bool { return f.at != nil && !t.slow }

// MatchString is regexp.MatchString on t.
func (f *fastRe) MatchString(t *scanText) bool {
	if !f.usable(t) {
		return f.re.MatchString(t.s)
	}
	return f.next(t, 0, false) != nil
}

// FindString is regexp.FindString on t.
func (f *fastRe) FindString(t *scanText) string {
	if !f.usable(t) {
		return f.re.FindString(t.s)
	}
	if m := f.next(t, 0, true); m != nil {
		return t.s[m[0]:m[1]]
	}
	return ""
}

// FindAllStringSubmatchIndex is the regexp method on t.
func (f *fastRe) FindAllStringSubmatchIndex(t *scanText, n int) [][]int {
	if !f.usable(t) {
		return f.re.FindAllStringSubmatchIndex(t.s, n)
	}
	var out [][]int
	for pos := 0; n < 0 || len(out) < n; {
		m := f.next(t, pos, true)
		if m == nil {
			break
		}
		out = append(out, m)
		pos = m[1] // matches are never empty (no prefix is "")
	}
	return out
}

// FindAllStringSubmatch is the regexp method on t.
func (f *fastRe) FindAllStringSubmatch(t *scanText, n int) [][]string {
	if !f.usable(t) {
		return f.re.FindAllStringSubmatch(t.s, n)
	}
	var out [][]string
	for _, m := range f.FindAllStringSubmatchIndex(t, n) {
		sub := make([]string, len(m)/2)
		for j := range sub {
			if m[2*j] >= 0 {
				sub[j] = t.s[m[2*j]:m[2*j+1]]
			}
		}
		out = append(out, sub)
	}
	return out
}

// FindAllString is the regexp method on t.
func (f *fastRe) FindAllString(t *scanText, n int) []string {
	if !f.usable(t) {
		return f.re.FindAllString(t.s, n)
	}
	var out []string
	for _, m := range f.FindAllStringSubmatchIndex(t, n) {
		out = append(out, t.s[m[0]:m[1]])
	}
	return out
}

// FindAllStringIndex is the regexp method on t.
func (f *fastRe) FindAllStringIndex(t *scanText, n int) [][]int {
	if !f.usable(t) {
		return f.re.FindAllStringIndex(t.s, n)
	}
	out := f.FindAllStringSubmatchIndex(t, n)
	for i, m := range out {
		out[i] = m[:2]
	}
	return out
}

// ReplaceAllLiteralString is regexp.ReplaceAllLiteralString on t.
func (f *fastRe) ReplaceAllLiteralString(t *scanText, repl string) string {
	if !f.usable(t) {
		return f.re.ReplaceAllLiteralString(t.s, repl)
	}
	ms := f.FindAllStringSubmatchIndex(t, -1)
	if len(ms) == 0 {
		return t.s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		b.WriteString(t.s[last:m[0]])
		b.WriteString(repl)
		last = m[1]
	}
	b.WriteString(t.s[last:])
	return b.String()
}

// prefix is a literal string (see wsMark) that every match of some part of
// a pattern may start with; open means the part may go on after it with
// anything.
type prefix struct {
	s    string
	open bool
}

// literalPrefixes returns prefixes (lower-cased as lowerASCII does) one of
// which starts every match of re. A closed prefix is a whole match; an
// empty string means a match may start anywhere.
func literalPrefixes(re *syntax.Regexp) []prefix {
	closed := func(ss []string) []prefix {
		out := make([]prefix, len(ss))
		for i, s := range ss {
			out[i] = prefix{s: s}
		}
		return out
	}
	opened := func(ps []prefix) []prefix {
		out := make([]prefix, len(ps))
		for i, p := range ps {
			out[i] = prefix{s: p.s, open: true}
		}
		return out
	}
	anything := []prefix{{s: "", open: true}}
	switch re.Op {
	case syntax.OpNoMatch:
		return nil
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []prefix{{}}
	case syntax.OpLiteral:
		set := []string{""}
		for _, r := range re.Rune {
			set = crossStrings(set, runeVariants([]rune{r}, re.Flags&syntax.FoldCase != 0))
			if len(set) > maxPrefixes {
				return anything
			}
		}
		return closed(set)
	case syntax.OpCharClass:
		var runes []rune
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > 16 || len(runes) > 16 {
				return anything
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				runes = append(runes, r)
			}
		}
		if len(runes) == 0 || len(runes) > 16 {
			return anything
		}
		return closed(runeVariants(runes, false))
	case syntax.OpCapture:
		return literalPrefixes(re.Sub[0])
	case syntax.OpQuest:
		return append(literalPrefixes(re.Sub[0]), prefix{})
	case syntax.OpStar:
		if isSpaceClass(re.Sub[0]) {
			return []prefix{{s: string([]byte{wsMark, '*'})}}
		}
		return append(opened(literalPrefixes(re.Sub[0])), prefix{})
	case syntax.OpPlus:
		if isSpaceClass(re.Sub[0]) {
			return []prefix{{s: string([]byte{wsMark, '+'})}}
		}
		return opened(literalPrefixes(re.Sub[0]))
	case syntax.OpRepeat:
		sub := literalPrefixes(re.Sub[0])
		switch {
		case re.Min == 1 && re.Max == 1:
			return sub
		case re.Min == 0:
			return append(opened(sub), prefix{})
		}
		return opened(sub)
	case syntax.OpConcat:
		cur := []prefix{{}}
		for _, sub := range re.Sub {
			subSet := literalPrefixes(sub)
			var next []prefix
			for _, p := range cur {
				if p.open || prefixWeight(p.s) >= prefixLen {
					next = append(next, prefix{s: p.s, open: true})
					continue
				}
				for _, q := range subSet {
					next = append(next, joinPrefix(p.s, q))
				}
			}
			if len(next) > maxPrefixes {
				return opened(cur)
			}
			cur = next
		}
		return cur
	case syntax.OpAlternate:
		var set []prefix
		for _, sub := range re.Sub {
			set = append(set, literalPrefixes(sub)...)
		}
		return set
	}
	// OpAnyChar, OpAnyCharNotNL and anything new: may start anywhere.
	return anything
}

// joinPrefix appends q to p. A run of white space followed by white space
// is cut there (open): hasPrefix skips a whole run before going on.
func joinPrefix(p string, q prefix) prefix {
	if len(p) >= 2 && p[len(p)-2] == wsMark && q.s != "" && (q.s[0] == wsMark || isASCIISpace(q.s[0])) {
		return prefix{s: p, open: true}
	}
	return prefix{s: p + q.s, open: q.open}
}

// prefixWeight is the length of p, a run of white space counting as one.
func prefixWeight(p string) int {
	return len(p) - strings.Count(p, string([]byte{wsMark}))
}

// isSpaceClass reports \s (with or without (?i)), or a part of it.
func isSpaceClass(re *syntax.Regexp) bool {
	return re.Op == syntax.OpCharClass && len(re.Rune) > 0 && classWithin(re.Rune, asciiWS)
}

// lenBound bounds the length in bytes of a match: fixed bytes, plus one
// run of \s bytes per space and one run of \w bytes per word (the longest
// runs of the text searched).
type lenBound struct {
	fixed, space, word int
	unbounded          bool
}

func (b lenBound) in(t *scanText) int {
	return b.fixed + b.space*t.spaceRun + b.word*t.wordRun
}

func (b lenBound) plus(c lenBound) lenBound {
	return lenBound{b.fixed + c.fixed, b.space + c.space, b.word + c.word, b.unbounded || c.unbounded}
}

func (b lenBound) times(n int) lenBound {
	return lenBound{b.fixed * n, b.space * n, b.word * n, b.unbounded}
}

// maxMatchLen bounds the length of a match of re. Repetitions without an
// upper bound are bounded only when they repeat \s or \w (as a pattern
// compiled with (?i) has them: \w then also holds ſ and the Kelvin sign,
// which a searched text never holds: see scanText.slow).
func maxMatchLen(re *syntax.Regexp) lenBound {
	switch re.Op {
	case syntax.OpNoMatch, syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return lenBound{}
	case syntax.OpLiteral:
		var b lenBound
		for _, r := range re.Rune {
			w := utf8.RuneLen(r)
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					w = max(w, utf8.RuneLen(f))
				}
			}
			b.fixed += w
		}
		return b
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return lenBound{fixed: utf8.UTFMax}
	case syntax.OpCapture, syntax.OpQuest:
		return maxMatchLen(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return unboundedRun(re.Sub[0])
	case syntax.OpRepeat:
		if re.Max < 0 {
			return unboundedRun(re.Sub[0])
		}
		return maxMatchLen(re.Sub[0]).times(re.Max)
	case syntax.OpConcat:
		var b lenBound
		for _, sub := range re.Sub {
			b = b.plus(maxMatchLen(sub))
		}
		return b
	case syntax.OpAlternate:
		var b lenBound
		for _, sub := range re.Sub {
			c := maxMatchLen(sub)
			b = lenBound{max(b.fixed, c.fixed), max(b.space, c.space), max(b.word, c.word), b.unbounded || c.unbounded}
		}
		return b
	}
	return lenBound{unbounded: true}
}

// unboundedRun bounds sub repeated without limit.
func unboundedRun(sub *syntax.Regexp) lenBound {
	if sub.Op == syntax.OpCharClass {
		switch {
		case classWithin(sub.Rune, asciiWS):
			return lenBound{space: 1}
		case classWithin(sub.Rune, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_\u017f\u212a"):
			return lenBound{word: 1}
		}
	}
	return lenBound{unbounded: true}
}

// classWithin reports a class (pairs of bounds) whose runes are all in set.
func classWithin(ranges []rune, set string) bool {
	for i := 0; i+1 < len(ranges); i += 2 {
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			if !strings.ContainsRune(set, r) {
				return false
			}
		}
	}
	return true
}

// runeVariants returns the runes as strings, lower-cased like lowerASCII,
// with every case-folded form when fold is set. ſ and the Kelvin sign are
// left out: texts holding them are searched with the plain pattern.
func runeVariants(runes []rune, fold bool) []string {
	var out []string
	add := func(r rune) {
		if r == '\u017f' || r == '\u212a' {
			return
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if s := string(r); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, r := range runes {
		add(r)
		if fold {
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				add(f)
			}
		}
	}
	return out
}

func crossStrings(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// minimalPrefixes drops duplicates and prefixes that extend another one
// (a text with the longer one has the shorter one too).
func minimalPrefixes(set []string) []string {
	s := slices.Clone(set)
	slices.Sort(s)
	s = slices.Compact(s)
	var out []string
	for _, p := range s {
		if len(out) > 0 && strings.HasPrefix(p, out[len(out)-1]) {
			continue
		}
		out = append(out, p)
	}
	return out
}
