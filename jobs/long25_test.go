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

func TestSeniorityInLongAds(t *testing.T) {
	for desc, want := range map[string]string{
		// A range whose two ends both carry the unit (ReKrute's
		// "Expérience entre 2 ans et 5 ans") counts by its lower end.
		"Niveau d'expérience : Expérience entre 5 ans et 10 ans": "senior",
		"Expérience requise : de 1 an à 3 ans.":                  "junior",
		"Experience: between 3 years and 6 years in analytics.":  "mid",
		"Fondée il y a 12 ans et 20 ans d'histoire, Bac+5.":      "unknown",
		// Years in a role named by several words.
		"2-4 years in a customer-facing data analytics role.":                      "mid",
		"1-2 years in a technical sales or presales position, or a related degree": "junior",
		"We have spent 10 years in a fast-growing retail environment.":             "unknown",
		// An Arabic range of years with no "من".
		"الخبرة سنة إلى سنتين في المحاسبة": "junior",
		"تجربة سنة أو سنتين":               "junior",
		"تأسست الشركة منذ سنة":             "unknown",
		// Past internships in a bracket after "experience".
		"Première expérience (stage ou alternance) en marketing digital. CDI.":      "junior",
		"First experience (an internship or apprenticeship) in finance. Permanent.": "unknown",
	} {
		checkRead(t, desc, Posting{Title: "Analyste", Description: desc}, func(o Offer) string { return o.Seniority }, want)
	}
}

func TestEmploymentInLongAds(t *testing.T) {
	for _, c := range []struct {
		title, desc string
		want        []string
	}{
		// A contract the ad rules out is not the contract.
		{"Data Analyst", "CDI. Tu dois résider en France : pas de freelance ni de portage.", []string{FullTime}},
		{"Backend Engineer", "Permanent, full-time role. No contractors or agencies, please.", []string{FullTime}},
		{"Data Analyst", "Freelance, 3 jours par semaine.", []string{Freelance}},
		// A future hire is not the contract.
		{"Assistant Data", "CDD de 12 mois avec possibilité de CDI.", []string{Contract}},
		{"Data Analyst", "6-month fixed-term contract, with the option to go permanent.", []string{Contract}},
		{"محلل بيانات", "عقد محدد المدة لمدة سنة مع إمكانية الترسيم.", []string{Contract}},
		// Morocco's insertion contracts are fixed-term.
		{"Technicien BI", "Contrat d'insertion (ANAPEC) de 24 mois.", []string{Contract}},
		// A title's fixed-term contract with full time in the text, and a
		// fixed-term contract's weekly hours.
		{"Analyste - CDD 6 mois", "Poste à temps plein, basé à Fès.", []string{FullTime, Contract}},
		{"Agent de saisie", "CDD de 3 mois. Durée du travail : 44 heures par semaine.", []string{FullTime, Contract}},
		{"Agent de saisie", "CDD de 3 mois, 20 heures par semaine.", []string{PartTime, Contract}},
		{"Stagiaire data - 6 mois", "Stage à temps plein.", []string{Internship}},
		// An initial term.
		{"Annotator", "Contract work for an initial 3 months, 30 hours a week.", []string{PartTime, Contract}},
		// Arabic and darija internships.
		{"محلل", "تدريب ديال 6 شهور فالرباط.", []string{Internship}},
		{"محلل", "تدريب مدته 4 أشهر للطلبة.", []string{Internship}},
	} {
		o := normalizeForTest(t, Posting{Title: c.title, Description: c.desc})
		if !sameSet(o.Employment, c.want) {
			t.Errorf("%q / %q: %v, want %v", c.title, c.desc, o.Employment, c.want)
		}
	}
}

