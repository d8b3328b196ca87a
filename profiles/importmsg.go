package profiles

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Msg is a message of an import, as an officer reads it: a key of the
// import catalogue (importMessages) and its arguments, written in French,
// English or Arabic by Text. Errors built from a Msg read in English
// (Error), so logs and the JSON API keep one language.
type Msg struct {
	Key  string
	Args []any
}

// Keys of the import catalogue.
const (
	MsgDuplicate         = "dup_line"
	MsgRowTooLong        = "row_too_long"
	MsgOpenQuote         = "open_quote"
	MsgTooManyCells      = "too_many_cells"
	MsgCellsVsHeader     = "cells_vs_header"
	MsgBadEmail          = "bad_email"
	MsgNotUnderstood     = "not_understood"
	MsgNotUnderstoodAny  = "not_understood_any"
	MsgBadBool           = "bad_bool"
	MsgBadCountry        = "bad_country"
	MsgBadDate           = "bad_date"
	MsgBadYear           = "bad_year"
	MsgNeedEmail         = "need_email"
	MsgNeedID            = "need_id"
	MsgLineTooLong       = "line_too_long"
	MsgJSONTrailing      = "json_trailing"
	MsgJSONSyntax        = "json_syntax"
	MsgJSONObject        = "json_object"
	MsgJSONType          = "json_type"
	MsgJSONShort         = "json_short"
	MsgJSONUnknown       = "json_unknown"
	MsgJSONTime          = "json_time"
	MsgJSONOther         = "json_other"
	MsgEmailTaken        = "email_taken"
	MsgCohortOutOfScope  = "cohort_out_of_scope"
	MsgProfileOutOfScope = "profile_out_of_scope"
	MsgScopeUnchecked    = "scope_unchecked"
	MsgIDReason          = "id_reason"
	MsgColumnSame        = "column_same"
	MsgColumnUnknown     = "column_unknown"
	// Reasons of Profile.Validate and of the availability check.
	MsgIDRequired     = "id_required"
	MsgIDForm         = "id_form"
	MsgCountryCode    = "country_code"
	MsgFrequency      = "frequency"
	MsgDateYMD        = "date_ymd"
	MsgTooManySkills  = "too_many_skills"
	MsgAvailability   = "availability"
	MsgInvalidAddress = "invalid_address"
	// A workbook or document given instead of CSV text (ErrNotCSV).
	MsgNotCSV = "not_csv"
)

