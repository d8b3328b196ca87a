package jobs

import (
	"strings"
	"testing"
)

func TestPlacesAndFeedTitles(t *testing.T) {
	for _, tc := range []struct{ text, city string }{
		{"Poste basé à Oujda, déplacements à Nador.", "Oujda"},
		{"We work from our office in Casablanca.", "Casablanca"},
		{"Lieu de travail : Béni Mellal", "Béni Mellal"},
		{"Contact: rabat@example.org. Nothing else.", ""},
		{"Nice to have: Python.", ""},
		// Arabic glues "in" to the place.
		{"مكتبنا بطنجة قرب الميناء.", "Tanger"},
		{"ستعمل بالدار البيضاء وبفاس حسب المشاريع.", "Casablanca"},
		{"نبحث عن مطور بخبرة سنتين وبمهارات تواصل.", ""},
		// Arabic seat, place or office of work before the city.
		{"مقر العمل: فاس، المغرب", "Fès"},
		{"مكان الوظيفة - الناظور", "Nador"},
		{"مكاتبنا الرئيسية توجد في أكادير.", "Agadir"},
		{"مقر الشركة: القنيطرة", "Kénitra"},
		{"موقع العمل : بني ملال", "Béni Mellal"},
		{"مكتب المحاسبة يطلب تقارير شهرية.", ""},
	} {
		l, ok := placesInText(tc.text)
		if ok != (tc.city != "") || l.City != tc.city {
			t.Errorf("%q: %+v %v, want %q", tc.text, l, ok, tc.city)
		}
	}
	for _, tc := range []struct{ title, company, rest string }{
		{"Acme Labs: Data Engineer", "Acme Labs", "Data Engineer"},
		{"Urgent: Data Engineer", "", ""},
		{"Data Engineer: Streaming", "", ""},
		{"Senior ML: remote", "", ""},
	} {
		c, r, ok := splitFeedTitle(tc.title)
		if ok != (tc.company != "") || c != tc.company || r != tc.rest {
			t.Errorf("%q: %q %q %v", tc.title, c, r, ok)
		}
	}
}

