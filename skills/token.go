package skills

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is one word of a text, with its byte span in the original text.
type token struct {
	start, end int
	// fold is the token lowercased, without accents or Arabic diacritics.
	fold string
	// line and sent number the line and sentence the token is in.
	line, sent int
	num        bool // digits, possibly with '.' or ','
}

// isWord reports whether r belongs to a word: letters, digits and combining
// marks (accents written as separate code points, Arabic harakat).
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

// isSentenceEnd reports whether r, outside a word, ends a sentence.
func isSentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', ';', '\n', '•', '·', '؟', '۔', '。':
		return true
	}
	return false
}

// wordEnd returns the end of the run of word runes starting at i.
func wordEnd(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWord(r) {
			break
		}
		i += size
	}
	return i
}

// wordAt reports whether a word rune starts at i.
func wordAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return isWord(r)
}

// shortSuffix reports whether s[i] is '.' followed by a word of 1 to 3
// ASCII letters or digits that ends the word ("node.js", "asp.net", "3.5"),
// and returns where that word ends.
func shortSuffix(s string, i int) (int, bool) {
	if i >= len(s) || s[i] != '.' {
		return 0, false
	}
	j := i + 1
	for j < len(s) && j-i <= 4 && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
		j++
	}
	if j == i+1 || j-i > 4 || wordAt(s, j) {
		return 0, false
	}
	return j, true
}

// tokenize splits s into folded tokens. Words are runs of letters and
// digits; a '.' joins a short suffix ("node.js", "asp.net") and starts
// ".net"; trailing "+", "++" or "#" stick to a word ("c++", "c#"); '&' is a
// token of its own; everything else separates.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/6+1)
	line, sent := 0, 0
	newSent := false
	prevWord := false
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		start := i
		switch {
		case isWord(r):
		case r == '.' && !prevWord:
			end, ok := shortSuffix(s, i)
			if !ok || !(s[i+1] >= 'a' && s[i+1] <= 'z' || s[i+1] >= 'A' && s[i+1] <= 'Z') {
				newSent = true
				i += size
				prevWord = false
				continue
			}
			if newSent {
				sent++
				newSent = false
			}
			toks = append(toks, token{start: start, end: end, fold: foldWord(s[start:end]), line: line, sent: sent})
			i = end
			prevWord = true
			continue
		case r == '&':
			if newSent {
				sent++
				newSent = false
			}
			toks = append(toks, token{start: i, end: i + 1, fold: "&", line: line, sent: sent})
			i++
			prevWord = false
			continue
		default:
			if r == '\n' {
				line++
			}
			if isSentenceEnd(r) {
				newSent = true
			}
			i += size
			prevWord = false
			continue
		}
		end := wordEnd(s, i)
		for {
			if e, ok := shortSuffix(s, end); ok {
				end = e
				continue
			}
			break
		}
		if end < len(s) && (s[end] == '+' || s[end] == '#') {
			k := end + 1
			if s[end] == '+' && k < len(s) && s[k] == '+' {
				k++
			}
			if !wordAt(s, k) {
				end = k
			}
		}
		if newSent {
			sent++
			newSent = false
		}
		w := s[start:end]
		toks = append(toks, token{start: start, end: end, fold: foldWord(w), line: line, sent: sent, num: isNumber(w)})
		i = end
		prevWord = true
	}
	return toks
}

func isNumber(w string) bool {
	digit := false
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c == '.' || c == ',' || c == '+':
		default:
			return false
		}
	}
	return digit
}

// foldWord lowercases w and removes accents and Arabic diacritics, and
// normalizes Arabic letter variants (alef forms, ta marbuta, alef maqsura,
// tatweel), so that labels and text compare equal however they are typed.
func foldWord(w string) string {
	ascii, upper := true, false
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if ascii {
		if !upper {
			return w
		}
		return strings.ToLower(w)
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range norm.NFKD.String(w) {
		if unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me) {
			continue
		}
		r = unicode.ToLower(r)
		switch r {
		case 'œ':
			b.WriteString("oe")
			continue
		case 'æ':
			b.WriteString("ae")
			continue
		case 'ß':
			b.WriteString("ss")
			continue
		case 'ı':
			r = 'i'
		case 'ø':
			r = 'o'
		case 'đ':
			r = 'd'
		case 'ł':
			r = 'l'
		case 'ـ': // tatweel
			continue
		case 'ٱ':
			r = 'ا'
		case 'ة':
			r = 'ه'
		case 'ى':
			r = 'ي'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldKey folds a whole label into its trie key: folded tokens joined by
// single spaces.
func foldKey(s string) string {
	toks := tokenize(s)
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.fold
	}
	return strings.Join(parts, " ")
}
