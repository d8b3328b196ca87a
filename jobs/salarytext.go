package jobs

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pay stated in the text of an ad. A description is full of numbers that
// are not pay (years of experience, head count, founding year, 401(k),
// days of leave, users), so an amount counts only when it is money:
//
//   - a currency is written beside it ("12 000 MAD", "$90,000", "45 K€",
//     "USD 62,000", "7000 درهم"), or beside the other end of its range
//     ("8 000 à 10 000 DH");
//   - and the clause says it is pay: a pay word before it ("Salaire",
//     "Compensation", "TJM", "Day rate", "Gratification", "الراتب") or a
//     period after it ("per annum", "/mois", "de l'heure").
//
// The ad's own currency and period are kept. Without a currency, an amount
// right after a pay word takes the currency of the offer's country.

// morePeriodPatterns are periods in Portuguese, Spanish, Dutch, Polish,
// Italian and German compounds. init appends them to periodPatterns, after
// the others: a text naming two periods keeps the reading of the first.
var morePeriodPatterns = []struct {
	re     *fastRe
	period string
}{
	{newFastRe(`(?i)(\bpor\s+hora\b|\bper\s+uur\b|\bna\s+godzine\b|\ball.ora\b)`), "hour"},
	{newFastRe(`(?i)(\bmensa(l|is)\b|\bmensual(es)?\b|\b(al|por)\s+mes\b|\bper\s+maand\b|\bmiesiecznie\b|\b(brutto)?monats(brutto)?gehalt\b|\bal\s+mese\b|\bmensile\b)`), "month"},
	{newFastRe(`(?i)(\b(al|por)\s+ano\b|\banua(l|is|les)\b|\bper\s+jaar\b|\brocznie\b|\b(brutto)?jahres(brutto)?gehalt\b|\ball.anno\b|\bannu[aoi]\b)`), "year"},
}

// darijaPeriodPatterns are Moroccan darija periods in Latin and Arabic
// script: "f chhar" / "فالشهر" (a month), "f nhar" / "فالنهار" (a day).
var darijaPeriodPatterns = []struct {
	re     *fastRe
	period string
}{
	{newFastRe(`(?i)\b(?:f|l|fl)\s*(?:chhar|chher|chehr|shhar)\b|(?:^|\s)(?:فالشهر|ف\s+الشهر|فشهر)`), "month"},
	{newFastRe(`(?i)\b(?:f|l|fl)\s*nhar\b|(?:^|\s)(?:فالنهار|ف\s+النهار|فنهار)`), "day"},
}

func init() {
	periodPatterns = append(periodPatterns, morePeriodPatterns...)
	periodPatterns = append(periodPatterns, darijaPeriodPatterns...)
}

// salaryTextLimit bounds the text read.
const salaryTextLimit = 20000

// amountTextRe finds amounts in lower-cased text: thousands groups, a
// decimal part.
var amountTextRe = regexp.MustCompile(`\d{1,3}(?:[ \x{a0}\x{202f},.'’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`)

// payCueRe are words that introduce pay (folded, lower-case text).
var payCueRe = newFastRe(`(?i)(?:\bfixe\s*:|\b(?:salary|salaries|salaire|salaires|remuneration|remuneree?s?|retribution|pay|paid|paying|payee?s?|compensation|package|rate|rates|tjm|taux|gratification|indemnite\s+de\s+stage|indemnite\s+mensuelle|wage|wages|earn|earnings|ote|base|stipend|honoraires|traitement|brut|net|gross|we\s+offer|nous\s+offrons|offering|fourchette|salario|salarios|sueldo|remuneracao|vencimento|gehalt|(?:brutto)?(?:jahres|monats)(?:brutto)?gehalt|grundgehalt|vergutung|salaris|loon|bruto|brutto|wynagrodzenie|retribuzione|stipendio|ral|(?:part|partie|base)\s+fixe|fixe\s+(?:de|annuel|mensuel|brut)|budget\s+(?:for|of)\s+(?:this|the)\s+(?:role|position|post|job))\b|راتب|الراتب|أجر|الأجر|اجر|الاجر|مكافأة|مكافاة|تعويض|مرتب|المرتب|خلصة|الخلصة|الخلاص|\b(?:lkhalss?a?|lkhlass?|lkhelsa|lkhalas|khalss|khlass)\b)`)

