package jobs

import (
	"bytes"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// lowerSameOffsets lower-cases s rune by rune, keeping a rune unchanged
// when its lower case is encoded on another number of bytes ("Ⱥ" is 2 bytes,
// "ⱥ" 3; "İ" 2, "i" 1) and keeping invalid bytes as they are. Every byte
// offset of the result is therefore an offset of s at the same character:
// use it, never strings.ToLower, wherever a position found in lower-cased
// text is used to cut the original.
func lowerSameOffsets(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, len(s))
	copy(b, s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b[i] = c
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if l := unicode.ToLower(r); r != utf8.RuneError && l != r && utf8.RuneLen(l) == w {
			utf8.EncodeRune(b[i:], l)
		} else {
			copy(b[i:i+w], s[i:i+w])
		}
		i += w
	}
	return string(b)
}

// fold returns s lower-cased, without accents or Arabic diacritics,
// punctuation turned into single spaces: the key every lookup table uses so
// that "Fès", "FES" and "fes" meet.
func fold(s string) string {
	if k, ok := foldLatin(s); ok {
		return k
	}
	return foldSlow(s)
}

// foldSlow is fold for any text.
func foldSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppress leading space
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى':
			r = 'ي'
		case r == 'ß':
			b.WriteString("ss")
			space = false
			continue
		case r == 'ø':
			r = 'o'
		case r == 'ł':
			r = 'l'
		case r == 'æ':
			b.WriteString("ae")
			space = false
			continue
		case r == 'œ':
			b.WriteString("oe")
			space = false
			continue
		case r == '\'' || r == '’' || r == '.':
			// "Xi'an", "U.S.A." and "St. Louis" fold without a gap.
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// foldLatin is fold for text of ASCII and precomposed Latin letters
// (ok=false for anything else). Such letters decompose into a base letter
// and marks with no reordering across them, so each folds on its own.
func foldLatin(s string) (string, bool) {
	table := foldedLetters()
	var b []byte
	space := true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case c == '\'' || c == '.':
				continue
			default:
				if !space {
					b = append(b, ' ')
					space = true
				}
				continue
			}
			if b == nil {
				b = make([]byte, 0, len(s))
			}
			b = append(b, c)
			space = false
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r >= rune(len(table)) || table[r] == "" {
			return "", false
		}
		b = append(b, table[r]...)
		space = false
		i += w
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b), true
}

// foldedLetters holds fold of each letter of Latin-1 and Latin Extended
// that folds to letters alone; "" for other runes.
var foldedLetters = sync.OnceValue(func() []string {
	t := make([]string, 0x250)
	for r := rune(utf8.RuneSelf); r < rune(len(t)); r++ {
		if !unicode.IsLetter(r) {
			continue
		}
		k := foldSlow(string(r))
		if k != "" && strings.IndexFunc(k, func(x rune) bool { return !unicode.IsLetter(x) }) < 0 {
			t[r] = k
		}
	}
	return t
})

// collapseSpace trims s and turns every run of white space into one space
// (white space as unicode.IsSpace says, like strings.Fields).
func collapseSpace(s string) string {
	if isCollapsed(s) {
		return s
	}
	return string(appendCollapsed(make([]byte, 0, len(s)), s))
}

