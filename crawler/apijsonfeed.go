package crawler

import (
	"encoding/json"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// JSON Feed (https://jsonfeed.org/version/1.1) job feeds, such as
// Teamtailor career sites (/jobs.json), whose items embed a schema.org
// JobPosting under "_jobposting". Only the JobPosting members a job feed
// needs are read here; full JSON-LD pages are another kind's business.
// Auto-detection requires an item with "_jobposting", so blog feeds are
// not taken for job feeds.

func jsonfeedFormat() Format {
	return Format{Name: "jsonfeed", Detect: detectJSONFeed, Parse: parseJSONFeed}
}

func detectJSONFeed(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.obj == nil {
		return false
	}
	var version string
	if json.Unmarshal(t.obj["version"], &version) != nil || !strings.HasPrefix(version, "https://jsonfeed.org/version/") {
		return false
	}
	items, _ := apiArray(t.obj["items"])
	for _, it := range items {
		if apiHas(apiObject(it), "_jobposting") {
			return true
		}
	}
	return false
}

type jsonfeedItem struct {
	ID            apiStr          `json:"id"`
	URL           apiStr          `json:"url"`
	ExternalURL   apiStr          `json:"external_url"`
	Title         apiStr          `json:"title"`
	ContentHTML   apiStr          `json:"content_html"`
	ContentText   apiStr          `json:"content_text"`
	Summary       apiStr          `json:"summary"`
	DatePublished apiStr          `json:"date_published"`
	Tags          apiList         `json:"tags"`
	JobPosting    jsonfeedPosting `json:"_jobposting"`
}

// jsonfeedPosting is the part of schema.org JobPosting a job feed needs.
type jsonfeedPosting struct {
	Title       apiStr `json:"title"`
	Description apiStr `json:"description"`
	Identifier  struct {
		Value apiStr `json:"value"`
	} `json:"identifier"`
	DatePosted         apiStr  `json:"datePosted"`
	ValidThrough       apiStr  `json:"validThrough"`
	EmploymentType     apiList `json:"employmentType"`
	JobLocationType    apiList `json:"jobLocationType"`
	HiringOrganization struct {
		Name apiStr `json:"name"`
	} `json:"hiringOrganization"`
	JobLocation                   json.RawMessage `json:"jobLocation"`
	ApplicantLocationRequirements apiList         `json:"applicantLocationRequirements"`
	BaseSalary                    struct {
		Currency apiStr `json:"currency"`
		Value    struct {
			MinValue apiNum `json:"minValue"`
			MaxValue apiNum `json:"maxValue"`
			Value    apiNum `json:"value"`
			UnitText apiStr `json:"unitText"`
		} `json:"value"`
	} `json:"baseSalary"`
}

type jsonfeedPlace struct {
	Address struct {
		Locality apiStr  `json:"addressLocality"`
		Region   apiStr  `json:"addressRegion"`
		Country  apiList `json:"addressCountry"`
	} `json:"address"`
}

func parseJSONFeed(doc Document) (ParseResult, error) {
	var env struct {
		Title apiStr            `json:"title"`
		Items []json.RawMessage `json:"items"`
	}
	if err := apiUnmarshal(doc, "jsonfeed", &env); err != nil {
		return ParseResult{}, err
	}
	var res ParseResult
	for i, raw := range env.Items {
		var it jsonfeedItem
		if reason := apiDecodeItem(raw, &it); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		jp := it.JobPosting
		p := jobs.Posting{
			Source:           apiSource(doc, "jsonfeed"),
			SourceID:         apiFirst(jp.Identifier.Value.raw(), it.ID.raw()),
			URL:              apiFirst(it.URL.raw(), it.ExternalURL.raw()),
			Title:            apiFirst(it.Title.text(), jp.Title.text()),
			Company:          apiFirst(jp.HiringOrganization.Name.text(), apiCompany(doc), env.Title.text()),
			DescriptionHTML:  apiFirst(jp.Description.raw(), it.ContentHTML.raw()),
			EligibilityTexts: apiTexts(jp.ApplicantLocationRequirements...),
			EmploymentTexts:  apiTexts(jp.EmploymentType...),
			Tags:             apiTexts(it.Tags...),
			PostedAt:         apiFirst(jp.DatePosted.raw(), it.DatePublished.raw()),
			ValidThrough:     jp.ValidThrough.raw(),
		}
		if p.DescriptionHTML == "" {
			p.Description = apiFirst(it.ContentText.raw(), it.Summary.text())
		}
		for _, t := range jp.JobLocationType {
			if strings.EqualFold(t, "TELECOMMUTE") {
				remote := true
				p.Remote = &remote
			}
		}
		for _, pl := range jsonfeedPlaces(jp.JobLocation) {
			a := pl.Address
			loc, ok := apiLocation(string(a.Locality), string(a.Region), apiFirst(a.Country...))
			apiAddLocation(&p, loc, ok)
		}
		v := jp.BaseSalary.Value
		lo, hi := v.MinValue, v.MaxValue
		if !lo.OK && !hi.OK {
			lo = v.Value
		}
		p.Salary = apiSalary(lo, hi, string(jp.BaseSalary.Currency), string(v.UnitText))
		apiAdd(&res, i, p)
	}
	return res, nil
}

// jsonfeedPlaces reads jobLocation, one Place or a list of them.
func jsonfeedPlaces(raw json.RawMessage) []jsonfeedPlace {
	if list, ok := apiArray(raw); ok {
		var out []jsonfeedPlace
		for _, r := range list {
			var pl jsonfeedPlace
			if apiDecodeItem(r, &pl) == "" {
				out = append(out, pl)
			}
		}
		return out
	}
	var pl jsonfeedPlace
	if apiDecodeItem(raw, &pl) == "" {
		return []jsonfeedPlace{pl}
	}
	return nil
}
