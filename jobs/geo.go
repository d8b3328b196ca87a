package jobs

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

//go:embed geo_cities.txt
var citiesFile string

// city is one gazetteer entry.
type city struct {
	Name    string
	Country string
}

// geoTables are built once from x/text's CLDR names and geo_cities.txt and
// never changed afterwards.
type geoTables struct {
	countries map[string]string // folded name or code -> alpha-2
	alpha2    map[string]bool
	cities    map[string]city // folded name or alias -> city
	// arabic: the Arabic name of a gazetteer city, by country and folded
	// canonical name ("MA|oujda" -> "وجدة"): its first alias in Arabic script.
	arabic   map[string]string
	usStates map[string]bool // folded state names and codes
	caProv   map[string]bool // folded Canadian provinces and codes
	offsets  map[string]float64
}

var geo = sync.OnceValue(buildGeo)

// Codes CLDR still knows but that are no country any more, or are reserved.
var notCountries = map[string]bool{
	"AN": true, "BU": true, "CS": true, "DD": true, "FX": true, "NT": true, "SU": true,
	"TP": true, "YD": true, "YU": true, "ZR": true, "AC": true, "CP": true, "DG": true,
	"EA": true, "IC": true, "TA": true, "CQ": true, "EU": true, "EZ": true, "UN": true, "QO": true,
	"CT": true, "DY": true, "FQ": true, "HV": true, "JT": true, "MI": true, "NH": true, "NQ": true,
	"PC": true, "PU": true, "PZ": true, "RH": true, "UK": true, "VD": true, "WK": true,
}

// timeZoneISO3 are alpha-3 country codes that are also time zone
// abbreviations in job ads.
var timeZoneISO3 = map[string]bool{"EST": true}