func TestSalaryInLongAds(t *testing.T) {
	for _, c := range []struct {
		title, desc string
		loc         []string
		want        *Salary
	}{
		// "a year" after an amount is the period, not one year.
		{"Engineer", "Full-time, €48,000 a year, paid monthly.", nil, &Salary{Min: 48000, Max: 48000, Currency: "EUR", Period: "year"}},
		{"Engineer", "Remote. 120k USD a year plus equity.", nil, &Salary{Min: 120000, Max: 120000, Currency: "USD", Period: "year"}},
		{"Engineer", "Contract, $60 to $75 an hour.", nil, &Salary{Min: 60, Max: 75, Currency: "USD", Period: "hour"}},
		// Ordinals and vouchers are not pay.
		{"Analyste", "Salaire motivant + 14e mois + prime de transport.", []string{"Rabat, Maroc"}, nil},
		{"Analyst", "Competitive pay, a 13th-month bonus and private insurance.", []string{"Casablanca, Morocco"}, nil},
		{"Vendeur", "Avantages : 500 DH de chèques cadeaux par an, mutuelle.", []string{"Fès, Maroc"}, nil},
		{"Barista", "Perks: $150 in gift cards every quarter and free coffee.", []string{"Austin, TX"}, nil},
		{"Analyste", "Salaire : 9 000 DH net par mois + 13e mois.", []string{"Rabat, Maroc"}, &Salary{Min: 9000, Max: 9000, Currency: "MAD", Period: "month"}},
		// An Arabic range joined by ل, and a word starting with من.
		{"محاسب", "الراتب من 9,000 لـ 12,000 جنيه شهريا", nil, &Salary{Min: 9000, Max: 12000, Currency: "EGP", Period: "month"}},
		{"متدرب", "منحة شهرية قدرها 2000 درهم", nil, &Salary{Min: 2000, Max: 2000, Currency: "MAD", Period: "month"}},
		{"محاسب", "الراتب من 7000 درهم شهريا", nil, &Salary{Min: 7000, Currency: "MAD", Period: "month"}},
		// A bare "$" in a Canadian ad is the Canadian dollar; a named US
		// dollar stays.
		{"Analyste", "Télétravail partout en Ontario. Salaire : 70 000 $ à 80 000 $ par année.", nil, &Salary{Min: 70000, Max: 80000, Currency: "CAD", Period: "year"}},
		{"Analyst", "Remote in Canada. Pay: $40 per hour.", nil, &Salary{Min: 40, Max: 40, Currency: "CAD", Period: "hour"}},
		{"Analyst", "Remote in Canada. Pay: US$40 per hour, paid in USD.", nil, &Salary{Min: 40, Max: 40, Currency: "USD", Period: "hour"}},
		{"Analyst", "Remote in the United States or Canada. $90,000 - $100,000 per year.", nil, &Salary{Min: 90000, Max: 100000, Currency: "USD", Period: "year"}},
	} {
		o := normalizeForTest(t, Posting{Title: c.title, Description: c.desc, LocationTexts: c.loc})
		if (o.Salary == nil) != (c.want == nil) || o.Salary != nil && *o.Salary != *c.want {
			t.Errorf("%q: %+v, want %+v", c.desc, o.Salary, c.want)
		}
	}
}

// A long text goes through the requirement phrases only: these must hold
// there too (the padding makes every description long).
const longPad = "\n\nNous sommes une équipe de 60 personnes, fondée en 2015, qui accompagne 300 clients. Nos valeurs : exigence, bienveillance et transparence.\n\nProcessus : un échange RH, un entretien technique, une rencontre avec l'équipe."

