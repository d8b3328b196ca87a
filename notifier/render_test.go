package notifier

import (
	"context"
	"errors"
	"html"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
)

const evilTitle = `Data Scientist</a><script>alert("x")</script>`
const evilCompany = `"><img src=x onerror=alert(1)>`

var hrefRe = regexp.MustCompile(`href="([^"]*)"`)

func hrefs(h string) []string {
	var out []string
	for _, m := range hrefRe.FindAllStringSubmatch(h, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func TestComposeLocales(t *testing.T) {
	n := newTestNotifier(t, testConfig(), Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}})
	tests := []struct {
		locale, subject, greeting, reason, score, dir string
	}{
		{"fr", "Passerelle : 1 nouvelle offre pour vous", "Bonjour Salma B.,", "Télétravail ouvert aux résidents de : Maroc", "Compatibilité : 87 %", `dir="ltr"`},
		{"en", "Passerelle: 1 new offer for you", "Hello Salma B.,", "Remote, open to Morocco", "Match: 87%", `dir="ltr"`},
		{"ar", "Passerelle: عرض عمل جديد لك", "مرحبًا Salma B.،", "عن بُعد، متاح للمقيمين في المغرب", "نسبة التوافق: 87%", `dir="rtl"`},
		{"", "Passerelle : 1 nouvelle offre pour vous", "Bonjour Salma B.,", "Maroc", "87 %", `dir="ltr"`}, // default French
	}
	for _, tt := range tests {
		t.Run("locale="+tt.locale, func(t *testing.T) {
			p := testProfile("g-0042", tt.locale, profiles.FrequencyInstant)
			m := testMatch("g-0042", "remoteok:1", evilTitle, 0.866)
			m.Company = evilCompany
			msg, err := n.Compose(p, []matcher.Match{m}, profiles.FrequencyInstant)
			if err != nil {
				t.Fatal(err)
			}
			if msg.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", msg.Subject, tt.subject)
			}
			for part, body := range map[string]string{"text": msg.Text, "html": msg.HTML} {
				for _, want := range []string{tt.reason, tt.score, "Remote OK", "python", "spark"} {
					if !strings.Contains(body, want) {
						t.Errorf("%s part lacks %q", part, want)
					}
				}
			}
			if !strings.Contains(msg.Text, tt.greeting) || !strings.Contains(msg.HTML, html.EscapeString(tt.greeting)) {
				t.Errorf("greeting %q missing", tt.greeting)
			}
			// Escaping: crawled title and company never reach the HTML raw.
			for _, raw := range []string{"<script>", "<img", "onerror=alert(1)>"} {
				if strings.Contains(msg.HTML, raw) {
					t.Errorf("HTML contains unescaped %q", raw)
				}
			}
			if !strings.Contains(msg.HTML, "&lt;script&gt;") || !strings.Contains(msg.HTML, "&lt;img src=x onerror=alert(1)&gt;") {
				t.Errorf("escaped title/company not shown in HTML")
			}
			if !strings.Contains(msg.Text, evilTitle) {
				t.Errorf("text part should show the title as is")
			}
			if !strings.Contains(msg.HTML, `<html lang="`+NormalizeLocale(tt.locale)+`" `+tt.dir+`>`) {
				t.Errorf("html element lacks lang/%s", tt.dir)
			}

			// A working unsubscribe link whose token names the profile.
			var unsub string
			for _, h := range hrefs(msg.HTML) {
				if strings.HasPrefix(h, "https://passerelle.example.org/unsubscribe?") {
					unsub = h
				}
			}
			if unsub == "" {
				t.Fatalf("no unsubscribe link in HTML: %v", hrefs(msg.HTML))
			}
			u, err := url.Parse(unsub)
			if err != nil {
				t.Fatal(err)
			}
			if id, ok := NewTokens(testSecret).Verify(u.Query().Get("token")); !ok || id != "g-0042" {
				t.Errorf("unsubscribe token verifies to %q, %v", id, ok)
			}
			if !strings.Contains(msg.Text, unsub) {
				t.Errorf("text part lacks unsubscribe URL %s", unsub)
			}
			if !strings.Contains(msg.HTML, `href="https://passerelle.example.org/alerts"`) {
				t.Errorf("no manage-alerts link")
			}
			if !strings.Contains(msg.HTML, `href="https://jobs.example.com/remoteok:1"`) {
				t.Errorf("no offer link: %v", hrefs(msg.HTML))
			}

			if got := msg.Headers["List-Unsubscribe"]; got != "<"+unsub+">, <mailto:unsubscribe@passerelle.example.org?subject=unsubscribe%20"+u.Query().Get("token")+">" {
				t.Errorf("List-Unsubscribe = %q", got)
			}
			if msg.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" || msg.Headers["Auto-Submitted"] != "auto-generated" {
				t.Errorf("headers = %v", msg.Headers)
			}
			if msg.To != `"Salma B." <g-0042@example.org>` || msg.From != DefaultFrom {
				t.Errorf("to/from = %q / %q", msg.To, msg.From)
			}
		})
	}
}

