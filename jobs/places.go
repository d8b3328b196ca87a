package jobs

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Places in prose. When a posting gives no place, the text often does:
// "Poste en présentiel à Casablanca (quartier Maârif)", "Vous serez
// basé(e) à Fès", "Lieu de travail : Tétouan", "Our Tangier office", and
// titles name the city without a separator ("Data Engineer Oujda").

// placeCueWords come right before a place ("à Fès", "in Rabat", "Lieu :").
var placeCueWords = wordSet("a", "in", "at", "en", "au", "de", "du", "lieu", "location", "localisation", "ville", "city",
	"based", "base", "basee", "situe", "situee", "located", "our", "nos", "notre", "bureaux", "bureau", "locaux",
	"agence", "siege", "office", "offices", "campus", "site", "travail", "poste", "في", "ب", "بمدينة", "مدينة",
	"مقر", "المقر", "مكان", "موقع", "مكتب", "المكتب", "مكتبنا", "مكاتب", "مكاتبنا",
	// Moroccan darija "in": "L'khedma f Fès".
	"f", "fi",
	// "site d'Oujda"; a board's region field ("Région : Rabat et région").
	"d", "region")

// placeStrongCues make the place the job's own ("basé à", "Lieu :").
var placeStrongCues = wordSet("lieu", "location", "localisation", "ville", "city", "based", "base", "basee", "situe",
	"situee", "located", "bureaux", "bureau", "locaux", "agence", "siege", "office", "offices", "presentiel", "poste",
	"our", "nos", "notre", "بمدينة", "مدينة",
	// Arabic seat, place and office of work: "مقر العمل: وجدة", "مكان
	// العمل : فاس", "مكتبنا في طنجة".
	"مقر", "المقر", "مكان", "موقع", "مكتب", "المكتب", "مكتبنا", "مكاتب", "مكاتبنا")

// placesInText returns the first place a text names after a place cue,
// preferring a strong cue; only cities of the gazetteer are read, and in
// Latin script only capitalised words.
func placesInText(text string) (Location, bool) {
	if len(text) > 20000 {
		text = truncateRunes(text, 20000)
	}
	g := geo()
	pt := placeWords(text)
	words := pt.words
	var weak, firstStrong *Location
	for i := range words {
		w := words[i]
		if !w.upper {
			continue
		}
		// Two-word names first ("El Jadida", "Béni Mellal").
		for n := 3; n >= 1; n-- {
			if i+n > len(words) {
				continue
			}
			key := ""
			for k := i; k < i+n; k++ {
				if k > i {
					key += " "
				}
				key += pt.keyOf(k)
			}
			c, ok := g.cities[key]
			glued := false
			if !ok {
				// Arabic glues "in" to the place: "بوجدة", "بالرباط",
				// "وبفاس"; the preposition is the cue.
				if rest, cut := cutArabicIn(key); cut {
					c, ok = g.cities[rest]
					key, glued = rest, ok
				}
			}
			if !ok || len(key) < 3 {
				continue
			}
			strong, cued, labelled := false, glued, false
			for k := i - 1; k >= 0 && k >= i-3; k-- {
				if placeStrongCues[pt.keyOf(k)] {
					strong, cued, labelled = true, true, placeLabels[pt.keyOf(k)] && colonAfter(text, words[k].end)
					break
				}
				if placeCueWords[pt.keyOf(k)] {
					cued = true
				}
			}
			if words[i].lineStart && c.Country == "MA" {
				cued = true // a line that starts with a Moroccan city: page furniture
			}
			if !cued {
				break
			}
			l := Location{City: c.Name, Country: c.Country}
			if b, ok := bracketCity(pt, i+n); ok && b.Country == c.Country {
				// "Sidi Maârouf (Casablanca)": the city the bracket
				// names holds the district before it.
				l = b
			}
			if labelled {
				return l, true
			}
			if strong && firstStrong == nil {
				firstStrong = &l
			}
			if weak == nil {
				weak = &l
			}
			break
		}
	}
	if firstStrong != nil {
		return *firstStrong, true
	}
	if weak != nil {
		return *weak, true
	}
	return Location{}, false
}

