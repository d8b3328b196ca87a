package jobs

import (
	"regexp"
	"strings"
)

// Applicants "located outside of Germany" whom the employer "reserves the
// right to decline" are excluded from everywhere but Germany: the place
// after "outside" is where the job is open, not a place left out. Read
// only when the sentence says what happens to those outside (declined,
// not considered, not eligible), since "outside of the US" alone, after
// "worldwide", is an exclusion.

// outsidePlaceRe is people located outside a place; the capture is the
// place, up to the end of the clause.
//
// The people may also be those a denial names ("we are unable to hire
// anyone outside of the United States", "we cannot accept applications
// from outside the EU", "nous ne pouvons pas recruter hors de l'Union
// européenne", "لا يمكننا قبول طلبات من خارج دول الخليج"): refusing
// everyone outside a place restricts the job to it.
var outsidePlaceRe = regexp.MustCompile(`(?i)(?:\b(?:located|based|residing|living|who\s+(?:live|reside|are\s+based|are\s+located)|residents?|bas[ée]e?s?|situ[ée]e?s?|r[ée]sidant(?:e|s|es)?|domicili[ée]e?s?|anyone|applicants|candidates|applications|people|talent|hire|employ|recruit|accept|consider|recruter|embaucher|employer|accepter|candidatures?|candidats|personnes|from|depuis)\s+(?:permanently\s+|currently\s+)?(?:outside|hors|en\s+dehors)\s+(?:of\s+|de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])?(?:the\s+)?|(?:^|\s)(?:من\s+|المقيمين\s+|المقيمون\s+)?خارج\s+)([^.;:,()\n،]{2,40})`)

// outsideRefusedRe is what a sentence says happens to those outside.
var outsideRefusedRe = regexp.MustCompile(`(?i)\b(?:declin\w*|reject\w*|refus\w*|disqualif\w*|ineligible|not\s+(?:be\s+)?eligible|not\s+be\s+considered|(?:cannot|can['’]t|can\s+not|will\s+not|won['’]t|unable\s+to|are\s+not\s+able\s+to)\s+(?:be\s+)?(?:consider|accept|hire|employ|process|support)\w*|ne\s+(?:seront|pourront|sont|pourrons|pouvons)\s+pas|non\s+(?:retenue?s?|recevables?|[ée]tudi[ée]e?s?|consid[ée]r[ée]e?s?))|(?:^|\s)و?(?:لا|لن)\s+(?:يمكننا|نستطيع|نقبل|تقبل|يتم|يمكن|نوظف)|غير\s+مقبول`)

// outsideOnly returns the places a text restricts applicants to by
// refusing those outside them ("" when it does not).
func outsideOnly(text string) []string {
	if !strings.Contains(text, "outside") && !strings.Contains(text, "hors") && !strings.Contains(text, "dehors") &&
		!strings.Contains(text, "Outside") && !strings.Contains(text, "خارج") {
		return nil
	}
	var out []string
	for _, m := range outsidePlaceRe.FindAllStringSubmatchIndex(text, 5) {
		end := strings.IndexAny(text[m[1]:], ".\n")
		if end < 0 {
			end = len(text) - m[1]
		}
		start := strings.LastIndexAny(text[:m[0]], ".\n") + 1
		sentence := text[start : m[1]+end]
		if !outsideRefusedRe.MatchString(sentence) {
			continue
		}
		place := text[m[2]:m[3]]
		// Stop at the verb that follows the place ("Germany, Veeam
		// reserves…" is cut at the comma by the pattern; "Germany will be
		// declined" here).
		for _, stop := range []string{" will ", " may ", " might ", " are ", " is ", " cannot ", " can't ", " won't ", " would ", " ne ", " seront ", " pourront "} {
			if i := strings.Index(strings.ToLower(place), stop); i > 0 {
				place = place[:i]
			}
		}
		if p := strings.TrimSpace(place); p != "" {
			out = append(out, p)
		}
	}
	return out
}
