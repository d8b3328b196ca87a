package jobs

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Region tables. Membership follows common usage in job ads; where usage
// varies (Turkey in Europe, Mexico in North America) the wider reading is
// taken, so a graduate is not excluded by a table's narrowness.
const (
	euCountries = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
	europeExtra = "GB NO IS LI CH AD MC SM VA AL BA ME MK RS XK MD UA BY RU TR FO GI GG JE IM AX SJ"
	middleEast  = "AE BH CY EG IL IQ IR JO KW LB OM PS QA SA SY TR YE"
	africa      = "DZ AO BJ BW BF BI CV CM CF TD KM CD CG CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW EH RE YT SH"
	northAfrica = "MA DZ TN LY EG SD MR EH"
	maghreb     = "MA DZ TN LY MR EH"
	// francophoneAfrica: countries where French is an official or common
	// working language.
	// Subregions of Africa (UN geoscheme; Mauritania with West Africa).
	westAfrica        = "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG SH"
	eastAfrica        = "BI KM DJ ER ET KE MG MW MU MZ RW SC SO SS TZ UG ZM ZW YT RE"
	centralAfrica     = "AO CM CF TD CG CD GQ GA ST"
	southernAfrica    = "BW SZ LS NA ZA"
	francophoneAfrica = "MA DZ TN MR SN ML BF NE TD GN CI TG BJ CM GA CG CD CF DJ KM MG RW BI SC"
	latam             = "MX GT BZ SV HN NI CR PA CU DO HT PR CO VE EC PE BO PY CL AR UY BR GY SR GF"
	caribbean         = "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI"
	southAm           = "AR BO BR CL CO EC GY PY PE SR UY VE GF FK"
	centralAm         = "BZ CR SV GT HN NI PA"
	northAm           = "US CA MX"
	apac              = "AU NZ CN HK MO TW JP KR KP MN SG MY ID TH VN PH KH LA MM BN TL IN PK BD LK NP BT MV PG FJ SB VU WS TO KI FM MH PW NR TV NC PF"
	asia              = "CN HK MO TW JP KR KP MN SG MY ID TH VN PH KH LA MM BN TL IN PK BD LK NP BT MV AF KZ UZ TM KG TJ AE BH IL IQ IR JO KW LB OM PS QA SA SY YE TR GE AM AZ"
	oceania           = "AU NZ PG FJ SB VU WS TO KI FM MH PW NR TV NC PF CK NU"
	easternEu         = "PL CZ SK HU RO BG SI HR RS BA ME MK AL XK EE LV LT UA MD BY RU"
	westernEu         = "FR DE NL BE LU AT CH GB IE PT ES IT MC LI AD"
	nordics           = "DK SE NO FI IS"
	eea               = euCountries + " IS LI NO"
	// arabWorld: the member states of the Arab League.
	arabWorld = "DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE"
)

// regionNames maps folded region words to the canonical name stored in
// Eligibility.Regions.
var regionNames = map[string]string{
	"eu": "EU", "european union": "EU", "union europeenne": "EU", "ue": "EU",
	"europe": "Europe", "european": "Europe", "europa": "Europe", "continental europe": "Europe", "eur": "Europe",
	"emea": "EMEA", "europe middle east and africa": "EMEA", "europe middle east africa": "EMEA",
	"africa": "Africa", "afrique": "Africa", "african": "Africa", "افريقيا": "Africa",
	"continent africain": "Africa", "african continent": "Africa", "the african continent": "Africa", "القارة الافريقية": "Africa",
	"mena": "MENA", "middle east and north africa": "MENA", "moyen orient et afrique du nord": "MENA", "mena region": "MENA",
	"middle east": "Middle East", "moyen orient": "Middle East", "الشرق الاوسط": "Middle East",
	"maghreb": "Maghreb", "المغرب العربي": "Maghreb",
	"afrique francophone": "Francophone Africa", "francophone africa": "Francophone Africa",
	"pays d afrique francophone": "Francophone Africa", "french speaking africa": "Francophone Africa",
	"francophone d afrique": "Francophone Africa", "francophones d afrique": "Francophone Africa",
	"africains francophones": "Francophone Africa", "africain francophone": "Francophone Africa",
	"francophone african countries": "Francophone Africa", "french speaking african countries": "Francophone Africa",
	"north africa": "North Africa", "afrique du nord": "North Africa", "شمال افريقيا": "North Africa",
	"sub saharan africa": "Sub-Saharan Africa", "afrique subsaharienne": "Sub-Saharan Africa",
	"west africa": "West Africa", "western africa": "West Africa", "afrique de l ouest": "West Africa",
	"afrique occidentale": "West Africa", "غرب افريقيا": "West Africa", "ecowas": "West Africa", "cedeao": "West Africa",
	"east africa": "East Africa", "eastern africa": "East Africa", "afrique de l est": "East Africa",
	"afrique orientale": "East Africa", "شرق افريقيا": "East Africa",
	"central africa": "Central Africa", "afrique centrale": "Central Africa", "وسط افريقيا": "Central Africa",
	"southern africa": "Southern Africa", "afrique australe": "Southern Africa",
	"latam": "LATAM", "latin america": "LATAM", "amerique latine": "LATAM", "latinoamerica": "LATAM", "south and central america": "LATAM",
	"south america": "South America", "amerique du sud": "South America",
	"central america": "Central America", "amerique centrale": "Central America",
	"caribbean": "Caribbean", "caraibes": "Caribbean",
	"north america": "North America", "amerique du nord": "North America", "northern america": "North America", "na": "North America",
	"americas": "Americas", "the americas": "Americas", "amerique": "Americas", "ameriques": "Americas",
	"apac": "APAC", "asia pacific": "APAC", "asia pac": "APAC", "asie pacifique": "APAC", "asiapac": "APAC",
	"asia": "Asia", "asie": "Asia",
	"oceania": "Oceania", "oceanie": "Oceania", "anz": "Oceania",
	"eastern europe": "Eastern Europe", "europe de l est": "Eastern Europe", "cee": "Eastern Europe",
	"central and eastern europe": "Eastern Europe", "central eastern europe": "Eastern Europe",
	"western europe": "Western Europe", "europe de l ouest": "Western Europe",
	"nordics": "Nordics", "nordic countries": "Nordics", "scandinavia": "Nordics", "nordic": "Nordics", "pays nordiques": "Nordics",
	"arab world": "Arab world", "arab countries": "Arab world", "the arab world": "Arab world",
	"monde arabe": "Arab world", "pays arabes": "Arab world", "le monde arabe": "Arab world",
	"الخليج": "GCC", "الخليج العربي": "GCC", "مجلس التعاون الخليجي": "GCC",
	"baltics": "Baltics", "baltic states": "Baltics", "baltic countries": "Baltics", "pays baltes": "Baltics",
	"dach": "DACH", "benelux": "Benelux", "gcc": "GCC", "gulf": "GCC", "gulf countries": "GCC",
	"eea": "EEA", "european economic area": "EEA", "uk and ireland": "UK & Ireland", "uki": "UK & Ireland", "uk i": "UK & Ireland",
}

