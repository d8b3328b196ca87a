package jobs

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// currencyWords maps folded currency words, codes and symbols to ISO 4217.
// Symbols are matched on the raw text, words on whole folded words.
var currencyWords = map[string]string{
	"mad": "MAD", "dh": "MAD", "dhs": "MAD", "dirham": "MAD", "dirhams": "MAD", "درهم": "MAD",
	"eur": "EUR", "euro": "EUR", "euros": "EUR", "usd": "USD", "dollar": "USD", "dollars": "USD",
	"gbp": "GBP", "pound": "GBP", "pounds": "GBP", "cad": "CAD", "aud": "AUD", "nzd": "NZD",
	"chf": "CHF", "tnd": "TND", "dinar": "TND", "dinars": "TND", "dzd": "DZD",
	"inr": "INR", "rs": "INR", "pln": "PLN", "zl": "PLN", "sek": "SEK", "nok": "NOK", "dkk": "DKK",
	"jpy": "JPY", "yen": "JPY", "cny": "CNY", "rmb": "CNY", "brl": "BRL", "mxn": "MXN", "sar": "SAR",
	"aed": "AED", "qar": "QAR", "egp": "EGP", "ngn": "NGN", "kes": "KES", "zar": "ZAR", "sgd": "SGD",
	"hkd": "HKD", "czk": "CZK", "huf": "HUF",
	"idr": "IDR", "myr": "MYR", "thb": "THB", "vnd": "VND", "krw": "KRW", "ars": "ARS", "clp": "CLP",
	"uah": "UAH", "rub": "RUB", "bgn": "BGN", "xof": "XOF", "xaf": "XAF",
	"cfa": "XOF", "fcfa": "XOF",
	// Arabic names without their country (see arabicCurrencyCountry).
	"دراهم": "MAD", "ريال": "SAR", "ريالا": "SAR", "ريالات": "SAR", "دولار": "USD", "دولارا": "USD",
	"دولارات": "USD", "يورو": "EUR", "جنيه": "EGP", "جنيها": "EGP", "دينار": "TND", "دنانير": "TND",
}

// codesNearAmount are ISO codes that are also words ("PHP", "TRY", "COP"):
// read only in capitals right beside an amount.
var codesNearAmount = map[string]string{
	"RON": "RON", "TRY": "TRY", "ILS": "ILS", "PHP": "PHP", "COP": "COP", "PEN": "PEN", "DA": "DZD", "DT": "TND",
}

var codeNearAmountRe = regexp.MustCompile(`\d\s?([A-Z]{2,3})\b|\b([A-Z]{2,3})\s?\d`)

// currencySymbols are matched on the raw text, longest first.
var currencySymbols = []struct{ sym, code string }{
	// "€" whose UTF-8 bytes were read as Latin-1 or Windows-1252 by a feed
	// ("â\u0082¬2.691 - â\u0082¬4.037 EUR"); "Â£" holds "£" already.
	{"â\u0082¬", "EUR"}, {"â‚¬", "EUR"},
	{"US$", "USD"}, {"CA$", "CAD"}, {"C$", "CAD"}, {"A$", "AUD"}, {"AU$", "AUD"}, {"NZ$", "NZD"},
	{"R$", "BRL"}, {"S$", "SGD"}, {"HK$", "HKD"}, {"MX$", "MXN"}, {"€", "EUR"}, {"£", "GBP"},
	{"₹", "INR"}, {"¥", "JPY"}, {"₩", "KRW"}, {"₦", "NGN"}, {"₺", "TRY"}, {"₪", "ILS"}, {"₱", "PHP"},
	{"zł", "PLN"}, {"د.م.", "MAD"}, {"$", "USD"},
}

