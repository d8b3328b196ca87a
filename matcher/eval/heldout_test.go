package eval

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestHeldOutReadings compares what the normalizer reads in the held-out
// ranking ads (testdata/eval/heldout) with what was read in them by hand
// (readings.tsv): workplace, level, contracts, required languages and,
// for remote ads, whether a graduate in Morocco may apply. The figures
// are printed; a floor guards against a reader breaking. It runs on each
// held-out folder (heldout, heldout2, heldout3).
func TestHeldOutReadings(t *testing.T) {
	for _, name := range heldOutDirs {
		t.Run(name, func(t *testing.T) { checkHeldOutReadings(t, filepath.Join("..", "testdata", "eval", name)) })
	}
}

func checkHeldOutReadings(t *testing.T, dir string) {
	ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]int{}
	for i, o := range ds.Offers {
		byKey[ds.Keys[o.ID]] = i
	}
	f, err := os.Open(filepath.Join(dir, "readings.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	right, total := map[string]int{}, map[string]int{}
	var misses []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 9 || strings.HasPrefix(c[0], "#") || c[0] == "key" {
			continue
		}
		i, ok := byKey[c[0]]
		if !ok {
			t.Errorf("reading of %s: no such ad", c[0])
			continue
		}
		o := ds.Offers[i]
		grade := func(field string, ok bool, got any) {
			total[field]++
			if ok {
				right[field]++
			} else {
				misses = append(misses, fmt.Sprintf("%s %s: got %v, read %q", c[0], field, got, strings.Join(c[1:9], " | ")))
			}
		}
		// The rubric takes an ad that does not state its workplace as on
		// site at the places it names.
		grade("workplace", string(o.Workplace) == c[2] || c[2] == "onsite" && o.Workplace == "unknown" && len(o.Locations) > 0, o.Workplace)
		if c[5] != "unknown" {
			grade("seniority", o.Seniority == c[5], o.Seniority)
		}
		if c[6] != "" {
			want := strings.Split(c[6], ",")
			got := slices.Clone(o.Employment)
			slices.Sort(want)
			slices.Sort(got)
			grade("employment", slices.Equal(got, want), o.Employment)
		}
		var langs []string
		if c[7] != "" {
			langs = strings.Split(c[7], ",")
		}
		ol := slices.Clone(o.Languages)
		slices.Sort(langs)
		slices.Sort(ol)
		grade("languages", slices.Equal(ol, langs), o.Languages)
		if c[2] == "remote" && (c[4] == "MA" || c[4] == "no") {
			// "no" must be a stated restriction: an unknown scope is shown
			// to the graduate (the rubric judges it eligible).
			ok := o.Eligibility.Admits("MA") == (c[4] == "MA") && (c[4] == "MA" || o.Eligibility.Known)
			grade("open to Morocco", ok, o.Eligibility)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	fields := make([]string, 0, len(total))
	for k := range total {
		fields = append(fields, k)
	}
	slices.Sort(fields)
	var b strings.Builder
	for _, k := range fields {
		fmt.Fprintf(&b, "%-16s %3d/%-3d %5.1f%%\n", k, right[k], total[k], 100*float64(right[k])/float64(total[k]))
	}
	t.Log("held-out ranking ads, normalizer vs hand readings:\n" + b.String())
	for _, m := range misses {
		t.Log("miss: " + m)
	}
	for _, k := range fields {
		if float64(right[k]) < 0.8*float64(total[k]) {
			t.Errorf("%s: %d of %d read as by hand, floor 80%%", k, right[k], total[k])
		}
	}
}

// heldOutDirs are the held-out ranking folders under testdata/eval.
var heldOutDirs = []string{"heldout", "heldout2", "heldout3"}
