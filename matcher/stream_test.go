package matcher

import (
	"cmp"
	"io"
	"reflect"
	"slices"
	"testing"

	"github.com/passerelle/passerelle/jobs"
)

// offersFrom yields os one at a time, then io.EOF.
func offersFrom(os []jobs.Offer) func() (jobs.Offer, error) {
	i := 0
	return func() (jobs.Offer, error) {
		if i == len(os) {
			return jobs.Offer{}, io.EOF
		}
		i++
		return os[i-1], nil
	}
}

// TestMatchStreamSameAsOffline: the streamed matches, regrouped per
// profile, are Offline's, and each offer's matches are handed over
// before the next offer is read.
func TestMatchStreamSameAsOffline(t *testing.T) {
	for _, gen := range generators {
		t.Run(gen, func(t *testing.T) {
			ps, os := synthesize(t, gen, 3, 1500, 120)
			opts := synthOptions(nil)
			opts.Specificity = nil
			want := Offline(ps, os, 0, opts)

			spec, err := CountSpecificity(offersFrom(os))
			if err != nil {
				t.Fatal(err)
			}
			if spec.Len() != len(os) || len(spec.offers) != 0 {
				t.Fatalf("specificity counts %d offers and keeps %d, want %d and none", spec.Len(), len(spec.offers), len(os))
			}
			opts.Specificity = spec
			read, emitted := 0, 0
			next := offersFrom(os)
			byProfile := map[string][]Match{}
			err = MatchStream(ps, func() (jobs.Offer, error) {
				if read != emitted {
					t.Fatalf("offer %d read before offer %d's matches were emitted", read+1, read)
				}
				read++
				return next()
			}, func(o *jobs.Offer, ms []Match) error {
				emitted++
				if o.ID != os[emitted-1].ID {
					t.Fatalf("emitted offer %s, want %s", o.ID, os[emitted-1].ID)
				}
				for _, m := range ms {
					byProfile[m.ProfileID] = append(byProfile[m.ProfileID], m)
				}
				return nil
			}, opts)
			if err != nil {
				t.Fatal(err)
			}
			if emitted != len(os) {
				t.Fatalf("%d offers emitted, want %d", emitted, len(os))
			}
			total := 0
			for i, p := range ps {
				got := byProfile[p.ID]
				slices.SortStableFunc(got, func(a, b Match) int {
					if c := cmp.Compare(b.Score, a.Score); c != 0 {
						return c
					}
					return cmp.Compare(a.OfferID, b.OfferID)
				})
				if len(got) != len(want[i]) {
					t.Fatalf("profile %s: %d streamed matches, Offline %d", p.ID, len(got), len(want[i]))
				}
				for k := range got {
					if !reflect.DeepEqual(got[k], want[i][k]) {
						t.Fatalf("profile %s match %d:\nstream  %+v\noffline %+v", p.ID, k, got[k], want[i][k])
					}
				}
				total += len(got)
			}
			if total == 0 {
				t.Fatal("no matches: the comparison proves nothing")
			}
			t.Logf("%d matches over %d offers", total, len(os))
		})
	}
}

// TestMatchStreamMemoryFlat streams offers drawn one at a time (nothing
// holds them) and checks that what stays on the heap after the first
// offers does not grow with the next thousands, while those offers make
// far more matches than that would hold.
func TestMatchStreamMemoryFlat(t *testing.T) {
	nOffers := 4000
	if testing.Short() || raceEnabled {
		nOffers = 1200
	}
	const warm, limit = 200, 512 << 10
	ps, _ := synthesize(t, "clustered", 9, 2000, 0)
	s, err := newClustered(10)
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	next := func() (jobs.Offer, error) {
		if read == nOffers {
			return jobs.Offer{}, io.EOF
		}
		read++
		return s.offer(read, testNow), nil
	}
	opts := synthOptions(nil)
	ix := NewIndex(opts)
	for _, p := range ps {
		ix.Upsert(p)
	}
	ps = nil
	var heapWarm, heapEnd uint64
	matches, matchBytes := 0, 0
	err = ix.stream(next, func(o *jobs.Offer, ms []Match) error {
		matches += len(ms)
		for _, m := range ms {
			matchBytes += int(reflect.TypeFor[Match]().Size()) + 16*(len(m.MatchedSkills)+len(m.MissingSkills)+len(m.Reasons))
		}
		switch read {
		case warm:
			heapWarm = heapAfterGC()
		case nOffers:
			heapEnd = heapAfterGC()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if opts.Specificity.Len() != 0 {
		t.Errorf("the stream observed %d offers into the specificity table", opts.Specificity.Len())
	}
	growth := int64(heapEnd) - int64(heapWarm)
	t.Logf("%d offers, %d matches (at least %d bytes if kept); heap after %d offers %d bytes, after %d offers %+d bytes",
		nOffers, matches, matchBytes, warm, heapWarm, nOffers, growth)
	if matchBytes < 8*limit {
		t.Fatalf("only %d bytes of matches: the test cannot tell kept from dropped", matchBytes)
	}
	if growth > limit {
		t.Errorf("heap grew by %d bytes over %d offers, want at most %d: matches are kept", growth, nOffers-warm, limit)
	}
}
