package notifier

import (
	"github.com/passerelle/passerelle/jobs"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/passerelle/passerelle/matcher"
)

// Supported locales; DefaultLocale is used for anything else.
const (
	LocaleFR      = "fr"
	LocaleEN      = "en"
	LocaleAR      = "ar"
	DefaultLocale = LocaleFR
)

// NormalizeLocale maps a profile locale to a supported one (French by default).
func NormalizeLocale(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	switch l {
	case LocaleFR, LocaleEN, LocaleAR:
		return l
	}
	return DefaultLocale
}

// tr is one translatable string. Placeholders are {name} tokens replaced
// literally (never fmt verbs), so text from outside cannot inject formatting.
type tr struct{ fr, en, ar string }

func (t tr) in(locale string) string {
	switch locale {
	case LocaleEN:
		return t.en
	case LocaleAR:
		return t.ar
	}
	return t.fr
}

// catalog holds every string a mail shows. Plural forms are separate keys
// suffixed with a CLDR category (.zero .one .two .few .many .other); lookups
// fall back to .other. Reason keys are "reason.<matcher key>".
var catalog = map[string]tr{
	"subject.one":   {"Passerelle : {n} nouvelle offre pour vous", "Passerelle: {n} new offer for you", "Passerelle: عرض عمل جديد لك"},
	"subject.two":   {"", "", "Passerelle: عرضا عمل جديدان لك"},
	"subject.few":   {"", "", "Passerelle: {n} عروض عمل جديدة لك"},
	"subject.other": {"Passerelle : {n} nouvelles offres pour vous", "Passerelle: {n} new offers for you", "Passerelle: {n} عرض عمل جديد لك"},

	"greeting":        {"Bonjour {name},", "Hello {name},", "مرحبًا {name}،"},
	"greeting.noname": {"Bonjour,", "Hello,", "مرحبًا،"},

	"intro.one":   {"Nous avons trouvé une offre qui correspond à votre profil :", "We found an offer that matches your profile:", "وجدنا عرضًا يناسب ملفك الشخصي:"},
	"intro.two":   {"", "", "وجدنا عرضين يناسبان ملفك الشخصي:"},
	"intro.few":   {"", "", "وجدنا {n} عروض تناسب ملفك الشخصي:"},
	"intro.other": {"Nous avons trouvé {n} offres qui correspondent à votre profil :", "We found {n} offers that match your profile:", "وجدنا {n} عرضًا يناسب ملفك الشخصي:"},

	"label.why":             {"Pourquoi cette offre :", "Why this offer:", "لماذا هذا العرض:"},
	"label.matched":         {"Compétences correspondantes : {list}", "Matching skills: {list}", "المهارات المتوافقة: {list}"},
	"label.missing":         {"Compétences à acquérir : {list}", "Skills to build: {list}", "مهارات ينبغي اكتسابها: {list}"},
	"label.score":           {"Compatibilité : {n} %", "Match: {n}%", "نسبة التوافق: {n}%"},
	"label.view":            {"Voir l'offre", "View the offer", "الاطلاع على العرض"},
	"label.view_text":       {"Voir l'offre : {url}", "View the offer: {url}", "الاطلاع على العرض: {url}"},
	"label.apply_mail":      {"Postuler par e-mail", "Apply by e-mail", "التقدم عبر البريد الإلكتروني"},
	"label.apply_mail_text": {"Postuler par e-mail : {address}", "Apply by e-mail: {address}", "التقدم عبر البريد الإلكتروني: {address}"},
	"label.source":          {"Source : {name}", "Source: {name}", "المصدر: {name}"},
	"label.source_prefix":   {"Source :", "Source:", "المصدر:"},
	"label.salary":          {"Salaire : {amount}", "Pay: {amount}", "الأجر: {amount}"},
	"label.feedback":        {"Cette offre :", "This offer:", "هذا العرض:"},
	"label.useful":          {"utile", "useful", "مفيد"},
	"label.not_for_me":      {"pas pour moi", "not for me", "ليس لي"},
	"label.feedback_line":   {"{label} : {url}", "{label}: {url}", "{label}: {url}"},
	"period.hour":           {"heure", "hour", "ساعة"},
	"period.day":            {"jour", "day", "يوم"},
	"period.week":           {"semaine", "week", "أسبوع"},
	"period.month":          {"mois", "month", "شهر"},
	"period.year":           {"an", "year", "سنة"},

	"footer.why":         {"Vous recevez ce message parce que vous avez activé les alertes emploi de Passerelle ({frequency}).", "You are receiving this email because you turned on Passerelle job alerts ({frequency}).", "تصلك هذه الرسالة لأنك فعّلت تنبيهات الوظائف في Passerelle ({frequency})."},
	"footer.unsubscribe": {"Se désinscrire", "Unsubscribe", "إلغاء الاشتراك"},
	"footer.manage":      {"Gérer mes alertes", "Manage alerts", "إدارة التنبيهات"},
	"footer.unsub_text":  {"Se désinscrire : {url}", "Unsubscribe: {url}", "إلغاء الاشتراك: {url}"},
	"footer.manage_text": {"Gérer mes alertes : {url}", "Manage alerts: {url}", "إدارة التنبيهات: {url}"},

	"frequency.instant": {"dès qu'une offre correspond", "as soon as an offer matches", "فور توفر عرض مناسب"},
	"frequency.daily":   {"résumé quotidien", "daily digest", "ملخص يومي"},
	"frequency.weekly":  {"résumé hebdomadaire", "weekly digest", "ملخص أسبوعي"},

	"workplace.remote": {"Télétravail", "Remote", "عن بُعد"},
	"workplace.hybrid": {"Hybride", "Hybrid", "هجين"},
	"workplace.onsite": {"Sur site", "On-site", "حضوري"},
	"where.worldwide":  {"monde entier", "worldwide", "من أي مكان في العالم"},
	"where.unknown":    {"pays éligibles non précisés", "eligible countries not stated", "البلدان المؤهلة غير محددة"},

	"seniority.internship": {"stage", "internship", "تدريب"},
	"seniority.junior":     {"junior", "junior", "مبتدئ"},
	"seniority.mid":        {"confirmé", "mid-level", "متوسط الخبرة"},
	"seniority.senior":     {"senior", "senior", "خبير"},
	"seniority.lead":       {"responsable d'équipe", "lead", "قائد فريق"},

	"employment.full_time":      {"temps plein", "full-time", "دوام كامل"},
	"employment.part_time":      {"temps partiel", "part-time", "دوام جزئي"},
	"employment.contract":       {"contrat à durée déterminée", "contract", "عقد محدد المدة"},
	"employment.freelance":      {"freelance", "freelance", "عمل حر"},
	"employment.internship":     {"stage", "internship", "تدريب"},
	"employment.apprenticeship": {"alternance", "apprenticeship", "تدريب مهني"},
	"employment.temporary":      {"intérim", "temporary", "عمل مؤقت"},

	"reason.remote_open_to":       {"Télétravail ouvert aux résidents de : {country}", "Remote, open to {country}", "عن بُعد، متاح للمقيمين في {country}"},
	"reason.remote_worldwide":     {"Télétravail depuis n'importe quel pays", "Remote, open worldwide", "عن بُعد، متاح من أي مكان في العالم"},
	"reason.remote_scope_unknown": {"Télétravail, mais l'annonce ne précise pas depuis quels pays", "Remote, but the ad does not say from which countries", "عن بُعد، لكن الإعلان لا يحدد البلدان المسموح بها"},
	"reason.onsite_in":            {"Sur site à {city}", "On-site in {city}", "حضوري في {city}"},
	"reason.hybrid_in":            {"Hybride à {city}", "Hybrid in {city}", "هجين في {city}"},
	"reason.seniority_fit":        {"Poste de niveau {level}", "{level} role", "مستوى الوظيفة: {level}"},
	"reason.employment_fit":       {"Type de contrat : {type}", "Employment: {type}", "نوع العقد: {type}"},
	"reason.skills_matched.one":   {"{n} compétence requise sur {total}", "{n} of {total} required skill", "{n} من أصل {total} من المهارات المطلوبة"},
	"reason.skills_matched.other": {"{n} compétences requises sur {total}", "{n} of {total} required skills", "{n} من أصل {total} من المهارات المطلوبة"},
	"reason.skills_missing":       {"À acquérir : {list}", "Missing: {list}", "مهارات ناقصة: {list}"},
	"reason.language_ok":          {"Vous parlez les langues demandées : {langs}", "You speak the required languages: {langs}", "تتقن اللغات المطلوبة: {langs}"},
	"reason.fresh.zero":           {"Publiée aujourd'hui", "Posted today", "نُشر اليوم"},
	"reason.fresh.one":            {"Publiée il y a {n} jour", "Posted {n} day ago", "نُشر منذ يوم واحد"},
	"reason.fresh.two":            {"", "", "نُشر منذ يومين"},
	"reason.fresh.few":            {"", "", "نُشر منذ {n} أيام"},
	"reason.fresh.other":          {"Publiée il y a {n} jours", "Posted {n} days ago", "نُشر منذ {n} يومًا"},
	"reason.role_fit":             {"Intitulé proche du poste que vous recherchez", "Job title close to the role you are looking for", "المسمى الوظيفي قريب من الوظيفة التي تبحث عنها"},
	"reason.role_fit_headline":    {"Intitulé proche de votre recherche : « {headline} »", "Job title close to what you are looking for: “{headline}”", "المسمى الوظيفي قريب مما تبحث عنه: «{headline}»"},

	"label.open_until": {"Candidatures jusqu'au {date}", "Apply by {date}", "آخر أجل للتقديم: {date}"},
	"intro.capped":     {"Vous avez reçu aujourd'hui le nombre maximal d'alertes immédiates ; les offres suivantes sont réunies dans ce résumé.", "You had the most instant alerts we send in a day; the next offers are gathered in this digest.", "تلقيت اليوم الحد الأقصى من التنبيهات الفورية؛ جمعنا العروض التالية في هذا الملخص."},

	// The weekly digest's skill-gap line; {pct} is "gap.pct" or nothing.
	"gap.one":   {"{skill} : l'apprendre vous ouvrirait une offre de plus ce mois-ci{pct}.", "Learning {skill} would open {n} more offer to you this month{pct}.", "تعلُّم {skill} سيتيح لك عرضًا إضافيًا واحدًا هذا الشهر{pct}."},
	"gap.two":   {"", "", "تعلُّم {skill} سيتيح لك عرضين إضافيين هذا الشهر{pct}."},
	"gap.few":   {"", "", "تعلُّم {skill} سيتيح لك {n} عروض إضافية هذا الشهر{pct}."},
	"gap.many":  {"", "", "تعلُّم {skill} سيتيح لك {n} عرضًا إضافيًا هذا الشهر{pct}."},
	"gap.other": {"{skill} : l'apprendre vous ouvrirait {n} offres de plus ce mois-ci{pct}.", "Learning {skill} would open {n} more offers to you this month{pct}.", "تعلُّم {skill} سيتيح لك {n} عرض إضافي هذا الشهر{pct}."},
	"gap.pct":   {" (+{pct} %)", " (+{pct}%)", " (\u2066+{pct}%\u2069)"},
}