// placeLabels are the labels of a place field ("Lieu : Paris", "Ville :
// Oujda"): the job's own place, before any other strong cue ("notre
// équipe produit basée à Londres").
var placeLabels = wordSet("lieu", "location", "localisation", "ville", "city")

// colonAfter reports a colon right after text[:i] (spaces skipped): the
// word before it is a label.
func colonAfter(text string, i int) bool {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	return i < len(text) && text[i] == ':'
}

// cutArabicIn removes the preposition ب ("in", "at") glued to an Arabic
// word, also after the conjunction و.
func cutArabicIn(key string) (string, bool) {
	if key == "" || key[0] < utf8.RuneSelf {
		return "", false
	}
	for _, p := range [...]string{"وب", "ب"} {
		if rest, ok := strings.CutPrefix(key, p); ok && utf8.RuneCountInString(rest) >= 3 {
			return rest, true
		}
	}
	return "", false
}

type placeWord struct {
	start, end int
	upper      bool // capitalised, or in a script without case
	lineStart  bool
	key        string // folded, filled by keyOf
	folded     bool
}

// placeText is a text cut into words whose folded forms are computed on
// demand: each fold is of the word itself, so no position of a folded
// text is used on the original.
type placeText struct {
	s     string
	words []placeWord
}

func (p *placeText) keyOf(i int) string {
	w := &p.words[i]
	if !w.folded {
		w.key, w.folded = fold(p.s[w.start:w.end]), true
	}
	return w.key
}

// placeWords cuts text into words (letters, marks and apostrophes or
// hyphens inside).
func placeWords(text string) *placeText {
	p := &placeText{s: text}
	start := -1
	line := true
	flush := func(end int) {
		if start < 0 {
			return
		}
		r, _ := utf8.DecodeRuneInString(text[start:end])
		up := unicode.IsUpper(r) || (!unicode.IsLower(r) && unicode.IsLetter(r))
		p.words = append(p.words, placeWord{start: start, end: end, upper: up, lineStart: line})
		line = false
		start = -1
	}
	for i, r := range text {
		if (r == '\'' || r == '’') && start >= 0 && i-start == 1 && strings.IndexByte("dlDL", text[start]) >= 0 {
			// An elided article is a word of its own: "site d'Oujda",
			// "l'agence d'Agadir".
			flush(i)
			continue
		}
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || ((r == '\'' || r == '’' || r == '-') && start >= 0) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		if r == '\n' {
			line = true
		}
	}
	flush(len(text))
	return p
}

// titleCityWords are the words before a city at the end of a title that
// show the city is not part of the job's name.
func cityAtTitleEnd(title string) (Location, bool) {
	pt := placeWords(title)
	words := pt.words
	if len(words) < 2 {
		return Location{}, false
	}
	g := geo()
	for n := 2; n >= 1; n-- {
		if len(words)-n < 1 {
			continue
		}
		var keys []string
		for k := len(words) - n; k < len(words); k++ {
			keys = append(keys, pt.keyOf(k))
		}
		if !words[len(words)-n].upper {
			continue
		}
		c, ok := g.cities[strings.Join(keys, " ")]
		// Without a separator only Moroccan cities are read: a word at the
		// end of a title is too often a place elsewhere by chance
		// ("Mobile", "Reading").
		if ok && c.Country == "MA" {
			return Location{City: c.Name, Country: c.Country}, true
		}
	}
	return Location{}, false
}

// bracketCity is the city of the gazetteer a bracket opening right before
// word j names alone ("(Casablanca)").
func bracketCity(pt *placeText, j int) (Location, bool) {
	if j >= len(pt.words) {
		return Location{}, false
	}
	between := strings.TrimSpace(pt.s[pt.words[j-1].end:pt.words[j].start])
	if between != "(" {
		return Location{}, false
	}
	for n := 3; n >= 1; n-- {
		if j+n > len(pt.words) {
			continue
		}
		var keys []string
		for k := j; k < j+n; k++ {
			keys = append(keys, pt.keyOf(k))
		}
		after := pt.s[pt.words[j+n-1].end:]
		if !strings.HasPrefix(strings.TrimSpace(after), ")") {
			continue
		}
		if c, ok := geo().cities[strings.Join(keys, " ")]; ok {
			return Location{City: c.Name, Country: c.Country}, true
		}
	}
	return Location{}, false
}