// FuzzProseReaders runs the readers of prose on any text, including text
// that changes length when case-folded or accent-stripped: none may panic
// and each returns a valid value.
func FuzzProseReaders(f *testing.F) {
	for _, s := range []string{
		"Télétravail : Non. Lieu : Agadir", "2 jours sur site, 3 en télétravail", "İİİ Stage de pré-embauche débouchant sur un CDI",
		"ẞ CDI à temps partiel ǅ", "حديث التخرج، العمل عن بعد بدوام جزئي", "Acme: Data Engineer Oujda", "ΣΑΣ field-based Kelvin K",
		"manage a team of 5; at least 7 years", "ﬃ Ⅻ onboarding à distance puis présentiel à Casablanca (quartier Maârif)",
		"Présence au bureau obligatoire du lundi au vendredi", "Relocation support to Rabat. Contract type: labour contract",
		"Expérience : débutant à 2 ans (stage ou alternance inclus)", "junior to mid-level; الحضور إلى المكتب",
		"Chef de projet digital — Type de contrat : Alternance (12 mois)", "Data Entry Clerk (Fresh Graduates Welcome) sortie d'école",
		"خبرة من سنة إلى سنتين", "Marketing Ops Manager; 2 years of professional Go; starting out",
		"Lieu de travail : Tanger (zone franche)", "مكان العمل: الدار البيضاء",
		"Remote (Morocco)\n- Remote –", "طبيعة العمل: من المكتب بوجدة", "الشغل من البيت", "Poste à 80 %, 0.5 FTE, 20-hours-a-week",
		"Job type: Permanent (open-ended contract)", "contrat de travail à durée indéterminée", "ولا يوجد خيار العمل عن بعد",
		"Kheddma mn dar", "ma khassekch experience; bla khibra; ما كنطلبوش الخبرة", "مقر العمل: وجدة، المغرب",
		"Level: Entry", "a decade of", "Chef de projet: vous encadrerez une équipe de 5", "Work location: Remote (Morocco)", "Poste basé à",
		"Stage de 6 mois avec une embauche en CDI à la clé", "Two to four years in a care setting", "12 years within the",
		"Level: Senior (L5)\n  • Grade : confirmé", "x level:", "a mid-level role; un poste de niveau confirmé", "1-2 years with",
		"Warehouse Inventory Clerk", "Caissier(ère) E-commerce", "Shop Assistant Cammeray",
		"Formation initiale de deux semaines à distance, puis poste en agence à Meknès", "training for 2 weeks remote",
		// blind24
		"Vous êtes confirmé(e) sur Power BI", "vous êtes confirmé dans votre poste", "Years of experience: 3-5\n", "3-5 years in HR",
		"Cook – Senior Living Community", "Sales Manager: no direct reports", "قائد فريق المبيعات", "نوع العقد: عقد دائم",
		"Stage pré-embauche de 3 mois", "Mission de 6 mois renouvelable", "Marketing Intern: Part-time internship",
		"Télétravail : Oui, 2 jours par semaine", "Télétravail : 100%", "Remote: 0 %", "This position is WFH", "Remote within Spain",
		"Lkhedma f lbureau, machi remote", "On the road 80% of the time", "Type: Contract (3 months) · Part-time",
		"Where you'll work: from home, anywhere", "Field Service Technician", "مش محتاجين خبرة", "تجربة عامين", "بخبرة 4 سنين",
		"مصمم فريلانسر", "عقد لمدة سنة قابل للتجديد", "Télétravail : oui (", "Remote: yes,",
		"Location: Remote (must overlap 4 hours with CET)", "Lieu : Télétravail, Maroc", "location:", "Location:\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dv := newDescView(s)
		if w := workplaceInText(dv, false); w != workplaceInProse(dv) && w != WorkplaceUnknown {
			t.Fatalf("without moves %q, with %q: a move only adds on site", w, workplaceInProse(dv))
		}
		switch w := workplaceInProse(dv); w {
		case Onsite, Hybrid, Remote, WorkplaceUnknown:
		default:
			t.Fatalf("workplace %q", w)
		}
		emp := employmentIn(Posting{}, s, dv)
		if l := seniorityIn(Posting{}, s, dv, emp); l == "" {
			t.Fatal("empty seniority")
		}
		if l, ok := placesInText(s); ok && l.City == "" {
			t.Fatal("empty city")
		}
		_, _ = cityAtTitleEnd(s)
		_ = placeBoundTitle(s)
		if c, r, ok := splitFeedTitle(s); ok && (c == "" || r == "" || !strings.Contains(s, r)) {
			t.Fatalf("split %q %q", c, r)
		}
		_, _ = arabicYears(s)
		_ = splitWeekIn(newScanText(stripAccents(s)))
		_ = splitWeekInProse(dv)
		_ = spellArabicYears(s)
	})
}

