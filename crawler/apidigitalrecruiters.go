package crawler

import (
	"encoding/json"

	"github.com/passerelle/passerelle/jobs"
)

// Digital Recruiters career site API (used by French employers, e.g.
// Decathlon): {"count", "version", "ads": [...]}. Each ad has a reference,
// HTML description and profile, contract_type and contract_work_period in
// French, a salary with "kind" (Horaire, Mensuel, Annuel) and a structured
// address.

func digitalrecruitersFormat() Format {
	return Format{Name: "digitalrecruiters", Detect: detectDigitalRecruiters, Parse: parseDigitalRecruiters}
}

func detectDigitalRecruiters(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.obj == nil {
		return false
	}
	first := apiFirstIn(t.obj, "ads")
	return apiHas(first, "reference", "title") && apiHasAny(first, "contract_type", "apply_url")
}

type digitalrecruitersAd struct {
	Reference          apiStr  `json:"reference"`
	Locale             apiStr  `json:"locale"`
	PublishedAt        apiStr  `json:"published_at"`
	Title              apiStr  `json:"title"`
	Description        apiStr  `json:"description"`
	Profile            apiStr  `json:"profile"`
	ContractType       apiStr  `json:"contract_type"`
	ContractWorkPeriod apiStr  `json:"contract_work_period"`
	Service            apiStr  `json:"service"`
	ExperienceLevel    apiStr  `json:"experience_level"`
	EducationLevel     apiStr  `json:"education_level"`
	Skills             apiList `json:"skills"`
	ApplyURL           apiStr  `json:"apply_url"`
	URL                apiStr  `json:"url"`
	Salary             struct {
		Min      apiNum `json:"min"`
		Max      apiNum `json:"max"`
		Kind     apiStr `json:"kind"`
		Currency apiStr `json:"currency"`
	} `json:"salary"`
	Address struct {
		Parts struct {
			City    apiStr `json:"city"`
			State   apiStr `json:"state"`
			Country apiStr `json:"country"`
		} `json:"parts"`
		Formatted apiStr `json:"formatted"`
	} `json:"address"`
	Brand struct {
		Name apiStr `json:"name"`
	} `json:"brand"`
}

func parseDigitalRecruiters(doc Document) (ParseResult, error) {
	var env struct {
		Ads []json.RawMessage `json:"ads"`
	}
	if err := apiUnmarshal(doc, "digitalrecruiters", &env); err != nil {
		return ParseResult{}, err
	}
	var res ParseResult
	for i, raw := range env.Ads {
		var a digitalrecruitersAd
		if reason := apiDecodeItem(raw, &a); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		p := jobs.Posting{
			Source:          apiSource(doc, "digitalrecruiters"),
			SourceID:        a.Reference.raw(),
			URL:             apiFirst(a.URL.raw(), a.ApplyURL.raw()),
			ApplyURL:        a.ApplyURL.raw(),
			Title:           a.Title.text(),
			Company:         apiFirst(a.Brand.Name.text(), apiCompany(doc)),
			DescriptionHTML: apiJoinHTML([2]string{"", a.Description.raw()}, [2]string{"Profil", a.Profile.raw()}),
			EmploymentTexts: apiTexts(string(a.ContractType), string(a.ContractWorkPeriod)),
			SeniorityTexts:  apiTexts(string(a.ExperienceLevel)),
			Salary:          apiSalary(a.Salary.Min, a.Salary.Max, string(a.Salary.Currency), string(a.Salary.Kind)),
			Tags:            apiTexts(append([]string{string(a.Service)}, a.Skills...)...),
			PostedAt:        a.PublishedAt.raw(),
		}
		parts := a.Address.Parts
		loc, ok := apiLocation(string(parts.City), string(parts.State), string(parts.Country))
		apiAddLocation(&p, loc, ok)
		if !ok {
			p.LocationTexts = apiTexts(string(a.Address.Formatted))
		}
		apiRaw(&p, "education", a.EducationLevel.text())
		apiRaw(&p, "locale", a.Locale.raw())
		apiAdd(&res, i, p)
	}
	return res, nil
}