func TestComposeMessageID(t *testing.T) {
	n := newTestNotifier(t, testConfig(), Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}})
	p := testProfile("g-1", "en", profiles.FrequencyDaily)
	a, b := testMatch("g-1", "src:a", "A", 0.5), testMatch("g-1", "src:b", "B", 0.9)
	id := func(ms ...matcher.Match) string {
		msg, err := n.Compose(p, ms, profiles.FrequencyDaily)
		if err != nil {
			t.Fatal(err)
		}
		return msg.MessageID
	}
	first := id(a, b)
	if first != id(b, a) {
		t.Error("Message-Id depends on match order")
	}
	if first == id(a) || id(a) == id(b) {
		t.Error("Message-Id does not depend on the offers")
	}
	if !regexp.MustCompile(`^alert\.g-1\.[0-9a-f]{20}@passerelle\.local$`).MatchString(first) {
		t.Errorf("Message-Id = %q", first)
	}
	other := testProfile("g-2", "en", profiles.FrequencyDaily)
	msg, _ := n.Compose(other, []matcher.Match{a, b}, profiles.FrequencyDaily)
	if msg.MessageID == first {
		t.Error("Message-Id does not depend on the profile")
	}
}

func TestComposeDigestOrderAndLinks(t *testing.T) {
	n := newTestNotifier(t, testConfig(), Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}})
	p := testProfile("g-1", "en", profiles.FrequencyWeekly)
	p.Name = "Evil\r\nBcc: victim@example.org"
	bad := testMatch("g-1", "src:js", "Bad link", 0.4)
	bad.URL = "javascript:alert(1)"
	bad.Offer.URL = "javascript:alert(2)"
	bad.Offer.ApplyURL = ""
	unknown := testMatch("g-1", "src:u", "Unknown scope", 0.3)
	unknown.Offer.Eligibility = jobs.Eligibility{Known: false}
	ms := []matcher.Match{testMatch("g-1", "src:best", "Best", 0.9), bad, unknown}
	msg, err := n.Compose(p, ms, profiles.FrequencyWeekly)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Subject != "Passerelle: 3 new offers for you" {
		t.Errorf("subject = %q", msg.Subject)
	}
	if i, j := strings.Index(msg.Text, "1. Best"), strings.Index(msg.Text, "2. Bad link"); i < 0 || j < i {
		t.Errorf("text items out of order:\n%s", msg.Text)
	}
	if strings.Contains(msg.HTML, "javascript:") || strings.Contains(msg.Text, "javascript:") {
		t.Error("javascript: URL reached the mail")
	}
	if !strings.Contains(msg.Text, "Remote · eligible countries not stated") {
		t.Errorf("unknown eligibility not said:\n%s", msg.Text)
	}
	if !strings.Contains(msg.Text, "Remote · Morocco ; France") {
		t.Errorf("countries not listed:\n%s", msg.Text)
	}
	if !strings.Contains(msg.Text, "weekly digest") {
		t.Error("footer does not say why the mail comes")
	}
	if strings.ContainsAny(msg.To, "\r\n") || !strings.Contains(msg.Text, "Hello Evil Bcc: victim@example.org,") {
		t.Errorf("name with line breaks: To %q", msg.To)
	}
	// The To header must still carry only the graduate's address.
	rec := &RecordingMailer{}
	if err := rec.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
}

