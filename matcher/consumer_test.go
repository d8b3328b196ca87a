package matcher

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/natstest"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

// repoWith returns the profiles bucket of js holding ps, put in the order
// given (so not in id order: as after profiles were added at run time).
func repoWith(t *testing.T, js jetstream.JetStream, ps ...profiles.Profile) *profiles.Repo {
	t.Helper()
	repo, err := profiles.OpenRepo(context.Background(), js, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if err := repo.Put(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

// TestServiceCompactsLoad: a load out of id order is compacted before the
// service is ready, on a real (embedded) JetStream.
func TestServiceCompactsLoad(t *testing.T) {
	js := natstest.JetStream(t)
	var ps []profiles.Profile
	for _, id := range []string{"c", "a", "b"} {
		p := graduate()
		p.ID = id
		p.Email = id + "@example.org"
		ps = append(ps, p)
	}
	ix := NewIndex(testOptions(t))
	startService(t, js, ix, repoWith(t, js, ps...))
	if ix.Len() != 3 || ix.Disordered() {
		t.Fatalf("after the load: %d profiles, disordered %v; want 3, false", ix.Len(), ix.Disordered())
	}
	ms := ix.Match(remoteOffer())
	if len(ms) != 3 || ms[0].ProfileID != "a" || ms[2].ProfileID != "c" {
		t.Fatalf("matches after compaction: %+v", ms)
	}
}

// TestServiceFollowsTheBucket: a profile added after the service started
// is back-filled against recent offers; an erased one leaves the index.
func TestServiceFollowsTheBucket(t *testing.T) {
	js := natstest.JetStream(t)
	ctx := context.Background()
	repo := repoWith(t, js)
	ix := NewIndex(testOptions(t))
	startService(t, js, ix, repo)
	o := remoteOffer()
	o.PostedAt = ptrTime(time.Now().Add(-time.Hour))
	if err := bus.PublishJSON(ctx, js, bus.SubjectOfferNew, o.ID, o); err != nil {
		t.Fatal(err)
	}
	cons, err := js.OrderedConsumer(ctx, bus.StreamOffers, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cons.Next(jetstream.FetchMaxWait(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the offer reaches the recent cache
	g := graduate()
	if err := repo.Put(ctx, g); err != nil {
		t.Fatal(err)
	}
	mc, err := js.OrderedConsumer(ctx, bus.StreamMatches, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mc.Next(jetstream.FetchMaxWait(15 * time.Second))
	if err != nil {
		t.Fatalf("the profile added at run time was not back-filled: %v", err)
	}
	if msg.Subject() != bus.MatchSubject(g.ID) {
		t.Errorf("match on %s", msg.Subject())
	}
	if err := repo.Delete(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ix.Len() != 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("erased profile still indexed (%d profiles)", ix.Len())
		}
	}
}

// startService runs a service over src on js until the test ends.
func startService(t *testing.T, js jetstream.JetStream, ix *Index, src ProfileFeed) {
	t.Helper()
	svc := NewService(ServiceConfig{Instance: "test", Logger: slog.New(slog.DiscardHandler)}, js, ix, src)
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan error, 1), make(chan error, 1)
	go func() { done <- svc.Run(ctx, ready) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("service did not stop after 30 s")
		}
	})
	select {
	case err := <-ready:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("service not ready after 30 s")
	}
}

// TestServicePublishesSlimMatches: a match message carries what the
// notifier shows of the offer, not its description or raw source values.
func TestServicePublishesSlimMatches(t *testing.T) {
	js := natstest.JetStream(t)
	ctx := context.Background()
	startService(t, js, NewIndex(testOptions(t)), repoWith(t, js, graduate()))

	o := remoteOffer()
	o.PostedAt = ptrTime(time.Now().Add(-time.Hour))
	o.Description = strings.Repeat("Long description of the job. ", 300)
	o.Raw = map[string]string{"salary_text": "selon profil"}
	if err := bus.PublishJSON(ctx, js, bus.SubjectOfferNew, o.ID, o); err != nil {
		t.Fatal(err)
	}
	cons, err := js.OrderedConsumer(ctx, bus.StreamMatches, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := cons.Next(jetstream.FetchMaxWait(30 * time.Second))
	if err != nil {
		t.Fatalf("no match published: %v", err)
	}
	var m Match
	if err := json.Unmarshal(msg.Data(), &m); err != nil {
		t.Fatal(err)
	}
	if m.ProfileID != graduate().ID || m.OfferID != o.ID || m.Offer == nil {
		t.Fatalf("match %+v", m)
	}
	if m.Offer.Description != "" || m.Offer.Raw != nil {
		t.Errorf("match message carries the description (%d bytes) or raw values %v", len(m.Offer.Description), m.Offer.Raw)
	}
	if m.Offer.Title != o.Title || m.Offer.URL != o.URL || m.Offer.Terms != o.Terms || m.Offer.Workplace != o.Workplace {
		t.Errorf("slim offer lost what the notifier shows: %+v", m.Offer)
	}
	if len(msg.Data()) > 4000 {
		t.Errorf("match message is %d bytes", len(msg.Data()))
	}
}

// TestPublishAllWindows: publishAll stores every match of an offer once,
// across several windows of messages in flight, keeps one copy when the
// offer is published again (as after a retry), and reports a failure when
// the stream is gone instead of waiting for ever.
func TestPublishAllWindows(t *testing.T) {
	js := natstest.JetStream(t)
	ctx := context.Background()
	svc := NewService(ServiceConfig{Instance: "test", Logger: slog.New(slog.DiscardHandler)}, js, NewIndex(testOptions(t)), nil)
	o := remoteOffer()
	o.Description = "long text"
	n := 2*publishWindow + 37
	ms := make([]Match, n)
	for i := range ms {
		ms[i] = Match{ProfileID: fmt.Sprintf("p%05d", i), OfferID: o.ID, Score: 0.5}
	}
	for range 2 {
		if err := svc.publishAll(ctx, ms, slimOffer(&o)); err != nil {
			t.Fatal(err)
		}
	}
	st, err := js.Stream(ctx, bus.StreamMatches)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != uint64(n) {
		t.Fatalf("MATCHES holds %d messages, want %d (each match once)", info.State.Msgs, n)
	}
	msg, err := st.GetLastMsgForSubject(ctx, bus.MatchSubject(ms[n-1].ProfileID))
	if err != nil {
		t.Fatal(err)
	}
	var m Match
	if err := json.Unmarshal(msg.Data, &m); err != nil {
		t.Fatal(err)
	}
	if m.ProfileID != ms[n-1].ProfileID || m.Offer == nil || m.Offer.Description != "" || m.MatchedAt.IsZero() {
		t.Fatalf("stored match %+v", m)
	}

	if err := js.DeleteStream(ctx, bus.StreamMatches); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.publishAll(ctx, ms[:10], nil) }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("publishAll with no MATCHES stream returned no error")
		}
		t.Logf("without the stream: %v", err)
	case <-time.After(2 * publishAckWait):
		t.Fatal("publishAll with no MATCHES stream did not return")
	}
}

// TestServiceForgetsClosedOffers: an offer closed (offers.closed) leaves
// the recent offers of a running matcher and of one started later, so a
// graduate who joins afterwards is back-filled with the open offer only.
func TestServiceForgetsClosedOffers(t *testing.T) {
	js := natstest.JetStream(t)
	ctx := context.Background()
	repo := repoWith(t, js)
	running := NewService(ServiceConfig{Instance: "running", Logger: slog.New(slog.DiscardHandler)}, js, NewIndex(testOptions(t)), repo)
	runService(t, running)
	open, closed := remoteOffer(), remoteOffer()
	closed.ID, closed.URL, closed.Title = closed.ID+"-closed", closed.URL+"-closed", closed.Title+" (closed)"
	for _, o := range []jobs.Offer{open, closed} {
		o.PostedAt = ptrTime(time.Now().Add(-time.Hour))
		if err := bus.PublishJSON(ctx, js, bus.SubjectOfferNew, o.ID, o); err != nil {
			t.Fatal(err)
		}
	}
	waitRecent := func(s *Service, want int) {
		t.Helper()
		for deadline := time.Now().Add(15 * time.Second); len(s.recentOffers()) != want; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d recent offers, want %d", s.cfg.Instance, len(s.recentOffers()), want)
			}
		}
	}
	waitRecent(running, 2)
	if err := bus.CloseOffer(ctx, js, bus.OfferClosed{OfferID: closed.ID, Reason: bus.ClosedRecruiter}); err != nil {
		t.Fatal(err)
	}
	waitRecent(running, 1)
	later := NewService(ServiceConfig{Instance: "later", Durable: "later", Logger: slog.New(slog.DiscardHandler)}, js, NewIndex(testOptions(t)), repo)
	runService(t, later)
	waitRecent(later, 1)
	for _, s := range []*Service{running, later} {
		if got := s.recentOffers(); got[0].ID != open.ID {
			t.Errorf("%s keeps %s, want the open offer", s.cfg.Instance, got[0].ID)
		}
	}

	// A graduate joins: back-filled with the open offer only (by each
	// matcher: both follow the bucket).
	g := graduate()
	if err := repo.Put(ctx, g); err != nil {
		t.Fatal(err)
	}
	mc, err := js.OrderedConsumer(ctx, bus.StreamMatches, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	openMatched := false
	for {
		msg, err := mc.Next(jetstream.FetchMaxWait(3 * time.Second))
		if err != nil {
			break
		}
		var m Match
		if err := json.Unmarshal(msg.Data(), &m); err != nil {
			t.Fatal(err)
		}
		if m.OfferID == closed.ID {
			t.Fatalf("the closed offer was back-filled to %s", m.ProfileID)
		}
		openMatched = openMatched || (m.OfferID == open.ID && m.ProfileID == g.ID)
	}
	if !openMatched {
		t.Fatal("the open offer was not back-filled either: the test proves nothing")
	}
}

