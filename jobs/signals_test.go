package jobs

import (
	"path/filepath"
	"strings"
	"testing"
)

// heldoutFloors are the accuracies the held-out half must keep (measured
// when the readers were written; raise them, never lower them).
var heldoutFloors = map[string]float64{
	"eligibility": 0.95,
	"languages":   0.95,
	"salary":      0.90,
	"seniority":   0.95,
	"employment":  0.95,
	"workplace":   0.95,
	"location":    0.85,
	"feed title":  0.75,
}

// knownMisses are the readings of the signal set known to be wrong, by ad
// id and field: every other ad must read right on every field, so one
// regression fails the test (the floors above alone let a few slip).
var knownMisses = map[string]bool{
	// "Latin America and Africa (for example Morocco, …)": Morocco is
	// admitted through Africa, but not listed among the countries.
	"l25e10 eligibility": true,
}

// maxFalseEligible is the number of ads of both halves allowed to admit
// Morocco wrongly.
const maxFalseEligible = 0

// TestSignalSet reports per-field accuracy on both halves and asserts the
// floors on the held-out half; -v prints the misses.
func TestSignalSet(t *testing.T) {
	r, err := ScoreSignalSet("testdata/signals")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range []signalScore{r.Dev, r.HeldOut} {
		n += s.ads
	}
	if n < 200 {
		t.Fatalf("signal set too small: %d ads", n)
	}
	var b strings.Builder
	r.Write(&b)
	t.Log("\n" + b.String())
	dev, held := r.Misses()
	for _, ms := range [][]string{dev, held} {
		for _, m := range ms {
			id, field, _ := strings.Cut(m, " ")
			field, _, _ = strings.Cut(field, ":")
			if !knownMisses[id+" "+field] {
				t.Errorf("new miss: %s", m)
			} else if testing.Verbose() {
				t.Log("known miss: " + m)
			}
		}
	}
	for f, floor := range heldoutFloors {
		if acc := r.Accuracy(f, true); acc < floor {
			t.Errorf("held-out %s accuracy %.1f%% below the floor %.1f%%", f, 100*acc, 100*floor)
		}
	}
	if r.FalseEligible() > maxFalseEligible {
		t.Errorf("%d ads admit Morocco although they exclude it or are restricted elsewhere", r.FalseEligible())
	}
}

// TestSignalSetHeldOutParts prints each held-out file on its own (a part
// written later is measured before any rule is tuned for its classes).
func TestSignalSetHeldOutParts(t *testing.T) {
	paths, _ := filepath.Glob("testdata/signals/heldout*.jsonl")
	if len(paths) < 2 {
		t.Fatalf("want at least two held-out files, have %v", paths)
	}
	for _, p := range paths {
		r, err := ScoreSignalFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		r.Write(&b)
		t.Logf("%s\n%s", p, b.String())
		if testing.Verbose() {
			_, held := r.Misses()
			for _, m := range held {
				t.Log("miss: " + m)
			}
		}
	}
}
