package notifier

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/matcher"
)

// Deliverability and freshness: offers closed since they matched, the
// suppression list of addresses that bounce, and pacing per recipient
// domain (on top of the global SendRate).

// ClosedOffers tells whether an offer closed (bus.ClosedOffers).
type ClosedOffers interface {
	Closed(ctx context.Context, offerID string) (bool, error)
}

// NotWanted says whether a graduate turned an offer down ("not
// interested" on their list, 👎 in a mail), this copy or another copy of
// the same job (cluster: its fingerprint, may be empty).
type NotWanted interface {
	NotWanted(ctx context.Context, profileID, offerID, cluster string) (bool, error)
}

// notWanted reports whether the graduate turned m's offer down (false
// without Deps.NotWanted).
func (n *Notifier) notWanted(ctx context.Context, profileID string, m matcher.Match) (bool, error) {
	if n.deps.NotWanted == nil {
		return false, nil
	}
	cluster := ""
	if m.Offer != nil {
		cluster = m.Offer.Fingerprint
	}
	return n.deps.NotWanted.NotWanted(ctx, profileID, m.OfferID, cluster)
}

// Suppressions is the list of addresses that must get no mail: their
// mail bounced or the server refused the recipient ("user unknown").
type Suppressions interface {
	Suppressed(ctx context.Context, email string) (bool, error)
	Suppress(ctx context.Context, email, reason string, at time.Time) error
}

var (
	_ ClosedOffers = (*bus.ClosedOffers)(nil)
	_ Suppressions = (*KVSuppressions)(nil)
)

// ErrRecipientRejected marks a permanent refusal of the recipient: a 5xx
// answer to RCPT TO, or a 5.1.x ("bad destination mailbox") status. The
// address is put on the suppression list.
var ErrRecipientRejected = errors.New("notifier: recipient rejected")

type recipientRejected struct{ err error }

func (e recipientRejected) Error() string { return e.err.Error() }
func (e recipientRejected) Unwrap() []error {
	return []error{e.err, ErrRecipientRejected, ErrPermanent}
}

// KVSuppressions is the suppression list over the bus.KVSuppressed
// bucket. Keys are a hash of the lower-cased address, so the bucket never
// holds an address; values say why and when.
type KVSuppressions struct{ kv jetstream.KeyValue }

// NewKVSuppressions returns the list over kv (bucket bus.KVSuppressed).
func NewKVSuppressions(kv jetstream.KeyValue) *KVSuppressions { return &KVSuppressions{kv: kv} }

// OpenSuppressions binds the suppressed bucket (created by bus.Setup).
func OpenSuppressions(ctx context.Context, js jetstream.JetStream) (*KVSuppressions, error) {
	kv, err := js.KeyValue(ctx, bus.KVSuppressed)
	if err != nil {
		return nil, fmt.Errorf("notifier: open kv %s (created by setup): %w", bus.KVSuppressed, err)
	}
	return NewKVSuppressions(kv), nil
}

// SuppressionKey is the suppressed bucket's key of an address.
func SuppressionKey(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return "a-" + hex.EncodeToString(sum[:16])
}

type suppression struct {
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// Suppress implements Suppressions.
func (s *KVSuppressions) Suppress(ctx context.Context, email, reason string, at time.Time) error {
	b, err := json.Marshal(suppression{Reason: reason, At: at.UTC()})
	if err != nil {
		return fmt.Errorf("notifier: suppress: %w", err)
	}
	if _, err := s.kv.Put(ctx, SuppressionKey(email), b); err != nil {
		return fmt.Errorf("notifier: suppress: %w", err)
	}
	return nil
}

// Suppressed implements Suppressions.
func (s *KVSuppressions) Suppressed(ctx context.Context, email string) (bool, error) {
	_, err := s.kv.Get(ctx, SuppressionKey(email))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return false, nil
	}
	return false, fmt.Errorf("notifier: suppressed: %w", err)
}

// Clear lifts the suppression of email (its owner confirmed it again).
// It purges the key, so no marker is left.
func (s *KVSuppressions) Clear(ctx context.Context, email string) error {
	if err := s.kv.Purge(ctx, SuppressionKey(email)); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("notifier: clear suppression: %w", err)
	}
	return nil
}

// suppressed reports whether alerts to p's address are suppressed.
func (n *Notifier) suppressed(ctx context.Context, email string) (bool, error) {
	if n.deps.Suppressions == nil || strings.TrimSpace(email) == "" {
		return false, nil
	}
	return n.deps.Suppressions.Suppressed(ctx, email)
}

// noteRejected puts the address on the suppression list when err says
// the server refused the recipient for good.
func (n *Notifier) noteRejected(ctx context.Context, email, profileID string, err error) {
	if n.deps.Suppressions == nil || !errors.Is(err, ErrRecipientRejected) {
		return
	}
	reason := "recipient rejected"
	var se interface{ EnhancedStatusCode() string }
	if errors.As(err, &se) && se.EnhancedStatusCode() != "" {
		reason += " (" + se.EnhancedStatusCode() + ")"
	}
	if serr := n.deps.Suppressions.Suppress(context.WithoutCancel(ctx), email, reason, n.now()); serr != nil {
		n.log.Error("notifier: address not suppressed", "profile_id", profileID, "error", serr)
		return
	}
	n.log.Warn("notifier: address suppressed: no more mail until its owner confirms it again", "profile_id", profileID, "reason", reason)
}

// offerClosed reports whether offerID closed since it matched.
func (n *Notifier) offerClosed(ctx context.Context, offerID string) (bool, error) {
	if n.deps.Closed == nil {
		return false, nil
	}
	return n.deps.Closed.Closed(ctx, offerID)
}