// importMessages: en first (the text of Error), then fr and ar. Every key
// has the three (TestImportCatalogue).
var importMessages = map[string]map[string]string{
	"en": {
		MsgDuplicate:         "%q already appears on line %d",
		MsgRowTooLong:        "the row is longer than %d bytes (is a quote (\") left open in a cell?)",
		MsgOpenQuote:         "a cell opens a quote (\") that is never closed",
		MsgTooManyCells:      "the row has more than %d cells",
		MsgCellsVsHeader:     "the row has %d cells but the header only %d columns (a %q inside a cell without quotes?)",
		MsgBadEmail:          "%q is not a valid e-mail address",
		MsgNotUnderstood:     "%q is not understood; write %s",
		MsgNotUnderstoodAny:  "%q is not understood; write one or more of %s",
		MsgBadBool:           "%q is not understood; write oui or non (yes/no, 1/0, x or empty)",
		MsgBadCountry:        "%q is not a country name we know; write its two-letter ISO code, such as MA for Morocco",
		MsgBadDate:           "%q is not a date; write it as 01/09/2026 (day/month/year) or 2026-09-01, or write immédiate",
		MsgBadYear:           "%q is not a year; write it with four digits, such as 2025",
		MsgNeedEmail:         "is empty: every row needs an e-mail address (or an id)",
		MsgNeedID:            "is empty: every row needs an id (or an e-mail address)",
		MsgLineTooLong:       "line longer than %d bytes",
		MsgJSONTrailing:      "unexpected text after the JSON object (one profile per line)",
		MsgJSONSyntax:        "not valid JSON at byte %d: %v",
		MsgJSONObject:        "must be a JSON object",
		MsgJSONType:          "must be %s, not a JSON %s",
		MsgJSONShort:         "JSON object is cut short",
		MsgJSONUnknown:       "unknown field (check its spelling)",
		MsgJSONTime:          "must be an RFC 3339 time such as 2026-01-31T09:00:00Z",
		MsgJSONOther:         "not a valid profile: %s",
		MsgEmailTaken:        "%q: another graduate's profile has this e-mail address",
		MsgCohortOutOfScope:  "the cohort %q is not one of your school's cohorts (%s)",
		MsgProfileOutOfScope: "%q is a graduate of another school's cohort: your account cannot change this profile",
		MsgScopeUnchecked:    "%q could not be checked against your cohorts just now; import the file again",
		MsgIDReason:          "%q: an id %s",
		MsgColumnSame:        "column %d %q: same data as column %d %q, only the first is read",
		MsgColumnUnknown:     "column %d %q: not a known column",
		MsgIDRequired:        "is required",
		MsgIDForm:            "must be at most 128 characters without spaces, '.', '/', '*' or '>'",
		MsgCountryCode:       "must be an ISO 3166-1 alpha-2 code such as MA",
		MsgFrequency:         "must be instant, daily, weekly or off",
		MsgDateYMD:           "must be a date YYYY-MM-DD",
		MsgTooManySkills:     "has more than 200 entries",
		MsgAvailability:      "must be \"immediate\" or a date YYYY-MM-DD",
		MsgInvalidAddress:    "is not a valid address",
		MsgNotCSV:            "this file is a workbook or a document (%s), not CSV text: in Excel choose File > Save As > \"CSV UTF-8\" or \"CSV (semicolon delimited)\", in LibreOffice File > Save As > \"Text CSV\", then import that file",
	},
	"fr": {
		MsgDuplicate:         "%q figure déjà à la ligne %d",
		MsgRowTooLong:        "la ligne dépasse %d octets (un guillemet (\") est-il resté ouvert dans une cellule ?)",
		MsgOpenQuote:         "une cellule ouvre un guillemet (\") qui n'est jamais fermé",
		MsgTooManyCells:      "la ligne a plus de %d cellules",
		MsgCellsVsHeader:     "la ligne a %d cellules mais l'en-tête seulement %d colonnes (un %q dans une cellule sans guillemets ?)",
		MsgBadEmail:          "%q n'est pas une adresse e-mail valide",
		MsgNotUnderstood:     "%q n'est pas compris ; écrivez %s",
		MsgNotUnderstoodAny:  "%q n'est pas compris ; écrivez un ou plusieurs de : %s",
		MsgBadBool:           "%q n'est pas compris ; écrivez oui ou non (yes/no, 1/0, x ou vide)",
		MsgBadCountry:        "%q n'est pas un pays connu ; écrivez son code ISO à deux lettres, par exemple MA pour le Maroc",
		MsgBadDate:           "%q n'est pas une date ; écrivez-la 01/09/2026 (jour/mois/année) ou 2026-09-01, ou écrivez immédiate",
		MsgBadYear:           "%q n'est pas une année ; écrivez-la en quatre chiffres, par exemple 2025",
		MsgNeedEmail:         "est vide : chaque ligne doit avoir une adresse e-mail (ou un identifiant)",
		MsgNeedID:            "est vide : chaque ligne doit avoir un identifiant (ou une adresse e-mail)",
		MsgLineTooLong:       "ligne de plus de %d octets",
		MsgJSONTrailing:      "texte inattendu après l'objet JSON (un profil par ligne)",
		MsgJSONSyntax:        "JSON invalide à l'octet %d : %v",
		MsgJSONObject:        "doit être un objet JSON",
		MsgJSONType:          "doit être %s, pas un %s JSON",
		MsgJSONShort:         "l'objet JSON est incomplet",
		MsgJSONUnknown:       "champ inconnu (vérifiez son orthographe)",
		MsgJSONTime:          "doit être une heure RFC 3339, par exemple 2026-01-31T09:00:00Z",
		MsgJSONOther:         "profil invalide : %s",
		MsgEmailTaken:        "%q : le profil d'un autre diplômé a déjà cette adresse e-mail",
		MsgCohortOutOfScope:  "la promotion %q n'est pas une promotion de votre établissement (%s)",
		MsgProfileOutOfScope: "%q est un diplômé d'une promotion d'un autre établissement : votre compte ne peut pas modifier ce profil",
		MsgScopeUnchecked:    "%q n'a pas pu être vérifié par rapport à vos promotions pour l'instant ; importez le fichier à nouveau",
		MsgIDReason:          "%q : un identifiant %s",
		MsgColumnSame:        "colonne %d « %s » : mêmes données que la colonne %d « %s », seule la première est lue",
		MsgColumnUnknown:     "colonne %d « %s » : colonne inconnue",
		MsgIDRequired:        "est obligatoire",
		MsgIDForm:            "doit faire au plus 128 caractères, sans espace, « . », « / », « * » ni « > »",
		MsgCountryCode:       "doit être un code ISO 3166-1 à deux lettres, par exemple MA",
		MsgFrequency:         "doit être instantanée, quotidienne, hebdomadaire ou aucune",
		MsgDateYMD:           "doit être une date AAAA-MM-JJ",
		MsgTooManySkills:     "a plus de 200 entrées",
		MsgAvailability:      "doit être « immédiate » ou une date AAAA-MM-JJ",
		MsgInvalidAddress:    "n'est pas une adresse valide",
		MsgNotCSV:            "ce fichier est un classeur ou un document (%s), pas un fichier CSV : dans Excel, choisissez Fichier > Enregistrer sous > « CSV UTF-8 » ou « CSV (séparateur : point-virgule) », dans LibreOffice Fichier > Enregistrer sous > « Texte CSV », puis importez ce fichier",
	},
	"ar": {
		MsgDuplicate:         "%q موجود من قبل في السطر %d",
		MsgRowTooLong:        "السطر أطول من %d بايت (هل بقيت علامة تنصيص (\") مفتوحة في خلية؟)",
		MsgOpenQuote:         "خلية تفتح علامة تنصيص (\") لا تُغلق أبدًا",
		MsgTooManyCells:      "في السطر أكثر من %d خلية",
		MsgCellsVsHeader:     "في السطر %d خلية بينما في الترويسة %d عمود فقط (هل توجد %q داخل خلية بلا علامات تنصيص؟)",
		MsgBadEmail:          "%q ليس عنوان بريد إلكتروني صالحًا",
		MsgNotUnderstood:     "%q غير مفهوم؛ اكتب %s",
		MsgNotUnderstoodAny:  "%q غير مفهوم؛ اكتب واحدًا أو أكثر من: %s",
		MsgBadBool:           "%q غير مفهوم؛ اكتب oui أو non (نعم/لا، 1/0، x أو فارغ)",
		MsgBadCountry:        "%q ليس اسم بلد معروفًا؛ اكتب رمزه ISO من حرفين، مثل MA للمغرب",
		MsgBadDate:           "%q ليس تاريخًا؛ اكتبه 01/09/2026 (يوم/شهر/سنة) أو 2026-09-01، أو اكتب immédiate",
		MsgBadYear:           "%q ليست سنة؛ اكتبها بأربعة أرقام، مثل 2025",
		MsgNeedEmail:         "فارغ: كل سطر يحتاج عنوان بريد إلكتروني (أو معرّفًا)",
		MsgNeedID:            "فارغ: كل سطر يحتاج معرّفًا (أو عنوان بريد إلكتروني)",
		MsgLineTooLong:       "السطر أطول من %d بايت",
		MsgJSONTrailing:      "نص غير متوقع بعد كائن JSON (ملف شخصي واحد في كل سطر)",
		MsgJSONSyntax:        "JSON غير صالح عند البايت %d: %v",
		MsgJSONObject:        "يجب أن يكون كائن JSON",
		MsgJSONType:          "يجب أن يكون %s، لا %s في JSON",
		MsgJSONShort:         "كائن JSON مبتور",
		MsgJSONUnknown:       "حقل غير معروف (تحقق من كتابته)",
		MsgJSONTime:          "يجب أن يكون وقتًا بصيغة RFC 3339 مثل 2026-01-31T09:00:00Z",
		MsgJSONOther:         "ملف شخصي غير صالح: %s",
		MsgEmailTaken:        "%q: لملف خريج آخر عنوان البريد الإلكتروني نفسه",
		MsgCohortOutOfScope:  "الفوج %q ليس من أفواج مؤسستك (%s)",
		MsgProfileOutOfScope: "%q خريج من فوج مؤسسة أخرى: لا يمكن لحسابك تعديل هذا الملف",
		MsgScopeUnchecked:    "تعذر الآن التحقق من %q مقارنة بأفواجك؛ استورد الملف مرة أخرى",
		MsgIDReason:          "%q: المعرّف %s",
		MsgColumnSame:        "العمود %d «%s»: البيانات نفسها التي في العمود %d «%s»، لا يُقرأ إلا الأول",
		MsgColumnUnknown:     "العمود %d «%s»: عمود غير معروف",
		MsgIDRequired:        "إلزامي",
		MsgIDForm:            "يجب ألا يتجاوز 128 حرفًا بلا مسافات ولا '.' ولا '/' ولا '*' ولا '>'",
		MsgCountryCode:       "يجب أن يكون رمز ISO 3166-1 من حرفين مثل MA",
		MsgFrequency:         "يجب أن يكون instant أو daily أو weekly أو off",
		MsgDateYMD:           "يجب أن يكون تاريخًا بصيغة YYYY-MM-DD",
		MsgTooManySkills:     "فيه أكثر من 200 عنصر",
		MsgAvailability:      "يجب أن يكون \"immediate\" أو تاريخًا بصيغة YYYY-MM-DD",
		MsgInvalidAddress:    "ليس عنوانًا صالحًا",
		MsgNotCSV:            "هذا الملف مصنف أو مستند (%s) وليس ملف CSV نصيًا: في Excel اختر ملف > حفظ باسم > «CSV UTF-8» أو «CSV (فاصلة منقوطة)»، وفي LibreOffice ملف > حفظ باسم > «نص CSV»، ثم استورد ذلك الملف",
	},
}

