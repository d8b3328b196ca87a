package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/matcher"
)

// MaxMatchesShown bounds what "my matches" reads for one graduate (the
// MATCHES stream keeps 30 days).
const MaxMatchesShown = 500

// MatchesFor returns the offers matched to a graduate over the last 30
// days (the MATCHES stream), e-mailed or not, one per offer (the latest
// match), best first, without those they said were not interested in,
// and those closed or expired since (offers_closed, valid_through). Every
// match the matcher published (matcher.DefaultMinScore and up) is
// returned: the page lists those under the web's quality floor
// (notifier.DefaultWebMinScore) apart, as partial fits, and mails only
// carry those at the mail's floor.
func (a *App) MatchesFor(ctx context.Context, profileID string) ([]matcher.Match, error) {
	byOffer, err := a.matchesByOffer(ctx, profileID)
	if err != nil {
		return nil, err
	}
	hidden, err := a.hiddenOffers(ctx, profileID)
	if err != nil {
		return nil, err
	}
	// "Not interested" in one copy of a job is in every copy (its
	// duplicate cluster): the hidden copies' clusters, recorded with the
	// answer or read from the matches, leave the list before one copy per
	// cluster is chosen.
	for id, m := range byOffer {
		if hidden.offers[id] && m.Offer != nil && m.Offer.Fingerprint != "" {
			hidden.clusters[m.Offer.Fingerprint] = true
		}
	}
	for id, m := range byOffer {
		if hidden.offers[id] || (m.Offer != nil && hidden.clusters[m.Offer.Fingerprint]) {
			delete(byOffer, id)
		}
	}
	all := sortedCopies(byOffer)
	out := all[:0]
	now := time.Now()
	for _, m := range all {
		if m.Score < matcher.DefaultMinScore || (m.Offer != nil && m.Offer.Expired(now)) {
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
	byOffer, err := a.matchesByOffer(ctx, profileID)
	if err != nil {
		return nil, err
	}
	return sortedCopies(byOffer), nil
}

// matchesByOffer reads a graduate's matches from the MATCHES stream, the
// latest per offer, every copy of a job included.
func (a *App) matchesByOffer(ctx context.Context, profileID string) (map[string]matcher.Match, error) {
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
	return byOffer, nil
}

// sortedCopies keeps one copy per job of byOffer (oneCopyPerCluster) and
// returns them best first.
func sortedCopies(byOffer map[string]matcher.Match) []matcher.Match {
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
	return out
}

// feedbackRecord is a graduate's answer about one offer.
type feedbackRecord struct {
	Verdict string    `json:"verdict"` // not_interested
	At      time.Time `json:"at"`
	// OfferID is the offer answered about, in the record kept under the
	// offer's duplicate cluster (clusterKeyPrefix).
	OfferID string `json:"offer_id,omitempty"`
}

// clusterKeyPrefix marks, in the feedback bucket, a key naming a
// duplicate cluster (a job's fingerprint) rather than an offer: a "not
// interested" or 👎 is kept under both, so that another copy of the job
// (another board's) is neither listed nor mailed (App.NotWanted).
const clusterKeyPrefix = "cluster:"

// feedbackKey is the key of a graduate's answer about an offer or, with
// clusterKeyPrefix, a cluster.
func feedbackKey(profileID, offerOrCluster string) string {
	return bus.KeyToken(profileID) + "." + bus.KeyToken(offerOrCluster)
}

// turnsDown reports whether a verdict is the graduate saying no.
func turnsDown(verdict string) bool { return verdict != "up" }

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
	rec := feedbackRecord{Verdict: verdict, At: time.Now().UTC()}
	b, _ := json.Marshal(rec)
	if _, err := kv.Put(ctx, feedbackKey(profileID, offerID), b); err != nil {
		return fmt.Errorf("record feedback: %w", err)
	}
	// The cluster's record follows the offer's: a 👍 after a 👎 clears it.
	byOffer, err := a.matchesByOffer(ctx, profileID)
	if err != nil {
		return fmt.Errorf("record feedback: find the offer's other copies: %w", err)
	}
	m, ok := byOffer[offerID]
	if !ok || m.Offer == nil || m.Offer.Fingerprint == "" {
		return nil
	}
	rec.OfferID = offerID
	b, _ = json.Marshal(rec)
	if _, err := kv.Put(ctx, feedbackKey(profileID, clusterKeyPrefix+m.Offer.Fingerprint), b); err != nil {
		return fmt.Errorf("record feedback for the offer's other copies: %w", err)
	}
	return nil
}

// NotWanted reports whether a graduate turned down ("not interested", 👎)
// the offer or another copy of the same job (cluster, its fingerprint;
// may be empty): notifier.NotWanted, consulted before each mail.
func (a *App) NotWanted(ctx context.Context, profileID, offerID, cluster string) (bool, error) {
	kv, err := a.js.KeyValue(ctx, bus.KVFeedback)
	if err != nil {
		return false, fmt.Errorf("feedback bucket: %w", err)
	}
	keys := []string{feedbackKey(profileID, offerID)}
	if cluster != "" {
		keys = append(keys, feedbackKey(profileID, clusterKeyPrefix+cluster))
	}
	for _, k := range keys {
		e, err := kv.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("feedback of %s: %w", profileID, err)
		}
		var r feedbackRecord
		if json.Unmarshal(e.Value(), &r) == nil && turnsDown(r.Verdict) {
			return true, nil
		}
	}
	return false, nil
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
		if strings.HasPrefix(oid, clusterKeyPrefix) {
			continue // the same answer, kept for the job's other copies
		}
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

// hidden is what a graduate turned down: offers, and duplicate clusters
// (fingerprints).
type hidden struct{ offers, clusters map[string]bool }

// hiddenOffers lists the offers, and the clusters, a graduate said they
// were not interested in.
func (a *App) hiddenOffers(ctx context.Context, profileID string) (hidden, error) {
	kv, err := a.js.KeyValue(ctx, bus.KVFeedback)
	if err != nil {
		return hidden{}, fmt.Errorf("feedback bucket: %w", err)
	}
	lister, err := kv.ListKeysFiltered(ctx, bus.KeyToken(profileID)+".>")
	if err != nil {
		return hidden{}, fmt.Errorf("feedback of %s: %w", profileID, err)
	}
	out := hidden{offers: map[string]bool{}, clusters: map[string]bool{}}
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
			if json.Unmarshal(e.Value(), &r) == nil && !turnsDown(r.Verdict) {
				continue
			}
		}
		if fp, ok := strings.CutPrefix(id, clusterKeyPrefix); ok {
			out.clusters[fp] = true
		} else {
			out.offers[id] = true
		}
	}
	return out, nil
}

// EachFeedbackAny is EachFeedback for the web API (web.feedbackExporter).
func (a *App) EachFeedbackAny(ctx context.Context, fn func(any) error) error {
	return a.EachFeedback(ctx, func(f FeedbackExport) error { return fn(f) })
}
