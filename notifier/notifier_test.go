package notifier

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
)

type unsubSet map[string]bool

func (u unsubSet) Unsubscribed(_ context.Context, id string) (bool, error) { return u[id], nil }

func TestHandleMatchDecisions(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		edit     func(*matcher.Match, *profiles.Profile)
		wantMail bool
		wantErr  error
	}{
		{name: "instant is sent", edit: func(*matcher.Match, *profiles.Profile) {}, wantMail: true},
		{name: "terms forbid e-mail", edit: func(m *matcher.Match, _ *profiles.Profile) { m.Offer.Terms.EmailAllowed = false }},
		{name: "alerts paused until a later date", edit: func(_ *matcher.Match, p *profiles.Profile) { p.Alerts.PausedUntil = "2999-01-01" }},
		{name: "pause over", edit: func(_ *matcher.Match, p *profiles.Profile) { p.Alerts.PausedUntil = "2001-01-01" }, wantMail: true},
		{name: "no consent", edit: func(_ *matcher.Match, p *profiles.Profile) { p.Consent.Alerts = false }},
		{name: "alerts off", edit: func(_ *matcher.Match, p *profiles.Profile) { p.Alerts.Frequency = profiles.FrequencyOff }},
		{name: "unsubscribed", edit: func(_ *matcher.Match, p *profiles.Profile) { p.ID = "g-unsub" }},
		{name: "no email", edit: func(_ *matcher.Match, p *profiles.Profile) { p.Email = "" }},
		{name: "expired offer", edit: func(m *matcher.Match, _ *profiles.Profile) {
			past := time.Now().Add(-time.Hour)
			m.Offer.ValidThrough = &past
		}},
		{name: "no offer to check terms", edit: func(m *matcher.Match, _ *profiles.Profile) { m.Offer = nil }},
		{name: "profile mismatch", edit: func(_ *matcher.Match, p *profiles.Profile) { p.ID = "someone-else" }, wantErr: ErrPermanent},
		{name: "missing offer id", edit: func(m *matcher.Match, _ *profiles.Profile) { m.OfferID = "" }, wantErr: ErrPermanent},
		{name: "unknown frequency", edit: func(_ *matcher.Match, p *profiles.Profile) { p.Alerts.Frequency = "hourly" }, wantErr: ErrPermanent},
		{name: "daily without queue", edit: func(_ *matcher.Match, p *profiles.Profile) { p.Alerts.Frequency = profiles.FrequencyDaily }, wantErr: ErrPermanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, led := &RecordingMailer{}, &memLedger{}
			n := newTestNotifier(t, testConfig(), Deps{Mailer: rec, Ledger: led, Unsubscribed: unsubSet{"g-unsub": true}})
			p := testProfile("g-1", "fr", profiles.FrequencyInstant)
			m := testMatch("g-1", "src:1", "Data Analyst", 0.8)
			tt.edit(&m, &p)
			if p.ID == "g-unsub" {
				m.ProfileID = "g-unsub"
			}
			err := n.HandleMatch(ctx, m, p)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if got := len(rec.Messages()); (got == 1) != tt.wantMail || got > 1 {
				t.Fatalf("%d mails sent, want mail=%v", got, tt.wantMail)
			}
			if claimed := led.has(m.ProfileID, m.OfferID); claimed != tt.wantMail {
				t.Errorf("ledger claimed = %v, want %v", claimed, tt.wantMail)
			}
		})
	}
}

func TestHandleMatchNeverTwice(t *testing.T) {
	ctx := context.Background()
	rec := &RecordingMailer{}
	n := newTestNotifier(t, testConfig(), Deps{Mailer: rec, Ledger: &memLedger{}})
	p := testProfile("g-1", "en", profiles.FrequencyInstant)
	m := testMatch("g-1", "src:1", "Data Analyst", 0.8)
	for range 3 {
		if err := n.HandleMatch(ctx, m, p); err != nil {
			t.Fatal(err)
		}
	}
	// The same job under another offer id (a duplicate cluster) is not sent again either.
	m.Offer.Fingerprint = "fp-1"
	dup := testMatch("g-1", "other:9", "Data Analyst", 0.8)
	dup.Offer.Fingerprint = "fp-1"
	if err := n.HandleMatch(ctx, m, p); err != nil { // first time with a fingerprint: new key
		t.Fatal(err)
	}
	if err := n.HandleMatch(ctx, dup, p); err != nil {
		t.Fatal(err)
	}
	if got := len(rec.Messages()); got != 2 {
		t.Fatalf("%d mails, want 2 (one per ledger key)", got)
	}
}

