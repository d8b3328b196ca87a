package crawler

import (
	"encoding/json"

	"github.com/passerelle/passerelle/jobs"
)

// Arbeitnow: https://www.arbeitnow.com/api/job-board-api. An object with
// "data" (the jobs) and "links"/"meta" for paging. Each job states remote
// as a boolean; created_at is epoch seconds.

func arbeitnowFormat() Format {
	return Format{Name: "arbeitnow", Detect: detectArbeitnow, Parse: parseArbeitnow}
}

func detectArbeitnow(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.obj == nil {
		return false
	}
	first := apiFirstIn(t.obj, "data")
	return apiHas(first, "slug", "company_name", "job_types") ||
		apiHas(first, "slug", "company_name", "remote", "created_at")
}

type arbeitnowJob struct {
	Slug        apiStr  `json:"slug"`
	CompanyName apiStr  `json:"company_name"`
	Title       apiStr  `json:"title"`
	Description apiStr  `json:"description"`
	Remote      apiBool `json:"remote"`
	URL         apiStr  `json:"url"`
	Tags        apiList `json:"tags"`
	JobTypes    apiList `json:"job_types"`
	Location    apiStr  `json:"location"`
	CreatedAt   apiStr  `json:"created_at"`
}

func parseArbeitnow(doc Document) (ParseResult, error) {
	var env struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := apiUnmarshal(doc, "arbeitnow", &env); err != nil {
		return ParseResult{}, err
	}
	var res ParseResult
	for i, raw := range env.Data {
		var j arbeitnowJob
		if reason := apiDecodeItem(raw, &j); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		p := jobs.Posting{
			Source:          apiSource(doc, "arbeitnow"),
			SourceID:        j.Slug.raw(),
			URL:             j.URL.raw(),
			Title:           j.Title.text(),
			Company:         j.CompanyName.text(),
			DescriptionHTML: j.Description.raw(),
			LocationTexts:   apiTexts(string(j.Location)),
			Remote:          j.Remote.ptr(),
			EmploymentTexts: apiTexts(j.JobTypes...),
			Tags:            apiTexts(j.Tags...),
			PostedAt:        j.CreatedAt.raw(),
		}
		apiAdd(&res, i, p)
	}
	return res, nil
}
