package crawler

import (
	"encoding/json"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// Working Nomads: https://www.workingnomads.com/api/exposed_jobs/. A
// top-level array of jobs; every job is remote and "location" says where
// the applicant may be ("Canada", "Global", "Japan - Remote"). "tags" is
// one comma-separated string.

func workingnomadsFormat() Format {
	return Format{Name: "workingnomads", Detect: detectWorkingNomads, Parse: parseWorkingNomads}
}

func detectWorkingNomads(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.arr == nil {
		return false
	}
	return apiHas(apiFirstObject(t.arr), "category_name", "pub_date", "title")
}

type workingnomadsJob struct {
	URL          apiStr `json:"url"`
	Title        apiStr `json:"title"`
	Description  apiStr `json:"description"`
	CompanyName  apiStr `json:"company_name"`
	CategoryName apiStr `json:"category_name"`
	Tags         apiStr `json:"tags"`
	Location     apiStr `json:"location"`
	PubDate      apiStr `json:"pub_date"`
}

func parseWorkingNomads(doc Document) (ParseResult, error) {
	var items []json.RawMessage
	if err := apiUnmarshal(doc, "workingnomads", &items); err != nil {
		return ParseResult{}, err
	}
	var res ParseResult
	for i, raw := range items {
		var j workingnomadsJob
		if reason := apiDecodeItem(raw, &j); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		remote := true
		p := jobs.Posting{
			Source:           apiSource(doc, "workingnomads"),
			URL:              j.URL.raw(),
			Title:            j.Title.text(),
			Company:          j.CompanyName.text(),
			DescriptionHTML:  j.Description.raw(),
			Remote:           &remote,
			EligibilityTexts: apiTexts(string(j.Location)),
			Tags:             apiTexts(append([]string{string(j.CategoryName)}, strings.Split(string(j.Tags), ",")...)...),
			PostedAt:         j.PubDate.raw(),
		}
		apiAdd(&res, i, p)
	}
	return res, nil
}