// countryAliases are common names CLDR does not list (English, French and
// the local names job ads use).
var countryAliases = map[string]string{
	"usa": "US", "us": "US", "u s": "US", "u s a": "US", "united states of america": "US", "etats unis d amerique": "US",
	"the united states": "US", "the us": "US", "the usa": "US", "america": "US", "amerique": "US",
	"uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
	"wales": "GB", "northern ireland": "GB", "grande bretagne": "GB", "angleterre": "GB", "ecosse": "GB",
	"united kingdom of great britain and northern ireland": "GB", "the uk": "GB",
	"uae": "AE", "emirates": "AE", "emirats": "AE", "ksa": "SA", "saudi": "SA", "saudi arabia": "SA",
	// Arabic short names (folded when the tables are built).
	"السعودية": "SA", "الإمارات": "AE", "أمريكا": "US", "امريكا": "US", "بريطانيا": "GB",
	// Arabic official names, as Gulf and Maghreb ads write them.
	"المملكة العربية السعودية": "SA", "الإمارات العربية المتحدة": "AE", "دولة الإمارات": "AE",
	"المملكة المغربية": "MA", "جمهورية مصر العربية": "EG", "الجمهورية التونسية": "TN",
	"الجمهورية الجزائرية": "DZ", "دولة قطر": "QA", "دولة الكويت": "KW", "سلطنة عمان": "OM",
	"مملكة البحرين": "BH", "المملكة الأردنية الهاشمية": "JO",
	"korea": "KR", "republic of korea": "KR", "coree": "KR", "coree du sud": "KR", "north korea": "KP",
	"russian federation": "RU", "czech republic": "CZ", "czechia": "CZ", "republique tcheque": "CZ",
	"holland": "NL", "the netherlands": "NL", "pays bas": "NL", "nederland": "NL",
	"ivory coast": "CI", "cote d ivoire": "CI", "turkiye": "TR", "viet nam": "VN", "vietnam": "VN",
	"lao": "LA", "laos": "LA", "syria": "SY", "iran": "IR", "bolivia": "BO", "venezuela": "VE",
	"tanzania": "TZ", "moldova": "MD", "macedonia": "MK", "north macedonia": "MK", "burma": "MM",
	"drc": "CD", "dr congo": "CD", "democratic republic of the congo": "CD", "rdc": "CD",
	"republic of the congo": "CG", "congo brazzaville": "CG", "palestine": "PS", "taiwan": "TW",
	"hong kong": "HK", "hongkong": "HK", "macau": "MO", "macao": "MO", "cape verde": "CV",
	"swaziland": "SZ", "east timor": "TL", "vatican": "VA", "holy see": "VA", "bosnia": "BA",
	"bosnia and herzegovina": "BA", "kosovo": "XK", "brasil": "BR", "espana": "ES", "italia": "IT",
	"deutschland": "DE", "osterreich": "AT", "schweiz": "CH", "suisse": "CH", "svizzera": "CH",
	"belgie": "BE", "belgique": "BE", "polska": "PL", "sverige": "SE", "norge": "NO", "danmark": "DK",
	"suomi": "FI", "magyarorszag": "HU", "eire": "IE", "hellas": "GR", "portugal": "PT",
	"mexique": "MX", "maroc": "MA", "morroco": "MA", "marocco": "MA", "marruecos": "MA",
	"al maghrib": "MA", "lmaghrib": "MA", "l maghrib": "MA", "el maghrib": "MA", "maghrib": "MA", "lmghrib": "MA", "lmaghreb": "MA", "algerie": "DZ", "tunisie": "TN", "libye": "LY", "mauritanie": "MR",
	"egypte": "EG", "misr": "EG", "the philippines": "PH", "phillipines": "PH", "philipines": "PH",
	"micronesia": "FM", "st lucia": "LC", "st kitts and nevis": "KN", "st vincent and the grenadines": "VC",
	"trinidad": "TT", "trinidad and tobago": "TT", "antigua": "AG", "antigua and barbuda": "AG",
	"sao tome": "ST", "sao tome and principe": "ST", "turks and caicos": "TC",
	"republic of ireland": "IE", "ireland": "IE", "kyrgyzstan": "KG", "brunei": "BN",
	"gambia": "GM", "the gambia": "GM", "bahamas": "BS", "the bahamas": "BS",
	"slovak republic": "SK", "slovakia": "SK", "luxemburg": "LU", "bielorussie": "BY", "belarus": "BY",
	"ukraina": "UA", "rossiya": "RU", "zhongguo": "CN", "prc": "CN", "mainland china": "CN",
	"us states": "US", "u s states": "US", "the 50 states": "US", "nihon": "JP", "nippon": "JP", "bharat": "IN", "new zealand": "NZ", "aotearoa": "NZ",
}

// usStates lists US states and territories (names and postal codes) so that
// "Austin, TX" and "San Francisco, CA" resolve to the US, not to Canada.
const usStates = `AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware|
FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|KS Kansas|KY Kentucky|LA Louisiana|ME Maine|
MD Maryland|MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|
NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma|
OR Oregon|PA Pennsylvania|RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|
VT Vermont|VA Virginia|WA Washington|WV West Virginia|WI Wisconsin|WY Wyoming|DC District of Columbia`

const caProvinces = `AB Alberta|BC British Columbia|MB Manitoba|NB New Brunswick|NL Newfoundland and Labrador|NS Nova Scotia|
ON Ontario|PE Prince Edward Island|QC Quebec|SK Saskatchewan|NT Northwest Territories|NU Nunavut|YT Yukon`

