package jobs

import (
	"slices"
	"strings"
)

// Exclusions. Ads that open a remote job widely often name who may not
// apply: "worldwide except sanctioned countries (Cuba, Iran, ...)",
// "Global (excluding EU)", "from any country other than India",
// "à l'exception du Maroc", "باستثناء ...", "we cannot employ people in
// the EU". The places after such a marker go to
// Eligibility.ExcludedCountries (a region through its members) and are
// cut out of the text before anything else reads it, so an excluded
// place is never read as an admitted one.

// exclusionRe is a marker of exclusion; the places follow it.
var exclusionRe = newFastRe(`(?i)(?:\bexcept[ée]s?\b|\bexcept\b(?:\s+for|\s+in|\s+from)?|\bexcluding\b|\bexcl\b\.?|\bexclusion\s+of|\bwith\s+the\s+exception\s+of|\bapart\s+from|\bother\s+than|\boutside\s+of|\bbut\s+not(?:\s+in|\s+from)?|\bnot\s+(?:open|available)\s+(?:to|in)|\b(?:cannot|can['’]t|can\s+not|are\s+unable\s+to|unable\s+to|do\s+not|don['’]t|will\s+not|won['’]t|not\s+able\s+to)\s+(?:currently\s+)?(?:hire|employ|recruit|accept|consider|support|pay|onboard|work\s+with|contract\s+with)(?:\s+(?:people|applicants|candidates|applications|anyone|employees|contractors|freelancers|talent))?(?:\s+(?:based|located|living|residing))?(?:\s+anywhere)?\s+(?:in|from)|\b(?:places|countries|locations|regions)\s+(?:where\s+|in\s+which\s+)?we\s+(?:cannot|can['’]t|can\s+not|are\s+unable\s+to|are\s+not\s+able\s+to|do\s+not|don['’]t)\s+(?:currently\s+)?(?:hire|employ|recruit|pay|onboard)(?:\s+(?:in|from))?\s+(?:are|is|include)|\bsauf(?:\s+en|\s+au|\s+aux|\s+dans|\s+depuis|\s+pour)?|\ba\s+l['’]exception\s+(?:de\s+la|de\s+l['’]|des|du|de|d['’])|\bhormis\b|\ba\s+part\b|\bhors(?:\s+de\s+l['’]|\s+du|\s+de\s+la|\s+des)?\b|\bne\s+pouvons\s+pas\s+(?:recruter|embaucher|employer|travailler\s+avec|collaborer\s+avec)(?:\s+(?:de|des)\s+(?:candidats|personnes|freelances|talents))?\s+(?:bas[ée]s\s+|r[ée]sidant\s+)?(?:en|au|aux|dans|a)|باستثناء|ما\s*عدا|عدا|ما\s*خلا|(?:يستثنى|تستثنى|نستثني|يُستثنى|مستثنى)(?:\s+من\s+(?:التقديم|الترشح|التوظيف|ذلك|هذه\s+الوظيفة|هذا\s+العرض))?|(?:لا|لن)\s+(?:نقبل|يقبل|تقبل|نستطيع\s+توظيف|يمكننا\s+(?:توظيف|قبول)|نوظف|يحق\s+ل)(?:\s+طلبات)?)\s*(?:the\s+|le\s+|la\s+|les\s+|l['’])?`)

// exclusionBeforeRe names the excluded place before the denial:
// "Candidates from Morocco are not eligible", "applicants based in the EU
// will not be considered", "les candidats résidant au Maroc ne sont pas
// éligibles". Group 1 is the place.
var exclusionBeforeRe = newFastRe(`(?i)\b(?:candidates?|applicants?|applications?|people|residents?|those|anyone|talent|candidats?|candidatures?|personnes|profils?)\s+(?:who\s+(?:are|live)\s+)?(?:from|in|based\s+in|located\s+in|living\s+in|residing\s+in|resident\s+in|de|du|des|d'|en|au|aux|bas[ée]s?\s+(?:en|au|aux|a|à|dans)|r[ée]sidant\s+(?:en|au|aux|a|à|dans)|situ[ée]s?\s+(?:en|au|aux|a|à|dans))\s+(?:the\s+|le\s+|la\s+|les\s+|l')?([^.;\n]{1,60}?)\s+(?:(?:are|is|will|would|may)\s+not\s+(?:be\s+)?(?:eligible|considered|accepted|able\s+to\s+apply)|(?:cannot|can't|can\s+not|may\s+not)\s+(?:apply|be\s+considered)|ne\s+(?:sont|seront|peuvent|pourront)\s+pas|n'est\s+pas\s+(?:ouvert|accessible|eligible))`)

// denialRe is the end of every match of exclusionBeforeRe: a cheap test
// before that pattern, whose start ("candidates in") is common.
var denialRe = newFastRe(`(?i)\b(?:not\s+(?:be\s+)?(?:eligible|considered|accepted)|cannot\s+apply|can't\s+apply|can\s+not\s+apply|may\s+not\s+apply|ne\s+sont\s+pas|ne\s+seront\s+pas|ne\s+peuvent\s+pas|ne\s+pourront\s+pas|n'est\s+pas|ne\s+(?:sera|seront|sont)\s+pas)\b`)

