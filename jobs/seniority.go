package jobs

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Seniority is read from the evidence an ad gives, strongest first:
//
//  1. internship words (title, level fields): "Stage", "Intern", "PFE",
//     "Alternance" ("Alternance - Manager Commerce" is a trainee role),
//     and contracts that are all internships or apprenticeships (a
//     "Chef de projet digital" under a contrat d'apprentissage);
//  2. explicit level words: lead ("Head of", "Director", "Manager", ...)
//     and senior ("Senior", "Sr", "Staff", "Principal"); then a title
//     that welcomes beginners ("(No Experience Required)", "jeunes
//     diplômés bienvenus") is junior;
//  3. an internship or apprenticeship contract beside other contracts;
//  4. an explicit experience requirement: "5+ years", "3-5 ans
//     d'expérience", "at least 5 years", "Expérience : 0-2 ans", mapped
//     to a level by experienceLevels;
//  5. weaker level words: "Expert", "Expérimenté", "Junior", "Débutant",
//     "Confirmé", "Experienced", "Mid-level";
//  6. junior phrases in the description: "débutant accepté", "première
//     expérience", "jeune diplômé", "no experience required".
//
// So "Ingénieur ML Confirmé (5 ans d'expérience minimum)" is senior: the
// requirement outranks the vague title word. Years are read only from
// requirement phrasing, never from "our 10 years of history" or "founded
// 20 years ago".

// experienceLevels maps the minimum years of experience an ad requires to
// a level: the one place where years become levels. A range ("3-5 ans")
// counts by its lower bound, "less than N years" as 0.
//
//	0–1 year   junior
//	2–4 years  mid
//	5+ years   senior (8+ too: years do not say whether the role leads
//	           people, so lead comes only from words such as "Head of")
var experienceLevels = []struct {
	minYears int
	level    string
}{
	{5, SenioritySenior},
	{2, SeniorityMid},
	{0, SeniorityJunior},
}

// maxRequiredYears: a larger number is about the company ("fort de 20 ans
// d'expérience"), not a requirement on the candidate.
const maxRequiredYears = 15

// LevelForYears returns the seniority level for a required minimum
// experience in years (see experienceLevels); "" for a negative or
// implausible number.
func LevelForYears(years int) string {
	if years < 0 || years > maxRequiredYears {
		return ""
	}
	for _, l := range experienceLevels {
		if years >= l.minYears {
			return l.level
		}
	}
	return ""
}

// Level words, matched on accent-stripped text.
var (
	internshipWordsRe = newFastRe(`(?i)\b(intern|internship|stagiaire|stage|praktikum|praktikant(in)?|werkstudent(in)?|alternance|alternant(e)?|apprenti(e)?|pfe|trainee)\b`)
	leadWordsRe       = newFastRe(`(?i)\b(head\s+of|lead|director|directeur|directrice|vp|vice\s+president|chief|cto|cdo|manager|responsable|chef\s+d'[ée]quipe|chef\s+de\s+service|chef\s+de\s+p[ôo]le|team\s+lead(er)?|tech\s+lead|leiter(in)?)\b|مدير|ر[ئي]يس\s+(?:قسم|فريق|مصلحة)|قا[ئي]د\s+فريق`)
	// Staff and principal are senior individual contributors (DESIGN.md).
	seniorWordsRe = newFastRe(`(?i)\b(senior|sr|s[ée]nior|staff|principal)\b`)
	// Arabic titles put the level after the noun: "مهندس أول", "كبير".
	arabicSeniorTitleRe = newFastRe(`(?:\s|^)(?:[أا]ول|كبير|خبير)(?:\s|$)`)
	// "Lead Generation" is a trade, not a level.
	leadTradeRe = newFastRe(`(?i)\blead[\s-]*(?:gen(?:eration)?|nurturing|qualification|scoring|sourcing)\b|\bleads\b`)
	// "Senior Living", "senior citizens", "Senior Care": senior names the
	// people served, not the level (like "Lead Generation").
	seniorServedRe = newFastRe(`(?i)\bseniors?[\s-]+(?:living|citizens?|care|homes?|residents?|residences?|housing|centers?|centres?|community|communities|adults?|people|patients|clients|services|day\s+care|facility|facilities)\b`)
	// arabicTeamLeadRe is "قائد الفريق" (the team's leader) after
	// accent folding; leadWordsRe has "قائد فريق".
	arabicTeamLeadRe = newFastRe(`قا[ئي]د\s+الفريق`)
	// noReportsRe says the job manages nobody: a "Sales Manager" with
	// "no direct reports" is a manager of work.
	noReportsRe = newFastRe(`(?i)\b(?:no\s+(?:direct\s+)?reports|without\s+(?:direct\s+)?reports|individual[\s-]+contributor\s+(?:role|position)|(?:this\s+is\s+an?|an?)\s+(?:ic|individual[\s-]+contributor)\s+(?:role|position)|sans\s+(?:management|encadrement)(?:\s+d'[ée]quipe)?|pas\s+de\s+(?:management|encadrement)(?:\s+d'[ée]quipe)?)\b`)
	// A product, project or account manager manages work, not people
	// (DESIGN.md: a manager of people is lead): such a title asks for
	// experience, and reads as senior.
	icManagerRe = newFastRe(`(?i)\b(?:product|project|program|programme|account|key\s+account|customer\s+success|success|business\s+development|community|content|marketing|campaign|social\s+media|office|category|partner|partners|partnership|partnerships|relationship|case|property|event|events|brand|territory|channel|release|delivery|growth|e-?commerce)\s+(?:operations?\s+|ops\s+)?manager\b|\bresponsable\s+d'affaires\b|\bchef\s+de\s+projets?\b`)
	// juniorICRe is a beginner's qualifier before a manager of work.
	juniorICRe = newFastRe(`(?i)\b(?:associate|junior|jr|graduate|trainee|entry[\s-]level)\s+(?:\pL+\s+){1,2}manager\b|\bchef\s+de\s+projets?\s+junior\b`)
	// Weaker words, in the order they are tried.
	weakLevelWords = []struct {
		re    *fastRe
		level string
	}{
		{newFastRe(`(?i)\b(exp[ée]riment[ée](e)?s?|expert(e)?)\b`), SenioritySenior},
		{newFastRe(`(?i)\b(junior|jr|d[ée]butant(e)?|entry[\s-]level|graduate|new\s+grad|jeune\s+dipl[ôo]m[ée](e)?|early\s+career|associate|einsteiger|berufseinsteiger)\b`), SeniorityJunior},
		{newFastRe(`(?i)\b(mid|mid[\s-]level|intermediate|confirm[ée](e)?|midweight|medior|experienced)\b`), SeniorityMid},
	}
)

