package jobs

import "testing"

func TestLevelForYears(t *testing.T) {
	tests := []struct {
		years int
		want  string
	}{
		{-1, ""}, {0, SeniorityJunior}, {1, SeniorityJunior}, {2, SeniorityMid}, {4, SeniorityMid},
		{5, SenioritySenior}, {7, SenioritySenior}, {8, SenioritySenior}, {12, SenioritySenior},
		{maxRequiredYears, SenioritySenior}, {maxRequiredYears + 1, ""},
	}
	for _, tt := range tests {
		if got := LevelForYears(tt.years); got != tt.want {
			t.Errorf("LevelForYears(%d) = %q, want %q", tt.years, got, tt.want)
		}
	}
}

func TestRequiredYears(t *testing.T) {
	tests := []struct {
		text  string
		loose bool
		want  int // -1: no requirement
	}{
		// English
		{"You have 3+ years of experience in Python.", false, 3},
		{"5+ years building data pipelines.", false, 5},
		{"Minimum 5 years in a data engineering team.", false, 5},
		{"A minimum of 4 years of professional experience.", false, 4},
		{"At least 7 years of professional experience.", false, 7},
		{"3-5 years of relevant experience with SQL.", false, 3},
		{"2 to 4 years’ experience as a data analyst.", false, 2},
		{"2 years as a machine learning engineer.", false, 2},
		{"3 years in a similar role.", false, 3},
		{"Experience: 3+ years.", false, 3},
		{"Less than 2 years of experience is fine.", false, 0},
		{"0-1 year of experience; new grads welcome.", false, 0},
		{"2+ years with SQL and 5+ years with Python.", false, 5},
		// French
		{"5 ans d'expérience minimum en data.", false, 5},
		{"3-5 ans d'expérience en data engineering.", false, 3},
		{"Au moins 5 ans dans un poste similaire.", false, 5},
		{"Expérience : 0-2 ans.", false, 0},
		{"Expérience exigée : 5 ans minimum en production de modèles.", false, 5},
		{"Vous justifiez d'une expérience professionnelle de 2 ans.", false, 2},
		{"0 à 2 ans d'expérience, débutant accepté.", false, 0},
		{"1 an d’expérience en BI.", false, 1},
		{"Moins de 2 ans d'expérience.", false, 0},
		{"Minimum 3 ans d'expérience sur un poste similaire.", false, 3},
		// German
		{"Mindestens 3 Jahre Berufserfahrung.", false, 3},
		// Level fields and titles: a bare number of years is the requirement.
		{"5 ans et plus", true, 5},
		{"3-5 ans", true, 3},
		{"Ingénieur ML Confirmé (5 ans d'expérience minimum)", true, 5},
		// Not requirements: the company, time, contracts, studies.
		{"Our 10 years of history in fintech.", false, -1},
		{"Company founded 20 years ago, we have grown fast.", false, -1},
		{"Founded 10 years ago, we have grown fast.", false, -1},
		{"Fort de 12 ans d'expérience, notre cabinet accompagne les banques.", false, -1},
		{"Notre expérience de 10 ans dans le conseil.", false, -1},
		{"Depuis plus de 10 ans, nous accompagnons nos clients.", false, -1},
		{"With our 8 years of experience in retail, we know data.", false, -1},
		{"For over 25 years we have built experience in analytics.", false, -1},
		{"Contrat de 2 ans, expérience en Python appréciée.", false, -1},
		{"A 2-year contract with experience of real projects.", false, -1},
		{"Bac+5 en statistique.", false, -1},
		{"Il y a 5 ans, nous avons lancé notre plateforme.", false, -1},
		{"We use Python.", false, -1},
		{"Team of 12 engineers, 3 years old company.", false, -1},
	}
	for _, tt := range tests {
		got, ok := requiredYears(tt.text, tt.loose)
		if !ok {
			got = -1
		}
		if got != tt.want {
			t.Errorf("requiredYears(%q, %v) = %d, want %d", tt.text, tt.loose, got, tt.want)
		}
	}
}

