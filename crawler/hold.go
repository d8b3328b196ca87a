package crawler

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/passerelle/passerelle/jobs"
)

// HeldOffer is an offer waiting for its source's publication delay to pass.
type HeldOffer struct {
	Offer jobs.Offer `json:"offer"`
	Due   time.Time  `json:"due"`
}

// heldBudget bounds the encoded size of a source's held offers: they live
// in its state (one KV value, which NATS caps at 1 MiB by default).
const heldBudget = 512 << 10

// tooSoon reports whether a run at now comes sooner than the source's
// MinInterval after its last run or check, and when the next may start.
func tooSoon(sc SourceConfig, st SourceState, now time.Time) (time.Time, bool) {
	mi := sc.MinInterval()
	last := st.LastRun
	if st.LastCheck.After(last) {
		last = st.LastCheck
	}
	if mi <= 0 || last.IsZero() {
		return time.Time{}, false
	}
	next := last.Add(mi)
	return next, now.Before(next)
}

// holdBack keeps o in st.Held when the source's publication delay has not
// passed since the offer was posted (or, without a date, first seen), and
// reports whether it did. An offer already held keeps its first due time.
func (c *Crawler) holdBack(sc SourceConfig, st *SourceState, o jobs.Offer, rep *RunReport, log *slog.Logger) bool {
	now := c.now()
	from := now
	if o.PostedAt != nil && !o.PostedAt.After(now) {
		from = *o.PostedAt
	}
	due := from.Add(sc.PublicationDelay)
	i := slices.IndexFunc(st.Held, func(h HeldOffer) bool { return h.Offer.ID == o.ID })
	if i >= 0 && st.Held[i].Due.Before(due) {
		due = st.Held[i].Due
	}
	if !now.Before(due) {
		if i >= 0 {
			st.Held = slices.Delete(st.Held, i, i+1) // published now, below
		}
		return false
	}
	if i >= 0 {
		st.Held[i] = HeldOffer{Offer: o, Due: due}
		rep.Held++
		return true
	}
	size := 0
	for _, h := range st.Held {
		size += heldSize(h)
	}
	h := HeldOffer{Offer: o, Due: due}
	if size+heldSize(h) > heldBudget {
		// Not kept, not published: the listing is read whole again next
		// run (its validators are dropped), so the offer is seen again.
		rep.heldOverflow = true
		log.Warn("crawler: publication delay: too many offers held, this one waits for a later read",
			"offer_id", o.ID, "held", len(st.Held))
		return true
	}
	st.Held = append(st.Held, h)
	rep.Held++
	log.Info("crawler: offer held by the source's publication delay", "offer_id", o.ID, "due", due)
	return true
}

func heldSize(h HeldOffer) int {
	b, err := json.Marshal(h)
	if err != nil {
		return heldBudget
	}
	return len(b)
}

// publishDue publishes the held offers whose delay has passed. A publisher
// failure stops the run; what was not published stays held.
func (c *Crawler) publishDue(ctx context.Context, sc SourceConfig, st *SourceState, rep *RunReport, log *slog.Logger) error {
	if len(st.Held) == 0 {
		return nil
	}
	now := c.now()
	kept := st.Held[:0:0]
	var failed error
	for _, h := range st.Held {
		if failed != nil || now.Before(h.Due) {
			kept = append(kept, h)
			continue
		}
		o := h.Offer
		applyTerms(sc, &o) // the terms in force now
		if err := c.publishOffer(ctx, o, rep, log); err != nil {
			failed = fmt.Errorf("crawler: publish held offer: %w", err)
			kept = append(kept, h)
		}
	}
	st.Held = kept
	return failed
}
