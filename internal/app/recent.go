package app

import (
	"context"
	"encoding/json"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/jobs"
)

// RecentOffers returns up to n of the latest offers published on
// offers.new, newest first, read back from the OFFERS stream (so every web
// process shows the same list, whichever process published them).
func (a *App) RecentOffers(ctx context.Context, n int) []jobs.Offer {
	if n <= 0 {
		return nil
	}
	st, err := a.js.Stream(ctx, bus.StreamOffers)
	if err != nil {
		a.log.Warn("recent offers", "err", err)
		return nil
	}
	info, err := st.Info(ctx)
	if err != nil {
		a.log.Warn("recent offers", "err", err)
		return nil
	}
	var out []jobs.Offer
	seen := map[string]bool{}
	// Walk back from the last message; bounded so a stream full of other
	// subjects cannot make a page slow.
	for seq, budget := info.State.LastSeq, 10*n; seq >= info.State.FirstSeq && seq > 0 && len(out) < n && budget > 0; seq, budget = seq-1, budget-1 {
		msg, err := st.GetMsg(ctx, seq)
		if err != nil || msg.Subject != bus.SubjectOfferNew {
			continue
		}
		var o jobs.Offer
		if json.Unmarshal(msg.Data, &o) != nil || o.ID == "" || seen[o.ID] {
			continue
		}
		seen[o.ID] = true
		out = append(out, o)
	}
	return out
}