// payAfterRe are words right after an amount that say it is pay: "€65k
// DOE", "40 000 € selon expérience", "2 500 € bruts", "$90k gross", and
// a variable part added to it ("2500 درهم + عمولة", "$40k + commission").
var payAfterRe = regexp.MustCompile(`(?i)^\s*(?:[a-z]{3}\s+)?(?:(?:doe|d\.o\.e|depending\s+on\s+experience|selon\s+(?:experience|profil)|bruts?|gross)\b|(?:\+|plus\b)\s*(?:(?:commissions?|bonus|primes?|tips|variable|incentives?)\b|عمولة|عمولات|حوافز|حافز))`)

// payHints are substrings every match of payCueRe holds (lower-case
// text): a cheap test before the pattern.
var payHints = []string{"sala", "remun", "retrib", "pay", "paid", "compens", "package", "rate", "tjm", "taux", "gratif",
	"indemn", "wage", "earn", "ote", "base", "stipend", "honor", "traitement", "brut", "net", "gross", "offer", "offr",
	"fourchette", "fixe", "budget", "sueldo", "vencimento", "gehalt", "vergut", "salaris", "loon", "brut", "wynagr", "ral", "راتب", "أجر", "اجر", "مكاف", "تعويض", "مرتب", "خلص", "خلاص", "khal", "khl", "khel"}

func payHint(head string) bool {
	for _, h := range payHints {
		if strings.Contains(head, h) {
			return true
		}
	}
	return false
}

// nonPayCueRe are money words that are not pay.
var nonPayCueRe = newFastRe(`(?i)\b(?:objectifs?|targets?|quotas?|budget|allowance|bonus|prime|primes|equipment|coworking|relocation|signing|referral|raised|funding|levee|revenue|revenues|chiffre\s+d'affaires|valuation|valorisation|capital|investment|investissement|turnover|ca\s+de|worth|grant|benefits|perks|avantages|hra|hsa|fsa|fertility|insurance|coverage|reimbursement|reimbursed|tuition|wellness|gym|membership|mutuelle|401k|pension|retirement)\b`)

// bigUnitRe after an amount makes it a company figure ("$20 million").
var bigUnitRe = regexp.MustCompile(`^\s?(?:m\b|mn\b|million|millions|billion|billions|bn\b|milliard|milliards|md\b|mds\b|مليون|مليار)`)

// rangeJoinRe joins the two ends of a range (what is between them once
// currencies and multipliers are removed).
// Egyptian and Levantine ranges join with ل: "من 14,000 لـ 18,000".
var rangeJoinRe = regexp.MustCompile(`^(?:-|–|—|~|to|a|au|et|and|y|و|jusqu'a|bis|through|up\s+to|-\s*to|الى|إلى|حتى|لغاية|ولغاية|ل|لـ|للـ)$`)

// lowerSymbols are currencySymbols as the text read is folded (lower
// case, accents stripped).
var lowerSymbols = func() []struct{ sym, code string } {
	out := make([]struct{ sym, code string }, len(currencySymbols))
	for i, s := range currencySymbols {
		out[i].sym, out[i].code = lowerQuotes(stripAccents(s.sym)), s.code
	}
	return out
}()

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// currencyBefore returns the currency written right before text[:i].
func currencyBefore(text string, i int) string {
	before := strings.TrimRight(text[max(0, i-12):i], " \u00a0\u202f")
	for _, s := range lowerSymbols {
		if strings.HasSuffix(before, s.sym) {
			if s.code == "USD" && s.sym == "$" {
				// "CAD $65,000", "AUD $90k": the code before the sign
				// says which dollar.
				w := strings.TrimRight(strings.TrimSuffix(before, "$"), " \u00a0")
				w = w[strings.LastIndexAny(w, " \u00a0:(\n")+1:]
				if c := currencyWords[w]; otherDollars[c] {
					return c
				}
			}
			return s.code
		}
	}
	// A code or word: the last word.
	j := strings.LastIndexAny(before, " \u00a0:(\n")
	w := strings.Trim(before[j+1:], ".:")
	if c, ok := currencyWords[w]; ok && w != "rs" {
		return c
	}
	return ""
}

