package eval

import (
	"testing"

	"github.com/passerelle/passerelle/matcher"
)

func TestTmpMin(t *testing.T) {
	dev, err := Load("../testdata/eval")
	if err != nil {
		t.Fatal(err)
	}
	fdir, _ := FixturesDir()
	fds, _, err := WithFixtures(dev, "../testdata/eval", fdir)
	if err != nil {
		t.Fatal(err)
	}
	h1, _ := Load("../testdata/eval/heldout")
	h2, _ := Load("../testdata/eval/heldout2")
	for _, name := range []string{"dev", "fix", "h1", "h2"} {
		ds := map[string]*Dataset{"dev": dev, "fix": fds, "h1": h1, "h2": h2}[name]
		for _, ms := range []float64{0.18, 0.20, 0.22, 0.25, 0.30, 0.35} {
			r := Evaluate(ds, matcher.Options{MinScore: ms})
			kept, strong, weak := 0, 0, 0
			for pid, ms := range r.Matches {
				for _, m := range ms {
					j := ds.Judgments[pid][ds.Keys[m.Offer.ID]]
					kept++
					if j.Grade >= 2 {
						strong++
					} else {
						weak++
					}
				}
			}
			t.Logf("%s min=%.2f nDCG=%.3f P5=%.3f inel=%d kept=%d strong=%d weak=%d prec=%.2f", name, ms, r.Passerelle.NDCG10, r.Passerelle.P5, r.Passerelle.Ineligible, kept, strong, weak, float64(strong)/float64(kept))
		}
	}
}
