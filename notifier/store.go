package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
)

// Ledger is the "never twice" record of sent alerts, in two phases: a key
// is claimed as pending (with the Message-Id of the mail that carries it)
// before the mail is handed to SMTP, and marked sent once SMTP accepted
// it. A pending claim older than the staleness limit belongs to a sender
// that died between the two: the next Claim takes it over, and the mail is
// sent again with the same Message-Id. A crash can at worst repeat one
// mail (with an identical Message-Id, which mail clients fold); it never
// loses one.
type Ledger interface {
	// Claim tries to claim key for profileID on behalf of a mail with
	// Message-Id messageID.
	Claim(ctx context.Context, profileID, key, messageID string) (Claim, error)
	// Sent marks a claim held by this sender as sent.
	Sent(ctx context.Context, profileID, key string, c Claim) error
	// Release drops a claim held by this sender whose mail was not sent,
	// so a retry may send it (a claim taken over since is left alone).
	Release(ctx context.Context, profileID, key string, c Claim) error
}

// ClaimState says what Claim found.
type ClaimState int

// Claim outcomes.
const (
	// Claimed: the key was free; it is now pending for this sender, with
	// the Message-Id given to Claim.
	Claimed ClaimState = iota
	// TakenOver: a stale pending claim (its sender died); it is now this
	// sender's, and the mail must carry Claim.MessageID, the Message-Id of
	// the mail that may already have reached the graduate.
	TakenOver
	// AlreadySent: never send it again.
	AlreadySent
	// InFlight: another sender holds a fresh pending claim; look again
	// after the staleness limit.
	InFlight
)

func (s ClaimState) String() string {
	switch s {
	case Claimed:
		return "claimed"
	case TakenOver:
		return "taken over"
	case AlreadySent:
		return "already sent"
	case InFlight:
		return "in flight"
	}
	return "unknown"
}

// Claim is the result of Ledger.Claim.
type Claim struct {
	State     ClaimState
	MessageID string // of the mail carrying the key (Claimed, TakenOver, InFlight)
	Revision  uint64 // the ledger's revision of the claim, for Sent and Release
}

// Ledger entry states (JSON "state").
const (
	ledgerPending = "pending"
	ledgerSent    = "sent"
)

// ledgerEntry is the value of a ledger key. Values written before the
// two-phase ledger (a bare RFC 3339 time) read as sent.
type ledgerEntry struct {
	State     string    `json:"state"`
	MessageID string    `json:"message_id,omitempty"`
	At        time.Time `json:"at"`
}

func parseLedgerEntry(b []byte) ledgerEntry {
	var e ledgerEntry
	if json.Unmarshal(b, &e) != nil || (e.State != ledgerPending && e.State != ledgerSent) {
		return ledgerEntry{State: ledgerSent}
	}
	return e
}

// DefaultStaleClaimAfter is how old a pending claim must be before another
// sender takes it over (KVLedger's default).
const DefaultStaleClaimAfter = 3 * time.Minute

// Unsubscribed tells whether a graduate asked for no more mail.
type Unsubscribed interface {
	Unsubscribed(ctx context.Context, profileID string) (bool, error)
}

// DigestQueue keeps matches waiting for a daily or weekly digest.
type DigestQueue interface {
	// Add stores p; adding the same match (profile, offer) again replaces it.
	Add(ctx context.Context, frequency string, p Pending) error
	// List returns everything queued for frequency.
	List(ctx context.Context, frequency string) ([]Pending, error)
	// Remove deletes one queued match.
	Remove(ctx context.Context, frequency, profileID, offerID string) error
}

// Pending is one match waiting for a digest, with the profile as it was
// when the match arrived.
type Pending struct {
	Match    matcher.Match    `json:"match"`
	Profile  profiles.Profile `json:"profile"`
	QueuedAt time.Time        `json:"queued_at"`
}

// DigestBucket is the KV bucket of the digest queue; keys are
// "<frequency>.<profile>.<offer>", escaped with KeyToken.
const DigestBucket = bus.KVAlertsPending

var (
	_ Ledger       = (*KVLedger)(nil)
	_ Unsubscribed = (*KVUnsubscribes)(nil)
	_ DigestQueue  = (*KVDigestQueue)(nil)
)

// KeyToken escapes s into one NATS KV key token (bus.KeyToken).
func KeyToken(s string) string { return bus.KeyToken(s) }

// LedgerKey is the alerts_sent key of key (offer or cluster id) for profileID.
func LedgerKey(profileID, key string) string { return KeyToken(profileID) + "." + KeyToken(key) }

// KVLedger is the Ledger over the alerts_sent KV bucket. Claims use
// Create (fails when the key exists) and revision-checked updates, so two
// notifiers never both hold a key.
type KVLedger struct {
	kv         jetstream.KeyValue
	now        func() time.Time
	staleAfter time.Duration
}