func TestSeniority(t *testing.T) {
	tests := []struct {
		name        string
		title, desc string
		fields      []string
		emp         []string
		want        string
	}{
		// Explicit requirement outranks vague title words.
		{"confirmé with 5 years in title", "Ingénieur Machine Learning Confirmé (5 ans d'expérience minimum)", "", nil, nil, SenioritySenior},
		{"confirmé with years in description", "Data Engineer Confirmé", "Au moins 5 ans d'expérience en Spark.", nil, nil, SenioritySenior},
		{"experienced with 5+ years", "Experienced Data Scientist", "5+ years of experience in ML.", nil, nil, SenioritySenior},
		{"experienced with 2 years", "Experienced Data Analyst", "Minimum 2 years of experience.", nil, nil, SeniorityMid},
		{"confirmé without years", "Ingénieur confirmé", "", nil, nil, SeniorityMid},
		{"expert without years", "Expert Data", "", nil, nil, SenioritySenior},
		{"expérimenté with 0-2 years", "Analyste expérimenté", "Expérience : 0-2 ans.", nil, nil, SeniorityJunior},
		// Explicit senior and lead words.
		{"senior with 3 years", "Senior Data Analyst", "3+ years of experience.", nil, nil, SenioritySenior},
		{"senior field", "Data Engineer", "2 ans d'expérience.", []string{"Senior"}, nil, SenioritySenior},
		{"lead", "Lead Data Scientist", "3 years of experience.", nil, nil, SeniorityLead},
		{"head of", "Head of Data", "", nil, nil, SeniorityLead},
		// Years decide between vague words.
		{"8+ years", "Data Engineer", "8+ years of experience with distributed systems.", nil, nil, SenioritySenior},
		{"3-5 ans", "Data Engineer", "3-5 ans d'expérience en data.", nil, nil, SeniorityMid},
		{"field 5 ans et plus", "Data Engineer", "", []string{"5 ans et plus"}, nil, SenioritySenior},
		{"field bare range", "Data Engineer", "", []string{"3-5"}, nil, SeniorityMid},
		{"junior title and 0-2 ans", "Data Analyst Junior", "0 à 2 ans d'expérience.", nil, nil, SeniorityJunior},
		// Junior ads are not pushed up by years unrelated to requirements.
		{"junior and company history", "Junior Data Analyst", "Our 10 years of history in retail. Company founded 20 years ago.", nil, nil, SeniorityJunior},
		{"junior and fort de", "Data Analyst Junior", "Fort de 12 ans d'expérience, notre cabinet recrute.", nil, nil, SeniorityJunior},
		{"débutant accepté", "Data Analyst", "Débutant accepté, formation assurée.", nil, nil, SeniorityJunior},
		{"première expérience", "Analyste BI", "Une première expérience en BI est un plus.", nil, nil, SeniorityJunior},
		{"no experience required", "Data Labeler", "No experience required.", nil, nil, SeniorityJunior},
		{"première expérience de 2 ans", "Data Analyst", "Première expérience de 2 ans minimum en SQL.", nil, nil, SeniorityMid},
		// Internships and apprenticeships.
		{"stage title", "Stage PFE - Data Science", "1 an d'expérience appréciée.", nil, nil, SeniorityInternship},
		{"apprenticeship contract", "Data Analyst", "3 ans d'expérience.", nil, []string{Apprenticeship}, SeniorityInternship},
		{"early-stage startup", "Data Engineer", "Join an early-stage startup.", nil, nil, SeniorityUnknown},
		// Nothing said.
		{"unknown", "Data Engineer", "We use Python.", nil, nil, SeniorityUnknown},
		{"unknown with company years", "Data Engineer", "Founded 10 years ago, we have grown fast.", nil, nil, SeniorityUnknown},
	}
	for _, tt := range tests {
		if got := seniority(Posting{SeniorityTexts: tt.fields}, tt.title, tt.desc, tt.emp); got != tt.want {
			t.Errorf("%s: seniority(%q, %q, %q) = %q, want %q", tt.name, tt.title, tt.fields, tt.desc, got, tt.want)
		}
	}
}

