package crawler

import (
	"encoding/json"
	"net/url"

	"github.com/passerelle/passerelle/jobs"
)

// SmartRecruiters posting API: the list
// (api.smartrecruiters.com/v1/companies/<id>/postings: {"offset", "limit",
// "totalFound", "content": [...]}) and one posting's detail (the same
// fields plus jobAd.sections with the HTML description, postingUrl and
// applyUrl). location.remote and location.hybrid are explicit flags.

func smartrecruitersFormat() Format {
	return Format{Name: "smartrecruiters", Detect: detectSmartRecruiters, Parse: parseSmartRecruiters}
}

func detectSmartRecruiters(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.obj == nil {
		return false
	}
	if list, ok := apiArray(t.obj["content"]); ok {
		first := apiFirstObject(list)
		if first == nil {
			return apiHas(t.obj, "totalFound", "offset", "limit")
		}
		return apiHas(first, "releasedDate", "name") || apiHas(first, "ref", "company", "name")
	}
	if apiHas(t.obj, "jobAd") {
		return apiHas(apiObject(t.obj["jobAd"]), "sections")
	}
	return false
}

type smartrecruitersLabel struct {
	ID    apiStr `json:"id"`
	Label apiStr `json:"label"`
}

type smartrecruitersPosting struct {
	ID          apiStr `json:"id"`
	UUID        apiStr `json:"uuid"`
	Name        apiStr `json:"name"`
	RefNumber   apiStr `json:"refNumber"`
	Ref         apiStr `json:"ref"`
	PostingURL  apiStr `json:"postingUrl"`
	ApplyURL    apiStr `json:"applyUrl"`
	ReleaseDate apiStr `json:"releasedDate"`
	Company     struct {
		Identifier apiStr `json:"identifier"`
		Name       apiStr `json:"name"`
	} `json:"company"`
	Location struct {
		City         apiStr  `json:"city"`
		Region       apiStr  `json:"region"`
		Country      apiStr  `json:"country"`
		FullLocation apiStr  `json:"fullLocation"`
		Remote       apiBool `json:"remote"`
		Hybrid       apiBool `json:"hybrid"`
	} `json:"location"`
	Industry         smartrecruitersLabel `json:"industry"`
	Department       smartrecruitersLabel `json:"department"`
	Function         smartrecruitersLabel `json:"function"`
	TypeOfEmployment smartrecruitersLabel `json:"typeOfEmployment"`
	ExperienceLevel  smartrecruitersLabel `json:"experienceLevel"`
	Language         struct {
		Code apiStr `json:"code"`
	} `json:"language"`
	JobAd struct {
		Sections map[string]struct {
			Title apiStr `json:"title"`
			Text  apiStr `json:"text"`
		} `json:"sections"`
	} `json:"jobAd"`
}

// smartrecruitersSections is the order of a job ad's sections.
var smartrecruitersSections = []string{"companyDescription", "jobDescription", "qualifications", "additionalInformation"}

func parseSmartRecruiters(doc Document) (ParseResult, error) {
	var env struct {
		Content []json.RawMessage `json:"content"`
	}
	if err := apiUnmarshal(doc, "smartrecruiters", &env); err != nil {
		return ParseResult{}, err
	}
	items := env.Content
	if items == nil {
		body, err := apiBody(doc, "smartrecruiters")
		if err != nil {
			return ParseResult{}, err
		}
		items = []json.RawMessage{body} // one posting's detail
	}
	var res ParseResult
	for i, raw := range items {
		var j smartrecruitersPosting
		if reason := apiDecodeItem(raw, &j); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		apiAdd(&res, i, smartrecruitersToPosting(doc, j))
	}
	return res, nil
}

func smartrecruitersToPosting(doc Document, j smartrecruitersPosting) jobs.Posting {
	id := j.ID.raw()
	p := jobs.Posting{
		Source:          apiSource(doc, "smartrecruiters"),
		SourceID:        id,
		URL:             j.PostingURL.raw(),
		ApplyURL:        j.ApplyURL.raw(),
		Title:           j.Name.text(),
		Company:         apiFirst(j.Company.Name.text(), apiCompany(doc)),
		EmploymentTexts: apiTexts(string(j.TypeOfEmployment.Label), string(j.TypeOfEmployment.ID)),
		SeniorityTexts:  apiTexts(string(j.ExperienceLevel.Label), string(j.ExperienceLevel.ID)),
		Tags:            apiTexts(string(j.Department.Label), string(j.Function.Label), string(j.Industry.Label)),
		PostedAt:        j.ReleaseDate.raw(),
	}
	if ident := j.Company.Identifier.raw(); p.URL == "" && ident != "" && id != "" {
		// The public job page of a posting listed without postingUrl.
		p.URL = "https://jobs.smartrecruiters.com/" + url.PathEscape(ident) + "/" + url.PathEscape(id)
	}
	loc := j.Location
	l, ok := apiLocation(string(loc.City), string(loc.Region), string(loc.Country))
	apiAddLocation(&p, l, ok)
	switch {
	case loc.Remote.OK && loc.Remote.V:
		p.Remote = loc.Remote.ptr()
	case loc.Hybrid.OK && loc.Hybrid.V:
		p.WorkplaceTexts = []string{"hybrid"}
	case loc.Remote.OK:
		p.Remote = loc.Remote.ptr()
	}
	var parts [][2]string
	for _, key := range smartrecruitersSections {
		if s, ok := j.JobAd.Sections[key]; ok {
			parts = append(parts, [2]string{s.Title.raw(), s.Text.raw()})
		}
	}
	p.DescriptionHTML = apiJoinHTML(parts...)
	apiRaw(&p, "location_text", loc.FullLocation.text())
	apiRaw(&p, "ref", j.Ref.raw())
	apiRaw(&p, "ref_number", j.RefNumber.raw())
	apiRaw(&p, "language", j.Language.Code.raw())
	return p
}
