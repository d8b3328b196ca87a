package jobs

import (
	"regexp"
	"strings"
)

// Reading classes found by the third held-out ranking set (issue #13,
// matcher/testdata/eval/heldout3), each written as a general rule and
// tested with other phrasings than the ad that showed it (classes13_test.go).

// internshipAssetRe is an internship named as an asset of the candidate,
// not the job offered: "un premier stage en ML est un plus", "a data
// internship would be an advantage", "stage réussi en BI", "completed
// internships". The employment reader blanks it like pastInternshipRe.
var internshipAssetRe = newFastRe(`(?i)\b(?:(?:stages?|internships?)\b[^.;\n]{0,40}?\b(?:est|serait|sont|seraient|is|are|would\s+be|will\s+be)\s+(?:un\s+|une\s+|a\s+|an\s+|considered\s+(?:a\s+|an\s+)?|un\s+vrai\s+|a\s+real\s+|a\s+big\s+|a\s+strong\s+)?(?:plus|atout|bonus|avantage|advantage|asset|appr[ée]ci[ée]e?s?|souhait[ée]e?s?|preferred|desirable|valued)|(?:past|successful|completed)\s+internships?|stages?\s+(?:r[ée]ussis?|valid[ée]s?))`)

// contractorHoursRe is a contractor named with the hours or the way of
// hiring: "Full-time contractor", "part-time contractors", "hired as a
// contractor", "on a contractor basis". The hours do not make a permanent
// post: it reads as a contract (an "independent contractor" is read as
// freelance elsewhere, and is left as it is).
var contractorHoursRe = newFastRe(`(?i)\b(?:(?:independent|freelance)\s+contractors?(?:\s+(?:position|role|basis|agreement|engagement))?|(?:full|part)[\s_-]?time\s+contractors?|(?:hired|engaged|employed|working|work|join(?:ing)?)\s+(?:us\s+)?as\s+(?:an?\s+)?contractors?|on\s+a\s+contractor\s+basis|contractor\s+(?:position|role|basis|agreement|engagement))\b`)

// contractorRewrite is what a contractorHoursRe phrase reads as, keeping
// part-time hours.
func contractorRewrite(d *scanText) *scanText {
	if !contractorHoursRe.MatchString(d) {
		return d
	}
	return newScanText(contractorHoursRe.re.ReplaceAllStringFunc(d.s, func(m string) string {
		if independentLeadRe.MatchString(m) {
			return m // freelance, read as such
		}
		if partTimeLeadRe.MatchString(m) {
			return " part-time, contract role "
		}
		return " contract role "
	}))
}

var (
	partTimeLeadRe    = regexp.MustCompile(`(?i)^part`)
	independentLeadRe = regexp.MustCompile(`(?i)^(?:independent|freelance)`)
)

// yearsOfFieldRe is the candidate's years in a line of work named after
// the unit by a noun of engineering or research, with up to three words of
// field between: "1–2 years of ML engineering", "3 years of backend
// development", "2 ans de développement Java", "4 years of applied
// research". The company's years ("20 years of innovation") are dropped
// by yearsNotAfterRe before.
var yearsOfFieldRe = regexp.MustCompile(`(?i)^\s*(?:of|in|d'|de|en|dans\s+(?:le|la|l'))\s*(?:[a-z0-9+#./-]+\s+){0,3}?(?:engineering|development|programming|research|analytics|analysis|coding|devops|mlops|data\s+science|machine\s+learning|ingenierie|developpement|programmation|recherche|analyse|data\s+engineering)\b`)

// requirementHeadingWords open a requirements list: a language named in a
// line "Requirements: …" is asked of the candidate ("Requirements: 5
// years in vision, C++ and Python, French and English").
var requirementHeadingWords = wordSet("requirements", "requirement", "required", "exigences", "exige", "prerequis",
	"qualifications", "must", "requis", "anforderungen", "voraussetzungen", "requisitos", "المتطلبات", "الشروط",
	"المؤهلات", "متطلبات", "شروط")

// requirementHeading reports a sentence opened by a requirements heading
// of at most three words and a colon ("Requirements:", "Must have:",
// "Profil requis :", "المتطلبات:").
func requirementHeading(toks []ltok) bool {
	for i := 0; i < len(toks) && i <= 3; i++ {
		if toks[i].punct == ':' {
			for _, t := range toks[:i] {
				if requirementHeadingWords[t.w] {
					return true
				}
			}
			return false
		}
		if toks[i].punct != 0 {
			return false
		}
	}
	return false
}

