package jobs

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Spoken languages an ad requires. A language counts only when the ad asks
// it of the candidate:
//   - a requirement word near it: "fluent in", "native", "maîtrise de",
//     "anglais courant", "must speak", "English required", "bon niveau
//     d'anglais", "Deutschkenntnisse";
//   - a languages heading: "Langues : arabe, français", "Languages: ...";
//   - joined to such a language by "and", "et" or a comma ("Maîtrise du
//     français et de l'anglais").
//
// It does not count when the language is the topic of the work ("NLP on
// Arabic text", "evaluate models across languages including Arabic and
// French", "French customers"), when it is nice to have ("Arabic is a
// plus", "un atout"), or when the ad offers a choice ("English or
// French"): the offer can only list languages all of which are required.

var languageNames = map[string]string{
	"english": "en", "anglais": "en", "englisch": "en", "ingles": "en", "الانجليزية": "en", "الانكليزية": "en", "انجليزية": "en",
	"french": "fr", "francais": "fr", "franzosisch": "fr", "frances": "fr", "الفرنسية": "fr", "فرنسية": "fr",
	"arabic": "ar", "arabe": "ar", "arabisch": "ar", "العربية": "ar", "عربية": "ar", "darija": "ar",
	"german": "de", "allemand": "de", "deutsch": "de", "aleman": "de", "deutschkenntnisse": "de",
	"spanish": "es", "espagnol": "es", "spanisch": "es", "espanol": "es", "castellano": "es",
	"italian": "it", "italien": "it", "italienisch": "it", "italiano": "it",
	"portuguese": "pt", "portugais": "pt", "portugiesisch": "pt", "portugues": "pt",
	"dutch": "nl", "neerlandais": "nl", "niederlandisch": "nl", "nederlands": "nl", "flemish": "nl",
	"chinese": "zh", "mandarin": "zh", "chinois": "zh", "cantonese": "zh",
	"japanese": "ja", "japonais": "ja", "russian": "ru", "russe": "ru", "polish": "pl", "polonais": "pl",
	"turkish": "tr", "turc": "tr", "hindi": "hi", "korean": "ko", "coreen": "ko", "swedish": "sv", "suedois": "sv",
	"danish": "da", "danois": "da", "norwegian": "no", "norvegien": "no", "finnish": "fi", "finnois": "fi",
	"greek": "el", "grec": "el", "czech": "cs", "tcheque": "cs", "romanian": "ro", "roumain": "ro",
	"hungarian": "hu", "hongrois": "hu", "hebrew": "he", "hebreu": "he", "ukrainian": "uk", "ukrainien": "uk",
	"englishspeaking": "en", "englischkenntnisse": "en", "franzosischkenntnisse": "fr",
	"icelandic": "is", "islandais": "is", "estonian": "et", "estonien": "et", "slovenian": "sl", "slovene": "sl",
	"slovak": "sk", "slovaque": "sk", "bulgarian": "bg", "bulgare": "bg", "lithuanian": "lt", "lituanien": "lt",
	"latvian": "lv", "letton": "lv", "croatian": "hr", "croate": "hr", "serbian": "sr", "serbe": "sr",
	"vietnamese": "vi", "vietnamien": "vi", "thai": "th", "indonesian": "id", "indonesien": "id",
	"persian": "fa", "farsi": "fa", "persan": "fa", "urdu": "ur", "ourdou": "ur", "bengali": "bn", "swahili": "sw",
	"catalan": "ca", "alemao": "de", "espanhol": "es", "holandes": "nl",
	// Arabic: colloquial names (Gulf, Levantine, Maghrebi) and other MSA
	// names, as folded text writes them (hamza dropped).
	"انجليزي": "en", "الانجليزي": "en", "انقليزي": "en", "الانقليزي": "en", "الانقليزية": "en", "انقليزية": "en",
	"انكليزي": "en", "الانكليزي": "en", "انكليزية": "en", "فرنساوي": "fr", "الفرنساوي": "fr",
	"الاسبانية": "es", "اسبانية": "es", "الاسباني": "es", "الالمانية": "de", "المانية": "de", "الالماني": "de",
	"الايطالية": "it", "ايطالية": "it", "التركية": "tr", "الصينية": "zh",
}

// languageCode maps a language name or code to ISO 639-1.
func languageCode(s string) string {
	k := fold(s)
	if code, ok := languageNames[k]; ok {
		return code
	}
	// "en", "en-US", "fr_FR".
	if len(k) >= 2 {
		base := strings.FieldsFunc(k, func(r rune) bool { return r == ' ' || r == '-' || r == '_' })
		if len(base) > 0 && len(base[0]) == 2 {
			for _, c := range languageNames {
				if c == base[0] {
					return c
				}
			}
		}
		for _, w := range strings.Fields(k) {
			if code, ok := languageNames[w]; ok {
				return code
			}
		}
	}
	return ""
}

// languageRelatives continue a clause after a comma.
var languageRelatives = wordSet("which", "that", "qui", "que", "dont", "den", "die", "das")

