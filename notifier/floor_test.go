package notifier

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/matcher/eval"
)

// floorFigures are the evaluation figures of one score floor: the top-10
// lists cut at the floor, and every match above it.
type floorFigures struct {
	floor        float64
	p5, ndcg     float64 // as matcher/eval computes them, on the cut lists
	kept, strong int     // matches at or above the floor; of them, graded 2 or 3
	weak         int     // graded 0 or 1
	strongTotal  int     // matches graded 2 or 3 at any score
}

// precision is the share of the matches kept that the judges found
// relevant (grade >= 2).
func (f floorFigures) precision() float64 {
	if f.kept == 0 {
		return 0
	}
	return float64(f.strong) / float64(f.kept)
}

// floorEval runs the matcher over a development set with no floor of its
// own (MinScore 0.01) and measures each candidate floor.
func floorEval(ds *eval.Dataset, floors []float64) []floorFigures {
	opts := matcher.Options{MinScore: 0.01, Now: func() time.Time { return eval.Now }}
	res := matcher.Offline(ds.Profiles, ds.Offers, 0, opts)
	gain := func(g int) float64 { return math.Exp2(float64(g)) - 1 }
	out := make([]floorFigures, len(floors))
	for fi, floor := range floors {
		f := floorFigures{floor: floor}
		n := 0
		for i, p := range ds.Profiles {
			js := ds.Judgments[p.ID]
			var ideal []int
			for _, j := range js {
				ideal = append(ideal, j.Grade)
			}
			sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
			idcg := 0.0
			for k := 0; k < eval.TopN && k < len(ideal); k++ {
				idcg += gain(ideal[k]) / math.Log2(float64(k+2))
			}
			dcg, rel, rank := 0.0, 0, 0
			for _, m := range res[i] {
				g := js[ds.Keys[m.OfferID]].Grade
				if g >= 2 {
					f.strongTotal++
				}
				if m.Score < floor {
					continue
				}
				f.kept++
				if g >= 2 {
					f.strong++
				} else {
					f.weak++
				}
				if rank < eval.TopN {
					dcg += gain(g) / math.Log2(float64(rank+2))
					if rank < eval.TopP && g >= 2 {
						rel++
					}
				}
				rank++
			}
			if idcg > 0 {
				f.ndcg += dcg / idcg
				f.p5 += float64(rel) / eval.TopP
				n++
			}
		}
		if n > 0 {
			f.ndcg /= float64(n)
			f.p5 /= float64(n)
		}
		out[fi] = f
	}
	return out
}

// TestScoreFloors justifies DefaultMinScore (mail) and DefaultWebMinScore
// (the web "my matches" list) on the labelled development set and, when
// present, with the shared real fixtures added to the pool, against
// the matcher's list (its own minimum, matcher.DefaultMinScore, which
// must keep 95 % of the relevant matches): the web floor keeps 85 % of the
// relevant matches (grades 2-3) with at least 75 % of its list relevant
// (what lies between the two is listed apart as partial fits); the mail
// floor keeps 80 % of them with at least 85 % of what is mailed relevant.
// The table it logs is the one in README ("Alerts: score floors").
func TestScoreFloors(t *testing.T) {
	const dir = "../matcher/testdata/eval"
	dev, err := eval.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	sets := []struct {
		name string
		ds   *eval.Dataset
	}{{"development set", dev}}
	if fdir, ok := eval.FixturesDir(); ok {
		fds, _, err := eval.WithFixtures(dev, dir, fdir)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, struct {
			name string
			ds   *eval.Dataset
		}{"with real fixtures", fds})
	} else {
		t.Log("shared fixtures not found: the floors are checked on the development set only")
	}
	if DefaultWebMinScore >= DefaultMinScore {
		t.Fatalf("web floor %.2f must be below the mail floor %.2f", DefaultWebMinScore, DefaultMinScore)
	}
	floors := []float64{0, matcher.DefaultMinScore, DefaultWebMinScore, 0.35, DefaultMinScore, 0.4, 0.45, 0.5, 0.6}
	floors = sortedUnique(floors)
	for _, set := range sets {
		figs := floorEval(set.ds, floors)
		var b strings.Builder
		fmt.Fprintf(&b, "%s:\nfloor  P@5    nDCG@10  kept  relevant(2-3)  weak(0-1)  precision  relevant dropped\n", set.name)
		by := map[float64]floorFigures{}
		for _, f := range figs {
			by[f.floor] = f
			fmt.Fprintf(&b, "%.2f   %.3f  %.3f    %4d  %4d           %4d       %.2f       %d/%d\n",
				f.floor, f.p5, f.ndcg, f.kept, f.strong, f.weak, f.precision(), f.strongTotal-f.strong, f.strongTotal)
		}
		t.Log("\n" + b.String())
		// What the matcher publishes (and the page lists, partial fits
		// apart): almost every relevant match.
		base := by[matcher.DefaultMinScore]
		if keep := float64(base.strong) / float64(base.strongTotal); keep < 0.95 {
			t.Errorf("%s: the matcher's floor %.2f keeps only %.0f %% of the relevant matches", set.name, matcher.DefaultMinScore, 100*keep)
		}
		for _, c := range []struct {
			what  string
			floor float64
			// Most P@5 may drop against the matcher's list.
			p5Loss float64
			// Least share of all relevant matches (grades 2-3) it must
			// keep, and least share of relevant in what it keeps.
			keepStrong, minPrecision float64
		}{
			{"web", DefaultWebMinScore, 0.03, 0.85, 0.75},
			{"mail", DefaultMinScore, 0.05, 0.80, 0.85},
		} {
			f := by[c.floor]
			if f.p5 < base.p5-c.p5Loss {
				t.Errorf("%s: %s floor %.2f costs ranking quality: P@5 %.3f (%.3f in the matcher's list)",
					set.name, c.what, c.floor, f.p5, base.p5)
			}
			if float64(f.strong) < c.keepStrong*float64(f.strongTotal) {
				t.Errorf("%s: %s floor %.2f keeps %d of the %d relevant matches", set.name, c.what, c.floor, f.strong, f.strongTotal)
			}
			if f.precision() < c.minPrecision {
				t.Errorf("%s: %s floor %.2f: only %.2f of what it keeps is relevant", set.name, c.what, c.floor, f.precision())
			}
		}
	}
}

func sortedUnique(fs []float64) []float64 {
	sort.Float64s(fs)
	out := fs[:0]
	for i, f := range fs {
		if i == 0 || f != fs[i-1] {
			out = append(out, f)
		}
	}
	return out
}
