package matcher

import (
	"testing"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

// An on-site or hybrid offer abroad that hires only people already allowed
// to work there is not shown to a graduate in Morocco who wishes to move
// there; the same offer with the visa provided (no restriction read), or
// a restriction that admits Morocco, is. The pair function and the index
// agree on each.
func TestOfferAbroadNeedsWorkAuthorization(t *testing.T) {
	abroad := func(wp jobs.Workplace, city, country string, elig jobs.Eligibility) jobs.Offer {
		o := remoteOffer()
		o.Workplace, o.Eligibility = wp, elig
		o.Locations = []jobs.Location{{City: city, Country: country}}
		return o
	}
	only := func(cc ...string) jobs.Eligibility { return jobs.Eligibility{Known: true, Countries: cc} }
	movers := func(places ...string) profiles.Profile {
		p := graduate()
		p.Seeking.Locations = append(p.Seeking.Locations, places...)
		return p
	}
	for _, tc := range []struct {
		name string
		p    profiles.Profile
		o    jobs.Offer
		pass bool
	}{
		{"hybrid Toronto, authorized in Canada only", movers("Canada"), abroad(jobs.Hybrid, "Toronto", "CA", only("CA")), false},
		{"on site Paris, French work permit", movers("Paris"), abroad(jobs.Onsite, "Paris", "FR", only("FR")), false},
		{"unknown workplace Dubai, UAE residents", movers("AE"), abroad(jobs.WorkplaceUnknown, "Dubai", "AE", only("AE")), false},
		{"Montréal, visa provided (nothing read)", movers("Canada"), abroad(jobs.Onsite, "Montréal", "CA", jobs.Eligibility{}), true},
		{"Lyon, open to Morocco too", movers("France"), abroad(jobs.Hybrid, "Lyon", "FR", only("FR", "MA")), true},
		{"Madrid, EMEA", movers("Spain"), abroad(jobs.Hybrid, "Madrid", "ES", jobs.Eligibility{Known: true, Regions: []string{"EMEA"}}), true},
		{"at home: Casablanca with a stray restriction", graduate(), abroad(jobs.Onsite, "Casablanca", "MA", only("FR")), true},
		{"graduate living in Canada", func() profiles.Profile { p := movers("Canada"); p.Country = "CA"; return p }(), abroad(jobs.Hybrid, "Toronto", "CA", only("CA")), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions(t)
			_, ok := scorePair(tc.p, tc.o, opts)
			if ok != tc.pass {
				t.Errorf("pair: passed = %v, want %v", ok, tc.pass)
			}
			ix := NewIndex(opts)
			ix.Upsert(tc.p)
			if got := len(ix.Match(tc.o)) == 1; got != tc.pass {
				t.Errorf("index: matched = %v, want %v", got, tc.pass)
			}
		})
	}
}
