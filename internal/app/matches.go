package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/notifier"
)

// MaxMatchesShown bounds what "my matches" reads for one graduate (the
// MATCHES stream keeps 30 days).
const MaxMatchesShown = 500

// MatchesFor returns the offers matched to a graduate over the last 30
// days (the MATCHES stream), e-mailed or not, one per offer (the latest
// match), best first, without those they said were not interested in,
// those closed or expired since (offers_closed, valid_through), and those
// below the web's quality floor (notifier.DefaultWebMinScore, lower than
// the mail's: the page may show what is not worth a mail).
func (a *App) MatchesFor(ctx context.Context, profileID string) ([]matcher.Match, error) {
	all, err := a.allMatches(ctx, profileID)
	if err != nil {
		return nil, err
	}
	hidden, err := a.hiddenOffers(ctx, profileID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	now := time.Now()
	for _, m := range all {
		if hidden[m.OfferID] || m.Score < notifier.DefaultWebMinScore || (m.Offer != nil && m.Offer.Expired(now)) {
			continue
		}
		if closed, err := a.alerts.Closed.Closed(ctx, m.OfferID); err != nil {
			return nil, err
		} else if closed {
			continue
		}
		out = append(out, m)
	}
	if len(out) > MaxMatchesShown {
		out = out[:MaxMatchesShown]
	}
	return out, nil
}

// allMatches reads a graduate's matches from the MATCHES stream, one per
// offer (the latest) and one per job seen on several sources
// (oneCopyPerCluster), best first.
func (a *App) allMatches(ctx context.Context, profileID string) ([]matcher.Match, error) {
	byOffer := map[string]matcher.Match{}
	err := a.readOrdered(ctx, bus.StreamMatches, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{bus.MatchSubject(profileID)},
		DeliverPolicy:  jetstream.DeliverAllPolicy,
	}, 100, "matches of "+profileID, func(msg jetstream.Msg) {
		var m matcher.Match
		if json.Unmarshal(msg.Data(), &m) == nil && m.OfferID != "" && m.ProfileID == profileID {
			byOffer[m.OfferID] = m
		}
	})
	if err != nil {
		return nil, err
	}
	oneCopyPerCluster(byOffer)
	out := make([]matcher.Match, 0, len(byOffer))
	for _, m := range byOffer {
		out = append(out, m)
	}
	slices.SortFunc(out, func(x, y matcher.Match) int {
		if x.Score != y.Score {
			if x.Score > y.Score {
				return -1
			}
			return 1
		}
		return y.MatchedAt.Compare(x.MatchedAt)
	})
	return out, nil
}

// feedbackRecord is a graduate's answer about one offer.
type feedbackRecord struct {
	Verdict string    `json:"verdict"` // not_interested
	At      time.Time `json:"at"`
}

// RecordFeedback keeps a graduate's 👍 ("up") or 👎 ("down") about an
// offer (web.FeedbackRecorder); a 👎 also hides the offer from their list.
func (a *App) RecordFeedback(ctx context.Context, profileID, offerID, verdict string) error {
	return a.putFeedback(ctx, profileID, offerID, verdict)
}

func (a *App) putFeedback(ctx context.Context, profileID, offerID, verdict string) error {
	kv, err := a.js.KeyValue(ctx, bus.KVFeedback)
	if err != nil {
		return fmt.Errorf("feedback bucket: %w", err)
	}
	b, _ := json.Marshal(feedbackRecord{Verdict: verdict, At: time.Now().UTC()})
	if _, err := kv.Put(ctx, bus.KeyToken(profileID)+"."+bus.KeyToken(offerID), b); err != nil {
		return fmt.Errorf("record feedback: %w", err)
	}
	return nil
}

// FeedbackExport is one answer, as `passerelle feedback export` writes it.
type FeedbackExport struct {
	ProfileID string    `json:"profile_id"`
	OfferID   string    `json:"offer_id"`
	Verdict   string    `json:"verdict"` // up, down, not_interested
	At        time.Time `json:"at"`
}

// EachFeedback calls fn with every answer kept (for evaluation).
func (a *App) EachFeedback(ctx context.Context, fn func(FeedbackExport) error) error {
	kv, err := a.js.KeyValue(ctx, bus.KVFeedback)
	if err != nil {
		return fmt.Errorf("feedback bucket: %w", err)
	}
	keys, err := kv.ListKeys(ctx)
	if err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	for k := range keys.Keys() {
		pt, ot, ok := strings.Cut(k, ".")
		if !ok {
			continue
		}
		pid, ok1 := bus.UnKeyToken(pt)
		oid, ok2 := bus.UnKeyToken(ot)
		e, err := kv.Get(ctx, k)
		if !ok1 || !ok2 || err != nil {
			continue
		}
		var r feedbackRecord
		if json.Unmarshal(e.Value(), &r) != nil {
			continue
		}
		if err := fn(FeedbackExport{ProfileID: pid, OfferID: oid, Verdict: r.Verdict, At: r.At}); err != nil {
			return err
		}
	}
	return nil
}

// HideMatch records that the graduate is not interested in an offer: it
// leaves their list, and the answer is kept (per graduate and offer) for
// evaluation until they erase their data.
func (a *App) HideMatch(ctx context.Context, profileID, offerID string) error {
	return a.putFeedback(ctx, profileID, offerID, "not_interested")
}

// hiddenOffers lists the offers a graduate said they were not interested in.
func (a *App) hiddenOffers(ctx context.Context, profileID string) (map[string]bool, error) {
	kv, err := a.js.KeyValue(ctx, bus.KVFeedback)
	if err != nil {
		return nil, fmt.Errorf("feedback bucket: %w", err)
	}
	lister, err := kv.ListKeysFiltered(ctx, bus.KeyToken(profileID)+".>")
	if err != nil {
		return nil, fmt.Errorf("feedback of %s: %w", profileID, err)
	}
	out := map[string]bool{}
	prefix := bus.KeyToken(profileID) + "."
	for k := range lister.Keys() {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		id, ok := bus.UnKeyToken(rest)
		if !ok {
			continue
		}
		// A 👍 keeps the offer listed; "not interested" and 👎 hide it.
		if e, err := kv.Get(ctx, k); err == nil {
			var r feedbackRecord
			if json.Unmarshal(e.Value(), &r) == nil && r.Verdict == "up" {
				continue
			}
		}
		out[id] = true
	}
	return out, nil
}

// EachFeedbackAny is EachFeedback for the web API (web.feedbackExporter).
func (a *App) EachFeedbackAny(ctx context.Context, fn func(any) error) error {
	return a.EachFeedback(ctx, func(f FeedbackExport) error { return fn(f) })
}