// FuzzNumberWords checks the rewriting of amounts of years in words: it
// never panics, leaves a text without a unit of time as it is, and
// rewriting its own output changes nothing (digits stay digits).
func FuzzNumberWords(f *testing.F) {
	for _, s := range []string{
		"au moins huit années d'expérience", "five+ years", "deux à trois ans", "ten-plus years", "two or more years",
		"dix-huit ans", "twenty-one years", "a couple of years", "douze mois d'expérience", "18 months", "a year",
		"خمس سنوات خبرة", "سنتين", "من ثلاث إلى خمس سنوات", "سنة واحدة", "one-year contract", "- years", "+ ans",
		"a a a a years", "of years", "couple of years", "100 mois", "un an", "an", "years",
		"من سنة إلى سنتين", "من عام - ثلاثة أعوام", "من سنة", "سنة من سنة إلى",
		"a decade", "two decades of", "une décennie", "9 decades", "decade years",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		y := yearsText(s)
		if again := spellYears(y); again != y {
			t.Fatalf("spellYears not idempotent: %q -> %q -> %q", s, y, again)
		}
		low := lowerQuotes(stripAccents(s))
		if !strings.Contains(low, "year") && !strings.Contains(low, "yr") && !strings.Contains(low, "an") &&
			!strings.Contains(low, "jahr") && !strings.Contains(low, "mois") && !strings.Contains(low, "month") &&
			!strings.Contains(low, "monat") && !strings.Contains(low, "decade") && !strings.Contains(low, "decenni") && spellYears(low) != low {
			t.Fatalf("text without a unit changed: %q", s)
		}
		if n, ok := requiredYears(s, true); ok && (n < 0 || n > maxRequiredYears) {
			t.Fatalf("requiredYears(%q) = %d", s, n)
		}
		a := spellArabicYears(s)
		if spellArabicYears(a) != a {
			t.Fatalf("spellArabicYears not idempotent on %q", s)
		}
		if n, ok := arabicYears(s); ok && (n < 0 || n > maxRequiredYears) {
			t.Fatalf("arabicYears(%q) = %d", s, n)
		}
	})
}

func TestSeniorityConventions(t *testing.T) {
	for _, tc := range []struct{ title, desc, want string }{
		{"Product Manager", "", SenioritySenior},
		{"Engineering Manager, Data", "", SeniorityLead},
		{"Staff ML Engineer", "", SenioritySenior},
		{"Lead Generation Specialist", "Entry level.", SeniorityJunior},
		{"Data Analyst", "You will report to a senior analyst. No prior experience required.", SeniorityJunior},
		{"Data Analyst", "You will manage a team of 4 analysts.", SeniorityLead},
		{"Chef de projet data", "", SenioritySenior},
		{"محلل بيانات", "خبرة 3 سنوات على الأقل", SeniorityMid},
	} {
		if got := seniority(Posting{}, tc.title, tc.desc, nil); got != tc.want {
			t.Errorf("%q / %q: %s, want %s", tc.title, tc.desc, got, tc.want)
		}
	}
}

