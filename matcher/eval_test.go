package matcher_test

import (
	"strings"
	"testing"

	"github.com/passerelle/passerelle/matcher/eval"
)

// TestEvalReport runs the labelled development set (testdata/eval, written
// by us) through the whole pipeline and asserts the quality targets; when
// the shared real fixtures are present, it runs again with them added to
// the pool (judged in testdata/eval/judgments_fixtures.tsv).
func TestEvalReport(t *testing.T) {
	var out strings.Builder
	r, err := eval.Run("testdata/eval", &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	if r.Profiles < 20 || r.Offers < 80 {
		t.Fatalf("development set too small: %d profiles, %d offers", r.Profiles, r.Offers)
	}
	checkEval(t, "development set", r)
	if r.HeldOut == nil {
		t.Fatal("no held-out ranking set in testdata/eval/heldout")
	}
	if r.HeldOut.Offers < 40 || r.HeldOut.Profiles < 10 {
		t.Errorf("held-out ranking set too small: %d profiles, %d offers", r.HeldOut.Profiles, r.HeldOut.Offers)
	}
	checkEval(t, "held-out ranking set", *r.HeldOut)
	if r.HeldOut2 == nil {
		t.Fatal("no second held-out ranking set in testdata/eval/heldout2")
	}
	if r.HeldOut2.Offers < 40 || r.HeldOut2.Profiles < 10 {
		t.Errorf("second held-out ranking set too small: %d profiles, %d offers", r.HeldOut2.Profiles, r.HeldOut2.Offers)
	}
	checkEval(t, "second held-out ranking set", *r.HeldOut2)
	if r.HeldOut3 == nil {
		t.Fatal("no third held-out ranking set in testdata/eval/heldout3")
	}
	if r.HeldOut3.Offers < 45 || r.HeldOut3.Profiles < 10 {
		t.Errorf("third held-out ranking set too small: %d profiles, %d offers", r.HeldOut3.Profiles, r.HeldOut3.Offers)
	}
	checkEval(t, "third held-out ranking set", *r.HeldOut3)
	// Written blind for issue #13 (first run 0.862 / 0.720, one ineligible
	// offer); after its class fixes 0.897 / 0.740: a floor a little below,
	// so that a reader or gate regression on it fails.
	if h := r.HeldOut3.Passerelle; h.NDCG10 < 0.87 || h.P5 < 0.70 {
		t.Errorf("third held-out ranking set: nDCG@10 %.3f, P@5 %.3f, floors 0.87 and 0.70", h.NDCG10, h.P5)
	}
	if r.WithFixtures == nil {
		t.Logf("with real fixtures: skipped: %s", r.FixturesNote)
		return
	}
	f := r.WithFixtures
	if f.Offers-r.Offers < 100 {
		t.Errorf("only %d offers read from the shared fixtures", f.Offers-r.Offers)
	}
	checkEval(t, "with real fixtures", *f)
}

func checkEval(t *testing.T, name string, r eval.Report) {
	t.Helper()
	if r.Judged < r.Profiles*r.Offers || r.Missing > 0 || len(r.Stale) > 0 {
		t.Errorf("%s: %d judged pairs for %d x %d, %d missing, stale keys %v", name, r.Judged, r.Profiles, r.Offers, r.Missing, r.Stale)
	}
	p, b := r.Passerelle, r.Baseline
	if p.NDCG10 < 0.75 {
		t.Errorf("%s: nDCG@10 = %.3f, target >= 0.75", name, p.NDCG10)
	}
	if p.NDCG10 < b.NDCG10+0.05 {
		t.Errorf("%s: nDCG@10 = %.3f, not 0.05 above the baseline's %.3f", name, p.NDCG10, b.NDCG10)
	}
	if p.Ineligible != 0 {
		for id, s := range p.PerProfile {
			if len(s.Ineligible) > 0 {
				t.Logf("%s: %s: ineligible returned: %v", name, id, s.Ineligible)
			}
		}
		t.Errorf("%s: %d ineligible offers returned in top-10 lists, target 0", name, p.Ineligible)
	}
}
