package insights

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
)

// Market is what the offers of a period ask of a cohort: the market
// dashboard of placement officers.
type Market struct {
	Graduates int       `json:"graduates"`
	Offers    int       `json:"offers"`  // offers in the period
	OpenTo    int       `json:"open_to"` // offers at least one graduate of the cohort can take
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	// Skills are the skills most demanded by the offers open to the
	// cohort, with the share of the cohort holding each.
	Skills []SkillDemand `json:"skills"`
	// Gaps are the demanded skills the cohort holds least: demand ×
	// share of graduates lacking it, highest first.
	Gaps      []SkillDemand `json:"gaps"`
	Weeks     []WeekCount   `json:"weeks"`
	Employers []NameCount   `json:"employers"`
	Places    []NameCount   `json:"places"`
}

// SkillDemand is one skill: how many open offers ask for it and how many
// graduates of the cohort hold it.
type SkillDemand struct {
	Skill       string `json:"skill"` // taxonomy id
	Offers      int    `json:"offers"`
	OfferShare  int    `json:"offer_share"`  // % of the offers open to the cohort
	Holders     int    `json:"holders"`      // graduates holding it
	CohortShare int    `json:"cohort_share"` // % of the cohort
}

// WeekCount is the number of offers open to the cohort posted in the week
// starting on Start (Monday, UTC).
type WeekCount struct {
	Start time.Time `json:"start"`
	Count int       `json:"count"`
}

// NameCount is an employer or a place and its number of open offers.
type NameCount struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// MarketTop is how many skills, gaps, employers and places are kept.
const MarketTop = 15

// ComputeMarket computes the market of a cohort from the offers of a
// period [from, to). An offer is open to the cohort when at least one of
// its graduates passes every gate of the matcher for it (place, workplace,
// eligibility, languages, seniority, contract) and shares a skill with
// it; the rest of the figures count those offers.
func ComputeMarket(ps []profiles.Profile, offers []jobs.Offer, from, to time.Time, cfg Config) Market {
	cfg = cfg.withDefaults()
	m := Market{Graduates: len(ps), From: from, To: to}
	opts := cfg.Match
	if opts.MinScore <= 0 {
		opts.MinScore = 0.01 // any skill in common: "can take", not "fits well"
	}
	ix := matcher.NewIndex(opts)
	for _, p := range ps {
		ix.Upsert(p)
	}
	holders := map[string]int{}
	for _, p := range ps {
		ids, _ := cfg.Taxonomy.MapLabels(p.Skills)
		seen := map[string]bool{}
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				holders[id]++
			}
		}
	}
	demand := map[string]int{}
	employers := map[string]int{}
	places := map[string]int{}
	weeks := map[time.Time]int{}
	for _, o := range offers {
		posted := o.PostedAt // offers without a date are counted in the period they were read in
		if posted != nil && (posted.Before(from) || !posted.Before(to)) {
			continue
		}
		m.Offers++
		open := false
		ix.MatchScores(o, func(matcher.Scored) bool { open = true; return false })
		if !open {
			continue
		}
		m.OpenTo++
		seen := map[string]bool{}
		for _, s := range o.Skills {
			if s != "" && !seen[s] {
				seen[s] = true
				demand[s]++
			}
		}
		if c := strings.TrimSpace(o.Company); c != "" {
			employers[c]++
		}
		if o.Workplace == jobs.Remote {
			places["remote"]++
		} else {
			for _, l := range o.Locations {
				if c := strings.TrimSpace(l.City); c != "" {
					places[c]++
				}
			}
		}
		if posted != nil {
			weeks[weekStart(*posted)]++
		}
	}
	for s, n := range demand {
		d := SkillDemand{Skill: s, Offers: n, Holders: holders[s]}
		if m.OpenTo > 0 {
			d.OfferShare = n * 100 / m.OpenTo
		}
		if m.Graduates > 0 {
			d.CohortShare = holders[s] * 100 / m.Graduates
		}
		m.Skills = append(m.Skills, d)
	}
	m.Gaps = slices.Clone(m.Skills)
	slices.SortFunc(m.Skills, func(a, b SkillDemand) int {
		if c := cmp.Compare(b.Offers, a.Offers); c != 0 {
			return c
		}
		return strings.Compare(a.Skill, b.Skill)
	})
	gapScore := func(d SkillDemand) int { return d.Offers * (100 - d.CohortShare) }
	slices.SortFunc(m.Gaps, func(a, b SkillDemand) int {
		if c := cmp.Compare(gapScore(b), gapScore(a)); c != 0 {
			return c
		}
		return strings.Compare(a.Skill, b.Skill)
	})
	m.Skills, m.Gaps = m.Skills[:min(len(m.Skills), MarketTop)], m.Gaps[:min(len(m.Gaps), MarketTop)]
	for w := weekStart(from); w.Before(to); w = w.AddDate(0, 0, 7) {
		m.Weeks = append(m.Weeks, WeekCount{Start: w, Count: weeks[w]})
	}
	m.Employers = topNames(employers)
	m.Places = topNames(places)
	return m
}

func weekStart(t time.Time) time.Time {
	t = t.UTC().Truncate(24 * time.Hour)
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

func topNames(n map[string]int) []NameCount {
	var out []NameCount
	for k, v := range n {
		out = append(out, NameCount{Name: k, Count: v})
	}
	slices.SortFunc(out, func(a, b NameCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out[:min(len(out), MarketTop)]
}