// workAuthFrRe is a French requirement of a work authorization in a
// country: "disposer d'une autorisation de travail valide en France",
// "être titulaire d'un permis de travail pour le Canada", "avoir le droit
// de travailler au Royaume-Uni", "être autorisé(e) à travailler en
// Belgique". It reads like "authorized to work in" (the country it names
// is where the candidate must already be allowed to work).
var workAuthFrRe = newFastRe(`(?i)\b(?:(?:disposer|dispose[zr]?|disposant|titulaire|avoir|etre\s+en\s+possession|posseder)\s+(?:d'une?|de\s+l'|du|le|la|un|une)\s+(?:autorisation|permis|droit)\s+(?:de\s+travail|de\s+travailler)\s+(?:valide\s+|valable\s+|en\s+cours\s+de\s+validite\s+)?|autorise(?:e|\(e\)|\.e|·e)?s?\s+a\s+travailler\s+)(?:en|au|aux|pour\s+(?:la|le|les|l')|dans\s+(?:la|le|les|l'))\s*([^.;\n]{1,60})`)

// arabicRangeEnd reports the far end of an Arabic range of years: a dual
// ("سنتين"), a number word or digits ("سنة إلى 3 سنوات").
func arabicRangeEnd(w string) bool {
	core := trimArabicPunct(w)
	return arabicYearDuals[core] || arabicNumberWords[core] != "" || startsWithDigit(core)
}

func trimArabicPunct(w string) string { return strings.TrimRight(w, ".,;:،؛)") }

// workAuthEnRe is a requirement, asked of the candidate, to be allowed to
// work in a country already: "must be legally authorized to work in
// Canada", "eligible to work in the UK", "you must hold a valid work
// permit for Germany", "right to work in Ireland".
var workAuthEnRe = newFastRe(`(?i)\b(?:(?:authori[sz]ed|eligible|entitled|permitted|allowed)\s+to\s+work\s+in|right\s+to\s+work\s+in|(?:hold|have|possess)\s+(?:a\s+)?(?:valid\s+|current\s+)?(?:work\s+permit|work\s+authori[sz]ation|work\s+visa)\s+(?:for|in))\s+(?:the\s+)?([^.;\n]{1,60})`)

// workAuthorization reads, in the text of an on-site or unknown-workplace
// job, the countries where the candidate must already be allowed to work
// (workAuthEnRe, workAuthFrRe): the zero Eligibility when it states none.
// Remote and hybrid jobs read it with every other requirement phrase;
// an on-site job's other place phrases ("based in Paris") describe its
// office, so only these are read there.
func workAuthorization(d *scanText) Eligibility {
	var ph []string
	for _, re := range []*fastRe{workAuthEnRe, workAuthFrRe} {
		for _, m := range re.FindAllStringSubmatch(d, 5) {
			ph = append(ph, cutAtStops(m[1]))
		}
	}
	if len(ph) == 0 {
		return Eligibility{}
	}
	e := ParseEligibility(ph...)
	if !e.Known || e.Worldwide || len(e.Countries) == 0 || len(e.Regions) > 0 || e.UTCOffsetMin != nil {
		return Eligibility{}
	}
	return Eligibility{Known: true, Countries: e.Countries}
}

// onsitePlaceRe is the French "sur place" said of the job: "Travail sur
// place à Rabat", "Poste permanent à temps plein, sur place à Montréal",
// "le poste est sur place", "mission sur place chez le client". Group 1 is
// the word after "sur place à …" ("sur place à disposition" is a
// facility, not a way of working).
var onsitePlaceRe = newFastRe(`(?i)\b(?:(?:poste|travail|emploi|mission)\s+(?:(?:est|sera|permanent|a\s+temps\s+(?:plein|partiel))\s*,?\s+)*sur\s+place\b|sur\s+place\s+(?:a|au|aux|dans|en|chez)\s+([\pL']+))`)

// onsitePlace reports a job the text says is done "sur place".
func onsitePlace(d *scanText) bool {
	for _, m := range onsitePlaceRe.FindAllStringSubmatch(d, 5) {
		if !strings.EqualFold(m[1], "disposition") {
			return true
		}
	}
	return false
}