func TestComposeRefuses(t *testing.T) {
	n := newTestNotifier(t, testConfig(), Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}})
	p := testProfile("g-1", "fr", profiles.FrequencyInstant)
	if _, err := n.Compose(p, nil, "instant"); !errors.Is(err, ErrPermanent) {
		t.Errorf("no matches: err = %v", err)
	}
	p.Email = ""
	if _, err := n.Compose(p, []matcher.Match{testMatch("g-1", "a:1", "A", 1)}, "instant"); !errors.Is(err, ErrPermanent) {
		t.Errorf("no email: err = %v", err)
	}
}

func TestPercent(t *testing.T) {
	for in, want := range map[float64]int{0: 0, 0.824: 82, 0.826: 83, 1: 100, 1.7: 100, -0.2: 0} {
		if got := percent(in); got != want {
			t.Errorf("percent(%v) = %d, want %d", in, got, want)
		}
	}
}

// FuzzCompose feeds crawled-page text (title, company, name, reason
// arguments, URL) through rendering and MIME encoding.
func FuzzCompose(f *testing.F) {
	f.Add(evilTitle, evilCompany, "Salma B.", "MA", "https://jobs.example.com/1", "fr")
	f.Add("Ingénieur\r\nBcc: x@y.z", "ACME\x00", "سلمى", "3", "javascript:alert(1)", "ar")
	f.Add("", "", "", "", "", "en")
	f.Add("\xff\xfe", "\u202e", "\xff<a@b.c>, \"x\"", "\xff", "https://\xff", "\xff")
	f.Add("t", "c", "=?utf-8?q?a?= @ ;:,", "-1", "http://[::1", "ar")
	f.Add("t", "c", `Saïd \ Ben`, "1", "https://e.com", "fr")
	n, err := New(testConfig(), Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, title, company, name, arg, link, locale string) {
		p := testProfile("g-1", locale, profiles.FrequencyInstant)
		p.Name = name
		m := testMatch("g-1", "src:1", title, 0.5)
		m.Company, m.URL, m.Offer.URL = company, link, link
		m.ReasonKeys = append(m.ReasonKeys, matcher.Reason{Key: "role_fit", Args: []string{arg}},
			matcher.Reason{Key: "fresh", Args: []string{arg}}, matcher.Reason{Key: "remote_open_to", Args: []string{arg}})
		msg, err := n.Compose(p, []matcher.Match{m}, profiles.FrequencyInstant)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ToLower(msg.HTML), "<script") {
			t.Fatalf("script tag in HTML for title %q", title)
		}
		var buf strings.Builder
		if err := WriteMessage(&buf, msg, "", time.Now()); err != nil {
			t.Fatal(err)
		}
		parsed, err := mail.ReadMessage(strings.NewReader(buf.String()))
		if err != nil {
			t.Fatalf("unparseable message: %v", err)
		}
		if parsed.Header.Get("Bcc") != "" || parsed.Header.Get("Cc") != "" {
			t.Fatal("header injected")
		}
		to, err := parsed.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != "g-1@example.org" {
			t.Fatalf("To = %v, %v (name %q)", to, err, name)
		}
		if want := strings.TrimSpace(oneLine(strings.ToValidUTF8(name, "\uFFFD"))); strings.TrimSpace(to[0].Name) != want {
			t.Fatalf("To name reads back as %q, want %q", to[0].Name, want)
		}
	})
}

