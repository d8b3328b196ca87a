package profiles

import (
	"errors"
	"strings"
	"testing"
)

// TestImportCatalogue: every message of the importer exists in French,
// English and Arabic with the same verbs, so no language loses a value.
func TestImportCatalogue(t *testing.T) {
	verbs := func(s string) string {
		var out []string
		for i := 0; i < len(s)-1; i++ {
			if s[i] == '%' {
				out = append(out, strings.Replace(s[i:i+2], "%q", "%s", 1))
				i++
			}
		}
		return strings.Join(out, "")
	}
	for key, en := range importMessages["en"] {
		for _, l := range []string{"fr", "ar"} {
			m, ok := importMessages[l][key]
			if !ok {
				t.Errorf("%s: no %s text", key, l)
				continue
			}
			if verbs(m) != verbs(en) {
				t.Errorf("%s in %s: verbs %q, English has %q", key, l, verbs(m), verbs(en))
			}
		}
	}
	for l, ms := range importMessages {
		if len(ms) != len(importMessages["en"]) {
			t.Errorf("%s has %d messages, en %d", l, len(ms), len(importMessages["en"]))
		}
	}
}

// TestLineErrorsLocalized: the rejected rows of a spreadsheet and of JSON
// lines read in the officer's language with their line and column (or
// field); English keeps the text of Error; Arabic isolates Latin values.
func TestLineErrorsLocalized(t *testing.T) {
	sheet := "Nom;Adresse e-mail;Pays;Disponibilité;Télétravail\n" +
		"Salma;salma@example.org;MA;immédiate;oui\n" +
		"Karim;karim(at)example.org;MA;;\n" +
		"Nora;nora@example.org;Marroc;;\n" +
		"Omar;omar@example.org;MA;le mois prochain;\n" +
		"Salma bis;salma@example.org;MA;;\n"
	rep, err := ImportCSV(strings.NewReader(sheet), 10, func([]Profile) error { return nil })
	if err != nil || rep.Rejected != 4 {
		t.Fatalf("import: %v, %+v", err, rep)
	}
	want := map[string][]string{
		"fr": {`ligne 3, colonne « Adresse e-mail » : "karim(at)example.org" n'est pas une adresse e-mail valide`,
			`ligne 4, colonne « Pays » : "Marroc" n'est pas un pays connu`,
			`ligne 5, colonne « Disponibilité » : "le mois prochain" n'est pas une date`,
			`ligne 6, colonne « Adresse e-mail » : "e-`},
		"en": {`line 3, column "Adresse e-mail": "karim(at)example.org" is not a valid e-mail address`,
			`line 4, column "Pays": "Marroc" is not a country name we know`,
			`line 5, column "Disponibilité": "le mois prochain" is not a date`,
			`line 6, column "Adresse e-mail": "e-`},
		"ar": {"السطر 3، العمود «\u2068Adresse e-mail\u2069»: \u2068\"karim(at)example.org\"\u2069 ليس عنوان بريد إلكتروني صالحًا",
			"السطر 4، العمود «\u2068Pays\u2069»: \u2068\"Marroc\"\u2069 ليس اسم بلد معروفًا",
			"السطر 5، العمود «\u2068Disponibilité\u2069»: \u2068\"le mois prochain\"\u2069 ليس تاريخًا",
			"السطر 6، العمود «\u2068Adresse e-mail\u2069»: \u2068\"e-"},
	}
	for l, lines := range want {
		for i, w := range lines {
			if got := rep.Errors[i].Localized(l); !strings.HasPrefix(got, w) {
				t.Errorf("%s line error %d:\n got %q\nwant %q…", l, i, got, w)
			}
		}
	}
	for _, e := range rep.Errors {
		if !errors.Is(e, ErrInvalid) {
			t.Errorf("%v does not wrap ErrInvalid", e)
		}
		if e.Localized("en") != e.Error() {
			t.Errorf("English differs from Error:\n%q\n%q", e.Localized("en"), e.Error())
		}
	}
	if got := rep.Errors[0].Localized("de"); !strings.HasPrefix(got, "ligne 3, colonne") {
		t.Errorf("an unknown language should read French: %q", got)
	}

	// JSON lines: the field names the place.
	rep, _ = ImportEach(strings.NewReader("{\"id\":\"a\"}\n{\"id\":\"z\",\"nom\":\"x\"}\n{\"id\":\"b c\"}\n{\"id\":\"a\"}\n"), 10, func([]Profile) error { return nil })
	for l, w := range map[string][]string{
		"fr": {"ligne 2, champ « nom » : champ inconnu", "ligne 3, champ « id » : doit faire au plus 128 caractères", `ligne 4, champ « id » : "a" figure déjà à la ligne 1`},
		"en": {`line 2, field "nom": unknown field`, `line 3, field "id": must be at most 128`, `line 4, field "id": "a" already appears on line 1`},
	} {
		for i, w := range w {
			if i >= len(rep.Errors) {
				t.Fatalf("errors: %v", rep.Errors)
			}
			if got := rep.Errors[i].Localized(l); !strings.HasPrefix(got, w) {
				t.Errorf("%s JSON line error %d:\n got %q\nwant %q…", l, i, got, w)
			}
		}
	}

	// Ignored columns too.
	rep, _ = ImportCSV(strings.NewReader("Nom;Courriel;Filière\nA;a@example.org;x\n"), 10, func([]Profile) error { return nil })
	if got := rep.CSV.IgnoredIn("fr"); len(got) != 1 || got[0] != "colonne 3 « Filière » : colonne inconnue" {
		t.Errorf("ignored in French: %q", got)
	}
	if got := rep.CSV.IgnoredIn("en"); len(got) != 1 || got[0] != rep.CSV.Ignored[0] {
		t.Errorf("ignored in English: %q vs %q", got, rep.CSV.Ignored)
	}
}