// FuzzRequirements feeds arbitrary titles, level fields and descriptions
// to the seniority and language readers: they must not panic and must
// return values the Offer type accepts.
func FuzzRequirements(f *testing.F) {
	f.Add("Ingénieur Machine Learning Confirmé (5 ans d'expérience minimum)", "5 ans et plus", "Expérience exigée : 5 ans minimum. Arabe et français exigés.")
	f.Add("Junior Data Analyst", "3-5", "Our 10 years of history. Fluent English or French; German is a plus.")
	f.Add("Stage PFE", "", "Langues : arabe, français, anglais (un plus). Au moins 2 ans. إتقان اللغة الفرنسية")
	f.Add("x", "99+", "minimum 99 years, 1-2-3 ans d'exp., NLP on Arabic text, polish, R+1")
	f.Add("Data Analyst (No Experience Required)", "", "Two years of professional Go; خبرة من سنة إلى سنتين")
	f.Add("Senior Product Operations Manager", "sortie d'école", "Idéal pour démarrer votre carrière. من سنة")
	f.Fuzz(func(t *testing.T, title, field, desc string) {
		l := seniority(Posting{SeniorityTexts: []string{field}}, title, desc, nil)
		switch l {
		case SeniorityInternship, SeniorityJunior, SeniorityMid, SenioritySenior, SeniorityLead, SeniorityUnknown:
		default:
			t.Errorf("seniority = %q", l)
		}
		for _, loose := range []bool{false, true} {
			if y, ok := requiredYears(desc, loose); ok && (y < 0 || y > maxRequiredYears || LevelForYears(y) == "") {
				t.Errorf("requiredYears(%q) = %d", desc, y)
			}
		}
		for _, code := range languages([]string{field}, desc) {
			if len(code) != 2 {
				t.Errorf("language %q", code)
			}
		}
	})
}

