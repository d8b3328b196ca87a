package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/mailpit"
	"github.com/passerelle/passerelle/internal/natstest"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
)

// startJS runs an embedded JetStream server with Passerelle's streams.
func startJS(t *testing.T) jetstream.JetStream { return natstest.JetStream(t) }

func TestKVStores(t *testing.T) {
	js := startJS(t)
	ctx := context.Background()
	st, err := OpenStores(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	// Opening again binds the existing buckets.
	if _, err := OpenStores(ctx, js); err != nil {
		t.Fatal(err)
	}

	claim := func(p, k, id string) Claim {
		t.Helper()
		c, err := st.Ledger.Claim(ctx, p, k, id)
		if err != nil {
			t.Fatalf("Claim(%s, %s): %v", p, k, err)
		}
		return c
	}
	c1 := claim("g.1", "remoteok:1", "m1")
	if c1.State != Claimed || c1.MessageID != "m1" {
		t.Fatalf("first claim = %+v", c1)
	}
	if c := claim("g.1", "remoteok:1", "m2"); c.State != InFlight || c.MessageID != "m1" {
		t.Fatalf("claim of a fresh pending key = %+v, want in flight with m1", c)
	}
	if c := claim("g.1", "remoteok_1", "m3"); c.State != Claimed {
		t.Fatalf("distinct after escaping: %+v", c)
	}
	if c := claim("g.2", "remoteok:1", "m4"); c.State != Claimed {
		t.Fatalf("other profile: %+v", c)
	}
	if err := st.Ledger.Release(ctx, "g.1", "remoteok:1", c1); err != nil {
		t.Fatal(err)
	}
	c5 := claim("g.1", "remoteok:1", "m5")
	if c5.State != Claimed {
		t.Fatalf("claim after release = %+v", c5)
	}
	// A release with a stale revision leaves the newer claim alone.
	if err := st.Ledger.Release(ctx, "g.1", "remoteok:1", c1); err != nil {
		t.Fatal(err)
	}
	if c := claim("g.1", "remoteok:1", "m6"); c.State != InFlight || c.MessageID != "m5" {
		t.Fatalf("claim after an old release = %+v, want in flight with m5", c)
	}
	if err := st.Ledger.Sent(ctx, "g.1", "remoteok:1", c5); err != nil {
		t.Fatal(err)
	}
	if c := claim("g.1", "remoteok:1", "m7"); c.State != AlreadySent {
		t.Fatalf("claim after sent = %+v", c)
	}
	// A pending claim older than the limit is taken over, once, with its
	// Message-Id.
	st.Ledger.SetStaleAfter(50 * time.Millisecond)
	old := claim("g.3", "x:1", "m8")
	time.Sleep(80 * time.Millisecond)
	c9 := claim("g.3", "x:1", "m9")
	if c9.State != TakenOver || c9.MessageID != "m8" {
		t.Fatalf("claim of a stale pending key = %+v, want taken over with m8", c9)
	}
	if c := claim("g.3", "x:1", "m10"); c.State != InFlight {
		t.Fatalf("second claim right after a take-over = %+v, want in flight", c)
	}
	if err := st.Ledger.Release(ctx, "g.3", "x:1", old); err != nil {
		t.Fatal(err)
	}
	if c := claim("g.3", "x:1", "m11"); c.State != InFlight {
		t.Fatalf("the dead sender's release undid the take-over: %+v", c)
	}
	// Entries written before the two-phase ledger read as sent.
	kv, err := js.KeyValue(ctx, "alerts_sent")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Put(ctx, LedgerKey("g.4", "old:1"), []byte("2026-01-01T00:00:00Z")); err != nil {
		t.Fatal(err)
	}
	if c := claim("g.4", "old:1", "m12"); c.State != AlreadySent {
		t.Fatalf("legacy entry = %+v, want already sent", c)
	}

	if u, err := st.Unsubscribes.Unsubscribed(ctx, "g.1"); err != nil || u {
		t.Fatalf("Unsubscribed before = %v, %v", u, err)
	}
	if err := st.Unsubscribes.Unsubscribe(ctx, "g.1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if u, _ := st.Unsubscribes.Unsubscribed(ctx, "g.1"); !u {
		t.Fatal("not unsubscribed")
	}
	if u, _ := st.Unsubscribes.Unsubscribed(ctx, "g.2"); u {
		t.Fatal("another profile unsubscribed too")
	}
	if err := st.Unsubscribes.Resubscribe(ctx, "g.1"); err != nil {
		t.Fatal(err)
	}
	if u, _ := st.Unsubscribes.Unsubscribed(ctx, "g.1"); u {
		t.Fatal("still unsubscribed after Resubscribe")
	}

	m := testMatch("g.1", "src:1", "A", 0.5)
	m.Offer.Description = strings.Repeat("long text ", 1000)
	for range 2 {
		if err := st.Digests.Add(ctx, "daily", Pending{Match: m, Profile: testProfile("g.1", "fr", "daily"), QueuedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Digests.Add(ctx, "weekly", Pending{Match: testMatch("g.1", "src:2", "B", 0.5)}); err != nil {
		t.Fatal(err)
	}
	list, err := st.Digests.List(ctx, "daily")
	if err != nil || len(list) != 1 || list[0].Match.OfferID != "src:1" || list[0].Match.Offer.Description != "" || list[0].Profile.Email != "g.1@example.org" {
		t.Fatalf("List(daily) = %+v, %v", list, err)
	}
	if err := st.Digests.Remove(ctx, "daily", "g.1", "src:1"); err != nil {
		t.Fatal(err)
	}
	if list, _ := st.Digests.List(ctx, "daily"); len(list) != 0 {
		t.Fatalf("after Remove: %d entries", len(list))
	}
	if list, _ := st.Digests.List(ctx, "weekly"); len(list) != 1 {
		t.Fatalf("weekly: %d entries", len(list))
	}
}

// switchMailer forwards to a mailer that the test can swap (SMTP down, back).
type switchMailer struct {
	mu sync.Mutex
	m  Mailer
}

func (s *switchMailer) set(m Mailer) { s.mu.Lock(); s.m = m; s.mu.Unlock() }
func (s *switchMailer) Send(ctx context.Context, msg *Message) error {
	s.mu.Lock()
	m := s.m
	s.mu.Unlock()
	return m.Send(ctx, msg)
}

type harness struct {
	js      jetstream.JetStream
	mp      *mailpit.Server
	stores  Stores
	n       *Notifier
	profile map[string]profiles.Profile
	stop    func() error
}

// deadLetters reads the DEAD stream.
func (h *harness) deadLetters(t *testing.T) []*jetstream.RawStreamMsg {
	t.Helper()
	dead, err := bus.DeadLetters(context.Background(), h.js, 100)
	if err != nil {
		t.Fatal(err)
	}
	return dead
}

func newHarness(t *testing.T, mailer Mailer, edit func(*Config)) *harness {
	t.Helper()
	h := &harness{js: startJS(t), mp: mailpit.Start(t), profile: map[string]profiles.Profile{}}
	st, err := OpenStores(context.Background(), h.js)
	if err != nil {
		t.Fatal(err)
	}
	h.stores = st
	if mailer == nil {
		if mailer, err = NewSMTPMailer(h.mp.SMTPURL()); err != nil {
			t.Fatal(err)
		}
	}
	cfg := testConfig()
	if edit != nil {
		edit(&cfg)
	}
	h.n = newTestNotifier(t, cfg, Deps{Mailer: mailer, Ledger: st.Ledger, Digests: st.Digests, Unsubscribed: st.Unsubscribes, Quota: st.Quota})
	return h
}

func (h *harness) lookup(_ context.Context, id string) (profiles.Profile, error) {
	p, ok := h.profile[id]
	if !ok {
		return profiles.Profile{}, fmt.Errorf("lookup %s: %w", id, profiles.ErrNotFound)
	}
	return p, nil
}

// run starts Run; stop cancels it and returns Run's result.
func (h *harness) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.n.Run(ctx, h.js, h.lookup) }()
	var once sync.Once
	var result error
	h.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case result = <-done:
			case <-time.After(10 * time.Second):
				result = errors.New("Run did not stop within 10s")
			}
		})
		return result
	}
	t.Cleanup(func() { _ = h.stop() })
}

