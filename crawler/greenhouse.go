package crawler

import (
	"encoding/json"
	"html"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// Greenhouse job board API: https://boards-api.greenhouse.io/v1/boards/<token>/jobs?content=true
// ({"jobs": [...], "meta": {...}}) and one job (/jobs/<id>, or the 2013
// /embed/job answer). "content" is HTML that is itself HTML-escaped
// ("&lt;p&gt;..."): it is unescaped once. location.name is free text
// ("Remote, Italy", "London, UK").

func greenhouseFormat() Format {
	return Format{Name: "greenhouse", Detect: detectGreenhouse, Parse: parseGreenhouse}
}

func detectGreenhouse(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.obj == nil {
		return false
	}
	if first := apiFirstIn(t.obj, "jobs"); first != nil {
		return apiHas(first, "absolute_url", "title")
	}
	return greenhouseIsJob(t.obj)
}

// greenhouseIsJob recognises a single job object.
func greenhouseIsJob(m map[string]json.RawMessage) bool {
	return apiHas(m, "absolute_url", "title", "id") && apiHasAny(m, "content", "location", "internal_job_id", "updated_at")
}

type greenhouseJob struct {
	ID             apiStr `json:"id"`
	InternalJobID  apiStr `json:"internal_job_id"`
	Title          apiStr `json:"title"`
	CompanyName    apiStr `json:"company_name"`
	AbsoluteURL    apiStr `json:"absolute_url"`
	Content        apiStr `json:"content"`
	Language       apiStr `json:"language"`
	UpdatedAt      apiStr `json:"updated_at"`
	FirstPublished apiStr `json:"first_published"`
	Deadline       apiStr `json:"application_deadline"`
	RequisitionID  apiStr `json:"requisition_id"`
	Location       struct {
		Name apiStr `json:"name"`
	} `json:"location"`
	Metadata []struct {
		Name  apiStr  `json:"name"`
		Value apiList `json:"value"`
	} `json:"metadata"`
	Departments apiList `json:"departments"`
	Offices     apiList `json:"offices"`
	PayRanges   []struct {
		MinCents apiNum `json:"min_cents"`
		MaxCents apiNum `json:"max_cents"`
		Currency apiStr `json:"currency_type"`
		Title    apiStr `json:"title"`
	} `json:"pay_input_ranges"`
}

func parseGreenhouse(doc Document) (ParseResult, error) {
	var env struct {
		Jobs []json.RawMessage `json:"jobs"`
	}
	if err := apiUnmarshal(doc, "greenhouse", &env); err != nil {
		return ParseResult{}, err
	}
	items := env.Jobs
	if items == nil {
		// One job rather than a list.
		body, err := apiBody(doc, "greenhouse")
		if err != nil {
			return ParseResult{}, err
		}
		items = []json.RawMessage{body}
	}
	var res ParseResult
	for i, raw := range items {
		var j greenhouseJob
		if reason := apiDecodeItem(raw, &j); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		apiAdd(&res, i, greenhousePosting(doc, j))
	}
	return res, nil
}

func greenhousePosting(doc Document, j greenhouseJob) jobs.Posting {
	url := j.AbsoluteURL.raw()
	p := jobs.Posting{
		Source:          apiSource(doc, "greenhouse"),
		SourceID:        j.ID.raw(),
		URL:             url,
		Title:           j.Title.text(),
		Company:         apiFirst(j.CompanyName.text(), apiCompany(doc), apiPathSegment(url, "greenhouse.io", 0)),
		DescriptionHTML: greenhouseContent(string(j.Content)),
		LocationTexts:   apiTexts(string(j.Location.Name)),
		Tags:            apiTexts(j.Departments...),
		PostedAt:        apiFirst(j.FirstPublished.raw(), j.UpdatedAt.raw()),
		ValidThrough:    j.Deadline.raw(),
	}
	for _, m := range j.Metadata {
		greenhouseMetadata(&p, m.Name.text(), m.Value)
	}
	for _, r := range j.PayRanges {
		lo, hi := r.MinCents, r.MaxCents
		lo.V, hi.V = lo.V/100, hi.V/100
		if s := apiSalary(lo, hi, string(r.Currency), ""); s != nil {
			p.Salary = s
			break
		}
	}
	apiRaw(&p, "offices", strings.Join(apiTexts(j.Offices...), "; "))
	apiRaw(&p, "language", j.Language.raw())
	apiRaw(&p, "requisition_id", j.RequisitionID.raw())
	apiRaw(&p, "updated_at", j.UpdatedAt.raw())
	return p
}

// greenhouseContent unescapes content once when it arrives HTML-escaped
// (no raw tag in it), as the boards API serves it.
func greenhouseContent(s string) string {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '<') < 0 && strings.Contains(s, "&lt;") {
		return html.UnescapeString(s)
	}
	return s
}

// greenhouseMetadata places a custom field by its name: boards expose
// employment type, seniority, workplace or salary as free metadata.
func greenhouseMetadata(p *jobs.Posting, name string, values apiList) {
	vals := apiTexts(values...)
	if name == "" || len(vals) == 0 {
		return
	}
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "employment") || strings.Contains(n, "job type") ||
		strings.Contains(n, "contract") || strings.Contains(n, "commitment"):
		p.EmploymentTexts = apiTexts(append(p.EmploymentTexts, vals...)...)
	case strings.Contains(n, "seniority") || strings.Contains(n, "experience") || strings.Contains(n, "level"):
		p.SeniorityTexts = apiTexts(append(p.SeniorityTexts, vals...)...)
	case strings.Contains(n, "remote") || strings.Contains(n, "workplace") || strings.Contains(n, "location type"):
		p.WorkplaceTexts = apiTexts(append(p.WorkplaceTexts, vals...)...)
	case strings.Contains(n, "salary") || strings.Contains(n, "compensation") || strings.Contains(n, "pay range"):
		if p.SalaryText == "" {
			p.SalaryText = strings.Join(vals, " ")
		}
	default:
		apiRaw(p, "metadata."+name, strings.Join(vals, "; "))
	}
}