func TestEligibilityInLongAds(t *testing.T) {
	for _, c := range []struct {
		desc       string
		loc        []string
		countries  []string
		ma         bool
		utcLo, utc float64
	}{
		// An elided article in a list of countries.
		{"Télétravail possible depuis la Belgique, l'Italie ou l'Allemagne.", nil, []string{"BE", "IT", "DE"}, false, 0, 0},
		{"Poste ouvert aux candidats résidant en France, en Tunisie ou à l'île Maurice, ou l'Algérie.", nil, []string{"FR", "TN", "DZ"}, false, 0, 0},
		// "télétravail complet depuis" in a long text.
		{"Conditions :\n- Télétravail intégral depuis le Sénégal ou le Maroc, avec deux séminaires par an" + longPad, nil, []string{"SN", "MA"}, true, 0, 0},
		// Open to nationals of.
		{"Remote. Open to citizens of Tunisia and Morocco living in their country." + longPad, nil, []string{"TN", "MA"}, true, 0, 0},
		// A place a location text did not give, added by the text.
		{"Remote within the EU. We also consider applicants living in Morocco.", []string{"Remote (EU)"}, []string{"MA"}, true, 0, 0},
		{"Remote in Spain. We are also happy to hire in Portugal.", []string{"Remote - Spain"}, []string{"ES", "PT"}, false, 0, 0},
	} {
		tr := true
		o := normalizeForTest(t, Posting{Title: "Data Analyst", Description: c.desc, Remote: &tr, LocationTexts: c.loc})
		e := o.Eligibility
		for _, cc := range c.countries {
			if !slices.Contains(e.Countries, cc) {
				t.Errorf("%q: %s missing from %v", c.desc, cc, e.Countries)
			}
		}
		if e.Admits("MA") != c.ma {
			t.Errorf("%q: admits Morocco %v, want %v (%+v)", c.desc, e.Admits("MA"), c.ma, e)
		}
	}
	// A window written "entre UTC+0 et UTC+2", "de GMT-1 à GMT+3".
	for desc, want := range map[string][2]float64{
		"100 % à distance. Fuseau horaire : entre UTC+0 et UTC+2.":     {0, 2},
		"Télétravail, horaires de travail de GMT-1 à GMT+3." + longPad: {-1, 3},
	} {
		e := eligibilityOf(t, desc)
		if e.UTCOffsetMin == nil || *e.UTCOffsetMin != want[0] || *e.UTCOffsetMax != want[1] {
			t.Errorf("%q: window %v..%v, want %v", desc, e.UTCOffsetMin, e.UTCOffsetMax, want)
		}
	}
	// "as well as" goes on with a list of excluded places, but not with a
	// clause.
	for desc, want := range map[string][]string{
		"Remote worldwide, except Cuba and Iran, as well as Syria.":                          {"CU", "IR", "SY"},
		"We hire anywhere except sanctioned countries (Cuba, Iran), as well as Russia.":      {"CU", "IR", "RU"},
		"Remote anywhere except Brazil, as well as a few US states where we have no entity.": {"BR"},
	} {
		e := eligibilityOf(t, desc)
		for _, c := range want {
			if !slices.Contains(e.ExcludedCountries, c) {
				t.Errorf("%q: %s not excluded: %v", desc, c, e.ExcludedCountries)
			}
		}
		if slices.Contains(e.ExcludedCountries, "US") {
			t.Errorf("%q: US excluded", desc)
		}
	}
}

func TestWorkplaceAndPlaceInLongAds(t *testing.T) {
	for desc, want := range map[string]Workplace{
		"Informations complémentaires\nTélétravail fréquent autorisé (2 jours par semaine)": Hybrid,
		"Télétravail régulier possible. Lieu : Lyon.":                                       Hybrid,
		"الخدمة فالمكتب ديالنا فمراكش، من الاثنين للجمعة.":                                  Onsite,
		"التدريب في مقر الشركة بالرباط.":                                                    Onsite,
	} {
		checkRead(t, desc, Posting{Title: "Analyste", Description: desc}, func(o Offer) Workplace { return o.Workplace }, want)
	}
	for desc, want := range map[string]string{
		// An elided article before the city.
		"Nos conseillers travaillent à Rabat et Fès. Pour notre agence d'Agadir, nous recrutons un analyste.": "Agadir",
		// A labelled place wins over a team based elsewhere.
		"Tu travailleras avec notre équipe data basée à Lyon.\nLieu : Marseille":                "Marseille",
		"You will work with our design team based in Berlin.\nLocation: Munich, on site.":       "Munich",
		"Our plants in Tangier City and Kenitra employ 9,000 people.\nLocation: Tangier plant.": "Tangier",
		// A board's region field.
		"Région : Fès et région - Maroc": "Fès",
	} {
		o := normalizeForTest(t, Posting{Title: "Analyste", Description: desc})
		ok := false
		for _, l := range o.Locations {
			ok = ok || LocationMatches(l, want)
		}
		if !ok {
			t.Errorf("%q: %v, want %s", desc, o.Locations, want)
		}
	}
}

