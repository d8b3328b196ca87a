package main

import "fmt"

// cliMessages are the import command's messages in the officer's language
// (--lang: fr by default, en, ar); the rejected lines themselves come from
// the profiles package's catalogue (LineError.Localized).
var cliMessages = map[string]map[string]string{
	"fr": {
		"csv_info":          "fichier CSV : %s, séparateur %q ; colonnes : %s",
		"csv_ignored":       "  colonne ignorée : %s",
		"import_dry":        "essai à blanc, rien n'est enregistré : %d profils seraient créés, %d mis à jour, %d lignes rejetées",
		"import_done":       "%d profils importés%s (%d nouveaux, %d mis à jour), %d lignes rejetées",
		"import_incomplete": "attention : %d profils sans souhaits (poste, contrat, lieu de travail) et %d sans compétences ne recevront aucune offre tant qu'ils ne sont pas complétés",
		"import_rejected":   "%d ligne(s) rejetée(s) (listées ci-dessus, %d au plus) ; les autres profils sont importés",
	},
	"en": {
		"csv_info":          "CSV file: %s, separator %q; columns: %s",
		"csv_ignored":       "  column ignored: %s",
		"import_dry":        "dry run, nothing stored: %d profiles would be created, %d updated, %d lines rejected",
		"import_done":       "%d profiles imported%s (%d new, %d updated), %d lines rejected",
		"import_incomplete": "warning: %d profiles without wishes (level, contract, workplace) and %d without skills will receive no offer until they are completed",
		"import_rejected":   "%d line(s) rejected (listed above, at most %d); the other profiles were imported",
	},
	"ar": {
		"csv_info":          "ملف CSV: %s، الفاصل %q؛ الأعمدة: %s",
		"csv_ignored":       "  عمود متجاهَل: %s",
		"import_dry":        "تجربة دون حفظ، لم يُحفظ شيء: سيُنشأ %d ملفًا، ويُحدَّث %d، ويُرفض %d سطرًا",
		"import_done":       "استُورد %d ملفًا%s (%d جديدًا، %d محدَّثًا)، ورُفض %d سطرًا",
		"import_incomplete": "تنبيه: %d ملفًا بلا رغبات (المستوى، العقد، مكان العمل) و%d بلا مهارات لن تصلها أي عروض حتى تُستكمل",
		"import_rejected":   "رُفض %d سطرًا (مذكورة أعلاه، %d على الأكثر)؛ استُورد باقي الملفات",
	},
}

// cliText writes a CLI message in lang (fr when unknown).
func cliText(lang, key string, args ...any) string {
	m, ok := cliMessages[lang]
	if !ok {
		m = cliMessages["fr"]
	}
	return fmt.Sprintf(m[key], args...)
}
