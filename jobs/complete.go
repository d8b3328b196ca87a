package jobs

import "strings"

// Complete fills what a directly posted offer (recruiter API) left out, by
// normalizing the same text as a crawled posting would be: skills from the
// description, workplace, eligibility, seniority, employment, languages,
// locations, fingerprint. Fields the poster gave always win.
func (n Normalizer) Complete(o *Offer) {
	p := Posting{
		Source:      o.Source,
		SourceID:    o.ID,
		URL:         o.URL,
		ApplyURL:    o.ApplyURL,
		Title:       o.Title,
		Company:     o.Company,
		Description: o.Description,
		Locations:   o.Locations,
		Terms:       o.Terms,
	}
	if o.Workplace == Remote {
		t := true
		p.Remote = &t
	} else if o.Workplace != "" && o.Workplace != WorkplaceUnknown {
		p.WorkplaceTexts = []string{string(o.Workplace)}
	}
	d, err := n.Normalize(p)
	if err != nil {
		// Only a title with no text fails: it is left empty, so that
		// validating the offer again says so.
		o.Title = ""
		return
	}
	// Title and description as crawled ones are kept: text, with any
	// markup the poster typed turned into text (a title is never HTML).
	o.Title = d.Title
	if strings.TrimSpace(o.Description) != "" {
		o.Description = d.Description
	}
	if o.Workplace == "" || o.Workplace == WorkplaceUnknown {
		o.Workplace = d.Workplace
	}
	if !o.Eligibility.Known && !o.Eligibility.Worldwide && len(o.Eligibility.Countries) == 0 && len(o.Eligibility.Regions) == 0 {
		o.Eligibility = d.Eligibility
	}
	if len(o.Locations) == 0 {
		o.Locations = d.Locations
	}
	if len(o.Employment) == 0 {
		o.Employment = d.Employment
	}
	if o.Seniority == "" || o.Seniority == SeniorityUnknown {
		o.Seniority = d.Seniority
	}
	if o.Salary == nil {
		o.Salary = d.Salary
	}
	if len(o.Languages) == 0 {
		o.Languages = d.Languages
	}
	if len(o.Skills) == 0 {
		o.Skills = d.Skills
		if len(o.OptionalSkills) == 0 {
			o.OptionalSkills = d.OptionalSkills
		}
	}
	if o.PostedAt == nil {
		o.PostedAt = d.PostedAt
	}
	if o.Fingerprint == "" {
		o.Fingerprint = Fingerprint(*o)
	}
}