// NewKVLedger returns a ledger over kv (normally bucket bus.KVAlertsSent)
// whose pending claims go stale after DefaultStaleClaimAfter.
func NewKVLedger(kv jetstream.KeyValue) *KVLedger {
	return &KVLedger{kv: kv, now: time.Now, staleAfter: DefaultStaleClaimAfter}
}

// SetStaleAfter sets how old a pending claim must be to be taken over; it
// must exceed the longest a live sender holds one (pacing plus one SMTP
// transaction).
func (l *KVLedger) SetStaleAfter(d time.Duration) {
	if d > 0 {
		l.staleAfter = d
	}
}

// Claim implements Ledger.
func (l *KVLedger) Claim(ctx context.Context, profileID, key, messageID string) (Claim, error) {
	k := LedgerKey(profileID, key)
	pending, err := json.Marshal(ledgerEntry{State: ledgerPending, MessageID: messageID, At: l.now().UTC()})
	if err != nil {
		return Claim{}, fmt.Errorf("notifier: ledger claim %s: %w", k, err)
	}
	for range 5 {
		rev, err := l.kv.Create(ctx, k, pending)
		if err == nil {
			return Claim{State: Claimed, MessageID: messageID, Revision: rev}, nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) {
			return Claim{}, fmt.Errorf("notifier: ledger claim %s: %w", k, err)
		}
		cur, err := l.kv.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue // released meanwhile: try to create it again
		}
		if err != nil {
			return Claim{}, fmt.Errorf("notifier: ledger claim %s: %w", k, err)
		}
		e := parseLedgerEntry(cur.Value())
		if e.State == ledgerSent {
			return Claim{State: AlreadySent}, nil
		}
		if l.now().Sub(e.At) < l.staleAfter {
			return Claim{State: InFlight, MessageID: e.MessageID}, nil
		}
		// The sender of this claim died before marking it sent: take it
		// over, keeping its Message-Id.
		took, err := json.Marshal(ledgerEntry{State: ledgerPending, MessageID: e.MessageID, At: l.now().UTC()})
		if err != nil {
			return Claim{}, fmt.Errorf("notifier: ledger claim %s: %w", k, err)
		}
		rev, err = l.kv.Update(ctx, k, took, cur.Revision())
		if err != nil {
			if bus.IsWrongRevision(err) {
				return Claim{State: InFlight, MessageID: e.MessageID}, nil // another sender took it over first
			}
			return Claim{}, fmt.Errorf("notifier: ledger take over %s: %w", k, err)
		}
		return Claim{State: TakenOver, MessageID: e.MessageID, Revision: rev}, nil
	}
	return Claim{}, fmt.Errorf("notifier: ledger claim %s: the key keeps changing", k)
}

// Sent implements Ledger: whoever marks a key sent, it stays sent.
func (l *KVLedger) Sent(ctx context.Context, profileID, key string, c Claim) error {
	k := LedgerKey(profileID, key)
	b, err := json.Marshal(ledgerEntry{State: ledgerSent, MessageID: c.MessageID, At: l.now().UTC()})
	if err != nil {
		return fmt.Errorf("notifier: ledger sent %s: %w", k, err)
	}
	if _, err := l.kv.Put(ctx, k, b); err != nil {
		return fmt.Errorf("notifier: ledger sent %s: %w", k, err)
	}
	return nil
}

// Release implements Ledger.
func (l *KVLedger) Release(ctx context.Context, profileID, key string, c Claim) error {
	k := LedgerKey(profileID, key)
	err := l.kv.Delete(ctx, k, jetstream.LastRevision(c.Revision))
	if err != nil && !bus.IsWrongRevision(err) {
		return fmt.Errorf("notifier: ledger release %s: %w", k, err)
	}
	return nil
}

// KVUnsubscribes records unsubscriptions in the bus.KVUnsubscribed bucket
// (key: KeyToken(profile id), value: time of the request).
type KVUnsubscribes struct{ kv jetstream.KeyValue }

// NewKVUnsubscribes returns the store over kv.
func NewKVUnsubscribes(kv jetstream.KeyValue) *KVUnsubscribes { return &KVUnsubscribes{kv: kv} }

// Unsubscribe records that profileID wants no more alerts.
func (u *KVUnsubscribes) Unsubscribe(ctx context.Context, profileID string, at time.Time) error {
	if _, err := u.kv.Put(ctx, KeyToken(profileID), []byte(at.UTC().Format(time.RFC3339))); err != nil {
		return fmt.Errorf("notifier: unsubscribe %s: %w", profileID, err)
	}
	return nil
}

