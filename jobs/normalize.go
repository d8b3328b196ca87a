package jobs

import (
	"fmt"
	"net/url"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SkillExtractor finds taxonomy skill ids in free text. Package skills
// implements it; jobs declares it so that it does not import skills.
type SkillExtractor interface {
	Extract(text string) (required, optional []string)
}

// Normalizer turns Postings into Offers with the rules every source shares.
// Its zero value works: no skills are extracted and time.Now is the clock.
type Normalizer struct {
	Skills SkillExtractor   // optional; nil = no skills extracted
	Now    func() time.Time // default time.Now; reads relative dates ("3 days ago")
}

// Normalize builds an Offer from a Posting. It fails (with an error
// wrapping ErrInvalid) only when the posting has no title; every other value
// is read on a best-effort basis and what cannot be read is kept in
// Offer.Raw (salary_text, location_text, posted_at, valid_through, ...).
// The result passes Offer.Validate.
func (n Normalizer) Normalize(p Posting) (Offer, error) {
	title := truncateRunes(collapseSpace(HTMLToTextInline(p.Title)), MaxTitleLen)
	if title == "" {
		return Offer{}, fmt.Errorf("jobs: normalize posting %q from %q: %w", p.URL, p.Source, &FieldError{Field: "title", Reason: "is required"})
	}
	now := time.Now
	if n.Now != nil {
		now = n.Now
	}
	o := Offer{
		Source:  strings.TrimSpace(p.Source),
		Title:   title,
		Company: truncateRunes(collapseSpace(HTMLToTextInline(p.Company)), MaxCompanyLen),
		Terms:   p.Terms,
		Raw:     map[string]string{},
	}
	if o.Company == "" {
		if c, t, ok := splitFeedTitle(title); ok {
			o.Company, o.Title, title = c, t, t
		}
	}
	for k, v := range p.Raw {
		o.Raw[k] = v
	}
	o.URL = keepURL(p.URL, false, "url", o.Raw)
	o.ApplyURL = keepURL(p.ApplyURL, true, "apply_url", o.Raw)

	desc := p.Description
	if strings.TrimSpace(p.DescriptionHTML) != "" {
		desc = HTMLToText(p.DescriptionHTML)
	} else if strings.ContainsAny(desc, "<&") {
		desc = HTMLToText(desc)
	} else {
		desc = tidyLines(desc)
	}
	o.Description = truncateRunes(desc, MaxDescriptionLen)

	o.Locations = n.locations(p, o.Raw)
	if len(o.Locations) == 0 && len(p.LocationTexts) == 0 {
		if l, ok := locationFromTitle(title); ok {
			o.Locations = []Location{l}
			o.Raw["location_from_title"] = "true"
		}
	}
	dv := newDescView(o.Description)
	o.Workplace = workplace(p, title, dv)
	if o.Workplace == WorkplaceUnknown && remoteScopeStated(dv.folded()) {
		o.Workplace = Remote // "Remote within Morocco only" (remotescope.go)
	}
	if o.Workplace == Remote || o.Workplace == Hybrid {
		o.Eligibility = eligibility(p, o.Workplace == Remote, o.Locations, dv)
		if !o.Eligibility.Known && o.Workplace == Remote {
			o.Eligibility = titleScope(title) // "Remote Data Analyst (Morocco)" (remotescope.go)
		}
	} else {
		// "Applicants must be authorized to work in Canada" on an on-site
		// job (classes13.go).
		o.Eligibility = workAuthorization(dv.folded())
	}
	if len(o.Locations) == 0 && len(p.LocationTexts) == 0 && o.Workplace != Remote {
		// Places the title or the text names ("Data Engineer Oujda",
		// "présentiel à Casablanca"); a remote job's text names the
		// company's seat, not the job's place.
		if l, ok := cityAtTitleEnd(title); ok {
			o.Locations = []Location{l}
			o.Raw["location_from_title"] = "true"
		} else if l, ok := placesInText(o.Description); ok {
			o.Locations = []Location{l}
			o.Raw["location_from_text"] = "true"
		}
	}
	o.Employment = employmentIn(p, title, dv)
	o.Seniority = seniorityIn(p, title, dv, o.Employment)
	o.Salary = salary(p, o.Locations, o.Raw, dv)
	o.Languages = languages(append(titleLanguages(o.Title), p.Languages...), o.Description)
	if n.Skills != nil {
		text := maskCompany(title+"\n"+o.Description, o.Company)
		if len(p.Tags) > 0 {
			text += "\n" + strings.Join(p.Tags, ", ")
		}
		req, opt := n.Skills.Extract(text)
		o.Skills = dedupe(req, MaxListLen)
		opt = slices.DeleteFunc(dedupe(opt, MaxListLen), func(s string) bool { return slices.Contains(o.Skills, s) })
		if len(opt) > 0 {
			o.OptionalSkills = opt
		}
	}
	o.PostedAt = readDate(p.PostedAt, "posted_at", now(), o.Raw)
	o.ValidThrough = readDate(p.ValidThrough, "valid_through", now(), o.Raw)
	if o.PostedAt != nil && o.PostedAt.After(now().Add(48*time.Hour)) {
		o.Raw["posted_at"] = p.PostedAt
		o.PostedAt = nil // a date in the future is a mistake, not a posting date
	}

	sourceID := p.SourceID
	if strings.TrimSpace(sourceID) == "" && o.URL == "" {
		sourceID = shortHash(o.Title, o.Company, truncateRunes(o.Description, 2000))
	}
	o.ID = OfferID(o.Source, sourceID, o.URL)
	o.Fingerprint = Fingerprint(o)
	if len(o.Raw) == 0 {
		o.Raw = nil
	}
	if err := o.Validate(); err != nil {
		// Every field above is built to pass; this guards future changes.
		return o, fmt.Errorf("jobs: normalize %s: %w", o.ID, err)
	}
	return o, nil
}

// HTMLToTextInline is HTMLToText on one line (titles, company names).
func HTMLToTextInline(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	return collapseSpace(HTMLToText(s))
}

// keepURL returns u when Validate would accept it, otherwise keeps it raw.
func keepURL(u string, mailto bool, key string, raw map[string]string) string {
	u = strings.TrimSpace(u)
	if u == "" {
		return ""
	}
	pu, err := url.Parse(u)
	ok := err == nil && ((pu.Scheme == "http" || pu.Scheme == "https") && pu.Host != "" || (mailto && pu.Scheme == "mailto"))
	if !ok {
		raw[key] = u
		return ""
	}
	return u
}

func dedupe(in []string, limit int) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
		if len(out) == limit {
			break
		}
	}
	return out
}

func addRaw(raw map[string]string, key, v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	if old, ok := raw[key]; ok && old != "" && old != v {
		raw[key] = old + " | " + v
		return
	}
	raw[key] = v
}

// descView is a description prepared once for the readers of workplace,
// employment and seniority, which all read its first 20,000 bytes without
// accents.
type descView struct {
	desc      string
	fold      *scanText // stripAccents(truncateRunes(desc, 20000))
	yearsForm *scanText // yearsText of the same
}

func newDescView(desc string) *descView { return &descView{desc: desc} }

func (v *descView) folded() *scanText {
	if v.fold == nil {
		v.fold = newScanText(stripAccents(truncateRunes(v.desc, 20000)))
	}
	return v.fold
}

func (v *descView) years() *scanText {
	if v.yearsForm == nil {
		// yearsText(truncateRunes(v.desc, 20000)), reusing folded.
		v.yearsForm = newScanText(spellYears(lowerQuotes(v.folded().s)))
	}
	return v.yearsForm
}

// ---- locations ----

func (n Normalizer) locations(p Posting, raw map[string]string) []Location {
	var out []Location
	add := func(l Location) {
		if l.City == "" && l.Country == "" && l.Region == "" {
			return
		}
		for _, x := range out {
			if strings.EqualFold(x.City, l.City) && x.Country == l.Country {
				return
			}
		}
		if len(out) < MaxListLen {
			out = append(out, l)
		}
	}
	for _, l := range p.Locations {
		l.City = truncateRunes(collapseSpace(l.City), 200)
		l.Region = truncateRunes(collapseSpace(l.Region), 200)
		country := collapseSpace(l.Country)
		l.Country = ""
		if country != "" {
			if cc, ok := CountryCode(country); ok {
				l.Country = cc
			} else {
				addRaw(raw, "location_country", country)
			}
		}
		if l.City != "" {
			if c, ok := lookupCity(l.City); ok && (l.Country == "" || l.Country == c.Country) {
				l.Country = c.Country
			} else if l.Country == "" {
				if pl, ok := ParseLocation(l.City); ok {
					l.City, l.Country = pl.City, pl.Country
					if l.Region == "" {
						l.Region = pl.Region
					}
				}
			}
		}
		if l.City != "" && isWorkplaceWord(l.City) {
			l.City = ""
		}
		add(l)
	}
	for _, t := range p.LocationTexts {
		for _, part := range splitLocationList(t) {
			if l, ok := ParseLocation(part); ok {
				add(l)
			} else if !isWorkplaceWord(part) {
				addRaw(raw, "location_text", part)
			}
		}
	}
	return out
}

// splitLocationList cuts "Paris, France; London, UK" or "Berlin | Munich"
// into single locations; commas stay (they separate city and country).
func splitLocationList(t string) []string {
	t = collapseSpace(t)
	if t == "" {
		return nil
	}
	parts := strings.FieldsFunc(t, func(r rune) bool { return r == ';' || r == '|' || r == '\n' || r == '•' })
	var out []string
	for _, p := range parts {
		for _, q := range splitWords(p, " or ", " ou ", " and ", " et ") {
			if q = strings.TrimSpace(q); q != "" {
				out = append(out, q)
			}
		}
	}
	return out
}

func isWorkplaceWord(s string) bool {
	switch fold(s) {
	case "remote", "remotely", "fully remote", "full remote", "100 remote", "hybrid", "hybride", "onsite", "on site",
		"teletravail", "a distance", "work from home", "wfh", "anywhere", "worldwide", "telecommute", "distanciel":
		return true
	}
	return false
}

// ---- workplace ----

