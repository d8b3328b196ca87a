package jobs

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// fold returns s lower-cased, without accents or Arabic diacritics,
// punctuation turned into single spaces: the key every lookup table uses so
// that "Fès", "FES" and "fes" meet.
func fold(s string) string {
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

// collapseSpace trims s and turns every run of white space into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
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
			t := string(z.Text())
			if inPre > 0 {
				b.WriteString(t)
			} else {
				b.WriteString(strings.ReplaceAll(t, "\r", ""))
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
func tidyLines(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = collapseSpace(l)
		if l == "" || l == "-" {
			if len(out) > 0 {
				blank = true
			}
			continue
		}
		if blank && !strings.HasPrefix(l, "- ") {
			out = append(out, "")
		}
		blank = false
		out = append(out, l)
	}
	return strings.Join(out, "\n")
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
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
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
	return b.String()
}