// excludedAfterRe is a denial after the place: "Morocco excluded",
// "Morocco-based candidates are not eligible", "Maroc exclu", "Morocco
// and Tunisia are not welcome", "Algérie et Maroc ne sont pas éligibles".
var excludedAfterRe = newFastRe(`(?i)\b(?:excluded|exclus|exclue|exclues|exclu|not\s+eligible|ineligible|non\s+[ée]ligibles?|not\s+accepted|not\s+(?:be\s+)?(?:welcome|considered)|(?:cannot|can't|can\s+not|may\s+not)\s+apply|ne\s+(?:sont|seront)\s+pas\s+(?:[ée]ligibles?|accept[ée]e?s|admise?s|retenue?s|les\s+bienvenue?s)|ne\s+peuvent\s+pas\s+postuler|not\s+(?:among|one\s+of|on\s+the\s+list\s+of|part\s+of|in\s+the\s+list\s+of)\s+(?:the\s+|our\s+)?(?:countries|locations|places|regions|eligible)|ne\s+fait\s+pas\s+partie\s+des\s+pays)\b|غير\s+(?:مرحب|م[ؤو]هلين|م[ؤو]هل|م[ؤو]هلة|مقبولين|مقبولة|مقبول|مشمولين|مشمول)|(?:لا|لن)\s+(?:يحق\s+لهم|يمكنهم|يستطيعون|تقبل\s+طلباتهم|يقبلون)|مستثنون|مستثنين|مستبعدون|مستبعدين`)

// excludedAfterNoise are words between the place and the denial.
var excludedAfterNoise = wordSet("are", "is", "be", "will", "candidates", "candidate", "applicants", "applicant",
	"residents", "resident", "citizens", "nationals", "people", "based", "sont", "est", "candidats", "candidat",
	"residents", "profils", "from", "in", "de", "du", "des", "en", "au", "aux", "the", "le", "la", "les",
	"المقيمون", "المقيمين", "المرشحون", "المرشحين", "المتقدمون", "المتقدمين", "في", "من", "داخل")

// placesBeforeDenial reads the places named right before each denial of
// excludedAfterRe and returns the text without those statements.
func placesBeforeDenial(st *scanText) (rest string, excluded []string) {
	t := st.s
	var b strings.Builder
	last := 0
	for _, m := range excludedAfterRe.FindAllStringIndex(st, 10) {
		start := m[0]
		var words []string
		// Up to six words back, skipping the noise words, in the clause.
		j := m[0]
		for k := 0; k < 6; k++ {
			w := wordsBefore(t, j, 1)
			if w == "" {
				break
			}
			j -= len(w)
			for j > 0 && (t[j-1] == ' ' || t[j-1] == '-') {
				j--
			}
			w = strings.TrimSpace(w)
			if excludedAfterNoise[strings.ToLower(w)] {
				start = j
				continue
			}
			words = append([]string{w}, words...)
			start = j
			if len(words) == 3 {
				break
			}
		}
		if len(words) == 0 || start < last {
			continue
		}
		var e Eligibility
		parseEligibilityClause(arabicListed(strings.Join(words, " ")), &e, func(a, b float64) {})
		cs := slices.Clone(e.Countries)
		for _, r := range e.Regions {
			cs = append(cs, regionMembers()[r]...)
		}
		if len(cs) == 0 {
			continue
		}
		excluded = append(excluded, cs...)
		b.WriteString(t[last:start])
		b.WriteByte(' ')
		last = m[1]
	}
	if last == 0 {
		return t, nil
	}
	b.WriteString(t[last:])
	return b.String(), excluded
}

// arabicListed splits an Arabic list of places joined by و ("مصر
// والمغرب") for the place reader; other text is returned as is.
func arabicListed(s string) string {
	if !hasArabic(s) {
		return s
	}
	return arabicPlaceList(s)
}

// exclusionAny finds any of the exclusion markers in one pass.
var exclusionAny = newMultiRe(exclusionRe, excludedAfterRe, denialRe)

// sanctionedRe names the usual sanctions list without giving it.
var sanctionedRe = newFastRe(`(?i)\b(?:sanction(?:ed|s)?|embargo(?:ed|es)?|ofac)\b`)

// sanctionedCountries are the comprehensively sanctioned countries ads
// mean by "sanctioned countries" when they give no list.
var sanctionedCountries = []string{"CU", "IR", "KP", "SY"}

// exclusionStops end the list of excluded places: the reason or the next
// thought ("due to payroll", "for tax reasons", "pour des raisons").
var exclusionStops = []string{" due ", " because", " for ", " as ", " owing", " pour ", " en raison", " car ", " since ",
	" where ", " which ", " who ", " we ", " our ", " ou nous", " where", " لاسباب", " لأسباب", " بسبب", " but ", " mais ",
	" is ", " are ", " until ", " jusqu"}

