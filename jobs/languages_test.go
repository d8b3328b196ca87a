package jobs

import (
	"slices"
	"strings"
	"testing"
)

func TestRequiredLanguages(t *testing.T) {
	tests := []struct {
		desc string
		want []string
	}{
		// Requirements on the candidate, English.
		{"Fluent English required.", []string{"en"}},
		// A bracket qualifying the first language of a list (a variety,
		// a level) keeps the list joined; one naming another language or
		// a preference does not.
		{"French (written and spoken) and English are required.", []string{"en", "fr"}},
		{"Arabic (Levantine dialect) and English: mandatory.", []string{"ar", "en"}},
		{"Spanish (B2) or Portuguese required.", nil},
		{"German (a plus) and English are required.", []string{"en"}},
		// Moroccan darija in Latin script: requirement words and "machi"
		// (not).
		{"Lazem tehder l'arabe w l'français.", []string{"ar", "fr"}},
		{"L'anglais machi darouri, walakin l'espagnol khassek t3ref.", []string{"es"}},
		{"You are fluent in French and English.", []string{"en", "fr"}},
		{"Must speak Arabic.", []string{"ar"}},
		{"Native or bilingual French.", []string{"fr"}},
		{"Excellent English and French, written and spoken.", []string{"en", "fr"}},
		{"English and French are required.", []string{"en", "fr"}},
		{"Arabic is mandatory for this role.", []string{"ar"}},
		{"Required: English, Spanish.", []string{"en", "es"}},
		{"Languages: English (C1), German (B2).", []string{"de", "en"}},
		{"Excellent communication skills in English.", []string{"en"}},
		{"Bilingual French/English.", []string{"en", "fr"}},
		// French.
		{"Français courant. Maîtrise de l'anglais.", []string{"en", "fr"}},
		{"Maîtrise du français et de l'anglais exigée.", []string{"en", "fr"}},
		{"Vous parlez couramment l'arabe et le français.", []string{"ar", "fr"}},
		{"Langues : arabe, français.", []string{"ar", "fr"}},
		{"Bon niveau d'anglais.", []string{"en"}},
		{"Anglais courant indispensable.", []string{"en"}},
		{"Langue de travail : anglais.", []string{"en"}},
		{"Profil : 0-2 ans d'expérience, Python, NLP. Arabe et français exigés.", []string{"ar", "fr"}},
		{"Anglais et espagnol courants, allemand obligatoire.", []string{"de", "en", "es"}},
		// German, Arabic.
		{"Sehr gute Deutschkenntnisse und fließend Englisch.", []string{"de", "en"}},
		{"إتقان اللغة الفرنسية", []string{"fr"}},
		// Nice to have is not required.
		{"German required; Arabic is a plus.", []string{"de"}},
		{"German required, Arabic is a plus.", []string{"de"}},
		{"Anglais courant, l'espagnol serait un atout.", []string{"en"}},
		{"Langues : arabe, français, anglais (un plus).", []string{"ar", "fr"}},
		{"Knowledge of Spanish is nice to have.", nil},
		// A choice is not a requirement of either.
		{"Fluent English or French.", nil},
		{"Maîtrise du français ou de l'anglais.", nil},
		// Topics of the work, not requirements.
		{"Evaluate models across languages including Arabic and French.", nil},
		{"You will build NLP pipelines on Arabic text.", nil},
		{"Experience with Arabic and French text is required.", nil},
		{"Polyglot AI builds multilingual customer-support models.", nil},
		{"Fine-tune Arabic language models and French LLMs.", nil},
		{"We sell to English and French companies.", nil},
		{"Support our French customers with data.", nil},
		{"Traitement automatique de textes en arabe et en français.", nil},
		{"Vous développerez des modèles NLP pour le marché arabe.", nil},
		{"Required skills: NLP on Arabic corpora.", nil},
		{"You must polish the dashboards.", nil},
		// Arabic requirement words and colloquial names (Gulf, Levantine,
		// Maghrebi); preferences in Arabic; و opening the next clause.
		{"الإنجليزية مطلوبة للتواصل مع الإدارة.", []string{"en"}},
		{"لازم تحكي انكليزي منيح.", []string{"en"}},
		{"ضروري تتكلم فرنساوي مع الزبناء.", []string{"fr"}},
		{"يلزم التحدث بالانقليزية والفرنسية.", []string{"en", "fr"}},
		{"نبحث عن شخص يتحدث الألمانية بطلاقة.", []string{"de"}},
		{"يستحسن إتقان الإسبانية.", nil},
		{"إتقان العربية أساسي، ويفضل معرفة التركية.", []string{"ar"}},
		{"العربية ضرورية ويحبذ الإلمام بالفرنسية.", []string{"ar"}},
		{"نعمل مع شركاء في السوق الصينية.", nil},
	}
	for _, tt := range tests {
		got := languages(nil, tt.desc)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("languages(%q) = %v, want %v", tt.desc, got, tt.want)
		}
	}
}