// languageCueWords mark a requirement within languageCueBefore words before
// a language or languageCueAfter words after it.
var languageCueWords = wordSet(
	"fluent", "fluently", "fluency", "native", "nativ", "proficient", "proficiency", "command", "mastery",
	"maitrise", "maitriser", "maitrisez", "maitrisant", "maitrisee", "courant", "courante", "couramment",
	"bilingue", "bilingual", "bilingues", "parle", "parlee", "parler", "parlez", "parlant", "speak", "speaks",
	"speaking", "spoken", "speaker", "speakers", "written", "ecrit", "ecrite", "lu", "oral", "orale", "verbal",
	"required", "requis", "requise", "exige", "exigee", "obligatoire", "indispensable", "mandatory",
	"essential", "must", "niveau", "level", "a2", "b1", "b2", "c1", "c2", "knowledge", "connaissance",
	"connaissances", "working", "professional", "communication", "communicate", "fliessend", "fliessende",
	"verhandlungssicher", "kenntnisse", "sprachkenntnisse", "work", "works", "communicating", "conducted",
	"professionnel", "professionnelle", "operationnel", "operationnelle", "operational", "intermediate",
	"intermediaire", "advanced", "avance", "avancee", "natif", "native", "maternelle", "conversational",
	"fluente", "fluentes", "fluencia", "dominio", "اتقان", "اجادة", "يجيد", "تجيد", "بطلاقة", "طلاقة",
	// Arabic requirement words (MSA and dialects): "ضرورية", "مطلوبة",
	// "لازم تتكلم", "يشترط", "التحدث".
	"ضروري", "ضرورية", "مطلوب", "مطلوبة", "اساسي", "اساسية", "الزامي", "الزامية", "شرط", "يشترط", "نشترط",
	"تشترط", "لازم", "يلزم", "تتكلم", "يتكلم", "التكلم", "التحدث", "تتحدث", "يتحدث", "تحدث", "محادثة",
	// Moroccan darija in Latin script: "khassek t3ref l'anglais mzyan",
	// "lazem tehder l'espagnol", "l'français darouri".
	"khassek", "khasek", "khassk", "khassak", "lazem", "lazm", "lazim", "darouri", "darori", "daroori",
	"t3ref", "kat3ref", "ta3ref", "tehder", "tahder", "kathder", "mzyan", "mezyan", "mzyane",
	// Spanish, as offshore centres in Tangier and Tetouan write: "español
	// nativo imprescindible", "nivel C1 requerido".
	"imprescindible", "nativo", "nativa", "requerido", "requerida", "necesario", "necesaria", "obligatorio",
	"obligatoria", "fluido", "fluida",
	// ... and in Arabic script: "خاصك تكون كتهضر الفرنسية مزيان".
	"خاصك", "خاصو", "خاصها", "خاصكم", "كتهضر", "تهضر", "كتهدر", "تهدر", "كتعرف", "كتكلم", "مزيان", "مزيانة",
	// A prerequisite, a necessity, working in the language: "L'anglais est
	// un prérequis", "nécessaire", "Capacité à travailler en anglais",
	// "متقنا للغة الإنجليزية".
	"prerequis", "prerequisite", "prerequisites", "necessaire", "necessary", "needed", "travailler", "communiquer",
	"rediger", "متقن", "متقنا", "متقنة", "يتقن", "تتقن", "يجب",
	// Writing in the language, being at ease in it, a level named in
	// Arabic: "Comfortable writing clear English documentation",
	// "capacités rédactionnelles en arabe", "مستوى جيد في اللغة الإنجليزية".
	"writing", "comfortable", "redactionnelle", "redactionnelles", "مستوي", "كتابة",
)

// isLanguageCue also takes plurals ("arabe et français exigés") and an
// Arabic cue with و glued to it.
func isLanguageCue(w string) bool {
	if rest, ok := strings.CutPrefix(w, "و"); ok && len(rest) > 4 && languageCueWords[rest] {
		return true // "وإتقان تام للعربية": the conjunction glued to the cue
	}
	return languageCueWords[w] || (len(w) > 3 && languageCueWords[strings.TrimSuffix(w, "s")])
}

// languageAdjectives are requirement cues only right before the language
// ("Excellent English", "bon anglais"), not further away ("strong French
// presence" is about a market).
var languageAdjectives = wordSet("excellent", "excellente", "good", "bon", "bonne", "strong", "solid", "solide",
	"perfect", "parfait", "parfaite", "parfaitement", "gute", "sehr", "fluent")

// languageHeadings open a list of required languages when a colon follows.
var languageHeadings = wordSet("langue", "langues", "language", "languages", "sprachen", "sprache",
	"sprachkenntnisse", "idiomas", "idioma", "lingue", "اللغات", "اللغة")

// languageTopics after a language make it the subject of the work.
var languageTopics = wordSet("text", "texts", "textual", "nlp", "data", "dataset", "datasets", "content", "contents",
	"corpus", "corpora", "dialect", "dialects", "dialectal", "dialectes", "document", "documents", "market",
	"markets", "customer", "customers", "client", "clients", "user", "users", "model", "models", "modele", "modeles",
	"tokenizer", "tokenization", "translation", "translations", "traduction", "speech", "voice", "ocr",
	"handwriting", "sentiment", "news", "tweets", "pages", "websites", "subtitles", "transcription",
	"transcriptions", "texte", "textes", "donnees", "contenu", "contenus", "marche", "utilisateurs", "parole",
	"ecriture", "presse", "companies", "company", "entreprises", "audience", "audiences", "version", "versions",
	"literature", "litterature", "llm", "llms", "search", "queries", "keyboard", "script")