// regionMembers is the table behind RegionCountries and Admits.
var regionMembers = sync.OnceValue(func() map[string][]string {
	f := strings.Fields
	m := map[string][]string{
		"EU":                 f(euCountries),
		"EEA":                f(eea),
		"Europe":             f(euCountries + " " + europeExtra),
		"Middle East":        f(middleEast),
		"Africa":             f(africa),
		"North Africa":       f(northAfrica),
		"Maghreb":            f(maghreb),
		"Francophone Africa": f(francophoneAfrica),
		"MENA":               f(middleEast + " " + northAfrica),
		"EMEA":               f(euCountries + " " + europeExtra + " " + middleEast + " " + africa),
		"LATAM":              f(latam),
		"South America":      f(southAm),
		"Central America":    f(centralAm),
		"Caribbean":          f(caribbean),
		"North America":      f(northAm),
		"Americas":           f(northAm + " " + latam + " " + caribbean + " " + southAm + " GL BM PM"),
		"APAC":               f(apac),
		"Asia":               f(asia),
		"Oceania":            f(oceania),
		"Eastern Europe":     f(easternEu),
		"Western Europe":     f(westernEu),
		"Nordics":            f(nordics),
		"DACH":               f("DE AT CH"),
		"Benelux":            f("BE NL LU"),
		"GCC":                f("SA AE QA KW BH OM"),
		"Arab world":         f(arabWorld),
		"Baltics":            f("EE LV LT"),
		"UK & Ireland":       f("GB IE"),
		"Sub-Saharan Africa": nil,
		"West Africa":        f(westAfrica),
		"East Africa":        f(eastAfrica),
		"Central Africa":     f(centralAfrica),
		"Southern Africa":    f(southernAfrica),
	}
	north := map[string]bool{}
	for _, c := range f(northAfrica) {
		north[c] = true
	}
	for _, c := range f(africa) {
		if !north[c] {
			m["Sub-Saharan Africa"] = append(m["Sub-Saharan Africa"], c)
		}
	}
	for k, v := range m {
		slices.Sort(v)
		m[k] = slices.Compact(v)
	}
	return m
})

// RegionCountries returns the ISO alpha-2 members of a region ("EMEA",
// "Europe", "MENA", "Maghreb", "LATAM", "afrique du nord", ...), sorted; nil
// for an unknown region.
func RegionCountries(region string) []string {
	name, ok := regionNames[fold(region)]
	if !ok {
		name = region
	}
	return slices.Clone(regionMembers()[name])
}

// Admits reports whether an applicant living in country (ISO alpha-2) may
// apply: the posting is worldwide, lists the country, lists a region that
// contains it, or states a UTC window that contains the country's offset.
// Unknown eligibility admits nobody: the matcher decides what silence means.
// An excluded country is never admitted.
func (e Eligibility) Admits(country string) bool {
	if !e.Known {
		return false
	}
	cc := strings.ToUpper(strings.TrimSpace(country))
	if slices.Contains(e.ExcludedCountries, cc) {
		return false
	}
	if e.Worldwide {
		return true
	}
	if cc == "" {
		return false
	}
	if slices.Contains(e.Countries, cc) {
		return true
	}
	members := regionMembers()
	for _, r := range e.Regions {
		if slices.Contains(members[r], cc) {
			return true
		}
	}
	if e.UTCOffsetMin != nil && e.UTCOffsetMax != nil {
		if off, ok := CountryUTCOffset(cc); ok && off >= *e.UTCOffsetMin-1e-9 && off <= *e.UTCOffsetMax+1e-9 {
			return true
		}
	}
	return false
}

// worldwideWords say a remote job is open everywhere.
var worldwideWords = map[string]bool{
	"worldwide": true, "anywhere": true, "global": true, "globally": true, "world": true,
	"anywhere in the world": true, "partout dans le monde": true, "monde entier": true, "le monde entier": true,
	"international": true, "everywhere": true, "no location restriction": true, "no location restrictions": true,
	"work from anywhere": true, "remote anywhere": true, "anywhere remote": true, "fully distributed": true,
	"location independent": true, "any location": true, "all countries": true, "weltweit": true,
	"sans restriction geographique": true, "n importe ou": true, "depuis n importe ou": true,
	"tous les pays": true, "tout pays": true, "n importe quel pays": true, "any country": true, "every country": true,
}

// tzAbbrev are standard offsets of time-zone names used in ads.
var tzAbbrev = map[string]float64{
	"utc": 0, "gmt": 0, "wet": 0, "bst": 1, "cet": 1, "cest": 2, "met": 1, "eet": 2, "eest": 3, "msk": 3,
	"wat": 1, "cat": 2, "eat": 3, "sast": 2, "gst": 4, "ist": 5.5, "pkt": 5, "ict": 7, "wib": 7,
	"sgt": 8, "hkt": 8, "awst": 8, "jst": 9, "kst": 9, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
	"est": -5, "edt": -4, "et": -5, "cst": -6, "cdt": -5, "ct": -6, "mst": -7, "mdt": -6, "mt": -7,
	"pst": -8, "pdt": -7, "pt": -8, "akst": -9, "hst": -10, "ast": -4, "brt": -3, "art": -3, "clt": -4,
	"cot": -5, "pet": -5,
}

// tzZones are named windows ("European time zones", "US time zones").
var tzZones = []struct {
	words    []string
	min, max float64
}{
	{[]string{"europe", "european", "eu", "emea", "cet", "central european"}, -1, 3},
	{[]string{"us", "usa", "american", "north american", "north america", "americas", "na", "us canada"}, -10, -3},
	{[]string{"eastern", "east coast"}, -5, -5},
	{[]string{"pacific", "west coast"}, -8, -8},
	{[]string{"asia", "asian", "apac", "asia pacific"}, 5, 10},
	{[]string{"africa", "african"}, -1, 4},
	{[]string{"latam", "latin american", "south american"}, -6, -3},
}

var (
	// "UTC-5 to UTC+2", "GMT+1", "UTC −3:30", "UTC+01:00".
	utcRe = regexp.MustCompile(`(?i)\b(?:utc|gmt)\s*([+\-−–]\s*\d{1,2}(?:[:.h]\d{2}|\.5)?)?`)
	// "CET +/- 2h", "CET ± 3 hours", "UTC+1 +/- 2".
	plusMinusRe = regexp.MustCompile(`(?i)(?:(?:\+\s*/\s*-|±|\+-|plus or minus|plus ou moins)\s*(\d{1,2}(?:\.5)?)\s*(?:h|hours?|heures?|hrs?)?|\bwithin\s+(\d{1,2})\s*(?:h|hours?|hrs?)\s+(?:of|from)\b|\b[àa]\s+(\d{1,2})\s*(?:h|heures?)\s+(?:pr[eè]s\s+)?(?:de|du)\b)`)
	// A bare signed offset after a range word: "UTC-5 to +2", "between -3 and +3".
	signedRe = regexp.MustCompile(`(?:^|[\s(/])([+\-−–]\s*\d{1,2}(?:[:.]\d{2}|\.5)?)\b`)
	tzWordRe = regexp.MustCompile(`(?i)\b([A-Za-z]{2,5})\b`)
)

// ParseEligibility reads where a remote applicant may live from short texts
// (source fields such as "USA Only", "Remote - EMEA", "UTC-5 to UTC+2",
// "Morocco, France") or from long descriptions, where only sentences that
// state a location requirement are read ("must be based in the US", "open
// to candidates in Europe", "we hire anywhere"). Known=false when nothing
// says where: silence never becomes worldwide.
func ParseEligibility(texts ...string) Eligibility {
	var e Eligibility
	var lo, hi float64
	window := false
	addWindow := func(a, b float64) {
		if a > b {
			a, b = b, a
		}
		if a < -12 || b > 14 {
			a, b = max(a, -12), min(b, 14)
			if a > b {
				return
			}
		}
		if !window {
			lo, hi, window = a, b, true
			return
		}
		lo, hi = min(lo, a), max(hi, b)
	}
	var points []float64
	var excluded []string
	anyExcluded := false
	for _, t := range texts {
		if rest, ex, ok := cutExclusions(stripAccents(t)); ok {
			t, anyExcluded = rest, true
			excluded = append(excluded, ex...)
		}
		t = narrowAnywhere(t)
		// Structured sources (Himalayas) list allowed offsets as bare numbers.
		if bareOffsetRe.MatchString(strings.TrimSpace(t)) {
			if v, ok := parseOffset(strings.TrimSpace(t)); ok {
				points = append(points, v)
			}
			continue
		}
		for _, clause := range eligibilityClauses(t) {
			parseEligibilityClause(clause, &e, addWindow)
		}
	}
	if len(points) > 0 {
		a, b := offsetArc(points)
		addWindow(a, b)
	}
	if window {
		e.UTCOffsetMin, e.UTCOffsetMax = &lo, &hi
	}
	slices.Sort(e.Countries)
	e.Countries = slices.Compact(e.Countries)
	slices.Sort(e.Regions)
	e.Regions = slices.Compact(e.Regions)
	if anyExcluded {
		slices.Sort(excluded)
		e.ExcludedCountries = slices.Compact(excluded)
		// "Anywhere except X": exclusions alone leave the rest of the world.
		if len(e.Countries) == 0 && len(e.Regions) == 0 && !window {
			e.Worldwide = true
		}
	}
	if e.Worldwide {
		// Worldwide with a UTC window is a time-zone restriction, not worldwide.
		if window {
			e.Worldwide = false
		}
	}
	e.Known = e.Worldwide || len(e.Countries) > 0 || len(e.Regions) > 0 || window
	return e
}