// periodWords map folded words after an amount to a pay period.
var periodPatterns = []struct {
	re     *fastRe
	period string
}{
	{newFastRe(`(?i)(/\s*(h|hr|hrs|hour|heure)\b|\bper\s+hour\b|\bhourly\b|\ban\s+hour\b|\bde\s+l.heure\b|\bpar\s+heure\b|\bhoraire\b|\bpro\s+stunde\b|\b(€|eur|usd|\$)\s*/?\s*h\b|\bstundenlohn\b|في\s+الساعة|بالساعة|للساعة)`), "hour"},
	{newFastRe(`(?i)(/\s*(day|jour|j|tag)\b|\bper\s+day\b|\bdaily\b|\ba\s+day\b|\bpar\s+jour\b|\bjournalier\b|\btjm\b|\bday\s+rate\b|\btaux\s+journalier\b|\bpro\s+tag\b|في\s+اليوم|باليوم|يوميا|لليوم)`), "day"},
	{newFastRe(`(?i)(/\s*(week|wk|semaine)\b|\bper\s+week\b|\bweekly\b|\ba\s+week\b|\bpar\s+semaine\b|\bhebdomadaire\b|في\s+(?:الأسبوع|الاسبوع)|بالأسبوع|بالاسبوع|أسبوعيا|اسبوعيا)`), "week"},
	{newFastRe(`(?i)(/\s*(month|mo|mois|monat)\b|\bper\s+month\b|\bmonthly\b|\ba\s+month\b|\bpar\s+mois\b|\bmensuel(le)?s?\b|\bpro\s+monat\b|\bmonatlich\b|شهري|في\s+الشهر|بالشهر|كل\s+شهر|للشهر)`), "month"},
	{newFastRe(`(?i)(/\s*(year|yr|an|annum|jahr|annee)\b|\bper\s+(year|annum)\b|\bp\.?\s?a\.?(\s|$)|\bannual(ly)?\b|\ba\s+year\b|\byearly\b|\bpar\s+an\b|\bannuel(le)?s?\b|\bpro\s+jahr\b|\bjahrlich\b|\bbrut\s+annuel\b|\bk€\s*/\s*an\b|سنوي|في\s+السنة|بالسنة|في\s+العام|بالعام)`), "year"},
}

// amountRe finds an amount: digits with thousands groups (space, no-break
// space, comma, dot or apostrophe) and an optional decimal part, then an
// optional k/m multiplier.
var amountRe = regexp.MustCompile(`(\d{1,3}(?:[ \x{a0}\x{202f},.'’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)(\s?[kKmM](?:\b|€|\$|£|[^a-zA-Z]|$))?`)

// ParseSalary reads a pay range written by people: "45 000 €",
// "15 000 DH/mois", "$80k-$100k", "60K - 80K USD a year", "500€/jour",
// "£40,000 - £50,000", "up to $120k". ok=false when no amount or no currency
// is found. The period is inferred from the magnitude when the text does not
// say it.
func ParseSalary(text string) (*Salary, bool) {
	return parseSalary(text, "")
}