// currencyAfter returns the currency written right after text[i:] and
// whether a k multiplier stands before it ("45k€", "45 K€", "60k usd").
func currencyAfter(text string, i int) (cur string, k bool, end int) {
	rest := text[i:min(len(text), i+24)]
	n := 0
	for n < len(rest) && (rest[n] == ' ') {
		n++
	}
	if n < len(rest) && rest[n] == 'k' && (n+1 == len(rest) || !isASCIILetter(rest[n+1]) || glued(rest[n+1:])) {
		k = true
		n++
	} else {
		// The Arabic word for thousand: "15 ألف درهم", "12 الف".
		for _, w := range [...]string{"الف", "ألف", "آلاف", "الاف"} {
			if strings.HasPrefix(rest[n:], w) && (n+len(w) == len(rest) || rest[n+len(w)] == ' ') {
				k = true
				n += len(w)
				break
			}
		}
	}
	m := n
	for m < len(rest) && (rest[m] == ' ') {
		m++
	}
	rest2 := rest[m:]
	for _, s := range lowerSymbols {
		if strings.HasPrefix(rest2, s.sym) {
			return s.code, k, i + m + len(s.sym)
		}
	}
	// A word: letters up to a non-letter.
	w := rest2
	// (Arabic letters only: "ريال،" ends at the Arabic comma.)
	if j := strings.IndexFunc(w, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r > 0x600 && r < 0x700 && unicode.IsLetter(r)) }); j >= 0 {
		w = w[:j]
	}
	if c, ok := currencyWords[w]; ok && w != "" {
		end := i + m + len(w)
		// "ريال قطري", "درهم إماراتي", "دينار كويتي": the country word
		// after an Arabic currency name decides which one.
		if w[0] >= utf8.RuneSelf {
			q := strings.TrimLeft(text[end:min(len(text), end+24)], " ")
			if j := strings.IndexAny(q, " .,;:\n)،؛"); j >= 0 {
				q = q[:j]
			}
			if code, ok := arabicCurrencyCountry[w+" "+q]; ok {
				return code, k, end + (len(text[end:]) - len(strings.TrimLeft(text[end:], " "))) + len(q)
			}
		}
		return c, k, end
	}
	return "", k, i + n
}

// glued reports a currency code or word glued to a k multiplier: "220
// kdh", "45kmad", "60keur".
func glued(rest string) bool {
	j := 0
	for j < len(rest) && isASCIILetter(rest[j]) {
		j++
	}
	_, ok := currencyWords[rest[:j]]
	return ok && j >= 2
}

// arabicCurrencyCountry names the currency of an Arabic currency word
// followed by its country's adjective (folded: hamza dropped).
var arabicCurrencyCountry = func() map[string]string {
	m := map[string]string{}
	for _, e := range []struct{ words, adjs, code string }{
		{"ريال ريالا ريالات", "سعودي السعودي", "SAR"},
		{"ريال ريالا ريالات", "قطري القطري", "QAR"},
		{"ريال ريالا ريالات", "عماني العماني", "OMR"},
		{"درهم دراهم", "اماراتي إماراتي الاماراتي الإماراتي", "AED"},
		{"درهم دراهم", "مغربي المغربي", "MAD"},
		{"دينار دنانير", "تونسي التونسي", "TND"},
		{"دينار دنانير", "جزائري الجزائري", "DZD"},
		{"دينار دنانير", "كويتي الكويتي", "KWD"},
		{"دينار دنانير", "اردني أردني الاردني الأردني", "JOD"},
		{"دينار دنانير", "بحريني البحريني", "BHD"},
		{"جنيه جنيها", "مصري المصري", "EGP"},
		{"جنيه جنيها", "استرليني إسترليني", "GBP"},
		{"دولار دولارا دولارات", "امريكي أمريكي الامريكي الأمريكي", "USD"},
		{"دولار دولارا دولارات", "كندي الكندي", "CAD"},
	} {
		for _, w := range strings.Fields(e.words) {
			for _, a := range strings.Fields(e.adjs) {
				m[w+" "+a] = e.code
				m[stripAccents(w+" "+a)] = e.code // as the folded text writes it
			}
		}
	}
	return m
}()

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// textAmount is one amount found in the text.
type textAmount struct {
	start, end int // the digits
	after      int // after a k and a currency written after it
	v          float64
	k          bool
	cur        string
}

