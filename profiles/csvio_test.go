package profiles

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// importCSVAll imports s and returns the profiles and the report.
func importCSVAll(t testing.TB, s string) ([]Profile, ImportReport) {
	t.Helper()
	var out []Profile
	rep, err := ImportCSV(strings.NewReader(s), 3, func(ps []Profile) error {
		out = append(out, ps...)
		return nil
	})
	if err != nil {
		t.Fatalf("ImportCSV: %v", err)
	}
	if rep.Imported != len(out) {
		t.Fatalf("report says %d imported, callback got %d", rep.Imported, len(out))
	}
	return out, rep
}

func errorsOf(rep ImportReport) []string {
	var out []string
	for _, le := range rep.Errors {
		out = append(out, le.Error())
	}
	return out
}

func TestCSVColumnsTableIsConsistent(t *testing.T) {
	for _, c := range CSVColumns {
		if c.Values == "" {
			t.Errorf("%s: no Values for the README", c.Field)
		}
		if len(c.Headers) > 0 {
			for _, l := range []string{"fr", "en", "ar"} {
				if c.Headers[l] == "" {
					t.Errorf("%s: no %s header", c.Field, l)
				}
			}
		}
		for _, h := range append(slices.Collect(mapValues(c.Headers)), c.Aliases...) {
			if i, ok := csvHeaderIndex[headerKey(h)]; !ok || CSVColumns[i].Field != c.Field {
				t.Errorf("header %q does not map to %s", h, c.Field)
			}
		}
	}
}

func mapValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

func TestImportCSVHeaderVariants(t *testing.T) {
	cases := []struct {
		header, row string
		check       func(p Profile) bool
	}{
		{"E-mail", "a@example.org", func(p Profile) bool { return p.Email == "a@example.org" }},
		{"email", "a@example.org", func(p Profile) bool { return p.Email == "a@example.org" }},
		{"  COURRIEL ", "a@example.org", func(p Profile) bool { return p.Email == "a@example.org" }},
		{"Adresse e-mail", "a@example.org", func(p Profile) bool { return p.Email == "a@example.org" }},
		{"Adresse électronique", "a@example.org", func(p Profile) bool { return p.Email == "a@example.org" }},
		{"E-mail (obligatoire) *", "a@example.org", func(p Profile) bool { return p.Email == "a@example.org" }},
		{"Identifiant", "g-1", func(p Profile) bool { return p.ID == "g-1" }},
		{"ID", "g-1", func(p Profile) bool { return p.ID == "g-1" }},
		{"Email;Nom", "a@example.org;Benali", func(p Profile) bool { return p.Name == "Benali" }},
		{"Email;Prénom;Nom", "a@example.org;Salma;Benali", func(p Profile) bool { return p.Name == "Salma Benali" }},
		{"Email;PRENOM;NOM DE FAMILLE", "a@example.org;Salma;Benali", func(p Profile) bool { return p.Name == "Salma Benali" }},
		{"Email;First name;Last name", "a@example.org;Salma;Benali", func(p Profile) bool { return p.Name == "Salma Benali" }},
		{"Email;Nom complet", "a@example.org;Salma Benali", func(p Profile) bool { return p.Name == "Salma Benali" }},
		{"Email;Full name", "a@example.org;Salma Benali", func(p Profile) bool { return p.Name == "Salma Benali" }},
		{"Email;Ville;Pays", "a@example.org;Oujda;Maroc", func(p Profile) bool { return p.City == "Oujda" && p.Country == "MA" }},
		{"Email;City;Country", "a@example.org;Madrid;Spain", func(p Profile) bool { return p.City == "Madrid" && p.Country == "ES" }},
		{"Email;Pays", "a@example.org;المغرب", func(p Profile) bool { return p.Country == "MA" }},
		{"Email;Pays", "a@example.org;ma", func(p Profile) bool { return p.Country == "MA" }},
		{"Email;Promotion", "a@example.org;LP ID 2025", func(p Profile) bool { return p.Cohort == "LP ID 2025" }},
		{"Email;Cohorte", "a@example.org;LP ID 2025", func(p Profile) bool { return p.Cohort == "LP ID 2025" }},
		{"Email;Cohort", "a@example.org;LP ID 2025", func(p Profile) bool { return p.Cohort == "LP ID 2025" }},
		{"Email;Année de diplôme", "a@example.org;2025", func(p Profile) bool { return p.GraduationYear == 2025 }},
		{"Email;Annee de diplomation", "a@example.org;2024", func(p Profile) bool { return p.GraduationYear == 2024 }},
		{"Email;Graduation year", "a@example.org;30/06/2026", func(p Profile) bool { return p.GraduationYear == 2026 }},
		{"Email;Langues", "a@example.org;Français, Arabe, English", func(p Profile) bool { return slices.Equal(p.Languages, []string{"fr", "ar", "en"}) }},
		{"Email;Compétences", "a@example.org;\"Python; SQL\"", func(p Profile) bool { return slices.Equal(p.Skills, []string{"Python", "SQL"}) }},
		{"Email;Skills", "a@example.org;Python", func(p Profile) bool { return slices.Equal(p.Skills, []string{"Python"}) }},
		{"Email;Disponibilité", "a@example.org;Immédiate", func(p Profile) bool { return p.Availability == AvailabilityImmediate }},
		{"Email;Availability", "a@example.org;2026-09-01", func(p Profile) bool { return p.Availability == "2026-09-01" }},
		{"Email;Titre", "a@example.org;Data analyst", func(p Profile) bool { return p.Headline == "Data analyst" }},
		{"Email;Headline", "a@example.org;Data analyst", func(p Profile) bool { return p.Headline == "Data analyst" }},
		{"Email;Postes recherchés", "a@example.org;Stage, Junior", func(p Profile) bool {
			return slices.Equal(p.Seeking.Seniority, []string{"internship", "junior"})
		}},
		{"Email;Niveau recherché", "a@example.org;confirmé", func(p Profile) bool { return slices.Equal(p.Seeking.Seniority, []string{"mid"}) }},
		{"Email;Type de contrat", "a@example.org;CDI / CDD / Alternance", func(p Profile) bool {
			return slices.Equal(p.Seeking.Employment, []string{"full_time", "contract", "apprenticeship"})
		}},
		{"Email;Télétravail", "a@example.org;Oui", func(p Profile) bool { return slices.Equal(p.Seeking.Workplace, []string{"remote"}) }},
		{"Email;Mode de travail", "a@example.org;hybride, sur site", func(p Profile) bool {
			return slices.Equal(p.Seeking.Workplace, []string{"hybrid", "onsite"})
		}},
		{"Email;Villes souhaitées", "a@example.org;Oujda, Maroc", func(p Profile) bool {
			return slices.Equal(p.Seeking.Locations, []string{"Oujda", "MA"})
		}},
		{"Email;Consentement alertes;Consentement recherche;Consentement recruteurs", "a@example.org;oui;X;0", func(p Profile) bool {
			return p.Consent.Alerts && p.Consent.Searchable && !p.Consent.Recruiters
		}},
		{"Email;Consent to alerts;Visible;Consent to recruiters", "a@example.org;yes;VRAI;no", func(p Profile) bool {
			return p.Consent.Alerts && p.Consent.Searchable && !p.Consent.Recruiters
		}},
		{"Email;Fréquence des alertes", "a@example.org;hebdomadaire", func(p Profile) bool { return p.Alerts.Frequency == FrequencyWeekly }},
		{"Email;Langue de contact", "a@example.org;Arabe", func(p Profile) bool { return p.Locale == "ar" }},
		{"البريد الإلكتروني;الاسم الكامل;المدينة", "a@example.org;سلمى بنعلي;وجدة", func(p Profile) bool {
			return p.Name == "سلمى بنعلي" && p.City == "وجدة"
		}},
	}
	for _, c := range cases {
		t.Run(c.header+"="+c.row, func(t *testing.T) {
			ps, rep := importCSVAll(t, c.header+"\n"+c.row+"\n")
			if len(ps) != 1 || rep.Rejected != 0 {
				t.Fatalf("imported %d, rejected %v", len(ps), errorsOf(rep))
			}
			if !c.check(ps[0]) {
				t.Errorf("got %+v", ps[0])
			}
			if len(rep.CSV.Ignored) != 0 {
				t.Errorf("ignored columns %q", rep.CSV.Ignored)
			}
		})
	}
}

