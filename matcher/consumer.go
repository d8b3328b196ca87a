package matcher

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/metrics"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

// ProfileFeed delivers the graduates' profiles: every current one, then a
// call of synced, then each change as it happens (profiles.Repo.Watch).
type ProfileFeed interface {
	Watch(ctx context.Context, fn func(profiles.Event) error, synced func()) error
}

// ServiceConfig configures the matcher as a JetStream service.
type ServiceConfig struct {
	// Durable is the offers consumer's durable name (default "matcher").
	Durable string
	// BackfillWindow is how far back a new or changed profile is matched
	// against recent offers (default 30 days).
	BackfillWindow time.Duration
	// MaxRecentOffers caps the recent-offers cache (default 50,000).
	MaxRecentOffers int
	// Instance names this process in logs (default "main").
	Instance string
	// CompactEvery is how often the index is compacted (Index.Compact)
	// when profiles added or removed since left it out of id order or
	// with free slots (default 1 hour; the load at start is compacted
	// too). Compacting holds matching for about a second per 100,000
	// profiles.
	CompactEvery time.Duration
	// AckWait is the offers consumer's ack wait (default bus's, 30 s).
	AckWait time.Duration
	// Health, when set, gives the health hooks of the offers consumer
	// ("offers") and of the profiles watch ("profiles").
	Health func(name string) bus.ConsumerHealth
	// GiveUpAfter: see bus.ConsumeConfig (default 5 minutes).
	GiveUpAfter time.Duration
	Logger      *slog.Logger
}

func (c *ServiceConfig) health(name string) bus.ConsumerHealth {
	if c.Health == nil {
		return nil
	}
	return c.Health(name)
}

func (c *ServiceConfig) setDefaults() {
	if c.Durable == "" {
		c.Durable = "matcher"
	}
	if c.BackfillWindow <= 0 {
		c.BackfillWindow = 30 * 24 * time.Hour
	}
	if c.MaxRecentOffers <= 0 {
		c.MaxRecentOffers = 50_000
	}
	if c.Instance == "" {
		c.Instance = "main"
	}
	if c.CompactEvery <= 0 {
		c.CompactEvery = time.Hour
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Service consumes offers.new and follows the profiles bucket, keeps the
// index fresh and publishes matches on matches.<profile id>. Any number of
// matcher processes share the offers consumer; each builds its index from
// the whole bucket before it takes an offer.
type Service struct {
	cfg   ServiceConfig
	js    jetstream.JetStream
	index *Index
	feed  ProfileFeed

	synced   atomic.Bool   // the index holds every profile (initial values read)
	revision atomic.Uint64 // last bucket revision applied

	mu     sync.Mutex
	recent map[string]jobs.Offer // offer id -> offer, for back-fill
	order  []string              // insertion order, to evict the oldest
	// closed are the offers closed (offers.closed) lately, in closedOrder
	// (at most MaxRecentOffers): never back-filled.
	closed      map[string]bool
	closedOrder []string

	progress atomic.Int64 // unix nano of the last offer or profile handled
}

// NewService builds the service; Run starts it.
func NewService(cfg ServiceConfig, js jetstream.JetStream, index *Index, feed ProfileFeed) *Service {
	cfg.setDefaults()
	return &Service{cfg: cfg, js: js, index: index, feed: feed, recent: map[string]jobs.Offer{}, closed: map[string]bool{}}
}

// Index returns the service's index (for status pages and tests).
func (s *Service) Index() *Index { return s.index }

// Ready reports whether the index holds every profile.
func (s *Service) Ready() bool { return s.synced.Load() }

// Revision is the last revision of the profiles bucket the index applied.
func (s *Service) Revision() uint64 { return s.revision.Load() }

// LastProgress is when the service last handled an offer or a profile
// change (zero before the first).
func (s *Service) LastProgress() time.Time {
	if n := s.progress.Load(); n > 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// Run reads every profile into the index, replays recent offers into the
// back-fill cache, signals ready (nil or the start-up error), then
// consumes offers and follows profile changes until ctx is done.
func (s *Service) Run(ctx context.Context, ready chan<- error) error {
	err := s.run(ctx, ready)
	if ready != nil {
		select {
		case ready <- err:
		default:
		}
	}
	return err
}

func (s *Service) run(ctx context.Context, ready chan<- error) error {
	log := s.cfg.Logger
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	firstSync := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.followProfiles(ctx, firstSync)
	}()
	select {
	case <-firstSync:
	case <-ctx.Done():
		wg.Wait()
		return nil
	}
	s.compact() // the bucket lists profiles in key order, not id order
	replayStart := time.Now()
	replayed, err := s.replayRecent(ctx)
	if err != nil {
		cancel()
		wg.Wait()
		return err
	}
	log.Info("matcher ready", "profiles", s.index.Len(), "recent_offers", replayed)
	if ready != nil {
		ready <- nil
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.followClosed(ctx, replayStart)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(s.cfg.CompactEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.compact()
			}
		}
	}()
	err = bus.Consume(ctx, s.js, bus.ConsumeConfig{
		Stream:      bus.StreamOffers,
		Durable:     s.cfg.Durable,
		Filter:      bus.SubjectOfferNew,
		AckWait:     s.cfg.AckWait,
		Logger:      log,
		Health:      s.cfg.health("offers"),
		GiveUpAfter: s.cfg.GiveUpAfter,
	}, s.handleOffer)
	cancel()
	wg.Wait()
	return err
}

// followProfiles keeps the index equal to the profiles bucket: it watches
// it, and watches again (with backoff) when a watch ends, removing the
// profiles that went while it was not watching. firstSync is closed once
// the first watch delivered every profile.
func (s *Service) followProfiles(ctx context.Context, firstSync chan struct{}) {
	log := s.cfg.Logger
	h := s.cfg.health("profiles")
	delay := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		seen := map[string]bool{}
		initial := true
		err := s.feed.Watch(ctx, func(ev profiles.Event) error {
			s.progress.Store(time.Now().UnixNano())
			if h != nil {
				h.Progress()
			}
			defer func() {
				if ev.Revision > s.revision.Load() {
					s.revision.Store(ev.Revision)
				}
			}()
			if initial {
				seen[ev.ID] = true
			}
			if ev.Deleted {
				s.index.Remove(ev.ID)
				return nil
			}
			s.index.Upsert(ev.Profile)
			if !initial {
				s.backfill(ctx, ev.ID)
			}
			return nil
		}, func() {
			initial = false
			for _, id := range s.index.IDs() {
				if !seen[id] {
					s.index.Remove(id) // erased while no watch was running
				}
			}
			seen = nil
			s.synced.Store(true)
			if h != nil {
				h.Set(bus.StateRunning, nil)
			}
			if first {
				first = false
				close(firstSync)
			}
			delay = 100 * time.Millisecond
		})
		if ctx.Err() != nil {
			return
		}
		if h != nil {
			h.Set(bus.StateRetrying, fmt.Errorf("profile watch ended: %v", err))
		}
		log.Warn("matcher: profile watch ended; watching again", "err", err, "retry_in", delay)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(2*delay, 10*time.Second)
	}
}