func TestLanguageNegation(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Français exigé. L'anglais n'est pas exigé.", []string{"fr"}},
		{"German not required. Fluent English is a must.", []string{"en"}},
		{"Aucune maîtrise de l'arabe n'est demandée, le français courant est obligatoire.", []string{"fr"}},
		{"You don't have to speak Dutch; fluent English required.", []string{"en"}},
		{"Fluent English required and no prior Spanish needed", []string{"en"}},
		{"لا يشترط إتقان اللغة الفرنسية. يجب إتقان اللغة الإنجليزية", []string{"en"}},
		{"إتقان العربية والفرنسية ضروري", []string{"ar", "fr"}},
		{"Our meetings are conducted in English, which you speak fluently.", []string{"en"}},
		{"Italian would be an asset; fluent English is not optional.", []string{"en"}},
	} {
		got := languages(nil, tc.text)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v, want %v", tc.text, got, tc.want)
		}
	}
}

func FuzzLanguages(f *testing.F) {
	for _, s := range []string{"L'anglais n'est pas exigé", "والفرنسية", "English, which you speak", "ẞ not İ English",
		"no, no, no French", "بالإنجليزية لا", "Langues :\n- Anglais : professionnel\n- Arabe : un plus", "Fluência em Alemão",
		"fluent German and English (other languages a plus)", "((French) a strong plus", "Support - Dutch Speaking",
		"bilingue arabe/français)", "Téléconseiller francophone with",
		"لازم تتكلم انقليزي وفرنساوي", "العربية ضرورية ويحبذ الإلمام بالفرنسية", "و", "وو",
		"Arabic (Egyptian dialect) and English", "French ((a) or English ()", "Khassek t3ref l'anglais mzyan, l'français machi darouri",
		"خاصك تكون كتهضر الفرنسية مزيان، والإنجليزية ماشي ضرورية", "Langues : FR / EN (niveau B2 minimum)", "Languages: EN, IT:", "langue: ang: FR"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range languages(nil, s) {
			if len(c) != 2 {
				t.Fatalf("bad code %q", c)
			}
		}
		for _, c := range titleLanguages(s) {
			if len(c) != 2 {
				t.Fatalf("bad title code %q", c)
			}
		}
	})
}

// TestLanguagePreferencesInBrackets: a bracket is its own clause; a
// strengthened "plus" is still a preference; a title naming a spoken
// language asks for it.
func TestLanguagePreferencesInBrackets(t *testing.T) {
	for _, tc := range []struct {
		title, desc string
		want        []string
	}{
		{"Agent", "Requirements: fluent German and English (other languages a plus).", []string{"de", "en"}},
		{"Agent", "Fluent French (Spanish a plus).", []string{"fr"}},
		{"Agent", "Maîtrise de l'allemand (un plus) et de l'anglais exigée.", []string{"en"}},
		{"Agent", "Proficiency in Mandarin is a strong plus.", []string{}},
		{"Support Agent - Dutch Speaking", "", []string{"nl"}},
		{"Conseiller bilingue arabe/français", "", []string{"ar", "fr"}},
		{"Téléconseiller francophone", "", []string{"fr"}},
		{"Arabic NLP Engineer", "", []string{}},
	} {
		o, err := Normalizer{Now: fixedNow}.Normalize(Posting{Title: tc.title, Description: tc.desc})
		if err != nil {
			t.Fatal(err)
		}
		if got := o.Languages; !slices.Equal(got, tc.want) {
			t.Errorf("%q / %q: languages %q, want %q", tc.title, tc.desc, got, tc.want)
		}
	}
}

// TestTitleLanguageCueParts: the quick check of titleLanguages lets
// through every cue word it reads.
func TestTitleLanguageCueParts(t *testing.T) {
	var words []string
	for _, m := range []map[string]bool{titleLanguageAfter, titleLanguageBefore} {
		for w := range m {
			words = append(words, w)
		}
	}
	for w := range titleLanguageWords {
		words = append(words, w)
	}
	for _, w := range words {
		ok := false
		for _, c := range titleLanguageCueParts {
			ok = ok || strings.Contains(w, c)
		}
		if !ok {
			t.Errorf("cue word %q has no part in titleLanguageCueParts", w)
		}
	}
}