var (
	hybridRe = newFastRe(`(?i)\b(hybrid|hybride|hybridem|t[ée]l[ée]travail\s+(partiel|possible|occasionnel|fr[ée]quent|r[ée]gulier|ponctuel)|partial(ly)?\s+remote|remote[- ]friendly\s+hybrid|(\d|un|une|deux|trois|quatre|one|two|three|four)\s*(jours?|days?)\s*(de\s+)?(t[ée]l[ée]travail|remote|from\s+home|at\s+home|par\s+semaine\s+en\s+t[ée]l[ée]travail)|flex(ible)?\s+office|mix\s+of\s+remote|(t[ée]l[ée]travail|remote(\s+work)?|work\s+from\s+home|wfh)\s*:?\s*(possible\s+)?([1-4]|un|une|deux|trois|quatre|one|two|three|four)\s*(jours?|days?|j)\b)\b|هجين|هجينة|الهجين`)
	remoteRe = newFastRe(`(?i)(\bfull(y)?[- ]remote\b|\b100\s*%\s*(remote|t[ée]l[ée]travail)\b|\bremote[- ]first\b|\bt[ée]l[ée]travail\s+(complet|total|int[ée]gral|100)|\bfull\s+t[ée]l[ée]travail\b|(?:^|\s)a\s+distance\b|\bremote\s+(position|role|job|work|opportunity|team|company|only|ok)\b|\bwork(?:ing)?\s+from\s+home\b|\bwork(?:ing)?\s+from\s+anywhere\b|\btelecommut\w*|\b(?:is|fully|100\s*%|full[\s-]time)\s+wfh\b|\bwfh\s+(?:position|role|job|only|basis)\b|\bremote\s+(?:within|across|throughout|anywhere)\b|\bwork\s*:\s*(?:from\s+home|remote(?:ly)?|fully\s+remote)\b|\bfrom\s+home,?\s+(?:from\s+)?anywhere\b|\bdistributed\s+team\b|\bhome[- ]office\b|\bhome[- ]based\b|\b(?:poste|mission|emploi|travail|job|role|position)\s+(?:(?:100\s*%|totalement|entierement|enti[eè]rement)\s+)?en\s+t[ée]l[ée]travail\b|عن\s+بعد)`)
	// remoteHomeRe is work from one's own home in other words: "from your
	// own home", "depuis chez vous", "travail à domicile", "العمل من
	// المنزل" (apart from remoteRe so that each stays small enough for the
	// backtracking matcher).
	remoteHomeRe = newFastRe(`(?i)\bfrom\s+your\s+(?:own\s+)?home\b|\bdepuis\s+(?:chez\s+(?:vous|soi|toi)|votre\s+domicile)|\b(?:travail|travailler|travaillerez|travaillez)\s+(?:a|de)\s+domicile\b|(?:العمل|عمل|تعمل|ستعمل|الشغل|شغل|تشتغل|نشتغل|يشتغل|الدوام|دوام|تداوم)\s*:?\s*(?:من|في|بال)\s*(?:ال)?(?:منزل|بيت)(?:\s|$|[.,،؛:)])|\b(?:khedma|kheddma|khdma|lkhedma|lkheddma|tkhdem|tkhdm|tekhdem|khdem|nkhdmo|ghatkhdem)\s+(?:mn|men|min)\s+(?:dar|ddar|darek|darak|darkom|l?bit)\b`)
	remoteWordRe = newFastRe(`(?i)\b(remote|remotely|t[ée]l[ée]travail|teletravail|telework|wfh|anywhere|worldwide|distanciel|remoto|remota)\b`)
	noRemoteRe   = newFastRe(`(?i)\b(pas\s+(de\s+)?teletravail|sans\s+(possibilite\s+de\s+)?teletravail|teletravail\s+(non|impossible|interdit|n'est\s+pas\s+(possible|autorise|propose))|no\s+(remote|work(ing)?\s+(from|at)\s+home)|not\s+remote|non[- ]remote|(remote(\s+work(ing)?)?|work(ing)?\s+(from|at)\s+home|travail\s+a\s+distance|home\s*office)\s+(is\s+)?(not|n'est\s+pas)\s+(possible|available|an\s+option|on\s+offer|offered|allowed|autorise|propose)|kein(e)?\s+(homeoffice|remote)|pas\s+de\s+travail\s+a\s+distance|no\s+wfh|(?:machi|mashi|mochi|ma\s+kaynch|makaynch|ma\s+kaynach|makaynach)\s+(?:remote|teletravail|a\s+distance))\b|(?:لا\s+(?:يوجد|يتوفر|تتوفر|يمكن|يتاح|تتاح|نوفر|نقدم|يسمح\s+ب)|بدون|من\s+دون|ليس|ليست|ما\s+كاينش|ماكاينش|ما\s+فيش|مافيش)\s+(?:(?:خيار|[إا]مكاني[ةه]|فرص[ةه])\s+)?(?:لل|ال)?(?:عمل|شغل|خدم[ةه]|الخدم[ةه])\s+(?:عن\s+بعد|من\s+(?:ال)?(?:بيت|منزل|دار))|(?:ال)?عمل\s+عن\s+بعد\s+(?:غير\s+(?:متاح|متاحة|ممكن|متوفر|مسموح)|ممنوع)`)
	onsiteRe     = newFastRe(`(?i)\b(on[- ]?site|onsite|in[- ]office|office[- ]based|sur\s+site|pr[ée]sentiel|in\s+person|in-person|vor\s+ort|no\s+remote|not\s+remote|pas\s+de\s+t[ée]l[ée]travail|(?:poste|travail|emploi)\s+(?:en|dans\s+(?:une|notre|nos|l'|la|le))\s*(?:agences?|boutiques?|magasins?|usines?|entrep[ôo]ts?|ateliers?|succursales?))\b|\b(?:f|fl|f\s+l')\s*l?bureau\b|حضوري|حضوريا|في\s+مقر\s+(?:ال)?شركة|(?:العمل|عمل|الدوام|دوام|الشغل|شغل|تعمل|تشتغل|تداوم|التدريب|تدريب|الخدمة|خدمة|تخدم)\s*:?\s*(?:من|في|داخل|ب|بال|ف|فال)\s*(?:ال)?(?:مكتب|مكاتب|مقر|موقع)`)
)

// workplaceFieldValues are bare values of workplace fields (French feeds
// give the amount of télétravail: "Total", "Partiel", "Occasionnel").
var workplaceFieldValues = map[string]Workplace{
	"total": Remote, "complet": Remote, "full": Remote, "yes": Remote, "true": Remote, "oui": Remote,
	"partiel": Hybrid, "occasionnel": Hybrid, "regulier": Hybrid, "frequent": Hybrid, "partial": Hybrid,
	"flexible": Hybrid, "no": Onsite, "false": Onsite, "non": Onsite, "aucun": Onsite, "none": Onsite,
	"in office": Onsite, "office": Onsite,
}

// classifyWorkplace reads one short workplace statement.
func classifyWorkplace(s string) Workplace {
	s = strings.ReplaceAll(stripAccents(s), "_", " ")
	if s == "" {
		return WorkplaceUnknown
	}
	t := newScanText(s)
	switch {
	case noRemoteRe.MatchString(t):
		return Onsite
	case hybridRe.MatchString(t):
		return Hybrid
	case onsiteRe.MatchString(t) && !remoteWordRe.MatchString(t):
		return Onsite
	case remoteRe.MatchString(t) || remoteWordRe.MatchString(t):
		return Remote
	case onsiteRe.MatchString(t):
		return Onsite
	}
	return WorkplaceUnknown
}

func workplace(p Posting, title string, dv *descView) Workplace {
	// Structured flags and short workplace fields first.
	fromTexts := WorkplaceUnknown
	for _, t := range p.WorkplaceTexts {
		w := classifyWorkplace(t)
		if w == WorkplaceUnknown {
			w = workplaceFieldValues[fold(t)]
		}
		if w == Hybrid || (fromTexts == WorkplaceUnknown && w != WorkplaceUnknown) {
			fromTexts = w
		}
	}
	if p.Remote != nil {
		if *p.Remote {
			if fromTexts == Hybrid {
				return Hybrid
			}
			if fieldBasedRe.MatchString(dv.folded()) || fieldTravelRe.MatchString(dv.folded()) || fieldBasedRe.MatchString(newScanText(stripAccents(title))) {
				return Onsite // "field-based" on a remote board
			}
			if placeBoundTitle(title) && workplaceInText(dv, false) != Remote {
				return Onsite // "Warehouse Inventory Clerk", "Barista" on a remote board
			}
			if splitWeekInProse(dv) {
				return Hybrid // "remote-first but in the office on Mondays"
			}
			return Remote
		}
		switch classifyWorkplace(title) {
		case Hybrid:
			return Hybrid
		case Remote:
			// "Client Support - Remote": the ad's own title outweighs a
			// board's "remote: no" (often a default), unless the text says
			// on site or hybrid, or "remote" names the trade ("Remote
			// Sensing Analyst").
			if w := workplaceInText(dv, false); fromTexts == WorkplaceUnknown && (w == Remote || w == WorkplaceUnknown) &&
				!remoteTradeRe.MatchString(newScanText(stripAccents(title))) {
				return Remote
			}
		}
		if fromTexts == Hybrid {
			return Hybrid
		}
		return Onsite
	}
	if fromTexts != WorkplaceUnknown {
		return fromTexts
	}
	for _, t := range p.LocationTexts {
		if w := classifyWorkplace(t); w != WorkplaceUnknown {
			return w
		}
	}
	if w := classifyWorkplace(title); w != WorkplaceUnknown {
		return w
	}
	for _, l := range p.Locations {
		if w := classifyWorkplace(l.City); w == Remote || w == Hybrid {
			return w
		}
	}
	if w := workplaceInProse(dv); w != WorkplaceUnknown {
		return w
	}
	for _, t := range p.EligibilityTexts {
		if strings.TrimSpace(t) != "" {
			// A field saying where applicants may live ("Anywhere in the
			// World", "USA Only": We Work Remotely's <region>, schema.org's
			// applicantLocationRequirements) is only given for work done
			// from where the applicant lives.
			return Remote
		}
	}
	return WorkplaceUnknown
}

// workplaceInProse reads a description: a "Télétravail : Non" line first,
// then explicit phrases, hybrid before remote, remote before on site.
// Remote onboarding or training before on-site work does not make a job
// remote.
func workplaceInProse(dv *descView) Workplace { return workplaceInText(dv, true) }

