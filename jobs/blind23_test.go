package jobs

import (
	"slices"
	"testing"
)

// Classes found by the heldout23 part (eligibility stated in prose, a
// board's field against the text, places and languages). Each group
// holds fresh phrasings and negative cases; none is an ad of the part.

func normalize23(t *testing.T, p Posting) *Offer {
	t.Helper()
	if p.Title == "" {
		p.Title = "Data Analyst"
	}
	o, err := Normalizer{}.Normalize(p)
	if err != nil {
		t.Fatal(err)
	}
	return &o
}

func TestRemoteScopeStatedMakesRemote(t *testing.T) {
	for _, tc := range []struct {
		desc string
		want Workplace
	}{
		{"Remote within Portugal only.", Remote},
		{"Fully remote across the Nordics.", Remote},
		{"Location: Remote (Kenya)", Remote},
		{"Lieu : Télétravail", Remote},
		{"Remote · Spain", Remote},
		{"Open to remote candidates from Ghana and Togo.", Remote},
		{"This role is fully remote; we meet twice a year.", Remote},
		{"Télétravail depuis le Sénégal.", Remote},
		{"Poste proposé en télétravail pour un profil junior.", Remote},
		{"Belgium only. Remote.", Remote},
		// Negatives: the trade, a denial, a place with no remote word.
		{"Remote sensing analyst for our Rabat lab.", WorkplaceUnknown},
		{"Location: Casablanca", WorkplaceUnknown},
		{"The remote control team ships firmware.", WorkplaceUnknown},
	} {
		o := normalize23(t, Posting{Description: tc.desc})
		if o.Workplace != tc.want {
			t.Errorf("%q: workplace %q, want %q", tc.desc, o.Workplace, tc.want)
		}
	}
	// A remote label with a denial after it is no statement of remote work.
	for _, d := range []string{"Remote - no", "Remote (none)", "Location: Remote - not possible"} {
		if remoteScopeStated(newScanText(stripAccents(d))) {
			t.Errorf("%q read as remote work with a scope", d)
		}
	}
}

func TestBoardFieldAgainstProse(t *testing.T) {
	remote := true
	for _, tc := range []struct {
		name, field, desc string
		known, ww         bool
		countries         []string
		admitsMA          bool
	}{
		{"preset worldwide, silent text", "Worldwide", "Build dashboards for our sales team.", false, false, nil, false},
		{"preset worldwide, text backs it", "Anywhere in the World", "Work with teammates across the globe, from any country.", true, true, nil, true},
		{"preset worldwide, text excludes", "Worldwide", "Open to everyone except residents of Russia.", true, true, nil, true},
		{"preset worldwide, text restricts", "Worldwide", "We can only employ people living in Germany.", true, false, []string{"DE"}, false},
		{"preset worldwide, HQ remote line", "Anywhere in the World", "Headquarters:\n Remote - Canada\nAbout us", true, false, []string{"CA"}, false},
		{"chosen worldwide wording, silent text", "Global", "Build dashboards for our sales team.", true, true, nil, true},
		{"region field, text restricts", "EMEA", "This role is open only to applicants located in Spain.", true, false, []string{"ES"}, false},
		{"region field, text adds", "Europe", "We also hire in Tunisia and Morocco.", true, false, []string{"MA", "TN"}, true},
		{"region field, weak text", "Europe", "For candidates located in Paris, we offer a desk.", true, false, nil, false},
		{"region field, text adds nothing", "Europe", "We also love good coffee.", true, false, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := normalize23(t, Posting{Remote: &remote, EligibilityTexts: []string{tc.field}, Description: tc.desc})
			e := o.Eligibility
			if e.Known != tc.known || e.Worldwide != tc.ww || !contains(e.Countries, tc.countries) || e.Admits("MA") != tc.admitsMA {
				t.Errorf("got %+v, want known=%v ww=%v countries ⊇ %v admitsMA=%v", e, tc.known, tc.ww, tc.countries, tc.admitsMA)
			}
		})
	}
}