// utcOffsets is the standard (winter) offset of each country in hours, for
// countries spanning zones the one where most people live.
const utcOffsets = `AD:1 AE:4 AF:4.5 AG:-4 AI:-4 AL:1 AM:4 AO:1 AQ:0 AR:-3 AS:-11 AT:1 AU:10 AW:-4 AX:2 AZ:4
BA:1 BB:-4 BD:6 BE:1 BF:0 BG:2 BH:3 BI:2 BJ:1 BL:-4 BM:-4 BN:8 BO:-4 BQ:-4 BR:-3 BS:-5 BT:6 BV:1 BW:2 BY:3 BZ:-6
CA:-5 CC:6.5 CD:1 CF:1 CG:1 CH:1 CI:0 CK:-10 CL:-4 CM:1 CN:8 CO:-5 CR:-6 CU:-5 CV:-1 CW:-4 CX:7 CY:2 CZ:1
DE:1 DJ:3 DK:1 DM:-4 DO:-4 DZ:1 EC:-5 EE:2 EG:2 EH:1 ER:3 ES:1 ET:3 FI:2 FJ:12 FK:-3 FM:10 FO:0 FR:1
GA:1 GB:0 GD:-4 GE:4 GF:-3 GG:0 GH:0 GI:1 GL:-2 GM:0 GN:0 GP:-4 GQ:1 GR:2 GS:-2 GT:-6 GU:10 GW:0 GY:-4
HK:8 HM:5 HN:-6 HR:1 HT:-5 HU:1 ID:7 IE:0 IL:2 IM:0 IN:5.5 IO:6 IQ:3 IR:3.5 IS:0 IT:1 JE:0 JM:-5 JO:3 JP:9
KE:3 KG:6 KH:7 KI:12 KM:3 KN:-4 KP:9 KR:9 KW:3 KY:-5 KZ:5 LA:7 LB:2 LC:-4 LI:1 LK:5.5 LR:0 LS:2 LT:2 LU:1 LV:2 LY:2
MA:1 MC:1 MD:2 ME:1 MF:-4 MG:3 MH:12 MK:1 ML:0 MM:6.5 MN:8 MO:8 MP:10 MQ:-4 MR:0 MS:-4 MT:1 MU:4 MV:5 MW:2 MX:-6 MY:8 MZ:2
NA:2 NC:11 NE:1 NF:11 NG:1 NI:-6 NL:1 NO:1 NP:5.75 NR:12 NU:-11 NZ:12 OM:4 PA:-5 PE:-5 PF:-10 PG:10 PH:8 PK:5 PL:1
PM:-3 PN:-8 PR:-4 PS:2 PT:0 PW:9 PY:-3 QA:3 RE:4 RO:2 RS:1 RU:3 RW:2 SA:3 SB:11 SC:4 SD:2 SE:1 SG:8 SH:0 SI:1 SJ:1
SK:1 SL:0 SM:1 SN:0 SO:3 SR:-3 SS:2 ST:0 SV:-6 SX:-4 SY:3 SZ:2 TC:-5 TD:1 TF:5 TG:0 TH:7 TJ:5 TK:13 TL:9 TM:5 TN:1
TO:13 TR:3 TT:-4 TV:12 TW:8 TZ:3 UA:2 UG:3 UM:-10 US:-5 UY:-3 UZ:5 VA:1 VC:-4 VE:-4 VG:-4 VI:-4 VN:7 VU:11 WF:12
WS:13 XK:1 YE:3 YT:3 ZA:2 ZM:2 ZW:2`