// salaryInText reads pay from a description (see the comment at the top
// of this file); fallback is the currency of the offer's country.
func salaryInText(desc, fallback string) *Salary {
	if desc == "" {
		return nil
	}
	return salaryInFolded(lowerQuotes(stripAccents(truncateRunes(desc, salaryTextLimit))), fallback)
}

// salaryInFolded is salaryInText on text made by lowerQuotes(stripAccents()).
func salaryInFolded(text, fallback string) *Salary {
	text = asciiDigits(text)
	if !hasDigit(text) {
		return nil
	}
	locs := scanAmounts(text, 200)
	if len(locs) == 0 {
		return nil
	}
	var as []textAmount
	for _, l := range locs {
		num := text[l[0]:l[1]]
		if l[0] > 0 && (isASCIILetter(text[l[0]-1]) || text[l[0]-1] == '+') {
			continue // "W2", "bac+5", "B2"
		}
		// skipAmount lower-cases what it is given: a window, not the text.
		if notMoney(text[max(0, l[0]-8):l[0]], text[l[1]:min(len(text), l[1]+16)]) || bigUnitRe.MatchString(text[l[1]:min(len(text), l[1]+12)]) {
			continue
		}
		v, ok := parseAmount(num)
		if !ok || v <= 0 {
			continue
		}
		a := textAmount{start: l[0], end: l[1], v: v}
		a.cur, a.k, a.after = currencyAfter(text, l[1])
		if a.after < l[1] {
			a.after = l[1]
		}
		if strings.HasPrefix(text[a.after:], "(k)") || (a.k && strings.HasSuffix(text[:l[0]], "401")) {
			continue
		}
		if c := currencyBefore(text, l[0]); c != "" && a.cur == "" {
			a.cur = c
		}
		if a.k {
			a.v *= 1000
		}
		as = append(as, a)
	}
	var best *Salary
	bestScore := 0
	for i := 0; i < len(as); i++ {
		a := as[i]
		lo, hi := a, a
		ranged := false
		if i+1 < len(as) && joinsRange(text[a.after:as[i+1].start]) {
			hi, ranged = as[i+1], true
		}
		cur := lo.cur
		if cur == "" || cur == "USD" && otherDollars[hi.cur] && strings.HasSuffix(strings.TrimRight(text[:lo.start], " "), "$") {
			cur = hi.cur // "$120,000 - $150,000 CAD": the code says which dollar
		}
		if cur == "" && fallback == "" {
			if ranged {
				i++
			}
			continue // no currency anywhere near: not money
		}
		clauseStart := clauseStartAt(text, lo.start)
		if clauseStart > 0 && text[clauseStart-1] == '\n' && !hasWord(text[clauseStart:lo.start]) {
			// "Pay range\n\n$90,000 - $110,000": the heading above says what it is.
			clauseStart = headingStart(text, clauseStart-1)
		}
		head := text[clauseStart:lo.start]
		tailEnd := clauseEndAt(text, hi.after)
		tail := text[hi.after:tailEnd]
		if lo.cur == "" && hi.cur == "" && len(strings.Fields(head)) > 6 {
			if ranged {
				i++
			}
			continue // no currency and no pay word right before
		}
		cue := payHint(head) && payCueRe.MatchString(newScanText(head)) || payAfterRe.MatchString(tail)
		if !cue && nonPayCueRe.MatchString(newScanText(head)) {
			if ranged {
				i++
			}
			continue
		}
		if pieceRate(tail) || notPayAfter(tail) {
			if ranged {
				i++
			}
			continue // "$0.55 per accepted image", "2 € par mot", "$5,000 learning budget"
		}
		period := periodAfter(tail)
		if period == "" {
			period = periodBefore(payClause(head))
		}
		if cur == "" {
			// Only right after a pay word: "Salaire : 9000-11000 net/mois".
			if !cue || fallback == "" || len(strings.Fields(head)) > 6 {
				if ranged {
					i++
				}
				continue
			}
			cur = fallback
		}
		if !cue && period == "" {
			if ranged {
				i++
			}
			continue
		}
		s := &Salary{Currency: cur}
		x, y := lo.v, hi.v
		// "45-55 K€", "$80 - 100k": the multiplier of the upper end
		// applies to both; so does its round group of thousands ("45–55
		// 000 €", "8 à 10 000 DH") when the two ends are then close.
		if ranged && !lo.k && x < 1000 && x*1000 <= y && (hi.k || thousandsOnly(text[hi.start:hi.end]) && x*3000 >= y) {
			x *= 1000
		}
		if ranged {
			s.Min, s.Max = min(x, y), max(x, y)
		} else {
			bound := boundBefore(head)
			switch bound {
			case "max":
				s.Max = x
			case "min":
				s.Min = x
			default:
				s.Min, s.Max = x, x
			}
		}
		if period == "" {
			period = inferPeriod(max(s.Min, s.Max), cur)
		}
		s.Period = period
		if !plausiblePay(s) {
			if ranged {
				i++
			}
			continue
		}
		score := 1
		if cue {
			score += 2
		}
		if lo.cur != "" || hi.cur != "" {
			score++
		}
		if score > bestScore {
			best, bestScore = s, score
		}
		if ranged {
			i++
		}
	}
	return best
}