// languageObjects are content a language may qualify right after them
// ("textes en arabe", "documents in French", "données en darija").
var languageObjects = wordSet("text", "texts", "texte", "textes", "data", "donnees", "dataset", "datasets",
	"document", "documents", "corpus", "corpora", "content", "contents", "contenu", "contenus", "tweets",
	"posts", "reviews", "avis", "articles", "audio", "speech", "parole", "transcriptions", "subtitles",
	"recordings", "enregistrements", "pages", "sources")

// languageProductionCues are the cues that still make such a language
// required: writing or speaking it ("rédiger des rapports en anglais").
var languageProductionCues = wordSet("rediger", "redige", "redigez", "redigerez", "ecrire", "write", "writing",
	"draft", "drafting", "presenter", "present", "presenting", "communiquer", "communicate", "redactionnelle",
	"redactionnelles")

// languageFiller words are skipped when measuring distances and may stand
// between languages of one list.
var languageFiller = wordSet("l", "d", "de", "du", "des", "la", "le", "les", "the", "of", "in", "en", "a", "an",
	"is", "are", "est", "sont", "be", "to", "et", "and", "und", "&", "as", "well", "ainsi", "que", "plus", "y", "e", "em",
	// "very good English", "مستوى جيد جدا في اللغة الإنجليزية".
	"very", "tres", "في", "اللغة", "جدا")

// languageOr makes a choice between languages.
var languageOr = wordSet("or", "ou", "oder", "o", "either", "soit")

// languageOptional words make the clause they are in nice to have.
var languageOptional = wordSet("plus", "atout", "bonus", "apprecie", "appreciee", "appreciated", "preferred",
	"preferable", "souhaite", "souhaitee", "souhaitable", "ideally", "idealement", "advantage", "avantage",
	"desirable", "optional", "optionnel", "optionnelle", "wunschenswert", "vorteil", "asset", "nice", "welcome",
	"bienvenu", "bienvenue", "bienvenus", "bienvenues", "encouraged", "encourages", "encouragees",
	"valorado", "valorada", "valorable", "deseable",
	// Arabic: "يفضل", "يستحسن", "ميزة (إضافية)", "محبذ".
	"يفضل", "ويفضل", "تفضل", "نفضل", "يستحسن", "ويستحسن", "مستحسن", "ميزة", "افضلية", "مرغوب", "محبذ", "يحبذ")

const (
	languageCueBefore = 4
	languageCueAfter  = 3
)

// ltok is a word (folded) or one of the punctuation marks , : / ( ).
type ltok struct {
	w     string
	punct rune
	upper bool // the word started with a capital letter
	caps  bool // a two-letter word in capitals ("FR", "EN")
	code  bool // caps after a languages heading: read as a language code
}

// headingCodes are the language codes a languages heading lists in
// capitals: "Langues : FR / EN", "Languages: EN (C1), DE (B2)".
var headingCodes = map[string]string{"en": "en", "fr": "fr", "ar": "ar", "es": "es", "de": "de", "it": "it",
	"pt": "pt", "nl": "nl"}

func languages(given []string, desc string) []string {
	set := map[string]bool{}
	for _, l := range given {
		if code := languageCode(l); code != "" {
			set[code] = true
		}
	}
	d := truncateRunes(desc, 30000)
	// Words never span sentences: a text without a language name has no
	// sentence to read.
	if !hasLanguageWord(d) && !mayHoldHeadingCodes(d) {
		d = ""
	}
	underHeading := false
	for rest := d; rest != ""; {
		// The next sentence, and whether a full stop ends it.
		end := strings.IndexFunc(rest, func(r rune) bool {
			return r == '.' || r == '\n' || r == ';' || r == '!' || r == '?' || r == '•' || r == '؛' || r == '؟'
		})
		sentence, stop := rest, false
		if end < 0 {
			rest = ""
		} else {
			// A semicolon ends a clause of a list as a full stop does:
			// "Français ; anglais lu."
			sentence, stop = rest[:end], rest[end] == '.' || rest[end] == ';' || strings.HasPrefix(rest[end:], "؛")
			_, size := utf8.DecodeRuneInString(rest[end:])
			rest = rest[end+size:]
		}
		if strings.TrimSpace(sentence) == "" {
			continue
		}
		if len(sentence) > 600 {
			underHeading = false
			continue
		}
		if !hasLanguageWord(sentence) && !headingWithCodes(sentence) {
			// "Langues :" alone on its line opens the list below it; a
			// line without a language closes it.
			underHeading = headingOnly(sentence)
			continue
		}
		if underHeading {
			// "- Anglais : professionnel" under "Langues :" reads as
			// "Langues : - Anglais : professionnel".
			sentence = "Langues : " + sentence
		}
		codes := requiredLanguages(sentence)
		if len(codes) == 0 && stop {
			// "Full-time. English." — a sentence of prose that is only a
			// language asks for it; a link "English" of a language switcher
			// ends no sentence.
			codes = loneLanguage(languageTokens(sentence))
		}
		for _, code := range codes {
			set[code] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func languageTokens(s string) []ltok {
	var toks []ltok
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := s[start:end]
			r, _ := utf8.DecodeRuneInString(w)
			caps := len(w) == 2 && w[0] >= 'A' && w[0] <= 'Z' && w[1] >= 'A' && w[1] <= 'Z'
			toks = append(toks, ltok{w: foldToken(w), upper: unicode.IsUpper(r), caps: caps})
			start = -1
		}
	}
	for i, r := range s {
		if isTokenRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		switch r {
		case ',', ':', '/', '(', ')', '&':
			toks = append(toks, ltok{punct: r})
		case '،': // the Arabic comma
			toks = append(toks, ltok{punct: ','})
		}
	}
	flush(len(s))
	return toks
}

// isTokenRune tells the runes of a word: letters, digits and marks.
func isTokenRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// foldToken is fold for a word of languageTokens: ASCII letters and
// digits only need lower case.
func foldToken(w string) string {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return fold(w)
		}
	}
	return strings.ToLower(w)
}