// compact compacts the index when it needs it.
func (s *Service) compact() {
	if !s.index.Disordered() {
		return
	}
	start := time.Now()
	if s.index.Compact() {
		s.cfg.Logger.Info("matcher index compacted", "profiles", s.index.Len(), "took", time.Since(start).Round(time.Millisecond))
	}
}

// replayRecent reads the offers of the back-fill window into the cache
// without matching them (they were matched when they arrived).
func (s *Service) replayRecent(ctx context.Context) (int, error) {
	stream, err := s.js.Stream(ctx, bus.StreamOffers)
	if err != nil {
		return 0, fmt.Errorf("matcher: offers stream: %w", err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("matcher: offers stream info: %w", err)
	}
	if info.State.Msgs == 0 {
		return 0, nil
	}
	start := time.Now().Add(-s.cfg.BackfillWindow)
	cons, err := s.js.OrderedConsumer(ctx, bus.StreamOffers, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{bus.SubjectOfferNew, bus.SubjectOfferClosed},
		DeliverPolicy:  jetstream.DeliverByStartTimePolicy,
		OptStartTime:   &start,
	})
	if err != nil {
		return 0, fmt.Errorf("matcher: replay offers: %w", err)
	}
	n := 0
	for {
		batch, err := cons.FetchNoWait(256)
		if err != nil {
			return n, fmt.Errorf("matcher: replay offers: %w", err)
		}
		got := 0
		for msg := range batch.Messages() {
			got++
			var o jobs.Offer
			if msg.Subject() == bus.SubjectOfferClosed {
				s.forgetClosed(msg.Data())
			} else if json.Unmarshal(msg.Data(), &o) == nil && o.ID != "" {
				s.remember(o)
				s.index.Observe(o)
				n++
			}
			if md, err := msg.Metadata(); err == nil && md.NumPending == 0 {
				return n, nil
			}
		}
		if got == 0 {
			return n, nil
		}
	}
}