// asciiSpace marks the ASCII bytes unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// isCollapsed reports ASCII text that collapseSpace would leave as it is.
func isCollapsed(s string) bool {
	prevSpace := true // no leading space
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return false
		}
		if asciiSpace[c] {
			if c != ' ' || prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

// appendCollapsed appends the fields of s (as strings.Fields cuts them)
// joined by single spaces.
func appendCollapsed(dst []byte, s string) []byte {
	start := len(dst)
	pending := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && !asciiSpace[c] {
			// A run of ASCII bytes that are not space, copied at once.
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf && !asciiSpace[s[j]] {
				j++
			}
			if pending {
				dst = append(dst, ' ')
				pending = false
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		w := 1
		space := false
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
		} else {
			var r rune
			r, w = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		if space {
			pending = len(dst) > start
			i += w
			continue
		}
		if pending {
			dst = append(dst, ' ')
			pending = false
		}
		dst = append(dst, s[i:i+w]...)
		i += w
	}
	return dst
}

// truncateRunes cuts s to at most maxBytes bytes without splitting a rune.
func truncateRunes(s string, maxBytes int) string {
	if len(s) <= maxBytes {
		return s
	}
	cut := maxBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// blockAtoms end a line of text when they open or close.
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Tr: true, atom.Table: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Blockquote: true, atom.Pre: true, atom.Hr: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Main: true, atom.Aside: true, atom.Nav: true,
	atom.Figure: true, atom.Figcaption: true, atom.Address: true, atom.Form: true,
}

// skipAtoms have content that is never readable text.
var skipAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Svg: true, atom.Head: true,
	atom.Select: true, atom.Button: true, atom.Textarea: true, atom.Canvas: true,
}

// HTMLToText turns HTML from outside into readable plain text: block elements
// and list items become lines ("- " for items), entities are decoded, scripts,
// styles and comments are dropped, and HTML that was escaped once more
// ("&lt;p&gt;Hello&lt;/p&gt;", common in feeds and APIs) is unescaped first.
// Plain text passes through with its lines kept.
func HTMLToText(s string) string {
	for range 2 {
		if !looksEscapedHTML(s) {
			break
		}
		s = html.UnescapeString(s)
	}
	var (
		b     strings.Builder
		skip  int
		inPre int
	)
	z := html.NewTokenizer(strings.NewReader(s))
	newline := func() { b.WriteByte('\n') }
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return tidyLines(b.String())
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := z.Text()
			if inPre > 0 || bytes.IndexByte(t, '\r') < 0 {
				b.Write(t)
			} else {
				b.WriteString(strings.ReplaceAll(string(t), "\r", ""))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipAtoms[a] {
				if tt == html.StartTagToken {
					skip++
				}
				continue
			}
			if skip > 0 {
				continue
			}
			switch {
			case a == atom.Li:
				b.WriteString("\n- ")
			case a == atom.Pre:
				inPre++
				newline()
			case a == atom.Td || a == atom.Th:
				b.WriteByte(' ')
			case a == atom.Img:
				// Alt text is content when an image stands for words.
				for {
					k, v, more := z.TagAttr()
					if string(k) == "alt" && len(v) > 0 {
						b.WriteString(" " + string(v) + " ")
					}
					if !more {
						break
					}
				}
			case blockAtoms[a]:
				newline()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipAtoms[a] {
				if skip > 0 {
					skip--
				}
				continue
			}
			if skip > 0 {
				continue
			}
			if a == atom.Pre && inPre > 0 {
				inPre--
			}
			if blockAtoms[a] {
				newline()
			}
		}
	}
}

// looksEscapedHTML reports text whose tags were escaped into entities.
func looksEscapedHTML(s string) bool {
	if strings.Contains(s, "<") && !strings.Contains(s, "&lt;") {
		return false
	}
	l := strings.ToLower(s)
	for _, t := range []string{"&lt;p", "&lt;br", "&lt;div", "&lt;li", "&lt;ul", "&lt;/", "&lt;strong", "&lt;h", "&lt;span", "&lt;b&gt;", "&lt;a "} {
		if strings.Contains(l, t) {
			// Real tags around escaped tags mean the escapes are content.
			return strings.Count(l, "&lt;") > strings.Count(l, "<")
		}
	}
	return false
}

// tidyLines collapses spaces inside lines, trims them, and keeps at most one
// blank line between paragraphs.
// (A no-break space is white space to collapseSpace, as to strings.Fields.)
func tidyLines(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var line []byte
	started, blank := false, false
	for more := true; more; {
		var l string
		l, s, more = strings.Cut(s, "\n")
		line = appendCollapsed(line[:0], l)
		if len(line) == 0 || (len(line) == 1 && line[0] == '-') {
			blank = blank || started
			continue
		}
		if blank && !(len(line) >= 2 && line[0] == '-' && line[1] == ' ') {
			b.WriteByte('\n') // the blank line between paragraphs
		}
		if started {
			b.WriteByte('\n')
		}
		blank, started = false, true
		b.Write(line)
	}
	return b.String()
}

// stripAccents removes combining marks ("é" -> "e") and keeps everything
// else, so ASCII patterns with \b (ASCII word boundaries in Go) match
// French and German text.
func stripAccents(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	if !utf8.ValidString(s) {
		// x/text/norm reads invalid bytes depending on what is around
		// them: the whole text at once.
		stripPiece(&b, s)
		return b.String()
	}
	// ASCII characters neither decompose nor reorder with marks, so the
	// text is decomposed piece by piece between them; a piece of one
	// common rune is looked up.
	table := strippedRunes()
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] < utf8.RuneSelf {
			j++
		}
		b.WriteString(s[i:j])
		k := j
		for k < len(s) && s[k] >= utf8.RuneSelf {
			k++
		}
		if piece := s[j:k]; piece != "" {
			r, w := utf8.DecodeRuneInString(piece)
			if w == len(piece) && r != utf8.RuneError && r < rune(len(table)) && table[r] != nil {
				b.WriteString(*table[r])
			} else {
				stripPiece(&b, piece)
			}
		}
		i = k
	}
	return b.String()
}

// stripPiece writes stripAccents of a piece of text.
func stripPiece(b *strings.Builder, s string) {
	for _, r := range norm.NFD.String(s) {
		if r >= 0x300 && unicode.Is(unicode.Mn, r) { // no mark below U+0300
			continue
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
			continue
		case '’':
			r = '\''
		case '\u00a0', '\u202f':
			r = ' '
		}
		b.WriteRune(r)
	}
}

// strippedRunes holds stripAccents of each rune of Latin-1, Latin
// Extended and general punctuation alone.
var strippedRunes = sync.OnceValue(func() []*string {
	t := make([]*string, 0x2070)
	for r := rune(utf8.RuneSelf); r < rune(len(t)); r++ {
		if r >= 0x250 && r < 0x2000 || !utf8.ValidRune(r) {
			continue
		}
		var b strings.Builder
		stripPiece(&b, string(r))
		s := b.String()
		t[r] = &s
	}
	return t
})