func TestProseEligibility23(t *testing.T) {
	remote := true
	for _, tc := range []struct {
		desc      string
		countries []string
		excluded  []string
		ww        bool
		admitsMA  bool
	}{
		// Hiring restricted to places in strong terms.
		{"Remote. We can only employ people in Ireland and Malta.", []string{"IE", "MT"}, nil, false, false},
		{"Remote role; we are only able to hire candidates based in Australia.", []string{"AU"}, nil, false, false},
		{"Remote, restricted to residents of New Zealand.", []string{"NZ"}, nil, false, false},
		// Other requirement phrases.
		{"Remote. Ideal for someone who lives in one of these countries Kenya Uganda Tanzania because of tax.", []string{"KE", "UG", "TZ"}, nil, false, false},
		{"Remote across the EU. We also accept applicants from Morocco.", []string{"MA"}, nil, false, true},
		{"Remote. Khdma ghir l'nass li saknin f lMaghrib.", []string{"MA"}, nil, false, true},
		{"Remote in the Gulf (Gulf only — Qatar, Bahrain).", []string{"QA", "BH"}, nil, false, false},
		{"Remote. Spain/Portugal only.", []string{"ES", "PT"}, nil, false, false},
		{"Télétravail, uniquement depuis le territoire belge.", []string{"BE"}, nil, false, false},
		{"Télétravail ouvert à tous les pays.", nil, nil, true, true},
		{"Remote, open to freelancers worldwide.", nil, nil, true, true},
		{"Remote. Candidats basés dans un pays africain francophone.", nil, nil, false, true},
		{"عن بعد. يقبل المرشحون من مصر والأردن.", []string{"EG", "JO"}, nil, false, false},
		// Exclusions.
		{"Remote (EMEA). We cannot employ anyone anywhere in Africa yet.", nil, []string{"MA", "EG"}, false, false},
		{"Remote. The only countries we cannot hire in are embargoed ones.", nil, []string{"CU", "IR"}, true, true},
		// Negatives: no place follows the phrase.
		{"Remote. We can only hire people who love data.", nil, nil, false, false},
		{"Remote. We accept applications from all backgrounds.", nil, nil, false, false},
		{"Remote. Someone who lives in the moment and ships fast.", nil, nil, false, false},
		{"Remote. Le territoire de la marque est vaste.", nil, nil, false, false},
		{"Remote in the Maghreb.", nil, nil, false, true},
	} {
		o := normalize23(t, Posting{Remote: &remote, Description: tc.desc})
		e := o.Eligibility
		if !contains(e.Countries, tc.countries) || !contains(e.ExcludedCountries, tc.excluded) || e.Worldwide != tc.ww || e.Admits("MA") != tc.admitsMA {
			t.Errorf("%q: got %+v, want countries ⊇ %v excluded ⊇ %v ww=%v admitsMA=%v", tc.desc, e, tc.countries, tc.excluded, tc.ww, tc.admitsMA)
		}
		if len(tc.countries) == 0 && !tc.ww && !tc.admitsMA && len(tc.excluded) == 0 && e.Known {
			t.Errorf("%q: read %+v from a text that names no place", tc.desc, e)
		}
	}
}

func TestWorkingHoursInAZone(t *testing.T) {
	for _, tc := range []struct {
		desc     string
		min, max float64
		window   bool
	}{
		{"Remote. You must be able to work 8am–4pm GMT.", -1, 1, true},
		{"Remote. Shift: 9:00 AM - 5:00 PM EST.", -6, -4, true},
		{"Remote across Africa & Europe (UTC+0 → UTC+2).", 0, 2, true},
		// Negatives: hours without a zone, a zone without hours.
		{"Remote. Core hours are 9 to 5, flexible.", 0, 0, false},
	} {
		e := ParseEligibility(tc.desc + "\n")
		if !tc.window {
			if e.UTCOffsetMin != nil {
				t.Errorf("%q: window %v..%v, want none", tc.desc, *e.UTCOffsetMin, *e.UTCOffsetMax)
			}
			continue
		}
		if e.UTCOffsetMin == nil || *e.UTCOffsetMin != tc.min || *e.UTCOffsetMax != tc.max {
			t.Errorf("%q: got %+v, want %v..%v", tc.desc, e, tc.min, tc.max)
		}
	}
}

