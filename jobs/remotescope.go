package jobs

import (
	"strings"
	"unicode"
)

// Remote work stated by where it is open. Ads often say a job is remote
// only through the sentence that says from where: "Remote across Europe &
// North Africa", "Remote within Morocco only", "Location: Remote (Canada)",
// "Remote · United Kingdom", "Open to remote applicants from Egypt",
// "Télétravail depuis la France", "Poste à pourvoir en télétravail". Such a
// sentence is only written for work done from where the applicant lives,
// like a board's applicant-location field; it is read when nothing else
// said how the job is done.

// remoteScopeRe is a statement of remote work with its scope, or remote
// as the value of a location label.
var remoteScopeRe = newFastRe(`(?i)\b(?:remote\s+(?:within|across|throughout|from|in|for\s+(?:candidates|applicants|people)\s+(?:in|from))\s+(?:the\s+)?\pL|remote\s*[·•|(–—]\s*\pL|remote\s+-\s+\pL|remote\s+(?:applicants|candidates|contractors|hires|talent)\s+(?:from|in|based|located|across|within)\b|(?:position|role|job|opportunity)\s+is\s+(?:fully\s+|100\s*%\s+|entirely\s+|completely\s+)?remote\b|(?:location|localisation|lieu|lieu\s+de\s+travail|work\s+type|job\s+type|type\s+de\s+poste|type\s+de\s+travail|workplace|mode)\s*:\s*(?:fully\s+|100\s*%\s+)?(?:remote|t[ée]l[ée]travail)\b|(?:location|localisation|lieu|where)\s*:\s*[^\n:]{1,50}\(\s*(?:fully\s+|100\s*%\s+)?(?:remote|t[ée]l[ée]travail)\s*\)|work-from-home|\bwfh\b|t[ée]l[ée]travail\s+(?:(?:possible|complet|total|int[ée]gral|uniquement)\s+)?depuis\b|(?:ouvert|ouverte|propos[ée]e?|[àa]\s+pourvoir)\s+en\s+t[ée]l[ée]travail\b)|[.!?]\s+(?:fully\s+)?remote\s*(?:[.!]|$)`)

// remoteScopeNot are values that deny remote work after a remote label
// ("Remote - no", "Remote (none)").
var remoteScopeNot = wordSet("no", "non", "not", "none", "nope", "aucun", "pas", "n")

// remoteOtherSense are words after "remote" that make it something other
// than a way of working ("remote sensing", "remote control").
var remoteOtherSense = wordSet("sensing", "control", "controlled", "monitoring")

// remoteScopeStated reports such a statement in a description (folded).
func remoteScopeStated(d *scanText) bool {
	for _, m := range remoteScopeRe.FindAllStringIndex(d, 5) {
		// "Remote - no", "Location: Remote (not possible)": a denial in
		// the two words after the remote word.
		seg := d.low[m[0]:min(len(d.low), m[1]+20)]
		i := strings.Index(seg, "remote")
		n := len("remote")
		if j := strings.Index(seg, "teletravail"); i < 0 || j >= 0 && j < i {
			i, n = j, len("teletravail")
		}
		denied := false
		if i >= 0 {
			words := strings.FieldsFunc(seg[i+n:], func(r rune) bool { return !unicode.IsLetter(r) })
			for k := 0; k < min(2, len(words)); k++ {
				denied = denied || remoteScopeNot[words[k]]
			}
			// "Location: Remote sensing lab": another sense of the word.
			denied = denied || len(words) > 0 && remoteOtherSense[words[0]]
		}
		if !denied {
			return true
		}
	}
	return false
}

// onlyPlacesRe is hiring restricted to named places in strong terms: "we
// can only employ people in Spain and Portugal", "we are only able to hire
// candidates based in the US", "open only to applicants located in the
// UK", "restricted to residents of Canada". Group 1 is the place part. A
// board's region field gives way to it (boardfield.go).
var onlyPlacesRe = newFastRe(`(?i)\b(?:(?:can|could|are\s+able\s+to|is\s+able\s+to|will)\s+only\s+(?:legally\s+)?(?:hire|employ|recruit|engage|onboard|pay|accept|consider|work\s+with)|(?:only|solely|exclusively)\s+(?:able\s+to\s+)?(?:hire|hiring|employ|employing|recruit|recruiting|engage|onboard|accept|accepting|consider|considering)|(?:restricted|limited)\s+(?:only\s+|solely\s+|exclusively\s+)?to|(?:open|available)\s+(?:only|solely|exclusively)\s+(?:to|in|for)|only)\s+(?:(?:people|candidates|applicants|residents|employees|contractors|talent|individuals|anyone|those|someone|team\s+members|applications)\s+)?(?:(?:who\s+(?:are\s+|live\s+|reside\s+)?)?(?:currently\s+|legally\s+|permanently\s+)?(?:based|located|living|residing|resident|live|reside)\s+)?(?:in|from|within|of)\s+(?:the\s+)?([^.;\n]{1,60})`)

