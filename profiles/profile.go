// Package profiles owns the graduate Profile, the Store interface with its
// Meilisearch and embedded (Bleve) implementations, import/export and consent.
package profiles

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Seeking is what a graduate is looking for.
type Seeking struct {
	Seniority  []string `json:"seniority"`  // internship junior mid senior lead
	Employment []string `json:"employment"` // full_time part_time contract freelance internship apprenticeship temporary
	Workplace  []string `json:"workplace"`  // remote hybrid onsite
	Locations  []string `json:"locations"`  // cities or ISO country codes where onsite/hybrid work is acceptable
}

// Alerts holds the graduate's alert settings.
type Alerts struct {
	Frequency string `json:"frequency"` // instant | daily | weekly | off
	// PausedUntil (YYYY-MM-DD), when set, stops every alert until the end
	// of that day (Africa/Casablanca): nothing is mailed meanwhile.
	PausedUntil string `json:"paused_until,omitempty"`
	// SetBy is who chose these settings last: SetByGraduate once the
	// graduate did (an import never overwrites them then).
	SetBy string `json:"set_by,omitempty"`
}

// Consent records what the graduate agreed to.
type Consent struct {
	Alerts     bool `json:"alerts"`
	Searchable bool `json:"searchable"`
	Recruiters bool `json:"recruiters"`
	// SetBy is who recorded this consent last: SetBySchool (an officer's
	// import, as the school recorded it) or SetByGraduate (the graduate
	// themself, which no import overwrites); SetAt is when.
	SetBy string     `json:"set_by,omitempty"`
	SetAt *time.Time `json:"set_at,omitempty"`
}

// Who set consent or alert settings (Consent.SetBy, Alerts.SetBy).
const (
	SetBySchool   = "school"
	SetByGraduate = "graduate"
)

// Profile sources (Profile.Source): who manages the profile.
const (
	SourceImport = "import" // created by a placement officer's import
	SourceSelf   = "self"   // the graduate manages it (signed up, or edited it)
)

