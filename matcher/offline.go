package matcher

import (
	"sort"
	"strings"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

// Offline matches offers against profiles in one batch (`passerelle match`):
// specificity is counted over offers, every gate applies, and the result
// holds, for each profile in ps order, its matches best first (ties by
// offer id), at most top of them when top > 0.
func Offline(ps []profiles.Profile, offers []jobs.Offer, top int, opts Options) [][]Match {
	opts = opts.withDefaults()
	if opts.Specificity == nil {
		opts.Specificity = NewSpecificity(len(offers))
	}
	for _, o := range offers {
		opts.Specificity.Observe(o)
	}
	ix := NewIndex(opts)
	for _, p := range ps {
		ix.Upsert(p)
	}
	byProfile := map[string][]Match{}
	for _, o := range offers {
		for _, m := range ix.Match(o) {
			byProfile[m.ProfileID] = append(byProfile[m.ProfileID], m)
		}
	}
	out := make([][]Match, len(ps))
	for i, p := range ps {
		ms := byProfile[strings.TrimSpace(p.ID)]
		sort.SliceStable(ms, func(a, b int) bool {
			if ms[a].Score != ms[b].Score {
				return ms[a].Score > ms[b].Score
			}
			return ms[a].OfferID < ms[b].OfferID
		})
		if top > 0 && len(ms) > top {
			ms = ms[:top:top]
		}
		out[i] = ms
	}
	return out
}