// morePlacesRe are other requirement phrases naming where applicants
// live: "someone who lives in one of the following countries", "we also
// accept applicants from Morocco", "we hire people based in Kenya",
// "candidates who reside in Quebec", darija "li saknin f lMaghrib" (who
// live in Morocco), a remote job's "Country:" or "Lieu :" label. Group 1
// is the place part.
var morePlacesRe = newFastRe(`(?i)\b(?:(?:who|that)\s+(?:currently\s+|already\s+|permanently\s+)?(?:lives?|resides?|is\s+based|are\s+based|is\s+located|are\s+located)\s+in|accept(?:s|ing)?\s+(?:applications|applicants|candidates|candidatures|people|contractors|hires)\s+(?:(?:based|located|living|residing)\s+)?(?:from|in)|(?:hire|hires|hiring|employ|employs|employing|recruit|recruiting)\s+(?:people|candidates|applicants|talent|engineers|contractors|employees|staff|residents)\s+(?:(?:based|located|living|residing)\s+)?(?:from|in|within|across)|(?:if|when|provided|as\s+long\s+as)\s+you\s+(?:currently\s+)?(?:live|reside|are\s+based|are\s+located|are\s+living)\s+in|(?:any|every)\s+country\s+(?:in|of|across|within)|n'importe\s+quel\s+pays\s+(?:d'|de\s+l'|de\s|du\s|des\s|en\s)|(?:li|lli|elli)\s+(?:saknin|sakna|saken|sakin|kaysknou|kayskno|3aychin|mqimin)\s+(?:f|fi|fel)\b|(?:lieu|lieu\s+de\s+travail|where|country|pays)\s*:)\s*(?:the\s+)?([^.;\n]{1,80})`)

// titleScope reads where a remote job is open from its title, when the
// text said nothing: "Remote Data Analyst (Morocco)", "Data Engineer
// (Remote - EMEA)", "Télétravail - Développeur PHP (Maroc)". Only short
// parts of the title (in brackets, or between dashes, commas or bars) that
// are nothing but places are read, so "Java Developer (Spring)" reads
// nothing.
func titleScope(title string) Eligibility {
	if !remoteWordRe.MatchString(newScanText(stripAccents(title))) {
		return Eligibility{}
	}
	var places []string
	for _, part := range strings.FieldsFunc(title, func(r rune) bool {
		return r == '(' || r == ')' || r == '[' || r == ']' || r == ',' || r == '|' || r == '–' || r == '—' || r == '/'
	}) {
		for _, q := range strings.Split(part, " - ") {
			q = strings.TrimSpace(q)
			if q == "" || titleJobCodes[q] || len(strings.Fields(q)) > 4 || !wholePlaces(q) {
				continue
			}
			if e := ParseEligibility(q); e.Known && !e.Worldwide && e.UTCOffsetMin == nil {
				places = append(places, q)
			}
		}
	}
	if len(places) == 0 {
		return Eligibility{}
	}
	return ParseEligibility(places...)
}

// titleRemoteWords may stand beside the places of a title part.
var titleRemoteWords = wordSet("remote", "fully", "teletravail", "remoto", "only", "uniquement", "based")

// wholePlaces reports a title part made of nothing but places (countries,
// regions, cities of the gazetteer, joined by "&", "and", "et", "or") and
// remote words: "Remote - EMEA", "Maroc", "US & Canada"; not "Account
// Executive DACH" or "Spring Boot".
func wholePlaces(q string) bool {
	found := false
	for _, piece := range splitWords(" "+q+" ", " & ", " and ", " et ", " or ", " ou ", " - ", ": ") {
		words := strings.Fields(strings.Trim(piece, " :-"))
		for len(words) > 0 && titleRemoteWords[fold(words[0])] {
			words = words[1:]
		}
		for len(words) > 0 && titleRemoteWords[fold(words[len(words)-1])] {
			words = words[:len(words)-1]
		}
		if len(words) == 0 {
			continue
		}
		k := strings.Join(words, " ")
		if _, ok := CountryCode(k); !ok {
			if _, ok := regionNames[fold(k)]; !ok {
				if _, ok := lookupCity(k); !ok {
					return false
				}
			}
		}
		found = true
	}
	return found
}