// DefaultDomainRate is the most mails per second to one recipient domain.
const DefaultDomainRate = 2

// paceTo waits for the next send slot to the domain of addr
// (DomainRate per second), then for the global one (SendRate).
func (n *Notifier) paceTo(ctx context.Context, addr string) error {
	domain := ""
	if a, err := mail.ParseAddress(addr); err == nil {
		if i := strings.LastIndexByte(a.Address, '@'); i >= 0 {
			domain = strings.ToLower(a.Address[i+1:])
		}
	}
	if domain != "" {
		interval := time.Duration(float64(time.Second) / n.cfg.DomainRate)
		n.domainMu.Lock()
		if n.nextByDomain == nil {
			n.nextByDomain = map[string]time.Time{}
		}
		now := n.now()
		at := n.nextByDomain[domain]
		if at.Before(now) {
			at = now
		}
		n.nextByDomain[domain] = at.Add(interval)
		// Forget domains whose slot passed, so the map stays small.
		if len(n.nextByDomain) > 1000 {
			for d, t := range n.nextByDomain {
				if t.Before(now) {
					delete(n.nextByDomain, d)
				}
			}
		}
		n.domainMu.Unlock()
		if err := sleepCtx(ctx, at.Sub(now)); err != nil {
			return fmt.Errorf("notifier: wait for a send slot to %s: %w", domain, err)
		}
	}
	return n.pace(ctx)
}

// RemoveOffer drops offerID from every pending digest and held instant
// alert, and returns how many entries it removed.
func (q *KVDigestQueue) RemoveOffer(ctx context.Context, offerID string) (int, error) {
	lister, err := q.kv.ListKeysFiltered(ctx, "*.*."+KeyToken(offerID))
	if err != nil {
		return 0, fmt.Errorf("notifier: digest list %s: %w", offerID, err)
	}
	var keys []string
	for k := range lister.Keys() {
		keys = append(keys, k)
	}
	_ = lister.Stop()
	for _, k := range keys {
		if err := q.kv.Delete(ctx, k); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
			return 0, fmt.Errorf("notifier: digest remove %s: %w", k, err)
		}
	}
	return len(keys), nil
}

// ClosedConsumerName is the durable consumer of offers.closed.
const ClosedConsumerName = "notifier-closed"

// RunClosed consumes offers.closed until ctx is done: each closed offer
// leaves the pending digests and held instant alerts at once (the check
// before each mail catches those queued later).
func (n *Notifier) RunClosed(ctx context.Context, js jetstream.JetStream) error {
	q, ok := n.deps.Digests.(interface {
		RemoveOffer(ctx context.Context, offerID string) (int, error)
	})
	if !ok {
		return errors.New("notifier: the digest queue cannot remove an offer")
	}
	n.log.Info("notifier: consuming", "stream", bus.StreamOffers, "consumer", ClosedConsumerName)
	return bus.Consume(ctx, js, bus.ConsumeConfig{
		Stream:      bus.StreamOffers,
		Durable:     ClosedConsumerName,
		Description: "notifier: closed offers leave the pending digests",
		Filter:      bus.SubjectOfferClosed,
		RetryDelay:  n.cfg.RetryDelay,
		Logger:      n.log,
		JS:          js,
		Health:      n.health(ClosedConsumerName),
		GiveUpAfter: n.cfg.GiveUpAfter,
	}, func(ctx context.Context, msg jetstream.Msg) error {
		var c bus.OfferClosed
		if err := json.Unmarshal(msg.Data(), &c); err != nil || c.OfferID == "" {
			return bus.Permanent(fmt.Errorf("bad offers.closed event: %v", err))
		}
		removed, err := q.RemoveOffer(ctx, c.OfferID)
		if err != nil {
			return err
		}
		n.log.Info("notifier: closed offer removed from pending digests", "offer_id", c.OfferID, "reason", c.Reason, "removed", removed)
		return nil
	})
}

// skipDelivery says why a match must not be mailed beyond skipReason:
// its offer closed, or the graduate's address is suppressed.
func (n *Notifier) skipDelivery(ctx context.Context, offerID, email string) (string, error) {
	if closed, err := n.offerClosed(ctx, offerID); err != nil {
		return "", err
	} else if closed {
		return "offer closed", nil
	}
	if sup, err := n.suppressed(ctx, email); err != nil {
		return "", err
	} else if sup {
		return "address suppressed (bounced or refused)", nil
	}
	return "", nil
}

// freshOnly drops from ms the offers closed since they matched and, with
// a LinkChecker, those whose apply link is dead.
func (n *Notifier) freshOnly(ctx context.Context, profileID string, ms []matcher.Match) ([]matcher.Match, error) {
	out := ms[:0:0]
	for _, m := range ms {
		closed, err := n.offerClosed(ctx, m.OfferID)
		if err != nil {
			return nil, err
		}
		if closed {
			n.log.Info("notifier: closed offer left out of the digest", "profile_id", profileID, "offer_id", m.OfferID)
			continue
		}
		if no, err := n.notWanted(ctx, profileID, m); err != nil {
			return nil, err
		} else if no {
			n.log.Info("notifier: offer the graduate turned down left out of the digest", "profile_id", profileID, "offer_id", m.OfferID)
			continue
		}
		if n.deps.Links != nil {
			if u := offerURL(m); u != "" { // the link the mail carries
				if dead, why := n.deps.Links.Dead(ctx, u); dead {
					n.log.Info("notifier: offer with a dead apply link left out of the digest", "profile_id", profileID, "offer_id", m.OfferID, "url", u, "reason", why)
					continue
				}
			}
		}
		out = append(out, m)
	}
	return out, nil
}