// workplaceInText is workplaceInProse; moves tells whether relocation
// support counts as on site (not when the title says remote: "Support
// with French - Remote" offering relocation to the country).
func workplaceInText(dv *descView, moves bool) Workplace {
	d := dv.folded()
	h := workplaceProse.scan(d, 100)
	if m := h.first[0]; m != nil {
		v := strings.TrimSpace(d.s[m[2]:m[3]])
		if someDaysRe.MatchString(newScanText(v)) {
			return Hybrid // "Télétravail : 2 jours par semaine"
		}
		if w := shareOfRemote(d.s[m[0]:m[2]], v); w != WorkplaceUnknown {
			return w // "Télétravail : 100%", "Remote: 40 %"
		}
		if yesWithDays(d.s[m[2]:]) {
			return Hybrid // "Télétravail : Oui, 2 jours par semaine", "Remote: yes (1 day a week)"
		}
		if w, ok := workplaceFieldValues[fold(v)]; ok {
			return w
		}
		if w := classifyWorkplace(v); w != WorkplaceUnknown {
			return w
		}
	}
	if h.hit[1] {
		d = newScanText(temporaryRemoteRe.ReplaceAllLiteralString(d, " "))
		h = workplaceProse.scan(d, 100)
	}
	split, everyDay := h.hit[2], h.hit[3]
	if !split {
		split = splitWeekIn(d)
	}
	switch {
	case noRemoteRe.MatchString(d) && !split && !hybridRe.MatchString(d):
		return Onsite
	case split, hybridRe.MatchString(d):
		return Hybrid
	case remoteRe.MatchString(d), remoteHomeRe.MatchString(d):
		return Remote
	case remoteLabelLine(d.s):
		// A "Remote" heading with office days stated in prose is hybrid.
		if onsiteRe.MatchString(d) {
			return Hybrid
		}
		return Remote
	case everyDay, onsiteRe.MatchString(d), officeOrMove(d, moves):
		return Onsite
	}
	if w := workplaceOtherLangs(d); w != WorkplaceUnknown {
		return w // "Modalidad híbrida", "100% remoto", "puesto presencial"
	}
	if ms := workLocationRe.FindAllStringSubmatchIndex(d, 1); len(ms) > 0 {
		m := ms[0]
		// "Lieu de travail : Tanger", "Work location: our Agadir plant",
		// "مكان العمل: الدار البيضاء", "Poste basé à Fès": the job is done
		// at a named place, unless the value says remote or hybrid.
		if m[2] >= 0 {
			if w := classifyWorkplace(d.s[m[2]:m[3]]); w != WorkplaceUnknown {
				return w
			}
		}
		return Onsite
	}
	if onsitePlace(d) {
		return Onsite // "Travail sur place à Rabat" (classes13.go)
	}
	return WorkplaceUnknown
}

// shareOfRemoteRe is a remote label's value given as a bare share
// ("Télétravail : 100%", "Remote: 40 %"); "Mode de travail : 100 %
// présentiel" names what the share is of, and is read as words.
var shareOfRemoteRe = regexp.MustCompile(`^(\d{1,3})\s*%\s*(?:du\s+temps|of\s+the\s+time)?\s*$`)

// shareOfRemote reads the share a remote label gives: 0 % on site,
// 100 % remote, anything between hybrid.
func shareOfRemote(label, v string) Workplace {
	l := strings.ToLower(label)
	if !strings.Contains(l, "travail") && !strings.Contains(l, "remote") && !strings.Contains(l, "home") {
		return WorkplaceUnknown
	}
	if strings.Contains(l, "mode") || strings.Contains(l, "type") {
		return WorkplaceUnknown
	}
	m := shareOfRemoteRe.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return WorkplaceUnknown
	}
	switch n, _ := strconv.Atoi(m[1]); {
	case n == 0:
		return Onsite
	case n == 100:
		return Remote
	case n < 100:
		return Hybrid
	}
	return WorkplaceUnknown
}

// yesWithDays reports the value of a workplace label (up to the end of
// its line) that says yes, then gives a number of days: "Oui, 2 jours
// par semaine", "yes (1 day a week)".
func yesWithDays(v string) bool {
	if i := strings.IndexByte(v, '\n'); i >= 0 {
		v = v[:i]
	}
	v = strings.TrimSpace(v)
	end := strings.IndexAny(v, " \t,;:(/-")
	if end < 0 {
		return false
	}
	if w, ok := workplaceFieldValues[fold(v[:end])]; !ok || w != Remote {
		return false
	}
	rest := strings.TrimLeft(v[end:], " \t,;:-–(/")
	if len(rest) > 40 {
		rest = rest[:40]
	}
	return someDaysRe.MatchString(newScanText(rest))
}

// locationLabels are the labels of a place line (folded, lower case).
var locationLabels = map[string]bool{"location": true, "job location": true, "localisation": true, "lieu": true,
	"location type": true, "locations": true, "lieu de travail": true, "work location": true, "base": true}

// remoteLabelLine reports a line of a description (folded) that opens
// with a bare "Remote" or "Télétravail" heading, as boards print the
// workplace: "Remote (Morocco).", "Remote – EMEA", "Télétravail, Maroc".
// A label with a colon ("Remote: no", "Télétravail : partiel") is a field
// read before, and "remote sensing" is not the word alone.
func remoteLabelLine(d string) bool {
	for line := range strings.SplitSeq(d, "\n") {
		l := strings.TrimLeft(line, " \t-*•·|>")
		// "Location: Remote (…)", "Lieu : Télétravail": a place label
		// whose value is the workplace.
		if label, value, ok := strings.Cut(l, ":"); ok && locationLabels[strings.ToLower(strings.TrimSpace(label))] {
			l = strings.TrimLeft(value, " \t")
		}
		for _, w := range [...]string{"fully remote", "full remote", "remote", "teletravail", "télétravail"} {
			if len(l) < len(w) || !strings.EqualFold(l[:len(w)], w) {
				continue
			}
			rest := strings.TrimLeft(l[len(w):], " \t")
			if rest == "" {
				return true
			}
			switch rest[0] {
			case '(', ',', '.', '|', '/':
				return true
			}
			if strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, "–") || strings.HasPrefix(rest, "—") {
				return true
			}
		}
	}
	return false
}

// workLocationRe is a labelled place of work (group 1: its value) or a
// job said to be based at a place.
var workLocationRe = newFastRe(`(?i)(?:\b(?:lieu\s+de\s+travail|lieu\s+d'(?:affectation|exercice)|work\s+location|place\s+of\s+work|job\s+location|location\s+of\s+(?:work|the\s+(?:job|role|position))|local\s+de\s+trabalho|arbeitsort)|مكان\s+العمل)\s*[:：-]\s*([^\n.;]{1,60})|\b(?:poste|emploi|mission)\s+(?:est\s+)?bas[ée]e?\s+(?:a|au|en|dans|sur)\b|\b(?:job|role|position)\s+(?:is\s+)?based\s+(?:in|at)\b`)

// officeOrMove reports office presence required, or (when moves) a move
// paid or helped by the employer.
func officeOrMove(d *scanText, moves bool) bool {
	return officeRequiredRe.MatchString(d) || officeWeekRe.MatchString(d) || moves && relocationRe.MatchString(d)
}

// relocationRe is a move paid or helped by the employer: on site where
// the ad takes the graduate ("relocation support to Casablanca", "prise en
// charge du déménagement").
var relocationRe = newFastRe(`(?i)\b(?:relocation\s+(?:support|assistance|package|help|aid|bonus|allowance|costs?|budget|services?)|relocate\s+you|(?:help|support|assist)\s+(?:you\s+)?(?:with\s+)?(?:your\s+)?relocation|(?:aide|accompagnement|assistance|prise\s+en\s+charge)\s+(?:a\s+la\s+|au\s+|de\s+la\s+|du\s+)?(?:relocalisation|d[ée]m[ée]nagement|mobilit[ée]\s+g[ée]ographique)|frais\s+de\s+d[ée]m[ée]nagement)\b`)

// remoteTradeRe is "remote" naming a trade, not a place of work.
var remoteTradeRe = newFastRe(`(?i)\bremote(?:ly)?[\s-]+(?:sensing|sensor|monitoring|control|controlled|pilot|piloted|piloting|operator|operated|operations?|access|patient)\b`)

// officeRequiredRe is on-site work stated as an obligation:
// "présence au bureau obligatoire", "office attendance is required",
// "du lundi au vendredi dans nos locaux". It is read last (with
// relocationRe), so an ad that also says it is remote or hybrid stays so
// ("Work from home in Portugal … relocation support to Portugal").
var (
	officeRequiredRe = newFastRe(`(?i)\b(?:pr[ée]sence\s+(?:physique\s+|quotidienne\s+)?(?:au\s+bureau|sur\s+site|dans\s+(?:nos|les)\s+locaux|en\s+agence)\s+(?:est\s+)?(?:obligatoire|requise|exig[ée]e|indispensable|imp[ée]rative)|(?:office|on[\s-]?site|in[\s-]person)\s+(?:attendance|presence)\s+(?:is\s+)?(?:required|mandatory|expected|compulsory)|(?:attendance|presence)\s+(?:at|in)\s+(?:the\s+|our\s+)?(?:office|site)\s+(?:is\s+)?(?:required|mandatory|expected|compulsory))\b|الحضور\s+(?:الى|إلى|في)\s+(?:ال)?(?:مكتب|مقر)`)
	officeWeekRe     = newFastRe(`(?i)\b(?:(?:du\s+lundi\s+au\s+vendredi|monday\s+(?:to|through|-)\s+friday)\s+(?:au\s+bureau|sur\s+site|dans\s+nos\s+locaux|(?:in|at)\s+(?:the\s+|our\s+)?office)|(?:au\s+bureau|sur\s+site|dans\s+nos\s+locaux|(?:in|at)\s+(?:the\s+|our\s+)?office)\s+(?:du\s+lundi\s+au\s+vendredi|(?:from\s+)?monday\s+(?:to|through|-)\s+friday))\b`)
)

// workplaceProse reads the labelled line, temporary remote work, split
// weeks and full office weeks in one pass (in this order of parts).
var workplaceProse = newMultiRe(workplaceLabelRe, temporaryRemoteRe, splitWeekRe, officeEveryDayRe)

// A week split between the office and home, however it is worded: a
// sentence that names a part of the week (a count of days, once or twice a
// week, a weekday, "the rest of the week", a share in per cent) together
// with a place of work (office, site, hub, présentiel) and home or remote
// work (a share in per cent is found by splitWeekIn itself). "Work from our Rabat office three days a week and from home the
// rest", "au bureau le mardi et le jeudi ; les autres jours, de chez
// vous", "60 % à distance et 40 % sur site", "يومان في المكتب وثلاثة أيام
// من المنزل". A sentence that refuses remote work is not a split.
var (
	weekPartRe    = newFastRe(`(?i)\b(?:(?:[1-4]|one|two|three|four|un|une|deux|trois|quatre)\s*(?:jours?|journees?|days?)\b|once\s+a|twice\s+a|(?:une|deux|1|2)\s+fois\s+par|(?:mon|tues|wednes|thurs|fri)days?\b|(?:lundi|mardi|mercredi|jeudi|vendredi)s?\b|the\s+rest\s+of\s+the\s+(?:week|time)|the\s+rest\s*(?:[.,;]|$)|the\s+other\s+days|remaining\s+days|otherwise|le\s+reste\s+(?:du\s+temps|de\s+la\s+semaine|en|a|au|sur)\b|les\s+autres\s+jours|une\s+semaine\s+sur\s+deux|every\s+other\s+week|alternate\s+weeks|one\s+week\s+(?:in|out\s+of)\s+two)|(?:يوما?|يومين|يومان|ايام)(?:\s|$)|(?:ال)?(?:اثنين|ثلاثاء|اربعاء|خميس|جمعة)(?:\s|$|[.,،])`)
	officePlaceRe = newFastRe(`(?i)\b(?:office|offices|bureau|bureaux|locaux|sur\s+site|on[\s-]?site|in\s+person|en\s+personne|presentiel|hub|siege|headquarters|hq|campus|premises|agence|agency|plant|usine|studio)\b|مكتب|مقر|الحضور|حضوري`)
	homeWorkRe    = newFastRe(`(?i)\b(?:home|maison|domicile|chez\s+(?:vous|soi|toi)|teletravail|remote|remotely|a\s+distance|wfh|distanciel|wherever\s+you\s+(?:like|want|prefer|choose)|from\s+anywhere|(?:d')?ou\s+vous\s+(?:voulez|le\s+souhaitez|souhaitez))\b|المنزل|البيت|عن\s+بعد`)
)

