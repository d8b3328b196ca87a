package skills

import (
	"strings"
	"unicode"
)

// DisplayLabel is the label a reader of locale ("en", "fr", "ar") should
// see for a skill id; a label instead of an id (older matches carry
// English labels) is looked up first. In Arabic, a name that the Arabic
// label only transliterates — a product or a proper name such as PyTorch
// written "باي تورش" — is shown as written in Latin script: the Arabic
// label is used only when it translates (Transliterates decides). Unknown
// skills are returned as given.
func (t *Taxonomy) DisplayLabel(idOrLabel, locale string) string {
	id := idOrLabel
	i, ok := t.byID[id]
	if !ok {
		if id, ok = t.Lookup(idOrLabel); !ok {
			return idOrLabel
		}
		i = t.byID[id]
	}
	c := t.concepts[i]
	en := c.Labels["en"]
	if en == "" {
		en = c.ID
	}
	switch locale {
	case "ar":
		ar := c.Labels["ar"]
		// A product's Arabic label that quotes its Latin name ("لغة
		// الاستعلامات SQL") or spells it names it: the name is shown.
		if ar == "" || Transliterates(ar, en) || (productKinds[c.Kind] && (strings.Contains(ar, en) || namesProduct(ar, en))) {
			return en
		}
		return ar
	case "fr":
		if fr := c.Labels["fr"]; fr != "" {
			return fr
		}
	}
	return en
}

// productKinds are the kinds whose concepts are products, named by their
// makers (languages, libraries, tools, ...), as opposed to fields and
// methods, which languages translate.
var productKinds = map[string]bool{
	"language": true, "library": true, "framework": true, "tool": true,
	"platform": true, "cloud": true, "database": true,
}

// namesProduct reports whether one word of the Arabic label of a product
// transliterates one word of its Latin name: "لغة رست" (the language
// Rust), "قاعدة بيانات أوراكل" (Oracle Database) name the product in
// Arabic letters around a translated common noun.
func namesProduct(ar, latin string) bool {
	lws := strings.FieldsFunc(latin, func(r rune) bool { return r == ' ' || r == '-' || r == '.' || r == '/' })
	for _, aw := range strings.Fields(ar) {
		for _, lw := range lws {
			if Transliterates(aw, lw) {
				return true
			}
		}
	}
	return false
}

// IsLatin reports whether s is written in Latin script (its letters are
// Latin; digits and punctuation do not count): in right-to-left text such
// a label is isolated so it keeps its own direction.
func IsLatin(s string) bool {
	latin := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.Is(unicode.Latin, r) {
				return false
			}
			latin = true
		}
	}
	return latin
}

// Transliterates reports whether the Arabic label ar only spells the Latin
// name latin in Arabic letters ("دوكر" for Docker, "سكروم" for Scrum)
// rather than translating it ("التعلم الآلي" for Machine learning). Both
// are reduced to a consonant skeleton (vowels and vowel letters dropped,
// letters that transcribe one another merged, the Arabic article "ال"
// removed) and compared: a transliteration keeps the consonants of the
// name in order, a translation does not. Latin letters inside ar are not
// part of its Arabic spelling and are ignored.
// An acronym (PHP, HTML, C) is also read letter by letter, as Arabic
// spells it ("بي إتش بي").
func Transliterates(ar, latin string) bool {
	a := arabicSkeleton(ar)
	if len(a) == 0 {
		return false
	}
	for _, l := range [][]byte{latinSkeleton(latin), latinSkeleton(spellAcronyms(latin))} {
		if len(l) > 0 && float64(lcs(a, l)) >= 0.75*float64(max(len(a), len(l))) {
			return true
		}
	}
	return false
}

// letterNames are the English names of the letters, as an acronym is read.
var letterNames = [26]string{"ei", "bi", "si", "di", "i", "ef", "ji", "eitsh", "ai", "jei", "kei", "el", "em",
	"en", "o", "bi", "kiu", "ar", "es", "ti", "iu", "fi", "dablyu", "eks", "wai", "zed"}

