package jobs

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// BenchmarkNormalizeAds normalizes the matcher's development ads (84
// realistic fr/en ads written by us) and the signal set: the A/B figure
// for extraction throughput (run it on two checkouts in the same session).
func BenchmarkNormalizeAds(b *testing.B) {
	b.Run("eval_ads", func(b *testing.B) { benchAds(b, "../matcher/testdata/eval/ads.jsonl") })
	b.Run("signal_ads", func(b *testing.B) { benchAds(b, "testdata/signals/dev.jsonl", "testdata/signals/heldout.jsonl") })
}

func benchAds(b *testing.B, paths ...string) {
	var ps []Posting
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
		for sc.Scan() {
			var a struct {
				Key, ID, Title, Company, Description string
				LocationTexts                        []string `json:"location_texts"`
				WorkplaceTexts                       []string `json:"workplace_texts"`
				EmploymentTexts                      []string `json:"employment_texts"`
				SeniorityTexts                       []string `json:"seniority_texts"`
				EligibilityTexts                     []string `json:"eligibility_texts"`
				Remote                               *bool
			}
			if json.Unmarshal(sc.Bytes(), &a) != nil || a.Title == "" {
				continue
			}
			ps = append(ps, Posting{Source: "bench", SourceID: a.Key + a.ID, Title: a.Title, Company: a.Company,
				Description: a.Description, LocationTexts: a.LocationTexts, WorkplaceTexts: a.WorkplaceTexts,
				EmploymentTexts: a.EmploymentTexts, SeniorityTexts: a.SeniorityTexts, EligibilityTexts: a.EligibilityTexts, Remote: a.Remote})
		}
		f.Close()
	}
	if len(ps) == 0 {
		b.Skip("no ads")
	}
	n := Normalizer{Now: fixedNow}
	b.ResetTimer()
	for b.Loop() {
		for _, p := range ps {
			if _, err := n.Normalize(p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(ps)), "ads/op")
}