// eligibilityClauses returns the text itself when it is short, otherwise
// the phrases of a description that state a location requirement.
func eligibilityClauses(t string) []string {
	prose := strings.Contains(t, "\n") // descriptionForEligibility marks short descriptions so
	t = strings.TrimSpace(t)
	if t == "" {
		return nil
	}
	if len(t) > 8000 {
		t = truncateRunes(t, 8000)
	}
	if !prose && !isProse(t) {
		return []string{t}
	}
	ph := requirementPhrases(t)
	if len(ph) == 0 && prose && len(t) <= 160 {
		// A one-line description with no requirement phrase is read as
		// a place list ("We hire from anywhere in the world.").
		return []string{t}
	}
	return ph
}

// isProse tells a sentence from a list of places: lists have few words
// between separators ("USA, Canada, UK, Germany"), prose has many.
func isProse(t string) bool {
	words := len(strings.Fields(t))
	if words <= 8 {
		return false
	}
	parts := 1 + strings.Count(t, ",") + strings.Count(t, ";") + strings.Count(t, "|") + strings.Count(t, "/")
	return words/parts > 3
}

// requirementRe finds phrases that say where applicants must live; the
// capture is the place part read afterwards.
var requirementRe = newFastRe(`(?i)(?:must\s+(?:(?:currently|still|already|physically|legally|permanently)\s+)?(?:be\s+)?(?:based|located|living|residing|reside|live)\s+in\b|(?:candidates?|applicants?|people|you)\s+(?:must\s+be\s+|should\s+be\s+)?(?:based|located|living|residing)\s+(?:in|within)\b|open\s+to\s+(?:candidates|applicants|people|residents|anyone|nationals|citizens|talent)\s+(?:based\s+|located\s+|living\s+)?(?:in|from|within|across|of)\b|(?:only\s+)?(?:hiring|hire|recruiting)\s+(?:only\s+)?(?:remotely\s+|remote\s+)?(?:in|from|within|across)\b|(?:recrutons|recrute|recrutent|embauchons|embauche)\s+(?:(?:partout|uniquement|seulement|exclusivement)\s+)?(?:en|au|aux|dans)\s+(?:tout(?:e|es)?\b)?|residents?\s+of|authori[sz]ed\s+to\s+work\s+in\b|eligible\s+to\s+work\s+in\b|right\s+to\s+work\s+in\b|remote\s+(?:within|from|in|across)\b|work\s+remotely\s+from|located\s+in\s+one\s+of|(?:candidats?|profils?|personnes)\s+(?:bas[ée]s?|r[ée]sidant|situ[ée]s?|localis[ée]s?)\s+(?:en|au|aux|à|dans)|(?:poste|emploi)\s+(?:est\s+|sera\s+)?(?:bas[ée]|localis[ée]|rattach[ée])\s+(?:en|au|aux|dans)\s|r[ée]sid(?:er|ant|ants|ante|antes|ents?|entes?)\s+(?:en|au|aux|à|a|dans|de|du|des|d')|(?:ouvert|ouverte|ouverts|ouvertes|accessible|reserv[ée]e?)s?\s+(?:a|à|aux)\s+(?:tout(?:e|es)?\s+)?(?:(?:les\s+|des\s+)?(?:candidats?|candidatures|personnes|profils|talents)\s+)?(?:(?:bas[ée]s?|r[ée]sidant|situ[ée]s?|venant)\s+)?(?:en|au|aux|dans|de|du|des|d'|à)?|(?:applicants|candidates|people|talent|anyone|everyone)\s+(?:who\s+(?:are\s+|live\s+)?)?(?:(?:currently|legally|physically|permanently)\s+)?(?:based|located|living|residing|live)\s+(?:in|within)\b|(?:need|needs|have|has)\s+to\s+(?:be\s+)?(?:based|located|living|residing|reside|live)\s+in\b|(?:region|regions|countries|eligible\s+countries|pays|zone|zones|r[ée]gion)\s*:|t[ée]l[ée]travail\s+(?:(?:complet|total|int[ée]gral|possible|autoris[ée])\s+){0,2}depuis|(?:accessible|ouvert|ouverte|possible|open|available|doable)\s+(?:depuis|from)\b|(?:where|in\s+which)\s+we\s+(?:have\s+(?:an?\s+)?(?:legal\s+)?(?:entity|entities|office|offices|presence)|operate|can\s+(?:hire|employ))\s*[:,-]?|(?:work(?:ing)?\s+from\s+home|wfh|home[\s-]based)\s+(?:in|within|from|across)\b|t[ée]l[ée]travail\s+(?:complet\s+|total\s+)?(?:au|aux|en)\s|time\s*zones?\s*:|timezone\s*:|location\s*:|localisation\s*:)\s*(?:the\s+|le\s+|la\s+|les\s+|l')?([^.;\n]{1,80})`)

// openToLivingRe is an offer open to some people by where they live:
// "open to developers living in Morocco, Tunisia or Senegal", "open to
// data engineers based in the EU" (requirementRe names the usual people
// words; any one or two words stand here before the place verb).
var openToLivingRe = newFastRe(`(?i)\bopen\s+to\s+(?:[a-z-]+\s+){1,2}(?:who\s+(?:are\s+|live\s+)?)?(?:based|located|living|residing|resident)\s+(?:in|within)\s+(?:the\s+)?([^.;\n]{1,80})`)

// offsetAfterRe is a UTC offset at the start of a text ("UTC+3", "+3").
var offsetAfterRe = regexp.MustCompile(`(?i)^\s*(?:utc|gmt)?\s*[+\-−–]?\s*\d`)

// basedOnlyWho are the people a "X-based" place qualifies.
var basedOnlyWho = wordSet("applicants", "candidates", "residents", "people", "talent", "hires", "employees",
	"contractors", "only", "individuals", "role", "roles", "position", "positions", "job", "jobs", "opportunity", "poste")

// onlyWords restrict what comes before or after them to one place.
var onlyWords = []string{"only", "uniquement", "seulement", "exclusivement"}

// placeOnlyAfter are the words after "only" that introduce the place
// ("only in Spain", "uniquement en France", "only for residents of").
var placeOnlyAfter = wordSet("in", "from", "within", "en", "au", "aux", "dans", "depuis")

// wordsBefore returns up to n words (letters and apostrophes) right
// before i in t, within the clause.
func wordsBefore(t string, i, n int) string {
	j := i
	for k := 0; k < n; k++ {
		e := j
		for e > 0 && t[e-1] == ' ' {
			e--
		}
		b := e
		for b > 0 {
			r, w := utf8.DecodeLastRuneInString(t[:b])
			if !unicode.IsLetter(r) && r != '\'' {
				break
			}
			b -= w
		}
		if b == e {
			break
		}
		j = b
		if b == 0 || t[b-1] != ' ' {
			break
		}
	}
	return t[j:i]
}