// Resubscribe removes the record (the graduate turned alerts on again).
func (u *KVUnsubscribes) Resubscribe(ctx context.Context, profileID string) error {
	if err := u.kv.Delete(ctx, KeyToken(profileID)); err != nil {
		return fmt.Errorf("notifier: resubscribe %s: %w", profileID, err)
	}
	return nil
}

// Unsubscribed implements Unsubscribed.
func (u *KVUnsubscribes) Unsubscribed(ctx context.Context, profileID string) (bool, error) {
	ok, err := bus.HasKey(ctx, u.kv, KeyToken(profileID))
	if err != nil {
		return false, fmt.Errorf("notifier: unsubscribed %s: %w", profileID, err)
	}
	return ok, nil
}

// KVDigestQueue is the DigestQueue over the alerts_pending KV bucket. A KV
// bucket (not a stream) because entries are replaced by key when a match is
// redelivered and removed one by one once sent.
type KVDigestQueue struct{ kv jetstream.KeyValue }

// NewKVDigestQueue returns the queue over kv (normally bucket DigestBucket).
func NewKVDigestQueue(kv jetstream.KeyValue) *KVDigestQueue { return &KVDigestQueue{kv: kv} }

func digestKey(frequency, profileID, offerID string) string {
	return KeyToken(frequency) + "." + KeyToken(profileID) + "." + KeyToken(offerID)
}

// Add implements DigestQueue. The offer's description and raw values are
// dropped: a digest does not show them and they can be large.
func (q *KVDigestQueue) Add(ctx context.Context, frequency string, p Pending) error {
	if p.Match.Offer != nil {
		o := *p.Match.Offer
		o.Description, o.Raw = "", nil
		p.Match.Offer = &o
	}
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("notifier: digest encode: %w", err)
	}
	k := digestKey(frequency, p.Match.ProfileID, p.Match.OfferID)
	if _, err := q.kv.Put(ctx, k, b); err != nil {
		return fmt.Errorf("notifier: digest add %s: %w", k, err)
	}
	return nil
}

// List implements DigestQueue. Entries that no longer decode are skipped.
func (q *KVDigestQueue) List(ctx context.Context, frequency string) ([]Pending, error) {
	lister, err := q.kv.ListKeysFiltered(ctx, KeyToken(frequency)+".>")
	if err != nil {
		return nil, fmt.Errorf("notifier: digest list %s: %w", frequency, err)
	}
	defer func() { _ = lister.Stop() }()
	var keys []string
	for k := range lister.Keys() {
		keys = append(keys, k)
	}
	var out []Pending
	for _, k := range keys {
		e, err := q.kv.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("notifier: digest get %s: %w", k, err)
		}
		var p Pending
		if err := json.Unmarshal(e.Value(), &p); err != nil {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// Remove implements DigestQueue.
func (q *KVDigestQueue) Remove(ctx context.Context, frequency, profileID, offerID string) error {
	k := digestKey(frequency, profileID, offerID)
	if err := q.kv.Delete(ctx, k); err != nil {
		return fmt.Errorf("notifier: digest remove %s: %w", k, err)
	}
	return nil
}

// Stores are the NATS-backed stores a Notifier uses.
type Stores struct {
	Ledger       *KVLedger
	Digests      *KVDigestQueue
	Unsubscribes *KVUnsubscribes
	Suppressions *KVSuppressions   // addresses that bounced (deliver.go)
	Closed       *bus.ClosedOffers // offers closed since they matched
	Quota        *KVInstantQuota
}

// OpenStores binds the alerts_sent, alerts_pending, unsubscribed,
// suppressed and offers_closed buckets, which bus.Setup creates (with the
// configured replica count).
func OpenStores(ctx context.Context, js jetstream.JetStream) (Stores, error) {
	open := func(name string) (jetstream.KeyValue, error) {
		kv, err := js.KeyValue(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("notifier: open kv %s (created by setup): %w", name, err)
		}
		return kv, nil
	}
	sent, err := open(bus.KVAlertsSent)
	if err != nil {
		return Stores{}, err
	}
	pending, err := open(DigestBucket)
	if err != nil {
		return Stores{}, err
	}
	unsub, err := open(bus.KVUnsubscribed)
	if err != nil {
		return Stores{}, err
	}
	sup, err := open(bus.KVSuppressed)
	if err != nil {
		return Stores{}, err
	}
	closed, err := bus.OpenClosedOffers(ctx, js)
	if err != nil {
		return Stores{}, err
	}
	return Stores{Ledger: NewKVLedger(sent), Digests: NewKVDigestQueue(pending), Unsubscribes: NewKVUnsubscribes(unsub),
		Suppressions: NewKVSuppressions(sup), Closed: closed, Quota: NewKVInstantQuota(sent)}, nil
}
