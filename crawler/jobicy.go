package crawler

import (
	"encoding/json"

	"github.com/passerelle/passerelle/jobs"
)

// Jobicy: https://jobicy.com/api/v2/remote-jobs. An object with "jobs" and
// notice members (apiVersion, friendlyNotice, jobCount). Jobs are remote;
// jobGeo says where the applicant may live. Salaries come as
// annualSalaryMin/annualSalaryMax (older answers) or salaryMin/salaryMax
// with salaryPeriod, in salaryCurrency.

func jobicyFormat() Format {
	return Format{Name: "jobicy", Detect: detectJobicy, Parse: parseJobicy}
}

func detectJobicy(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.obj == nil {
		return false
	}
	first := apiFirstIn(t.obj, "jobs")
	if first == nil {
		return apiHas(t.obj, "friendlyNotice", "jobCount")
	}
	return apiHasAny(first, "jobGeo", "jobSlug") || apiHas(first, "jobTitle", "jobDescription")
}

type jobicyJob struct {
	ID              apiStr  `json:"id"`
	URL             apiStr  `json:"url"`
	JobSlug         apiStr  `json:"jobSlug"`
	JobTitle        apiStr  `json:"jobTitle"`
	CompanyName     apiStr  `json:"companyName"`
	JobIndustry     apiList `json:"jobIndustry"`
	JobType         apiList `json:"jobType"`
	JobGeo          apiStr  `json:"jobGeo"`
	JobLevel        apiList `json:"jobLevel"`
	JobExcerpt      apiStr  `json:"jobExcerpt"`
	JobDescription  apiStr  `json:"jobDescription"`
	PubDate         apiStr  `json:"pubDate"`
	AnnualSalaryMin apiNum  `json:"annualSalaryMin"`
	AnnualSalaryMax apiNum  `json:"annualSalaryMax"`
	SalaryMin       apiNum  `json:"salaryMin"`
	SalaryMax       apiNum  `json:"salaryMax"`
	SalaryCurrency  apiStr  `json:"salaryCurrency"`
	SalaryPeriod    apiStr  `json:"salaryPeriod"`
}

func parseJobicy(doc Document) (ParseResult, error) {
	var env struct {
		Jobs []json.RawMessage `json:"jobs"`
	}
	if err := apiUnmarshal(doc, "jobicy", &env); err != nil {
		return ParseResult{}, err
	}
	var res ParseResult
	for i, raw := range env.Jobs {
		var j jobicyJob
		if reason := apiDecodeItem(raw, &j); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		remote := true
		p := jobs.Posting{
			Source:           apiSource(doc, "jobicy"),
			SourceID:         j.ID.raw(),
			URL:              j.URL.raw(),
			Title:            j.JobTitle.text(),
			Company:          j.CompanyName.text(),
			DescriptionHTML:  j.JobDescription.raw(),
			Remote:           &remote,
			EligibilityTexts: apiTexts(string(j.JobGeo)),
			EmploymentTexts:  apiTexts(j.JobType...),
			SeniorityTexts:   apiTexts(j.JobLevel...),
			Tags:             apiTexts(j.JobIndustry...),
			PostedAt:         j.PubDate.raw(),
		}
		if p.DescriptionHTML == "" {
			p.DescriptionHTML = j.JobExcerpt.raw()
		}
		p.Salary = apiSalary(j.SalaryMin, j.SalaryMax, string(j.SalaryCurrency), string(j.SalaryPeriod))
		if p.Salary == nil {
			p.Salary = apiSalary(j.AnnualSalaryMin, j.AnnualSalaryMax, string(j.SalaryCurrency), "year")
		}
		apiRaw(&p, "slug", j.JobSlug.raw())
		apiAdd(&res, i, p)
	}
	return res, nil
}
