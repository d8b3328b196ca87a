package crawler

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// Workable: the public widget API (apply.workable.com/api/v1/widget/accounts/<x>:
// {"name": company, "jobs": [...]}, one entry per job and location), the
// careers API ({"results": [...]}) and the account API v3 (/spi/v3/jobs:
// {"jobs": [...], "paging"}, or one job with full_description). Jobs are
// keyed by shortcode; entries repeating a shortcode are merged into one
// posting with all their locations. Jobs in a closed state
// (draft, archived, closed) are skipped.

func workableFormat() Format {
	return Format{Name: "workable", Detect: detectWorkable, Parse: parseWorkable}
}

func detectWorkable(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.obj == nil {
		return false
	}
	for _, key := range []string{"jobs", "results"} {
		if first := apiFirstIn(t.obj, key); first != nil {
			return apiHas(first, "shortcode", "title")
		}
	}
	return apiHas(t.obj, "shortcode", "title") && apiHasAny(t.obj, "full_title", "application_url", "shortlink")
}

type workableLocation struct {
	Country       apiStr  `json:"country"`
	CountryCode   apiStr  `json:"countryCode"`
	CountryCode3  apiStr  `json:"country_code"`
	Region        apiStr  `json:"region"`
	City          apiStr  `json:"city"`
	LocationStr   apiStr  `json:"location_str"`
	Telecommuting apiBool `json:"telecommuting"`
}

func (l workableLocation) location() (jobs.Location, bool) {
	return apiLocation(string(l.City), string(l.Region), apiFirst(l.CountryCode.raw(), l.CountryCode3.raw(), l.Country.raw()))
}

type workableJob struct {
	ID              apiStr             `json:"id"`
	Shortcode       apiStr             `json:"shortcode"`
	Title           apiStr             `json:"title"`
	State           apiStr             `json:"state"`
	Department      apiList            `json:"department"`
	Function        apiStr             `json:"function"`
	Industry        apiStr             `json:"industry"`
	URL             apiStr             `json:"url"`
	Shortlink       apiStr             `json:"shortlink"`
	ApplicationURL  apiStr             `json:"application_url"`
	PublishedOn     apiStr             `json:"published_on"`
	Published       apiStr             `json:"published"`
	CreatedAt       apiStr             `json:"created_at"`
	Country         apiStr             `json:"country"`
	City            apiStr             `json:"city"`
	Location        json.RawMessage    `json:"location"`
	Locations       []workableLocation `json:"locations"`
	Telecommuting   apiBool            `json:"telecommuting"`
	Remote          apiBool            `json:"remote"`
	Workplace       apiStr             `json:"workplace"`
	WorkplaceType   apiStr             `json:"workplace_type"`
	EmploymentType  apiStr             `json:"employment_type"`
	Type            apiStr             `json:"type"`
	Experience      apiStr             `json:"experience"`
	Education       apiStr             `json:"education"`
	FullDescription apiStr             `json:"full_description"`
	Description     apiStr             `json:"description"`
	Requirements    apiStr             `json:"requirements"`
	Benefits        apiStr             `json:"benefits"`
}

func parseWorkable(doc Document) (ParseResult, error) {
	var env struct {
		Name    apiStr            `json:"name"`
		Jobs    []json.RawMessage `json:"jobs"`
		Results []json.RawMessage `json:"results"`
	}
	if err := apiUnmarshal(doc, "workable", &env); err != nil {
		return ParseResult{}, err
	}
	items := env.Jobs
	if items == nil {
		items = env.Results
	}
	if items == nil {
		body, err := apiBody(doc, "workable")
		if err != nil {
			return ParseResult{}, err
		}
		items = []json.RawMessage{bytes.TrimSpace(body)}
	}
	company := apiFirst(env.Name.text(), apiCompany(doc))
	var res ParseResult
	seen := make(map[string]int) // shortcode -> index in res.Postings
	for i, raw := range items {
		var j workableJob
		if reason := apiDecodeItem(raw, &j); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		if st := strings.ToLower(j.State.raw()); workableClosedStates[st] {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: "job state is " + st})
			continue
		}
		p := workablePosting(doc, j, company)
		if k, ok := seen[p.SourceID]; ok && p.SourceID != "" {
			merged := &res.Postings[k]
			for _, l := range p.Locations {
				apiAddLocation(merged, l, true)
			}
			merged.LocationTexts = apiTexts(append(merged.LocationTexts, p.LocationTexts...)...)
			continue
		}
		before := len(res.Postings)
		apiAdd(&res, i, p)
		if len(res.Postings) > before {
			seen[p.SourceID] = before
		}
	}
	return res, nil
}