// hasLanguageWord reports a word of s (as languageTokens cuts them) that
// names a language: sentences without one need no further reading.
func hasLanguageWord(s string) bool {
	shape := languageNameShape()
	var buf [32]byte
	for i := 0; i < len(s); {
		// An ASCII word: letters and digits, lower-cased into buf.
		start, n, ascii := i, 0, true
		for i < len(s) {
			c := s[i]
			if c >= utf8.RuneSelf {
				ascii = false
				break
			}
			if !asciiWordByte[c] {
				break
			}
			if n < len(buf) {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf[n] = c
			}
			n++
			i++
		}
		if !ascii {
			// A word with other letters (or marks): fold it whole.
			i = start
			for i < len(s) {
				r, w := utf8.DecodeRuneInString(s[i:])
				if !isTokenRune(r) {
					break
				}
				i += w
			}
			if i > start {
				if k := fold(s[start:i]); languageNames[k] != "" || prefixedLanguage(k) != "" {
					return true
				}
			}
			if i == start {
				_, w := utf8.DecodeRuneInString(s[i:])
				i += w
			}
			continue
		}
		if n == 0 {
			i++ // an ASCII byte outside words
			continue
		}
		if n > len(buf) {
			if languageNames[strings.ToLower(s[start:i])] != "" {
				return true
			}
			continue
		}
		if shape.ascii[n][buf[0]] && languageNames[string(buf[:n])] != "" {
			return true
		}
	}
	return false
}

// asciiWordByte marks ASCII letters and digits (what isTokenRune accepts
// below utf8.RuneSelf).
var asciiWordByte = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = isTokenRune(rune(c))
	}
	return t
}()

// languageShape lists, for the ASCII keys of languageNames, which first
// bytes occur at each length: most words are dismissed without a lookup.
type languageShape struct {
	ascii [33][256]bool // by length up to 32 (longer words are looked up)
}

var languageNameShape = sync.OnceValue(func() *languageShape {
	s := &languageShape{}
	for k := range languageNames {
		if len(k) < len(s.ascii) && k != "" {
			s.ascii[len(k)][k[0]] = true
		}
	}
	return s
})

// languageOf returns the language code a token names, "" for none.
func languageOf(t ltok) string {
	if t.punct != 0 {
		return ""
	}
	code := languageNames[t.w]
	if t.code {
		code = headingCodes[t.w]
	}
	if t.w == "polish" && !t.upper {
		return "" // "polish the UI"
	}
	if code == "" {
		code = prefixedLanguage(t.w)
	}
	return code
}

// prefixedLanguage reads a folded Arabic word that glues "and" or "in" to
// a language name: "والفرنسية", "بالإنجليزية".
func prefixedLanguage(w string) string {
	if w == "" || w[0] < utf8.RuneSelf {
		return ""
	}
	for _, p := range []string{"و", "ب", "وب", "ل"} {
		if rest, ok := strings.CutPrefix(w, p); ok && strings.HasPrefix(rest, "ال") {
			if c := languageNames[rest]; c != "" {
				return c
			}
		}
	}
	// ل before the article drops its alif: "للعربية", "وللفرنسية".
	for _, p := range []string{"لل", "ولل"} {
		if rest, ok := strings.CutPrefix(w, p); ok && rest != "" {
			if c := languageNames["ال"+rest]; c != "" {
				return c
			}
		}
	}
	// A colloquial name has no article: "وفرنساوي", "وانجليزي".
	if rest, ok := strings.CutPrefix(w, "و"); ok && len(rest) >= 8 && !strings.HasPrefix(rest, "ال") {
		return languageNames[rest]
	}
	return ""
}