func TestImportCSVUnknownAndDuplicateColumnsReportedOnce(t *testing.T) {
	in := "Email;Filière;Courriel;Note\na@example.org;IA;b@example.org;12\nc@example.org;IA;d@example.org;14\n"
	ps, rep := importCSVAll(t, in)
	if len(ps) != 2 || ps[0].Email != "a@example.org" {
		t.Fatalf("got %+v", ps)
	}
	want := []string{
		`column 2 "Filière": not a known column`,
		`column 3 "Courriel": same data as column 1 "Email", only the first is read`,
		`column 4 "Note": not a known column`,
	}
	if !slices.Equal(rep.CSV.Ignored, want) {
		t.Errorf("Ignored = %q\nwant %q", rep.CSV.Ignored, want)
	}
}

// Columns whose usual content is not what their name suggests are not read.
func TestImportCSVAmbiguousHeadersIgnored(t *testing.T) {
	ps, rep := importCSVAll(t, "Email;Niveau;Mobilité;Alertes\r\na@example.org;Master;oui;oui\r\n")
	if len(ps) != 1 || len(rep.CSV.Ignored) != 3 || len(ps[0].Seeking.Seniority)+len(ps[0].Seeking.Locations) != 0 {
		t.Errorf("imported %+v, ignored %q", ps, rep.CSV.Ignored)
	}
}

func TestImportCSVDelimiters(t *testing.T) {
	for name, in := range map[string]string{
		"semicolon": "Email;Compétences;Ville\na@example.org;\"Python, SQL\";Oujda\n",
		"comma":     "Email,Compétences,Ville\na@example.org,\"Python; SQL\",Oujda\n",
		"tab":       "Email\tCompétences\tVille\na@example.org\tPython, SQL\tOujda\n",
		"sep line":  "sep=,\r\nEmail,Compétences,Ville\r\na@example.org,\"Python;SQL\",Oujda\r\n",
		"CR only":   "Email;Compétences;Ville\ra@example.org;Python, SQL;Oujda\r",
		"no EOL":    "Email;Compétences;Ville\r\na@example.org;Python, SQL;Oujda",
		"title row": "Liste des lauréats 2025;;\r\n;;\r\nEmail;Compétences;Ville\r\na@example.org;Python, SQL;Oujda\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			ps, rep := importCSVAll(t, in)
			if len(ps) != 1 || rep.Rejected != 0 {
				t.Fatalf("imported %+v, errors %v", ps, errorsOf(rep))
			}
			p := ps[0]
			if p.Email != "a@example.org" || p.City != "Oujda" || !slices.Equal(p.Skills, []string{"Python", "SQL"}) {
				t.Errorf("got %+v", p)
			}
		})
	}
}