func buildGeo() *geoTables {
	g := &geoTables{
		countries: map[string]string{},
		alpha2:    map[string]bool{},
		cities:    map[string]city{},
		arabic:    map[string]string{},
		usStates:  map[string]bool{},
		caProv:    map[string]bool{},
		offsets:   map[string]float64{},
	}
	namers := []display.Namer{
		display.English.Regions(), display.French.Regions(), display.Arabic.Regions(),
		display.German.Regions(), display.Spanish.Regions(),
	}
	add := func(name, cc string) {
		k := fold(name)
		if k == "" {
			return
		}
		if _, ok := g.countries[k]; !ok {
			g.countries[k] = cc
		}
	}
	var codes []string
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.IsPrivateUse() || r.String() != code || notCountries[code] {
				continue
			}
			codes = append(codes, code)
		}
	}
	codes = append(codes, "XK")
	for _, cc := range codes {
		g.alpha2[cc] = true
	}
	// Codes first so that a name never shadows a code, then names.
	for _, cc := range codes {
		// Alpha-3 codes that ads use for something else are left out:
		// "EST" is Eastern Standard Time far more often than Estonia.
		if r, err := language.ParseRegion(cc); err == nil && cc != "XK" && !timeZoneISO3[r.ISO3()] {
			add(r.ISO3(), cc)
		}
	}
	for _, n := range namers {
		for _, cc := range codes {
			r, err := language.ParseRegion(cc)
			if err != nil {
				continue
			}
			name := n.Name(r)
			if name == "" {
				continue
			}
			add(name, cc)
			// "Myanmar (Burma)", "Hong Kong SAR China", "Congo - Kinshasa".
			if i := strings.IndexAny(name, "(（"); i > 0 {
				add(name[:i], cc)
				add(strings.Trim(name[i:], "()（） "), cc)
			}
			if i := strings.Index(name, " SAR"); i > 0 {
				add(name[:i], cc)
			}
			add(strings.ReplaceAll(name, "&", "and"), cc)
			add(strings.ReplaceAll(name, "&", "et"), cc)
		}
	}
	for k, cc := range countryAliases {
		g.countries[fold(k)] = cc // aliases win over accidental collisions
	}
	for _, line := range strings.Split(citiesFile, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) < 2 {
			continue
		}
		c := city{Name: f[1], Country: f[0]}
		for _, n := range f[2:] {
			if isArabicScript(n) {
				g.arabic[f[0]+"|"+fold(f[1])] = n
				break
			}
		}
		for _, n := range f[1:] {
			k := fold(n)
			if _, ok := g.cities[k]; !ok && k != "" {
				g.cities[k] = c
			}
		}
	}
	for _, s := range strings.Split(usStates, "|") {
		code, name, _ := strings.Cut(strings.TrimSpace(s), " ")
		g.usStates[fold(code)] = true
		g.usStates[fold(name)] = true
	}
	for _, s := range strings.Split(caProvinces, "|") {
		code, name, _ := strings.Cut(strings.TrimSpace(s), " ")
		g.caProv[fold(code)] = true
		g.caProv[fold(name)] = true
	}
	for _, f := range strings.Fields(utcOffsets) {
		cc, v, _ := strings.Cut(f, ":")
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			g.offsets[cc] = x
		}
	}
	return g
}

// CityNameIn is the name of city (in country, alpha-2) to show in locale:
// its Arabic name for "ar" when the gazetteer has one, else city as given.
func CityNameIn(city, country, locale string) string {
	if locale != "ar" || city == "" {
		return city
	}
	g := geo()
	if n, ok := g.arabic[country+"|"+fold(city)]; ok {
		return n
	}
	if c, ok := g.cities[fold(city)]; ok && (country == "" || c.Country == country) {
		if n, ok := g.arabic[c.Country+"|"+fold(c.Name)]; ok {
			return n
		}
	}
	return city
}

// isArabicScript reports whether s has a letter and all its letters are
// in the Arabic script.
func isArabicScript(s string) bool {
	seen := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.Is(unicode.Arabic, r) {
				return false
			}
			seen = true
		}
	}
	return seen
}

// CountryCode maps a country name (English, French, German, Spanish, and
// Arabic; accents and case ignored) or an ISO alpha-2/alpha-3 code to its
// ISO 3166-1 alpha-2 code.
func CountryCode(name string) (string, bool) {
	k := fold(name)
	if k == "" {
		return "", false
	}
	g := geo()
	if len(k) == 2 {
		up := strings.ToUpper(k)
		if up == "UK" {
			return "GB", true
		}
		if g.alpha2[up] {
			return up, true
		}
	}
	if cc, ok := g.countries[k]; ok {
		return cc, true
	}
	k = strings.TrimPrefix(k, "the ")
	if cc, ok := g.countries[k]; ok {
		return cc, true
	}
	return "", false
}

// validCountry reports whether cc is a known ISO alpha-2 code.
func validCountry(cc string) bool { return geo().alpha2[cc] }

// lookupCity finds a city of the gazetteer by name or alias.
func lookupCity(name string) (city, bool) {
	c, ok := geo().cities[fold(name)]
	return c, ok
}

