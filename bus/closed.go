package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Buckets of freshness and deliverability (DESIGN.md "NATS layout").
const (
	// KVOffersClosed records closed offers: KeyToken(offer id) ->
	// OfferClosed JSON. The notifier and the graduates' lists read it; the
	// offers.closed event tells the notifier to drop pending digests.
	KVOffersClosed = "offers_closed"
	// KVSuppressed is the suppression list: a hash of an address whose
	// mail bounced or was refused ("user unknown") -> why and when. No
	// mail goes to it until its owner confirms it again.
	KVSuppressed = "suppressed"
)

// closedTTL is how long a closure is remembered: longer than the OFFERS
// stream keeps the offer (45 days) and the MATCHES stream its matches.
const closedTTL = 90 * 24 * time.Hour

// Why an offer closed (OfferClosed.Reason).
const (
	ClosedNotSeen   = "not_seen"  // its source's crawler did not see it again in time
	ClosedRecruiter = "recruiter" // its recruiter closed it
)

// OfferClosed is the event on offers.closed and the value in KVOffersClosed.
type OfferClosed struct {
	OfferID  string    `json:"offer_id"`
	Source   string    `json:"source,omitempty"`
	Reason   string    `json:"reason"`
	ClosedAt time.Time `json:"closed_at"`
}

// CloseOffer records c in the offers_closed bucket, then publishes it on
// offers.closed (message id "closed:<offer id>", so a retried close is
// kept once). Recording first means that whoever reads the bucket after
// the event sees the closure.
func CloseOffer(ctx context.Context, js jetstream.JetStream, c OfferClosed) error {
	if c.OfferID == "" {
		return errors.New("bus: close offer: empty offer id")
	}
	if c.ClosedAt.IsZero() {
		c.ClosedAt = time.Now()
	}
	c.ClosedAt = c.ClosedAt.UTC()
	kv, err := js.KeyValue(ctx, KVOffersClosed)
	if err != nil {
		return fmt.Errorf("bus: close offer %s: %w", c.OfferID, err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("bus: close offer %s: %w", c.OfferID, err)
	}
	if _, err := kv.Put(ctx, KeyToken(c.OfferID), b); err != nil {
		return fmt.Errorf("bus: close offer %s: %w", c.OfferID, err)
	}
	return PublishJSON(ctx, js, SubjectOfferClosed, "closed:"+c.OfferID, c)
}

// ClosedOffers reads the offers_closed bucket.
type ClosedOffers struct{ kv jetstream.KeyValue }

// OpenClosedOffers binds the offers_closed bucket (created by Setup).
func OpenClosedOffers(ctx context.Context, js jetstream.JetStream) (*ClosedOffers, error) {
	kv, err := js.KeyValue(ctx, KVOffersClosed)
	if err != nil {
		return nil, fmt.Errorf("bus: open kv %s (created by setup): %w", KVOffersClosed, err)
	}
	return &ClosedOffers{kv: kv}, nil
}

// Closed reports whether offerID was closed.
func (c *ClosedOffers) Closed(ctx context.Context, offerID string) (bool, error) {
	ok, err := HasKey(ctx, c.kv, KeyToken(offerID))
	if err != nil {
		return false, fmt.Errorf("bus: closed %s: %w", offerID, err)
	}
	return ok, nil
}
