package app

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
)

// "Not interested" in one copy of a job holds for every copy: another
// board's copy of the same job (same fingerprint) is neither listed nor
// mailed, while another job still is.
func TestNotInterestedCoversEveryCopy(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS, Mailpit and HTTP servers")
	}
	h := newHarness(t)
	a, _ := h.start(nil)
	ctx := context.Background()
	importDemoProfiles(t, a)
	p, err := a.repo.ByEmail(ctx, "salma.demo@example.org")
	if err != nil {
		t.Fatal(err)
	}
	mk := func(source, id, title, fp string, terms jobs.Terms) jobs.Offer {
		o := analystOffer(source, id, title, terms)
		o.Fingerprint = fp
		return o
	}
	listOnly := jobs.Terms{Attribution: "Board", EmailAllowed: false, ShowBehindSignup: true}
	mailable := jobs.Terms{Attribution: "Other", EmailAllowed: true, ShowBehindSignup: true}

	// The first copy may be listed but not mailed: she sees it and says no.
	if err := a.PublishOffer(ctx, mk("board", "1", "Data analyst junior Oujda", "fp-atlas-analyst", listOnly)); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, a)
	if ms, err := a.MatchesFor(ctx, p.ID); err != nil || !hasOffer(ms, "board:1") {
		t.Fatalf("the first copy is not on her list: %v %v", err, ms)
	}
	if err := a.HideMatch(ctx, p.ID, "board:1"); err != nil {
		t.Fatal(err)
	}
	before := countMails(t, h.mp)

	// Another board's copy of the same job, which may be mailed, and
	// another job.
	if err := a.PublishOffer(ctx, mk("other", "9", "Data analyst junior — Oujda", "fp-atlas-analyst", mailable)); err != nil {
		t.Fatal(err)
	}
	if err := a.PublishOffer(ctx, mk("other", "10", "Analyste BI junior Oujda", "fp-atlas-bi", mailable)); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, a)
	got := bodies(mailsByRecipient(t, h.mp)["salma.demo@example.org"])
	if !strings.Contains(got, "Analyste BI junior Oujda") {
		t.Fatalf("the other job was not mailed (so this test proves nothing); her mails:\n%s", got)
	}
	if strings.Contains(got, "Data analyst junior — Oujda") {
		t.Errorf("another copy of the job she turned down was mailed:\n%s", got)
	}
	if n := countMails(t, h.mp); n != before+1 {
		t.Errorf("%d mails after her answer, want 1 (the other job)", n-before)
	}
	ms, err := a.MatchesFor(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if hasOffer(ms, "other:9") || hasOffer(ms, "board:1") {
		t.Errorf("a copy of the job she turned down is on her list: %v", offerIDs(ms))
	}
	if !hasOffer(ms, "other:10") {
		t.Errorf("the other job is not on her list: %v", offerIDs(ms))
	}
	if no, err := a.NotWanted(ctx, p.ID, "other:9", "fp-atlas-analyst"); err != nil || !no {
		t.Errorf("NotWanted(other copy) = %v, %v; want true", no, err)
	}
	// A 👍 on the copy she turned down takes the answer back for every copy.
	if err := a.RecordFeedback(ctx, p.ID, "board:1", "up"); err != nil {
		t.Fatal(err)
	}
	if no, err := a.NotWanted(ctx, p.ID, "other:9", "fp-atlas-analyst"); err != nil || no {
		t.Errorf("after a 👍, NotWanted(other copy) = %v, %v; want false", no, err)
	}
}

func hasOffer(ms []matcher.Match, id string) bool {
	return slices.ContainsFunc(ms, func(m matcher.Match) bool { return m.OfferID == id })
}

func offerIDs(ms []matcher.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.OfferID
	}
	return out
}
