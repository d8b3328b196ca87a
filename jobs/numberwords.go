package jobs

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Experience is often written in words: "au moins huit années", "five+
// years", "deux à trois ans", "ten-plus years", "two or more years",
// "خمس سنوات خبرة", "سنتين". spellYears rewrites such amounts, and only
// those right before a unit of years, as the digits the experience reader
// already reads ("8 annees", "5+ years", "2-3 ans", "10+ years", "2+
// years"). Numbers elsewhere stay words, so the salary reader (which reads
// the original text) and every other reader never see them.

// numberWords are the cardinals 1–20 in English and French (lower case,
// without accents), and the article-like "a" / "an" read as one only
// right before the unit ("a year of experience").
var numberWords = map[string]int{
	"zero": 0,
	"one":  1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
	"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
	"dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
	// Vague amounts read by their least: "a few years", "quelques
	// années", "several years", "plusieurs années" (a couple of: below).
	"few": 2, "quelques": 2, "several": 3, "plusieurs": 3,
	// Round amounts: "une douzaine d'années", "a dozen years".
	"dozen": 12, "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20,
	// A beginner opens a range at zero: "débutant à 2 ans", "beginner to
	// two years" (alone before a unit they are no amount: see amountBefore).
	"debutant": 0, "debutante": 0, "debutants": 0, "debutantes": 0, "beginner": 0, "beginners": 0,
}

// rangeOnly are numberWords that count only as the lower end of a range.
var rangeOnly = map[string]bool{"debutant": true, "debutante": true, "debutants": true, "debutantes": true, "beginner": true, "beginners": true}

// monthUnits are the words for a month: "douze mois", "18 months of
// experience" are read as whole years (12 → 1, 6 → 0).
var monthUnits = map[string]bool{"mois": true, "month": true, "months": true, "monate": true, "monaten": true}

// decadeUnits are the words for ten years: "a decade of experience",
// "plus d'une décennie", "two decades" are read as years (1 → 10).
var decadeUnits = map[string]bool{"decade": true, "decades": true, "decennie": true, "decennies": true}

// yearUnits are the words for a year (after lowerQuotes(stripAccents)).
var yearUnits = map[string]bool{
	"year": true, "years": true, "yr": true, "yrs": true, "an": true, "ans": true,
	"annee": true, "annees": true, "jahr": true, "jahre": true, "jahren": true,
}

// plusWords after an amount: "two or more years", "cinq ans et plus" is
// read by the pattern itself; these are the forms before the unit.
var plusTails = []string{"or more", "ou plus", "and more", "et plus", "or above", "plus"}

// rangeWords join the two ends of a range written in words.
var rangeWords = map[string]bool{"to": true, "a": true, "ou": true, "or": true, "et": true, "and": true, "-": true}

// unitStems start every unit of time spellYears looks for.
var unitStems = [...]string{"year", "yr", "an", "jahr", "mois", "month", "monat", "decade", "decenni"}

