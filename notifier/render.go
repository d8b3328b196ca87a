package notifier

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	"math"
	"net/mail"
	"net/url"
	"sort"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// templates are parsed once per Notifier from the embedded files.
type templates struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

func parseTemplates() (*templates, error) {
	h, err := htmltemplate.ParseFS(templateFS, "templates/alert.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("notifier: parse html template: %w", err)
	}
	t, err := texttemplate.New("alert.txt.tmpl").
		Funcs(texttemplate.FuncMap{"inc": func(i int) int { return i + 1 }}).
		ParseFS(templateFS, "templates/alert.txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("notifier: parse text template: %w", err)
	}
	return &templates{html: h, text: t}, nil
}

// mailView is what the templates see: every string already translated.
// Strings from outside (titles, companies, names) are escaped by
// html/template in the HTML part and kept on one line in the text part.
type mailView struct {
	Lang, Dir, Align string
	Subject          string
	Greeting, Intro  string
	// Capped says why a daily digest reaches a graduate who chose
	// instant alerts (the day's instant mails were used up).
	Capped string
	// Gap is the weekly digest's skill-gap line ("" when there is none
	// worth saying); GapSkill is its skill, isolated in the HTML part.
	Gap, GapBefore, GapSkill, GapAfter string
	// Sep joins skill labels.
	Sep             string
	Items           []itemView
	LabelWhy        string
	LabelView       string
	LabelSource     string
	LabelFeedback   string
	LabelUseful     string
	LabelNotForMe   string
	FooterWhy       string
	Manage          string
	ManageURL       string
	ManageLine      string
	Unsubscribe     string
	UnsubscribeURL  string
	UnsubscribeLine string
}

// MatchView is one matched offer as mails and pages show it, in one
// language: the reasons, matched and missing skills translated, the link
// that honours the source's terms, the source credited.
type MatchView struct {
	Title, Company, Where, Score string
	// Salary is the pay as the ad states it (currency and period kept).
	Salary           string
	Reasons          []string
	Matched, Missing string
	// MatchedLabel and MissingLabel introduce the skill lists
	// MatchedList and MissingList (labels in the reader's language;
	// Latin-script names in Arabic are isolated by the HTML part).
	MatchedLabel, MissingLabel string
	MatchedList, MissingList   []string
	// PostedAgo says when the offer was posted ("Publiée il y a 3 jours");
	// OpenUntil, when the ad says, until when it takes applications.
	PostedAgo, OpenUntil string
	URL                  string
	ViewLine             string
	// ApplyMail is the address to apply to when the ad gives an e-mail
	// address (mailto) and no web link; ApplyMailLine says so in text.
	ApplyMail, ApplyMailLine string
	Source                   string
	// SourceName and SourceURL credit the source as its owner asks: its
	// name as a followed link to the offer's listing on the source.
	SourceName, SourceURL string
	// FeedbackUp and FeedbackDown are the one-click answers (mails only),
	// with their lines for the text part.
	FeedbackUp, FeedbackDown         string
	FeedbackUpLine, FeedbackDownLine string
}

type itemView MatchView

// ViewMatch renders m in locale; skillLabel (may be nil) gives a skill's
// label in that language from its taxonomy id.
func ViewMatch(locale string, m matcher.Match, skillLabel func(id, locale string) string) MatchView {
	return viewMatch(locale, m, skillLabel, viewContext{now: time.Now()})
}

// viewContext is what a view of a match may know beyond the match: the
// time of the mail and the graduate's own headline (what role_fit is
// close to).
type viewContext struct {
	now      time.Time
	headline string
	// postedLine: the view shows PostedAgo (mails), so the "fresh"
	// reason would repeat it.
	postedLine bool
}

// isolate wraps a Latin-script label in a left-to-right isolate inside
// Arabic text (U+2066 … U+2069), so "PyTorch" keeps its direction and its
// neighbours theirs.
func isolate(locale, s string) string {
	if locale == LocaleAR && skills.IsLatin(s) {
		return "\u2066" + s + "\u2069"
	}
	return s
}