func TestPlacesAndLanguages23(t *testing.T) {
	for _, tc := range []struct {
		desc, city string
	}{
		{"Nos locaux de Ain Sebaa (Casablanca) accueillent l'équipe.", "Casablanca"},
		{"Lkhedma f Agadir, f l'port.", "Agadir"},
		// Negatives: a bracket naming no city, a darija "f" before a
		// word that is no city.
		{"Poste basé à Rabat (quartier Agdal).", "Rabat"},
		{"Kayn khedma f lbureau, contactez-nous.", ""},
	} {
		o := normalize23(t, Posting{Description: tc.desc})
		got := ""
		if len(o.Locations) > 0 {
			got = o.Locations[0].City
		}
		if tc.city == "" && got != "" || tc.city != "" && !slices.ContainsFunc(o.Locations, func(l Location) bool { return LocationMatches(l, tc.city) }) {
			t.Errorf("%q: places %+v, want %q", tc.desc, o.Locations, tc.city)
		}
	}
	for _, tc := range []struct {
		desc string
		want []string
	}{
		{"خاصو يكون كيتكلم الإنجليزية مزيان.", []string{"en"}},
		{"خاصك تكون كتهدر العربية والفرنسية.", []string{"ar", "fr"}},
		// Negative: darija "not needed".
		{"الفرنسية ماشي ضرورية، خاصك الإنجليزية.", []string{"en"}},
	} {
		o := normalize23(t, Posting{Description: tc.desc})
		if !sameSet(o.Languages, tc.want) {
			t.Errorf("%q: languages %v, want %v", tc.desc, o.Languages, tc.want)
		}
	}
}

func TestLanguageCodesAfterAHeading(t *testing.T) {
	for _, tc := range []struct {
		desc string
		want []string
	}{
		{"Langues : FR / EN (niveau B2 minimum).", []string{"fr", "en"}},
		{"Languages: EN (C1), DE (B2)", []string{"en", "de"}},
		// Negatives: codes without a heading, a heading over other words.
		{"Our IT team and the FR office work together.", []string{}},
		{"Languages: we build tools for the IT and PT markets.", []string{}},
	} {
		o := normalize23(t, Posting{Description: tc.desc})
		if !sameSet(o.Languages, tc.want) {
			t.Errorf("%q: languages %v, want %v", tc.desc, o.Languages, tc.want)
		}
	}
}

// Classes found by dev23 (first measured before these rules).
func TestDev23Classes(t *testing.T) {
	remote := true
	for _, tc := range []struct {
		field, desc string
		countries   []string
		regions     []string
		ww          bool
		admitsMA    bool
	}{
		{"EMEA", "Only people located in Ireland will be considered.", []string{"IE"}, nil, false, false},
		{"", "Remote. Apply only if you reside in Portugal.", []string{"PT"}, nil, false, false},
		{"", "Remote: you may work from any country in Europe.", nil, []string{"Europe"}, false, false},
		{"", "Télétravail depuis n'importe quel pays du Maghreb.", nil, []string{"Maghreb"}, false, true},
		{"", "عمل عن بعد من العالم العربي.", nil, []string{"Arab world"}, false, true},
		{"", "Remote. Candidates from the Arab world are welcome.", nil, []string{"Arab world"}, false, true},
		// Negatives: "only" before no place, "any country" with no place
		// after it stays worldwide.
		{"", "Remote. Only people who love data should apply.", nil, nil, false, false},
		{"", "Remote. We hire from any country.", nil, nil, true, true},
	} {
		p := Posting{Remote: &remote, Description: tc.desc}
		if tc.field != "" {
			p.EligibilityTexts = []string{tc.field}
		}
		e := normalize23(t, p).Eligibility
		if !contains(e.Countries, tc.countries) || !contains(e.Regions, tc.regions) || e.Worldwide != tc.ww || e.Admits("MA") != tc.admitsMA {
			t.Errorf("%q (field %q): got %+v, want countries ⊇ %v regions ⊇ %v ww=%v admitsMA=%v", tc.desc, tc.field, e, tc.countries, tc.regions, tc.ww, tc.admitsMA)
		}
		if tc.countries == nil && tc.regions == nil && !tc.ww && e.Known {
			t.Errorf("%q: read %+v from a text that names no place", tc.desc, e)
		}
	}
}