// splitWeekInProse reports a description that splits the week between
// office and home (a board's remote flag does not outweigh it).
func splitWeekInProse(dv *descView) bool {
	d := dv.folded()
	if !splitAny.all.MatchString(d) && strings.IndexByte(d.s, '%') < 0 {
		return false // most remote ads: one pass
	}
	h := workplaceProse.scan(d, 100)
	if h.hit[1] {
		d = newScanText(temporaryRemoteRe.ReplaceAllLiteralString(d, " "))
		h = workplaceProse.scan(d, 100)
	}
	if noRemoteRe.MatchString(d) {
		return false
	}
	return h.hit[2] || splitWeekIn(d)
}

// splitAny finds either kind of split week in one pass.
var splitAny = newMultiRe(splitWeekRe, weekPartRe)

// splitWeekIn reports a sentence of d that splits the week (see weekPartRe).
func splitWeekIn(d *scanText) bool {
	for _, m := range weekPartRe.FindAllStringIndex(d, 20) {
		if m[0] >= 2 && d.s[m[0]-2:m[0]] == "ل" {
			continue // "اليوم" is today, not a day of the week
		}
		if longerPeriodAfter(d.s[m[1]:]) {
			continue // "we meet in person once a month": a remote job's gatherings, not a split week
		}
		if splitSentence(d.s, m[0], m[1]) {
			return true
		}
	}
	// A share in per cent ("60 % à distance et 40 % sur site"); 100 % is
	// the whole week.
	for from := 0; from < len(d.s); {
		k := strings.IndexByte(d.s[from:], '%')
		if k < 0 {
			break
		}
		i := from + k
		from = i + 1
		j := i
		for j > 0 && d.s[j-1] == ' ' {
			j--
		}
		n := 0
		for j-n > 0 && n < 3 && d.s[j-n-1] >= '0' && d.s[j-n-1] <= '9' {
			n++
		}
		if n == 0 || n == 3 || d.s[j-n] == '0' || (j-n > 0 && isWordByte(d.s[j-n-1])) {
			continue
		}
		if splitSentence(d.s, j-n, i+1) {
			return true
		}
	}
	return false
}

// longerPeriods are periods longer than a week.
var longerPeriods = wordSet("month", "months", "quarter", "quarters", "year", "years", "mois", "trimestre", "trimestres",
	"an", "ans", "annee", "semestre", "semester")

// longerPeriodAfter reports a period longer than a week first in rest
// ("once a month", "deux fois par an"): such meetings do not split the
// week.
func longerPeriodAfter(rest string) bool {
	w := strings.TrimLeft(rest, " ")
	if k := strings.IndexFunc(w, func(r rune) bool { return !(r >= 'a' && r <= 'z') }); k >= 0 {
		w = w[:k]
	}
	return longerPeriods[w]
}

// splitSentence reports the sentence around s[i:j] naming a place of work
// and home or remote work, without refusing remote work.
func splitSentence(s string, i, j int) bool {
	w := newScanText(sentenceAround(s, i, j))
	return officePlaceRe.MatchString(w) && homeWorkRe.MatchString(w) && !noRemoteRe.MatchString(w)
}

// sentenceAround returns the sentence holding s[i:j], at most 160 bytes
// on each side (a semicolon does not end it: "two days in the office;
// the other days from home").
func sentenceAround(s string, i, j int) string {
	start, end := max(0, i-160), min(len(s), j+160)
	if k := strings.LastIndexAny(s[start:i], ".!?\n"); k >= 0 {
		start += k + 1
	}
	if k := strings.IndexAny(s[j:end], ".!?\n"); k >= 0 {
		end = j + k
	}
	return s[start:end]
}

// someDaysRe is a share of the week: "2 jours", "one day a week".
var someDaysRe = newFastRe(`(?i)^(?:[1-4]|un|une|deux|trois|quatre|one|two|three|four)\s*(?:jours?|days?|j)\b`)

// fieldBasedRe is a job done travelling or on clients' sites: on site
// even when a remote board lists it.
// placeBoundRe are trades done at a physical place: a shop, a warehouse,
// a café, a vehicle, a site to guard or clean, a patient's bedside.
// placeBoundNotRe are the words of remote jobs that share them
// ("E-commerce Store Manager", "Warehouse Management Systems Analyst",
// "Virtual Receptionist", "Driver Onboarding Specialist").
var (
	placeBoundRe    = newFastRe(`(?i)\b(?:(?:shop|store|retail|boutique|magasin|supermarket|grocery)\s+(?:sales\s+)?(?:assistant|associate|clerk|manager|staff|worker|supervisor|keeper|cashier|team\s+member)|retail\s+sales|cashiers?|caissier(?:e|ere)?s?|baristas?|waiters?|waitress(?:es)?|serveu(?:r|se)s?|warehouse\s+(?:\pL+\s+)?(?:operatives?|workers?|associates?|clerks?|pickers?|packers?|assistants?|operators?)|order\s+pickers?|forklift|cariste|magasinier(?:e|ere)?|(?:delivery|truck|van|bus|taxi|lorry|hgv|forklift)\s+drivers?|chauffeur|livreu(?:r|se)|security\s+(?:guard|officer)|agent\s+de\s+(?:securite|surveillance|gardiennage)|cleaners?|housekeepers?|agent\s+d'entretien|femme\s+de\s+menage|(?:line|prep|kitchen)\s+cooks?|cuisinier(?:e|ere)?|commis\s+de\s+cuisine|chef\s+de\s+partie|(?:home\s+care|registered|staff|ward)\s+nurses?|infirmi(?:er|ere)s?|caregivers?|care\s+assistant|aide[\s-]soignante?|receptionists?|receptionniste)\b`)
	placeBoundNotRe = newFastRe(`(?i)\b(?:virtual|remote|online|e-?commerce|ecommerce|shopify|amazon|digital|software|systems?|analyst|engineer|developer|onboarding|recruit\w*|support|success|marketing|data|product|content|account\s+executive)\b`)
)

// placeBoundTitle reports a title naming a trade done at a physical place
// (placeBoundRe) and no word of a remote job (placeBoundNotRe).
func placeBoundTitle(title string) bool {
	t := newScanText(stripAccents(title))
	return placeBoundRe.MatchString(t) && !placeBoundNotRe.MatchString(t)
}

var fieldBasedRe = newFastRe(`(?i)\b(field[\s-]based|field\s+(role|position|job|work|service|technician|sales\s+(?:rep|representative|executive|agent))|travel\s+daily\s+to|technicien\s+(?:terrain|d'intervention|itin[ée]rant)|commercial\s+(?:terrain|itin[ée]rant)|(poste|emploi|m[ée]tier)\s+(de\s+)?terrain|100\s*%\s*terrain)\b|عمل\s+ميداني|وظيفة\s+ميدانية`)

// workplaceLabelRe is a labelled workplace line: "Télétravail : Non",
// "Remote: No", "Mode de travail : hybride", "Workplace type: On-site".
// fieldTravelRe is a job spent mostly travelling to customers: "On the
// road 80% of the time", "travel up to 75%", "most of your time in the
// field", "en déplacement à 70 %": on site, even on a remote board.
var fieldTravelRe = newFastRe(`(?i)\b(?:(?:on\s+the\s+road|travel(?:ling|ing)?|in\s+the\s+field|en\s+d[ée]placements?|sur\s+le\s+terrain|sur\s+la\s+route)\s+(?:up\s+to\s+|about\s+|around\s+|roughly\s+|a\s+|jusqu'a\s+|environ\s+)?(?:[5-9]\d|100)\s*%|(?:most|majority|much)\s+of\s+(?:the|your)\s+(?:time|week)\s+(?:on\s+the\s+road|travell?ing|in\s+the\s+field|visiting))`)

var workplaceLabelRe = newFastRe(`(?i)\b(?:t[ée]l[ée]travail|remote(?:\s+work)?|work\s*place(?:\s+type)?|mode\s+de\s+travail|work\s+(?:model|mode|arrangement|setting|location\s+type)|type\s+de\s+travail|home\s*office)\s*:\s*([^\n.;,]{1,25})`)

// temporaryRemoteRe is remote work for a start only: "onboarding à
// distance", "remote training for two weeks".
var temporaryRemoteRe = newFastRe(`(?i)\b(onboarding|formation(\s+initiale)?|training|int[ée]gration|p[ée]riode\s+d'essai|first\s+(few\s+)?(weeks?|days?|months?)|premi[eè]res?\s+(semaines?|jours?|mois))\s*(\([^()]{0,40}\)\s*|,[^,.;]{0,40},\s*)?\s(initial(e)?\s+)?((?:de|d'|of|for|lasting)\s+(?:\pL+\s+|\d+\s*){1,2}(?:semaines?|jours?|mois|weeks?|days?|months?)\s+)?((is|are|will\s+be|se\s+fait|se\s+fera|se\s+d[ée]roule(ra)?|sera|est|sont)\s+)?(a\s+distance|remote(ly)?|en\s+t[ée]l[ée]travail|en\s+ligne|online|from\s+home)\b`)

// splitWeekRe splits work between office and home: "2 jours sur site, 3
// en télétravail", "3 days in our Lisbon office", "two office days a
// month", "in the office on Mondays", "split your week between".
var splitWeekRe = newFastRe(`(?i)\b((?:[1-4]|one|two|three|four|un|une|deux|trois|quatre)\s*(?:jours?|days?)\s+(?:par\s+semaine\s+|a\s+week\s+|per\s+week\s+)?(?:sur\s+site|au\s+bureau|in\s+(?:the\s+|our\s+)?(?:\pL+\s+)?office|at\s+(?:the\s+|our\s+)?office|on[\s-]?site|onsite|en\s+pr[ée]sentiel|in\s+person|de\s+t[ée]l[ée]travail|en\s+t[ée]l[ée]travail|t[ée]l[ée]travaill[ée]s?|remote|from\s+home|at\s+home|a\s+distance)|(?:[1-4]|one|two|three|four|deux|trois|quatre)\s+(?:office|bureau)\s+days?|\d\s+en\s+t[ée]l[ée]travail|(?:in|at)\s+the\s+office\s+(?:on|every)\s+(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?)|au\s+bureau\s+les?\s+(?:lundis?|mardis?|mercredis?|jeudis?|vendredis?)|split\s+(?:your|the)\s+(?:week|time)\s+between|(?:between|entre)\s+(?:the\s+|our\s+|le\s+|nos\s+)?(?:office|bureaux?|locaux)\s+(?:and|et)\s+(?:home|la\s+maison|le\s+domicile|domicile)|mostly\s+remote\s+with|remote[\s-]first\s+but)\b|بين\s+المكتب\s+والمنزل`)

