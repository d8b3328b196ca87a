package jobs

import (
	"slices"
	"testing"
)

// Classes found by heldout25long (long ads written blind by the long13
// helper); each test uses other phrasings than the ads that showed them,
// with distractors that must not be read.

func langsOf(t *testing.T, desc string) []string {
	t.Helper()
	o := normalizeForTest(t, Posting{Title: "Data Analyst", Description: desc})
	return o.Languages
}

func TestLanguagesInLongAds(t *testing.T) {
	for desc, want := range map[string][]string{
		// A bracket that explains why a language is only a plus names it
		// again: the echo is no requirement.
		"German is a bonus (half of our clients are in Germany and speak German).":   nil,
		"L'espagnol serait un plus (nos équipes de Madrid travaillent en espagnol).": nil,
		"English required; Dutch is an asset (our Amsterdam office works in Dutch).": {"en"},
		"الفرنسية ميزة إضافية (نصف عملائنا يتحدثون الفرنسية)، والعربية ضرورية.":      {"ar"},
		"Italian is not required (the team speaks Italian among themselves).":        nil,
		"Arabe exigé (vous travaillerez en arabe avec nos clients du Golfe).":        {"ar"},
		"Bonne maîtrise de l'arabe dialectal (darija) et du français.":               {"ar", "fr"},
		// A level word right after the language.
		"Maîtrise du français (réunions quotidiennes avec le client) et anglais technique.": {"en", "fr"},
		"Compétences : SQL, Python, espagnol professionnel.":                                {"es"},
		"Anglais technique apprécié.":                                                       nil,
		// Written and spoken after a comma.
		"Français et anglais, à l'oral comme à l'écrit.":          {"en", "fr"},
		"German and English, both written and spoken.":            {"de", "en"},
		"العربية والإنجليزية، كتابة وتحدثا.":                      {"ar", "en"},
		"Spanish and Portuguese, a plus for our LATAM customers.": nil,
		// Writing in a language, being at ease in it, its level in Arabic.
		"You are comfortable presenting results in English to executives.": {"en"},
		"Experience writing technical documentation in German.":            {"de"},
		"Capacités rédactionnelles en français exigées.":                   {"fr"},
		"مستوى ممتاز في اللغة الفرنسية":                                    {"fr"},
		"مستوى جيد في الإنجليزية يعتبر ميزة إضافية":                        nil,
		"Experience writing Arabic NLP models.":                            nil,
		// ل before the article: "للعربية".
		"إتقان تام للعربية والفرنسية.":   {"ar", "fr"},
		"يشترط الإتقان الجيد للإنجليزية": {"en"},
		"معرفة للإسبانية تعتبر ميزة":     nil,
	} {
		got := langsOf(t, desc)
		w := slices.Clone(want)
		slices.Sort(w)
		if !slices.Equal(got, w) && !(len(got) == 0 && len(w) == 0) {
			t.Errorf("%q: %v, want %v", desc, got, w)
		}
	}
}

func eligibilityOf(t *testing.T, desc string) Eligibility {
	t.Helper()
	tr := true
	o := normalizeForTest(t, Posting{Title: "Data Engineer", Description: desc, Remote: &tr})
	return o.Eligibility
}

// Refusing everyone outside a place restricts the job to it; it never
// excludes the place (that read the job as open everywhere else).
func TestDenialOfOutsideRestricts(t *testing.T) {
	for desc, want := range map[string]string{
		"Fully remote. We are unable to consider candidates outside of Canada.":                       "CA",
		"This role is remote, but we cannot hire people from outside the United Kingdom.":             "GB",
		"Poste en télétravail. Nous ne pouvons pas embaucher hors de France.":                         "FR",
		"Télétravail complet ; les candidatures venant de l'extérieur ne seront pas retenues. Maroc.": "",
		"العمل عن بعد، ولا يمكن قبول المترشحين من خارج المغرب.":                                       "MA",
		"الوظيفة عن بعد ولن يتم النظر في الطلبات من خارج السعودية.":                                   "SA",
	} {
		e := eligibilityOf(t, desc)
		if want == "" {
			continue
		}
		if !slices.Equal(e.Countries, []string{want}) || e.Worldwide || len(e.ExcludedCountries) > 0 {
			t.Errorf("%q: countries %v excluded %v worldwide %v, want only %s", desc, e.Countries, e.ExcludedCountries, e.Worldwide, want)
		}
	}
	// "outside" without a refusal stays an exclusion or nothing.
	for _, desc := range []string{
		"Remote worldwide, except outside of the EU working hours.",
		"We hire worldwide; candidates from outside Europe are welcome too.",
		"نوظف عن بعد من داخل المغرب وخارجه، من أي مكان في العالم.",
	} {
		if e := eligibilityOf(t, desc); len(e.Countries) == 1 && !e.Worldwide {
			t.Errorf("%q: read as restricted to %v", desc, e.Countries)
		}
	}
	// Morocco outside the place: not admitted.
	if e := eligibilityOf(t, "Remote. We cannot accept applications from outside the EU."); e.Admits("MA") {
		t.Errorf("EU-only remote admits Morocco: %+v", e)
	}
}

func TestWorldwideOfYourChoiceAndWorkWithExclusions(t *testing.T) {
	for desc, want := range map[string][]string{
		"Work from the country of your choice. We cannot work with freelancers based in Belarus.":                           {"BY"},
		"Télétravail depuis le pays de ton choix, sauf la Russie.":                                                          {"RU"},
		"Tu travailles depuis le pays de votre choix ; nous ne pouvons pas collaborer avec des personnes résidant en Iran.": {"IR"},
		"العمل عن بعد من أي بلد تختاره.":                                                                                    nil,
	} {
		e := eligibilityOf(t, desc)
		if !e.Worldwide {
			t.Errorf("%q: not worldwide: %+v", desc, e)
		}
		for _, c := range want {
			if !slices.Contains(e.ExcludedCountries, c) || e.Admits(c) {
				t.Errorf("%q: %s not excluded: %+v", desc, c, e)
			}
		}
	}
	// A choice that is not of a country is no worldwide statement.
	if e := eligibilityOf(t, "Remote within Germany; laptop of your choice."); e.Worldwide {
		t.Errorf("laptop of your choice read as worldwide")
	}
}

func TestArabicRemoteFromPlaces(t *testing.T) {
	for desc, want := range map[string][]string{
		"الوظيفة متاحة عن بعد من تونس أو الجزائر فقط.":        {"TN", "DZ"},
		"العمل عن بعد بالكامل من مصر أو الأردن أو لبنان.":     {"EG", "JO", "LB"},
		"نعمل عن بعد من المغرب، ونلتقي مرة في السنة بالرباط.": {"MA"},
	} {
		e := eligibilityOf(t, desc)
		for _, c := range want {
			if !slices.Contains(e.Countries, c) {
				t.Errorf("%q: %s missing: %v", desc, c, e.Countries)
			}
		}
		if e.Worldwide {
			t.Errorf("%q: read as worldwide", desc)
		}
	}
	// "عن بعد" followed by something other than من and a place.
	if e := eligibilityOf(t, "العمل عن بعد بالكامل، مفتوح للمرشحين من دول المغرب العربي."); !e.Admits("MA") {
		t.Errorf("Maghreb lost after عن بعد بالكامل: %+v", e)
	}
	if e := eligibilityOf(t, "نعمل عن بعد من خلال أدوات حديثة."); len(e.Countries) > 0 {
		t.Errorf("من خلال read as a place: %v", e.Countries)
	}
}