// ReasonKeys lists the matcher reason keys the notifier renders, sorted.
func ReasonKeys() []string {
	keys := make([]string, 0, len(reasonArity))
	for k := range reasonArity {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// reasonArity is how many arguments each reason key takes; -1 means one or more.
var reasonArity = map[string]int{
	// remote_open_to, onsite_in and hybrid_in take a name and, from the
	// matcher, the ISO country code after it.
	"remote_open_to": -1, "remote_worldwide": 0, "remote_scope_unknown": 0,
	"onsite_in": -1, "hybrid_in": -1, "seniority_fit": 1, "employment_fit": 1,
	"skills_matched": 2, "skills_missing": -1, "language_ok": -1, "fresh": 1, "role_fit": 1,
}

// pluralCategory is the CLDR cardinal category of n in locale.
func pluralCategory(locale string, n int) string {
	switch locale {
	case LocaleAR:
		m := n % 100
		switch {
		case n == 0:
			return "zero"
		case n == 1:
			return "one"
		case n == 2:
			return "two"
		case m >= 3 && m <= 10:
			return "few"
		case m >= 11 && m <= 99:
			return "many"
		}
		return "other"
	case LocaleFR:
		if n == 0 || n == 1 {
			return "one"
		}
		return "other"
	}
	if n == 1 {
		return "one"
	}
	return "other"
}

// text returns the string for key in locale, with placeholders filled.
// A missing or empty translation falls back to English, then to the key.
func text(locale, key string, kv ...string) string {
	t, ok := catalog[key]
	if !ok {
		return key
	}
	s := t.in(locale)
	if s == "" {
		s = t.en
	}
	if len(kv) == 0 {
		return s
	}
	return strings.NewReplacer(kv...).Replace(s)
}

// plural picks the plural form of key for n ({n} is filled with n).
func plural(locale, key string, n int, kv ...string) string {
	kv = append(kv, "{n}", strconv.Itoa(n))
	for _, cat := range []string{pluralCategory(locale, n), "other"} {
		if t, ok := catalog[key+"."+cat]; ok && t.in(locale) != "" {
			return strings.NewReplacer(kv...).Replace(t.in(locale))
		}
	}
	return text(LocaleEN, key+".other", kv...)
}

func listSep(locale string) string {
	if locale == LocaleAR {
		return "، "
	}
	return ", "
}

func displayTag(locale string) language.Tag {
	switch locale {
	case LocaleEN:
		return language.English
	case LocaleAR:
		return language.Arabic
	}
	return language.French
}

// countryName turns an ISO 3166-1 alpha-2 code into its name in locale;
// anything else (a name the matcher already wrote) is returned as is.
func countryName(locale, s string) string {
	if len(s) == 2 {
		if r, err := language.ParseRegion(strings.ToUpper(s)); err == nil && r.IsCountry() {
			if name := display.Regions(displayTag(locale)).Name(r); name != "" {
				return name
			}
		}
	}
	return s
}

// languageName turns an ISO 639-1 code into its name in locale.
func languageName(locale, s string) string {
	if len(s) == 2 || len(s) == 3 {
		if b, err := language.ParseBase(strings.ToLower(s)); err == nil {
			if name := display.Languages(displayTag(locale)).Name(b); name != "" {
				return name
			}
		}
	}
	return s
}

// label translates an enumerated value (seniority, employment) or returns it.
func label(locale, prefix, v string) string {
	if _, ok := catalog[prefix+v]; ok {
		return text(locale, prefix+v)
	}
	return strings.ReplaceAll(v, "_", " ")
}

// renderReason renders one matcher reason in locale. ok is false when the
// key is unknown or its arguments do not fit, so the caller falls back to
// the English text the matcher wrote.
func renderReason(locale string, r matcher.Reason, skill func(string) string) (string, bool) {
	arity, known := reasonArity[r.Key]
	if !known || (arity >= 0 && len(r.Args) != arity) || (arity < 0 && len(r.Args) == 0) {
		return "", false
	}
	key := "reason." + r.Key
	switch r.Key {
	case "remote_worldwide", "remote_scope_unknown":
		return text(locale, key), true
	case "remote_open_to":
		// The code, when given, names the country in the reader's language.
		return text(locale, key, "{country}", countryName(locale, r.Args[len(r.Args)-1])), true
	case "onsite_in", "hybrid_in":
		place := r.Args[0]
		if len(r.Args) > 1 && (place == "" || strings.EqualFold(place, countryName("en", r.Args[1]))) {
			place = countryName(locale, r.Args[1])
		} else if len(r.Args) > 1 {
			place = jobs.CityNameIn(place, r.Args[1], locale)
		}
		return text(locale, key, "{city}", place), true
	case "seniority_fit":
		return text(locale, key, "{level}", label(locale, "seniority.", r.Args[0])), true
	case "employment_fit":
		return text(locale, key, "{type}", label(locale, "employment.", r.Args[0])), true
	case "role_fit":
		// The offer's title is the mail's heading already: quoting it
		// says nothing. With the graduate's headline, reasonsFor says
		// what it is close to.
		return text(locale, key), true
	case "skills_matched":
		n, err1 := strconv.Atoi(strings.TrimSpace(r.Args[0]))
		total, err2 := strconv.Atoi(strings.TrimSpace(r.Args[1]))
		if err1 != nil || err2 != nil || n < 0 || total < n {
			return "", false
		}
		return plural(locale, key, total, "{total}", strconv.Itoa(total), "{n}", strconv.Itoa(n)), true
	case "fresh":
		days, err := strconv.Atoi(strings.TrimSpace(r.Args[0]))
		if err != nil || days < 0 {
			return "", false
		}
		if days == 0 {
			return text(locale, key+".zero"), true
		}
		return plural(locale, key, days), true
	case "skills_missing":
		names := make([]string, 0, len(r.Args))
		for _, a := range splitArgs(r.Args) {
			names = append(names, skill(a))
		}
		return text(locale, key, "{list}", strings.Join(names, listSep(locale))), true
	case "language_ok":
		names := make([]string, 0, len(r.Args))
		for _, a := range splitArgs(r.Args) {
			names = append(names, languageName(locale, a))
		}
		return text(locale, key, "{langs}", strings.Join(names, listSep(locale))), true
	}
	return "", false
}

// splitArgs accepts list arguments given either one per element or as one
// comma-separated element.
func splitArgs(args []string) []string {
	var out []string
	for _, a := range args {
		for p := range strings.SplitSeq(a, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// reasonsFor renders a match's reasons in locale, falling back to the
// English text in m.Reasons for keys this catalog does not know. Reasons a
// line of the offer says already are left out: the missing skills (when
// the match lists them) and the freshness (when the offer's date is
// shown, postedLine). role_fit names the graduate's headline when known.
func reasonsFor(locale string, m matcher.Match, skill func(string) string, headline string, postedLine bool) []string {
	if len(m.ReasonKeys) == 0 {
		return m.Reasons
	}
	headline = oneLine(headline)
	if r := []rune(headline); len(r) > 80 {
		headline = strings.TrimSpace(string(r[:79])) + "…"
	}
	out := make([]string, 0, len(m.ReasonKeys))
	for i, r := range m.ReasonKeys {
		switch {
		case r.Key == "skills_missing" && len(m.MissingSkills) > 0,
			r.Key == "fresh" && postedLine:
			continue
		case r.Key == "role_fit" && headline != "":
			if locale == LocaleAR {
				headline = "\u2068" + headline + "\u2069" // first-strong isolate: any script keeps its direction
			}
			out = append(out, text(locale, "reason.role_fit_headline", "{headline}", headline))
			continue
		}
		if s, ok := renderReason(locale, r, skill); ok {
			out = append(out, s)
			continue
		}
		if i < len(m.Reasons) && len(m.Reasons) == len(m.ReasonKeys) {
			out = append(out, m.Reasons[i])
		}
	}
	return out
}