// forgetClosed drops from the recent offers the one an offers.closed
// event names: a graduate who joins later is not back-filled with it.
func (s *Service) forgetClosed(data []byte) {
	var c bus.OfferClosed
	if json.Unmarshal(data, &c) != nil || c.OfferID == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Remembered, so that the offer is not taken back in when its
	// offers.new is handled after the closure (a backlog, a redelivery).
	if !s.closed[c.OfferID] {
		s.closed[c.OfferID] = true
		s.closedOrder = append(s.closedOrder, c.OfferID)
		for len(s.closedOrder) > s.cfg.MaxRecentOffers {
			delete(s.closed, s.closedOrder[0])
			s.closedOrder = s.closedOrder[1:]
		}
	}
	if _, ok := s.recent[c.OfferID]; !ok {
		return
	}
	delete(s.recent, c.OfferID)
	s.order = slices.DeleteFunc(s.order, func(id string) bool { return id == c.OfferID })
}

// followClosed applies every offers.closed event from since on (every
// matcher process sees each one: each keeps its own recent offers), until
// ctx ends; it tries again after failing to subscribe (the ordered
// consumer itself recovers from lost connections).
func (s *Service) followClosed(ctx context.Context, since time.Time) {
	for ctx.Err() == nil {
		cons, err := s.js.OrderedConsumer(ctx, bus.StreamOffers, jetstream.OrderedConsumerConfig{
			FilterSubjects: []string{bus.SubjectOfferClosed},
			DeliverPolicy:  jetstream.DeliverByStartTimePolicy,
			OptStartTime:   &since,
		})
		if err == nil {
			var cc jetstream.ConsumeContext
			cc, err = cons.Consume(func(msg jetstream.Msg) { s.forgetClosed(msg.Data()) })
			if err == nil {
				<-ctx.Done()
				cc.Stop()
				return
			}
		}
		s.cfg.Logger.Warn("matcher: following closed offers failed; trying again", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
		}
	}
}

// isClosed reports whether an offers.closed event named offerID lately.
func (s *Service) isClosed(offerID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed[offerID]
}

func (s *Service) remember(o jobs.Offer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed[o.ID] {
		return
	}
	if _, ok := s.recent[o.ID]; !ok {
		s.order = append(s.order, o.ID)
	}
	s.recent[o.ID] = o
	for len(s.order) > s.cfg.MaxRecentOffers {
		delete(s.recent, s.order[0])
		s.order = s.order[1:]
	}
}

func (s *Service) recentOffers() []jobs.Offer {
	s.mu.Lock()
	defer s.mu.Unlock()
	cutoff := time.Now().Add(-s.cfg.BackfillWindow)
	out := make([]jobs.Offer, 0, len(s.recent))
	for _, id := range s.order {
		o := s.recent[id]
		if o.PostedAt != nil && o.PostedAt.Before(cutoff) {
			continue
		}
		out = append(out, o)
	}
	return out
}

func (s *Service) handleOffer(ctx context.Context, msg jetstream.Msg) error {
	var o jobs.Offer
	if err := json.Unmarshal(msg.Data(), &o); err != nil {
		return bus.Permanent(fmt.Errorf("matcher: decode offer: %w", err))
	}
	if err := o.Validate(); err != nil {
		return bus.Permanent(fmt.Errorf("matcher: offer %q: %w", o.ID, err))
	}
	if s.isClosed(o.ID) {
		// Closed before its turn came (a backlog, a redelivery): nobody
		// is to be offered it.
		s.cfg.Logger.Info("closed offer not matched", "offer_id", o.ID)
		return nil
	}
	s.remember(o)
	s.index.Observe(o)
	// A reused buffer: matching an offer allocates no []Match (safe if
	// offers are ever handled concurrently: one buffer per handler).
	bufp, _ := matchBufs.Get().(*[]Match)
	if bufp == nil {
		bufp = new([]Match)
	}
	defer matchBufs.Put(bufp)
	ms := s.index.AppendMatches((*bufp)[:0], o)
	*bufp = ms
	// Transient failure: the whole offer is retried, msg ids dedupe what
	// was sent.
	if err := s.publishAll(ctx, ms, slimOffer(&o)); err != nil {
		return err
	}
	s.progress.Store(time.Now().UnixNano())
	metrics.OffersMatched.Inc()
	s.cfg.Logger.Info("offer matched", "offer_id", o.ID, "matches", len(ms))
	return nil
}