// spellYears returns s (lower case, no accents) with amounts of years
// written in words replaced by digits. It returns s itself when there is
// nothing to replace. Each stem is searched once through s.
func spellYears(s string) string {
	var b strings.Builder
	last := 0 // s[:last] is written (or untouched when b is empty)
	var next [len(unitStems)]int
	for k, stem := range unitStems {
		next[k] = strings.Index(s, stem)
	}
	i := 0
	for {
		// The nearest stem at or after i.
		best := -1
		for k, stem := range unitStems {
			for next[k] >= 0 && next[k] < i {
				if n := strings.Index(s[next[k]+1:], stem); n >= 0 {
					next[k] += 1 + n
				} else {
					next[k] = -1
				}
			}
			if next[k] >= 0 && (best < 0 || next[k] < next[best]) {
				best = k
			}
		}
		if best < 0 {
			break
		}
		j := next[best]
		n := 0
		if j == 0 || !isWordByte(s[j-1]) {
			n = unitLen(s, j)
		}
		if n == 0 {
			i = j + 1
			continue
		}
		k := j + n
		months := monthUnits[s[j:k]]
		if decadeUnits[s[j:k]] {
			months = false
		}
		if start, repl, ok := amountBefore(s, j, months, decadeUnits[s[j:k]]); ok && start >= last {
			if b.Len() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[last:start])
			b.WriteString(repl)
			last = j
			if months || decadeUnits[s[j:k]] {
				b.WriteString("ans")
				last = k
			}
		}
		i = k
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// unitLen is the length of the year unit at s[i:], 0 when there is none.
func unitLen(s string, i int) int {
	j := i
	for j < len(s) && isWordByte(s[j]) {
		j++
	}
	if yearUnits[s[i:j]] || monthUnits[s[i:j]] || decadeUnits[s[i:j]] {
		return j - i
	}
	return 0
}

// amountBefore reads the amount written before the unit at j: "huit ",
// "five+ ", "deux a trois ", "ten-plus ", "two or more ", "dix-huit ". It
// returns where the amount starts and its digits (with a trailing space).
// An amount of digits only is left to the pattern.
//
// Before a month unit (months), any amount is rewritten as whole years,
// and the caller replaces the unit with "ans"; before a decade unit
// (decades), likewise as ten years each.
func amountBefore(s string, j int, months, decades bool) (int, string, bool) {
	k := skipSpaceBack(s, j)
	plus := false
	if k > 0 && s[k-1] == '+' {
		plus, k = true, skipSpaceBack(s, k-1)
	} else {
		for _, t := range plusTails {
			if strings.HasSuffix(s[:k], t) && (k == len(t) || !isWordByte(s[k-len(t)-1])) {
				plus, k = true, skipSpaceBack(s, k-len(t))
				if k > 0 && s[k-1] == '-' { // "ten-plus"
					k--
				}
				break
			}
		}
	}
	if k >= 2 && s[k-2:k] == "d'" && strings.HasSuffix(s[:skipSpaceBack(s, k-2)], "aine") {
		k = skipSpaceBack(s, k-2) // "une douzaine d'annees"
	}
	hi, start, word, ok := numberBefore(s, k, j)
	if !ok || rangeOnly[s[start:k]] {
		return 0, "", false
	}
	lo := hi
	// A range: "deux a trois", "one to two", "4-6".
	k = skipSpaceBack(s, start)
	sep := k
	for sep > 0 && isWordByte(s[sep-1]) {
		sep--
	}
	if sep == k && k > 0 && s[k-1] == '-' {
		sep = k - 1
	}
	if rangeWords[s[sep:k]] && !plus {
		if n, st, w, ok := numberBefore(s, skipSpaceBack(s, sep), j); ok {
			lo, start, word = n, st, word || w
		}
	}
	if months {
		if hi > 60 {
			return 0, "", false
		}
		lo, hi = lo/12, hi/12
	} else if decades {
		if hi > 5 {
			return 0, "", false
		}
		lo, hi = lo*10, hi*10
	} else if !word && !plus {
		return 0, "", false
	}
	out := strconv.Itoa(lo)
	switch {
	case plus:
		out += "+"
	case hi != lo:
		out += "-" + strconv.Itoa(hi)
	}
	return start, out + " ", true
}

// numberBefore reads the number (digits or words) ending at k; word tells
// whether it was written in words. The article "a" counts only when the
// unit follows it directly (end == k after spaces).
func numberBefore(s string, k, unit int) (n, start int, word, ok bool) {
	i := k
	for i > 0 && isWordByte(s[i-1]) {
		i--
	}
	w := s[i:k]
	if w == "" {
		return 0, 0, false, false
	}
	if d, err := strconv.Atoi(w); err == nil {
		if len(w) > 2 {
			return 0, 0, false, false
		}
		return d, i, false, true
	}
	if w == "a" && skipSpaceBack(s, unit) == k && !afterAmount(s, i) {
		return 1, i, true, true
	}
	if w == "of" && strings.HasSuffix(s[:skipSpaceBack(s, i)], "couple") {
		// "a couple of years"
		return 2, skipSpaceBack(s, i) - len("couple"), true, true
	}
	v, found := numberWords[w]
	if !found {
		return 0, 0, false, false
	}
	// Compounds: "dix-sept", "twenty-one", "vingt-deux".
	if i > 1 && s[i-1] == '-' && v < 10 {
		p := i - 1
		for p > 0 && isWordByte(s[p-1]) {
			p--
		}
		switch s[p : i-1] {
		case "dix":
			if v >= 7 {
				v, i = 10+v, p
			}
		case "twenty", "vingt":
			v, i = 20+v, p
		}
	}
	return v, i, true, true
}

// afterAmount reports an amount of money right before s[i:]: "$90,000 a
// year", "120k USD a year", "45 000 € a year" is a period of pay, not one
// year (the salary reader reads this text too).
func afterAmount(s string, i int) bool {
	j := skipSpaceBack(s, i)
	if j == 0 {
		return false
	}
	if c := s[j-1]; c >= '0' && c <= '9' || c == '$' {
		return true
	}
	if strings.HasSuffix(s[:j], "€") || strings.HasSuffix(s[:j], "£") {
		return true
	}
	w := j
	for w > 0 && isWordByte(s[w-1]) {
		w--
	}
	word := s[w:j]
	if word == "k" {
		return true
	}
	_, cur := currencyWords[word]
	return cur && w > 0 && strings.ContainsAny(s[max(0, w-3):w], "0123456789")
}

func skipSpaceBack(s string, k int) int {
	for k > 0 && (s[k-1] == ' ' || s[k-1] == '\t' || s[k-1] == '\n') {
		k--
	}
	return k
}

// arabicNumberWords are the Arabic cardinals 1–10 as folded text writes
// them (hamza dropped: "اربع", not "أربع"), masculine and feminine.
var arabicNumberWords = map[string]string{
	"واحد": "1", "واحدة": "1", "اثنان": "2", "اثنين": "2", "اثنتان": "2", "اثنتين": "2",
	"ثلاث": "3", "ثلاثة": "3", "اربع": "4", "اربعة": "4", "خمس": "5", "خمسة": "5",
	"ست": "6", "ستة": "6", "سبع": "7", "سبعة": "7", "ثمان": "8", "ثماني": "8", "ثمانية": "8",
	"تسع": "9", "تسعة": "9", "عشر": "10", "عشرة": "10",
}

// arabicYearWords are the units the Arabic experience pattern reads; a
// dual ("سنتين", "عامين") is two of them.
var (
	arabicYearWords = map[string]bool{"سنوات": true, "سنة": true, "سنين": true, "عام": true, "اعوام": true, "أعوام": true}
	arabicYearDuals = map[string]bool{"سنتين": true, "سنتان": true, "عامين": true, "عامان": true}
)

// spellArabicYears rewrites Arabic amounts of years in words as digits:
// "خمس سنوات" → "5 سنوات", "سنتين" → "2 سنوات", "سنة واحدة" → "1 سنة".
// Number words not next to a unit are kept.
func spellArabicYears(s string) string {
	words := strings.Fields(s)
	changed := false
	for i, w := range words {
		core := strings.TrimRight(w, ".,;:،؛)")
		tail := w[len(core):]
		switch {
		case arabicYearDuals[core]:
			words[i], changed = "2 سنوات"+tail, true
		case arabicNumberWords[core] != "" && i+1 < len(words) && (arabicYearWords[strings.TrimRight(words[i+1], ".,;:،؛)")] || arabicNumberWordJoin(words, i+1)):
			// "خمس سنوات"; a range "ثلاث إلى خمس سنوات" keeps its first end.
			words[i], changed = arabicNumberWords[core]+tail, true
		case (core == "سنة" || core == "عام") && i+1 < len(words) && arabicRangeJoin[words[i+1]] &&
			(i > 0 && (words[i-1] == "من" || arabicExperienceWords[words[i-1]]) || i+2 < len(words) && arabicRangeEnd(words[i+2]) && (i == 0 || !startsWithDigit(words[i-1]))):
			// "من سنة إلى سنتين", "خبرة سنة إلى سنتين", "الخبرة: سنة إلى
			// سنتين": a bare singular unit opening a range is one year.
			words[i], changed = "1 "+core+tail, true
		case (core == "سنة" || core == "عام") && i > 0 && (words[i-1] == "عن" || words[i-1] == "من" && i > 1 && (words[i-2] == "أكثر" || words[i-2] == "اكثر")) &&
			(i+1 == len(words) || !startsWithDigit(words[i+1])):
			// "خبرة لا تقل عن سنة", "أكثر من عام": a bare singular unit
			// after a bound is one year ("عن سنة 2020" is a date).
			words[i], changed = "1 "+core+tail, true
		case arabicNumberWords[core] != "" && i > 0 && arabicYearWords[words[i-1]]:
			// "سنة واحدة": the number after the unit.
			words[i-1], words[i], changed = arabicNumberWords[core], words[i-1]+tail, true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(words, " ")
}

// startsWithDigit reports a word starting with an ASCII or Arabic-Indic
// digit.
func startsWithDigit(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return r >= '0' && r <= '9' || r >= '٠' && r <= '٩'
}

// arabicExperienceWords may stand right before a range of years with no
// "من": "خبرة سنة إلى سنتين".
var arabicExperienceWords = map[string]bool{"خبرة": true, "الخبرة": true, "تجربة": true, "التجربة": true}

// arabicRangeJoin are the words joining the two ends of a range.
var arabicRangeJoin = map[string]bool{"الى": true, "إلى": true, "او": true, "أو": true, "-": true}

// arabicNumberWordJoin reports "إلى خمس سنوات" / "و خمس سنوات" at words[i:]:
// the other end of a range before the unit.
func arabicNumberWordJoin(words []string, i int) bool {
	if i+2 >= len(words) {
		return false
	}
	switch words[i] {
	case "الى", "إلى", "او", "أو", "-":
	default:
		return false
	}
	_, ok := arabicNumberWords[words[i+1]]
	return ok && arabicYearWords[strings.TrimRight(words[i+2], ".,;:،؛)")]
}