// internshipWord reports an internship word; "stage" alone must read as
// the French word ("Stage - Data", "un stage"), not "early-stage".
func internshipWord(t *scanText) bool {
	m := internshipWordsRe.FindString(t)
	if m == "" {
		return false
	}
	if strings.EqualFold(m, "stage") && !stageInFrenchRe.MatchString(t) && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(t.s)), "stage") {
		return false
	}
	return true
}

// strongLevel returns lead or senior from explicit words, "" otherwise.
func strongLevel(t *scanText) string {
	if leadTradeRe.MatchString(t) {
		t = newScanText(leadTradeRe.ReplaceAllLiteralString(t, " "))
	}
	if seniorServedRe.MatchString(t) {
		t = newScanText(seniorServedRe.ReplaceAllLiteralString(t, " "))
	}
	ic := false
	if icManagerRe.MatchString(t) {
		if juniorICRe.MatchString(t) {
			// "Associate Product Manager", "Junior Project Manager": the
			// weak word decides.
			return ""
		}
		t, ic = newScanText(icManagerRe.ReplaceAllLiteralString(t, " ")), true
	}
	switch {
	case leadWordsRe.MatchString(t), arabicTeamLeadRe.MatchString(t):
		return SeniorityLead
	case seniorWordsRe.MatchString(t), arabicSeniorTitleRe.MatchString(t), ic:
		return SenioritySenior
	}
	return ""
}

// peopleManagerOnly reports a title whose only lead word is "manager"
// or "responsable" (not "Head of", "Director", "Team Lead").
func peopleManagerOnly(t *scanText) bool {
	for _, m := range leadWordsRe.FindAllString(t, 4) {
		if !strings.EqualFold(m, "manager") && !strings.EqualFold(m, "responsable") {
			return false
		}
	}
	return true
}

// icManagerOnly reports a title whose only level word is a manager of
// work ("Project Manager", "Chef de projet").
func icManagerOnly(t *scanText) bool {
	if !icManagerRe.MatchString(t) {
		return false
	}
	rest := newScanText(icManagerRe.ReplaceAllLiteralString(t, " "))
	return !leadWordsRe.MatchString(rest) && !seniorWordsRe.MatchString(rest) && !arabicSeniorTitleRe.MatchString(rest)
}

func weakLevel(t *scanText) string {
	for _, w := range weakLevelWords {
		if w.re.MatchString(t) {
			return w.level
		}
	}
	return ""
}