// runService runs s until the test ends, once it is ready.
func runService(t *testing.T, s *Service) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan error, 1), make(chan error, 1)
	go func() { done <- s.Run(ctx, ready) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	if err := <-ready; err != nil {
		t.Fatal(err)
	}
}

// TestSlimOfferKeepsTextWithoutWebLink: the copy of an offer each match
// carries drops the description and raw values, except for an offer with
// no web link (the description is then the only place the ad is read),
// cut at maxKeptDescription runes.
func TestSlimOfferKeepsTextWithoutWebLink(t *testing.T) {
	long := strings.Repeat("é", maxKeptDescription+50)
	for _, c := range []struct {
		name      string
		o         jobs.Offer
		wantRunes int
	}{
		{"listing", jobs.Offer{URL: "https://x.example/1", Description: long, Raw: map[string]string{"a": "b"}}, 0},
		{"apply link", jobs.Offer{ApplyURL: "https://x.example/apply", Description: long}, 0},
		{"mailto only", jobs.Offer{ApplyURL: "mailto:rh@x.example", Description: long, Raw: map[string]string{"a": "b"}}, maxKeptDescription},
		{"no link", jobs.Offer{Description: "Poste à Oujda."}, len([]rune("Poste à Oujda."))},
		{"relative link", jobs.Offer{URL: "/jobs/1", Description: "Poste à Oujda."}, len([]rune("Poste à Oujda."))},
	} {
		s := slimOffer(&c.o)
		if got := utf8.RuneCountInString(s.Description); got != c.wantRunes || !utf8.ValidString(s.Description) {
			t.Errorf("%s: kept %d runes, want %d", c.name, got, c.wantRunes)
		}
		if s.Raw != nil {
			t.Errorf("%s: raw values kept", c.name)
		}
		if c.o.Description == "" {
			t.Errorf("%s: the original was changed", c.name)
		}
	}
}