// perUnitRe reads "per X" right after an amount.
var perUnitRe = regexp.MustCompile(`^\s*(?:[a-z]{3}\s+)?(?:per|par|pro|/)\s*(?:accepted|completed|approved|valid|validated|reviewed|finished|single)?\s*([\pL]+)`)

// periodUnits are the words after "per" that make a pay period.
var periodUnits = wordSet("hour", "hr", "h", "heure", "hours", "day", "jour", "j", "week", "wk", "semaine", "month", "mo",
	"mois", "year", "yr", "an", "annum", "annee", "year", "stunde", "tag", "monat", "jahr", "night", "shift", "maand", "uur", "jaar")

// otherDollars are the currencies also written "$".
var otherDollars = map[string]bool{"CAD": true, "AUD": true, "NZD": true, "SGD": true, "HKD": true, "MXN": true}

// notPayNouns after an amount make it a sum that is not pay ("$5,000
// learning budget", "$2,000 sign-on bonus", "€500 equipment allowance").
var notPayNouns = wordSet("budget", "budgets", "bonus", "bonuses", "credit", "credits", "voucher", "vouchers", "perk", "perks",
	"reimbursement", "match", "sign-on", "signing", "referral", "relocation", "equipment", "learning", "education",
	"wellness", "home-office", "coworking", "gym", "prime", "primes", "grant", "fund",
	// a business figure, not pay: "150 000 DH de chiffre d'affaires", "$2M in revenue"
	"chiffre", "revenue", "revenues", "sales", "ventes", "turnover", "arr", "gmv", "deals", "pipeline", "quota", "target",
	"targets", "objectif", "objectifs", "funding", "valuation", "assets", "aum",
	// vouchers and allowances: "2 000 DH de bons d'achat", "$200 gift card"
	"bons", "bon", "cheques", "cheque", "gift", "giftcard", "tickets", "ticket", "allowance", "allowances")

// notPayAfter reports a money noun in the two words after an amount,
// period words and currencies skipped; "and", "plus", "+" end the look
// ("€45,000 + bonus" is pay).
func notPayAfter(tail string) bool {
	n := 0
	for _, f := range strings.Fields(tail[:min(len(tail), 48)]) {
		w := strings.Trim(f, ".,;:()")
		if notPayNouns[w] {
			return true
		}
		if strings.ContainsAny(f[len(f)-1:], ".,;:)") {
			return false // "par mois, primes en sus": another phrase
		}
		if _, cur := currencyWords[w]; cur || periodUnits[w] || w == "annual" || w == "yearly" || w == "monthly" || w == "one-time" || w == "per" || w == "par" || w == "pro" || w == "a" || w == "de" || w == "d'" || w == "of" || w == "in" {
			continue
		}
		if w == "+" || w == "&" || w == "and" || w == "plus" || w == "with" || w == "et" || w == "avec" || w == "und" {
			return false // "+ bonus", "and a bonus"
		}
		if n++; n == 2 {
			return false
		}
	}
	return false
}

// pieceRate reports pay per piece of work (image, task, word, sale), not
// per period.
func pieceRate(tail string) bool {
	m := perUnitRe.FindStringSubmatch(tail)
	return m != nil && !periodUnits[m[1]]
}