// CountryUTCOffset returns the standard UTC offset in hours representative
// of the country (where most people live when it spans several zones).
func CountryUTCOffset(cc string) (float64, bool) {
	off, ok := geo().offsets[strings.ToUpper(strings.TrimSpace(cc))]
	return off, ok
}

// locationNoise are words around a place that are not the place.
var locationNoise = []string{
	"remote", "remotely", "fully remote", "full remote", "100% remote", "hybrid", "hybride", "onsite", "on-site",
	"on site", "sur site", "télétravail", "teletravail", "work from home", "wfh", "anywhere", "office",
	"headquarters", "hq", "based", "only", "in office", "area", "greater", "metropolitan", "metro",
	"région", "region", "ville", "city of", "et environs", "and surroundings",
}

// ParseLocation reads one free-text location ("Casablanca", "Paris, France",
// "Berlin, DE", "Austin, TX", "Remote (Europe)", "Oujda - Maroc"). It
// returns ok=false when no city or country is recognised; the caller keeps
// the raw text then.
func ParseLocation(text string) (Location, bool) {
	text = collapseSpace(text)
	if text == "" || len(text) > 300 {
		return Location{}, false
	}
	g := geo()
	// Whole text first: "Washington D.C.", "New York, NY", "Morocco".
	if c, ok := g.cities[fold(text)]; ok {
		return Location{City: c.Name, Country: c.Country}, true
	}
	if cc, ok := CountryCode(text); ok && len(fold(text)) > 2 {
		return Location{Country: cc}, true
	}
	parts := splitLocation(text)
	if len(parts) == 1 && strings.Contains(parts[0], "-") {
		// "Rabat-Salé", "Oujda-Maroc": hyphenated places are tried whole
		// first (above), then by piece.
		parts = strings.Split(parts[0], "-")
	}
	var loc Location
	var cityCountry, region string
	usHint, caHint := false, false
	for _, p := range parts {
		k := fold(p)
		if k == "" {
			continue
		}
		switch {
		case loc.City == "" && g.cities[k].Name != "":
			c := g.cities[k]
			loc.City, cityCountry = c.Name, c.Country
		case loc.Country == "" && isCountryPart(p, k):
			cc, _ := CountryCode(p)
			switch {
			case cityCountry != "" && cc != cityCountry && len(k) == 2:
				// "San Francisco, CA", "Bombay, MH": a code that disagrees
				// with a known city is a state or province.
				region = strings.ToUpper(k)
			case cityCountry == "US" && cc != "US" && g.usStates[k]:
				region = p // "Atlanta, Georgia"
			case cityCountry == "" && loc.City != "" && len(k) == 2 && g.usStates[k]:
				// "Kirkland, WA": an unknown city with a US state code.
				usHint, region = true, strings.ToUpper(k)
			default:
				loc.Country = cc
			}
		case g.usStates[k]:
			usHint = true
			region = p
		case g.caProv[k] && len(k) > 2:
			caHint = true
			region = p
		case g.cities[k].Name != "":
			// A second known city ("Rabat-Salé"): not a region.
		default:
			if loc.City == "" && len(parts) > 1 && region == "" && isPlaceLike(p) && p == parts[0] {
				loc.City = p // unknown city before a country: keep it
			} else if region == "" && loc.City != "" && isPlaceLike(p) {
				region = p
			}
		}
	}
	switch {
	case loc.Country == "" && cityCountry != "":
		loc.Country = cityCountry
	case loc.Country == "" && usHint:
		loc.Country = "US"
	case loc.Country == "" && caHint:
		loc.Country = "CA"
	}
	if loc.Country == "" {
		if loc.City != "" && cityCountry == "" {
			return Location{}, false
		}
		if loc.City == "" {
			return Location{}, false
		}
	}
	if region != "" && loc.City != "" {
		loc.Region = region
	}
	return loc, true
}