// basedOnly reads "US-based applicants only", "EU-based candidates"; low
// is lowerSameOffsets(t).
func basedOnly(t, low string) []string {
	var out []string
	for from := 0; len(out) < 10; {
		k := strings.Index(low[from:], "based ")
		if k < 0 {
			break
		}
		i := from + k
		from = i + 6
		if i == 0 || (t[i-1] != '-' && t[i-1] != ' ') {
			continue
		}
		rest := strings.Fields(low[from:min(len(low), from+30)])
		if len(rest) == 0 || !basedOnlyWho[strings.Trim(rest[0], ",.;:")] {
			continue
		}
		if w := placeSuffix(wordsBefore(t, i-1, 3)); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// placeSuffix is the longest run of last words of w that names a place
// ("We hire US" gives "US", "is a North America" "North America"), ""
// when none does.
func placeSuffix(w string) string {
	f := strings.Fields(w)
	for k := range f {
		s := strings.Join(f[k:], " ")
		if e := ParseEligibility(s); e.Known && !e.Worldwide {
			return s
		}
	}
	return ""
}

// placeOnly reads "(LATAM only)", "France uniquement", "only in Spain".
func placeOnly(t, low string) []string {
	var out []string
	for _, ow := range onlyWords {
		for from := 0; len(out) < 10; {
			k := strings.Index(low[from:], ow)
			if k < 0 {
				break
			}
			i := from + k
			from = i + len(ow)
			if (i > 0 && isWordByte(low[i-1])) || (from < len(low) && isWordByte(low[from])) {
				continue
			}
			if w := wordsBefore(t, i, 3); w != "" {
				// "US/Canada only": places joined by a slash or "&";
				// "sub-Saharan Africa only": a hyphenated name.
				j := i - len(w)
				for j > 1 && (t[j-1] == '/' || t[j-1] == '&' || t[j-1] == '-') {
					v := wordsBefore(t, j-1, 1)
					if v == "" {
						break
					}
					j -= 1 + len(v)
				}
				out = append(out, t[j:i])
			}
			// "only in Spain": the place after.
			rest := low[from:]
			f := strings.Fields(rest[:min(len(rest), 12)])
			if len(f) > 0 && (placeOnlyAfter[f[0]] || f[0][0] == ':' || strings.HasPrefix(f[0], "—") || strings.HasPrefix(f[0], "–") || f[0] == "-") {
				// "only in Spain", "(GCC only — UAE, KSA, Qatar)".
				end := from + min(len(rest), 60)
				if e := strings.IndexAny(t[from:end], ".;\n"); e >= 0 {
					end = from + e
				}
				out = append(out, t[from:end])
			}
		}
	}
	return out
}

// welcomeWords close a list of places the ad invites: "Morocco, Portugal
// and Spain welcome", "Tunisie et Maroc bienvenus".
var welcomeWords = []string{"welcome", "welcomed", "bienvenus", "bienvenues", "bienvenu", "bienvenue"}

// welcomeVerbs may stand between the list and the welcome word.
var welcomeVerbs = wordSet("are", "is", "also", "equally", "very", "all", "most", "especially", "sont",
	"est", "aussi", "egalement", "tres", "les", "plus", "que")

// welcomeNot in the words before a welcome word deny it ("not welcome",
// "ne sont pas les bienvenus").
var welcomeNot = wordSet("not", "no", "never", "pas", "non", "jamais", "aren't", "isn't", "arent", "isnt")

// welcomePlaces reads the places of "<places> (are) welcome": the words
// back to the start of the sentence, when they name nothing but places
// (each part of the list is a place: "Candidates of all levels welcome"
// is not read); low is lowerSameOffsets(t).
func welcomePlaces(t, low string) []string {
	var out []string
	for _, ww := range welcomeWords {
		for from := 0; len(out) < 5; {
			k := strings.Index(low[from:], ww)
			if k < 0 {
				break
			}
			i := from + k
			from = i + len(ww)
			if (i > 0 && isWordByte(low[i-1])) || (from < len(low) && isWordByte(low[from])) {
				continue
			}
			start := max(0, i-100)
			if b := strings.LastIndexAny(t[start:i], ".;!?\n:"); b >= 0 {
				start += b + 1
			}
			words := strings.Fields(low[start:i])
			for len(words) > 0 && welcomeVerbs[words[len(words)-1]] {
				words = words[:len(words)-1]
			}
			if len(words) == 0 || len(words) > 8 || slices.ContainsFunc(words, func(w string) bool { return welcomeNot[w] }) {
				continue
			}
			list := strings.Join(words, " ")
			var e Eligibility
			ok := true
			for _, part := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == '/' }) {
				for _, q := range splitWords(" "+part+" ", " or ", " and ", " et ", " ou ") {
					if q = strings.TrimSpace(q); q == "" {
						continue
					}
					before := len(e.Countries) + len(e.Regions)
					readPlace(q, &e)
					if len(e.Countries)+len(e.Regions) == before {
						ok = false
					}
				}
			}
			if ok && len(e.Countries)+len(e.Regions) > 0 {
				out = append(out, t[start:i])
			}
		}
	}
	return out
}

