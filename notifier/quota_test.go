package notifier

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/profiles"
)

// At most InstantPerDay instant mails a day reach a graduate (Mailpit);
// the matches beyond go to the next daily digest, once; a second notifier
// sharing the stores honours the same count; the next day starts afresh.
func TestInstantCapPerDay(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.InstantPerDay = 3 })
	ctx := context.Background()
	day := time.Date(2026, 12, 7, 9, 0, 0, 0, alertZone)
	h.n.now = func() time.Time { return day }
	p := testProfile("g-cap", "fr", profiles.FrequencyInstant)
	for i := range 5 {
		m := testMatch("g-cap", fmt.Sprintf("src:cap%d", i), fmt.Sprintf("Offre %d", i), 0.9)
		if err := h.n.HandleMatch(ctx, m, p); err != nil {
			t.Fatal(err)
		}
	}
	// A second notifier process, same stores: the day's count is shared.
	other := newTestNotifier(t, h.n.cfg, h.n.deps)
	other.now = h.n.now
	if err := other.HandleMatch(ctx, testMatch("g-cap", "src:cap5", "Offre 5", 0.9), p); err != nil {
		t.Fatal(err)
	}
	msgs, err := h.mp.WaitFor(ctx, 3, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 {
		t.Fatalf("%d instant mails on one day, want 3", len(msgs))
	}
	waiting, err := h.stores.Digests.List(ctx, profiles.FrequencyDaily)
	if err != nil {
		t.Fatal(err)
	}
	if len(waiting) != 3 {
		t.Fatalf("%d matches wait for the daily digest, want 3 (cap3, cap4 and cap5, the second process's)", len(waiting))
	}
	// The next morning's daily digest carries them, and only them.
	day = day.Add(23 * time.Hour)
	if err := h.n.FlushDigests(ctx, profiles.FrequencyDaily, day); err != nil {
		t.Fatal(err)
	}
	msgs, err = h.mp.WaitFor(ctx, 4, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	digest, err := h.mp.Message(ctx, msgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		in := strings.Contains(digest.Text, fmt.Sprintf("Offre %d", i))
		if in != (i >= 3) {
			t.Errorf("digest carries Offre %d: %v, want %v:\n%s", i, in, i >= 3, digest.Text)
		}
	}
	if digest.Subject != "Passerelle : 3 nouvelles offres pour vous" {
		t.Errorf("digest subject %q", digest.Subject)
	}
	// Nothing is sent twice: a second flush sends nothing.
	if err := h.n.FlushDigests(ctx, profiles.FrequencyDaily, day); err != nil {
		t.Fatal(err)
	}
	// A new day: instant mails go out again.
	if err := h.n.HandleMatch(ctx, testMatch("g-cap", "src:cap6", "Offre 6", 0.9), p); err != nil {
		t.Fatal(err)
	}
	msgs, err = h.mp.WaitFor(ctx, 5, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 5 || !strings.Contains(msgs[0].Subject, "1 nouvelle offre") {
		t.Errorf("next day: %d mails, latest %q; want 5, an instant one", len(msgs), msgs[0].Subject)
	}
}

// Coalesced instant alerts count against the same cap: the fourth held
// mail of the day moves to the daily queue instead.
func TestInstantCapCoalesced(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.InstantPerDay = 3; c.InstantWindow = time.Minute })
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, alertZone)
	h.n.now = func() time.Time { return now }
	p := testProfile("g-cc", "en", profiles.FrequencyInstant)
	for i := range 4 {
		for j := range 2 {
			m := testMatch("g-cc", fmt.Sprintf("src:c%d-%d", i, j), fmt.Sprintf("Job %d-%d", i, j), 0.9)
			if err := h.n.HandleMatch(ctx, m, p); err != nil {
				t.Fatal(err)
			}
		}
		now = now.Add(2 * time.Minute)
		if err := h.n.FlushDigests(ctx, profiles.FrequencyInstant, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.mp.WaitFor(ctx, 3, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := h.mp.Messages(ctx); len(msgs) != 3 {
		t.Fatalf("%d coalesced instant mails, want 3", len(msgs))
	}
	held, _ := h.stores.Digests.List(ctx, profiles.FrequencyInstant)
	daily, _ := h.stores.Digests.List(ctx, profiles.FrequencyDaily)
	if len(held) != 0 || len(daily) != 2 {
		t.Fatalf("%d still held, %d for the daily digest; want 0 and 2", len(held), len(daily))
	}
	for _, e := range daily {
		if !strings.HasPrefix(e.Match.OfferID, "src:c3-") {
			t.Errorf("%s waits for the digest; want only the fourth mail's offers", e.Match.OfferID)
		}
	}
}

func TestQuotaReserve(t *testing.T) {
	var e quotaEntry
	for i, want := range []bool{true, true, false} {
		if got := reserve(&e, "d1", fmt.Sprint("m", i), 2); got != want {
			t.Errorf("reserve m%d = %v, want %v", i, got, want)
		}
	}
	if !reserve(&e, "d1", "m0", 2) {
		t.Error("a mail that holds a slot must keep it (resend)")
	}
	if !release(&e, "d1", "m0") || !reserve(&e, "d1", "m2", 2) {
		t.Error("a released slot must be free again")
	}
	if !reserve(&e, "d2", "m9", 2) || len(e.Messages) != 1 {
		t.Errorf("a new day starts empty: %+v", e)
	}
}
