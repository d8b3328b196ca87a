package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
)

// DefaultVisitGap is how long "my matches" may go unopened before the
// next opening counts as a new visit: reloading the page, or coming back
// from an offer within it, keeps the "new" marks of the visit.
const DefaultVisitGap = 30 * time.Minute

// visitGapNs is the gap in use (tests shorten it).
var visitGapNs atomic.Int64

func init() { visitGapNs.Store(int64(DefaultVisitGap)) }

// visitRecord is a graduate's visits to "my matches".
type visitRecord struct {
	// Previous is when the visit before this one started: matches made
	// after it are "new".
	Previous time.Time `json:"previous,omitzero"`
	// Last is the latest opening of the page.
	Last time.Time `json:"last"`
}

// MatchesVisit records that the graduate opened "my matches" at now and
// returns since when matches count as new: the start of their previous
// visit (zero on their first visit: everything is new). Openings less
// than DefaultVisitGap apart are one visit (web.VisitRecorder).
func (a *App) MatchesVisit(ctx context.Context, profileID string, now time.Time) (time.Time, error) {
	kv, err := a.js.KeyValue(ctx, bus.KVVisits)
	if err != nil {
		return time.Time{}, fmt.Errorf("visits bucket: %w", err)
	}
	key := bus.KeyToken(profileID)
	for attempt := 0; ; attempt++ {
		var rec visitRecord
		var rev uint64
		e, err := kv.Get(ctx, key)
		switch {
		case err == nil:
			rev = e.Revision()
			if json.Unmarshal(e.Value(), &rec) != nil {
				rec = visitRecord{}
			}
		case !errors.Is(err, jetstream.ErrKeyNotFound):
			return time.Time{}, fmt.Errorf("visit of %s: %w", profileID, err)
		}
		next := visitRecord{Previous: rec.Previous, Last: now.UTC()}
		if rec.Last.IsZero() || now.Sub(rec.Last) > time.Duration(visitGapNs.Load()) {
			// A new visit: what was new at the last one is not any more.
			next.Previous = rec.Last
		}
		b, _ := json.Marshal(next)
		if rev == 0 {
			_, err = kv.Create(ctx, key, b)
		} else {
			_, err = kv.Update(ctx, key, b, rev)
		}
		if err == nil {
			return next.Previous, nil
		}
		if attempt == 3 {
			// Two tabs at once: the marks are a convenience, not worth
			// failing the page for.
			return next.Previous, fmt.Errorf("visit of %s: %w", profileID, err)
		}
	}
}