// hasArabic reports a letter of the Arabic block (UTF-8 lead bytes D8–DB).
func hasArabic(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0xd8 && c <= 0xdb {
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool { return c >= utf8.RuneSelf || isASCIILetter(c) || c >= '0' && c <= '9' }

var (
	// Arabic: "مقيما في", "للمقيمين في", "الإقامة في", "للمرشحين من",
	// "عن بعد من المغرب أو تونس".
	arabicPlaceRe = newFastRe(`(?:(?:مقيم|مقيمة|مقيما|مقيمين|المقيمين|للمقيمين|المقيمون|الإقامة|الاقامة|الإقامه|الاقامه|المتواجدين|متواجدا|للمرشحين|المرشحين|المرشحون|للمتقدمين|المتقدمين|المتقدمون|المترشحين|المترشحون|ساكنين|الساكنين|القاطنين|قاطنين)\s+(?:(?:في|من|داخل|ف)\s+|ب)|عن\s+بعد(?:\s+بالكامل)?\s+من\s+)([^.;\n]{1,60})`)
	// "من أي دولة عربية", "جميع الدول العربية", "العالم العربي".
	arabicArabWorldRe = newFastRe(`(?:(?:أي|اي|جميع|كل|كافة)\s+(?:ال)?(?:دول|دولة|بلد|بلدان)\s+(?:ال)?عربي|(?:ال)?(?:عالم|وطن)\s+(?:ال)?عربي)`)
	arabicWorldRe     = newFastRe(`(?:جميع\s+أنحاء\s+العالم|جميع\s+انحاء\s+العالم|أي\s+مكان|اي\s+مكان|كل\s+أنحاء\s+العالم|حول\s+العالم|كل\s+دول\s+العالم|جميع\s+الدول)`)
)

// arabicPlaceList reads the places that open an Arabic requirement
// phrase as a list for the place reader: "المغرب وتونس والجزائر" (the
// conjunction is glued to the next place) and "المغرب، تونس" are lists;
// the list ends at the first part that does not start with a place (a
// comma may open another clause: "في المغرب، ويشترط إتقان الفرنسية").
// The first part is kept whatever it is.
func arabicPlaceList(s string) string {
	// "المغرب أو تونس أو مصر": a list joined by "or".
	s = strings.ReplaceAll(strings.ReplaceAll(s, " أو ", "، "), " او ", "، ")
	var parts []string
	for _, seg := range strings.FieldsFunc(s, func(r rune) bool { return r == '،' || r == ',' }) {
		for _, q := range splitArabicAnd(seg) {
			if len(parts) > 0 && !startsWithPlace(q) {
				return strings.Join(parts, ", ")
			}
			if len(parts) == 0 {
				// "المملكة العربية السعودية وأن يحمل إقامة سارية": the
				// place, not the clause glued after it.
				if n := placeWordCount(q); n > 0 {
					q = strings.Join(strings.Fields(q)[:n], " ")
				}
			}
			parts = append(parts, q)
		}
	}
	return strings.Join(parts, ", ")
}

// splitArabicAnd splits s where a word is the conjunction و glued to a
// place ("تونس والجزائر"), but not inside a place whose own name starts
// with و ("وجدة" is Oujda, not "and Jeddah").
func splitArabicAnd(s string) []string {
	var parts []string
	var cur []string
	words := strings.Fields(s)
	for i, w := range words {
		if rest, ok := strings.CutPrefix(w, "و"); ok && rest != "" && len(cur) > 0 &&
			!startsWithPlace(strings.Join(words[i:], " ")) && startsWithPlace(strings.Join(append([]string{rest}, words[i+1:]...), " ")) {
			parts = append(parts, strings.Join(cur, " "))
			cur = []string{rest}
			continue
		}
		cur = append(cur, w)
	}
	if len(cur) > 0 {
		parts = append(parts, strings.Join(cur, " "))
	}
	return parts
}

// startsWithPlace reports whether the first one to three words of s name
// a country, a city of the gazetteer or a region.
func startsWithPlace(s string) bool { return placeWordCount(s) > 0 }

// placeWordCount returns how many of the first one to three words of s name a
// country, a city of the gazetteer or a region (the longest such name), 0
// for none.
func placeWordCount(s string) int {
	words := strings.Fields(s)
	for n := min(3, len(words)); n >= 1; n-- {
		w := strings.Join(words[:n], " ")
		if _, ok := CountryCode(w); ok {
			return n
		}
		if _, ok := lookupCity(w); ok {
			return n
		}
		if _, ok := regionNames[fold(w)]; ok {
			return n
		}
	}
	return 0
}

// demonyms name the country of a nationality the ad requires ("French
// nationals"); country names and codes are read as places already.
var demonyms = map[string]string{
	"american": "US", "french": "FR", "british": "GB", "canadian": "CA", "german": "DE", "spanish": "ES",
	"italian": "IT", "portuguese": "PT", "dutch": "NL", "belgian": "BE", "swiss": "CH", "irish": "IE",
	"moroccan": "MA", "tunisian": "TN", "algerian": "DZ", "egyptian": "EG", "australian": "AU",
	"indian": "IN", "brazilian": "BR", "mexican": "MX", "polish": "PL", "swedish": "SE", "danish": "DK",
	"norwegian": "NO", "finnish": "FI", "japanese": "JP", "chinese": "CN", "korean": "KR",
	"singaporean": "SG", "emirati": "AE", "saudi": "SA", "european": "EU", "francais": "FR",
	"marocains": "MA", "marocain": "MA", "marocaine": "MA", "marocaines": "MA",
	"francaise": "FR", "francaises": "FR", "tunisien": "TN", "tunisiens": "TN", "tunisienne": "TN", "tunisiennes": "TN",
	"algerien": "DZ", "algeriens": "DZ", "algerienne": "DZ", "algeriennes": "DZ",
	"senegalais": "SN", "senegalaise": "SN", "senegalaises": "SN", "senegalese": "SN",
	"egyptien": "EG", "egyptiens": "EG", "egyptienne": "EG", "egyptiennes": "EG",
	"canadien": "CA", "canadiens": "CA", "canadienne": "CA", "canadiennes": "CA",
	"belge": "BE", "belges": "BE", "suisse": "CH", "suisses": "CH", "espagnol": "ES", "espagnols": "ES",
	"allemand": "DE", "allemands": "DE", "americain": "US", "americains": "US",
	"europeen": "EU", "europeens": "EU", "europeenne": "EU", "europeennes": "EU",
	"kenyan": "KE", "nigerian": "NG", "ghanaian": "GH", "jordanian": "JO", "lebanese": "LB",
	"mauritanian": "MR", "mauritanien": "MR", "mauritaniens": "MR", "ivoirien": "CI", "ivoiriens": "CI", "ivorian": "CI",
}

// residentNounRe finds the people a demonym may qualify: "Moroccan
// residents only", "résidents marocains", "candidats tunisiens". The
// demonym is the word right before it or right after it (demonymPlaces
// looks it up in demonyms, which keeps the pattern small and fast).
var residentNounRe = newFastRe(`(?i)\b(?:residents?|citizens?|nationals?|applicants?|candidates?|talents?|passport\s+holders|citoyens?|ressortissants?|candidats?|profils?|personnes)\b`)

// demonymPlaces reads the demonyms beside residentNounRe's nouns, and the
// other demonyms of their list, in sentences that do not deny them
// ("Moroccan residents are not eligible" is an exclusion, read elsewhere).
func demonymPlaces(st *scanText) []string {
	t := st.s
	var out []string
	for _, m := range residentNounRe.FindAllStringIndex(st, 8) {
		// Most nouns have no demonym beside them ("candidates with"): look
		// at the two neighbouring words before cutting any text.
		prev, next := lastWordOf(t[max(0, m[0]-40):m[0]]), firstWordOf(t[m[1]:min(len(t), m[1]+40)])
		_, okPrev := demonyms[strings.ToLower(prev)]
		_, okNext := demonyms[strings.ToLower(next)]
		if !okPrev && !okNext {
			continue
		}
		var found []string
		if okPrev {
			before := strings.Fields(t[max(0, m[0]-80):m[0]])
			found = append(found, demonyms[strings.ToLower(prev)])
			found = append(found, demonymList(before[:len(before)-1], true)...)
		}
		if okNext {
			// A leading comma makes the first word after the noun the
			// list's first demonym: "résidents marocains, tunisiens ou
			// algériens".
			after := strings.Fields(t[m[1]:min(len(t), m[1]+80)])
			found = append(found, demonymList(append([]string{","}, after...), false)...)
		}
		if len(found) == 0 {
			continue
		}
		end := m[1]
		for end < len(t) && t[end] != '.' && t[end] != ';' && t[end] != '\n' {
			end++
		}
		rest := newScanText(t[m[1]:end])
		if denialRe.MatchString(rest) || excludedAfterRe.MatchString(rest) {
			continue
		}
		out = append(out, found...)
	}
	return out
}

// lastWordOf is the last word of s (letters only, punctuation trimmed).
func lastWordOf(s string) string {
	s = strings.TrimRight(s, " \t\n")
	i := strings.LastIndexAny(s, " \t\n")
	return strings.Trim(s[i+1:], ",.;:()")
}

// firstWordOf is the first word of s (letters only, punctuation trimmed).
func firstWordOf(s string) string {
	s = strings.TrimLeft(s, " \t\n")
	if i := strings.IndexAny(s, " \t\n"); i >= 0 {
		s = s[:i]
	}
	return strings.Trim(s, ",.;:()")
}

// demonymJoiners join the demonyms of a list.
var demonymJoiners = wordSet("and", "or", "et", "ou", "&", "/")

// demonymList reads the demonyms that continue a list from the edge of
// words (its end when backward, its start otherwise): each must be
// separated from the previous one by a joiner or a comma.
func demonymList(words []string, backward bool) []string {
	var out []string
	joined := false // a joiner or a comma stands before the next word
	for k := range words {
		i := k
		if backward {
			i = len(words) - 1 - k
		}
		raw := strings.ToLower(words[i])
		w := strings.Trim(raw, ",.;:()")
		commaAfter := strings.HasSuffix(raw, ",")
		if w == "" || demonymJoiners[w] {
			joined = joined || w != "" || commaAfter
			continue
		}
		if backward && commaAfter {
			joined = true // "Tunisian, Moroccan citizens"
		}
		c, ok := demonyms[w]
		if !joined || !ok {
			break
		}
		out = append(out, c)
		joined = !backward && commaAfter
	}
	return out
}

// citizenRe reads a nationality or residence status the ad requires ("must
// be US citizens", "only French nationals", "EU citizenship required");
// greenCardRe is a US permanent residence requirement.
var (
	citizenRe = newFastRe(`(?i)\b(?:must\s+be|be|only|requires?|requiring|must\s+hold|must\s+have)\s+(?:an?\s+)?(?:the\s+)?([\pL.]+(?:\s+[\pL]+)?)\s+(?:citizens?|citizenship|nationals?|nationality|permanent\s+residents?)\b`)
	// "US citizenship is required": the place is the word before.
	citizenshipRe = newFastRe(`(?i)\b(?:citizenship|nationality)\s+(?:is\s+)?(?:required|mandatory|needed)`)
	greenCardRe   = newFastRe(`(?i)\bgreen\s+card\b`)
)

// wordBefore is the last word of s.
func wordBefore(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.Trim(f[len(f)-1], "(,;:")
}

var anywhereRe = newFastRe(`(?i)\b(?:we\s+hire\s+(?:from\s+)?anywhere|hire\s+(?:people\s+|talent\s+)?(?:from\s+)?anywhere|work\s+from\s+anywhere(?:\s+in\s+the\s+world)?|(?:open\s+to|hiring)\s+(?:(?:candidates|applicants|contractors|freelancers|talent|people|everyone|anyone)\s+)?(?:from\s+)?(?:anywhere|all\s+over\s+the\s+world|worldwide)|fully\s+remote\s+(?:and\s+)?worldwide|remote\s+worldwide|worldwide\s+remote|100%\s+remote\s+worldwide|partout\s+dans\s+le\s+monde|depuis\s+n'importe\s+o[uù])\b`)

// worldwideProseRe are other ways of saying the job is open everywhere:
// "we hire worldwide", "from every country", "wherever you live",
// "Remote, worldwide" (kept apart from anywhereRe so that each pattern
// stays small enough for the backtracking matcher).
var worldwideProseRe = newFastRe(`(?i)\b(?:(?:hire|hires|hiring|recruit|recruits|recruiting|recrutons|recrute)\s+(?:people\s+|talent\s+|candidates\s+|engineers\s+)?(?:from\s+)?(?:worldwide|globally|dans\s+le\s+monde\s+entier)|remote[\s,:;-]+worldwide|(?:open|available|remote)\s+(?:globally|worldwide)|(?:from|in)\s+(?:any|every)\s+country|(?:all|every)\s+countries|de\s+tous\s+les\s+pays|(?:de|dans)\s+n'importe\s+quel\s+pays|quel\s+que\s+soit\s+(?:votre|le)\s+pays\s+de\s+r[ée]sidence|no\s+matter\s+where\s+you\s+(?:live|are|are\s+based)|wherever\s+you\s+(?:live|are\s+based|are\s+located)|o[uù]\s+que\s+vous\s+(?:soyez|r[ée]sidiez|viviez)|t[ée]l[ée]travail[\s,:;-]+(?:depuis\s+)?le\s+monde\s+entier|country\s+of\s+your\s+choi(?:ce|sing)|pays\s+de\s+votre\s+choix|pays\s+de\s+ton\s+choix)\b|(?:بلد|دولة)\s+من\s+اختيارك|(?:اي|كل)\s+(?:بلد|دولة)\s+تختار`)

// qualifiedAfterRe narrows "any country" to some countries: "where we
// have an entity", "listed below", "of the following", "in which".
var qualifiedAfterRe = regexp.MustCompile(`(?i)^\s*(?:where|in\s+which|that|which|listed|below|among|of\s+the\s+following|:|in\s|of\s|within\s|across\s|d'|de\s|du\s|des\s|en\s|ou\s+nous|dans\s+lequel|parmi|suivants|cites)`)

// anywhereWorldRe and anywherePlaceRe read "anywhere in the world" as
// worldwide but "anywhere in Morocco" as Morocco.
var (
	anywhereWorldRe = newFastRe(`(?i)\b(?:from\s+)?anywhere\s+(?:in|across|on)\s+(?:the\s+)?(?:world|globe|planet|earth)\b`)
	anywherePlaceRe = newFastRe(`(?i)\b(?:from\s+)?(?:anywhere|n'importe\s+o[uù])\s+(?:in|within|across|en|au|aux|dans)\s+`)
)

// narrowAnywhere rewrites the "anywhere" phrases as the requirement
// phrases a description is read by, so that a long text reads them too:
// "anywhere in the world" is open to candidates worldwide, "anywhere in
// EMEA" open to candidates in EMEA.
func narrowAnywhere(t string) string {
	if !strings.Contains(t, "nywhere") && !strings.Contains(t, "NYWHERE") && !strings.Contains(t, "importe") && !strings.Contains(t, "IMPORTE") {
		return t
	}
	t = anywhereWorldRe.ReplaceAllLiteralString(newScanText(t), "open to candidates worldwide")
	return anywherePlaceRe.ReplaceAllLiteralString(newScanText(t), "open to candidates in ")
}

// anywhereInRe reads what follows an "anywhere" phrase: "in the
// Philippines" narrows it to a place.
var anywhereInRe = regexp.MustCompile(`(?i)^\s+(?:in|within|across|en|au|aux|dans)\s+(?:the\s+|le\s+|la\s+|les\s+|l')?([\pL]+(?:\s+[\pL]+)?)`)

var tzPhraseRe = newFastRe(`(?i)(?:\b(?:utc|gmt)\s*(?:to|and|through|until|→|->|-|–)\s*(?:utc|gmt)\s*[+\-−–]\s*\d{1,2}(?:[:.]\d{2})?|(?:utc|gmt)\s*[+\-−–]\s*\d{1,2}(?:[:.]\d{2})?(?:\s*(?:to|-|–|and|à|a|et|through|→|->|until)\s*(?:(?:utc|gmt)\s*)?[+\-−–]?\s*\d{1,2}(?:[:.]\d{2})?)?|\b(?:cet|est|pst|cst|gmt|utc)\s*(?:\+\s*/\s*-|±)\s*\d{1,2}\s*(?:h|hours?)?|\bwithin\s+\d{1,2}\s*(?:h|hours?|hrs?)\s+(?:of|from)\s+(?:utc|gmt|cet|cest|est|edt|pst|pdt|cst|bst|wet|eet|wat|eat|cat|ist)(?:\s*[+\-−]\s*\d{1,2})?|\b(?:european|us|american|asian|african|eu|emea|latam)\s+time\s*zones?|\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|h)?\s*(?:-|–|to|à)\s*\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|h)?\s+(?:gmt|utc|cet|cest|est|edt|pst|pdt|cst|cdt|mst|bst|wet|eet)\b)`)

func requirementPhrases(t string) []string {
	t = stripAccents(t)
	st := newScanText(t)
	var out []string
	for _, m := range requirementRe.FindAllStringSubmatch(st, 20) {
		out = append(out, cutAtStops(m[1]))
	}
	for _, m := range openToLivingRe.FindAllStringSubmatch(st, 5) {
		out = append(out, cutAtStops(m[1]))
	}
	for _, m := range workAuthFrRe.FindAllStringSubmatch(st, 5) {
		out = append(out, cutAtStops(m[1]))
	}
	for _, m := range morePlacesRe.FindAllStringSubmatch(st, 10) {
		out = append(out, cutAtStops(m[1]))
	}
	for _, m := range onlyPlacesRe.FindAllStringSubmatch(st, 10) {
		out = append(out, cutAtStops(m[1]))
	}
	low := lowerSameOffsets(t)
	out = append(out, basedOnly(t, low)...)
	arabic := hasArabic(t)
	var arabicPlaces [][]string
	if arabic {
		arabicPlaces = arabicPlaceRe.FindAllStringSubmatch(st, 10)
	}
	for _, m := range arabicPlaces {
		out = append(out, arabicPlaceList(m[1]))
	}
	if arabic && arabicArabWorldRe.MatchString(st) {
		out = append(out, "arab world")
	} else if arabic && arabicWorldRe.MatchString(st) {
		out = append(out, "worldwide")
	}
	out = append(out, placeOnly(t, low)...)
	out = append(out, welcomePlaces(t, low)...)
	var nations []string
	for _, m := range citizenRe.FindAllStringSubmatch(st, 5) {
		nations = append(nations, m[1])
	}
	for _, loc := range citizenshipRe.FindAllStringIndex(st, 5) {
		nations = append(nations, wordBefore(t[:loc[0]]))
	}
	for _, place := range nations {
		if c, ok := demonyms[strings.ToLower(place)]; ok {
			place = c
		}
		out = append(out, place)
	}
	out = append(out, demonymPlaces(st)...)
	if greenCardRe.MatchString(st) {
		out = append(out, "US")
	}
	for _, loc := range anywhereRe.FindAllStringIndex(st, 20) {
		// "work from anywhere in the Philippines" is a country, not the world.
		if m := anywhereInRe.FindStringSubmatch(t[loc[1]:]); m != nil {
			if !strings.EqualFold(m[1], "world") && !strings.EqualFold(m[1], "monde") {
				out = append(out, m[0])
				continue
			}
		}
		out = append(out, "worldwide")
	}
	for _, loc := range worldwideProseRe.FindAllStringIndex(st, 5) {
		// "in any country where we have an entity: the UK, ..." is the
		// list that follows, not the world.
		if !qualifiedAfterRe.MatchString(t[loc[1]:min(len(t), loc[1]+30)]) {
			out = append(out, "worldwide")
			break
		}
	}
	out = append(out, tzPhraseRe.FindAllString(st, 5)...)
	return out
}

// phraseStops start another thought after the place of a requirement.
var phraseStops = []string{" with ", " who ", " to ", " and have", " and be ", " and hold", " and speak", " and are ", " for ", " pour ", " avec ", " if ", " because", " as ", " but ", " while ", " so ", " through ", " via ", " without "}

// cutAtStops ends a requirement's place part at the words that start
// another thought ("in Spain, where we have entities", "in the US because
// of payroll").
func cutAtStops(p string) string {
	for _, stop := range phraseStops {
		if i := strings.Index(lowerSameOffsets(p), stop); i > 0 {
			if (stop == " to " || stop == " through ") && offsetAfterRe.MatchString(p[i+len(stop):]) {
				continue // "UTC-1 to UTC+3" is one window
			}
			p = p[:i]
		}
	}
	return p
}

// eligibilityNoise are words around places in eligibility texts.
var eligibilityNoise = map[string]bool{
	"only": true, "remote": true, "fully": true, "full": true, "100": true, "100%": true, "based": true,
	"candidates": true, "applicants": true, "residents": true, "in": true, "from": true, "within": true,
	"the": true, "of": true, "must": true, "be": true, "located": true, "countries": true, "country": true,
	"uniquement": true, "seulement": true, "teletravail": true, "a": true, "distance": true, "en": true,
	"au": true, "aux": true, "de": true, "du": true, "des": true, "le": true, "la": true, "les": true,
	"any": true, "all": true, "timezone": true, "timezones": true, "time": true, "zone": true, "zones": true,
	"hours": true, "hour": true, "friendly": true, "preferred": true, "people": true, "work": true,
	"remotely": true, "open": true, "to": true, "is": true, "are": true, "one": true, "following": true,
	"region": true, "regions": true, "area": true, "locations": true, "location": true,
	"hybrid": true, "onsite": true, "ok": true, "okay": true,
	"citizens": true, "residing": true, "living": true, "live": true, "currently": true, "who": true,
	"authorized": true, "eligible": true, "right": true, "legally": true,
	"or": true, "and": true, "et": true, "ou": true, "ideally": true, "preferably": true, "mainly": true,
	"candidats": true, "candidat": true, "personnes": true, "profils": true, "resident": true,
	"residant": true, "bases": true, "base": true, "d": true, "l": true, "y": true, "compris": true,
	"including": true, "incl": true, "toute": true, "tout": true, "tous": true, "toutes": true, "pays": true,
	"ouvert": true, "ouverte": true, "poste": true, "un": true, "une": true, "welcome": true, "welcomed": true, "bienvenus": true,
	"فقط": true, "في": true, "من": true, "الدول": true, "دول": true,
}

func parseEligibilityClause(clause string, e *Eligibility, addWindow func(a, b float64)) {
	c := strings.ReplaceAll(clause, "−", "-")
	c = strings.ReplaceAll(c, "–", "-")
	parseTimezones(c, addWindow)
	// Places: split at separators and conjunctions, then look each part up,
	// first whole, then without noise words, then word by word.
	parts := strings.FieldsFunc(c, func(r rune) bool {
		switch r {
		case ',', ';', '/', '|', '(', ')', '[', ']', '&', '+', '·', '•', ':', '\n':
			return true
		}
		return false
	})
	for _, p := range parts {
		for _, q := range splitWords(p, " or ", " and ", " et ", " ou ", " - ", " y ", " und ") {
			readPlace(q, e)
		}
	}
}

func splitWords(s string, seps ...string) []string {
	out := []string{s}
	for _, sep := range seps {
		var next []string
		for _, p := range out {
			lp := lowerSameOffsets(p)
			for {
				i := strings.Index(lp, sep)
				if i < 0 {
					break
				}
				next = append(next, p[:i])
				p, lp = p[i+len(sep):], lp[i+len(sep):]
			}
			next = append(next, p)
		}
		out = next
	}
	return out
}

// readPlace adds what one short part names: worldwide, a region, a country
// or a city's country.
// apostropheSpace turns elisions into words ("l'Afrique" → "l Afrique").
var apostropheSpace = strings.NewReplacer("'", " ", "’", " ")

func readPlace(p string, e *Eligibility) {
	k := fold(p)
	if k == "" || len(k) > 80 {
		return
	}
	if placeFromKey(k, p, e) {
		return
	}
	words := strings.Fields(k)
	// "toute l'Afrique du Nord": the place after leading noise words and
	// an elided article, with its inner words ("du") kept.
	if len(words) > 1 && eligibilityNoise[words[0]] || strings.ContainsAny(p, "'’") {
		ws := strings.Fields(fold(apostropheSpace.Replace(p)))
		lead, end := 0, len(ws)
		for lead < len(ws)-1 && eligibilityNoise[ws[lead]] {
			lead++
		}
		// "Afrique de l'Ouest uniquement": trailing noise words too.
		for end > lead+1 && eligibilityNoise[ws[end-1]] {
			end--
		}
		if k1 := strings.Join(ws[lead:end], " "); (lead > 0 || end < len(ws)) && k1 != k && len(k1) > 3 && placeFromKey(k1, "", e) {
			return
		}
	}
	var kept []string
	for _, w := range words {
		if !eligibilityNoise[w] {
			kept = append(kept, w)
		}
	}
	if territoryOf(kept, e) {
		return
	}
	k2 := strings.Join(kept, " ")
	raw2 := strings.Join(kept, " ")
	if len(k2) <= 3 && !strings.Contains(p, strings.ToUpper(k2)) {
		raw2 = "" // "est", "can", "us" left alone by the noise words: codes only in capitals
	}
	if k2 != k && k2 != "" && placeFromKey(k2, raw2, e) {
		return
	}
	// "EU timezones": handled by parseTimezones; "USA, CST": word by word.
	if len(kept) > 1 && len(kept) <= 6 {
		for i := 0; i < len(kept); i++ {
			// Two-word names first ("north america", "united kingdom").
			if i+1 < len(kept) && placeFromKey(kept[i]+" "+kept[i+1], "", e) {
				i++
				continue
			}
			// "Afrique ... ouest", "Europe centrale": a part of a region
			// never reads as the whole region.
			if _, region := regionNames[kept[i]]; region && (i > 0 && isCompass(kept[i-1]) || i+1 < len(kept) && isCompass(kept[i+1])) {
				continue
			}
			placeFromKey(kept[i], "", e)
		}
	}
}

// territoryWords name a country's ground by its adjective: "le territoire
// français", "on French soil", "el territorio español".
var territoryWords = wordSet("territoire", "territory", "territorio", "sol", "soil")

// territoryOf reads "territoire français" as France: a territory word and
// a demonym of a country among a part's words.
func territoryOf(words []string, e *Eligibility) bool {
	if len(words) < 2 || len(words) > 4 || !slices.ContainsFunc(words, func(w string) bool { return territoryWords[w] }) {
		return false
	}
	for _, w := range words {
		if cc, ok := demonyms[w]; ok && len(cc) == 2 && cc != "EU" {
			e.Countries = append(e.Countries, cc)
			return true
		}
	}
	return false
}

// compassWords name a part of a region ("West", "de l'Ouest", "australe",
// "(sub-)Saharan").
var compassWords = wordSet("saharan", "subsaharan", "sub", "subsaharienne", "west", "western", "east", "eastern", "north", "northern", "south", "southern",
	"central", "centre", "ouest", "est", "nord", "sud", "centrale", "australe", "occidentale", "orientale",
	"septentrionale", "meridionale", "غرب", "شرق", "شمال", "جنوب", "وسط")

// isCompass reports a compass word, elided or not ("l'ouest").
func isCompass(w string) bool {
	if i := strings.LastIndex(w, "'"); i >= 0 {
		w = w[i+1:]
	} else if i := strings.LastIndex(w, "’"); i >= 0 {
		w = w[i+len("’"):]
	}
	return compassWords[w]
}

// placeFromKey resolves one folded key. raw (when non-empty) is the text
// as written, used to accept two-letter codes only in capitals.
func placeFromKey(k, raw string, e *Eligibility) bool {
	if worldwideWords[k] {
		e.Worldwide = true
		return true
	}
	if r, ok := regionNames[k]; ok {
		if len(k) <= 2 && (raw == "" || strings.ToUpper(strings.TrimSpace(raw)) != strings.TrimSpace(raw)) {
			return false // "na", "eu" in lower case are words, not regions
		}
		e.Regions = append(e.Regions, r)
		return true
	}
	if len(k) == 2 {
		if raw == "" || strings.TrimSpace(raw) != strings.ToUpper(strings.TrimSpace(raw)) {
			if k != "us" && k != "uk" {
				return false
			}
			if raw == "" {
				return false
			}
		}
	}
	if len(k) == 3 && raw == "" && k != "usa" && k != "uae" && k != "ksa" {
		return false // "and", "per", "can": three-letter codes only when written alone
	}
	if cc, ok := CountryCode(k); ok {
		e.Countries = append(e.Countries, cc)
		return true
	}
	if c, ok := geo().cities[k]; ok && len(k) > 3 {
		e.Countries = append(e.Countries, c.Country)
		return true
	}
	return false
}

// parseTimezones finds UTC windows: explicit ranges, single offsets
// (widened by one hour each side), "CET +/- 2h", and named zones.
func parseTimezones(c string, addWindow func(a, b float64)) {
	low := lowerSameOffsets(c)
	var offs []float64
	for _, m := range utcRe.FindAllStringSubmatchIndex(c, -1) {
		if m[2] < 0 {
			// "UTC" alone, maybe followed by a range "UTC -5 to +2" handled below.
			offs = append(offs, 0)
			continue
		}
		if v, ok := parseOffset(c[m[2]:m[3]]); ok {
			offs = append(offs, v)
		}
	}
	// "UTC-5 to +2": signed numbers following the first UTC mention.
	if len(offs) > 0 {
		if i := strings.Index(low, "utc"); i >= 0 || strings.Contains(low, "gmt") {
			if i < 0 {
				i = strings.Index(low, "gmt")
			}
			rest := c[i:]
			var signed []float64
			for _, m := range signedRe.FindAllStringSubmatch(rest, 4) {
				if v, ok := parseOffset(m[1]); ok {
					signed = append(signed, v)
				}
			}
			if len(signed) >= 2 && len(offs) < 2 {
				offs = signed
			}
		}
	}
	var plusMinus float64 = -1
	if m := plusMinusRe.FindStringSubmatch(c); m != nil {
		if v, err := strconv.ParseFloat(m[1]+m[2]+m[3], 64); err == nil && v <= 12 {
			plusMinus = v
		}
	}
	// Named abbreviations ("CET", "EST", "PST") only when the clause is about
	// time zones or is short, so "ET" or "PT" in prose are not read.
	tzContext := strings.Contains(low, "time") || strings.Contains(low, "zone") || strings.Contains(low, "tz") ||
		plusMinus >= 0 || len(strings.Fields(c)) <= 6 || strings.Contains(low, "utc") || strings.Contains(low, "gmt")
	if tzContext {
		for _, m := range tzWordRe.FindAllStringSubmatch(c, -1) {
			w := m[1]
			lw := strings.ToLower(w)
			if lw == "utc" || lw == "gmt" {
				continue
			}
			v, ok := tzAbbrev[lw]
			if !ok || w != strings.ToUpper(w) {
				continue // abbreviations are written in capitals
			}
			if len(lw) == 2 && !strings.Contains(low, "time") && !strings.Contains(low, "zone") && !strings.Contains(low, "hours") {
				continue // "PT", "MT", "ET" are also Portugal, Malta, Ethiopia
			}
			offs = append(offs, v)
		}
	}
	switch {
	case len(offs) >= 2 && plusMinus < 0 && slices.Min(offs) != slices.Max(offs):
		addWindow(slices.Min(offs), slices.Max(offs))
	case len(offs) >= 1:
		w := 1.0
		if plusMinus >= 0 {
			w = plusMinus
		}
		addWindow(slices.Min(offs)-w, slices.Max(offs)+w)
	}
	// Named windows: "European time zones", "US timezones", "EU timezones".
	if strings.Contains(low, "time zone") || strings.Contains(low, "timezone") || strings.Contains(low, "fuseau") || strings.Contains(low, "time-zone") {
		k := fold(c)
		for _, z := range tzZones {
			for _, w := range z.words {
				if strings.Contains(" "+k+" ", " "+w+" time") || strings.Contains(" "+k+" ", " "+w+" timezone") ||
					strings.Contains(k, "fuseau horaire "+w) || strings.Contains(k, "fuseaux horaires "+w) {
					addWindow(z.min, z.max)
				}
			}
		}
	}
}

var bareOffsetRe = regexp.MustCompile(`^[+\-−]?\d{1,2}(?:\.\d{1,2})?$`)

// offsetArc returns the smallest window holding all listed offsets, reading
// +13/+14 as the same clock as -11/-10 when that makes the window narrower
// (Himalayas lists [-10 … -5, 14] for US time zones).
func offsetArc(points []float64) (float64, float64) {
	lo, hi := slices.Min(points), slices.Max(points)
	var alt []float64
	for _, p := range points {
		if p >= 12 {
			p -= 24
		}
		alt = append(alt, p)
	}
	if alo, ahi := slices.Min(alt), slices.Max(alt); ahi-alo < hi-lo {
		return alo, ahi
	}
	return lo, hi
}

// parseOffset reads "+2", "-5", "+05:30", "- 3.5", "+1h".
func parseOffset(s string) (float64, bool) {
	s = strings.ReplaceAll(s, " ", "")
	s = strings.ReplaceAll(s, "−", "-")
	s = strings.ReplaceAll(s, "–", "-")
	if s == "" {
		return 0, false
	}
	sign := 1.0
	switch s[0] {
	case '-':
		sign = -1
		s = s[1:]
	case '+':
		s = s[1:]
	}
	h, m, found := strings.Cut(strings.NewReplacer("h", ":", ".", ".").Replace(s), ":")
	hv, err := strconv.ParseFloat(h, 64)
	if err != nil {
		return 0, false
	}
	if found && m != "" {
		mv, err := strconv.ParseFloat(m, 64)
		if err != nil {
			return 0, false
		}
		hv += mv / 60
	}
	v := sign * hv
	if math.IsNaN(v) || v < -12 || v > 14 {
		return 0, false
	}
	return v, true
}