func (h *harness) publish(t *testing.T, subject string, data []byte, msgID string) {
	t.Helper()
	var opts []jetstream.PublishOpt
	if msgID != "" {
		opts = append(opts, jetstream.WithMsgID(msgID))
	}
	if _, err := h.js.Publish(context.Background(), subject, data, opts...); err != nil {
		t.Fatal(err)
	}
}

func (h *harness) publishMatch(t *testing.T, m matcher.Match, msgID string) {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	h.publish(t, bus.MatchSubject(m.ProfileID), b, msgID)
}

// waitConsumer polls the durable consumer until cond holds.
func (h *harness) waitConsumer(t *testing.T, what string, cond func(*jetstream.ConsumerInfo) bool) *jetstream.ConsumerInfo {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var last *jetstream.ConsumerInfo
	for {
		c, err := h.js.Consumer(context.Background(), bus.StreamMatches, ConsumerName)
		if err == nil {
			if info, err := c.Info(context.Background()); err == nil {
				last = info
				if cond(info) {
					return info
				}
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("consumer never reached %q; last info %+v", what, last)
			return nil
		case <-tick.C:
		}
	}
}

func settled(want uint64) func(*jetstream.ConsumerInfo) bool {
	return func(i *jetstream.ConsumerInfo) bool {
		return i.Delivered.Stream >= want && i.NumPending == 0 && i.NumAckPending == 0
	}
}

func TestRunSendsEachMatchOnce(t *testing.T) {
	h := newHarness(t, nil, nil)
	ctx := context.Background()
	h.profile["g-inst"] = testProfile("g-inst", "en", profiles.FrequencyInstant)
	h.run(t)

	good := testMatch("g-inst", "remoteok:1", "Data Analyst", 0.9)
	forbidden := testMatch("g-inst", "board:2", "Forbidden board offer", 0.95)
	forbidden.Offer.Terms = jobsTermsNoEmail()
	unknown := testMatch("g-missing", "remoteok:3", "Nobody", 0.9)

	h.publishMatch(t, good, bus.MatchMsgID(good.OfferID, good.ProfileID))
	h.publishMatch(t, good, bus.MatchMsgID(good.OfferID, good.ProfileID)) // dropped by the stream's duplicate window
	h.publishMatch(t, good, "")                                           // reaches the consumer again
	h.publishMatch(t, forbidden, "")
	h.publishMatch(t, unknown, "")
	h.publish(t, bus.MatchSubject("g-inst"), []byte(`{"profile_id": "g-inst", "offer_id": `), "") // bad JSON

	h.waitConsumer(t, "all 5 stored messages handled", settled(5))

	// The two matches that can never be sent are kept as dead letters.
	dead := h.deadLetters(t)
	if len(dead) != 2 {
		t.Fatalf("%d dead letters, want 2 (unknown profile, bad JSON)", len(dead))
	}
	for i, want := range []string{"unknown profile", "bad match JSON"} {
		d := dead[i]
		if d.Subject != bus.DeadSubject(ConsumerName) || !strings.HasPrefix(d.Header.Get(bus.HeaderDeadReason), want) {
			t.Errorf("dead letter %d on %s, reason %q; want %s, %q…", i, d.Subject, d.Header.Get(bus.HeaderDeadReason), bus.DeadSubject(ConsumerName), want)
		}
	}
	if string(dead[1].Data) != `{"profile_id": "g-inst", "offer_id": ` {
		t.Errorf("bad JSON kept as %q", dead[1].Data)
	}

	msgs, err := h.mp.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("%d mails in Mailpit, want exactly 1: %+v", len(msgs), msgs)
	}
	if msgs[0].Subject != "Passerelle: 1 new offer for you" || len(msgs[0].To) != 1 || msgs[0].To[0].Address != "g-inst@example.org" {
		t.Errorf("mail = %+v", msgs[0])
	}
	full, err := h.mp.Message(ctx, msgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(full.Text, "Data Analyst") || strings.Contains(full.Text, "Forbidden board offer") {
		t.Errorf("wrong offers in mail:\n%s", full.Text)
	}

	// A redelivery after a lost ack reaches HandleMatch again: still one mail.
	if err := h.n.HandleMatch(ctx, good, h.profile["g-inst"]); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := h.mp.Messages(ctx); len(msgs) != 1 {
		t.Fatalf("after redelivery: %d mails", len(msgs))
	}
	if err := h.stop(); err != nil {
		t.Fatalf("Run returned %v on cancel", err)
	}
}

func TestRunSMTPDownThenBack(t *testing.T) {
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
	h := newHarness(t, sw, func(c *Config) { c.RetryDelay = 20 * time.Millisecond; c.PauseAfter = 1000 })
	h.profile["g-1"] = testProfile("g-1", "fr", profiles.FrequencyInstant)
	h.run(t)

	h.publishMatch(t, testMatch("g-1", "remoteok:1", "Data Analyst", 0.9), "")
	h.waitConsumer(t, "message redelivered after a failed send", func(i *jetstream.ConsumerInfo) bool { return i.NumRedelivered >= 1 })
	if msgs, _ := h.mp.Messages(context.Background()); len(msgs) != 0 {
		t.Fatalf("%d mails while SMTP was down", len(msgs))
	}

	mp, err := NewSMTPMailer(h.mp.SMTPURL())
	if err != nil {
		t.Fatal(err)
	}
	sw.set(mp)
	if _, err := h.mp.WaitFor(context.Background(), 1, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	h.waitConsumer(t, "settled", settled(1))
	msgs, _ := h.mp.Messages(context.Background())
	if len(msgs) != 1 {
		t.Fatalf("%d mails after SMTP came back, want 1", len(msgs))
	}
	if msgs[0].Subject != "Passerelle : 1 nouvelle offre pour vous" {
		t.Errorf("subject = %q", msgs[0].Subject)
	}
}

func TestDigestFlush(t *testing.T) {
	h := newHarness(t, nil, nil)
	ctx := context.Background()
	daily := testProfile("g-d", "fr", profiles.FrequencyDaily)
	weekly := testProfile("g-w", "ar", profiles.FrequencyWeekly)
	forbidden := testMatch("g-d", "board:9", "Interdite", 0.99)
	forbidden.Offer.Terms = jobsTermsNoEmail()
	for _, c := range []struct {
		m matcher.Match
		p profiles.Profile
	}{
		{testMatch("g-d", "src:low", "Offre basse", 0.5), daily},
		{testMatch("g-d", "src:top", "Offre haute", 0.9), daily},
		{testMatch("g-d", "src:mid", "Offre moyenne", 0.7), daily},
		{testMatch("g-d", "src:mid", "Offre moyenne", 0.7), daily}, // redelivered
		{forbidden, daily},
		{testMatch("g-w", "src:w1", "Weekly one", 0.6), weekly},
		{testMatch("g-w", "src:w2", "Weekly two", 0.8), weekly},
	} {
		if err := h.n.HandleMatch(ctx, c.m, c.p); err != nil {
			t.Fatal(err)
		}
	}
	if msgs, _ := h.mp.Messages(ctx); len(msgs) != 0 {
		t.Fatalf("%d mails before any flush", len(msgs))
	}
	// Matches queued after the flush time wait for the next flush.
	if err := h.n.FlushDigests(ctx, profiles.FrequencyDaily, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := h.mp.Messages(ctx); len(msgs) != 0 {
		t.Fatalf("%d mails after flushing an earlier time", len(msgs))
	}

	if err := h.n.FlushDigests(ctx, profiles.FrequencyDaily, time.Now()); err != nil {
		t.Fatal(err)
	}
	msgs, err := h.mp.WaitFor(ctx, 1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Subject != "Passerelle : 3 nouvelles offres pour vous" || msgs[0].To[0].Address != "g-d@example.org" {
		t.Fatalf("digest = %+v", msgs)
	}
	full, err := h.mp.Message(ctx, msgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	top, mid, low := strings.Index(full.Text, "1. Offre haute"), strings.Index(full.Text, "2. Offre moyenne"), strings.Index(full.Text, "3. Offre basse")
	if top < 0 || mid < top || low < mid || strings.Contains(full.Text, "Interdite") {
		t.Errorf("digest not best first or includes a forbidden offer:\n%s", full.Text)
	}
	if !strings.Contains(full.HTML, "résumé quotidien") {
		t.Error("footer does not name the daily digest")
	}
	if list, _ := h.stores.Digests.List(ctx, profiles.FrequencyDaily); len(list) != 0 {
		t.Errorf("%d daily entries left after flush", len(list))
	}
	// A second flush has nothing to send; the weekly queue is untouched.
	if err := h.n.FlushDigests(ctx, profiles.FrequencyDaily, time.Now()); err != nil {
		t.Fatal(err)
	}
	if list, _ := h.stores.Digests.List(ctx, profiles.FrequencyWeekly); len(list) != 2 {
		t.Errorf("weekly queue has %d entries, want 2", len(list))
	}

	// Weekly digest capped at one offer: the best one.
	n2 := newTestNotifier(t, Config{Secret: testSecret, DigestMax: 1, SendRate: 1000, Logger: quietLogger()},
		Deps{Mailer: mustSMTP(t, h.mp.SMTPURL()), Ledger: h.stores.Ledger, Digests: h.stores.Digests})
	if err := n2.FlushDigests(ctx, profiles.FrequencyWeekly, time.Now()); err != nil {
		t.Fatal(err)
	}
	msgs, err = h.mp.WaitFor(ctx, 2, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("%d mails, want 2", len(msgs))
	}
	found, err := h.mp.Search(ctx, "to:g-w@example.org")
	if err != nil || len(found) != 1 {
		t.Fatalf("weekly digest search = %+v, %v", found, err)
	}
	w, err := h.mp.Message(ctx, found[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.Text, "Weekly two") || strings.Contains(w.Text, "Weekly one") || !strings.Contains(w.HTML, `dir="rtl"`) {
		t.Errorf("weekly digest:\n%s", w.Text)
	}
	if err := n2.FlushDigests(ctx, "hourly", time.Now()); err == nil {
		t.Error("FlushDigests accepted an unknown frequency")
	}
}

func mustSMTP(t *testing.T, u string) *SMTPMailer {
	t.Helper()
	m, err := NewSMTPMailer(u)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// blockingMailer holds each Send until released.
type blockingMailer struct {
	entered chan struct{}
	release chan struct{}
	rec     RecordingMailer
}

func (b *blockingMailer) Send(ctx context.Context, m *Message) error {
	b.entered <- struct{}{}
	<-b.release
	return b.rec.Send(ctx, m)
}

func TestRunFinishesMessageInHandOnCancel(t *testing.T) {
	bm := &blockingMailer{entered: make(chan struct{}), release: make(chan struct{})}
	h := newHarness(t, bm, nil)
	h.profile["g-1"] = testProfile("g-1", "en", profiles.FrequencyInstant)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- h.n.Run(ctx, h.js, h.lookup) }()
	h.publishMatch(t, testMatch("g-1", "src:1", "A", 0.9), "")
	select {
	case <-bm.entered:
	case <-time.After(15 * time.Second):
		t.Fatal("send never started")
	}
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) with a send in hand", err)
	default:
	}
	close(bm.release) // the send in hand completes after the cancel
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after the send finished")
	}
	if got := len(bm.rec.Messages()); got != 1 {
		t.Fatalf("%d mails recorded, want 1", got)
	}
	h.waitConsumer(t, "acked before stopping", settled(1))
}

// TestCrashBetweenClaimAndSend: a sender that claimed an alert and died
// before sending it (kill -9 while waiting for its send slot) leaves a
// pending claim. The redelivered match finds it in flight, looks again
// once it is stale, takes it over and sends the mail with the dead
// sender's Message-Id: the alert is not lost, and had the first mail gone
// out, the repeat would carry the same Message-Id.
func TestCrashBetweenClaimAndSend(t *testing.T) {
	const stale = 400 * time.Millisecond
	h := newHarness(t, nil, func(c *Config) { c.StaleClaimAfter = stale; c.RetryDelay = 50 * time.Millisecond })
	h.stores.Ledger.SetStaleAfter(stale)
	ctx := context.Background()
	h.profile["g-inst"] = testProfile("g-inst", "fr", profiles.FrequencyInstant)
	m := testMatch("g-inst", "remoteok:7", "Data Analyst", 0.9)
	const deadID = "alert.dead-sender.1@passerelle.example.org"
	if c, err := h.stores.Ledger.Claim(ctx, "g-inst", alertKey(m), deadID); err != nil || c.State != Claimed {
		t.Fatalf("dead sender's claim = %+v, %v", c, err)
	}
	h.run(t)
	h.publishMatch(t, m, bus.MatchMsgID(m.OfferID, m.ProfileID))
	msgs, err := h.mp.WaitFor(ctx, 1, 15*time.Second)
	if err != nil {
		t.Fatalf("the alert claimed by a dead sender was never sent: %v", err)
	}
	if len(msgs) != 1 || msgs[0].MessageID != deadID {
		t.Fatalf("mails = %+v, want one with Message-Id %s", msgs, deadID)
	}
	h.waitConsumer(t, "match acknowledged", settled(1))
	if c, err := h.stores.Ledger.Claim(ctx, "g-inst", alertKey(m), "x"); err != nil || c.State != AlreadySent {
		t.Fatalf("ledger after the take-over = %+v, %v; want sent", c, err)
	}
	time.Sleep(2 * stale)
	if msgs, _ := h.mp.Messages(ctx); len(msgs) != 1 {
		t.Errorf("%d mails, want 1", len(msgs))
	}
}

// A digest carries at most DigestMax offers and DigestPerCompany from one
// company, best first, counted after what was already sent is removed;
// what is left waits for the next digest (Mailpit).
func TestDigestCapsAfterNeverTwice(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.DigestPerCompany = 2; c.DigestMax = 4 })
	ctx := context.Background()
	p := testProfile("g-c", "en", profiles.FrequencyDaily)
	mk := func(id, company string, score float64) matcher.Match {
		m := testMatch("g-c", id, "Offer "+id, score)
		m.Company, m.Offer.Company = company, company
		return m
	}
	// Two offers already sent as instant alerts: they must not take places.
	for _, m := range []matcher.Match{mk("src:sent1", "Other", 0.99), mk("src:sent2", "Other", 0.98)} {
		ip := p
		ip.Alerts.Frequency = profiles.FrequencyInstant
		if err := h.n.HandleMatch(ctx, m, ip); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := h.mp.Messages(ctx)
	for _, m := range []matcher.Match{
		mk("src:sent1", "Other", 0.99), mk("src:sent2", "Other", 0.98),
		mk("src:a1", "Alpha", 0.95), mk("src:a2", "alpha ", 0.94), mk("src:a3", "ALPHA", 0.93),
		mk("src:b1", "Beta", 0.90), mk("src:c1", "Gamma", 0.80), mk("src:d1", "Delta", 0.70),
	} {
		if err := h.n.HandleMatch(ctx, m, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.n.FlushDigests(ctx, profiles.FrequencyDaily, time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	msgs, err := h.mp.WaitFor(ctx, len(before)+1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	first, err := h.mp.Message(ctx, msgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Offer src:a1", "Offer src:a2", "Offer src:b1", "Offer src:c1"} {
		if !strings.Contains(first.Text, want) {
			t.Errorf("first digest lacks %s:\n%s", want, first.Text)
		}
	}
	for _, not := range []string{"Offer src:a3", "Offer src:d1", "Offer src:sent1"} {
		if strings.Contains(first.Text, not) {
			t.Errorf("first digest carries %s (third of a company, over the cap, or sent before)", not)
		}
	}
	if err := h.n.FlushDigests(ctx, profiles.FrequencyDaily, time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	msgs, err = h.mp.WaitFor(ctx, len(before)+2, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	second, err := h.mp.Message(ctx, msgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(second.Text, "Offer src:a3") || !strings.Contains(second.Text, "Offer src:d1") || strings.Contains(second.Text, "Offer src:a1") {
		t.Errorf("the next digest should carry what waited, and only that:\n%s", second.Text)
	}
}

// Instant alerts within the coalescing window go out in one mail, once the
// first has waited the window (Mailpit).
func TestInstantAlertsCoalesced(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.InstantWindow = time.Second })
	ctx := context.Background()
	p := testProfile("g-i", "fr", profiles.FrequencyInstant)
	for i, title := range []string{"Analyste A", "Analyste B", "Analyste C"} {
		m := testMatch("g-i", fmt.Sprintf("src:i%d", i), title, 0.9-float64(i)/10)
		if err := h.n.HandleMatch(ctx, m, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.n.FlushDigests(ctx, profiles.FrequencyInstant, time.Now()); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := h.mp.Messages(ctx); len(msgs) != 0 {
		t.Fatalf("%d mails before the window ended", len(msgs))
	}
	time.Sleep(1100 * time.Millisecond)
	if err := h.n.FlushDigests(ctx, profiles.FrequencyInstant, time.Now()); err != nil {
		t.Fatal(err)
	}
	msgs, err := h.mp.WaitFor(ctx, 1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Subject != "Passerelle : 3 nouvelles offres pour vous" {
		t.Fatalf("want one mail carrying the three offers, got %+v", msgs)
	}
	// Nothing is held any more, and a later flush sends nothing again.
	if err := h.n.FlushDigests(ctx, profiles.FrequencyInstant, time.Now()); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := h.mp.Messages(ctx); len(msgs) != 1 {
		t.Errorf("%d mails after a second flush, want 1", len(msgs))
	}
}