func TestImportCSVEncodings(t *testing.T) {
	const header = "Email;Prénom;Ville\r\n"
	const row = "h@example.org;Hélène;Fès\r\n"
	utf16of := func(s string, bom, big bool) string {
		var b bytes.Buffer
		if bom {
			b.Write([]byte{0xFF, 0xFE})
		}
		for _, u := range utf16.Encode([]rune(s)) {
			if big {
				b.WriteByte(byte(u >> 8))
				b.WriteByte(byte(u))
			} else {
				b.WriteByte(byte(u))
				b.WriteByte(byte(u >> 8))
			}
		}
		return b.String()
	}
	utf16le := func(s string) string { return utf16of(s, true, false) }
	cases := []struct {
		name, in, encoding string
	}{
		{"UTF-8 with BOM", "\ufeff" + header + row, "UTF-8 with BOM"},
		{"UTF-8", header + row, "UTF-8"},
		// "Hélène" and "Fès" as French Excel's "CSV (séparateur: point-virgule)" writes them.
		{"Windows-1252", "Email;Pr\xe9nom;Ville\r\nh@example.org;H\xe9l\xe8ne;F\xe8s\r\n", "Windows-1252"},
		{"UTF-8 header, Windows-1252 row", header + "h@example.org;H\xe9l\xe8ne;F\xe8s\r\n", "Windows-1252"},
		{"UTF-16", utf16le(strings.ReplaceAll(header+row, ";", "\t")), "UTF-16"},
		// Without a BOM (conversions and some tools drop it): told by its
		// NUL bytes.
		{"UTF-16LE without BOM", utf16of(strings.ReplaceAll(header+row, ";", "\t"), false, false), "UTF-16"},
		{"UTF-16BE without BOM", utf16of(header+row, false, true), "UTF-16"},
		{"UTF-16LE without BOM, Arabic header", utf16of("البريد;Prénom;Ville\r\nh@example.org;Hélène;Fès\r\n", false, false), "UTF-16"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps, rep := importCSVAll(t, c.in)
			if len(ps) != 1 {
				t.Fatalf("imported %d: %v", len(ps), errorsOf(rep))
			}
			if ps[0].Name != "Hélène" || ps[0].City != "Fès" {
				t.Errorf("name %q city %q", ps[0].Name, ps[0].City)
			}
			if rep.CSV.Encoding != c.encoding {
				t.Errorf("encoding %q, want %q", rep.CSV.Encoding, c.encoding)
			}
		})
	}
	// A Windows-1252 byte far into a large file, after buffers were filled.
	var b strings.Builder
	b.WriteString(header)
	for i := range 5000 {
		fmt.Fprintf(&b, "u%d@example.org;Ali;Oujda\r\n", i)
	}
	b.WriteString("z@example.org;\x80uro;Na\xefve\r\n")
	ps, rep := importCSVAll(t, b.String())
	if last := ps[len(ps)-1]; last.Name != "€uro" || last.City != "Naïve" || rep.CSV.Encoding != "Windows-1252" {
		t.Errorf("last = %q %q, encoding %q", last.Name, last.City, rep.CSV.Encoding)
	}
}