// isCountryPart reports a part naming a country; bare two-letter parts count
// only when written in capitals ("DE", not "de").
func isCountryPart(p, k string) bool {
	if len(k) == 2 {
		t := strings.TrimSpace(p)
		if t != strings.ToUpper(t) {
			return false
		}
	}
	_, ok := CountryCode(p)
	return ok
}

// isPlaceLike rejects parts that are clearly not a place name.
func isPlaceLike(p string) bool {
	k := fold(p)
	if k == "" || len(k) > 40 {
		return false
	}
	for _, r := range k {
		if r >= '0' && r <= '9' {
			return false
		}
	}
	return len(strings.Fields(k)) <= 4
}

// splitLocation cuts a location into parts at commas, slashes, dashes,
// parentheses, and drops workplace words.
func splitLocation(text string) []string {
	f := strings.FieldsFunc(text, func(r rune) bool {
		switch r {
		case ',', '/', '(', ')', '|', ';', '·', '•', '–', '—', '[', ']', ':', '،', '؛':
			// Arabic writes its own comma and semicolon: "الرياض، السعودية".
			return true
		}
		return false
	})
	var out []string
	for _, p := range f {
		for _, q := range strings.Split(p, " - ") {
			q = strings.TrimSpace(q)
			lq := lowerSameOffsets(q)
			for _, n := range locationNoise {
				if lq == n {
					q = ""
					break
				}
				if strings.HasPrefix(lq, n+" ") {
					q = strings.TrimSpace(q[len(n):])
					lq = lowerSameOffsets(q)
				}
				if strings.HasSuffix(lq, " "+n) {
					q = strings.TrimSpace(q[:len(q)-len(n)])
					lq = lowerSameOffsets(q)
				}
			}
			if q != "" {
				out = append(out, q)
			}
		}
	}
	return out
}

// PlaceKeys returns the keys under which a wished place (as LocationMatches
// reads wanted) can match: LocationMatches(l, wanted) is true exactly when
// PlaceKeys(wanted) and l.MatchKeys() share a key. An index of wishes by
// key finds the wishes an offer's places match without trying each one.
func PlaceKeys(wanted string) []string {
	w := strings.TrimSpace(wanted)
	if w == "" {
		return nil
	}
	kw := fold(w)
	var keys []string
	if len(kw) == 2 {
		keys = append(keys, "C:"+strings.ToUpper(kw))
	}
	keys = append(keys, "F:"+kw)
	c, isCity := lookupCity(w)
	if isCity {
		keys = append(keys, "G:"+c.Name+"|"+c.Country)
	}
	if len(kw) > 2 && !isCity {
		if cc, ok := CountryCode(w); ok {
			keys = append(keys, "C:"+cc)
		}
	}
	return keys
}

// MatchKeys returns the keys of l that PlaceKeys of a wished place it
// matches share (see PlaceKeys).
func (l Location) MatchKeys() []string {
	var keys []string
	if l.Country != "" {
		keys = append(keys, "C:"+l.Country)
	}
	if l.City != "" {
		keys = append(keys, "F:"+fold(l.City))
		if c, ok := lookupCity(l.City); ok {
			keys = append(keys, "G:"+c.Name+"|"+c.Country)
		}
	}
	return keys
}

// LocationMatches reports whether l is the place a graduate wants: wanted is
// a city name (accents and case ignored, aliases such as "Fez" for "Fès"
// known) or an ISO alpha-2 country code (or a country name).
func LocationMatches(l Location, wanted string) bool {
	w := strings.TrimSpace(wanted)
	if w == "" {
		return false
	}
	kw := fold(w)
	if len(kw) == 2 && strings.ToUpper(kw) == l.Country && l.Country != "" {
		return true
	}
	if l.City != "" {
		kc := fold(l.City)
		if kc == kw {
			return true
		}
		a, okA := lookupCity(l.City)
		b, okB := lookupCity(w)
		if okA && okB && a == b {
			return true
		}
	}
	if len(kw) > 2 {
		if _, isCity := lookupCity(w); !isCity {
			if cc, ok := CountryCode(w); ok && cc == l.Country {
				return true
			}
		}
	}
	return false
}