// FuzzBoardAndScope runs the readers of this round (remote scope, a
// board's field against the text, places with a bracketed city, language
// codes after a heading) on arbitrary text: no panic, and a reading that
// keeps the package's invariants.
func FuzzBoardAndScope(f *testing.F) {
	for _, s := range []string{
		"Headquarters:\n Remote - U.S.A.\nRemote within Morocco only. We also hire in Egypt. Location: Remote - no",
		"Nos bureaux de Sidi Maârouf (Casablanca). L'khedma f Fès. Remote · ((", "Remote across Europe & North Africa",
		"Location: Remote (Francophone Africa)", "US/Canada only. Remote.", "Remote · United Kingdom", "Open to remote applicants from Egypt",
		"Poste à pourvoir en télétravail", "Télétravail depuis la France", "HQ: remote, (", "we are only able to hire candidates based in the US",
		"Team members in 40+ countries; international contractors", "Langues : FR / EN", "(Casablanca", "Sidi (", "also also, aussi.",
		"Remote Data Analyst (Morocco)", "Data Engineer (Remote – EMEA | US & Canada)", "Location: Morocco (Remote)\nCountry: Kenya", "Remote -  - ( )",
	} {
		f.Add(s, "Anywhere in the World")
		f.Add(s, "EMEA")
	}
	f.Fuzz(func(t *testing.T, desc, field string) {
		d := newScanText(stripAccents(desc))
		_ = remoteScopeStated(d)
		e := fieldAndProse(ParseEligibility(field), []string{field}, desc, d)
		if !e.Known && (e.Worldwide || len(e.Countries) > 0 || e.Admits("MA")) {
			t.Errorf("unknown reading says something: %+v", e)
		}
		if e.Known && !e.Worldwide && len(e.Countries) == 0 && len(e.Regions) == 0 && e.UTCOffsetMin == nil {
			t.Errorf("known reading names nothing: %+v", e)
		}
		if l, ok := placesInText(desc); ok && !validCountry(l.Country) {
			t.Errorf("place %+v", l)
		}
		for _, c := range languages(nil, desc) {
			if len(c) != 2 {
				t.Errorf("language %q", c)
			}
		}
		_ = headingWithCodes(desc)
		if e := titleScope(desc); e.Known && (e.Worldwide || len(e.Countries)+len(e.Regions) == 0) {
			t.Errorf("title scope %+v", e)
		}
	})
}

// Classes found by probing other wordings after dev23 (not ads of either
// part).
func TestProbedClasses23(t *testing.T) {
	remote := true
	for _, tc := range []struct {
		desc      string
		countries []string
		regions   []string
		excluded  []string
		admitsMA  bool
	}{
		// A hyphenated part of a region is never the whole region.
		{"Remote. Applicants from sub-Saharan Africa only.", nil, []string{"Sub-Saharan Africa"}, nil, false},
		{"Remote, Saharan Africa.", nil, nil, nil, false},
		// A place denied a place among the countries hired in.
		{"Remote. Tunisia is not one of the countries we can hire in.", nil, nil, []string{"TN"}, true},
		{"Remote. Morocco is one of the countries we hire in.", []string{"MA"}, nil, nil, true},
		{"Télétravail. Le Maroc ne fait pas partie des pays éligibles.", nil, nil, []string{"MA"}, false},
		// "GMT to GMT+3" is one window.
		{"Remote within GMT to GMT+2.", nil, nil, nil, true},
		// The Gulf and the Arab homeland in Arabic, the Baltics.
		{"عمل عن بعد للمقيمين في الخليج العربي فقط", nil, []string{"GCC"}, nil, false},
		{"عن بعد من أي مكان في الوطن العربي", nil, []string{"Arab world"}, nil, true},
		{"Remote (Baltics only).", nil, []string{"Baltics"}, nil, false},
		// "without sponsorship" after the place ends it.
		{"Remote. Must be eligible to work in the UK without a visa.", []string{"GB"}, nil, nil, false},
	} {
		e := normalize23(t, Posting{Remote: &remote, Description: tc.desc}).Eligibility
		if !contains(e.Countries, tc.countries) || !contains(e.Regions, tc.regions) || !contains(e.ExcludedCountries, tc.excluded) || e.Admits("MA") != tc.admitsMA {
			t.Errorf("%q: got %+v, want countries ⊇ %v regions ⊇ %v excluded ⊇ %v admitsMA=%v", tc.desc, e, tc.countries, tc.regions, tc.excluded, tc.admitsMA)
		}
	}
	for _, tc := range []struct {
		desc string
		want []string
	}{
		{"Spanish speakers are strongly encouraged to apply.", []string{}},
		{"L'arabe est un prérequis pour ce poste.", []string{"ar"}},
		{"La maîtrise de l'allemand est nécessaire.", []string{"de"}},
		{"Aptitude à rédiger en anglais.", []string{"en"}},
		{"يجب أن تكون متقنا للغة الفرنسية", []string{"fr"}},
		{"Some Portuguese would be nice.", []string{}},
		{"Bilingual (French/Arabic) is preferred.", []string{}},
		{"Bilingual (French/Arabic) is required.", []string{"fr", "ar"}},
		// Negatives: a bracket of another kind still closes its clause;
		// "needed" denied.
		{"Fluent English (our clients are in Spain) required.", []string{"en"}},
		{"No German needed.", []string{}},
	} {
		o := normalize23(t, Posting{Description: tc.desc})
		if !sameSet(o.Languages, tc.want) {
			t.Errorf("%q: languages %v, want %v", tc.desc, o.Languages, tc.want)
		}
	}
}