// Experience requirements. A number of years counts when the phrasing
// says it is asked of the candidate:
//   - a bound word before it: "at least", "minimum", "au moins", "min." or
//     "+" after it ("5+ years", "5 ans et plus");
//   - an experience word after it in the same clause ("3-5 years of
//     relevant experience", "2 ans d'expérience", "3 years in a similar
//     role", "2 years as a data engineer", "2 years of professional Go")
//     or a requirement word ("5 ans
//     minimum", "3 years required");
//   - an experience word before it ("Expérience : 0-2 ans", "une
//     expérience de 3 ans", "Experience required: 3+ years");
//   - in a level field or the title, a bare "3-5 ans".
//
// and never when the words around it speak of the company or of time
// ("our 10 years", "fort de 12 ans", "depuis 10 ans", "founded 20 years
// ago", "il y a 5 ans", "Bac+5").
var (
	// groups: 1 bound word, 2 low, 3 plus, 4 high, 5 plus after the range,
	// 6 plus after the unit.
	yearsReqRe = newFastRe(`(?i)(?:\b(at\s+least|no\s+(?:fewer|less)\s+than|not\s+less\s+than|pas\s+moins\s+de|a\s+minimum\s+of|minimum(?:\s+(?:of|de|d'))?|min\.?|au\s+moins|un\s+minimum\s+de|mindestens|over|more\s+than|plus\s+de|upwards\s+of|less\s+than|moins\s+de|under|up\s+to|jusqu'a|maximum|max\.?)\s*)?\b(\d{1,2})\s*(\+|plus\b)?\s*(?:(?:(?:years?|yrs?|ans?|annees?)\s+)?(?:-|–|—|to|a|bis|ou|or|et|and)\s*(\d{1,2})\s*(\+)?\s*)?(?:years?|yrs?|ans?|annees?|jahren?|jahre)\b\s*(\+|et\s+plus|and\s+(?:more|above|over)|or\s+more|ou\s+plus)?`)
	// After the unit, in the same clause: an experience word, a
	// requirement word, or a role ("3 years as a data engineer").
	yearsTailRe = regexp.MustCompile(`(?i)^(?:[^.,;:]{0,50}?\b(?:experience|exp|xp|erfahrung|berufserfahrung|anciennete|pratique|practice|hands-on)\b|[\s']*(?:d'|de\s+)?(?:minimum|min\b|mini\b|requis|required|exig|needed|necessaire|demande)|\s*(?:in|of|d'|de|dans)?\s*(?:an?\s+|un\s+)?(?:similar\s+(?:role|position)|poste\s+similaire)|\s*(?:as\s+an?|en\s+tant\s+qu)\b|\s*of\s+(?:professional|commercial|industry|industrial|production|hands-on|relevant|practical|proven|paid|full-time)\b|\s*(?:of\s+)?(?:building|developing|designing|deploying|shipping|running|working|writing|leading|managing|programming|coding|engineering|doing|using|delivering|maintaining)\b|\s*(?:dans|in|sur|within)\s+(?:le\s+|la\s+|les\s+|l'|un\s+|une\s+|the\s+|this\s+|a\s+|an\s+)?(?:domaine|secteur|metier|field|industry|domain|sector|space)\b)`)

	// yearsInSettingRe is the candidate's years in a kind of workplace
	// ("two to four years in a care setting", "3 years within an agency
	// team"); read like an activity, never after the company's own words.
	// yearsWithRe is the candidate's years with a tool or a kind of data
	// ("1-2 years with survey data", "3 ans sur Java", "5 years using
	// Spark"), not with the company ("10 years with us").
	yearsWithRe      = regexp.MustCompile(`(?i)^\s*(?:with|using|working\s+with|sur|avec)\s+(\S+)`)
	yearsWithNotRe   = regexp.MustCompile(`(?i)^(?:us|our|the|nous|notre|nos|them|you|vous|leur|leurs|a|an|le|la|les|un|une)$`)
	yearsInSettingRe = regexp.MustCompile(`(?i)^\s*(?:in|within)\s+(?:a|an|the)\s+(?:[a-z-]+\s+){0,4}?(?:setting|environment|role|position|capacity|function|team|company|startup|agency|firm|department)\b`)

	// yearsInFieldRe is the candidate's years in a line of work ("3-5
	// years in HR", "2 ans en comptabilité"), not in a place ("5 years in
	// Morocco") or a row.
	yearsInFieldRe = regexp.MustCompile(`(?i)^\s*(?:in|en|dans\s+la|dans\s+le|dans\s+l')\s*(?:hr|it|sales|b2b\s+sales|marketing|finance|accounting|audit|recruitment|recruiting|retail|hospitality|banking|insurance|logistics|procurement|supply\s+chain|customer\s+(?:service|support|success)|tech|software|engineering|data|analytics|payroll|nursing|healthcare|teaching|consulting|operations|ventes?|commercial|comptabilite|finance|rh|ressources\s+humaines|informatique|logistique|banque|assurance|recrutement|gestion|controle\s+de\s+gestion|paie|conseil|relation\s+client|centre\s+d'appels?|call\s+cent(?:er|re)|grande\s+distribution|restauration|hotellerie)\b`)

	// yearsGerundRe is an activity after the years: "4-6 years applying
	// statistics", "3 years analysing claims" (see notGerunds).
	yearsGerundRe = regexp.MustCompile(`^\s*(?:of\s+)?(?:professionally\s+|hands-on\s+)?([a-z]{2,}ing)\b`)
	// Before the number, in the same clause: an experience word ("Expérience
	// exigée : ", "une expérience professionnelle de", "Experience: ").
	yearsHeadRe = regexp.MustCompile(`(?i)\b(?:experience|exp\.|erfahrung|berufserfahrung|anciennete)\b[^.;]{0,40}$`)
	// The company's experience, not the candidate's.
	companyExperienceRe = regexp.MustCompile(`(?i)\b(?:our|notre|nos|their|leur|leurs|its)\s+(?:\w+\s+)?(?:experience|expertise|erfahrung)`)
	// Company or time context right before the number.
	yearsNotBeforeRe = regexp.MustCompile(`(?i)(?:\b(?:our|notre|nos|its|their|leurs?)\b[^.;]{0,12}|\b(?:fort|forte|forts|fortes|riche|depuis|since|founded|fondee?|creee?|established|il\s+y\s+a|pendant|during|for\s+the\s+(?:past|last)|over\s+the\s+(?:past|last)|ages?|agee?s?|aged|anniversary|anniversaire|celebrat\w*)\b[^.;]{0,25}|bac\s*\+\s*|\b(?:contrat|contract|cdd|cdi|mission|stage|internship|engagement|duree|duration|periode|period|renouvelable|renewable)\s+(?:de\s+|d'|of\s+)?(?:(?:minimum|min\.?|au\s+moins|at\s+least)\s+)?)$`)
	// Company, time or contract context right after the unit.
	yearsNotAfterRe = regexp.MustCompile(`(?i)^[\s,-]*(?:ago|old|d'existence|d'histoire|of\s+(?:history|existence|growth|innovation|excellence|operations?)|in\s+business|sur\s+le\s+marche|on\s+the\s+market|(?:de\s+|d')?(?:contract|contrat|cdd|mission|program|programme|degree|diplome|master|licence|bachelor|course|cursus|stud(?:y|ies)|etudes|formation|training|warranty|garantie))`)
)