// TestAddressHeaderOfEveryName: names a form or an import accepts
// (backslashes, quotes, commas, Arabic, mixed scripts, long ones) give a
// To header that parses back to the same name, through SMTP's writer.
func TestAddressHeaderOfEveryName(t *testing.T) {
	names := []string{`Saïd \ Ben`, `Saïd\`, `a\b`, `"quoted"`, `Ben, Saïd`, "سلمى بن علي", `O'Neil (Data)`, "Zoë <x@y>",
		"ü\\\"", strings.Repeat("Ñandú ", 40), "\u202eevil", "Jean-Pierre Élodie Ø"}
	for _, name := range names {
		msg := &Message{From: "Passerelle <a@passerelle.test>", To: formatAddress(name, "g@example.org"), Subject: "s", Text: "t"}
		var buf strings.Builder
		if err := WriteMessage(&buf, msg, "", time.Now()); err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		parsed, err := mail.ReadMessage(strings.NewReader(buf.String()))
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		to, err := parsed.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != "g@example.org" || to[0].Name != name {
			t.Errorf("name %q: To reads back as %v (%v)", name, to, err)
		}
		for _, line := range strings.Split(buf.String(), "\r\n") {
			if len(line) > 998 {
				t.Errorf("name %q: header line of %d bytes", name, len(line))
			}
		}
	}
}

// The owners' terms in a mail: the source is credited by name as a link
// to the offer's listing, and where the source asks that applications go
// through its listing, no link leads to the employer's apply page.
func TestComposeHonoursSourceTerms(t *testing.T) {
	n := newTestNotifier(t, testConfig(), Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}})
	for _, locale := range []string{"fr", "en", "ar"} {
		p := testProfile("g-1", locale, profiles.FrequencyInstant)
		m := testMatch("g-1", "jobicy:1", "Data analyst", 0.8)
		m.URL = "https://jobicy.example/jobs/1-data-analyst"
		m.Offer.URL = "https://jobicy.example/jobs/1-data-analyst"
		m.Offer.ApplyURL = "https://employer.example/apply/1"
		m.Offer.Terms = jobs.Terms{Attribution: "Jobicy", EmailAllowed: true, ApplyViaListing: true}
		msg, err := n.Compose(p, []matcher.Match{m}, profiles.FrequencyInstant)
		if err != nil {
			t.Fatal(err)
		}
		credit := regexp.MustCompile(`<a href="https://jobicy\.example/jobs/1-data-analyst"[^>]*><bdi>Jobicy</bdi></a>`)
		if !credit.MatchString(msg.HTML) {
			t.Errorf("%s: no named link to the listing crediting the source:\n%s", locale, msg.HTML)
		}
		if !strings.Contains(msg.Text, "Jobicy — https://jobicy.example/jobs/1-data-analyst") {
			t.Errorf("%s: text part does not credit the source with its listing:\n%s", locale, msg.Text)
		}
		for _, h := range hrefs(msg.HTML) {
			if strings.Contains(h, "employer.example") {
				t.Errorf("%s: apply link %s bypasses the listing the source requires", locale, h)
			}
		}
		if strings.Contains(msg.Text, "employer.example") {
			t.Errorf("%s: text part links the employer's page", locale)
		}
		// Without the rule, the listing still comes first; the employer's
		// page is used only when there is no listing.
		m.Offer.Terms.ApplyViaListing = false
		m.URL, m.Offer.URL = "", ""
		msg, err = n.Compose(p, []matcher.Match{m}, profiles.FrequencyInstant)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg.Text, "employer.example/apply/1") {
			t.Errorf("%s: no listing and no rule: the employer's link should be given", locale)
		}
	}
}

