// Package jobs owns the Offer type shared by every stage of Passerelle, the
// Posting type that sources produce before normalization, and the
// normalization rules (workplace, eligibility, employment, seniority, salary,
// languages, locations, identity and duplicate fingerprints).
package jobs

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Workplace says where the work is done.
type Workplace string

// Workplace values; the JSON form is part of the interface.
const (
	Onsite           Workplace = "onsite"
	Hybrid           Workplace = "hybrid"
	Remote           Workplace = "remote"
	WorkplaceUnknown Workplace = "unknown"
)

// Employment types (JSON values).
const (
	FullTime       = "full_time"
	PartTime       = "part_time"
	Contract       = "contract"
	Freelance      = "freelance"
	Internship     = "internship"
	Apprenticeship = "apprenticeship"
	Temporary      = "temporary"
)

// Seniority levels (JSON values).
const (
	SeniorityInternship = "internship"
	SeniorityJunior     = "junior"
	SeniorityMid        = "mid"
	SenioritySenior     = "senior"
	SeniorityLead       = "lead"
	SeniorityUnknown    = "unknown"
)

// Location is one place an offer is attached to. Country is ISO 3166-1 alpha-2.
type Location struct {
	City    string `json:"city"`
	Region  string `json:"region"`
	Country string `json:"country"`
}

// Eligibility says where a remote applicant may live. Known=false means the
// posting does not say: it must never be read as worldwide. On an on-site
// or hybrid offer it is who the employer can hire there when the ad states
// it ("must be legally authorized to work in Canada"); the matcher then
// keeps the offer from graduates of other countries.
type Eligibility struct {
	Worldwide bool     `json:"worldwide"`
	Countries []string `json:"countries"` // ISO alpha-2
	// ExcludedCountries are never admitted, whatever else admits them
	// ("worldwide except sanctioned countries", "Global (excluding EU)").
	ExcludedCountries []string `json:"excluded_countries,omitempty"`
	Regions           []string `json:"regions"`        // EMEA, Europe, Africa, MENA, LATAM, North America, APAC, ...
	UTCOffsetMin      *float64 `json:"utc_offset_min"` // hours; nil when no window is stated
	UTCOffsetMax      *float64 `json:"utc_offset_max"`
	Known             bool     `json:"known"`
}

// Salary is a pay range; Min or Max may be zero when only one bound is given.
type Salary struct {
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
	Currency string  `json:"currency"` // ISO 4217: MAD, EUR, USD, GBP, ...
	Period   string  `json:"period"`   // hour | day | week | month | year
}

// Terms are the source owner's terms, copied onto each offer so later
// stages (notifier, web) can honour them without the sources config.
type Terms struct {
	// Attribution names the source as its owner asks to be credited
	// ("Remote OK"); pages and mails show it as a followed link to the
	// offer's listing (Offer.URL), never a logo.
	Attribution string `json:"attribution"`
	// AttributionURL is the source's own site, linked beside the name
	// when set ("https://remoteok.com").
	AttributionURL string `json:"attribution_url,omitempty"`
	// EmailAllowed: the source's offers may be e-mailed to graduates.
	EmailAllowed bool `json:"email_allowed"`
	// ApplyViaListing: the apply button must lead to the listing on the
	// source (Offer.URL), not to the employer's ApplyURL (Jobicy asks it).
	ApplyViaListing bool `json:"apply_via_listing,omitempty"`
	// ShowBehindSignup: the source's offers may be shown on pages that
	// need a sign-in (a graduate's "my matches"). False hides them there
	// (Remotive forbids "displaying our jobs in order to collect signups").
	ShowBehindSignup bool `json:"show_behind_signup,omitempty"`
}

// Offer is the normalized job offer. JSON field names are part of the
// interface (extract output, offers.new payload, offers index).
type Offer struct {
	ID             string      `json:"id"`     // "<source>:<source-local id>"
	Source         string      `json:"source"` // source name from the sources config, or "recruiter:<name>"
	URL            string      `json:"url"`
	ApplyURL       string      `json:"apply_url,omitempty"`
	Title          string      `json:"title"`
	Company        string      `json:"company"`
	Description    string      `json:"description"` // plain text, sanitized
	Locations      []Location  `json:"locations"`
	Workplace      Workplace   `json:"workplace"`
	Eligibility    Eligibility `json:"eligibility"`
	Employment     []string    `json:"employment"`
	Seniority      string      `json:"seniority"`
	Salary         *Salary     `json:"salary"`
	Languages      []string    `json:"languages"`                 // ISO 639-1 of spoken languages required
	Skills         []string    `json:"skills"`                    // taxonomy ids (required or unqualified)
	OptionalSkills []string    `json:"optional_skills,omitempty"` // taxonomy ids the ad calls nice-to-have
	PostedAt       *time.Time  `json:"posted_at"`
	ValidThrough   *time.Time  `json:"valid_through"`
	Terms          Terms       `json:"terms"`
	// Fingerprint groups the same job seen on several sources or URLs.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Raw keeps source values the normalizer could not read (salary_text,
	// location_text, date_posted, ...), so nothing is lost.
	Raw map[string]string `json:"raw,omitempty"`
}