// parseSalary is ParseSalary with a currency to assume when the text names
// none (from the offer's country).
func parseSalary(text, fallbackCurrency string) (*Salary, bool) {
	if len(text) > 500 {
		text = truncateRunes(text, 500)
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, false
	}
	cur := detectCurrency(text)
	if cur == "" {
		cur = fallbackCurrency
	}
	if cur == "" {
		return nil, false
	}
	var amounts []float64
	var kFlags []bool
	for _, m := range amountRe.FindAllStringSubmatchIndex(text, -1) {
		num := text[m[2]:m[3]]
		after := text[m[1]:]
		before := text[:m[0]]
		if skipAmount(before, after) {
			continue
		}
		v, ok := parseAmount(num)
		if !ok {
			continue
		}
		mult := false
		if m[4] >= 0 {
			suf := strings.ToLower(strings.TrimSpace(text[m[4]:m[5]]))
			switch {
			case strings.HasPrefix(suf, "k"):
				v *= 1000
				mult = true
			case strings.HasPrefix(suf, "m"):
				// "m" may be "mois"/"month" glued to the number; only a
				// bare M after a small amount means million.
				if v < 100 && !strings.HasPrefix(strings.ToLower(after), "mo") && !strings.HasPrefix(strings.ToLower(after), "m/") {
					v *= 1_000_000
					mult = true
				}
			}
		}
		amounts = append(amounts, v)
		kFlags = append(kFlags, mult)
		if len(amounts) == 2 {
			break
		}
	}
	if len(amounts) == 0 {
		return nil, false
	}
	// "$80 - 100k": the multiplier of the upper bound applies to both.
	if len(amounts) == 2 && !kFlags[0] && kFlags[1] && amounts[0] < 1000 && amounts[0]*1000 <= amounts[1] {
		amounts[0] *= 1000
	}
	s := &Salary{Currency: cur}
	low := strings.ToLower(text)
	switch {
	case len(amounts) == 2:
		s.Min, s.Max = amounts[0], amounts[1]
		if s.Min > s.Max {
			s.Min, s.Max = s.Max, s.Min
		}
	case containsAny(low, "up to", "jusqu", "max", "maximum", "bis zu", "under", "less than"):
		s.Max = amounts[0]
	case containsAny(low, "from", "à partir", "a partir", "min", "starting", "at least", "au moins", "ab ", "dès", "plus de", "more than", "+"):
		s.Min = amounts[0]
	default:
		s.Min, s.Max = amounts[0], amounts[0]
	}
	for _, v := range []float64{s.Min, s.Max} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v > 1e10 {
			return nil, false
		}
	}
	if s.Min == 0 && s.Max == 0 {
		return nil, false
	}
	s.Period = detectPeriod(text)
	if s.Period == "" {
		s.Period = inferPeriod(max(s.Min, s.Max), cur)
	}
	return s, true
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// skipAmount drops numbers that are not money: percentages, years of
// experience, "401k", hours per week, years.
func skipAmount(before, after string) bool {
	a := strings.ToLower(strings.TrimSpace(after))
	for _, p := range []string{"%", "year", "yr", "ans", "an ", "hours", "h/", "heures", "jours de", "days", "weeks", "semaines", "employees", "+ year", "+ an", "jahre"} {
		if strings.HasPrefix(a, p) {
			return true // "3 years", "40 hours", "10%": not money
		}
	}
	if strings.HasPrefix(a, "k)") && strings.HasSuffix(strings.TrimSpace(before), "401(") {
		return true
	}
	b := strings.ToLower(before)
	return strings.HasSuffix(b, "401(") || strings.HasSuffix(b, "401")
}

// parseAmount reads "45 000", "40,000", "40.000", "31,2", "1,500.50".
func parseAmount(s string) (float64, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'', '’':
			return -1
		}
		return r
	}, s)
	lastSep := strings.LastIndexAny(s, ".,")
	if lastSep >= 0 {
		frac := s[lastSep+1:]
		intPart := strings.NewReplacer(",", "", ".", "").Replace(s[:lastSep])
		if len(frac) == 3 {
			s = intPart + frac // thousands separator
		} else {
			s = intPart + "." + frac
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	return v, true
}

func detectCurrency(text string) string {
	for _, w := range strings.Fields(fold(text)) {
		if c, ok := currencyWords[w]; ok {
			return c
		}
	}
	// Symbols glued to numbers: "45000€", "15000DH", "80K$".
	up := strings.ToUpper(text)
	for _, s := range currencySymbols {
		if strings.Contains(up, strings.ToUpper(s.sym)) {
			return s.code
		}
	}
	for _, m := range codeNearAmountRe.FindAllStringSubmatch(text, -1) {
		if c, ok := codesNearAmount[m[1]+m[2]]; ok {
			return c
		}
	}
	return ""
}

func detectPeriod(text string) string {
	t := newScanText(stripAccents(text))
	for _, p := range periodPatterns {
		if p.re.MatchString(t) {
			return p.period
		}
	}
	return ""
}

// inferPeriod guesses the period of an amount when the text does not say
// it: Maghreb salaries are quoted per month, others per year above a
// threshold, then per month, day or hour as amounts get smaller.
func inferPeriod(v float64, cur string) string {
	switch cur {
	case "MAD", "TND", "DZD", "EGP", "XOF", "XAF":
		if v >= 150_000 {
			return "year"
		}
		if v < 200 {
			return "hour"
		}
		return "month"
	case "INR", "JPY", "KRW", "IDR", "VND", "HUF", "CLP", "COP", "NGN", "KES", "PHP", "ARS":
		return "year"
	}
	switch {
	case v >= 12_000:
		return "year"
	case v >= 1_000:
		// A day rate above 1 000 is rare; a month's pay of 1 000 to 1 200
		// is common (southern and eastern Europe, Latin America).
		return "month"
	case v >= 150:
		return "day"
	default:
		return "hour"
	}
}