// "Open to candidates in X" invites; it does not restrict, so a board's
// regional field stands beside it (only "open only to", "restricted to",
// "only ... located in" win over the field).
func TestOpenToIsNoRestriction(t *testing.T) {
	remote := true
	e := normalize23(t, Posting{Remote: &remote, EligibilityTexts: []string{"EMEA"},
		Description: "This remote role is open to candidates based in Spain."}).Eligibility
	if !slices.Contains(e.Regions, "EMEA") || !e.Admits("MA") {
		t.Errorf("open to candidates in Spain narrowed the EMEA field: %+v", e)
	}
	e = normalize23(t, Posting{Remote: &remote, EligibilityTexts: []string{"EMEA"},
		Description: "This remote role is restricted to candidates based in Spain."}).Eligibility
	if e.Admits("MA") || !slices.Contains(e.Countries, "ES") {
		t.Errorf("restricted to candidates in Spain did not narrow the EMEA field: %+v", e)
	}
}

// A remote job whose scope is in its title or in a labelled line.
func TestTitleAndLabelScope(t *testing.T) {
	for _, tc := range []struct {
		title, desc string
		known       bool
		countries   []string
		regions     []string
	}{
		{"Remote Support Agent (Tunisia)", "Answer tickets.", true, []string{"TN"}, nil},
		{"Backend Engineer (Remote – LATAM)", "Build APIs.", true, nil, []string{"LATAM"}},
		{"Analyst", "Job type: Remote\nCountry: Kenya", true, []string{"KE"}, nil},
		{"Analyst", "Location: Dakar, Senegal (Remote)", true, []string{"SN"}, nil},
		{"Analyst", "Lieu : Tunisie (télétravail)", true, []string{"TN"}, nil},
		{"Analyst", "A work-from-home position for residents of Ghana.", true, []string{"GH"}, nil},
		// Negatives: a title part that is no place, a worldwide word in a
		// title (too often "Global Sales Manager"), an on-site label.
		{"Remote Java Developer (Spring Boot)", "Build services.", false, nil, nil},
		{"Global Sales Manager (Remote)", "Sell.", false, nil, nil},
		{"Analyst", "Job type: On-site\nCountry: Kenya", false, nil, nil},
		{"Remote: Account Executive DACH", "Sell.", false, nil, nil},
	} {
		e := normalize23(t, Posting{Title: tc.title, Description: tc.desc}).Eligibility
		if e.Known != tc.known || !contains(e.Countries, tc.countries) || !contains(e.Regions, tc.regions) {
			t.Errorf("%q / %q: got %+v, want known=%v countries ⊇ %v regions ⊇ %v", tc.title, tc.desc, e, tc.known, tc.countries, tc.regions)
		}
	}
}