func viewMatch(locale string, m matcher.Match, skillLabel func(id, locale string) string, vc viewContext) MatchView {
	locale = NormalizeLocale(locale)
	raw := func(id string) string {
		if skillLabel != nil {
			if l := skillLabel(id, locale); l != "" {
				return oneLine(l)
			}
		}
		return oneLine(id)
	}
	skill := func(id string) string { return isolate(locale, raw(id)) }
	sep := listSep(locale)
	it := MatchView{
		Title:   oneLine(m.Title),
		Company: oneLine(m.Company),
		Where:   where(locale, m.Offer),
		Score:   text(locale, "label.score", "{n}", fmt.Sprint(percent(m.Score))),
		URL:     offerURL(m),
	}
	if it.Title == "" && m.Offer != nil {
		it.Title = oneLine(m.Offer.Title)
	}
	if it.Company == "" && m.Offer != nil {
		it.Company = oneLine(m.Offer.Company)
	}
	if m.Offer != nil && m.Offer.Salary != nil {
		it.Salary = salaryText(locale, *m.Offer.Salary)
	}
	if m.Offer != nil && m.Offer.PostedAt != nil && !m.Offer.PostedAt.IsZero() {
		it.PostedAgo = postedAgo(locale, *m.Offer.PostedAt, vc.now)
	}
	if m.Offer != nil && m.Offer.ValidThrough != nil && m.Offer.ValidThrough.After(vc.now) {
		date := m.Offer.ValidThrough.In(alertZone).Format("2006-01-02")
		if locale == LocaleAR {
			date = "\u2066" + date + "\u2069" // digits and hyphens would read right to left
		}
		it.OpenUntil = text(locale, "label.open_until", "{date}", date)
	}
	for _, r := range reasonsFor(locale, m, skill, vc.headline, vc.postedLine && it.PostedAgo != "") {
		if r = oneLine(r); r != "" {
			it.Reasons = append(it.Reasons, r)
		}
	}
	if len(m.MatchedSkills) > 0 {
		it.Matched = text(locale, "label.matched", "{list}", joinMapped(m.MatchedSkills, skill, sep))
		it.MatchedLabel, it.MatchedList = listParts(locale, "label.matched", m.MatchedSkills, raw)
	}
	if len(m.MissingSkills) > 0 {
		it.Missing = text(locale, "label.missing", "{list}", joinMapped(m.MissingSkills, skill, sep))
		it.MissingLabel, it.MissingList = listParts(locale, "label.missing", m.MissingSkills, raw)
	}
	if it.URL != "" {
		it.ViewLine = text(locale, "label.view_text", "{url}", it.URL)
	}
	if it.URL == "" && m.Offer != nil && !m.Offer.Terms.ApplyViaListing {
		if a := mailtoAddress(m.Offer.ApplyURL); a != "" {
			it.ApplyMail = a
			it.ApplyMailLine = text(locale, "label.apply_mail_text", "{address}", a)
		}
	}
	if m.Offer != nil {
		src := oneLine(m.Offer.Terms.Attribution)
		if src == "" {
			src = oneLine(m.Offer.Source)
		}
		if src != "" {
			it.Source = text(locale, "label.source", "{name}", src)
			it.SourceName = src
			it.SourceURL = httpURL(m.Offer.URL)
			if it.SourceURL != "" {
				it.Source += " — " + it.SourceURL
			}
		}
	}
	return it
}

// listParts splits a "… : {list}" string into its introduction and the
// labels, for the HTML part to isolate each label.
func listParts(locale, key string, ids []string, label func(string) string) (string, []string) {
	intro := strings.TrimSpace(strings.Replace(text(locale, key), "{list}", "", 1))
	var out []string
	for _, id := range ids {
		if l := label(id); l != "" {
			out = append(out, l)
		}
	}
	return intro, out
}

// postedAgo is "posted N days ago" in locale, counted in calendar days of
// the graduates' time zone.
func postedAgo(locale string, posted, now time.Time) string {
	y1, m1, d1 := posted.In(alertZone).Date()
	y2, m2, d2 := now.In(alertZone).Date()
	days := int(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case days < 0:
		return ""
	case days == 0:
		return text(locale, "reason.fresh.zero")
	}
	return plural(locale, "reason.fresh", days)
}

