package matcher

import (
	"context"

	"fmt"
	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/metrics"
	"log/slog"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/natstest"
)

// BenchmarkPublishMatches measures what the matcher service does with an
// offer's explained matches: publishing each on matches.<profile> to a
// real (embedded, on-disk) JetStream. It compares, offer after offer in
// the same run, the service's path (publishAll: up to publishWindow
// messages in flight, then their acks) with the path it replaced (publish:
// one message, wait for its ack, the next). Offers come from the
// clustered generator (the one with the most matches per offer) over
// 20,000 profiles; each offer's matches are computed once and published
// by both paths under distinct offer ids (no duplicate is ever sent).
//
//   - matches/s and offers/s: the service's path, wall clock (the
//     server runs in this process).
//
//   - old-matches/s: the one-at-a-time path.
//
//   - x-old: their ratio.
//
//     go test -run '^$' -bench BenchmarkPublishMatches -benchtime 20x ./matcher/
func BenchmarkPublishMatches(b *testing.B) {
	js := natstest.JetStream(b)
	ps, os := synthesize(b, "clustered", 7, 20_000, 200)
	ix, _ := buildIndex(ps, synthOptions(os))
	svc := NewService(ServiceConfig{Instance: "bench", Logger: slog.New(slog.DiscardHandler)}, js, ix, nil)
	ctx := context.Background()
	var oldWall, newWall time.Duration
	nMatches, nOffers, i := 0, 0, 0
	for b.Loop() {
		o := os[i%len(os)]
		ms := ix.Match(o)
		for j := range ms {
			ms[j].OfferID = fmt.Sprintf("%s-old-%d", o.ID, i)
		}
		t0 := time.Now()
		for _, m := range ms {
			if err := svc.oldPublish(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
		t1 := time.Now()
		for j := range ms {
			ms[j].OfferID = fmt.Sprintf("%s-new-%d", o.ID, i)
		}
		t2 := time.Now()
		if err := svc.publishAll(ctx, ms, slimOffer(&o)); err != nil {
			b.Fatal(err)
		}
		newWall += time.Since(t2)
		oldWall += t1.Sub(t0)
		nMatches += len(ms)
		nOffers++
		i++
	}
	if nMatches == 0 {
		b.Fatal("no matches: nothing was measured")
	}
	b.ReportMetric(float64(nMatches)/float64(nOffers), "matches/offer")
	b.ReportMetric(float64(nMatches)/newWall.Seconds(), "matches/s")
	b.ReportMetric(float64(nOffers)/newWall.Seconds(), "offers/s")
	b.ReportMetric(float64(nMatches)/oldWall.Seconds(), "old-matches/s")
	b.ReportMetric(oldWall.Seconds()/newWall.Seconds(), "x-old")
}

// oldPublish is how the service published each match before publishAll:
// it sends m on matches.<profile>. The offer it carries loses its
// description and raw source values: the notifier shows neither, and one
// offer can match thousands of graduates, each in its own message.
func (s *Service) oldPublish(ctx context.Context, m Match) error {
	if m.MatchedAt.IsZero() {
		m.MatchedAt = time.Now().UTC()
	}
	m.Offer = slimOffer(m.Offer)
	if err := bus.PublishJSON(ctx, s.js, bus.MatchSubject(m.ProfileID), bus.MatchMsgID(m.OfferID, m.ProfileID), m); err != nil {
		return err
	}
	metrics.Matches.Inc()
	return nil
}
