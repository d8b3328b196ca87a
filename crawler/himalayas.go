package crawler

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// Himalayas: https://himalayas.app/jobs/api. An object with "jobs" and
// paging members (offset, limit, totalCount). Jobs are remote;
// locationRestrictions says where the applicant may live and
// timezoneRestrictions lists accepted UTC offsets in hours.

func himalayasFormat() Format {
	return Format{Name: "himalayas", Detect: detectHimalayas, Parse: parseHimalayas}
}

func detectHimalayas(doc Document) bool {
	t, ok := apiReadTop(doc)
	if !ok || t.obj == nil {
		return false
	}
	first := apiFirstIn(t.obj, "jobs")
	return apiHasAny(first, "locationRestrictions", "timezoneRestrictions") ||
		apiHas(first, "applicationLink", "guid", "companyName")
}

type himalayasJob struct {
	ID                   apiStr          `json:"id"`
	Title                apiStr          `json:"title"`
	Excerpt              apiStr          `json:"excerpt"`
	CompanyName          apiStr          `json:"companyName"`
	CompanySlug          apiStr          `json:"companySlug"`
	EmploymentType       apiList         `json:"employmentType"`
	MinSalary            apiNum          `json:"minSalary"`
	MaxSalary            apiNum          `json:"maxSalary"`
	SalaryPeriod         apiStr          `json:"salaryPeriod"`
	Currency             apiStr          `json:"currency"`
	Seniority            apiList         `json:"seniority"`
	LocationRestrictions apiList         `json:"locationRestrictions"`
	TimezoneRestrictions json.RawMessage `json:"timezoneRestrictions"`
	Categories           apiList         `json:"categories"`
	ParentCategories     apiList         `json:"parentCategories"`
	Description          apiStr          `json:"description"`
	PubDate              apiStr          `json:"pubDate"`
	ExpiryDate           apiStr          `json:"expiryDate"`
	ApplicationLink      apiStr          `json:"applicationLink"`
	GUID                 apiStr          `json:"guid"`
}

func parseHimalayas(doc Document) (ParseResult, error) {
	var env struct {
		Jobs []json.RawMessage `json:"jobs"`
	}
	if err := apiUnmarshal(doc, "himalayas", &env); err != nil {
		return ParseResult{}, err
	}
	var res ParseResult
	for i, raw := range env.Jobs {
		var j himalayasJob
		if reason := apiDecodeItem(raw, &j); reason != "" {
			res.Skipped = append(res.Skipped, Skip{Index: i, Reason: reason})
			continue
		}
		remote := true
		p := jobs.Posting{
			Source:   apiSource(doc, "himalayas"),
			SourceID: j.ID.raw(),
			// guid is the job's page; applicationLink is where to apply
			// (the same page in current answers).
			URL:              apiFirst(himalayasURL(j.GUID.raw()), j.ApplicationLink.raw()),
			ApplyURL:         j.ApplicationLink.raw(),
			Title:            j.Title.text(),
			Company:          j.CompanyName.text(),
			DescriptionHTML:  j.Description.raw(),
			Remote:           &remote,
			EligibilityTexts: apiTexts(j.LocationRestrictions...),
			TimezoneTexts:    himalayasTimezones(j.TimezoneRestrictions),
			EmploymentTexts:  apiTexts(j.EmploymentType...),
			SeniorityTexts:   apiTexts(j.Seniority...),
			Salary:           apiSalary(j.MinSalary, j.MaxSalary, string(j.Currency), string(j.SalaryPeriod)),
			Tags:             apiTexts(append(append([]string{}, j.ParentCategories...), j.Categories...)...),
			PostedAt:         j.PubDate.raw(),
			ValidThrough:     j.ExpiryDate.raw(),
		}
		if p.Description == "" && p.DescriptionHTML == "" {
			p.Description = j.Excerpt.text()
		}
		apiRaw(&p, "company_slug", j.CompanySlug.raw())
		apiAdd(&res, i, p)
	}
	return res, nil
}

// himalayasURL returns guid when it is a link (it is a plain id in some
// feeds).
func himalayasURL(guid string) string {
	if strings.HasPrefix(guid, "https://") || strings.HasPrefix(guid, "http://") {
		return guid
	}
	return ""
}

// himalayasTimezones writes numeric UTC offsets as "UTC+5:30" texts; text
// entries are kept as they are.
func himalayasTimezones(raw json.RawMessage) []string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if raw[0] != '[' {
		raw = append(append([]byte("["), raw...), ']')
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []string
	for _, it := range items {
		var n apiNum
		it = bytes.TrimSpace(it)
		if len(it) > 0 && it[0] != '"' && n.UnmarshalJSON(it) == nil && n.OK {
			out = append(out, apiUTCOffset(n.V))
			continue
		}
		out = append(out, apiScalarOrName(it))
	}
	return apiTexts(out...)
}

// apiUTCOffset writes an offset in hours as "UTC-10", "UTC+0", "UTC+5:30".
func apiUTCOffset(h float64) string {
	sign := "+"
	if h < 0 {
		sign, h = "-", -h
	}
	if h > 24 {
		return "UTC" + sign + strconv.FormatFloat(h, 'f', -1, 64)
	}
	whole := int(h)
	mins := int((h-float64(whole))*60 + 0.5)
	s := "UTC" + sign + strconv.Itoa(whole)
	if mins > 0 {
		s += ":" + strconv.Itoa(mins/10) + strconv.Itoa(mins%10)
	}
	return s
}