// officeEveryDayRe is full-time office work: "based in our London office
// five days a week", "work from our Dublin office every day".
var officeEveryDayRe = newFastRe(`(?i)\b((?:five|5|cinq)\s+(?:days|jours)\s+(?:a|per|par)\s+(?:week|semaine)|(?:office|bureau|locaux)\s+every\s+day|every\s+day\s+(?:in|at|from)\s+(?:the|our)\s+office|(?:in|from|at)\s+our\s+(?:\pL+\s+){0,2}(?:office|offices|headquarters|hq|studio|studios|campus|plant|premises|site)|dans\s+nos\s+(?:bureaux|locaux))\b`)

// ---- eligibility ----

func eligibility(p Posting, remote bool, locs []Location, dv *descView) Eligibility {
	var texts []string
	texts = append(texts, p.EligibilityTexts...)
	texts = append(texts, p.TimezoneTexts...)
	e := ParseEligibility(texts...)
	if len(p.EligibilityTexts) > 0 && len(p.TimezoneTexts) > 0 {
		// A separate time-zone field (Himalayas) narrows the stated places;
		// it does not open the job to every country in the window. Within
		// one text ("Europe, UK, European timezones") places and zones are
		// alternatives, which ParseEligibility reads as such.
		places := ParseEligibility(p.EligibilityTexts...)
		if len(places.Countries) > 0 || len(places.Regions) > 0 {
			e.Countries, e.Regions = places.Countries, places.Regions
			if places.UTCOffsetMin == nil {
				e.UTCOffsetMin, e.UTCOffsetMax = nil, nil
			}
		}
	}
	if !e.Known && remote {
		// Locations of a remote job say where it is open ("Remote, Italy",
		// "Remote (Europe)").
		var lt []string
		for _, t := range p.LocationTexts {
			lt = append(lt, splitLocationList(t)...)
		}
		e = ParseEligibility(lt...)
		if !e.Known {
			for _, l := range locs {
				if l.Country != "" {
					e.Countries = append(e.Countries, l.Country)
				}
			}
			if len(e.Countries) > 0 {
				slices.Sort(e.Countries)
				e.Countries = slices.Compact(e.Countries)
				e.Known = true
			}
		}
	}
	if !e.Known && dv.desc != "" {
		// The folded description: ParseEligibility strips accents anyway.
		e = ParseEligibility(descriptionForEligibility(dv.folded().s))
	} else if dv.desc != "" && len(p.EligibilityTexts) > 0 {
		// A board's field against the ad's own words (boardfield.go).
		e = fieldAndProse(e, p.EligibilityTexts, p.Title, dv.folded())
	} else if dv.desc != "" {
		// The fields said where; the description may still add places
		// ("Remote (Europe)" with "we also welcome applicants living in
		// Morocco") and say who is left out ("Anywhere" on the board,
		// "except the US" in the text).
		if !e.Worldwide && len(p.EligibilityTexts) == 0 {
			e = alsoPlaces(e, dv.desc)
		}
		if _, ex, ok := cutExclusionsIn(dv.folded()); ok {
			e.ExcludedCountries = append(e.ExcludedCountries, ex...)
			slices.Sort(e.ExcludedCountries)
			e.ExcludedCountries = slices.Compact(e.ExcludedCountries)
		}
	}
	if remote && dv.desc != "" {
		// "Applicants located outside of Germany will be declined":
		// open in Germany only, whatever the fields or the exclusions
		// read from "outside of" said.
		if ph := outsideOnly(dv.desc); len(ph) > 0 {
			if d := ParseEligibility(ph...); d.Known && !d.Worldwide && (len(d.Countries) > 0 || len(d.Regions) > 0) {
				e = d
			}
		}
	}
	e.ExcludedCountries = slices.DeleteFunc(e.ExcludedCountries, func(c string) bool { return !validCountry(c) })
	if len(e.ExcludedCountries) > MaxListLen {
		e.ExcludedCountries = e.ExcludedCountries[:MaxListLen]
	}
	e.Countries = slices.DeleteFunc(e.Countries, func(c string) bool { return !validCountry(c) })
	if len(e.Countries) > MaxListLen {
		e.Countries = e.Countries[:MaxListLen]
	}
	e.Known = e.Worldwide || len(e.Countries) > 0 || len(e.Regions) > 0 || e.UTCOffsetMin != nil
	return e
}

// narrowingPlaces is where a description says applicants must be, in
// strong terms only ("must reside in the EU", "US-based applicants only",
// "a North America-based role"), when it names places and not the
// world; the zero Eligibility otherwise. Weaker phrases ("for candidates
// located in California, the base pay is…") do not narrow a board's
// field.
func narrowingPlaces(desc string) Eligibility {
	st := newScanText(desc)
	var ph []string
	for _, m := range mustResideRe.FindAllStringSubmatch(st, 5) {
		ph = append(ph, m[1])
	}
	ph = append(ph, basedOnly(desc, lowerSameOffsets(desc))...)
	if len(ph) == 0 {
		return Eligibility{}
	}
	d := ParseEligibility(ph...)
	if !d.Known || d.Worldwide || len(d.Countries) == 0 && len(d.Regions) == 0 {
		return Eligibility{}
	}
	return d
}

// titleTimeZoneRe is a time zone named in a title: abbreviations of three
// letters or more (two-letter ones are ambiguous: "PT" is part time), a
// UTC offset, or "US time zones".
var titleTimeZoneRe = regexp.MustCompile(`\b(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|AKST|HST|CET|CEST|EET|EEST|WET|AEST|AEDT|AWST|SGT|JST|KST|(?:UTC|GMT)\s*[+\-−–]\s*\d{1,2})\b|(?i:\b(?:us|american|european|asian|apac)\s+time\s*zones?\b)`)

// titleTimeZone is the UTC window of a time zone a title names, the zero
// Eligibility when it names none.
func titleTimeZone(title string) Eligibility {
	m := titleTimeZoneRe.FindString(title)
	if m == "" {
		return Eligibility{}
	}
	e := ParseEligibility(m)
	if e.UTCOffsetMin == nil {
		return Eligibility{}
	}
	return Eligibility{Known: true, UTCOffsetMin: e.UTCOffsetMin, UTCOffsetMax: e.UTCOffsetMax}
}

// mustResideRe is a requirement to live in a place, stated as one.
var mustResideRe = newFastRe(`(?i)(?:must|need\s+to|needs\s+to|have\s+to|has\s+to|required\s+to|doivent|devez|devra|devez\s+obligatoirement)\s+(?:(?:currently|still|already|physically|legally|permanently|be\s+legally|obligatoirement)\s+)?(?:be\s+|[êe]tre\s+)?(?:based|located|living|residing|reside|live|bas[ée]s?|r[ée]sider|r[ée]sident(?:e|s|es)?|situ[ée]s?)\s+(?:in|within|en|au|aux|dans)\s+(?:the\s+|le\s+|la\s+|les\s+|l')?([^.;\n]{1,60})`)

// descriptionForEligibility makes sure a description goes through the
// long-text path of ParseEligibility (requirement phrases only).
func descriptionForEligibility(desc string) string {
	if len([]rune(desc)) <= 120 {
		return desc + "\n"
	}
	return desc
}

// ---- employment ----

var employmentWords = []struct {
	re   *fastRe
	kind string
}{
	{newFastRe(`(?i)\b(full[\s_-]?time|cdi|permanent|temps\s+(plein|complet)|vollzeit|festanstellung|unbefristet|indefinido|tiempo\s+completo)\b`), FullTime},
	{newFastRe(`(?i)\b(part[\s_-]?time|temps\s+partiel|mi[\s-]temps|teilzeit|werkstudent(in)?|minijob|media\s+jornada)\b`), PartTime},
	{newFastRe(`(?i)\b(contract(or)?|cdd|fixed[\s-]term|befristet|contrat\s+[àa]\s+dur[ée]e\s+d[ée]termin[ée]e|temporal)\b`), Contract},
	{newFastRe(`(?i)\b(freelance[r]?|ind[ée]pendant|independent\s+contractor|self[\s-]employed|freiberuflich|portage\s+salarial|auto[\s-]?entrepreneur|consultant\s+externe)\b`), Freelance},
	{newFastRe(`(?i)\b(intern|internship|stage|stagiaire|praktikum|praktikant(in)?|werkstudent(in)?|pfe|pr[áa]cticas|trainee(ship)?|summer\s+student|co[\s-]?op)\b`), Internship},
	{newFastRe(`(?i)\b(alternance|alternant(e)?|apprenti(e)?|apprentice(ship)?|ausbildung|azubi|contrat\s+de\s+professionnalisation|work[\s-]study|dual\s+study)\b`), Apprenticeship},
	{newFastRe(`(?i)\b(temporary|temp|int[ée]rim(aire)?|saisonnier|seasonal|zeitarbeit|leiharbeit|per[\s_]diem)\b`), Temporary},
}

// In an employment field, "apprentissage" is the contract; in prose it is
// usually "machine learning" (apprentissage automatique).
var apprentissageRe = newFastRe(`(?i)\b(contrat\s+d.apprentissage|en\s+apprentissage|apprentissage\s*(\(|/|-)?\s*(alternance)?\s*$)`)

// employmentInProse finds contract statements in descriptions.
var employmentInProse = newFastRe(`(?i)(?:type\s+de\s+contrat|contrat|contract\s+type|employment\s+type|job\s+type|type\s+d.emploi|type\s+de\s+poste|type\s+of\s+employment|anstellungsart|vertragsart|duration|dur[ée]e)\s*:?\s*([^\n.;]{1,60})`)

var stageInFrenchRe = newFastRe(`(?i)\b(un\s+stage|en\s+stage|stage\s+(de|d.|pfe|en|conventionn[ée]|r[ée]mun[ée]r[ée]|pr[ée][\s-]?embauche|obligatoire|ouvrier|gratifi[ée])|offre\s+de\s+stage|stagiaire)\b`)

// plainContractRe is a contract of employment named without its kind
// ("Labour contract (UoP)", "employment contract", "contrat de travail"):
// not a fixed-term contract.
var plainContractRe = newFastRe(`(?i)\b(?:labou?r|employment|work|working)\s+contract\b|\bcontrat\s+de\s+travail\b`)

