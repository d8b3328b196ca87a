package jobs

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/passerelle/passerelle/internal/fixtures"
)

func f64(v float64) *float64 { return &v }

func TestParseEligibility(t *testing.T) {
	tests := []struct {
		in        []string
		worldwide bool
		countries []string
		regions   []string
		lo, hi    *float64
	}{
		{[]string{"Worldwide"}, true, nil, nil, nil, nil},
		{[]string{"Anywhere"}, true, nil, nil, nil, nil},
		{[]string{"Anywhere in the World"}, true, nil, nil, nil, nil},
		{[]string{"Anywhere (100% Remote) Only"}, true, nil, nil, nil, nil},
		{[]string{"USA Only"}, false, []string{"US"}, nil, nil, nil},
		{[]string{"US only"}, false, []string{"US"}, nil, nil, nil},
		{[]string{"USA"}, false, []string{"US"}, nil, nil, nil},
		{[]string{"Canada"}, false, []string{"CA"}, nil, nil, nil},
		{[]string{"Remote - EMEA"}, false, nil, []string{"EMEA"}, nil, nil},
		{[]string{"Europe"}, false, nil, []string{"Europe"}, nil, nil},
		{[]string{"Remote (Europe)"}, false, nil, []string{"Europe"}, nil, nil},
		{[]string{"EU timezones"}, false, nil, nil, f64(-1), f64(3)},
		{[]string{"UTC-5 to UTC+2"}, false, nil, nil, f64(-5), f64(2)},
		{[]string{"UTC−3 – UTC+3"}, false, nil, nil, f64(-3), f64(3)},
		{[]string{"GMT+1"}, false, nil, nil, f64(0), f64(2)},
		{[]string{"CET +/- 2h"}, false, nil, nil, f64(-1), f64(3)},
		{[]string{"CET ± 3 hours"}, false, nil, nil, f64(-2), f64(4)},
		{[]string{"Africa"}, false, nil, []string{"Africa"}, nil, nil},
		{[]string{"MENA"}, false, nil, []string{"MENA"}, nil, nil},
		{[]string{"LATAM"}, false, nil, []string{"LATAM"}, nil, nil},
		{[]string{"North America"}, false, nil, []string{"North America"}, nil, nil},
		{[]string{"Morocco, France"}, false, []string{"FR", "MA"}, nil, nil, nil},
		{[]string{"Maroc ou Tunisie"}, false, []string{"MA", "TN"}, nil, nil, nil},
		{[]string{"USA, CST (UTC-6)"}, false, []string{"US"}, nil, f64(-7), f64(-5)},
		{[]string{"Northern America, Europe, UK, France, European timezones"}, false, []string{"FR", "GB"}, []string{"Europe", "North America"}, f64(-1), f64(3)},
		{[]string{"Americas, Europe, Asia, Africa, Oceania"}, false, nil, []string{"Africa", "Americas", "Asia", "Europe", "Oceania"}, nil, nil},
		{[]string{"EMEA,  LATAM,  Canada,  USA"}, false, []string{"CA", "US"}, []string{"EMEA", "LATAM"}, nil, nil},
		{[]string{"LATAM,  Hong Kong,  Mexico,  Singapore"}, false, []string{"HK", "MX", "SG"}, []string{"LATAM"}, nil, nil},
		{[]string{"UK,  USA"}, false, []string{"GB", "US"}, nil, nil, nil},
		{[]string{"United States"}, false, []string{"US"}, nil, nil, nil},
		{[]string{"Hong Kong", "Singapore", "Taiwan", "8"}, false, []string{"HK", "SG", "TW"}, nil, f64(8), f64(8)},
		{[]string{"United States", "-10", "-9", "-8", "-7", "-6", "-5", "14"}, false, []string{"US"}, nil, f64(-10), f64(-5)},
		{[]string{"Worldwide", "UTC-3 to UTC+3"}, false, nil, nil, f64(-3), f64(3)},
		// Descriptions: only requirement phrases count.
		{[]string{"We are a small team of data people.\nWe hire remotely across North America (US & Canada)."}, false, []string{"CA", "US"}, []string{"North America"}, nil, nil},
		{[]string{"Remote job with a great team. Visa sponsorship not available; applicants must be US citizens or green card holders."}, false, []string{"US"}, nil, nil, nil},
		{[]string{"This is a remote role for our public sector clients. Only French nationals can apply, because of security clearance."}, false, []string{"FR"}, nil, nil, nil},
		{[]string{"Remote role in a growing company. Green card holders welcome; we build tools for schools."}, false, []string{"US"}, nil, nil, nil},
		{[]string{"Remote role with our agency clients in the public sector. US citizenship is required for this position."}, false, []string{"US"}, nil, nil, nil},
		{[]string{"You will help senior citizens use our app and talk to citizens every day. We value curiosity and care a lot."}, false, nil, nil, nil, nil},
		{[]string{"We are a fully distributed company with offices in Berlin and New York. This role is open to candidates based in Morocco or Tunisia.\nYou will work with our data team."}, false, []string{"MA", "TN"}, nil, nil, nil},
		{[]string{"About us: founded in London, we serve clients in France and Germany.\nYou must be based in the US and authorized to work there."}, false, []string{"US"}, nil, nil, nil},
		{[]string{"Our team spans 20 countries and we hire anywhere. Join us to build great things for customers in many markets."}, true, nil, nil, nil, nil},
		{[]string{"Les candidats basés en France ou au Maroc sont les bienvenus pour ce poste en télétravail complet avec quelques déplacements."}, false, []string{"FR", "MA"}, nil, nil, nil},
		{[]string{"We build software for hospitals in Canada, the US and the UK. You will design data pipelines and work closely with analysts in our team."}, false, nil, nil, nil, nil},
	}
	for _, tt := range tests {
		e := ParseEligibility(tt.in...)
		known := tt.worldwide || len(tt.countries) > 0 || len(tt.regions) > 0 || tt.lo != nil
		ok := e.Worldwide == tt.worldwide && slices.Equal(e.Countries, tt.countries) && slices.Equal(e.Regions, tt.regions) &&
			e.Known == known && eqPtr(e.UTCOffsetMin, tt.lo) && eqPtr(e.UTCOffsetMax, tt.hi)
		if !ok {
			b, _ := json.Marshal(e)
			t.Errorf("ParseEligibility(%q) = %s; want worldwide=%v countries=%v regions=%v window=%v..%v",
				tt.in, b, tt.worldwide, tt.countries, tt.regions, deref(tt.lo), deref(tt.hi))
		}
	}
}