// monthsAmountRe is an amount of months, as titles give a contract's or
// an internship's length ("Mission freelance – 6 mois", "Data engineer (12
// months)").
var monthsAmountRe = regexp.MustCompile(`(?i)\b(?:\d{1,2}|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|dix-huit|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen)\s*-?\s*(?:mois|months?|monate?n?)\b`)

// experienceWordRe names experience.
var experienceWordRe = regexp.MustCompile(`(?i)\b(?:exp[eé]riences?|exp\.?|xp|erfahrung|berufserfahrung)\b|خبرة|تجربة`)

// durationsOut blanks the amounts of months of a title or level field that
// does not speak of experience: there they are the length of the contract
// or internship, not a requirement ("Mission freelance – 6 mois" is no
// junior role; "Junior (6 mois d'expérience)" keeps its months).
func durationsOut(s string) string {
	if experienceWordRe.MatchString(s) || !monthsAmountRe.MatchString(s) {
		return s
	}
	return monthsAmountRe.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat(" ", len(m)) })
}

// requiredYears returns the largest minimum of experience s requires, in
// years (several requirements: the highest one decides). loose accepts a
// bare number of years ("3-5 ans"), as level fields and titles give them.
func requiredYears(s string, loose bool) (int, bool) {
	return requiredYearsIn(newScanText(yearsText(s)), loose)
}

// yearsText is the form requiredYearsIn reads.
func yearsText(s string) string {
	return spellYears(lowerQuotes(stripAccents(s)))
}

// lowerQuotes is strings.ReplaceAll(strings.ToLower(s), "’", "'") in one
// pass (no rune lower-cases to ’).
func lowerQuotes(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, i, len(s)+8)
	copy(b, s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r = unicode.ToLower(r); r == '’' {
			r = '\''
		}
		b = utf8.AppendRune(b, r)
		i += w
	}
	return string(b)
}

// requiredYearsIn is requiredYears on a text already made by yearsText.
func requiredYearsIn(t *scanText, loose bool) (int, bool) {
	s := t.s
	best, found := -1, false
	for _, m := range yearsReqRe.FindAllStringSubmatchIndex(t, 20) {
		lo, err := strconv.Atoi(s[m[4]:m[5]])
		if err != nil {
			continue
		}
		head, tail := clauseBefore(s, m[0]), clauseAfter(s, m[1])
		if yearsNotBeforeRe.MatchString(clauseBefore(s, m[4])) || yearsNotAfterRe.MatchString(tail) {
			continue
		}
		bound := ""
		if m[2] >= 0 {
			bound = strings.TrimSuffix(s[m[2]:m[3]], ".")
		}
		strong := false
		switch bound {
		case "less than", "moins de", "under", "up to", "jusqu'a", "maximum", "max":
			lo, strong = 0, true
		case "", "over", "more than", "plus de", "upwards of":
		default: // at least, minimum, au moins, ...
			strong = true
		}
		plus := m[6] >= 0 || m[10] >= 0 || m[12] >= 0
		ok := loose || strong || plus || yearsTailRe.MatchString(tail) ||
			((gerundAfter(tail) || yearsOfFieldRe.MatchString(tail) || yearsInSettingRe.MatchString(tail) || yearsInFieldRe.MatchString(tail) || yearsWith(tail) || candidateHeadRe.MatchString(head) && !deadlineTailRe.MatchString(tail)) &&
				!ourHeadRe.MatchString(head)) ||
			(yearsHeadRe.MatchString(head) && !companyExperienceRe.MatchString(head))
		if ok && lo <= maxRequiredYears && lo > best {
			best, found = lo, true
		}
	}
	return best, found
}

// notGerunds end in -ing without being an activity of the candidate.
var notGerunds = wordSet("during", "remaining", "starting", "beginning", "following", "ending", "lasting",
	"pending", "going", "nothing", "something", "anything", "everything", "thing", "spring", "king", "bring",
	"sing", "ring", "ageing", "aging", "including", "according", "funding", "standing")

// ourHeadRe is the company speaking of itself before the years: "we
// have been around for 12 years making sensors", "our team has spent 8
// years helping cooperatives" are its history, not a requirement.
var ourHeadRe = regexp.MustCompile(`(?i)\b(?:we|we've|we're|our|us|nous|notre|nos|the\s+company|l'entreprise|la\s+societe|they|their|its)\b`)

// candidateHeadRe is the candidate's own record before the years: "vous
// cumulez une dizaine d'années en développement", "you bring 4 years in
// analytics", "you've spent 3 years".
var candidateHeadRe = regexp.MustCompile(`(?i)\b(?:vous\s+(?:avez|cumulez|justifiez|disposez|poss[ée]dez|totalisez|comptez|b[ée]n[ée]ficiez)|you\s+(?:have|bring|possess|have\s+spent|spent)|you've(?:\s+spent)?|you\s+ve|tu\s+as|le\s+candidat\s+(?:doit\s+avoir|a)|candidates?\s+(?:must|should)\s+have)\b[^.;]{0,40}$`)

// deadlineTailRe is time given, not experience: "vous avez 3 ans pour
// …", "you have 2 years to complete …", "2 years left".
var deadlineTailRe = regexp.MustCompile(`(?i)^\s*(?:pour|to|afin|left|remaining|before|avant|de\s+plus|more|in\s+which)\b`)

// yearsWith reports a tool or a kind of work right after the years
// (see yearsWithRe).
func yearsWith(tail string) bool {
	m := yearsWithRe.FindStringSubmatch(tail)
	return m != nil && !yearsWithNotRe.MatchString(m[1])
}