func TestSpellYears(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"au moins huit annees d'experience", "au moins 8 annees d'experience"},
		{"five+ years", "5+ years"},
		{"deux a trois ans", "2-3 ans"},
		{"ten-plus years of experience", "10+ years of experience"},
		{"two or more years", "2+ years"},
		{"dix-huit ans", "18 ans"},
		{"twenty-one years", "21 years"},
		{"a couple of years", "a 2 years"},
		{"douze mois d'experience", "1 ans d'experience"},
		{"at least a year", "at least 1 year"},
		{"5 years", "5 years"},                     // digits are the pattern's
		{"one-year contract", "one-year contract"}, // an adjective, not an amount
		{"we have one team and two offices", "we have one team and two offices"},
		{"analyste", "analyste"},
	} {
		if got := spellYears(tc.in); got != tc.want {
			t.Errorf("spellYears(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want int
	}{{"خمس سنوات خبرة", 5}, {"خبرة سنتين", 2}, {"خبرة سنة واحدة", 1}, {"خبرة من ثلاث إلى خمس سنوات", 3}} {
		if got, ok := arabicYears(tc.in); !ok || got != tc.want {
			t.Errorf("arabicYears(%q) = %d, %v; want %d", tc.in, got, ok, tc.want)
		}
	}
}

// TestNumberWordsLeaveSalary: the words read as years never reach the
// salary reader, and years never become pay.
func TestNumberWordsLeaveSalary(t *testing.T) {
	o, err := Normalizer{Now: fixedNow}.Normalize(Posting{Source: "t", SourceID: "1", Title: "Data Analyst",
		Description: "Salaire : 8 000 DH net par mois. Cinq ans d'expérience, équipe de douze personnes, vingt-cinq jours de congés."})
	if err != nil {
		t.Fatal(err)
	}
	if o.Seniority != SenioritySenior {
		t.Errorf("seniority %q, want senior", o.Seniority)
	}
	if s := o.Salary; s == nil || s.Min != 8000 || s.Max != 8000 || s.Currency != "MAD" || s.Period != "month" {
		t.Errorf("salary %+v, want 8000 MAD a month", o.Salary)
	}
	o, err = Normalizer{Now: fixedNow}.Normalize(Posting{Source: "t", SourceID: "2", Title: "Data Analyst",
		Description: "At least three years of experience with SQL. Team of twelve."})
	if err != nil {
		t.Fatal(err)
	}
	if o.Salary != nil {
		t.Errorf("salary %+v read from years and head count", *o.Salary)
	}
	if o.Seniority != SeniorityMid {
		t.Errorf("seniority %q, want mid", o.Seniority)
	}
}

func TestSplitWeeks(t *testing.T) {
	for _, tc := range []struct {
		desc string
		want Workplace
	}{
		{"Work from our Rabat office three days a week and from home the rest.", Hybrid},
		{"2 jours sur site, 3 en télétravail.", Hybrid},
		{"We are remote-first but in the office on Mondays.", Hybrid},
		{"Onboarding à distance puis présentiel à Casablanca.", Onsite},
		{"60 % à distance et 40 % sur site.", Hybrid},
		{"100% remote, we hire worldwide.", Remote},
		{"Du lundi au vendredi dans nos bureaux de Fès ; pas de télétravail.", Onsite},
		{"يومان في المكتب وثلاثة أيام من المنزل.", Hybrid},
		{"اليوم نبحث عن محلل بيانات في مكتب الرباط.", WorkplaceUnknown},
	} {
		if got := workplaceInProse(newDescView(tc.desc)); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.desc, got, tc.want)
		}
	}
	// A remote board's flag does not outweigh a split week in the text.
	remote := true
	o, err := Normalizer{Now: fixedNow}.Normalize(Posting{Source: "t", SourceID: "3", Title: "ML Engineer", Remote: &remote,
		Description: "Remote-first, but the team meets in our Casablanca office every Tuesday."})
	if err != nil {
		t.Fatal(err)
	}
	if o.Workplace != Hybrid {
		t.Errorf("remote board with a split week: %s, want hybrid", o.Workplace)
	}
}

// TestOfficeOrMove: office presence required or a paid move is on site,
// read after remote and hybrid statements; a title saying remote beats a
// board's "remote: no" unless the text says on site.
func TestOfficeOrMove(t *testing.T) {
	no := false
	for _, c := range []struct {
		title, desc string
		remote      *bool
		want        Workplace
	}{
		{"Data Analyst", "Présence au bureau obligatoire du lundi au vendredi.", nil, Onsite},
		{"Data Analyst", "Office attendance is required; you sit with the ops team.", nil, Onsite},
		{"Data Engineer", "We offer a relocation package to Tangier.", nil, Onsite},
		{"Support Agent", "Work from Home in Portugal. Relocation support to Portugal.", nil, Remote},
		{"Support Agent", "Two days at the office, the rest from home. Relocation assistance provided.", nil, Hybrid},
		{"Support with Dutch - Remote", "Join our client in Bulgaria. Relocation support to Bulgaria.", &no, Remote},
		{"Support with Dutch - Remote", "Onsite in Sofia for the first year.", &no, Onsite},
		{"Remote Sensing Analyst", "Map crops from satellites.", &no, Onsite},
		{"Data Analyst", "Vous travaillerez depuis chez vous, partout au Maroc.", nil, Remote},
		{"Data Analyst", "No relocation needed.", nil, WorkplaceUnknown},
	} {
		p := Posting{Title: c.title, Description: c.desc, Remote: c.remote}
		if got := workplace(p, c.title, newDescView(c.desc)); got != c.want {
			t.Errorf("%q / %q: got %q, want %q", c.title, c.desc, got, c.want)
		}
	}
}
