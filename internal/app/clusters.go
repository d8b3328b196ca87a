package app

import (
	"github.com/passerelle/passerelle/matcher"
)

// oneCopyPerCluster keeps, among a graduate's matches keyed by offer id,
// one copy of each job seen on several sources (offers sharing a
// fingerprint, see crawler.Copy): the copy the graduate can use most (one
// whose source allows showing it behind a sign-in, then e-mailing it),
// then the best score, then the latest match, then the smallest offer id.
// Matches without a fingerprint stay as they are.
func oneCopyPerCluster(byOffer map[string]matcher.Match) {
	best := map[string]string{} // fingerprint -> offer id kept
	for id, m := range byOffer {
		if m.Offer == nil || m.Offer.Fingerprint == "" {
			continue
		}
		fp := m.Offer.Fingerprint
		cur, ok := best[fp]
		if !ok {
			best[fp] = id
			continue
		}
		if preferCopy(m, byOffer[cur]) {
			delete(byOffer, cur)
			best[fp] = id
		} else {
			delete(byOffer, id)
		}
	}
}

// preferCopy reports whether a is a better copy of a job to show than b.
func preferCopy(a, b matcher.Match) bool {
	ta, tb := a.Offer.Terms, b.Offer.Terms
	switch {
	case ta.ShowBehindSignup != tb.ShowBehindSignup:
		return ta.ShowBehindSignup
	case ta.EmailAllowed != tb.EmailAllowed:
		return ta.EmailAllowed
	case a.Score != b.Score:
		return a.Score > b.Score
	case !a.MatchedAt.Equal(b.MatchedAt):
		return a.MatchedAt.After(b.MatchedAt)
	}
	return a.OfferID < b.OfferID
}