// permanentContractRe is a contract named by its open-ended term
// ("permanent contract", "open-ended contract", "indefinite-term
// employment contract", "contrat à durée indéterminée"): a permanent
// post, not a fixed-term contract. It is read as the word "permanent".
var permanentContractRe = newFastRe(`(?i)\b(?:permanent|open[\s-]ended|indefinite(?:[\s-](?:term|duration))?|unlimited(?:[\s-](?:term|duration))?|perpetual)\s+(?:(?:employment|labou?r|work)\s+)?contracts?\b|\bcontrats?\s+(?:de\s+travail\s+)?a\s+duree\s+indeterminee\b`)

func employmentOf(s string, field bool) []string {
	s = stripAccents(s)
	t := newScanText(s)
	if permanentContractRe.MatchString(t) {
		t = newScanText(permanentContractRe.ReplaceAllLiteralString(t, " permanent "))
		s = t.s
	}
	if plainContractRe.MatchString(t) {
		t = newScanText(plainContractRe.ReplaceAllLiteralString(t, " "))
		s = t.s
	}
	var out []string
	for _, w := range employmentWords {
		if w.re.MatchString(t) {
			if w.kind == Internship && !field {
				// In prose "stage" is English too ("early-stage startup").
				m := w.re.FindString(t)
				if strings.EqualFold(m, "stage") && !stageInFrenchRe.MatchString(t) {
					continue
				}
			}
			if w.kind == Temporary && !field && strings.EqualFold(w.re.FindString(t), "temp") {
				continue
			}
			out = append(out, w.kind)
		}
	}
	if field && strings.Contains(fold(s), "apprentissage") {
		out = append(out, Apprenticeship)
	} else if apprentissageRe.MatchString(t) {
		out = append(out, Apprenticeship)
	}
	return out
}

var (
	contractTitleRe = regexp.MustCompile(`(?i)\b(cdd|contract\s+role|contract\s+position|contractor|\(contract\))`)
	cdiRe           = newFastRe(`\b(CDI|CDD)\b`)
	contractWordsRe = newFastRe(`(?i)\b(alternance|contrat\s+d.apprentissage|temps\s+partiel|freelance)\b`)
)

// employmentProse are contract statements in descriptions, beyond a
// "Contract type:" line: "Full-time, permanent", "6-month contract",
// "contract-to-hire", "W2 only", "1099", "CDI à temps partiel", Arabic.
var employmentProse = []struct {
	re   *fastRe
	kind string
}{
	{newFastRe(`(?i)\b(full[\s_-]?time|permanent\s+(position|role|job|contract|employment|hire)|temps\s+(plein|complet)|contrat\s+a\s+duree\s+indeterminee|(?:of\s+)?indefinite\s+(?:duration|term)|open[\s-]ended\s+(?:contract|employment))\b|(?:ب)?دوام\s+كامل|عقد\s+(?:عمل\s+)?(?:دا[ئي]م|غير\s+محددة?\s+المدة)`), FullTime},
	{newFastRe(`(?i)\b(part[\s_-]?time|temps\s+partiel|mi[\s-]temps)\b|(?:ب)?دوام\s+جز[ئي]ي`), PartTime},
	{newFastRe(`(?i)\b(cdd|fixed[\s-]term|contract[\s-]to[\s-]hire|temp[\s-]to[\s-]perm|w[\s-]?2\s+(only|contract|basis|position|role|employees?)|on\s+a\s+w[\s-]?2|contract\s+(role|position|job|basis|assignment|engagement|opportunity)|(months?|weeks?|years?|mois)[\s-]+(fixed[\s-]term\s+|renewable\s+|temporary\s+|initial\s+)?(contract|contrat|engagement|assignment)|(temporary|short[\s-]term)\s+contract|contract\s+(length|duration|term)|dur[ée]e\s+du\s+contrat|contrat\s+a\s+duree\s+determinee)\b|عقد\s+(?:عمل\s+)?(?:محدد\s+المدة|م[ؤو]قت)|عقد\s+(?:عمل\s+)?(?:لمدة|مدته|مدتها)\s+(?:\d|سنة|سنتين|سنتان|عام|عامين|عامان|شهر|شهرين|شهران|ثلاث|ستة|ست|تسعة|اثني)`), Contract},
	{newFastRe(`(?i)\b(freelance[r]?|1099|independent\s+contractor|self[\s-]employed|(un|une|en)\s+ind[ée]pendant(e)?|portage\s+salarial|auto[\s-]?entrepreneur)\b|عمل\s+حر|(?:عقد|بشكل|كمستقل)\s+مستقل|فري\s*لانس(?:ر)?`), Freelance},
	{newFastRe(`(?i)\b(internship|stagiaire|stage\s+(?:de\s+)?pr[ée][\s-]?embauche|pre[\s-]hire\s+internship)\b|متدرب|متربص|تربص|فرصة\s+تدريب|تدريب\s+(?:لمدة|مدفوع|صيفي|ميداني|للطلبة|للطلاب|ديال|مدته|مدة)`), Internship},
	{newFastRe(`(?i)\b(apprenticeship|work[\s-]study|alternant(e)?|contrat\s+de\s+professionnalisation)\b|تكوين\s+بالتناوب`), Apprenticeship},
	// "for an initial 4 months", "initial term of 6 months", Morocco's
	// insertion contracts (fixed-term by law): "contrat d'insertion", "CIP
	// ANAPEC", "contrat Idmaj".
	{newFastRe(`(?i)\b(?:for\s+an?\s+initial\s+(?:period\s+of\s+)?\d{1,2}[\s-]+months?|initial\s+(?:term|period)\s+of\s+\d{1,2}\s+months?|pour\s+une\s+(?:dur[ée]e|p[ée]riode)\s+initiale\s+de\s+\d{1,2}\s+mois|contrat\s+(?:d'insertion|anapec|idmaj))\b`), Contract},
	{newFastRe(`(?i)\b(?:contrat\s+(?:de\s+|d'une\s+dur[ée]e\s+de\s+)\d{1,2}\s+(?:mois|semaines|ans?)|(?:contract|engagement)\s+(?:of|for)\s+\d{1,2}\s+(?:months?|weeks?)|contract\s*(?:\(|,|-|–|—)\s*\d{1,2}[\s-]*(?:months?|mos?|weeks?)\b)`), Contract},
	// Contract words in German, Spanish, Portuguese and Italian:
	// "Vollzeit, unbefristet", "Contrato indefinido", "Jornada completa",
	// "Prácticas" (see otherlangs.go for their workplace words).
	{newFastRe(`(?i)\b(?:vollzeit|festanstellung|unbefristet(?:e[rsn]?)?|jornada\s+completa|tiempo\s+completo|contrato\s+indefinido|tempo\s+integral|contrato\s+sem\s+termo|tempo\s+pieno|tempo\s+indeterminato)\b`), FullTime},
	{newFastRe(`(?i)\b(?:teilzeit|media\s+jornada|jornada\s+parcial|tiempo\s+parcial|meio\s+periodo|tempo\s+parcial)\b`), PartTime},
	{newFastRe(`(?i)\b(?:befristet(?:e[rsn]?)?|contrato\s+(?:temporal|por\s+obra|a\s+termo|a\s+prazo|temporario)|tempo\s+determinato)\b`), Contract},
	{newFastRe(`(?i)\b(?:praktikum|practicas|becari[oa]|estagio|estagiario|tirocinio)\b`), Internship},
	// A choice of engagement: "Full-time employee or long-term contractor,
	// your choice", "we hire as employees or contractors", "contract or
	// full-time" (not "our employees and contractors", as codes of conduct
	// and equal-opportunity footers say).
	{newFastRe(`(?i)\b(?:(?:full|part)[\s-]time\s+employees?\s+or\s+(?:an?\s+)?(?:long[\s-]term\s+|independent\s+)?contractors?|(?:as|hire|hires|hiring|engage|engaged|either)\s+(?:an?\s+)?employees?\s+or\s+(?:an?\s+)?(?:long[\s-]term\s+|independent\s+)?contractors?|(?:as|hire|hires|hiring|engage|engaged|either)\s+(?:an?\s+)?contractors?\s+or\s+(?:an?\s+)?(?:full[\s-]time\s+)?employees?|(?:en\s+tant\s+que|comme)\s+salari[ée]e?\s+ou\s+(?:comme\s+)?(?:prestataire|contractuel(?:le)?)|contract\s+(?:or|/)\s+(?:full|part)[\s-]?time|(?:full|part)[\s-]?time\s+(?:or|/)\s+contract)\b`), Contract},
	{newFastRe(`(?i)\b(?:salari[ée]e?\s+ou\s+(?:en\s+tant\s+qu'?\s*)?ind[ée]pendante?|(?:as|hire|hires|hiring|either)\s+(?:an?\s+)?employees?\s+or\s+(?:an?\s+)?freelancers?)\b`), Freelance},
	{newFastRe(`(?i)\b(temporary(?:,?\s+(?:full|part)[\s-]time)?\s+(?:position|role|job|post|assignment|placement|vacancy)|(?:poste|emploi|mission)\s+temporaire|mission\s+d'interim|interimaire|(?:en\s+)?int[ée]rim|seasonal\s+(?:position|role|job|work))\b|(?:وظيفة|عمل)\s+م[ؤو]قت(?:ة)?`), Temporary},
}

// employmentProseAll groups employmentProse into as few passes as keep
// each pass on the prefix scan of fastRe (at most maxPrefixes prefixes).
var employmentProseAll = func() []*multiRe {
	var out []*multiRe
	var cur []*fastRe
	for _, w := range employmentProse {
		next := append(slices.Clone(cur), w.re)
		m := newMultiRe(next...)
		forgetFastRe(m.all) // a trial: the passes kept are compiled below
		if m.all.at != nil && progInsts(m.all.re) <= maxBacktrackInsts || len(cur) == 0 {
			cur = next
			continue
		}
		out = append(out, newMultiRe(cur...))
		cur = []*fastRe{w.re}
	}
	return append(out, newMultiRe(cur...))
}()

// maxBacktrackInsts is the largest program Go's regexp runs with its
// backtracker; a larger one runs as the slower automaton.
const maxBacktrackInsts = 500

// progInsts is the size of re's compiled program.
func progInsts(re *regexp.Regexp) int {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return 0
	}
	prog, err := syntax.Compile(tree.Simplify())
	if err != nil {
		return 0
	}
	return len(prog.Inst)
}

// employmentProseKinds returns the kinds employmentProse finds in d.
func employmentProseKinds(d *scanText) []string {
	var out []string
	k := 0
	for _, m := range employmentProseAll {
		h := m.scan(d, 50)
		for i := range m.parts {
			if h.hit[i] {
				out = append(out, employmentProse[k+i].kind)
			}
		}
		k += len(m.parts)
	}
	return out
}

