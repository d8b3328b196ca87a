// Package matcher owns matching: the in-memory profile index, eligibility
// gates, scoring with explanations, and the JetStream consumer loop that
// turns offers into matches.
package matcher

import (
	"time"

	"github.com/passerelle/passerelle/jobs"
)

// Reason is one plain-language reason for a match, kept as a message key and
// arguments so the notifier and web pages can render it in the graduate's
// language. Text is the English rendering, for logs and JSON readers.
type Reason struct {
	Key  string   `json:"key"`
	Args []string `json:"args,omitempty"`
}

// Match is one offer matched to one profile; JSON field names are part of
// the interface (match output, matches.<profile> payload).
type Match struct {
	ProfileID     string   `json:"profile_id"`
	OfferID       string   `json:"offer_id"`
	URL           string   `json:"url"`
	Title         string   `json:"title"`
	Company       string   `json:"company"`
	Score         float64  `json:"score"`
	MatchedSkills []string `json:"matched_skills"`
	MissingSkills []string `json:"missing_skills"`
	// Reasons in English, as DESIGN.md shows them.
	Reasons []string `json:"reasons"`
	// ReasonKeys are the same reasons as translatable keys.
	ReasonKeys []Reason `json:"reason_keys,omitempty"`
	// EligibilityUnknown marks a remote offer whose scope the page does not
	// state: shown as such, ranked lower, never as "open to you".
	EligibilityUnknown bool `json:"eligibility_unknown,omitempty"`
	// Offer carries the matched offer so the notifier needs no lookup.
	Offer     *jobs.Offer `json:"offer,omitempty"`
	MatchedAt time.Time   `json:"matched_at,omitzero"`
}