// notMoneyWords after a number count something else: "3 years", "40
// hours", "120 collaborateurs", "2 million users" (periods such as
// "monthly" or "a year" are not among them).
var notMoneyWords = wordSet("years", "year", "yrs", "yr", "ans", "annees", "annee", "hours", "hrs", "hour", "heures",
	"heure", "h", "jours", "days", "weeks", "semaines", "months", "mois", "employees", "employes", "people", "persons",
	"personnes", "users", "utilisateurs", "clients", "customers", "countries", "pays", "members", "membres",
	"collaborateurs", "salaries", "engineers", "ingenieurs", "staff", "jahre", "offices", "bureaux", "teams", "equipes",
	"sites", "stores", "magasins", "agences", "languages", "langues", "million", "millions", "milliard", "milliards",
	"billion", "billions", "percent", "pourcent", "ans", "sem",
	// ordinals: "13th month", "13e mois", "13eme mois", "1er"
	"th", "st", "nd", "rd", "e", "eme", "ieme", "er", "ere")

// notMoney reports a number that is not money from the words around it:
// "3 years", "40 hours", "10%", "5+ years", "120 collaborateurs", "401(k)".
func notMoney(before, after string) bool {
	a := strings.TrimLeft(after, " \u00a0")
	if strings.HasPrefix(a, "%") {
		return true
	}
	a = strings.TrimLeft(strings.TrimPrefix(a, "+"), " ") // "5+ years"
	w := a
	if k := strings.IndexFunc(a, func(r rune) bool { return !(r >= 'a' && r <= 'z') }); k >= 0 {
		w = a[:k]
	}
	if notMoneyWords[w] {
		return true
	}
	if strings.HasPrefix(a, "k)") && strings.HasSuffix(strings.TrimSpace(before), "401(") {
		return true
	}
	return strings.HasSuffix(before, "401(") || strings.HasSuffix(before, "401")
}

// commissionOnlyRe finds an ad whose pay is commission alone ("100%
// commission-based", "commission only", "no base salary", "100 % à la
// commission", "sans fixe"): its figures are what sales may earn, not pay.
var commissionOnlyRe = newFastRe(`(?i)(?:\b100\s?%\s*(?:a\s+la\s+)?commissions?\b|\bcommissions?[\s-]+only\b|\bonly\s+commissions?\b|\bstraight\s+commissions?\b|\bno\s+base\s+(?:salary|pay)\b|\buniquement\s+(?:a|sur)\s+(?:la\s+)?commissions?\b|\bsans\s+(?:salaire\s+)?fixe\b)`)

// impossiblePeriod reports a board's period no pay can have for the
// amount: "11,88 € par an" is the hourly minimum wage, "50 € per month"
// is not a month's pay.
func impossiblePeriod(s *Salary) bool {
	v := max(s.Min, s.Max)
	return v > 0 && (s.Period == "year" && v < 1000 && s.Currency != "BTC" || s.Period == "month" && v < 50)
}

// plausiblePay rejects amounts that cannot be pay for their period.
func plausiblePay(s *Salary) bool {
	v := max(s.Min, s.Max)
	if v <= 0 || v > 1e9 {
		return false
	}
	if s.Min > 0 && s.Max > 0 && s.Max > 20*s.Min {
		return false
	}
	switch s.Period {
	case "year":
		return v >= 1000 || s.Currency == "BTC"
	case "month":
		return v >= 50
	}
	return true
}

// joinsRange reports a range join between two amounts: "-", "to", "à",
// "et", "and", "و", with currencies and multipliers around them.
func joinsRange(between string) bool {
	if len(between) > 24 {
		return false
	}
	b := strings.TrimSpace(between)
	for _, s := range lowerSymbols {
		b = strings.ReplaceAll(b, s.sym, " ")
	}
	f := strings.Fields(b)
	var kept []string
	for _, w := range f {
		if _, ok := currencyWords[w]; ok {
			continue
		}
		if w == "k" || w == "per" || periodUnits[strings.TrimLeft(w, "/")] {
			continue // "$25/hr - $35/hr", "€40 per hour to €45 per hour"
		}
		kept = append(kept, w)
	}
	j := strings.Join(kept, " ")
	if j == "" {
		return false
	}
	return rangeJoinRe.MatchString(j)
}

