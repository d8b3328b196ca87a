package notifier

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passerelle/passerelle/profiles"
)

func (h *harness) byEmail(_ context.Context, email string) (profiles.Profile, error) {
	for _, p := range h.profile {
		if strings.EqualFold(p.Email, email) {
			return p, nil
		}
	}
	return profiles.Profile{}, fmt.Errorf("lookup %s: %w", email, profiles.ErrNotFound)
}

// runOutbox starts RunOutbox until the test ends.
func (h *harness) runOutbox(t *testing.T, n *Notifier) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.RunOutbox(ctx, h.js, h.byEmail) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("RunOutbox did not stop")
		}
	})
}

// TestLinkSurvivesSMTPOutage: a "send me my link" asked while SMTP is down
// is kept in the outbox and sent once SMTP is back, once; an unknown
// address gets nothing.
func TestLinkSurvivesSMTPOutage(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := l.Addr().String()
	_ = l.Close()
	down, err := NewSMTPMailer("smtp://" + deadAddr + "?timeout=2s")
	if err != nil {
		t.Fatal(err)
	}
	sw := &switchMailer{m: down}
	h := newHarness(t, sw, func(c *Config) {
		c.RetryDelay = 50 * time.Millisecond
		c.PauseAfter = 1000
		c.ManageURLFor = func(id, locale string) string {
			return "https://passerelle.example.org/profile?id=" + id + "&lang=" + locale
		}
	})
	h.profile["g-1"] = testProfile("g-1", "fr", profiles.FrequencyDaily)
	h.runOutbox(t, h.n)
	ctx := context.Background()
	if err := RequestLink(ctx, h.js, "nobody@example.org", "fr", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := RequestLink(ctx, h.js, "G-1@example.org", "en", time.Now()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if msgs, _ := h.mp.Messages(ctx); len(msgs) != 0 {
		t.Fatalf("%d mails while SMTP was down", len(msgs))
	}
	up, err := NewSMTPMailer(h.mp.SMTPURL())
	if err != nil {
		t.Fatal(err)
	}
	sw.set(up)
	msgs, err := h.mp.WaitFor(ctx, 1, 15*time.Second)
	if err != nil {
		t.Fatalf("the link asked during the outage never came: %v", err)
	}
	full, err := h.mp.Message(ctx, msgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].To[0].Address != "g-1@example.org" || !strings.Contains(full.Text, "/profile?id=g-1&lang=en") || !strings.Contains(msgs[0].Subject, "manage your profile") {
		t.Errorf("link mail to %v, subject %q, text:\n%s", msgs[0].To, msgs[0].Subject, full.Text)
	}
	time.Sleep(500 * time.Millisecond)
	if msgs, _ := h.mp.Messages(ctx); len(msgs) != 1 {
		t.Errorf("%d mails, want 1", len(msgs))
	}
}

// countingMailer counts sends per recipient, over another mailer.
type countingMailer struct {
	Mailer
	mu sync.Mutex
	n  map[string]int
}

func (c *countingMailer) Send(ctx context.Context, m *Message) error {
	c.mu.Lock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[m.To]++
	c.mu.Unlock()
	return c.Mailer.Send(ctx, m)
}

// TestDigestRunOnceAcrossNotifiers: two notifier processes whose
// schedules both fire the daily tick send one digest per graduate.
func TestDigestRunOnceAcrossNotifiers(t *testing.T) {
	h := newHarness(t, nil, nil)
	ctx := context.Background()
	for i := range 6 {
		id := fmt.Sprintf("g-%d", i)
		p := testProfile(id, "fr", profiles.FrequencyDaily)
		h.profile[id] = p
		for j := range 3 {
			m := testMatch(id, fmt.Sprintf("src:%d", j), fmt.Sprintf("Offre %d", j), 0.5+float64(j)/10)
			if err := h.stores.Digests.Add(ctx, "daily", Pending{Match: m, Profile: p, QueuedAt: time.Now().Add(-time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	smtp, err := NewSMTPMailer(h.mp.SMTPURL())
	if err != nil {
		t.Fatal(err)
	}
	cm := &countingMailer{Mailer: smtp}
	var ns []*Notifier
	for range 2 {
		ns = append(ns, newTestNotifier(t, testConfig(), Deps{Mailer: cm, Ledger: h.stores.Ledger, Digests: h.stores.Digests, Unsubscribed: h.stores.Unsubscribes}))
	}
	tick := time.Now().Truncate(time.Minute)
	for _, n := range ns {
		h.runOutbox(t, n)
		if err := RequestDigests(ctx, h.js, "daily", tick); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.mp.WaitFor(ctx, 6, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	msgs, _ := h.mp.Messages(ctx)
	if len(msgs) != 6 {
		t.Errorf("%d digests for 6 graduates, want 6", len(msgs))
	}
	cm.mu.Lock()
	defer cm.mu.Unlock()
	for to, n := range cm.n {
		if n != 1 {
			t.Errorf("%s got %d digests", to, n)
		}
	}
	if left, _ := h.stores.Digests.List(ctx, "daily"); len(left) != 0 {
		t.Errorf("%d entries left in the digest queue", len(left))
	}
}
