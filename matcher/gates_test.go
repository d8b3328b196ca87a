package matcher

import (
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

func TestGates(t *testing.T) {
	tests := []struct {
		name    string
		offer   func(o *jobs.Offer)
		profile func(p *profiles.Profile)
		opts    func(o *Options)
		pass    bool
		key     string // reason key expected when pass
		unknown bool   // EligibilityUnknown expected
	}{
		{name: "remote worldwide", pass: true, key: ReasonRemoteWorldwide},
		{name: "remote open to MA", offer: func(o *jobs.Offer) {
			o.Eligibility = jobs.Eligibility{Countries: []string{"FR", "MA"}, Known: true}
		}, pass: true, key: ReasonRemoteOpenTo},
		{name: "remote EMEA region", offer: func(o *jobs.Offer) {
			o.Eligibility = jobs.Eligibility{Regions: []string{"EMEA"}, Known: true}
		}, pass: true, key: ReasonRemoteOpenTo},
		{name: "remote US only", offer: func(o *jobs.Offer) {
			o.Eligibility = jobs.Eligibility{Countries: []string{"US"}, Known: true}
		}},
		{name: "remote US only, graduate in the US", offer: func(o *jobs.Offer) {
			o.Eligibility = jobs.Eligibility{Countries: []string{"US"}, Known: true}
		}, profile: func(p *profiles.Profile) { p.Country = "US" }, pass: true, key: ReasonRemoteOpenTo},
		{name: "remote scope unknown is labelled", offer: func(o *jobs.Offer) {
			o.Eligibility = jobs.Eligibility{}
		}, pass: true, key: ReasonRemoteScopeUnknown, unknown: true},
		{name: "remote scope unknown denied by option", offer: func(o *jobs.Offer) {
			o.Eligibility = jobs.Eligibility{}
		}, opts: func(o *Options) { o.DenyUnknownEligibility = true }},
		{name: "remote but graduate wants on site only", profile: func(p *profiles.Profile) {
			p.Seeking.Workplace = []string{"onsite"}
		}},
		{name: "onsite in a sought city", offer: func(o *jobs.Offer) {
			o.Workplace = jobs.Onsite
			o.Locations = []jobs.Location{{City: "Casablanca", Country: "MA"}}
		}, pass: true, key: ReasonOnsiteIn},
		{name: "onsite in a sought city spelled otherwise", offer: func(o *jobs.Offer) {
			o.Workplace = jobs.Onsite
			o.Locations = []jobs.Location{{City: "Casa", Country: "MA"}}
		}, pass: true, key: ReasonOnsiteIn},
		{name: "onsite in a city not sought", offer: func(o *jobs.Offer) {
			o.Workplace = jobs.Onsite
			o.Locations = []jobs.Location{{City: "Rabat", Country: "MA"}}
		}},
		{name: "onsite in a sought country", offer: func(o *jobs.Offer) {
			o.Workplace = jobs.Onsite
			o.Locations = []jobs.Location{{City: "Rabat", Country: "MA"}}
		}, profile: func(p *profiles.Profile) { p.Seeking.Locations = []string{"MA"} }, pass: true, key: ReasonOnsiteIn},
		{name: "second location matches", offer: func(o *jobs.Offer) {
			o.Workplace = jobs.Hybrid
			o.Locations = []jobs.Location{{City: "Paris", Country: "FR"}, {City: "Oujda", Country: "MA"}}
		}, pass: true, key: ReasonHybridIn},
		{name: "hybrid with unknown place", offer: func(o *jobs.Offer) {
			o.Workplace = jobs.Hybrid
			o.Locations = nil
		}},
		{name: "hybrid but graduate wants remote only", offer: func(o *jobs.Offer) {
			o.Workplace = jobs.Hybrid
			o.Locations = []jobs.Location{{City: "Oujda", Country: "MA"}}
		}, profile: func(p *profiles.Profile) { p.Seeking.Workplace = []string{"remote"} }},
		{name: "unknown workplace in a sought city", offer: func(o *jobs.Offer) {
			o.Workplace = jobs.WorkplaceUnknown
			o.Locations = []jobs.Location{{City: "Oujda", Country: "MA"}}
		}, pass: true, key: ReasonOnsiteIn},
		{name: "unknown workplace with no place", offer: func(o *jobs.Offer) {
			o.Workplace = jobs.WorkplaceUnknown
			o.Locations = nil
		}},
		{name: "unknown workplace, graduate wants remote only", offer: func(o *jobs.Offer) {
			o.Workplace = jobs.WorkplaceUnknown
			o.Locations = []jobs.Location{{City: "Oujda", Country: "MA"}}
		}, profile: func(p *profiles.Profile) { p.Seeking.Workplace = []string{"remote"} }},
		{name: "senior role", offer: func(o *jobs.Offer) { o.Seniority = jobs.SenioritySenior }},
		{name: "lead role", offer: func(o *jobs.Offer) { o.Seniority = jobs.SeniorityLead }},
		{name: "senior role for a senior seeker", offer: func(o *jobs.Offer) { o.Seniority = jobs.SenioritySenior },
			profile: func(p *profiles.Profile) { p.Seeking.Seniority = []string{"senior"} }, pass: true, key: ReasonSeniorityFit},
		{name: "mid role for a junior seeker", offer: func(o *jobs.Offer) { o.Seniority = jobs.SeniorityMid }, pass: true, key: ReasonSeniorityFit},
		{name: "mid role for an internship seeker", offer: func(o *jobs.Offer) { o.Seniority = jobs.SeniorityMid },
			profile: func(p *profiles.Profile) { p.Seeking.Seniority = []string{"internship"} }},
		{name: "unknown seniority", offer: func(o *jobs.Offer) { o.Seniority = jobs.SeniorityUnknown }, pass: true},
		{name: "internship for a junior-only seeker", offer: func(o *jobs.Offer) {
			o.Seniority = jobs.SeniorityInternship
			o.Employment = []string{jobs.Internship}
		}, profile: func(p *profiles.Profile) {
			p.Seeking.Seniority = []string{"junior"}
			p.Seeking.Employment = nil
		}},
		{name: "internship by contract type only", offer: func(o *jobs.Offer) {
			o.Seniority = jobs.SeniorityUnknown
			o.Employment = []string{jobs.Internship}
		}, profile: func(p *profiles.Profile) {
			p.Seeking.Seniority = []string{"junior"}
			p.Seeking.Employment = nil
		}},
		{name: "internship for an internship seeker", offer: func(o *jobs.Offer) {
			o.Seniority = jobs.SeniorityInternship
			o.Employment = []string{jobs.Internship}
		}, pass: true, key: ReasonSeniorityFit}, // said once: the level reason,
		{name: "contract type not sought", offer: func(o *jobs.Offer) { o.Employment = []string{jobs.Contract} }},
		{name: "apprenticeship not sought", offer: func(o *jobs.Offer) { o.Employment = []string{jobs.Apprenticeship} }},
		{name: "one of two contract types sought", offer: func(o *jobs.Offer) {
			o.Employment = []string{jobs.Contract, jobs.FullTime}
		}, pass: true, key: ReasonEmploymentFit},
		{name: "contract type unknown", offer: func(o *jobs.Offer) { o.Employment = nil }, pass: true},
		{name: "graduate states no contract type", profile: func(p *profiles.Profile) { p.Seeking.Employment = nil },
			offer: func(o *jobs.Offer) { o.Employment = []string{jobs.Contract} }, pass: true},
		{name: "German required", offer: func(o *jobs.Offer) { o.Languages = []string{"de"} }},
		{name: "French and English required", offer: func(o *jobs.Offer) { o.Languages = []string{"fr", "en"} },
			pass: true, key: ReasonLanguageOK},
		{name: "language outside the table required", offer: func(o *jobs.Offer) { o.Languages = []string{"xx"} }},
		{name: "expired", offer: func(o *jobs.Offer) { o.ValidThrough = ptrTime(testNow.Add(-time.Hour)) }},
		{name: "valid through next week", offer: func(o *jobs.Offer) { o.ValidThrough = ptrTime(testNow.Add(7 * 24 * time.Hour)) },
			pass: true},
		{name: "email forbidden does not gate by default", offer: func(o *jobs.Offer) { o.Terms.EmailAllowed = false }, pass: true},
		{name: "email forbidden gates when asked", offer: func(o *jobs.Offer) { o.Terms.EmailAllowed = false },
			opts: func(o *Options) { o.RequireEmailAllowed = true }},
		{name: "consent to alerts does not gate", profile: func(p *profiles.Profile) { p.Consent.Alerts = false }, pass: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, o, opts := graduate(), remoteOffer(), testOptions(t)
			if tc.offer != nil {
				tc.offer(&o)
			}
			if tc.profile != nil {
				tc.profile(&p)
			}
			if tc.opts != nil {
				tc.opts(&opts)
			}
			m, ok := scorePair(p, o, opts)
			if ok != tc.pass {
				t.Fatalf("gates passed = %v, want %v (reasons %v)", ok, tc.pass, m.Reasons)
			}
			// The index must agree with the pair function.
			ix := NewIndex(opts)
			ix.Upsert(p)
			got := ix.Match(o)
			if want := 0; tc.pass {
				want = 1
				if len(got) != want {
					t.Fatalf("index returned %d matches, want %d", len(got), want)
				}
			} else if len(got) != 0 {
				t.Fatalf("index returned %d matches for a rejected pair: %v", len(got), got[0].Reasons)
			}
			if !tc.pass {
				return
			}
			if tc.key != "" && !hasKey(m, tc.key) {
				t.Errorf("reason keys %+v lack %q", m.ReasonKeys, tc.key)
			}
			if m.EligibilityUnknown != tc.unknown {
				t.Errorf("EligibilityUnknown = %v, want %v", m.EligibilityUnknown, tc.unknown)
			}
			if tc.unknown && (hasKey(m, ReasonRemoteOpenTo) || hasKey(m, ReasonRemoteWorldwide)) {
				t.Errorf("unknown scope presented as open: %v", m.Reasons)
			}
			if len(m.Reasons) != len(m.ReasonKeys) {
				t.Errorf("%d reasons but %d keys", len(m.Reasons), len(m.ReasonKeys))
			}
		})
	}
}

// Reservations lower the score of a pair compared with the same pair
// without them.
func TestGateReservationsRankLower(t *testing.T) {
	opts := testOptions(t)
	base, ok := scorePair(graduate(), remoteOffer(), opts)
	if !ok || base.Score <= 0 {
		t.Fatalf("base pair rejected or zero: %+v", base)
	}
	tests := []struct {
		name  string
		offer func(o *jobs.Offer)
	}{
		{"unknown scope", func(o *jobs.Offer) { o.Eligibility = jobs.Eligibility{} }},
		{"mid-level stretch", func(o *jobs.Offer) { o.Seniority = jobs.SeniorityMid }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := remoteOffer()
			tc.offer(&o)
			m, ok := scorePair(graduate(), o, opts)
			if !ok {
				t.Fatal("rejected")
			}
			if m.Score >= base.Score*0.9 {
				t.Errorf("score %.3f not clearly below %.3f", m.Score, base.Score)
			}
		})
	}
}