// clauseStartAt is the start of the clause holding i: after the last
// full stop, semicolon or line break, at most 100 bytes back.
func clauseStartAt(text string, i int) int {
	start := max(0, i-100)
	for start < i && !utf8.RuneStart(text[start]) {
		start++
	}
	for j := i - 1; j >= start; j-- {
		c := text[j]
		if c == '\n' || c == ';' || c == '!' || c == '?' || (c == '.' && j+1 < len(text) && (text[j+1] == ' ' || text[j+1] == '\n') && !(j > 0 && text[j-1] >= '0' && text[j-1] <= '9')) {
			return j + 1
		}
	}
	return start
}

// hasWord reports a word of three letters or more in s.
func hasWord(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if isASCIILetter(s[i]) {
			n++
			if n >= 3 {
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}

// headingStart is the start of the short line above the line break at
// nl, blank lines skipped; nl+1 when that line is not a heading (longer
// than 60 bytes, or none).
func headingStart(text string, nl int) int {
	j := nl
	for j > 0 && (text[j-1] == '\n' || text[j-1] == ' ' || text[j-1] == '\r') {
		j--
	}
	i := strings.LastIndexByte(text[:j], '\n') + 1
	if j == 0 || j-i > 60 {
		return nl + 1
	}
	return i
}

// clauseEndAt is the end of the clause from i, at most 60 bytes on.
func clauseEndAt(text string, i int) int {
	end := min(len(text), i+60)
	for end > i && end < len(text) && !utf8.RuneStart(text[end]) {
		end--
	}
	for j := i; j < end; j++ {
		c := text[j]
		if c == '\n' || c == ';' || c == '!' || c == '?' || (c == '.' && (j+1 == len(text) || text[j+1] == ' ' || text[j+1] == '\n')) {
			return j
		}
	}
	return end
}

// periodAfter is the pay period named closest after an amount, before
// anything the clause adds to the pay ("SAR 9,500 + housing allowance and
// annual ticket": the ticket's period is not the pay's; see addedTo).
func periodAfter(tail string) string {
	tail = tail[:addedTo(tail)]
	t := newScanText(tail)
	best, at := "", len(tail)+1
	for _, p := range periodPatterns {
		if loc := p.re.FindAllStringIndex(t, 1); len(loc) > 0 && loc[0][0] < at {
			best, at = p.period, loc[0][0]
		}
	}
	return best
}

// thousandsOnly reports an amount written with a group of thousands
// that is "000" ("55 000", "10,000"): a round number of thousands.
func thousandsOnly(num string) bool {
	n := len(num)
	return n >= 5 && num[n-3:] == "000" && strings.ContainsAny(num[n-4:n-3], " \u00a0,.'’") || strings.HasSuffix(num, "\u202f000") || strings.HasSuffix(num, "\u00a0000")
}

// addedWords open what a clause adds to the pay after its amount: "+",
// "plus", "with", "avec", "and", "et", "مع", "بالإضافة", "فضلا" (folded,
// lower-case text).
var addedWords = [...]string{"+", "plus", "with", "avec", "and", "et", "along with", "as well as", "en plus",
	"مع", "بالإضافة", "بالاضافة", "إضافة", "اضافة", "فضلا"}

// addedTo is where the first addition to the pay starts in tail (its
// length when there is none).
func addedTo(tail string) int {
	end := len(tail)
	for _, w := range addedWords {
		for from := 0; from < end; {
			j := strings.Index(tail[from:end], w)
			if j < 0 {
				break
			}
			j += from
			if w == "+" || wordAt(tail, j, j+len(w)) {
				end = j
				break
			}
			from = j + len(w)
		}
	}
	return end
}

// wordAt reports tail[i:j] standing alone: no letter or digit right
// before or after it.
func wordAt(tail string, i, j int) bool {
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(tail[:i])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if j < len(tail) {
		r, _ := utf8.DecodeRuneInString(tail[j:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// payClause is the part of head from the comma before its last pay word
// ("Work at HQ, 6 days a week, salary 3500 SAR": the week is the days'),
// the whole head when it has no pay word or no comma before it.
func payClause(head string) string {
	ms := payCueRe.FindAllStringIndex(newScanText(head), -1)
	if len(ms) == 0 {
		return head
	}
	at := ms[len(ms)-1][0]
	if j := strings.LastIndexAny(head[:at], ",،؛"); j >= 0 {
		return head[j:]
	}
	return head
}

// periodBefore is the pay period named closest before an amount
// ("TJM : 450 €", "Salaire mensuel net : 12 000 MAD").
func periodBefore(head string) string {
	t := newScanText(head)
	best, at := "", -1
	for _, p := range periodPatterns {
		for _, loc := range p.re.FindAllStringIndex(t, 4) {
			if loc[0] > at {
				best, at = p.period, loc[0]
			}
		}
	}
	return best
}

var (
	maxBoundRe = regexp.MustCompile(`(?:\bup\s+to|\bjusqu'a|\bmax(?:imum)?\.?|\bat\s+most|\bunder|\bless\s+than|\bbis\s+zu|(?:^|\s)(?:حتى|لغاية|لا\s+يتجاوز|لا\s+يزيد\s+عن|بحد\s+اقصى|بحد\s+أقصى|[يت]صل\s+(?:الى|إلى|الي|ل)))\s*[:\pL$€£ ]{0,12}$`)
	minBoundRe = regexp.MustCompile(`(?:\bfrom|\bstarting(?:\s+(?:at|from|salary\s+of|of))?|\b(?:starts?|begins?|beginning|commencing)\s+(?:at|from)|\b(?:commence|debute|demarre)\s+a|\ba\s+partir\s+de|\bdes|\bmin(?:imum)?\.?|\bat\s+least|\bau\s+moins|\bplus\s+de|\bmore\s+than|\bab|\bfrom\s+just|(?:^|\s)(?:من|ابتداء\s+من|ابتداءا\s+من|ابتداء|لا\s+يقل\s+عن|بحد\s+ادنى|بحد\s+أدنى)(?:\s|$))\s*[:\pL$€£ ]{0,12}$`)
)

// boundBefore says whether a single amount is a maximum ("up to") or a
// minimum ("from", "starting at").
func boundBefore(head string) string {
	h := strings.TrimSpace(head)
	switch {
	case maxBoundRe.MatchString(h):
		return "max"
	case minBoundRe.MatchString(h):
		return "min"
	}
	return ""
}

// asciiDigits turns Arabic-Indic and Eastern Arabic-Indic digits into
// ASCII ones (the same number of runes, fewer bytes: the result is read
// on its own, never with positions of the input).
func asciiDigits(s string) string {
	// U+0660–0669 are D9 A0–A9 in UTF-8, U+06F0–06F9 are DB B0–B9.
	found := false
	for i := 0; i+1 < len(s); i++ {
		if (s[i] == 0xd9 && s[i+1] >= 0xa0 && s[i+1] <= 0xa9) || (s[i] == 0xdb && s[i+1] >= 0xb0 && s[i+1] <= 0xb9) {
			found = true
			break
		}
	}
	if !found {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + r - '٠'
		case r >= '۰' && r <= '۹':
			return '0' + r - '۰'
		}
		return r
	}, s)
}

// scanAmounts finds what amountTextRe finds, without the regexp machine
// (descriptions hold many numbers).
func scanAmounts(s string, limit int) [][2]int {
	var out [][2]int
	digit := func(i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }
	// groupSep returns the width of a thousands separator at i, 0 if none.
	groupSep := func(i int) int {
		if i >= len(s) {
			return 0
		}
		switch s[i] {
		case ' ', ',', '.', '\'':
			return 1
		case 0xc2:
			if i+1 < len(s) && s[i+1] == 0xa0 {
				return 2
			}
		case 0xe2:
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xaf || s[i+2] == 0x99) {
				return 3
			}
		}
		return 0
	}
	decimal := func(k int) int {
		if k < len(s) && (s[k] == '.' || s[k] == ',') && digit(k+1) {
			k += 2
			if digit(k) {
				k++
			}
		}
		return k
	}
	for i := 0; i < len(s) && len(out) < limit; {
		if !digit(i) {
			i++
			continue
		}
		run := 0
		for digit(i + run) {
			run++
		}
		if run <= 3 {
			k, groups := i+run, 0
			for {
				w := groupSep(k)
				if w == 0 || !digit(k+w) || !digit(k+w+1) || !digit(k+w+2) {
					break
				}
				k += w + 3
				groups++
			}
			if groups > 0 {
				k = decimal(k)
				out = append(out, [2]int{i, k})
				i = k
				continue
			}
		}
		k := decimal(i + run)
		out = append(out, [2]int{i, k})
		i = k
	}
	return out
}
