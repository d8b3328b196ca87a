package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/web"
)

// recruiterOffersWindow is how far back a recruiter's list reads the
// OFFERS stream (it keeps 45 days).
const recruiterOffersWindow = 45 * 24 * time.Hour

// RecruiterOffers lists the offers whose id starts with prefix (one
// recruiter's namespace) published in the last 45 days, newest first, at
// most limit, each with whether it was closed since (web's "my offers").
// It reads the offers.new messages of the window: a page view costs a
// pass over the window's offers, which is bounded by the stream's limits.
func (a *App) RecruiterOffers(ctx context.Context, prefix string, limit int) ([]web.RecruiterOffer, error) {
	if prefix == "" || limit <= 0 {
		return nil, nil
	}
	start := time.Now().Add(-recruiterOffersWindow)
	byID := map[string]web.RecruiterOffer{}
	err := a.readOrdered(ctx, bus.StreamOffers, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{bus.SubjectOfferNew},
		DeliverPolicy:  jetstream.DeliverByStartTimePolicy,
		OptStartTime:   &start,
	}, 500, "recruiter offers", func(msg jetstream.Msg) {
		// A cheap look before decoding: most offers are crawled ones.
		if !bytes.Contains(msg.Data(), []byte(prefix)) {
			return
		}
		var o jobs.Offer
		if json.Unmarshal(msg.Data(), &o) != nil || !strings.HasPrefix(o.ID, prefix) {
			return
		}
		ro := web.RecruiterOffer{Offer: o}
		if md, err := msg.Metadata(); err == nil {
			ro.PostedAt = md.Timestamp
		}
		if prev, ok := byID[o.ID]; ok && !prev.PostedAt.IsZero() {
			ro.PostedAt = prev.PostedAt // first posted; the latest version
		}
		byID[o.ID] = ro
	})
	if err != nil {
		return nil, err
	}
	out := make([]web.RecruiterOffer, 0, len(byID))
	for _, ro := range byID {
		out = append(out, ro)
	}
	slices.SortFunc(out, func(x, y web.RecruiterOffer) int {
		if c := y.PostedAt.Compare(x.PostedAt); c != 0 {
			return c
		}
		return strings.Compare(x.Offer.ID, y.Offer.ID)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	for i := range out {
		if a.alerts.Closed == nil {
			break
		}
		closed, err := a.alerts.Closed.Closed(ctx, out[i].Offer.ID)
		if err != nil {
			return nil, fmt.Errorf("recruiter offers: %w", err)
		}
		out[i].Closed = closed
	}
	return out, nil
}
