package crawler

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// Ashby job board API: https://api.ashbyhq.com/posting-api/job-board/<board>?includeCompensation=true.
// An object with "jobs" (and "apiVersion"). Each job has a primary
// location, secondaryLocations, structured addresses, isRemote and the more
// precise workplaceType, and with includeCompensation a compensation block.
// Ashby never names the employer: the configured company, else the board
// token from jobUrl, is used.

func ashbyFormat() Format {
	return Format{Name: "ashby", Detect: detectAshby, Parse: parseAshby}
}

func detectAshby(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.obj == nil {
		return false
	}
	first := apiFirstIn(t.obj, "jobs")
	return apiHas(first, "jobUrl", "title") ||
		apiHas(first, "title", "isRemote", "secondaryLocations")
}

type ashbyAddress struct {
	PostalAddress struct {
		Locality apiStr `json:"addressLocality"`
		Region   apiStr `json:"addressRegion"`
		Country  apiStr `json:"addressCountry"`
	} `json:"postalAddress"`
}

func (a ashbyAddress) location() (jobs.Location, bool) {
	pa := a.PostalAddress
	return apiLocation(string(pa.Locality), string(pa.Region), string(pa.Country))
}

type ashbyCompComponent struct {
	CompensationType apiStr `json:"compensationType"`
	Interval         apiStr `json:"interval"`
	CurrencyCode     apiStr `json:"currencyCode"`
	MinValue         apiNum `json:"minValue"`
	MaxValue         apiNum `json:"maxValue"`
}

type ashbyJob struct {
	ID                 apiStr       `json:"id"`
	Title              apiStr       `json:"title"`
	Department         apiStr       `json:"department"`
	Team               apiStr       `json:"team"`
	EmploymentType     apiStr       `json:"employmentType"`
	Location           apiStr       `json:"location"`
	Address            ashbyAddress `json:"address"`
	SecondaryLocations []struct {
		Location apiStr       `json:"location"`
		Address  ashbyAddress `json:"address"`
	} `json:"secondaryLocations"`
	PublishedAt      apiStr  `json:"publishedAt"`
	IsListed         apiBool `json:"isListed"`
	IsRemote         apiBool `json:"isRemote"`
	WorkplaceType    apiStr  `json:"workplaceType"`
	JobURL           apiStr  `json:"jobUrl"`
	ApplyURL         apiStr  `json:"applyUrl"`
	DescriptionHTML  apiStr  `json:"descriptionHtml"`
	DescriptionPlain apiStr  `json:"descriptionPlain"`
	Compensation     struct {
		TierSummary       apiStr               `json:"compensationTierSummary"`
		ScrapeableSummary apiStr               `json:"scrapeableCompensationSalarySummary"`
		SummaryComponents []ashbyCompComponent `json:"summaryComponents"`
		Tiers             []struct {
			Components []ashbyCompComponent `json:"components"`
		} `json:"compensationTiers"`
	} `json:"compensation"`
}

func parseAshby(doc Document) (ParseResult, error) {
	var env struct {
		Jobs []json.RawMessage `json:"jobs"`
	}
	if err := apiUnmarshal(doc, "ashby", &env); err != nil {
		return ParseResult{}, err
	}
	var res ParseResult
	for i, raw := range env.Jobs {
		var j ashbyJob
		if reason := apiDecodeItem(raw, &j); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		if j.IsListed.OK && !j.IsListed.V {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: "job is not listed"})
			continue
		}
		apiAdd(&res, i, ashbyPosting(doc, j))
	}
	return res, nil
}

func ashbyPosting(doc Document, j ashbyJob) jobs.Posting {
	url := j.JobURL.raw()
	p := jobs.Posting{
		Source:          apiSource(doc, "ashby"),
		SourceID:        j.ID.raw(),
		URL:             url,
		ApplyURL:        j.ApplyURL.raw(),
		Title:           j.Title.text(),
		Company:         apiFirst(apiCompany(doc), apiPathSegment(url, "ashbyhq.com", 0)),
		DescriptionHTML: j.DescriptionHTML.raw(),
		EmploymentTexts: apiTexts(string(j.EmploymentType)),
		Tags:            apiTexts(string(j.Department), string(j.Team)),
		PostedAt:        j.PublishedAt.raw(),
	}
	if p.DescriptionHTML == "" {
		p.Description = j.DescriptionPlain.raw()
	}
	texts := []string{string(j.Location)}
	l, ok := j.Address.location()
	apiAddLocation(&p, l, ok)
	for _, s := range j.SecondaryLocations {
		texts = append(texts, string(s.Location))
		l, ok := s.Address.location()
		apiAddLocation(&p, l, ok)
	}
	p.LocationTexts = apiTexts(texts...)
	// workplaceType is the precise statement; isRemote is also true for
	// hybrid jobs on many boards, so it only counts when workplaceType is
	// absent.
	if !apiWorkplace(&p, string(j.WorkplaceType)) {
		p.Remote = j.IsRemote.ptr()
	} else if j.IsRemote.OK {
		apiRaw(&p, "is_remote", strconv.FormatBool(j.IsRemote.V))
	}
	comps := j.Compensation.SummaryComponents
	for _, t := range j.Compensation.Tiers {
		comps = append(comps, t.Components...)
	}
	for _, c := range comps {
		if t := strings.ToLower(c.CompensationType.raw()); t != "" && t != "salary" {
			continue // equity, bonus, commission
		}
		if s := apiSalary(c.MinValue, c.MaxValue, string(c.CurrencyCode), string(c.Interval)); s != nil {
			p.Salary = s
			break
		}
	}
	if p.Salary == nil {
		p.SalaryText = apiFirst(j.Compensation.ScrapeableSummary.text(), j.Compensation.TierSummary.text())
	}
	return p
}