// spellAcronyms replaces each word written in capitals (or a single
// capital) by the names of its letters.
func spellAcronyms(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		up := 0
		for _, r := range w {
			if r >= 'a' && r <= 'z' {
				up = -1
				break
			}
			if r >= 'A' && r <= 'Z' {
				up++
			}
		}
		if up <= 0 {
			continue
		}
		var b strings.Builder
		for _, r := range w {
			if r >= 'A' && r <= 'Z' {
				b.WriteString(letterNames[r-'A'])
				b.WriteByte(' ')
			}
		}
		words[i] = b.String()
	}
	return strings.Join(words, " ")
}

// arabicClass maps an Arabic letter to the consonant class of the Latin
// letters it transcribes; 0 drops it (long vowels, hamza carriers, 'ayn,
// h sounds, which Latin names often leave silent).
var arabicClass = map[rune]byte{
	'ب': 'b', 'پ': 'b', 'ت': 't', 'ط': 't', 'ث': 't', 'ج': 'g', 'غ': 'g', 'گ': 'g',
	'خ': 'k', 'ك': 'k', 'ق': 'k', 'د': 'd', 'ذ': 'd', 'ض': 'd', 'ر': 'r',
	'ز': 's', 'ظ': 's', 'س': 's', 'ص': 's', 'ش': 's', 'ف': 'f', 'ڤ': 'f',
	'ل': 'l', 'م': 'm', 'ن': 'n',
}

func arabicSkeleton(s string) []byte {
	var out []byte
	for _, w := range strings.Fields(s) {
		if r := []rune(w); len(r) > 3 && r[0] == 'ا' && r[1] == 'ل' {
			w = string(r[2:]) // the article: "الويب" is "web"
		}
		for _, r := range w {
			switch {
			case r >= '0' && r <= '9':
				out = appendClass(out, byte(r))
			case r >= '٠' && r <= '٩':
				out = appendClass(out, byte('0'+r-'٠'))
			default:
				if c := arabicClass[r]; c != 0 {
					out = appendClass(out, c)
				}
			}
		}
	}
	return out
}

func latinSkeleton(s string) []byte {
	s = strings.ToLower(s)
	var out []byte
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		next := rune(0)
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch {
		case r >= '0' && r <= '9':
			out = appendClass(out, byte(r))
		case (r == 'p' && next == 'h') || (r == 'g' && next == 'h' && i > 0):
			out = appendClass(out, 'f')
			i++
		case (r == 's' || r == 'c') && next == 'h', r == 't' && next == 'h':
			if r == 't' {
				out = appendClass(out, 't')
			} else {
				out = appendClass(out, 's')
			}
			i++
		case r == 'c':
			if next == 'e' || next == 'i' || next == 'y' {
				out = appendClass(out, 's')
			} else {
				out = appendClass(out, 'k')
			}
		case r == 'x':
			out = appendClass(out, 'k')
			out = appendClass(out, 's')
		default:
			if c := latinClass(r); c != 0 {
				out = appendClass(out, c)
			}
		}
	}
	return out
}

// latinClass is the consonant class of a Latin letter (0: a vowel or a
// letter Arabic spellings render as one: h, w, y).
func latinClass(r rune) byte {
	switch r {
	case 'b', 'p':
		return 'b'
	case 'd':
		return 'd'
	case 'f', 'v':
		return 'f'
	case 'g', 'j':
		return 'g'
	case 'k', 'q':
		return 'k'
	case 'l', 'm', 'n', 'r', 't':
		return byte(r)
	case 's', 'z':
		return 's'
	}
	return 0
}

// appendClass appends c unless it repeats the last class (doubled letters
// are written once in Arabic).
func appendClass(out []byte, c byte) []byte {
	if n := len(out); n > 0 && out[n-1] == c {
		return out
	}
	return append(out, c)
}

// lcs is the length of the longest common subsequence of a and b.
func lcs(a, b []byte) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case cur[j] > prev[j+1]:
				cur[j+1] = cur[j]
			default:
				cur[j+1] = prev[j+1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