// requiredLanguages reads one sentence.
func requiredLanguages(s string) []string {
	toks := languageTokens(s)
	if h := headingEnd(toks); h >= 0 {
		for i := h + 1; i < len(toks); i++ {
			toks[i].code = toks[i].caps && headingCodes[toks[i].w] != ""
		}
	}
	var idx []int
	for i, t := range toks {
		if languageOf(t) != "" {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	heading := headingEnd(toks)
	req := make([]bool, len(idx))
	excluded := make([]bool, len(idx))
	for k, i := range idx {
		excluded[k] = topical(toks, i) || optionalClause(toks, i) || negated(toks, i)
		req[k] = strings.HasSuffix(toks[i].w, "kenntnisse") || (heading >= 0 && i > heading) || cueNear(toks, i)
	}
	// Languages of one list share the requirement ("maîtrise du français et
	// de l'anglais", "English and French are required").
	for changed := true; changed; {
		changed = false
		for k := range idx {
			if req[k] || excluded[k] {
				continue
			}
			if (k > 0 && req[k-1] && !excluded[k-1] && joined(toks, idx[k-1], idx[k])) ||
				(k+1 < len(idx) && req[k+1] && !excluded[k+1] && joined(toks, idx[k], idx[k+1])) {
				req[k], changed = true, true
			}
		}
	}
	// A choice ("English or French", "français, anglais ou espagnol")
	// requires none of the list in particular.
	for k := 0; k < len(idx); {
		end, choice := k, false
		for end+1 < len(idx) {
			alt := alternative(toks, idx[end], idx[end+1])
			if !alt && !joined(toks, idx[end], idx[end+1]) {
				break
			}
			choice = choice || alt
			end++
		}
		for j := k; choice && j <= end; j++ {
			excluded[j] = true
		}
		k = end + 1
	}
	if workingLanguage(toks) {
		// "English is our company language", "La langue de travail est le
		// français": the language named in the sentence is required.
		for k, i := range idx {
			req[k] = req[k] || !topical(toks, i)
		}
	}
	if requirementHeading(toks) {
		// "Requirements: 5 years in vision, C++ and Python, French and
		// English": the heading asks for every item of its line.
		for k := range idx {
			req[k] = true
		}
	}
	if bareLanguageList(toks) {
		// "Français et anglais techniques.", "English and French.": a
		// sentence that only lists languages asks for them.
		for k := range idx {
			req[k] = true
		}
	}
	// A bracket that explains why a language is only a plus names it again
	// ("Spanish is a nice-to-have (a third of our customers speak
	// Spanish)"): the echo is no requirement either.
	for k := 1; k < len(idx); k++ {
		prev := idx[k-1]
		if open := bracketBefore(toks, idx[k]); open > prev && (optionalClause(toks, prev) || negated(toks, prev)) &&
			languageOf(toks[prev]) == languageOf(toks[idx[k]]) {
			excluded[k] = true
		}
	}
	var out []string
	for k, i := range idx {
		if req[k] && !excluded[k] {
			out = append(out, languageOf(toks[i]))
		}
	}
	return out
}

// bracketBefore returns the index of the "(" of the bracket toks[i] is
// in, or -1 when it is in none.
func bracketBefore(toks []ltok, i int) int {
	for j := i - 1; j >= 0; j-- {
		switch toks[j].punct {
		case ')':
			return -1
		case '(':
			return j
		}
	}
	return -1
}

// languageLevelAfter right after a language make it a requirement: "et
// anglais technique", "anglais professionnel".
var languageLevelAfter = wordSet("technique", "techniques", "technical", "professionnel", "professionnelle")

// languageModality after a comma continues a language's clause: "Français
// et anglais, à l'oral comme à l'écrit", "English and French, written and
// spoken", "العربية والفرنسية، كتابة ومحادثة".
var languageModality = wordSet("oral", "orale", "ecrit", "ecrite", "written", "spoken", "verbal", "both", "كتابة",
	"تحدثا", "كتابيا", "شفهيا")

// workingLanguageWords before "language" make it the language of the
// job ("working language", "company language", "langue de travail").
var workingLanguageWords = wordSet("working", "work", "company", "official", "business", "team", "corporate", "office")

// workingLanguage reports "<working> language" or "langue de travail" /
// "langue officielle" in the sentence.
func workingLanguage(toks []ltok) bool {
	for i, t := range toks {
		switch t.w {
		case "language":
			if i > 0 && workingLanguageWords[toks[i-1].w] {
				return true
			}
		case "langue":
			if i+2 < len(toks) && toks[i+1].w == "de" && (toks[i+2].w == "travail" || toks[i+2].w == "l" || toks[i+2].w == "communication") {
				return true
			}
			if i+1 < len(toks) && (toks[i+1].w == "officielle" || toks[i+1].w == "professionnelle") {
				return true
			}
		}
	}
	return false
}

// languageLevelWords may qualify a language in a bare list.
var languageLevelWords = wordSet("technique", "techniques", "technical", "professionnel", "professionnelle",
	"professionnels", "professional", "business", "courant", "courants", "courante", "courantes", "fluent",
	"lu", "ecrit", "parle", "written", "spoken", "bon", "bonne", "good", "excellent", "excellente",
	"fonctionnel", "fonctionnelle", "functional", "operationnel", "operationnelle", "operational")

// bareLanguageList reports a short sentence made only of languages joined
// by "et" / "and" / a comma, possibly with level words ("Français et
// anglais techniques", "English and French", "العربية والفرنسية"); two
// languages need a joiner, one needs a level word ("Anglais courant"), so
// a bare language switcher ("English Français") is not a requirement.
func bareLanguageList(toks []ltok) bool {
	if len(toks) > 10 {
		return false
	}
	langs, joiners, levels := 0, 0, 0
	for _, t := range toks {
		switch {
		case t.punct == ',' || t.punct == '&':
			joiners++
		case t.punct != 0:
			return false
		case languageOf(t) != "":
			langs++
			if prefixedLanguage(t.w) != "" {
				joiners++ // "والفرنسية"
			}
		case t.w == "et" || t.w == "and" || t.w == "und" || t.w == "l" || t.w == "d" || t.w == "de" || t.w == "du":
			if t.w == "et" || t.w == "and" || t.w == "und" {
				joiners++
			}
		case languageLevelWords[t.w]:
			levels++
		default:
			return false
		}
	}
	return langs >= 2 && joiners > 0 || langs == 1 && levels > 0
}

// loneLanguage returns the language of a sentence made of one language
// name, possibly with level words ("English.", "Français.", "Anglais
// opérationnel."); nil otherwise.
func loneLanguage(toks []ltok) []string {
	if len(toks) == 0 || len(toks) > 3 {
		return nil
	}
	code := ""
	for _, t := range toks {
		switch l := languageOf(t); {
		case l != "" && code == "":
			code = l
		case t.punct == 0 && languageLevelWords[t.w]:
		default:
			return nil
		}
	}
	if code == "" {
		return nil
	}
	return []string{code}
}

// headingOnly reports a line that is only a languages heading: "Langues
// :", "Language skills:", "Langues requises :", "اللغات:".
func headingOnly(s string) bool {
	if len(s) > 60 || strings.IndexByte(s, ':') < 0 {
		return false
	}
	toks := languageTokens(s)
	i := headingEnd(toks)
	return i >= 0 && i == len(toks)-1 && i <= 3
}

// headingEnd returns the index of the colon after a languages heading
// ("Langues :", "Language skills:", "Langue de travail :"), or -1.
func headingEnd(toks []ltok) int {
	for i, t := range toks {
		if t.punct != 0 || !languageHeadings[t.w] {
			continue
		}
		for j := i + 1; j < len(toks) && j <= i+3; j++ {
			if toks[j].punct == ':' {
				return j
			}
			if toks[j].punct != 0 {
				break
			}
		}
	}
	return -1
}

// cueNear reports a requirement word near toks[i]: before it up to a
// comma or colon (a colon only right after the cue: "Required: English"),
// or after it up to a comma.
func cueNear(toks []ltok, i int) bool {
	n := 0
	// object: the first word before the language is a content noun it
	// qualifies ("travailler sur des textes en arabe", "models on data in
	// Darija"): the language is the work's subject, and only a cue of
	// writing or speaking makes it required ("rédiger des documents en
	// anglais").
	object, seenWord := false, false
	for j := i - 1; j >= 0 && n < languageCueBefore; j-- {
		t := toks[j]
		if t.punct == ',' || t.punct == '/' {
			break
		}
		if t.punct == ':' {
			if j > 0 && toks[j-1].punct == 0 && isLanguageCue(toks[j-1].w) && n == 0 {
				return true
			}
			break
		}
		if t.punct != 0 || languageFiller[t.w] {
			continue
		}
		n++
		if languageOf(t) == "" && !seenWord {
			seenWord, object = true, languageObjects[t.w]
		}
		if object {
			if languageProductionCues[t.w] {
				return true
			}
			continue
		}
		if isLanguageCue(t.w) || (n == 1 && languageAdjectives[t.w]) {
			return true
		}
		if languageOf(t) != "" {
			continue // "fluent French and English": handled by joined
		}
	}
	n = 0
	for j := i + 1; j < len(toks) && n < languageCueAfter; j++ {
		t := toks[j]
		if t.punct == ',' && j+1 < len(toks) && languageRelatives[toks[j+1].w] {
			continue // "English, which you speak fluently"
		}
		if t.punct == ',' && n == 0 && modalityNext(toks, j+1) {
			continue // "Français et anglais, à l'oral comme à l'écrit"
		}
		if t.punct == ',' || t.punct == '/' {
			break
		}
		if t.punct != 0 || languageFiller[t.w] {
			continue
		}
		n++
		if isLanguageCue(t.w) || n == 1 && j == i+1 && languageLevelAfter[t.w] {
			return true
		}
	}
	return false
}

// modalityNext reports a word of languageModality first among the words
// from toks[j] (filler skipped).
func modalityNext(toks []ltok, j int) bool {
	for ; j < len(toks); j++ {
		t := toks[j]
		if t.punct != 0 {
			return false
		}
		if languageFiller[t.w] {
			continue
		}
		return languageModality[t.w]
	}
	return false
}

// topical reports a language word that qualifies the work's subject:
// "Arabic text", "French-speaking customers", "Arabic language models".
func topical(toks []ltok, i int) bool {
	for j := i + 1; j < len(toks) && j <= i+3; j++ {
		t := toks[j]
		if t.punct != 0 {
			return false
		}
		switch t.w {
		case "language", "langue", "speaking", "based", "and", "et", "&":
			continue
		}
		if languageOf(t) != "" {
			continue // "Arabic and French text"
		}
		return languageTopics[t.w]
	}
	return false
}

// optionalWord reports a nice-to-have word, also with Arabic و glued to
// it ("ويحبذ").
func optionalWord(w string) bool {
	if languageOptional[w] {
		return true
	}
	rest, ok := strings.CutPrefix(w, "و")
	return ok && languageOptional[rest]
}

// optionalClause reports a nice-to-have word in the clause (between commas)
// around toks[i]: "Arabic is a plus", "l'allemand serait un atout".
//
// A bracket is a clause of its own: a language inside it reads only the
// bracket ("(Spanish a plus)"), one outside it skips the bracket, unless
// the bracket right after the language speaks of it alone ("German (a
// plus)"), not of other languages ("fluent German and English (other
// languages a plus)").
func optionalClause(toks []ltok, i int) bool {
	lo, hi := i, i
	for lo > 0 && toks[lo-1].punct != ',' {
		lo--
	}
	for hi+1 < len(toks) && toks[hi+1].punct != ',' {
		hi++
	}
	for j := i - 1; j >= lo; j-- {
		if toks[j].punct == ')' {
			break
		}
		if toks[j].punct == '(' {
			if bracketOfLanguages(toks, j) {
				break // "Bilingual (English/Spanish) preferred": a list, read in its clause
			}
			lo = j + 1
			for k := i + 1; k <= hi; k++ {
				if toks[k].punct == ')' {
					hi = k - 1
					break
				}
			}
			break
		}
	}
	for j := lo; j <= hi; j++ {
		t := toks[j]
		if t.punct == '(' && !(j == i+1 && bracketAboutOne(toks, j, hi)) {
			for j <= hi && toks[j].punct != ')' {
				j++
			}
			continue
		}
		if t.punct != 0 || !optionalWord(t.w) {
			continue
		}
		if j > i && strings.HasPrefix(t.w, "و") {
			continue // "الفرنسية ضرورية ويستحسن ...": و opens the next clause
		}
		if j > lo && languageNegations[toks[j-1].w] {
			continue // "not optional"
		}
		switch t.w {
		case "plus":
			// "a plus", "un plus", "is a plus", "a strong plus", "un vrai
			// plus"; not "plus de 5 ans".
			if j > lo && (toks[j-1].w == "a" || toks[j-1].w == "un") {
				return true
			}
			if j-1 > lo && plusIntensifiers[toks[j-1].w] && (toks[j-2].w == "a" || toks[j-2].w == "un") {
				return true
			}
		case "souhaite", "souhaitee":
			if j == lo || toks[j-1].w != "profil" {
				return true
			}
		case "nice":
			// "nice to have", "would be nice", "is nice".
			if j+2 <= hi && toks[j+1].w == "to" && toks[j+2].w == "have" || j > lo && (toks[j-1].w == "be" || toks[j-1].w == "is") {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// plusIntensifiers stand between the article and "plus": "a strong plus".
var plusIntensifiers = wordSet("strong", "big", "huge", "real", "major", "definite", "great", "massive", "serious",
	"vrai", "gros", "grand", "reel", "net", "serieux", "enorme")

// bracketAboutOne reports a bracket opening at toks[open] (within hi) that
// names no language and no word for languages.
func bracketAboutOne(toks []ltok, open, hi int) bool {
	for k := open + 1; k <= hi && toks[k].punct != ')'; k++ {
		if toks[k].punct == 0 && (languageOf(toks[k]) != "" || languageHeadings[toks[k].w]) {
			return false
		}
	}
	return true
}

// titleLanguageCues next to a language in a title make it required:
// "Customer Care - German Speaking", "Italian-speaking Sales", "Support
// with Dutch", "Conseiller bilingue arabe/français".
var (
	titleLanguageAfter  = wordSet("speaking", "speaker", "speakers", "native", "natives")
	titleLanguageBefore = wordSet("with", "speaking", "fluent", "native", "bilingual", "bilingue", "bilingues", "avec")
	// titleLanguageWords name a speaker of a language in one word.
	titleLanguageWords = map[string]string{"francophone": "fr", "francophones": "fr", "anglophone": "en",
		"anglophones": "en", "arabophone": "ar", "arabophones": "ar", "germanophone": "de", "germanophones": "de",
		"hispanophone": "es", "hispanophones": "es", "lusophone": "pt", "lusophones": "pt", "italophone": "it",
		"italophones": "it", "neerlandophone": "nl", "neerlandophones": "nl", "russophone": "ru", "russophones": "ru"}
)

// titleLanguageCueParts are parts of every cue word above: a title
// without one asks for no language.
var titleLanguageCueParts = []string{"speak", "native", "with", "fluent", "biling", "avec", "phone"}

// titleLanguages returns the spoken languages a title asks for.
func titleLanguages(title string) []string {
	low := strings.ToLower(title)
	cue := false
	for _, c := range titleLanguageCueParts {
		if strings.Contains(low, c) {
			cue = true
			break
		}
	}
	if !cue || (!hasLanguageWord(title) && !strings.Contains(low, "phone")) {
		return nil // most titles: no cue word, no tokens
	}
	toks := languageTokens(title)
	var out []string
	var idx []int
	var req []bool
	for i, t := range toks {
		if t.punct != 0 {
			continue
		}
		if code := titleLanguageWords[t.w]; code != "" {
			out = append(out, code)
			continue
		}
		if languageOf(t) == "" {
			continue
		}
		r := (i+1 < len(toks) && titleLanguageAfter[toks[i+1].w]) || (i > 0 && titleLanguageBefore[toks[i-1].w])
		idx, req = append(idx, i), append(req, r)
	}
	// A list shares the cue: "bilingue arabe/français", "with German and
	// English".
	for changed := true; changed; {
		changed = false
		for k := range idx {
			if !req[k] && ((k > 0 && req[k-1] && joined(toks, idx[k-1], idx[k])) ||
				(k+1 < len(idx) && req[k+1] && joined(toks, idx[k], idx[k+1]))) {
				req[k], changed = true, true
			}
		}
	}
	for k, i := range idx {
		if req[k] {
			out = append(out, languageOf(toks[i]))
		}
	}
	return out
}

// languageNegations deny a requirement: "L'anglais n'est pas exigé",
// "German not required", "No Norwegian needed", "You don't need to speak
// Swedish", "لا يشترط", "ليست ضرورية".
var languageNegations = wordSet("not", "no", "non", "pas", "aucun", "aucune", "nullement", "ni", "sans", "without",
	"never", "nicht", "kein", "keine", "keinerlei", "don", "doesn", "isn", "aren", "needn", "won", "لا", "ليس", "ليست",
	"غير", "دون", "بدون",
	// Moroccan darija "not": "l'anglais machi darouri".
	"machi", "mashi", "mochi", "ماشي")

// languageNegationReach is how many words a negation reaches, either way.
const languageNegationReach = 5

// negated reports a negation within reach of toks[i] in its clause
// (commas and colons end a clause).
func negated(toks []ltok, i int) bool {
	for dir := -1; dir <= 1; dir += 2 {
		n := 0
		for j := i + dir; j >= 0 && j < len(toks) && n < languageNegationReach; j += dir {
			t := toks[j]
			if t.punct == ':' && dir > 0 && j == i+1 {
				continue // "Espagnol : non requis"
			}
			if t.punct == ',' || t.punct == ':' || t.punct == '(' || t.punct == ')' {
				break
			}
			if t.punct != 0 {
				continue
			}
			if languageOf(t) != "" && j != i {
				// Another language's own statement ("français exigé,
				// anglais non") is read from that language.
				if dir > 0 {
					break
				}
			}
			n++
			if !languageNegations[t.w] {
				continue
			}
			if j+1 < len(toks) && languageNotOptional[toks[j+1].w] {
				continue // "not optional", "non négociable": required
			}
			if dir > 0 && languageAhead(toks, j) {
				continue // "English required and no Spanish needed"
			}
			return true
		}
	}
	return false
}

// languageNotOptional after a negation make a requirement.
var languageNotOptional = wordSet("negotiable", "negociable", "optional", "optionnel", "optionnelle", "facultatif", "facultative")

// languageAhead reports a language within three words after toks[j].
func languageAhead(toks []ltok, j int) bool {
	for k := j + 1; k < len(toks) && k <= j+3; k++ {
		if toks[k].punct == 0 && languageOf(toks[k]) != "" {
			return true
		}
	}
	return false
}

// joined reports two language words of one list: only commas, slashes,
// "and"/"et" and filler words between them.
func joined(toks []ltok, a, b int) bool {
	for j := a + 1; j < b; j++ {
		t := toks[j]
		switch {
		case t.punct == '(' && j == a+1 && varietyBracket(toks, j, b) > 0:
			j = varietyBracket(toks, j, b) // "Arabic (Egyptian dialect) and English"
		case t.punct == ',' || t.punct == '/' || t.punct == '&':
		case t.punct != 0:
			return false
		case languageFiller[t.w]:
		default:
			return false
		}
	}
	return true
}

// varietyBracket returns the index of the ")" closing a short bracket
// opening at toks[open] that qualifies the language before it (a variety
// or a level: "(Egyptian dialect)", "(MSA)", "(C1)", "(lu, écrit)") and
// names no language, or 0 when there is none before hi.
func varietyBracket(toks []ltok, open, hi int) int {
	for k := open + 1; k < hi && k <= open+5; k++ {
		switch {
		case toks[k].punct == ')':
			if k == open+1 {
				return 0
			}
			return k
		case toks[k].punct == '(':
			return 0
		case toks[k].punct == 0 && languageOf(toks[k]) != "":
			return 0
		}
	}
	return 0
}

// alternative reports "English or French", "français ou anglais".
func alternative(toks []ltok, a, b int) bool {
	or := false
	for j := a + 1; j < b; j++ {
		t := toks[j]
		switch {
		case t.punct == '(' && j == a+1 && varietyBracket(toks, j, b) > 0:
			j = varietyBracket(toks, j, b)
		case t.punct == ',' || t.punct == '/':
		case t.punct != 0:
			return false
		case languageOr[t.w]:
			or = true
		case languageFiller[t.w]:
		default:
			return false
		}
	}
	return or
}

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// mayHoldHeadingCodes is a cheap test for headingWithCodes over a whole
// text: a colon and the stem of a languages heading.
func mayHoldHeadingCodes(s string) bool {
	return strings.IndexByte(s, ':') >= 0 && (strings.Contains(s, "ang") || strings.Contains(s, "ANG") || strings.Contains(s, "لغ"))
}

// headingWithCodes reports a languages heading followed by language codes
// in capitals ("Langues : FR / EN").
func headingWithCodes(s string) bool {
	if !mayHoldHeadingCodes(s) {
		return false
	}
	toks := languageTokens(s)
	h := headingEnd(toks)
	if h < 0 {
		return false
	}
	for _, t := range toks[h+1:] {
		if t.caps && headingCodes[t.w] != "" {
			return true
		}
	}
	return false
}

// bracketOfLanguages reports a bracket opening at toks[open] that holds
// nothing but languages and their joiners ("(English/Spanish)", "(arabe et
// français)"): a list, not a clause of its own.
func bracketOfLanguages(toks []ltok, open int) bool {
	n := 0
	for k := open + 1; k < len(toks); k++ {
		t := toks[k]
		switch {
		case t.punct == ')':
			return n > 0
		case t.punct == '/' || t.punct == ',' || t.punct == '&':
		case t.punct != 0:
			return false
		case languageOf(t) != "":
			n++
		case t.w == "and" || t.w == "et" || t.w == "or" || t.w == "ou" || t.w == "و":
		default:
			return false
		}
	}
	return false
}