// gerundAfter reports an activity right after the years ("5 years
// applying", "3 years of analysing").
func gerundAfter(tail string) bool {
	m := yearsGerundRe.FindStringSubmatch(tail)
	return m != nil && !notGerunds[m[1]]
}

// clauseBefore returns the text before i back to the start of its clause
// (a full stop, semicolon, newline or bullet), at most 60 bytes.
func clauseBefore(s string, i int) string {
	start := max(0, i-60)
	if k := strings.LastIndexAny(s[start:i], ".;\n•!?"); k >= 0 {
		start += k + 1
	}
	return s[start:i]
}

// clauseAfter returns the text after i up to the end of its clause, at
// most 80 bytes.
func clauseAfter(s string, i int) string {
	end := min(len(s), i+80)
	if k := strings.IndexAny(s[i:end], ";\n•!?"); k >= 0 {
		end = i + k
	}
	return s[i:end]
}

// juniorInProseRe finds descriptions that say a beginner is welcome.
var juniorInProseRe = newFastRe(`(?i)\b(entry[\s-]level|junior\s+(positions?|roles?|profiles?|profils?)|juniors?\s+(?:\pL+\s+)?(?:welcome|welcomed|accepted|encouraged|bienvenus?|accept[ée]s?)|juniors?\s+(?:[\pL-]+\s+){0,5}?(?:are|is|sont|est|will\s+be|seront)\s+(?:(?:very|most|more\s+than|tr[eè]s|the\s+most)\s+)?(?:les\s+|la\s+)?(?:welcome|welcomed|accepted|encouraged|bienvenus?|bienvenues?|accept[ée]e?s?)|profil\s+junior|(?:recrute|recrutons|cherche|recherche|recherchons|looking\s+for|hiring|seeking)\s+(?:un|une|un·e|un\.e|un\(e\)|a|an)\s+(?:[\pL-]+\s+){0,2}?junior\b|d[ée]butant(e)?s?\s+(accept[ée](e)?s?|bienvenu(e)?s?|motiv[ée](e)?s?)|(ouvert|accessible)(e)?s?\s+aux\s+d[ée]butant(e)?s|jeunes?\s+dipl[ôo]m[ée](e)?s?|new\s+grads?|(recent|new|fresh)\s+grad(?:uate)?s?|freshers?|for\s+(a\s+)?(recent\s+)?graduates?|graduates?\s+(welcome|accepted|encouraged)|no\s+(prior\s+|previous\s+|professional\s+)?experience\s+(is\s+)?(required|needed|necessary)|sans\s+exp[ée]rience|premi[eè]re\s+exp[ée]rience|first\s+job|premier\s+(poste|emploi))\b|حديث(?:ي|و)?\s*(?:ال)?تخرج|خريج(?:ين|ون)?\s+(?:ال)?جدد|مبتد[ئي]|بدون\s+خبرة|لا\s+(?:تشترط|يشترط|يتطلب|تتطلب)\s+(?:[أا]ي\s+)?خبرة`)

// juniorMoreRe are more ways of saying a beginner is welcome, read only
// when nothing else gave the level (kept apart from juniorInProseRe, which
// is read in the one-pass scan): "junior to mid-level", "début de
// carrière", "early-career", "no previous work experience needed",
// "sortant d'école", "fraîchement diplômé", "خريج حديث", "لا تشترط الخبرة".
var juniorMoreRe = newFastRe(`(?i)\b(?:juniors?\s*(?:or|to|/|ou|a|à|-)\s*(?:mid|medior|intermediate|interm[ée]diaire|confirm[ée]s?)|d[ée]but\s+de\s+carri[eè]re|early[\s-]career|early\s+in\s+(?:your|their|his|her|one's)\s+career|no\s+(?:\pL+\s+){1,2}experience\s+(?:is\s+)?(?:required|needed|necessary|expected)|aucune\s+exp[ée]rience\s+(?:\pL+\s+)?(?:n'est\s+)?(?:requise|n[ée]cessaire|exig[ée]e)|sortant(?:e|s|es)?\s+d'(?:[ée]cole|[ée]tudes|universit[ée])|(?:fra[iî]chement|tout\s+juste|r[ée]cemment)\s+dipl[ôo]m[ée]|(?:recently|just)\s+graduated|fresh\s+out\s+of\s+(?:school|college|university)|sorti(?:e|s|es)?\s+d'(?:[ée]cole|[ée]tudes|universit[ée])|(?:just\s+)?starting\s+out|(?:start|starting|begin|beginning|launch|launching)\s+(?:your|their|a)\s+(?:professional\s+)?career|(?:d[ée]marrer|d[ée]buter|commencer|lancer)\s+(?:votre|sa|ta)\s+carri[eè]re)\b`)

// juniorMoreArRe is juniorMoreRe in Arabic.
var juniorMoreArRe = newFastRe(`خريج(?:ة|ين|ون|ات)?\s+(?:ال)?(?:جدد|جديد|جديدة|حديث|حديثة|حديثي|حديثو|حديثين)|بدون\s+الخبرة|لا\s+(?:تشترط|يشترط|يتطلب|تتطلب)\s+(?:[أا]ي\s+)?الخبرة|(?:مش|مو|مب|ما|لا|غير)\s+(?:محتاجين|محتاج|نحتاج|يحتاج|مطلوب|مطلوبة|شرط|لازم|ضروري|ضرورية|نطلب|مهم)[ةه]?\s+(?:[أا]ي\s+)?(?:ال)?(?:خبرة|تجربة)`)

