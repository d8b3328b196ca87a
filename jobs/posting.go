package jobs

// Posting is one job as a source read it, before normalization: values as
// found on the page, feed or API answer. Parsers fill what they can; Normalize
// turns it into an Offer. Every field is optional except Title.
type Posting struct {
	Source   string // source name (config), e.g. "remoteok"
	SourceID string // the posting's id within the source; derived from URL when empty
	URL      string
	ApplyURL string
	Title    string
	Company  string

	// DescriptionHTML is HTML from outside; Normalize sanitizes it to text.
	// Description is used instead when the source gives plain text.
	DescriptionHTML string
	Description     string

	// Locations the source gives in structured form (country may be a name
	// or a code; Normalize maps it to ISO alpha-2).
	Locations []Location
	// LocationTexts are free-text locations ("Paris, France", "Remote (Europe)").
	LocationTexts []string

	// Remote is set when the source states it explicitly (API boolean,
	// schema.org TELECOMMUTE).
	Remote *bool
	// WorkplaceTexts are free words about the workplace ("hybrid", "télétravail partiel").
	WorkplaceTexts []string

	// EligibilityTexts say where a remote applicant may live
	// (applicantLocationRequirements, candidate_required_location, WWR region,
	// Himalayas locationRestrictions).
	EligibilityTexts []string
	// TimezoneTexts are time-zone restrictions ("UTC-5 to UTC+1", "CET").
	TimezoneTexts []string

	EmploymentTexts []string // "FULL_TIME", "CDI", "Stage", "contract"
	SeniorityTexts  []string // "Senior", "Entry level", "3+ years"
	// Salary in structured form when the source has one; SalaryText otherwise.
	Salary     *Salary
	SalaryText string
	Tags       []string // source categories and tags
	Languages  []string // spoken languages stated by the source (names or codes)

	PostedAt     string // as found: ISO, RFC 1123, epoch seconds or ms, "2020-10-20 20:28:32 UTC"
	ValidThrough string

	Terms Terms
	// Raw keeps values the parser could not place.
	Raw map[string]string
}
