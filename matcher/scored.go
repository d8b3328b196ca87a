package matcher

import "github.com/passerelle/passerelle/jobs"

// Scored is one profile that Match would return, without the explanation.
type Scored struct {
	ProfileID string
	Score     float64
}

// MatchScores is Match without explanations (reasons, skills, offer
// copy): the profiles that pass every gate for o with at least MinScore,
// best first. It is for computations over many pairs (insights) where
// only which pairs match counts; it calls fn for each, in order, while
// holding the index's read lock, and stops when fn returns false.
func (ix *Index) MatchScores(o jobs.Offer, fn func(Scored) bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc := ix.getScratch()
	defer ix.scratch.Put(sc)
	_, hits := ix.rank(&o, sc)
	for _, h := range hits {
		if !fn(Scored{ProfileID: ix.ids[h.o], Score: h.score}) {
			return
		}
	}
}