// workableClosedStates are the account API's states of jobs that are not
// open. (The widget API uses "state" for the region instead.)
var workableClosedStates = map[string]bool{"draft": true, "archived": true, "closed": true}

func workablePosting(doc Document, j workableJob, company string) jobs.Posting {
	url := apiFirst(j.URL.raw(), j.Shortlink.raw())
	p := jobs.Posting{
		Source:          apiSource(doc, "workable"),
		SourceID:        apiFirst(j.Shortcode.raw(), j.ID.raw()),
		URL:             url,
		ApplyURL:        j.ApplicationURL.raw(),
		Title:           j.Title.text(),
		Company:         apiFirst(company, workableSubdomain(url)),
		EmploymentTexts: apiTexts(string(j.EmploymentType), string(j.Type)),
		SeniorityTexts:  apiTexts(string(j.Experience)),
		Tags:            apiTexts(append(append([]string{}, j.Department...), string(j.Function), string(j.Industry))...),
		PostedAt:        apiFirst(j.PublishedOn.raw(), j.Published.raw(), j.CreatedAt.raw()),
	}
	if d := j.FullDescription.raw(); d != "" {
		p.DescriptionHTML = d
	} else {
		p.DescriptionHTML = apiJoinHTML([2]string{"", j.Description.raw()},
			[2]string{"Requirements", j.Requirements.raw()}, [2]string{"Benefits", j.Benefits.raw()})
	}
	apiRaw(&p, "education", j.Education.text())
	apiRaw(&p, "id", j.ID.raw())

	remote := j.Telecommuting
	for _, l := range j.Locations {
		loc, ok := l.location()
		apiAddLocation(&p, loc, ok)
	}
	// "location" is an object in the account API, a string in some answers.
	var single workableLocation
	if t := bytes.TrimSpace(j.Location); len(t) > 0 && t[0] == '{' && json.Unmarshal(t, &single) == nil {
		loc, ok := single.location()
		apiAddLocation(&p, loc, ok)
		p.LocationTexts = apiTexts(string(single.LocationStr))
		if !remote.OK {
			remote = single.Telecommuting
		}
	} else if s := apiScalarOrName(j.Location); s != "" {
		p.LocationTexts = apiTexts(s)
	}
	if len(p.Locations) == 0 {
		region := j.State.text()
		if workableClosedStates[strings.ToLower(region)] || strings.EqualFold(region, "published") {
			region = ""
		}
		loc, ok := apiLocation(string(j.City), region, string(j.Country))
		apiAddLocation(&p, loc, ok)
	}
	if !remote.OK {
		remote = j.Remote
	}
	if !apiWorkplace(&p, apiFirst(j.WorkplaceType.raw(), j.Workplace.raw())) {
		p.Remote = remote.ptr()
	}
	return p
}

// workableSubdomain returns <x> of https://<x>.workable.com/..., the
// account name, ignoring Workable's own hosts.
func workableSubdomain(url string) string {
	rest, ok := strings.CutPrefix(url, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(url, "http://")
	}
	if !ok {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	sub, ok := strings.CutSuffix(strings.ToLower(host), ".workable.com")
	if !ok || strings.Contains(sub, ".") {
		return ""
	}
	switch sub {
	case "apply", "www", "jobs", "careers":
		return ""
	}
	return sub
}