// leadInProseRe finds a job that manages people: "manage a team of 6",
// "vous encadrez une équipe de 4", "lead a department of 20", "قيادة فريق".
var leadInProseRe = newFastRe(`(?i)\b(?:manage|managing|lead|leading|head|heading|supervise|supervising|oversee|overseeing|build\s+and\s+manage|encadr(?:er|ez|erez|era|ant)|manag(?:er|ez|erez|era)|dirig(?:er|ez|erez|era|eant)|anim(?:er|ez|erez|era)|pilot(?:er|ez|erez|era))\s+(?:a\s+|an\s+|the\s+|une\s+|l'|d'une\s+|votre\s+|your\s+)?(?:growing\s+|small\s+|petite\s+)?(?:team|equipe|squad|department|departement|group|groupe|service)\s+(?:of|de|d')\s+\d|(?:قيادة|إدارة|ادارة|تسيير)\s+فريق`)

// levelLabelRe is a labelled level line in a description.
var levelLabelRe = newFastRe(`(?i)\b(?:niveau\s+d'exp[ée]rience|niveau\s+de\s+poste|exp[ée]rience\s+level|seniority(?:\s+level)?|career\s+level|job\s+level|level\s+of\s+experience|niveau\s+hi[ée]rarchique)\s*:\s*([^\n.;,]{1,30})`)

// juniorTitle finds any beginner phrase in one pass (titles and level
// fields).
var juniorTitle = newMultiRe(juniorInProseRe, juniorMoreRe, juniorMoreArRe)

// darijaJuniorRe is "no experience asked" in Moroccan darija, Latin and
// Arabic script: "ma khassekch experience", "bla experience", "l'experience
// machi darouri", "بلا خبرة", "ما كنطلبوش الخبرة".
var darijaJuniorRe = newFastRe(`(?i)\b(?:ma\s+(?:khass?a?kch|khass?e?kch|kanchtartouch|kantalbouch|ktalbinch|kan9albouch)\s+(?:l'?)?(?:exp[ée]rience|khibra|khebra|tajriba)|bla\s+(?:l'?)?(?:exp[ée]rience|khibra|khebra|tajriba)|(?:l'?)?(?:exp[ée]rience|khibra|khebra|tajriba)\s+(?:machi|mashi|mochi)\s+(?:darouri|daroori|darori|lazma|mochkil)|(?:machi|mashi|mochi)\s+(?:darouri|daroori|darori|lazma)\s+(?:l'?)?(?:exp[ée]rience|khibra|khebra|tajriba))\b|بلا\s+(?:خبرة|تجربة)|ما\s*(?:خاصكش|خاصاكش|كنطلبوش|كنشترطوش)\s+(?:ال)?(?:خبرة|تجربة)`)

// seniorityProse reads the lead, junior and Arabic internship phrases of a
// description in one pass.
var seniorityProse = newMultiRe(leadInProseRe, juniorInProseRe, arabicInternRe, levelLabelRe)

// arabicYearsRe reads Arabic experience requirements: "خبرة لا تقل عن 6
// سنوات", "3 سنوات خبرة", "خبرة 2 سنة".
// A range counts by its lower bound: "من 3 إلى 5 سنوات".
var arabicYearsRe = regexp.MustCompile(`(?:(?:ال)?خبر(?:ة|ته|تها|تك|تكم|اته|ات)|(?:ال)?تجرب(?:ة|ه|تك|تو|تها))[^.\n]{0,20}?(\d{1,2})\s*(?:(?:-|–|إلى|الى|او|أو|و)\s*\d{1,2}\s*)?(?:سنوات|سنة|سنين|عام|أعوام|اعوام)|(\d{1,2})\s*(?:(?:-|–|إلى|الى|او|أو|و)\s*\d{1,2}\s*)?(?:سنوات|سنة|سنين|عام|أعوام|اعوام)\s*(?:من\s+)?(?:ال)?(?:خبرة|تجربة)`)

// arabicInternRe are internship words in Arabic: "متدرب", "تربص",
// "فرصة تدريب", "تدريب لمدة"; "تدريب" alone also means training.
var arabicInternRe = newFastRe(`متدرب|متدربة|متربص|تربص|فرصة\s+تدريب|تدريب\s+(?:لمدة|مدفوع|صيفي|ميداني|للطلبة|للطلاب|ديال|مدته|مدة)|برنامج\s+(?:ال)?تدريب|^تدريب`)

// pastInternshipRe is a past internship asked as experience ("une première
// expérience en stage", "after an internship", "une première expérience
// (stage ou alternance inclus)", "1 year including internships", "une
// première expérience (stage ou alternance)"), not the contract offered.
var pastInternshipRe = newFastRe(`(?i)\b(exp[ée]riences?\s+(en|de|d')\s+stages?|(?:exp[ée]riences?|experiences?)\s*\(\s*(?:(?:en|de|d'|an?|in)\s+)?(?:stages?|alternances?|internships?|apprenticeships?)\b[^)\n]{0,40}\)|stages?\s+(pr[ée]c[ée]dent|r[ée]alis[ée]|effectu[ée]|d[ée]j[àa])|(apr[eè]s|after)\s+(un|an|your|votre)\s+(stage|internship)|previous\s+internships?|prior\s+internships?|internship\s+experience|(?:y\s+compris|including|incl\.?|inclus|included)\s+(?:les\s+|des\s+|en\s+|an?\s+)?(?:stages?|alternances?|internships?|apprenticeships?)|(?:stages?|alternances?|internships?|apprenticeships?)\s+(?:(?:et|ou|or|and|/)\s+(?:stages?|alternances?|internships?|apprenticeships?)\s+)?(?:inclus(?:es)?|compris(?:es)?|included|count|counts|accepted|accept[ée]s?))`)

