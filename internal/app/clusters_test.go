package app

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestDuplicateSentThroughTheCopyThatAllowsMail: the same jobs are on two
// boards; the first one crawled forbids e-mailing its offers. The graduate
// sees them on "my matches" but gets no mail. When the second board, whose
// terms allow e-mail, is crawled, its copies are published beside the
// first (not dropped as duplicates): the graduate gets each job once, by
// mail, credited to the second board, and "my matches" lists one copy of
// each job.
func TestDuplicateSentThroughTheCopyThatAllowsMail(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, Mailpit and HTTP servers")
	}
	h := newHarness(t)
	ctx := context.Background()
	board := func(name, attribution string, email bool) string {
		return fmt.Sprintf(`{"name":%q,"kind":"jsonld","url":%q,"schedule":"@every 10m","allow_private":true,
  "terms":{"attribution":%q,"email_allowed":%v,"show_behind_signup":true}}`, name, h.site.URL+"/careers", attribution, email)
	}
	noMail := board("board-no-mail", "Board Sans Mail", false)
	mail := board("board-mail", "Board Avec Mail", true)
	writeSources := func(srcs ...string) {
		if err := os.WriteFile(h.sources, []byte(`{"sources": [`+strings.Join(srcs, ",")+`]}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// 1. Only the board that forbids e-mail.
	writeSources(noMail)
	a, stop := h.start(nil)
	importDemoProfiles(t, a)
	if err := a.CrawlNow(ctx); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, a)
	if n := len(mailsByRecipient(t, h.mp)["salma.demo@example.org"]); n != 0 {
		t.Fatalf("Salma got %d mails from a board whose terms forbid e-mail", n)
	}
	first, err := a.MatchesFor(ctx, "demo-salma")
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 {
		t.Fatal("Salma has no match on her page from the first board: the test proves nothing")
	}
	for _, m := range first {
		if !strings.HasPrefix(m.OfferID, "board-no-mail:") {
			t.Fatalf("unexpected match %s", m.OfferID)
		}
	}
	stop()

	// 2. The second board, whose terms allow e-mail, carries the same jobs.
	writeSources(noMail, mail)
	a, _ = h.start(nil)
	if err := a.CrawlNow(ctx); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, a)
	got := mailsByRecipient(t, h.mp)["salma.demo@example.org"]
	body := bodies(got)
	if len(got) == 0 {
		t.Fatal("Salma got no mail although the second board allows e-mailing the same jobs")
	}
	if !strings.Contains(body, "Board Avec Mail") || strings.Contains(body, "Board Sans Mail") {
		t.Errorf("the mail is not credited to the board that allows e-mail:\n%s", body)
	}
	for _, m := range first {
		n := 0
		for _, mail := range got {
			if strings.Contains(mail.Text, m.Title) {
				n++
			}
		}
		if n > 1 {
			t.Errorf("%q is in %d of Salma's mails", m.Title, n)
		}
	}
	now, err := a.MatchesFor(ctx, "demo-salma")
	if err != nil {
		t.Fatal(err)
	}
	if len(now) != len(first) {
		t.Errorf("my matches lists %d offers after the second board, want %d (one copy per job)", len(now), len(first))
	}
	for _, m := range now {
		if !strings.HasPrefix(m.OfferID, "board-mail:") {
			t.Errorf("my matches shows copy %s, want the copy of the board that allows e-mail", m.OfferID)
		}
	}
}