// A field of work abbreviated after a title's separator is not a country:
// "Data Analyst - BI" is not Burundi, "Engineer / AI" not Anguilla.
func TestTitleJobCodesAreNotPlaces(t *testing.T) {
	tr := true
	for _, title := range []string{"Data Analyst - BI", "Développeur Data / BI (freelance, remote)", "Research Engineer - AI (Remote)", "Designer - UX/UI", "Consultant ERP - RH"} {
		o := normalizeForTest(t, Posting{Title: title, Description: "Fully remote role.", Remote: &tr})
		if len(o.Locations) > 0 || len(o.Eligibility.Countries) > 0 {
			t.Errorf("%q: locations %v, countries %v", title, o.Locations, o.Eligibility.Countries)
		}
	}
	// A real place after the separator still reads.
	o := normalizeForTest(t, Posting{Title: "Data Analyst - Maroc (Remote)", Description: "Fully remote role.", Remote: &tr})
	if !slices.Contains(o.Eligibility.Countries, "MA") {
		t.Errorf("Maroc in a remote title lost: %+v", o.Eligibility)
	}
}

func TestArabicCueWithConjunction(t *testing.T) {
	for desc, want := range map[string][]string{
		"خبرة سنتين وإتقان الفرنسية":                  {"fr"},
		"يشترط الحضور اليومي وإجادة اللغة الإنجليزية": {"en"},
		"وإتقان الإسبانية ميزة إضافية":                nil,
	} {
		got := langsOf(t, desc)
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%q: %v, want %v", desc, got, want)
		}
	}
}

// Gatherings less often than weekly do not split a remote job's week; a
// permanent colleague the job stands in for is not its contract.
func TestRemoteGatheringsAndStandIns(t *testing.T) {
	for desc, want := range map[string]Workplace{
		"Fully remote, but you must live near our Lyon office: we meet in person once a month.": Remote,
		"Télétravail complet ; nous nous retrouvons au bureau de Rabat deux fois par an.":       Remote,
		"Remote, with team days at the Madrid office once a quarter.":                           Remote,
		"Hybrid: in the office twice a week, the rest from home.":                               Hybrid,
		"Remote work once a week, otherwise at our Casablanca office.":                          Hybrid,
	} {
		checkRead(t, desc, Posting{Title: "Analyst", Description: desc}, func(o Offer) Workplace { return o.Workplace }, want)
	}
	for desc, want := range map[string][]string{
		"Fixed-term contract (9 months) while our permanent employee is on maternity leave.":      {Contract},
		"12-month fixed-term contract covering for the permanent postholder who returns in 2027.": {Contract},
		"This is a permanent position, full-time.":                                                {FullTime},
	} {
		o := normalizeForTest(t, Posting{Title: "Analyst", Description: desc})
		if !sameSet(o.Employment, want) {
			t.Errorf("%q: %v, want %v", desc, o.Employment, want)
		}
	}
}

// A title's hours with the text's fixed term.
func TestTitleHoursWithTextTerm(t *testing.T) {
	for _, c := range []struct {
		title, desc string
		want        []string
	}{
		{"Part-time Data Analyst", "Fixed-term contract of 6 months, renewable.", []string{PartTime, Contract}},
		{"Full-Time Support Agent", "CDD de 12 mois, démarrage en janvier.", []string{FullTime, Contract}},
		{"Part-time Tutor", "This is not a contract role: permanent, 20 hours a week.", []string{PartTime}},
		{"Full-time Engineer", "We also work with external agencies on other products.", []string{FullTime}},
	} {
		o := normalizeForTest(t, Posting{Title: c.title, Description: c.desc})
		if !sameSet(o.Employment, c.want) {
			t.Errorf("%q / %q: %v, want %v", c.title, c.desc, o.Employment, c.want)
		}
	}
}
