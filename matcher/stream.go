package matcher

import (
	"errors"
	"io"
	"slices"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

// Streaming offline matching (`passerelle match`): profiles are indexed
// once, then offers are read and matched one at a time, each offer's
// matches handed over as soon as they are computed. What it keeps does
// not grow with the number of offers: the index, one reused buffer of
// matches, and (CountSpecificity) one counter per distinct skill.

// CountSpecificity counts skill document frequencies over the offers next
// yields until it returns io.EOF, as Offline does over its offers, but
// keeps only one counter per skill, not the offers: every offer counts,
// including one whose id an earlier offer had (Offline counts an id
// once). The table can still Observe and Forget offers as usual.
func CountSpecificity(next func() (jobs.Offer, error)) (*Specificity, error) {
	s := NewSpecificity(0)
	var ids []string
	for {
		o, err := next()
		if errors.Is(err, io.EOF) {
			return s, nil
		}
		if err != nil {
			return s, err
		}
		ids = ids[:0]
		for _, list := range [][]string{o.Skills, o.OptionalSkills} {
			for _, id := range list {
				if id != "" && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
		s.mu.Lock()
		s.counted++
		for _, id := range ids {
			s.df[id]++
		}
		s.mu.Unlock()
	}
}

// MatchStream indexes ps, then matches the offers next yields until it
// returns io.EOF, one at a time, calling emit with each offer and its
// matches (what Index.Match returns, best first, ties by profile id;
// emit is called for offers without matches too). The matches live in a
// buffer reused for the next offer: emit must not keep them (copies of
// the Match values may be kept; their slices stay valid). Pass
// opts.Specificity from CountSpecificity over the same offers to weigh
// skills as Offline does; the offers are not observed again. An error
// from next or emit stops the stream and is returned.
func MatchStream(ps []profiles.Profile, next func() (jobs.Offer, error), emit func(o *jobs.Offer, ms []Match) error, opts Options) error {
	ix := NewIndex(opts)
	for _, p := range ps {
		ix.Upsert(p)
	}
	return ix.stream(next, emit)
}

// stream is MatchStream once the index is built.
func (ix *Index) stream(next func() (jobs.Offer, error), emit func(o *jobs.Offer, ms []Match) error) error {
	var buf []Match
	for {
		o, err := next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		buf = ix.AppendMatches(buf[:0], o)
		var op *jobs.Offer
		if len(buf) > 0 {
			op = buf[0].Offer
		} else {
			op = &o
		}
		if err := emit(op, buf); err != nil {
			return err
		}
		clear(buf) // keep nothing of this offer alive
	}
}
