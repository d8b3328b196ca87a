package notifier

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/mailpit"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
)

// withDeliverability gives h's notifier the closed-offers bucket and the
// suppression list (and edit's changes to its config and deps).
func withDeliverability(t *testing.T, h *harness, edit func(*Config, *Deps)) *KVSuppressions {
	t.Helper()
	ctx := context.Background()
	closed, err := bus.OpenClosedOffers(ctx, h.js)
	if err != nil {
		t.Fatal(err)
	}
	sup, err := OpenSuppressions(ctx, h.js)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	deps := Deps{Mailer: mustSMTP(t, h.mp.SMTPURL()), Ledger: h.stores.Ledger, Digests: h.stores.Digests,
		Unsubscribed: h.stores.Unsubscribes, Closed: closed, Suppressions: sup}
	if edit != nil {
		edit(&cfg, &deps)
	}
	h.n = newTestNotifier(t, cfg, deps)
	return sup
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestNoMailAfterCloseOrExpiry: an offer closed (offers.closed) before
// its match arrives is never mailed; one closed while it waits for a
// digest leaves the queue (RunClosed) and the digest; one closed when no
// consumer runs is still left out when the digest goes; an offer whose
// valid_through passed is left out too. The digest carries the rest.
func TestNoMailAfterCloseOrExpiry(t *testing.T) {
	h := newHarness(t, nil, nil)
	withDeliverability(t, h, nil)
	ctx := context.Background()
	closeOffer := func(id, reason string) {
		t.Helper()
		if err := bus.CloseOffer(ctx, h.js, bus.OfferClosed{OfferID: id, Source: "src", Reason: reason}); err != nil {
			t.Fatal(err)
		}
	}
	runCtx, stopClosed := context.WithCancel(ctx)
	closedDone := make(chan error, 1)
	go func() { closedDone <- h.n.RunClosed(runCtx, h.js) }()

	// Instant: closed before the match arrives.
	inst := testProfile("g-inst", "fr", profiles.FrequencyInstant)
	closeOffer("src:gone-before", bus.ClosedRecruiter)
	if err := h.n.HandleMatch(ctx, testMatch("g-inst", "src:gone-before", "Fermée avant", 0.9), inst); err != nil {
		t.Fatal(err)
	}

	// Daily: four queued; one closed while waiting (consumer running),
	// one expired.
	daily := testProfile("g-day", "fr", profiles.FrequencyDaily)
	expired := testMatch("g-day", "src:expired", "Offre expirée", 0.95)
	past := time.Now().Add(-time.Hour)
	expired.Offer.ValidThrough = &past
	for _, m := range []matcher.Match{
		testMatch("g-day", "src:open", "Offre ouverte", 0.6),
		testMatch("g-day", "src:closed-waiting", "Offre fermée en attente", 0.9),
		testMatch("g-day", "src:closed-late", "Offre fermée tard", 0.8),
		expired,
	} {
		if err := h.n.HandleMatch(ctx, m, daily); err != nil {
			t.Fatal(err)
		}
	}
	if list, _ := h.stores.Digests.List(ctx, profiles.FrequencyDaily); len(list) != 3 {
		t.Fatalf("queued %d, want 3 (the expired one is not queued)", len(list))
	}
	closeOffer("src:closed-waiting", bus.ClosedNotSeen)
	waitFor(t, "the closed offer leaves the digest queue", func() bool {
		list, _ := h.stores.Digests.List(ctx, profiles.FrequencyDaily)
		for _, p := range list {
			if p.Match.OfferID == "src:closed-waiting" {
				return false
			}
		}
		return len(list) == 2
	})
	stopClosed()
	if err := <-closedDone; err != nil {
		t.Fatalf("RunClosed: %v", err)
	}
	// Closed with no consumer running: still in the queue, left out at send.
	closeOffer("src:closed-late", bus.ClosedNotSeen)
	if list, _ := h.stores.Digests.List(ctx, profiles.FrequencyDaily); len(list) != 2 {
		t.Fatalf("queue holds %d, want 2 before the flush", len(list))
	}
	// The expired one is queued again as if it had arrived before expiry.
	if err := h.stores.Digests.Add(ctx, profiles.FrequencyDaily, Pending{Match: expired, Profile: daily, QueuedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := h.n.FlushDigests(ctx, profiles.FrequencyDaily, time.Now()); err != nil {
		t.Fatal(err)
	}
	msgs, err := h.mp.WaitFor(ctx, 1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].To[0].Address != "g-day@example.org" {
		t.Fatalf("mails: %+v (want only the daily digest)", msgs)
	}
	full, err := h.mp.Message(ctx, msgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(full.Text, "Offre ouverte") {
		t.Errorf("digest lacks the open offer:\n%s", full.Text)
	}
	for _, gone := range []string{"fermée", "expirée", "Fermée"} {
		if strings.Contains(full.Text, gone) || strings.Contains(full.HTML, gone) {
			t.Errorf("digest carries a closed or expired offer (%q):\n%s", gone, full.Text)
		}
	}
	if list, _ := h.stores.Digests.List(ctx, profiles.FrequencyDaily); len(list) != 0 {
		t.Errorf("%d entries left in the queue after the flush", len(list))
	}
	// And the closed ones never come later.
	if err := h.n.FlushDigests(ctx, profiles.FrequencyDaily, time.Now()); err != nil {
		t.Fatal(err)
	}
	if all, _ := h.mp.Messages(ctx); len(all) != 1 {
		t.Errorf("%d mails in all, want 1", len(all))
	}
}

// TestRefusedRecipientIsSuppressed: Mailpit refuses (5xx) every
// recipient but ok-*: the refused address goes on the suppression list,
// gets no more alert (no send tried: the match is skipped, not failed)
// and its digests are dropped; clearing the suppression (the graduate
// confirmed again) lets mail through again.
func TestRefusedRecipientIsSuppressed(t *testing.T) {
	js := startJS(t)
	mp := mailpit.StartWith(t, "--smtp-allowed-recipients", "^ok-")
	st, err := OpenStores(context.Background(), js)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{js: js, mp: mp, stores: st, profile: map[string]profiles.Profile{}}
	rec := &tryCounter{next: mustSMTP(t, mp.SMTPURL())}
	sup := withDeliverability(t, h, func(_ *Config, d *Deps) { d.Mailer = rec })
	ctx := context.Background()

	bad := testProfile("gone-user", "en", profiles.FrequencyInstant)
	err = h.n.HandleMatch(ctx, testMatch("gone-user", "src:1", "Data Analyst", 0.9), bad)
	if !errors.Is(err, ErrRecipientRejected) || !errors.Is(err, ErrPermanent) {
		t.Fatalf("first send to a refused address: %v, want a permanent recipient rejection", err)
	}
	if s, err := sup.Suppressed(ctx, "GONE-USER@example.org "); err != nil || !s {
		t.Fatalf("address not suppressed (case and spacing aside): %v %v", s, err)
	}
	before := rec.count()
	if err := h.n.HandleMatch(ctx, testMatch("gone-user", "src:2", "ML Engineer", 0.9), bad); err != nil {
		t.Fatalf("a suppressed address: %v, want the match skipped", err)
	}
	if rec.count() != before {
		t.Error("a mail was tried to a suppressed address")
	}
	// A digest for it is dropped.
	daily := bad
	daily.Alerts.Frequency = profiles.FrequencyDaily
	if err := st.Digests.Add(ctx, profiles.FrequencyDaily, Pending{Match: testMatch("gone-user", "src:4", "BI", 0.9), Profile: daily, QueuedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := h.n.FlushDigests(ctx, profiles.FrequencyDaily, time.Now()); err != nil {
		t.Fatal(err)
	}
	if rec.count() != before {
		t.Error("a digest was tried to a suppressed address")
	}
	if list, _ := st.Digests.List(ctx, profiles.FrequencyDaily); len(list) != 0 {
		t.Errorf("digest of a suppressed address still queued: %d", len(list))
	}
	// Another address is unaffected.
	good := testProfile("ok-salma", "fr", profiles.FrequencyInstant)
	if err := h.n.HandleMatch(ctx, testMatch("ok-salma", "src:1", "Data Analyst", 0.9), good); err != nil {
		t.Fatal(err)
	}
	if msgs, err := mp.WaitFor(ctx, 1, 10*time.Second); err != nil || len(msgs) != 1 {
		t.Fatalf("good address: %v %v", msgs, err)
	}
	// Confirmed again: mail is tried again.
	if err := sup.Clear(ctx, "gone-user@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := h.n.HandleMatch(ctx, testMatch("gone-user", "src:5", "Data Engineer", 0.9), bad); !errors.Is(err, ErrRecipientRejected) {
		t.Fatalf("after clearing: %v, want a new attempt (refused again)", err)
	}
	if rec.count() != before+2 {
		t.Errorf("attempts %d, want %d", rec.count(), before+2)
	}
}

// tryCounter counts Send calls (attempts, whatever their outcome).
type tryCounter struct {
	mu   sync.Mutex
	n    int
	next Mailer
}

func (c *tryCounter) Send(ctx context.Context, m *Message) error {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.next.Send(ctx, m)
}

func (c *tryCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// linkSite is a real HTTP server on 127.0.0.1 whose paths answer as their
// names say, recording each request's method and time.
type linkSite struct {
	*httptest.Server
	mu   sync.Mutex
	hits []string
	at   []time.Time
}

func newLinkSite(t *testing.T) *linkSite {
	s := &linkSite{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits = append(s.hits, r.Method+" "+r.URL.Path)
		s.at = append(s.at, time.Now())
		s.mu.Unlock()
		switch r.URL.Path {
		case "/ok":
		case "/gone":
			w.WriteHeader(http.StatusGone)
		case "/missing":
			w.WriteHeader(http.StatusNotFound)
		case "/no-head":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
			}
		case "/no-head-dead":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			w.WriteHeader(http.StatusNotFound)
		case "/error":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/moved":
			http.Redirect(w, r, "/missing", http.StatusMovedPermanently)
		default:
			w.WriteHeader(http.StatusTeapot)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *linkSite) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.hits...)
}

func TestHTTPLinkChecker(t *testing.T) {
	site := newLinkSite(t)
	ctx := context.Background()
	c := NewHTTPLinkChecker(LinkCheckConfig{AllowPrivate: true, HostInterval: 100 * time.Millisecond})
	start := time.Now()
	for _, tc := range []struct {
		path string
		dead bool
	}{
		{"/ok", false}, {"/gone", true}, {"/missing", true}, {"/no-head", false},
		{"/no-head-dead", true}, {"/error", false}, {"/moved", true},
	} {
		if dead, why := c.Dead(ctx, site.URL+tc.path+"#apply"); dead != tc.dead {
			t.Errorf("%s: dead=%v (%s), want %v", tc.path, dead, why, tc.dead)
		}
	}
	got := strings.Join(site.requests(), ",")
	want := "HEAD /ok,HEAD /gone,HEAD /missing,HEAD /no-head,GET /no-head,HEAD /no-head-dead,GET /no-head-dead,HEAD /error,HEAD /moved,HEAD /missing"
	if got != want {
		t.Errorf("requests:\n got %s\nwant %s", got, want)
	}
	// Per host, requests are at least HostInterval apart (a redirect's
	// hop and the GET after a 405 belong to one check).
	site.mu.Lock()
	last := site.at[len(site.at)-1]
	site.mu.Unlock()
	if d := last.Sub(start); d < 6*100*time.Millisecond {
		t.Errorf("7 checks of one host took %s, want at least 600ms", d)
	}
	// Answers are cached.
	n := len(site.requests())
	if dead, why := c.Dead(ctx, site.URL+"/gone"); !dead || !strings.Contains(why, "cached") {
		t.Errorf("second check of /gone: %v %s", dead, why)
	}
	if len(site.requests()) != n {
		t.Error("a cached answer made a request")
	}
	// Loopback is refused unless allowed: the link is kept, not requested.
	strict := NewHTTPLinkChecker(LinkCheckConfig{})
	if dead, why := strict.Dead(ctx, site.URL+"/gone"); dead || !strings.Contains(why, "private") {
		t.Errorf("private address: dead=%v %s", dead, why)
	}
	if len(site.requests()) != n {
		t.Error("the strict checker reached a loopback address")
	}
	if dead, _ := c.Dead(ctx, "mailto:jobs@example.org"); dead {
		t.Error("a mailto link is dead")
	}
}

// TestCheckLinksBeforeDigest: with a link checker, a digest leaves out
// the offers whose link is dead (404/410) and keeps the others.
func TestCheckLinksBeforeDigest(t *testing.T) {
	site := newLinkSite(t)
	h := newHarness(t, nil, nil)
	withDeliverability(t, h, func(_ *Config, d *Deps) {
		d.Links = NewHTTPLinkChecker(LinkCheckConfig{AllowPrivate: true, HostInterval: time.Millisecond})
	})
	ctx := context.Background()
	p := testProfile("g-links", "en", profiles.FrequencyDaily)
	for _, c := range []struct{ id, title, path string }{
		{"src:ok", "Alive offer", "/ok"}, {"src:gone", "Gone offer", "/gone"},
		{"src:missing", "Missing offer", "/missing"}, {"src:nohead", "No-HEAD offer", "/no-head"},
		{"src:down", "Server down offer", "/error"},
	} {
		m := testMatch("g-links", c.id, c.title, 0.9)
		m.URL, m.Offer.URL = site.URL+c.path, site.URL+c.path
		if err := h.n.HandleMatch(ctx, m, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.n.FlushDigests(ctx, profiles.FrequencyDaily, time.Now()); err != nil {
		t.Fatal(err)
	}
	msgs, err := h.mp.WaitFor(ctx, 1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	full, err := h.mp.Message(ctx, msgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, keep := range []string{"Alive offer", "No-HEAD offer", "Server down offer"} {
		if !strings.Contains(full.Text, keep) {
			t.Errorf("digest lacks %q", keep)
		}
	}
	for _, dead := range []string{"Gone offer", "Missing offer"} {
		if strings.Contains(full.Text, dead) {
			t.Errorf("digest carries %q, whose link is dead", dead)
		}
	}
}

// TestPaceToSpacesOneDomain: mails to one domain are DomainRate apart;
// another domain is not held up by them.
func TestPaceToSpacesOneDomain(t *testing.T) {
	cfg := testConfig()
	cfg.DomainRate = 10 // 100 ms apart
	n := newTestNotifier(t, cfg, Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}})
	ctx := context.Background()
	start := time.Now()
	for range 4 {
		if err := n.paceTo(ctx, "Salma <a@gmail.com>"); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("4 mails to one domain in %s, want at least 300ms", d)
	}
	start = time.Now()
	if err := n.paceTo(ctx, "b@ump.ac.ma"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Errorf("another domain waited %s", d)
	}
	if n2 := newTestNotifier(t, testConfig(), Deps{Mailer: &RecordingMailer{}, Ledger: &memLedger{}}); n2.cfg.DomainRate != DefaultDomainRate {
		t.Errorf("default DomainRate = %v", n2.cfg.DomainRate)
	}
}
