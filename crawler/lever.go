package crawler

import (
	"bytes"
	"encoding/json"

	"github.com/passerelle/passerelle/jobs"
)

// Lever postings API: https://api.lever.co/v0/postings/<company>?mode=json.
// A top-level array of postings, or of groups ({"title", "postings"}) when
// asked with group=...; one posting for /postings/<company>/<id>. Lever
// never names the employer: the configured company, else the board token
// from hostedUrl, is used. createdAt is epoch milliseconds.

func leverFormat() Format {
	return Format{Name: "lever", Detect: detectLever, Parse: parseLever}
}

func detectLever(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok {
		return false
	}
	if t.obj != nil {
		return leverIsPosting(t.obj)
	}
	first := apiFirstObject(t.arr)
	if first == nil {
		return false
	}
	if apiHas(first, "postings", "title") {
		return leverIsPosting(apiFirstIn(first, "postings"))
	}
	return leverIsPosting(first)
}

func leverIsPosting(m map[string]json.RawMessage) bool {
	return apiHas(m, "hostedUrl", "text") || apiHas(m, "text", "categories", "createdAt")
}

type leverPosting struct {
	ID                     apiStr `json:"id"`
	Text                   apiStr `json:"text"`
	HostedURL              apiStr `json:"hostedUrl"`
	ApplyURL               apiStr `json:"applyUrl"`
	CreatedAt              apiStr `json:"createdAt"`
	Country                apiStr `json:"country"`
	WorkplaceType          apiStr `json:"workplaceType"`
	Description            apiStr `json:"description"`
	DescriptionPlain       apiStr `json:"descriptionPlain"`
	Opening                apiStr `json:"opening"`
	DescriptionBody        apiStr `json:"descriptionBody"`
	Additional             apiStr `json:"additional"`
	AdditionalPlain        apiStr `json:"additionalPlain"`
	SalaryDescriptionPlain apiStr `json:"salaryDescriptionPlain"`
	Categories             struct {
		Commitment   apiList `json:"commitment"`
		Department   apiStr  `json:"department"`
		Location     apiStr  `json:"location"`
		Team         apiStr  `json:"team"`
		AllLocations apiList `json:"allLocations"`
	} `json:"categories"`
	Lists []struct {
		Text    apiStr `json:"text"`
		Content apiStr `json:"content"`
	} `json:"lists"`
	SalaryRange struct {
		Min      apiNum `json:"min"`
		Max      apiNum `json:"max"`
		Currency apiStr `json:"currency"`
		Interval apiStr `json:"interval"`
	} `json:"salaryRange"`
}

func parseLever(doc Document) (ParseResult, error) {
	body, err := apiBody(doc, "lever")
	if err != nil {
		return ParseResult{}, err
	}
	var items []json.RawMessage
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '{' {
		// One posting.
		var one map[string]json.RawMessage
		if err := apiUnmarshal(doc, "lever", &one); err != nil {
			return ParseResult{}, err
		}
		items = []json.RawMessage{t}
	} else if err := apiUnmarshal(doc, "lever", &items); err != nil {
		return ParseResult{}, err
	}
	var res ParseResult
	idx := 0
	for _, raw := range items {
		// A group ({"title": "Engineering", "postings": [...]}) holds postings.
		var group struct {
			Postings []json.RawMessage `json:"postings"`
		}
		if m := apiObject(raw); apiHas(m, "postings") && !apiHas(m, "text") && json.Unmarshal(raw, &group) == nil {
			for _, r := range group.Postings {
				leverAdd(doc, &res, idx, r)
				idx++
			}
			continue
		}
		leverAdd(doc, &res, idx, raw)
		idx++
	}
	return res, nil
}

func leverAdd(doc Document, res *ParseResult, i int, raw json.RawMessage) {
	var j leverPosting
	if reason := apiDecodeItem(raw, &j); reason != "" {
		res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
		return
	}
	url := j.HostedURL.raw()
	p := jobs.Posting{
		Source:          apiSource(doc, "lever"),
		SourceID:        j.ID.raw(),
		URL:             url,
		ApplyURL:        j.ApplyURL.raw(),
		Title:           j.Text.text(),
		Company:         apiFirst(apiCompany(doc), apiPathSegment(url, "lever.co", 0)),
		LocationTexts:   apiTexts(append(append([]string{}, j.Categories.AllLocations...), string(j.Categories.Location))...),
		EmploymentTexts: apiTexts(j.Categories.Commitment...),
		Salary:          apiSalary(j.SalaryRange.Min, j.SalaryRange.Max, string(j.SalaryRange.Currency), string(j.SalaryRange.Interval)),
		SalaryText:      j.SalaryDescriptionPlain.text(),
		Tags:            apiTexts(string(j.Categories.Department), string(j.Categories.Team)),
		PostedAt:        j.CreatedAt.raw(),
	}
	if p.Salary != nil {
		p.SalaryText = ""
	}
	if c := j.Country.text(); c != "" {
		p.Locations = []jobs.Location{{Country: c}}
	}
	apiWorkplace(&p, string(j.WorkplaceType))
	intro := j.Description.raw()
	if intro == "" {
		intro = apiJoinHTML([2]string{"", j.Opening.raw()}, [2]string{"", j.DescriptionBody.raw()})
	}
	parts := [][2]string{{"", intro}}
	for _, l := range j.Lists {
		if c := l.Content.raw(); c != "" {
			parts = append(parts, [2]string{l.Text.raw(), "<ul>" + c + "</ul>"})
		}
	}
	parts = append(parts, [2]string{"", j.Additional.raw()})
	p.DescriptionHTML = apiJoinHTML(parts...)
	if p.DescriptionHTML == "" {
		p.Description = apiJoinPlain(j.DescriptionPlain.raw(), j.AdditionalPlain.raw())
	}
	apiAdd(res, i, p)
}