// weeklyHoursRe is a number of working hours per week: "40h/week",
// "40 hours per week", "a 40-hour week", "35 heures par semaine",
// "semaine de 35 heures", "20 h/sem.", "40 ساعة في الأسبوع".
var weeklyHoursRe = newFastRe(`(?i)\b(\d{1,2})(?:[.,]\d)?\s*(?:-\s*)?(?:h|hrs?|hours?|heures?|stunden|std)\.?[\s-]*(?:/|per|a|an|each|every|par|chaque|pro|by)?[\s-]*(?:the\s+)?(?:week|wk|semaine|sem|woche|semanais|semanales|semanal)(?:[^\w-]|$)|\bsemaine\s+de\s+(\d{1,2})\s*(?:h|heures)\b|(\d{1,2})\s*ساع(?:ة|ات)\s*(?:في|ب|/)?\s*(?:ال)?[اأ]سبوع`)

// weeklyHoursKind reads full or part time from stated weekly hours: 35
// hours or more is full time, 5 to 30 part time; other figures, or
// statements that disagree, say nothing.
func weeklyHoursKind(d *scanText) string {
	kind := ""
	for _, m := range weeklyHoursRe.FindAllStringSubmatch(d, 5) {
		n := 0
		for _, g := range m[1:] {
			if g != "" {
				n, _ = strconv.Atoi(g)
				break
			}
		}
		k := ""
		switch {
		case n >= 35 && n <= 60:
			k = FullTime
		case n >= 5 && n <= 30:
			k = PartTime
		}
		if k == "" || (kind != "" && k != kind) {
			return ""
		}
		kind = k
	}
	return kind
}

// partShareRe is a share of a full-time post: "Poste à 80 %", "CDI à
// 60%", "0.5 FTE", "50 % ETP", "taux d'activité : 70 %", "80% time".
var partShareRe = newFastRe(`(?i)\b0[.,]([1-9])\d?\s*(?:fte|etp)\b|\b(\d{2})\s*%\s*(?:fte|etp|time\b|du\s+temps|d'un\s+temps\s+plein|of\s+full[\s-]time)|\b(?:poste|contrat|cdi|cdd|emploi|position|role|job|post)\s+(?:a|à|at)\s+(\d{2})\s*%|\b(?:taux\s+d'(?:activit[ée]|occupation)|temps\s+de\s+travail|quotit[ée](?:\s+de\s+travail)?|workload)\s*:?\s*(?:de\s+)?(\d{2})\s*%`)

// partShare reports a share of a full-time post from 20 to 90 %.
func partShare(d *scanText) bool {
	if strings.IndexByte(d.s, '%') < 0 && !strings.Contains(d.low, "fte") && !strings.Contains(d.low, "etp") {
		return false // every share is a percentage or an FTE
	}
	for _, m := range partShareRe.FindAllStringSubmatch(d, 3) {
		for i, g := range m[1:] {
			if g == "" {
				continue
			}
			n, _ := strconv.Atoi(g)
			if i == 0 {
				n *= 10 // 0.5 FTE
			}
			if n >= 20 && n <= 90 {
				return true
			}
		}
	}
	return false
}

// fullTimeWordsRe is an explicit full-time statement (not just "CDI").
// partTimeWordsRe are the words of a part-time post (the hours of a
// contract the title names).
var partTimeWordsRe = newFastRe(`(?i)\b(?:part[\s_-]?time|temps\s+partiel|mi[\s-]temps)\b|دوام\s+جز[ئي]ي`)

// missionTermRe is an assignment for a stated term: "Mission de 6 mois",
// "mission d'une durée de 12 mois", "a 6-month assignment" is read by
// employmentProse already.
var missionTermRe = newFastRe(`(?i)\bmission\s+(?:longue\s+)?(?:de|d'une\s+duree\s+de)\s+(?:\d{1,2}|deux|trois|quatre|six|huit|neuf|douze|dix-huit)\s+(?:mois|semaines|ans?)\b`)

var fullTimeWordsRe = newFastRe(`(?i)\b(full[\s_-]?time|temps\s+(plein|complet))\b|دوام\s+كامل`)

// freelanceContractorRe: a 1099 or independent contractor is freelance,
// not on a contract of employment.
var freelanceContractorRe = newFastRe(`(?i)\b(1099|independent\s+contractor)\b`)

// futureHireRe is what an internship or a contract may lead to: "débouchant
// sur un CDI", "with a view to a permanent role", "possibilité d'embauche".
var futureHireRe = newFastRe(`(?i)\b(d[ée]bouchant\s+sur|pouvant\s+d[ée]boucher\s+sur|menant\s+[àa]|en\s+vue\s+d'une?|suivi\s+d'une?|possibilit[ée]\s+d'embauche|perspectives?\s+d'embauche|promesse\s+d'embauche|avec\s+(?:une\s+|[àa]\s+la\s+cl[ée]\s+une\s+)?embauche|pr[ée]?[\s-]?embauche\s+en|with\s+a\s+view\s+to|leading\s+to|followed\s+by|possibility\s+of|potential\s+(for|to\s+convert|conversion)|convertible\s+(en|into|to)|conversion\s+(en|to|into)|possibilit[ée]\s+de\s+(?:cdi|titularisation|passage|recrutement|renouvellement)|(?:option|chance|opportunity)\s+to\s+(?:go|become|move|transition|convert)\s+(?:to\s+)?(?:permanent|full[\s-]time))\b[^.;\n]{0,40}|مع\s+امكانية\s+(?:ال)?(?:توظيف|ترسيم|تثبيت|تعاقد)[^.;\n]{0,40}`)

// contractTimeAny finds a future or a past contract in one pass.
var contractTimeAny = newMultiRe(futureHireRe, pastInternshipRe, negatedKindRe, internshipAssetRe)

// negatedKindRe is a kind of contract the ad rules out: "pas de portage ni
// de freelance", "no freelancers or agencies", "not a contract role",
// "sans CDD"; a permanent colleague the job stands in for ("while our
// permanent hire is on parental leave"). It is blanked before the kinds
// are read.
var negatedKindRe = newFastRe(`(?i)\b(?:(?:pas\s+de|ni\s+de|sans|no|not\s+an?|not\s+open\s+to)\s+(?:(?:portage(?:\s+salarial)?|freelances?|freelancers?|contractors?|agences?|agencies|ind[ée]pendants?|cdd|contract\s+roles?)(?:\s*(?:,|/|ni\s+de|ni|ou\s+de|ou|or|nor)\s*)?)+|(?:our|their|the)\s+permanent\s+(?:hire|employee|staff\s+member|colleague|team\s+member|postholder)s?\s+(?:is|are|who|returns?|on)\b)`)

// employmentOrder makes the list stable.
var employmentOrder = []string{FullTime, PartTime, Contract, Freelance, Internship, Apprenticeship, Temporary}

func employment(p Posting, title, desc string) []string {
	return employmentIn(p, title, newDescView(desc))
}

// kindsText is d without the contracts it does not offer: "Stage de
// pré-embauche débouchant sur un CDI" (the CDI is the future, the
// internship the contract), "une première expérience en stage" (the
// candidate's past), "pas de freelance" (ruled out).
func kindsText(d *scanText) *scanText {
	if !contractTimeAny.all.MatchString(d) {
		return d
	}
	d = newScanText(pastInternshipRe.ReplaceAllLiteralString(newScanText(futureHireRe.ReplaceAllLiteralString(d, " ")), " "))
	// "Un premier stage en ML est un plus": the candidate's asset.
	d = newScanText(internshipAssetRe.ReplaceAllLiteralString(d, " "))
	return newScanText(negatedKindRe.ReplaceAllLiteralString(d, " "))
}

func employmentIn(p Posting, title string, dv *descView) []string {
	set := map[string]bool{}
	for _, t := range p.EmploymentTexts {
		for _, k := range employmentOf(t, true) {
			set[k] = true
		}
	}
	if len(set) == 0 {
		for _, k := range employmentOf(title, false) {
			if k == Contract && !contractTitleRe.MatchString(title) {
				continue // "Contract Manager" is a job, not a contract
			}
			set[k] = true
		}
	}
	if len(set) > 0 && !set[FullTime] && !set[PartTime] && partTimeWordsRe.MatchString(dv.folded()) {
		// "Marketing Intern" with "Part-time internship, 20 hrs/week": the
		// description gives the hours of the title's contract.
		set[PartTime] = true
	} else if len(set) == 1 && set[Contract] && fullTimeWordsRe.MatchString(dv.folded()) {
		// "Analyste - CDD 12 mois" with "CDD de 12 mois à temps plein":
		// full time too, as in a description alone.
		set[FullTime] = true
	}
	if len(set) == 1 && (set[PartTime] || set[FullTime]) && len(p.EmploymentTexts) == 0 && slices.Contains(employmentProseKinds(kindsText(dv.folded())), Contract) {
		// "Part-Time Annotation Lead" with "a fixed-term contract for an
		// initial 4 months": the title gives the hours, the text the term.
		set[Contract] = true
	}
	if len(set) == 0 {
		d := dv.folded()
		d = contractorRewrite(kindsText(d))
		for _, m := range employmentInProse.FindAllStringSubmatch(d, 5) {
			// A labelled value reads as a field ("Type d'emploi : Stage").
			for _, k := range employmentOf(m[1], true) {
				set[k] = true
			}
		}
		for _, re := range []*fastRe{cdiRe, stageInFrenchRe, contractWordsRe} {
			for _, m := range re.FindAllString(d, 3) {
				for _, k := range employmentOf(m, false) {
					set[k] = true
				}
			}
		}
		for _, k := range employmentProseKinds(d) {
			set[k] = true
		}
		if len(set) == 0 || len(set) == 1 && (set[FullTime] || set[Contract]) {
			// No contract stated, or only a CDI / permanent one: the
			// weekly hours say full or part time ("Rotating hours:
			// 40h/week", "CDI, 24 heures par semaine"), and so does a
			// share of a full-time post ("Poste à 80 %", "0.5 FTE"); a
			// fixed-term contract's hours too ("CDD de 6 mois, 44 heures
			// par semaine").
			if k := weeklyHoursKind(d); k != "" {
				set[k] = true
			}
			if partShare(d) {
				set[PartTime] = true
			}
		}
		if !set[Freelance] && !set[Temporary] && !set[Internship] && !set[Apprenticeship] && missionTermRe.MatchString(d) {
			set[Contract] = true // "Mission de 6 mois renouvelable" (not a freelance's or a temp's mission)
		}
		if set[Freelance] && freelanceContractorRe.MatchString(d) {
			delete(set, Contract) // "1099 independent contractor"
		}
		if set[PartTime] && set[FullTime] && !fullTimeWordsRe.MatchString(d) {
			delete(set, FullTime) // "CDI à temps partiel"
		}
	}
	if set[Apprenticeship] {
		// An apprenticeship is its own contract (a "contrat
		// d'apprentissage" is fixed-term and full-time by law): the most
		// specific statement wins, as for seniority.
		delete(set, Contract)
		delete(set, FullTime)
		delete(set, Temporary)
	}
	var out []string
	for _, k := range employmentOrder {
		if set[k] {
			out = append(out, k)
		}
	}
	return out
}

