package matcher

import (
	"strings"

	"github.com/passerelle/passerelle/jobs"
)

// Eligibility gates. Every gate works on the compact form of a profile
// (entry) so that the index and the brute-force Score run the same code.

// Seniority bits (offer levels and what a graduate seeks).
const (
	senIntern uint8 = 1 << iota
	senJunior
	senMid
	senSenior
	senLead
)

// defaultSeniority applies when a profile states no seniority wish: the
// people Passerelle serves are graduates.
const defaultSeniority = senIntern | senJunior

// Employment bits.
const (
	empFullTime uint8 = 1 << iota
	empPartTime
	empContract
	empFreelance
	empInternship
	empApprenticeship
	empTemporary
)

// Workplace bits.
const (
	wpRemote uint8 = 1 << iota
	wpHybrid
	wpOnsite
)

// Score multipliers applied by gates that pass with a reservation.
const (
	// unknownScopeFactor ranks remote offers whose scope is not stated
	// below comparable offers that are known to be open.
	unknownScopeFactor = 0.6
	// stretchFactor ranks a mid-level role below fitting ones for a
	// graduate who seeks junior roles.
	stretchFactor = 0.8
)

func seniorityBit(s string) uint8 {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case jobs.SeniorityInternship:
		return senIntern
	case jobs.SeniorityJunior:
		return senJunior
	case jobs.SeniorityMid:
		return senMid
	case jobs.SenioritySenior:
		return senSenior
	case jobs.SeniorityLead:
		return senLead
	}
	return 0
}

func employmentBit(s string) uint8 {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case jobs.FullTime:
		return empFullTime
	case jobs.PartTime:
		return empPartTime
	case jobs.Contract:
		return empContract
	case jobs.Freelance:
		return empFreelance
	case jobs.Internship:
		return empInternship
	case jobs.Apprenticeship:
		return empApprenticeship
	case jobs.Temporary:
		return empTemporary
	}
	return 0
}

func workplaceBit(s string) uint8 {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case string(jobs.Remote):
		return wpRemote
	case string(jobs.Hybrid):
		return wpHybrid
	case string(jobs.Onsite):
		return wpOnsite
	}
	return 0
}

func bitsOf(values []string, bit func(string) uint8) uint8 {
	var b uint8
	for _, v := range values {
		b |= bit(v)
	}
	return b
}

// languageCodes is the fixed table of spoken languages the gate knows, one
// bit each (ISO 639-1, plus ISO 639-2/3 codes for Amazigh). A language an
// offer requires that is not in the table can never be satisfied: the gate
// errs on the side of not sending a graduate to an ad they cannot take.
var languageCodes = [...]string{
	"fr", "ar", "en", "es", "de", "it", "pt", "nl", "zh", "ja", "ru", "tr",
	"pl", "sv", "da", "no", "fi", "cs", "ro", "hu", "el", "he", "hi", "ko",
	"uk", "vi", "id", "ms", "th", "fa", "ur", "bn", "sk", "bg", "hr", "sr",
	"sl", "et", "lv", "lt", "ca", "eu", "gl", "ga", "is", "sq", "mk", "ka",
	"hy", "az", "kk", "uz", "sw", "am", "ha", "yo", "tl", "ta", "te", "zgh",
	"ber", "kab", "nb", "lb",
}

func languageBit(code string) uint64 {
	c := strings.ToLower(strings.TrimSpace(code))
	if c == "nn" {
		c = "no"
	}
	for i, l := range languageCodes {
		if l == c {
			return 1 << uint(i)
		}
	}
	return 0
}

// packCountry packs an ISO alpha-2 code into 1..676; 0 means unknown.
func packCountry(cc string) uint16 {
	cc = strings.ToUpper(strings.TrimSpace(cc))
	if len(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' {
		return 0
	}
	return uint16(cc[0]-'A')*26 + uint16(cc[1]-'A') + 1
}

// countryCodes holds the alpha-2 string of every packed code, so gates can
// call Eligibility.Admits without allocating.
var countryCodes = func() [677]string {
	var t [677]string
	for a := byte('A'); a <= 'Z'; a++ {
		for b := byte('A'); b <= 'Z'; b++ {
			t[uint16(a-'A')*26+uint16(b-'A')+1] = string([]byte{a, b})
		}
	}
	return t
}()

// gateResult says how a profile passed the gates, for scoring and reasons.
type gateResult struct {
	factor       float64 // product of reservation multipliers, in (0,1]
	scopeUnknown bool    // remote offer with unstated scope
	loc          int     // index in offer.Locations of the matched place, -1 for remote
}

// offerGates is the per-offer part of the gates, computed once per offer.
type offerGates struct {
	expired    bool
	workplace  uint8 // wpRemote, wpHybrid, wpOnsite; 0 = unknown (treated as on site)
	seniority  uint8 // one bit or 0 when unknown
	employment uint8
	langs      uint64
	langsOK    bool // false when a required language is outside languageCodes
}

func newOfferGates(o *jobs.Offer, p *plan) offerGates {
	g := offerGates{
		expired:    o.Expired(p.now),
		workplace:  workplaceBit(string(o.Workplace)),
		seniority:  seniorityBit(o.Seniority),
		employment: bitsOf(o.Employment, employmentBit),
		langsOK:    true,
	}
	if g.seniority == 0 && g.employment == empInternship {
		// An ad that only offers an internship is an internship whatever
		// its stated level.
		g.seniority = senIntern
	}
	for _, l := range o.Languages {
		b := languageBit(l)
		if b == 0 {
			g.langsOK = false
		}
		g.langs |= b
	}
	return g
}

// static checks the gates that need only the profile's packed bits:
// languages, then the class gates.
func (g *offerGates) static(e *entry) (factor float64, ok bool) {
	if g.expired || !g.langsOK || e.langs&g.langs != g.langs {
		return 0, false
	}
	return g.class(e.seniority, e.employment, e.workplace)
}

// class checks workplace wish, employment type and seniority.
func (g *offerGates) class(seniority, employment, workplace uint8) (factor float64, ok bool) {
	if !g.workplaceOK(workplace) || !g.employmentOK(employment) {
		return 0, false
	}
	return g.seniorityOK(seniority)
}

// workplaceOK checks the graduate's workplace wish: an unknown workplace
// is taken as on site (it usually is) but a hybrid wish accepts it too.
func (g *offerGates) workplaceOK(workplace uint8) bool {
	if workplace == 0 {
		return true
	}
	want := g.workplace
	if want == 0 {
		want = wpOnsite | wpHybrid
	}
	return workplace&want != 0
}

// employmentOK checks the employment type, when both sides state one.
func (g *offerGates) employmentOK(employment uint8) bool {
	return g.employment == 0 || employment == 0 || g.employment&employment != 0
}

// seniorityOK checks the level the graduate seeks; a mid-level role passes
// for a junior seeker with a reservation (stretchFactor).
func (g *offerGates) seniorityOK(seniority uint8) (factor float64, ok bool) {
	factor = 1
	want := seniority
	if want == 0 {
		want = defaultSeniority
	}
	switch g.seniority {
	case 0:
	case senIntern:
		if want&senIntern == 0 {
			return 0, false
		}
	case senJunior:
		if want&(senIntern|senJunior|senMid) == 0 {
			return 0, false
		}
	case senMid:
		switch {
		case want&senMid != 0:
		case want&senJunior != 0:
			factor = stretchFactor
		default:
			return 0, false
		}
	case senSenior, senLead:
		if want&(senSenior|senLead) == 0 {
			return 0, false
		}
	}
	return factor, true
}