func eqPtr(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestParseEligibilityUnknown(t *testing.T) {
	for _, in := range [][]string{nil, {""}, {"Remote"}, {"100% Remote"}, {"Full-time"}, {"Hybrid"}, {"TBD"}, {"na"}} {
		e := ParseEligibility(in...)
		if e.Known || e.Worldwide || e.Admits("MA") || e.Admits("US") {
			t.Errorf("ParseEligibility(%q) = %+v; silence must stay unknown", in, e)
		}
	}
}

func TestAdmits(t *testing.T) {
	tests := []struct {
		in      string
		country string
		want    bool
	}{
		{"Worldwide", "MA", true},
		{"USA Only", "MA", false}, {"USA Only", "US", true}, {"USA Only", "us", true},
		{"Remote - EMEA", "MA", true}, {"Remote - EMEA", "FR", true}, {"Remote - EMEA", "US", false},
		{"Europe", "MA", false}, {"Europe", "DE", true}, {"Europe", "GB", true},
		{"EU", "GB", false}, {"EU", "FR", true},
		{"Africa", "MA", true}, {"Africa", "KE", true}, {"Africa", "FR", false},
		{"MENA", "MA", true}, {"MENA", "AE", true}, {"MENA", "FR", false},
		{"Maghreb", "DZ", true}, {"Maghreb", "EG", false},
		{"LATAM", "BR", true}, {"LATAM", "MA", false},
		{"North America", "CA", true}, {"North America", "MA", false},
		{"APAC", "SG", true}, {"Americas", "AR", true},
		{"EU timezones", "MA", true}, {"EU timezones", "US", false},
		{"UTC-5 to UTC+2", "MA", true}, {"UTC-5 to UTC+2", "IN", false}, {"UTC-5 to UTC+2", "US", true},
		{"CET +/- 2h", "MA", true}, {"CET +/- 2h", "IN", false},
		{"Morocco, France", "MA", true}, {"Morocco, France", "DZ", false},
		{"Anywhere", "", true}, {"Europe", "", false},
	}
	for _, tt := range tests {
		if got := ParseEligibility(tt.in).Admits(tt.country); got != tt.want {
			t.Errorf("ParseEligibility(%q).Admits(%q) = %v, want %v", tt.in, tt.country, got, tt.want)
		}
	}
	if (Eligibility{Worldwide: true}).Admits("MA") {
		t.Error("Known=false must admit nobody, even with Worldwide set")
	}
}

func TestRegionCountries(t *testing.T) {
	tests := []struct {
		region   string
		n        int
		has, not []string
	}{
		{"EU", 27, []string{"FR", "DE", "HR"}, []string{"GB", "CH", "MA"}},
		{"Maghreb", 6, []string{"MA", "DZ", "TN", "LY", "MR"}, []string{"EG"}},
		{"maghreb", 6, []string{"MA"}, nil},
		{"Afrique du Nord", 8, []string{"MA", "EG"}, []string{"FR"}},
		{"EMEA", 0, []string{"MA", "GB", "AE", "ZA"}, []string{"US", "IN"}},
		{"MENA", 0, []string{"MA", "SA", "EG"}, []string{"FR"}},
		{"Africa", 58, []string{"MA", "NG", "ZA", "EH"}, []string{"FR"}},
		{"Sub-Saharan Africa", 0, []string{"NG", "KE"}, []string{"MA", "EG"}},
		{"Europe", 0, []string{"GB", "CH", "NO", "UA"}, []string{"MA", "US"}},
		{"DACH", 3, []string{"DE", "AT", "CH"}, nil},
	}
	for _, tt := range tests {
		got := RegionCountries(tt.region)
		if tt.n > 0 && len(got) != tt.n {
			t.Errorf("RegionCountries(%q) has %d countries, want %d: %v", tt.region, len(got), tt.n, got)
		}
		for _, c := range tt.has {
			if !slices.Contains(got, c) {
				t.Errorf("RegionCountries(%q) lacks %s", tt.region, c)
			}
		}
		for _, c := range tt.not {
			if slices.Contains(got, c) {
				t.Errorf("RegionCountries(%q) has %s", tt.region, c)
			}
		}
		for _, c := range got {
			if !validCountry(c) {
				t.Errorf("RegionCountries(%q) has unknown code %q", tt.region, c)
			}
		}
	}
	if RegionCountries("Narnia") != nil {
		t.Error("unknown region must give nil")
	}
	// Callers may modify the result without touching the table.
	a := RegionCountries("EU")
	a[0] = "ZZ"
	if RegionCountries("EU")[0] == "ZZ" {
		t.Error("RegionCountries returns the shared table")
	}
}

// TestEligibilityFixtures reads the eligibility fields of the shared
// Remotive, Jobicy and Himalayas fixtures: each must be known, use valid
// codes, and admit or reject Morocco as a reader of the string would.
func TestEligibilityFixtures(t *testing.T) {
	type check struct {
		texts   []string
		morocco bool
	}
	var checks []check
	var remotive struct {
		Jobs []struct {
			Loc string `json:"candidate_required_location"`
		} `json:"jobs"`
	}
	for _, name := range []string{"remotive/brete-remotive.json", "remotive/lcarlini-remotive.json", "remotive/ikevinxie-remotive.json"} {
		readJSON(t, name, &remotive)
		for _, j := range remotive.Jobs {
			checks = append(checks, check{[]string{j.Loc}, j.Loc == "Worldwide" || j.Loc == "Americas, Europe, Asia, Africa, Oceania" || j.Loc == "Northern America, Europe, UK, France, European timezones"})
		}
	}
	var jobicy struct {
		Jobs []struct {
			Geo string `json:"jobGeo"`
		} `json:"jobs"`
	}
	for _, name := range []string{"jobicy/brete-jobicy.json", "jobicy/ikevinxie-jobicy.json"} {
		readJSON(t, name, &jobicy)
		for _, j := range jobicy.Jobs {
			checks = append(checks, check{[]string{j.Geo}, j.Geo == "EMEA,  LATAM,  Canada,  USA"})
		}
	}
	var him struct {
		Jobs []struct {
			Loc []string  `json:"locationRestrictions"`
			TZ  []float64 `json:"timezoneRestrictions"`
		} `json:"jobs"`
	}
	for _, name := range []string{"himalayas/brete-himalayas.json", "himalayas/ikevinxie-himalayas.json"} {
		readJSON(t, name, &him)
		for _, j := range him.Jobs {
			// The himalayas crawler passes offsets as bare numbers.
			texts := append([]string{}, j.Loc...)
			for _, v := range j.TZ {
				texts = append(texts, jsonNumber(v))
			}
			checks = append(checks, check{texts, len(j.Loc) == 0})
		}
	}
	if len(checks) < 15 {
		t.Fatalf("only %d eligibility strings read", len(checks))
	}
	for _, c := range checks {
		e := ParseEligibility(c.texts...)
		if !e.Known {
			t.Errorf("ParseEligibility(%q) unknown", c.texts)
			continue
		}
		if got := e.Admits("MA"); got != c.morocco {
			b, _ := json.Marshal(e)
			t.Errorf("ParseEligibility(%q) = %s admits MA = %v, want %v", c.texts, b, got, c.morocco)
		}
	}
}

func jsonNumber(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(fixtures.Path(t, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func FuzzParseEligibility(f *testing.F) {
	for _, s := range []string{"Worldwide", "USA Only", "Remote - EMEA", "UTC-5 to UTC+2", "CET +/- 2h", "Morocco, France", "Remote (Europe)", "USA, CST (UTC-6)", "14", "-10", "UTC+99", "must be based in", "GMT+5:30 to GMT+9"} {
		f.Add(s, "")
	}
	f.Add("ȺȺȺȺȺUTC0", "Remote İİ UTC+1 to UTC+3 or ſ")
	f.Add("", "وظيفة عن بعد مفتوحة للمرشحين من المغرب وتونس والجزائر فقط، ويشترط")
	f.Add("", "للمقيمين في ، و ،، والسعودية")
	f.Add("", "Remote: résidents marocains, tunisiens ou, Egyptian and Moroccan citizens; Afrique de l'Ouest uniquement; must currently live in")
	f.Add("", "Nous recrutons partout en Afrique francophone ainsi qu'en Belgique.")
	f.Add("", "Remote. Morocco, Portugal and Spain welcome; Tunisia and Egypt are not welcome. welcome, welcome")
	f.Add("", "Les candidats du Maroc ne sont pas les bienvenus; Sénégal et Côte d'Ivoire bienvenus. المغرب غير مرحب")
	// heldout23/dev23 phrasings.
	f.Add("US/Canada only. /&/ only — only:", "we can only employ people in Spain; only able to hire candidates based in; open only to applicants located in")
	f.Add("", "someone who lives in one of the following countries Germany Austria; we also accept applicants from; li saknin f lMaghrib")
	f.Add("", "uniquement depuis le territoire français (hors DOM-TOM); ouvert à tous les pays; n'importe quel pays d'Afrique francophone")
	f.Add("9am–5pm GMT", "8:00 AM - 4:00 PM EST; (UTC-1 → UTC+3); UTC+3 -> ; يقبل المرشحون من المغرب وتونس؛ من أي دولة عربية")
	f.Fuzz(func(t *testing.T, a, b string) {
		e := ParseEligibility(a, b)
		if !e.Known {
			if e.Worldwide || len(e.Countries) > 0 || len(e.Regions) > 0 || e.UTCOffsetMin != nil {
				t.Errorf("unknown but says something: %+v", e)
			}
			for _, c := range []string{"MA", "US", "FR", "IN"} {
				if e.Admits(c) {
					t.Errorf("unknown eligibility admits %s", c)
				}
			}
		}
		for _, c := range e.Countries {
			if !validCountry(c) {
				t.Errorf("invalid country %q from %q %q", c, a, b)
			}
		}
		if (e.UTCOffsetMin == nil) != (e.UTCOffsetMax == nil) {
			t.Errorf("half a window: %+v", e)
		}
		if e.UTCOffsetMin != nil && (*e.UTCOffsetMin > *e.UTCOffsetMax || *e.UTCOffsetMin < -12 || *e.UTCOffsetMax > 14) {
			t.Errorf("bad window %v..%v from %q %q", *e.UTCOffsetMin, *e.UTCOffsetMax, a, b)
		}
		for _, r := range e.Regions {
			if len(RegionCountries(r)) == 0 {
				t.Errorf("region %q has no table", r)
			}
		}
	})
}

// A separate time-zone field narrows the places a posting lists; it must
// not open a US-only job to Morocco because Morocco's offset is inside a
// window such as Himalayas' full "-11 … 14".
func TestTimezoneFieldNarrowsPlaces(t *testing.T) {
	for _, tc := range []struct {
		name     string
		elig, tz []string
		admitsMA bool
		admitsUS bool
	}{
		{"US only with full window", []string{"United States"}, []string{"-11", "14"}, false, true},
		{"Germany with European window", []string{"Germany"}, []string{"0", "1", "2"}, false, false},
		{"window alone", nil, []string{"0", "1", "2"}, true, false},
		{"Europe or European zones in one text", []string{"Europe, European timezones"}, nil, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			remote := true
			o, err := Normalizer{}.Normalize(Posting{Title: "Data analyst", Remote: &remote, EligibilityTexts: tc.elig, TimezoneTexts: tc.tz})
			if err != nil {
				t.Fatal(err)
			}
			if got := o.Eligibility.Admits("MA"); got != tc.admitsMA {
				t.Errorf("admits MA = %v, want %v (%+v)", got, tc.admitsMA, o.Eligibility)
			}
			if got := o.Eligibility.Admits("US"); got != tc.admitsUS {
				t.Errorf("admits US = %v, want %v (%+v)", got, tc.admitsUS, o.Eligibility)
			}
		})
	}
}

func TestAnywhereInACountryIsThatCountry(t *testing.T) {
	for _, tc := range []struct {
		text      string
		worldwide bool
		country   string
	}{
		{"You can work from anywhere in the Philippines, Mon-Fri EST.", false, "PH"},
		{"Fully remote: we hire anywhere in Morocco.", false, "MA"},
		{"We hire from anywhere in the world.", true, ""},
		{"Work from anywhere! Our team spans 30 countries.", true, ""},
	} {
		remote := true
		o, err := Normalizer{}.Normalize(Posting{Title: "Support engineer", Remote: &remote, Description: tc.text})
		if err != nil {
			t.Fatal(err)
		}
		e := o.Eligibility
		if e.Worldwide != tc.worldwide || (tc.country != "" && !slices.Contains(e.Countries, tc.country)) {
			t.Errorf("%q: eligibility %+v, want worldwide=%v country %q", tc.text, e, tc.worldwide, tc.country)
		}
	}
}

func TestExclusions(t *testing.T) {
	for _, tc := range []struct {
		text      string
		admitsMA  bool
		excluded  []string
		worldwide bool
	}{
		{"Worldwide, except sanctioned countries.", true, []string{"CU", "IR", "KP", "SY"}, true},
		{"Remote (Global, excluding EU)", true, []string{"DE", "FR"}, true},
		{"Anywhere but not in Africa", false, []string{"MA", "NG"}, true},
		{"Open to all countries other than Morocco and Egypt.", false, []string{"EG", "MA"}, true},
		{"Télétravail partout sauf au Maroc, pour des raisons légales.", false, []string{"MA"}, true},
		{"Remote within Europe, except France.", false, []string{"FR"}, false},
		{"We cannot hire people based in the United States.", true, []string{"US"}, true},
		{"Remote job. Exceptional candidates from anywhere in the world.", true, nil, true},
		{"عمل عن بعد من أي مكان باستثناء المغرب", false, []string{"MA"}, true},
		{"Remote. Candidates from Morocco are not eligible.", false, []string{"MA"}, true},
		{"Remote - Morocco excluded.", false, []string{"MA"}, true},
		{"Remote across EMEA. Candidates from Morocco are eligible.", true, nil, false},
		{"Remote. Candidates from Morocco cannot apply.", false, []string{"MA"}, true},
		{"Open worldwide; Morocco-based candidates are excluded for legal reasons.", false, []string{"MA"}, true},
		{"Télétravail monde entier, Maroc et Algérie exclus.", false, []string{"MA", "DZ"}, true},
		{"Full remote. Les candidats résidant au Maroc ne sont pas éligibles.", false, []string{"MA"}, true},
		{"Remote within EMEA. Applicants located in the EU will not be considered.", true, []string{"FR", "DE"}, false},
		// Arabic exclusions: a verb before the place, a denial after it,
		// and a list joined by و on either side.
		{"الوظيفة عن بعد، ويستثنى منها المقيمون في الجزائر.", true, []string{"DZ"}, true},
		{"عمل عن بعد. لا يمكننا توظيف المقيمين في المغرب حاليا.", false, []string{"MA"}, true},
		{"عن بعد. المتقدمون من تونس والمغرب غير مقبولين لأسباب ضريبية.", false, []string{"TN", "MA"}, true},
		{"عمل عن بعد؛ المرشحون المقيمون في المغرب مستبعدون.", false, []string{"MA"}, true},
		// Other denials after the place: not welcome, may not apply.
		{"Remote (EU). Morocco and Tunisia are not welcome, sorry.", false, []string{"MA", "TN"}, false},
		{"Télétravail. Les candidats du Maroc ne sont pas les bienvenus.", false, []string{"MA"}, true},
		{"Remote worldwide. Candidates in Morocco may not apply for now.", false, []string{"MA"}, true},
		{"عمل عن بعد. المتقدمون من المغرب غير مرحب بهم حاليا.", false, []string{"MA"}, true},
	} {
		remote := true
		o, err := Normalizer{}.Normalize(Posting{Title: "Data engineer", Remote: &remote, Description: tc.text})
		if err != nil {
			t.Fatal(err)
		}
		e := o.Eligibility
		if e.Admits("MA") != tc.admitsMA || e.Worldwide != tc.worldwide {
			t.Errorf("%q: %+v: admits MA %v, want %v; worldwide want %v", tc.text, e, e.Admits("MA"), tc.admitsMA, tc.worldwide)
		}
		for _, c := range tc.excluded {
			if !slices.Contains(e.ExcludedCountries, c) {
				t.Errorf("%q: excluded %v, want %s in it", tc.text, e.ExcludedCountries, c)
			}
		}
		if tc.excluded == nil && len(e.ExcludedCountries) > 0 {
			t.Errorf("%q: excluded %v, want none", tc.text, e.ExcludedCountries)
		}
	}
	// A board's "Anywhere" with an exclusion in the text.
	remote := true
	o, _ := Normalizer{}.Normalize(Posting{Title: "Data engineer", Remote: &remote, LocationTexts: []string{"Anywhere"},
		Description: "We are unable to hire in North Africa for now."})
	if o.Eligibility.Admits("MA") || !o.Eligibility.Admits("FR") {
		t.Errorf("board worldwide with excluded North Africa: %+v", o.Eligibility)
	}
}

// TestSubRegionsAndDemonyms: a part of a continent is not the continent
// ("West Africa" does not admit Morocco); a demonym beside the people it
// qualifies names their country, unless the sentence denies it; an
// adverb after "must" keeps the requirement.
func TestSubRegionsAndDemonyms(t *testing.T) {
	for _, tc := range []struct {
		text     string
		admitsMA bool
		has      string // a country or region the reading must hold
	}{
		{"Remote for candidates in East Africa only.", false, "East Africa"},
		{"Télétravail, réservé à l'Afrique centrale.", false, "Central Africa"},
		{"Remote, but only within Western Africa (ECOWAS).", false, "West Africa"},
		{"Open to people living in Southern Africa.", false, "Southern Africa"},
		{"Remote (Afrique du Nord uniquement).", true, "North Africa"},
		{"Remote. Tunisian and Moroccan residents only.", true, "MA"},
		{"Poste à distance pour les ressortissants sénégalais.", false, "SN"},
		{"Télétravail ; candidats algériens ou tunisiens bienvenus.", false, "DZ"},
		{"Remote. Moroccan residents are not eligible for this role.", false, ""},
		{"Remote: Kenyan, Ghanaian or Nigerian nationals.", false, "GH"},
		{"Télétravail pour résidents tunisiens, marocains et algériens.", true, "DZ"},
		{"Remote; you must already be living in Portugal.", false, "PT"},
		{"Applicants must legally reside in the United Kingdom.", false, "GB"},
		// A list of places closed by "welcome" names them; a list of
		// other things does not, nor a denied one.
		{"Remote, CET hours. Tunisia, Egypt and Morocco are welcome.", true, "EG"},
		{"Remote. Portugal and Spain welcome.", false, "PT"},
		{"Télétravail : Sénégal et Côte d'Ivoire bienvenus.", false, "SN"},
		{"Remote from anywhere in the world. Career changers and Python beginners welcome.", true, ""},
	} {
		remote := true
		o, err := Normalizer{}.Normalize(Posting{Title: "Data engineer", Remote: &remote, Description: tc.text})
		if err != nil {
			t.Fatal(err)
		}
		e := o.Eligibility
		if e.Admits("MA") != tc.admitsMA {
			t.Errorf("%q: %+v: admits MA %v, want %v", tc.text, e, e.Admits("MA"), tc.admitsMA)
		}
		if tc.has != "" && !slices.Contains(e.Countries, tc.has) && !slices.Contains(e.Regions, tc.has) {
			t.Errorf("%q: %+v, want %s in it", tc.text, e, tc.has)
		}
	}
}

func FuzzCutExclusions(f *testing.F) {
	for _, s := range []string{"Worldwide except Cuba, Iran (sanctions)", "Global (excluding EU", "sauf à l'exception de",
		"ẞ except İstanbul and ǅ", "except (((", "İİ Morocco-based ẞ are excluded", "- - excluded", "excluded", "باستثناء المغرب وتونس", "hors de l'UE.", "excl.",
		"يستثنى من التقديم المقيمون في", "المرشحون من مصر والمغرب غير مقبولين", "لا نقبل طلبات",
		"we cannot hire anywhere in Africa", "The only places we can't hire are OFAC-sanctioned territories.", "countries we cannot employ in are"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rest, ex, ok := cutExclusions(s)
		if !ok && rest != s {
			t.Fatalf("text changed without an exclusion")
		}
		for _, c := range ex {
			if !isAlpha2(c) {
				t.Fatalf("bad code %q", c)
			}
		}
		_ = ParseEligibility(s)
	})
}

func TestWithinHoursOf(t *testing.T) {
	for _, tc := range []struct {
		text   string
		lo, hi float64
	}{
		{"Remote, but you must be within 3 hours of CET.\n", -2, 4},
		{"Remote; within 2 hours of UTC+1.\n", -1, 3},
		{"Remote (UTC-1 to UTC+3)\n", -1, 3},
	} {
		e := ParseEligibility(tc.text)
		if e.UTCOffsetMin == nil || *e.UTCOffsetMin != tc.lo || *e.UTCOffsetMax != tc.hi {
			t.Errorf("%q: %+v, want %v..%v", tc.text, e, tc.lo, tc.hi)
		}
	}
}

// TestArabicPlaceList: a list of places joined by و or ، is read whole,
// a place whose name starts with و stays one place, and the list ends at
// the first part that is no place.
func TestArabicPlaceList(t *testing.T) {
	for in, want := range map[string]string{
		"المغرب وتونس والجزائر": "المغرب, تونس, الجزائر",
		"وجدة":          "وجدة",
		"الناظور، وجدة": "الناظور, وجدة",
		"وجدة والناظور": "وجدة, الناظور",
		"المغرب، ويشترط إتقان الفرنسية":  "المغرب",
		"تونس ومصر والأردن، وخبرة سنتين": "تونس, مصر, الأردن",
	} {
		if got := arabicPlaceList(in); got != want {
			t.Errorf("arabicPlaceList(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBasedRoleAndBoardDefault: "X-based role/position/job" in a
// description names where the job is open, whatever words come before
// the place; a board's worldwide field gives way to a description that
// requires named places, never to one that only names the company's home
// (a preset worldwide value the text does not back is not stated:
// boardfield.go).
func TestBasedRoleAndBoardDefault(t *testing.T) {
	for _, c := range []struct {
		board, text string
		admitsMA    bool
		want        string // a country or region it must name, "" for worldwide
	}{
		{"", "We hire US-based applicants only.", false, "US"},
		{"", "Fully remote, EU-based role with flexible hours.", false, "EU"},
		{"", "Ce poste est ouvert aux Canada-based contractors.", false, "CA"},
		{"", "This is a North America-based position with some travel.", false, "North America"},
		{"", "We welcome Latin America-based contractors.", false, "LATAM"},
		{"Anywhere in the World", "This is a UK-based role; you will visit clients in London.", false, "GB"},
		{"Anywhere in the World", "Applicants must reside in the EU.", false, "EU"},
		{"Anywhere in the World", "We are a US-based company with people in 30 countries.", true, ""},
		// A board's preset worldwide value with a text that neither backs
		// nor restricts it: not stated (unknown), never the company's home.
		{"Anywhere in the World", "Our London-based team ships every week.", false, ""},
		{"", "Ce poste est basé au Maroc, en télétravail complet.", true, "MA"},
		{"", "Le poste est localisé en France ; télétravail possible.", false, "FR"},
		{"", "L'emploi sera basé dans l'Union européenne.", false, "EU"},
		{"", "Poste basé à Paris avec télétravail partiel.", false, ""},
	} {
		checkRemoteReading(t, "Developer Advocate", "About the role. We build testing tools for engineers. "+c.text+" Apply on our site.", c.board, c.admitsMA, c.want)
	}
}

// checkRemoteReading normalizes a remote posting (title, description and
// the board's eligibility field, if any) and checks whether it admits a
// graduate in Morocco and names want (a country or region; "" for none).
func checkRemoteReading(t *testing.T, title, desc, board string, admitsMA bool, want string) {
	t.Helper()
	p := Posting{Title: title, Remote: yes(), Description: desc}
	if board != "" {
		p.EligibilityTexts = []string{board}
	}
	o, err := Normalizer{}.Normalize(p)
	if err != nil {
		t.Fatal(err)
	}
	e := o.Eligibility
	if got := e.Known && e.Admits("MA"); got != admitsMA {
		t.Errorf("%q (board %q): %+v, admits Morocco %v, want %v", desc, board, e, got, admitsMA)
	}
	if want != "" && !slices.Contains(e.Countries, want) && !slices.Contains(e.Regions, want) {
		t.Errorf("%q (board %q): %+v does not name %s", desc, board, e, want)
	}
}

// TestTitleTimeZoneNarrowsBoard: a time zone in the title of a remote ad
// narrows a board's worldwide field to its window; "PT" (part time) and
// titles without a zone leave it worldwide.
func TestTitleTimeZoneNarrowsBoard(t *testing.T) {
	for _, c := range []struct {
		title    string
		admitsMA bool
	}{
		{"Product Sales Specialist - Pet Health (CST timezone)", false},
		{"Customer Success Manager (EST hours)", false},
		{"Support Engineer, PST", false},
		{"Data Analyst (UTC-5)", false},
		{"Account Manager - US time zones", false},
		{"Support Agent (CET)", true},
		{"Sales Rep PT", true},
		{"Data Engineer", true},
	} {
		checkRemoteReading(t, c.title, "Join our team from anywhere. Great benefits.", "Worldwide", c.admitsMA, "")
	}
}

// TestOutsideRefused: refusing applicants outside a place opens the job
// in that place only; "outside of X" with no refusal stays what it was.
func TestOutsideRefused(t *testing.T) {
	for _, c := range []struct {
		board, text string
		admitsMA    bool
		want        string
	}{
		{"Remote", "Please note: If an applicant is permanently located outside of Germany, Veeam reserves the right to decline the application for this position.", false, "DE"},
		{"", "Candidates based outside the United Kingdom will not be considered.", false, "GB"},
		{"Worldwide", "Applications from people residing outside of the EU cannot be accepted.", false, "EU"},
		{"", "Les candidatures de personnes résidant hors de France ne seront pas retenues.", false, "FR"},
		{"", "Applicants located outside of Morocco will be declined.", true, "MA"},
		{"Worldwide, outside of the US", "Join a team spread over 20 countries.", true, ""},
		{"Worldwide", "Many of our people live outside of Europe and love it.", true, ""},
	} {
		checkRemoteReading(t, "Account Executive", "About us. We sell software. "+c.text+" Apply now.", c.board, c.admitsMA, c.want)
	}
}