// lineFormats: a line error with a column, with a field, and alone.
var lineFormats = map[string][3]string{
	"en": {"line %d, column %q: %s", "line %d, field %q: %s", "line %d: %s"},
	"fr": {"ligne %d, colonne « %s » : %s", "ligne %d, champ « %s » : %s", "ligne %d : %s"},
	"ar": {"السطر %d، العمود «\u2068%s\u2069»: %s", "السطر %d، الحقل «\u2068%s\u2069»: %s", "السطر %d: %s"},
}

// ImportLanguage returns lang if the import catalogue has it, else "fr".
func ImportLanguage(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if len(lang) > 2 {
		lang = lang[:2] // "en_US.UTF-8", "ar-MA"
	}
	if _, ok := importMessages[lang]; ok {
		return lang
	}
	return "fr"
}

// Text writes m in lang (fr, en or ar; others read French).
func (m Msg) Text(lang string) string {
	tmpl, ok := importMessages[ImportLanguage(lang)][m.Key]
	if !ok {
		if tmpl, ok = importMessages["en"][m.Key]; !ok {
			return m.Key
		}
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		if inner, ok := a.(Msg); ok {
			a = inner.Text(lang)
		}
		args[i] = a
	}
	out := fmt.Sprintf(tmpl, args...)
	if ImportLanguage(lang) == "ar" {
		out = isolateLatin(out)
	}
	return out
}