// TestYearsOfActivity: an activity after the years is experience asked of
// the candidate, but not the company's own history.
func TestYearsOfActivity(t *testing.T) {
	for s, want := range map[string]string{
		"You have 3 years analysing sales data.":                                            SeniorityMid,
		"Ideally 6+ years modelling credit risk.":                                           SenioritySenior,
		"We have been around for 12 years making sensors for farms. You will write SQL.":    SeniorityUnknown,
		"Our team has spent 8 years helping cooperatives. Junior profiles welcome.":         SeniorityJunior,
		"The contract runs 2 years starting in March.":                                      SeniorityUnknown,
		"Expérience : débutant à 2 ans.":                                                    SeniorityJunior,
		"Vous justifiez d'une première expérience (stage ou alternance inclus) en analyse.": SeniorityJunior,
		"Plus de 8 ans dans le domaine du machine learning.":                                SenioritySenior,
		"Vous cumulez une dizaine d'années en développement logiciel.":                      SenioritySenior,
		"Vous avez 3 ans pour faire vos preuves.":                                           SeniorityUnknown,
		"You have 2 years to complete the certification.":                                   SeniorityUnknown,
		"No previous work experience needed; we train you.":                                 SeniorityJunior,
		"Poste ouvert aux profils sortant d'école.":                                         SeniorityJunior,
		"At least two years of professional TypeScript.":                                    SeniorityMid,
		"Two to four years in a care setting.":                                              SeniorityMid,
		"We have spent 12 years in a competitive environment. You will write SQL.":          SeniorityUnknown,
		"المؤهلات: خبرة من سنة إلى سنتين في المحاسبة.":                                      SeniorityJunior,
	} {
		dv := newDescView(s)
		emp := employmentIn(Posting{}, "Data Analyst", dv)
		if got := seniorityIn(Posting{}, "Data Analyst", dv, emp); got != want {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	}
}

// TestTraineeContractsAndBeginnerTitles: contracts that are all
// internships or apprenticeships outrank the title's level words; a title
// that welcomes beginners is junior; a manager of work with an operations
// word is senior, not lead.
func TestTraineeContractsAndBeginnerTitles(t *testing.T) {
	for _, tc := range []struct{ title, desc, want string }{
		{"Assistant Responsable Achats H/F", "Contrat d'apprentissage de 24 mois.", SeniorityInternship},
		{"Product Manager", "A six-month internship for final-year students.", SeniorityInternship},
		{"Product Manager", "Full-time, permanent. We also run an internship programme every summer.", SenioritySenior},
		{"Head of Data", "CDI, temps plein.", SeniorityLead},
		{"Picker (No Experience Required)", "Day shift.", SeniorityJunior},
		// Moroccan darija, Latin and Arabic script: no experience asked.
		{"Agent call center", "Ma kantalbouch l'experience, ghadi tkoun formation.", SeniorityJunior},
		{"Assistant comptable", "Khibra machi darouri, l'mohim tkoun motivé.", SeniorityJunior},
		{"وكيل مبيعات", "بلا خبرة، التكوين علينا.", SeniorityJunior},
		{"Data Engineer", "Khassek 6 ans d'expérience f Spark; ma khassekch tkoun mdiplomé mn Fransa.", SenioritySenior},
		{"Agent d'accueil - jeunes diplômés bienvenus", "", SeniorityJunior},
		{"Senior Engineer (new grads welcome to apply for our other roles)", "", SenioritySenior},
		{"Growth Operations Manager", "", SenioritySenior},
		{"Operations Manager", "", SeniorityLead},
		{"Associate Product Manager", "", SeniorityJunior},
		{"Junior Account Manager", "", SeniorityJunior},
		{"Machine Learning Engineer", "Level: Senior (L5)", SenioritySenior},
		{"Translator", "English level: Intermediate", SeniorityUnknown},
		{"Technical Writer", "This is a mid-level role.", SeniorityMid},
		{"Technical Writer", "A Senior position on our docs team.", SenioritySenior},
		{"Technical Writer", "You will report to the senior role holder.", SeniorityUnknown},
		{"Analyst", "- 1-2 years with survey data", SeniorityJunior},
		{"Analyst", "Many of our staff stay 10 years with us.", SeniorityUnknown},
		// A level label's bare value; recent graduates in short words.
		{"Data Engineer", "Seniority: Beginner", SeniorityJunior},
		{"Data Analyst", "Niveau : Débutant accepté", SeniorityJunior},
		{"BI Analyst", "Open to freshers and recent grads.", SeniorityJunior},
		{"Data Engineer", "Starter kit: laptop and a budget.", SeniorityUnknown},
		// Decades of experience; decades of the company are not asked.
		{"Data Architect", "Over a decade of experience designing warehouses.", SenioritySenior},
		{"Data Architect", "Plus d'une décennie d'expérience en architecture data.", SenioritySenior},
		{"Data Architect", "Our firm has a decade of experience in retail.", SeniorityUnknown},
		// Arabic experience with a pronoun suffix (Gulf and MSA).
		{"محلل بيانات", "نبحث عن شخص خبرتها لا تقل عن 6 سنوات.", SenioritySenior},
		{"محلل بيانات", "يفضل من لديه خبرات من سنتين إلى 4 سنوات.", SeniorityMid},
		// A manager of work who leads a team of N is a people manager.
		{"Project Manager", "You will lead a team of 4 developers.", SeniorityLead},
		{"Chef de projet BI", "Vous animerez une équipe de 3 consultants.", SeniorityLead},
		{"Product Manager", "You will work with a team of 6 engineers.", SenioritySenior},
	} {
		dv := newDescView(tc.desc)
		emp := employmentIn(Posting{}, tc.title, dv)
		if got := seniorityIn(Posting{}, tc.title, dv, emp); got != tc.want {
			t.Errorf("%q / %q (contracts %v): got %q, want %q", tc.title, tc.desc, emp, got, tc.want)
		}
	}
}
