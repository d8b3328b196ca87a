package matcher

// closedAbroad reports an on-site, hybrid or unknown-workplace offer that
// the graduate living in country (packed; 0 unknown) cannot take although
// its place is one they seek: the offer is in another country and states
// who may be hired there ("Applicants must be legally authorized to work
// in Canada", "autorisation de travail valide en France"), and that
// excludes the graduate's country. A graduate who wishes to move abroad is
// shown the jobs there that hire from abroad (visa provided, or no
// restriction stated), not those that need a permit they do not hold.
// An offer in the graduate's own country is never closed by it: the
// restriction then says nothing the place does not.
func (p *plan) closedAbroad(country uint16) bool {
	if !p.eligKnown || p.g.workplace == wpRemote || country == 0 || int(country) >= len(countryCodes) {
		return false
	}
	if p.admits(country) {
		return false
	}
	cc := countryCodes[country]
	for _, l := range p.o.Locations {
		if l.Country == cc {
			return false
		}
	}
	return true
}