// httpURL returns u when it is an absolute http(s) URL, else "".
func httpURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" {
		return p.String()
	}
	return ""
}

// mailtoAddress is the address of a mailto link ("mailto:rh@x.ma?subject=…"),
// "" when u is not one or its address does not parse.
func mailtoAddress(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Scheme != "mailto" || p.Opaque == "" {
		return ""
	}
	addr, err := url.PathUnescape(p.Opaque)
	if err != nil {
		return ""
	}
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || strings.ContainsAny(addr, ",;") {
		return ""
	}
	return addr
}

// offerURL picks the first absolute http(s) link of a match: the
// listing, or the employer's apply link when the listing has none; never
// the employer's link when the source's terms ask that applications go
// through its listing (Terms.ApplyViaListing).
func offerURL(m matcher.Match) string {
	cands := []string{m.URL}
	if m.Offer != nil {
		cands = append(cands, m.Offer.URL)
		if !m.Offer.Terms.ApplyViaListing {
			cands = append(cands, m.Offer.ApplyURL)
		}
	}
	for _, c := range cands {
		if u := httpURL(c); u != "" {
			return u
		}
	}
	return ""
}

func percent(score float64) int {
	if math.IsNaN(score) || score < 0 {
		return 0
	}
	if score > 1 {
		return 100
	}
	return int(math.Round(score * 100))
}

// where is the "workplace · places" line of an offer.
func where(locale string, o *jobs.Offer) string {
	if o == nil {
		return ""
	}
	var parts []string
	switch o.Workplace {
	case jobs.Remote, jobs.Hybrid, jobs.Onsite:
		parts = append(parts, text(locale, "workplace."+string(o.Workplace)))
	}
	var places []string
	if o.Workplace == jobs.Remote {
		e := o.Eligibility
		switch {
		case !e.Known:
			places = append(places, text(locale, "where.unknown"))
		case e.Worldwide:
			places = append(places, text(locale, "where.worldwide"))
		default:
			for _, c := range e.Countries {
				places = append(places, countryName(locale, c))
			}
			places = append(places, e.Regions...)
		}
	} else {
		for _, l := range o.Locations {
			var p []string
			if c := oneLine(jobs.CityNameIn(l.City, l.Country, locale)); c != "" {
				p = append(p, c)
			}
			if l.Country != "" {
				p = append(p, countryName(locale, l.Country))
			} else if r := oneLine(l.Region); r != "" {
				p = append(p, r)
			}
			if len(p) > 0 {
				places = append(places, strings.Join(p, listSep(locale)))
			}
		}
	}
	if len(places) > 4 {
		places = append(places[:4], "…")
	}
	if len(places) > 0 {
		sep := " ; "
		if locale == LocaleAR {
			sep = "؛ "
		}
		parts = append(parts, strings.Join(places, sep))
	}
	return oneLine(strings.Join(parts, " · "))
}

// sortMatches orders best first (score, then offer id for a stable order).
func sortMatches(ms []matcher.Match) {
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].Score != ms[j].Score {
			return ms[i].Score > ms[j].Score
		}
		return ms[i].OfferID < ms[j].OfferID
	})
}

// alertKey is the ledger key of a match: the duplicate cluster when the
// offer has one (the same job seen on two boards is sent once), else the
// offer id.
func alertKey(m matcher.Match) string {
	if m.Offer != nil && m.Offer.Fingerprint != "" {
		return "cluster:" + m.Offer.Fingerprint
	}
	return m.OfferID
}

// messageID is deterministic in the profile and the set of alerts, so a
// resend of the same alert carries the same Message-Id.
func messageID(profileID string, ms []matcher.Match, domain string) string {
	keys := make([]string, len(ms))
	for i, m := range ms {
		keys[i] = alertKey(m)
	}
	sort.Strings(keys)
	h := sha256.New()
	h.Write([]byte(profileID))
	for _, k := range keys {
		h.Write([]byte{0})
		h.Write([]byte(k))
	}
	return "alert." + KeyToken(profileID) + "." + hex.EncodeToString(h.Sum(nil)[:10]) + "@" + domain
}

