package jobs

import (
	"slices"
	"strings"
)

// A board's applicant-location field against the ad's own words. The field
// (Remotive's candidate_required_location, We Work Remotely's region,
// Jobicy's jobGeo) is picked from a menu, often left at its default
// ("Worldwide", "Anywhere in the World"); the description is what the
// employer wrote about this job. So:
//   - a description that restricts applicants to named places in strong
//     terms ("must reside in", "we can only employ people in", "open only
//     to applicants located in", "Headquarters: Remote - U.S.A.") wins over
//     any field, worldwide or regional;
//   - a field left at a board's preset worldwide value ("Worldwide" on
//     Remotive, "Anywhere in the World" on We Work Remotely) stands only
//     when the description backs it (it says anywhere, worldwide, any
//     country, international hires, or names who is left out); otherwise
//     where applicants may live is not stated (unknown, never a guessed
//     "worldwide"). Other worldwide wordings ("Global", "Work from
//     anywhere", every continent listed) were chosen, and stand;
//   - a regional field is widened by places the description adds
//     ("we also hire in Morocco and Egypt").

// hqRemoteRe is a board's headquarters line that gives the job's remote
// scope instead of a seat: "Headquarters: Remote - U.S.A.", "HQ: Remote,
// Saudi Arabia". Group 1 is the place.
var hqRemoteRe = newFastRe(`(?i)\b(?:headquarters|hq)\s*:\s*(?:fully\s+)?remote\s*[-–—,(/]\s*([^\n;()]{2,40})`)

// worldwideBackedRe is a description backing a worldwide field: it says
// anywhere, worldwide, any country or location, that the team spans many
// countries ("people in 30 countries"), or that the company hires
// internationally.
var worldwideBackedRe = newFastRe(`(?i)\b(?:anywhere|worldwide|globally|around\s+the\s+world|across\s+the\s+(?:world|globe)|all\s+over\s+the\s+world|(?:any|every)\s+(?:country|location|time\s*zone)|all\s+(?:countries|locations|time\s*zones)|wherever\s+you|no\s+matter\s+where|(?:in|across|from)\s+(?:over\s+)?\d{1,3}\+?\s+countries|international\s+(?:team\s+members|employees|contractors|hires|candidates|applicants|talent|freelancers)|partout|monde\s+entier|n'importe\s+o[uù]|tous\s+les\s+pays|quel\s+que\s+soit\s+(?:votre|le)\s+pays)|[أا]ي\s+مكان|جميع\s+[أا]نحاء|حول\s+العالم`)

// alsoRe marks a sentence adding places to those a field gave.
var alsoRe = newFastRe(`(?i)\b(?:also|as\s+well|in\s+addition|aussi|[ée]galement|de\s+plus)\b|(?:أيضا|ايضا|كذلك)`)

// strongPlaces is where a description restricts applicants in strong
// terms, the zero Eligibility when it does not.
func strongPlaces(d *scanText) Eligibility {
	if n := narrowingPlaces(d.s); n.Known {
		return n
	}
	var ph []string
	// Every match of onlyPlacesRe holds one of these words, every match of
	// hqRemoteRe "headquarters" or "hq": a cheap test first.
	if strings.Contains(d.low, "only") || strings.Contains(d.low, "restricted") || strings.Contains(d.low, "limited") ||
		strings.Contains(d.low, "solely") || strings.Contains(d.low, "exclusively") {
		for _, m := range onlyPlacesRe.FindAllStringSubmatch(d, 5) {
			ph = append(ph, cutAtStops(m[1]))
		}
	}
	if strings.Contains(d.low, "hq") || strings.Contains(d.low, "headquarters") {
		for _, m := range hqRemoteRe.FindAllStringSubmatch(d, 2) {
			ph = append(ph, m[1])
		}
	}
	if len(ph) == 0 {
		return Eligibility{}
	}
	n := ParseEligibility(ph...)
	if !n.Known || n.Worldwide || len(n.Countries) == 0 && len(n.Regions) == 0 {
		return Eligibility{}
	}
	return n
}

// fieldAndProse reads a description against the eligibility a board's
// field gave (e, known); d is the folded description.
func fieldAndProse(e Eligibility, fields []string, title string, d *scanText) Eligibility {
	if !e.Known {
		return e
	}
	if n := strongPlaces(d); n.Known {
		return n
	}
	_, ex, excl := cutExclusionsIn(d)
	if e.Worldwide {
		if z := titleTimeZone(title); z.UTCOffsetMin != nil {
			// "Sales Specialist (CST timezone)" on a worldwide board.
			e.Worldwide, e.UTCOffsetMin, e.UTCOffsetMax = false, z.UTCOffsetMin, z.UTCOffsetMax
			return e
		}
		if !excl && boardDefault(fields) && !worldwideBackedRe.MatchString(d) {
			return Eligibility{} // the board's default, not the ad's word
		}
	} else {
		e = alsoPlaces(e, d.s)
	}
	if excl {
		e.ExcludedCountries = append(e.ExcludedCountries, ex...)
		slices.Sort(e.ExcludedCountries)
		e.ExcludedCountries = slices.Compact(e.ExcludedCountries)
	}
	return e
}

// alsoPlaces adds to e the places of the description's sentences that say
// they add some ("we also hire in Morocco and Egypt").
func alsoPlaces(e Eligibility, desc string) Eligibility {
	st := newScanText(desc)
	locs := alsoRe.FindAllStringIndex(st, 5)
	for _, loc := range locs {
		start := strings.LastIndexAny(desc[:loc[0]], ".;\n!?") + 1
		end := len(desc)
		if i := strings.IndexAny(desc[loc[1]:], ".;\n!?"); i >= 0 {
			end = loc[1] + i
		}
		add := ParseEligibility(desc[start:end] + "\n")
		if add.Worldwide || len(add.Countries)+len(add.Regions) == 0 {
			continue
		}
		e.Countries = append(e.Countries, add.Countries...)
		e.Regions = append(e.Regions, add.Regions...)
	}
	slices.Sort(e.Countries)
	e.Countries = slices.Compact(e.Countries)
	slices.Sort(e.Regions)
	e.Regions = slices.Compact(e.Regions)
	return e
}

// boardDefaults are the preset worldwide values of boards' location menus.
var boardDefaults = wordSet("worldwide", "anywhere in the world")

// boardDefault reports fields that hold nothing but a board's preset
// worldwide value.
func boardDefault(fields []string) bool {
	seen := false
	for _, f := range fields {
		k := fold(f)
		if k == "" {
			continue
		}
		if !boardDefaults[k] {
			return false
		}
		seen = true
	}
	return seen
}
