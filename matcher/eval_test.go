package matcher_test

import (
	"strings"
	"testing"

	"github.com/passerelle/passerelle/matcher/eval"
)

// TestEvalReport runs the labelled development set (testdata/eval, written
// by us) through the whole pipeline and asserts the quality targets.
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
	if r.Judged < r.Profiles*r.Offers {
		t.Errorf("%d judged pairs for %d x %d", r.Judged, r.Profiles, r.Offers)
	}
	p, b := r.Passerelle, r.Baseline
	if p.NDCG10 < 0.75 {
		t.Errorf("nDCG@10 = %.3f, target >= 0.75", p.NDCG10)
	}
	if p.NDCG10 < b.NDCG10+0.05 {
		t.Errorf("nDCG@10 = %.3f, not 0.05 above the baseline's %.3f", p.NDCG10, b.NDCG10)
	}
	if p.Ineligible != 0 {
		for id, s := range p.PerProfile {
			if len(s.Ineligible) > 0 {
				t.Logf("%s: ineligible returned: %v", id, s.Ineligible)
			}
		}
		t.Errorf("%d ineligible offers returned in top-10 lists, target 0", p.Ineligible)
	}
}