// ErrInvalid is wrapped by every validation error; the message names the field.
var ErrInvalid = errors.New("jobs: invalid offer")

// FieldError names the offending field of an invalid offer.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Reason) }
func (e *FieldError) Unwrap() error { return ErrInvalid }

// Limits on offer fields; inputs beyond them are rejected, not truncated,
// so a client learns about it.
const (
	MaxTitleLen       = 300
	MaxCompanyLen     = 200
	MaxDescriptionLen = 100_000
	MaxListLen        = 300
)

// Validate checks an offer received from outside (recruiter API, NATS) and
// returns a *FieldError naming the first bad field.
func (o *Offer) Validate() error {
	bad := func(f, r string) error { return &FieldError{Field: f, Reason: r} }
	switch {
	case strings.TrimSpace(o.ID) == "":
		return bad("id", "is required")
	case len(o.ID) > 200:
		return bad("id", "is longer than 200 characters")
	case strings.ContainsAny(o.ID, " \t\r\n*>"):
		return bad("id", "must not contain spaces, '*' or '>'")
	case strings.TrimSpace(o.Title) == "":
		return bad("title", "is required")
	case len(o.Title) > MaxTitleLen:
		return bad("title", fmt.Sprintf("is longer than %d characters", MaxTitleLen))
	case len(o.Company) > MaxCompanyLen:
		return bad("company", fmt.Sprintf("is longer than %d characters", MaxCompanyLen))
	case len(o.Description) > MaxDescriptionLen:
		return bad("description", fmt.Sprintf("is longer than %d characters", MaxDescriptionLen))
	case len(o.Locations) > MaxListLen:
		return bad("locations", fmt.Sprintf("has more than %d entries", MaxListLen))
	}
	for _, l := range []struct {
		field string
		n     int
	}{
		{"locations", len(o.Locations)}, {"skills", len(o.Skills)}, {"optional_skills", len(o.OptionalSkills)},
		{"employment", len(o.Employment)}, {"languages", len(o.Languages)},
		{"eligibility.countries", len(o.Eligibility.Countries)}, {"eligibility.regions", len(o.Eligibility.Regions)},
		{"eligibility.excluded_countries", len(o.Eligibility.ExcludedCountries)},
		{"raw", len(o.Raw)},
	} {
		if l.n > MaxListLen {
			return bad(l.field, fmt.Sprintf("has more than %d entries", MaxListLen))
		}
	}
	for _, d := range []struct {
		field string
		t     *time.Time
	}{{"posted_at", o.PostedAt}, {"valid_through", o.ValidThrough}} {
		if d.t != nil && (d.t.Year() < 1990 || d.t.Year() > 2200) {
			return bad(d.field, "must be a date between 1990 and 2200")
		}
	}
	if o.URL != "" {
		u, err := url.Parse(o.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad("url", "must be an absolute http(s) URL")
		}
	}
	if o.ApplyURL != "" {
		u, err := url.Parse(o.ApplyURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
			return bad("apply_url", "must be an http(s) or mailto URL")
		}
	}
	switch o.Workplace {
	case Onsite, Hybrid, Remote, WorkplaceUnknown:
	case "":
		o.Workplace = WorkplaceUnknown
	default:
		return bad("workplace", "must be one of onsite, hybrid, remote, unknown")
	}
	for _, e := range o.Employment {
		switch e {
		case FullTime, PartTime, Contract, Freelance, Internship, Apprenticeship, Temporary:
		default:
			return bad("employment", fmt.Sprintf("unknown value %q", e))
		}
	}
	switch o.Seniority {
	case SeniorityInternship, SeniorityJunior, SeniorityMid, SenioritySenior, SeniorityLead, SeniorityUnknown:
	case "":
		o.Seniority = SeniorityUnknown
	default:
		return bad("seniority", "must be one of internship, junior, mid, senior, lead, unknown")
	}
	for i, l := range o.Locations {
		if l.Country != "" && !isAlpha2(l.Country) {
			return bad(fmt.Sprintf("locations[%d].country", i), "must be an ISO 3166-1 alpha-2 code")
		}
	}
	for _, c := range o.Eligibility.Countries {
		if !isAlpha2(c) {
			return bad("eligibility.countries", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", c))
		}
	}
	for _, c := range o.Eligibility.ExcludedCountries {
		if !isAlpha2(c) {
			return bad("eligibility.excluded_countries", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", c))
		}
	}
	if s := o.Salary; s != nil {
		if s.Min < 0 || s.Max < 0 || (s.Max > 0 && s.Min > s.Max) {
			return bad("salary", "min and max must be positive and min <= max")
		}
		switch s.Period {
		case "hour", "day", "week", "month", "year":
		default:
			return bad("salary.period", "must be one of hour, day, week, month, year")
		}
	}
	return nil
}

func isAlpha2(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// Expired reports whether the offer's valid_through date has passed.
func (o *Offer) Expired(now time.Time) bool {
	return o.ValidThrough != nil && o.ValidThrough.Before(now)
}