func TestSendFailureReleasesAndPauses(t *testing.T) {
	ctx := context.Background()
	rec, led := &RecordingMailer{}, &memLedger{}
	cfg := testConfig()
	cfg.PauseAfter = 2
	cfg.PauseFor = time.Hour
	n := newTestNotifier(t, cfg, Deps{Mailer: rec, Ledger: led})
	p := testProfile("g-1", "en", profiles.FrequencyInstant)
	rec.FailWith(errors.New("connection refused"))
	for i := range 2 {
		err := n.HandleMatch(ctx, testMatch("g-1", "src:1", "A", 0.8), p)
		if err == nil || errors.Is(err, ErrPermanent) || errors.Is(err, ErrPaused) {
			t.Fatalf("attempt %d: err = %v, want transient send error", i, err)
		}
		if led.has("g-1", "src:1") {
			t.Fatalf("attempt %d: claim not released after failure", i)
		}
	}
	if _, paused := n.Paused(); !paused {
		t.Fatal("not paused after PauseAfter failures")
	}
	rec.FailWith(nil)
	if err := n.HandleMatch(ctx, testMatch("g-1", "src:1", "A", 0.8), p); !errors.Is(err, ErrPaused) {
		t.Fatalf("while paused: err = %v, want ErrPaused", err)
	}
	if len(rec.Messages()) != 0 || led.has("g-1", "src:1") {
		t.Fatal("sent or claimed while paused")
	}
}

func TestPermanentSendErrorDoesNotPause(t *testing.T) {
	rec := &RecordingMailer{}
	cfg := testConfig()
	cfg.PauseAfter = 1
	n := newTestNotifier(t, cfg, Deps{Mailer: rec, Ledger: &memLedger{}})
	rec.FailWith(Permanent(errors.New("550 no such user")))
	err := n.HandleMatch(context.Background(), testMatch("g-1", "src:1", "A", 0.8), testProfile("g-1", "en", profiles.FrequencyInstant))
	if !errors.Is(err, ErrPermanent) {
		t.Fatalf("err = %v", err)
	}
	if _, paused := n.Paused(); paused {
		t.Fatal("a bad recipient must not pause everyone's mail")
	}
}

func TestConfigDefaultsAndValidate(t *testing.T) {
	var c Config
	c.setDefaults()
	if c.BaseURL != DefaultBaseURL || c.From != DefaultFrom || c.SendRate != 5 || c.DigestMax != 10 ||
		c.ManageURL != DefaultBaseURL+"/alerts" || c.MessageIDDomain != "passerelle.local" {
		t.Errorf("defaults = %+v", c)
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero Config invalid: %v", err)
	}
	for _, bad := range []Config{
		{BaseURL: "passerelle.example.org"},
		{From: "nobody"},
		{UnsubscribeMailto: "x"},
		{MessageIDDomain: "a b"},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil", bad)
		}
	}
	if _, err := New(Config{}, Deps{}); err == nil || !strings.Contains(err.Error(), "Mailer") {
		t.Errorf("New without deps: %v", err)
	}
}

func TestPaceSpacesSends(t *testing.T) {
	cfg := testConfig()
	cfg.SendRate = 20 // 50ms apart
	n := newTestNotifier(t, cfg, Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}})
	start := time.Now()
	for range 4 {
		if err := n.pace(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Errorf("4 sends at 20/s took %s, want >= 150ms", el)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n.nextSend = time.Now().Add(time.Hour)
	if err := n.pace(ctx); err == nil {
		t.Error("pace ignores a cancelled context")
	}
}