// Compose renders the mail for p announcing ms (best first, as given) with
// all its headers. frequency names the alert setting in the footer.
func (n *Notifier) Compose(p profiles.Profile, ms []matcher.Match, frequency string) (*Message, error) {
	return n.compose(p, ms, frequency, mailExtra{})
}

// SkillGap is the skill a weekly digest suggests learning: Opens more
// offers this month, Percent more than fit today (0: none fits today, so
// no percentage is given).
type SkillGap struct {
	Skill   string // taxonomy id
	Opens   int
	Percent int
}

// mailExtra is what a mail may carry beyond its offers.
type mailExtra struct {
	gap *SkillGap
}

// gapLine is the skill-gap sentence in locale, split around the skill
// label (isolated by the HTML part).
func (n *Notifier) gapLine(locale string, g SkillGap) (line, before, label, after string) {
	label = g.Skill
	if n.cfg.SkillLabel != nil {
		if l := n.cfg.SkillLabel(g.Skill, locale); l != "" {
			label = oneLine(l)
		}
	}
	pct := ""
	if g.Percent > 0 {
		pct = text(locale, "gap.pct", "{pct}", strconv.Itoa(g.Percent))
	}
	const mark = "\x00"
	s := plural(locale, "gap", g.Opens, "{pct}", pct, "{skill}", mark)
	before, after, _ = strings.Cut(s, mark)
	return before + isolate(locale, label) + after, before, label, after
}