// Profile is a graduate's skills profile: the import format and the document
// stored in the index. JSON field names are part of the interface.
type Profile struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Email          string   `json:"email"`
	Locale         string   `json:"locale"` // fr (default) | en | ar
	City           string   `json:"city"`
	Country        string   `json:"country"` // ISO alpha-2
	Headline       string   `json:"headline"`
	Skills         []string `json:"skills"` // free labels in any language
	Languages      []string `json:"languages"`
	GraduationYear int      `json:"graduation_year"`
	// Availability is when the graduate can start: "immediate" or a date (YYYY-MM-DD).
	Availability string  `json:"availability,omitempty"`
	Seeking      Seeking `json:"seeking"`
	Alerts       Alerts  `json:"alerts"`
	Consent      Consent `json:"consent"`
	// Cohort is the school's group ("EST Oujda — LP Informatique
	// décisionnelle 2025"); the school's field.
	Cohort string `json:"cohort,omitempty"`
	// Source is who manages the profile: SourceImport or SourceSelf.
	Source    string    `json:"source,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// MergeImport is what an officer's import of in makes of the stored
// profile existing (nil when there is none). The graduate owns consent,
// alert settings and their unsubscription: once they set them, no import
// changes them. Once the graduate manages the profile (SourceSelf), an
// import updates only the school's fields (cohort, graduation year) and
// fills what is empty. Whatever the file says, an import cannot pass its
// values for the graduate's own.
func MergeImport(existing *Profile, in Profile, now time.Time) Profile {
	in.Source = SourceImport
	in.Consent.SetBy, in.Alerts.SetBy = SetBySchool, SetBySchool
	at := now.UTC()
	in.Consent.SetAt = &at
	if existing == nil {
		return in
	}
	out := in
	if existing.Source == SourceSelf {
		out = *existing
		if in.Cohort != "" {
			out.Cohort = in.Cohort
		}
		if in.GraduationYear != 0 {
			out.GraduationYear = in.GraduationYear
		}
		fill := func(dst *string, v string) {
			if *dst == "" {
				*dst = v
			}
		}
		fill(&out.Name, in.Name)
		fill(&out.Email, in.Email)
		fill(&out.City, in.City)
		fill(&out.Country, in.Country)
		fill(&out.Headline, in.Headline)
		fill(&out.Availability, in.Availability)
		if len(out.Skills) == 0 {
			out.Skills = in.Skills
		}
		if len(out.Languages) == 0 {
			out.Languages = in.Languages
		}
	}
	if existing.Consent.SetBy == SetByGraduate || existing.Source == SourceSelf {
		out.Consent = existing.Consent
	}
	if existing.Alerts.SetBy == SetByGraduate || existing.Source == SourceSelf {
		out.Alerts = existing.Alerts
	}
	return out
}

// Alert frequencies.
const (
	FrequencyInstant = "instant"
	FrequencyDaily   = "daily"
	FrequencyWeekly  = "weekly"
	FrequencyOff     = "off"
)

// ErrNotFound is returned by Store.Get for an unknown id.
var ErrNotFound = errors.New("profiles: not found")

// ErrInvalid is wrapped by validation errors.
var ErrInvalid = errors.New("profiles: invalid profile")

// Normalize fills defaults (locale fr, alerts daily) and trims labels.
func (p *Profile) Normalize() {
	p.ID = strings.TrimSpace(p.ID)
	p.Email = strings.TrimSpace(p.Email)
	p.Country = strings.ToUpper(strings.TrimSpace(p.Country))
	p.Locale = strings.ToLower(strings.TrimSpace(p.Locale))
	switch p.Locale {
	case "fr", "en", "ar":
	default:
		p.Locale = "fr"
	}
	if p.Alerts.Frequency == "" {
		p.Alerts.Frequency = FrequencyDaily
	}
	for i := range p.Skills {
		p.Skills[i] = strings.TrimSpace(p.Skills[i])
	}
	for i := range p.Languages {
		p.Languages[i] = strings.ToLower(strings.TrimSpace(p.Languages[i]))
	}
}

// Validate reports the first invalid field with a message a user can act on.
func (p *Profile) Validate() error {
	bad := func(field, reason string) error { return fmt.Errorf("%w: %s: %s", ErrInvalid, field, reason) }
	if p.ID == "" {
		return bad("id", "is required")
	}
	if len(p.ID) > 128 || strings.ContainsAny(p.ID, " \t\r\n*>./") {
		return bad("id", "must be at most 128 characters without spaces, '.', '/', '*' or '>'")
	}
	if p.Email != "" {
		if _, err := mail.ParseAddress(p.Email); err != nil {
			return bad("email", "is not a valid address")
		}
	}
	if p.Country != "" && (len(p.Country) != 2 || p.Country[0] < 'A' || p.Country[0] > 'Z' || p.Country[1] < 'A' || p.Country[1] > 'Z') {
		return bad("country", "must be an ISO 3166-1 alpha-2 code such as MA")
	}
	switch p.Alerts.Frequency {
	case FrequencyInstant, FrequencyDaily, FrequencyWeekly, FrequencyOff:
	default:
		return bad("alerts.frequency", "must be instant, daily, weekly or off")
	}
	if p.Alerts.PausedUntil != "" {
		if _, err := time.Parse("2006-01-02", p.Alerts.PausedUntil); err != nil {
			return bad("alerts.paused_until", "must be a date YYYY-MM-DD")
		}
	}
	if len(p.Skills) > 200 {
		return bad("skills", "has more than 200 entries")
	}
	return nil
}

// Sort orders of Query.Sort.
const (
	SortYear         = "year"
	SortAvailability = "availability"
	SortUpdated      = "updated"
)

// Query filters profiles for placement officers. Empty fields do not filter.
type Query struct {
	Text   string   // free text over name, headline, skills
	Skills []string // all must be present (labels or taxonomy ids, matched case-insensitively)
	// SkillGroups: every group must be matched by at least one of its
	// values (labels, or "id:<taxonomy id>"); see ExpandSkills.
	SkillGroups    [][]string
	City           string
	Country        string
	GraduationYear int
	// YearFrom and YearTo bound the graduation year (inclusive; 0 = open).
	YearFrom, YearTo int
	// Cohort keeps profiles of this cohort (folded match).
	Cohort string
	// Cohorts, when not empty, is the asker's scope: only profiles of one
	// of these cohorts (folded match) are found, counted in facets and
	// exported, whatever the other filters ask. A placement officer
	// scoped to their school's cohorts searches with it.
	Cohorts []string
	// Workplace keeps profiles seeking any of these (remote, hybrid, onsite).
	Workplace []string
	// Recruiters keeps profiles that consented to be shown to recruiters.
	Recruiters bool
	// Facets asks for Result.Facets.
	Facets bool
	// Seniority keeps profiles seeking any of these levels.
	Seniority []string
	// Sort orders the results: "" (relevance with text, else id),
	// SortYear (most recent graduates first), SortAvailability (soonest
	// available first), SortUpdated (most recently updated first); ties
	// by id. Profiles without the value come last.
	Sort         string
	Languages    []string // all must be spoken
	Availability string   // "immediate" or a date: available on or before it
	// OnlySearchable limits results to profiles whose consent.searchable is true.
	OnlySearchable bool
	Limit          int // default 50, max 1000
	Offset         int
}

// Result is one page of a search.
type Result struct {
	Profiles []Profile
	Total    int
	// Facets counts, per facet name (FacetNames), the values of every
	// profile matching the query (not just this page), when Query.Facets.
	Facets map[string][]FacetCount
}

// Store keeps graduate profiles. Implementations: the embedded Bleve store
// and the Meilisearch store; both pass the same contract suite.
type Store interface {
	Put(ctx context.Context, ps ...Profile) error
	Get(ctx context.Context, id string) (Profile, error)
	Delete(ctx context.Context, id string) error
	Search(ctx context.Context, q Query) (Result, error)
	// Each calls fn for every profile, in no particular order, stopping at
	// the first error fn returns.
	Each(ctx context.Context, fn func(Profile) error) error
	Close() error
}

// casablanca is the zone of alert dates; UTC+1 when the zone database is
// missing (Morocco keeps UTC+1 outside Ramadan).
var casablanca = func() *time.Location {
	if loc, err := time.LoadLocation("Africa/Casablanca"); err == nil {
		return loc
	}
	return time.FixedZone("UTC+1", 3600)
}()

// AlertsPaused reports whether the graduate paused alerts past now.
func (a Alerts) AlertsPaused(now time.Time) bool {
	if a.PausedUntil == "" {
		return false
	}
	d, err := time.ParseInLocation("2006-01-02", a.PausedUntil, casablanca)
	if err != nil {
		return false
	}
	return now.Before(d.AddDate(0, 0, 1))
}
