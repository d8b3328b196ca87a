package app

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/insights"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

// Limits of the skill gap shown on a graduate's page.
const (
	gapWindow    = 30 * 24 * time.Hour
	gapMaxOffers = 20000
	gapCacheFor  = 10 * time.Minute
)

// monthOffers caches the recent offers for the skill gap and the market
// dashboard, per window.
type monthOffers struct {
	mu     sync.Mutex
	cached map[time.Duration]cachedOffers
}

type cachedOffers struct {
	at     time.Time
	offers []jobs.Offer
}

// recentMonth returns the offers published in the last 30 days.
func (a *App) recentMonth(ctx context.Context) ([]jobs.Offer, error) {
	return a.offersWithin(ctx, gapWindow)
}

// offersWithin returns the offers published within window (at most
// gapMaxOffers, the newest), read from the OFFERS stream at most every
// ten minutes.
func (a *App) offersWithin(ctx context.Context, window time.Duration) ([]jobs.Offer, error) {
	a.month.mu.Lock()
	defer a.month.mu.Unlock()
	if c, ok := a.month.cached[window]; ok && time.Since(c.at) < gapCacheFor {
		return c.offers, nil
	}
	start := time.Now().Add(-window)
	byID := map[string]int{}
	var out []jobs.Offer
	now := time.Now()
	err := a.readOrdered(ctx, bus.StreamOffers, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{bus.SubjectOfferNew},
		DeliverPolicy:  jetstream.DeliverByStartTimePolicy,
		OptStartTime:   &start,
	}, 500, "offers of the month", func(msg jetstream.Msg) {
		var o jobs.Offer
		if json.Unmarshal(msg.Data(), &o) != nil || o.ID == "" {
			return
		}
		if o.ValidThrough != nil && o.ValidThrough.Before(now) {
			return
		}
		if i, ok := byID[o.ID]; ok {
			out[i] = o // the latest version
			return
		}
		byID[o.ID] = len(out)
		out = append(out, o)
	})
	if err != nil {
		return nil, err
	}
	if len(out) > gapMaxOffers {
		out = out[len(out)-gapMaxOffers:]
	}
	if a.month.cached == nil {
		a.month.cached = map[time.Duration]cachedOffers{}
	}
	a.month.cached[window] = cachedOffers{at: time.Now(), offers: out}
	return out, nil
}

// SkillGap is a graduate's skill gap over the last 30 days' offers: the
// few skills whose learning would open the most offers that otherwise fit
// them, gates applied (insights.SkillGaps).
func (a *App) SkillGap(ctx context.Context, profileID string) (insights.Result, error) {
	p, err := a.repo.Get(ctx, profileID)
	if err != nil {
		return insights.Result{}, err
	}
	offers, err := a.recentMonth(ctx)
	if err != nil {
		return insights.Result{}, err
	}
	res := insights.Result{ProfileID: p.ID}
	insights.SkillGaps([]profiles.Profile{p}, offers, insights.Config{Match: matcher.Options{Taxonomy: skills.Default()}},
		func(r insights.Result) { res = r })
	return res, nil
}

// weeklyGap is the skill a weekly digest suggests: the graduate's first
// skill gap over the last 30 days' offers (none when there is no gap).
func (a *App) weeklyGap(ctx context.Context, p profiles.Profile) (notifier.SkillGap, error) {
	offers, err := a.recentMonth(ctx)
	if err != nil {
		return notifier.SkillGap{}, err
	}
	var res insights.Result
	insights.SkillGaps([]profiles.Profile{p}, offers, insights.Config{Top: 1, Match: matcher.Options{Taxonomy: skills.Default()}},
		func(r insights.Result) { res = r })
	if len(res.Gaps) == 0 {
		return notifier.SkillGap{}, nil
	}
	g := res.Gaps[0]
	pct := g.Percent
	if res.Fit == 0 {
		pct = 0 // "+1400 %" of nothing says nothing
	}
	return notifier.SkillGap{Skill: g.Skill, Opens: g.Opens, Percent: pct}, nil
}

// Market is the market dashboard of a cohort ("" = every graduate who
// consented to be found) over the last days (30 or 90).
func (a *App) Market(ctx context.Context, cohort string, scope []string, days int) (insights.Market, error) {
	if days <= 0 || days > 366 {
		days = 30
	}
	if a.store == nil {
		return insights.Market{}, fmt.Errorf("this process keeps no search index")
	}
	window := time.Duration(days) * 24 * time.Hour
	offers, err := a.offersWithin(ctx, window)
	if err != nil {
		return insights.Market{}, err
	}
	var ps []profiles.Profile
	q := profiles.Query{Cohort: cohort, Cohorts: scope, OnlySearchable: true}
	if err := profiles.EachResult(ctx, a.store, q, func(p profiles.Profile) error { ps = append(ps, p); return nil }); err != nil {
		return insights.Market{}, err
	}
	now := time.Now()
	return insights.ComputeMarket(ps, offers, now.Add(-window), now.Add(time.Minute),
		insights.Config{Match: matcher.Options{Taxonomy: skills.Default()}}), nil
}