// matchBufs are the match buffers of handleOffer.
var matchBufs sync.Pool

// slimOffer is o without its description and raw source values: o itself
// when it has neither (or is nil), else a copy. An offer with no web link
// of its own (a recruiter's, posted without one) keeps its description,
// up to maxKeptDescription runes: it is then the only place graduates
// can read the ad (on its page on Passerelle).
func slimOffer(o *jobs.Offer) *jobs.Offer {
	if o == nil || (o.Description == "" && o.Raw == nil) {
		return o
	}
	slim := *o
	slim.Description, slim.Raw = "", nil
	if !hasWebLink(o) {
		slim.Description = truncateRunes(o.Description, maxKeptDescription)
	}
	return &slim
}

// maxKeptDescription bounds the description slimOffer keeps.
const maxKeptDescription = 6000

// hasWebLink reports whether o has an absolute http(s) URL, as its
// listing or apply link.
func hasWebLink(o *jobs.Offer) bool {
	for _, s := range []string{o.URL, o.ApplyURL} {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return true
		}
	}
	return false
}

// truncateRunes cuts s to at most n runes, at a rune boundary.
func truncateRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// publishWindow is how many match messages of one offer are in flight
// (published, ack not yet read) at a time, and publishAckWait how long
// the acks of one window may take before the offer is given up for now.
const (
	publishWindow  = 512
	publishAckWait = 15 * time.Second
)

// publishAll sends matches on matches.<profile>, each carrying offer (the
// slim copy of the one offer they share) or, when offer is nil, a slim
// copy of its own, without waiting for each ack in turn (an
// offer can match thousands of graduates): up to publishWindow messages
// are in flight, then their acks are read. It returns the first failure,
// once the window holding it is read; the caller retries the whole offer
// (message ids make the stream keep one copy of what was already stored).
func (s *Service) publishAll(ctx context.Context, ms []Match, offer *jobs.Offer) error {
	futs := make([]jetstream.PubAckFuture, 0, min(len(ms), publishWindow))
	now := time.Now().UTC()
	drain := func() error {
		defer func() { futs = futs[:0] }()
		timer := time.NewTimer(publishAckWait)
		defer timer.Stop()
		var first error
		acked := 0
		for _, f := range futs {
			select {
			case <-f.Ok():
				acked++
			case err := <-f.Err():
				if first == nil {
					first = fmt.Errorf("matcher: publish %s: %w", f.Msg().Subject, err)
				}
			case <-ctx.Done():
				return ctx.Err()
			case <-timer.C:
				return fmt.Errorf("matcher: %d match acks not received within %s", len(futs)-acked, publishAckWait)
			}
		}
		metrics.Matches.Add(float64(acked))
		return first
	}
	for i := range ms {
		m := ms[i]
		if offer != nil {
			m.Offer = offer
		} else {
			m.Offer = slimOffer(m.Offer)
		}
		if m.MatchedAt.IsZero() {
			m.MatchedAt = now
		}
		data, err := json.Marshal(m)
		if err != nil {
			return bus.Permanent(fmt.Errorf("matcher: encode match %s/%s: %w", m.OfferID, m.ProfileID, err))
		}
		f, err := s.js.PublishAsync(bus.MatchSubject(m.ProfileID), data, jetstream.WithMsgID(bus.MatchMsgID(m.OfferID, m.ProfileID)))
		if err != nil {
			if derr := drain(); derr != nil {
				err = fmt.Errorf("%w (and %w)", err, derr)
			}
			return fmt.Errorf("matcher: publish match %s/%s: %w", m.OfferID, m.ProfileID, err)
		}
		futs = append(futs, f)
		if len(futs) == publishWindow {
			if err := drain(); err != nil {
				return err
			}
		}
	}
	return drain()
}

// backfill matches one new or changed profile against the recent offers.
// Matches already sent are filtered by the notifier's ledger.
func (s *Service) backfill(ctx context.Context, profileID string) {
	p, ok := s.index.Profile(profileID)
	if !ok {
		return
	}
	var ms []Match
	for _, o := range s.recentOffers() {
		if m, ok := Score(p, o, s.index.Options()); ok {
			ms = append(ms, m)
		}
	}
	if err := s.publishAll(ctx, ms, nil); err != nil {
		s.cfg.Logger.Warn("backfill publish failed", "profile_id", profileID, "matches", len(ms), "err", err)
		return
	}
	s.cfg.Logger.Info("profile back-filled", "profile_id", profileID, "matches", len(ms))
}