func TestParseDate(t *testing.T) {
	cases := map[string]string{
		"01/09/2026":          "2026-09-01",
		"1/9/2026":            "2026-09-01",
		"01-09-2026":          "2026-09-01",
		"01.09.2026":          "2026-09-01",
		"2026-09-01":          "2026-09-01",
		"2026/09/01":          "2026-09-01",
		"2026-09-01 00:00:00": "2026-09-01",
		"01/09/2026 00:00":    "2026-09-01",
		"2026-09-01T08:00:00": "2026-09-01",
		"01/09/26":            "2026-09-01",
		"01/09/99":            "1999-09-01",
		"09/13/2026":          "2026-09-13", // month/day when the day cannot come first
		"46023":               "2026-01-01", // Excel serial
		"46023,5":             "2026-01-01",
		"46266.25":            "2026-09-01",
		"31/02/2026":          "",
		"13/13/2026":          "",
		"septembre 2026":      "",
		"2026":                "1905-07-18", // a serial number: parseYear reads years first
		"0":                   "",
		"1":                   "1900-01-01",
		"59":                  "1900-02-28",
		"60":                  "",
		"61":                  "1900-03-01",
		"2958465":             "9999-12-31",
		"2958466":             "",
		"-5":                  "",
		"NaN":                 "",
		"Inf":                 "",
		"1/2":                 "",
	}
	for in, want := range cases {
		d, ok := parseDate(in)
		got := ""
		if ok {
			got = d.Format(dateLayout)
		}
		if got != want {
			t.Errorf("parseDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitList(t *testing.T) {
	cases := map[string][]string{
		"":                 nil,
		"Python":           {"Python"},
		"Python, SQL":      {"Python", "SQL"},
		"Python; SQL":      {"Python", "SQL"},
		"Python;SQL,R":     {"Python", "SQL", "R"},
		"Python\nSQL\r\nR": {"Python", "SQL", "R"},
		"Python / SQL":     {"Python", "SQL"},
		"CI/CD, TCP/IP":    {"CI/CD", "TCP/IP"},
		"Python | SQL":     {"Python", "SQL"},
		"بايثون، تعلم الآلة؛ SQL":    {"بايثون", "تعلم الآلة", "SQL"},
		" , ;; Python ,, ":           {"Python"},
		"C++, C#, Node.js, Power BI": {"C++", "C#", "Node.js", "Power BI"},
	}
	for in, want := range cases {
		if got := splitList(in); !slices.Equal(got, want) {
			t.Errorf("splitList(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestImportCSVErrorsNameLineAndColumn(t *testing.T) {
	in := "Identifiant;Nom complet;Adresse e-mail;Pays;Année de diplôme;Disponibilité;Type de contrat;Consentement alertes\r\n" +
		"g-1;Salma;salma@example.org;MA;2025;immédiate;CDI;oui\r\n" + // line 2 ok
		"g-2;Karim;karim(at)example.org;MA;2025;;;\r\n" + // 3
		"g-3;Nadia;nadia@example.org;Marroc;2025;;;\r\n" + // 4
		"g-4;Imane;imane@example.org;MA;deux mille;;;\r\n" + // 5
		"g-5;Omar;omar@example.org;MA;2025;le mois prochain;;\r\n" + // 6
		"g-6;Aya;aya@example.org;MA;2025;;CDI, permanent, stage rémunéré;\r\n" + // 7
		"g-7;Ali;ali@example.org;MA;2025;;;peut-être\r\n" + // 8
		"g 8;Sara;sara@example.org;MA;2025;;;\r\n" + // 9
		";Rachid;;MA;2025;;;\r\n" + // 10
		"g-1;Salma bis;salma2@example.org;MA;2025;;;\r\n" + // 11
		"g-9;Hamza;hamza@example.org;MA;2025;;;;en trop\r\n" + // 12
		"\"g-10\";\"Multi\nligne\";\"m@example.org\";MA;2025;;;\r\n" + // 13 (two physical lines)
		"g-11;Yassine;yassine@example.org;MA;2025;31/02/2026;;\r\n" // 14
	ps, rep := importCSVAll(t, in)
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	if !slices.Equal(ids, []string{"g-1", "g-10"}) {
		t.Errorf("imported %q", ids)
	}
	want := []string{
		`line 3, column "Adresse e-mail": "karim(at)example.org" is not a valid e-mail address`,
		`line 4, column "Pays": "Marroc" is not a country name we know; write its two-letter ISO code, such as MA for Morocco`,
		`line 5, column "Année de diplôme": "deux mille" is not a year; write it with four digits, such as 2025`,
		`line 6, column "Disponibilité": "le mois prochain" is not a date; write it as 01/09/2026 (day/month/year) or 2026-09-01, or write immédiate`,
		`line 7, column "Type de contrat": "stage rémunéré" is not understood; write one or more of temps plein, temps partiel, CDD, freelance, stage, alternance, intérim`,
		`line 8, column "Consentement alertes": "peut-être" is not understood; write oui or non (yes/no, 1/0, x or empty)`,
		`line 9, column "Identifiant": "g 8": an id must be at most 128 characters without spaces, '.', '/', '*' or '>'`,
		`line 10, column "Adresse e-mail": is empty: every row needs an e-mail address (or an id)`,
		`line 11, column "Identifiant": "g-1" already appears on line 2`,
		`line 12: the row has 9 cells but the header only 8 columns (a ";" inside a cell without quotes?)`,
		`line 14, column "Disponibilité": "31/02/2026" is not a date; write it as 01/09/2026 (day/month/year) or 2026-09-01, or write immédiate`,
	}
	if got := errorsOf(rep); !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.Rejected != len(want) {
		t.Errorf("Rejected = %d", rep.Rejected)
	}
	for _, le := range rep.Errors {
		if !errors.Is(le, ErrInvalid) {
			t.Errorf("%v does not wrap ErrInvalid", le)
		}
	}
	if rep.Errors[0].Field != "email" || rep.Errors[0].Column != "Adresse e-mail" {
		t.Errorf("first error field %q column %q", rep.Errors[0].Field, rep.Errors[0].Column)
	}
	var ie *ImportError
	if !errors.As(rep.Err(), &ie) || ie.Rejected != len(want) {
		t.Errorf("rep.Err() = %v", rep.Err())
	}
}

// A workbook or a document given instead of CSV is named as such, with
// how to save it as CSV, in the officer's language; nothing is imported.
func TestImportCSVNotText(t *testing.T) {
	for name, c := range map[string]struct{ in, kind string }{
		"xls": {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", ".xls"},
		"pdf": {"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"},
	} {
		t.Run(name, func(t *testing.T) {
			called := false
			rep, err := ImportCSV(strings.NewReader(c.in), 10, func([]Profile) error { called = true; return nil })
			var nc *NotCSVError
			if !errors.As(err, &nc) || !errors.Is(err, ErrCSVHeader) || called || rep.Imported != 0 {
				t.Fatalf("err %v, called %v, rep %+v", err, called, rep)
			}
			if nc.Kind != c.kind {
				t.Errorf("kind %q, want %q", nc.Kind, c.kind)
			}
			for lang, want := range map[string]string{"fr": "Enregistrer sous", "en": "Save As", "ar": "حفظ باسم"} {
				if m := nc.Localized(lang); !strings.Contains(m, want) || !strings.Contains(m, c.kind) {
					t.Errorf("%s: %q", lang, m)
				}
			}
		})
	}
	// Text that merely starts like one is still CSV.
	ps, rep := importCSVAll(t, "Email;PK\r\nh@example.org;x\r\n")
	if len(ps) != 1 {
		t.Errorf("imported %d: %v", len(ps), errorsOf(rep))
	}
}

func TestImportCSVHeaderErrors(t *testing.T) {
	for name, in := range map[string]string{
		"empty":       "",
		"blank rows":  "\r\n;;\r\n",
		"no id/email": "Nom;Ville;Pays\r\nSalma;Oujda;MA\r\n",
		"data only":   "salma@example.org;Oujda;MA\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			called := false
			rep, err := ImportCSV(strings.NewReader(in), 10, func([]Profile) error { called = true; return nil })
			if !errors.Is(err, ErrCSVHeader) || called || rep.Imported != 0 {
				t.Fatalf("err %v, called %v, rep %+v", err, called, rep)
			}
			if name == "no id/email" && !strings.Contains(err.Error(), `(first row: "Nom", "Ville", "Pays"); an e-mail column may be called "E-mail", "Email", "Courriel"`) {
				t.Errorf("message: %v", err)
			}
		})
	}
}

func TestImportCSVDerivedID(t *testing.T) {
	ps, _ := importCSVAll(t, "Courriel;Nom\r\n Salma@Example.org ;Salma\r\n")
	if want := IDFromEmail("salma@example.org"); ps[0].ID != want || !strings.HasPrefix(want, "e-") || len(want) != 34 {
		t.Errorf("id %q, want %q", ps[0].ID, want)
	}
	if IDFromEmail("a@example.org") == IDFromEmail("b@example.org") {
		t.Error("two addresses give one id")
	}
	// The same address twice is one graduate twice: the second is rejected.
	_, rep := importCSVAll(t, "Courriel;Nom\r\na@example.org;A\r\nA@example.org;A bis\r\n")
	if got := errorsOf(rep); len(got) != 1 || !strings.HasPrefix(got[0], `line 3, column "Courriel": "e-`) {
		t.Errorf("errors %q", got)
	}
}

func TestImportCSVUndoesFormulaEscape(t *testing.T) {
	ps, _ := importCSVAll(t, "Email;Titre;Ville;Compétences\r\na@example.org;'=1+2;' =A1;'-2+3, +cmd\r\nb@example.org;'quoted;'';'@x\r\n")
	if p := ps[0]; p.Headline != "=1+2" || p.City != "=A1" || !slices.Equal(p.Skills, []string{"-2+3", "+cmd"}) {
		t.Errorf("got %+v", p)
	}
	if p := ps[1]; p.Headline != "'quoted" || p.City != "''" || !slices.Equal(p.Skills, []string{"@x"}) {
		t.Errorf("got %+v", p)
	}
}

func TestImportCSVBounds(t *testing.T) {
	// A quote never closed swallows the rest of the file: one error, memory bounded.
	in := "Email;Titre\r\na@example.org;ok\r\nb@example.org;\"" + strings.Repeat("x;y\r\n", MaxCSVRecord/4) + "\r\n"
	ps, rep := importCSVAll(t, in)
	if len(ps) != 1 || rep.Rejected != 1 || !strings.Contains(rep.Errors[0].Error(), "longer than") {
		t.Errorf("imported %d, errors %v", len(ps), errorsOf(rep))
	}
	// An unclosed quote at the end.
	_, rep = importCSVAll(t, "Email;Titre\r\nb@example.org;\"abc\r\n")
	if got := errorsOf(rep); len(got) != 1 || got[0] != `line 2: a cell opens a quote (") that is never closed` {
		t.Errorf("errors %q", got)
	}
	// Too many columns.
	_, rep = importCSVAll(t, "Email\r\na@example.org"+strings.Repeat(";", MaxCSVColumns+5)+"\r\n")
	if got := errorsOf(rep); len(got) != 1 || !strings.Contains(got[0], "more than 512 cells") {
		t.Errorf("errors %q", got)
	}
	// Many bad rows: counted, MaxKeptLineErrors kept.
	var b strings.Builder
	b.WriteString("Email\r\n")
	for range 3 * MaxKeptLineErrors {
		b.WriteString("not an address\r\n")
	}
	_, rep = importCSVAll(t, b.String())
	if rep.Rejected != 3*MaxKeptLineErrors || len(rep.Errors) != MaxKeptLineErrors {
		t.Errorf("rejected %d, kept %d", rep.Rejected, len(rep.Errors))
	}
}

func TestImportCSVCallbackAndReadErrors(t *testing.T) {
	boom := errors.New("boom")
	in := "Email\r\na@example.org\r\nb@example.org\r\n"
	rep, err := ImportCSV(strings.NewReader(in), 1, func([]Profile) error { return boom })
	if !errors.Is(err, boom) || rep.Imported != 0 {
		t.Errorf("err %v, rep %+v", err, rep)
	}
	r := io.MultiReader(strings.NewReader(in), iotestErrReader{})
	rep, err = ImportCSV(r, 10, func([]Profile) error { return nil })
	if !errors.Is(err, errRead) || rep.Imported != 2 {
		t.Errorf("err %v, imported %d", err, rep.Imported)
	}
}

var errRead = errors.New("disk on fire")

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errRead }

func TestImportCSVExampleFile(t *testing.T) {
	f, err := os.Open("testdata/ecole-exemple.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ps []Profile
	rep, err := ImportCSV(f, 100, func(b []Profile) error { ps = append(ps, b...); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if rep.CSV.Encoding != "UTF-8 with BOM" || rep.CSV.Delimiter != ';' || rep.CSV.HeaderLine != 1 {
		t.Errorf("detected %+v", rep.CSV)
	}
	if !slices.Equal(rep.CSV.Ignored, []string{`column 18 "Filière": not a known column`}) {
		t.Errorf("ignored %q", rep.CSV.Ignored)
	}
	wantErrs := []string{
		`line 5, column "Adresse e-mail": "karim.ouahbi(at)example.org" is not a valid e-mail address`,
		`line 6, column "Disponibilité": "le mois prochain" is not a date; write it as 01/09/2026 (day/month/year) or 2026-09-01, or write immédiate`,
		`line 7, column "Pays": "Marroc" is not a country name we know; write its two-letter ISO code, such as MA for Morocco`,
		`line 10, column "Identifiant": "g-1002" already appears on line 3`,
	}
	if got := errorsOf(rep); !slices.Equal(got, wantErrs) {
		t.Errorf("errors:\n%s", strings.Join(got, "\n"))
	}
	if len(ps) != 4 {
		t.Fatalf("imported %d", len(ps))
	}
	salma := ps[0]
	if salma.ID != IDFromEmail("salma.benali@example.org") || salma.Name != "Salma Benali" || salma.Country != "MA" ||
		!slices.Equal(salma.Skills, []string{"Python", "SQL", "Power BI"}) || !slices.Equal(salma.Languages, []string{"fr", "ar", "en"}) ||
		salma.Availability != AvailabilityImmediate || !slices.Equal(salma.Seeking.Employment, []string{"full_time", "internship"}) ||
		!slices.Equal(salma.Seeking.Workplace, []string{"remote"}) || !slices.Equal(salma.Seeking.Locations, []string{"Oujda", "Casablanca"}) ||
		!salma.Consent.Alerts || !salma.Consent.Searchable || salma.Consent.Recruiters ||
		salma.Cohort != "EST Oujda — LP Informatique décisionnelle 2025" || salma.GraduationYear != 2025 {
		t.Errorf("Salma: %+v", salma)
	}
	youssef := ps[1]
	if !slices.Equal(youssef.Skills, []string{"Java", "Spring Boot", "Docker"}) || youssef.Availability != "2026-09-01" ||
		!slices.Equal(youssef.Seeking.Workplace, []string{"onsite"}) || !youssef.Consent.Alerts || youssef.Consent.Recruiters {
		t.Errorf("Youssef: %+v", youssef)
	}
	helene := ps[2]
	if helene.Name != "Hélène Martin" || helene.Country != "FR" || helene.GraduationYear != 2026 ||
		!slices.Equal(helene.Skills, []string{"Python", "R", "scikit-learn"}) || !slices.Equal(helene.Seeking.Locations, []string{"Oujda", "Rabat", "FR"}) {
		t.Errorf("Hélène: %+v", helene)
	}
}

// roundTripProfiles are normalized profiles with what spreadsheets break:
// Arabic and French names, accents, separators, quotes, line breaks and
// formula-like cells.
func roundTripProfiles() []Profile {
	ps := []Profile{
		{ID: "g-1", Name: "سلمى بنعلي", Email: "salma@example.org", Locale: "ar", City: "وجدة", Country: "MA",
			Headline: "محللة بيانات، ماستر البيانات الضخمة", Skills: []string{"Python", "تعلم الآلة", "SQL"}, Languages: []string{"ar", "fr", "en"},
			GraduationYear: 2025, Availability: AvailabilityImmediate, Cohort: "FS Oujda — Master Data Science 2025",
			Seeking: Seeking{Seniority: []string{"internship", "junior"}, Employment: []string{"full_time", "internship"},
				Workplace: []string{"remote", "hybrid", "onsite"}, Locations: []string{"Oujda", "Casablanca", "MA"}},
			Alerts: Alerts{Frequency: FrequencyDaily}, Consent: Consent{Alerts: true, Searchable: true, Recruiters: true}},
		{ID: "g-2", Name: "Hélène \"Lena\" Dupré-Ça", Email: "helene@example.org", Locale: "fr", City: "Fès", Country: "FR",
			Headline: "Data analyst; \"Big Data\", Power BI\nDeuxième ligne", Skills: []string{"Power BI", "CI/CD", "C++"},
			Languages: []string{"fr"}, GraduationYear: 2024, Availability: "2026-09-01", Cohort: "ENSA; promo \"2024\"",
			Seeking: Seeking{Seniority: []string{"mid", "senior", "lead"}, Employment: []string{"part_time", "contract", "freelance", "apprenticeship", "temporary"}},
			Alerts:  Alerts{Frequency: FrequencyWeekly}, Consent: Consent{Searchable: true}},
		{ID: "g-3", Name: "=HYPERLINK(\"http://evil.example\")", Email: "x@example.org", Locale: "en", City: " =1+1",
			Headline: "@SUM(A1)", Skills: []string{"-2+3", "+cmd"}, Alerts: Alerts{Frequency: FrequencyInstant}},
		{ID: "g-4", Name: "Omar", Alerts: Alerts{Frequency: FrequencyOff}, Headline: "\tTabbed", Consent: Consent{Recruiters: true}},
	}
	for i := range ps {
		if err := checkProfile(&ps[i]); err != nil {
			panic(err)
		}
		ps[i].City = strings.TrimSpace(ps[i].City) // import trims cells
		ps[i].Headline = strings.TrimSpace(ps[i].Headline)
	}
	return ps
}

// exportedFields is a profile reduced to what ExportCSVFor writes, with
// empty lists as nil.
func exportedFields(p Profile) Profile {
	nilIfEmpty := func(s []string) []string {
		if len(s) == 0 {
			return nil
		}
		return s
	}
	return Profile{ID: p.ID, Name: p.Name, Email: p.Email, Locale: p.Locale, City: p.City, Country: p.Country,
		Headline: p.Headline, Skills: nilIfEmpty(p.Skills), Languages: nilIfEmpty(p.Languages),
		GraduationYear: p.GraduationYear, Availability: p.Availability, Cohort: p.Cohort,
		Seeking: Seeking{Seniority: nilIfEmpty(p.Seeking.Seniority), Employment: nilIfEmpty(p.Seeking.Employment),
			Workplace: nilIfEmpty(p.Seeking.Workplace), Locations: nilIfEmpty(p.Seeking.Locations)},
		Alerts:  Alerts{Frequency: p.Alerts.Frequency},
		Consent: Consent{Alerts: p.Consent.Alerts, Searchable: p.Consent.Searchable, Recruiters: p.Consent.Recruiters}}
}

func TestCSVRoundTrip(t *testing.T) {
	ps := roundTripProfiles()
	for _, locale := range []string{"fr", "en", "ar", ""} {
		t.Run("locale="+locale, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := ExportCSVFor(context.Background(), &buf, EachOf(ps...), locale)
			if err != nil || n != len(ps) {
				t.Fatalf("ExportCSVFor = %d, %v", n, err)
			}
			got, rep := importCSVAll(t, buf.String())
			if rep.Rejected != 0 || len(rep.CSV.Ignored) != 0 {
				t.Fatalf("errors %v, ignored %q", errorsOf(rep), rep.CSV.Ignored)
			}
			if len(got) != len(ps) {
				t.Fatalf("re-imported %d of %d", len(got), len(ps))
			}
			for i := range ps {
				if w, g := exportedFields(ps[i]), exportedFields(got[i]); !reflect.DeepEqual(w, g) {
					t.Errorf("profile %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

func TestExportCSVForFormat(t *testing.T) {
	ps := roundTripProfiles()
	var buf bytes.Buffer
	if _, err := ExportCSVFor(context.Background(), &buf, EachOf(ps...), "fr"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\ufeffIdentifiant;Nom complet;E-mail;Langue de contact;Ville;Pays;Titre;Compétences;Langues;Année de diplôme;Promotion;Disponibilité;") {
		t.Errorf("header: %q", out[:min(len(out), 200)])
	}
	if strings.Count(out, "\n") != strings.Count(out, "\r\n") {
		t.Error("a line ends without CR")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not valid CSV: %v", err)
	}
	if len(rows) != len(ps)+1 {
		t.Fatalf("%d rows", len(rows))
	}
	evil := rows[3]
	for _, c := range evil {
		if c != "" && strings.ContainsAny(c[:1], "=+-@\t") {
			t.Errorf("cell %q would run as a formula", c)
		}
	}
	if evil[1] != "'=HYPERLINK(\"http://evil.example\")" || evil[7] != "'-2+3, +cmd" {
		t.Errorf("row %q", evil)
	}
	if rows[1][7] != "Python, تعلم الآلة, SQL" || rows[2][12] != "confirmé, senior, lead" || rows[1][11] != "immédiate" || rows[1][len(rows[1])-1] != "oui" {
		t.Errorf("row %q", rows[1])
	}
	for _, locale := range []string{"en", "ar"} {
		buf.Reset()
		if _, err := ExportCSVFor(context.Background(), &buf, EachOf(ps[0]), locale); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"en": "\ufeffID;Full name;E-mail;", "ar": "\ufeffالمعرف;الاسم الكامل;البريد الإلكتروني;"}[locale]
		if !strings.HasPrefix(buf.String(), want) {
			t.Errorf("%s header: %q", locale, buf.String()[:60])
		}
	}
}

// genProfiles visits n generated profiles without holding them.
func genProfiles(n int) EachFunc {
	return func(ctx context.Context, fn func(Profile) error) error {
		for i := range n {
			p := Profile{ID: "g-" + strconv.Itoa(i), Name: "Diplômée numéro " + strconv.Itoa(i), Email: "g" + strconv.Itoa(i) + "@example.org",
				Locale: "fr", City: "Oujda", Country: "MA", Headline: "Data analyst, Big Data", Skills: []string{"Python", "SQL", "Power BI", "pandas"},
				Languages: []string{"fr", "ar", "en"}, GraduationYear: 2020 + i%7, Availability: "2026-09-01", Cohort: "EST Oujda 2025",
				Seeking: Seeking{Seniority: []string{"junior"}, Employment: []string{"full_time", "internship"}, Workplace: []string{"remote", "hybrid"}, Locations: []string{"Oujda", "MA"}},
				Alerts:  Alerts{Frequency: FrequencyDaily}, Consent: Consent{Alerts: true, Searchable: true}}
			if err := fn(p); err != nil {
				return err
			}
		}
		return nil
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// TestExportCSVForStreamsEverything: no cap, and the live heap does not
// grow with the number of rows.
func TestExportCSVForStreamsEverything(t *testing.T) {
	live := func(n int) uint64 {
		var peak uint64
		w := &countingWriter{}
		each := genProfiles(n)
		sampled := func(ctx context.Context, fn func(Profile) error) error {
			i := 0
			return each(ctx, func(p Profile) error {
				if i++; i%20000 == 0 {
					runtime.GC()
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapAlloc)
				}
				return fn(p)
			})
		}
		got, err := ExportCSVFor(context.Background(), w, sampled, "fr")
		if err != nil || got != n {
			t.Fatalf("ExportCSVFor = %d, %v", got, err)
		}
		return peak
	}
	small, large := live(20000), live(100000)
	t.Logf("peak live heap: %d KiB for 20,000 rows, %d KiB for 100,000", small>>10, large>>10)
	if large > small+4<<20 {
		t.Errorf("live heap %d bytes for 100,000 rows against %d for 20,000", large, small)
	}
}

func TestExportCSVForStopsOnErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ExportCSVFor(ctx, io.Discard, EachOf(roundTripProfiles()...), "fr"); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v", err)
	}
}

func FuzzImportCSV(f *testing.F) {
	seed, err := os.ReadFile("testdata/ecole-exemple.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	var buf bytes.Buffer
	if _, err := ExportCSVFor(context.Background(), &buf, EachOf(roundTripProfiles()...), "ar"); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("sep=,\nEmail,Nom\na@example.org,\"x\"\"y\"\r\n"))
	f.Add([]byte("Email;Prénom\r\nh@example.org;H\xe9l\xe8ne\r\n"))
	f.Add([]byte("\xff\xfeE\x00m\x00a\x00i\x00l\x00\n\x00"))
	f.Add([]byte("Email;Disponibilité;Année de diplôme\na@example.org;46023;2025\nb@example.org;\"unclosed\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var got []Profile
		rep, err := ImportCSV(bytes.NewReader(data), 7, func(ps []Profile) error {
			for _, p := range ps {
				if err := checkProfile(&p); err != nil {
					t.Fatalf("imported an invalid profile %+v: %v", p, err)
				}
			}
			got = append(got, ps...)
			return nil
		})
		if err != nil && !errors.Is(err, ErrCSVHeader) {
			t.Fatalf("unexpected error %v", err)
		}
		if len(rep.Errors) > MaxKeptLineErrors || rep.Imported != len(got) {
			t.Fatalf("report %d errors, %d imported, %d received", len(rep.Errors), rep.Imported, len(got))
		}
		if rows := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1; rep.Imported+rep.Rejected > rows {
			t.Fatalf("%d results from %d lines", rep.Imported+rep.Rejected, rows)
		}
		for _, le := range rep.Errors {
			if le.Line < 1 || !errors.Is(le, ErrInvalid) {
				t.Fatalf("bad line error %#v", le)
			}
		}
		// What was imported exports and re-imports to the same profiles,
		// unless a cell starts with a quote the import would take for
		// CSVCell's (documented).
		if err != nil || len(got) == 0 || bytes.Contains(data, []byte("'")) {
			return
		}
		var out bytes.Buffer
		if _, err := ExportCSVFor(context.Background(), &out, EachOf(got...), "fr"); err != nil {
			t.Fatal(err)
		}
		again, rep2 := importCSVAll(t, out.String())
		if rep2.Rejected != 0 || len(again) != len(got) {
			t.Fatalf("re-import: %d of %d, errors %v", len(again), len(got), errorsOf(rep2))
		}
		for i := range got {
			if w, g := exportedFields(got[i]), exportedFields(again[i]); !reflect.DeepEqual(w, g) {
				t.Fatalf("round trip changed profile %d:\n got %+v\nwant %+v", i, g, w)
			}
		}
	})
}

// BenchmarkExportCSVFor exports 100,000 generated profiles and reports
// profiles/s.
func BenchmarkExportCSVFor(b *testing.B) {
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		n, err := ExportCSVFor(context.Background(), io.Discard, genProfiles(100000), "fr")
		if err != nil || n != 100000 {
			b.Fatalf("exported %d, %v", n, err)
		}
	}
	b.ReportMetric(float64(b.N)*100000/time.Since(start).Seconds(), "profiles/s")
}

// BenchmarkImportCSV imports 100,000 generated rows as French Excel saves
// them and reports profiles/s.
func BenchmarkImportCSV(b *testing.B) {
	var buf bytes.Buffer
	if _, err := ExportCSVFor(context.Background(), &buf, genProfiles(100000), "fr"); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		rep, err := ImportCSV(bytes.NewReader(data), 1000, func([]Profile) error { return nil })
		if err != nil || rep.Imported != 100000 {
			b.Fatalf("imported %d, %v", rep.Imported, err)
		}
	}
	b.ReportMetric(float64(b.N)*100000/time.Since(start).Seconds(), "profiles/s")
}
