package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
)

// InstantQuota counts each graduate's instant mails per day, so no one
// gets more than Config.InstantPerDay of them; the matches beyond wait for
// the next daily digest. A slot belongs to a Message-Id: the same mail
// sent again (a retry, a take-over) keeps its slot and is not counted
// twice.
type InstantQuota interface {
	// Reserve takes one of day's max slots for the mail messageID; ok is
	// false when they are all taken by other mails.
	Reserve(ctx context.Context, profileID, day, messageID string, max int) (ok bool, err error)
	// Release gives back the slot of a mail that was not sent.
	Release(ctx context.Context, profileID, day, messageID string) error
}

var (
	_ InstantQuota = (*KVInstantQuota)(nil)
	_ InstantQuota = (*memQuota)(nil)
)

// quotaKey is the ledger-bucket key (per graduate) holding the day's
// instant mails: beside the graduate's ledger keys, so erasure purges it
// and "my data" shows it.
const quotaKey = "quota:instant"

// quotaEntry is the value of a graduate's quota key: the Message-Ids of
// the instant mails of one day (a new day starts an empty list).
type quotaEntry struct {
	Day      string   `json:"day"`
	Messages []string `json:"messages"`
}

// KVInstantQuota is the InstantQuota over the alerts_sent bucket, one key
// per graduate, written with revision checks so two notifiers never both
// take the last slot.
type KVInstantQuota struct{ kv jetstream.KeyValue }

// NewKVInstantQuota returns the quota over kv (normally bus.KVAlertsSent).
func NewKVInstantQuota(kv jetstream.KeyValue) *KVInstantQuota { return &KVInstantQuota{kv: kv} }

// update applies fn to the graduate's entry with optimistic concurrency.
func (q *KVInstantQuota) update(ctx context.Context, profileID string, fn func(*quotaEntry) (write bool)) error {
	k := LedgerKey(profileID, quotaKey)
	for range 8 {
		var e quotaEntry
		var rev uint64
		cur, err := q.kv.Get(ctx, k)
		switch {
		case err == nil:
			rev = cur.Revision()
			_ = json.Unmarshal(cur.Value(), &e) // unreadable: start afresh
		case errors.Is(err, jetstream.ErrKeyNotFound):
		default:
			return fmt.Errorf("notifier: instant quota %s: %w", k, err)
		}
		if !fn(&e) {
			return nil
		}
		b, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("notifier: instant quota %s: %w", k, err)
		}
		if rev == 0 {
			_, err = q.kv.Create(ctx, k, b)
			if errors.Is(err, jetstream.ErrKeyExists) {
				continue
			}
		} else {
			_, err = q.kv.Update(ctx, k, b, rev)
			if bus.IsWrongRevision(err) {
				continue
			}
		}
		if err != nil {
			return fmt.Errorf("notifier: instant quota %s: %w", k, err)
		}
		return nil
	}
	return fmt.Errorf("notifier: instant quota %s: the key keeps changing", k)
}

// Reserve implements InstantQuota.
func (q *KVInstantQuota) Reserve(ctx context.Context, profileID, day, messageID string, max int) (bool, error) {
	ok := false
	err := q.update(ctx, profileID, func(e *quotaEntry) bool {
		ok = reserve(e, day, messageID, max)
		return ok
	})
	return ok && err == nil, err
}

// Release implements InstantQuota.
func (q *KVInstantQuota) Release(ctx context.Context, profileID, day, messageID string) error {
	return q.update(ctx, profileID, func(e *quotaEntry) bool { return release(e, day, messageID) })
}

// reserve takes a slot in e for messageID; false when none is left.
func reserve(e *quotaEntry, day, messageID string, max int) bool {
	if e.Day != day {
		*e = quotaEntry{Day: day}
	}
	if slices.Contains(e.Messages, messageID) {
		return true
	}
	if len(e.Messages) >= max {
		return false
	}
	e.Messages = append(e.Messages, messageID)
	return true
}

// release drops messageID's slot; false when it holds none.
func release(e *quotaEntry, day, messageID string) bool {
	if e.Day != day || !slices.Contains(e.Messages, messageID) {
		return false
	}
	e.Messages = slices.DeleteFunc(e.Messages, func(s string) bool { return s == messageID })
	return true
}

// memQuota is the process-local quota used when Deps.Quota is nil (one
// notifier process, tests).
type memQuota struct {
	mu sync.Mutex
	by map[string]*quotaEntry
}

func (q *memQuota) entry(profileID string) *quotaEntry {
	if q.by == nil {
		q.by = map[string]*quotaEntry{}
	}
	if q.by[profileID] == nil {
		q.by[profileID] = &quotaEntry{}
	}
	return q.by[profileID]
}

func (q *memQuota) Reserve(_ context.Context, profileID, day, messageID string, max int) (bool, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return reserve(q.entry(profileID), day, messageID, max), nil
}

func (q *memQuota) Release(_ context.Context, profileID, day, messageID string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	release(q.entry(profileID), day, messageID)
	return nil
}

// alertZone is where an alert day starts and ends (the graduates' time);
// UTC+1 when the zone database is missing.
var alertZone = func() *time.Location {
	if loc, err := time.LoadLocation("Africa/Casablanca"); err == nil {
		return loc
	}
	return time.FixedZone("UTC+1", 3600)
}()

// alertDay is the graduate's calendar day of t.
func alertDay(t time.Time) string { return t.In(alertZone).Format("2006-01-02") }