// Unicode directional isolates (FSI, PDI).
const (
	fsi = '\u2068'
	pdi = '\u2069'
)

// isolateLatin wraps each run of Latin text (values, column names, dates,
// codes) of an Arabic message in directional isolates, so that
// "2026-09-01" or an e-mail address reads as written inside right-to-left
// text. Runs break at Arabic letters, guillemets, Arabic punctuation and
// ": "; already isolated text is left as it is.
func isolateLatin(s string) string {
	var b strings.Builder
	rs := []rune(s)
	isBreak := func(i int) bool {
		r := rs[i]
		switch {
		case unicode.Is(unicode.Arabic, r) && !unicode.IsDigit(r), r == '«', r == '»', r == '،', r == '؛', r == fsi:
			return true
		case r == ':':
			return i+1 == len(rs) || rs[i+1] == ' '
		}
		return false
	}
	trim := func(r rune) bool { return r == ' ' || r == '(' || r == ')' || r == ',' || r == ':' }
	for i := 0; i < len(rs); {
		if rs[i] == fsi {
			// Copy an isolate as it is.
			j := i
			for j < len(rs) && rs[j] != pdi {
				j++
			}
			j = min(j+1, len(rs))
			b.WriteString(string(rs[i:j]))
			i = j
			continue
		}
		if isBreak(i) {
			b.WriteRune(rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && !isBreak(j) {
			j++
		}
		run := rs[i:j]
		lo, hi := 0, len(run)
		for lo < hi && trim(run[lo]) {
			lo++
		}
		for hi > lo && trim(run[hi-1]) {
			hi--
		}
		core := run[lo:hi]
		latin := false
		for _, r := range core {
			if unicode.In(r, unicode.Latin) || r >= '0' && r <= '9' {
				latin = true
				break
			}
		}
		b.WriteString(string(run[:lo]))
		if latin {
			b.WriteRune(fsi)
			b.WriteString(string(core))
			b.WriteRune(pdi)
		} else {
			b.WriteString(string(core))
		}
		b.WriteString(string(run[hi:]))
		i = j
	}
	return b.String()
}

// msgError is an import problem written from a Msg; it wraps ErrInvalid
// and its cause, if any.
type msgError struct {
	msg   Msg
	cause error
}

func (e *msgError) Error() string { return e.msg.Text("en") }
func (e *msgError) Unwrap() []error {
	if e.cause != nil {
		return []error{ErrInvalid, e.cause}
	}
	return []error{ErrInvalid}
}

// MsgError is an import error (wrapping ErrInvalid and cause, which may be
// nil) that reads m in English and translates through LineError.Localized.
func MsgError(m Msg, cause error) error { return &msgError{msg: m, cause: cause} }

// MsgOf returns the catalogue message an import error carries, if any.
func MsgOf(err error) (Msg, bool) {
	var me *msgError
	if errors.As(err, &me) {
		return me.msg, true
	}
	var ce *csvCellError
	if errors.As(err, &ce) && ce.msg.Key != "" {
		return ce.msg, true
	}
	return Msg{}, false
}

// reasonKeys maps Validate's English reasons to their keys, so that
// Validate keeps its messages and imports can still translate them.
var reasonKeys = func() map[string]string {
	out := map[string]string{}
	for _, k := range []string{MsgIDRequired, MsgIDForm, MsgCountryCode, MsgFrequency, MsgDateYMD, MsgTooManySkills, MsgAvailability, MsgInvalidAddress} {
		out[importMessages["en"][k]] = k
	}
	return out
}()

// Localized writes the line error in lang (fr, en or ar), with its line
// and column (or field) numbers and names as Error gives them.
func (e *LineError) Localized(lang string) string {
	lang = ImportLanguage(lang)
	reason := e.Err.Error()
	if m, ok := MsgOf(e.Err); ok {
		reason = m.Text(lang)
	} else if e.Field != "" {
		// A Validate reason: "profiles: invalid profile: field: reason".
		r := strings.TrimPrefix(reason, ErrInvalid.Error()+": ")
		r = strings.TrimPrefix(r, e.Field+": ")
		if k, ok := reasonKeys[r]; ok {
			reason = Msg{Key: k}.Text(lang)
		} else {
			reason = r
		}
	}
	f := lineFormats[lang]
	switch {
	case e.Column != "":
		return fmt.Sprintf(f[0], e.Line, e.Column, reason)
	case e.Field != "":
		return fmt.Sprintf(f[1], e.Line, e.Field, reason)
	}
	return fmt.Sprintf(f[2], e.Line, reason)
}