func seniority(p Posting, title, desc string, emp []string) string {
	return seniorityIn(p, title, newDescView(desc), emp)
}

func seniorityIn(p Posting, title string, dv *descView, emp []string) string {
	fields := make([]*scanText, 0, 1+len(p.SeniorityTexts))
	fields = append(fields, newScanText(stripAccents(title)))
	for _, t := range p.SeniorityTexts {
		fields = append(fields, newScanText(stripAccents(t)))
	}
	for _, f := range fields {
		if internshipWord(f) || arabicInternRe.MatchString(f) {
			return SeniorityInternship
		}
	}
	if traineeOnly(emp) {
		// "Assistant(e) Responsable Logistique" or "Chef de projet
		// digital" under a contrat d'apprentissage or an internship is a
		// trainee role: the contract outranks the title's level words.
		return SeniorityInternship
	}
	for _, f := range fields {
		if l := strongLevel(f); l != "" {
			// "Chef de projet", "Product Manager" manage work, not
			// people, unless the ad says they lead a team of N.
			if l == SenioritySenior && icManagerOnly(f) && leadInProseRe.MatchString(dv.folded()) {
				return SeniorityLead
			}
			// A "Sales Manager" with "no direct reports" manages work.
			if l == SeniorityLead && peopleManagerOnly(f) && noReportsRe.MatchString(dv.folded()) {
				return SenioritySenior
			}
			return l
		}
	}
	for _, f := range fields {
		// A title that welcomes beginners ("Data Analyst (No Experience
		// Required)", "Technicien support - jeunes diplômés bienvenus")
		// states the level as plainly as "Junior".
		if juniorTitle.all.MatchString(f) {
			return SeniorityJunior
		}
	}
	prose := seniorityProse.scan(dv.folded(), 50)
	if prose.hit[0] {
		return SeniorityLead
	}
	if slices.Contains(emp, Internship) || slices.Contains(emp, Apprenticeship) {
		return SeniorityInternship
	}
	for i, f := range fields {
		// Titles and level fields are about the job: a bare "5 ans et
		// plus" or "3-5 ans" is its requirement.
		if y, ok := requiredYears(durationsOut(f.s), true); ok {
			return LevelForYears(y)
		}
		// Some boards give a level field as a bare range: "3-5", "5+".
		if m := yearsFieldRe.FindStringSubmatch(f.s); i > 0 && m != nil {
			if y, err := strconv.Atoi(m[1]); err == nil && LevelForYears(y) != "" {
				return LevelForYears(y)
			}
		}
	}
	if m := prose.first[3]; m != nil {
		// "Niveau d'expérience : Débutant", "Seniority level: Mid-Senior".
		if l := labelledLevel(newScanText(dv.folded().s[m[2]:m[3]])); l != "" {
			return l
		}
	}
	if l := levelLine(dv.folded()); l != "" {
		return l
	}
	if l := yearsLabel(dv.folded()); l != "" {
		return l
	}
	if y, ok := requiredYearsIn(dv.years(), false); ok {
		return LevelForYears(y)
	}
	if y, ok := arabicYears(dv.folded().s); ok {
		return LevelForYears(y)
	}
	if l := roleLevel(dv.folded()); l != "" {
		return l
	}
	if l := candidateLevel(dv.folded()); l != "" {
		return l
	}
	for _, f := range fields {
		if l := weakLevel(f); l != "" {
			return l
		}
	}
	if prose.hit[1] || juniorMoreRe.MatchString(dv.folded()) || darijaJuniorRe.MatchString(dv.folded()) || juniorMoreArRe.MatchString(dv.folded()) {
		return SeniorityJunior
	}
	if prose.hit[2] {
		return SeniorityInternship
	}
	return SeniorityUnknown
}

// traineeOnly reports contracts that are all internships or
// apprenticeships.
func traineeOnly(emp []string) bool {
	if len(emp) == 0 {
		return false
	}
	for _, k := range emp {
		if k != Internship && k != Apprenticeship {
			return false
		}
	}
	return true
}

// levelLineRe is a line that only labels the level: "Level: Senior (L5)",
// "Grade : confirmé" (levelLine checks that it opens its line, so
// "English level: C1" is not the job's level).
var levelLineRe = newFastRe(`(?i)\b(?:level|grade|niveau)\s*:\s*([^\n.;,]{1,30})`)

// levelLine returns the level a line such as "Level: Senior" gives, "" if
// none.
func levelLine(d *scanText) string {
	for _, m := range levelLineRe.FindAllStringSubmatchIndex(d, 5) {
		if strings.TrimLeft(d.s[strings.LastIndexByte(d.s[:m[0]], '\n')+1:m[0]], " \t-*•|") != "" {
			continue
		}
		if l := labelledLevel(newScanText(d.s[m[2]:m[3]])); l != "" {
			return l
		}
	}
	return ""
}

