package crawler

import (
	"encoding/json"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// Recruitee careers site API: https://<company>.recruitee.com/api/offers
// ({"offers": [...]}) and one offer (/api/offers/<slug>: {"offer": {...}}).
// remote, hybrid and on_site are explicit flags; salary is
// {min, max, period, currency} with amounts often as strings. Offers whose
// status is not "published" are skipped.

func recruiteeFormat() Format {
	return Format{Name: "recruitee", Detect: detectRecruitee, Parse: parseRecruitee}
}

func detectRecruitee(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.obj == nil {
		return false
	}
	if first := apiFirstIn(t.obj, "offers"); first != nil {
		return recruiteeIsOffer(first)
	}
	return recruiteeIsOffer(apiObject(t.obj["offer"]))
}

func recruiteeIsOffer(m map[string]json.RawMessage) bool {
	return apiHas(m, "careers_url", "title") || apiHas(m, "guid", "slug", "title", "employment_type_code")
}

type recruiteeOffer struct {
	ID                 apiStr  `json:"id"`
	GUID               apiStr  `json:"guid"`
	Slug               apiStr  `json:"slug"`
	Title              apiStr  `json:"title"`
	CompanyName        apiStr  `json:"company_name"`
	Status             apiStr  `json:"status"`
	Description        apiStr  `json:"description"`
	Requirements       apiStr  `json:"requirements"`
	City               apiStr  `json:"city"`
	StateName          apiStr  `json:"state_name"`
	Country            apiStr  `json:"country"`
	CountryCode        apiStr  `json:"country_code"`
	Location           apiStr  `json:"location"`
	Remote             apiBool `json:"remote"`
	Hybrid             apiBool `json:"hybrid"`
	OnSite             apiBool `json:"on_site"`
	CareersURL         apiStr  `json:"careers_url"`
	CareersApplyURL    apiStr  `json:"careers_apply_url"`
	PublishedAt        apiStr  `json:"published_at"`
	CreatedAt          apiStr  `json:"created_at"`
	CloseAt            apiStr  `json:"close_at"`
	EmploymentTypeCode apiStr  `json:"employment_type_code"`
	ExperienceCode     apiStr  `json:"experience_code"`
	EducationCode      apiStr  `json:"education_code"`
	CategoryCode       apiStr  `json:"category_code"`
	Department         apiStr  `json:"department"`
	Tags               apiList `json:"tags"`
	Salary             struct {
		Min      apiNum `json:"min"`
		Max      apiNum `json:"max"`
		Period   apiStr `json:"period"`
		Currency apiStr `json:"currency"`
	} `json:"salary"`
	Locations []struct {
		City        apiStr `json:"city"`
		State       apiStr `json:"state"`
		Country     apiStr `json:"country"`
		CountryCode apiStr `json:"country_code"`
		Name        apiStr `json:"name"`
	} `json:"locations"`
}

func parseRecruitee(doc Document) (ParseResult, error) {
	var env struct {
		Offers []json.RawMessage `json:"offers"`
		Offer  json.RawMessage   `json:"offer"`
	}
	if err := apiUnmarshal(doc, "recruitee", &env); err != nil {
		return ParseResult{}, err
	}
	items := env.Offers
	if items == nil && env.Offer != nil {
		items = []json.RawMessage{env.Offer}
	}
	var res ParseResult
	for i, raw := range items {
		var o recruiteeOffer
		if reason := apiDecodeItem(raw, &o); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		if st := strings.ToLower(o.Status.raw()); st != "" && st != "published" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: "offer status is " + st})
			continue
		}
		apiAdd(&res, i, recruiteePosting(doc, o))
	}
	return res, nil
}

func recruiteePosting(doc Document, o recruiteeOffer) jobs.Posting {
	p := jobs.Posting{
		Source:          apiSource(doc, "recruitee"),
		SourceID:        apiFirst(o.ID.raw(), o.GUID.raw(), o.Slug.raw()),
		URL:             o.CareersURL.raw(),
		ApplyURL:        o.CareersApplyURL.raw(),
		Title:           o.Title.text(),
		Company:         apiFirst(o.CompanyName.text(), apiCompany(doc)),
		DescriptionHTML: apiJoinHTML([2]string{"", o.Description.raw()}, [2]string{"Requirements", o.Requirements.raw()}),
		LocationTexts:   apiTexts(string(o.Location)),
		EmploymentTexts: apiTexts(string(o.EmploymentTypeCode)),
		SeniorityTexts:  apiTexts(string(o.ExperienceCode)),
		Salary:          apiSalary(o.Salary.Min, o.Salary.Max, string(o.Salary.Currency), string(o.Salary.Period)),
		Tags:            apiTexts(append([]string{string(o.Department), string(o.CategoryCode)}, o.Tags...)...),
		PostedAt:        apiFirst(o.PublishedAt.raw(), o.CreatedAt.raw()),
		ValidThrough:    o.CloseAt.raw(),
	}
	for _, l := range o.Locations {
		loc, ok := apiLocation(string(l.City), string(l.State), apiFirst(l.CountryCode.raw(), l.Country.raw()))
		apiAddLocation(&p, loc, ok)
		p.LocationTexts = apiTexts(append(p.LocationTexts, string(l.Name))...)
	}
	if len(p.Locations) == 0 {
		loc, ok := apiLocation(string(o.City), string(o.StateName), apiFirst(o.CountryCode.raw(), o.Country.raw()))
		apiAddLocation(&p, loc, ok)
	}
	switch {
	case o.Remote.OK && o.Remote.V:
		p.Remote = o.Remote.ptr()
	case o.Hybrid.OK && o.Hybrid.V:
		p.WorkplaceTexts = []string{"hybrid"}
	case o.OnSite.OK && o.OnSite.V:
		f := false
		p.Remote = &f
	}
	if o.Remote.V && o.Hybrid.V {
		p.WorkplaceTexts = []string{"hybrid"}
	}
	apiRaw(&p, "education", o.EducationCode.raw())
	apiRaw(&p, "slug", o.Slug.raw())
	return p
}
