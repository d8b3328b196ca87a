package crawler

import (
	"encoding/json"

	"github.com/passerelle/passerelle/jobs"
)

// Remote OK: https://remoteok.com/api. A top-level array whose first
// element is a legal notice ({"legal": ..., "last_updated": ...}), then the
// jobs. Every job is listed as remote; salary_min/salary_max are yearly USD
// amounts, 0 when not stated.

func remoteokFormat() Format {
	return Format{Name: "remoteok", Detect: detectRemoteOK, Parse: parseRemoteOK}
}

func detectRemoteOK(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.arr == nil {
		return false
	}
	first := apiFirstObject(t.arr)
	if first == nil {
		return false
	}
	if apiHas(first, "legal") && !apiHas(first, "position") {
		return true
	}
	// Without the notice (a trimmed copy), the job shape itself.
	return apiHas(first, "position", "epoch", "slug")
}

type remoteokJob struct {
	Legal       apiStr  `json:"legal"`
	ID          apiStr  `json:"id"`
	Slug        apiStr  `json:"slug"`
	Epoch       apiStr  `json:"epoch"`
	Date        apiStr  `json:"date"`
	Company     apiStr  `json:"company"`
	Position    apiStr  `json:"position"`
	Tags        apiList `json:"tags"`
	Description apiStr  `json:"description"`
	Location    apiStr  `json:"location"`
	ApplyURL    apiStr  `json:"apply_url"`
	URL         apiStr  `json:"url"`
	SalaryMin   apiNum  `json:"salary_min"`
	SalaryMax   apiNum  `json:"salary_max"`
}

func parseRemoteOK(doc Document) (ParseResult, error) {
	var items []json.RawMessage
	if err := apiUnmarshal(doc, "remoteok", &items); err != nil {
		return ParseResult{}, err
	}
	var res ParseResult
	for i, raw := range items {
		var j remoteokJob
		if reason := apiDecodeItem(raw, &j); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		if j.Legal != "" && j.Position == "" {
			continue // the legal notice, not a job
		}
		remote := true
		p := jobs.Posting{
			Source:          apiSource(doc, "remoteok"),
			SourceID:        j.ID.raw(),
			URL:             j.URL.raw(),
			ApplyURL:        j.ApplyURL.raw(),
			Title:           j.Position.text(),
			Company:         j.Company.text(),
			DescriptionHTML: j.Description.raw(),
			LocationTexts:   apiTexts(string(j.Location)),
			Remote:          &remote,
			Salary:          apiSalary(j.SalaryMin, j.SalaryMax, "USD", "year"),
			Tags:            apiTexts(j.Tags...),
			PostedAt:        apiFirst(j.Date.raw(), j.Epoch.raw()),
		}
		apiRaw(&p, "slug", j.Slug.raw())
		apiAdd(&res, i, p)
	}
	return res, nil
}
