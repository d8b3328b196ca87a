package notifier

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/browser"
	"github.com/passerelle/passerelle/internal/mailpit"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

// artifactsDir is where the test run leaves files for a reviewer:
// $PASSERELLE_ARTIFACTS/sub, or artifacts/sub at the root of the
// repository (ignored by git), as the browser journeys do.
func artifactsDir(t *testing.T, sub string) string {
	t.Helper()
	dir := os.Getenv("PASSERELLE_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "artifacts")
	}
	dir = filepath.Join(dir, sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// sampleMatch is a realistic match: matched Python and SQL, missing
// PyTorch and Docker (Latin names whose Arabic labels transliterate) and
// machine learning (translated), a salary, a date, a title close to the
// graduate's headline.
func sampleMatch(profileID string, i int, now time.Time) matcher.Match {
	titles := []string{"Data Scientist junior (NLP)", "Ingénieur Machine Learning", "Analyste BI / Data"}
	companies := []string{"Atlas Analytics", "Oriental Data Lab", "Casa Fintech"}
	posted := now.Add(-time.Duration(2+5*i) * 24 * time.Hour)
	until := now.Add(20 * 24 * time.Hour)
	o := &jobs.Offer{
		ID: fmt.Sprintf("sample:%d", i), Source: "remoteok", URL: fmt.Sprintf("https://jobs.example.com/sample/%d", i),
		Title: titles[i%3], Company: companies[i%3], Workplace: jobs.Hybrid,
		Locations: []jobs.Location{{City: "Casablanca", Country: "MA"}},
		Seniority: "junior", Employment: []string{"full_time"},
		Skills:   []string{"python", "sql", "pytorch", "docker", "machine-learning"},
		Salary:   &jobs.Salary{Min: 9000, Max: 12000, Currency: "MAD", Period: "month"},
		PostedAt: &posted, ValidThrough: &until,
		Terms: jobs.Terms{Attribution: "Remote OK", EmailAllowed: true},
	}
	return matcher.Match{
		ProfileID: profileID, OfferID: o.ID, URL: o.URL, Title: o.Title, Company: o.Company,
		Score: 0.82 - 0.1*float64(i), MatchedSkills: []string{"python", "sql"}, MissingSkills: []string{"pytorch", "docker", "machine-learning"},
		Reasons: []string{"hybrid in Casablanca", "junior role", "2 of 5 required skills", "missing: PyTorch, Docker, Machine learning", "posted 2 days ago", "the title fits your profile: " + o.Title},
		ReasonKeys: []matcher.Reason{
			{Key: "hybrid_in", Args: []string{"Casablanca", "MA"}},
			{Key: "seniority_fit", Args: []string{"junior"}},
			{Key: "skills_matched", Args: []string{"2", "5"}},
			{Key: "skills_missing", Args: []string{"PyTorch, Docker, Machine learning"}},
			{Key: "fresh", Args: []string{"2"}},
			{Key: "role_fit", Args: []string{o.Title}},
		},
		Offer: o,
	}
}

// rawMessage reads a message's source as Mailpit stored it.
func rawMessage(t *testing.T, mp *mailpit.Server, id string) []byte {
	t.Helper()
	resp, err := http.Get(mp.APIURL() + "/api/v1/message/" + url.PathEscape(id) + "/raw")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("raw message %s: status %d, %v", id, resp.StatusCode, err)
	}
	return b
}

// mimeParts checks the structure every alert has — multipart/alternative
// holding text/plain then text/html, both UTF-8 — and returns the decoded
// parts.
func mimeParts(t *testing.T, raw []byte) (hdr mail.Header, textPart, htmlPart string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("unparseable message: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" || params["boundary"] == "" {
		t.Fatalf("Content-Type %q: want multipart/alternative with a boundary", msg.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		pt, pp, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if err != nil || !strings.EqualFold(pp["charset"], "utf-8") {
			t.Errorf("part Content-Type %q: want charset UTF-8", p.Header.Get("Content-Type"))
		}
		body, err := io.ReadAll(p) // quoted-printable is decoded by the reader
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, pt)
		switch pt {
		case "text/plain":
			textPart = string(body)
		case "text/html":
			htmlPart = string(body)
		}
	}
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Errorf("parts %v, want text/plain then text/html", types)
	}
	return msg.Header, textPart, htmlPart
}

var msgIDRe = regexp.MustCompile(`^<alert\.[^@\s]+@passerelle\.local>$`)

// TestSampleMailsPerLocale sends an instant alert, a daily digest and a
// weekly digest in French, Arabic and English through Mailpit, checks the
// MIME structure, headers and the language of each, and writes each as
// artifacts/mails/<kind>-<locale>.eml (with its HTML part beside it) for
// a reviewer; TestSampleMailsInBrowser looks at them in Chromium.
func TestSampleMailsPerLocale(t *testing.T) {
	sampleMails(t)
}

// sampleMails produces the samples once per test binary run and returns
// the folder holding them.
func sampleMails(t *testing.T) string {
	t.Helper()
	dir := artifactsDir(t, "mails")
	tax := skills.Default()
	h := newHarness(t, nil, func(c *Config) {
		c.From = "Passerelle <alertes@passerelle.local>"
		c.SkillLabel = tax.DisplayLabel
		c.FeedbackURLFor = func(p, o, v, l string) string {
			return "https://passerelle.example.org/feedback?v=" + v + "&o=" + url.QueryEscape(o)
		}
		c.SkillGapFor = func(_ context.Context, p profiles.Profile) (SkillGap, error) {
			return SkillGap{Skill: "docker", Opens: 14, Percent: 23}, nil
		}
	})
	ctx := context.Background()
	now := time.Now()
	type want struct {
		missing, posted, gap, role, notWant string
	}
	wants := map[string]want{
		"fr": {"Compétences à acquérir", "Publiée il y a 2 jours", "Docker : l'apprendre vous ouvrirait 14 offres de plus ce mois-ci (+23 %).", "Intitulé proche de votre recherche : « Data analyst, Master Big Data »", "Machine learning"},
		"en": {"Skills to build", "Posted 2 days ago", "Learning Docker would open 14 more offers to you this month (+23%).", "Job title close to what you are looking for: “Data analyst, Master Big Data”", "Apprentissage"},
		"ar": {"مهارات ينبغي اكتسابها", "نُشر منذ يومين", "سيتيح لك 14 عرضًا إضافيًا هذا الشهر", "المسمى الوظيفي قريب مما تبحث عنه", "باي تورش"},
	}
	for _, kind := range []string{profiles.FrequencyInstant, profiles.FrequencyDaily, profiles.FrequencyWeekly} {
		for _, loc := range []string{"fr", "ar", "en"} {
			t.Run(kind+"-"+loc, func(t *testing.T) {
				if err := h.mp.DeleteAll(ctx); err != nil {
					t.Fatal(err)
				}
				id := "g-sample-" + kind + "-" + loc
				p := testProfile(id, loc, kind)
				p.Name, p.Headline = "Salma Benali", "Data analyst, Master Big Data"
				n := 1
				if kind != profiles.FrequencyInstant {
					n = 3
				}
				for i := range n {
					if err := h.n.HandleMatch(ctx, sampleMatch(id, i, now), p); err != nil {
						t.Fatal(err)
					}
				}
				if kind != profiles.FrequencyInstant {
					if err := h.n.FlushDigests(ctx, kind, time.Now().Add(time.Minute)); err != nil {
						t.Fatal(err)
					}
				}
				list, err := h.mp.WaitFor(ctx, 1, 10*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				if len(list) != 1 {
					t.Fatalf("%d mails, want 1", len(list))
				}
				raw := rawMessage(t, h.mp, list[0].ID)
				hdr, txt, htm := mimeParts(t, raw)
				// Headers.
				for _, name := range []string{"From", "To", "Subject", "Date", "Message-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted", "Mime-Version"} {
					if hdr.Get(name) == "" {
						t.Errorf("header %s missing", name)
					}
				}
				if !msgIDRe.MatchString(hdr.Get("Message-Id")) {
					t.Errorf("Message-Id %q", hdr.Get("Message-Id"))
				}
				if hdr.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || hdr.Get("Auto-Submitted") != "auto-generated" {
					t.Errorf("List-Unsubscribe-Post %q, Auto-Submitted %q", hdr.Get("List-Unsubscribe-Post"), hdr.Get("Auto-Submitted"))
				}
				if !strings.Contains(hdr.Get("List-Unsubscribe"), "lang="+loc) {
					t.Errorf("List-Unsubscribe %q lacks the language", hdr.Get("List-Unsubscribe"))
				}
				subj, err := new(mime.WordDecoder).DecodeHeader(hdr.Get("Subject"))
				if err != nil || subj != list[0].Subject || subj != plural(loc, "subject", n) {
					t.Errorf("Subject %q (%v), want %q", subj, err, plural(loc, "subject", n))
				}
				if _, err := mail.ParseDate(hdr.Get("Date")); err != nil {
					t.Errorf("Date %q: %v", hdr.Get("Date"), err)
				}
				// Content, in the graduate's language, in both parts.
				w := wants[loc]
				for part, body := range map[string]string{"text": txt, "html": htm} {
					city := "Casablanca" // named in Arabic on Arabic mails
					if loc == LocaleAR {
						city = "الدار البيضاء"
					}
					for _, s := range []string{w.missing, w.posted, w.role, "PyTorch", "Docker", city} {
						if !strings.Contains(body, s) {
							t.Errorf("%s part lacks %q", part, s)
						}
					}
					if strings.Contains(body, w.notWant) {
						t.Errorf("%s part holds %q (a label in another language or script)", part, w.notWant)
					}
					if hasGap := strings.Contains(strings.ReplaceAll(strings.ReplaceAll(body, "\u2066", ""), "\u2069", ""), w.gap) ||
						strings.Contains(body, "<strong>Docker</strong>"); hasGap != (kind == profiles.FrequencyWeekly) {
						t.Errorf("%s part of a %s mail: skill-gap line present = %v", part, kind, hasGap)
					}
					// "À acquérir" is said once, by its own line.
					if c := strings.Count(body, "PyTorch"); c != n {
						t.Errorf("%s part names PyTorch %d times for %d offers", part, c, n)
					}
					for i := range n {
						if strings.Contains(body, "« "+sampleMatch(id, i, now).Title+" »") {
							t.Errorf("%s part quotes the offer's own title as the reason", part)
						}
					}
				}
				if loc == "ar" {
					if !strings.Contains(htm, `dir="rtl"`) || !strings.Contains(htm, "<bdi>PyTorch</bdi>") {
						t.Error("Arabic HTML part: want dir=rtl and PyTorch isolated in <bdi>")
					}
					if !strings.Contains(txt, "\u2066PyTorch\u2069") {
						t.Error("Arabic text part: want PyTorch in a left-to-right isolate")
					}
				}
				base := filepath.Join(dir, kind+"-"+loc)
				if err := os.WriteFile(base+".eml", raw, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(base+".html", []byte(htm), 0o644); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
	t.Logf("sample mails written to %s", dir)
	return dir
}

// TestSampleMailsInBrowser opens the HTML part of each sample mail in
// headless Chromium at 390 px, checks that it renders (offer title,
// direction, the Latin tool names in Arabic) and saves a screenshot as
// artifacts/screenshots/mail-<kind>-<locale>.png.
func TestSampleMailsInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	b := browser.Start(t)
	dir := sampleMails(t)
	shots := artifactsDir(t, "screenshots")
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	if err := b.Resize(390, 844); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{profiles.FrequencyInstant, profiles.FrequencyDaily, profiles.FrequencyWeekly} {
		for _, loc := range []string{"fr", "ar", "en"} {
			name := kind + "-" + loc
			if err := b.Go(srv.URL + "/" + name + ".html"); err != nil {
				t.Fatal(err)
			}
			if err := b.WaitFor(".offer h2", 10*time.Second); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			title, err := b.Text(".offer h2")
			if err != nil || !strings.Contains(title, "Data Scientist") {
				t.Errorf("%s: first offer title %q, %v", name, title, err)
			}
			wantDir := "ltr"
			if loc == "ar" {
				wantDir = "rtl"
			}
			if d, err := b.Attr("html", "dir"); err != nil || d != wantDir {
				t.Errorf("%s: html dir %q, %v; want %s", name, d, err, wantDir)
			}
			missing, err := b.Text(".offer .missing")
			if err != nil || !strings.Contains(missing, "PyTorch") || !strings.Contains(missing, "Docker") {
				t.Errorf("%s: missing skills read %q, %v", name, missing, err)
			}
			if kind == profiles.FrequencyWeekly {
				if gap, err := b.Text(".gap"); err != nil || !strings.Contains(gap, "Docker") || !strings.Contains(gap, "14") {
					t.Errorf("%s: skill-gap line %q, %v", name, gap, err)
				}
			}
			if err := b.Screenshot(filepath.Join(shots, "mail-"+name+".png")); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("screenshots written to %s", shots)
}