// ---- salary ----

var countryCurrency = map[string]string{
	"MA": "MAD", "DZ": "DZD", "TN": "TND", "EG": "EGP", "US": "USD", "GB": "GBP", "CA": "CAD", "AU": "AUD",
	"CH": "CHF", "IN": "INR", "AE": "AED", "SA": "SAR", "PL": "PLN", "SE": "SEK", "NO": "NOK", "DK": "DKK",
	"FR": "EUR", "DE": "EUR", "ES": "EUR", "IT": "EUR", "NL": "EUR", "BE": "EUR", "PT": "EUR", "IE": "EUR",
	"AT": "EUR", "FI": "EUR", "LU": "EUR", "GR": "EUR", "SK": "EUR", "SI": "EUR", "EE": "EUR", "LV": "EUR",
	"LT": "EUR", "MT": "EUR", "CY": "EUR", "HR": "EUR", "BG": "EUR",
}

// currencyChanges are countries whose pay was in another currency before
// a date: an ad posted before it means the old one.
var currencyChanges = []struct {
	country string
	until   time.Time
	old     string
}{
	{"BG", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "BGN"},
}

// localCurrency is the currency of the offer's country when the ad was
// posted ("" when unknown).
func localCurrency(p Posting, locs []Location) string {
	if len(locs) == 0 {
		return ""
	}
	c := locs[0].Country
	for _, ch := range currencyChanges {
		if ch.country == c {
			if t, ok := ParseDate(p.PostedAt); ok && t.Before(ch.until) {
				return ch.old
			}
		}
	}
	return countryCurrency[c]
}

func salary(p Posting, locs []Location, raw map[string]string, dv *descView) *Salary {
	if dv != nil && dv.desc != "" && commissionOnlyRe.MatchString(dv.folded()) {
		return nil // the figures are commission estimates, not pay (DESIGN.md)
	}
	fallback := localCurrency(p, locs)
	if s := p.Salary; s != nil {
		c := *s
		c.Currency = strings.ToUpper(strings.TrimSpace(c.Currency))
		if cur := detectCurrency(c.Currency); cur != "" && len(c.Currency) != 3 {
			c.Currency = cur
		}
		if c.Currency == "" {
			c.Currency = fallback
		}
		if c.Min < 0 || c.Max < 0 || c.Min != c.Min || c.Max != c.Max {
			c.Min, c.Max = 0, 0
		}
		if c.Max > 0 && c.Min > c.Max {
			c.Min, c.Max = c.Max, c.Min
		}
		c.Period = normalizePeriod(c.Period)
		if (c.Period == "" || impossiblePeriod(&c)) && (c.Min > 0 || c.Max > 0) {
			c.Period = inferPeriod(max(c.Min, c.Max), c.Currency)
		}
		if (c.Min > 0 || c.Max > 0) && c.Period != "" && c.Currency != "" {
			return statedPay(&c, dv)
		}
	}
	if strings.TrimSpace(p.SalaryText) != "" {
		if s, ok := parseSalary(p.SalaryText, fallback); ok {
			if impossiblePeriod(s) {
				s.Period = inferPeriod(max(s.Min, s.Max), s.Currency)
				return s
			}
			if detectPeriod(p.SalaryText) != "" {
				return s // the text states its period itself
			}
			return statedPay(s, dv)
		}
		addRaw(raw, "salary_text", p.SalaryText)
	}
	if dv != nil {
		return localDollar(salaryInFolded(dv.years().s, fallback), fallback, dv)
	}
	return nil
}

// explicitUSDRe names the US dollar itself, not a bare "$".
var explicitUSDRe = newFastRe(`(?i)\busd\b|\bus\s?\$|\bu\.s\.\s?\$|\bus\s+dollars?\b|\bu\.s\.\s+dollars?\b|\bdollars?\s+am[ée]ricains?\b|\bamerican\s+dollars?\b|دولار\s+[أا]مريكي`)

// localDollar reads a bare "$" in an ad placed in a country of another
// dollar as that dollar: "de 88 000 $ à 104 000 $ par année" in Québec is
// Canadian. A text that names the US dollar keeps it.
//
// A remote ad has no place to take it from: its text does ("tu dois
// résider au Canada", "anywhere in Ontario"), when it names no other
// dollar's country.
func localDollar(s *Salary, fallback string, dv *descView) *Salary {
	if s == nil || s.Currency != "USD" || explicitUSDRe.MatchString(dv.folded()) {
		return s
	}
	if fallback == "" {
		fallback = dollarCountryIn(dv.folded())
	}
	if !otherDollars[fallback] {
		return s
	}
	s.Currency = fallback
	return s
}

var (
	canadaTextRe  = newFastRe(`(?i)\b(?:canada|canadian|canadien(?:ne)?s?|quebec|qu[ée]bec|ontario|alberta|british\s+columbia|colombie[\s-]britannique|toronto|montr[ée]al|vancouver|ottawa|calgary)\b`)
	otherDollarRe = newFastRe(`(?i)\b(?:united\s+states|usa|u\.s\.a?\.?|etats[\s-]unis|[ée]tats[\s-]unis|australia|australie|new\s+zealand|singapore|hong\s+kong|mexico|mexique)\b`)
)

// dollarCountryIn is the dollar of the one dollar country a text names
// ("" when it names none, or several).
func dollarCountryIn(d *scanText) string {
	if canadaTextRe.MatchString(d) && !otherDollarRe.MatchString(d) {
		return "CAD"
	}
	return ""
}

// statedPay returns the pay the ad's text states instead of a board's
// annual figure: a board's derived annual figure does not replace the
// monthly, daily or hourly pay the ad states in the same currency.
func statedPay(board *Salary, dv *descView) *Salary {
	if board.Period != "year" || dv == nil || dv.desc == "" {
		return board
	}
	if t := salaryInFolded(dv.years().s, board.Currency); t != nil && t.Currency == board.Currency && t.Period != "year" {
		return t
	}
	return board
}

func normalizePeriod(s string) string {
	switch fold(s) {
	case "hour", "hourly", "hr", "h", "heure", "per hour", "stunde":
		return "hour"
	case "day", "daily", "jour", "per day", "tag":
		return "day"
	case "week", "weekly", "semaine", "per week", "woche":
		return "week"
	case "month", "monthly", "mois", "mensuel", "per month", "monat":
		return "month"
	case "year", "yearly", "annual", "annually", "an", "annee", "annuel", "per year", "jahr", "year ly":
		return "year"
	}
	return ""
}

// ---- dates ----

var relativeDateRe = regexp.MustCompile(`(?i)(\d{1,3})\s*\+?\s*(minutes?|mins?|hours?|hrs?|heures?|days?|jours?|weeks?|semaines?|months?|mois)\s*(ago)?`)

func readDate(s, key string, now time.Time, raw map[string]string) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if t, ok := ParseDate(s); ok {
		return &t
	}
	if t, ok := relativeDate(s, now); ok {
		return &t
	}
	addRaw(raw, key, s)
	return nil
}

// relativeDate reads "today", "hier", "3 days ago", "il y a 2 semaines".
func relativeDate(s string, now time.Time) (time.Time, bool) {
	k := fold(s)
	day := func(d int) time.Time {
		t := now.UTC().AddDate(0, 0, -d)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	switch {
	case strings.Contains(k, "today") || strings.Contains(k, "aujourdhui") || strings.Contains(k, "aujourd hui") || strings.Contains(k, "just posted") || strings.Contains(k, "heute"):
		return day(0), true
	case strings.Contains(k, "yesterday") || k == "hier" || strings.HasSuffix(k, " hier") || strings.Contains(k, "gestern"):
		return day(1), true
	}
	if !strings.Contains(k, "ago") && !strings.Contains(k, "il y a") && !strings.Contains(k, "vor ") {
		return time.Time{}, false
	}
	m := relativeDateRe.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return time.Time{}, false
	}
	u := strings.ToLower(m[2])
	switch {
	case strings.HasPrefix(u, "min"), strings.HasPrefix(u, "h"):
		return now.UTC().Truncate(time.Hour), true
	case strings.HasPrefix(u, "d"), strings.HasPrefix(u, "j"):
		return day(n), true
	case strings.HasPrefix(u, "w"), strings.HasPrefix(u, "s"):
		return day(7 * n), true
	case strings.HasPrefix(u, "mo"):
		return day(30 * n), true
	}
	return time.Time{}, false
}

// titlePlaceSeps separate a trailing place from a job title on boards that
// give no location field ("Data Analyst | Fès (Maroc)", "Consultant - Paris").
var titlePlaceSeps = []string{" | ", " – ", " — ", " - ", " @ "}

// locationFromTitle reads a place at the end of a title, only when the
// posting has no other location: the last segment after a separator, at
// most four words, starting with a capital, and known to the gazetteer.
// titleJobCodes are abbreviations of fields of work that are also
// country codes or read as places: after a title's separator they name the
// job's field ("Développeur Data / BI", "Engineer - AI", "Designer -
// UX"), not a country.
var titleJobCodes = wordSet("BI", "AI", "IA", "ML", "QA", "HR", "RH", "UX", "UI", "PM", "PO", "SEO", "CRM", "ERP", "GIS", "SIG")

func locationFromTitle(title string) (Location, bool) {
	best := -1
	sep := ""
	for _, s := range titlePlaceSeps {
		if i := strings.LastIndex(title, s); i > best {
			best, sep = i, s
		}
	}
	if best <= 0 {
		return Location{}, false
	}
	tail := strings.TrimSpace(title[best+len(sep):])
	if tail == "" || len(strings.Fields(tail)) > 4 {
		return Location{}, false
	}
	if r, _ := utf8.DecodeRuneInString(tail); !unicode.IsUpper(r) {
		return Location{}, false
	}
	// Every piece of the tail must be a place (or a workplace word):
	// "Développeur React / IA" is a job, not Iowa.
	for _, piece := range strings.FieldsFunc(tail, func(r rune) bool { return r == '/' || r == ',' || r == '(' || r == ')' }) {
		if piece = strings.TrimSpace(piece); piece == "" || isWorkplaceWord(piece) {
			continue
		}
		if titleJobCodes[piece] {
			return Location{}, false // "Data Analyst - BI" is business intelligence, not Burundi
		}
		if _, ok := ParseLocation(piece); !ok {
			return Location{}, false
		}
	}
	return ParseLocation(tail)
}