// Pay is shown as the ad states it, in the graduate's language, and not
// at all when it is unknown or nonsensical.
func TestComposeShowsSalaryAsStated(t *testing.T) {
	n := newTestNotifier(t, testConfig(), Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}})
	for _, c := range []struct {
		locale string
		sal    *jobs.Salary
		want   string
	}{
		{"fr", &jobs.Salary{Min: 8000, Max: 10000, Currency: "MAD", Period: "month"}, "Salaire : 8\u202f000–10\u202f000 MAD / mois"},
		{"en", &jobs.Salary{Min: 45000, Max: 55000, Currency: "EUR", Period: "year"}, "Pay: 45\u202f000–55\u202f000 EUR / year"},
		{"ar", &jobs.Salary{Max: 500, Currency: "EUR", Period: "day"}, "الأجر: \u2066500 EUR\u2069 / يوم"},
		{"fr", &jobs.Salary{Currency: "MAD"}, ""},
		{"fr", nil, ""},
	} {
		m := testMatch("g-1", "src:1", "Data analyst", 0.8)
		m.Offer.Salary = c.sal
		msg, err := n.Compose(testProfile("g-1", c.locale, profiles.FrequencyInstant), []matcher.Match{m}, profiles.FrequencyInstant)
		if err != nil {
			t.Fatal(err)
		}
		has := strings.Contains(msg.Text, "Salaire") || strings.Contains(msg.Text, "Pay:") || strings.Contains(msg.Text, "الأجر")
		if c.want == "" && has {
			t.Errorf("%s %+v: a salary line for no pay:\n%s", c.locale, c.sal, msg.Text)
		}
		if c.want != "" && (!strings.Contains(msg.Text, c.want) || !strings.Contains(msg.HTML, c.want)) {
			t.Errorf("%s: want %q in both parts:\n%s", c.locale, c.want, msg.Text)
		}
	}
}

// An offer with no web link (a recruiter's, with only an e-mail address to
// apply to) links to its page on Passerelle and gives the address, in
// each language; without a page link configured, only the address.
func TestComposeOfferWithoutWebLink(t *testing.T) {
	cfg := testConfig()
	cfg.OfferPageURLFor = func(profileID, offerID, locale string) string {
		return "https://passerelle.example/profile/offer?id=" + offerID + "&lang=" + locale + "&p=" + profileID
	}
	n := newTestNotifier(t, cfg, Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}})
	view := map[string]string{"fr": "Voir l'offre : ", "en": "View the offer: ", "ar": "الاطلاع على العرض: "}
	apply := map[string]string{"fr": "Postuler par e-mail : rh@acme.example.org", "en": "Apply by e-mail: rh@acme.example.org", "ar": "التقدم عبر البريد الإلكتروني: rh@acme.example.org"}
	for _, locale := range []string{"fr", "en", "ar"} {
		p := testProfile("g-1", locale, profiles.FrequencyInstant)
		m := testMatch("g-1", "recruiter-acme:1", "Analyste BI", 0.8)
		m.URL, m.Offer.URL = "", ""
		m.Offer.ApplyURL = "mailto:rh@acme.example.org?subject=BI"
		msg, err := n.Compose(p, []matcher.Match{m}, profiles.FrequencyInstant)
		if err != nil {
			t.Fatal(err)
		}
		page := "https://passerelle.example/profile/offer?id=recruiter-acme:1&lang=" + locale + "&p=g-1"
		if !strings.Contains(msg.Text, view[locale]+page) || !strings.Contains(msg.Text, apply[locale]) {
			t.Errorf("%s: text part lacks the page link or the address:\n%s", locale, msg.Text)
		}
		if !slices.Contains(hrefs(msg.HTML), "mailto:rh@acme.example.org") {
			t.Errorf("%s: HTML part has no mailto link: %v", locale, hrefs(msg.HTML))
		}
	}
	n2 := newTestNotifier(t, testConfig(), Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}})
	m := testMatch("g-1", "recruiter-acme:1", "Analyste BI", 0.8)
	m.URL, m.Offer.URL = "", ""
	m.Offer.ApplyURL = "mailto:rh@acme.example.org,boss@acme.example.org"
	msg, err := n2.Compose(testProfile("g-1", "fr", profiles.FrequencyInstant), []matcher.Match{m}, profiles.FrequencyInstant)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(msg.Text, "Voir l'offre") || strings.Contains(msg.Text, "Postuler par e-mail") {
		t.Errorf("no page link configured and a two-address mailto: no link or address expected:\n%s", msg.Text)
	}
}
