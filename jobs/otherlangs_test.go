package jobs

import (
	"slices"
	"testing"
)

// Spanish, Portuguese, Italian and German workplace and contract words
// (otherlangs.go), with phrasings the readers' own patterns never saw,
// and words that look alike but state nothing.
func TestWorkplaceInOtherLanguages(t *testing.T) {
	for desc, want := range map[string]Workplace{
		"Modalidad híbrida: 3 días en oficina en Tánger.":            Hybrid,
		"Ofrecemos 2 días de teletrabajo a la semana.":               Hybrid,
		"Regime híbrido, dois dias em casa.":                         Hybrid,
		"Politica de teletrabajo flexible.":                          Hybrid,
		"Zwei Tage Homeoffice pro Woche.":                            Hybrid,
		"Trabajo 100% remoto desde Marruecos.":                       Remote,
		"Puesto en remoto, horario flexible.":                        Remote,
		"Vaga remota: trabalho remoto para toda a Europa.":           Remote,
		"Posizione da remoto, contratto a tempo pieno.":              Remote,
		"Modalidad: remoto.":                                         Remote,
		"Puesto presencial en nuestra oficina de Tetuán.":            Onsite,
		"Lavoro in presenza a Milano.":                               Onsite,
		"Teletrabajo: no. Horario de 9 a 18 h.":                      Onsite,
		"Sin posibilidad de teletrabajo.":                            Onsite,
		"Experiencia con sistemas de control remoto y sensores IoT.": WorkplaceUnknown,
		"Analizarás datos de ventas con SQL y Python.":               WorkplaceUnknown,
		"Hybrid: two days in the office, the rest from home.":        Hybrid, // English, read as before
		"Poste en présentiel à Oujda.":                               Onsite, // French, read as before
	} {
		checkRead(t, desc, Posting{Title: "Analista de datos", Description: desc}, func(o Offer) Workplace { return o.Workplace }, want)
	}
}

func TestEmploymentInOtherLanguages(t *testing.T) {
	for desc, want := range map[string][]string{
		"Vollzeit, unbefristet.":                             {FullTime},
		"Wir bieten eine Festanstellung in Teilzeit (20 h).": {PartTime}, // permanent part time is part time, as "CDI à temps partiel"
		"Befristeter Vertrag über 12 Monate.":                {Contract},
		"Praktikum (6 Monate) im Data-Team.":                 {Internship},
		"Contrato indefinido, jornada completa.":             {FullTime},
		"Media jornada, ideal para estudiantes.":             {PartTime},
		"Contrato temporal de 6 meses.":                      {Contract},
		"Prácticas remuneradas en el equipo de datos.":       {Internship},
		"Contrato sem termo, tempo integral.":                {FullTime},
		"Estágio de verão em ciência de dados.":              {Internship},
		"Contratto a tempo determinato, 12 mesi.":            {Contract},
		"Tirocinio curriculare in data science.":             {Internship},
		"Analizarás datos de ventas con SQL y Python.":       nil,
		"CDI à temps plein.":                                 {FullTime}, // French, read as before
	} {
		got := normalizeForTest(t, Posting{Title: "Data", Description: desc}).Employment
		if !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", desc, got, want)
		}
	}
}

// A language qualifying the content worked on ("textes en arabe",
// "datasets in Darija") is the work's subject, even after a cue such as
// "travailler"; writing or speaking it stays a requirement.
func TestLanguageOfTheContentWorkedOn(t *testing.T) {
	for desc, want := range map[string][]string{
		"Stage pour travailler sur des textes en arabe et en français.":               {},
		"You will work on datasets in Darija and Arabic.":                             {},
		"Travailler sur des enregistrements en darija et en arabe.":                   {},
		"Vous annoterez des documents en arabe et en anglais. Anglais courant exigé.": {"en"},
		"Capacité à travailler en anglais.":                                           {"en"},
		"Communiquer avec nos clients en arabe.":                                      {"ar"},
		"Rédiger des documents en anglais.":                                           {"en"},
		"Writing documents in French for the ministry.":                               {"fr"},
	} {
		got := languages(nil, desc)
		if got == nil {
			got = []string{}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", desc, got, want)
		}
	}
}

// A choice of engagement offered to the candidate adds the contractor's
// kind; the same words in a code of conduct or an equal-opportunity
// footer do not.
func TestChoiceOfEngagement(t *testing.T) {
	for desc, want := range map[string][]string{
		"Full-time employee or long-term contractor, your choice.":             {FullTime, Contract},
		"We hire as employees or contractors, depending on your country.":      {Contract},
		"Hiring as a contractor or employee depending on where you live.":      {Contract},
		"Contract or full-time: tell us what suits you.":                       {FullTime, Contract},
		"Vous pouvez nous rejoindre en tant que salarié ou prestataire.":       {Contract},
		"Salarié ou indépendant, à vous de choisir.":                           {Freelance},
		"Our employees and contractors follow our code of conduct.":            nil,
		"We do not discriminate against applicants, employees or contractors.": nil,
	} {
		got := normalizeForTest(t, Posting{Title: "Data analyst", Description: desc}).Employment
		if !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", desc, got, want)
		}
	}
}
