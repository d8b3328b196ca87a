package crawler

import (
	"encoding/json"

	"github.com/passerelle/passerelle/jobs"
)

// Remotive: https://remotive.com/api/remote-jobs. An object with "jobs"
// and, in some answers, notice members ("00-warning", "0-legal-notice",
// "job-count"). Every job on Remotive is remote; candidate_required_location
// says where the applicant may live.

func remotiveFormat() Format {
	return Format{Name: "remotive", Detect: detectRemotive, Parse: parseRemotive}
}

func detectRemotive(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.obj == nil {
		return false
	}
	list, ok := apiArray(t.obj["jobs"])
	if !ok {
		return false
	}
	first := apiFirstObject(list)
	if first == nil {
		// An empty answer still carries Remotive's own envelope.
		return apiHas(t.obj, "job-count", "0-legal-notice")
	}
	return apiHas(first, "candidate_required_location") ||
		(apiHas(t.obj, "job-count") && apiHas(first, "publication_date", "company_name"))
}

type remotiveJob struct {
	ID                        apiStr  `json:"id"`
	URL                       apiStr  `json:"url"`
	Title                     apiStr  `json:"title"`
	CompanyName               apiStr  `json:"company_name"`
	Category                  apiStr  `json:"category"`
	Tags                      apiList `json:"tags"`
	JobType                   apiStr  `json:"job_type"`
	PublicationDate           apiStr  `json:"publication_date"`
	CandidateRequiredLocation apiStr  `json:"candidate_required_location"`
	Salary                    apiStr  `json:"salary"`
	Description               apiStr  `json:"description"`
}

func parseRemotive(doc Document) (ParseResult, error) {
	var env struct {
		Jobs []json.RawMessage `json:"jobs"`
	}
	if err := apiUnmarshal(doc, "remotive", &env); err != nil {
		return ParseResult{}, err
	}
	var res ParseResult
	remote := true
	for i, raw := range env.Jobs {
		var j remotiveJob
		if reason := apiDecodeItem(raw, &j); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		r := remote
		p := jobs.Posting{
			Source:           apiSource(doc, "remotive"),
			SourceID:         j.ID.raw(),
			URL:              j.URL.raw(),
			Title:            j.Title.text(),
			Company:          j.CompanyName.text(),
			DescriptionHTML:  j.Description.raw(),
			Remote:           &r,
			EligibilityTexts: apiTexts(string(j.CandidateRequiredLocation)),
			EmploymentTexts:  apiTexts(string(j.JobType)),
			SalaryText:       j.Salary.text(),
			Tags:             apiTexts(append([]string{string(j.Category)}, j.Tags...)...),
			PostedAt:         j.PublicationDate.raw(),
		}
		apiAdd(&res, i, p)
	}
	return res, nil
}