// cutExclusions returns t without its exclusion statements and the
// countries they exclude; any reports that an exclusion marker naming at
// least one place was found. t must already be accent-stripped (every
// position is read in t itself).
func cutExclusions(t string) (rest string, excluded []string, any bool) {
	return cutExclusionsIn(newScanText(t))
}

// cutExclusionsIn is cutExclusions on a prepared text.
func cutExclusionsIn(st *scanText) (rest string, excluded []string, any bool) {
	t := st.s
	if !exclusionAny.all.MatchString(st) {
		return t, nil, false // one pass for the three markers below
	}
	if excludedAfterRe.MatchString(st) {
		if r, ex := placesBeforeDenial(st); len(ex) > 0 {
			t, any = r, true
			excluded = append(excluded, ex...)
			st = newScanText(t)
		}
	}
	if denialRe.MatchString(st) && exclusionBeforeRe.MatchString(st) {
		var b strings.Builder
		last := 0
		for _, m := range exclusionBeforeRe.FindAllStringSubmatchIndex(st, 10) {
			var e Eligibility
			parseEligibilityClause(t[m[2]:m[3]], &e, func(a, b float64) {})
			cs := slices.Clone(e.Countries)
			for _, r := range e.Regions {
				cs = append(cs, regionMembers()[r]...)
			}
			if len(cs) == 0 || m[0] < last {
				continue
			}
			excluded = append(excluded, cs...)
			b.WriteString(t[last:m[0]])
			b.WriteByte(' ')
			last = m[1]
		}
		if last > 0 {
			b.WriteString(t[last:])
			t, any = b.String(), true
			st = newScanText(t)
		}
	}
	if !exclusionRe.MatchString(st) {
		if any {
			slices.Sort(excluded)
			excluded = slices.Compact(excluded)
		}
		return t, excluded, any
	}
	var b strings.Builder
	last := 0
	for _, m := range exclusionRe.FindAllStringIndex(st, 10) {
		if m[0] < last {
			continue
		}
		end := exclusionEnd(t, m[0], m[1])
		list := t[m[1]:end]
		var e Eligibility
		parseEligibilityClause(arabicListed(list), &e, func(a, b float64) {})
		var cs []string
		cs = append(cs, e.Countries...)
		for _, r := range e.Regions {
			cs = append(cs, regionMembers()[r]...)
		}
		if len(cs) == 0 && sanctionedRe.MatchString(newScanText(list)) {
			cs = append(cs, sanctionedCountries...)
		}
		if len(cs) == 0 {
			continue
		}
		excluded = append(excluded, cs...)
		b.WriteString(t[last:m[0]])
		b.WriteByte(' ')
		last = end
	}
	if last == 0 {
		slices.Sort(excluded)
		return t, slices.Compact(excluded), any
	}
	b.WriteString(t[last:])
	slices.Sort(excluded)
	return b.String(), slices.Compact(excluded), true
}

// exclusionEnd finds the end of the list of places after an exclusion
// marker at [start, from): the end of the sentence, the closing
// parenthesis when the marker is inside one, or a word that starts the
// reason.
func exclusionEnd(t string, start, from int) int {
	depth := 0
	for i := start - 1; i >= 0 && i >= start-80; i-- {
		c := t[i]
		if c == '.' || c == '\n' || c == ';' {
			break
		}
		if c == ')' {
			depth--
		}
		if c == '(' {
			depth++
		}
	}
	end := len(t)
	inner := 0
	for i := from; i < len(t); i++ {
		c := t[i]
		if c == '\n' || c == ';' || c == '!' || c == '?' {
			end = i
			break
		}
		if c == '.' && (i+1 >= len(t) || t[i+1] == ' ' || t[i+1] == '\n') && !(i >= 2 && t[i-2] == '.') {
			end = i
			break
		}
		if c == '(' {
			inner++
		}
		if c == ')' {
			if inner == 0 && depth > 0 {
				end = i
				break
			}
			inner--
			if inner <= 0 {
				inner = 0
			}
		}
		if i-from > 200 {
			end = i
			break
		}
	}
	low := lowerSameOffsets(t[from:end])
	// "…, as well as Russia and Belarus": the list goes on (" as " alone
	// starts a reason).
	if i := strings.Index(low, " as well as "); i >= 0 && startsWithPlace(strings.TrimPrefix(strings.TrimSpace(low[i+len(" as well as "):]), "the ")) {
		low = low[:i] + " and also    " + low[i+len(" as well as "):]
	}
	for _, s := range exclusionStops {
		if i := strings.Index(low, s); i >= 0 {
			end = from + i
			low = low[:i]
		}
	}
	// A comma then a clause ("…, we pay in USD") ends the list too; a
	// comma between places does not, which the place reader sorts out.
	return end
}