// roleLevelRe is a level given to the role in prose: "a mid-level role",
// "a senior position" (roleLevel checks the article before it), "un poste
// junior", "un poste de niveau confirmé". It starts at the level word, so
// its scan looks at few places.
var roleLevelRe = newFastRe(`(?i)\b(junior|mid|mid[\s-]level|intermediate|senior|senior[\s-]level|entry[\s-]level)\s*-?\s*(?:level\s+)?(?:role|position|job|opening)\b|\bun\s+poste\s+(?:de\s+niveau\s+)?(junior|senior|confirm[ée]|interm[ée]diaire|d[ée]butant)\b`)

// roleLevel returns the level roleLevelRe gives, "" if none.
func roleLevel(d *scanText) string {
	for _, m := range roleLevelRe.FindAllStringSubmatchIndex(d, 5) {
		v := ""
		if m[2] >= 0 {
			before := strings.ToLower(strings.TrimRight(d.s[max(0, m[0]-4):m[0]], " \t\n"))
			if !strings.HasSuffix(before, " a") && !strings.HasSuffix(before, " an") && before != "a" && before != "an" {
				continue // "report to the senior role holder" is not the job's level
			}
			v = d.s[m[2]:m[3]]
		} else {
			v = d.s[m[4]:m[5]]
		}
		t := newScanText(v)
		if l := strongLevel(t); l != "" {
			return l
		}
		if l := weakLevel(t); l != "" {
			return l
		}
	}
	return ""
}

// yearsFieldRe is a level field that is only a number or a range ("3-5",
// "5+", "0 - 2").
var yearsFieldRe = regexp.MustCompile(`^\s*(\d{1,2})\s*(?:\+|(?:-|–|to|a)\s*\d{1,2})?\s*$`)

// arabicYears returns the largest number of years an Arabic requirement
// states.
func arabicYears(s string) (int, bool) {
	if !strings.Contains(s, "خبر") && !strings.Contains(s, "تجرب") {
		return 0, false
	}
	best, found := -1, false
	for _, m := range arabicYearsRe.FindAllStringSubmatch(spellArabicYears(asciiDigits(s)), 10) {
		n, err := strconv.Atoi(m[1] + m[2])
		if err == nil && n <= maxRequiredYears && n > best {
			best, found = n, true
		}
	}
	return best, found
}

// labelledLevel reads the value of a level label ("Niveau d'expérience :
// Débutant", "Level: Senior"): a strong level word, then an internship
// word, then a weak level word; "" when it names none.
func labelledLevel(v *scanText) string {
	if l := strongLevel(v); l != "" {
		return l
	}
	if internshipWord(v) {
		return SeniorityInternship
	}
	if l := weakLevel(v); l != "" {
		return l
	}
	// A label's value may be the bare word: "Level: Entry", "Niveau :
	// Débutant", "Seniority: Beginner".
	if labelJuniorRe.MatchString(v.s) {
		return SeniorityJunior
	}
	return ""
}

// labelJuniorRe are the bare values of a level label that mean junior.
var labelJuniorRe = regexp.MustCompile(`(?i)^\s*(?:entry|entree|beginner|novice|starter|fresher|d[ée]butant(?:e|s)?|graduate|d[ée]but)\b`)

// yearsLabelRe is a field of years with a bare number or range: "Years of
// experience: 3-5", "Années d'expérience : 2+", "Experience (years): 4".
var yearsLabelRe = newFastRe(`(?i)\b(?:years\s+of\s+(?:relevant\s+|professional\s+|work\s+)?experience|years\s+experience|yrs\s+(?:of\s+)?exp(?:erience)?|annees\s+d'experience|nombre\s+d'annees\s+d'experience|experience\s+\((?:years|yrs|annees|ans)\))\s*(?:required|requises?|minimum|min\.?)?\s*:\s*(\d{1,2})\s*(?:\+|(?:-|–|to|a)\s*\d{1,2})?\s*(?:\+|ans|years|yrs)?\s*(?:$|\n|[.;,(])`)

// yearsLabel returns the level a field of years gives, "" if none.
func yearsLabel(d *scanText) string {
	ms := yearsLabelRe.FindAllStringSubmatch(d, 1)
	if len(ms) == 0 {
		return ""
	}
	y, err := strconv.Atoi(ms[0][1])
	if err != nil {
		return ""
	}
	return LevelForYears(y)
}

// candidateLevelRe is a level word said of the candidate in prose: "Vous
// êtes confirmé(e) sur Power BI", "profil expérimenté", "you are an
// experienced engineer" is not it (experienced is too loose in prose).
var candidateLevelRe = newFastRe(`(?i)\b(?:vous\s+etes|tu\s+es|profil|candidat(?:e|\(e\))?)\s+(junior|confirme|experimente|senior|debutant|intermediaire)(?:\(e\)|\.e|·e|e)?s?\b`)

// candidateConfirmedRe follows a "confirmé" that is about a post, not a
// level: "vous êtes confirmé dans votre poste", "à l'issue de la période".
var candidateConfirmedRe = regexp.MustCompile(`(?i)^\s*(?:\(e\)\s*)?(?:dans|en\s+cdi|a\s+l'issue|apres|au\s+bout)\b`)

// candidateLevel returns the level candidateLevelRe gives, "" if none.
func candidateLevel(d *scanText) string {
	for _, m := range candidateLevelRe.FindAllStringSubmatchIndex(d, 5) {
		if candidateConfirmedRe.MatchString(d.s[m[1]:min(len(d.s), m[1]+20)]) {
			continue
		}
		switch strings.ToLower(d.s[m[2]:m[3]]) {
		case "junior", "debutant":
			return SeniorityJunior
		case "confirme", "intermediaire":
			return SeniorityMid
		case "senior", "experimente":
			return SenioritySenior
		}
	}
	return ""
}
