package crawler

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// Cegid Talentsoft offers API (/api/V2/offers, used by French employers,
// e.g. France Travail): a top-level array of offers, or {"data": [...]}.
// Referential values (contract type, salary range, country, region,
// department) are {code, clientCode, label} objects; the labels are read.

func talentsoftFormat() Format {
	return Format{Name: "talentsoft", Detect: detectTalentsoft, Parse: parseTalentsoft}
}

func detectTalentsoft(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok {
		return false
	}
	first := apiFirstObject(t.arr)
	if t.obj != nil {
		first = apiFirstIn(t.obj, "data")
	}
	return apiHas(first, "reference", "title", "offerUrl") ||
		apiHas(first, "reference", "title", "organisationName", "contractType")
}

type talentsoftOffer struct {
	Reference             apiStr  `json:"reference"`
	Title                 apiStr  `json:"title"`
	OrganisationName      apiStr  `json:"organisationName"`
	OfferURL              apiStr  `json:"offerUrl"`
	ApplicantURL          apiStr  `json:"urlRedirectionApplicant"`
	Description1          apiStr  `json:"description1"`
	Description2          apiStr  `json:"description2"`
	Description1Formatted apiStr  `json:"description1Formatted"`
	Description2Formatted apiStr  `json:"description2Formatted"`
	ContractType          apiList `json:"contractType"`
	SalaryRange           apiList `json:"salaryRange"`
	GeographicalLocation  apiList `json:"geographicalLocation"`
	Country               apiList `json:"country"`
	Region                apiList `json:"region"`
	Department            apiList `json:"department"`
	Latitude              apiStr  `json:"latitude"`
	Longitude             apiStr  `json:"longitude"`
	StartPublicationDate  apiStr  `json:"startPublicationDate"`
	ModificationDate      apiStr  `json:"modificationDate"`
}

func parseTalentsoft(doc Document) (ParseResult, error) {
	body, err := apiBody(doc, "talentsoft")
	if err != nil {
		return ParseResult{}, err
	}
	var items []json.RawMessage
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '{' {
		var env struct {
			Data []json.RawMessage `json:"data"`
		}
		if err := apiUnmarshal(doc, "talentsoft", &env); err != nil {
			return ParseResult{}, err
		}
		items = env.Data
	} else if err := apiUnmarshal(doc, "talentsoft", &items); err != nil {
		return ParseResult{}, err
	}
	var res ParseResult
	for i, raw := range items {
		var o talentsoftOffer
		if reason := apiDecodeItem(raw, &o); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		p := jobs.Posting{
			Source:          apiSource(doc, "talentsoft"),
			SourceID:        o.Reference.raw(),
			URL:             o.OfferURL.raw(),
			ApplyURL:        o.ApplicantURL.raw(),
			Title:           o.Title.text(),
			Company:         apiFirst(apiCompany(doc), o.OrganisationName.text()),
			DescriptionHTML: apiJoinHTML([2]string{"", o.Description1Formatted.raw()}, [2]string{"", o.Description2Formatted.raw()}),
			EmploymentTexts: apiTexts(o.ContractType...),
			SalaryText:      apiFirst(apiTexts(o.SalaryRange...)...),
			PostedAt:        o.StartPublicationDate.raw(),
		}
		if p.DescriptionHTML == "" {
			p.Description = apiJoinPlain(o.Description1.raw(), o.Description2.raw())
		}
		var texts []string
		texts = append(texts, o.GeographicalLocation...)
		texts = append(texts, o.Department...)
		texts = append(texts, o.Region...)
		texts = append(texts, o.Country...)
		// The referential levels describe one place, most precise first.
		p.LocationTexts = apiTexts(strings.Join(apiTexts(texts...), ", "))
		if o.Latitude != "" && o.Longitude != "" {
			apiRaw(&p, "geo", o.Latitude.raw()+","+o.Longitude.raw())
		}
		apiRaw(&p, "modified_at", o.ModificationDate.raw())
		apiAdd(&res, i, p)
	}
	return res, nil
}