func (n *Notifier) compose(p profiles.Profile, ms []matcher.Match, frequency string, extra mailExtra) (*Message, error) {
	if len(ms) == 0 {
		return nil, Permanent(fmt.Errorf("notifier: compose for %s: no matches", p.ID))
	}
	if p.Email == "" {
		return nil, Permanent(fmt.Errorf("notifier: compose for %s: profile has no email", p.ID))
	}
	locale := NormalizeLocale(p.Locale)
	token := n.tokens.Make(p.ID)
	manageURL := n.cfg.ManageURL
	if n.cfg.ManageURLFor != nil {
		manageURL = n.cfg.ManageURLFor(p.ID, locale)
	}
	unsubURL := n.cfg.BaseURL + "/unsubscribe?lang=" + url.QueryEscape(locale) + "&token=" + url.QueryEscape(token)
	v := mailView{
		Lang: locale, Dir: "ltr", Align: "left",
		Subject:         plural(locale, "subject", len(ms)),
		Intro:           plural(locale, "intro", len(ms)),
		Sep:             listSep(locale),
		LabelWhy:        text(locale, "label.why"),
		LabelView:       text(locale, "label.view"),
		LabelSource:     text(locale, "label.source_prefix"),
		LabelFeedback:   text(locale, "label.feedback"),
		LabelUseful:     text(locale, "label.useful"),
		LabelNotForMe:   text(locale, "label.not_for_me"),
		FooterWhy:       text(locale, "footer.why", "{frequency}", text(locale, "frequency."+frequency)),
		Manage:          text(locale, "footer.manage"),
		ManageURL:       manageURL,
		ManageLine:      text(locale, "footer.manage_text", "{url}", manageURL),
		Unsubscribe:     text(locale, "footer.unsubscribe"),
		UnsubscribeURL:  unsubURL,
		UnsubscribeLine: text(locale, "footer.unsub_text", "{url}", unsubURL),
	}
	if locale == LocaleAR {
		v.Dir, v.Align = "rtl", "right"
	}
	if frequency == profiles.FrequencyDaily && p.Alerts.Frequency == profiles.FrequencyInstant {
		// The day's instant mails were used up: say why a digest comes.
		v.Capped = text(locale, "intro.capped")
		v.FooterWhy = text(locale, "footer.why", "{frequency}", text(locale, "frequency."+profiles.FrequencyInstant))
	}
	if extra.gap != nil {
		v.Gap, v.GapBefore, v.GapSkill, v.GapAfter = n.gapLine(locale, *extra.gap)
	}
	if name := oneLine(p.Name); name != "" {
		v.Greeting = text(locale, "greeting", "{name}", name)
	} else {
		v.Greeting = text(locale, "greeting.noname")
	}
	for _, m := range ms {
		it := itemView(viewMatch(locale, m, n.cfg.SkillLabel, viewContext{now: n.now(), headline: p.Headline, postedLine: true}))
		if it.URL == "" && n.cfg.OfferPageURLFor != nil && m.OfferID != "" {
			// No web link (a recruiter's offer without one): the offer's
			// page on Passerelle shows the whole ad.
			it.URL = n.cfg.OfferPageURLFor(p.ID, m.OfferID, locale)
			it.ViewLine = text(locale, "label.view_text", "{url}", it.URL)
		}
		if n.cfg.FeedbackURLFor != nil && m.OfferID != "" {
			it.FeedbackUp = n.cfg.FeedbackURLFor(p.ID, m.OfferID, "up", locale)
			it.FeedbackDown = n.cfg.FeedbackURLFor(p.ID, m.OfferID, "down", locale)
			it.FeedbackUpLine = text(locale, "label.feedback_line", "{label}", "👍 "+text(locale, "label.useful"), "{url}", it.FeedbackUp)
			it.FeedbackDownLine = text(locale, "label.feedback_line", "{label}", "👎 "+text(locale, "label.not_for_me"), "{url}", it.FeedbackDown)
		}
		v.Items = append(v.Items, it)
	}

	var htmlBuf, textBuf bytes.Buffer
	if err := n.tmpl.html.Execute(&htmlBuf, v); err != nil {
		return nil, Permanent(fmt.Errorf("notifier: render html for %s: %w", p.ID, err))
	}
	if err := n.tmpl.text.Execute(&textBuf, v); err != nil {
		return nil, Permanent(fmt.Errorf("notifier: render text for %s: %w", p.ID, err))
	}

	listUnsub := "<" + unsubURL + ">"
	if n.cfg.UnsubscribeMailto != "" {
		listUnsub += ", <mailto:" + n.cfg.UnsubscribeMailto + "?subject=" + url.PathEscape("unsubscribe "+token) + ">"
	}
	to := formatAddress(p.Name, p.Email)
	return &Message{
		From:      n.cfg.From,
		To:        to,
		Subject:   v.Subject,
		Text:      textBuf.String(),
		HTML:      htmlBuf.String(),
		MessageID: messageID(p.ID, ms, n.cfg.MessageIDDomain),
		Headers: map[string]string{
			"List-Unsubscribe":      listUnsub,
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Auto-Submitted":        "auto-generated",
		},
	}, nil
}

func joinMapped(ids []string, f func(string) string, sep string) string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if s := f(id); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

// salaryText is a pay range as stated: "8 000–10 000 MAD / mois".
func salaryText(locale string, sal jobs.Salary) string {
	cur := oneLine(sal.Currency)
	if len(cur) > 8 || (sal.Min <= 0 && sal.Max <= 0) {
		return ""
	}
	num := func(f float64) string {
		n := int64(math.Round(f))
		if n <= 0 || n > 1e12 {
			return ""
		}
		digits := fmt.Sprint(n)
		var b strings.Builder
		for i, c := range digits {
			if i > 0 && (len(digits)-i)%3 == 0 {
				b.WriteString("\u202f") // narrow no-break space
			}
			b.WriteRune(c)
		}
		return b.String()
	}
	lo, hi := num(sal.Min), num(sal.Max)
	amount := lo
	switch {
	case lo != "" && hi != "" && lo != hi:
		amount = lo + "–" + hi
	case lo == "":
		amount = hi
	}
	if amount == "" {
		return ""
	}
	amount += " " + cur
	if locale == LocaleAR {
		// Left-to-right isolate: the range reads 8 000–10 000 MAD, not
		// reversed, inside Arabic text.
		amount = "\u2066" + amount + "\u2069"
	}
	out := text(locale, "label.salary", "{amount}", amount)
	if per := text(locale, "period."+sal.Period); per != "" && per != "period."+sal.Period {
		out += " / " + per
	}
	return out
}
